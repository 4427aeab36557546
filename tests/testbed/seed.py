#!/usr/bin/python3
"""seed: load the mailgen corpus into a running server, over IMAP.

    seed.py --port P [--host H] [--tls starttls|imaps|none] [--ca CA]
            --corpus DIR [--password-env PREFIX] [--names-out FILE]

For each account of DIR/manifest.json that has folders: log in as the
user (the password is read from the environment variable PREFIX + user,
by default $TB_PASS_alice and so on, never from argv), find the personal
namespace's prefix and separator, CREATE the folders (with USE for the
special-use ones when CREATE-SPECIAL-USE is offered), set subscriptions,
APPEND every message with its flags and INTERNALDATE (one MULTIAPPEND per
folder, with LITERAL+ when offered) and apply the ACLs. Then verify: folder
list, special-use and subscriptions, STATUS MESSAGES, each message's UID
(= its seq in the manifest), FLAGS, RFC822.SIZE and INTERNALDATE, and the
ACLs. The folders must be empty beforehand: this seeds a fresh server.

--names-out writes, per account, the namespace and each folder's exact
server name (modified UTF-7) and decoded name, keyed by the manifest's
components joined with "/":
  {"alice": {"prefix": "INBOX.", "delimiter": ".", "folders":
     {"Projekte/Überprüfung": {"path": [...], "name":
      "INBOX.Projekte.&ANw-berpr&APw-fung", "decoded":
      "INBOX.Projekte.Überprüfung", "special_use": null,
      "uidvalidity": 1700000000}, ...}}}
Prints one summary line; exits 1 with a message on any failure.
"""

import argparse
import base64
import calendar
import imaplib
import json
import os
import re
import sys
import time

sys.dont_write_bytecode = True          # keep __pycache__ out of the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imapctl  # noqa: E402

BIG_TIMEOUT = 600       # a 165 MB APPEND takes a while to be stored
CHUNK = 1 << 20


class SeedError(Exception):
    pass


# ------------------------------------------------ modified UTF-7 (RFC 3501)

def mutf7_encode(name):
    """RFC 3501 5.1.3: printable ASCII stands for itself ("&" is "&-"),
    anything else is UTF-16BE in base64 with "," for "/" and no padding."""
    out, run = [], []

    def flush():
        if run:
            data = "".join(run).encode("utf-16-be")
            b64 = base64.b64encode(data).decode().rstrip("=")
            out.append("&" + b64.replace("/", ",") + "-")
            run.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def mutf7_decode(name):
    out, i = [], 0
    while i < len(name):
        if name[i] != "&":
            out.append(name[i])
            i += 1
            continue
        end = name.index("-", i)
        if end == i + 1:
            out.append("&")
        else:
            b64 = name[i + 1:end].replace(",", "/")
            b64 += "=" * (-len(b64) % 4)
            out.append(base64.b64decode(b64).decode("utf-16-be"))
        i = end + 1
    return "".join(out)


# ---------------------------------------------------- response tokenizer

class Literal(bytes):
    pass


def tokenize(pieces):
    """Turn one response line (bytes, with Literal pieces where the server
    sent literals) into nested lists: bytes for strings and atoms, None for
    NIL, lists for parenthesized lists."""
    stack = [[]]
    for piece in pieces:
        if isinstance(piece, Literal):
            stack[-1].append(bytes(piece))
            continue
        i = 0
        while i < len(piece):
            c = piece[i:i + 1]
            if c == b" ":
                i += 1
            elif c == b"(":
                stack.append([])
                i += 1
            elif c == b")":
                done = stack.pop()
                stack[-1].append(done)
                i += 1
            elif c == b'"':
                m = re.compile(rb'"((?:[^"\\]|\\.)*)"').match(piece, i)
                stack[-1].append(re.sub(rb"\\(.)", rb"\1", m.group(1)))
                i = m.end()
            else:
                m = re.compile(rb'[^ ()"]+').match(piece, i)
                atom = m.group(0)
                stack[-1].append(None if atom.upper() == b"NIL" else atom)
                i = m.end()
    return stack[0]


def response_lines(items):
    """imaplib's untagged data (bytes, and (head, literal) tuples followed
    by the rest of the line) as token lists, one per response line."""
    lines, cur = [], []
    for item in items or []:
        if item is None:
            continue
        if isinstance(item, tuple):
            cur.append(re.sub(rb"\{\d+\+?\}$", b"", item[0]))
            cur.append(Literal(item[1]))
        else:
            cur.append(item)
            lines.append(tokenize(cur))
            cur = []
    return lines


