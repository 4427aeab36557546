#!/usr/bin/env bash
# The plain console on a real terminal (tmux): readline input, history in
# $XDG_STATE_HOME/imapwb/history that never holds LOGIN or AUTHENTICATE
# lines, and a screen that never shows a typed password.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
tb_start_dovecot
export XDG_STATE_HOME=$TB_ROOT/state
PWFILE=$(tb_password_file alice)
SECRET='Typed-Secret-93'
SOCK="imapwb-test-$$"

tmx -f /dev/null new-session -d -s t -x 120 -y 40 \
	"$IMAPWB --plain -p $DOVECOT_PORT --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
tb_register_pid "$(tmx display-message -p '#{pid}')"

wait_screen '^imapwb>' ; ok $? "the console prompt appears on a terminal"
tmx send-keys -t t 'NOOP' Enter
wait_screen '^S: a001 OK NOOP' ; ok $? "a typed NOOP gets its OK"
tmx send-keys -t t "LOGIN bob $SECRET" Enter
wait_screen 'LOGIN <redacted>' ; ok $? "a typed LOGIN shows as <redacted>"
tmx send-keys -t t 'AUTHENTICATE PLAIN AGJvYgBUeXBlZC1TZWNyZXQtOTM=' Enter
wait_screen 'AUTHENTICATE PLAIN <redacted>' ; ok $? "... and so does AUTHENTICATE"
tmx send-keys -t t 'CAPABILITY' Enter
wait_screen '^S: a[0-9]{3} OK Capability' ; ok $? "the console goes on"
tmx send-keys -t t 'LOGOUT' Enter
# LOGIN and AUTHENTICATE after login get BAD: so the exit status is 1.
wait_screen '^EXIT=1' ; ok $? "LOGOUT ends it, exit 1 (two commands got BAD)"

screen=$(tmx capture-pane -p -S - -t t)
unlike "$screen" "$SECRET" "the screen never shows the typed password"
unlike "$screen" 'AGJvYgBUeXBl' "... nor the AUTHENTICATE response"
like "$screen" '^imapwb> LOGIN \*{19}$' "the typed LOGIN arguments show as stars"
unlike "$screen" 'imapwb> EXIT' "no prompt is left behind at the end"

history=$(cat "$XDG_STATE_HOME/imapwb/history" 2>/dev/null)
like "$history" '^NOOP$' "the history file holds NOOP"
like "$history" '^CAPABILITY$' "... and CAPABILITY"
unlike "$history" 'LOGIN|AUTHENTICATE|Secret' "... but no LOGIN or AUTHENTICATE line"
is "$(stat -c %a "$XDG_STATE_HOME/imapwb/history")" 600 "the history file is private (0600)"

tmx_stop
done_testing
