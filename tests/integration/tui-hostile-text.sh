#!/usr/bin/env bash
# Output that cannot attack the terminal (issue #13, item 1): the real TUI
# on a real terminal (tmux) against tests/fake/hostile-responder.py, which
# puts ESC, CSI and OSC sequences (title, screen clear, OSC 52 clipboard),
# C1 (U+009B as UTF-8 and a raw 0x9B), DEL and other C0, bidi controls,
# U+2028/9, invalid UTF-8, wide and zero-width characters into every text
# a server controls: mailbox names (quoted, literal, modified UTF-7 that
# decodes to controls, invalid modified UTF-7), subjects and senders (raw
# and RFC 2047 words that decode to controls), body parts and file names,
# ACL identifiers and rights, quota roots and resources, capability atoms,
# flags, ALERT and other resp-texts, NAMESPACE and ID values, and the name
# of an unknown response. Every view and the console are visited; on each
# the screen (capture-pane -e, tmux's SGR removed) must hold no control
# character, C1 or bidi/format control, every line must fit the terminal
# and the pane border must stay in its column; chosen fields must show
# their exact escaped form. At the end the bytes imapwb wrote to the
# terminal (pipe-pane) must hold no OSC, BEL, screen clear, C1, bidi
# control or invalid UTF-8, the pane's title must be unchanged, OSC 52
# must not have made a tmux buffer, and the status bar must be there.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

command -v tmux >/dev/null || skip_all "tmux is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
SOCK="imapwb-hostile-$$"
TITLE="imapwb-hostile-title-$$"
COLS=120
ROWS=40

# --- what the screen holds ----------------------------------------------------

