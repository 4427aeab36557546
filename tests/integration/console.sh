#!/usr/bin/env bash
# imapwb's plain console and batch mode against real Dovecot and Cyrus:
# TLS both ways, every SASL mechanism and LOGIN, proxy authorization,
# exit statuses, secrets kept out of every output, typed literals,
# pipelining, IDLE and COMPRESS.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
W=$TB_ROOT/work
mkdir -p "$W"

# imapwb against server $1 as user $2 in batch mode with commands $3 (one
# a line); more options follow. Sets OUT, ERR and RC.
batch() {
	local srv=$1 user=$2 cmds=$3 port_var="${1}_PORT"
	shift 3
	printf '%s\n' "$cmds" >"$W/cmds"
	OUT=$(timeout 60 "$IMAPWB" -f "$W/cmds" -p "${!port_var}" \
		--cafile "$TB_CA" -a "$user" --password-file "$(tb_password_file "$user")" \
		--transcript "$W/transcript" "$@" 127.0.0.1 2>"$W/err")
	RC=$?
	ERR=$(cat "$W/err")
}

# The password, and base64 of every PLAIN blob that could carry it.
secret_forms() {
	local pw=$1
	printf '%s\n' "$pw"
	printf '%s' "$pw" | base64 -w0; echo
	printf '\0alice\0%s' "$pw" | base64 -w0; echo
	printf 'alice\0alice\0%s' "$pw" | base64 -w0; echo
	printf 'alice\0admin\0%s' "$pw" | base64 -w0; echo
	printf '\0admin\0%s' "$pw" | base64 -w0; echo
}

no_secret_in() {
	local what=$1 text=$2 pw=$3 form leaked=""
	while IFS= read -r form; do
		case $text in *"$form"*) leaked=$form ;; esac
	done < <(secret_forms "$pw")
	is "$leaked" "" "$what holds no form of the password"
}

