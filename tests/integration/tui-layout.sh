#!/usr/bin/env bash
# The TUI's layout on a real terminal (tmux), against Dovecot and Cyrus:
# all eight tabs at 80x24 (a 39-column pane: numbers, the current one
# named) and at 160x40 ("8 Large" whole); the Messages view keeps Size at
# 80 columns; the Mailboxes view shows the hierarchy delimiter and every
# LIST attribute, the cursor's explained; * k sets a keyword ($Todo) with
# UID STORE, the flags column shows it and the server holds it (checked
# with the independent client); and a mailbox whose PERMANENTFLAGS lack
# \* refuses a new keyword with the reason on screen (the fake server:
# both real servers allow new keywords).
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
FAKE=$top/tests/fake/fakeserver.py

command -v tmux >/dev/null || skip_all "tmux is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-layout-$$"

# Screen line $1 (1-based).
screen_line() { screen | sed -n "${LINE}p"; }
# The views' pane of the first line: the tab bar.
tab_bar() { screen | sed -n 1p | sed 's/^[^│]*│//'; }

layout_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT" inbox uid flags parent

	tb_seed "$srv" >/dev/null
	# the first INBOX message's UID, from the server
	uid=$(tb_uids_where "$srv" INBOX ALL | cut -d' ' -f1)
	tmx -f /dev/null new-session -d -s t -x 80 -y 24 \
		"$IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Mailboxes \(' ; ok $? "$name: 80x24: the TUI comes up"
	is "$(tab_bar | sed 's/ *$//')" " 1 Mailboxes 2 3 4 5 6 7 8" \
		"$name: 80x24: all eight tabs, the current one named"
	tmx send-keys -t t Tab F4
	wait_for tab_bar '^ 1 2 ▶ 3 Messages 4 5 6 7 8 *$' ; ok $? "$name: 80x24: F4: the Messages tab is the current one, all eight shown"
	tmx send-keys -t t F9
	wait_for tab_bar '^ 1 2 3 4 5 6 7 ▶ 8 Large *$' ; ok $? "$name: 80x24: F9: 8 Large"
	tmx send-keys -t t Tab
	tmx send-keys -t t -l 'SELECT INBOX'
	tmx send-keys -t t Enter
	wait_screen '\| selected \| INBOX \[RW\]' ; ok $? "$name: SELECT INBOX"
	tmx send-keys -t t Tab F4
	wait_screen '│ *#▲ +UID +Flag +Subject +Size *$' ; ok $? "$name: 80x24: the Messages header has Size"
	wait_screen '│ *1 +[0-9]+ .* [0-9]+ *$' ; ok $? "$name: 80x24: ... and the rows their sizes"
	tmx_stop

	tmx -f /dev/null new-session -d -s t -x 160 -y 40 \
		"$IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Mailboxes \(' ; ok $? "$name: 160x40: the TUI comes up"
	is "$(tab_bar | sed 's/ *$//')" " 1 Mailboxes  2 Status  3 Messages  4 ACL  5 Quota  6 Caps  7 Conn  8 Large" \
		"$name: 160x40: all eight tabs, 8 Large whole"

	# the Mailboxes view: a parent's delimiter and attributes
	parent='Archiv'
	[ "$srv" = CYRUS ] && parent='INBOX'
	LINE=0
	wait_screen "│ S ${parent} \"[./]\" .*\\\\HasChildren" ; ok $? "$name: Mailboxes: $parent shows its delimiter and \\HasChildren"
	wait_screen '\\HasNoChildren' ; ok $? "$name: Mailboxes: ... and a leaf \\HasNoChildren"
	wait_screen ' \\Trash' ; ok $? "$name: Mailboxes: ... and special-use among them"
	tmx send-keys -t t Tab
	tmx send-keys -t t -l '/'
	tmx send-keys -t t -l "$parent"
	tmx send-keys -t t Enter
	wait_screen "\\\\HasChildren: the mailbox has( |\$)" ; ok $? "$name: Mailboxes: the cursor's \\HasChildren is explained"
	wait_screen 'levels are split by "[./]" \(the hierarchy delimiter\)' ; ok $? "$name: Mailboxes: ... and its delimiter"

	# * k: a keyword from the Messages view
	tmx send-keys -t t Tab
	tmx send-keys -t t -l 'SELECT INBOX'
	tmx send-keys -t t Enter
	wait_screen '\| selected \| INBOX \[RW\]' ; ok $? "$name: SELECT INBOX"
	tmx send-keys -t t Tab F4
	wait_screen 'sort: seq ascending' ; ok $? "$name: Messages: in sequence order"
	tmx send-keys -t t Home
	wait_screen "│ *1 +$uid " ; ok $? "$name: Messages: UID $uid is the first row"
	tmx send-keys -t t '*' k
	wait_screen "Set keyword on UID $uid" ; ok $? "$name: * k asks the keyword"
	answer '$Todo'
	wait_screen "C: [a-z]{3}[0-9]+ \\[messages\\] UID STORE $uid \\+FLAGS \\(\\\$Todo\\)" ; ok $? "$name: * k \$Todo sends UID STORE $uid +FLAGS (\$Todo)"
	wait_screen "│ *1 +$uid +[N ][F ][A ][D ] \\\$Todo " ; ok $? "$name: the flags column shows \$Todo"
	flags=$(tb_alice "$srv" fetch INBOX "$uid" FLAGS 2>&1)
	like "$flags" 'FLAGS \(.*\$Todo' "$name: the server holds \$Todo on UID $uid"
	tmx send-keys -t t '*' K
	wait_screen "Clear keyword on UID $uid" ; ok $? "$name: * K asks the keyword to clear"
	answer '$Todo'
	wait_screen "UID STORE $uid -FLAGS \\(\\\$Todo\\)" ; ok $? "$name: * K \$Todo sends -FLAGS"
	tmx send-keys -t t '*' k
	answer 'bad word'
	wait_screen 'not a keyword' ; ok $? "$name: a keyword with a space is refused"
	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	flags=$(tb_alice "$srv" fetch INBOX "$uid" FLAGS 2>&1)
	unlike "$flags" '\$Todo' "$name: the server no longer holds \$Todo"
	tmx_stop
}

