# tests/testbed/dovecot.sh: a throwaway Dovecot 2.3 instance (sourced by lib.sh).
#
#   tb_start_dovecot [--name NAME] [--extra-conf FILE_OR_TEXT]
#
# Call after tb_init. Writes a standalone config in $TB_ROOT/NAME/ (NAME is
# "dovecot" unless given; /etc/dovecot is never read), starts Dovecot as the
# unprivileged server user, waits for its greeting and sets, with NAME
# upper-cased:
#   NAME_PORT        IMAP on 127.0.0.1 with STARTTLS (but see below)
#   NAME_IMAPS_PORT  implicit TLS
#   NAME_DIR         the instance's folder (config, log, mail)
#   NAME_PID         the master's PID; its process group holds every
#                    process of the instance (-PID is registered)
# --extra-conf appends a file's contents, or the text itself, to the config,
# so it overrides what comes before (e.g. "imap_capability = IMAP4rev1 IDLE";
# "$(tb_dovecot_caps_without SORT ESORT)" gives a Dovecot without SORT).
# TB_DOVECOT_VSZ_LIMIT (e.g. 2G) raises every process's address-space limit
# above Dovecot's 256 MB default_vsz_limit: an imap process serving a
# 1,000,000-message Maildir needs more (scripts/bench --messages 1000000).
#
# Accounts are TB_USERS with TB_PASS; admin is also a master user: PLAIN with
# authcid admin and authzid alice opens alice's mailboxes. User U's Maildir
# is $(tb_dovecot_maildir U [NAME]); files put there must belong to the
# server user. The log is NAME_DIR/dovecot.log.
#
# Dovecot counts a connection whose remote and local IP are equal as
# secured, so on 127.0.0.1 plaintext LOGIN works without STARTTLS and
# LOGINDISABLED is never sent, despite disable_plaintext_auth = yes.

# setpriv --reset-env leaves a PATH without /usr/sbin, so use a full path.
TB_DOVECOT=${TB_DOVECOT:-$(PATH=$PATH:/usr/sbin command -v dovecot)}

# Print the Maildir of user $1 in instance $2 (default: dovecot).
tb_dovecot_maildir() {
	printf '%s/home/%s/Maildir' "$TB_ROOT/${2:-dovecot}" "$1"
}

tb_start_dovecot() {
	local name extra dir var port imaps_port pid
	tb_instance_args dovecot "$@" || return
	name=$TB_INSTANCE_NAME extra=$TB_INSTANCE_EXTRA dir=$TB_INSTANCE_DIR

	port=$(tb_free_port) || tb_die "no free port for $name"
	imaps_port=$(tb_free_port) || tb_die "no free port for $name"
	mkdir -p "$dir/run" "$dir/state" "$dir/home" ||
		tb_die "cannot create $dir"
	tb_dovecot_passwd_files "$dir"
	tb_dovecot_conf "$dir" "$port" "$imaps_port" >"$dir/dovecot.conf"
	tb_dovecot_extra_conf "$extra" >>"$dir/dovecot.conf"
	if [ "$(id -u)" -eq 0 ]; then
		chown -R "$TB_TEST_USER:" "$dir" || tb_die "cannot chown $dir"
	fi

	tb_dovecot_spawn "$dir"
	pid=$TB_DOVECOT_PID
	tb_register_pid "-$pid"
	tb_dovecot_wait_ready "$dir" "$pid" "$port" "$imaps_port"
	[ "$(cat "$dir/run/master.pid" 2>/dev/null)" = "$pid" ] ||
		tb_dovecot_fail "$dir" "runs, but not as PID $pid"

	var=${name^^}
	printf -v "${var}_PORT" '%s' "$port"
	printf -v "${var}_IMAPS_PORT" '%s' "$imaps_port"
	printf -v "${var}_DIR" '%s' "$dir"
	printf -v "${var}_PID" '%s' "$pid"
	export "${var}_PORT" "${var}_IMAPS_PORT" "${var}_DIR" "${var}_PID"
}

# Start the master in the foreground (-F) as the leader of a new process
# group, and register the group (-PID) for the EXIT trap. On SIGTERM the
# master itself exits within about 1 s, but an imap process whose client
# was active in the last 10 s outlives it by up to 10 s (Dovecot's
# IMAP_DIE_IDLE_SECS); signalling the group stops every process at once.
# setpriv and setsid exec, so $! is the master's PID. Not through
# tb_as_server_user: a backgrounded function runs in a subshell, and $!
# would be that subshell. With job control on (set -m) bash already makes
# the job a group leader, and setsid would fork.
tb_dovecot_spawn() {
	local dir=$1
	local -a cmd=("$TB_DOVECOT" -F -c "$dir/dovecot.conf")
	[ -x "$TB_DOVECOT" ] || tb_die "dovecot is not installed"
	[[ $- == *m* ]] || cmd=(setsid "${cmd[@]}")
	if [ "$(id -u)" -eq 0 ]; then
		cmd=(setpriv --reuid="$TB_TEST_USER" --regid="$TB_TEST_USER"
			--init-groups --reset-env -- "${cmd[@]}")
	fi
	"${cmd[@]}" </dev/null >>"$dir/stderr.log" 2>&1 &
	TB_DOVECOT_PID=$!
}

