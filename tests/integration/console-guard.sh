#!/usr/bin/env bash
# A typed plain EXPUNGE or CLOSE against real Dovecot and Cyrus, while a
# second client (imapctl.py) holds a message \Deleted that imapwb did not
# mark (console-guard):
#  - --plain from a pipe: not sent (exit 6), stderr names the count, the
#    UID and UID EXPUNGE of imapwb's own; the lines after it still go;
#    every message is still there; the wire (--transcript) holds the
#    UID SEARCH and no EXPUNGE; with --yes it is sent, with a warning;
#  - only imapwb's own \Deleted message (marked by message number, its
#    UID unknown): EXPUNGE goes out without a question, exit 0;
#  - CLOSE of an EXAMINEd mailbox: no question;
#  - -f batch: sent as written, a warning on stderr, exit 0;
#  - --plain on a terminal (tmux): the y/N question; n keeps everything;
#  - the TUI (tmux): the dialog shows the count and the UID; n keeps
#    everything and no EXPUNGE is on the wire; y sends it and the other
#    client's message is gone; imapwb's own alone goes without a dialog.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
IMAPWB=$(readlink -f "$IMAPWB")

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-guard-$$"
W=$TB_ROOT/guard
mkdir -p "$W"
have_tmux=0
command -v tmux >/dev/null && have_tmux=1

for i in 1 2 3; do
	printf 'From: t%d@example.org\nTo: alice@example.org\nSubject: guard %d\nMessage-ID: <guard-%d@example.org>\n\nbody %d\n' \
		"$i" "$i" "$i" "$i" >"$W/msg$i.eml"
done



# Poll (at most 10 s) until tb_uids_where $1 $2 $3 gives $4.
wait_uids() {
	local i got
	for ((i = 0; i < 50; i++)); do
		got=$(tb_uids_where "$1" "$2" "$3")
		[ "$got" = "$4" ] && return 0
		sleep 0.2
	done
	diag "tb_uids_where $1 $2 $3: got '$got', want '$4'"
	return 1
}

# A new mailbox on server $1 with three messages (UIDs 1, 2, 3); prints
# its name.
fresh_box() {
	local srv=$1 name=$2 i
	[ "$srv" = CYRUS ] && name="INBOX.$name"
	tb_alice "$srv" raw CREATE "$name" >/dev/null || return 1
	for i in 1 2 3; do
		tb_alice "$srv" append "$name" "$W/msg$i.eml" >/dev/null || return 1
	done
	printf '%s' "$name"
}

# imapwb as alice against server $1 with options $2...; stdin from $IN.
# Sets OUT, ERR and RC.
run() {
	local srv=$1 port_var="${1}_PORT"
	shift
	OUT=$(timeout 60 setsid -w "$IMAPWB" -p "${!port_var}" --cafile "$TB_CA" \
		-a alice --password-file "$PWFILE" "$@" 127.0.0.1 \
		<"$IN" 2>"$W/err")
	RC=$?
	ERR=$(cat "$W/err")
}

# Client lines of a transcript file: EXPUNGE, CLOSE or UID SEARCH.
wire() { grep -E ' C: [^ ]+ (EXPUNGE|CLOSE|UID SEARCH)' "$1" | sed 's/^.* C: [^ ]* //'; }

