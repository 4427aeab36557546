#!/usr/bin/env bash
# Literals in the transcript (issue #11, item 6), against real Dovecot and
# Cyrus: a FETCH of a 29400-byte body in -f shows every line of it, as
# telnet would, between the FETCH line and its ")" (the default
# --show-literal is 64K), and the --transcript file too; --show-literal 1K
# shows exactly its first 1024 bytes (20 lines and the head of the 21st),
# then "[… 28376 more bytes of a literal of 29400 bytes]"; 0 the summary
# line as before; a body over 64 KiB is streamed and keeps its summary,
# with the rest of the response after it; ESC, BEL, U+202E and a byte that
# is no UTF-8 in a body are escaped, never raw. (A LOGIN with literals
# shows no password: tests/data/fake/login-literals.case, where the
# server grants the literals.)
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
W=$TB_ROOT/work
mkdir -p "$W"

# The body: 600 lines of 49 bytes (with CRLF), 29400 bytes.
LINES=600
SIZE=29400
"$TB_PYTHON" - "$W" <<'EOF'
import sys
w = sys.argv[1]
lines = ["Literal line %04d of 0600: read it like telnet.\r\n" % i
         for i in range(1, 601)]
body = "".join(lines).encode()
assert len(body) == 29400
open(w + "/body", "wb").write(body)
open(w + "/big.eml", "wb").write(b"Subject: a literal to read\r\n\r\n" + body)
hostile = ("red \x1b[31malert\x1b[0m, bell \x07, rtl \u202eevil\u202c"
           ", \u00fcml\u00e4ut\r\n").encode() + b"bad \xff byte\r\n"
