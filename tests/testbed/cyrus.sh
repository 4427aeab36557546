# tests/testbed/cyrus.sh: a throwaway Cyrus IMAP 3.6 instance (sourced by lib.sh).
#
#   tb_start_cyrus [--name NAME] [--extra-conf FILE_OR_TEXT]
#
# Call after tb_init. Writes a standalone imapd.conf and cyrus.conf in
# $TB_ROOT/NAME/ (NAME is "cyrus" unless given; /etc/imapd.conf is never
# read), starts Cyrus's master as the unprivileged server user, creates the
# users' mailboxes and sets, with NAME upper-cased:
#   NAME_PORT        IMAP on 127.0.0.1, STARTTLS (plaintext auth needs TLS)
#   NAME_IMAPS_PORT  implicit TLS
#   NAME_DIR         the instance's folder (config, sasldb, spool, logs)
# --extra-conf appends a file's contents, or the text itself, to imapd.conf;
# an option given there replaces the one set here (Cyrus itself refuses an
# option given twice).
#
# Namespace: INBOX. prefix, "." separator (user.alice to an admin). Accounts
# are TB_USERS with TB_PASS in a sasldb; every user but admin gets a mailbox
# with Drafts, Sent, Trash and Junk (with their special-use flags) and a
# quota: alice STORAGE 1048576 (KiB) MESSAGE 50000, bob STORAGE 51200. admin
# is a Cyrus admin and a proxy server: PLAIN with authcid admin and authzid
# alice opens alice's INBOX. idled runs, so IDLE reports changes at once.
#
# Cyrus logs only to syslog, which is not running here, and its fatal
# errors say nothing but an exit status. If it does not start, this prints
# what there is (NAME_DIR/{stderr,master,setup}.log, the protocol trace of
# setup's admin session, cyr_info conf-lint) and bails out. Set
# TB_CYRUS_TRACE=1 to trace every session of TB_USERS in
# NAME_DIR/c/log/<user>/<pid>.

TB_CYRUS_BIN=/usr/lib/cyrus/bin
# The servername, which is also the SASL realm: Cyrus looks users up in the
# sasldb as user@servername, so both must agree.
TB_CYRUS_REALM=localhost
# sasl2-bin puts it in /usr/sbin, which a user's PATH may lack.
TB_CYRUS_SASLPASSWD=${TB_CYRUS_SASLPASSWD:-$(PATH=$PATH:/usr/sbin command -v saslpasswd2)}

# SETQUOTA limits of each user's quota root user.<user>, in KiB for STORAGE.
declare -A TB_CYRUS_QUOTA=(
	[alice]='(STORAGE 1048576 MESSAGE 50000)'
	[bob]='(STORAGE 51200)'
)
# Folders every user gets; each name is also its special-use flag.
TB_CYRUS_FOLDERS=(Drafts Sent Trash Junk)

