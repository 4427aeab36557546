#!/usr/bin/env bash
# The TUI teaches (issue #11), on a real terminal (tmux) against Dovecot
# and Cyrus:
#  a. Hints before sending: typing shows the command's grammar under the
#     input line with the argument under the cursor reversed; "SELEC
#     INBOX" shows the warning while typed, Enter holds it (nothing goes
#     out: the --transcript file has no such line) with "did you mean
#     SELECT INBOX?" in the transcript, and Alt-y takes the corrected
#     line, which Enter sends.
#  b. Response codes are explained dimly under their lines by default;
#     a NO line is bold and underlined; Alt-x cycles the explanations.
#  c. Transcript mode (Alt-t): a reversed cursor on a line, the band
#     below explaining it with its RFC section; Up moves by response.
#  d. The link: Enter on a "* n FETCH" line shows the Messages view with
#     that message's row under the cursor; Alt-t there comes back to the
#     newest transcript line about the row.
#  e. F1, then Tab: IMAP on one screen.
#  f. In transcript mode, e shows a FETCH's literal in full and s saves
#     it to a file (its exact size and first line; an existing file is
#     not overwritten).
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
HELPER=$top/tests/integration/tui-keys-screen.py

command -v tmux >/dev/null || skip_all "tmux is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-teach-$$"
W=$TB_ROOT/work
mkdir -p "$W"

# The console pane (left of the first vertical line), as rows, and as
# one string (wrapped rows joined back: a wrap adds nothing).
console_pane() { screen | sed 's/│.*//; s/ *$//'; }
console_text() { screen | sed 's/│.*//' | tr -d '\n' | tr -s ' '; }
# The screen with its attributes (SGR sequences).
screen_e() { tmx capture-pane -p -e -t t 2>/dev/null; }
# The views' pane's reversed row: "LINE<TAB>TEXT".
view_cursor() { screen_e | "$TB_PYTHON" "$HELPER" cursor; }
# The C: lines of the user's connection in the --transcript file.
sent_lines() { grep -E '^[^ ]+ C: ' "$W/transcript" 2>/dev/null; }

# Whether the first console row holding $1 (a fixed string) is drawn
# with attribute SGR $2 (7 reverse, 4 underline) before that text.
row_has_attr() {
	screen_e | "$TB_PYTHON" -c '
import re, sys
text, attr = sys.argv[1], sys.argv[2]
for line in sys.stdin.read().split("\n"):
    if text not in re.sub(r"\x1b\[[0-9;]*m", "", line):
        continue
    seen = set()
    for m in re.finditer(r"\x1b\[([0-9;]*)m|(.)", line):
        if m.group(1) is not None:
            codes = m.group(1).split(";") if m.group(1) else ["0"]
            for c in codes:
                if c in ("", "0"):
                    seen.clear()
                else:
                    seen.add(c)
        elif attr in seen:
            print("yes")
            sys.exit(0)
    print("no")
    sys.exit(0)
print("missing")' "$1" "$2"
}

start_tui() {
	local port=$1
	tmx -f /dev/null new-session -d -s t -x 160 -y 45 \
		"$IMAPWB -p $port --cafile $TB_CA -a alice --password-file $PWFILE --transcript $W/transcript 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
}

