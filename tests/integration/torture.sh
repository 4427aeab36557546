#!/usr/bin/env bash
# Allocation-failure torture (as curl's), against a real Dovecot: in a
# build configured with --enable-torture (scripts/check's ASan+UBSan
# build), IMAPWB_TORTURE=N fails imapwb's Nth allocation. For a scripted
# session (-f, --json) and for a --save, a first run counts the
# allocations; then every N from 1 to that count is tried. Each run must
# end either with exit 7 and "out of memory" (when the Nth allocation
# came) or as the untortured run did (when this run needed fewer), never
# with a signal or a sanitizer report (leaks included); a --save must
# leave either the complete file or none (the complete one also when
# memory ran out after it was renamed into place), and never a temporary
# file.
# On a terminal (tmux), memory running out in the TUI and in the plain
# console (readline) must give the terminal back as it was: echo and
# canonical mode on, the message on the screen, exit 7.
# (Only imapwb's own allocations are failed: OpenSSL's, SASL's and
# libc's are not counted.)
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
IMAPWB=$(readlink -f "$IMAPWB")

"$IMAPWB" --version | grep -q -- '--enable-torture' ||
	skip_all "imapwb was built without --enable-torture"

tb_init
W=$TB_ROOT/torture
mkdir -p "$W/out"
tb_start_dovecot
tb_seed DOVECOT >/dev/null

# Run imapwb with IMAPWB_TORTURE=$1 and the options $2...; set RC, ERR
# and COUNT (the allocations it made).
run() {
	local n=$1
	shift
	IMAPWB_TORTURE=$n timeout 60 "$IMAPWB" -p "$DOVECOT_PORT" \
		--cafile "$TB_CA" -a alice -m PLAIN \
		--password-file "$(tb_password_file alice)" "$@" 127.0.0.1 \
		>"$W/stdout" 2>"$W/stderr" </dev/null
	RC=$?
	ERR=$(cat "$W/stderr")
	COUNT=$(sed -n 's/^imapwb: torture: \([0-9]*\) allocations$/\1/p' \
		"$W/stderr")
}

# What is wrong with the run just made as try $1 of a session whose
# untortured run exited $2 (nothing when all is right).
verdict() {
	local n=$1 clean_rc=$2
	if [ "$RC" -ge 124 ]; then
		echo "N=$n: killed or timed out (exit $RC)"
	elif grep -qE 'Sanitizer|runtime error' <<<"$ERR"; then
		echo "N=$n: a sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' <<<"$ERR")"
	elif [ -z "$COUNT" ]; then
		echo "N=$n: no allocation count at exit (exit $RC)"
	elif [ "$COUNT" -eq "$n" ]; then
		[ "$RC" -eq 7 ] && grep -q '^imapwb: out of memory' <<<"$ERR" ||
			echo "N=$n: allocation $n failed but exit $RC: $(tail -n 1 <<<"$ERR")"
	elif [ "$RC" -ne "$clean_rc" ]; then
		echo "N=$n: $COUNT allocations, none failed, but exit $RC"
	fi
}

# Torture session $1 (a name) run with options $2...; $CHECK_RUN, if
# set, is called after each run and prints what is wrong with it.
torture() {
	local name=$1 clean_rc clean_count n problems=0 shown=0 why
	shift
	run 0 "$@"
	clean_rc=$RC clean_count=$COUNT
	cp "$W/stdout" "$W/$name.stdout"
	is "$clean_rc" 0 "$name: the untortured run exits 0"
	like "$clean_count" '^[1-9][0-9]*$' "$name: ... and counts its allocations ($clean_count)"
	[ -n "$clean_count" ] || return
	for ((n = 1; n <= clean_count; n++)); do
		run "$n" "$@"
		why=$(verdict "$n" "$clean_rc"; ${CHECK_RUN:-true} "$n")
		[ -z "$why" ] && continue
		problems=$((problems + 1))
		[ $shown -lt 10 ] && diag "$why" && shown=$((shown + 1))
	done
	is "$problems" 0 "$name: each of the $clean_count allocations failed in turn: exit 7 and \"out of memory\", no signal, no sanitizer report"
}

# a. a scripted session with --json: every decoder and the event writer
printf '%s\n' 'SELECT INBOX' 'FETCH 1:4 (UID FLAGS ENVELOPE BODYSTRUCTURE)' \
	'UID SEARCH RETURN (ALL) ALL' 'LIST "" "*" RETURN (SPECIAL-USE)' \
	'GETQUOTAROOT INBOX' 'GETACL INBOX' 'NAMESPACE' 'LOGOUT' >"$W/cmds"
