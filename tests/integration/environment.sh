#!/usr/bin/env bash
# The environment imapwb reads besides its options (doc/imapwb.1,
# ENVIRONMENT), where a server is needed: without --cafile or --capath
# the system's CAs are OpenSSL's default verify paths, which take
# SSL_CERT_FILE and SSL_CERT_DIR (conn-tls.c calls
# SSL_CTX_set_default_verify_paths); --cafile replaces them.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
tb_start_dovecot
printf 'NOOP\n' >"$TB_ROOT/cmds"
mkdir "$TB_ROOT/certdir"
cp "$TB_CA" "$TB_ROOT/certdir/test-ca.pem"
openssl rehash "$TB_ROOT/certdir" >/dev/null 2>&1
# a CA that signed nothing here
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$TB_ROOT/other.key" -out "$TB_ROOT/other-ca.pem" -days 1 \
	-subj "/CN=another CA" >/dev/null 2>&1

# run ENV... -- ARGS...: imapwb -f cmds as alice on Dovecot; sets RC, ERR.
run() {
	local env=()
	while [ "$1" != -- ]; do env+=("$1"); shift; done
	shift
	env -u SSL_CERT_FILE -u SSL_CERT_DIR "${env[@]}" "$IMAPWB" -f "$TB_ROOT/cmds" \
		-p "$DOVECOT_PORT" -a alice \
		--password-file "$(tb_password_file alice)" "$@" 127.0.0.1 \
		>/dev/null 2>"$TB_ROOT/err"
	RC=$?
	ERR=$(cat "$TB_ROOT/err")
}

run --
is "$RC" 3 "no --cafile, no SSL_CERT_*: the test CA is not the system's, exit 3"
like "$ERR" 'certificate' "... a certificate failure"
run SSL_CERT_FILE="$TB_CA" --
is "$RC" 0 "SSL_CERT_FILE names the test CA: verified, exit 0"
run SSL_CERT_FILE=/nonexistent SSL_CERT_DIR="$TB_ROOT/certdir" --
is "$RC" 0 "SSL_CERT_DIR names a hashed folder with the test CA: verified, exit 0"
run SSL_CERT_FILE=/nonexistent SSL_CERT_DIR="$TB_ROOT/certdir.none" --
is "$RC" 3 "... and without it, exit 3"
run SSL_CERT_FILE="$TB_CA" -- --cafile "$TB_ROOT/other-ca.pem"
is "$RC" 3 "--cafile replaces SSL_CERT_FILE (another CA: exit 3)"
run SSL_CERT_FILE="$TB_ROOT/other-ca.pem" -- --cafile "$TB_CA"
is "$RC" 0 "... and --cafile with the right CA wins over a wrong SSL_CERT_FILE"

done_testing
