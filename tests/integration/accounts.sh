#!/usr/bin/env bash
# Accounts (issue #14) against real Dovecot and Cyrus: `imapwb @NAME` from
# a config file in a private XDG_CONFIG_HOME (and --config FILE), options
# overriding the file, the file refused when others could write it or
# when it holds a password; IMAP URLs (RFC 5092) opening their mailbox in
# -f, --plain and the TUI, ;UIDVALIDITY= refusing a changed mailbox (exit
# 6), /;UID= named, a job taking the URL's mailbox.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
W=$TB_ROOT/work
mkdir -p "$W"
export XDG_CONFIG_HOME=$TB_ROOT/xdg
export XDG_STATE_HOME=$TB_ROOT/state
CFG=$XDG_CONFIG_HOME/imapwb/config
ALICE_PW=$(tb_password_file alice)
BOB_PW=$(tb_password_file bob)
SOCK="imapwb-accounts-$$"
printf 'NOOP\n' >"$W/noop"

# The config file, from stdin, private.
config() {
	mkdir -p "${CFG%/*}"
	chmod 700 "${CFG%/*}"
	cat >"$CFG"
	chmod 600 "$CFG"
}

# imapwb with the arguments; sets OUT, ERR and RC.
run() {
	OUT=$(timeout 60 "$IMAPWB" "$@" 2>"$W/err" </dev/null)
	RC=$?
	ERR=$(cat "$W/err")
}

