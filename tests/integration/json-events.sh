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
	like "$out" '^\{"event":"expunge","seq":1,"tag":"a003","origin":"typed"\}$' \
		"$name: UID EXPUNGE 1 gives the expunge event for seq 1, answering a003"
	like "$out" '^\{"event":"search","uid":true,"ids":\[2\],"tag":"a004","origin":"typed"\}$' \
		"$name: UID SEARCH ALL finds only UID 2 left"
	like "$out" '^\{"event":"search","uid":false,"tag":"a005","min":1,"max":1,"count":1,"all":"1","origin":"typed"\}$' \
		"$name: ESEARCH MIN MAX COUNT ALL, tag once: the command it answers"
	like "$out" '^\{"event":"sort","uid":true,"ids":\[2\],"tag":"a006","origin":"typed"\}$' "$name: UID SORT"
	like "$out" "^\\{\"event\":\"namespace\",\"personal\":\\[\\{\"prefix\":\"$prefix\",\"delimiter\":\"$delim\"\\}\\]" \
		"$name: NAMESPACE personal is \"$prefix\" with \"$delim\""
	like "$out" '^\{"event":"id","fields":\{"name":"(Dovecot|Cyrus IMAPD)"' "$name: ID names the server"
}

# Wait up to 10 s for a line matching ERE $1 in file $2.
wait_file() {
	local n
	for n in $(seq 100); do
		grep -qE "$1" "$2" && return 0
		sleep 0.1
	done
	return 1
}

# Which command each event answers: a typed "a001 LIST" gives list events
# with "tag":"a001"; an EXISTS the server sends during a typed IDLE
# because another client (imapctl) appended a message answers nothing:
# "tag":null. The plain console reads a fifo, so the append happens while
# the IDLE runs.
answers_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT" pid lists
	local out=$TB_ROOT/answers-$name err=$TB_ROOT/answers-err-$name
	local fifo=$TB_ROOT/answers-in-$name
	mkfifo "$fifo"
	"$IMAPWB" --plain --json -p "${!port_var}" --cafile "$TB_CA" -a alice \
		--password-file "$(tb_password_file alice)" 127.0.0.1 \
		<"$fifo" >"$out" 2>"$err" &
	pid=$!
	exec 7>"$fifo"
	printf '%s\n' 'a001 LIST "" *' 'SELECT INBOX' 'IDLE' >&7
	wait_file '^S: \+ idling' "$err"
	like "$(cat "$err")" $'\nS: \\+ idling' "$name: the typed IDLE runs"
	lists=$(grep '"event":"list"' "$out")
	like "$lists" '"tag":"a001","origin":"typed"\}$' "$name: a typed a001 LIST: its list events carry tag a001"
	unlike "$lists" '"tag":"(null|[^a]|a00[^1])' "$name: ... every one of them"
	like "$(cat "$out")" '^\{"event":"exists","count":[0-9]+,"tag":"a002","origin":"typed"\}$' \
		"$name: SELECT's EXISTS answers a002"
	printf 'Subject: unasked\r\n\r\nhello\r\n' >"$TB_ROOT/answers.eml"
	tb_alice "$srv" append INBOX "$TB_ROOT/answers.eml" >/dev/null
	wait_file '"event":"exists".*"tag":null' "$out"
	like "$(cat "$out")" '^\{"event":"exists","count":[0-9]+,"tag":null,"origin":null\}$' \
		"$name: an EXISTS during IDLE (another client appended) answers nothing: tag null"
	printf '%s\n' DONE LOGOUT >&7
	exec 7>&-
	wait "$pid"
	is "$?" 0 "$name: the plain console exits 0"
	like "$(cat "$out")" '^\{"event":"tagged","tag":"a003","command":"IDLE","status":"OK"' \
		"$name: DONE ends the IDLE a003"
}

tb_start_dovecot
json_test DOVECOT Projekte
relay_can_fail
more_events_test DOVECOT Archiv '' /
answers_test DOVECOT
tb_start_cyrus
json_test CYRUS INBOX.Projekte
more_events_test CYRUS INBOX.Archiv 'INBOX\.' '\.' 
answers_test CYRUS

done_testing
