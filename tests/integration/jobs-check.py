#!/usr/bin/python3
"""jobs-check: expected values for tests/integration/jobs.sh, computed from
the corpus manifest (and the generated .eml files), never from imapwb.

    jobs-check.py CORPUS NAMES top N [MIN_SIZE] [FOLDER]
        the N largest of alice's messages (of MIN_SIZE bytes or more, in
        FOLDER, a "/"-joined path, if given), largest first, one a line:
        "mailbox|uid|size" with the server's decoded mailbox name
    jobs-check.py CORPUS NAMES rows < JSON_LINES
        imapwb's --largest --json rows as "mailbox|uid|size" lines
    jobs-check.py CORPUS NAMES row KEY
        "uidvalidity|subject|part|type|size" expected for message KEY
        (its largest leaf part, message/rfc822 looked into)
    jobs-check.py CORPUS NAMES find FOLDER KEY
        "uid size sha256 uidvalidity" of message KEY in FOLDER
    jobs-check.py CORPUS NAMES part KEY
        "part sha256 encoding": the first base64 or quoted-printable
        leaf of message KEY, with the sha256 of its decoded payload
        (Python's email package does the decoding)
"""

import email
import email.policy
import hashlib
import json
import os
import sys


def load(corpus, names_path):
    with open(os.path.join(corpus, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    with open(names_path, encoding="utf-8") as f:
        names = json.load(f)
    return manifest["accounts"]["alice"]["messages"], names["alice"]


def folder_info(names, path):
    return names["folders"]["/".join(path)]


def top(msgs, names, n, min_size=0, folder=None):
    chosen = [m for m in msgs if m["size"] >= min_size and
              (folder is None or "/".join(m["folder"]) == folder)]
    chosen.sort(key=lambda m: -m["size"])
    for m in chosen[:n]:
        print("%s|%d|%d" % (folder_info(names, m["folder"])["decoded"],
                            m["seq"], m["size"]))


def rows():
    for line in sys.stdin:
        if line.strip():
            r = json.loads(line)
            print("%s|%d|%d" % (r["mailbox"], r["uid"], r["size"]))


def by_key(msgs, key):
    return next(m for m in msgs if m["key"] == key)


def largest_leaf(parts):
    best = None
    for p in parts:
        if p["type"] == "message/rfc822":
            continue
        if best is None or p["size"] > best["size"]:
            best = p
    return best


def row(msgs, names, key):
    m = by_key(msgs, key)
    leaf = largest_leaf(m["parts"])
    print("%d|%s|%s|%s|%d" % (folder_info(names, m["folder"])["uidvalidity"],
                              m["subject"], leaf["part"], leaf["type"],
                              leaf["size"]))


def find(msgs, names, folder, key):
    m = by_key(msgs, key)
    assert "/".join(m["folder"]) == folder
    print("%d %d %s %d" % (m["seq"], m["size"], m["sha256"],
                           folder_info(names, m["folder"])["uidvalidity"]))


def imap_parts(msg, prefix=""):
    """(number, leaf) in IMAP numbering, for multipart messages."""
    if not msg.is_multipart():
        yield (prefix or "1"), msg
        return
    for i, sub in enumerate(msg.get_payload(), 1):
        number = "%s.%d" % (prefix, i) if prefix else str(i)
        if sub.is_multipart():
            yield from imap_parts(sub, number)
        else:
            yield number, sub


def part(corpus, msgs, key):
    m = by_key(msgs, key)
    # from bytes: a binary file would be read with universal newlines,
    # and quoted-printable text decodes to CRLF line ends here
    with open(os.path.join(corpus, m["file"]), "rb") as f:
        msg = email.message_from_bytes(f.read(),
                                       policy=email.policy.compat32)
    for number, leaf in imap_parts(msg):
        cte = (leaf.get("Content-Transfer-Encoding") or "").lower()
        if cte in ("base64", "quoted-printable"):
            data = leaf.get_payload(decode=True)
            print("%s %s %s" % (number, hashlib.sha256(data).hexdigest(),
                                cte))
            return
    sys.exit("no encoded part in " + key)


def main():
    corpus, names_path, cmd = sys.argv[1:4]
    args = sys.argv[4:]
    msgs, names = load(corpus, names_path)
    if cmd == "top":
        top(msgs, names, int(args[0]), int(args[1]) if len(args) > 1 else 0,
            args[2] if len(args) > 2 else None)
    elif cmd == "rows":
        rows()
    elif cmd == "row":
        row(msgs, names, args[0])
    elif cmd == "find":
        find(msgs, names, args[0], args[1])
    elif cmd == "part":
        part(corpus, msgs, args[0])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