server_tests() {
	local srv=$1 name=${1,,} inbox_count=$2 mech port_var out limit

	# STARTTLS (the default) with the run's CA
	batch "$srv" alice 'NOOP'
	is "$RC" 0 "$name: STARTTLS with the run's CA, exit 0"
	like "$OUT" '^C: [a-z]{3}[0-9]+ STARTTLS$' "$name: ... STARTTLS was sent"
	like "$OUT" '^S: a001 OK' "$name: ... and the NOOP answered OK"
	like "$OUT" '^\* TLS: TLSv1\.[23], ' "$name: ... the TLS facts are shown"

	# IMAPS
	port_var="${srv}_IMAPS_PORT"
	batch "$srv" alice 'NOOP' -s -p "${!port_var}"
	is "$RC" 0 "$name: IMAPS (-s) with the run's CA, exit 0"
	unlike "$OUT" 'STARTTLS$' "$name: ... and no STARTTLS on IMAPS"

	# certificate checks
	printf 'NOOP\n' >"$W/cmds"
	port_var="${srv}_PORT"
	ERR=$("$IMAPWB" -f "$W/cmds" -p "${!port_var}" -a alice \
		--password-file "$(tb_password_file alice)" 127.0.0.1 2>&1 >/dev/null)
	is "$?" 3 "$name: without the CA the certificate is refused: exit 3"
	like "$ERR" 'certificate verify failed' "$name: ... saying why"
	ERR=$("$IMAPWB" -f "$W/cmds" -p "${!port_var}" -a alice --insecure \
		--password-file "$(tb_password_file alice)" 127.0.0.1 2>&1 >/dev/null)
	is "$?" 0 "$name: --insecure goes through"
	like "$ERR" 'insecure.*NOT checked' "$name: ... with a loud warning"

	# every mechanism, and the LOGIN command
	for mech in PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 login; do
		batch "$srv" bob 'NOOP' -m "$mech"
		is "$RC" 0 "$name: -m $mech authenticates (exit 0)"
		no_secret_in "$name: -m $mech stdout" "$OUT" "${TB_PASS[bob]}"
	done
	no_secret_in "$name: the transcript file" "$(cat "$W/transcript")" \
		"${TB_PASS[bob]}"

	# proxy authorization: admin acts as alice
	batch "$srv" admin 'SELECT INBOX' -u alice -m PLAIN
	is "$RC" 0 "$name: admin as alice (PLAIN authzid), exit 0"
	like "$OUT" "^S: \\* $inbox_count EXISTS\$" \
		"$name: ... lands in alice's INBOX ($inbox_count messages)"
	no_secret_in "$name: proxy stdout" "$OUT" "${TB_PASS[admin]}"

	# a wrong password: exit 4, quickly
	printf 'wrong-password\n' >"$W/pw-wrong"
	SECONDS=0
	OUT=$("$IMAPWB" -f "$W/cmds" -p "${!port_var}" --cafile "$TB_CA" \
		-a alice --password-file "$W/pw-wrong" 127.0.0.1 2>&1)
	is "$?" 4 "$name: a wrong password exits 4"
	# quickly: no retry, no wait for --timeout (120 s); Dovecot delays a
	# failed login by 2 s, and valgrind (make check-valgrind) or a loaded
	# machine slow the rest, so the bound is generous, not a benchmark
	limit=15
	[ -n "${IMAPWB_REAL:-}" ] && limit=60
	[ "$SECONDS" -le "$limit" ]; ok $? "$name: ... within $limit s ($SECONDS s), not a retry or a wait for --timeout"
	no_secret_in "$name: wrong-password output" "$OUT" wrong-password

	# NO and BAD make exit 1
	batch "$srv" alice 'SELECT no-such-mailbox'
	is "$RC" 1 "$name: a command answered NO exits 1"

	# a tag the server cannot read ("*"): its untagged BAD ends the
	# command, exit 1, never a hang (timeout 60 would say 124); "+" is
	# refused before it goes; the next line still goes
	batch "$srv" alice "$(printf '* NOOP\n+ NOOP\nNOOP')"
	is "$RC" 1 "$name: '* NOOP' and '+ NOOP' end with the server's BAD: exit 1"
	like "$OUT" '^S: \* BAD ' "$name: ... the untagged BAD is shown"
	like "$OUT" '^S: a[0-9]{3} OK' "$name: ... and the next NOOP still ran"
	like "$ERR" "a tag cannot hold '\\+'" "$name: ... '+ NOOP' is refused before sending (a reply would read as a continuation)"

	# a -f file ending in LOGOUT, as imtest users write them: exit 0
	# (Cyrus closes TLS without close_notify), one LOGOUT on the wire
	batch "$srv" alice "$(printf 'NOOP\nLOGOUT')"
	is "$RC" 0 "$name: a -f file ending in LOGOUT exits 0"
	is "$(grep -c ' LOGOUT$' <<<"$OUT")" 1 "$name: ... and only its own LOGOUT went out"
	batch "$srv" alice "$(printf 'SELECT no-such-mailbox\nLOGOUT')"
	is "$RC" 1 "$name: ... or 1 when a command before it failed"

	# a line that is only a tag is a usage error: exit 1 in batch
	batch "$srv" alice "$(printf 'a1\nNOOP')"
	is "$RC" 1 "$name: a tag alone in -f exits 1"
	like "$ERR" 'a tag alone is not a command' "$name: ... and says why"

	# COMPRESS
	batch "$srv" alice 'NOOP' -q
	is "$RC" 0 "$name: -q (COMPRESS=DEFLATE) works"
	like "$OUT" '^C: [a-z]{3}[0-9]+ COMPRESS DEFLATE$' "$name: ... COMPRESS was sent"
	like "$OUT" '^\* COMPRESS=DEFLATE is on$' "$name: ... and is on"
}

# imapctl against server $1 as alice
alice_ctl() {
	local port_var="${1}_PORT"
	shift
	IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --port "${!port_var}" \
		--ca "$TB_CA" --user alice "$@"
}

