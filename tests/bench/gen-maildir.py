#!/usr/bin/env python3
"""Write COUNT messages straight into a Maildir folder, for the benchmark
against a real Dovecot (tests/bench/fetch-real.sh): far faster than APPEND.

Deterministic (seeded). Headers vary the way real mail does: display names
plain, quoted and RFC 2047 encoded (UTF-8 B and Q, ISO-8859-1 Q), subjects
from short to long with Re:/Fwd: prefixes and some RFC 2047 words, dates in
several zones, To/Cc lists of one to four addresses; bodies from 100 bytes
to about 12 KB, 2% with a base64 attachment of 2-12 KB. Files are named the way
Dovecot names them, with S= (size) and W= (size with CRLF) so RFC822.SIZE
needs no stat, and land in cur/ with flags (:2,S for about 70%).

Usage: gen-maildir.py --folder MAILDIR/.Name --count N [--seed S]
"""
import argparse
import base64
import os
import random
import sys

FIRST = ["Alice", "Bob", "Carol", "Dave", "Erik", "Fatima", "Günther",
         "Hélène", "Ingrid", "Jürgen", "Kenji", "Łukasz", "María", "Nadia",
         "Olaf", "Priya", "Quentin", "Renée", "Søren", "Tomás", "Ulrike",
         "Victor", "Wen", "Xavier", "Yusuf", "Zoë"]
LAST = ["Müller", "Smith", "Dupré", "Jones", "Nakamura", "García", "Kowalski",
        "Olsen", "Schäfer", "Brown", "Chen", "Rossi", "Novák", "Andersson"]
DOMAINS = ["example.org", "example.de", "example.fr", "example.net",
           "lists.example.com", "mail.example.jp"]
WORDS = ("meeting agenda report budget draft review release notes invoice "
         "schedule update question proposal minutes travel deadline server "
         "outage backup migration quarterly results team offsite contract "
         "feedback roadmap security patch newsletter reminder").split()
UMLAUT = ["Grüße aus München", "Réunion du comité", "Überprüfung der Zahlen",
          "Café à Paris", "Smørrebrød til frokost", "日本語のテスト",
          "Ελληνικά νέα", "Zażółć gęślą jaźń", "Año nuevo", "Straße gesperrt"]
ZONES = ["+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900",
         "-0300", "GMT", "+0100 (CET)"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]
LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do "
         "eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim "
         "ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut "
         "aliquip ex ea commodo consequat. ")


def b_word(text, charset="UTF-8"):
    return "=?%s?B?%s?=" % (charset,
                            base64.b64encode(text.encode(charset)).decode())


def q_word(text, charset="UTF-8"):
    out = []
    for byte in text.encode(charset):
        c = chr(byte)
        if c == " ":
            out.append("_")
        elif c.isalnum() and byte < 128:
            out.append(c)
        else:
            out.append("=%02X" % byte)
    return "=?%s?Q?%s?=" % (charset, "".join(out))


def needs_encoding(s):
    return any(ord(c) > 127 for c in s)


def display(rng, name):
    if not needs_encoding(name):
        return '"%s"' % name if rng.random() < 0.3 else name
    try:
        name.encode("iso-8859-1")
        latin = True
    except UnicodeEncodeError:
        latin = False
    r = rng.random()
    if latin and r < 0.3:
        return q_word(name, "ISO-8859-1")
    return b_word(name) if r < 0.65 else q_word(name)


def address(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    local = "%s.%s" % (first.lower(), last.lower())
    local = local.encode("ascii", "ignore").decode() or "user"
    mailbox = "%s@%s" % (local, rng.choice(DOMAINS))
    if rng.random() < 0.1:
        return mailbox
    return "%s <%s>" % (display(rng, "%s %s" % (first, last)), mailbox)


def subject(rng, i):
    r = rng.random()
    if r < 0.2:
        text = rng.choice(UMLAUT)
        enc = b_word(text) if rng.random() < 0.5 else q_word(text)
        s = "%s %d" % (enc, i)
    else:
        n = rng.choice([1, 2, 3, 4, 6, 9, 14])
        s = " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()
        s += " #%d" % i
    p = rng.random()
    if p < 0.25:
        s = "Re: " + s
    elif p < 0.3:
        s = "Fwd: " + s
    elif p < 0.35:
        s = "[team] " + s
    return s


def date(rng, t):
    year, month, day = 2020 + t // 400 % 5, t // 30 % 12, 1 + t % 28
    hh, mm, ss = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    wd = DAYS[(t * 3) % 7]
    return "%s, %d %s %d %02d:%02d:%02d %s" % (wd, day, MONTHS[month], year,
                                              hh, mm, ss, rng.choice(ZONES))


def body(rng):
    size = int(100 * (120 ** rng.random()))  # 100 B .. 12 KB, log-uniform
    text = (LOREM * (size // len(LOREM) + 1))[:size]
    lines = [text[k:k + 72] for k in range(0, len(text), 72)]
    return "\n".join(lines) + "\n"


def message(rng, i):
    headers = [
        "Return-Path: <bounce-%d@example.org>" % i,
        "Message-ID: <bench.%d.%d@imapwb.example>" % (i, rng.randrange(1 << 30)),
        "Date: " + date(rng, i),
        "From: " + address(rng),
        "To: " + ", ".join(address(rng) for _ in range(rng.randrange(1, 4))),
    ]
    if rng.random() < 0.3:
        headers.append("Cc: " + address(rng))
    headers.append("Subject: " + subject(rng, i))
    if rng.random() < 0.25:
        headers.append("In-Reply-To: <bench.%d.0@imapwb.example>" %
                       rng.randrange(max(i, 1)))
    headers.append("MIME-Version: 1.0")
    if rng.random() < 0.02:
        boundary = "b%d" % i
        attach = base64.encodebytes(rng.randbytes(rng.randrange(2000, 12000)))
        headers.append('Content-Type: multipart/mixed; boundary="%s"' %
                       boundary)
        text = ("--%s\nContent-Type: text/plain; charset=utf-8\n\n%s"
                "--%s\nContent-Type: application/octet-stream; "
                'name="data-%d.bin"\nContent-Transfer-Encoding: base64\n\n%s'
                "--%s--\n") % (boundary, body(rng), boundary, i,
                               attach.decode(), boundary)
    else:
        headers.append("Content-Type: text/plain; charset=utf-8")
        text = body(rng)
    return ("\n".join(headers) + "\n\n" + text).encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(args.folder, sub), exist_ok=True)
    cur = os.path.join(args.folder, "cur")
    base = 1700000000
    total = 0
    for i in range(1, args.count + 1):
        data = message(rng, i)
        vsize = len(data) + data.count(b"\n")
        flags = "S" if rng.random() < 0.7 else ""
        if rng.random() < 0.05:
            flags = "F" + flags
        name = "%d.M%dP1.bench,S=%d,W=%d:2,%s" % (base + i, i, len(data),
                                                 vsize, flags)
        with open(os.path.join(cur, name), "wb") as f:
            f.write(data)
        total += len(data)
    print("%d messages, %d bytes" % (args.count, total), file=sys.stderr)


if __name__ == "__main__":
    main()
