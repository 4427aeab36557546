#!/usr/bin/env bash
# A terminal that goes away under the TUI without a SIGHUP reaching it
# (the pty's other end is closed while the pty is not imapwb's controlling
# terminal, as under some multiplexers and wrappers): imapwb must leave as
# on SIGHUP, sending LOGOUT and exiting 0, not spin on the terminal's
# end-of-file. The pty is driven from Python, so no tmux sits in between
# to send the signal. Both servers: the LOGOUT on the way out is real.
set -u
top=${top_srcdir:-.}
. "$top/tests/lib/tap.sh"
. "$top/tests/testbed/lib.sh"
IMAPWB=${IMAPWB:-./imapwb}

tb_init
export XDG_STATE_HOME=$TB_ROOT/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8
PWFILE=$(tb_password_file alice)

[ -x "$IMAPWB" ] || { echo "Bail out! no imapwb binary at $IMAPWB"; exit 99; }
tb_start_dovecot

# Prints "exit=N seconds=S screen=yes|no" after closing the pty's master
# once the TUI has drawn its tabs.
hangup() {
	"$TB_PYTHON" - "$@" <<'PY'
import os, pty, select, subprocess, sys, time
master, slave = pty.openpty()
os.set_blocking(master, False)
env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
import fcntl, struct, termios
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
p = subprocess.Popen(sys.argv[1:], stdin=slave, stdout=slave, stderr=slave,
                     env=env, close_fds=True)
os.close(slave)
seen, deadline = b"", time.time() + 20
while b"Mailboxes" not in seen and time.time() < deadline:
    r, _, _ = select.select([master], [], [], 0.2)
    if r:
        try:
            seen += os.read(master, 65536)
        except OSError:
            break
os.close(master)
start = time.time()
try:
    rc = p.wait(timeout=10)
except subprocess.TimeoutExpired:
    p.kill()
    rc = "none (still running after 10 s)"
print("exit=%s seconds=%.1f screen=%s" % (rc, time.time() - start,
      "yes" if b"Mailboxes" in seen else "no"))
PY
}

# The terminal's end is the client's business, but the LOGOUT it sends on
# the way out is checked against both servers.
hangup_test() {
	local name=$1 port=$2 trans=$TB_ROOT/trans-$1 out
	out=$(hangup "$IMAPWB" -p "$port" --cafile "$TB_CA" -a alice \
		--password-file "$PWFILE" --transcript "$trans" 127.0.0.1)
	like "$out" 'screen=yes' "$name: the TUI came up on the pty ($out)"
	like "$out" '^exit=0 ' "$name: closing the terminal's other end: imapwb exits 0"
	like "$out" 'seconds=[0-4]\.' "$name: ... within 5 s, not spinning on the EOF"
	like "$(cat "$trans")" 'C: [a-z]+[0-9]+ LOGOUT' "$name: ... after a LOGOUT"
	like "$(cat "$trans")" 'S: \* BYE' "$name: ... that the server answered with BYE"
}

hangup_test dovecot "$DOVECOT_PORT"
tb_start_cyrus
hangup_test cyrus "$CYRUS_PORT"

done_testing