# The users file serves as passdb and userdb: {PLAIN} passwords let Dovecot
# offer every mechanism (CRAM-MD5 and SCRAM need the clear text), and the
# extra fields carry each user's quota. The masters file holds only admin;
# listing alice there too would make her a master user.
tb_dovecot_passwd_files() {
	local dir=$1 uid gid user pw
	uid=$(id -u "$(tb_server_user)") || tb_die "no server user"
	gid=$(id -g "$(tb_server_user)") || tb_die "no server user"
	declare -A quota=(
		[alice]='userdb_quota_rule=*:storage=1G userdb_quota_rule2=*:messages=50000'
		[bob]='userdb_quota_rule=*:storage=50M'
	)
	: >"$dir/users"
	for user in "${TB_USERS[@]}"; do
		pw=${TB_PASS[$user]}
		[[ $pw == *[:$'\n']* ]] && tb_die "password of $user has ':' or newline"
		printf '%s:{PLAIN}%s:%s:%s::%s::%s\n' "$user" "$pw" "$uid" "$gid" \
			"$dir/home/$user" "${quota[$user]:-}" >>"$dir/users"
	done
	printf 'admin:{PLAIN}%s\n' "${TB_PASS[admin]}" >"$dir/masters"
	chmod 600 "$dir/users" "$dir/masters"
}

# Print the instance's config (a here-document, so the folder's paths and
# the ports go in directly).
tb_dovecot_conf() {
	local dir=$1 port=$2 imaps_port=$3 user group
	user=$(tb_server_user)
	group=$(id -gn "$user")
	cat <<EOF
# Generated by tests/testbed/dovecot.sh for one test run.
instance_name = iwb-${dir##*/}
base_dir = $dir/run
state_dir = $dir/state
protocols = imap
listen = 127.0.0.1

# Rootless: everything runs as the server user, nothing is chrooted.
default_login_user = $user
default_internal_user = $user
default_internal_group = $group
first_valid_uid = $(id -u "$user")

log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
auth_verbose = yes
mail_debug = no

ssl = yes
ssl_cert = <$TB_ROOT/certs/server.pem
ssl_key = <$TB_ROOT/certs/server.key
# Without effect on loopback: remote IP == local IP counts as secured.
disable_plaintext_auth = yes

auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256
# A wrong password must fail at once, not after the default 2 s.
auth_failure_delay = 0
auth_master_user_separator = *

# Dovecot 2.3.19 holds every failure until a 500 ms timer ticks, even with
# auth_failure_delay = 0, unless the request carries "nodelay". A failed
# passdb's fields are dropped, so a static passdb that only adds the field
# and passes on ("noauthenticate") goes first, for master logins too.
passdb {
  driver = static
  args = noauthenticate nodelay=yes
  master = yes
}
passdb {
  driver = passwd-file
  args = $dir/masters
  master = yes
  # Then look the target user up in the normal passdbs: it must exist.
  pass = yes
}
passdb {
  driver = static
  args = noauthenticate nodelay=yes
}
passdb {
  driver = passwd-file
  args = $dir/users
}
userdb {
  driver = passwd-file
  args = $dir/users
}

mail_location = maildir:~/Maildir
# The tests open many connections from 127.0.0.1 at once.
mail_max_userip_connections = 200
${TB_DOVECOT_VSZ_LIMIT:+default_vsz_limit = $TB_DOVECOT_VSZ_LIMIT}
mail_plugins = \$mail_plugins acl quota zlib
protocol imap {
  mail_plugins = \$mail_plugins imap_acl imap_quota imap_zlib
}

namespace inbox {
  inbox = yes
  prefix =
  separator = /
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
}

plugin {
  acl = vfile
  # A master user acting as alice is checked as alice, or INBOX vanishes.
  acl_user = %u
  quota = count:User quota
  quota_vsizes = yes
}

# Rootless Dovecot cannot chroot; these services do by default.
service anvil {
  chroot =
  # No failed-login penalty: wrong-password tests would wait 2-15 s each.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service ipc {
  chroot =
}
service imap-urlauth-login {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $imaps_port
    ssl = yes
  }
}
EOF
}