# A server whose PERMANENTFLAGS lack \*: * k with a new keyword is
# refused on screen and no STORE goes out; one it names is sent.
fake_test() {
	local i
	: >"$TB_ROOT/port"
	"$TB_PYTHON" "$FAKE" --case "$top/tests/data/fake-tui/permanentflags-no-keywords.case" \
		--port-file "$TB_ROOT/port" --timeout 60 2>"$TB_ROOT/fake.err" &
	FAKE_PID=$!
	tb_register_pid "$FAKE_PID"
	for ((i = 0; i < 200; i++)); do
		[ -s "$TB_ROOT/port" ] && break
		sleep 0.025
	done
	tmx -f /dev/null new-session -d -s t -x 160 -y 40 \
		"$IMAPWB --plaintext -m login -a u -w x -p $(cat "$TB_ROOT/port") 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'INBOX' ; ok $? "fake: the TUI comes up"
	tmx send-keys -t t -l 'SELECT INBOX'
	tmx send-keys -t t Enter
	wait_screen 'OK \[READ-WRITE\]' ; ok $? "fake: SELECT INBOX"
	tmx send-keys -t t Tab F4
	wait_screen '│ *1 +5 ' ; ok $? "fake: Messages: UID 5"
	tmx send-keys -t t '*' k
	answer '$Todo'
	wait_screen '\$Todo not set: the server.s PERMANENTFLAGS lack \\\* and do not name it' ; ok $? "fake: a new keyword is refused, the reason on screen"
	tmx send-keys -t t '*' k
	answer '$Later'
	wait_screen 'UID STORE 5 \+FLAGS \(\$Later\)' ; ok $? "fake: a keyword PERMANENTFLAGS names is sent"
	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "fake: q logs out, exit 0"
	wait "$FAKE_PID"
	is "$?" 0 "fake: the client did what the case expects (no STORE of \$Todo)"
	[ -s "$TB_ROOT/fake.err" ] && diag "$(cat "$TB_ROOT/fake.err")"
	tmx_stop
}

fake_test
tb_start_dovecot
layout_test DOVECOT
tb_start_cyrus
layout_test CYRUS

done_testing
