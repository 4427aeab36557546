#!/usr/bin/env bash
# The test bed itself: a throwaway Dovecot and a throwaway Cyrus start on
# 127.0.0.1, offer what the later tests rely on (TLS with the run's CA, the
# SASL mechanisms, proxy authorization, ACL, QUOTA, UIDPLUS, MOVE), hold
# exactly the generated mail, and are stopped by PID. Until imapwb can
# connect, the reference client (imapctl.py, on Python's imaplib) and
# Cyrus's imtest (on Cyrus SASL) do the talking.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMTEST=/usr/lib/cyrus/bin/imtest

tb_init

# imapctl against server $1 (DOVECOT or CYRUS) as user $2 (or "" for no
# login), over STARTTLS unless more options follow.
ctl() {
	local srv=$1 user=$2 port_var="${1}_PORT"
	shift 2
	if [ -n "$user" ]; then
		IMAPCTL_PASSWORD=${TB_PASS[$user]} tb_imapctl \
			--port "${!port_var}" --ca "$TB_CA" --user "$user" "$@"
	else
		tb_imapctl --port "${!port_var}" --ca "$TB_CA" "$@"
	fi
}

# Authenticate with imtest (Cyrus SASL) using mechanism $3 as $2.
imtest_auth() {
	local srv=$1 user=$2 mech=$3 port_var="${1}_PORT" logout
	logout=$TB_ROOT/logout.txt
	printf 'L01 LOGOUT\r\n' >"$logout"
	timeout 20 "$IMTEST" -t "" -m "$mech" -a "$user" -w "${TB_PASS[$user]}" \
		-p "${!port_var}" -f "$logout" 127.0.0.1 2>&1 </dev/null
}

server_checks() {
	local srv=$1 name=${1,,} out rc m cap t0 t1 port_var

	out=$(tb_imapctl --port "$(eval echo "\$${srv}_PORT")" --tls none caps)
	like "$out" '^STARTTLS$' "$name: STARTTLS is offered on the IMAP port"

	out=$(ctl "$srv" "" caps)
	for m in PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256; do
		like "$out" "^AUTH=$m\$" "$name: AUTH=$m is offered after STARTTLS"
	done

	out=$(ctl "$srv" alice caps)
	for cap in ACL QUOTA UIDPLUS MOVE IDLE; do
		like "$out" "^$cap\$" "$name: $cap is advertised after login"
	done

	port_var="${srv}_IMAPS_PORT"
	out=$(IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --tls imaps \
		--port "${!port_var}" --ca "$TB_CA" --user alice caps)
	like "$out" '^UIDPLUS$' "$name: IMAPS with the run's CA logs in"
	out=$(tb_imapctl --tls imaps --port "${!port_var}" caps 2>&1); rc=$?
	[ "$rc" -ne 0 ]; ok $? "$name: IMAPS without the CA is refused"
	like "$out" 'CERTIFICATE_VERIFY_FAILED' "$name: ... for the certificate"

	t0=$(date +%s%N)
	out=$(IMAPCTL_PASSWORD=wrong-password tb_imapctl \
		--port "$(eval echo "\$${srv}_PORT")" --ca "$TB_CA" \
		--user alice caps 2>&1); rc=$?
	t1=$(date +%s%N)
	is "$rc" 1 "$name: a wrong password is refused"
	diag "wrong password answered in $(( (t1 - t0) / 1000000 )) ms"

	for m in PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256; do
		out=$(imtest_auth "$srv" bob "$m")
		like "$out" 'Authenticated\.' "$name: SASL $m authenticates (imtest)"
	done
}