# Print an imap_capability line for --extra-conf: Dovecot 2.3's own
# capabilities after login less those named ($@, say SORT ESORT), for a
# server that lacks an extension (it still runs the commands if sent; the
# plugins add COMPRESS=DEFLATE, QUOTA and ACL themselves).
TB_DOVECOT_CAPS='IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT
SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND
URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED
I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH
LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE
SAVEDATE LITERAL+ NOTIFY SPECIAL-USE'
tb_dovecot_caps_without() {
	local cap drop kept=''
	for cap in $TB_DOVECOT_CAPS; do
		for drop in "$@"; do
			[ "$cap" = "$drop" ] && continue 2
		done
		kept="$kept $cap"
	done
	printf 'imap_capability =%s\n' "$kept"
}

# Print --extra-conf's value: a file's contents, or the text itself.
tb_dovecot_extra_conf() {
	[ -n "$1" ] || return 0
	printf '\n# --extra-conf\n'
	if [ -f "$1" ]; then
		cat "$1" || tb_die "cannot read $1"
	else
		printf '%s\n' "$1"
	fi
}

# Wait until the IMAP port greets with "* OK": the master binds its ports
# before the login processes run, so an open port alone proves little. Then
# check the IMAPS port once, over TLS with the run's CA.
tb_dovecot_wait_ready() {
	local dir=$1 pid=$2 port=$3 imaps_port=$4 i
	for ((i = 0; ; i++)); do
		kill -0 "$pid" 2>/dev/null || tb_dovecot_fail "$dir" "exited"
		tb_dovecot_greets "$port" && break
		[ "$i" -lt 100 ] || tb_dovecot_fail "$dir" "did not answer in 5 s"
		sleep 0.05
	done
	tb_dovecot_greets_tls "$imaps_port" ||
		tb_dovecot_fail "$dir" "does not answer over TLS on $imaps_port"
}

tb_dovecot_greets() {
	(
		local line
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		IFS= read -r -t 2 line <&3 && [[ $line == '* OK'* ]]
	) 2>/dev/null
}

# LOGOUT makes the server close, which ends s_client (-ign_eof keeps it
# from hanging up before the greeting arrives). No pipe into grep -q: under
# the caller's pipefail, s_client's SIGPIPE would fail the check.
tb_dovecot_greets_tls() {
	local out
	out=$(printf 'a LOGOUT\r\n' |
		timeout 5 openssl s_client -connect "127.0.0.1:$1" \
			-CAfile "$TB_CA" -verify_return_error -ign_eof -quiet \
			2>/dev/null) || true
	[[ $out == '* OK'* ]]
}

tb_dovecot_fail() {
	local dir=$1
	printf '# dovecot (%s) %s; its output:\n' "$dir" "$2"
	sed 's/^/# /' "$dir/stderr.log" "$dir/dovecot.log" 2>/dev/null
	tb_die "dovecot in $dir $2"
}

# OAUTHBEARER and XOAUTH2 (issue 14): start the introspection endpoint
# (oauth-introspect.py) that knows the tokens given as USER=TOKEN, and print
# the --extra-conf text that adds both mechanisms with an oauth2 passdb
# asking it (Dovecot 2.3's introspection_mode = post: the token is POSTed as
# the form field "token"). Sets TB_OAUTH_COUNT, a file that gets one line
# per introspection ("good" or "bad"), and TB_OAUTH_CONF, the text. Not in
# $(...): the endpoint's PID must be registered in this shell. Use:
#   tb_dovecot_oauth_conf alice=TOKEN
#   tb_start_dovecot --extra-conf "$TB_OAUTH_CONF"
tb_dovecot_oauth_conf() {
	local dir=$TB_ROOT/oauth port_file i pid
	mkdir -p "$dir" || tb_die "cannot create $dir"
	port_file=$dir/port
	"$TB_PYTHON" "$TB_TESTBED/oauth-introspect.py" "$port_file" "$@" \
		</dev/null >>"$dir/stderr.log" 2>&1 &
	pid=$!
	tb_register_pid "$pid"
	for ((i = 0; i < 100; i++)); do
		[ -s "$port_file" ] && break
		kill -0 "$pid" 2>/dev/null ||
			tb_die "oauth-introspect.py exited: $(cat "$dir/stderr.log")"
		sleep 0.05
	done
	[ -s "$port_file" ] || tb_die "oauth-introspect.py did not start in 5 s"
	TB_OAUTH_COUNT=$port_file.count
	# Dovecot's auth process, run as the server user, reads the args file.
	cat >"$dir/dovecot-oauth2.conf.ext" <<CONF
introspection_mode = post
introspection_url = http://127.0.0.1:$(cat "$port_file")/introspect
username_attribute = username
active_attribute = active
active_value = true
CONF
	chmod 755 "$dir"
	chmod 644 "$dir/dovecot-oauth2.conf.ext"
	TB_OAUTH_CONF="
auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256 oauthbearer xoauth2
passdb {
  driver = oauth2
  mechanisms = oauthbearer xoauth2
  args = $dir/dovecot-oauth2.conf.ext
}"
}
