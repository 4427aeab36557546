#!/usr/bin/env bash
# Trust on first use and the advice after a trust failure, on Dovecot and
# Cyrus. The servers' certificates come from the run's CA, so without
# --cafile their chain fails, as a self-signed server's would: --tofu
# must refuse a new key without a terminal, ask on one (tmux), record
# exactly the key openssl sees, accept it afterwards with no question,
# and fail closed on another key. Every certificate failure names the
# pin and --cafile; -s to a plaintext port and a silent IMAPS port are
# recognised.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/tmux.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
tb_start_dovecot
tb_start_cyrus
W=$TB_ROOT/work
mkdir -p "$W"
printf 'NOOP\n' >"$W/cmds"
PWFILE=$(tb_password_file alice)
WRONG_PIN=sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
SOCK="imapwb-test-$$"

# The pin of the key a server shows, as openssl (not imapwb) sees it.
server_pin() {
	printf 'sha256/%s' "$(openssl s_client -connect "127.0.0.1:$1" \
		</dev/null 2>/dev/null | openssl x509 -pubkey -noout |
		openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
		base64)"
}

# imapwb in batch mode with no controlling terminal (setsid: /dev/tty
# cannot be opened, whoever runs the tests); sets OUT, ERR, RC.
run() {
	OUT=$(timeout 60 setsid -w "$IMAPWB" -f "$W/cmds" -a alice \
		--password-file "$PWFILE" "$@" 127.0.0.1 2>"$W/err")
	RC=$?
	ERR=$(cat "$W/err")
}

# The same on a terminal of its own (tmux), with the exit status shown.
run_on_tty() {
	tmx -f /dev/null new-session -d -s t -x 200 -y 50 \
		"XDG_DATA_HOME=$XDG_DATA_HOME $IMAPWB -f $W/cmds -a alice --password-file $PWFILE $* 127.0.0.1; echo EXIT=\$?; sleep 30"
	tb_register_pid "$(tmx display-message -p '#{pid}')"
}

