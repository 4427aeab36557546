#!/usr/bin/python3
"""record-corpus: record real server responses as the parser fuzzer's seeds.

    record-corpus.py --server NAME --port P --ca CA --names FILE
                     [--host H] [--user alice] [--password-env PREFIX]
                     [--out DIR] [--max-size BYTES]

Speaks raw IMAP over a plain socket (not imaplib, so every byte the server
sends is kept as sent): the greeting, CAPABILITY and STARTTLS in clear,
then over TLS a login as --user and a varied command set (NAMESPACE, ID,
LIST with RETURN options, LSUB, STATUS, SELECT/EXAMINE of nested and
modified-UTF-7 folders, FETCH of ENVELOPE, BODYSTRUCTURE, headers, partial
bodies and BINARY, SEARCH, ESEARCH, SORT, THREAD, ACL and QUOTA commands, a
NO, a BAD, a synchronizing literal, IDLE woken by an APPEND from a second
connection, STORE, EXPUNGE, LOGOUT). Each complete response (its literals
included) goes to its own file, DIR/NAME-LABEL-NNN, for example
dovecot-fetch-envelope-003. Responses over --max-size bytes (64 KiB) and
exact duplicates are skipped; earlier NAME-* files are removed first.

The same responses seed the other fuzz targets (--corpus-root, by default
fuzz/corpus): each also goes to the folder of every decoder that reads it
(acl, quota, namespace, search, code, list, envelope, bodystructure,
mime). The main connection's conversation seeds the session and console
targets: session/NAME-LABEL is a script (fuzz/fuzz-session.c) of the
greeting, the login and, for message commands, the SELECT, then one
command and every response to it, each typed with the tag it was sent
with; console-input/NAME-typed is every line typed for the main
connection (fuzz/fuzz-console-input.c). The password is never written:
scripts and typed lines say "secret" instead.

The password is read from the environment variable PREFIX + user
($TB_PASS_alice by default), never from argv; the commands sent, which
hold it, are never written. --names is the JSON that tb_seed writes
($DOVECOT_NAMES, $CYRUS_NAMES): each folder's exact name on that server.

The corpora in fuzz/corpus were recorded with:

    . tests/testbed/lib.sh
    tb_init; tb_start_dovecot; tb_seed DOVECOT; tb_start_cyrus; tb_seed CYRUS
    export TB_PASS_alice=${TB_PASS[alice]}
    for s in dovecot:DOVECOT cyrus:CYRUS; do
        n=${s%:*}; v=${s#*:}_PORT; names=${s#*:}_NAMES
        tests/fuzz/record-corpus.py --server "$n" --port "${!v}" \\
            --ca "$TB_CA" --names "${!names}"
    done

The recording changes the mailbox a little (one message is appended and
expunged again), so run it on a throwaway test bed, as above.
"""

import argparse
import hashlib
import json
import os
import re
import socket
import ssl
import sys
import unicodedata

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(TOP, "fuzz", "corpus", "imap-parser")
DEFAULT_CORPUS_ROOT = os.path.join(TOP, "fuzz", "corpus")
# What scripts and typed lines say for the password.
PASSWORD_STAND_IN = "secret"
# Which decoder targets read a response, by its name (the first atom, or
# the second after a number); status responses with a [CODE] go to "code".
FAMILIES = {
    b"ACL": ["acl"], b"MYRIGHTS": ["acl"], b"LISTRIGHTS": ["acl"],
    b"QUOTA": ["quota"], b"QUOTAROOT": ["quota"],
    b"NAMESPACE": ["namespace"], b"ID": ["namespace"],
    b"SEARCH": ["search"], b"SORT": ["search"], b"ESEARCH": ["search"],
    b"FLAGS": ["code"], b"EXISTS": ["code"], b"RECENT": ["code"],
    b"EXPUNGE": ["code"], b"VANISHED": ["code"],
    b"LIST": ["list"], b"LSUB": ["list"], b"STATUS": ["list"],
}
# The commands of a script that need a mailbox selected first.
NEEDS_SELECT = ("fetch-", "search", "uid-", "esearch", "sort", "thread",
                "no-fetch", "bad-fetch", "store", "expunge", "idle")
