#!/usr/bin/env bash
# The console belongs to the user (issue "One session, many actors"), on a
# real terminal (tmux) against Dovecot and Cyrus: after a typed SELECT of a
# 2500-message mailbox, the Messages view's FETCHes (the first screen,
# sizes and flags of all, envelopes in chunks) show as one folded line
# each, marked [messages], a handful in all, while the user's
# own SELECT and its reply stay in full on the screen; the --transcript
# file still holds every FETCH; a view hidden behind another fetches
# nothing until it is shown again.
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
SOCK="imapwb-fold-$$"
BULK=2500

# The console pane: what is left of the first vertical line.
console_pane() { screen | sed 's/│.*//'; }
view_pane() { screen | sed -n 's/^[^│]*│//p'; }
count_in_console() { console_pane | grep -cE -- "$1"; }

fold_test() {
	local srv=$1 name=${1,,} box=$2 port_var="${1}_PORT" tr n
	tr=$TB_ROOT/$name.transcript
	n=$(tb_imapctl --port "${!port_var}" --ca "$TB_CA" --user alice \
		--password "${TB_PASS[alice]}" fill "$box" "$BULK" 2>&1)
	is "$n" "$BULK" "$name: $box holds $BULK messages (imapctl)"

	tmx -f /dev/null new-session -d -s t -x 120 -y 64 \
		"$IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE --transcript $tr 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"

	# the Messages view is not shown: a typed SELECT fetches nothing
	tmx send-keys -t t "SELECT $box" Enter
	wait_screen 'OK \[READ-WRITE\]' ; ok $? "$name: SELECT $box from the console"
	sleep 0.5
	is "$(grep -cE ' C: [^ ]+ (UID )?FETCH ' "$tr")" 0 \
		"$name: the hidden Messages view sent no FETCH"

	tmx send-keys -t t Tab F4
	wait_screen "$box  $BULK msgs" ; ok $? "$name: the Messages view shows $BULK messages"
	tmx send-keys -t t End
	wait_screen "Bulk $BULK " ; ok $? "$name: ... down to the last one's subject"

	wait_for console_pane "^C: [a-z]{3}[0-9]+ \\[messages\\] FETCH 1:[0-9]+ \\(UID FLAGS" ; ok $? "$name: the first screen's fold line"
	wait_for console_pane "^C: [a-z]{3}[0-9]+ \\[messages\\] FETCH [0-9]+:\\* \\(UID RFC822" ; ok $? "$name: the sizes and flags of the rest, one line"
	wait_for view_pane "^$box  $BULK msgs" ; ok $? "$name: the index is loaded"
	n=$(count_in_console '^C: [a-z]{3}[0-9]+ \[messages\] (UID )?FETCH ')
	[ "$n" -ge 3 ] && [ "$n" -le 8 ] ; ok $? "$name: $n folded lines in all (3 to 8)"
	is "$(count_in_console '^C: [a-z]{3}[0-9]+ \[messages\] UID FETCH [0-9:,]+( |$)')" \
		"$(grep -c ' C: [^ ]* UID FETCH [0-9:,]* (ENVELOPE)' "$tr")" \
		"$name: ... one for each envelope command"
	is "$(count_in_console '^S: \* [0-9]+ FETCH')" 0 \
		"$name: no FETCH line of the view's in the console"
	is "$(count_in_console "^C: a[0-9]{3} SELECT $box *\$")" 1 \
		"$name: the user's SELECT is still on screen"
	is "$(count_in_console '^S: a[0-9]{3} OK \[READ-WRITE\]')" 1 \
		"$name: ... and its tagged reply"
	is "$(count_in_console "^S: \\* $BULK EXISTS")" 1 \
		"$name: ... and its EXISTS"
	wait_for console_pane '→ [0-9]+ FETCH, [0-9.]+ KB, OK' ; ok $? "$name: a fold sums up its reply: N FETCH, size, OK"

	# every byte still reaches the transcript
	is "$(grep -cE '^[^ ]+ S: \* [0-9]+ FETCH \(.*ENVELOPE' "$tr")" "$BULK" \
		"$name: the transcript holds all $BULK FETCH responses"

	# hidden again: an APPEND by another client (seen at the next NOOP)
	# is not fetched until the view is shown
	tmx send-keys -t t F2
	wait_screen 'Mailboxes' ; ok $? "$name: another view hides Messages"
	printf 'Subject: late\r\n\r\nlate\r\n' >"$TB_ROOT/late.eml"
	tb_imapctl --port "${!port_var}" --ca "$TB_CA" --user alice \
		--password "${TB_PASS[alice]}" append "$box" "$TB_ROOT/late.eml" >/dev/null
	tmx send-keys -t t Tab 'NOOP' Enter
	wait_for console_pane "^S: \\* $((BULK + 1)) EXISTS" ; ok $? "$name: NOOP brings the new EXISTS"
	sleep 0.5
	is "$(grep -c "FETCH $((BULK + 1)):$((BULK + 1)) (UID" "$tr")" 0 \
		"$name: the hidden view did not fetch it"
	tmx send-keys -t t Tab F4
	wait_for console_pane "\\[messages\\] FETCH $((BULK + 1)):$((BULK + 1)) " ; ok $? "$name: shown again, it fetches the one new message"

	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	tmx_stop
}

tb_start_dovecot
fold_test DOVECOT Bulk
tb_start_cyrus
fold_test CYRUS INBOX.Bulk

done_testing