torture "session" -f "$W/cmds" --json
like "$(cat "$W/session.stdout")" '"event":"fetch"' "session: ... the untortured run wrote the FETCH events"

# b. --save of a streamed message (over the parser's 64 KiB inline cap, so
# allocations go on while the file is open): the whole file or none,
# never a temporary one. A 200 KB message is appended for it.
"$TB_PYTHON" -c 'import sys
body = "".join("line %05d of the torture message, to be saved whole\r\n" % i
               for i in range(4000))
sys.stdout.write("From: torture@example.org\r\nSubject: torture\r\n\r\n" + body)' >"$W/msg.src"
sha=$(sha256sum <"$W/msg.src" | cut -d' ' -f1)
read -r uv uid <<<"$(tb_alice DOVECOT append INBOX "$W/msg.src" |
	sed -n 's/.*APPENDUID \([0-9]*\) \([0-9]*\).*/\1 \2/p')"
like "$uv|$uid|$(stat -c %s "$W/msg.src")" '^[0-9]+\|[0-9]+\|2[0-9]{5}$' "save: a 200 KB message appended ($uid)"
save_check() {
	local left
	left=$(find "$W/out" -name '.*' -type f | wc -l)
	[ "$left" -eq 0 ] || echo "N=$1: $left temporary file(s) left"
	# out of memory after the rename (in LOGOUT, say) leaves the whole
	# file: that is right; a part of it never is
	if [ -e "$W/out/msg.eml" ]; then
		[ "$(sha256sum <"$W/out/msg.eml" | cut -d' ' -f1)" = "$sha" ] ||
			echo "N=$1: exit $RC and the file is not the whole message"
	elif [ "$RC" -eq 0 ]; then
		echo "N=$1: exit 0 but no file"
	fi
	find "$W/out" -type f -delete
}
CHECK_RUN=save_check torture "save" --save --mailbox INBOX \
	--uidvalidity "$uv" --uid "$uid" -o "$W/out/msg.eml"
# c. on a terminal. A first run comes up and quits: C allocations. The
# second fails allocation C-2 and, once up, is given a LIST of every
# mailbox, which allocates far more than quitting did: so the failure
# comes while the program holds the terminal.
SOCK="imapwb-torture-$$"
start_on_terminal() {
	tmx -f /dev/null new-session -d -s t -x 120 -y 30 \
		"IMAPWB_TORTURE=$1 $IMAPWB -p $DOVECOT_PORT --cafile $TB_CA -a alice -m PLAIN --password-file $(tb_password_file alice) $2 127.0.0.1; echo EXIT=\$?; stty -a | grep -o -e '-*icanon' -e ' -*echo '; sleep 60"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
}

# $1 name, $2 options, $3 what shows when it is up, $4.. the keys that
# quit it.
on_terminal() {
	local name=$1 opts=$2 ready=$3 count n
	shift 3
	start_on_terminal 0 "$opts"
	wait_screen "$ready" ; ok $? "$name: comes up on a terminal"
	sleep 1 # let the start's commands end
	tmx send-keys -t t "$@"
	wait_screen '^imapwb: torture: [0-9]+ allocations' ; ok $? "$name: ... quits, counting its allocations"
	count=$(screen | sed -n 's/^imapwb: torture: \([0-9]*\) allocations.*/\1/p')
	tmx_stop
	n=$((count - 2))
	start_on_terminal "$n" "$opts"
	wait_screen "$ready" ; ok $? "$name: allocation $n of $count to fail: it comes up"
	sleep 1
	tmx send-keys -t t 'LIST "" "*"' Enter
	# keys that come in one burst with others may be held ("not sent:
	# ... Enter sends it"): Enter again then
	sleep 1
	screen | grep -q 'Enter sends it' && tmx send-keys -t t Enter
	wait_screen '^EXIT=7' ; ok $? "$name: ... a LIST: exit 7"
	wait_screen '^imapwb: out of memory' ; ok $? "$name: ... the message is on the screen"
	wait_screen '^icanon' ; ok $? "$name: ... canonical mode is back"
	wait_screen '^ echo$' ; ok $? "$name: ... and so is echo"
	tmx_stop
}
if command -v tmux >/dev/null; then
	on_terminal tui '' 'Mailboxes' M-1 q
	on_terminal console --plain '^imapwb>' C-d
fi

done_testing
