#!/usr/bin/python3
"""A scripted fake IMAP server: replays one case file to one client.

    fakeserver.py --case FILE --port-file PATH [--cert C --key K]
                  [--timeout SECS] [--verbose]

It listens on 127.0.0.1 on a free port, writes the port number to PATH
(atomically, so a reader never sees half of it), accepts ONE connection
and plays the case. Exit status 0: the client did exactly what the case
expects. 1: it did not (or the case could not be played); stderr then
says which case line failed, what came instead, and the exchange so far.
2: bad usage or a bad case file. A hard timeout (20 s by default) bounds
the whole run, so a silent or hung client never hangs a test.

Real servers are tested elsewhere (tests/testbed); this one says what no
real server would: bytes after STARTTLS, cut-off literals, hostile text.
After curl's tests/data + ftpserver.pl.

Case files
----------
One directive a line. Lines starting with '#' and blank lines are
ignored; so are lines starting with '@', which hold what the test script
expects of the client (its options, exit status, output; see
tests/integration/fake-server.sh). Directives:

  S: TEXT       queue a server line; CRLF is appended.
  S~ BYTES      queue raw bytes, no CRLF appended (for cut-off literals).
  REPEAT N BYTES  queue BYTES N times, no CRLF (long lines, deep lists).
                In all three, \\r \\n \\t \\\\ and \\xNN are escapes, and
                {tag} / {tag:NAME} / {tag+1} are replaced (see below).
                Queued bytes go out in ONE sendall when the next
                non-queueing directive (or the end of the case) comes:
                so "S: a" then "S: b" reach the client in one segment, as
                an attacker's injection after "OK Begin TLS" would.
  C: REGEX      read one client line (without its CRLF) and require that
                REGEX matches all of it. In REGEX, {tag} captures an IMAP
                tag (as "the last tag"), and {tag:NAME} captures it under
                NAME as well. A client line must end in CRLF.
  C* REGEX      read client lines until one matches, skipping the others
                (only for lines the client does not wait on).
  TLS           start server-side TLS with --cert/--key. Client bytes
                already received and not read are an error: a client
                must not send anything between STARTTLS and the handshake.
  CLOSE         close the connection (FIN after everything queued), then
                wait for the client to close too: a client that stays
                connected after the server closed fails the case.
  EXPECT-EOF    require that the client closes the connection without
                sending anything more.
  SLEEP MS      wait MS milliseconds.
  FORBID REGEX  from here on, any client line that REGEX finds (re.search)
                fails the case, even one read while waiting for the close:
                "FORBID LOGIN|AUTHENTICATE" proves no credentials went out.

In S:, S~ and REPEAT, {tag} is the last captured tag, {tag:NAME} a named
one, and {tag+1} the last tag with its trailing number plus one (the tag
a client using prefix+counter tags will use next: what an attacker who
saw the STARTTLS command in clear can forge).

When the case ends, the server closes the connection as CLOSE does.
"""

import argparse
import os
import re
import signal
import socket
import ssl
import sys
import time

DEFAULT_TIMEOUT = 20.0
MAX_CLIENT_LINE = 1 << 20
# After CLOSE, how long the client may take to close its end.
CLOSE_GRACE = 5.0
# Any IMAP tag character (RFC 9051 tag: ASTRING-CHAR except "+").
TAG_RE = r'[^\x00-\x20\x7f(){%*"\\\]+]+'
QUEUEING = ('S:', 'S~', 'REPEAT')


class CaseError(Exception):
    """The case file is malformed (exit 2)."""


class Mismatch(Exception):
    """The client did not do what the case expects (exit 1)."""


class Forbidden(Mismatch):
    """The client sent what a FORBID directive forbids."""


class PeerClosed(Exception):
    """The client closed (or reset) the connection."""


class Directive:
    def __init__(self, lineno, op, arg):
        self.lineno = lineno
        self.op = op
        self.arg = arg

    def __str__(self):
        return f'line {self.lineno}: {self.op} {self.arg}'.rstrip()


# --- the case file ----------------------------------------------------------

def parse_case(path):
    directives = []
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if line.strip() == '' or line[0] in '#@':
                continue
            directives.append(parse_directive(lineno, line))
    return directives


def parse_directive(lineno, line):
    for op in ('S:', 'S~', 'C:', 'C*'):
        if line.startswith(op + ' ') or line == op:
            return Directive(lineno, op, line[len(op) + 1:])
    word, _, rest = line.partition(' ')
    if word in ('TLS', 'CLOSE', 'EXPECT-EOF') and rest == '':
        return Directive(lineno, word, '')
    if word == 'SLEEP' and rest.isdigit():
        return Directive(lineno, word, rest)
    if word == 'FORBID' and rest != '':
        return Directive(lineno, word, rest)
    if word == 'REPEAT':
        count, _, chunk = rest.partition(' ')
        if count.isdigit() and chunk != '':
            return Directive(lineno, word, rest)
    raise CaseError(f'line {lineno}: cannot understand {line!r}')


