#!/usr/bin/env bash
# The TUI's Messages view on a real terminal (tmux), against Dovecot and
# Cyrus: the INBOX index shows the manifest's subjects and sizes, the size
# sort puts the largest message first, Enter opens a message (decoded
# headers, the part tree with file names, the text part decoded from
# quoted-printable and ISO-8859-1), * f sets \Flagged on the server
# (checked with the independent client), and small terminals do not break
# it.
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
SOCK="imapwb-msgs-$$"

# Wait until screen line $1 (1-based) matches $2.
screen_line() { screen | sed -n "${LINE}p"; }
wait_line() { LINE=$1 wait_for screen_line "$2"; }

m() { tb_manifest "$1"; }

messages_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT" q3 q3size big bigsize
	local bigfile bigseq flags i
	tb_seed "$srv" >/dev/null
	# the INBOX facts the screen must show, from the manifest
	q3=$(m '[x for x in m["accounts"]["alice"]["messages"] if x["key"] == "attach-pdf"][0]["subject"]')
	q3size=$(m '[x for x in m["accounts"]["alice"]["messages"] if x["key"] == "attach-pdf"][0]["size"]')
	big=$(m 'max((x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["INBOX"]), key=lambda x: x["size"])["subject"]')
	bigfile=$(m '[p["filename"] for p in max((x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["INBOX"]), key=lambda x: x["size"])["parts"] if p["filename"]][0]')
	bigseq=$(m 'max((x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["INBOX"]), key=lambda x: x["size"])["seq"]')

	tmx -f /dev/null new-session -d -s t -x 120 -y 40 \
		"$IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"

	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	tmx send-keys -t t 'SELECT INBOX' Enter
	wait_screen 'OK \[READ-WRITE\]' ; ok $? "$name: SELECT INBOX from the console"
	tmx send-keys -t t Tab F4
	wait_screen 'INBOX  22 msgs  sort: seq ascending' ; ok $? "$name: the Messages view shows INBOX"
	wait_screen "$q3 +[ .A-Za-z@-]*$q3size\$" ; ok $? "$name: '$q3' with its size $q3size"
	wait_screen '│ *2 +2 .*Grüße aus München +483$' ; ok $? "$name: a UTF-8 subject and its size"
	wait_screen ' 590$' ; ok $? "$name: ... and another size (590)"
	# 22 messages: the last row has its subject too (every chunk came)
	wait_screen '^.*│ *22 +22 ' ; ok $? "$name: the 22nd message is listed"

	tmx send-keys -t t 7
	wait_screen 'sort: size descending' ; ok $? "$name: 7 sorts by size, descending"
	wait_line 4 "│ *$bigseq +$bigseq +N +.*$big" ; ok $? "$name: the largest message ($big) is the first row"

	tmx send-keys -t t Enter
	wait_screen "Subject: +$big" ; ok $? "$name: Enter opens it: the subject"
	wait_screen "│ *2 audio/mpeg \"$bigfile\" 19\\.1M base64" ; ok $? "$name: the part tree names $bigfile"
	wait_screen 'Text of part 1 \(us-ascii, 7bit\)' ; ok $? "$name: the text part is fetched"

	tmx send-keys -t t '*' f
	wait_screen "C: [a-z]{3}[0-9]+ \\[messages\\] UID STORE $bigseq \\+FLAGS \\(\\\\Flagged\\)" ; ok $? "$name: * f sends STORE, folded in the console with its origin"
	tmx send-keys -t t M-f
	wait_screen "^ +S: \\* $bigseq FETCH \\(.*FLAGS \\(.*\\\\Flagged" ; ok $? "$name: Alt-f shows it in full: the server answers with FLAGS"
	tmx send-keys -t t M-f
	wait_gone "^ +S: \\* $bigseq FETCH \\(" ; ok $? "$name: Alt-f folds it again"
	flags=$(tb_imapctl --port "${!port_var}" --ca "$TB_CA" --user alice \
		--password "${TB_PASS[alice]}" fetch INBOX "$bigseq" FLAGS 2>&1)
	like "$flags" '\\Flagged' "$name: the server holds \\Flagged on UID $bigseq"
	tmx send-keys -t t q
	wait_line 4 "│ *$bigseq +$bigseq +NF +.*$big" ; ok $? "$name: q goes back; the row shows NF"
	tmx send-keys -t t '*' F
	wait_line 4 "│ *$bigseq +$bigseq +N +.*$big" ; ok $? "$name: * F clears it again"

	# sequence order, the third message: quoted-printable ISO-8859-1
	tmx send-keys -t t 1 Down Down Enter
	wait_screen 'Subject: +Réunion du comité: ordre du jour' ; ok $? "$name: an RFC 2047 subject, decoded"
	wait_screen 'La réunion du comité aura lieu à 14h00' ; ok $? "$name: the QP ISO-8859-1 text, decoded"
	wait_screen '^.*│À bientôt,' ; ok $? "$name: ... all of it"
	tmx send-keys -t t Escape
	wait_screen 'sort: seq ascending' ; ok $? "$name: Esc goes back to the list"

	# / searches subjects and senders
	tmx send-keys -t t / 'Budget' Enter Enter
	wait_screen 'Subject: +Budget review' ; ok $? "$name: / finds a subject, Enter opens it"
	tmx send-keys -t t BSpace

	# small terminals: 80x24 (a 39-column pane), then 40x12
	tmx resize-window -t t -x 80 -y 24
	wait_screen '│ *7 +7 .*Q3 report' ; ok $? "$name: at 80x24 the rows still show"
	tmx resize-window -t t -x 40 -y 12
	sleep 0.3
	tmx send-keys -t t End Enter
	sleep 0.3
	tmx send-keys -t t q Home
	tmx resize-window -t t -x 120 -y 40
	wait_screen 'sort: seq ascending' ; ok $? "$name: 40x12 and back: still running"

	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	tmx_stop
}

tb_start_dovecot
messages_test DOVECOT
tb_start_cyrus
messages_test CYRUS

done_testing