pipe_tests() {
	local srv=$1 name=$2 box trans
	box=$(fresh_box "$srv" P1)
	ok $? "$name: a fresh mailbox with three messages"
	tb_alice "$srv" store "$box" 2 +FLAGS '(\Deleted)' >/dev/null
	is "$(tb_uids_where "$srv" "$box" DELETED)" "2" "$name: another client holds UID 2 \\Deleted"

	# --plain from a pipe: imapwb marks 1; EXPUNGE would take 2 too
	trans=$W/$name-pipe.log
	IN=$W/in-pipe
	printf 'SELECT %s\nUID STORE 1 +FLAGS.SILENT (\\Deleted)\nEXPUNGE\nNOOP\n' "$box" >"$IN"
	run "$srv" --plain --transcript "$trans"
	is "$RC" 6 "$name: --plain from a pipe: the EXPUNGE is refused, exit 6"
	like "$ERR" '^imapwb: EXPUNGE not sent; every message stays in place\.$' \
		"$name: ... stderr says it was not sent"
	like "$ERR" 'would also remove 1 \\Deleted message that this session did' \
		"$name: ... and how many others it would take"
	like "$ERR" 'did\): UID 2$' "$name: ... and which UID"
	like "$ERR" 'This session marked 1 of the 2: UID 1$' "$name: ... and imapwb's own"
	like "$ERR" 'Only this session.s: UID EXPUNGE 1$' "$name: ... and the safe command"
	like "$ERR" 'stdin is not a terminal.*--yes sends it anyway' "$name: ... and why nobody was asked"
	is "$(wire "$trans")" "UID SEARCH RETURN (ALL) DELETED" \
		"$name: ... the wire has the UID SEARCH and no EXPUNGE"
	like "$OUT" '^C: [^ ]+ NOOP$' "$name: ... the next line still went out"
	is "$(tb_uids_where "$srv" "$box" ALL)" "1 2 3" "$name: ... every message is still there"
	is "$(tb_uids_where "$srv" "$box" DELETED)" "1 2" "$name: ... UIDs 1 and 2 \\Deleted"

	# a tagged, lower-case expunge is the same command
	printf 'SELECT %s\nq7 expunge\n' "$box" >"$IN"
	run "$srv" --plain
	is "$RC" 6 "$name: 'q7 expunge' is held just the same (exit 6)"
	like "$ERR" 'did\): UIDs 1:2$' "$name: ... both are others' in a new session"

	# CLOSE of an EXAMINEd mailbox removes nothing: no question
	printf 'EXAMINE %s\nCLOSE\n' "$box" >"$IN"
	run "$srv" --plain --transcript "$W/$name-examine.log"
	is "$RC" 0 "$name: CLOSE after EXAMINE: exit 0"
	is "$ERR" "" "$name: ... no question, no warning"
	is "$(wire "$W/$name-examine.log")" "CLOSE" "$name: ... CLOSE went out, no SEARCH"
	is "$(tb_uids_where "$srv" "$box" ALL)" "1 2 3" "$name: ... nothing was removed"

	# --yes: sent, with a warning
	printf 'SELECT %s\nEXPUNGE\n' "$box" >"$IN"
	run "$srv" --plain --yes --transcript "$W/$name-yes.log"
	is "$RC" 0 "$name: --plain --yes: exit 0"
	like "$ERR" '^imapwb: warning: EXPUNGE would also remove 2 \\Deleted messages' \
		"$name: ... a warning on stderr"
	like "$ERR" 'EXPUNGE is sent as typed anyway\.$' "$name: ... saying it is sent"
	like "$(wire "$W/$name-yes.log")" 'EXPUNGE$' "$name: ... EXPUNGE on the wire"
	is "$(tb_uids_where "$srv" "$box" ALL)" "3" "$name: ... UIDs 1 and 2 are gone"
}

own_only_tests() {
	local srv=$1 name=$2 box
	box=$(fresh_box "$srv" O1)
	# marked by message number: its UID is not known to imapwb
	IN=$W/in-own
	printf 'SELECT %s\nSTORE 2 +FLAGS.SILENT (\\Deleted)\nEXPUNGE\n' "$box" >"$IN"
	run "$srv" --plain --transcript "$W/$name-own.log"
	is "$RC" 0 "$name: only imapwb's own \\Deleted message: exit 0"
	is "$ERR" "" "$name: ... no question, no warning"
	is "$(wire "$W/$name-own.log" | tr '\n' '|')" \
		"UID SEARCH 2 DELETED|UID SEARCH RETURN (ALL) DELETED|EXPUNGE|" \
		"$name: ... the number resolved by the server, then EXPUNGE"
	is "$(tb_uids_where "$srv" "$box" ALL)" "1 3" "$name: ... exactly UID 2 is gone"
}

batch_tests() {
	local srv=$1 name=$2 box
	box=$(fresh_box "$srv" B1)
	tb_alice "$srv" store "$box" 3 +FLAGS '(\Deleted)' >/dev/null
	printf 'SELECT %s\nUID STORE 1 +FLAGS (\\Deleted)\nEXPUNGE\n' "$box" >"$W/batch"
	IN=/dev/null
	run "$srv" -f "$W/batch" --transcript "$W/$name-batch.log"
	is "$RC" 0 "$name: -f: the EXPUNGE is sent as written, exit 0"
	like "$ERR" '^imapwb: warning: EXPUNGE would also remove 1 \\Deleted message' \
		"$name: ... stderr warns"
	like "$ERR" 'did\): UID 3$' "$name: ... naming UID 3"
	like "$(wire "$W/$name-batch.log")" 'EXPUNGE$' "$name: ... EXPUNGE on the wire"
	is "$(tb_uids_where "$srv" "$box" ALL)" "2" "$name: ... UIDs 1 and 3 are gone"
}