teach_test() {
	local srv=$1 name=${1,,} missing=$2 port_var="${1}_PORT" i uid row
	local size first

	rm -f "$W/transcript"
	start_tui "${!port_var}"
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	wait_screen 'F1: keys, Tab there: IMAP on one screen' ; ok $? "$name: the hint row says where help is"

	# a. hints
	tmx send-keys -t t 'FETCH 1:3 ('
	wait_screen 'FETCH sequence-set \(item \.\.\.\)' ; ok $? "$name: typing FETCH shows its grammar under the input"
	is "$(row_has_attr '(item ...)' 7)" yes "$name: ... the argument under the cursor, (item ...), reversed"
	tmx send-keys -t t C-u 'SELEC INBOX'
	wait_screen 'SELEC is taken as the tag and INBOX as the command' ; ok $? "$name: SELEC INBOX is warned about while typed"
	tmx send-keys -t t Enter
	wait_for console_text 'SELEC is taken as the tag and INBOX as the command: did you mean SELECT INBOX\? \(RFC 9051 §2\.2\.1\)'
	ok $? "$name: Enter holds it: 'did you mean SELECT INBOX?' in the transcript"
	wait_screen 'not sent \(see above\): Enter sends it as typed, Alt-y takes: SELECT INBOX' ; ok $? "$name: ... and the keys under the input"
	sleep 0.5
	sent_lines | grep -q 'SELEC INBOX' ; ok $((!$?)) "$name: nothing was sent (the --transcript file has no SELEC INBOX)"
	tmx send-keys -t t M-y
	wait_screen 'imapwb> SELECT INBOX' ; ok $? "$name: Alt-y puts SELECT INBOX on the input line"
	tmx send-keys -t t Enter
	wait_for sent_lines ' C: a[0-9]{3} SELECT INBOX$' ; ok $? "$name: ... and Enter sends it"
	wait_screen '\| INBOX \[RW\] \|' ; ok $? "$name: INBOX is selected"

	# b. codes explained by default, NO marked
	wait_for console_text '# \[READ-WRITE\] the mailbox is open read-write \(RFC 9051 §7\.1\)'
	ok $? "$name: the SELECT's [READ-WRITE] is explained under it by default"
	tmx send-keys -t t "COPY 1 $missing" Enter
	wait_for console_text '# \[TRYCREATE\] the target mailbox does not exist'
	ok $? "$name: the COPY's [TRYCREATE] is explained"
	is "$(row_has_attr "NO [TRYCREATE]" 4)" yes "$name: the NO line is underlined"
	tmx send-keys -t t M-x
	wait_screen 'explanations: every line' ; ok $? "$name: Alt-x: every line explained"
	wait_for console_text '# COPY: copy messages to another mailbox \(RFC 9051 §6\.4\.7\)'
	ok $? "$name: ... the COPY line too"
	tmx send-keys -t t M-x
	wait_screen 'explanations: none' ; ok $? "$name: Alt-x again: none"
	wait_gone '#   \[TRYCREATE\]' ; ok $? "$name: ... the code's explanation is gone"
	tmx send-keys -t t M-x
	wait_screen 'explanations: response codes' ; ok $? "$name: and back to the codes"

	# c. transcript mode on a FETCH line
	tmx send-keys -t t 'FETCH 1:3 (UID FLAGS)' Enter
	wait_for console_pane '^S: \* 3 FETCH \(.*UID [0-9]+' ; ok $? "$name: FETCH 1:3 answered"
	uid=$(console_pane | sed -n 's/^S: \* 3 FETCH (.*UID \([0-9]*\).*/\1/p' | tail -n 1)
	tmx send-keys -t t M-t
	wait_screen ' Explained' ; ok $? "$name: Alt-t opens the band"
	for ((i = 0; i < 8; i++)); do
		console_text | grep -q 'Explained Enter: the Messages view' &&
			console_text | grep -q '\* FETCH: data about one message' && break
		tmx send-keys -t t Up
		sleep 0.2
	done
	wait_for console_text '\* FETCH: data about one message \(RFC 9051 §7\.5\.2\); answers a[0-9]{3} FETCH'
	ok $? "$name: Up reaches a FETCH line: the band says what it is, with its RFC section and command"
	wait_for console_text 'Explained Enter: the Messages view Esc: back' ; ok $? "$name: ... and that Enter shows it in the Messages view"
	is "$(row_has_attr "S: * 3 FETCH (" 7)" yes "$name: the cursor's line (* 3 FETCH, UID $uid) is reversed"

	# d. the link, both ways
	tmx send-keys -t t Enter
	wait_screen '▶ 3 Messages' ; ok $? "$name: Enter shows the Messages view"
	row=$(view_cursor | cut -f1)
	[ "${row:-0}" -gt 1 ] ; ok $? "$name: ... with a row under the cursor (screen line $row)"
	tmx send-keys -t t Home
	sleep 0.3
	tmx send-keys -t t M-t
	wait_screen ' Explained' ; ok $? "$name: Alt-t in the view goes back to the transcript"
	wait_for console_text '\* FETCH: data about one message' ; ok $? "$name: ... to a FETCH line about the row (message 1 now)"
	is "$(row_has_attr 'S: * 1 FETCH (' 7)" yes "$name: ... the cursor on * 1 FETCH"
	tmx send-keys -t t Escape
	wait_gone ' Explained' ; ok $? "$name: Esc leaves transcript mode"

	# f. a literal: e shows it in full, s saves it
	tmx send-keys -t t 'FETCH 2 BODY.PEEK[TEXT]' Enter
	wait_for console_pane '^S: \* 2 FETCH \(.*BODY\[TEXT\] \{[0-9]+\}' ; ok $? "$name: FETCH 2 BODY.PEEK[TEXT] answered"
	size=$(console_pane | sed -n 's/^S: \* 2 FETCH (.*BODY\[TEXT\] {\([0-9]*\)}.*/\1/p' | tail -n 1)
	first=$(console_pane | grep -A1 '^S: \* 2 FETCH (.*BODY\[TEXT\] {' | tail -n 1 | sed 's/^S: //')
	tmx send-keys -t t M-t
	for ((i = 0; i < 6; i++)); do
		console_text | grep -q 'e: its literal in full' && break
		tmx send-keys -t t Up
		sleep 0.2
	done
	wait_for console_text 'e: its literal in full s: save it' ; ok $? "$name: the band offers the FETCH's literal"
	tmx send-keys -t t e
	wait_screen "A literal of $size bytes" ; ok $? "$name: e shows the literal of $size bytes"
	wait_screen "│ $(re "$first")" ; ok $? "$name: ... its first line ($first)"
	tmx send-keys -t t Escape
	wait_gone "A literal of $size bytes"
	tmx send-keys -t t s
	wait_screen 'Save the literal to:' ; ok $? "$name: s asks where to save it"
	answer "$W/literal-$name.txt"
	wait_screen "saved the literal's $size bytes" ; ok $? "$name: ... and saves it"
	is "$(wc -c <"$W/literal-$name.txt" 2>/dev/null)" "$size" "$name: the file holds the literal's $size bytes"
	is "$(head -n 1 "$W/literal-$name.txt" | tr -d '\r')" "$first" "$name: ... starting with its first line"
	tmx send-keys -t t s
	wait_screen 'Save the literal to:'
	answer "$W/literal-$name.txt"
	wait_screen "literal-$name.txt exists: not overwritten" ; ok $? "$name: an existing file is not overwritten"
	tmx send-keys -t t Escape
	wait_gone ' Explained'

	# e. the primer
	tmx send-keys -t t F1
	wait_screen 'Tab: IMAP on one screen' ; ok $? "$name: F1 offers the primer"
	tmx send-keys -t t Tab
	wait_screen 'IMAP on one screen' ; ok $? "$name: Tab shows it"
	wait_screen '\* 3 EXISTS +a server line starting with "\*": data or news' ; ok $? "$name: ... with what an untagged response is"
	wait_screen '-> selected: a mailbox is open' ; ok $? "$name: ... and the state the session is in marked"
	tmx send-keys -t t Escape
	wait_gone 'Read more: RFC 9051' ; ok $? "$name: a key closes it"

	tmx send-keys -t t M-1 q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	tmx_stop
}

tb_start_dovecot
tb_seed DOVECOT >/dev/null
teach_test DOVECOT NoSuchMailbox
tb_start_cyrus
tb_seed CYRUS >/dev/null
teach_test CYRUS INBOX.NoSuchMailbox

done_testing
