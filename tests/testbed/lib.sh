# tests/testbed/lib.sh: throwaway IMAP servers for the tests (sourced).
#
# A test script calls tb_init once, then tb_start_dovecot and/or
# tb_start_cyrus. Everything lives in one short temporary folder under /tmp
# (unix socket paths are limited to 107 bytes), and every process started is
# remembered by PID and stopped by the EXIT trap, whatever happens.
#
# After tb_start_<server>, these are set (SERVER is DOVECOT or CYRUS):
#   <SERVER>_PORT        IMAP port (STARTTLS required for plaintext auth)
#   <SERVER>_IMAPS_PORT  implicit-TLS port
#   <SERVER>_DIR         the instance's folder
# and for both: TB_HOST, TB_CA (the run's CA certificate), TB_ROOT.

TB_HOST=127.0.0.1
TB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TB_TESTBED="$TB_TOP/tests/testbed"
TB_PYTHON=${TB_PYTHON:-/usr/bin/python3}
TB_TEST_USER=${IMAPWB_TEST_USER:-imapwbtest}
TB_CACHE=${IMAPWB_CACHE:-/var/tmp/imapwb-cache}

# The accounts every server gets. admin may act as any user (SASL authzid).
TB_USERS=(alice bob admin)
declare -A TB_PASS=(
	[alice]='Wonder-land-7q'
	[bob]='Builder-Bob-42'
	[admin]='Adm1n-Root-Key'
)

TB_PIDS=()

tb_log() { printf '# testbed: %s\n' "$*" >&2; }
tb_die() { printf 'Bail out! testbed: %s\n' "$*"; exit 99; }

# Run a command as the unprivileged server user when we are root; servers
# refuse (Dovecot) or should not (Cyrus) serve mail as root.
tb_as_server_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid="$TB_TEST_USER" --regid="$TB_TEST_USER" \
			--init-groups --reset-env -- "$@"
	else
		"$@"
	fi
}

tb_server_user() {
	if [ "$(id -u)" -eq 0 ]; then printf '%s' "$TB_TEST_USER"
	else id -un; fi
}