tb_start_cyrus() {
	local name extra dir port imaps_port var try
	tb_instance_args cyrus "$@" || return
	name=$TB_INSTANCE_NAME extra=$TB_INSTANCE_EXTRA dir=$TB_INSTANCE_DIR
	# imapd binds {configdirectory}/socket/idle.<pid>, and a socket path
	# has 107 bytes at most.
	[ ${#dir} -le 70 ] || tb_die "tb_start_cyrus: path too long: $dir"
	tb_cyrus_find_bindir
	if [ -f "$extra" ]; then
		extra=$(<"$extra") || tb_die "cannot read $extra"
	fi

	# c/ is the config directory; c/log/admin traces setup's session.
	mkdir -p "$dir/c/socket" "$dir/c/log/admin" "$dir/spool" ||
		tb_die "cannot create $dir"
	tb_cyrus_sasldb "$dir/sasldb"
	tb_cyrus_imapd_conf "$dir" "$extra" >"$dir/imapd.conf"
	[ -n "$extra" ] && tb_cyrus_lint "$dir"
	[ -n "${TB_CYRUS_TRACE:-}" ] && tb_cyrus_trace_all "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		chown -R "$TB_TEST_USER:" "$dir" || tb_die "cannot chown $dir"
	fi

	# Another process may take a port between tb_free_port and master's
	# bind; then master exits, and new ports are tried.
	for ((try = 1; ; try++)); do
		port=$(tb_free_port) || tb_die "no free port for $name"
		imaps_port=$(tb_free_port) || tb_die "no free port for $name"
		tb_cyrus_cyrus_conf "$dir" "$port" "$imaps_port" \
			>"$dir/cyrus.conf"
		tb_cyrus_run_master "$dir" "$port" "$imaps_port" $((try < 3)) &&
			break
	done
	tb_cyrus_setup "$dir" "$port"
	[ -n "${TB_CYRUS_TRACE:-}" ] || rm -rf "$dir/c/log/admin"

	var=${name^^}
	printf -v "${var}_PORT" '%s' "$port"
	printf -v "${var}_IMAPS_PORT" '%s' "$imaps_port"
	printf -v "${var}_DIR" '%s' "$dir"
	export "${var}_PORT" "${var}_IMAPS_PORT" "${var}_DIR"
}

# Set TB_CYRUS_IMAPD_BIN to where imapd and idled are: scripts/deps unpacks
# the cyrus-imapd package of cyrus-common's version there (it conflicts with
# dovecot-imapd, so apt cannot install it).
tb_cyrus_find_bindir() {
	local ver dir
	ver=$(dpkg-query -W -f='${Version}' cyrus-common 2>/dev/null) ||
		tb_die "cyrus-common is not installed (run scripts/deps)"
	dir=$TB_CACHE/cyrus-imapd-$ver/usr/lib/cyrus/bin
	if [ ! -x "$dir/imapd" ] || [ ! -x "$dir/idled" ]; then
		tb_die "no imapd or idled in $dir (run scripts/deps)"
	fi
	[ -x "$TB_CYRUS_BIN/master" ] || tb_die "no $TB_CYRUS_BIN/master"
	TB_CYRUS_IMAPD_BIN=$dir
}

tb_cyrus_sasldb() {
	local db=$1 user
	[ -x "$TB_CYRUS_SASLPASSWD" ] || tb_die "no saslpasswd2 (run scripts/deps)"
	for user in "${TB_USERS[@]}"; do
		printf '%s' "${TB_PASS[$user]}" |
			"$TB_CYRUS_SASLPASSWD" -p -c -f "$db" -u "$TB_CYRUS_REALM" "$user" ||
			tb_die "saslpasswd2 failed for $user"
	done
	chmod 600 "$db"
}

# Print imapd.conf. --extra-conf goes last; then only the last occurrence
# of each option is kept, because Cyrus exits (EX_CONFIG, silently) when
# one is given twice.
tb_cyrus_imapd_conf() {
	local dir=$1 extra=$2
	{
		tb_cyrus_base_conf "$dir"
		if [ -n "$extra" ]; then
			printf '\n# --extra-conf\n%s\n' "$extra"
		fi
	} | tac | awk '!/^[A-Za-z0-9_-]+:/ || !seen[$1]++' | tac
}

tb_cyrus_base_conf() {
	local dir=$1
	cat <<EOF
# Generated by tests/testbed/cyrus.sh for one test run.
configdirectory: $dir/c
partition-default: $dir/spool
defaultpartition: default
cyrus_user: $(tb_server_user)
servername: $TB_CYRUS_REALM
syslog_prefix: imapwb-${dir##*/}
temp_path: $dir/c
# A port Cyrus cannot bind must stop it, not leave it half up.
master_bind_errors_fatal: yes

# Cyrus 3 defaults to altnamespace and unixhierarchysep ("/", no INBOX.
# prefix); the tests expect the classic INBOX. with ".".
altnamespace: no
unixhierarchysep: no

admins: admin
proxyservers: admin

sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $dir/sasldb
sasl_mech_list: PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256
# PLAIN and LOGIN only after TLS (the default, said out loud).
allowplaintext: no
# A wrong password must fail at once, not after the default 3 s.
failedloginpause: 0

tls_server_cert: $TB_ROOT/certs/server.pem
tls_server_key: $TB_ROOT/certs/server.key
tls_client_certs: off

# Deleted folders go at once, instead of lingering as DELETED.* for admins.
delete_mode: immediate
EOF
}

# Print cyrus.conf. Cyrus passes no -C to what master starts, so every
# command names the config itself (without it, idled reads /etc/imapd.conf
# and dies). idled tells imapd about changes, so IDLE needs no polling.
tb_cyrus_cyrus_conf() {
	local dir=$1 port=$2 imaps_port=$3
	local bindir=$TB_CYRUS_IMAPD_BIN conf="-C $dir/imapd.conf"
	cat <<EOF
# Generated by tests/testbed/cyrus.sh for one test run.
SERVICES {
	imap	cmd="$bindir/imapd $conf" listen="127.0.0.1:$port" prefork=0
	imaps	cmd="$bindir/imapd -s $conf" listen="127.0.0.1:$imaps_port" prefork=0
}
DAEMON {
	idled	cmd="$bindir/idled $conf"
}
EOF
}

# Unknown options are ignored silently; catch typos in --extra-conf.
tb_cyrus_lint() {
	local out rc=0
	out=$("$TB_CYRUS_BIN/cyr_info" -C "$1/imapd.conf" conf-lint 2>&1) ||
		rc=$?
	if [ -n "$out" ] || [ "$rc" -ne 0 ]; then
		tb_die "imapd.conf of $1 is wrong: $out"
	fi
}

tb_cyrus_trace_all() {
	local user
	for user in "${TB_USERS[@]}"; do
		mkdir -p "$1/c/log/$user"
	done
}

# Start master in the background, wait until it listens on both ports and
# register its PID, which master writes to its pidfile first thing. With
# $4 = 1, a port taken meanwhile (EX_UNAVAILABLE) returns 1.
#
# $! is not master but a subshell around it (tb_as_server_user is a
# function, so bash forks to run it): a TERM would kill only the subshell
# and leave master running. Nor is the subshell registered beside master: it
# reaps master at once, but once it is gone master's zombie waits for PID 1,
# which here reaps only every second or so, and the EXIT trap waits too.
#
# master stops by sending TERM to its whole process group, so setsid gives
# it its own; else the test script, and every server it started as the same
# user, would die with it. setsid forks only when it leads a group (under
# set -m); -w then waits and passes master's status on. -l: the tests open
# many connections at once.
tb_cyrus_run_master() {
	local dir=$1 port=$2 imaps_port=$3 retry=$4 wrapper pid='' i rc
	rm -f "$dir/master.pid"
	tb_as_server_user setsid -w "$TB_CYRUS_BIN/master" -C "$dir/imapd.conf" \
		-M "$dir/cyrus.conf" -p "$dir/master.pid" -l 128 \
		-L "$dir/master.log" </dev/null >>"$dir/stderr.log" 2>&1 &
	wrapper=$!
	for ((i = 0; ; i++)); do
		if ! kill -0 "$wrapper" 2>/dev/null; then
			rc=0
			wait "$wrapper" || rc=$?
			if [ "$rc" -eq 69 ] && [ "$retry" -eq 1 ]; then
				tb_log "cyrus: port $port or $imaps_port taken, retrying"
				return 1
			fi
			tb_cyrus_fail "$dir" "$(tb_cyrus_status "$rc")"
		fi
		[ -z "$pid" ] && [ -s "$dir/master.pid" ] &&
			read -r pid <"$dir/master.pid"
		[ -n "$pid" ] && tb_cyrus_listens "$port" &&
			tb_cyrus_listens "$imaps_port" && break
		if [ "$i" -ge 250 ]; then
			tb_register_pid "${pid:-$(ps -o pid= --ppid "$wrapper")}"
			tb_cyrus_fail "$dir" "did not listen in 5 s"
		fi
		sleep 0.02
	done
	tb_register_pid "$pid"
}

# Cyrus exits with sysexits(3) codes; say what they mean, it says nothing.
tb_cyrus_status() {
	case $1 in
	69) echo "exited with status 69 (EX_UNAVAILABLE: a port in use?)" ;;
	75) echo "exited with status 75 (EX_TEMPFAIL)" ;;
	78) echo "exited with status 78 (EX_CONFIG: a bad or repeated option)" ;;
	*) echo "exited with status $1" ;;
	esac
}

