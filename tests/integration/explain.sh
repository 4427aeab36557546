#!/usr/bin/env bash
# --explain against real Dovecot and Cyrus: a tutorial's session in a -f
# file (CAPABILITY, LIST, STATUS, EXAMINE, SELECT, FETCH of flags, the
# envelope, a header field and a 30 KB body, STORE, SEARCH UNSEEN, COPY,
# MOVE, UID EXPUNGE, SUBSCRIBE/LSUB, GETQUOTAROOT, GETACL, MYRIGHTS, IDLE
# and DONE, plus a COPY to a missing mailbox, a CREATE of an existing one
# and a misspelled command). Every command and every response is followed
# by a "# ... (RFC nnnn ...)" line; the named explanations are the right
# ones; the body's first lines are shown; secrets stay hidden.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
W=$TB_ROOT/work
mkdir -p "$W"

# "C:"/"S:" runs each followed at once by a "# " line naming an RFC:
# prints "ok COUNT", or the first run that is not, with its line number.
check_every_run_explained() {
	"$TB_PYTHON" - "$1" <<'EOF'
import re, sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
wire = re.compile(r"^[CS]: ")
cited = re.compile(r"^# .*\bRFC [0-9]{3,4}\b")
runs = 0
i = 0
while i < len(lines):
    if not wire.match(lines[i]):
        i += 1
        continue
    start = i
    while i < len(lines) and wire.match(lines[i]):
        i += 1
    runs += 1
    if i >= len(lines) or not cited.match(lines[i]):
        print("unexplained at line %d: %s" % (start + 1, lines[start][:120]))
        sys.exit(0)
print("ok", runs)
EOF
}

# A message with a 30 KB text body of numbered lines, first and last known.
make_body_message() {
	local i
	{
		printf 'From: Teacher <teacher@example.org>\r\n'
		printf 'To: alice@example.org\r\n'
		printf 'Subject: Lesson body\r\n'
		printf 'Date: Mon, 4 Dec 2023 10:00:00 +0000\r\n'
		printf 'Message-ID: <lesson-body@example.org>\r\n\r\n'
		printf 'FIRST LINE of the lesson body\r\n'
		for ((i = 1; i <= 500; i++)); do
			printf 'line %03d of the body, padded to about sixty bytes....\r\n' "$i"
		done
		printf 'LAST LINE of the lesson body\r\n'
	} >"$W/body.eml"
}

explain_test() {
	local srv=$1 name=${1,,} lesson=$2 missing=$3 port_var="${1}_PORT"
	local out uid rc
	local n
	tb_seed "$srv" >/dev/null
	make_body_message
	uid=$(tb_alice "$srv" append INBOX "$W/body.eml" |
		sed -n 's/.*APPENDUID [0-9]* \([0-9]*\).*/\1/p')
	[ -n "$uid" ] ; ok $? "$name: the 30 KB lesson message is in INBOX (UID $uid)"
	cat >"$W/tour" <<EOF
CAPABILITY
LIST "" "*"
STATUS INBOX (MESSAGES UNSEEN UIDNEXT)
EXAMINE INBOX
SELECT INBOX
FETCH 1 (FLAGS ENVELOPE)
FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]
UID FETCH $uid BODY.PEEK[TEXT]
STORE 1 +FLAGS (\\Flagged)
SEARCH UNSEEN
COPY 1 $missing
CREATE INBOX
. fecth 1 flags
CREATE $lesson
COPY 1:2 $lesson
SELECT $lesson
MOVE 2 INBOX
UID STORE 1 +FLAGS (\\Deleted)
UID EXPUNGE 1
SUBSCRIBE $lesson
LSUB "" "*"
UNSUBSCRIBE $lesson
GETQUOTAROOT INBOX
GETACL INBOX
MYRIGHTS INBOX
IDLE
DONE
UNSELECT
DELETE $lesson
EOF
	# --plain changes nothing with -f: the command a tutorial gives
	timeout 120 "$IMAPWB" --plain --explain -f "$W/tour" -p "${!port_var}" \
		--cafile "$TB_CA" -a alice \
		--password-file "$(tb_password_file alice)" 127.0.0.1 \
		>"$W/out" 2>"$W/err"
	rc=$?
	out=$(cat "$W/out")
	# the session has failures on purpose: $missing, CREATE INBOX
	is "$rc" 1 "$name: the tour ends with exit 1 (it has NO and BAD on purpose)"
	read -r verdict n < <(check_every_run_explained "$W/out")
	is "$verdict" ok "$name: every command and response is followed by a '# ... RFC nnnn' line ($verdict $n)"
	[ "${n:-0}" -gt 60 ] ; ok $? "$name: ... over the whole session ($n runs)"
	like "$out" '^# SELECT: .*\(RFC 9051 §6\.3\.2\)' "$name: SELECT is explained with RFC 9051 §6.3.2"
	like "$out" '^#   \[TRYCREATE\] .*\(RFC 9051 §7\.1\)' "$name: the COPY's [TRYCREATE] is explained"
	like "$out" '^# a[0-9]{3} NO: completes COPY after [0-9.]+ ms' "$name: ... and the NO names the command it completes, with its time"
	like "$out" '^# FECTH is not an IMAP command: did you mean FETCH\?' "$name: the misspelled command gets a 'did you mean FETCH?'"
	like "$out" '^#   ENVELOPE: .*RFC 9051' "$name: the FETCH items asked for are explained"
	like "$out" '^#   HEADER\.FIELDS: ' "$name: ... the section specifier too"
	like "$out" '^#   \\Flagged: ' "$name: the flag STORE sets is explained"
	like "$out" '^# \+: the server is idling .*type DONE to end IDLE' "$name: IDLE's '+' says to type DONE"
	like "$out" '^# DONE ends IDLE' "$name: ... and DONE is explained"
	like "$out" '^# UID EXPUNGE: .*\(RFC 4315 §2\.1\)' "$name: UID EXPUNGE cites RFC 4315"
	like "$out" '^# \* EXISTS: .*answers a[0-9]{3} (EXAMINE|SELECT)' "$name: EXISTS says which command it answers"
	like "$out" '^#   [a-z]: [a-z-]+: ' "$name: MYRIGHTS/GETACL rights are explained letter by letter"
	like "$out" '^S: FIRST LINE of the lesson body$' "$name: the body's first line is shown"
	grep -qF -- "${TB_PASS[alice]}" "$W/out" "$W/err" ; ok $((!$?)) "$name: the password is nowhere in the output"
	[ "$(grep -c '^# .*RFC [0-9]' "$W/out")" -gt 80 ]
	ok $? "$name: over 80 explanation lines name an RFC"
	like "$out" '^S: LAST LINE of the lesson body$' "$name: ... and its last (30 KB is under --show-literal's 64 KB)"
}

tb_start_dovecot
explain_test DOVECOT Lesson NoSuchMailbox
tb_start_cyrus
explain_test CYRUS INBOX.Lesson INBOX.NoSuchMailbox

done_testing
