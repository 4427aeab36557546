#!/usr/bin/env bash
# imapwb --tour (issue #11, item 8) on a real terminal (tmux), from the
# first step to the last, against Dovecot and Cyrus.
#
# At each step: its title shows in the tour's band, its command is
# pre-typed on the input line, Enter sends it (IDLE: then DONE), and the
# tour goes on by itself; a step with nothing to send goes on with
# Alt-n. The independent client (imapctl.py) checks on the server that
# the STORE, COPY, MOVE, UID STORE and UID EXPUNGE did what their steps
# say and nothing else: INBOX keeps its UIDs and every flag but the
# STORE's \Flagged, no mailbox but the tour's own is made, and the last
# steps delete those. A NO is said in the band, Alt-p goes back, the
# tour ends on its "Done" step and q quits with exit 0. --tour refuses
# --plain, -f, --json and jobs (exit 2).
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

command -v tmux >/dev/null || skip_all "tmux is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-tour-$$"
W=$TB_ROOT/work
mkdir -p "$W"

keys() { tmx send-keys -t t "$@"; }
typed() { tmx send-keys -t t -l -- "$1"; }
console_input() { screen | sed -n 's/^\(imapwb> .*\)/\1/p' | sed 's/ *│.*//; s/ *$//' | tail -n 1; }
# The band's text, its wrapped rows joined.
band() { screen | sed -n 's/^[^│]*│//p' | tr -d '\n' | tr -s ' '; }
sent_lines() { grep -E '^[^ ]+ C: ' "$W/transcript" 2>/dev/null; }
re() { printf '%s' "$1" | sed 's/[][\.*^$()+?{}|/]/\\&/g'; }

ctl() {
	IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --port "$PORT" \
		--ca "$TB_CA" --user alice "$@"
}
# INBOX as "UID: flags" lines, the flags sorted; with $1, UID $1 gets
# \Flagged added (what the tour's STORE does).
inbox_flags() {
	ctl fetch INBOX 1:* "(UID FLAGS)" | "$TB_PYTHON" -c '
import re, sys
add = sys.argv[1] if len(sys.argv) > 1 else None
for line in sys.stdin:
    m = re.search(r"UID (\d+) FLAGS \(([^)]*)\)", line)
    if not m:
        continue
    flags = set(m.group(2).split()) - {"\\Recent"}
    if m.group(1) == add:
        flags.add("\\Flagged")
    print(m.group(1) + ": " + " ".join(sorted(flags)))' "$@"
}
mailboxes() { ctl raw LIST '""' '"*"' | sed -n 's/.*"[./]" //p' | tr -d '"' | sort; }
uids_in() { ctl select "$1" ALL | sed -n 's/^search *//p'; }
deleted_in() { ctl select "$1" DELETED | sed -n 's/^search *//p'; }

# The steps as the learner sees them: title, then the pre-typed command
# ("-" for none). %T and %M are the tour's mailboxes.
STEPS=(
	'Welcome: the client has logged in' -
	'What can this server do\?' 'CAPABILITY'
	'Your mailboxes' 'LIST "" "*"'
	'Counting without opening' 'STATUS INBOX (MESSAGES UNSEEN UIDNEXT UIDVALIDITY)'
	'Opening a mailbox read-only' 'EXAMINE INBOX'
	'Opening it read-write' 'SELECT INBOX'
	'Flags and envelopes' 'FETCH 1:5 (FLAGS ENVELOPE)'
	'One header field' 'FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])'
	'The text of a message' 'FETCH 1 (BODY.PEEK[TEXT])'
	'Setting a flag' 'STORE 1 +FLAGS (\Flagged)'
	'Searching' 'SEARCH UNSEEN'
	"A mailbox of the tour's own" 'CREATE %T'
	'And one inside it' 'CREATE %M'
	'Copying messages' 'COPY 1:3 %T'
	"Working in the tour's mailbox" 'SELECT %T'
	'Moving a message' 'MOVE 3 %M'
	'Marking a message \\Deleted' 'UID STORE 2 +FLAGS (\Deleted)'
	'Expunging only what you flagged' 'UID EXPUNGE 2'
	'Waiting for news' 'IDLE'
	'Subscribing' 'SUBSCRIBE %T'
	'The subscribed names' 'LSUB "" "*"'
	'Unsubscribing' 'UNSUBSCRIBE %T'
	'How much room is left' 'GETQUOTAROOT INBOX'
	'Who may do what' 'GETACL INBOX'
	'Your own rights' 'MYRIGHTS INBOX'
	'Leaving the mailbox' 'UNSELECT'
	'Cleaning up' 'DELETE %M'
	"And the tour's mailbox" 'DELETE %T'
	'Done' -
)
STEP_COUNT=$((${#STEPS[@]} / 2))

# What the server should hold after the step whose command is $1.
after_step() {
	case $1 in
	'STORE 1 +FLAGS (\Flagged)')
		like "$(ctl fetch INBOX "$UID1" FLAGS)" '\\Flagged' "$NAME: STORE: INBOX's UID $UID1 is \\Flagged on the server"
		;;
	"COPY 1:3 $TOUR")
		is "$(uids_in "$TOUR")" "1 2 3" "$NAME: COPY: $TOUR holds three messages, UIDs 1 2 3"
		;;
	"MOVE 3 $MOVED")
		is "$(uids_in "$TOUR")" "1 2" "$NAME: MOVE: $TOUR keeps UIDs 1 2"
		is "$(uids_in "$MOVED")" "1" "$NAME: MOVE: ... and $MOVED holds the third"
		;;
	'UID STORE 2 +FLAGS (\Deleted)')
		is "$(deleted_in "$TOUR")" 2 "$NAME: UID STORE: UID 2 in $TOUR is \\Deleted, no other"
		is "$(deleted_in INBOX)" "$DELETED_BEFORE" "$NAME: ... and in INBOX the same ones as before (UIDs $DELETED_BEFORE)"
		;;
	'UID EXPUNGE 2')
		is "$(uids_in "$TOUR")" "1" "$NAME: UID EXPUNGE: only UID 2 is gone from $TOUR"
		;;
	"DELETE $MOVED")
		unlike "$(mailboxes)" "^$(re "$MOVED")\$" "$NAME: DELETE: $MOVED is gone"
		;;
	"DELETE $TOUR")
		is "$(mailboxes)" "$BOXES_BEFORE" "$NAME: DELETE: $TOUR is gone; the mailboxes are as before"
		;;
	esac
}

