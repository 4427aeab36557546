#!/usr/bin/env bash
# Tab completion and history search on a real terminal (tmux), the same
# in --plain and the TUI (client-complete.h), against Dovecot and Cyrus:
# a command name (never a file name of the working folder), UID's
# commands, a mailbox LIST named, a keyword the selected mailbox's FLAGS
# names after STORE ... +FLAGS (, a FETCH item after FETCH n (; and
# Ctrl-R in the TUI draws readline's search prompt in the input row.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
IMAPWB=$(cd "$(dirname "$IMAPWB")" && pwd)/$(basename "$IMAPWB")

command -v tmux >/dev/null || skip_all "tmux is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-compl-$$"
# the file names readline offers when nothing else is said
WORK=$TB_ROOT/work
mkdir -p "$WORK"
: >"$WORK/SELECTED-FILE"
: >"$WORK/README"
: >"$WORK/UID-FEED"

# The last input line the plain console shows.
last_prompt() { screen | grep '^imapwb> ' | tail -n 1; }
# The TUI's input row: the line that starts with its prompt.
tui_input() { screen | grep -E 'imapwb> |reverse-i-search' | tail -n 1; }

# Type $1, Tab, and wait until the prompt line is $2 exactly.
tab_gives() {
	tmx send-keys -t t C-u
	tmx send-keys -t t -l -- "$1"
	tmx send-keys -t t Tab
	# (tmux drops the space readline adds after a whole word)
	wait_for last_prompt "^imapwb> $2 ?\$"
}

complete_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT"

	tb_seed "$srv" >/dev/null
	# a keyword in INBOX, so that its FLAGS names it
	tb_alice "$srv" store INBOX 1 +FLAGS '($Todo)' >/dev/null
	tmx -f /dev/null new-session -d -s t -x 120 -y 40 -c "$WORK" \
		"$IMAPWB --plain -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen '^imapwb>' ; ok $? "$name: the plain console comes up"

	tab_gives 'SEL' 'SELECT' ; ok $? "$name: --plain: SEL Tab gives SELECT"
	unlike "$(screen)" 'SELECTED-FILE' "$name: ... never the file SELECTED-FILE"
	tab_gives 'REA' 'REA' ; ok $? "$name: --plain: REA Tab gives nothing (no README)"
	unlike "$(screen)" 'README' "$name: ... the file README is never offered"
	tab_gives 'UID FE' 'UID FETCH' ; ok $? "$name: --plain: UID FE Tab gives UID FETCH"
	tab_gives 'a1 uid st' 'a1 uid STORE' ; ok $? "$name: --plain: after a tag too"
	tmx send-keys -t t C-u 'LIST "" *' Enter
	wait_screen '^S: a[0-9]+ OK ' ; ok $? "$name: LIST names the mailboxes"
	tab_gives 'SELECT IN' 'SELECT INBOX' ; ok $? "$name: --plain: SELECT IN Tab gives INBOX"
	tmx send-keys -t t Enter
	wait_screen '^S: a[0-9]+ OK \[READ-WRITE\]' ; ok $? "$name: SELECT INBOX"
	like "$(screen)" 'FLAGS \(.*\$Todo' "$name: the server's FLAGS name \$Todo"
	tab_gives 'UID STORE 1 +FLAGS ($To' 'UID STORE 1 \+FLAGS \(\$Todo' ; ok $? "$name: --plain: +FLAGS (\$To Tab gives the keyword \$Todo"
	tab_gives 'STORE 1 -FLAGS (\Fla' 'STORE 1 -FLAGS \(\\Flagged' ; ok $? "$name: --plain: a system flag"
	tab_gives 'UID FETCH 1 (RFC' 'UID FETCH 1 \(RFC822\.SIZE' ; ok $? "$name: --plain: UID FETCH 1 (RFC Tab gives RFC822.SIZE"
	tab_gives 'FETCH 1 (ENV' 'FETCH 1 \(ENVELOPE' ; ok $? "$name: --plain: FETCH 1 (ENV Tab gives ENVELOPE"
	tmx send-keys -t t C-u 'LOGOUT' Enter
	wait_screen '^EXIT=0' ; ok $? "$name: LOGOUT, exit 0"
	tmx_stop

	# the TUI: the same completion, and Ctrl-R's prompt
	tmx -f /dev/null new-session -d -s t -x 120 -y 40 -c "$WORK" \
		"$IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	tmx send-keys -t t -l 'SEL'
	tmx send-keys -t t Tab
	wait_for tui_input 'imapwb> SELECT +│' ; ok $? "$name: TUI: SEL Tab gives SELECT"
	tmx send-keys -t t C-u
	tmx send-keys -t t -l 'UID FE'
	tmx send-keys -t t Tab
	wait_for tui_input 'imapwb> UID FETCH +│' ; ok $? "$name: TUI: UID FE Tab gives UID FETCH"
	tmx send-keys -t t C-u 'NOOP' Enter
	wait_screen 'S: a[0-9]+ OK' ; ok $? "$name: TUI: NOOP"
	tmx send-keys -t t C-r
	tmx send-keys -t t -l 'NO'
	wait_for tui_input "\\(reverse-i-search\\)\`NO': NOOP" ; ok $? "$name: TUI: Ctrl-R NO shows (reverse-i-search)\`NO': NOOP"
	tmx send-keys -t t C-g
	wait_for tui_input 'imapwb> +│' ; ok $? "$name: TUI: Ctrl-G leaves the search, the prompt is back"
	# q from the views logs out
	tmx send-keys -t t C-u Tab q
	wait_screen '^EXIT=0' ; ok $? "$name: TUI: q, exit 0"
	tmx_stop
}

tb_start_dovecot
complete_test DOVECOT
tb_start_cyrus
complete_test CYRUS

done_testing
