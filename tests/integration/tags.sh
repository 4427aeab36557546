#!/usr/bin/env bash
# Tags you can learn from (issue #11, item 5), against Dovecot and Cyrus:
#  a. -f: lines typed without a tag get a001, a002... in order; a typed
#     tag is kept, and a typed tag of that form is never repeated by an
#     added one; --explain says the tag was added (in full once, then a
#     detail line), and says nothing of the kind for a typed tag.
#  b. --tags manual: lines go as typed: "NOOP" goes out as tag NOOP with
#     no command, the server's BAD comes back, exit 1; --explain says
#     NOOP was taken as the tag.
#  c. The TUI (tmux): the added tag is drawn dim (SGR 2 before it, not
#     before the command or a typed tag), and the note that explains it
#     appears once.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)
SOCK="imapwb-tags-$$"
W=$TB_ROOT/work
mkdir -p "$W"

# imapwb -f $W/cmds on server $1 with more options; sets OUT and RC.
batch() {
	local port_var="${1}_PORT"
	shift
	"$IMAPWB" -f "$W/cmds" -p "${!port_var}" --cafile "$TB_CA" -a alice \
		--password-file "$PWFILE" "$@" 127.0.0.1 >"$W/out" 2>"$W/err"
	RC=$?
	OUT=$(cat "$W/out")
}

# The tags of the C: lines of commands typed (no LOGIN, no LOGOUT).
typed_tags() {
	sed -n 's/^C: \([^ ]*\) \(NOOP\|NAMESPACE\)$/\1/p' "$W/out" | tr '\n' ' '
}

batch_test() {
	local srv=$1 name=${1,,}

	printf '%s\n' 'NOOP' 'x7 NOOP' 'a003 NOOP' 'NAMESPACE' 'NOOP' >"$W/cmds"
	batch "$srv" --explain
	is "$RC" 0 "$name: -f with added and typed tags, exit 0"
	is "$(typed_tags)" 'a001 x7 a003 a002 a004 ' \
		"$name: added tags a001, a002, a004 in order; x7 and a003 kept; a003 not added again"
	is "$(grep -c '^S: a00[1-4] OK' "$W/out")" 4 "$name: ... each a00n answered by its own tagged OK"
	like "$OUT" '^# a001 is a tag imapwb added: every command starts with a tag the server repeats in its reply; type your own, e\.g\. x1 NOOP, or use --tags manual \(RFC 9051 §2\.2\.1\)$' \
		"$name: --explain says a001 was added, why tags exist, and how to type one"
	is "$(grep -c 'is a tag imapwb added' "$W/out")" 1 "$name: ... in full once"
	like "$OUT" '^#   a002: a tag imapwb added \(RFC 9051 §2\.2\.1\)$' "$name: ... then a detail line for a002"
	like "$OUT" '^#   a004: a tag imapwb added' "$name: ... and a004"
	unlike "$OUT" '(x7|a003).* added' "$name: ... and nothing of the kind for the typed x7 and a003"

	printf '%s\n' 'NOOP' >"$W/cmds"
	batch "$srv" --tags manual --explain
	is "$RC" 1 "$name: --tags manual: NOOP alone gets BAD, exit 1"
	like "$OUT" '^C: NOOP$' "$name: ... sent exactly as typed"
	like "$OUT" '^S: (NOOP|\*) BAD ' "$name: ... and the server's BAD came back"
	like "$OUT" '^# NOOP was taken as the tag: the line has no command, so the server will answer BAD; a line starts with a tag, then the command, e\.g\. "a1 NOOP" \(RFC 9051 §2\.2\.1\)$' \
		"$name: ... --explain says NOOP was taken as the tag"
	unlike "$OUT" 'C: a001' "$name: ... and no tag was added"

	printf '%s\n' 'x1 NOOP' >"$W/cmds"
	batch "$srv" --tags manual
	is "$RC" 0 "$name: --tags manual with a typed tag: exit 0"
	like "$OUT" '^S: x1 OK' "$name: ... x1 NOOP answered"
}

# Whether, on the console row that holds $1, the text $2 is drawn with
# SGR 2 (dim): prints yes, no or missing.
dim_at() {
	tmx capture-pane -p -e -t t 2>/dev/null | "$TB_PYTHON" -c '
import re, sys
row, part = sys.argv[1], sys.argv[2]
for line in sys.stdin.read().split("\n"):
    chars, attrs, seen = [], [], set()
    for m in re.finditer(r"\x1b\[([0-9;]*)m|(.)", line):
        if m.group(1) is not None:
            for c in (m.group(1).split(";") if m.group(1) else ["0"]):
                if c in ("", "0"):
                    seen = set()
                elif c == "22":
                    seen.discard("2")
                else:
                    seen.add(c)
        else:
            chars.append(m.group(2))
            attrs.append(set(seen))
    text = "".join(chars)
    at = text.find(row)
    if at < 0:
        continue
    at = text.find(part, at)
    print("yes" if all("2" in attrs[i] for i in range(at, at + len(part)))
          else "no")
    sys.exit(0)
print("missing")' "$1" "$2"
}
console_text() { screen | sed 's/│.*//' | tr -d '\n' | tr -s ' '; }

tui_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT"

	tmx -f /dev/null new-session -d -s t -x 160 -y 45 \
		"$IMAPWB -p ${!port_var} --cafile $TB_CA -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'Mailboxes' ; ok $? "$name: the TUI comes up"
	tmx send-keys -t t 'NOOP' Enter
	wait_screen '^C: a001 NOOP' ; ok $? "$name: a typed NOOP goes out as a001 NOOP"
	is "$(dim_at 'C: a001 NOOP' 'a001')" yes "$name: ... the added tag drawn dim (SGR 2)"
	is "$(dim_at 'C: a001 NOOP' 'NOOP')" no "$name: ... the command as before"
	is "$(dim_at 'C: a001 NOOP' 'C:')" no "$name: ... and the C: prefix too"
	wait_for console_text 'a001 is a tag imapwb added: every command starts with a tag the server repeats in its reply; type your own, e\.g\. x1 NOOP, or use --tags manual \(RFC 9051 §2\.2\.1\)'
	ok $? "$name: the first added tag is explained in a note"
	tmx send-keys -t t 'x1 NOOP' Enter
	wait_screen '^S: x1 OK' ; ok $? "$name: a typed tag is kept"
	is "$(dim_at 'C: x1 NOOP' 'x1')" no "$name: ... and not drawn dim"
	tmx send-keys -t t 'NOOP' Enter
	wait_screen '^S: a002 OK' ; ok $? "$name: the next added tag is a002"
	is "$(dim_at 'C: a002 NOOP' 'a002')" yes "$name: ... dim too"
	is "$(console_text | grep -o 'is a tag imapwb added' | wc -l)" 1 \
		"$name: ... and the note is not said again"
	tmx send-keys -t t M-1 q
	wait_screen '^EXIT=0' ; ok $? "$name: q logs out, exit 0"
	tmx_stop
}

printf 'NOOP\n' >"$W/cmds"
"$IMAPWB" --tags sometimes -f "$W/cmds" 127.0.0.1 >/dev/null 2>"$W/err"
is "$?" 2 "--tags takes auto or manual only (usage error, exit 2)"
like "$(cat "$W/err")" "option --tags: 'sometimes' is not auto or manual" "... and says so"

tb_start_dovecot
tb_seed DOVECOT >/dev/null
batch_test DOVECOT
tui_test DOVECOT
tb_start_cyrus
tb_seed CYRUS >/dev/null
batch_test CYRUS
tui_test CYRUS

done_testing