TIMEOUT = 15
IDLE_WAIT = 5          # seconds to wait for the EXISTS that IDLE reports
# A literal announced at the end of a line: {n}, {n+} or ~{n} (literal8).
LITERAL_AT_END = re.compile(rb"~?\{(\d+)\+?\}\r\n\Z")
IDLE_MESSAGE = (b"From: Carol Jones <carol@example.net>\r\n"
                b"To: Alice Liddell <alice@example.org>\r\n"
                b"Subject: wake up the IDLE\r\n"
                b"Date: Fri, 15 Dec 2023 10:00:00 +0100\r\n"
                b"Message-ID: <idle.record-corpus@imapwb.example>\r\n"
                b"\r\n"
                b"A message that arrives while the first connection idles.\r\n")


class RecordError(Exception):
    pass


class Conn:
    """One IMAP connection; reads whole responses, literals and all."""

    def __init__(self, host, port, ca):
        self.sock = socket.create_connection((host, port), TIMEOUT)
        self.ctx = ssl.create_default_context(cafile=ca)
        self.buf = b""
        self.tag_num = 0

    def starttls(self):
        if self.buf:
            raise RecordError("bytes after the STARTTLS reply (injection?)")
        self.sock = self.ctx.wrap_socket(self.sock,
                                         server_hostname="localhost")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("the server closed the connection")
        self.buf += data

    def _take(self, n):
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        return self._take(self.buf.index(b"\r\n") + 2)

    def _exact(self, n):
        while len(self.buf) < n:
            self._fill()
        return self._take(n)

    def response(self):
        """The next complete response: lines, each literal after its line."""
        out = bytearray()
        while True:
            line = self._line()
            out += line
            m = LITERAL_AT_END.search(line)
            if not m:
                return bytes(out)
            out += self._exact(int(m.group(1)))

    def send(self, data):
        self.sock.sendall(data)

    def next_tag(self):
        self.tag_num += 1
        return "R%03d" % self.tag_num


def is_tagged(resp, tag):
    return resp.startswith(tag.encode() + b" ")


class Recorder:
    """Runs commands and writes every response they bring as a file."""

    def __init__(self, server, out, max_size):
        self.server = server
        self.out = out
        self.max_size = max_size
        self.seen = set()
        self.family_seen = set()
        self.counts = {}
        self.corpus_root = None
        # (label, [typed part, ...], [response, ...], tag) per command
        self.transcript = []
        self.greeting = b""
        self.written = self.skipped_big = self.duplicates = 0
        self.bytes = 0

    def folders(self):
        dirs = [self.out]
        if self.corpus_root is not None:
            dirs += [os.path.join(self.corpus_root, t) for t in
                     ("acl", "quota", "namespace", "search", "code", "list",
                      "envelope", "bodystructure", "mime", "session",
                      "console-input")]
        return dirs

    def clean(self):
        for d in self.folders():
            os.makedirs(d, exist_ok=True)
            for name in os.listdir(d):
                if name.startswith(self.server + "-"):
                    os.remove(os.path.join(d, name))

    def write(self, folder, name, data):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)

    def keep_for_decoders(self, name, resp):
        """The response again, in the folder of each decoder that reads
        it (same file name, duplicates per folder skipped)."""
        if self.corpus_root is None:
            return
        for target in families(resp):
            key = (target, hashlib.sha256(resp).digest())
            if key in self.family_seen:
                continue
            self.family_seen.add(key)
            self.write(os.path.join(self.corpus_root, target), name, resp)

    def keep(self, label, resp):
        n = self.counts.get(label, 0) + 1
        self.counts[label] = n
        if len(resp) > self.max_size:
            self.skipped_big += 1
            return
        digest = hashlib.sha256(resp).digest()
        if digest in self.seen:
            self.duplicates += 1
            return
        self.seen.add(digest)
        name = "%s-%s-%03d" % (self.server, label, n)
        self.write(self.out, name, resp)
        self.keep_for_decoders(name, resp)
        self.written += 1
        self.bytes += len(resp)

    def run(self, conn, label, *parts):
        """Send a command and keep its responses up to the tagged one,
        which is the last of the list returned.

        Every part but the last ends with a synchronizing literal's
        {n}: the next part goes only after the server's "+"."""
        tag = conn.next_tag()
        conn.send(tag.encode() + b" " + parts[0] + b"\r\n")
        rest = list(parts[1:])
        got = []
        self.transcript.append((label, list(parts), got, tag))
        while True:
            resp = conn.response()
            self.keep(label, resp)
            got.append(resp)
            if resp.startswith(b"+") and rest:
                conn.send(rest.pop(0) + b"\r\n")
            elif is_tagged(resp, tag):
                return got

    def idle(self, conn, label, wake):
        """IDLE until wake() makes the server report something."""
        tag = conn.next_tag()
        conn.send(tag.encode() + b" IDLE\r\n")
        got = []
        self.transcript.append((label, [b"IDLE"], got, tag))
        resp = conn.response()
        self.keep(label, resp)
        got.append(resp)
        if not resp.startswith(b"+"):
            return
        wake()
        conn.sock.settimeout(IDLE_WAIT)
        try:
            while True:
                resp = conn.response()
                self.keep(label, resp)
                got.append(resp)
                conn.sock.settimeout(0.5)   # collect what comes with it
        except (socket.timeout, TimeoutError):
            pass
        conn.sock.settimeout(TIMEOUT)
        conn.send(b"DONE\r\n")
        got.append(b"DONE")    # where the typed DONE goes in a script
        while not is_tagged(resp, tag):
            resp = conn.response()
            self.keep(label, resp)
            got.append(resp)


