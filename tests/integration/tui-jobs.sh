#!/usr/bin/env bash
# The TUI's jobs run on a second connection and leave the user's session
# as they found it (tmux, against Dovecot and Cyrus):
#  a. With the Messages view opened once and INBOX SELECTed by hand, the
#     Large view scans every mailbox and deletes a message of another
#     mailbox; the status bar shows INBOX [RW] after each step; the same
#     with EXAMINE INBOX keeps [RO], and the user's NOOP hears the job's
#     EXPUNGE. The transcript: the user's connection has exactly the
#     SELECT and EXAMINE typed, and ENVELOPE fetches only while INBOX is
#     selected; the scan's SELECTs and the UID EXPUNGE are on the jobs'
#     connection ("C [large]: ").
#  b. The race: a SELECT of another mailbox typed while a delete's check is
#     in flight (one burst of keys) goes out before the check ends; the
#     confirmed delete expunges the marked message in its own mailbox,
#     nothing in the other mailbox changes (imapctl), and the user's
#     connection has the other mailbox selected.
#  c. The jobs' connection's server process (found by the connection's
#     port pair) is killed while a delete waits for its yes; the console
#     says so, the yes is refused with nothing sent (the message is still
#     there), the user's connection goes on, and the next scan opens a new
#     jobs' connection.
#  d. With -a admin -u alice -m PLAIN the jobs' connection acts as alice
#     too (its scan ranks alice's mail).
#  e. Without a password file the second connection prompts again, on the
#     lent terminal, saying why; a wrong password there leaves the Large
#     view saying why and the user's session as it was; the right one
#     scans. The password shows nowhere.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
IMAPWB=$(readlink -f "$IMAPWB")
CHECK=$top/tests/integration/jobs-check.py

command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v ss >/dev/null || skip_all "ss (iproute2) is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-jobs-$$"
W=$TB_ROOT/tui-jobs
mkdir -p "$W"



expect() { "$TB_PYTHON" "$CHECK" "$TB_CORPUS" "$NAMES" "$@"; }

# The server's name of manifest folder $1 ("Projekte", "INBOX.Projekte"),
# or with $2 "decoded", as imapwb shows it.
server_name() {
	"$TB_PYTHON" -c 'import json, sys
print(json.load(open(sys.argv[1]))["alice"]["folders"][sys.argv[2]][sys.argv[3]])' \
		"$NAMES" "$1" "${2:-name}"
}


status_bar() { screen | tail -n 1; }
trans_text() { cat "$trans" 2>/dev/null; }
noops_done() { trans_check replied "$trans" NOOP; }
prompts_shown() { screen | grep -c "(a second connection for the Large view's jobs):"; }
wait_status() { wait_for status_bar "$1"; }

# The local ports of this test's imapwb connections to server port $1.
imapwb_ports() {
	ss -tnpH state established "( dport = :$1 )" |
		awk '/"imapwb"/ { sub(/.*:/, "", $3); print $3 }' | sort -n
}

