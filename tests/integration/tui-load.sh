#!/usr/bin/env bash
# The Messages view loads an index at the server's pace (ARCHITECTURE.md,
# "The TUI index"), on a real terminal (tmux) against Dovecot and Cyrus,
# through a TLS proxy (tests/lib/gate-proxy.py) that holds the view's
# envelope commands (UID FETCH ... (ENVELOPE)) until the test opens its
# gate. A mailbox of 300 messages of 300 different sizes, sorted by size
# before it is opened:
#  - before any envelope came, the first screen is already in the exact
#    size order (UID and size of each row, from the server through an
#    independent client), every subject still "...", and the title says
#    "0/300 envelopes";
#  - the sizes and flags came in one command, folded in the console;
#  - another client expunges the second row's message while the view's
#    envelope commands wait; the gate opens;
#  - the index ends complete: 299 rows, every one in size order with its
#    exact subject, the expunged one gone, the title's progress gone;
#  - the console shows a few folded [messages] lines, no FETCH line, and
#    the transcript shows no envelope asked for twice.
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
SOCK="imapwb-load-$$"
N=300

# The view's pane (right of the first vertical line) and the console's.
view_pane() { screen | sed -n 's/^[^│]*│//p'; }
console_pane() { screen | sed 's/│.*//'; }
count_in_console() { console_pane | grep -cE -- "$1"; }
# The list rows on screen as "UID SIZE SUBJECT": the subject is "Load N"
# (the sender is "Load Sender"), or ... before the envelope came.
rows_on_screen() {
	view_pane | sed -n '3,$p' | awk 'NF >= 4 && $1 ~ /^[0-9]+$/ {
		s = "?"
		if (match($0, /Load [0-9]+/))
			s = substr($0, RSTART, RLENGTH)
		else if (index($0, " ... "))
			s = "..."
		print $2 " " $NF " " s }'
}