def quote(s):
    return b'"' + s.encode().replace(b"\\", b"\\\\").replace(b'"', b'\\"') \
        + b'"'


def literal(data):
    """A synchronizing literal: the header part, then the data part."""
    return b"{%d}" % len(data), data


def login(rec, conn, user, password, label="login"):
    tag = rec.run(conn, label, b"LOGIN " + quote(user) + b" " +
                  quote(password))[-1]
    # the transcript feeds scripts that are committed: no password in it
    entry = rec.transcript[-1]
    rec.transcript[-1] = (entry[0], [b"LOGIN " + quote(user) + b" " +
                                     quote(PASSWORD_STAND_IN)],
                          entry[2], entry[3])
    if b" OK" not in tag[:12]:
        raise RecordError("LOGIN as %s failed: %r" % (user, tag))


def open_session(args, rec, password, label_prefix=""):
    """Connect, record the clear-text part, STARTTLS and log in."""
    conn = Conn(args.host, args.port, args.ca)
    greeting = conn.response()
    rec.keep(label_prefix + "greeting", greeting)
    if not label_prefix:
        rec.greeting = greeting
    rec.run(conn, label_prefix + "capability-clear", b"CAPABILITY")
    tag = rec.run(conn, label_prefix + "starttls", b"STARTTLS")[-1]
    if b" OK" not in tag[:12]:
        raise RecordError("STARTTLS refused: %r" % tag)
    conn.starttls()
    login(rec, conn, args.user, password, label_prefix + "login")
    return conn


def wake_by_append(args, rec, password, mailbox):
    """A second connection appends a message, which the idler sees."""
    conn = open_session(args, rec, password, "second-")
    head, body = literal(IDLE_MESSAGE)
    rec.run(conn, "second-append", b"APPEND " + mailbox +
            b" (\\Flagged) " + head, body)
    rec.run(conn, "second-logout", b"LOGOUT")
    conn.close()


def expunge_appended(rec, conn):
    """Flag and expunge the message IDLE saw, leaving INBOX as seeded (and
    recording FETCH and EXPUNGE responses on the way)."""
    found = rec.run(conn, "uid-search-header", b"UID SEARCH HEADER "
                    b"Message-ID <idle.record-corpus@imapwb.example>")
    uids = [w for r in found if r.startswith(b"* SEARCH")
            for w in r.split()[2:]]
    if not uids:
        raise RecordError("the message appended during IDLE is missing")
    uid_set = b",".join(uids)
    rec.run(conn, "store", b"UID STORE " + uid_set +
            b" +FLAGS (\\Deleted \\Seen)")
    rec.run(conn, "expunge", b"UID EXPUNGE " + uid_set)


def folder_names(names_file, user):
    with open(names_file, encoding="utf-8") as f:
        spec = json.load(f)[user]
    return {key: quote(f["name"]) for key, f in spec["folders"].items()}