open(w + "/hostile.eml", "wb").write(
    b"Subject: hostile body\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"\r\n" + hostile)
streamed = b"".join(b"Streamed line %06d, past what the parser keeps.\r\n" % i
                    for i in range(1, 2001))
open(w + "/streamed.eml", "wb").write(b"Subject: streamed\r\n\r\n" + streamed)
open(w + "/streamed.size", "w").write(str(len(streamed)))
EOF
STREAMED=$(cat "$W/streamed.size")

# What the transcript should show of the body: "S: " and each line, the
# CRLF dropped; $1 bytes of it (and the note on what is left out).
expected_head() {
	local bytes=$1
	printf 'S: * 1 FETCH (BODY[TEXT] {%s}\n' "$SIZE"
	head -c "$bytes" "$W/body" | sed 's/\r$//; s/^/S: /'
	# head -c ends the last line without a newline: sed adds none
	[ "$(head -c "$bytes" "$W/body" | tail -c 1 | od -An -c | tr -d ' ')" = '\n' ] || echo
	[ "$bytes" -lt "$SIZE" ] &&
		printf 'S: [… %d more bytes of a literal of %d bytes]\n' \
			$((SIZE - bytes)) "$SIZE"
	printf 'S: )\n'
}

# imapwb -f with commands $2 against server $1; more options follow.
batch() {
	local srv=$1 cmds=$2 port_var="${1}_PORT"
	shift 2
	printf '%s\n' "$cmds" >"$W/cmds"
	rm -f "$W/transcript"
	OUT=$(timeout 60 "$IMAPWB" -f "$W/cmds" -p "${!port_var}" --cafile "$TB_CA" \
		-a alice --password-file "$(tb_password_file alice)" \
		--transcript "$W/transcript" "$@" 127.0.0.1 2>"$W/err")
	RC=$?
}

# The FETCH of message 1's text as the transcript shows it, from its
# first line to the ")" that ends it.
fetch_block() {
	sed -n '/^S: \* 1 FETCH (BODY\[TEXT\] /,/^S: )$/p'
}

literal_tests() {
	local srv=$1 name=${1,,} box=$2 fetch

	tb_alice "$srv" raw CREATE "$box" >/dev/null
	for m in big hostile streamed; do
		tb_alice "$srv" append "$box" "$W/$m.eml" >/dev/null ||
			tb_die "$name: appending $m.eml failed"
	done
	fetch=$(printf 'SELECT %s\nFETCH 1 BODY.PEEK[TEXT]' "$box")

	# the default: the whole body
	batch "$srv" "$fetch"
	is "$RC" 0 "$name: FETCH 1 BODY.PEEK[TEXT] in -f, exit 0"
	is "$(fetch_block <<<"$OUT")" "$(expected_head "$SIZE")" \
		"$name: ... every line of the $SIZE-byte body between the FETCH line and its ')'"
	like "$OUT" '^S: Literal line 0001 of 0600: read it like telnet\.$' \
		"$name: ... its first line as sent"
	like "$OUT" '^S: Literal line 0600 of 0600: read it like telnet\.$' \
		"$name: ... and its last"
	like "$OUT" '^S: a[0-9]{3} OK ' "$name: ... then the tagged OK"
	is "$(cut -d' ' -f2- "$W/transcript" | fetch_block)" "$(expected_head "$SIZE")" \
		"$name: the --transcript file holds the same lines"

	# --show-literal 1K: 20 lines of 49 bytes and 24 of the 21st
	batch "$srv" "$fetch" --show-literal 1K
	is "$RC" 0 "$name: --show-literal 1K, exit 0"
	is "$(fetch_block <<<"$OUT")" "$(expected_head 1024)" \
		"$name: ... exactly the first 1024 bytes, then the line naming the 28376 left out"
	like "$OUT" '^S: Literal line 0021 of 0600: read it like teln$' \
		"$name: ... the 21st line cut at byte 1024"
	like "$OUT" '^S: \[… 28376 more bytes of a literal of 29400 bytes\]$' \
		"$name: ... '[… 28376 more bytes of a literal of 29400 bytes]'"
	unlike "$OUT" 'Literal line 0600' "$name: ... and not the last line"
	is "$(cut -d' ' -f2- "$W/transcript" | fetch_block)" "$(expected_head 1024)" \
		"$name: ... the --transcript file too"

	# --show-literal 0: the summary line, as before
	batch "$srv" "$fetch" --show-literal 0
	is "$RC" 0 "$name: --show-literal 0, exit 0"
	is "$(fetch_block <<<"$OUT")" "$(printf 'S: * 1 FETCH (BODY[TEXT] {%s}\nS: [literal of %s bytes, not shown]\nS: )' "$SIZE" "$SIZE")" \
		"$name: ... the FETCH line, '[literal of $SIZE bytes, not shown]' and ')'"
	unlike "$OUT" 'Literal line' "$name: ... and no line of the body"

	# hostile bytes in a body stay escaped
	batch "$srv" "$(printf 'SELECT %s\nFETCH 2 BODY.PEEK[TEXT]' "$box")"
	is "$RC" 0 "$name: FETCH of a body holding ESC, BEL, U+202E and 0xff, exit 0"
	like "$OUT" '^S: red \\x1b\[31malert\\x1b\[0m, bell \\x07, rtl \\u\{202e\}evil\\u\{202c\}, üml'"ä"'ut$' \
		"$name: ... its first line escaped (ü and ä as they are)"
	like "$OUT" '^S: bad \\xff byte$' "$name: ... the byte that is no UTF-8 as \\xff"
	is "$(printf '%s' "$OUT" | LC_ALL=C grep -c $'[\x01-\x08\x0b-\x1f\x7f]')" 0 \
		"$name: ... and no control byte reaches stdout"
	is "$(printf '%s' "$OUT" | LC_ALL=C grep -c $'\xe2\x80[\xaa-\xae]\|\xff')" 0 \
		"$name: ... nor a bidi control or the raw 0xff"

	# a body over 64 KiB is streamed: its summary, then the response goes on
	batch "$srv" "$(printf 'SELECT %s\nFETCH 3 (BODY.PEEK[TEXT] BODY.PEEK[HEADER.FIELDS (SUBJECT)])' "$box")"
	is "$RC" 0 "$name: FETCH of a $STREAMED-byte body, exit 0"
	like "$OUT" "^S: \\[literal of $STREAMED bytes, streamed, not shown\\]\$" \
		"$name: ... streamed, shown as its summary line"
	# Dovecot sends the header after the body, Cyrus before it
	like "$(grep -A1 '^S: \[literal of .* streamed' <<<"$OUT" | tail -n 1)" \
		'^S: (\)| BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{21\})$' \
		"$name: ... and the rest of the response after it"
	like "$OUT" '^S: Subject: streamed$' \
		"$name: ... with the other literal, 21 bytes, shown whole"
	unlike "$OUT" 'Streamed line' "$name: ... no line of the streamed one"
}

tb_start_dovecot
literal_tests DOVECOT Literal
tb_start_cyrus
literal_tests CYRUS INBOX.Literal

done_testing
