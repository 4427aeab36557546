#!/usr/bin/env bash
# The jobs (--largest, --delete, --save) against real Dovecot and Cyrus,
# checked against the corpus manifest and, for what the server holds
# afterwards, through a second client (imapctl.py):
#  - --largest ranks exactly as the manifest says, across folders, in
#    text and JSON, with --min-size and --mailbox; on a Dovecot that
#    offers no SORT and no ESEARCH too (the UID FETCH / SEARCH paths);
#  - --delete removes exactly the UID given while another client holds a
#    different message \Deleted: that one, the corpus's own \Deleted ones
#    and an unrelated one are still there; never a plain EXPUNGE or CLOSE
#    on the wire; a wrong UIDVALIDITY, a missing UID, no UIDPLUS and no
#    MOVE, and no terminal without --yes each give exit 6 with nothing
#    changed; --dry-run changes nothing; --move-to-trash moves;
#  - --save writes the server's exact bytes (sha256 from the manifest),
#    and --part --decode the generator's payload (decoded by Python);
#  - against a scripted fake server: a connection cut in the middle of
#    the body gives exit 5 and no file, temporary or final; a body of
#    another size than announced is refused.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
CHECK=$top/tests/integration/jobs-check.py
FAKE=$top/tests/fake/fakeserver.py
FAKE_CASES=$top/tests/data/fake-jobs

tb_init
W=$TB_ROOT/jobs
mkdir -p "$W"

# imapwb as alice against server $1 (DOVECOT, CYRUS or another instance
# name), then the job's options. Sets OUT, ERR and RC.
job() {
	local srv=$1 port_var="${1}_PORT"
	shift
	OUT=$(timeout 120 setsid -w "$IMAPWB" -p "${!port_var}" --cafile "$TB_CA" \
		-a alice --password-file "$(tb_password_file alice)" "$@" \
		127.0.0.1 2>"$W/err" </dev/null)
	RC=$?
	ERR=$(cat "$W/err")
}


expect() { "$TB_PYTHON" "$CHECK" "$TB_CORPUS" "$NAMES" "$@"; }


exists() {
	local out
	out=$(tb_alice "$1" select "$2")
	printf '%s' "${out#exists }"
}