def quote(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def text(b):
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else str(b)


# --------------------------------------------------------- IMAP helpers

def command(conn, name, *args, ok=("OK",), reply=None):
    """Run one command; return (status, tagged text, untagged lines of
    type reply, which defaults to the command's name)."""
    try:
        typ, dat = conn._simple_command(name, *args)
    except imaplib.IMAP4.error as e:
        raise SeedError("%s %s: %s" % (name, " ".join(args), e))
    tagged = text(dat[-1]) if dat and dat[-1] is not None else ""
    _, untagged = conn._untagged_response(typ, dat, reply or name)
    if typ not in ok:
        raise SeedError("%s %s: %s %s" % (name, " ".join(args), typ,
                                          tagged))
    return typ, tagged, response_lines(untagged)


def namespace(conn):
    """(prefix, delimiter) of the personal namespace."""
    if "NAMESPACE" in conn.capabilities:
        _, _, lines = command(conn, "NAMESPACE")
        personal = lines[0][0] if lines and lines[0] else None
        if personal:
            return text(personal[0][0]), text(personal[0][1])
    # No NAMESPACE (rare now): take the separator from LIST "" "", and
    # guess the INBOX. style when INBOX already has children.
    _, _, lines = command(conn, "LIST", '""', '""')
    delim = text(lines[0][1])
    _, _, under = command(conn, "LIST", '""', quote("INBOX" + delim + "%"))
    return ("INBOX" + delim if under else ""), delim


def list_folders(conn):
    """{raw name: set of attributes} with \\Subscribed where subscribed."""
    if "LIST-EXTENDED" in conn.capabilities:
        _, _, lines = command(conn, "LIST", '""', '"*"', "RETURN",
                              "(SPECIAL-USE SUBSCRIBED)")
        return {text(ln[2]): {text(a) for a in ln[0]} for ln in lines}
    _, _, lines = command(conn, "LIST", '""', '"*"')
    boxes = {text(ln[2]): {text(a) for a in ln[0]} for ln in lines}
    _, _, lines = command(conn, "LSUB", '""', '"*"')
    for ln in lines:
        boxes.setdefault(text(ln[2]), {"\\NonExistent"}).add("\\Subscribed")
    return boxes


def server_name(path, prefix, delim):
    if path == ["INBOX"]:
        return "INBOX"
    for c in path:
        if delim in c:
            raise SeedError("folder %r holds the separator %r" % (c, delim))
    return prefix + delim.join(mutf7_encode(c) for c in path)


def parse_internaldate(s):
    """Epoch seconds of an RFC 3501 date-time (day may be space-padded)."""
    m = re.match(r"\s*(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) "
                 r"([+-])(\d\d)(\d\d)$", s)
    if not m:
        raise SeedError("bad INTERNALDATE %r" % s)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
              "Sep", "Oct", "Nov", "Dec"]
    d, mon, y, hh, mm, ss, sign, zh, zm = m.groups()
    t = calendar.timegm((int(y), months.index(mon.capitalize()) + 1, int(d),
                         int(hh), int(mm), int(ss)))
    off = (int(zh) * 60 + int(zm)) * 60
    return t - off if sign == "+" else t + off


# ---------------------------------------------------------------- APPEND

def nonsync_ok(conn, size):
    """Send a literal without waiting for "+" when the server allows it
    (RFC 7888: LITERAL+ always, LITERAL- up to 4096 octets)."""
    caps = conn.capabilities
    return "LITERAL+" in caps or ("LITERAL-" in caps and size <= 4096)


def check_size(path, size):
    """A literal's length is sent before its data: check it first."""
    have = os.path.getsize(path)
    if have != size:
        raise SeedError("%s: %d octets, manifest says %d" % (path, have,
                                                             size))


def send_file(conn, path):
    """Stream one message file: even 165 MB is read once, 1 MiB at a
    time."""
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            conn.send(chunk)


def wait_continuation(conn, tag):
    """Wait for "+" before a synchronizing literal; a tagged reply here
    means the server refused the command."""
    while conn._get_response():
        if conn.tagged_commands[tag]:
            typ, dat = conn.tagged_commands.pop(tag)
            raise SeedError("APPEND refused: %s %s" % (typ, text(dat[-1])))


def append(conn, mailbox, msgs, corpus):
    """APPEND msgs to mailbox in one command (MULTIAPPEND, RFC 3502), or
    one command each.

    The folder must exist (it is checked before): with LITERAL+, a refusal
    after the first message would make the server read the rest of the
    data as commands."""
    for m in msgs:
        check_size(os.path.join(corpus, m["file"]), m["size"])
    batches = [msgs] if "MULTIAPPEND" in conn.capabilities \
        else [[m] for m in msgs]
    for batch in batches:
        tag = conn._new_tag()
        head = tag + b" APPEND " + quote(mailbox).encode()
        for m in batch:
            sync = not nonsync_ok(conn, m["size"])
            head += (" (%s) %s {%d%s}\r\n" % (
                " ".join(m["flags"]), quote(m["internaldate"]), m["size"],
                "" if sync else "+")).encode()
            conn.send(head)
            if sync:
                wait_continuation(conn, tag)
            send_file(conn, os.path.join(corpus, m["file"]))
            head = b""
        conn.send(b"\r\n")
        try:
            typ, dat = conn._command_complete("APPEND", tag)
        except imaplib.IMAP4.error as e:
            raise SeedError("APPEND to %s: %s" % (mailbox, e))
        if typ != "OK":
            raise SeedError("APPEND to %s: %s %s" % (mailbox, typ,
                                                     text(dat[-1])))


