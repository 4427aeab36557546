#!/usr/bin/env bash
# Every key in the TUI's help works, and typing never acts: on a real
# terminal (tmux) against Dovecot (every key of every view) and Cyrus (a
# representative part, listed in CYRUS_KEYS below).
#
# For each view the help screen (F1) is read off the screen, and every
# key it lists is checked for its effect: on the screen, and on the
# server (with the independent client, imapctl.py) where the key changes
# it. A key in the help without a check here fails ("no check for key X
# in Y"), so a key added to a table must come with its check. The keys
# every view shares are checked once, and every other view's help must
# list the same ones; the console's help is walked too.
#
# Then the typing rule: with each view focused, typing an IMAP command
# line (store 1 +flags \Deleted, expunge, logout, ...) and Enter lands
# in the console input, is not sent, changes nothing on the server
# (flags, mailboxes, subscriptions, ACLs), sends no command that could,
# and writes no file. And g in the Large view rescans: a message APPENDed
# by another client that is larger than any shows at the top; u Enter
# undoes a flag change on the server.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}
IMAPWB=$(readlink -f "$IMAPWB")
HELPER=$top/tests/integration/tui-keys-screen.py

command -v tmux >/dev/null || skip_all "tmux is not installed"

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-keys-$$"
W=$TB_ROOT/tui-keys
mkdir -p "$W"

VIEWS=(Mailboxes Status Messages ACL Quota Capabilities Connection Large)

# The keys Cyrus checks (view slug and key name, as in the help).
CYRUS_KEYS=" Mailboxes:Enter Mailboxes:Alt-s Mailboxes:Down Mailboxes:/
 Messages:*_f Messages:*_F Messages:*_s Messages:*_S every:u_Enter
 Messages_list:Enter Messages_list:7 Messages_list:End Messages_message:Esc
 ACL:Alt-a ACL:Del Large_list:g Large_list:Space Large_list:Enter
 Large_parts:q every:Tab every:Alt-3 console:Enter console:Up "

# --- the screen ------------------------------------------------------------

keys() { tmx send-keys -t "${S:-t}" "$@"; }
typed() { tmx send-keys -t "${S:-t}" -l -- "$1"; }
# Esc alone: a key right after it would make it Alt+key
esc() { keys Escape; sleep 0.2; }
view_pane() { screen | sed -n 's/^[^│]*│//p'; }
view_line() { view_pane | sed -n "$1p"; }
status_bar() { screen | tail -n 1; }
wait_bar() { wait_for status_bar "$1"; }
console_input() { screen | sed -n 's/^\(\(imapwb\|disconnected\)> .*\)/\1/p' | sed 's/ *│.*//; s/ *$//' | tail -n 1; }
cursor_row() { tmx capture-pane -p -e -t "${S:-t}" | "$TB_PYTHON" "$HELPER" cursor; }
# wait until the cursor is on screen line $1
wait_cursor_line() { wait_for cursor_row "^$1	"; }
wait_cursor_text() { wait_for cursor_row "^[0-9]+	.*$1"; }
cursor_line() { cursor_row | cut -f1; }

# Poll until the output of "$@" matches ERE $1 (or, wait_not, stops).
wait_cmd() {
	local re=$1 i
	shift
	for ((i = 0; i < 75; i++)); do
		"$@" 2>/dev/null | grep -Eq -- "$re" && return 0
		sleep 0.2
	done
	diag "waited in vain for /$re/ in $*:" "$("$@" 2>&1 | head -n 5)"
	return 1
}
wait_not_cmd() {
	local re=$1 i
	shift
	for ((i = 0; i < 75; i++)); do
		"$@" 2>/dev/null | grep -Eq -- "$re" || return 0
		sleep 0.2
	done
	diag "still /$re/ in $*"
	return 1
}

# Poll until "$@" succeeds (5 s).
# Up to 10 s: a loaded machine (the suite runs with -j2) can take
# seconds to redraw.
wait_true() {
	local i
	for ((i = 0; i < 100; i++)); do "$@" && return 0; sleep 0.1; done
	return 1
}

# What imapwb sent since mark(), without tags (from --transcript).
MARK=0
mark() { MARK=$(wc -l <"$TRANS"); }
sent() { tail -n +"$((MARK + 1))" "$TRANS" | sed -n 's/^[^ ]* C: \(a[0-9]\{3\}\|[a-z]\{3\}[0-9]*\) //p'; }
wait_sent() { wait_for sent "$1"; }

# --- the server, seen by the independent client ----------------------------

ctl() {
	IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --port "$PORT" \
		--ca "$TB_CA" --user alice "$@"
}
flags_of() {
	ctl fetch INBOX "$1" FLAGS |
		sed -n 's/.*FLAGS (\([^)]*\)).*/\1/p' | sed 's/\\Recent *//; s/ *$//'
}
mailboxes() { ctl raw LIST '""' '"*"' | sed -n 's/.*"[./]" //p' | tr -d '"' | sort; }
subscribed() { ctl raw LSUB '""' '"*"' | sed -n 's/.*"[./]" //p' | tr -d '"' | sort; }
acl_of() { ctl raw GETACL "$1"; }
uids_in() { ctl select "$1" ALL | sed -n 's/^search //p'; }
count_in() { ctl select "$1" | sed -n 's/^exists \([0-9]*\).*/\1/p'; }
server_state() {
	ctl fetch INBOX 1:* FLAGS | sed 's/\\Recent *//'
	mailboxes
	subscribed
	acl_of INBOX
	acl_of "$PROJEKTE"
}

# --- moving around ---------------------------------------------------------

view_num() {
	local i
	for i in "${!VIEWS[@]}"; do
		[ "${VIEWS[$i]}" = "$1" ] && printf '%d' $((i + 1))
	done
}
# Show view $1 with the focus (Alt-digit).
# The focused tab of view $2, number $1: its name may be short (Caps,
# Conn) where the tab bar is narrow.
tab_re() { printf '▶ %s %s[A-Za-z]*( |$)' "$1" "${2:0:3}"; }
in_view() {
	keys "M-$(view_num "$1")"
	wait_screen "$(tab_re "$(view_num "$1")" "$1")"
}
console_focused() { screen | head -n 1 | grep -q '^▶ console'; }
to_console() {
	console_focused || keys Tab
	wait_screen '^▶ console'
}
# The console scrolled to its end (PgDn until the scrollback mark goes).
console_bottom() {
	local i
	to_console
	for ((i = 0; i < 200; i++)); do
		screen | grep -q ' scrollback ' || return 0
		keys NPage
		sleep 0.05
	done
}
# A line typed in the console (with its focus), sent at once.
console_cmd() {
	to_console
	keys C-u
	typed "$1"
	keys Enter
}
ensure_inbox() {
	status_bar | grep -q '| INBOX \[RW\] |' && return 0
	mark
	console_cmd "SELECT INBOX"
	wait_bar '\| INBOX \[RW\] \|'
}
# The Messages list, INBOX in sequence order, the cursor on row 1.
msgs_list() {
	ensure_inbox
	in_view Messages
	# Esc leaves a message; in the list it is no key (a note only)
	esc
	wait_for view_pane 'sort: '
	if ! view_pane | grep -q 'sort: seq ascending'; then
		keys 1
		view_pane | grep -q 'sort: seq descending' && keys 1
	fi
	wait_for view_pane "$(re "$INBOX_NAME")  [0-9]+ msgs  sort: seq ascending"
	keys Home
	wait_cursor_line 4
}
# Message $1 (sequence number) open in the Messages view.
open_msg() {
	local i
	msgs_list
	for ((i = 1; i < $1; i++)); do keys Down; done
	wait_cursor_line $((3 + $1))
	keys Enter
	wait_for view_pane "^UID $1 "
}
# The mailbox tree's cursor on the row whose name has $1 (search).
mb_find() {
	in_view Mailboxes
	keys Home /
	wait_screen 'Search for:'
	answer "$1"
	wait_cursor_text "$(re "$1")"
}
acl_projekte() {
	in_view ACL
	if ! view_line 2 | grep -q "^ACL of $(re "$PROJEKTE")\$"; then
		keys M-m
		wait_screen 'Mailbox:'
		answer "$PROJEKTE"
	fi
	wait_for view_pane "^ACL of $(re "$PROJEKTE")\$"
	wait_for view_pane '^ bob '
}
large_list() {
	in_view Large
	esc
	wait_for view_pane 'Largest [0-9]+ across mailboxes'
	keys Home
	wait_cursor_line 4
}
# The Large view's cursor row, as its last line says: MAILBOX UID n.
large_cursor() { view_pane | grep -E ' UID [0-9]+: [0-9]+ bytes$' | tail -n 1; }