tb_cyrus_listens() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# As admin, over STARTTLS with the run's CA: create every user's mailbox
# and folders, and set the quotas. This is also the check that imapd runs.
tb_cyrus_setup() {
	local dir=$1 port=$2 user folder cmds=()
	for user in "${TB_USERS[@]}"; do
		[ "$user" = admin ] && continue
		cmds+=("CREATE user.$user")
		for folder in "${TB_CYRUS_FOLDERS[@]}"; do
			cmds+=("CREATE user.$user.$folder (USE (\\$folder))")
		done
		[ -n "${TB_CYRUS_QUOTA[$user]:-}" ] &&
			cmds+=("SETQUOTA user.$user ${TB_CYRUS_QUOTA[$user]}")
	done
	IMAPCTL_PASSWORD=${TB_PASS[admin]} "$TB_PYTHON" - "$TB_TESTBED" \
		"$port" "$TB_CA" "${cmds[@]}" >>"$dir/setup.log" 2>&1 <<'EOF' ||
# Run each argument as one IMAP command as admin; stop at the first failure.
import imaplib, os, sys
sys.path.insert(0, sys.argv[1])
import imapctl
try:
    conn = imapctl.connect("127.0.0.1", int(sys.argv[2]), "starttls",
                           sys.argv[3], timeout=10)
    imapctl.login(conn, "admin", os.environ["IMAPCTL_PASSWORD"])
    for cmd in sys.argv[4:]:
        name, args = cmd.split(" ", 1)
        typ, data = conn._simple_command(name, args)
        if typ != "OK":
            sys.exit("%s: %s %s" % (cmd, typ, data))
    conn.logout()
except (imaplib.IMAP4.error, OSError) as e:
    sys.exit("setup: %s" % e)
EOF
		tb_cyrus_fail "$dir" "setup as admin failed"
}

