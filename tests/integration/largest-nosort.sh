#!/usr/bin/env bash
# --largest on a Dovecot without SORT, SORT=DISPLAY and ESORT (the test
# bed's tb_dovecot_caps_without) over the very Maildir of a Dovecot with
# them, so both hold the same messages under the same UIDs (and the same
# on Cyrus, below):
#  - the 20 rows (mailbox, UIDVALIDITY, UID, size, and the rest) are those
#    of the SORT path, byte for byte, with ties at the cut: 10 messages of
#    one size, added to INBOX and Sent, rank by mailbox (LIST order, as
#    scanned), then by ascending UID, the order SORT (REVERSE SIZE) gives;
#  - on the wire, each mailbox costs one UID FETCH 1:* (UID RFC822.SIZE)
#    where the SORT path sends UID SORT and a FETCH of its candidates:
#    the exact command list, no SORT sent.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
W=$TB_ROOT/largest-nosort
mkdir -p "$W"

# imapwb as alice against instance $1; sets OUT, ERR (the wire, -v), RC.
job() {
	local port_var="${1}_PORT"
	shift
	OUT=$(timeout 120 "$IMAPWB" -p "${!port_var}" --cafile "$TB_CA" \
		-a alice --password-file "$(tb_password_file alice)" -v "$@" \
		127.0.0.1 2>"$W/err" </dev/null)
	RC=$?
	ERR=$(cat "$W/err")
}

# The commands a run sent, without tags, one a line.
commands() { printf '%s\n' "$1" | sed -n 's/^C: [a-z]*[0-9]* //p'; }
# "mailbox uid size" of each JSON row.
rows() {
	"$TB_PYTHON" -c 'import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["mailbox"], r["uid"], r["size"])'
}

