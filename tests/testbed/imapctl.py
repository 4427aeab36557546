#!/usr/bin/python3
"""imapctl: the test bed's independent reference IMAP client.

Built on Python's imaplib, so the tests can set up servers and check what
a server really holds without trusting imapwb itself.

    imapctl.py [conn opts] caps              capabilities before login
    imapctl.py [conn opts] --user U caps     capabilities after login
    imapctl.py [conn opts] --user U raw CMD ARGS...   one command, raw reply
    imapctl.py [conn opts] --user U select MAILBOX [CRITERIA...]
                                      EXISTS (read-only), then UID SEARCH
    imapctl.py [conn opts] --user U fetch MAILBOX UIDSET ITEMS...
    imapctl.py [conn opts] --user U append MAILBOX FILE
    imapctl.py [conn opts] --user U store MAILBOX UIDSET ITEM FLAGS
                                      UID STORE (read-write), no EXPUNGE
    imapctl.py [conn opts] --user U fill MAILBOX COUNT
                                      CREATE it, then MULTIAPPEND COUNT
                                      small messages ("Bulk N" subjects)
    imapctl.py [conn opts] --user U expunge MAILBOX UIDSET
                                      \\Deleted, then UID EXPUNGE (UIDPLUS)
                                      of exactly those UIDs

Connection options: --host, --port, --tls {starttls,imaps,none}, --ca FILE.
--stamp FILE writes the time the command returned (epoch milliseconds),
before LOGOUT, for tests that time what another client sees after it.
Login: --user U --password P (or $IMAPCTL_PASSWORD) [--authzid Z]
[--mech LOGIN|PLAIN].  With --authzid, PLAIN is used (RFC 4616).
"""

import argparse
import imaplib
import os
import ssl
import sys
import time


def tls_context(cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def connect(host, port, tls="starttls", cafile=None, timeout=30):
    """Open a connection; STARTTLS is required in 'starttls' mode."""
    if tls == "imaps":
        conn = imaplib.IMAP4_SSL(host, port, ssl_context=tls_context(cafile),
                                 timeout=timeout)
    else:
        conn = imaplib.IMAP4(host, port, timeout=timeout)
        if tls == "starttls":
            conn.starttls(ssl_context=tls_context(cafile))
    return conn


def login(conn, user, password, authzid=None, mech=None):
    if authzid or (mech or "").upper() == "PLAIN":
        blob = "%s\0%s\0%s" % (authzid or "", user, password)
        conn.authenticate("PLAIN", lambda _: blob.encode("utf-8"))
    else:
        conn.login(user, password)
    # imaplib keeps the pre-login list; ask again, servers change it.
    typ, data = conn.capability()
    if typ != "OK":
        raise imaplib.IMAP4.error("CAPABILITY failed after login")
    conn.capabilities = tuple(data[-1].decode().upper().split())


def add_connection_args(p):
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--tls", choices=("starttls", "imaps", "none"),
                   default="starttls")
    p.add_argument("--ca")
    p.add_argument("--user")
    p.add_argument("--password", default=os.environ.get("IMAPCTL_PASSWORD"))
    p.add_argument("--authzid")
    p.add_argument("--mech")


def open_from_args(a):
    conn = connect(a.host, a.port, a.tls, a.ca)
    if a.user:
        login(conn, a.user, a.password, a.authzid, a.mech)
    return conn


def cmd_caps(conn, _a):
    for cap in conn.capabilities:
        print(cap)
    return 0


# Untagged replies named otherwise than their command (RFC 2087, 4314,
# 5464); raw prints these too.
RAW_REPLIES = {
    "GETQUOTAROOT": ("QUOTAROOT", "QUOTA"),
    "GETQUOTA": ("QUOTA",),
    "GETACL": ("ACL",),
    "GETMETADATA": ("METADATA",),
}


def cmd_raw(conn, a):
    name = a.words[0].upper()
    # imaplib refuses commands it does not know (LISTRIGHTS, ...).
    imaplib.Commands.setdefault(name, ("AUTH", "SELECTED"))
    typ, data = conn._simple_command(a.words[0], *a.words[1:])
    # On NO, imaplib hands back the tagged text, once is enough.
    replies = RAW_REPLIES.get(name, (name,)) if typ != "NO" else (name,)
    for reply in replies:
        _, untagged = conn._untagged_response(typ, data, reply)
        for item in untagged or []:
            if isinstance(item, tuple):
                item = b" ".join(item)
            if item is not None:
                print(item.decode("utf-8", "replace"))
    print(typ)
    return 0 if typ == "OK" else 1


def cmd_select(conn, a):
    """select MAILBOX [SEARCH CRITERIA...]: EXISTS, then UIDs found."""
    typ, data = conn.select(imaplib_quote(a.words[0]), readonly=True)
    if typ != "OK":
        print("select: %s" % data[0].decode("utf-8", "replace"))
        return 1
    print("exists %s" % data[0].decode())
    if len(a.words) > 1:
        typ, data = conn.uid("SEARCH", *a.words[1:])
        if typ != "OK":
            return 1
        print("search %s" % data[0].decode().strip())
    return 0


