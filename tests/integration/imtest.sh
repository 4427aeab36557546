#!/usr/bin/env bash
# imtest's own options on real servers (issue #14, part "imtest"): -z the
# timing test, -n reauthentication with TLS session resumption (checked
# against an independent client, openssl s_client), -x/-X the session on a
# unix socket, -I the pid file.
set -u
top=${top_srcdir:-.}
# shellcheck source=tests/lib/tap.sh
. "$top/tests/lib/tap.sh"
# shellcheck source=tests/testbed/lib.sh
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
tb_start_dovecot
tb_start_cyrus
# Dovecot's high-performance mode: one imap-login process serves every
# connection, so the TLS ticket key of one connection is the next one's.
tb_start_dovecot --name fast --extra-conf 'service imap-login {
  service_count = 0
  process_min_avail = 1
  process_limit = 1
}'
W=$TB_ROOT/work
mkdir -p "$W"
PWF=$(tb_password_file alice)

# imapwb against port $1 as alice; more options follow. Sets OUT, ERR, RC.
run() {
	local port=$1
	shift
	OUT=$(timeout 120 "$IMAPWB" -p "$port" --cafile "$TB_CA" -a alice \
		--password-file "$PWF" "$@" 127.0.0.1 2>"$W/err")
	RC=$?
	ERR=$(cat "$W/err")
	cat "$W/err" >>"$W/all-err"
}

# The -z table: the header, then the seven phases in order, each with four
# numbers in order (min <= median <= p99 <= max). Prints "ok" or what is
# wrong.
check_table() {
	local rounds=$1
	printf '%s\n' "$OUT" | "$TB_PYTHON" -c '
import re, sys
rounds = sys.argv[1]
lines = sys.stdin.read().splitlines()
want = "phase min median p99 max (ms, %s of %s rounds)" % (rounds, rounds)
if not lines or " ".join(lines[0].split()) != want:
    sys.exit(print("header: %r" % (lines[:1],)))
phases = ["connect", "greeting", "tls", "auth", "command", "logout", "total"]
if [l.split()[0] for l in lines[1:]] != phases:
    sys.exit(print("phases: %r" % lines[1:]))
for l in lines[1:]:
    f = l.split()
    if len(f) != 5 or not all(re.fullmatch(r"\d+\.\d{3}", x) for x in f[1:]):
        sys.exit(print("row: %r" % l))
    v = [float(x) for x in f[1:]]
    if v != sorted(v):
        sys.exit(print("not min <= median <= p99 <= max: %r" % l))
    if f[0] in ("tls", "auth", "total") and v[0] <= 0:
        sys.exit(print("a phase that takes time took none: %r" % l))
print("ok")
' "$rounds"
}

# A client of the unix socket $1: sends each further argument as a line,
# waits for the tagged reply to it (or imapwb's own "* NO imapwb:" or
# "* BAD imapwb:"), prints everything it got.
sock_client() {
	"$TB_PYTHON" - "$@" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(20)
s.connect(sys.argv[1])
got = b""
for line in sys.argv[2:]:
    s.sendall(line.encode() + b"\r\n")
    tag = line.split()[0].encode() + b" "
    while not any(l.startswith(tag) or l.startswith(b"* NO imapwb:") or
                  l.startswith(b"* BAD imapwb:") for l in got.split(b"\r\n")):
        data = s.recv(65536)
        if not data:
            break
        got += data
s.close()
sys.stdout.write(got.decode("utf-8", "replace"))
EOF
}