def mailbox_commands(rec, conn):
    """The message commands, on the selected INBOX."""
    run = rec.run
    run(conn, "fetch-envelope", b"FETCH 1:* (UID FLAGS RFC822.SIZE "
        b"INTERNALDATE ENVELOPE BODYSTRUCTURE MODSEQ)")
    run(conn, "fetch-header", b"FETCH 1:* BODY.PEEK[HEADER]")
    run(conn, "fetch-partial", b"FETCH 1:* BODY.PEEK[1]<0.100>")
    run(conn, "fetch-fields", b"UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS "
        b"(SUBJECT FROM DATE)] BODY)")
    run(conn, "fetch-binary", b"FETCH 1:4 (BINARY.PEEK[1] BINARY.SIZE[1])")
    # The PNG's first bytes hold NULs, which servers send as literal8.
    run(conn, "fetch-literal8", b"FETCH 9 (BINARY.PEEK[2]<0.64>)")
    run(conn, "fetch-full", b"FETCH 1:10 BODY.PEEK[]")
    run(conn, "fetch-changedsince", b"FETCH 1:* (FLAGS) (CHANGEDSINCE 1)")
    run(conn, "search", b"SEARCH UNSEEN")
    run(conn, "uid-search", b"UID SEARCH SINCE 1-Nov-2023 NOT DELETED")
    head, body = literal("Überprüfung".encode())
    run(conn, "search-literal", b"SEARCH CHARSET UTF-8 SUBJECT " + head,
        body)
    run(conn, "esearch", b"SEARCH RETURN (MIN MAX COUNT ALL) ALL")
    run(conn, "uid-esearch", b"UID SEARCH RETURN (ALL) FLAGGED")
    run(conn, "sort", b"SORT (REVERSE DATE) UTF-8 ALL")
    run(conn, "sort-subject", b"UID SORT (SUBJECT FROM) UTF-8 ALL")
    run(conn, "thread", b"THREAD REFERENCES UTF-8 ALL")
    run(conn, "no-fetch", b"FETCH 999 FLAGS")
    run(conn, "bad-fetch", b"FETCH 1 (FLAGS")


STATUS_WITH_CODE = re.compile(rb"^\S+ (OK|NO|BAD|BYE|PREAUTH) \[")


def families(resp):
    """The decoder targets that read this response."""
    words = resp.split(b"\r\n", 1)[0].split(b" ", 3)
    targets = []
    if STATUS_WITH_CODE.match(resp):
        targets.append("code")
    if len(words) < 2 or words[0] != b"*":
        return targets
    name = words[2] if words[1].isdigit() and len(words) > 2 else words[1]
    name = name.upper()
    targets += FAMILIES.get(name, [])
    if name == b"FETCH":
        if b"ENVELOPE (" in resp:
            targets += ["envelope", "mime"]
        if b"BODYSTRUCTURE (" in resp or b"BODY (" in resp:
            targets += ["bodystructure", "mime"]
        if b"BODY[HEADER" in resp:
            targets.append("mime")
    return sorted(set(targets))


def typed(part):
    """A part sent as the lines a user types: a literal's bytes with their
    line ends, each line by itself (fuzz/fuzz-console-input.c)."""
    return b"".join(b"C: " + line + b"\n" for line in part.split(b"\r\n"))


def script(entries):
    """A session script (fuzz/fuzz-session.c) of these commands, after the
    greeting."""
    out = []
    for _label, parts, got, tag in entries:
        rest = list(parts)
        # typed with the tag it was sent with: the replies name it, and
        # a command the console does not know ("FROBNICATE") still goes
        out.append(typed(tag.encode() + b" " + rest.pop(0)))
        for resp in got:
            if resp == b"DONE":
                out.append(b"C: DONE\n")
                continue
            out.append(resp)
            if resp.startswith(b"+") and rest:
                out.append(typed(rest.pop(0)))
    return b"".join(out)


def write_scripts(rec):
    """session/NAME-LABEL: one command in context; console-input/NAME-typed:
    every line typed for the main connection."""
    main = [e for e in rec.transcript if not e[0].startswith("second-")]
    login_entry = next(e for e in main if e[0] == "login")
    select_entry = next((e for e in main if e[0] == "select"), None)
    session_dir = os.path.join(rec.corpus_root, "session")
    for entry in main:
        label = entry[0]
        context = [] if label in ("capability-clear", "starttls", "login") \
            else [login_entry]
        if select_entry is not None and label.startswith(NEEDS_SELECT):
            context.append(select_entry)
        data = rec.greeting + script(context + [entry])
        if label == "starttls":   # the clear part, then the login
            data = rec.greeting + script(
                [e for e in main if e[0] == "capability-clear"] +
                [entry, login_entry])
        if len(data) <= rec.max_size:
            rec.write(session_dir, "%s-%s" % (rec.server, label), data)
    lines = b"".join(typed(part) for e in main for part in e[1])
    rec.write(os.path.join(rec.corpus_root, "console-input"),
              "%s-typed" % rec.server, lines)