# Send the step's pre-typed command and wait until the tour shows step
# $2 (the next).
send_step() {
	local cmd=$1 next=$2
	keys Enter
	if [ "$cmd" = IDLE ]; then
		wait_screen '^S: \+ ' ; ok $? "$NAME: IDLE: the server's + shows"
		typed DONE
		keys Enter
	fi
	wait_screen "Tour $next/$STEP_COUNT: "
}

tour_test() {
	local srv=$1 i title cmd n
	NAME=${srv,,}
	local port_var="${srv}_PORT"
	PORT=${!port_var}
	PREFIX=$2
	TOUR=${PREFIX}Tour
	MOVED=${PREFIX}Tour$3Moved
	tb_seed "$srv" >/dev/null
	UID1=$(uids_in INBOX | cut -d' ' -f1)
	INBOX_BEFORE=$(inbox_flags "$UID1")
	DELETED_BEFORE=$(deleted_in INBOX)
	BOXES_BEFORE=$(mailboxes)
	rm -f "$W/transcript"
	tmx -f /dev/null new-session -d -s t -x 160 -y 45 \
		"$IMAPWB --tour -p $PORT --cafile $TB_CA -a alice --password-file $PWFILE --transcript $W/transcript 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Tour 1/' ; ok $? "$NAME: --tour opens the TUI on the tour's first step"

	for ((i = 0; i < STEP_COUNT; i++)); do
		n=$((i + 1))
		title=${STEPS[$((2 * i))]}
		cmd=${STEPS[$((2 * i + 1))]}
		cmd=${cmd//%T/$TOUR}
		cmd=${cmd//%M/$MOVED}
		wait_screen "Tour $n/$STEP_COUNT: $title" ; ok $? "$NAME: step $n: '$title' in the band"
		if [ "$cmd" = - ]; then
			is "$(console_input)" 'imapwb>' "$NAME: step $n: nothing pre-typed"
			[ "$n" -lt "$STEP_COUNT" ] || break
			keys M-n
			wait_screen "Tour $((n + 1))/$STEP_COUNT: "
			continue
		fi
		wait_for console_input "^imapwb> $(re "$cmd")\$" ; ok $? "$NAME: step $n: '$cmd' pre-typed on the input line"
		send_step "$cmd" $((n + 1))
		wait_for sent_lines " C: a[0-9]{3} $(re "$cmd")\$" ; ok $? "$NAME: step $n: ... and sent"
		like "$(band)" "Step $n ended OK" "$NAME: step $n: the band says it ended OK"
		after_step "$cmd"
	done
	wait_screen 'The tour is over' ; ok $? "$NAME: the last step says the tour is over"

	is "$(inbox_flags)" "$INBOX_BEFORE" \
		"$NAME: INBOX has its UIDs and flags as before, but the STORE's \\Flagged on UID $UID1"
	sent_lines | grep -Eq ' C: [^ ]+ EXPUNGE$' ; ok $((!$?)) "$NAME: no plain EXPUNGE was sent"

	# going back: Alt-p shows the step before with its command again
	keys M-p
	wait_screen "Tour $((STEP_COUNT - 1))/$STEP_COUNT: " ; ok $? "$NAME: Alt-p goes back a step"
	wait_for console_input "^imapwb> $(re "DELETE $TOUR")\$" ; ok $? "$NAME: ... its command pre-typed again"
	# a NO is said, and the tour goes on
	keys Enter
	wait_for band "Step $((STEP_COUNT - 1)) ended NO: the server refused it" ; ok $? "$NAME: DELETE of a mailbox that is gone: the band says NO"
	wait_screen "Tour $STEP_COUNT/$STEP_COUNT: Done" ; ok $? "$NAME: ... and goes on to the last step"

	keys M-1 q
	wait_screen '^EXIT=0' ; ok $? "$NAME: q quits, exit 0"
	tmx_stop
}

# --tour belongs to the full screen
for bad in --plain '-f /dev/null' --json '--largest 3'; do
	# shellcheck disable=SC2086
	err=$("$IMAPWB" --tour $bad -p 1 127.0.0.1 2>&1 </dev/null)
	is "$?" 2 "--tour $bad: usage error, exit 2"
	like "$err" 'tour runs in the full screen' "--tour $bad: ... saying why"
done

tb_start_dovecot
tour_test DOVECOT '' /
if [ "${TOUR_CYRUS:-1}" = 1 ]; then
	tb_start_cyrus
	tour_test CYRUS INBOX. .
fi

done_testing