# The screen's hazards and layout faults, one a line (nothing: clean).
# Reads capture-pane -p -e on stdin; $1 is the terminal's width, $2 "border"
# to check that the console/view border keeps its column on every row but
# the status bar (not while a dialog covers it).
screen_faults() {
	"$TB_PYTHON" -c '
import re, sys, unicodedata
cols, border = int(sys.argv[1]), sys.argv[2] == "border"
text = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
text = re.sub(r"\x1b\[[0-9;:]*m", "", text)   # tmux own SGR

def width(ch):
    if unicodedata.east_asian_width(ch) in "WF":
        return 2
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me"):
        return 0
    return 1

def hazard(ch):
    o = ord(ch)
    if 0xdc80 <= o <= 0xdcff:
        return "invalid UTF-8 byte %02x" % (o - 0xdc00)
    if (o < 0x20 and ch != "\n") or 0x7f <= o <= 0x9f:
        return "control U+%04X" % o
    if unicodedata.category(ch) in ("Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
        return "format/separator/unassigned U+%04X" % o
    return None

lines = text.split("\n")
if lines and lines[-1] == "":
    lines.pop()
col = None
for n, line in enumerate(lines, 1):
    for ch in line:
        h = hazard(ch)
        if h:
            print("row %d: %s: %r" % (n, h, line[:80]))
            break
    w = sum(width(ch) for ch in line)
    if w > cols:
        print("row %d: %d columns, wider than %d: %r" % (n, w, cols, line))
    if not border or n == len(lines):
        continue
    at, x = None, 0
    for ch in line:
        if ch == "\u2502" and (col is None or x == col):
            at = x
            break
        x += width(ch)
    if col is None:
        col = at
    if at is None or at != col:
        print("row %d: the border is not at column %s: %r" % (n, col, line))
' "$1" "${2:-}"
}

cap() { tmx capture-pane -p -e -t t 2>/dev/null; }

# Check the screen now: no hazard, the layout intact.
check_screen() {
	local what=$1 mode=${2:-border} faults cols
	cols=$(tmx display-message -p -t t '#{pane_width}')
	faults=$(cap | screen_faults "$cols" "$mode")
	is "$faults" "" "$what: no control, C1 or bidi character on the screen; the layout holds"
}

# The console pane's text, its wrapped rows joined (the border column is
# found on the first row), for matching whole transcript lines.
console_text() {
	screen | "$TB_PYTHON" -c '
import sys
lines = sys.stdin.read().split("\n")
b = lines[0].find("\u2502")
print("".join(l[:b] for l in lines[1:-2]))'
}
status_line() { screen | tail -n 1; }
wait_console() { wait_for console_text "$1"; }

# --- the responder and the TUI ------------------------------------------------

"$TB_PYTHON" "$top/tests/fake/hostile-responder.py" \
	--port-file "$TB_ROOT/port" --log "$TB_ROOT/commands" --timeout 300 &
tb_register_pid $!
for ((i = 0; i < 100; i++)); do
	[ -s "$TB_ROOT/port" ] && break
	sleep 0.1
done
PORT=$(cat "$TB_ROOT/port" 2>/dev/null)
[ -n "$PORT" ] || tb_die "the hostile responder did not start"
printf 'x\n' >"$TB_ROOT/pw"

# The TUI starts once pipe-pane records: every byte it writes is checked.
tmx -f /dev/null new-session -d -s t -x $COLS -y $ROWS \
	"while [ ! -e $TB_ROOT/go ]; do sleep 0.05; done; LANG=C.UTF-8 LC_ALL=C.UTF-8 $IMAPWB --plaintext -m login -a u --password-file $TB_ROOT/pw -p $PORT 127.0.0.1 2>$TB_ROOT/stderr; echo EXIT=\$?; sleep 30"
tb_register_pid "$(tmx display-message -p '#{pid}')"
tmx select-pane -t t -T "$TITLE"
tmx pipe-pane -t t -o "cat >>$TB_ROOT/raw"
touch "$TB_ROOT/go"

wait_screen ' 1 Mailboxes ' ; ok $? "the TUI starts against the hostile responder"

# Mailboxes: sorted INBOX, Bad, Literal, Quoted, Utf7, wide
wait_screen '漢字Wide\\u\{200b\}( "/" \\HasNoChildren)? +[0-9]+/[0-9]+$' ; ok $? "mailboxes: a wide name keeps its counts in their column"
wait_screen '│ S Bad\\x1b\[2J&Jjo \(invalid\) ' ; ok $? "mailboxes: invalid modified UTF-7 shown raw, escaped, flagged"
wait_screen '│ S Literal\\r\\n\\x1b\]52;c;cHduZWQ=\\x07\\x7f\\x08\\x9b32m\\xff' ; ok $? "mailboxes: a literal name with CR LF, OSC 52, DEL, BS, raw 0x9B, 0xFF"
wait_screen '│ S Quoted\\x1b\]0;PWNED\\x07\\x1b\[2J\\x1b\]52;c;cHduZWQ=\\x07\\u\{0' ; ok $? "mailboxes: a quoted name with OSC 0, CSI 2J, OSC 52"
wait_screen '│ S Utf7\\x1b\]0;PWNED\\x07\\u\{009b\}31m\\u\{202e\}\\u\{2028\}\\u\{200b\}( |…|$)' ; ok $? "mailboxes: modified UTF-7 that decodes to ESC, BEL, C1, RLO, U+2028, ZWSP"
check_screen "mailboxes"

wait_console 'S: \* OK \[CAPABILITY IMAP4rev1 AUTH=PLAIN ACL QUOTA NAMESPACE ID IDLE UIDPLUS X\\u\{009b\}31m\\u\{202e\}\\x9b\] Greeting<\\x1b\]0;PWNED\\x07\\x1b\[2J\\x1b\]52;c;cHduZWQ=\\x07\\u\{009b\}31m\\x9b32m\\x7f\\x08\\x01\\u\{202e\}\\u\{2066\}\\u\{2067\}\\u\{2068\}\\u\{2069\}\\u\{200e\}\\u\{200f\}\\u\{2028\}\\u\{2029\}\\u\{200b\}\\xff\\xc0\\xaf\\xed\\xa0\\x80>'
ok $? "console: the greeting, every hostile piece in its escaped form"

# Select the quoted one: every view's title carries its name
tmx send-keys -t t M-1
wait_screen '▶ 1 Mailboxes'
tmx send-keys -t t / Quoted Enter
sleep 0.3
tmx send-keys -t t Enter
wait_screen '\| selected \| Quoted\\x1b\]0;PWNED\\x07' ; ok $? "status bar: the selected mailbox's name, escaped"

tmx send-keys -t t M-2
wait_screen '│ Mailbox +Quoted\\x1b\]0;PWNED\\x07\\x1b\[2J' ; ok $? "status: the mailbox"
wait_screen '│ FLAGS +\\Seen \\Deleted \$K\\u\{009b\}31m\\u\{202e\}\\x9b$' ; ok $? "status: FLAGS with C1, RLO and a raw 0x9B"
wait_screen '│ PERMANENTFLAGS +\\Seen \\Deleted \$P\\u\{009b\}31m' ; ok $? "status: PERMANENTFLAGS"
check_screen "status"

tmx send-keys -t t M-3
wait_screen '│Quoted\\x1b\]0;PWNED\\x07\\x1b\[2J' ; ok $? "messages: the title"
wait_screen '│1 +1 +FromRaw<\\x1b… SubjRaw<\\x1b\]0;PWNED\\x07… +1000$' ; ok $? "messages: a raw subject and sender"
wait_screen '│2 +2 +FromQ<\\x1b\[2… Subj2047<\\x1b\[2J\\x1b\]0;P… +2000$' ; ok $? "messages: RFC 2047 words that decode to CSI 2J and OSC 0"
wait_screen '│3 +3 +FromRaw<\\x1b… SubjQ<\\u\{009b\}31m\\x1b\]52… +3000$' ; ok $? "messages: a Q word that decodes to C1 and OSC 52"
wait_screen '│4 +4 +FromQ<\\x1b\[2… 漢字\\u\{200b\}WideSubj漢字 +4000$' ; ok $? "messages: a wide subject keeps the size in its column"
check_screen "messages"
# "* 1 FETCH(<C1><RLO><0x9B> 1)": the fold used to take the name up to
# the space and draw those bytes raw
wait_console '\[messages\] FETCH 1:4 \(UID FLAGS RFC822\.SIZE INTERNALDATE ENVELOPE\) → 5 FETCH, ' ; ok $? "console: a fold counts FETCH( as a FETCH"

tmx send-keys -t t / Subj2047 Enter
sleep 0.3
tmx send-keys -t t Enter
wait_screen '│Subject: Subj2047<\\x1b\[2J\\x1b\]0;PWNED\\x07\\u\{202e\}\\u\{2028\}>' ; ok $? "message: the decoded subject"
wait_screen '│From: +FromQ<\\x1b\[2J\\u\{009b\}\\u\{202e\}> <evil\\u\{009b\}31m@ho' ; ok $? "message: the decoded sender"
wait_screen '│Body<\\x1b\]0;PWNED\\x07\\x1b\[2J\\u\{009b\}31m\\u\{202e\}>$' ; ok $? "message: the text part"
wait_screen '│  2 application/octet-stream "att\\x1b\]0;PWNED\\x07\\x1b\[2J\\x1' ; ok $? "message: the attachment's file name"
check_screen "message"
tmx send-keys -t t Escape
wait_screen 'sort: seq'

tmx send-keys -t t M-4
wait_screen '│ACL of Quoted\\x1b\]0;PWNED\\x07' ; ok $? "acl: the title"
wait_screen '│My rights: lra\\x1b\]0;PWNED\\x07\\u\{009b\}31m\\u\{202e\}$' ; ok $? "acl: MYRIGHTS"
wait_screen '│ AclId<\\x1b\]0;PWNE… lrswi' ; ok $? "acl: a quoted identifier"
wait_screen '│ AclLit\\r\\n\\x1b\]52… lr' ; ok $? "acl: a literal identifier"
wait_screen '│AclId<\\x1b\]0;PWNED\\x07\\x1b\[2J\\x1b\]52;c;cHduZWQ=\\x07\\u\{009b' ; ok $? "acl: the cursor's entry"
tmx send-keys -t t M-l
wait_screen '│always: l\\x1b\[2J  may have: r s w\\x1b\]0;PWNED\\x07\\u\{202e\}$' ; ok $? "acl: LISTRIGHTS"
check_screen "acl"
tmx send-keys -t t DC
wait_screen '│ Delete the entry of AclId<\\x1b\]0;PWNED\\x07\\x1b\[2J' ; ok $? "acl: the confirmation names the identifier escaped"
check_screen "acl: the confirmation" noborder
tmx send-keys -t t n
wait_gone 'Delete the entry of'

tmx send-keys -t t M-5
wait_screen '│Quota of Quoted\\x1b\]0;PWNED\\x07' ; ok $? "quota: the title"
wait_screen '│Root Root<\\x1b\]0;PWNED\\x07\\x1b\[2J\\x1b\]52;c;cHduZWQ=\\x07\\u\{' ; ok $? "quota: the root"
wait_screen '│  R\\u\{009… 1 of 2 \(50%\)' ; ok $? "quota: a resource named with C1"
check_screen "quota"
# The console folds the view's GETQUOTAROOT; the unknown response that
# came with it answers no command, so it stands alone
wait_console 'GETQUOTAROOT \{84\} → 1 QUOTAROOT, 1 QUOTA, [0-9]+ B, OK ' ; ok $? "console: the GETQUOTAROOT fold"
wait_console 'S: \* \\u\{009b\}31m\\u\{202e\}\\x9b X' ; ok $? "console: an unknown response named with C1, RLO, 0x9B"
tmx send-keys -t t M-f
wait_console '  S: \* QUOTA "Root<\\x1b\]0;PWNED\\x07\\x1b\[2J' ; ok $? "console: Alt-f shows the fold's lines, escaped"
check_screen "console: expanded folds"
tmx send-keys -t t M-f
wait_screen 'commands folded'

tmx send-keys -t t M-6
wait_screen '│ X\\u\{009b\}31M\\u\{202e\}\\x9b +\(unknown\)' ; ok $? "capabilities: an atom with C1, RLO, raw 0x9B"
check_screen "capabilities"

tmx send-keys -t t M-7
wait_screen 'Connection to 127\.0\.0\.1' ; ok $? "connection: the view"
wait_screen '│   X\\u\{009b\}31M\\u\{202e\}\\x9b$' ; ok $? "connection: the capability atom"
check_screen "connection"

tmx send-keys -t t M-8
wait_screen '│     3\.9K Quoted\\x…      4  漢字\\u\{200b\}WideSubj漢字$' ; ok $? "large: a hostile mailbox and a wide subject"
wait_screen '│     2\.9K Utf7\\x1b…      3  SubjQ<\\u\{009b\}31m\\x1b\]52;c;eA…$' ; ok $? "large: a decoded mailbox name and a Q subject"
check_screen "large"

# The console: typed commands are shown in full.
tmx send-keys -t t Tab
wait_screen '▶ console'
tmx send-keys -t t C-u
tmx send-keys -t t -l 'NAMESPACE'
tmx send-keys -t t Enter
wait_console 'S: \* NAMESPACE \(\("Ns<\\x1b\]0;PWNED\\x07\\x1b\[2J\\x1b\]52;c;cHduZWQ=\\x07\\u\{009b\}31m\\x9b32m\\x7f\\x08\\x01\\u\{202e\}\\u\{2066\}' ; ok $? "console: NAMESPACE"
tmx send-keys -t t -l 'ID NIL'
tmx send-keys -t t Enter
wait_console 'S: \* ID \("name" "IdName<\\x1b\]0;PWNED\\x07' ; ok $? "console: ID, a quoted value"
wait_console 'S: IdLit *S: \\x1b\]0;PWNED\\x07\\x1b\[2J' ; ok $? "console: ID, a literal value split at its CR LF"
tmx send-keys -t t -l 'EXAMINE INBOX'
tmx send-keys -t t Enter
wait_console 'S: \* OK \[ALERT\] Alert<\\x1b\]0;PWNED\\x07\\x1b\[2J\\x1b\]52;c;cHduZWQ=\\x07\\u\{009b\}31m\\x9b32m\\x7f' ; ok $? "console: an ALERT, escaped"
wait_for status_line 'server ALERT: Alert<\\x1b\]0;PWNED\\x07\\x1b\[2J' ; ok $? "status line: the ALERT is raised to the user (RFC 9051 7.1), escaped"
check_screen "console"

# A smaller terminal: the wide and hostile rows are cut, not spilled.
tmx resize-window -t t -x 80 -y 24
tmx send-keys -t t M-3
wait_screen '▶ 3 Messages|3 Messages ▶|▶ 3' ; ok $? "80x24: the Messages view"
sleep 0.5
check_screen "80x24: messages"
tmx send-keys -t t M-1
sleep 0.5
check_screen "80x24: mailboxes"
tmx resize-window -t t -x $COLS -y $ROWS
sleep 0.5

# --- what the terminal received ----------------------------------------------

is "$(tmx display-message -p -t t '#{pane_title}')" "$TITLE" "the pane's title was not changed (no OSC 0 reached tmux)"
is "$(tmx list-buffers 2>/dev/null)" "" "no tmux buffer: no OSC 52 reached tmux"
like "$(screen | tail -n 1)" '^ u@127\.0\.0\.1:[0-9]+ \| ' "the status bar is still the last line"

raw_faults=$("$TB_PYTHON" -c '
import re, sys, unicodedata
data = open(sys.argv[1], "rb").read()
s = data.decode("utf-8", "surrogateescape")
if len(s) < 1000:
    print("only %d bytes were recorded" % len(s))
seen = set()
def say(what):
    if what not in seen:
        seen.add(what)
        print(what)
for m in re.finditer(r"\x1b(\[[0-9;?>=!]*[ -/]*[@-~]|[()][0-9A-Za-z]|.)", s, re.S):
    seq = m.group(0)
    if seq[1] == "[":
        if seq[-1] == "J" and seq != "\x1b[J":
            say("a screen clear the curses of tmux-256color never send: %r" % seq)
    elif seq[1] not in "()=>78M":
        say("an escape sequence curses does not send: %r" % seq[:12])
for ch in s:
    o = ord(ch)
    if 0xdc80 <= o <= 0xdcff:
        say("invalid UTF-8 (byte %02x)" % (o - 0xdc00))
    elif o < 0x20 and ch not in "\r\n\b\x0e\x0f\x1b":
        say("control U+%04X" % o)
    elif 0x7f <= o <= 0x9f:
        say("control U+%04X" % o)
    elif unicodedata.category(ch) in ("Cf", "Zl", "Zp", "Co", "Cn"):
        say("format or separator U+%04X" % o)
' "$TB_ROOT/raw")
is "$raw_faults" "" "the bytes written to the terminal: no OSC, BEL, screen clear, C1, bidi control or invalid UTF-8"

tmx send-keys -t t M-1
tmx send-keys -t t q
wait_screen '^EXIT=0' ; ok $? "q logs out, exit 0"
unlike "$(cat "$TB_ROOT/stderr")" 'Sanitizer|runtime error' "no sanitizer report"
tmx_stop

done_testing