# ------------------------------------------------------------- accounts

class Account:
    """Seeds and verifies one user's folders."""

    def __init__(self, conn, user, spec, corpus):
        self.conn, self.user, self.spec, self.corpus = conn, user, spec, corpus
        self.prefix, self.delim = namespace(conn)
        self.names = {}
        for f in spec["folders"]:
            self.names["/".join(f["path"])] = server_name(
                f["path"], self.prefix, self.delim)

    def name(self, folder):
        return self.names["/".join(folder["path"])]

    def create_folders(self):
        existing = list_folders(self.conn)
        special = "CREATE-SPECIAL-USE" in self.conn.capabilities
        for f in self.spec["folders"]:
            name = self.name(f)
            if name in existing or name == "INBOX":
                continue
            args = [quote(name)]
            if f["special_use"] and special:
                args.append("(USE (%s))" % f["special_use"])
            typ, tagged, _ = command(self.conn, "CREATE", *args,
                                     ok=("OK", "NO"))
            if typ == "NO" and "[ALREADYEXISTS]" not in tagged.upper():
                raise SeedError("CREATE %s: NO %s" % (name, tagged))

    def subscribe(self):
        boxes = list_folders(self.conn)
        for f in self.spec["folders"]:
            name = self.name(f)
            now = "\\Subscribed" in boxes.get(name, ())
            if f["subscribed"] and not now:
                command(self.conn, "SUBSCRIBE", quote(name))
            elif now and not f["subscribed"]:
                command(self.conn, "UNSUBSCRIBE", quote(name))

    def messages_in(self, folder):
        return [m for m in self.spec["messages"]
                if m["folder"] == folder["path"]]

    def status(self, name, items="MESSAGES"):
        _, _, lines = command(self.conn, "STATUS", quote(name),
                              "(%s)" % items)
        for line in lines:
            if len(line) >= 2 and isinstance(line[1], list):
                kv = line[1]
                return {text(kv[i]).upper(): int(kv[i + 1])
                        for i in range(0, len(kv) - 1, 2)}
        raise SeedError("no STATUS reply for %s" % name)

    def append_all(self):
        count = 0
        for f in self.spec["folders"]:
            msgs = self.messages_in(f)
            if not msgs:
                continue
            name = self.name(f)
            held = self.status(name)["MESSAGES"]
            if held:
                raise SeedError("%s already holds %d messages: seed needs "
                                "a fresh server" % (name, held))
            append(self.conn, name, msgs, self.corpus)
            count += len(msgs)
        return count

    def acl_of(self, name):
        _, _, lines = command(self.conn, "GETACL", quote(name), reply="ACL")
        acl = {}
        for line in lines:
            items = line[1:]
            for i in range(0, len(items) - 1, 2):
                acl[text(items[i])] = text(items[i + 1])
        return acl

    def apply_acls(self):
        for f in self.spec["folders"]:
            if not f["acl"]:
                continue
            if "ACL" not in self.conn.capabilities:
                raise SeedError("the server has no ACL capability")
            name = self.name(f)
            have = self.acl_of(name)
            for entry in f["acl"]:
                ident, rights = entry["identifier"], entry["rights"]
                if rights:
                    command(self.conn, "SETACL", quote(name), quote(ident),
                            quote(rights))
                elif ident in have:
                    command(self.conn, "DELETEACL", quote(name),
                            quote(ident))

    # ------------------------------------------------------ verification

    def verify(self):
        """Compare what the server holds with the manifest; return the
        names record for --names-out."""
        boxes = list_folders(self.conn)
        folders = {}
        for f in self.spec["folders"]:
            name = self.name(f)
            attrs = boxes.get(name)
            if attrs is None:
                raise SeedError("%s is not in LIST" % name)
            self.verify_attrs(f, name, attrs)
            st = self.status(name, "MESSAGES UIDVALIDITY")
            msgs = self.messages_in(f)
            if st["MESSAGES"] != len(msgs):
                raise SeedError("%s: STATUS MESSAGES %d, manifest %d" % (
                    name, st["MESSAGES"], len(msgs)))
            if msgs:
                self.verify_messages(name, msgs)
            self.verify_acl(f, name)
            folders["/".join(f["path"])] = {
                "path": f["path"], "name": name,
                "decoded": mutf7_decode(name),
                "special_use": f["special_use"],
                "uidvalidity": st["UIDVALIDITY"]}
        return {"prefix": self.prefix, "delimiter": self.delim,
                "folders": folders}

    def verify_attrs(self, f, name, attrs):
        su = {a for a in attrs if a in ("\\Drafts", "\\Sent", "\\Trash",
                                       "\\Junk", "\\Archive", "\\All",
                                       "\\Flagged")}
        if su != ({f["special_use"]} if f["special_use"] else set()):
            raise SeedError("%s: special-use %s, manifest %s" % (
                name, sorted(su) or "none", f["special_use"]))
        if ("\\Subscribed" in attrs) != f["subscribed"]:
            raise SeedError("%s: subscribed is %s, manifest %s" % (
                name, "\\Subscribed" in attrs, f["subscribed"]))

    def verify_messages(self, name, msgs):
        typ, dat = self.conn.select(quote(name), readonly=True)
        if typ != "OK":
            raise SeedError("EXAMINE %s: %s" % (name, dat))
        _, _, lines = command(self.conn, "FETCH", "1:*",
                              "(UID FLAGS RFC822.SIZE INTERNALDATE)")
        got = {}
        for line in lines:
            kv = line[1]
            got[int(line[0])] = {text(kv[i]).upper(): kv[i + 1]
                                 for i in range(0, len(kv) - 1, 2)}
        for m in msgs:
            item = got.get(m["seq"])
            if item is None:
                raise SeedError("%s: no message %d" % (name, m["seq"]))
            flags = {text(x) for x in item["FLAGS"]} - {"\\Recent"}
            checks = [
                ("UID", int(item["UID"]), m["seq"]),
                ("FLAGS", sorted(flags), sorted(m["flags"])),
                ("RFC822.SIZE", int(item["RFC822.SIZE"]), m["size"]),
                ("INTERNALDATE", parse_internaldate(text(
                    item["INTERNALDATE"])), m["internaldate_epoch"])]
            for what, have, want in checks:
                if have != want:
                    raise SeedError("%s message %d (%s): %s is %s, manifest "
                                    "%s" % (name, m["seq"], m["file"], what,
                                            have, want))

    def verify_acl(self, f, name):
        if not f["acl"]:
            return
        acl = self.acl_of(name)
        for entry in f["acl"]:
            have = acl.get(entry["identifier"], "")
            if sorted(have) != sorted(entry["rights"]):
                raise SeedError("%s: %s has rights %r, manifest %r" % (
                    name, entry["identifier"], have, entry["rights"]))