largest_tests() {
	local srv=$1 name=$2 want got
	want=$(expect top 5)
	job "$srv" --largest 5 --json
	is "$RC" 0 "$name: --largest 5 --json exits 0"
	got=$(printf '%s\n' "$OUT" | expect rows)
	is_some "$got" "$want" "$name: ... the five largest across folders, as the manifest ranks them"
	want=$(expect row big-20mb)
	got=$(printf '%s\n' "$OUT" | head -1 | "$TB_PYTHON" -c 'import json, sys
r = json.loads(sys.stdin.read())
p = r["largest_part"]
print("%d|%s|%s|%s|%d" % (r["uidvalidity"], r["subject"], p["part"], p["type"], p["size"]))')
	is_some "$got" "$want" "$name: ... the first row's UIDVALIDITY, subject and largest part"
	like "$OUT" '"date":"2023-12-1[23]T[0-9:]+[+-][0-9:]+","from":"Ops Team <ops@example.org>"' \
		"$name: ... its date and sender"

	job "$srv" --largest 3
	is "$RC" 0 "$name: --largest 3 (a table) exits 0"
	is "$(printf '%s\n' "$OUT" | wc -l)" 4 "$name: ... a header and three rows"
	like "$(printf '%s\n' "$OUT" | sed -n 2p)" '^ +20006913  INBOX +[0-9]+ +18  ' \
		"$name: ... the 20 MB message first"

	want=$(expect top 50 1048576)
	job "$srv" --largest 50 --min-size 1M --json
	got=$(printf '%s\n' "$OUT" | expect rows)
	is_some "$got" "$want" "$name: --min-size 1M keeps exactly the messages of 1 MiB or more"

	want=$(expect top 4 0 INBOX)
	job "$srv" --largest 4 --mailbox INBOX --json
	got=$(printf '%s\n' "$OUT" | expect rows)
	is_some "$got" "$want" "$name: --mailbox INBOX ranks that mailbox only"
}

delete_tests() {
	local srv=$1 name=$2 inbox=$3 trash=$4 uv other before deleted_before n
	uv=$(expect find INBOX legacy-ascii | cut -d' ' -f4)

	# another client holds message 2 \Deleted; we delete 1
	tb_alice "$srv" store "$inbox" 2 +FLAGS '(\Deleted)' >/dev/null
	deleted_before=$(tb_uids_where "$srv" "$inbox" DELETED)
	is "$deleted_before" "2 19 20 21" "$name: the second client holds UID 2 \\Deleted (and the corpus 19-21)"
	before=$(exists "$srv" "$inbox")
	job "$srv" --delete --mailbox "$inbox" --uidvalidity "$uv" --uids 1 --yes
	is "$RC" 0 "$name: --delete --uids 1 exits 0"
	like "$OUT" '^C: [a-z]+[0-9]+ UID STORE 1 \(UNCHANGEDSINCE [0-9]+\) \+FLAGS\.SILENT \(\\Deleted\)$' \
		"$name: ... UID STORE (UNCHANGEDSINCE) of exactly UID 1"
	like "$OUT" '^C: [a-z]+[0-9]+ UID EXPUNGE 1$' "$name: ... UID EXPUNGE of exactly UID 1"
	like "$OUT" '^C: [a-z]+[0-9]+ UID SEARCH UID 1$' "$name: ... verified with UID SEARCH"
	like "$OUT" '^C: [a-z]+[0-9]+ UNSELECT$' "$name: ... and left with UNSELECT"
	unlike "$OUT" '^C: [a-z]+[0-9]+ (EXPUNGE|CLOSE)' "$name: ... never a plain EXPUNGE or CLOSE"
	is "$(tb_uids_where "$srv" "$inbox" UID 1:3)" "2 3" "$name: UID 1 is gone, UIDs 2 and 3 are there"
	is "$(tb_uids_where "$srv" "$inbox" DELETED)" "$deleted_before" \
		"$name: ... every other \\Deleted message is still there"
	is "$(exists "$srv" "$inbox")" "$((before - 1))" "$name: ... one message fewer"

	# a wrong UIDVALIDITY changes nothing
	job "$srv" --delete --mailbox "$inbox" --uidvalidity "$((uv + 1))" --uids 3 --yes
	is "$RC" 6 "$name: a wrong UIDVALIDITY: exit 6"
	like "$ERR" "UIDVALIDITY of $inbox is $uv, not $((uv + 1))" "$name: ... saying why"
	unlike "$OUT" 'UID (STORE|EXPUNGE|MOVE)' "$name: ... nothing destructive sent"
	is "$(exists "$srv" "$inbox")" "$((before - 1))" "$name: ... nothing changed"

	# a UID that is not there: refused, not half done
	job "$srv" --delete --mailbox "$inbox" --uidvalidity "$uv" --uids 3,999 --yes
	is "$RC" 6 "$name: one of two UIDs missing: exit 6"
	like "$ERR" '1 of the 2 UIDs are not in the mailbox' "$name: ... saying which"
	is "$(tb_uids_where "$srv" "$inbox" UID 3)" 3 "$name: ... UID 3 is still there"

	# --dry-run
	job "$srv" --delete --mailbox "$inbox" --uidvalidity "$uv" --uids 3 --dry-run
	is "$RC" 0 "$name: --dry-run exits 0"
	like "$OUT" '^C: [a-z]+[0-9]+ EXAMINE ' "$name: ... EXAMINEs (read-only)"
	like "$OUT" 'dry run, not sent: UID STORE 3 ' "$name: ... shows the STORE it would send"
	like "$OUT" 'dry run, not sent: UID EXPUNGE 3$' "$name: ... and the UID EXPUNGE"
	unlike "$OUT" '^C: [a-z]+[0-9]+ (UID STORE|UID EXPUNGE|STORE|EXPUNGE|SELECT)' \
		"$name: ... and sends neither"
	is "$(tb_uids_where "$srv" "$inbox" UID 3)" 3 "$name: ... UID 3 is still there"

	# no terminal and no --yes
	job "$srv" --delete --mailbox "$inbox" --uidvalidity "$uv" --uids 3
	is "$RC" 6 "$name: without --yes and without a terminal: exit 6"
	like "$ERR" 'no terminal' "$name: ... saying why"
	is "$(tb_uids_where "$srv" "$inbox" UID 3)" 3 "$name: ... UID 3 is still there"

	# --move-to-trash
	n=$(exists "$srv" "$trash")
	job "$srv" --delete --mailbox "$inbox" --uidvalidity "$uv" --uids 3 --move-to-trash --yes
	is "$RC" 0 "$name: --move-to-trash exits 0"
	like "$OUT" "^C: [a-z]+[0-9]+ UID MOVE 3 $trash\$" "$name: ... UID MOVE to the \\Trash mailbox"
	is "$(tb_uids_where "$srv" "$inbox" UID 3)" "" "$name: ... UID 3 left the mailbox"
	is "$(exists "$srv" "$trash")" "$((n + 1))" "$name: ... and is in $trash"
	is "$(tb_uids_where "$srv" "$inbox" DELETED)" "$deleted_before" \
		"$name: ... the \\Deleted messages are still there"
	other=$(tb_uids_where "$srv" "$inbox" UID 2)
	is "$other" 2 "$name: ... so is the second client's UID 2"
}

save_tests() {
	local srv=$1 name=$2 inbox=$3 uid size sha uv want got part enc
	read -r uid size sha uv <<<"$(expect find INBOX attach-intl)"
	job "$srv" -v --save --mailbox "$inbox" --uidvalidity "$uv" --uid "$uid" -o "$W/msg.eml"
	is "$RC" 0 "$name: --save of UID $uid exits 0"
	is "$(sha256sum <"$W/msg.eml" | cut -d' ' -f1)" "$sha" "$name: ... the file is the server's $size bytes"
	is "$(printf '%s\n' "$ERR" | grep -c '^C: [a-z]*[0-9]* UID FETCH ')" 1 "$name: ... in one UID FETCH"
	like "$ERR" "^C: [a-z]+[0-9]+ UID FETCH $uid \\(UID RFC822\\.SIZE BODY\\.PEEK\\[\\]\\)\$" "$name: ... of its RFC822.SIZE and BODY.PEEK[]"
	unlike "$ERR" '^C: [a-z]+[0-9]+ UNSELECT' "$name: ... and no UNSELECT before the LOGOUT"
	like "$ERR" '^C: [a-z]+[0-9]+ LOGOUT$' "$name: ... which it sends"
	is "$(find "$W" -name '.msg.eml.*' | wc -l)" 0 "$name: ... and no temporary file is left"

	for key in attach-intl big-20mb utf8-qp; do
		read -r uid size sha uv <<<"$(expect find INBOX $key)"
		read -r part want enc <<<"$(expect part $key)"
		rm -f "$W/part"
		job "$srv" --save --mailbox "$inbox" --uidvalidity "$uv" --uid "$uid" \
			--part "$part" --decode --output "$W/part"
		is "$RC" 0 "$name: --save --part $part --decode of $key ($enc) exits 0"
		got=$(sha256sum <"$W/part" | cut -d' ' -f1)
		is_some "$got" "$want" "$name: ... the file is the generator's payload"
	done

	job "$srv" --save --mailbox "$inbox" --uidvalidity "$((uv + 1))" --uid "$uid" -o "$W/never"
	is "$RC" 6 "$name: --save with a wrong UIDVALIDITY: exit 6"
	[ ! -e "$W/never" ]; ok $? "$name: ... and no file"
	job "$srv" --save --mailbox "$inbox" --uidvalidity "$uv" --uid 4000 -o "$W/never"
	is "$RC" 1 "$name: --save of a UID that is not there: exit 1"
	like "$ERR" 'there is no UID 4000 in ' "$name: ... saying so"
	[ ! -e "$W/never" ]; ok $? "$name: ... and no file"
}

# --save of the 20 MB message onto a full filesystem: a 1 MiB tmpfs in a
# mount namespace of its own (gone with the process, whatever happens).
# imapwb must say the disk is full and leave neither the file nor its
# temporary sibling.
full_disk_tests() {
	local srv=$1 name=$2 inbox=$3 port_var="${1}_PORT" uid size sha uv
	local dir=$W/full
	read -r uid size sha uv <<<"$(expect find INBOX big-20mb)"
	mkdir -p "$dir"
	OUT=$(timeout 120 unshare --mount --propagation private sh -c '
		dir=$1; shift
		mount -t tmpfs -o size=1m tmpfs "$dir" || exit 99
		"$@"; rc=$?
		echo "left: $(ls -A "$dir" | tr "\n" " ")"
		exit $rc' sh "$dir" "$IMAPWB" -p "${!port_var}" --cafile "$TB_CA" \
		-a alice --password-file "$(tb_password_file alice)" --save \
		--mailbox "$inbox" --uidvalidity "$uv" --uid "$uid" \
		-o "$dir/big.eml" 127.0.0.1 2>"$W/err" </dev/null)
	RC=$?
	ERR=$(cat "$W/err")
	if [ "$RC" -eq 99 ]; then
		ok 1 "$name: --save onto a full disk (cannot mount a tmpfs here: $ERR)"
		return
	fi
	is "$RC" 1 "$name: --save of $size bytes onto a 1 MiB filesystem: exit 1"
	like "$ERR" 'No space left on device' "$name: ... saying the disk is full"
	like "$OUT" '^left: $' "$name: ... and leaving neither the file nor a temporary one"
}

server_tests() {
	local srv=$1 name=${1,,} inbox=$2 trash=$3
	tb_seed "$srv" >/dev/null
	local names_var="${srv}_NAMES"
	NAMES=${!names_var}
	largest_tests "$srv" "$name"
	save_tests "$srv" "$name" "$inbox"
	full_disk_tests "$srv" "$name" "$inbox"
	delete_tests "$srv" "$name" "$inbox" "$trash"
}

# A Dovecot that offers neither UIDPLUS nor MOVE (nor SORT and ESEARCH,
# so --largest takes its UID FETCH and UID SEARCH paths there).
bare_dovecot_tests() {
	local name=bare uv before want got caps
	caps='IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ UNSELECT'
	caps="$caps CHILDREN NAMESPACE CONDSTORE SPECIAL-USE LIST-EXTENDED ACL MULTIAPPEND"
	tb_start_dovecot --name bare --extra-conf "imap_capability = $caps"
	tb_seed BARE >/dev/null || exit 99
	NAMES=$BARE_NAMES
	uv=$(expect find INBOX legacy-ascii | cut -d' ' -f4)
	before=$(exists BARE INBOX)
	job BARE --delete --mailbox INBOX --uidvalidity "$uv" --uids 1 --yes
	is "$RC" 6 "$name: no UIDPLUS and no MOVE: exit 6"
	like "$ERR" 'no UIDPLUS and no MOVE: a plain EXPUNGE would also remove 3 other messages marked \\Deleted in INBOX; nothing was changed' \
		"$name: ... saying how many others a plain EXPUNGE would take"
	like "$OUT" '^C: [a-z]+[0-9]+ EXAMINE INBOX' "$name: ... looked read-only"
	unlike "$OUT" '^C: [a-z]+[0-9]+ (UID STORE|UID EXPUNGE|STORE|EXPUNGE|CLOSE)' "$name: ... sent nothing destructive"
	is "$(exists BARE INBOX)" "$before" "$name: ... nothing changed"
	job BARE --delete --mailbox INBOX --uidvalidity "$uv" --uids 1 --move-to Trash --yes
	is "$RC" 6 "$name: --move-to without MOVE: exit 6"
	is "$(exists BARE INBOX)" "$before" "$name: ... nothing changed"

	want=$(expect top 5)
	job BARE --largest 5 --json
	got=$(printf '%s\n' "$OUT" | expect rows)
	is_some "$got" "$want" "$name: --largest without SORT (UID FETCH RFC822.SIZE) ranks as the manifest"
	job BARE --largest 5 --json -v
	like "$ERR" 'C: [a-z]+[0-9]+ UID FETCH 1:\* \(UID RFC822.SIZE\)' "$name: ... by one UID FETCH 1:* a mailbox"
	want=$(expect top 50 1048576)
	job BARE --largest 50 --min-size 1M --json -v
	got=$(printf '%s\n' "$OUT" | expect rows)
	is_some "$got" "$want" "$name: --min-size without SORT or ESEARCH ranks as the manifest"
	like "$ERR" 'C: [a-z]+[0-9]+ UID SEARCH LARGER 1048575' "$name: ... found by UID SEARCH LARGER"
}

# --- the scripted fake server ------------------------------------------------

fake_case() {
	local case=$1 out=$2 i
	rm -f "$W/port"
	"$TB_PYTHON" "$FAKE" --case "$FAKE_CASES/$case.case" --port-file "$W/port" \
		--timeout 20 2>"$W/fake.err" &
	FAKE_PID=$!
	tb_register_pid "$FAKE_PID"
	for ((i = 0; i < 200; i++)); do
		[ -s "$W/port" ] && break
		sleep 0.025
	done
	OUT=$(timeout 30 "$IMAPWB" --plaintext -m login -a u -w x -p "$(cat "$W/port")" \
		--save --mailbox INBOX --uidvalidity 7 --uid 5 -o "$out" 127.0.0.1 \
		2>"$W/err" </dev/null)
	RC=$?
	ERR=$(cat "$W/err")
	wait "$FAKE_PID"
	FAKE_RC=$?
}

fake_tests() {
	mkdir -p "$W/fake"
	fake_case save-cut "$W/fake/cut.eml"
	is "$RC" 5 "fake: a connection cut during --save: exit 5"
	like "$ERR" 'closed the connection' "fake: ... saying so"
	[ ! -e "$W/fake/cut.eml" ]; ok $? "fake: ... no file under the final name"
	is "$(find "$W/fake" -type f | wc -l)" 0 "fake: ... and no temporary file left"
	is "$FAKE_RC" 0 "fake: ... the client did what the script expects"

	fake_case save-size-mismatch "$W/fake/big.eml"
	is "$RC" 1 "fake: a body larger than its RFC822.SIZE: exit 1"
	like "$ERR" 'a body of 70000 bytes, not the 100 its RFC822.SIZE says' "fake: ... saying so"
	is "$(find "$W/fake" -type f | wc -l)" 0 "fake: ... and no file at all"
	is "$FAKE_RC" 0 "fake: ... the client did what the script expects (LOGOUT, no UNSELECT)"
}

[ -x "$IMAPWB" ] || { echo "Bail out! no imapwb binary at $IMAPWB"; exit 99; }
fake_tests
tb_start_dovecot
server_tests DOVECOT INBOX Trash
tb_start_cyrus
server_tests CYRUS INBOX INBOX.Trash
bare_dovecot_tests
done_testing
