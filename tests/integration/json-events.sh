#!/usr/bin/env bash
# --json against both servers: the events carry exactly what the mail
# generator wrote (decoded names, subjects, senders, sizes, flags), and
# what the server holds (ACL, quota).
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init

json_test() {
	local srv=$1 name=${1,,} projekte=$2 port_var="${1}_PORT" names_var="${1}_NAMES"
	local out=$TB_ROOT/events-$name line
	tb_seed "$srv" >/dev/null
	printf '%s\n' 'LIST "" "*"' 'SELECT INBOX' \
		'FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)' \
		"GETACL $projekte" 'GETQUOTAROOT INBOX' 'UNSELECT' \
		'STATUS INBOX (MESSAGES UNSEEN)' >"$TB_ROOT/cmds"
	"$IMAPWB" --json -f "$TB_ROOT/cmds" -p "${!port_var}" --cafile "$TB_CA" \
		-a alice --password-file "$(tb_password_file alice)" 127.0.0.1 \
		>"$out" 2>"$TB_ROOT/err"
	is "$?" 0 "$name: --json batch exits 0"
	"$TB_PYTHON" -c 'import json, sys
[json.loads(l) for l in open(sys.argv[1])]' "$out"
	ok $? "$name: stdout is only JSON lines"
	like "$(cat "$TB_ROOT/err")" '^C: a[0-9]{3} LIST' \
		"$name: the transcript goes to stderr"
	relay_checker "$out" "${!names_var}" "$name"
}

# Run json-check.py on events file $1 (names $2, server $3) and relay its
# TAP lines; then one more check that it ran to its end: exit status 0
# and its closing "# json-check: N checks" naming as many as it relayed.
# A checker that dies half-way must fail the suite, not drop the rest.
relay_checker() {
	local line relayed=0 claimed="" rc
	local lines=$TB_ROOT/json-check.out
	"$TB_PYTHON" "$top/tests/integration/json-check.py" \
		"$TB_CORPUS/manifest.json" "$2" "$1" "$3" >"$lines" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok 0 "${line#ok * - }"; relayed=$((relayed + 1)) ;;
		"not ok "*) ok 1 "${line#not ok * - }"; relayed=$((relayed + 1)) ;;
		"# json-check: "*) claimed=${line#\# json-check: } ;;
		*) diag "${line#\# }" ;;
		esac
	done <"$lines"
	[ "$rc" -eq 0 ] && [ "$claimed" = "$relayed checks" ] && [ "$relayed" -gt 0 ]
	ok $? "$3: json-check ran to its end ($relayed checks, exit $rc)"
}

# The relay must be able to fail: events that make json-check.py die half
# way (a fetch event without an envelope) fail the closing check, in a
# TAP run of its own whose output is read here.
relay_can_fail() {
	local got
	printf '%s\n' '{"event":"capability","caps":[]}' '{"event":"tagged"}' \
		'{"event":"fetch","seq":1}' >"$TB_ROOT/broken-events"
	got=$(TAP_COUNT=0 TAP_FAILED=0; relay_checker "$TB_ROOT/broken-events" \
		"$DOVECOT_NAMES" selftest 2>&1)
	like "$got" 'not ok [0-9]+ - selftest: json-check ran to its end' \
		"a json-check that dies half-way fails the closing check"
}

# EXPUNGE, SEARCH/ESEARCH/SORT, NAMESPACE and ID events, after json_test
# (which seeded the server): UID EXPUNGE of exactly one message.
more_events_test() {
	local srv=$1 name=${1,,} archiv=$2 prefix=$3 delim=$4 port_var="${1}_PORT"
	local out
	printf '%s\n' "SELECT $archiv" 'UID STORE 1 +FLAGS.SILENT (\Deleted)' \
		'UID EXPUNGE 1' 'UID SEARCH ALL' 'SEARCH RETURN (MIN MAX COUNT ALL) ALL' \
		'UID SORT (REVERSE SIZE) UTF-8 ALL' 'NAMESPACE' 'ID NIL' >"$TB_ROOT/cmds"
	out=$("$IMAPWB" --json -f "$TB_ROOT/cmds" -p "${!port_var}" --cafile "$TB_CA" \
		-a alice --password-file "$(tb_password_file alice)" 127.0.0.1 2>/dev/null)
	is "$?" 0 "$name: the second --json batch exits 0"
	like "$out" '^\{"event":"expunge","seq":1\}$' "$name: UID EXPUNGE 1 gives the expunge event for seq 1"
	like "$out" '^\{"event":"search","uid":true,"ids":\[2\]\}$' \
		"$name: UID SEARCH ALL finds only UID 2 left"
	like "$out" '^\{"event":"search","uid":false,"tag":"a[0-9]{3}","min":1,"max":1,"count":1,"all":"1"\}$' \
		"$name: ESEARCH MIN MAX COUNT ALL"
	like "$out" '^\{"event":"sort","uid":true,"ids":\[2\]\}$' "$name: UID SORT"
	like "$out" "^\\{\"event\":\"namespace\",\"personal\":\\[\\{\"prefix\":\"$prefix\",\"delimiter\":\"$delim\"\\}\\]" \
		"$name: NAMESPACE personal is \"$prefix\" with \"$delim\""
	like "$out" '^\{"event":"id","fields":\{"name":"(Dovecot|Cyrus IMAPD)"' "$name: ID names the server"
}

tb_start_dovecot
json_test DOVECOT Projekte
relay_can_fail
more_events_test DOVECOT Archiv '' /
tb_start_cyrus
json_test CYRUS INBOX.Projekte
more_events_test CYRUS INBOX.Archiv 'INBOX\.' '\.' 

done_testing
