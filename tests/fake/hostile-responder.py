#!/usr/bin/python3
"""A permissive fake IMAP server that answers with hostile text.

    hostile-responder.py --port-file PATH [--log PATH] [--timeout SECS]

Why it exists: no real server sends terminal escapes, C1 controls, bidi
overrides or invalid UTF-8 in mailbox names, envelopes, ACL identifiers,
quota roots or resp-texts, yet a server (or whoever writes a mailbox
name or a Subject: header it echoes) may. The project's rule is that
fake servers are only for such malformed or hostile input; real
behaviour is tested against Dovecot and Cyrus (tests/testbed).

Why it is not a case file for fakeserver.py: the TUI sends many commands
(LIST, LSUB, a STATUS sweep, FETCH chunks, GETACL, MYRIGHTS, GETQUOTAROOT,
automatic IDLE or NOOP) in an order that depends on its internals, so a
line-by-line script would be brittle. This one answers each tagged
command by its name with canned hostile responses, in any order:

  LOGIN, AUTHENTICATE PLAIN, CAPABILITY, LIST, LSUB, STATUS, SELECT,
  EXAMINE, FETCH / UID FETCH, SEARCH / UID SEARCH, GETACL, MYRIGHTS,
  LISTRIGHTS, GETQUOTAROOT, GETQUOTA, NAMESPACE, ID, NOOP, IDLE (until
  DONE), LOGOUT; any other command gets "tag OK".

It listens on 127.0.0.1 on a free port, writes the port to PATH
(atomically), and serves every connection that comes (each in a thread:
the TUI may open a second one for its jobs) until --timeout seconds have
passed (120 by default) or it is killed. With --log, every client line
is appended there (literals as {n} and their bytes escaped), so a test
can wait for a command.

Python 3 standard library only.
"""

import argparse
import os
import re
import socket
import sys
import threading
import time

# --- the hostile pieces -------------------------------------------------------

OSC_TITLE = b'\x1b]0;PWNED\x07'         # retitles the window
CLEAR = b'\x1b[2J'                      # clears the screen
OSC52 = b'\x1b]52;c;cHduZWQ=\x07'       # writes the clipboard
C1_UTF8 = b'\xc2\x9b31m'                # U+009B (CSI) as UTF-8
C1_RAW = b'\x9b32m'                     # 0x9B, an 8-bit CSI
DEL_BS = b'\x7f\x08\x01'                # DEL, backspace, SOH
RLO = '\u202e'.encode()
ISOLATES = '\u2066\u2067\u2068\u2069'.encode()
MARKS = '\u200e\u200f'.encode()         # LRM, RLM
SEPARATORS = '\u2028\u2029'.encode()    # line and paragraph separator
ZWSP = '\u200b'.encode()
WIDE = '\u6f22\u5b57'.encode()          # two CJK characters, two columns each
INVALID = b'\xff\xc0\xaf\xed\xa0\x80'   # not UTF-8: a bad byte, overlong, surrogate

# Text that fits in a quoted string (no CR, LF, NUL, " or \).
HOSTILE = (OSC_TITLE + CLEAR + OSC52 + C1_UTF8 + C1_RAW + DEL_BS + RLO +
           ISOLATES + MARKS + SEPARATORS + ZWSP + INVALID)


def tagged_piece(name):
    """A marker the test can find, then the hostile bytes."""
    return name.encode() + b'<' + HOSTILE + b'>'


# Atoms may not hold controls or spaces, but this parser takes 8-bit.
ATOM_HOSTILE = b'\xc2\x9b31m' + RLO + b'\x9b'

# Mailboxes: (attributes, raw name as it goes on the wire as a literal).
MAILBOXES = [
    (b'\\HasNoChildren', b'INBOX'),
    # quoted on the wire (see list_line): every hostile piece
    (b'\\HasNoChildren', b'Quoted' + HOSTILE),
    # a literal may carry CR and LF too
    (b'\\HasNoChildren \\X' + ATOM_HOSTILE,
     b'Literal\r\n' + OSC52 + b'\x7f\x08' + C1_RAW + b'\xff'),
    # valid modified UTF-7 that decodes to ESC, BEL, U+009B, U+202E,
    # U+2028 and U+200B
    (b'\\HasNoChildren', b'Utf7&ABs-]0;PWNED&AAcAmw-31m&IC4gKCAL-'),
    # invalid modified UTF-7 (unterminated) after ESC [ 2 J: shown raw
    (b'\\HasNoChildren', b'Bad\x1b[2J&Jjo'),
    # wide: two CJK characters and a zero width space, valid mUTF-7
    (b'\\HasNoChildren', b'&byJbVw-Wide&IAs-'),
]
QUOTED_NAMES = {b'Quoted' + HOSTILE}