# The PIDs that hold the server's end of the connection from local port $2
# to server port $1.
server_pids() {
	ss -tnpH state established "( sport = :$1 and dport = :$2 )" |
		grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

# Transcript questions, answered from the file alone (python):
#   user-selects FILE N     the user's SELECT/EXAMINE/UNSELECT/CLOSE lines
#                           (of the first N lines), "VERB NAME;" each
#   envelopes FILE N        "GOOD BAD": the user's FETCHes of ENVELOPE
#                           while INBOX / another mailbox is selected
#   job-selects FILE        the jobs' connection's SELECT/EXAMINE names
#   race FILE BOX UID       "A B": line numbers of the user's SELECT BOX
#                           and of the end of the jobs' UID FETCH UID check
#   replied FILE VERB       how many of the user's VERB commands got OK
trans_check() {
	"$TB_PYTHON" - "$@" <<'EOF'
import re, sys

what, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8", errors="replace") as f:
    lines = [l.rstrip("\n") for l in f]
line_re = re.compile(r"^\S+ ([CS])( \[large\])?: (.*)$")

def parsed(limit=None):
    for i, l in enumerate(lines[:limit]):
        m = line_re.match(l)
        if m:
            yield i + 1, m.group(1), m.group(2) is not None, m.group(3)

def command(text):
    words = text.split(" ")
    if len(words) < 2:
        return None, []
    return words[1].upper(), words[2:]

if what == "user-selects":
    out = []
    for _, side, job, text in parsed(int(sys.argv[3])):
        verb, args = command(text)
        if side == "C" and not job and verb in (
                "SELECT", "EXAMINE", "UNSELECT", "CLOSE"):
            out.append(" ".join([verb] + args[:1]) + ";")
    print("".join(out))
elif what == "envelopes":
    good = bad = 0
    current = None
    for _, side, job, text in parsed(int(sys.argv[3])):
        verb, args = command(text)
        if side != "C" or job:
            continue
        if verb in ("SELECT", "EXAMINE"):
            current = args[0] if args else None
        elif verb in ("UNSELECT", "CLOSE"):
            current = None
        elif "FETCH" in text and "ENVELOPE" in text:
            if current == "INBOX":
                good += 1
            else:
                bad += 1
    print(good, bad)
elif what == "job-selects":
    for _, side, job, text in parsed():
        verb, args = command(text)
        if side == "C" and job and verb in ("SELECT", "EXAMINE"):
            print(args[0])
elif what == "replied":
    tags, count = {}, 0
    for _, side, job, text in parsed():
        if job:
            continue
        words = text.split(" ")
        if side == "C":
            tags[words[0]] = command(text)[0]
        elif words[1:2] == ["OK"] and tags.get(words[0]) == sys.argv[3]:
            count += 1
    print(count)
elif what == "race":
    box, uid = sys.argv[3], sys.argv[4]
    sel = done = tag = None
    for n, side, job, text in parsed():
        verb, args = command(text)
        if side == "C" and not job and verb == "SELECT" and args[:1] == [box]:
            sel = sel or n
        if side == "C" and job and text.split(" ")[1:5] == [
                "UID", "FETCH", uid, "(UID"]:
            tag = text.split(" ")[0]
        if side == "S" and job and tag and text.startswith(tag + " "):
            done = done or n
    print(sel, done)
EOF
}

jobs_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT" names_var="${1}_NAMES"
	local port trans top4 box uid size box2 uid2 size2 box3 uid3 size3
	local box4 uid4 size4
	local upto other other_shown other_before main_port job_port
	local job_pids main_pids first
	tb_seed "$srv" >/dev/null
	NAMES=${!names_var}
	port=${!port_var}
	top4=$(expect top 4)
	IFS='|' read -r box uid size <<<"$(sed -n 1p <<<"$top4")"
	IFS='|' read -r box2 uid2 size2 <<<"$(sed -n 2p <<<"$top4")"
	IFS='|' read -r box3 uid3 size3 <<<"$(sed -n 3p <<<"$top4")"
	IFS='|' read -r box4 uid4 size4 <<<"$(sed -n 4p <<<"$top4")"
	# every check below compares with these: they must be there
	like "$box4|$uid4|$size4" '^[^|]+\|[0-9]+\|[0-9]+$' "$name: jobs-check.py names the four largest"
	trans=$W/$name.transcript
	rm -f "$trans"

	tmx -f /dev/null new-session -d -s t -x 200 -y 45 -c "$W" \
		"$IMAPWB -p $port --cafile $TB_CA -a alice --password-file $PWFILE --transcript $trans 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	main_port=$(imapwb_ports "$port")
	is "$(wc -w <<<"$main_port")" 1 "$name: one connection before any job"

	# a. the user's INBOX, the Messages view opened once
	tmx send-keys -t t M-3
	wait_screen 'SELECT in the console' ; ok $? "$name: the Messages view is open, nothing selected"
	tmx send-keys -t t Tab 'SELECT INBOX' Enter
	wait_status '\| INBOX \[RW\] \|' ; ok $? "$name: typed SELECT INBOX: the status bar shows INBOX [RW]"
	tmx send-keys -t t M-3
	wait_for trans_text ' C: [a-z]+[0-9]+ FETCH .*ENVELOPE' ; ok $? "$name: the Messages view fetches INBOX's envelopes"
	tmx send-keys -t t M-8
	wait_screen 'the [0-9]+ largest messages' ; ok $? "$name: M-8 scans"
	wait_screen "$(re "$box") UID $uid: $size bytes" ; ok $? "$name: ... and ranks $box UID $uid first"
	wait_status '\| INBOX \[RW\] \| 0 in flight' ; ok $? "$name: after the scan the status bar shows INBOX [RW] again"
	is "$(imapwb_ports "$port" | wc -l)" 2 "$name: the scan ran on a second connection"
	# the second row, in another mailbox than the user's
	tmx send-keys -t t Down
	wait_screen "$(re "$box2") UID $uid2: $size2 bytes" ; ok $? "$name: Down: $box2 UID $uid2"
	tmx send-keys -t t DC
	wait_screen "On y: UID STORE $uid2 " ; ok $? "$name: Del asks"
	tmx send-keys -t t y
	wait_screen "$(re "$box2"): ok: 1 message expunged" ; ok $? "$name: y deletes $box2 UID $uid2"
	wait_status '\| INBOX \[RW\] \| 0 in flight' ; ok $? "$name: after the delete the status bar shows INBOX [RW] again"
	is "$(tb_uids_where "$srv" "$box2" UID "$uid2")" "" "$name: the server no longer holds $box2 UID $uid2"

	# a, read-only: EXAMINE is kept too
	tmx send-keys -t t Tab 'EXAMINE INBOX' Enter
	wait_status '\| INBOX \[RO\] \|' ; ok $? "$name: typed EXAMINE INBOX: INBOX [RO]"
	tmx send-keys -t t M-8 g
	wait_screen 'the [0-9]+ largest messages' ; ok $? "$name: g scans again"
	wait_status '\| INBOX \[RO\] \| 0 in flight' ; ok $? "$name: after the scan: INBOX [RO] again"
	tmx send-keys -t t Home Down
	wait_screen "$(re "$box3") UID $uid3: $size3 bytes" ; ok $? "$name: the second row is now $box3 UID $uid3"
	tmx send-keys -t t DC
	wait_screen "On y: UID STORE $uid3 " ; ok $? "$name: Del asks"
	tmx send-keys -t t y
	wait_screen "$(re "$box3"): ok: 1 message expunged" ; ok $? "$name: y deletes $box3 UID $uid3"
	wait_status '\| INBOX \[RO\] \| 0 in flight' ; ok $? "$name: after the delete: INBOX [RO] again"
	# the user's session hears the job's expunge as any second client would
	tmx send-keys -t t Tab 'NOOP' Enter
	wait_for trans_text '^[^ ]+ S: \* [0-9]+ EXPUNGE$' ; ok $? "$name: the user's NOOP hears the job's EXPUNGE"

	upto=$(wc -l <"$trans")
	is "$(trans_check user-selects "$trans" "$upto")" "SELECT INBOX;EXAMINE INBOX;" \
		"$name: the user's connection sent only the SELECT and EXAMINE typed"
	read -r good bad <<<"$(trans_check envelopes "$trans" "$upto")"
	[ "$good" -gt 0 ] && [ "$bad" -eq 0 ]
	ok $? "$name: the user's connection fetched ENVELOPE only while INBOX was selected ($good times; $bad elsewhere)"
	[ "$(trans_check job-selects "$trans" | grep -cvx INBOX)" -gt 0 ] ; ok $? "$name: the scan's SELECTs of other mailboxes are on the jobs' connection"
	grep -Eq "C \\[large\\]: [a-z]+[0-9]+ UID EXPUNGE $uid2\$" "$trans" ; ok $? "$name: ... and so is UID EXPUNGE $uid2"
	grep -Eq 'C( \[large\])?: [a-z]+[0-9]+ (EXPUNGE|CLOSE)( |$)' "$trans" ; ok $((!$?)) "$name: no plain EXPUNGE or CLOSE on either connection"

	# b. the race: D, then a typed SELECT of another mailbox, in one burst
	other=$(server_name Projekte)
	other_shown=$(server_name Projekte decoded)
	other_before=$(tb_uids_where "$srv" "$other" ALL)
	[ -n "$other_before" ] ; ok $? "$name: $other holds messages ($other_before)"
	tmx send-keys -t t M-8 g
	wait_screen 'the [0-9]+ largest messages' ; ok $? "$name: g scans again"
	tmx send-keys -t t Home
	wait_screen "$(re "$box") UID $uid: $size bytes" ; ok $? "$name: the first row is $box UID $uid"
	tmx send-keys -t t Space
	wait_screen ', 1 marked' ; ok $? "$name: Space marks it"
	# The jobs' server process is stopped, so the check cannot end before
	# the typed SELECT goes out unless the TUI waited for it.
	job_port=$(imapwb_ports "$port" | grep -vx "$main_port")
	job_pids=$(server_pids "$port" "$job_port")
	[ -n "$job_pids" ] ; ok $? "$name: the jobs' connection has server processes ($job_pids)"
	kill -STOP $job_pids
	tmx send-keys -t t DC Tab "SELECT $other" Enter
	wait_for trans_text " C: [a-z]+[0-9]+ SELECT $(re "$other")\$"
	ok $? "$name: the typed SELECT $other goes out while the jobs' server is stopped"
	kill -CONT $job_pids
	wait_screen "On y: UID STORE $uid " ; ok $? "$name: Del asks, with the typed SELECT sent meanwhile"
	read -r sel_line done_line <<<"$(trans_check race "$trans" "$other" "$uid")"
	[[ $sel_line =~ ^[0-9]+$ && $done_line =~ ^[0-9]+$ ]] &&
		[ "$sel_line" -lt "$done_line" ]
	ok $? "$name: the typed SELECT $other went out (line $sel_line) before the check ended (line $done_line)"
	tmx send-keys -t t y
	wait_screen "$(re "$box"): ok: 1 message expunged" ; ok $? "$name: y deletes $box UID $uid"
	is "$(tb_uids_where "$srv" "$box" UID "$uid")" "" "$name: the server no longer holds $box UID $uid"
	is "$(tb_uids_where "$srv" "$other" ALL)" "$other_before" "$name: $other holds the same UIDs as before"
	wait_status "\\| $(re "$other_shown") \\[RW\\] \\| 0 in flight" ; ok $? "$name: the user's connection has $other_shown selected"

	# c. the jobs' connection drops while a delete waits for its yes: the
	# yes is refused, nothing is sent; the next job opens a new connection
	tmx send-keys -t t M-8 Home
	wait_screen "$(re "$box4") UID $uid4: $size4 bytes" ; ok $? "$name: the first row is now $box4 UID $uid4"
	tmx send-keys -t t DC
	wait_screen "On y: UID STORE $uid4 " ; ok $? "$name: Del asks"
	job_port=$(imapwb_ports "$port" | grep -vx "$main_port")
	job_pids=$(server_pids "$port" "$job_port")
	main_pids=$(server_pids "$port" "$main_port")
	[ -n "$job_pids" ] && [ -z "$(comm -12 <(echo "$job_pids") <(echo "$main_pids"))" ]
	ok $? "$name: the jobs' connection has server processes of its own ($job_pids; the user's: $main_pids)"
	kill $job_pids
	wait_screen "\\[large\\] the jobs' connection ended" ; ok $? "$name: the console says the jobs' connection ended"
	tmx send-keys -t t y
	wait_screen "$(re "$box4"): refused: $(re "$box4") is no longer selected, so UID STORE was not sent" ; ok $? "$name: y is refused: the view says UID STORE was not sent"
	is "$(tb_uids_where "$srv" "$box4" UID "$uid4")" "$uid4" "$name: the server still holds $box4 UID $uid4"
	grep -Eq "C \\[large\\]: [a-z]+[0-9]+ UID STORE $uid4 " "$trans" ; ok $((!$?)) "$name: ... and no UID STORE $uid4 went out"
	# M-8 gives the view the focus, Tab the console
	tmx send-keys -t t M-8 Tab 'NOOP' Enter
	wait_for noops_done '^2$' ; ok $? "$name: the user's connection goes on"
	wait_status "\\| $(re "$other_shown") \\[RW\\] \\|" ; ok $? "$name: ... with $other_shown selected"
	first=$(grep -cE 'C \[large\]: [a-z]{3}1 ' "$trans")
	tmx send-keys -t t M-8 g
	wait_screen 'the [0-9]+ largest messages' ; ok $? "$name: g scans on a new connection"
	is "$(grep -cE 'C \[large\]: [a-z]{3}1 ' "$trans")" "$((first + 1))" "$name: ... opened for it (a second first tag)"
	is "$(grep -cE '[0-9] C: [a-z]{3}1 ' "$trans")" 1 "$name: the user's connection was never opened again"
	is "$(imapwb_ports "$port" | wc -l)" 2 "$name: two connections again"

	tmx send-keys -t t M-1 q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	tmx_stop
	is "$(imapwb_ports "$port" | wc -l)" 0 "$name: both connections are closed"

	# d. proxy authorization holds on the jobs' connection too: admin acts
	# as alice there, so the scan ranks alice's mail
	rm -f "$trans"
	tmx -f /dev/null new-session -d -s t -x 200 -y 45 -c "$W" \
		"$IMAPWB -p $port --cafile $TB_CA -a admin -u alice -m PLAIN --password-file $(tb_password_file admin) --transcript $trans 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Mailboxes' ; ok $? "$name: -a admin -u alice: the TUI comes up"
	tmx send-keys -t t M-8
	wait_screen "$(re "$box4") UID $uid4: $size4 bytes" ; ok $? "$name: ... the jobs' connection acts as alice too: $box4 UID $uid4 ranks first"
	is "$(grep -cE 'C \[large\]: [a-z]+[0-9]+ AUTHENTICATE PLAIN <redacted>$' "$trans")" 1 "$name: ... after AUTHENTICATE PLAIN, as -m says"
	tmx send-keys -t t M-1 q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	tmx_stop

	# e. the password typed at a prompt is asked again, and not kept
	local pw=${TB_PASS[alice]}
	rm -f "$trans"
	tmx -f /dev/null new-session -d -s t -x 200 -y 45 -c "$W" \
		"$IMAPWB -p $port --cafile $TB_CA -a alice --transcript $trans 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Password for alice@127\.0\.0\.1:' ; ok $? "$name: the first prompt"
	tmx send-keys -t t "$pw" Enter
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	tmx send-keys -t t M-8
	wait_screen "Password for alice@127\\.0\\.0\\.1 \\(a second connection for the Large view's jobs\\):" ; ok $? "$name: M-8 lends the terminal and asks again, saying why"
	tmx send-keys -t t "wrong-$pw" Enter
	wait_screen 'cannot open a second connection for the jobs: .*authentication failed' ; ok $? "$name: a wrong password: the Large view says why"
	wait_status '\| authenticated \| 0 in flight' ; ok $? "$name: ... and the user's session is as it was"
	tmx send-keys -t t g
	# the terminal's own screen still shows the first time: count
	wait_for prompts_shown '^2$' ; ok $? "$name: g asks again"
	tmx send-keys -t t "$pw" Enter
	wait_screen 'the [0-9]+ largest messages' ; ok $? "$name: the right password: the scan runs"
	screen | grep -qF -- "$pw" ; ok $((!$?)) "$name: the password is not on the screen"
	tmx send-keys -t t M-1 q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	grep -qF -- "$pw" "$trans" ; ok $((!$?)) "$name: the password is not in the transcript"
	tmx_stop
}

[ -x "$IMAPWB" ] || { echo "Bail out! no imapwb binary at $IMAPWB"; exit 99; }
tb_start_dovecot
jobs_test DOVECOT
tb_start_cyrus
jobs_test CYRUS

done_testing