# Wait up to 10 s for $1 to be a socket.
wait_socket() {
	local i
	for i in $(seq 100); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# Whether openssl s_client resumes a session on implicit-TLS port $1.
s_client_resumes() {
	rm -f "$W/sess"
	printf 'a LOGOUT\r\n' | timeout 20 openssl s_client -quiet \
		-connect "127.0.0.1:$1" -CAfile "$TB_CA" -sess_out "$W/sess" \
		>/dev/null 2>&1
	printf 'a LOGOUT\r\n' | timeout 20 openssl s_client \
		-connect "127.0.0.1:$1" -CAfile "$TB_CA" -sess_in "$W/sess" \
		2>/dev/null | grep -Eo '^(New|Reused),' | tr -d ,
}

# --- -z: the timing test --------------------------------------------------

run "$DOVECOT_PORT" -z 20 --transcript "$W/z.transcript"
is "$RC" 0 "dovecot: -z 20 exits 0"
is "$(check_table 20)" ok "dovecot: ... prints the phase table of 20 rounds"
is "$(grep -c ' NOOP$' "$W/z.transcript")" 20 "... 20 NOOPs went out"
is "$(grep -cE 'S: [a-z]{3}[0-9]+ OK .*Logout' "$W/z.transcript")" 20 \
	"... and 20 LOGOUTs were answered OK"
is "$(grep -c ' STARTTLS$' "$W/z.transcript")" 20 "... each round did STARTTLS"

run "$DOVECOT_PORT" -z
is "$RC" 0 "dovecot: -z alone exits 0"
is "$(check_table 10)" ok "... and runs 10 rounds"
run "$DOVECOT_PORT" -z3
is "$(check_table 3)" ok "-z3 runs 3 rounds"
run "$DOVECOT_PORT" --timing 2
is "$(check_table 2)" ok "--timing 2 runs 2 rounds"
run "$DOVECOT_IMAPS_PORT" -s --timing=2 --transcript "$W/zs.transcript"
is "$(check_table 2)" ok "--timing=2 -s (implicit TLS) runs 2 rounds"
is "$(grep -c 'STARTTLS$' "$W/zs.transcript")" 0 "... without STARTTLS"

run "$DOVECOT_PORT" -z 3 --json
is "$RC" 0 "-z 3 --json exits 0"
is "$(printf '%s\n' "$OUT" | "$TB_PYTHON" -c '
import json, sys
ev = [json.loads(l) for l in sys.stdin]
rounds = [e for e in ev if e["event"] == "timing_round"]
table = [e for e in ev if e["event"] == "timing"]
assert [e["round"] for e in rounds] == [1, 2, 3], rounds
assert all(e["ok"] and e["total_ms"] > 0 for e in rounds), rounds
assert [e["phase"] for e in table] == ["connect", "greeting", "tls",
    "auth", "command", "logout", "total"], table
for e in table:
    assert e["rounds"] == 3
    assert e["min_ms"] <= e["median_ms"] <= e["p99_ms"] <= e["max_ms"], e
print("ok")')" ok "... 3 timing_round lines and 7 timing lines (JSON)"

printf 'SELECT INBOX\nNOOP\n' >"$W/cmds"
run "$DOVECOT_PORT" -z 3 -f "$W/cmds" --transcript "$W/zf.transcript"
is "$RC" 0 "-z 3 -f FILE exits 0"
is "$(grep -c 'SELECT INBOX$' "$W/zf.transcript")" 3 \
	"... timing the first line of FILE (SELECT INBOX), 3 times"
is "$(grep -c ' NOOP$' "$W/zf.transcript")" 0 "... and nothing else of it"

printf 'SELECT No/Such/Mailbox\n' >"$W/cmds"
run "$DOVECOT_PORT" -z 3 -f "$W/cmds"
is "$RC" 1 "a command that gets NO fails the rounds: exit 1"
like "$ERR" 'round failed: .* NO ' "... saying the server's NO"
like "$ERR" '3 of 3 rounds failed' "... and how many rounds failed"

printf 'wrong-password\n' >"$W/wrong"
chmod 600 "$W/wrong"
OUT=$(timeout 60 "$IMAPWB" -z 2 -p "$DOVECOT_PORT" --cafile "$TB_CA" -a alice \
	--password-file "$W/wrong" 127.0.0.1 2>"$W/err")
is "$?" 4 "a wrong password fails every round: exit 4"
like "$(cat "$W/err")" 'round failed: authentication failed' "... saying why"
is "$OUT" "" "... and no table without a round that worked"

run "$CYRUS_PORT" -z 5
is "$RC" 0 "cyrus: -z 5 exits 0"
is "$(check_table 5)" ok "cyrus: ... prints the phase table of 5 rounds"

# --- -n: reauthentication, TLS session resumption ------------------------

# What the server does, asked of an independent client first.
is "$(s_client_resumes "$DOVECOT_IMAPS_PORT")" New \
	"dovecot (a login process per connection) resumes no TLS session (s_client)"
is "$(s_client_resumes "$FAST_IMAPS_PORT")" Reused \
	"dovecot with service_count = 0 resumes (s_client)"
# Cyrus resumed in most runs, not in all (seen under ASan): whether the
# next connection still finds the session is a race on the server's side.
like "$(s_client_resumes "$CYRUS_IMAPS_PORT")" '^(New|Reused)$' \
	"cyrus: s_client gets an answer (resumption varies)"

want_new='round 1: TLS session new \(TLSv1\.[23]\), authenticated with SCRAM-SHA-256'
for port_var in DOVECOT_PORT DOVECOT_IMAPS_PORT; do
	tls=(); [ "$port_var" = DOVECOT_IMAPS_PORT ] && tls=(-s)
	run "${!port_var}" "${tls[@]}" -n 3
	is "$RC" 0 "dovecot ${tls[*]:-STARTTLS}: -n 3 exits 0"
	is "$(printf '%s\n' "$OUT" | wc -l)" 3 "... one line per round"
	like "$OUT" "^$want_new$" "... round 1 is a new session"
	like "$OUT" '^round 2: TLS session not resumed \(TLSv1\.[23]\), authenticated' \
		"... round 2 says truly: not resumed"
	like "$OUT" '^round 3: TLS session not resumed' "... and round 3"
done
for port_var in FAST_PORT FAST_IMAPS_PORT; do
	tls=(); case $port_var in *IMAPS*) tls=(-s) ;; esac
	run "${!port_var}" "${tls[@]}" -n 3
	is "$RC" 0 "$port_var: -n 3 exits 0"
	like "$OUT" "^$want_new$" "... round 1 is a new session"
	like "$OUT" '^round 2: TLS session resumed \(TLSv1\.[23]\), authenticated with SCRAM-SHA-256$' \
		"... round 2 resumed it"
	like "$OUT" '^round 3: TLS session resumed ' "... and round 3"