# A typed synchronising literal: APPEND waits for "+", then sends exactly
# the typed bytes; the message is on the server afterwards.
append_literal_test() {
	local srv=$1 name=${1,,} mbox=$2 out uid
	# "Subject: typed literal" CRLF CRLF "body" = 24 + 2 + 4 bytes
	batch "$srv" alice "$(printf 'APPEND %s {30}\nSubject: typed literal\n\nbody' "$mbox")"
	is "$RC" 0 "$name: APPEND with a typed {30} literal exits 0"
	like "$OUT" '^S: \+ ' "$name: ... after the server's continuation"
	like "$OUT" '^S: a[0-9]{3} OK \[APPENDUID [0-9]+ [0-9]+\]' \
		"$name: ... and is appended"
	out=$(alice_ctl "$srv" select "$mbox" SUBJECT '"typed literal"')
	like "$out" '^search [0-9]+$' "$name: the server holds the typed message"
	uid=${out##*search }
	out=$(alice_ctl "$srv" fetch "$mbox" "$uid" RFC822.SIZE)
	like "$out" 'RFC822.SIZE 30\)' "$name: ... exactly the 30 typed bytes"
}

# Lines piped into --plain go out at once (pipelined); every tagged reply
# is matched to its command, whatever the order.
pipelining_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT" mbox=$2 out last_c first_s
	out=$(printf 'SELECT INBOX\nNOOP\nFETCH 1:3 (FLAGS)\nSTATUS %s (MESSAGES)\nUID SEARCH ALL\nCHECK\n' "$mbox" |
		timeout 30 "$IMAPWB" --plain -v -p "${!port_var}" --cafile "$TB_CA" \
		-a alice --password-file "$(tb_password_file alice)" 127.0.0.1 2>/dev/null)
	is "$?" 0 "$name: six pipelined commands, exit 0"
	first_s=$(printf '%s\n' "$out" | sed -n '/^\* authenticated with/,$p' |
		grep -n '^S: a[0-9]\{3\} ' | head -n 1 | cut -d: -f1)
	last_c=$(printf '%s\n' "$out" | sed -n '/^\* authenticated with/,$p' |
		grep -n '^C: a006 CHECK$' | cut -d: -f1)
	[ -n "$last_c" ] && [ -n "$first_s" ] && [ "$last_c" -lt "$first_s" ]
	ok $? "$name: all six were sent before the first reply (lines $last_c < $first_s)"
	is "$(printf '%s\n' "$out" | sed -n '/^\* authenticated with/,$p' |
		grep -c '^\* \(a00[1-6]\|[a-z]\{3\}[0-9]*\) [A-Z ]* OK in ')" 7 \
		"$name: seven commands completed OK (six and LOGOUT), each once"
}

# IDLE typed in the console hears an EXISTS when another connection
# appends, and DONE ends it.
idle_test() {
	local srv=$1 name=${1,,} port_var="${1}_PORT" mbox=$2 i fifo=$W/idle-in
	rm -f "$fifo" && mkfifo "$fifo"
	timeout 60 "$IMAPWB" --plain -p "${!port_var}" --cafile "$TB_CA" -a alice \
		--password-file "$(tb_password_file alice)" 127.0.0.1 <"$fifo" >"$W/idle-out" 2>&1 &
	local pid=$!
	exec 7>"$fifo"
	printf 'SELECT %s\nIDLE\n' "$mbox" >&7
	for ((i = 0; i < 100; i++)); do
		grep -q '^S: + ' "$W/idle-out" && break
		sleep 0.1
	done
	printf 'Subject: while idle\r\n\r\nhi\r\n' >"$W/idle-msg"
	alice_ctl "$srv" append "$mbox" "$W/idle-msg" >/dev/null
	for ((i = 0; i < 100; i++)); do
		grep -q '^S: \* [0-9]* EXISTS$' <(sed -n '/^S: + /,$p' "$W/idle-out") && break
		sleep 0.1
	done
	printf 'DONE\n' >&7
	exec 7>&-
	wait "$pid"
	is "$?" 0 "$name: IDLE in the console, exit 0"
	out=$(sed -n '/^S: + /,$p' "$W/idle-out")
	like "$out" '^S: \* [0-9]+ EXISTS$' "$name: IDLE heard EXISTS after another connection appended"
	like "$out" '^C: DONE$' "$name: ... and DONE ended it"
	like "$(cat "$W/idle-out")" '^C: a002 IDLE$' "$name: ... typed as a002 (after a001 SELECT)"
	like "$out" '^S: a002 OK ' "$name: ... with IDLE's tagged OK"
}

tb_start_dovecot
tb_seed DOVECOT >/dev/null
server_tests DOVECOT 22
append_literal_test DOVECOT 'Entw&APw-rfe'
pipelining_test DOVECOT 'Entw&APw-rfe'
idle_test DOVECOT Archiv
tb_start_cyrus
tb_seed CYRUS >/dev/null
server_tests CYRUS 22
append_literal_test CYRUS 'INBOX.Entw&APw-rfe'
pipelining_test CYRUS 'INBOX.Entw&APw-rfe'
idle_test CYRUS INBOX.Archiv

done_testing