def b64(data):
    import base64
    return base64.b64encode(data)


# Envelope strings: raw hostile, and RFC 2047 words that decode to it.
SUBJECT_RAW = tagged_piece('SubjRaw')
SUBJECT_2047 = (b'=?UTF-8?B?' + b64(b'Subj2047<' + CLEAR + OSC_TITLE +
                                    '\u202e\u2028'.encode() + b'>') +
                b'?=')
SUBJECT_2047_Q = b'=?ISO-8859-1?Q?SubjQ<=9B31m=1B]52;c;eA=3D=3D=07>?='
SUBJECT_WIDE = WIDE + ZWSP + b'WideSubj' + WIDE
FROM_NAME_RAW = tagged_piece('FromRaw')
FROM_NAME_2047 = (b'=?UTF-8?Q?FromQ<=1B[2J=C2=9B=E2=80=AE>?=')


def quoted(data):
    """A quoted string when it can be one, else a literal."""
    if any(c in data for c in b'\r\n\0"\\'):
        return literal(data)
    return b'"' + data + b'"'


def literal(data):
    return b'{%d}\r\n' % len(data) + data


def envelope(msn):
    subject = [SUBJECT_RAW, SUBJECT_2047, SUBJECT_2047_Q][(msn - 1) % 3]
    if msn == 4:
        subject = SUBJECT_WIDE
    name = FROM_NAME_RAW if msn % 2 == 1 else FROM_NAME_2047
    addr = (b'((' + quoted(name) + b' NIL ' + quoted(b'evil' + C1_UTF8) +
            b' ' + quoted(b'host' + RLO + b'.example') + b'))')
    return (b'(' + quoted(b'Mon, 7 Dec 2026 10:00:00 +0000') + b' ' +
            quoted(subject) + b' ' + addr + b' ' + addr + b' ' + addr +
            b' NIL NIL NIL NIL ' + quoted(b'<id' + OSC_TITLE + b'@x>') +
            b')')


BODYSTRUCTURE = (b'(("text" "plain" ("charset" "utf-8") NIL NIL "8bit" 40 2 '
                 b'NIL NIL NIL NIL)("application" "octet-stream" ("name" ' +
                 quoted(b'file' + HOSTILE) + b') NIL NIL "base64" 2000 NIL '
                 b'("attachment" ("filename" ' + quoted(b'att' + HOSTILE) +
                 b')) NIL NIL) "mixed" ("boundary" "b") NIL NIL NIL)')
BODY_TEXT = (b'Body<' + OSC_TITLE + CLEAR + C1_UTF8 + RLO + b'>\r\n' +
             WIDE + b'\r\n')

MESSAGES = 4


def fetch_line(msn, want):
    items = [b'UID %d' % msn, b'FLAGS (\\Seen $K' + ATOM_HOSTILE + b')',
             b'RFC822.SIZE %d' % (1000 * msn),
             b'INTERNALDATE "07-Dec-2026 10:00:00 +0000"',
             b'ENVELOPE ' + envelope(msn)]
    if b'BODYSTRUCTURE' in want:
        items.append(b'BODYSTRUCTURE ' + BODYSTRUCTURE)
    m = re.search(rb'BODY(?:\.PEEK)?\[([0-9.A-Z]*)\](<[0-9.]+>)?', want)
    if m:
        sect = m.group(1)
        origin = b''
        if m.group(2):
            origin = b'<' + m.group(2)[1:-1].split(b'.')[0] + b'>'
        items.append(b'BODY[' + sect + b']' + origin + b' ' +
                     literal(BODY_TEXT))
    return b'* %d FETCH (' % msn + b' '.join(items) + b')'


# --- the client's commands ----------------------------------------------------

class Closed(Exception):
    pass