# Fill box $2 on port $1 with N messages of different sizes (imaplib,
# STARTTLS), then print "UID SIZE SUBJECT" for each in descending size
# order, as the server reports them.
fill_box() {
	"$TB_PYTHON" - "$1" "$2" "$N" "$TB_CA" "${TB_PASS[alice]}" <<'EOF'
import imaplib, ssl, sys
port, box, n, ca, pw = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
c = imaplib.IMAP4("127.0.0.1", port)
c.starttls(ssl.create_default_context(cafile=ca))
c.login("alice", pw)
c.create(box)
for i in range(1, n + 1):
    # 7 bytes a step: sizes differ, whatever the digits of i add
    pad = "x" * (7 * ((i * 37) % n))
    msg = ("From: Load Sender <load@example.org>\r\nTo: alice@example.org\r\n"
           "Subject: Load %d\r\nDate: Mon, 4 Dec 2023 10:00:00 +0000\r\n"
           "\r\nBody %d %s\r\n" % (i, i, pad)).encode()
    typ, _ = c.append(box, None, None, msg)
    assert typ == "OK"
c.select(box, readonly=True)
typ, data = c.uid("FETCH", "1:*", "(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
rows = []
for item in data:
    if isinstance(item, tuple):
        meta, hdr = item
        words = meta.decode().replace("(", " ").split()
        uid = int(words[words.index("UID") + 1])
        size = int(words[words.index("RFC822.SIZE") + 1])
        subject = hdr.decode().split(":", 1)[1].strip()
        rows.append((size, uid, subject))
rows.sort(reverse=True)
for size, uid, subject in rows:
    print(uid, size, subject)
c.logout()
EOF
}

load_test() {
	local srv=$1 name=${1,,} box=$2 port_var="${1}_PORT" imaps_var="${1}_IMAPS_PORT"
	local expected=$TB_ROOT/$name.expected tr=$TB_ROOT/$name.transcript
	local gate=$TB_ROOT/$name.gate portfile=$TB_ROOT/$name.proxyport
	local i n gone got want lines

	fill_box "${!port_var}" "$box" >"$expected"
	is "$(wc -l <"$expected")" "$N" "$name: $box holds $N messages (imaplib)"
	is "$(awk '{ print $2 }' "$expected" | sort -u | wc -l)" "$N" \
		"$name: ... of $N different sizes"

	"$TB_PYTHON" "$top/tests/lib/gate-proxy.py" --port-file "$portfile" \
		--upstream "${!imaps_var}" --ca "$TB_CA" \
		--cert "$TB_ROOT/certs/server.pem" --key "$TB_ROOT/certs/server.key" \
		--hold 'UID FETCH [0-9:,]+ \(ENVELOPE\)' --gate "$gate" &
	tb_register_pid $!
	for ((i = 0; i < 100; i++)); do
		[ -s "$portfile" ] && break
		sleep 0.05
	done

	tmx -f /dev/null new-session -d -s t -x 200 -y 110 \
		"$IMAPWB -s -p $(cat "$portfile") --cafile $TB_CA -a alice --password-file $PWFILE --transcript $tr 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up through the proxy"

	# sort by size first, then open the mailbox from the console
	tmx send-keys -t t M-3
	wait_screen 'no mailbox selected'
	tmx send-keys -t t 7
	sleep 0.3 # no mailbox: the sort is kept for the next one, unshown
	tmx send-keys -t t Tab "SELECT $box" Enter
	wait_for view_pane "^$box  0/$N envelopes  sort: size descending" ; ok $? "$name: the title: 0/$N envelopes, sorted by size"
	wait_for console_pane "^C: [a-z]{3}[0-9]+ \\[messages\\] UID FETCH 1:\\* \\(UID RFC822\\.SIZE FLAGS\\) → $N FETCH" ; ok $? "$name: sizes and flags of all $N in one command, folded"
	got=$(rows_on_screen | head -n 40)
	want=$(head -n 40 "$expected" | awk '{ print $1 " " $2 " ..." }')
	is "$got" "$want" "$name: before any envelope, the first 40 rows in size order (UID, size), subjects ..."
	view_pane | grep -q ' Load [0-9]' ; ok $((!$?)) "$name: ... and no subject yet"

	# the second row's message goes while the envelopes wait
	gone=$(sed -n 2p "$expected" | awk '{ print $1 }')
	tb_imapctl --port "${!port_var}" --ca "$TB_CA" --user alice \
		--password "${TB_PASS[alice]}" expunge "$box" "$gone" >/dev/null
	ok $? "$name: another client expunges UID $gone (the second row)"
	touch "$gate"
	wait_for view_pane "^$box  $((N - 1)) msgs  sort: size descending" ; ok $? "$name: the index is complete: $((N - 1)) msgs, the progress gone"

	# every row, page by page (duplicates of an overlap dropped)
	tmx send-keys -t t Tab Home
	: >"$TB_ROOT/$name.got"
	for ((i = 0; i < 6; i++)); do
		sleep 0.2
		rows_on_screen >>"$TB_ROOT/$name.got"
		tmx send-keys -t t PageDown
	done
	got=$(awk '!seen[$1]++' "$TB_ROOT/$name.got")
	want=$(awk -v gone="$gone" '$1 != gone' "$expected")
	is "$got" "$want" "$name: all $((N - 1)) rows in size order with their exact subjects, UID $gone gone"

	lines=$(count_in_console '^C: [a-z]{3}[0-9]+ \[messages\] ')
	[ "$lines" -ge 2 ] && [ "$lines" -le 8 ] ; ok $? "$name: the console shows $lines folded [messages] lines (2 to 8)"
	is "$(count_in_console '^S: \* [0-9]+ FETCH')" 0 "$name: ... and no FETCH line"
	is "$(count_in_console '^C: [a-z]{3}[0-9]+ \[messages\] UID FETCH [0-9:,]+([ …]|$)')" \
		"$(grep -c ' C: [a-z]*[0-9]* UID FETCH [0-9:,]* (ENVELOPE)' "$tr")" \
		"$name: every envelope command has its one folded line"
	# the server may still answer for the expunged one: at most N
	grep -E '^[^ ]+ S: \* [0-9]+ FETCH \(.*ENVELOPE' "$tr" |
		grep -oE 'UID [0-9]+' >"$TB_ROOT/$name.uids"
	n=$(wc -l <"$TB_ROOT/$name.uids")
	is "$(sort -u "$TB_ROOT/$name.uids" | wc -l)" "$n" \
		"$name: the transcript's $n envelopes are of $n messages: none asked for twice"
	[ "$n" -ge $((N - 1)) ] && [ "$n" -le "$N" ] ; ok $? "$name: ... $((N - 1)) or $N of them"

	tmx send-keys -t t q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	tmx_stop
}

tb_start_dovecot
load_test DOVECOT Load
tb_start_cyrus
load_test CYRUS INBOX.Load

done_testing