# A throwaway second TUI for the keys that quit (session t2).
second_tui() {
	TRANS2=$TB_ROOT/t2.transcript
	rm -f "$TRANS2"
	tmx new-session -d -s t2 -x 100 -y 30 -c "$W" \
		"$IMAPWB -p $PORT --cafile $TB_CA -a alice --password-file $PWFILE --transcript $TRANS2 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p -t t2 '#{pid}')"
	S=t2 wait_screen 'Mailboxes \(unseen'
}

# --- the checks, one a key: chk_<view>_<key> --------------------------------
# A check starts from wherever the last one left the TUI and sets up what
# it needs. Its argument is the key's name as the help wrote it.

# Mailboxes: rows from screen line 3
chk_Mailboxes_Down() {
	in_view Mailboxes; keys Home; wait_cursor_line 3
	keys "$1"; wait_cursor_line 4
	ok $? "$NAME: Mailboxes: $1 moves the cursor down a row"
}
chk_Mailboxes_j() { chk_Mailboxes_Down j; }
chk_Mailboxes_Up() {
	in_view Mailboxes; keys Home Down Down; wait_cursor_line 5
	keys "$1"; wait_cursor_line 4
	ok $? "$NAME: Mailboxes: $1 moves the cursor up a row"
}
chk_Mailboxes_k() { chk_Mailboxes_Up k; }
chk_Mailboxes_End() {
	local rows
	in_view Mailboxes; keys Home; wait_cursor_line 3
	rows=$(view_pane | sed -n '3,$p' | sed '/^─/,$d' | grep -c '[^ ]')
	keys End; wait_cursor_line $((rows + 2))
	ok $? "$NAME: Mailboxes: End goes to the last row ($rows)"
}
chk_Mailboxes_PgDn() {
	local rows
	in_view Mailboxes; keys Home; wait_cursor_line 3
	rows=$(view_pane | sed -n '3,$p' | sed '/^─/,$d' | grep -c '[^ ]')
	keys NPage; wait_cursor_line $((rows + 2))
	ok $? "$NAME: Mailboxes: PgDn goes a page down (the whole tree fits: its last row)"
}
chk_Mailboxes_Home() {
	in_view Mailboxes; keys End Home; wait_cursor_text ' INBOX'
	ok $? "$NAME: Mailboxes: Home goes to the first row, INBOX"
}
chk_Mailboxes_PgUp() {
	in_view Mailboxes; keys End
	wait_for cursor_row '^([4-9]|[1-9][0-9])	'
	keys PPage; wait_cursor_line 3
	ok $? "$NAME: Mailboxes: PgUp goes a page up (to the first row)"
}
chk_Mailboxes_/() {
	in_view Mailboxes; keys Home /
	wait_screen 'Search for:'; answer Projekte
	wait_cursor_text ' Projekte'
	ok $? "$NAME: Mailboxes: / finds Projekte"
}
chk_Mailboxes_n() {
	local first
	mb_find Archiv
	first=$(cursor_line)
	keys n
	wait_for cursor_row "^$((first + 1))	.* 2023"
	ok $? "$NAME: Mailboxes: n goes to the next match (Archiv, then 2023)"
}
chk_Mailboxes_Enter() {
	in_view Mailboxes; keys Home; wait_cursor_text ' INBOX'
	mark; keys Enter
	wait_sent "^SELECT INBOX\$" && wait_screen '▶ 3 Messages( |$)' &&
		wait_bar '\| INBOX \[RW\] \|'
	ok $? "$NAME: Mailboxes: Enter sends SELECT INBOX and shows its messages"
}
chk_Mailboxes_Alt-e() {
	in_view Mailboxes; keys Home; wait_cursor_text ' INBOX'
	mark; keys M-e
	wait_sent "^EXAMINE INBOX\$" && wait_bar '\| INBOX \[RO\] \|'
	ok $? "$NAME: Mailboxes: Alt-e sends EXAMINE INBOX (read-only)"
}
chk_Mailboxes_Alt-s() {
	in_view Mailboxes; keys Home; wait_cursor_text ' INBOX'
	mark; keys M-s
	wait_sent "^STATUS INBOX \(MESSAGES UNSEEN" &&
		wait_for view_pane "^[> ][S ] INBOX .* [0-9]+/$INBOX_COUNT "
	ok $? "$NAME: Mailboxes: Alt-s asks STATUS; INBOX shows $INBOX_COUNT messages"
}
chk_Mailboxes_Alt-c() {
	in_view Mailboxes
	mark; keys M-c
	wait_screen 'Create mailbox'
	answer "${PREFIX}Keys-new"
	wait_sent "^CREATE ${PREFIX}Keys-new\$" &&
		wait_cmd "^$(re "${PREFIX}")Keys-new\$" mailboxes
	ok $? "$NAME: Mailboxes: Alt-c asks a name and CREATEs ${PREFIX}Keys-new (imapctl)"
}
chk_Mailboxes_Alt-r() {
	console_cmd "CREATE ${PREFIX}Keys-ren"
	console_cmd 'LIST "" "*"'
	mb_find Keys-ren
	mark; keys M-r
	wait_screen 'Rename to:'
	answer "${PREFIX}Keys-renamed"
	wait_cmd "^$(re "${PREFIX}")Keys-renamed\$" mailboxes &&
		wait_not_cmd "^$(re "${PREFIX}")Keys-ren\$" mailboxes
	ok $? "$NAME: Mailboxes: Alt-r asks a name and RENAMEs (imapctl)"
	wait_bar 'renamed \(u undoes\)'
	ok $? "$NAME: Mailboxes: ... and says u undoes it"
}
chk_Mailboxes_Del() {
	console_cmd "CREATE ${PREFIX}Keys-del"
	console_cmd 'LIST "" "*"'
	mb_find Keys-del
	keys DC
	wait_screen "This sends: DELETE ${PREFIX}Keys-del" && wait_screen 'There is no undo\.'
	ok $? "$NAME: Mailboxes: Del asks first, showing DELETE and that there is no undo"
	keys y
	wait_not_cmd "^$(re "${PREFIX}")Keys-del\$" mailboxes
	ok $? "$NAME: Mailboxes: y deletes it (imapctl)"
}
chk_Mailboxes_Alt-u() {
	mb_find Projekte
	keys M-u
	wait_screen "Unsubscribe from $(re "$PROJEKTE")\\?"
	keys y
	wait_not_cmd "^$(re "$PROJEKTE")\$" subscribed
	ok $? "$NAME: Mailboxes: Alt-u, y unsubscribes $PROJEKTE (imapctl)"
	keys M-u
	wait_screen "Subscribe to $(re "$PROJEKTE")\\?"
	keys y
	wait_cmd "^$(re "$PROJEKTE")\$" subscribed
	ok $? "$NAME: Mailboxes: Alt-u again subscribes it again"
}