account_tests() {
	local srv=$1 name=${1,,} port_var="${1}_PORT" port
	port=${!port_var}

	config <<EOF
# the test bed's $srv
[elsewhere]
host = 127.0.0.1
port = 1

[$name]
host = 127.0.0.1
port = $port
cafile = $TB_CA
authname = alice
password-cmd = cat $ALICE_PW
EOF
	run -f "$W/noop" "@$name"
	is "$RC" 0 "$name: @$name from \$XDG_CONFIG_HOME/imapwb/config: exit 0"
	like "$OUT" '^C: [a-z]{3}[0-9]+ STARTTLS$' "$name: ... STARTTLS, as the default"
	like "$OUT" '^S: a001 OK' "$name: ... and the NOOP answered OK"
	like "$OUT" '^C: [a-z]{3}[0-9]+ AUTHENTICATE ' "$name: ... after logging in"

	# options override the file, in whatever order
	run -m login -a bob --password-file "$BOB_PW" -f "$W/noop" "@$name"
	is "$RC" 0 "$name: -m login -a bob --password-file over the account: exit 0"
	like "$OUT" '^C: [a-z]{3}[0-9]+ LOGIN bob ' "$name: ... LOGIN as bob, not alice"
	unlike "$OUT" 'AUTHENTICATE' "$name: ... and no AUTHENTICATE"
	run -f "$W/noop" -p 1 "@$name"
	is "$RC" 3 "$name: -p 1 over the account's port: exit 3 (nothing listens)"

	# --config FILE
	cp "$CFG" "$W/other.conf"
	chmod 600 "$W/other.conf"
	sed -i "s/^\\[$name\\]/[renamed]/" "$W/other.conf"
	run --config "$W/other.conf" -f "$W/noop" @renamed
	is "$RC" 0 "$name: --config FILE @renamed: exit 0"
	run --config "$W/other.conf" -f "$W/noop" "@$name"
	is "$RC" 2 "$name: an account not in the file: exit 2"
	like "$ERR" "^imapwb: $(re "$W/other.conf"): no account \\[$name\\]" "$name: ... naming the file and the account"

	# refusals
	chmod 620 "$CFG"
	run -f "$W/noop" "@$name"
	is "$RC" 2 "$name: a config file writable by its group: exit 2"
	like "$ERR" "$(re "$CFG"): writable by its group: refused.*fix: chmod 600 $(re "$CFG")" "$name: ... naming the file and chmod 600"
	chmod 606 "$CFG"
	run -f "$W/noop" "@$name"
	is "$RC" 2 "$name: writable by others: exit 2"
	like "$ERR" 'writable by others' "$name: ... saying so"
	chmod 600 "$CFG"
	chmod 777 "${CFG%/*}"
	run -f "$W/noop" "@$name"
	is "$RC" 2 "$name: its folder writable by others: exit 2"
	like "$ERR" "$(re "${CFG%/*}"): writable by others.*chmod 700" "$name: ... naming the folder"
	chmod 700 "${CFG%/*}"

	if [ "$(id -u)" = 0 ]; then
		chown 65534 "$CFG"
		run -f "$W/noop" "@$name"
		is "$RC" 2 "$name: a config file that is not the user's: exit 2"
		like "$ERR" "$(re "$CFG"): owned by uid 65534, not by you.*chmod 600" "$name: ... naming the file and the fix"
		chown 0 "$CFG"
	fi

	printf 'password = %s\n' "${TB_PASS[alice]}" >>"$CFG"
	run -f "$W/noop" "@$name"
	is "$RC" 2 "$name: a password in the file: exit 2"
	like "$ERR" "$(re "$CFG"):12: a password is never taken from the config file: use password-cmd" "$name: ... file:line, and use password-cmd"
	unlike "$ERR$OUT" "$(re "${TB_PASS[alice]}")" "$name: ... without showing it"
	sed -i '$d' "$CFG"

	printf 'prot = 143\n' >>"$CFG"
	run -f "$W/noop" "@$name"
	is "$RC" 2 "$name: an unknown key: exit 2"
	like "$ERR" "$(re "$CFG"):12: unknown key 'prot'" "$name: ... with file:line"
	sed -i '$d' "$CFG"
	printf 'connect-timeout = soon\n' >>"$CFG"
	run -f "$W/noop" "@$name"
	is "$RC" 2 "$name: a bad value: exit 2, before connecting"
	like "$ERR" "$(re "$CFG"):12: option --connect-timeout: 'soon' is not a number of seconds" "$name: ... the option's own message, with file:line"
	sed -i '$d' "$CFG"
}

url_tests() {
	local srv=$1 name=${1,,} inbox=$2 umlaut=$3 port_var="${1}_PORT" port
	local imaps_var="${1}_IMAPS_PORT" uv uid opts
	port=${!port_var}
	opts=(--cafile "$TB_CA" --password-file "$ALICE_PW")

	run "${opts[@]}" -f "$W/noop" "imap://alice@127.0.0.1:$port/INBOX"
	is "$RC" 0 "$name: -f with imap://alice@127.0.0.1:PORT/INBOX: exit 0"
	like "$OUT" '^C: [a-z]{3}[0-9]+ STARTTLS$' "$name: ... imap:// is STARTTLS"
	like "$OUT" '^C: [a-z]{3}[0-9]+ SELECT INBOX$' "$name: ... SELECT INBOX was sent"
	like "$(printf '%s\n' "$OUT" | grep -E '^C: ' | tail -n 3 | head -n 2 | tr '\n' '|')" \
		'SELECT INBOX\|C: a001 NOOP\|$' "$name: ... right before the batch's first command"
	uv=$(printf '%s\n' "$OUT" | sed -n 's/^S: \* OK \[UIDVALIDITY \([0-9]*\)\].*/\1/p' | head -n 1)
	like "$uv" '^[1-9][0-9]*$' "$name: ... and the server said its UIDVALIDITY"

	printf 'NOOP\n' | timeout 60 "$IMAPWB" "${opts[@]}" --plain \
		"imap://alice@127.0.0.1:$port/INBOX" >"$W/plain" 2>"$W/err"
	is "$?" 0 "$name: --plain with the URL: exit 0"
	like "$(cat "$W/plain")" '^C: [a-z]{3}[0-9]+ SELECT INBOX$' "$name: ... SELECT INBOX was sent"
	like "$(cat "$W/plain")" '^S: [a-z]{3}[0-9]+ OK \[READ-WRITE\]' "$name: ... and opened it"

	run "${opts[@]}" -f "$W/noop" "imaps://alice@127.0.0.1:${!imaps_var}/INBOX"
	is "$RC" 0 "$name: imaps:// (implicit TLS): exit 0"
	unlike "$OUT" 'STARTTLS$' "$name: ... no STARTTLS"
	like "$OUT" '^C: [a-z]{3}[0-9]+ SELECT INBOX$' "$name: ... SELECT INBOX"

	run "${opts[@]}" -f "$W/noop" "imap://alice;AUTH=PLAIN@127.0.0.1:$port/$umlaut"
	is "$RC" 0 "$name: a percent-encoded UTF-8 mailbox and ;AUTH=PLAIN: exit 0"
	like "$OUT" "^C: [a-z]{3}[0-9]+ AUTHENTICATE PLAIN" "$name: ... PLAIN was used"
	like "$OUT" "^C: [a-z]{3}[0-9]+ SELECT $(re "$inbox")Entw&APw-rfe\$" "$name: ... sent in modified UTF-7"

	run "${opts[@]}" -f "$W/noop" "imap://alice@127.0.0.1:$port/INBOX;UIDVALIDITY=$((uv + 1))"
	is "$RC" 6 "$name: another ;UIDVALIDITY=: exit 6"
	like "$ERR" "refused: mailbox 'INBOX' has UIDVALIDITY $uv, the URL says $((uv + 1))" "$name: ... saying both"
	unlike "$OUT" 'NOOP' "$name: ... and the batch never ran"

	uid=$(tb_uids_where "$srv" INBOX ALL | awk '{ print $3 }')
	like "$uid" '^[0-9]+$' "$name: the third message's UID ($uid)"
	run "${opts[@]}" -f "$W/noop" "imap://alice@127.0.0.1:$port/INBOX;UIDVALIDITY=$uv/;UID=$uid"
	is "$RC" 0 "$name: the right ;UIDVALIDITY= and /;UID=: exit 0"
	like "$OUT" "the URL names message UID $uid of this mailbox" "$name: ... the message is named"
	unlike "$OUT" '^C: .*FETCH' "$name: ... and nothing is fetched"

	run "${opts[@]}" -f "$W/noop" "imap://alice@127.0.0.1:$port/No%20Such%20Box"
	is "$RC" 1 "$name: a mailbox the server refuses: exit 1"
	like "$ERR" "did not open the URL's mailbox 'No Such Box'" "$name: ... saying so"

	# a job takes the URL's mailbox and UIDVALIDITY
	run "${opts[@]}" --save -o "$W/saved" "imap://alice@127.0.0.1:$port/INBOX;UIDVALIDITY=$((uv + 1))/;UID=$uid"
	is "$RC" 6 "$name: --save with the URL's other UIDVALIDITY: exit 6 (the job's check)"
	run "${opts[@]}" --save -o "$W/saved" "imap://alice@127.0.0.1:$port/INBOX;UIDVALIDITY=$uv/;UID=$uid"
	is "$RC" 0 "$name: --save of the URL's message: exit 0"
	like "$(head -c 2000 "$W/saved")" '^(Subject|From|Date|Message-ID|Return-Path|Received|To|MIME-Version): ' "$name: ... a message was saved"

	run "${opts[@]}" -f "$W/noop" "imap://alice@127.0.0.1:$port/IN%ZZBOX"
	is "$RC" 2 "$name: a bad percent escape: exit 2"
	like "$ERR" '^imapwb: bad IMAP URL: the mailbox has a bad percent escape' "$name: ... saying so"
}

tui_url_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT" uid uv
	uid=$(tb_uids_where "$srv" INBOX ALL | awk '{ print $3 }')
	tmx -f /dev/null new-session -d -s t -x 120 -y 40 \
		"LANG=C.UTF-8 $IMAPWB --cafile $TB_CA --password-file $ALICE_PW --transcript $W/tui-tr-$name 'imap://alice@127.0.0.1:${!port_var}/INBOX/;UID=$uid' 2>$W/tui-err-$name; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen 'INBOX  22 msgs  sort: seq ascending' ; ok $? "$name: the TUI opens the URL's INBOX in the Messages view"
	wait_screen "the URL's message: UID $uid" ; ok $? "$name: ... with the cursor on the URL's UID"
	like "$(cat "$W/tui-tr-$name")" 'C: [a-z]{3}[0-9]+ SELECT INBOX' "$name: ... SELECT INBOX on the wire"
	wait_screen '\| selected \| INBOX \[RW\] \|' ; ok $? "$name: ... the status line says INBOX is selected"
	tmx send-keys -t t M-2
	wait_screen 'Mailbox[: ]+INBOX' ; ok $? "$name: the Status view names INBOX"
	tmx_stop

	# another UIDVALIDITY: refused before the screen is taken over
	uv=$(sed -n 's/.*S: \* OK \[UIDVALIDITY \([0-9]*\)\].*/\1/p' "$W/tui-tr-$name" | head -n 1)
	tmx -f /dev/null new-session -d -s t -x 120 -y 40 \
		"LANG=C.UTF-8 $IMAPWB --cafile $TB_CA --password-file $ALICE_PW 'imap://alice@127.0.0.1:${!port_var}/INBOX;UIDVALIDITY=$((uv + 1))'; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
	wait_screen '^EXIT=6' ; ok $? "$name: the TUI with another ;UIDVALIDITY=: exit 6"
	like "$(screen)" "refused: mailbox 'INBOX' has UIDVALIDITY $uv" "$name: ... saying why"
	tmx_stop
}

tb_start_dovecot
tb_seed DOVECOT >/dev/null
account_tests DOVECOT
url_tests DOVECOT '' 'Entw%C3%BCrfe'
command -v tmux >/dev/null && tui_url_test DOVECOT
tb_start_cyrus
tb_seed CYRUS >/dev/null
account_tests CYRUS
url_tests CYRUS 'INBOX.' 'INBOX.Entw%C3%BCrfe'
command -v tmux >/dev/null && tui_url_test CYRUS
done_testing