tb_free_port() {
	"$TB_PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# Wait until something accepts on 127.0.0.1:$1, at most $2 seconds.
tb_wait_port() {
	local port=$1 secs=${2:-15} i
	for ((i = 0; i < secs * 10; i++)); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# A negative PID names a process group (servers run under setsid, so the
# whole instance, children included, is stopped at once).
tb_register_pid() { TB_PIDS+=("$1"); }

# Stop every registered PID: TERM, wait, then KILL. Never by name.
tb_stop_pids() {
	local pid i alive
	for pid in "${TB_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for ((i = 0; i < 100; i++)); do
		alive=0
		for pid in "${TB_PIDS[@]}"; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		[ $alive -eq 0 ] && break
		sleep 0.1
	done
	for pid in "${TB_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	TB_PIDS=()
}

tb_cleanup() {
	local rc=$?
	tb_stop_pids
	if [ -n "${TB_ROOT:-}" ] && [ -d "$TB_ROOT" ]; then
		if [ -n "${TB_KEEP:-}" ]; then
			tb_log "kept $TB_ROOT"
		else
			rm -rf "$TB_ROOT"
		fi
	fi
	return $rc
}

tb_init() {
	TB_ROOT=$(mktemp -d /tmp/iwb.XXXXXX) || tb_die "mktemp failed"
	chmod 755 "$TB_ROOT"
	trap tb_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	tb_certs "$TB_ROOT/certs"
	TB_CA="$TB_ROOT/certs/ca.pem"
}

# A CA and a server certificate for 127.0.0.1, ::1 and localhost, made anew
# for each run, so nothing secret or expiring is committed.
tb_certs() {
	local d=$1
	mkdir -p "$d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/ca.key" -out "$d/ca.pem" -days 2 \
		-subj "/CN=imapwb test CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		>/dev/null 2>&1 || tb_die "CA generation failed"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/server.key" -out "$d/server.csr" \
		-subj "/CN=localhost" >/dev/null 2>&1 ||
		tb_die "server key generation failed"
	printf '%s\n' \
		"subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
		"basicConstraints=CA:FALSE" \
		"keyUsage=critical,digitalSignature,keyEncipherment" \
		"extendedKeyUsage=serverAuth" >"$d/server.ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" \
		-CAkey "$d/ca.key" -CAcreateserial -days 2 \
		-extfile "$d/server.ext" -out "$d/server.pem" \
		>/dev/null 2>&1 || tb_die "server certificate signing failed"
	chmod 644 "$d"/*.pem "$d/server.key"
}

# The arguments every tb_start_<kind> takes: [--name NAME] [--extra-conf
# FILE_OR_TEXT]. Sets TB_INSTANCE_NAME (default: the kind),
# TB_INSTANCE_EXTRA and TB_INSTANCE_DIR (which must not exist yet).
tb_instance_args() {
	local kind=$1
	shift
	TB_INSTANCE_NAME=$kind
	TB_INSTANCE_EXTRA=''
	while [ $# -gt 0 ]; do
		case $1 in
		--name) TB_INSTANCE_NAME=${2:?--name needs a value}; shift 2 ;;
		--extra-conf) TB_INSTANCE_EXTRA=${2?--extra-conf needs a value}; shift 2 ;;
		*) tb_die "tb_start_$kind: unknown argument '$1'" ;;
		esac
	done
	[[ $TB_INSTANCE_NAME =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
		tb_die "tb_start_$kind: bad instance name '$TB_INSTANCE_NAME'"
	[ -n "${TB_ROOT:-}" ] || tb_die "tb_start_$kind: call tb_init first"
	TB_INSTANCE_DIR=$TB_ROOT/$TB_INSTANCE_NAME
	[ -e "$TB_INSTANCE_DIR" ] &&
		tb_die "tb_start_$kind: $TB_INSTANCE_DIR already exists"
	return 0
}

# A private file holding user $1's password, for --password-file; prints
# its path.
tb_password_file() {
	local f=$TB_ROOT/pw-$1
	printf '%s\n' "${TB_PASS[$1]}" >"$f"
	chmod 600 "$f"
	printf '%s' "$f"
}

# A value from the corpus manifest ($TB_CORPUS, set by tb_seed): a Python
# expression over `m`, the parsed manifest.json.
tb_manifest() {
	"$TB_PYTHON" -c 'import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
print(eval(sys.argv[2]))' "$TB_CORPUS" "$1"
}

# The independent reference client (Python's imaplib), for setup and for
# checking what a server holds without trusting imapwb.
tb_imapctl() { "$TB_PYTHON" "$TB_TESTBED/imapctl.py" "$@"; }

# imapctl as alice on server $1 (DOVECOT or CYRUS): tb_alice SERVER ARGS...
tb_alice() {
	local port_var="${1}_PORT"
	shift
	IMAPCTL_PASSWORD=${TB_PASS[alice]} tb_imapctl --port "${!port_var}" \
		--ca "$TB_CA" --user alice "$@"
}

# The UIDs of alice's mailbox $2 on server $1 that match the search
# criteria $3..., space-separated (what the server holds, not imapwb).
# When imapctl fails it prints why, never "": a test comparing with ""
# ("no such UID any more") must not pass because the check itself failed.
tb_uids_where() {
	local srv=$1 box=$2 out
	shift 2
	if ! out=$(tb_alice "$srv" select "$box" "$@" 2>&1) ||
		! grep -q '^search' <<<"$out"; then
		printf 'imapctl select %s failed: %s' "$box" "$out" | tr '\n' ' '
		return 1
	fi
	printf '%s' "${out##*search}" | tr -s ' ' | sed 's/^ //'
}

for _tb_f in dovecot cyrus seed; do
	[ -f "$TB_TESTBED/$_tb_f.sh" ] && . "$TB_TESTBED/$_tb_f.sh"
done
unset _tb_f