# A server that cannot start must fail the test (Bail out!, exit 99), never
# skip it: run tb_start_<server> with a config error in a subshell.
start_failure_checks() {
	local srv=$1 extra=$2 out rc
	# A ( ) subshell does not inherit the EXIT trap: set one.
	out=$( (trap tb_stop_pids EXIT
		tb_start_"$srv" --name broken_"$srv" --extra-conf "$extra") 2>&1 )
	rc=$?
	is "$rc" 99 "$srv: a server that does not start fails the test"
	like "$out" '^Bail out!' "$srv: ... with a Bail out! line"
	out=$(pgrep -f "$TB_ROOT/broken_$srv" || true)
	is "$out" "" "$srv: ... and leaves no process behind"
}

# Everything an instance started is gone after the EXIT trap.
stop_checks() {
	local srv=$1 pids out
	pids=$(
		tb_init >/dev/null
		tb_start_"$srv" --name stopme >/dev/null
		pgrep -d ' ' -u "$(tb_server_user)" -f "$TB_ROOT/stopme" || true
		printf '|%s' "$TB_ROOT"
	)
	like "${pids%%|*}" '[0-9]' "$srv: the instance had processes"
	out=$(ps -o pid= -p "${pids%%|*}" 2>/dev/null | tr -d ' \n')
	is "$out" "" "$srv: no process of it is left after the trap"
	[ ! -e "${pids##*|}" ]; ok $? "$srv: its folder is removed"
}

# What tb_seed loaded is on the server, as the manifest says, and the
# server-side features (proxy authorization, ACL, quota) act on it.
seed_checks() {
	local srv=$1 name=${1,,} entw=$2 japan=$3 projekte=$4 out want uid
	tb_seed "$srv" >/dev/null

	out=$(ctl "$srv" alice raw LIST '""' '"*"')
	like "$out" "[ \"]$entw\"?\$" "$name: LIST shows Entwürfe as $entw"
	like "$out" "[ \"]$japan\"?\$" "$name: LIST shows 日本語 as $japan"

	want=$(tb_manifest '[f["messages"] for f in m["accounts"]["alice"]["folders"] if f["path"] == ["INBOX"]][0]')
	out=$(ctl "$srv" alice select INBOX DELETED)
	like "$out" "^exists $want\$" "$name: alice's INBOX holds the $want generated messages"
	like "$out" '^search [0-9]+ [0-9]+ [0-9]+$' "$name: ... three of them \\Deleted"

	out=$(IMAPCTL_PASSWORD=${TB_PASS[admin]} tb_imapctl \
		--port "$(eval echo "\$${srv}_PORT")" --ca "$TB_CA" \
		--user admin --authzid alice select INBOX)
	like "$out" "^exists $want\$" "$name: admin acting as alice (authzid) lands in alice's INBOX"

	want=$(tb_manifest '[x["size"] for x in m["accounts"]["alice"]["messages"] if x["key"] == "big-20mb"][0]')
	out=$(ctl "$srv" alice select INBOX LARGER 15000000)
	uid=${out##*search }
	out=$(ctl "$srv" alice fetch INBOX "$uid" RFC822.SIZE)
	like "$out" "RFC822.SIZE $want\)" "$name: the 20 MB message is exactly $want bytes"

	out=$(ctl "$srv" alice raw GETACL "$projekte")
	like "$out" "[ \"]bob\"? \"?lr\"?( |\$)" "$name: bob has rights lr on Projekte"

	out=$(ctl "$srv" alice raw GETQUOTAROOT INBOX)
	like "$out" 'STORAGE [1-9][0-9]* 1048576 MESSAGE [1-9][0-9]* 50000' \
		"$name: alice's quota is 1 GiB and 50000 messages, partly used"
}

tb_start_dovecot
server_checks DOVECOT
seed_checks DOVECOT 'Entw&APw-rfe' '&ZeVnLIqe-' Projekte
tb_start_cyrus
server_checks CYRUS
seed_checks CYRUS 'INBOX.Entw&APw-rfe' 'INBOX.&ZeVnLIqe-' INBOX.Projekte

start_failure_checks dovecot 'no_such_setting_xyz = 1'
start_failure_checks cyrus 'partition-default: /nonexistent/imapwb/partition'
stop_checks dovecot
stop_checks cyrus

done_testing