# --plain on a terminal: the y/N question.
tty_tests() {
	local srv=$1 name=$2 port_var="${1}_PORT" box
	box=$(fresh_box "$srv" T1)
	tb_alice "$srv" store "$box" 2 +FLAGS '(\Deleted)' >/dev/null
	S=p
	tmx -f /dev/null new-session -d -s p -x 120 -y 40 \
		"$IMAPWB --plain -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p -t p '#{pid}')"
	wait_screen '^imapwb>' ; ok $? "$name: --plain on a terminal"
	tmx send-keys -t p "SELECT $box" Enter
	wait_screen 'OK \[READ-WRITE\]' ; ok $? "$name: ... SELECT"
	tmx send-keys -t p 'EXPUNGE' Enter
	wait_screen '^Send EXPUNGE anyway\? \[y/N\]' ; ok $? "$name: ... EXPUNGE asks y/N"
	wait_screen '^\* not mark .*: UID 2$' ; ok $? "$name: ... naming UID 2"
	tmx send-keys -t p 'n' Enter
	wait_screen '^\* EXPUNGE not sent: every message stays in place\.' ; ok $? "$name: ... n: not sent"
	is "$(tb_uids_where "$srv" "$box" ALL)" "1 2 3" "$name: ... every message is still there"
	tmx send-keys -t p 'EXPUNGE' Enter
	wait_screen '^Send EXPUNGE anyway\? \[y/N\]' ; ok $? "$name: ... asked again"
	tmx send-keys -t p 'y' Enter
	wait_screen '^S: \* 2 EXPUNGE' ; ok $? "$name: ... y: EXPUNGE sent, message 2 expunged"
	is "$(tb_uids_where "$srv" "$box" ALL)" "1 3" "$name: ... UID 2 is gone"
	tmx send-keys -t p C-d
	wait_screen '^EXIT=0' ; ok $? "$name: ... Ctrl-D ends it, exit 0"
	tmx_end p
	S=t
}

tui_tests() {
	local srv=$1 name=$2 port_var="${1}_PORT" box box2 trans
	box=$(fresh_box "$srv" U1)
	box2=$(fresh_box "$srv" U2)
	tb_alice "$srv" store "$box" 2 +FLAGS '(\Deleted)' >/dev/null
	trans=$W/$name-tui.log
	S=t
	tmx -f /dev/null new-session -d -s t -x 120 -y 40 \
		"$IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE --transcript $trans 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p -t t '#{pid}')"
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	tmx send-keys -t t "SELECT $box" Enter
	wait_screen 'OK \[READ-WRITE\]' ; ok $? "$name: ... SELECT from the console"
	tmx send-keys -t t 'EXPUNGE' Enter
	wait_screen 'Send EXPUNGE anyway\?' ; ok $? "$name: ... EXPUNGE opens a question"
	wait_screen 'would also remove 1 \\Deleted message' ; ok $? "$name: ... with the count"
	wait_screen 'did\): UID 2 ' ; ok $? "$name: ... and the UID"
	wait_screen '\[y\] yes +any other key: no' ; ok $? "$name: ... y, or any other key for no"
	tmx send-keys -t t n
	wait_gone 'Send EXPUNGE anyway' ; ok $? "$name: ... n closes it"
	wait_screen 'EXPUNGE not sent: every message stays' ; ok $? "$name: ... the console says so"
	is "$(tb_uids_where "$srv" "$box" ALL)" "1 2 3" "$name: ... every message is still there"
	is "$(wire "$trans")" "UID SEARCH RETURN (ALL) DELETED" \
		"$name: ... the wire has the UID SEARCH and no EXPUNGE"

	tmx send-keys -t t 'EXPUNGE' Enter
	wait_screen 'Send EXPUNGE anyway\?' ; ok $? "$name: EXPUNGE again: the question again"
	tmx send-keys -t t y
	wait_gone 'Send EXPUNGE anyway' ; ok $? "$name: ... y"
	wait_screen '^S: \* 2 EXPUNGE' ; ok $? "$name: ... the server expunges message 2"
	is "$(tb_uids_where "$srv" "$box" ALL)" "1 3" "$name: ... the other client's UID 2 is gone"

	# only imapwb's own \Deleted message, marked with the Messages
	# view's * d: no question at all
	tmx send-keys -t t "SELECT $box2" Enter
	wait_screen "\\| ${box2} \\[RW\\]" ; ok $? "$name: SELECT another mailbox"
	tmx send-keys -t t Tab F4
	wait_screen '│ *3 +3 .*guard 3' ; ok $? "$name: ... the Messages view lists it"
	tmx send-keys -t t End '*' d
	wait_screen 'C: [^ ]+ \[messages\] UID STORE 3 \+FLAGS \(\\Deleted\)' ; ok $? "$name: ... * d marks UID 3 \\Deleted"
	wait_uids "$srv" "$box2" DELETED "3" ; ok $? "$name: ... the server holds UID 3 \\Deleted"
	tmx send-keys -t t Tab 'EXPUNGE' Enter
	wait_screen '^S: \* 3 EXPUNGE' ; ok $? "$name: ... EXPUNGE goes out"
	wait_gone 'anyway\?' ; ok $? "$name: ... without a question"
	is "$(tb_uids_where "$srv" "$box2" ALL)" "1 2" "$name: ... exactly UID 3 is gone"

	tmx send-keys -t t Tab q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	tmx_end t
}

server_tests() {
	local srv=$1 name=${1,,}
	pipe_tests "$srv" "$name"
	own_only_tests "$srv" "$name"
	batch_tests "$srv" "$name"
	if [ $have_tmux -eq 1 ]; then
		tty_tests "$srv" "$name"
		tui_tests "$srv" "$name"
	fi
}

tb_start_dovecot
server_tests DOVECOT
tb_start_cyrus
server_tests CYRUS

[ $have_tmux -eq 1 ] && tmx_stop
done_testing
