#!/usr/bin/env bash
# The TUI on a real terminal (tmux), against Dovecot and Cyrus: the mailbox
# tree with decoded and nested names, a typed SELECT and the Status view,
# Enter on a tree row, a typed LOGIN that never shows its password, resizes
# (down to "too small" and back), LOGOUT that keeps the screen, q that
# restores the terminal, history with Up, and NO_COLOR.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
# Our own greps and tmux's capture must agree with the TUI on UTF-8.
export LANG=C.UTF-8
unset LC_ALL LC_CTYPE

tb_init
PWFILE=$(tb_password_file alice)
PASSWORD=${TB_PASS[alice]}
SOCK="imapwb-tui-$$"
S=''  # the tmux session the helpers act on

keys() { tmx send-keys -t "$S" "$@"; }
# The views' pane: what is right of the separator when the screen is split.
view_pane() { screen | sed -n 's/^[^│]*│//p'; }
status_bar() { screen | tail -n 1; }

transcript_file() { sed 's/^[^ ]* //' "$state/transcript" 2>/dev/null; }
wait_view() { wait_for view_pane "$1"; }
wait_bar() { wait_for status_bar "$1"; }
# The tag prefixes of LIST commands other than $old's (see tui_test).
new_lists() {
	screen | sed -n 's/^C: \([a-z]\{3\}\)[0-9]* \(\[mailboxes\] \)\{0,1\}LIST .*/\1/p' |
		grep -vx "$old"
}

# Open the TUI as alice in a new 120x40 session named $1 on port $2, with
# its state (history) under $3 and more environment in the rest.
start_tui() {
	local name=$1 port=$2 state=$3
	shift 3
	S=$name
	mkdir -p "$state"
	tmx -f /dev/null new-session -d -s "$S" -x 120 -y 40 \
		"env LANG=C.UTF-8 XDG_STATE_HOME=$state $* $IMAPWB -p $port --cafile $TB_CA -a alice --password-file $PWFILE --transcript $state/transcript 127.0.0.1; echo EXIT=\$?; sleep 60"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
}

# The column where $2 starts on the view pane's line matching $1.
column_of() {
	view_pane | awk -v re="$1" -v s="$2" '$0 ~ re { print index($0, s); exit }'
}