def record(args, password):
    rec = Recorder(args.server, args.out, args.max_size)
    rec.corpus_root = args.corpus_root
    rec.clean()
    names = folder_names(args.names, args.user)
    inbox = names.get("INBOX", b"INBOX")
    conn = open_session(args, rec, password)
    run = rec.run
    run(conn, "capability", b"CAPABILITY")
    run(conn, "namespace", b"NAMESPACE")
    run(conn, "id", b"ID NIL")
    run(conn, "enable", b"ENABLE CONDSTORE")
    run(conn, "list", b'LIST "" "*"')
    run(conn, "list-percent", b'LIST "" "%"')
    run(conn, "list-status", b'LIST "" "*" RETURN (SPECIAL-USE STATUS '
        b"(MESSAGES SIZE))")
    run(conn, "list-special-use", b'LIST (SPECIAL-USE) "" "*"')
    run(conn, "lsub", b'LSUB "" "*"')
    run(conn, "status", b"STATUS " + inbox + b" (MESSAGES RECENT UIDNEXT "
        b"UIDVALIDITY UNSEEN HIGHESTMODSEQ)")
    for key in sorted(names):
        if key != "INBOX":
            run(conn, "status-" + slug(key, names[key]), b"STATUS " + names[key] +
                b" (MESSAGES UNSEEN SIZE)")
    for key in ("Archiv/2023/Q4", "Projekte/Überprüfung"):
        if key in names:
            run(conn, "examine-" + slug(key, names[key]), b"EXAMINE " + names[key])
            run(conn, "fetch-" + slug(key, names[key]), b"FETCH 1:* (UID FLAGS "
                b"ENVELOPE)")
    run(conn, "getacl", b"GETACL " + inbox)
    run(conn, "myrights", b"MYRIGHTS " + inbox)
    run(conn, "listrights", b"LISTRIGHTS " + inbox + b" bob")
    run(conn, "getquotaroot", b"GETQUOTAROOT " + inbox)
    run(conn, "no-select", b'SELECT "no-such-folder"')
    run(conn, "bad-command", b"FROBNICATE now")
    run(conn, "select", b"SELECT " + inbox + b" (CONDSTORE)")
    mailbox_commands(rec, conn)
    rec.idle(conn, "idle", lambda: wake_by_append(args, rec, password,
                                                  inbox))
    expunge_appended(rec, conn)
    run(conn, "logout", b"LOGOUT")
    conn.close()
    if rec.corpus_root is not None:
        write_scripts(rec)
    return rec


def slug(key, server_name):
    """A file-name label: the folder's name in ASCII ("Überprüfung" gives
    uberprufung), or its modified UTF-7 name when nothing is left."""
    for name in (key, server_name.decode()):
        ascii_name = unicodedata.normalize("NFKD", name).encode(
            "ascii", "ignore").decode()
        label = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
        if label:
            return label
    return "folder"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--server", required=True, help="file name prefix")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--names", required=True)
    p.add_argument("--user", default="alice")
    p.add_argument("--password-env", default="TB_PASS_")
    p.add_argument("--out", default=DEFAULT_OUT)
    p.add_argument("--corpus-root", default=DEFAULT_CORPUS_ROOT,
                   help="the other targets' corpora (\"\": none)")
    p.add_argument("--max-size", type=int, default=64 * 1024)
    args = p.parse_args(argv)
    if not args.corpus_root:
        args.corpus_root = None
    if not re.fullmatch(r"[a-z0-9]+", args.server):
        p.error("--server must be lower-case letters and digits")
    password = os.environ.get(args.password_env + args.user)
    if password is None:
        p.error("$%s%s is not set" % (args.password_env, args.user))
    try:
        rec = record(args, password)
    except (OSError, EOFError, RecordError, ssl.SSLError) as e:
        print("record-corpus: %s: %s" % (args.server, e), file=sys.stderr)
        return 1
    print("record-corpus: %s: %d responses written (%d bytes), %d over "
          "%d bytes, %d duplicates" % (args.server, rec.written, rec.bytes,
                                       rec.skipped_big, args.max_size,
                                       rec.duplicates))
    return 0


if __name__ == "__main__":
    sys.exit(main())