def cmd_fetch(conn, a):
    """fetch MAILBOX UIDSET ITEMS: the FETCH responses, one a line."""
    typ, data = conn.select(imaplib_quote(a.words[0]), readonly=True)
    if typ != "OK":
        return 1
    typ, data = conn.uid("FETCH", a.words[1], " ".join(a.words[2:]))
    for item in data:
        if isinstance(item, tuple):
            item = item[0]
        if item:
            print(item.decode("utf-8", "replace"))
    return 0 if typ == "OK" else 1


def cmd_append(conn, a):
    """append MAILBOX FILE: APPEND the file's bytes; print the APPENDUID."""
    with open(a.words[1], "rb") as f:
        data = f.read()
    typ, resp = conn.append(imaplib_quote(a.words[0]), None, None, data)
    print(resp[0].decode("utf-8", "replace") if resp and resp[0] else typ)
    return 0 if typ == "OK" else 1


def cmd_store(conn, a):
    """store MAILBOX UIDSET ITEM FLAGS: e.g. 5 +FLAGS (\\Deleted); the
    mailbox is left with LOGOUT, never CLOSE, so nothing is expunged."""
    typ, data = conn.select(imaplib_quote(a.words[0]))
    if typ != "OK":
        return 1
    typ, data = conn.uid("STORE", a.words[1], a.words[2],
                         " ".join(a.words[3:]))
    for item in data:
        if item:
            print(item.decode("utf-8", "replace"))
    return 0 if typ == "OK" else 1


def bulk_message(n):
    return ("From: Bulk Sender <bulk@example.org>\r\n"
            "To: alice@example.org\r\n"
            "Subject: Bulk %d\r\n"
            "Date: Mon, 4 Dec 2023 10:00:00 +0000\r\n"
            "Message-ID: <bulk-%d@example.org>\r\n"
            "\r\n"
            "Message %d of a bulk mailbox.\r\n" % (n, n, n)).encode()


def cmd_fill(conn, a):
    """fill MAILBOX COUNT: RFC 3502 MULTIAPPEND with LITERAL+ literals
    (imaplib sends one literal a command), 500 messages a command, so a
    large mailbox takes a second instead of a minute."""
    box, count = imaplib_quote(a.words[0]), int(a.words[1])
    if "LITERAL+" not in conn.capabilities or \
            "MULTIAPPEND" not in conn.capabilities:
        print("imapctl: fill needs LITERAL+ and MULTIAPPEND", file=sys.stderr)
        return 1
    conn.create(box)  # it may exist: the APPEND says if it is unusable
    n = 1
    while n <= count:
        tag = conn._new_tag()
        parts = [tag + b" APPEND " + box.encode()]
        for i in range(n, min(n + 500, count + 1)):
            msg = bulk_message(i)
            parts.append(b" {%d+}\r\n" % len(msg) + msg)
        conn.send(b"".join(parts) + b"\r\n")
        typ, data = conn._command_complete("APPEND", tag)
        if typ != "OK":
            print("imapctl: APPEND: %s" % data, file=sys.stderr)
            return 1
        n += 500
    print(count)
    return 0


def cmd_expunge(conn, a):
    """expunge MAILBOX UIDSET: remove exactly these messages (RFC 4315
    UID EXPUNGE, so no other \\Deleted message goes)."""
    typ, data = conn.select(imaplib_quote(a.words[0]))
    if typ != "OK":
        return 1
    typ, data = conn.uid("STORE", a.words[1], "+FLAGS.SILENT", "(\\Deleted)")
    if typ != "OK":
        return 1
    imaplib.Commands.setdefault("EXPUNGE", ("SELECTED",))
    typ, data = conn.uid("EXPUNGE", a.words[1])
    print(typ)
    return 0 if typ == "OK" else 1


def imaplib_quote(name):
    """imaplib sends arguments as they are: quote what is not an atom."""
    if name and all(c.isalnum() or c in "&-._/+" for c in name):
        return name
    return '"%s"' % name.replace("\\", "\\\\").replace('"', '\\"')


COMMANDS = {"caps": cmd_caps, "raw": cmd_raw, "select": cmd_select,
            "fetch": cmd_fetch, "append": cmd_append, "store": cmd_store,
            "fill": cmd_fill, "expunge": cmd_expunge}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_connection_args(p)
    p.add_argument("command", choices=sorted(COMMANDS))
    p.add_argument("words", nargs="*")
    p.add_argument("--stamp")
    a = p.parse_args(argv)
    try:
        conn = open_from_args(a)
        rc = COMMANDS[a.command](conn, a)
        if a.stamp:
            with open(a.stamp, "w") as f:
                f.write("%d\n" % int(time.time() * 1000))
        try:
            conn.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
        return rc
    except (imaplib.IMAP4.error, OSError, ssl.SSLError) as e:
        print("imapctl: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