done
for port_var in CYRUS_PORT CYRUS_IMAPS_PORT; do
	tls=(); case $port_var in *IMAPS*) tls=(-s) ;; esac
	run "${!port_var}" "${tls[@]}" -n 3
	is "$RC" 0 "$port_var: -n 3 exits 0"
	like "$OUT" "^$want_new$" "... round 1 is a new session"
	like "$OUT" '^round 2: TLS session (resumed|not resumed) \(TLSv1\.[23]\), authenticated with SCRAM-SHA-256$' \
		"... round 2 says whether it was resumed"
	like "$OUT" '^round 3: TLS session (resumed|not resumed) ' "... and round 3"
done
run "$FAST_PORT" -n 2 --json
is "$(printf '%s\n' "$OUT" | "$TB_PYTHON" -c '
import json, sys
ev = [json.loads(l) for l in sys.stdin]
print(" ".join("%d:%s:%s" % (e["round"], e["tls_session"], e["ok"]) for e in ev))')" \
	"1:new:True 2:resumed:True" "-n 2 --json: one reauth event per round"

# --- -x: the session on a unix socket ------------------------------------

S=$W/s.sock
timeout 120 "$IMAPWB" -x "$S" -p "$DOVECOT_PORT" --cafile "$TB_CA" -a alice \
	--password-file "$PWF" 127.0.0.1 >"$W/x.out" 2>"$W/x.err" &
XPID=$!
wait_socket "$S"
ok $? "-x: the socket appears once imapwb has logged in"
is "$(stat -c %a "$S")" 600 "... mode 0600"
OUT=$(sock_client "$S" "a1 NOOP")
like "$OUT" '^a1 OK ' "a first client sends 'a1 NOOP' and reads 'a1 OK'"
OUT=$(sock_client "$S" "b1 SELECT INBOX" "b2 NOOP")
like "$OUT" '^\* [0-9]+ EXISTS' "a second client works too: SELECT's data"
like "$OUT" '^b1 OK \[READ-WRITE\]' "... its tagged OK"
like "$OUT" '^b2 OK ' "... and the next command's"
# a plain EXPUNGE that would remove another client's \Deleted message
tb_alice DOVECOT raw CREATE Guarded >/dev/null
printf 'From: a@example.org\nSubject: keep\n\nbody\n' >"$W/msg.eml"
tb_alice DOVECOT append Guarded "$W/msg.eml" >/dev/null
tb_alice DOVECOT store Guarded 1 +FLAGS '(\Deleted)' >/dev/null
OUT=$(sock_client "$S" "c1 SELECT Guarded" "c2 EXPUNGE")
like "$OUT" '^\* NO imapwb: not sent' \
	"a plain EXPUNGE that would remove another's \\Deleted message is refused"
is "$(tb_uids_where DOVECOT Guarded DELETED)" 1 "... and the message is still there"
like "$(cat "$W/x.out")" '^S: b2 OK ' "the transcript shows the clients' session"
# a client that leaves inside IDLE: imapwb ends it (DONE) for the next
"$TB_PYTHON" - "$S" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.settimeout(20); s.connect(sys.argv[1])
s.sendall(b"f1 IDLE\r\n")
got = b""
while b"+ " not in got:
    got += s.recv(4096)
s.close()
EOF
like "$(sock_client "$S" "f2 NOOP")" '^f2 OK ' \
	"a client that left inside IDLE: the next one's NOOP works"
like "$(cat "$W/x.out")" '^C: DONE$' "... because imapwb sent DONE"
like "$(cat "$W/x.out")" '^S: f1 OK ' "... and the IDLE ended OK"
kill -TERM "$XPID"
wait "$XPID"
is "$?" 0 "SIGTERM ends -x with exit 0"
ok "$([ ! -e "$S" ]; echo $?)" "... and the socket file is gone"
like "$(cat "$W/x.out")" 'C: [a-z]{3}[0-9]+ LOGOUT' "... after a LOGOUT"

