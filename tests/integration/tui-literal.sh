#!/usr/bin/env bash
# Literals in the TUI's console (issue #11, item 6), on a real terminal
# (tmux) against Dovecot and Cyrus. A typed FETCH of a 29400-byte body
# (600 lines of 49 bytes) shows about a screenful of it: the FETCH line,
# the body's first lines in order, as many as the console pane is high
# less five, then "[… N more bytes of a literal of 29400 bytes]" with N
# exactly what those lines left out, then ")" and the tagged OK (and the
# automatic IDLE's line), all on one screen; the --transcript file holds every line. --show-literal 1K
# cuts it at byte 1024 in the TUI too. A 30 MB body is streamed: its
# summary line, and imapwb stays under 48 MB resident.
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
SOCK="imapwb-literal-$$"
W=$TB_ROOT/work
mkdir -p "$W"

SIZE=29400
"$TB_PYTHON" - "$W" <<'EOF'
import sys
w = sys.argv[1]
body = "".join("Literal line %04d of 0600: read it like telnet.\r\n" % i
               for i in range(1, 601)).encode()
assert len(body) == 29400
open(w + "/big.eml", "wb").write(b"Subject: a literal to read\r\n\r\n" + body)
line = b"A 30 MB body: the TUI shows its size, not its lines.\r\n"
with open(w + "/huge.eml", "wb") as f:
    f.write(b"Subject: thirty megabytes\r\n\r\n")
    f.write(line * (30 * 1024 * 1024 // len(line)))
EOF

# The console pane: what is left of the first vertical line.
console_pane() { screen | sed 's/│.*//; s/ *$//'; }

# The peak resident memory of the imapwb in the tmux pane, in MB.
imapwb_peak_mb() {
	local shell pid
	shell=$(tmx display-message -p '#{pane_pid}')
	pid=$(ps --ppid "$shell" -o pid= | head -n 1 | tr -d ' ')
	awk '/^VmHWM:/ { print int($2 / 1024) }' "/proc/$pid/status"
}

# Wait for the tagged OK of the typed command whose line matches $1.
wait_ok_of() {
	local tag
	wait_for console_pane "^C: a[0-9]{3} $1" || return 1
	tag=$(console_pane | sed -n "s/^C: \(a[0-9]\{3\}\) $1.*/\1/p" | tail -n 1)
	wait_for console_pane "^S: $tag OK "
}

start_tui() {
	local port=$1
	shift
	tmx -f /dev/null new-session -d -s t -x 160 -y 40 \
		"$IMAPWB -p $port --cafile $TB_CA -a alice --password-file $PWFILE --transcript $W/transcript $* 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
}

literal_test() {
	local srv=$1 name=${1,,} box=$2 port_var="${1}_PORT" shown want pane

	tb_alice "$srv" raw CREATE "$box" >/dev/null
	tb_alice "$srv" append "$box" "$W/big.eml" >/dev/null ||
		tb_die "$name: appending big.eml failed"
	tb_alice "$srv" append "$box" "$W/huge.eml" >/dev/null ||
		tb_die "$name: appending huge.eml failed"
	rm -f "$W/transcript"

	start_tui "${!port_var}"
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	tmx send-keys -t t "SELECT $box" Enter
	wait_for console_pane '^S: a[0-9]{3} OK \[READ-WRITE\]' ; ok $? "$name: SELECT $box"
	tmx send-keys -t t 'FETCH 1 BODY.PEEK[TEXT]' Enter
	wait_ok_of 'FETCH 1 BODY' ; ok $? "$name: FETCH 1 BODY.PEEK[TEXT] completes"
	pane=$(console_pane)
	like "$pane" "^S: \\* 1 FETCH \\(BODY\\[TEXT\\] \\{$SIZE\\}\$" \
		"$name: ... its FETCH line is on the screen"
	like "$pane" '^S: Literal line 0001 of 0600: read it like telnet\.$' \
		"$name: ... and the body's first line"
	shown=$(grep -c '^S: Literal line [0-9]\{4\} of 0600: read it like telnet\.$' <<<"$pane")
	[ "$shown" -ge 20 ] && [ "$shown" -le 36 ]
	ok $? "$name: ... about a screenful of its lines ($shown, the pane's height less five)"
	is "$(grep '^S: Literal line' <<<"$pane" | cut -c17-20 | tr '\n' ' ')" \
		"$(seq -f '%04g' 1 "$shown" | tr '\n' ' ')" "$name: ... lines 1 to $shown, in order"
	is "$(grep -A2 "^S: Literal line $(printf %04d "$shown")" <<<"$pane" | tail -n 2 | sed 's/ [0-9.]* ms$//')" \
		"$(printf 'S: [… %d more bytes of a literal of %d bytes]\nS: )' $((SIZE - shown * 49)) "$SIZE")" \
		"$name: ... then '[… $((SIZE - shown * 49)) more bytes of a literal of $SIZE bytes]' and ')'"
	unlike "$pane" 'Literal line 0600' "$name: ... not the body's last line"
	is "$(grep -c ' S: Literal line' "$W/transcript")" 600 \
		"$name: the --transcript file holds all 600 lines"

	# a 30 MB body is streamed: one line, and memory stays bounded
	tmx send-keys -t t 'FETCH 2 BODY.PEEK[TEXT]' Enter
	wait_for console_pane '^S: \[literal of [0-9]{8} bytes, streamed, not shown\]$'
	ok $? "$name: FETCH of a 30 MB body shows its summary line"
	wait_ok_of 'FETCH 2 BODY' ; ok $? "$name: ... and completes"
	want=$(imapwb_peak_mb)
	case ${IMAPWB_SAN_CFLAGS:-} in
	*-fsanitize=address*)
		# shadow memory and the quarantine inflate RSS
		ok 0 "$name: ... peak RSS # SKIP an ASan build (the bound is for the plain build)" ;;
	*)
		[ -n "$want" ] && [ "$want" -lt 48 ]
		ok $? "$name: ... imapwb's peak resident memory stays under 48 MB (${want} MB)" ;;
	esac
	tmx send-keys -t t 'LOGOUT' Enter
	wait_for console_pane '^disconnected>' ; ok $? "$name: LOGOUT"
	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "$name: ... q quits, exit 0"
	tmx_stop
}

# --show-literal applies in the TUI too, before the pane's height does.
show_literal_test() {
	local srv=$1 name=${1,,} box=$2 port_var="${1}_PORT" pane
	start_tui "${!port_var}" --show-literal 1K
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI with --show-literal 1K"
	tmx send-keys -t t "EXAMINE $box" Enter 'FETCH 1 BODY.PEEK[TEXT]' Enter
	wait_for console_pane '^S: \[… 28376 more bytes of a literal of 29400 bytes\]$'
	ok $? "$name: ... '[… 28376 more bytes of a literal of 29400 bytes]'"
	pane=$(console_pane)
	like "$pane" '^S: Literal line 0020 of 0600: read it like telnet\.$' "$name: ... after line 20"
	like "$pane" '^S: Literal line 0021 of 0600: read it like teln$' \
		"$name: ... and line 21 cut at byte 1024"
	tmx send-keys -t t 'LOGOUT' Enter
	wait_for console_pane '^disconnected>' ; ok $? "$name: LOGOUT"
	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "$name: ... q quits, exit 0"
	tmx_stop
}

[ -x "$IMAPWB" ] || { echo "Bail out! no imapwb binary at $IMAPWB"; exit 99; }
tb_start_dovecot
literal_test DOVECOT Literal
show_literal_test DOVECOT Literal
tb_start_cyrus
literal_test CYRUS INBOX.Literal

done_testing
