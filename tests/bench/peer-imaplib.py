#!/usr/bin/env python3
"""The python imaplib peer of scripts/bench: one workload, plaintext on
127.0.0.1, as a script would do it with the standard library.

  W1  UID FETCH 1:* (UID RFC822.SIZE)
  W2  FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)
  W3  the 20 largest: UID SORT (REVERSE SIZE), then their sizes
  W4  BODY.PEEK[] of --uid to --output

Prints one line: the workload and how many responses (or bytes) it got.

Usage: peer-imaplib.py --port P --user U --password-file F W [--uid N]
       [--output FILE]
"""
import argparse
import imaplib
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--uid")
    ap.add_argument("--output")
    ap.add_argument("workload", choices=["W1", "W2", "W3", "W4"])
    args = ap.parse_args()
    with open(args.password_file) as f:
        password = f.readline().rstrip("\r\n")
    # imaplib refuses lines above 10 kB by default; Dovecot's are below.
    imaplib._MAXLINE = 10 * 1024 * 1024
    m = imaplib.IMAP4("127.0.0.1", args.port)
    m.login(args.user, password)
    m.select("INBOX", readonly=True)
    if args.workload == "W1":
        typ, data = m.uid("FETCH", "1:*", "(UID RFC822.SIZE)")
        count = len(data)
    elif args.workload == "W2":
        typ, data = m.fetch("1:*", "(UID FLAGS RFC822.SIZE ENVELOPE)")
        # a response with a literal comes as a tuple and a tail (b")")
        count = sum(1 for d in data if isinstance(d, tuple) or
                    d[:1].isdigit())
    elif args.workload == "W3":
        typ, data = m.uid("SORT", "(REVERSE SIZE)", "UTF-8", "ALL")
        uids = data[0].split()[:20]
        typ, data = m.uid("FETCH", b",".join(uids).decode(),
                          "(UID RFC822.SIZE)")
        count = len(data)
    else:
        typ, data = m.uid("FETCH", args.uid, "(BODY.PEEK[])")
        body = data[0][1]
        with open(args.output, "wb") as f:
            f.write(body)
            f.flush()
        count = len(body)
    if typ != "OK":
        sys.exit("peer-imaplib: %s failed: %s" % (args.workload, typ))
    m.logout()
    print(args.workload, count)


if __name__ == "__main__":
    main()
