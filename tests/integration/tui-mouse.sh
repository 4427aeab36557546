#!/usr/bin/env bash
# The mouse in the full screen (tmux), and colour by NO_COLOR: a click on
# a tab shows that view, a click on a pane focuses it, a click on a row
# puts the cursor there, the wheel scrolls the pane under the pointer;
# --no-mouse leaves the mouse to the terminal. An empty NO_COLOR keeps the
# colours (no-color.org), NO_COLOR=1 drops them. The mouse events are the
# bytes a terminal sends in the xterm mode imapwb asks for (1000, the
# X10 encoding tmux's TERM names: ESC [ M, then 32 + the button, 32 + the
# column, 32 + the row, both from 1), written to the pane as they are.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

command -v tmux >/dev/null || skip_all "tmux is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
PWFILE=$(tb_password_file alice)
SOCK="imapwb-mouse-$$"
S=t

# start_tui ENV... -- ARGS...: imapwb at 120x30 on Dovecot.
start_tui() {
	local env=()
	while [ "$1" != -- ]; do env+=("$1"); shift; done
	shift
	tmx -f /dev/null new-session -d -s t -x 120 -y 30 \
		"env LANG=C.UTF-8 ${env[*]} $IMAPWB $* -p $DOVECOT_PORT --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
}

# mouse BUTTON COL ROW: a click (0: press and release of the left
# button) or a notch of the wheel (64 up, 65 down, no release) at the
# screen cell COL, ROW (from 0), as the terminal sends it.
mouse() {
	tmx send-keys -t t -H 1b 5b 4d $(printf '%x %x %x' $((32 + $1)) \
		$((33 + $2)) $((33 + $3)))
	[ "$1" -eq 0 ] && tmx send-keys -t t -H 1b 5b 4d $(printf '%x %x %x' \
		35 $((33 + $2)) $((33 + $3)))
	return 0
}

# The screen column (from 0) where text $2 starts on screen row $1.
column_at() {
	screen | sed -n "$(($1 + 1))p" | "$TB_PYTHON" -c '
import sys
line = sys.stdin.read()
print(line.find(sys.argv[1]))' "$2"
}

# The screen row (from 0) of the first line matching ERE $1.
row_of() {
	screen | grep -nE -- "$1" | head -n 1 | cut -d: -f1 | awk '{ print $1 - 1 }'
}

# The view pane's line (right of the divider, under the tabs, over the
# status bar) that is drawn reversed: the list's cursor.
cursor_line() {
	tmx capture-pane -p -e -t t | sed '1d;$d' |
		grep -E $'\e\\[[0-9;]*7m[^│]*$' |
		sed $'s/\e\\[[0-9;]*m//g' | head -n 1
}

tb_start_dovecot
tb_seed DOVECOT >/dev/null

# --- the mouse on
start_tui --
wait_screen ' 1 Mailboxes ' ; ok $? "the TUI starts"
wait_screen 'Projekte' ; ok $? "the mailboxes are listed"
is "$(tmx display-message -p -t t '#{mouse_standard_flag}')" 1 \
	"imapwb asks the terminal for mouse clicks (xterm mode 1000)"

col=$(column_at 0 ' 3 Mes')
mouse 0 "$((col + 2))" 0
wait_screen '▶ 3 Messages' ; ok $? "a click on the tab '3 Messages' shows and focuses that view"
wait_screen '▶ 3 Messages' && like "$(screen)" 'no mailbox selected' \
	"... the Messages view, with no mailbox selected"

mouse 0 5 10
wait_screen '▶ console' ; ok $? "a click on the console pane focuses the console"
like "$(screen | head -n 1)" ' 3 Messages ' "... the view keeps its tab"
unlike "$(screen | head -n 1)" '▶ 3 Messages' "... unfocused"

col=$(column_at 0 ' 1 Mai')
mouse 0 "$((col + 3))" 0
wait_screen '▶ 1 Mailboxes' ; ok $? "a click on the tab '1 Mailboxes' shows it"
like "$(cursor_line)" 'INBOX' "the Mailboxes view's cursor is on INBOX"
row=$(row_of '│ .*Projekte')
mouse 0 80 "$row"
wait_for cursor_line 'Projekte' ; ok $? "a click on the row of Projekte puts the cursor there"
before=$(cursor_line)

mouse 0 5 10
wait_screen '▶ console'
mouse 65 80 5
wait_for cursor_line 'Trash' ; ok $? "the wheel down over the view moves its cursor three rows: Projekte, Überprüfung, Sent, Trash"
unlike "$(cursor_line)" "$(re "$before")" "... off Projekte"
like "$(screen | head -n 1)" '▶ console' "... and the focus stays on the console"

# the console's transcript: type enough to scroll, then the wheel
for i in 1 2 3 4 5 6; do
	tmx send-keys -t t -l "NOOP"
	tmx send-keys -t t Enter
done
wait_screen 'S: a006 OK' ; ok $? "six NOOPs answered"
unlike "$(screen)" ' scrollback ' "the console is at its end"
mouse 64 10 10
wait_screen ' scrollback ' ; ok $? "the wheel up over the console scrolls its transcript back"
mouse 65 10 10
wait_gone ' scrollback ' ; ok $? "the wheel down scrolls it to its end again"

tmx send-keys -t t Tab
wait_screen '▶ 1 Mailboxes'
tmx send-keys -t t q
wait_screen '^EXIT=0$' ; ok $? "q exits 0"
tmx_stop

# --- --no-mouse
start_tui -- --no-mouse
wait_screen 'Projekte' ; ok $? "--no-mouse: the TUI starts"
is "$(tmx display-message -p -t t '#{mouse_standard_flag}')" 0 \
	"--no-mouse: imapwb leaves the mouse to the terminal (no mode 1000)"
col=$(column_at 0 ' 3 Mes')
mouse 0 "$((col + 2))" 0
sleep 0.5
unlike "$(screen)" '3 Messages.*SELECT in the console|▶ 3 Messages' \
	"--no-mouse: a click's bytes do not switch the view"
tmx send-keys -t t C-u Tab
wait_screen '▶ 1 Mailboxes'
tmx send-keys -t t q
wait_screen '^EXIT=0$' ; ok $? "--no-mouse: q exits 0"
tmx_stop

# --- colour: an empty NO_COLOR keeps it, a non-empty one drops it
colour=$'\e''\[([0-9;]*;)?[34][0-7]m'
start_tui NO_COLOR= --
wait_screen 'Projekte' ; ok $? "NO_COLOR= (empty): the TUI starts"
like "$(tmx capture-pane -p -e -t t)" "$colour" \
	"NO_COLOR= (empty): the screen has colour (no-color.org: only a non-empty one counts)"
tmx send-keys -t t Tab q
wait_screen '^EXIT=0$'
tmx_stop
start_tui NO_COLOR=1 --
wait_screen 'Projekte' ; ok $? "NO_COLOR=1: the TUI starts"
unlike "$(tmx capture-pane -p -e -t t)" "$colour" "NO_COLOR=1: no colour on the screen"
tmx send-keys -t t Tab q
wait_screen '^EXIT=0$'
tmx_stop

done_testing