def unescape(text):
    """\\r \\n \\t \\\\ \\xNN in a case line, to bytes (UTF-8 otherwise)."""
    out = bytearray()
    i = 0
    simple = {'r': b'\r', 'n': b'\n', 't': b'\t', '\\': b'\\'}
    while i < len(text):
        c = text[i]
        if c != '\\':
            out += c.encode('utf-8')
            i += 1
        elif text[i + 1:i + 2] in simple:
            out += simple[text[i + 1]]
            i += 2
        elif re.fullmatch(r'x[0-9a-fA-F]{2}', text[i + 1:i + 4]):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            raise CaseError(f'bad escape in {text!r}')
    return bytes(out)


def shown(data):
    """Bytes as a readable one-line Python-ish literal, cut if long."""
    text = repr(bytes(data[:300]))[2:-1]
    return text + (f'... ({len(data)} bytes)' if len(data) > 300 else '')


# --- playing a case -----------------------------------------------------------

class Player:
    def __init__(self, args, conn):
        self.args = args
        self.sock = conn
        self.deadline = time.monotonic() + args.timeout
        self.rbuf = bytearray()
        self.queue = bytearray()
        self.tags = {}
        self.log = []
        self.eof = False
        self.forbidden = []

    # timing and I/O

    def left(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Mismatch(f'timed out after {self.args.timeout:g} s')
        return left

    def note(self, who, data):
        self.log.append(f'{who} {shown(data)}')
        if self.args.verbose:
            print(f'fakeserver: {who} {shown(data)}', file=sys.stderr)

    def recv_more(self, timeout=None):
        self.sock.settimeout(timeout if timeout is not None else self.left())
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise Mismatch('timed out waiting for the client') from None
        except (ConnectionResetError, ssl.SSLEOFError, ssl.SSLZeroReturnError):
            data = b''
        except ssl.SSLError as e:
            raise Mismatch(f'TLS error while reading: {e}') from None
        if not data:
            self.eof = True
            raise PeerClosed()
        self.rbuf += data

    def read_line(self):
        while b'\n' not in self.rbuf:
            if len(self.rbuf) > MAX_CLIENT_LINE:
                raise Mismatch('the client sent a line over '
                               f'{MAX_CLIENT_LINE} bytes')
            self.recv_more()
        end = self.rbuf.index(b'\n') + 1
        line = bytes(self.rbuf[:end])
        del self.rbuf[:end]
        self.note('C:', line)
        self.check_forbidden(line)
        if not line.endswith(b'\r\n'):
            raise Mismatch(f'client line not ended by CRLF: {shown(line)}')
        return line[:-2].decode('utf-8', 'surrogateescape')

    def flush(self):
        if not self.queue:
            return
        data, self.queue = bytes(self.queue), bytearray()
        self.note('S:', data)
        self.sock.settimeout(self.left())
        try:
            self.sock.sendall(data)
        except socket.timeout:
            raise Mismatch('timed out sending: the client does not read')
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            # The client gave up mid-send (a protocol error on its side):
            # what comes next in the case says whether that was right.
            self.eof = True
            self.log.append('   (the client closed while the server sent)')

    def check_forbidden(self, data):
        text = data.decode('utf-8', 'surrogateescape')
        for regex in self.forbidden:
            if regex.search(text):
                raise Forbidden(f'the client sent what FORBID /{regex.pattern}/'
                               f' forbids: {shown(data)}')

    # tags

    def substitute(self, text):
        def tag(m):
            name, plus = m.group(1), m.group(2)
            key = name or ''
            if key not in self.tags:
                raise Mismatch(f'no tag {m.group(0)} captured yet')
            value = self.tags[key]
            if plus:
                num = re.search(r'[0-9]+$', value)
                if num is None:
                    raise Mismatch(f'tag {value!r} ends in no number')
                value = value[:num.start()] + str(int(num.group(0)) + 1)
            return value
        return re.sub(r'\{tag(?::(\w+))?(\+1)?\}', tag, text)

    @staticmethod
    def compile(regex):
        """{tag} and {tag:NAME} become named groups t0, t1, ..."""
        names = []

        def group(m):
            names.append(m.group(1) or '')
            return f'(?P<t{len(names) - 1}>{TAG_RE})'
        pattern = re.sub(r'\{tag(?::(\w+))?\}', group, regex)
        try:
            return re.compile(pattern), names
        except re.error as e:
            raise CaseError(f'bad regex {regex!r}: {e}') from None

    def capture(self, m, names):
        for i, name in enumerate(names):
            self.tags[''] = m.group(f't{i}')
            if name:
                self.tags[name] = m.group(f't{i}')

    # directives

    def run(self, directives):
        for d in directives:
            try:
                if d.op not in QUEUEING:
                    self.flush()
                self.step(d)
            except PeerClosed:
                raise Mismatch(f'{d}: the client closed the connection '
                               'instead') from None
            except Mismatch as e:
                raise Mismatch(f'{d}: {e}') from None
        self.flush()
        if not self.eof:
            self.close()

    def step(self, d):
        if d.op == 'S:':
            self.queue += unescape(self.substitute(d.arg)) + b'\r\n'
        elif d.op == 'S~':
            self.queue += unescape(self.substitute(d.arg))
        elif d.op == 'REPEAT':
            count, _, chunk = d.arg.partition(' ')
            self.queue += unescape(self.substitute(chunk)) * int(count)
        elif d.op in ('C:', 'C*'):
            self.expect_line(d)
        elif d.op == 'TLS':
            self.start_tls()
        elif d.op == 'CLOSE':
            self.close()
        elif d.op == 'EXPECT-EOF':
            self.expect_eof()
        elif d.op == 'SLEEP':
            time.sleep(int(d.arg) / 1000)
        elif d.op == 'FORBID':
            try:
                self.forbidden.append(re.compile(d.arg))
            except re.error as e:
                raise CaseError(f'bad regex {d.arg!r}: {e}') from None

    def expect_line(self, d):
        regex, names = self.compile(d.arg)
        while True:
            line = self.read_line()
            m = regex.fullmatch(line)
            if m:
                self.capture(m, names)
                return
            if d.op == 'C:':
                raise Mismatch(f'expected a client line matching /{d.arg}/,'
                               f' got {line!r}')

    def start_tls(self):
        if not (self.args.cert and self.args.key):
            raise CaseError('TLS needs --cert and --key')
        if self.rbuf:
            raise Mismatch('the client sent bytes after STARTTLS, before '
                           f'the TLS handshake: {shown(self.rbuf)}')
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            ctx.load_cert_chain(self.args.cert, self.args.key)
        except (OSError, ssl.SSLError) as e:
            raise CaseError(f'cannot load {self.args.cert}: {e}') from None
        self.sock.settimeout(self.left())
        try:
            self.sock = ctx.wrap_socket(self.sock, server_side=True)
        except (ssl.SSLError, OSError) as e:
            raise Mismatch(f'TLS handshake failed: {e}') from None
        self.log.append(f'   (TLS: {self.sock.version()})')

    def close(self):
        """FIN after the queued bytes, then wait for the client's FIN.

        Closing with unread input would make the kernel send a RST, which
        can destroy what the client has not read yet: so read (and
        ignore) what it still sends until it closes too."""
        self.log.append('   (server closes)')
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        grace = time.monotonic() + min(CLOSE_GRACE, self.left())
        try:
            while True:
                self.check_forbidden(bytes(self.rbuf))
                self.rbuf.clear()
                self.recv_more(max(grace - time.monotonic(), 0.001))
        except PeerClosed:
            self.check_forbidden(bytes(self.rbuf))
            return
        except Forbidden:
            raise
        except Mismatch:
            raise Mismatch('the client stays connected after the server '
                           'closed the connection') from None

    def expect_eof(self):
        if self.eof and not self.rbuf:
            return
        try:
            while not self.rbuf:
                self.recv_more()
        except PeerClosed:
            return
        self.check_forbidden(bytes(self.rbuf))
        raise Mismatch('expected the client to close, it sent '
                       f'{shown(self.rbuf)}')


# --- main -------------------------------------------------------------------

def listen(port_file):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(('127.0.0.1', 0))
    srv.listen(1)
    tmp = f'{port_file}.tmp'
    with open(tmp, 'w', encoding='ascii') as f:
        f.write(f'{srv.getsockname()[1]}\n')
    os.replace(tmp, port_file)
    return srv


def fail(args, message, player=None):
    print(f'fakeserver: {os.path.basename(args.case)}: {message}',
          file=sys.stderr)
    if player is not None and player.log:
        print('fakeserver: the exchange so far:', file=sys.stderr)
        for entry in player.log[-30:]:
            print(f'    {entry}', file=sys.stderr)
    return 1


def main():
    ap = argparse.ArgumentParser(description='Replay one fake IMAP case.')
    ap.add_argument('--case', required=True)
    ap.add_argument('--port-file', required=True)
    ap.add_argument('--cert')
    ap.add_argument('--key')
    ap.add_argument('--timeout', type=float, default=DEFAULT_TIMEOUT)
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args()

    try:
        directives = parse_case(args.case)
    except (OSError, CaseError) as e:
        print(f'fakeserver: {args.case}: {e}', file=sys.stderr)
        return 2
    # The backstop: whatever blocks, the process ends.
    signal.signal(signal.SIGALRM, lambda *_: sys.exit(
        fail(args, 'hard timeout: giving up')))
    signal.alarm(int(args.timeout) + 5)

    srv = listen(args.port_file)
    srv.settimeout(args.timeout)
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        return fail(args, 'no client connected')
    finally:
        srv.close()
    player = Player(args, conn)
    try:
        player.run(directives)
    except Mismatch as e:
        return fail(args, str(e), player)
    except CaseError as e:
        print(f'fakeserver: {args.case}: {e}', file=sys.stderr)
        return 2
    finally:
        player.sock.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