def seed_account(a, user, spec, password):
    conn = None
    try:
        conn = imapctl.connect(a.host, a.port, a.tls, a.ca)
        imapctl.login(conn, user, password)
        conn.sock.settimeout(BIG_TIMEOUT)
        acct = Account(conn, user, spec, a.corpus)
        acct.create_folders()
        acct.subscribe()
        count = acct.append_all()
        acct.apply_acls()
        names = acct.verify()
        conn.logout()
        return count, names
    except (imaplib.IMAP4.error, OSError, SeedError) as e:
        if conn is not None and conn.state != "LOGOUT":
            conn.shutdown()
        # imaplib puts the server's bytes in its messages: b'[...] ...'
        raise SeedError("%s: %s" % (user, re.sub(r"\bb'(.*)'", r"\1",
                                                 str(e))))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--tls", choices=("starttls", "imaps", "none"),
                   default="starttls")
    p.add_argument("--ca")
    p.add_argument("--corpus", required=True)
    p.add_argument("--password-env", default="TB_PASS_", metavar="PREFIX",
                   help="read U's password from $PREFIX<U>")
    p.add_argument("--names-out", metavar="FILE")
    a = p.parse_args(argv)
    start = time.monotonic()
    try:
        with open(os.path.join(a.corpus, "manifest.json"),
                  encoding="utf-8") as f:
            manifest = json.load(f)
        total, names = 0, {}
        for user, spec in manifest["accounts"].items():
            if not spec["folders"]:
                continue
            password = os.environ.get(a.password_env + user)
            if password is None:
                raise SeedError("no password for %s in $%s%s" % (
                    user, a.password_env, user))
            count, names[user] = seed_account(a, user, spec, password)
            total += count
        if a.names_out:
            tmp = a.names_out + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(names, f, ensure_ascii=False, indent=1)
                f.write("\n")
            os.replace(tmp, a.names_out)
    except (SeedError, OSError, ValueError, KeyError) as e:
        print("seed: FAILED on port %d: %s" % (a.port, e), file=sys.stderr)
        return 1
    print("seed: %d messages in %d accounts on port %d, verified, %.2f s" % (
        total, len(names), a.port, time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
