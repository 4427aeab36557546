#!/usr/bin/env bash
# The TUI's Large view on a real terminal (tmux), against Dovecot and
# Cyrus: M-8 scans every mailbox (job-largest) and ranks the messages
# across folders as the corpus manifest does; Space marks the largest,
# Del deletes it after a confirmation that lists the exact commands (UID
# STORE, UID EXPUNGE), the wire (--transcript) has UID EXPUNGE of that
# UID and never a plain EXPUNGE or CLOSE, the server (checked with the
# independent client) no longer holds it but still holds another message
# of the same mailbox, and the row leaves the list; on Dovecot Alt-m moves
# the next one to \Trash and Alt-s saves one; Enter shows the part tree;
# 80x24 and 40x12 hold.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
IMAPWB=$(readlink -f "$IMAPWB")
CHECK=$top/tests/integration/jobs-check.py

command -v tmux >/dev/null || skip_all "tmux is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-large-$$"
W=$TB_ROOT/tui-large
mkdir -p "$W"



exists() {
	local out
	out=$(tb_alice "$1" select "$2")
	out=${out#exists }
	printf '%s' "${out%% *}"
}

expect() { "$TB_PYTHON" "$CHECK" "$TB_CORPUS" "$NAMES" "$@"; }


large_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT" trash=$2
	local names_var="${1}_NAMES" top3 box uid size box2 uid2 size2
	local other trans before box3 uid3 size3 saved
	tb_seed "$srv" >/dev/null
	NAMES=${!names_var}
	top3=$(expect top 3)
	IFS='|' read -r box uid size <<<"$(sed -n 1p <<<"$top3")"
	IFS='|' read -r box2 uid2 size2 <<<"$(sed -n 2p <<<"$top3")"
	IFS='|' read -r box3 uid3 size3 <<<"$(sed -n 3p <<<"$top3")"
	# every check below compares with these: they must be there
	like "$box3|$uid3|$size3" '^[^|]+\|[0-9]+\|[0-9]+$' "$name: jobs-check.py names the three largest"
	trans=$W/$name.transcript
	rm -f "$trans"

	# in $W, where S saves by default
	tmx -f /dev/null new-session -d -s t -x 200 -y 45 -c "$W" \
		"$IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE --transcript $trans 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"

	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	tmx send-keys -t t M-8
	wait_screen 'Largest 20 across mailboxes' ; ok $? "$name: M-8 scans every mailbox and shows the ranked list"
	wait_screen "$(re "$box") UID $uid: $size bytes" ; ok $? "$name: the first row is the manifest's largest: $box UID $uid, $size bytes"
	wait_screen "│\\s+[0-9.]+[KM]? [^│]*$(re "$box") +$uid " ; ok $? "$name: ... its row shows the mailbox and UID"

	# Enter: the part tree kept from the scan
	tmx send-keys -t t Enter
	wait_screen "$(re "$box") UID $uid: $size bytes" ; ok $? "$name: Enter opens the part tree"
	wait_screen '│ *(- multipart|1 )' ; ok $? "$name: ... with the parts"
	tmx send-keys -t t q
	wait_screen 'Largest 20 across mailboxes' ; ok $? "$name: q goes back"

	# Space marks the first row, Del deletes it
	other=$(tb_uids_where "$srv" "$box" NOT UID "$uid" | cut -d' ' -f1)
	tmx send-keys -t t Space
	wait_screen 'Largest 20 across mailboxes, 1 marked' ; ok $? "$name: Space marks the row"
	tmx send-keys -t t DC
	wait_screen "On y: UID STORE $uid .*\\+FLAGS\\.SILENT \\(\\\\Deleted\\)" ; ok $? "$name: Del asks, listing UID STORE $uid"
	wait_screen " UID EXPUNGE $uid( |│|$)" ; ok $? "$name: ... and UID EXPUNGE $uid"
	wait_screen "Sent: (SELECT|EXAMINE) " ; ok $? "$name: ... and what it sent to check (SELECT)"
	wait_screen "UNSELECT" ; ok $? "$name: ... and UNSELECT"
	tmx send-keys -t t y
	wait_screen "$(re "$box"): ok: 1 message expunged" ; ok $? "$name: y deletes; the view says so"
	wait_screen 'Largest 19 across mailboxes' ; ok $? "$name: ... the row is gone from the list"
	wait_gone "│\\s+[0-9.]+[KM]? [^│]*$(re "$box") +$uid " ; ok $? "$name: ... no row shows $box UID $uid"
	is "$(tb_uids_where "$srv" "$box" UID "$uid")" "" "$name: the server no longer holds $box UID $uid"
	is "$(tb_uids_where "$srv" "$box" UID "$other")" "$other" "$name: ... but still holds UID $other of $box"
	grep -Eq "C \\[large\\]: [a-z]+[0-9]+ UID EXPUNGE $uid\$" "$trans" ; ok $? "$name: the transcript has UID EXPUNGE $uid, on the jobs' connection"
	grep -Eq 'C( \[large\])?: [a-z]+[0-9]+ (EXPUNGE|CLOSE)( |$)' "$trans" ; ok $((!$?)) "$name: ... and no plain EXPUNGE or CLOSE on either connection"

	if [ -n "$trash" ]; then
		# Alt-m: the (new) first row, box2 UID uid2, to \Trash
		before=$(exists "$srv" "$trash")
		tmx send-keys -t t Home
		wait_screen "$(re "$box2") UID $uid2: $size2 bytes" ; ok $? "$name: Home: the next largest, $box2 UID $uid2"
		tmx send-keys -t t M-m
		wait_screen "On y: UID MOVE $uid2 " ; ok $? "$name: Alt-m asks, listing UID MOVE $uid2"
		tmx send-keys -t t y
		wait_screen "$(re "$box2"): ok: 1 message moved to Trash" ; ok $? "$name: y moves it; the view says so"
		wait_screen 'Largest 18 across mailboxes' ; ok $? "$name: ... the row is gone"
		is "$(tb_uids_where "$srv" "$box2" UID "$uid2")" "" "$name: the server no longer holds $box2 UID $uid2"
		is "$(exists "$srv" "$trash")" "$((before + 1))" "$name: ... $trash holds one more message"
		grep -Eq "C \\[large\\]: [a-z]+[0-9]+ UID MOVE $uid2 " "$trans" ; ok $? "$name: the transcript has UID MOVE $uid2, on the jobs' connection"

		# Alt-s saves the cursor's message (now $box3 UID $uid3)
		rm -f "$W"/message-*.eml
		tmx send-keys -t t Home M-s
		wait_screen "Save the message to:" ; ok $? "$name: Alt-s asks for a path"
		tmx send-keys -t t Enter
		wait_screen "saved: $size3 bytes" ; ok $? "$name: ... and saves $box3 UID $uid3: $size3 bytes"
		saved=$(ls "$W"/message-*-"$uid3".eml 2>/dev/null | head -1)
		is "$(stat -c %s "$saved" 2>/dev/null)" "$size3" "$name: ... the file holds $size3 bytes"
		grep -Eq "C \\[large\\]: [a-z]+[0-9]+ UID FETCH $uid3 \\(UID RFC822\\.SIZE BODY\\.PEEK\\[\\]\\)" "$trans" ; ok $? "$name: ... by UID FETCH $uid3 (UID RFC822.SIZE BODY.PEEK[]) on the jobs' connection"
	fi

	# small terminals: 80x24, then 40x12
	tmx resize-window -t t -x 80 -y 24
	wait_screen 'Largest 1[89]' ; ok $? "$name: at 80x24 the view still shows"
	tmx resize-window -t t -x 40 -y 12
	sleep 0.3
	tmx send-keys -t t End Enter
	sleep 0.3
	tmx send-keys -t t q Home
	tmx resize-window -t t -x 200 -y 45
	wait_screen 'Largest 1[89] across mailboxes' ; ok $? "$name: 40x12 and back: still running"

	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	tmx_stop
}

[ -x "$IMAPWB" ] || { echo "Bail out! no imapwb binary at $IMAPWB"; exit 99; }
tb_start_dovecot
large_test DOVECOT Trash
tb_start_cyrus
large_test CYRUS ""

done_testing