tui_test() {
	local srv=$1 prefix=$2 name=${1,,} port_var="${1}_PORT"
	local port state exists uidnext n i old
	local re_prefix=${prefix//./\\.}
	port=${!port_var}
	state=$TB_ROOT/state-$name
	tb_seed "$srv" >/dev/null
	exists=$(tb_manifest '[f["messages"] for f in m["accounts"]["alice"]["folders"] if f["path"] == ["INBOX"]][0]')
	# UIDNEXT from the reference client, not from imapwb
	uidnext=$(IMAPCTL_PASSWORD=$PASSWORD tb_imapctl --port "$port" \
		--ca "$TB_CA" --user alice raw STATUS INBOX '(UIDNEXT)' |
		sed -n 's/.*UIDNEXT \([0-9]*\).*/\1/p')

	start_tui "$name" "$port" "$state"

	# --- the tree
	wait_view '^ S +Entwürfe'
	ok $? "$name: the Mailboxes view shows Entwürfe (decoded)"
	like "$(view_pane)" '^ S +日本語' "$name: ... and 日本語"
	# (the delimiter and LIST attributes follow the name, and LIST-STATUS
	# counts, unseen/messages, may end the rows)
	local rest='( "[./]"( \\[A-Za-z]+)*)?( +[0-9]+/[0-9]+)? *$'
	n=$(view_pane | grep -n -E " Projekte$rest" | head -n 1 | cut -d: -f1)
	is "$(view_pane | grep -n -E " Überprüfung$rest" | head -n 1 | cut -d: -f1)" \
		"$((n + 1))" "$name: Überprüfung is the row under Projekte"
	is "$(column_of ' Überprüfung( |$)' Überprüfung)" \
		"$(($(column_of ' Projekte( |$)' Projekte) + 2))" \
		"$name: ... indented two columns further"
	like "$(status_bar)" '^ alice@127\.0\.0\.1:[0-9]+ \| TLSv1\.[23] \| [A-Z0-9-]+ \| authenticated \| 0 in flight' \
		"$name: the status bar: user, server, TLS, mechanism, state"
	like "$(tmx capture-pane -p -e -t "$S" | tail -n 1)" $'\e''\[4[0-7]m' \
		"$name: the status bar has a colour"

	# --- a typed SELECT, and the Status view
	keys 'SELECT INBOX' Enter
	wait_screen '^S: a[0-9]{3} OK \[READ-WRITE\]'
	ok $? "$name: SELECT INBOX typed in the console gets its tagged OK there"
	like "$(screen)" '^C: a[0-9]{3} SELECT INBOX ' "$name: ... after the C: line"
	keys M-2
	wait_view '^ EXISTS +'"$exists"' *$'
	ok $? "$name: Alt-2 shows the Status view with EXISTS $exists (the manifest's count)"
	like "$(view_pane)" '^ UIDNEXT +'"$uidnext"' *$' \
		"$name: ... and UIDNEXT $uidnext (as the reference client says)"
	like "$(view_pane)" '^ Mailbox +INBOX *$' "$name: ... for INBOX"
	like "$(view_pane)" '^ Access +READ-WRITE *$' "$name: ... read-write"
	wait_bar '\| selected \| INBOX \[RW\] \|'
	ok $? "$name: the status bar shows INBOX [RW]"

	# --- Enter on a tree row (Alt-1 shows the tree and focuses it)
	keys M-1
	wait_view '^Mailboxes \(unseen'
	ok $? "$name: Alt-1 shows the Mailboxes view again"
	# rows start on the pane's third line; Home: the first row
	n=$(($(view_pane | grep -n -E '^ S +Entwürfe' | cut -d: -f1) - 3))
	keys Home
	for ((i = 0; i <= n; i++)); do keys j; done
	keys k Enter
	# the console pane may have scrolled past it (Cyrus says a lot on
	# SELECT, and the Messages view fetches at once): the transcript has
	# every line
	wait_for transcript_file "C: [a-z]{3}[0-9]+ SELECT ${re_prefix}Entw&APw-rfe\$"
	ok $? "$name: Enter on the Entwürfe row sends SELECT ${prefix}Entw&APw-rfe"
	wait_bar "\| selected \| ${re_prefix}Entwürfe \[RW\] \|"
	ok $? "$name: ... and the status bar shows ${prefix}Entwürfe [RW]"
	wait_view "^${re_prefix}Entwürfe  [0-9]+ msgs  sort: "
	ok $? "$name: ... and shows its Messages view, the name decoded"
	keys M-1
	wait_view '^>S +Entwürfe'
	ok $? "$name: ... and the tree marks it as the selected mailbox"

	# --- a typed LOGIN never shows its password
	keys Tab
	keys -l "LOGIN alice $PASSWORD"
	wait_screen '^imapwb> LOGIN \*+ *(│|$)'
	ok $? "$name: a LOGIN being typed shows its arguments as stars"
	like "$(screen)" "^imapwb> LOGIN \\*{$((6 + ${#PASSWORD}))} *(│|\$)" \
		"$name: ... one star a character"
	unlike "$(screen)" "$PASSWORD" "$name: ... and not the password"
	keys Enter
	wait_screen '^C: a[0-9]{3} LOGIN <redacted> *(│|$)'
	ok $? "$name: after Enter the transcript shows LOGIN <redacted>"
	wait_screen '^S: a[0-9]{3} (BAD|NO) '
	ok $? "$name: ... and the server's refusal (already logged in)"
	unlike "$(screen)" "$PASSWORD|alice $PASSWORD" "$name: the screen never shows the password"

	# --- history
	like "$(cat "$state/imapwb/history" 2>/dev/null)" '^SELECT INBOX$' \
		"$name: the typed SELECT is in the history file"
	unlike "$(cat "$state/imapwb/history" 2>/dev/null)" "LOGIN|$PASSWORD" \
		"$name: ... and neither the LOGIN line nor the password"
	is "$(stat -c %a "$state/imapwb/history" 2>/dev/null)" 600 \
		"$name: the history file is private (0600)"
	like "$(cat "$state/transcript" 2>/dev/null)" \
		"C: [a-z]{3}[0-9]+ SELECT ${re_prefix}Entw&APw-rfe" \
		"$name: --transcript records the wire (the tree's SELECT)"
	like "$(cat "$state/transcript" 2>/dev/null)" 'C: a[0-9]{3} LOGIN <redacted>' \
		"$name: ... with the typed LOGIN redacted"
	unlike "$(cat "$state/transcript" 2>/dev/null)" "$PASSWORD" \
		"$name: ... and never the password"
	keys Up
	wait_screen '^imapwb> SELECT INBOX *(│|$)'
	ok $? "$name: Up recalls SELECT INBOX"
	keys C-u
	wait_screen '^imapwb> *│'
	ok $? "$name: Ctrl-U clears the line again"

	# --- resizing
	tmx resize-window -t "$S" -x 50 -y 15
	wait_bar '^ alice@127\.0\.0\.1:[0-9]+ \| .{20,}…$'
	ok $? "$name: at 50x15 the status bar is redrawn to the width"
	wait_screen '^imapwb> *$'
	ok $? "$name: ... the console shows (it has the focus)"
	unlike "$(screen)" '│|1 Mailboxes' "$name: ... alone: no separator, no view"
	is "$(screen | wc -l)" 15 "$name: ... on 15 rows"
	keys Tab
	wait_screen '^ ▶ 1 Mailboxes 2 3 4 5 6 7 8$'
	ok $? "$name: Tab at 50 columns shows the view instead (every tab: the numbers, the current one named)"
	like "$(screen)" 'Entwürfe' "$name: ... the tree"
	unlike "$(screen)" 'imapwb>' "$name: ... without the console"
	keys Tab
	wait_screen '^imapwb> *$'
	ok $? "$name: Tab again: back to the console"
	tmx resize-window -t "$S" -x 120 -y 40
	wait_view '^ 1 Mailboxes 2 Sta 3 Mes 4 ACL 5 Quo 6 Cap 7 Con 8 Lar$'
	ok $? "$name: back at 120x40 the split screen returns (every tab, short)"
	wait_bar "\| selected \| ${re_prefix}Entwürfe \[RW\] \| 0 in flight"
	ok $? "$name: ... with the whole status bar"
	like "$(view_pane)" '^>S +Entwürfe' "$name: ... and the tree"
	tmx resize-window -t "$S" -x 30 -y 10
	wait_screen '^imapwb: terminal too small'
	ok $? "$name: at 30x10 the screen says it is too small"
	tmx resize-window -t "$S" -x 120 -y 40
	wait_view '^>S +Entwürfe'
	ok $? "$name: ... and recovers at 120x40"
	wait_bar "\| selected \| ${re_prefix}Entwürfe \[RW\] \|"
	ok $? "$name: ... status bar included"
	unlike "$(screen)" 'too small' "$name: ... without the note"

	# --- LOGOUT keeps the screen; q leaves and restores the terminal
	keys LOGOUT Enter
	wait_screen '^S: \* BYE'
	ok $? "$name: a typed LOGOUT shows S: * BYE"
	wait_bar 'DISCONNECTED'
	ok $? "$name: ... the status bar says DISCONNECTED"
	like "$(screen)" '^C: a[0-9]{3} LOGOUT' "$name: ... the transcript stays"
	like "$(screen)" '^disconnected> ' "$name: ... and the input says so"
	unlike "$(screen)" '^! *(│|$)' "$name: ... with no empty error line"
	# a new connection has a new tag prefix
	# (the views' LIST: typed commands' tags are a001..., the same on
	# every connection)
	old=$(sed -n 's/.* C: \([a-z]\{3\}\)[0-9]* \(\[mailboxes\] \)\{0,1\}LIST .*/\1/p' \
		"$state/transcript" | tail -n 1)
	like "$old" '^[a-z]{3}$' "$name: the views' tags have the session's prefix"
	keys r
	wait_bar '\| authenticated \| 0 in flight .*\| reconnected'
	ok $? "$name: r reconnects (and logs in again)"
	wait_for new_lists .
	ok $? "$name: ... and lists the mailboxes again on the new connection"
	like "$(view_pane)" '^ S +Entwürfe' "$name: ... into the tree"
	keys LOGOUT Enter
	wait_bar 'DISCONNECTED'
	ok $? "$name: LOGOUT again: DISCONNECTED"
	keys q
	wait_screen '^EXIT=0$'
	ok $? "$name: q then exits with status 0"
	unlike "$(screen)" 'DISCONNECTED|imapwb>|│' \
		"$name: ... and the terminal is restored (the TUI's screen is gone)"
	tmx_end "$S"

	# --- NO_COLOR, and q while connected
	start_tui "nocolor-$name" "$port" "$state" NO_COLOR=1
	wait_view '^ S +Entwürfe'
	ok $? "$name: NO_COLOR=1: the tree shows"
	keys 'SELECT INBOX' Enter
	wait_screen '^S: a[0-9]{3} OK \[READ-WRITE\]'
	ok $? "$name: NO_COLOR=1: SELECT INBOX works"
	keys M-2
	wait_view '^ EXISTS +'"$exists"' *$'
	ok $? "$name: NO_COLOR=1: the Status view shows EXISTS $exists"
	unlike "$(tmx capture-pane -p -e -t "$S")" $'\e''\[([0-9;]*;)?[34][0-7]m' \
		"$name: NO_COLOR=1: no colour on the screen"
	keys q
	wait_screen '^EXIT=0$'
	ok $? "$name: NO_COLOR=1: q in a view sends LOGOUT and exits 0"
	tmx_end "$S"
}

tb_start_dovecot
tui_test DOVECOT ''
tb_start_cyrus
tui_test CYRUS INBOX.

tmx_stop
done_testing
