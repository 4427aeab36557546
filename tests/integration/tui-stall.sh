#!/usr/bin/env bash
# A server that stops answering, in the TUI on a real terminal (tmux),
# against Dovecot and Cyrus: the server process behind imapwb's connection
# (found by the connection's port pair) is stopped with SIGSTOP, and a
# NOOP is typed. While the server owes the reply, the TUI stays
# responsive (Alt-2 shows the Status view, the status bar says 1 in
# flight); after --timeout 3 the console says what the server owed and
# for how long, naming the option, and the status bar says the session is
# disconnected. The server gets SIGCONT at once; q then quits with exit 5
# (the connection was lost).
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

command -v tmux >/dev/null || skip_all "tmux is not installed"
command -v ss >/dev/null || skip_all "ss (iproute2) is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-stall-$$"

status_bar() { screen | tail -n 1; }

# The PIDs holding the server's end of imapwb's one connection to port $1.
server_pids() {
	local local_port
	local_port=$(ss -tnpH state established "( dport = :$1 )" |
		awk '/"imapwb"/ { sub(/.*:/, "", $3); print $3 }' | head -n 1)
	[ -n "$local_port" ] || return 1
	ss -tnpH state established "( sport = :$1 and dport = :$local_port )" |
		grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

stall_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT" pids start
	tmx -f /dev/null new-session -d -s t -x 160 -y 40 \
		"$IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE --timeout 3 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	wait_for status_bar '\| 0 in flight' ; ok $? "$name: ... with nothing in flight"
	tmx send-keys -t t 'SELECT INBOX' Enter
	wait_for status_bar '\| selected \| INBOX \[RW\]' ; ok $? "$name: SELECT INBOX typed"
	pids=$(server_pids "${!port_var}")
	like "$pids" '^[0-9]+' "$name: the server process of the connection is found ($pids)"
	# shellcheck disable=SC2086
	kill -STOP $pids
	start=$(date +%s)
	tmx send-keys -t t 'NOOP' Enter
	wait_for status_bar '\| 1 in flight' ; ok $? "$name: the server stopped: the typed NOOP stays in flight"
	tmx send-keys -t t M-2
	wait_screen '▶ 2 Status' ; ok $? "$name: ... and the TUI answers keys meanwhile (Alt-2: Status)"
	# (the pane wraps the rest: "(--timeout SECS changes this)")
	# (with INBOX selected the session may be in IDLE when the NOOP is typed:
	# then the server owes the IDLE's continuation or its end first)
	wait_screen 'timed out: the server owed the reply to (a002 NOOP|[a-z]+[0-9]+ IDLE) and sent nothing for 3 s \(--'
	ok $? "$name: after --timeout 3 the console says what the server owed"
	wait_for status_bar '\| DISCONNECTED \(r reconnect, q quit\)' ; ok $? "$name: ... and the status bar that the session is disconnected"
	# shellcheck disable=SC2086
	kill -CONT $pids
	ok $(( $(date +%s) - start < 10 ? 0 : 1 )) "$name: ... within 10 s of the NOOP"
	# r: a new connection, and the mailbox that was open opened again,
	# in the console like any command
	tmx send-keys -t t M-1 r
	wait_for status_bar '\| selected \| INBOX \[RW\] .*\| reconnected'
	ok $? "$name: r reconnects and selects INBOX again"
	like "$(screen)" 'C: [a-z]{3}[0-9]+ .*SELECT INBOX' "$name: ... with the SELECT shown in the console"
	like "$(screen)" 'selecting again the mailbox that was open' "$name: ... and a note saying why"
	tmx send-keys -t t M-1 q
	wait_screen '^EXIT=0' ; ok $? "$name: q quits, exit 0 (connected again)"
	tmx_stop
}

[ -x "$IMAPWB" ] || { echo "Bail out! no imapwb binary at $IMAPWB"; exit 99; }
tb_start_dovecot
stall_test DOVECOT
tb_start_cyrus
stall_test CYRUS

done_testing