# Print what Cyrus left for us (it cannot reach syslog), then bail out:
# a server that does not start fails the test, it never skips it. Only the
# ends of the files: master restarts a failing idled for ever, and each
# time it writes the same line.
tb_cyrus_fail() {
	local dir=$1 f
	printf '# cyrus (%s) %s; what it left:\n' "$dir" "$2"
	for f in "$dir"/{stderr,master,setup}.log "$dir"/c/log/*/*; do
		[ -s "$f" ] || continue
		printf '# --- %s (last 20 lines)\n' "$f"
		tail -n 20 "$f" | sed 's/^/# /'
	done
	printf '# --- cyr_info conf-lint\n'
	"$TB_CYRUS_BIN/cyr_info" -C "$dir/imapd.conf" conf-lint 2>&1 |
		sed 's/^/# /'
	tb_cyrus_stop "$dir"
	tb_die "cyrus in $dir $2"
}

# Stop a master that failed to come up, here and now: tb_start_cyrus may
# run in a subshell, whose exit the EXIT trap does not see. The pidfile is
# trusted only while that PID still runs this instance's master. master
# leads its own process group (setsid), so a KILL takes its children too.
tb_cyrus_stop() {
	local dir=$1 pid='' i
	if [ -s "$dir/master.pid" ]; then
		read -r pid <"$dir/master.pid"
	fi
	[ -n "$pid" ] || return 0
	[[ $(ps -o args= -p "$pid" 2>/dev/null) == *"$dir/imapd.conf"* ]] ||
		return 0
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL -- "-$pid" 2>/dev/null
}