class Conn:
    def __init__(self, sock, log):
        self.sock = sock
        self.buf = b''
        self.log = log

    def send(self, *lines):
        self.sock.sendall(b''.join(l + b'\r\n' for l in lines))

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise Closed()
        self.buf += data

    def line(self):
        while b'\r\n' not in self.buf:
            if len(self.buf) > 1 << 20:
                raise Closed()
            self._fill()
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line

    def take(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def command(self):
        """One command with its literals, as bytes with {n}CRLF inside."""
        whole = b''
        while True:
            line = self.line()
            whole += line
            m = re.search(rb'\{(\d+)(\+?)\}$', line)
            if not m:
                break
            if not m.group(2):
                self.send(b'+ go on')
            whole += b'\r\n' + self.take(int(m.group(1)))
        self.logline(whole)
        return whole

    def logline(self, data):
        if self.log is None:
            return
        text = data.decode('utf-8', 'backslashreplace')
        text = ''.join(c if c.isprintable() else '\\x%02x' % ord(c)
                       if ord(c) < 256 else '\\u%04x' % ord(c)
                       for c in text)
        with open(self.log, 'a', encoding='utf-8') as f:
            f.write(text + '\n')


def tokens(data):
    """IMAP arguments: atoms, quoted strings and literals, as bytes
    (parenthesised lists come as their atoms)."""
    out, i = [], 0
    while i < len(data):
        c = data[i:i + 1]
        if c in (b' ', b'(', b')'):
            i += 1
        elif c == b'"':
            i += 1
            s = b''
            while i < len(data) and data[i:i + 1] != b'"':
                if data[i:i + 1] == b'\\':
                    i += 1
                s += data[i:i + 1]
                i += 1
            out.append(s)
            i += 1
        elif c == b'{':
            m = re.match(rb'\{(\d+)\+?\}\r\n', data[i:])
            if not m:
                out.append(data[i:])
                break
            i += m.end()
            n = int(m.group(1))
            out.append(data[i:i + n])
            i += n
        else:
            m = re.match(rb'[^ ()]+', data[i:])
            out.append(m.group(0))
            i += m.end()
    return out


CAPS = (b'IMAP4rev1 AUTH=PLAIN ACL QUOTA NAMESPACE ID IDLE UIDPLUS '
        b'X' + ATOM_HOSTILE)


def serve(sock, log):
    c = Conn(sock, log)
    c.send(b'* OK [CAPABILITY ' + CAPS + b'] Greeting<' + HOSTILE + b'>')
    while True:
        cmd = c.command()
        args = tokens(cmd)
        if len(args) < 2:
            c.send(b'* BAD no tag')
            continue
        tag, name = args[0], args[1].upper()
        rest = args[2:]
        uid = name == b'UID' and rest
        if uid:
            name, rest = rest[0].upper(), rest[1:]
        box = rest[0] if rest else b'INBOX'
        ok = tag + b' OK '
        if name == b'LOGIN':
            c.send(ok + b'[CAPABILITY ' + CAPS + b'] Login<' + HOSTILE + b'>')
        elif name == b'AUTHENTICATE':
            if len(rest) < 2:
                c.send(b'+ ')
                c.line()
            c.send(ok + b'[CAPABILITY ' + CAPS + b'] Auth<' + HOSTILE + b'>')
        elif name == b'CAPABILITY':
            c.send(b'* CAPABILITY ' + CAPS, ok + b'Capa<' + HOSTILE + b'>')
        elif name in (b'LIST', b'LSUB'):
            lines = []
            for attrs, mb in MAILBOXES:
                wire = quoted(mb) if mb in QUOTED_NAMES else literal(mb)
                lines.append(b'* ' + name + b' (' + attrs + b') "/" ' + wire)
            c.send(*lines, ok + b'List<' + HOSTILE + b'>')
        elif name == b'STATUS':
            c.send(b'* STATUS ' + literal(box) + b' (MESSAGES %d UNSEEN 1)'
                   % MESSAGES, ok + b'Status<' + HOSTILE + b'>')
        elif name in (b'SELECT', b'EXAMINE'):
            c.send(b'* FLAGS (\\Seen \\Deleted $K' + ATOM_HOSTILE + b')',
                   b'* %d EXISTS' % MESSAGES, b'* 0 RECENT',
                   b'* OK [UIDVALIDITY 42] Uv<' + HOSTILE + b'>',
                   b'* OK [UIDNEXT %d] next' % (MESSAGES + 1),
                   b'* OK [PERMANENTFLAGS (\\Seen \\Deleted $P' +
                   ATOM_HOSTILE + b' \\*)] perm',
                   b'* OK [ALERT] Alert<' + HOSTILE + b'>',
                   ok + b'[READ-WRITE] Select<' + HOSTILE + b'>')
        elif name == b'FETCH':
            want = b' '.join(rest[1:]).upper()
            lines = [fetch_line(n, want) for n in range(1, MESSAGES + 1)]
            if not uid:
                # no space after FETCH: the parser reads the atom FETCH
                # (and routes it to this command); the console's fold
                # used to take the name up to the next space
                lines.append(b'* 1 FETCH(' + ATOM_HOSTILE + b' 1)')
            c.send(*lines, ok + b'Fetch<' + HOSTILE + b'>')
        elif name == b'SEARCH':
            c.send(b'* SEARCH ' + b' '.join(b'%d' % n for n in
                                           range(1, MESSAGES + 1)),
                   ok + b'Search<' + HOSTILE + b'>')
        elif name == b'GETACL':
            c.send(b'* ACL ' + literal(box) + b' ' +
                   quoted(tagged_piece('AclId')) + b' lrswi ' +
                   literal(b'AclLit\r\n' + OSC52 + WIDE) + b' lr',
                   ok + b'Getacl<' + HOSTILE + b'>')
        elif name == b'MYRIGHTS':
            c.send(b'* MYRIGHTS ' + literal(box) + b' ' +
                   quoted(b'lra' + OSC_TITLE + C1_UTF8 + RLO),
                   ok + b'Myrights<' + HOSTILE + b'>')
        elif name == b'LISTRIGHTS':
            ident = rest[1] if len(rest) > 1 else b'x'
            c.send(b'* LISTRIGHTS ' + literal(box) + b' ' + literal(ident) +
                   b' ' + quoted(b'l' + CLEAR) + b' r s ' +
                   quoted(b'w' + OSC_TITLE + RLO),
                   ok + b'Listrights<' + HOSTILE + b'>')
        elif name == b'GETQUOTAROOT':
            root = tagged_piece('Root')
            c.send(b'* QUOTAROOT ' + literal(box) + b' ' + quoted(root),
                   b'* QUOTA ' + quoted(root) + b' (STORAGE 10 100 R' +
                   ATOM_HOSTILE + b' 1 2)',
                   # an unknown response whose name is hostile: the
                   # console's fold counts it by name
                   b'* ' + ATOM_HOSTILE + b' X',
                   ok + b'Quota<' + HOSTILE + b'>')
        elif name == b'GETQUOTA':
            c.send(b'* QUOTA ' + literal(box) + b' (STORAGE 10 100)',
                   ok + b'Getquota<' + HOSTILE + b'>')
        elif name == b'NAMESPACE':
            c.send(b'* NAMESPACE ((' + quoted(tagged_piece('Ns')) +
                   b' "/")) NIL NIL', ok + b'Namespace<' + HOSTILE + b'>')
        elif name == b'ID':
            c.send(b'* ID ("name" ' + quoted(tagged_piece('IdName')) +
                   b' "vendor" ' + literal(b'IdLit\r\n' + HOSTILE) + b')',
                   ok + b'Id<' + HOSTILE + b'>')
        elif name == b'IDLE':
            c.send(b'+ Idle<' + HOSTILE + b'>')
            while c.command().upper() != b'DONE':
                pass
            c.send(ok + b'Idle done')
        elif name == b'LOGOUT':
            c.send(b'* BYE Bye<' + HOSTILE + b'>', ok + b'LOGOUT completed')
            return
        else:
            c.send(ok + b'Other<' + HOSTILE + b'>')


def handle(sock, log):
    try:
        serve(sock, log)
    except (Closed, OSError):
        pass
    finally:
        sock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port-file', required=True)
    ap.add_argument('--log')
    ap.add_argument('--timeout', type=float, default=120.0)
    opts = ap.parse_args()

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', 0))
    srv.listen(4)
    tmp = opts.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write('%d\n' % srv.getsockname()[1])
    os.rename(tmp, opts.port_file)

    deadline = time.monotonic() + opts.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return 0
        srv.settimeout(left)
        try:
            sock, _ = srv.accept()
        except socket.timeout:
            return 0
        sock.settimeout(None)
        threading.Thread(target=handle, args=(sock, opts.log),
                         daemon=True).start()


if __name__ == '__main__':
    sys.exit(main())