# The keys every view shares (checked in the Mailboxes view)
chk_every_Tab() {
	in_view Mailboxes
	keys Tab
	wait_screen '^▶ console' && wait_gone '▶ 1 Mailboxes'
	ok $? "$NAME: Tab gives the console the focus (▶ console)"
	keys Tab
	wait_screen '▶ 1 Mailboxes( |$)' && wait_gone '^▶ console'
	ok $? "$NAME: Tab again gives it to the view (▶ 1 Mailboxes)"
}
chk_every_Alt-N() {
	local n=${1#Alt-}
	in_view "$([ "$n" = 1 ] && echo Status || echo Mailboxes)"
	keys "M-$n"
	wait_screen "$(tab_re "$n" "${VIEWS[$((n - 1))]}")"
	ok $? "$NAME: $1 shows and focuses ${VIEWS[$((n - 1))]}"
}
chk_every_FN() {
	local n=$((${1#F} - 1))
	in_view "$([ "$n" = 1 ] && echo Status || echo Mailboxes)"
	keys "$1"
	wait_screen "$(tab_re "$n" "${VIEWS[$((n - 1))]}")"
	ok $? "$NAME: $1 shows and focuses ${VIEWS[$((n - 1))]}"
}
chk_every_F1() {
	in_view Mailboxes
	keys "$1"
	wait_screen '│ In every view: '
	ok $? "$NAME: $1 shows the help"
	esc
	wait_gone '│ In every view: '
}
chk_every_?() { chk_every_F1 '?'; }
chk_every_Alt-/() {
	in_view Mailboxes
	keys M-/
	wait_screen 'Search the transcript for:'
	answer AUTHENTICATE
	wait_screen ' scrollback '
	ok $? "$NAME: Alt-/ searches the transcript (it scrolls back to AUTHENTICATE)"
	console_bottom
}
# (an expanded fold's lines are indented: "  C: ..." and "  S: ...")
expand_check() {
	console_bottom
	keys M-f
	wait_screen '^  [CS]: '
	ok $? "$NAME: $1: Alt-f shows the views' folded commands in full"
	keys M-f
	wait_gone '^  [CS]: '
	ok $? "$NAME: $1: Alt-f again folds them to one line each"
}
chk_every_Alt-f() { in_view Mailboxes; expand_check Mailboxes; }
# Alt-t in a view: the newest transcript line about the cursor's row (a
# LIST typed in the console is about INBOX); Esc goes back.
chk_every_Alt-t() {
	to_console; keys C-u
	typed 'LIST "" INBOX'
	keys Enter
	wait_screen '^S: \* LIST .*INBOX'
	mb_find INBOX
	keys M-t
	wait_screen ' Explained +Enter: the Mailboxes view'
	ok $? "$NAME: Alt-t in the Mailboxes view shows the LIST line about INBOX, explained"
	esc
	wait_gone ' Explained '
}
explain_cycle_check() {
	keys M-x
	wait_bar 'explanations: every line'
	ok $? "$NAME: $1: Alt-x explains every line"
	keys M-x
	wait_bar 'explanations: none'
	keys M-x
	wait_bar 'explanations: response codes'
	ok $? "$NAME: $1: ... and cycles back to the codes"
}
chk_every_Alt-x() { in_view Mailboxes; explain_cycle_check Mailboxes; }
# Alt-n, Alt-p step the tour (tui-tour.sh walks it); without --tour
# they say how to start one and change nothing.
tour_key_check() {
	keys "$2"
	wait_bar 'no tour: imapwb --tour starts one'
	ok $? "$NAME: $1: $3 without --tour says how to start one"
}
chk_every_Alt-n() { in_view Mailboxes; tour_key_check Mailboxes M-n Alt-n; }
chk_every_Alt-p() { in_view Mailboxes; tour_key_check Mailboxes M-p Alt-p; }
chk_every_u_Enter() {
	mb_find Projekte
	keys M-u
	wait_screen "Unsubscribe from $(re "$PROJEKTE")\\?"
	keys y
	wait_not_cmd "^$(re "$PROJEKTE")\$" subscribed
	keys u
	wait_bar "undo: SUBSCRIBE $(re "$PROJEKTE")\\? Enter sends it"
	ok $? "$NAME: u shows what undo sends (SUBSCRIBE $PROJEKTE)"
	keys Enter
	wait_cmd "^$(re "$PROJEKTE")\$" subscribed
	ok $? "$NAME: u Enter undoes the unsubscribe on the server (imapctl)"
}
chk_every_q() {
	second_tui
	S=t2 keys Tab
	S=t2 wait_screen '▶ 1 Mailboxes( |$)'
	S=t2 keys q
	S=t2 wait_screen '^EXIT=0'
	ok $? "$NAME: q in a view quits, exit 0"
	grep -Eq 'C: [a-z]+[0-9]+ LOGOUT' "$TRANS2"
	ok $? "$NAME: ... after LOGOUT"
	tmx kill-session -t t2
}
chk_every_Ctrl-C() {
	second_tui
	S=t2 keys Tab
	S=t2 wait_screen '▶ 1 Mailboxes( |$)'
	S=t2 keys C-c
	S=t2 wait_screen '^EXIT=0'
	ok $? "$NAME: Ctrl-C in a view quits, exit 0"
	grep -Eq 'C: [a-z]+[0-9]+ LOGOUT' "$TRANS2"
	ok $? "$NAME: ... after LOGOUT"
	tmx kill-session -t t2
}
# r after a disconnect, with the focus on a view ($1) or the console
reconnect_check() {
	console_cmd LOGOUT
	wait_bar DISCONNECTED
	if [ "$2" = view ]; then in_view Mailboxes; fi
	keys r
	wait_bar '\| authenticated \| .*reconnected'
	ok $? "$NAME: r after a disconnect reconnects ($2 focused)"
}
chk_every_r() { reconnect_check r view; }
redraw_check() {
	local tty
	tty=$(tmx display-message -p -t "${S:-t}" '#{pane_tty}')
	printf 'GARBAGE-ON-THE-SCREEN' >"$tty"
	wait_screen 'GARBAGE-ON-THE-SCREEN'
	keys C-l
	wait_gone 'GARBAGE-ON-THE-SCREEN'
	ok $? "$NAME: Ctrl-L redraws the screen ($1 focused)"
}
chk_every_Ctrl-L() { in_view Mailboxes; redraw_check view; }

# Messages: the flag menu (* then a key), checked in the list
flag_set_check() { # key flag uid
	local before
	msgs_list
	local i
	for ((i = 1; i < $3; i++)); do keys Down; done
	wait_cursor_line $((3 + $3))
	before=$(flags_of "$3")
	keys '*'
	wait_bar "flags of UID $3: f .*Esc: none"
	keys "$1"
	wait_cmd "$(re "$2")" flags_of "$3"
	ok $? "$NAME: Messages: * $1 sets $2 on UID $3 (imapctl)"
	wait_bar "$(re "$2") set on UID $3 \\(u undoes\\)"
	ok $? "$NAME: ... and the status bar says u undoes it"
	keys u
	wait_bar "undo: UID STORE $3 FLAGS \\($(re "$before")\\) in $(re "$INBOX_NAME")\\?"
	keys Enter
	wait_cmd "^$(re "$before")\$" flags_of "$3"
	ok $? "$NAME: ... u Enter restores its flags ($before) on the server"
}
flag_clear_check() { # key flag uid
	local i
	msgs_list
	for ((i = 1; i < $3; i++)); do keys Down; done
	wait_cursor_line $((3 + $3))
	keys '*' "${1,,}"
	wait_cmd "$(re "$2")" flags_of "$3"
	keys '*' "$1"
	wait_not_cmd "$(re "$2")" flags_of "$3"
	ok $? "$NAME: Messages: * $1 clears $2 on UID $3 (imapctl)"
}
# (the corpus's flags: UID 4 and 9 none, 5 and 10 \Seen)
chk_Messages_*_f() { flag_set_check f '\Flagged' 5; }
chk_Messages_*_F() { flag_clear_check F '\Flagged' 6; }
chk_Messages_*_s() { flag_set_check s '\Seen' 4; }
chk_Messages_*_S() { flag_clear_check S '\Seen' 8; }
chk_Messages_*_d() { flag_set_check d '\Deleted' 9; }
chk_Messages_*_D() { flag_clear_check D '\Deleted' 11; }
chk_Messages_*_a() { flag_set_check a '\Answered' 10; }
chk_Messages_*_A() { flag_clear_check A '\Answered' 12; }
# * k and * K ask a keyword's name (tests/integration/tui-layout.sh checks
# the refusal when PERMANENTFLAGS lack \*)
chk_Messages_*_k() {
	local i
	msgs_list
	for ((i = 1; i < 7; i++)); do keys Down; done
	wait_cursor_line 10
	keys '*' k
	wait_screen 'Set keyword on UID 7:'
	answer '$KeysTest'
	wait_cmd '\$KeysTest' flags_of 7
	ok $? "$NAME: Messages: * k sets a keyword on UID 7 (imapctl)"
}
chk_Messages_*_K() {
	local i
	msgs_list
	for ((i = 1; i < 7; i++)); do keys Down; done
	wait_cursor_line 10
	keys '*' k
	answer '$KeysTest2'
	wait_cmd '\$KeysTest2' flags_of 7
	keys '*' K
	wait_screen 'Clear keyword on UID 7:'
	answer '$KeysTest2'
	wait_not_cmd '\$KeysTest2' flags_of 7
	ok $? "$NAME: Messages: * K clears a keyword on UID 7 (imapctl)"
}

# Messages, the list: rows from screen line 4
chk_Messages_list_Down() {
	msgs_list; keys "$1"; wait_cursor_line 5
	ok $? "$NAME: Messages: $1 moves to message 2"
}
chk_Messages_list_j() { chk_Messages_list_Down j; }
chk_Messages_list_Up() {
	msgs_list; keys Down Down; wait_cursor_line 6
	keys "$1"; wait_cursor_line 5
	ok $? "$NAME: Messages: $1 moves up to message 2"
}
chk_Messages_list_k() { chk_Messages_list_Up k; }
chk_Messages_list_End() {
	msgs_list; keys End; wait_cursor_line $((3 + INBOX_COUNT))
	ok $? "$NAME: Messages: End goes to message $INBOX_COUNT"
}
chk_Messages_list_PgDn() {
	msgs_list; keys NPage; wait_cursor_line $((3 + INBOX_COUNT))
	ok $? "$NAME: Messages: PgDn goes a page down (all fit: the last)"
}
chk_Messages_list_Home() {
	msgs_list; keys End; wait_cursor_line $((3 + INBOX_COUNT))
	keys Home; wait_cursor_line 4
	ok $? "$NAME: Messages: Home goes to message 1"
}
chk_Messages_list_PgUp() {
	msgs_list; keys End; wait_cursor_line $((3 + INBOX_COUNT))
	keys PPage; wait_cursor_line 4
	ok $? "$NAME: Messages: PgUp goes a page up (to message 1)"
}
chk_Messages_list_/() {
	msgs_list; keys /
	wait_screen 'Search for:'; answer Budget
	wait_cursor_text 'Budget review'
	ok $? "$NAME: Messages: / finds Budget review"
}
chk_Messages_list_n() {
	msgs_list; keys /
	wait_screen 'Search for:'; answer 'Grüße aus'
	wait_cursor_text 'Grüße aus München'
	keys n
	wait_cursor_text 'Grüße aus Köln'
	ok $? "$NAME: Messages: n goes to the next match (Grüße aus Köln)"
}
chk_Messages_list_N() {
	local labels=(seq UID flags date from subject size) n=$1 dir=ascending
	local other=ascending
	msgs_list
	keys $((n == 2 ? 1 : 2))
	[ "$n" = 7 ] && dir=descending
	[ "$dir" = ascending ] && other=descending
	keys "$n"
	wait_for view_pane "sort: ${labels[$((n - 1))]} $dir"
	ok $? "$NAME: Messages: $n sorts by ${labels[$((n - 1))]}, $dir"
	keys "$n"
	wait_for view_pane "sort: ${labels[$((n - 1))]} $other"
	ok $? "$NAME: Messages: $n again reverses it ($other)"
}
chk_Messages_list_Enter() {
	msgs_list; keys Enter
	wait_for view_pane "^UID 1 " && wait_screen "Subject: +$(re "$SUBJECT1")"
	ok $? "$NAME: Messages: Enter opens message 1 ($SUBJECT1)"
}

# Messages, a message (the third: a quoted-printable text)
msg_top() { view_line 2; }
msg_scrolled() { ! view_pane | grep -q '^UID 3 '; }
chk_Messages_message_Esc() {
	open_msg 3
	case $1 in
	Esc) esc ;;
	Bksp) keys BSpace ;;
	*) keys "$1" ;;
	esac
	wait_for view_pane 'sort: seq ascending'
	ok $? "$NAME: a message: $1 goes back to the list"
}
chk_Messages_message_q() { chk_Messages_message_Esc q; }
chk_Messages_message_Bksp() { chk_Messages_message_Esc Bksp; }
chk_Messages_message_Left() { chk_Messages_message_Esc Left; }
chk_Messages_message_Down() {
	open_msg 3; keys "$1"
	wait_for msg_top '^Date: '
	ok $? "$NAME: a message: $1 scrolls down a line"
}
chk_Messages_message_j() { chk_Messages_message_Down j; }
chk_Messages_message_Up() {
	open_msg 3; keys Down; wait_for msg_top '^Date: '
	keys "$1"; wait_for msg_top '^UID 3 '
	ok $? "$NAME: a message: $1 scrolls up a line"
}
chk_Messages_message_k() { chk_Messages_message_Up k; }
chk_Messages_message_PgDn() {
	open_msg 3; keys "$1"
	wait_true msg_scrolled && ! msg_top | grep -q '^Date: '
	ok $? "$NAME: a message: $1 scrolls a page down"
}
chk_Messages_message_Space() { chk_Messages_message_PgDn Space; }
chk_Messages_message_End() {
	open_msg 3; keys End
	wait_true msg_scrolled && ! msg_top | grep -q '^Date: '
	ok $? "$NAME: a message: End scrolls to the end"
}
chk_Messages_message_PgUp() {
	open_msg 3; keys End; wait_true msg_scrolled
	keys PPage; wait_for msg_top '^UID 3 '
	ok $? "$NAME: a message: PgUp scrolls a page up (to the top)"
}
chk_Messages_message_Home() {
	open_msg 3; keys End; wait_true msg_scrolled
	keys Home; wait_for msg_top '^UID 3 '
	ok $? "$NAME: a message: Home goes to the top"
}

# ACL (of Projekte: bob lr, alice all); entries from screen line 5
chk_ACL_Down() {
	acl_projekte; keys Home; wait_cursor_line 5
	keys "$1"; wait_cursor_line 6
	ok $? "$NAME: ACL: $1 moves to the second entry"
}
chk_ACL_j() { chk_ACL_Down j; }
chk_ACL_Up() {
	acl_projekte; keys End; wait_cursor_line 6
	keys "$1"; wait_cursor_line 5
	ok $? "$NAME: ACL: $1 moves to the first entry"
}
chk_ACL_k() { chk_ACL_Up k; }
chk_ACL_Home() { acl_projekte; keys End Home; wait_cursor_line 5; ok $? "$NAME: ACL: Home: the first entry"; }
chk_ACL_End() { acl_projekte; keys Home End; wait_cursor_line 6; ok $? "$NAME: ACL: End: the last entry"; }
chk_ACL_PgDn() { acl_projekte; keys Home NPage; wait_cursor_line 6; ok $? "$NAME: ACL: PgDn: a page down (the last)"; }
chk_ACL_PgUp() { acl_projekte; keys End PPage; wait_cursor_line 5; ok $? "$NAME: ACL: PgUp: a page up (the first)"; }
chk_ACL_/() {
	acl_projekte; keys Home /
	wait_screen 'Search for:'; answer alice
	wait_cursor_text ' alice' && wait_for view_pane '^alice: '
	ok $? "$NAME: ACL: / finds alice's entry and explains it"
}
chk_ACL_n() {
	local first
	console_cmd "SETACL $PROJEKTE admin l"
	acl_projekte; keys g
	wait_for view_pane '^ admin '
	keys Home /
	wait_screen 'Search for:'; answer a
	wait_for cursor_row '^[0-9]+	 (alice|admin) '
	first=$(cursor_row | sed 's/^[0-9]*	 \([a-z]*\).*/\1/')
	keys n
	wait_for cursor_row "^[0-9]+	 $([ "$first" = alice ] && echo admin || echo alice) "
	ok $? "$NAME: ACL: n goes to the next match (alice and admin have an a)"
	console_cmd "DELETEACL $PROJEKTE admin"
	acl_projekte; keys g
}
chk_ACL_g() {
	acl_projekte; mark; keys g
	wait_sent "^GETACL $(re "$PROJEKTE")\$"
	ok $? "$NAME: ACL: g asks GETACL again"
}
chk_ACL_Alt-m() {
	acl_projekte; keys M-m
	wait_screen 'Mailbox:'; answer INBOX
	wait_for view_pane '^ACL of INBOX$'
	ok $? "$NAME: ACL: Alt-m picks the mailbox (INBOX)"
}
chk_ACL_Alt-l() {
	acl_projekte; keys Home /
	wait_screen 'Search for:'; answer bob
	wait_cursor_text ' bob'
	mark; keys M-l
	wait_sent "^LISTRIGHTS $(re "$PROJEKTE") bob\$" && wait_screen 'always: '
	ok $? "$NAME: ACL: Alt-l shows LISTRIGHTS of bob"
}
acl_bob() { acl_of "$PROJEKTE" | grep -o ' bob [a-z]*' | head -n 1; }
chk_ACL_Alt-a() {
	acl_projekte; keys Home /
	wait_screen 'Search for:'; answer bob
	wait_cursor_text ' bob'
	keys M-a
	wait_screen 'Identifier and rights'
	answer 'bob lrs'
	wait_screen "This sends: SETACL $(re "$PROJEKTE") bob lrs"
	keys y
	wait_cmd '^ bob lrs$' acl_bob
	ok $? "$NAME: ACL: Alt-a, y sets bob lrs (imapctl)"
	keys u Enter
	wait_cmd '^ bob lr$' acl_bob
	ok $? "$NAME: ACL: u Enter puts bob back to lr (imapctl)"
}
chk_ACL_Del() {
	acl_projekte; keys Home /
	wait_screen 'Search for:'; answer bob
	wait_cursor_text ' bob'
	keys DC
	wait_screen "This sends: DELETEACL $(re "$PROJEKTE") bob"
	keys y
	wait_not_cmd ' bob ' acl_bob
	ok $? "$NAME: ACL: Del, y deletes bob's entry (imapctl)"
	keys u Enter
	wait_cmd '^ bob lr$' acl_bob
	ok $? "$NAME: ACL: u Enter gives bob lr again (imapctl)"
}

# Quota: the whole quota fits the pane, so scrolling keeps it in place
quota_keeps() {
	in_view Quota
	wait_for view_pane '^Quota of '
	keys "$2"
	sleep 0.2
	view_line 2 | grep -q '^Quota of ' && view_pane | grep -q 'STORAGE'
	ok $? "$NAME: Quota: $1 (all of it fits: it stays in place)"
}
chk_Quota_Up() { quota_keys_check Up Up; }
quota_keys_check() { quota_keeps "$1" "$2"; }
chk_Quota_k() { quota_keeps k k; }
chk_Quota_Down() { quota_keeps Down Down; }
chk_Quota_j() { quota_keeps j j; }
chk_Quota_PgUp() { quota_keeps PgUp PPage; }
chk_Quota_PgDn() { quota_keeps PgDn NPage; }
chk_Quota_Home() { quota_keeps Home Home; }
chk_Quota_End() { quota_keeps End End; }
chk_Quota_g() {
	in_view Quota; mark; keys g
	wait_sent '^GETQUOTAROOT '
	ok $? "$NAME: Quota: g asks GETQUOTAROOT again"
}
chk_Quota_Alt-m() {
	in_view Quota; keys M-m
	wait_screen 'Mailbox:'; answer "$PROJEKTE"
	wait_for view_pane "^Quota of $(re "$PROJEKTE")\$"
	ok $? "$NAME: Quota: Alt-m picks $PROJEKTE"
}

# Capabilities: rows from screen line 3
chk_Capabilities_Down() {
	in_view Capabilities; keys Home; wait_cursor_line 3
	keys "$1"; wait_cursor_line 4
	ok $? "$NAME: Capabilities: $1 moves down"
}
chk_Capabilities_j() { chk_Capabilities_Down j; }
chk_Capabilities_Up() {
	in_view Capabilities; keys Home Down Down; wait_cursor_line 5
	keys "$1"; wait_cursor_line 4
	ok $? "$NAME: Capabilities: $1 moves up"
}
chk_Capabilities_k() { chk_Capabilities_Up k; }
cursor_row_lc() { cursor_row | tr 'A-Z' 'a-z'; }
chk_Capabilities_Home() {
	in_view Capabilities; keys End Home
	wait_for cursor_row_lc '^[0-9]+	 imap4rev1 '
	ok $? "$NAME: Capabilities: Home: the first, IMAP4rev1"
}
chk_Capabilities_End() {
	local last
	last=$(ctl caps | tail -n 1 | tr 'A-Z' 'a-z')
	in_view Capabilities; keys Home End
	wait_for cursor_row_lc "^[0-9]+	 $(re "$last")( |\$)"
	ok $? "$NAME: Capabilities: End: the last, $last"
}
chk_Capabilities_PgDn() {
	in_view Capabilities; keys Home; wait_cursor_line 3
	keys NPage
	wait_for cursor_row '^([1-9][0-9])	'
	ok $? "$NAME: Capabilities: PgDn goes a page down"
}
chk_Capabilities_PgUp() {
	local last
	in_view Capabilities; keys End; sleep 0.2
	last=$(cursor_line)
	keys PPage
	wait_cursor_line 3 && [ "$last" -gt 10 ]
	ok $? "$NAME: Capabilities: PgUp goes a page up (line $last to 3)"
}
chk_Capabilities_/() {
	in_view Capabilities; keys Home /
	wait_screen 'Search for:'; answer 4314
	wait_for cursor_row '^[0-9]+	 ACL '
	ok $? "$NAME: Capabilities: / finds RFC 4314: ACL"
}
chk_Capabilities_n() {
	in_view Capabilities; keys Home /
	wait_screen 'Search for:'; answer 4314
	wait_for cursor_row '^[0-9]+	 ACL '
	keys n
	wait_for cursor_row '^[0-9]+	 RIGHTS='
	ok $? "$NAME: Capabilities: n: the next RFC 4314 one, RIGHTS="
}
chk_Capabilities_g() {
	in_view Capabilities; mark; keys g
	wait_sent '^CAPABILITY$'
	ok $? "$NAME: Capabilities: g sends CAPABILITY"
}

# Connection: longer than the pane at 130x30; its first body line moves
conn_top() { view_line 3; }
conn_home() {
	in_view Connection; keys Home
	wait_for view_pane '^Connection to '
	CONN_TOP=$(conn_top)
}
conn_moved() { [ "$(conn_top)" != "$CONN_TOP" ]; }
conn_back() { [ "$(conn_top)" = "$CONN_TOP" ]; }
chk_Connection_Down() {
	conn_home; keys "$1"; wait_true conn_moved
	ok $? "$NAME: Connection: $1 scrolls down"
}
chk_Connection_j() { chk_Connection_Down j; }
chk_Connection_Space() { chk_Connection_Down Space; }
chk_Connection_PgDn() { chk_Connection_Down NPage; }
chk_Connection_End() { chk_Connection_Down End; }
chk_Connection_Up() {
	conn_home; keys Down; wait_true conn_moved
	keys "$1"; wait_true conn_back
	ok $? "$NAME: Connection: $1 scrolls up"
}
chk_Connection_k() { chk_Connection_Up k; }
chk_Connection_PgUp() {
	conn_home; keys NPage; wait_true conn_moved
	keys PPage; wait_true conn_back
	ok $? "$NAME: Connection: PgUp scrolls a page up"
}
chk_Connection_Home() {
	conn_home; keys End; wait_true conn_moved
	keys Home; wait_true conn_back
	ok $? "$NAME: Connection: Home goes to the top"
}

# Large, the list: rows from screen line 4; the last line names the
# cursor's message
chk_Large_list_Down() {
	large_list; keys "$1"; wait_cursor_line 5
	ok $? "$NAME: Large: $1 moves to the second row"
}
chk_Large_list_j() { chk_Large_list_Down j; }
chk_Large_list_Up() {
	large_list; keys Down Down; wait_cursor_line 6
	keys "$1"; wait_cursor_line 5
	ok $? "$NAME: Large: $1 moves up"
}
chk_Large_list_k() { chk_Large_list_Up k; }
large_rows() { view_pane | grep -cE '^[ *] +[0-9.]+[KMG]? '; }
chk_Large_list_End() {
	large_list; keys End; wait_cursor_line $((3 + $(large_rows)))
	ok $? "$NAME: Large: End goes to the last row"
}
chk_Large_list_PgDn() {
	large_list; keys NPage; wait_cursor_line $((3 + $(large_rows)))
	ok $? "$NAME: Large: PgDn: a page down (all fit: the last)"
}
chk_Large_list_Home() {
	large_list; keys End; wait_for cursor_row '^([5-9]|[1-9][0-9])	'
	keys Home; wait_cursor_line 4
	ok $? "$NAME: Large: Home goes to the first row"
}
chk_Large_list_PgUp() {
	large_list; keys End; wait_for cursor_row '^([5-9]|[1-9][0-9])	'
	keys PPage; wait_cursor_line 4
	ok $? "$NAME: Large: PgUp: a page up (the first)"
}
chk_Large_list_/() {
	large_list; keys /
	wait_screen 'Search for:'; answer Sent
	wait_cursor_text ' Sent '
	ok $? "$NAME: Large: / finds a message in Sent"
}
chk_Large_list_n() {
	local first
	large_list; keys /
	wait_screen 'Search for:'; answer "$INBOX_NAME"
	wait_cursor_text " $(re "$INBOX_NAME") "
	first=$(cursor_line)
	keys n
	wait_for cursor_row "^([0-9]+)	.* $(re "$INBOX_NAME") "
	[ "$(cursor_line)" -gt "$first" ]
	ok $? "$NAME: Large: n: the next message in $INBOX_NAME"
}
chk_Large_list_g() {
	local size uid
	size=$((LARGEST + 1000003))
	"$TB_PYTHON" - "$W/../new-largest.eml" "$size" <<'EOF'
import sys
path, size = sys.argv[1], int(sys.argv[2])
head = (b"From: Big Sender <big@example.org>\r\nTo: alice@example.org\r\n"
        b"Subject: Larger than any\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
        b"Message-ID: <largest@imapwb.example>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        b"Content-Type: text/plain\r\n\r\nhello\r\n--b\r\n"
        b"Content-Type: application/octet-stream\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n")
tail = b"\r\n--b--\r\n"
line = b"A" * 76 + b"\r\n"
body = line * ((size - len(head) - len(tail)) // len(line))
pad = size - len(head) - len(tail) - len(body)
body += b"A" * max(pad - 2, 0) + (b"\r\n" if pad >= 2 else b"")
open(path, "wb").write(head + body + tail)
EOF
	size=$(stat -c %s "$W/../new-largest.eml")
	uid=$(ctl append INBOX "$W/../new-largest.eml" | sed -n 's/.*APPENDUID [0-9]* \([0-9]*\).*/\1/p')
	large_list
	large_cursor | grep -q " UID $uid: " 
	ok $((!$?)) "$NAME: Large: another client's new largest message (UID $uid) is not listed yet"
	keys g
	wait_for large_cursor "^$(re "$INBOX_NAME") UID $uid: $size bytes\$" &&
		wait_cursor_line 4
	ok $? "$NAME: Large: g rescans: UID $uid, $size bytes, is at the top"
}
chk_Large_list_Space() {
	large_list; keys Space
	wait_for view_pane 'Largest [0-9]+ across mailboxes, 1 marked'
	ok $? "$NAME: Large: Space marks the row"
	keys Up Space
	wait_for view_pane 'Largest [0-9]+ across mailboxes  \(g'
	ok $? "$NAME: Large: Space again unmarks it"
}
chk_Large_list_Enter() {
	large_list; keys Enter
	wait_for view_pane '^ *(- multipart|1 )' && wait_for parts_head 'UID [0-9]+: [0-9]+ bytes'
	ok $? "$NAME: Large: Enter shows the parts"
	esc
}
chk_Large_list_Del() {
	local row box uid
	large_list
	row=$(large_cursor)
	box=${row% UID *}
	uid=${row#* UID }
	uid=${uid%%:*}
	keys DC
	wait_screen "On y: UID STORE $uid .*Deleted|On y: UID EXPUNGE $uid" && wait_screen 'y cannot be undone'
	ok $? "$NAME: Large: Del asks, listing the commands and that y cannot be undone"
	keys y
	wait_cmd "^\$" uids_in_uid "$box" "$uid"
	ok $? "$NAME: Large: y deletes $box UID $uid (imapctl)"
}
uids_in_uid() { ctl select "$1" UID "$2" | sed -n 's/^search *//p'; }
chk_Large_list_Alt-m() {
	local row box uid before
	large_list
	row=$(large_cursor)
	box=${row% UID *}
	uid=${row#* UID }
	uid=${uid%%:*}
	before=$(count_in "$TRASH")
	keys M-m
	wait_screen "On y: UID MOVE $uid " && wait_screen 'y cannot be undone'
	ok $? "$NAME: Large: Alt-m asks, listing UID MOVE $uid and that y cannot be undone"
	keys y
	wait_cmd "^\$" uids_in_uid "$box" "$uid" &&
		wait_cmd "^$((before + 1))\$" count_in "$TRASH"
	ok $? "$NAME: Large: y moves $box UID $uid to $TRASH (imapctl)"
}
chk_Large_list_Alt-s() {
	local row uid size file
	large_list
	row=$(large_cursor)
	uid=${row#* UID }
	size=${uid#*: }
	size=${size% bytes}
	uid=${uid%%:*}
	rm -f "$W"/message-*.eml
	keys M-s
	wait_screen 'Save the message to:'
	keys Enter
	wait_bar "saved: $size bytes"
	file=$(ls "$W"/message-*-"$uid".eml 2>/dev/null | head -n 1)
	is "$(stat -c %s "$file" 2>/dev/null)" "$size" "$NAME: Large: Alt-s saves UID $uid, $size bytes, to a file"
	rm -f "$W"/message-*.eml
}

# Large, the parts of the first row
large_parts() {
	large_list; keys Enter
	wait_for parts_head 'UID [0-9]+: [0-9]+ bytes'
}
parts_head() { view_line 2; }
parts_top() { view_line 4; }
chk_Large_parts_Esc() {
	large_parts
	case $1 in Esc) esc ;; Bksp) keys BSpace ;; *) keys "$1" ;; esac
	wait_for view_pane 'Largest [0-9]+ across'
	ok $? "$NAME: Large, parts: $1 goes back to the list"
}
chk_Large_parts_q() { chk_Large_parts_Esc q; }
chk_Large_parts_Bksp() { chk_Large_parts_Esc Bksp; }
chk_Large_parts_Left() { chk_Large_parts_Esc Left; }
chk_Large_parts_Down() {
	local first
	large_parts; first=$(parts_top)
	keys "$1"
	PARTS_FIRST=$first wait_true parts_moved
	ok $? "$NAME: Large, parts: $1 scrolls the tree down"
}
parts_moved() { [ "$(parts_top)" != "$PARTS_FIRST" ]; }
parts_back() { [ "$(parts_top)" = "$PARTS_FIRST" ]; }
chk_Large_parts_j() { chk_Large_parts_Down j; }
chk_Large_parts_Up() {
	large_parts; PARTS_FIRST=$(parts_top)
	keys Down; wait_true parts_moved
	keys "$1"; wait_true parts_back
	ok $? "$NAME: Large, parts: $1 scrolls it up"
}
chk_Large_parts_k() { chk_Large_parts_Up k; }

# The console
chk_console_Tab() {
	in_view Mailboxes; to_console
	keys Tab
	wait_screen '▶ 1 Mailboxes( |$)'
	ok $? "$NAME: console: Tab (empty line) gives the view the focus"
	to_console
	typed 'SELE'
	keys Tab
	wait_for console_input '^imapwb> SELECT'
	ok $? "$NAME: console: Tab in a line completes (SELE -> SELECT)"
	keys C-u
}
chk_console_Alt-N() {
	local n=${1#Alt-}
	to_console
	keys "M-$n"
	wait_screen "$(tab_re "$n" "${VIEWS[$((n - 1))]}")"
	ok $? "$NAME: console: $1 shows and focuses ${VIEWS[$((n - 1))]}"
}
chk_console_FN() {
	local n=$((${1#F} - 1))
	to_console
	keys "$1"
	wait_screen "$(tab_re "$n" "${VIEWS[$((n - 1))]}")"
	ok $? "$NAME: console: $1 shows and focuses ${VIEWS[$((n - 1))]}"
}
chk_console_F1() {
	to_console; keys F1
	wait_screen '│ The console: '
	ok $? "$NAME: console: F1 shows the console's help"
	esc
	wait_gone '│ The console: '
}
chk_console_Alt-/() {
	to_console; keys M-/
	wait_screen 'Search the transcript for:'
	answer AUTHENTICATE
	wait_screen ' scrollback '
	ok $? "$NAME: console: Alt-/ searches the transcript"
	console_bottom
}
chk_console_Alt-f() { to_console; expand_check console; }
chk_console_Alt-x() { to_console; explain_cycle_check console; }
chk_console_Alt-n() { to_console; tour_key_check console M-n Alt-n; }
chk_console_Alt-p() { to_console; tour_key_check console M-p Alt-p; }
chk_console_Alt-t() {
	to_console; keys C-u M-t
	wait_screen ' Explained '
	ok $? "$NAME: console: Alt-t opens transcript mode"
	esc
	wait_gone ' Explained '
	ok $? "$NAME: console: ... Esc leaves it"
}
chk_console_Alt-y() {
	to_console; keys C-u; mark
	typed 'SELEC INBOX'
	keys Enter
	wait_bar 'not sent: Enter sends it as typed, Alt-y takes the suggestion'
	ok $? "$NAME: console: Enter on SELEC INBOX is held with a suggestion"
	sleep 0.3
	is "$(sent)" "" "$NAME: console: ... and nothing is sent"
	keys M-y
	wait_for console_input '^imapwb> SELECT INBOX$'
	ok $? "$NAME: console: Alt-y takes it"
	keys C-u
}
chk_console_PgUp() {
	console_bottom; keys PPage
	wait_screen ' scrollback '
	ok $? "$NAME: console: PgUp scrolls the transcript back"
	console_bottom
}
chk_console_PgDn() {
	console_bottom; keys PPage
	wait_screen ' scrollback '
	keys NPage
	wait_gone ' scrollback '
	ok $? "$NAME: console: PgDn scrolls it forward again"
}
chk_console_Enter() {
	to_console; keys C-u; mark
	typed NOOP
	keys Enter
	wait_sent '^NOOP$'
	ok $? "$NAME: console: Enter sends the line"
}
chk_console_Up() {
	to_console; keys C-u
	typed NOOP; keys Enter
	keys Up
	wait_for console_input '^imapwb> NOOP$'
	ok $? "$NAME: console: Up recalls the last line"
	keys C-u
}
chk_console_Down() {
	to_console; keys C-u
	typed NOOP; keys Enter
	keys Up
	wait_for console_input '^imapwb> NOOP$'
	keys Down
	wait_for console_input '^imapwb>$'
	ok $? "$NAME: console: Down goes forward in the history (to the empty line)"
}
isearch_input() { screen | sed -n 's/^\((reverse-i-search).*\)/\1/p' | sed 's/ *│.*//; s/ *$//' | tail -n 1; }
chk_console_Ctrl-R() {
	to_console; keys C-u
	typed CAPABILITY; keys Enter
	keys C-r
	typed CAPA
	wait_for isearch_input "^\\(reverse-i-search\\)\`CAPA': CAPABILITY\$"
	ok $? "$NAME: console: Ctrl-R searches the history, its prompt shown"
	keys C-g
	wait_for console_input '^imapwb>$'
}
chk_console_q() {
	second_tui
	S=t2 keys -l LOGOUT
	S=t2 keys Enter
	S=t2 wait_for status_bar DISCONNECTED
	S=t2 keys q
	S=t2 wait_screen '^EXIT=0'
	ok $? "$NAME: console: q after a disconnect quits, exit 0"
	tmx kill-session -t t2
}
chk_console_r() { reconnect_check r console; }
chk_console_Ctrl-L() { to_console; redraw_check console; }

# --- the walk --------------------------------------------------------------

view_slug() {
	local s=${1%:}
	case $s in
	'In every view') printf 'every' ;;
	'The console') printf 'console' ;;
	*' view, '*) printf '%s_%s' "${s%% view, *}" "${s##* }" ;;
	*' view') printf '%s' "${s% view}" ;;
	*) printf '%s' "$s" ;;
	esac
}

# The keys of one help row's label, one a line ("Up, k" is two, "1..7"
# seven, "* f" one).
expand_keys() {
	local alt
	printf '%s\n' "$1" | sed 's/, /\n/g' | while IFS= read -r alt; do
		if [[ $alt =~ ^(Alt-|F)?([0-9]+)\.\.(F)?([0-9]+)$ ]]; then
			local i
			for ((i = BASH_REMATCH[2]; i <= BASH_REMATCH[4]; i++)); do
				printf '%s%d\n' "${BASH_REMATCH[1]}" "$i"
			done
		else
			printf '%s\n' "$alt"
		fi
	done
}

# Run the check of key $2 in section $1: chk_<view>_<key>, a key's space
# as _, or with its digits as N (Alt-N, FN, N).
run_check() {
	local vs ks fn
	vs=$(view_slug "$1")
	ks=${2// /_}
	fn=chk_${vs}_$ks
	declare -F "$fn" >/dev/null || fn=chk_${vs}_$(printf '%s' "$ks" | sed 's/[0-9][0-9]*/N/')
	if ! declare -F "$fn" >/dev/null; then
		ok 1 "$NAME: no check for key $2 in $1"
		return
	fi
	if [ -n "${SUBSET:-}" ] && [[ $SUBSET != *" $vs:$ks "* ]]; then
		return
	fi
	"$fn" "$2"
}

# The screen at $1 x $2, redrawn by imapwb (its status bar on the last
# line).
resize() {
	tmx resize-window -t t -x "$1" -y "$2"
	SIZE_ROWS=$2 wait_for bottom_line '^ alice@'
}
bottom_line() { screen | sed -n "${SIZE_ROWS}p"; }

# Read the help of view $1 (or the console) off a tall screen.
read_help() {
	resize 160 70
	if [ "$1" = console ]; then to_console; else in_view "$1"; fi
	keys F1
	wait_screen 'Press any key to close\.'
	screen | "$TB_PYTHON" "$HELPER" help >"$TB_ROOT/help-$1"
	esc
	wait_gone '┌'
	resize 130 30
}

walk() {
	local section label text key shared
	read_help "$1"
	is "$(tail -n 1 "$TB_ROOT/help-$1")" complete "$NAME: $1: the help shows every line on a 160x70 screen"
	shared=$(grep '^In every view:' "$TB_ROOT/help-$1")
	if [ "$1" != console ]; then
		is "$shared" "$(grep '^In every view:' "$TB_ROOT/help-Mailboxes")" \
			"$NAME: $1: the help lists the keys every view shares"
	fi
	[ "$1" = console ] || [ "$(grep -c . "$TB_ROOT/help-$1")" -gt 1 ]
	ok $? "$NAME: $1: the help has keys"
	while IFS=$'\t' read -r section label text; do
		[ -n "$label" ] || continue
		if [ "$section" = 'In every view:' ] && [ "$1" != Mailboxes ]; then
			continue
		fi
		while IFS= read -r key; do
			run_check "$section" "$key" </dev/null
		done < <(expand_keys "$label")
	done < <(grep $'\t' "$TB_ROOT/help-$1")
}

# --- typing into a view ----------------------------------------------------

LINES_TYPED=('select inbox' 'SELECT INBOX' 'store 1 +flags \Deleted'
	'fetch 1 flags' 'expunge' 'uid expunge 1' 'delete Trash'
	'setacl INBOX bob lr' 'logout')

typing_test() {
	local v line before after files
	ensure_inbox
	large_list
	msgs_list
	before=$(server_state)
	files=$(ls -A "$W")
	mark
	for v in "${VIEWS[@]}"; do
		[ -n "${SUBSET:-}" ] && [ "$v" != Messages ] && continue
		for line in "${LINES_TYPED[@]}"; do
			if [ "$v" = Messages ]; then msgs_list; else in_view "$v"; fi
			typed "$line"
			keys Enter
			wait_for console_input "^imapwb> $(re "$line")\$"
			ok $? "$NAME: $v focused: typing '$line' and Enter lands in the console input, unsent"
			keys C-u
			wait_for console_input '^imapwb>$'
		done
		wait_bar 'not sent: begun in a view'
	done
	after=$(server_state)
	is "$after" "$before" "$NAME: typing changed nothing on the server (flags, mailboxes, subscriptions, ACLs)"
	sent | grep -Eiv '^(UID )?(FETCH|STATUS|NOOP|IDLE|GETACL|MYRIGHTS|GETQUOTAROOT|CAPABILITY|LIST)( |$)' >"$TB_ROOT/typed-sent"
	is "$(cat "$TB_ROOT/typed-sent")" "" "$NAME: ... and sent nothing that could (only reads)"
	is "$(ls -A "$W")" "$files" "$NAME: ... and wrote no file"
	unlike "$(status_bar)" DISCONNECTED "$NAME: ... and did not log out"
}

# --- one server ------------------------------------------------------------

keys_test() {
	local srv=$1 port_var="${1}_PORT" v
	NAME=${1,,}
	PORT=${!port_var}
	PREFIX=$2
	PROJEKTE=${2}Projekte
	TRASH=${2}Trash
	INBOX_NAME=INBOX
	SUBSET=${3:+ ${3//$'\n'/ } }
	tb_seed "$srv" >/dev/null
	INBOX_COUNT=$(tb_manifest '[f["messages"] for f in m["accounts"]["alice"]["folders"] if f["path"] == ["INBOX"]][0]')
	SUBJECT1=$(tb_manifest '[x for x in m["accounts"]["alice"]["messages"] if x["folder"] == ["INBOX"] and x["seq"] == 1][0]["subject"]')
	LARGEST=$(tb_manifest 'max(x["size"] for x in m["accounts"]["alice"]["messages"])')
	TRANS=$TB_ROOT/$NAME.transcript
	rm -f "$TRANS"
	tmx -f /dev/null new-session -d -s t -x 130 -y 30 -c "$W" \
		"$IMAPWB -p $PORT --cafile $TB_CA -a alice --password-file $PWFILE --transcript $TRANS 127.0.0.1 2>$TB_ROOT/stderr-$NAME; echo EXIT=\$?; sleep 60"
	tb_register_pid "$(tmx display-message -p -t t '#{pid}')"
	wait_screen 'Mailboxes \(unseen' ; ok $? "$NAME: the TUI comes up"
	wait_screen '^▶ console' ; ok $? "$NAME: the console has the focus, marked ▶"

	# the Done-when first, on the fresh corpus
	typing_test

	for v in "${VIEWS[@]}" console; do
		walk "$v"
	done
	[ -n "$SUBSET" ] || nocolor_test

	to_console
	keys LOGOUT Enter
	wait_bar DISCONNECTED
	keys q
	wait_screen '^EXIT=0' ; ok $? "$NAME: LOGOUT, q: exit 0"
	unlike "$(cat "$TB_ROOT/stderr-$NAME")" 'Sanitizer|runtime error' \
		"$NAME: no sanitizer report"
	tmx_stop
}

# The focus without colour (NO_COLOR=1): the focused pane's title is
# marked and reverse, the other pane's title dim.
nocolor_test() {
	local top
	tmx new-session -d -s nc -x 120 -y 30 \
		"NO_COLOR=1 $IMAPWB -p $PORT --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p -t nc '#{pid}')"
	S=nc wait_screen 'Mailboxes \(unseen'
	top=$(tmx capture-pane -p -e -t nc | head -n 1)
	like "$top" $'^\e\\[[0-9;]*7m(\e\\[[0-9]+m)*▶ console' "$NAME: NO_COLOR: the console's title is marked ▶ and reverse"
	like "$top" $'\e\\[0;2m(\e\\[[0-9;]+m|│| )*1 Mailboxes' "$NAME: NO_COLOR: ... the view's tabs are dim"
	S=nc keys Tab
	S=nc wait_screen '▶ 1 Mailboxes( |$)'
	top=$(tmx capture-pane -p -e -t nc | head -n 1)
	like "$top" $'\e\\[[0-9;]*7m(\e\\[[0-9]+m)*▶ 1 Mailboxes' "$NAME: NO_COLOR: Tab: the view's tab is marked ▶ and reverse"
	like "$top" $'^\e\\[2m  console' "$NAME: NO_COLOR: ... the console's title is dim, unmarked"
	unlike "$(tmx capture-pane -p -e -t nc)" $'\e\\[([0-9;]*;)?[34][0-7]m' "$NAME: NO_COLOR: no colour anywhere"
	S=nc keys q
	S=nc wait_screen '^EXIT=0' >/dev/null
	tmx kill-session -t nc
}

[ -x "$IMAPWB" ] || { echo "Bail out! no imapwb binary at $IMAPWB"; exit 99; }
# TUI_KEYS_SERVERS=DOVECOT (or CYRUS) runs one, when working on this test
case " ${TUI_KEYS_SERVERS:-DOVECOT CYRUS} " in *" DOVECOT "*)
	tb_start_dovecot
	keys_test DOVECOT '' ''
esac
case " ${TUI_KEYS_SERVERS:-DOVECOT CYRUS} " in *" CYRUS "*)
	tb_start_cyrus
	keys_test CYRUS INBOX. "$CYRUS_KEYS"
esac

done_testing
