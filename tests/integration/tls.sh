#!/usr/bin/env bash
# The transport against real servers: TCP connect, implicit TLS and
# STARTTLS through conn-probe (tests/tools/conn-probe.c, a thin client over
# libimapwb's conn layers), on Dovecot and Cyrus. Each case asserts the
# exact facts or message a user would see.
set -u
top=${top_srcdir:-.}
# shellcheck source=tests/lib/tap.sh
. "$top/tests/lib/tap.sh"
# shellcheck source=tests/testbed/lib.sh
. "$top/tests/testbed/lib.sh"
PROBE=${CONN_PROBE:-$(dirname "${IMAPWB:-./imapwb}")/tests/tools/conn-probe}
[ -x "$PROBE" ] || skip_all "conn-probe is not built: $PROBE"

tb_init
tb_start_dovecot
tb_start_cyrus

CERTS=$TB_ROOT/certs
PIN=sha256/$(openssl x509 -in "$CERTS/server.pem" -pubkey -noout |
	openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
	base64)
WRONG_PIN=sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
NOT_AFTER=$(date -u -d "$(openssl x509 -in "$CERTS/server.pem" -enddate \
	-noout | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ)

# A hashed CA folder, and client certificates: one PEM holding the cert
# and its key (imtest's -t keyfile), and one whose key is someone else's.
mkdir "$TB_ROOT/capath"
cp "$TB_CA" "$TB_ROOT/capath/ca.pem"
openssl rehash "$TB_ROOT/capath" >/dev/null 2>&1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$TB_ROOT/client.key" -out "$TB_ROOT/client.crt" -days 1 \
	-subj "/CN=alice" >/dev/null 2>&1
cat "$TB_ROOT/client.crt" "$TB_ROOT/client.key" >"$TB_ROOT/client.pem"
cat "$TB_ROOT/client.crt" "$CERTS/server.key" >"$TB_ROOT/mismatch.pem"

# probe ARGS...: sets OUT (stdout), ERR (stderr) and RC.
probe() {
	OUT=$("$PROBE" --timeout 10000 "$@" 2>"$TB_ROOT/probe.err")
	RC=$?
	ERR=$(cat "$TB_ROOT/probe.err")
}

# The value of "key: value" in OUT.
field() { printf '%s\n' "$OUT" | sed -n "s/^$1: //p"; }

# What a verified handshake with the run's certificate shows.
tls_facts_checks() {
	local what=$1
	is "$(field tls-protocol)" TLSv1.3 "$what: protocol"
	is "$(field tls-cipher)" TLS_AES_256_GCM_SHA384 "$what: cipher"
	is "$(field tls-pin)" "$PIN" "$what: the key's pin, as openssl has it"
	is "$(field 'cert\[0\]-subject')" CN=localhost "$what: subject"
	is "$(field 'cert\[0\]-issuer')" "CN=imapwb test CA" "$what: issuer"
	is "$(field 'cert\[0\]-not-after')" "$NOT_AFTER" "$what: notAfter"
	is "$(field 'cert\[1\]-subject')" "" "$what: the server sends one cert"
}

server_checks() {
	local srv=$1 name=${1,,} greeting=$2 port imaps nlist
	port=$(eval echo "\$${srv}_PORT")
	imaps=$(eval echo "\$${srv}_IMAPS_PORT")

	probe --port "$imaps" --cafile "$TB_CA"
	is "$RC" 0 "$name: IMAPS with the run's CA connects"
	tls_facts_checks "$name IMAPS"
	like "$(field greeting)" "$greeting" "$name: ... and reads the greeting"
	is "$(field close)" clean "$name: ... and ends cleanly after LOGOUT"

	probe --port "$imaps"
	is "$RC" 3 "$name: without the CA the system CAs refuse it (exit 3)"
	is "$ERR" "conn-probe: certificate verify failed: unable to get local \
issuer certificate (depth 0, subject CN=localhost)" "$name: ... saying why"
	is "$(field 'cert\[0\]-subject')" CN=localhost \
		"$name: ... and shows the refused certificate"
	is "$(field greeting)" "" "$name: ... and reads nothing after"

	probe --port "$imaps" --insecure
	is "$RC" 0 "$name: --insecure connects without the CA"
	like "$(field greeting)" "$greeting" "$name: ... and reads the greeting"

	probe --port "$imaps" --capath "$TB_ROOT/capath"
	is "$RC" 0 "$name: a hashed --capath folder with the CA verifies"

	probe --port "$imaps" --cafile "$TB_CA" --pin "$PIN"
	is "$RC" 0 "$name: the right pin passes"
	probe --port "$imaps" --cafile "$TB_CA" --pin "$WRONG_PIN"
	is "$RC" 3 "$name: a wrong pin fails even with a valid chain"
	is "$ERR" "conn-probe: public key pin mismatch: got $PIN, expected \
$WRONG_PIN" "$name: ... saying both pins"
	probe --port "$imaps" --insecure --pin "$PIN"
	is "$RC" 0 "$name: --insecure with the right pin trusts that key"
	probe --port "$imaps" --insecure --pin "$WRONG_PIN"
	is "$RC" 3 "$name: --insecure still checks a given pin"

	probe --port "$imaps" --cafile "$TB_CA" --servername wrong.example
	is "$RC" 3 "$name: a name the certificate lacks fails"
	is "$ERR" "conn-probe: certificate verify failed: hostname mismatch \
(depth 0, subject CN=localhost, expected wrong.example)" "$name: ... as a \
hostname mismatch"
	probe --port "$imaps" --cafile "$TB_CA" --servername 127.0.0.2
	is "$ERR" "conn-probe: certificate verify failed: IP address mismatch \
(depth 0, subject CN=localhost, expected 127.0.0.2)" "$name: an IP literal \
is checked against the IP addresses"
	probe --host localhost --port "$imaps" --cafile "$TB_CA"
	is "$RC" 0 "$name: the DNS name localhost verifies"

	probe --port "$imaps" --cafile "$TB_CA" --cert "$TB_ROOT/client.pem"
	is "$RC" 0 "$name: a client cert+key PEM loads (the server asks none)"
	probe --port "$imaps" --cafile "$TB_CA" --cert "$TB_ROOT/mismatch.pem"
	is "$RC" 3 "$name: a client cert with a foreign key is refused"
	is "$ERR" "conn-probe: TLS setup: the client key in \
$TB_ROOT/mismatch.pem does not match the certificate in \
$TB_ROOT/mismatch.pem" "$name: ... before the handshake"

	probe --port "$port" --tls starttls --cafile "$TB_CA"
	is "$RC" 0 "$name: STARTTLS on the IMAP port works"
	like "$(field greeting)" "$greeting" "$name: ... after the greeting"
	tls_facts_checks "$name STARTTLS"
	is "$(field capability)" "tagged OK" \
		"$name: ... and a command over TLS gets its tagged OK"
	is "$(field discarded)" "" "$name: ... with nothing to discard"

	# COMPRESS=DEFLATE over TLS, the stack imapwb will run: the mailbox
	# count must match the reference client's.
	nlist=$(IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --port "$port" \
		--ca "$TB_CA" --user alice raw LIST '""' '*' | grep -c '^(')
	[ "$nlist" -gt 0 ]; ok $? "$name: alice has mailboxes to list ($nlist)"
	CONN_PROBE_PASSWORD=${TB_PASS[alice]} probe --port "$imaps" \
		--cafile "$TB_CA" --user alice --compress
	is "$RC" 0 "$name: LOGIN then COMPRESS=DEFLATE over IMAPS"
	is "$(field compressed-list)" "$nlist mailboxes, tagged OK" \
		"$name: ... LIST through deflate over TLS gives all $nlist"
	is "$(field close)" clean "$name: ... and LOGOUT ends cleanly"
	CONN_PROBE_PASSWORD=${TB_PASS[alice]} probe --port "$port" \
		--tls starttls --cafile "$TB_CA" --user alice --compress
	is "$(field compressed-list)" "$nlist mailboxes, tagged OK" \
		"$name: ... and after STARTTLS"

	probe --port "$port" --tls imaps --cafile "$TB_CA"
	is "$RC" 3 "$name: implicit TLS on the cleartext port fails"
	is "$ERR" "conn-probe: TLS handshake failed: wrong version number \
(the server does not speak TLS here)" "$name: ... saying so"

	probe --port "$port" --tls none
	is "$RC" 0 "$name: a cleartext connection reads the greeting"
	like "$(field greeting)" "$greeting" "$name: ... $greeting"
}

server_checks DOVECOT '^\* OK .*Dovecot \(Debian\) ready\.$'
server_checks CYRUS '^\* OK .* Cyrus IMAP .* server ready$'

# How the stream ends after LOGOUT: Dovecot sends close_notify, Cyrus just
# closes. Only the option the session sets after LOGOUT makes that clean.
probe --port "$DOVECOT_IMAPS_PORT" --cafile "$TB_CA" --strict-eof
is "$(field close)" clean "dovecot: closes with close_notify"
probe --port "$CYRUS_IMAPS_PORT" --cafile "$TB_CA" --strict-eof
is "$(field close)" "error: TLS read failed: the server closed the \
connection without a TLS close_notify (unexpected eof while reading)" \
	"cyrus: closes without close_notify, an error unless ignored"

port=$(tb_free_port)
probe --port "$port" --tls none
is "$RC" 3 "a closed port fails with exit 3"
is "$ERR" "conn-probe: connection refused by 127.0.0.1 port $port" \
	"... saying connection refused, with address and port"

done_testing