# what is in the way
printf 'keep me\n' >"$W/file"
run "$DOVECOT_PORT" -x "$W/file"
is "$RC" 2 "-x on a regular file is refused: exit 2"
like "$ERR" 'exists and is not a socket' "... saying why"
is "$(cat "$W/file")" "keep me" "... and the file is untouched"
"$TB_PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()' "$W/stale.sock"
timeout 120 "$IMAPWB" -x "$W/stale.sock" -p "$DOVECOT_PORT" --cafile "$TB_CA" \
	-a alice --password-file "$PWF" 127.0.0.1 >"$W/x2.out" 2>&1 &
XPID=$!
sleep 0.5
for i in $(seq 100); do
	grep -q 'serving the session' "$W/x2.out" && break
	sleep 0.1
done
like "$(sock_client "$W/stale.sock" "d1 NOOP")" '^d1 OK ' \
	"a stale socket (nobody listening) is replaced"
run "$DOVECOT_PORT" -x "$W/stale.sock"
is "$RC" 2 "a socket another process listens on is refused: exit 2"
like "$ERR" 'is in use' "... saying so"
# a client that leaves in the middle of a literal: no way to go on
"$TB_PYTHON" - "$W/stale.sock" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(20); s.connect(sys.argv[1])
s.sendall(b"g1 APPEND INBOX {20}\r\n")
got = b""
while b"+ " not in got:
    got += s.recv(4096)
s.sendall(b"only part")
s.close()
EOF
wait "$XPID"
is "$?" 5 "a client that leaves inside a literal ends the session: exit 5"
like "$(cat "$W/x2.out")" 'left in the middle of a literal' "... saying why"
ok "$([ ! -e "$W/stale.sock" ]; echo $?)" "... and the socket is removed"

# --- -X and -I: the daemon -------------------------------------------------

start=$(date +%s)
run "$CYRUS_PORT" -X "$S" -I "$W/pid"
is "$RC" 0 "-X -I: imapwb returns with exit 0"
ok "$(( $(date +%s) - start < 30 ? 0 : 1 ))" "... at once (not when the session ends)"
DPID=$(cat "$W/pid" 2>/dev/null)
like "$DPID" '^[0-9]+$' "the pid file holds a pid"
kill -0 "$DPID" 2>/dev/null
ok $? "... of a live process"
like "$(tr '\0' ' ' <"/proc/$DPID/cmdline" 2>/dev/null)" "/imapwb .*-X $S " \
	"... which is imapwb"
ok "$([ "$(ps -o sid= -p "$DPID" | tr -d ' ')" != "$DPID" ]; echo $?)" \
	"... no session leader (it cannot get a terminal back)"
like "$(sock_client "$S" "e1 NOOP")" '^e1 OK ' "... and it serves the socket"
like "$(sock_client "$S" "e2 SELECT INBOX")" '^e2 OK \[READ-WRITE\]' \
	"... again for the next client (Cyrus)"
kill -TERM "$DPID"
for i in $(seq 100); do
	kill -0 "$DPID" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$DPID" 2>/dev/null
ok "$([ $? -ne 0 ]; echo $?)" "kill -TERM PID ends the daemon"
ok "$([ ! -e "$S" ]; echo $?)" "... which removes the socket"
ok "$([ ! -e "$W/pid" ]; echo $?)" "... and the pid file"

run "$DOVECOT_PORT" -X "$S" -I "$W/no/such/dir/pid"
is "$RC" 2 "-X with a pid file that cannot be written: exit 2"
like "$ERR" 'no/such/dir' "... saying where"
ok "$([ ! -e "$S" ]; echo $?)" "... and no socket is left behind"

# -I with an ordinary session: there while it runs, gone after
printf 'NOOP\n' >"$W/cmds"
run "$DOVECOT_PORT" -f "$W/cmds" -I "$W/pid2"
is "$RC" 0 "-I with -f: exit 0"
ok "$([ ! -e "$W/pid2" ]; echo $?)" "... and the pid file is gone at the end"
run "$DOVECOT_PORT" -f "$W/cmds" -I "$W/no/such/dir/pid"
is "$RC" 2 "-I in a folder that does not exist: exit 2"

# --- usage errors ----------------------------------------------------------

run "$DOVECOT_PORT" -z 3 -n 3
is "$RC" 2 "-z with -n is a usage error"
run "$DOVECOT_PORT" -x "$S" -f "$W/cmds"
is "$RC" 2 "-x with -f is a usage error"
run "$DOVECOT_PORT" -n 2 --plaintext
is "$RC" 2 "-n with --plaintext is a usage error"

unlike "$(cat "$W/all-err" "$W/x.err" "$W/x2.out")" \
	'AddressSanitizer|LeakSanitizer|runtime error:' \
	"no sanitizer report on any standard error"

done_testing