# A message of exactly $1 bytes (CRLF lines), numbered $2.
sized_message() {
	"$TB_PYTHON" - "$1" "$2" <<'PY'
import sys
size, n = int(sys.argv[1]), int(sys.argv[2])
head = ("From: Tie <tie@example.org>\r\nTo: alice@example.org\r\n"
        "Subject: tie %03d\r\nDate: Tue, 5 Dec 2023 10:00:00 +0000\r\n"
        "Message-ID: <tie-%03d@example.org>\r\n\r\n" % (n, n)).encode()
line = b"x" * 76 + b"\r\n"
body = line * ((size - len(head)) // len(line))
body += b"y" * (size - len(head) - len(body))
sys.stdout.buffer.write(head + body)
PY
}

[ -x "$IMAPWB" ] || { echo "Bail out! no imapwb binary at $IMAPWB"; exit 99; }
tb_start_dovecot
tb_seed DOVECOT >/dev/null || exit 99

# Ties at the cut: ten more messages of the 15th largest size.
job DOVECOT --largest 20 --json
tie=$(printf '%s\n' "$OUT" | rows | sed -n 15p | cut -d' ' -f3)
[ -n "$tie" ] || { echo "Bail out! no 15th row: $ERR"; exit 99; }
for i in 1 2 3 4 5 6 7 8 9 10; do
	box=INBOX
	[ "$i" -gt 6 ] && box=Sent
	sized_message "$tie" "$i" >"$W/tie.eml"
	tb_alice DOVECOT append "$box" "$W/tie.eml" >/dev/null ||
		{ echo "Bail out! APPEND to $box failed"; exit 99; }
done

tb_start_dovecot --name nosort --extra-conf \
	"$(tb_dovecot_caps_without SORT SORT=DISPLAY ESORT)
mail_location = maildir:$(tb_dovecot_maildir alice)"
caps=$(tb_alice NOSORT caps)
unlike "$caps" '(^| )(SORT|ESORT|SORT=DISPLAY)( |$)' "the second Dovecot offers no SORT, ESORT or SORT=DISPLAY"
like "$caps" '(^| )ESEARCH( |$)' "... and still ESEARCH"

job DOVECOT --largest 20 --json
is "$RC" 0 "with SORT: --largest 20 --json exits 0"
with_sort=$OUT with_sort_wire=$(commands "$ERR")
like "$with_sort_wire" '^UID SORT \(REVERSE SIZE\) US-ASCII ALL$' "... by UID SORT"
got=$(printf '%s\n' "$OUT" | rows)
is "$(printf '%s\n' "$got" | sed -n '15,20p' | cut -d' ' -f3 | uniq)" "$tie" \
	"... the 15th to the 20th rows share one size: the cut falls among ties"
is "$(printf '%s\n' "$got" | sort -k3,3nr -s | awk '{print $1, $2, $3}')" "$got" \
	"... larger first"

job NOSORT --largest 20 --json
is "$RC" 0 "without SORT: --largest 20 --json exits 0"
is "$OUT" "$with_sort" "... the very rows of the SORT path, ties in the same order"
# each mailbox's tied rows by UID (the mailboxes' order is the scan's,
# the same in both runs: compared above)
for box in INBOX Sent; do
	uids=$(printf '%s\n' "$OUT" | rows | awk -v t="$tie" -v b="$box" '$3 == t && $1 == b {print $2}')
	is "$uids" "$(printf '%s\n' "$uids" | sort -n)" "... $box's tied rows by ascending UID"
done
want=$(printf '%s\n' "$with_sort_wire" | awk '
	/^UID SORT / { print "UID FETCH 1:* (UID RFC822.SIZE)"; skip = 1; next }
	skip && /^UID FETCH [0-9,:]+ \(UID RFC822.SIZE\)$/ { skip = 0; next }
	{ skip = 0; print }')
nosort_wire=$(commands "$ERR")
is "$nosort_wire" "$want" "... the SORT path's commands, one UID FETCH 1:* a mailbox in place of SORT and its FETCH"
unlike "$nosort_wire" 'SORT' "... no SORT sent"
like "$nosort_wire" '^UID FETCH 1:\* \(UID RFC822.SIZE\)$' "... UID FETCH 1:* sent"

# Cyrus, whose imapd.conf can hide capabilities (suppress_capabilities):
# two instances seeded alike, so mailboxes, UIDs and sizes agree, with the
# same ten ties at the cut appended to both in the same order.
add_ties() {
	local srv=$1 size=$2 i box
	for i in 1 2 3 4 5 6 7 8 9 10; do
		box=INBOX
		[ "$i" -gt 6 ] && box=INBOX.Sent
		sized_message "$size" "$i" >"$W/tie.eml"
		tb_alice "$srv" append "$box" "$W/tie.eml" >/dev/null ||
			{ echo "Bail out! APPEND to $box on $srv failed"; exit 99; }
	done
}
tb_start_cyrus
tb_seed CYRUS >/dev/null || exit 99
tb_start_cyrus --name cynosort --extra-conf \
	"suppress_capabilities: SORT SORT=DISPLAY SORT=MODSEQ SORT=UID ESORT"
tb_seed CYNOSORT >/dev/null || exit 99
job CYRUS --largest 20 --json
tie=$(printf '%s\n' "$OUT" | rows | sed -n 15p | cut -d' ' -f3)
[ -n "$tie" ] || { echo "Bail out! no 15th row on Cyrus: $ERR"; exit 99; }
add_ties CYRUS "$tie"
add_ties CYNOSORT "$tie"
caps=$(tb_alice CYNOSORT caps)
unlike "$caps" '(^| )(SORT|ESORT|SORT=[A-Z]+)( |$)' "cyrus: the second Cyrus offers no SORT, ESORT or SORT=..."

job CYRUS --largest 20 --json
is "$RC" 0 "cyrus with SORT: --largest 20 --json exits 0"
with_sort=$(printf '%s\n' "$OUT" | rows)
like "$(commands "$ERR")" '^UID SORT \(REVERSE SIZE\) US-ASCII ALL$' "... by UID SORT"
is "$(printf '%s\n' "$with_sort" | sed -n '15,20p' | cut -d' ' -f3 | uniq)" "$tie" \
	"... the cut falls among ties"
job CYNOSORT --largest 20 --json
is "$RC" 0 "cyrus without SORT: --largest 20 --json exits 0"
is "$(printf '%s\n' "$OUT" | rows)" "$with_sort" \
	"... the very rows (mailbox, UID, size) of the SORT path, ties in the same order"
nosort_wire=$(commands "$ERR")
unlike "$nosort_wire" 'SORT' "... no SORT sent"
like "$nosort_wire" '^UID FETCH 1:\* \(UID RFC822.SIZE\)$' "... UID FETCH 1:* sent"

done_testing