server_checks() {
	local srv=$1 name=${1,,} port imaps pin kh text t0 elapsed
	port=$(eval echo "\$${srv}_PORT")
	imaps=$(eval echo "\$${srv}_IMAPS_PORT")
	pin=$(server_pin "$imaps")
	like "$pin" '^sha256/[A-Za-z0-9+/]{43}=$' "$name: openssl reads the key's pin"
	export XDG_DATA_HOME=$TB_ROOT/data-$name
	kh=$XDG_DATA_HOME/imapwb/known_hosts

	# Every certificate failure ends with the pin and the next steps.
	run -s -p "$imaps"
	is "$RC" 3 "$name: a chain that does not verify fails with exit 3"
	like "$ERR" '^imapwb: TLS: certificate verify failed: unable to get local issuer certificate' \
		"$name: ... saying why"
	like "$ERR" "^imapwb: the server's key: ${pin//+/\\+}\$" "$name: ... with the server's pin"
	like "$ERR" '^imapwb:   --cafile FILE: trust the CA that issued it' "$name: ... and --cafile"
	like "$ERR" "^imapwb:   --pin ${pin//+/\\+}: trust exactly this key" "$name: ... --pin with the actual pin"
	like "$ERR" '^imapwb:   --tofu: ' "$name: ... --tofu"
	like "$ERR" '^imapwb:   --insecure: check nothing \(dangerous' "$name: ... and --insecure, dangerous"
	like "$ERR" '^imapwb: the server.s certificate: subject CN=localhost, issuer CN=imapwb test CA, valid .* names DNS:localhost, IP:127\.0\.0\.1, IP:::1$' \
		"$name: ... and the certificate's names"

	run -p "$port"
	is "$RC" 3 "$name: after STARTTLS too"
	like "$ERR" "^imapwb:   --pin ${pin//+/\\+}: " "$name: ... with the pin"

	run -s -p "$imaps" --cafile "$TB_CA" --pin "$WRONG_PIN"
	is "$RC" 3 "$name: a pin mismatch fails with exit 3"
	like "$ERR" "^imapwb: TLS: public key pin mismatch: got ${pin//+/\\+}, expected $WRONG_PIN" \
		"$name: ... naming both pins"
	like "$ERR" '^imapwb:   --cafile FILE' "$name: ... and the next steps"

	# --tofu, first use, no terminal: refused, nothing recorded.
	run -s -p "$imaps" --tofu
	is "$RC" 3 "$name: --tofu without a terminal refuses a new key (exit 3)"
	like "$ERR" "^imapwb: TLS: 127\.0\.0\.1:$imaps is not in $kh yet; its certificate:" \
		"$name: ... it shows the certificate"
	like "$ERR" '^imapwb:   subject: CN=localhost$' "$name: ... subject"
	like "$ERR" '^imapwb:   issuer:  CN=imapwb test CA$' "$name: ... issuer"
	like "$ERR" '^imapwb:   valid:   [0-9-]{10}T[0-9:]{8}Z to [0-9-]{10}T[0-9:]{8}Z$' "$name: ... validity"
	like "$ERR" '^imapwb:   names:   DNS:localhost, IP:127\.0\.0\.1, IP:::1$' "$name: ... SANs"
	like "$ERR" "^imapwb:   key pin: ${pin//+/\\+}\$" "$name: ... and the pin"
	like "$ERR" 'refusing a new key with no terminal to ask on' "$name: ... says why it refuses"
	like "$ERR" "run imapwb --tofu once on a terminal and answer y, or give --pin ${pin//+/\\+}" \
		"$name: ... and how to accept"
	[ ! -e "$kh" ]; ok $? "$name: ... and records nothing"

	# On a terminal: n refuses, y records.
	run_on_tty -s -p "$imaps" --tofu
	wait_screen 'trust this key\? \[y/N\]' ; ok $? "$name: on a terminal it asks"
	like "$(screen)" "key pin: ${pin//+/\\+}" "$name: ... showing the pin"
	tmx send-keys -t t n Enter
	wait_screen '^EXIT=' ; is "$(screen | sed -n 's/^EXIT=//p')" 3 "$name: answering n refuses (exit 3)"
	[ ! -e "$kh" ]; ok $? "$name: ... and records nothing"
	tmx_end t

	run_on_tty -s -p "$imaps" --tofu
	wait_screen 'trust this key\? \[y/N\]' ; ok $? "$name: asked again"
	tmx send-keys -t t y Enter
	wait_screen '^EXIT=' ; is "$(screen | sed -n 's/^EXIT=//p')" 0 "$name: answering y goes on (exit 0)"
	like "$(screen)" 'S: a001 OK' "$name: ... and the NOOP is answered"
	tmx_end t
	is "$(cat "$kh")" "127.0.0.1:$imaps $pin" "$name: known_hosts holds exactly the server's pin"
	is "$(stat -c %a "$kh")" 600 "$name: ... in a private file (0600)"
	is "$(stat -c %a "${kh%/*}")" 700 "$name: ... in a private folder (0700)"

	# Known: accepted with no question (no terminal to ask on).
	run -s -p "$imaps" --tofu
	is "$RC" 0 "$name: the second run accepts the known key without a terminal"
	like "$OUT" "^\* TLS: the key matches $kh:1 \(trusted on first use\); the chain does not verify" \
		"$name: ... saying the known key is trusted, not the chain"
	like "$OUT" '^S: a001 OK' "$name: ... and the session goes on"

	# A changed key fails closed.
	printf '127.0.0.1:%s %s\n' "$imaps" "$WRONG_PIN" >"$kh"
	run -s -p "$imaps" --tofu
	is "$RC" 3 "$name: a changed key fails closed (exit 3)"
	like "$ERR" "^imapwb: TLS: the server's key has CHANGED" "$name: ... saying it changed"
	like "$ERR" "^imapwb:   known key: $WRONG_PIN \($kh:1\)\$" "$name: ... the old pin"
	like "$ERR" "^imapwb:   new key:   ${pin//+/\\+}\$" "$name: ... the new pin"
	like "$ERR" "^imapwb:   127\.0\.0\.1:$imaps $WRONG_PIN\$" "$name: ... and the line to delete"
	unlike "$OUT" 'a001' "$name: ... and sends nothing"
	is "$(cat "$kh")" "127.0.0.1:$imaps $WRONG_PIN" "$name: ... leaving the file as it was"

	# A corrupt line is an error, not ignored: the user's file to mend,
	# said before connecting, as for any file an option names.
	printf '127.0.0.1:%s %s\nnot a line\n' "$imaps" "$pin" >"$kh"
	run -s -p "$imaps" --tofu
	is "$RC" 2 "$name: a corrupt known_hosts refuses (exit 2)"
	is "$(head -n 1 <<<"$ERR")" "imapwb: --tofu: $kh:2: not a known_hosts line (expected HOST:PORT sha256/BASE64, or # and a comment)" \
		"$name: ... naming file:line"
	unlike "$OUT$ERR" 'connected to' "$name: ... before connecting"

	# A chain that verifies is recorded without a question.
	rm -f "$kh"
	run -p "$port" --tofu --cafile "$TB_CA"
	is "$RC" 0 "$name: --tofu with a chain that verifies goes on without a terminal"
	like "$OUT" "^\* TLS: trusted on first use \(the chain verifies\): 127\.0\.0\.1:$port ${pin//+/\\+}, recorded in $kh\$" \
		"$name: ... and records the key (STARTTLS port)"
	is "$(cat "$kh")" "127.0.0.1:$port $pin" "$name: ... in known_hosts"

	# -s to the plaintext port is recognised.
	run -s -p "$port" --cafile "$TB_CA"
	is "$RC" 3 "$name: -s to the plaintext port fails (exit 3)"
	like "$ERR" "^imapwb: the server at 127\.0\.0\.1:$port speaks plaintext IMAP, not TLS: drop -s \(STARTTLS\) or use port 993\$" \
		"$name: ... saying it speaks plaintext IMAP"

	# No -s on the IMAPS port: the server waits for TLS, says nothing.
	t0=$(date +%s)
	run -p "$imaps" --cafile "$TB_CA" --timeout 1
	elapsed=$(($(date +%s) - t0))
	is "$RC" 5 "$name: no -s on the IMAPS port times out (exit 5)"
	like "$ERR" "^imapwb: nothing came from 127\.0\.0\.1:$imaps: .* add -s \(implicit TLS\)\$" \
		"$name: ... and suggests -s"
	[ "$elapsed" -le 10 ]; ok $? "$name: ... after --timeout 1, not the default ($elapsed s)"
}

server_checks DOVECOT
server_checks CYRUS

# The full screen (the default on a terminal) asks before curses starts,
# then shows what was decided in its console.
export XDG_DATA_HOME=$TB_ROOT/data-tui
PIN=$(server_pin "$DOVECOT_IMAPS_PORT")
tmx -f /dev/null new-session -d -s t -x 160 -y 45 \
	"env LANG=C.UTF-8 XDG_DATA_HOME=$XDG_DATA_HOME XDG_STATE_HOME=$TB_ROOT/state $IMAPWB -s -p $DOVECOT_IMAPS_PORT --tofu -a alice --password-file $PWFILE 127.0.0.1; echo EXIT=\$?; sleep 30"
tb_register_pid "$(tmx display-message -p '#{pid}')"
wait_screen 'trust this key\? \[y/N\]' ; ok $? "full screen: --tofu asks first"
tmx send-keys -t t y Enter
wait_screen 'trusted on first use \(accepted on the terminal\)'
ok $? "full screen: ... and its console says the key was accepted"
is "$(cat "$XDG_DATA_HOME/imapwb/known_hosts")" \
	"127.0.0.1:$DOVECOT_IMAPS_PORT $PIN" "full screen: ... and recorded"
tmx send-keys -t t M-2
sleep 0.3
tmx send-keys -t t q
wait_screen '^EXIT=0$' ; ok $? "full screen: q exits 0"
tmx_end t

run -s -p "$DOVECOT_IMAPS_PORT" --tofu --insecure
is "$RC" 2 "--tofu with --insecure is a usage error"
like "$ERR" 'drop --insecure and --pin' "... saying what to drop"

tmx_stop
done_testing
