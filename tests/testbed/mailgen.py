#!/usr/bin/python3
"""mailgen: the test bed's deterministic mail corpus.

    mailgen.py --out DIR [--large]             write the corpus into DIR
    mailgen.py --out DIR [--large] --check     exit 0 if DIR already holds
                                               this script's corpus
    mailgen.py --out DIR --selftest            re-read DIR with Python's
                                               email package and compare

The corpus is the same bytes on every run (fixed dates, seeded data, no
clock or host name), so tests can assert exact values. DIR/msgs/*.eml are
RFC 5322 messages with CRLF line ends; DIR/manifest.json is the single
source of truth the tests compare against. It is written last, so its
presence means the corpus is complete.

Accounts: alice holds about 50 messages in twelve folders (INBOX, Entwürfe,
日本語, Projekte, Projekte/Überprüfung, Archiv, Archiv/2023, Archiv/2023/Q4
and the special-use Drafts, Sent, Trash, Junk); bob holds five; admin none.
Folders are lists of path components, because the servers differ in
prefix and separator. Coverage: text/plain in us-ascii, utf-8, iso-8859-1
and iso-2022-jp with 7bit, 8bit, quoted-printable and base64 bodies; a
message with no MIME headers at all; multipart/mixed, multipart/alternative,
nested multiparts and an attached message/rfc822; attachment file names
plain, RFC 2231 (also with continuations) and RFC 2047; RFC 2047 subjects
and display names (B and Q, utf-8 and iso-8859-1), long subjects folded
over several lines with adjacent encoded words, a mixed-charset subject and
one encoded word in an unknown charset; group syntax, Cc, Bcc, Reply-To,
Sender, In-Reply-To; Date headers in many time zones; \\Seen, \\Answered,
\\Flagged, \\Deleted (three in INBOX), \\Draft and the keyword $Label1;
big messages of about 5, 12 and 20 MB. With --large, one more message of
about 165 MB lands in Archiv/2023/Q4: "the one mail that broke a migration".

manifest.json: {"format", "generator": {"script_sha256", "large"},
"accounts": {user: {"folders": [{"path", "special_use", "subscribed",
"acl": [{"identifier", "rights"}], "messages" (count), "size" (sum)}],
"messages": [...]}}}. Each message has a unique "key" ("utf8-qp",
"bad-encoded-word", "big-20mb", "huge-165mb", ...) for tests to find it by,
an "about" line, "file", "account", "folder", "flags" and "sha256".
Its values are what a correct client shows, as IMAP reports them (checked
against both test servers' ENVELOPE and BODYSTRUCTURE):
  subject       decoded text (null if there is no Subject header); an
                undecodable encoded word stays as it is (RFC 2047 6.3)
  subject_raw   the header value, unfolded (CRLFs removed)
  date          the Date header value, unfolded (ENVELOPE date)
  from, sender, reply_to, to, cc, bcc
                lists of {"name": decoded or null, "addr": "local@domain"};
                a group is {"group": name, "members": [...]} (in ENVELOPE a
                start marker (NIL NIL name NIL), the members, and an end
                marker (NIL NIL NIL NIL)); sender and reply_to equal from
                when the header is absent (RFC 3501 ENVELOPE rule)
  size          octets of the file = RFC822.SIZE
  internaldate  RFC 3501 date-time to APPEND with (and _iso, _epoch);
                servers answer in their own zone, so compare _epoch
  seq           position in its folder = expected UID in a fresh folder
  structure     e.g. "multipart/mixed(text/plain,message/rfc822[...])"
  parts         every non-multipart part in BODYSTRUCTURE order: part
                number ("1", "2.1"), type, charset (text parts default to
                us-ascii), encoding (default 7bit), disposition, filename
                (decoded; servers pass parameters through raw, both
                joining RFC 2231 continuations into one "filename*"
                value), size (octets of the encoded body: after the part
                header's blank line, up to but not including the CRLF that
                belongs to the next boundary) and lines (text/* and
                message/rfc822 only: the number of LFs in the body)
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import quopri
import re
import sys
import urllib.parse

FORMAT = 1
CRLF = b"\r\n"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ALICE = "alice@example.org"
BOB = "bob@example.org"


# ---------------------------------------------------------------- headers

def b_word(text, charset="UTF-8"):
    data = text.encode(charset)
    return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode())


# RFC 2047 5(3): in a phrase only these may stand for themselves.
Q_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                   b"0123456789!*+-/")


def q_word(text, charset="UTF-8"):
    out = []
    for byte in text.encode(charset):
        if byte == 0x20:
            out.append("_")
        elif byte in Q_SAFE:
            out.append(chr(byte))
        else:
            out.append("=%02X" % byte)
    return "=?%s?Q?%s?=" % (charset, "".join(out))


def encoded_words(text, charset="UTF-8", enc="B", limit=66):
    """Split text into encoded words of whole characters (RFC 2047 5)."""
    make = b_word if enc == "B" else q_word
    words, cur = [], ""
    for ch in text:
        if cur and len(make(cur + ch, charset)) > limit:
            words.append(make(cur, charset))
            cur = ""
        cur += ch
    if cur:
        words.append(make(cur, charset))
    return words


def fold(words):
    """Join encoded words, one per line: the folding whitespace between
    adjacent encoded words is dropped when decoding."""
    return "\r\n ".join(words)


def unfold(value):
    return value.replace("\r\n", "")


class Subject:
    def __init__(self, raw, text):
        self.raw, self.text = raw, text


def subj(text, charset=None, enc="B", limit=66):
    """A subject, encoded (and folded when long) if a charset is given."""
    if charset is None:
        return Subject(text, text)
    return Subject(fold(encoded_words(text, charset, enc, limit)), text)


ATEXT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                  "0123456789!#$%&'*+-/=?^_`{|}~ ")


class Addr:
    """A mailbox; enc is None (plain phrase), "B"/"Q" with a charset."""

    def __init__(self, name, addr, enc=None, charset="UTF-8"):
        self.name, self.addr = name, addr
        self.enc, self.charset = enc, charset

    def phrase(self):
        if self.enc == "B":
            return b_word(self.name, self.charset)
        if self.enc == "Q":
            return q_word(self.name, self.charset)
        if all(c in ATEXT for c in self.name):
            return self.name
        return '"%s"' % self.name.replace("\\", "\\\\").replace('"', '\\"')

    def raw(self):
        if self.name is None:
            return self.addr
        return "%s <%s>" % (self.phrase(), self.addr)

    def json(self):
        return {"name": self.name, "addr": self.addr}


class Group:
    def __init__(self, name, members=()):
        self.name, self.members = name, list(members)

    def raw(self):
        return "%s:%s;" % (self.name,
                           " " + ", ".join(m.raw() for m in self.members)
                           if self.members else "")

    def json(self):
        return {"group": self.name,
                "members": [m.json() for m in self.members]}


def addr_header(items):
    """An address list, folded between addresses when long, as MUAs do."""
    raws = [i.raw() for i in items]
    return (",\r\n " if len(", ".join(raws)) > 70 else ", ").join(raws)


class When:
    """A fixed moment with a UTC offset such as "+0100"."""

    def __init__(self, y, mo, d, h, mi, s, zone):
        sign = -1 if zone[0] == "-" else 1
        off = datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:]))
        tz = datetime.timezone(sign * off)
        self.dt = datetime.datetime(y, mo, d, h, mi, s, tzinfo=tz)
        self.zone = zone

    def later(self, seconds):
        t = self.dt + datetime.timedelta(seconds=seconds)
        return When(t.year, t.month, t.day, t.hour, t.minute, t.second,
                    self.zone)

    def rfc5322(self):
        days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        t = self.dt
        return "%s, %02d %s %d %02d:%02d:%02d %s" % (
            days[t.weekday()], t.day, MONTHS[t.month - 1], t.year,
            t.hour, t.minute, t.second, self.zone)

    def rfc3501(self):
        t = self.dt
        return "%02d-%s-%d %02d:%02d:%02d %s" % (
            t.day, MONTHS[t.month - 1], t.year, t.hour, t.minute,
            t.second, self.zone)

    def iso(self):
        return self.dt.isoformat()

    def epoch(self):
        return int(self.dt.timestamp())


# ------------------------------------------------------------ MIME tree

class Bytes:
    """A body held in memory."""

    def __init__(self, data):
        self.data = data
        self.size = len(data)
        self.lines = data.count(b"\n")

    def chunks(self):
        yield self.data


class RandomBase64:
    """Seeded pseudo-random octets, base64 in 76-column CRLF lines, made
    chunk by chunk so even 165 MB never sits in memory whole.

    SHAKE-256 in counter mode rather than the random module: its output
    is fixed by the standard, not by the Python version."""

    CHUNK = 57 * 16384          # whole base64 lines per chunk

    def __init__(self, seed, octets):
        self.seed, self.octets = seed.encode(), octets
        full, rest = divmod(octets, 57)
        self.lines = full + (1 if rest else 0)
        self.size = full * 78 + ((rest + 2) // 3 * 4 + 2 if rest else 0)

    def raw_chunks(self):
        done, n = 0, 0
        while done < self.octets:
            want = min(self.CHUNK, self.octets - done)
            yield hashlib.shake_256(self.seed + b"/%d" % n).digest(want)
            done += want
            n += 1

    def chunks(self):
        for raw in self.raw_chunks():
            enc = base64.b64encode(raw)
            yield b"\r\n".join(enc[i:i + 76]
                               for i in range(0, len(enc), 76)) + CRLF


def param(key, value):
    """One Content-Type/-Disposition parameter, quoted when needed."""
    if key.endswith("*") or all(c.isascii() and c.isalnum() or c in "-._"
                                for c in value):
        return "%s=%s" % (key, value)
    return '%s="%s"' % (key, value.replace("\\", "\\\\").replace('"', '\\"'))


def rfc2231(value, charset="utf-8"):
    return "%s''%s" % (charset, urllib.parse.quote(value.encode(charset),
                                                   safe=""))


def filename_params(key, filename, style):
    """File name parameters in one of the styles MUAs use."""
    if style == "plain":
        return [(key, filename)]
    if style == "rfc2047":
        return [(key, b_word(filename) if key == "name"
                 else q_word(filename))]
    if style == "rfc2231":
        return [(key + "*", rfc2231(filename))]
    if style == "rfc2231-cont":
        # Cut between %XX escapes, never inside one; a UTF-8 character
        # may still straddle two segments, as RFC 2231 allows.
        toks = re.findall(r"%[0-9A-F]{2}|[^%]", rfc2231(filename))
        cut = ["".join(toks[i:i + 14]) for i in range(0, len(toks), 14)]
        return [("%s*%d*" % (key, i), c) for i, c in enumerate(cut)]
    raise ValueError(style)


class Leaf:
    def __init__(self, ctype, body, encoding=None, charset=None,
                 disposition=None, filename=None, style="plain"):
        self.ctype, self.body = ctype, body
        self.encoding, self.charset = encoding, charset
        self.disposition, self.filename = disposition, filename
        self.style = style

    def headers(self):
        ct = [self.ctype]
        if self.charset:
            ct.append(param("charset", self.charset))
        if self.filename and self.disposition == "attachment":
            ct += [param(k, v) for k, v in
                   filename_params("name", self.filename, self.style)]
        out = [("Content-Type", ";\r\n\t".join(ct) if len(ct) > 2
                else "; ".join(ct))]
        if self.encoding:
            out.append(("Content-Transfer-Encoding", self.encoding))
        if self.disposition:
            cd = [self.disposition]
            if self.filename:
                cd += [param(k, v) for k, v in
                       filename_params("filename", self.filename,
                                       self.style)]
            out.append(("Content-Disposition", ";\r\n ".join(cd)))
        return out

    def chunks(self):
        return self.body.chunks()


class Multipart:
    def __init__(self, subtype, parts, boundary, preamble=b""):
        self.subtype, self.parts = subtype, parts
        self.boundary, self.preamble = boundary, preamble

    def headers(self):
        return [("Content-Type", 'multipart/%s;\r\n\tboundary="%s"'
                 % (self.subtype, self.boundary))]

    def chunks(self):
        b = self.boundary.encode()
        yield self.preamble
        for i, part in enumerate(self.parts):
            # RFC 2046 5.1.1: the CRLF before "--boundary" belongs to the
            # delimiter, not to the part before it.
            yield (CRLF if i or self.preamble else b"") + b"--" + b + CRLF
            yield from render_entity(part)
        yield CRLF + b"--" + b + b"--" + CRLF


class Attached:
    """A message/rfc822 part."""

    def __init__(self, message):
        self.message = message
        self.data = b"".join(message.chunks())

    def headers(self):
        return [("Content-Type", "message/rfc822"),
                ("Content-Disposition", "inline")]

    def chunks(self):
        yield self.data


class Message:
    def __init__(self, headers, body, mime=True):
        self.hdrs, self.body, self.mime = headers, body, mime

    def all_headers(self):
        hs = [(k, v) for k, v in self.hdrs if v is not None]
        if self.mime:
            hs.append(("MIME-Version", "1.0"))
            hs += self.body.headers()
        return hs

    def chunks(self):
        yield b"".join(("%s: %s" % kv).encode("ascii") + CRLF
                       for kv in self.all_headers()) + CRLF
        yield from self.body.chunks()

    def header(self, name):
        for k, v in self.hdrs:
            if k.lower() == name.lower():
                return v
        return None


def render_entity(node):
    yield b"".join(("%s: %s" % kv).encode("ascii") + CRLF
                   for kv in node.headers()) + CRLF
    yield from node.chunks()


# ------------------------------------------------------- body summaries

def leaf_summary(node, number):
    if isinstance(node, Attached):
        entry = {"part": number, "type": "message/rfc822", "charset": None,
                 "encoding": "7bit", "disposition": "inline",
                 "filename": None, "size": len(node.data),
                 "lines": node.data.count(b"\n")}
        inner = node.message.body
        if isinstance(inner, Multipart):
            return [entry] + parts_summary(inner, number)
        return [entry] + leaf_summary(inner, number + ".1")
    text = node.ctype.startswith("text/")
    entry = {"part": number, "type": node.ctype,
             "charset": (node.charset or "us-ascii").lower() if text
             else node.charset,
             "encoding": (node.encoding or "7bit").lower(),
             "disposition": node.disposition, "filename": node.filename,
             "size": node.body.size}
    if text:
        entry["lines"] = node.body.lines
    return [entry]


def parts_summary(node, prefix=""):
    """Non-multipart parts in IMAP part numbering (RFC 9051 6.4.5)."""
    if not isinstance(node, Multipart):
        return leaf_summary(node, "1")
    out = []
    for i, child in enumerate(node.parts, 1):
        number = "%s.%d" % (prefix, i) if prefix else str(i)
        if isinstance(child, Multipart):
            out += parts_summary(child, number)
        else:
            out += leaf_summary(child, number)
    return out


def shape(node):
    if isinstance(node, Multipart):
        return "multipart/%s(%s)" % (node.subtype,
                                     ",".join(shape(p) for p in node.parts))
    if isinstance(node, Attached):
        return "message/rfc822[%s]" % shape(node.message.body)
    return node.ctype


# ----------------------------------------------------- body constructors

def text_body(text, charset="us-ascii", encoding="7bit"):
    """Text (with LF line ends) in canonical CRLF form, encoded."""
    data = text.encode(charset)
    if encoding in ("7bit", "8bit"):
        return Bytes(data.replace(b"\n", CRLF))
    if encoding == "quoted-printable":
        return Bytes(quopri.encodestring(data).replace(b"\n", CRLF))
    if encoding == "base64":
        return Bytes(b64_lines(data.replace(b"\n", CRLF)))
    raise ValueError(encoding)


def b64_lines(data):
    return base64.encodebytes(data).replace(b"\n", CRLF)


def text(content, charset="us-ascii", encoding="7bit", subtype="plain",
         **kw):
    return Leaf("text/" + subtype, text_body(content, charset, encoding),
                encoding, charset, **kw)


def blob(seed, octets, magic=b""):
    """Small binary attachment content: a magic prefix, then noise."""
    noise = hashlib.shake_256(seed.encode()).digest(octets - len(magic))
    return Bytes(b64_lines(magic + noise))


def attachment(ctype, filename, body, style="plain", disposition=None):
    return Leaf(ctype, body, "base64", disposition=disposition or
                "attachment", filename=filename, style=style)


# ------------------------------------------------------------ the corpus

PEOPLE = {
    "alice": Addr("Alice Liddell", ALICE),
    "bob": Addr("Bob Builder", BOB),
    "juergen": Addr("Jürgen Müller", "juergen.mueller@example.de", "Q"),
    "helene": Addr("Hélène Dupré", "helene.dupre@example.fr", "B",
                   "ISO-8859-1"),
    "soren": Addr("Søren Kierkegaard", "soren@example.dk", "Q",
                  "ISO-8859-1"),
    "carol": Addr("Carol Jones", "carol@example.net"),
    "dana": Addr("Dana Scully", "dana@example.org"),
    "doe": Addr("Doe, John", "john.doe@example.com"),
    "news": Addr("Example News", "news@example.com"),
    "tanaka": Addr("田中太郎", "tanaka@example.jp", "B", "ISO-2022-JP"),
    "sato": Addr("佐藤花子", "sato@example.jp", "B"),
    "erik": Addr(None, "erik@example.se"),
    "post": Addr("Postmaster", "postmaster@example.org"),
    "ops": Addr("Ops Team", "ops@example.org"),
}


def P(*names):
    return [PEOPLE[n] for n in names]


GERMAN = ("Hallo Alice,\n\nviele Grüße aus München! Die Überprüfung ist "
          "abgeschlossen, die Änderungen sind übernommen.\n\n"
          "Beste Grüße\nJürgen\n")
FRENCH = ("Bonjour Alice,\n\nLa réunion du comité aura lieu à 14h00 dans la "
          "salle « Étoile ». Merci de préparer le compte rendu de la "
          "dernière séance, ainsi que les chiffres du trimestre.\n\n"
          "À bientôt,\nHélène\n")
JAPANESE = ("アリスさん\n\n会議の資料を添付します。ご確認のほど、"
            "よろしくお願いいたします。\n\n田中\n")
LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do "
         "eiusmod tempor incididunt ut labore et dolore magna aliqua.\n")


class Spec:
    """One message to generate: where it goes, its flags and its form."""

    def __init__(self, key, about, account, folder, flags, when, message,
                 idate=None):
        self.key, self.about = key, about
        self.account, self.folder = account, folder
        self.flags, self.when, self.message = flags, when, message
        self.idate = idate or when.later(97)


class Corpus:
    """Collects specs; the helpers below keep each message to a few
    lines."""

    def __init__(self):
        self.specs = []

    def add(self, key, account, folder, when, subject, frm, to,
            body, flags=(), about="", cc=(), bcc=(), sender=None,
            reply_to=None, in_reply_to=None, extra=(), mime=True,
            date=True):
        n = len(self.specs) + 1
        mid = "<%s.%04d@imapwb.example>" % (key, n)
        hdrs = [("Date", when.rfc5322() if date is True else date),
                ("From", addr_header(frm)),
                ("Sender", addr_header(sender) if sender else None),
                ("Reply-To", addr_header(reply_to) if reply_to else None),
                ("To", addr_header(to) if to else None),
                ("Cc", addr_header(cc) if cc else None),
                ("Bcc", addr_header(bcc) if bcc else None),
                ("Subject", subject.raw if subject else None),
                ("Message-ID", mid),
                ("In-Reply-To", in_reply_to)]
        hdrs += list(extra)
        msg = Message(hdrs, body, mime)
        msg.expect = {"subject": subject.text if subject else None,
                      "from": frm, "sender": sender, "reply_to": reply_to,
                      "to": to, "cc": cc, "bcc": bcc}
        self.specs.append(Spec(key, about, account, folder, list(flags),
                               when, msg))
        return mid


def mixed(boundary, *parts, preamble=b""):
    return Multipart("mixed", list(parts), boundary, preamble)


def alternative(boundary, *parts):
    return Multipart("alternative", list(parts), boundary)


def html(content, charset="utf-8"):
    return text(content, charset, "quoted-printable", "html")


def inner_forward():
    """The message attached to the forward (message/rfc822)."""
    hdrs = [("Date", When(2023, 11, 2, 16, 5, 0, "+0100").rfc5322()),
            ("From", addr_header(P("juergen"))),
            ("To", addr_header(P("carol"))),
            ("Subject", q_word("Angebot für die Überprüfung")),
            ("Message-ID", "<angebot.0001@example.de>")]
    body = mixed("inner-b0undary",
                 text("Anbei das Angebot.\n", "utf-8", "8bit"),
                 attachment("application/pdf", "Angebot.pdf",
                            blob("angebot", 1500, b"%PDF-1.4\n")))
    return Message(hdrs, body)


def add_alice_inbox(c):
    a, IN = "alice", ["INBOX"]
    c.add("legacy-ascii", a, IN, When(2023, 10, 2, 8, 0, 0, "+0000"),
          subj("Welcome to your new mailbox"), P("post"), P("alice"),
          Leaf("text/plain",
               text_body("Welcome, Alice.\n\nThis message has no MIME "
                         "headers at all, so it is text/plain; charset="
                         "us-ascii in 7bit by default.\n")),
          ["\\Seen"], "no MIME-Version/Content-Type: defaults apply",
          mime=False)
    c.add("utf8-8bit", a, IN, When(2023, 11, 14, 9, 12, 30, "+0100"),
          subj("Grüße aus München", "UTF-8", "B"), P("juergen"),
          P("alice"), text(GERMAN, "utf-8", "8bit"),
          ["\\Seen", "\\Answered"], "utf-8 8bit body, B subject, Q name")
    c.add("latin1-qp", a, IN, When(2023, 11, 15, 17, 45, 0, "+0100"),
          subj("Réunion du comité: ordre du jour", "ISO-8859-1", "Q"),
          P("helene"), P("alice"),
          text(FRENCH, "iso-8859-1", "quoted-printable"), ["\\Flagged"],
          "iso-8859-1 quoted-printable body, Q subject, B name",
          cc=P("carol", "erik"))
    c.add("latin1-8bit", a, IN, When(2023, 11, 16, 6, 30, 0, "-0300"),
          subj("Ça, déjà vu? Æsthetik & Größe", "ISO-8859-1", "B"),
          P("soren"), P("alice"),
          text("Hej Alice,\n\nÆ Ø Å æ ø å: dansk tekst i Latin-1.\n",
               "iso-8859-1", "8bit"), [], "iso-8859-1 8bit body, unseen")
    c.add("utf8-qp", a, IN, When(2023, 11, 17, 12, 0, 0, "+0000"),
          subj("Café ☕ – Treffen am Freitag", "UTF-8", "Q"), P("carol"),
          P("alice"),
          text("Hi Alice,\n\n" + "Treffen im Café ☕ am Freitag um 10 Uhr; "
               "bitte bring die Unterlagen mit = alles, was wir für die "
               "Präsentation brauchen. " * 2 + "\nTrailing space here: \n",
               "utf-8", "quoted-printable"),
          ["\\Seen"], "utf-8 quoted-printable with soft line breaks",
          reply_to=P("carol", "dana"))
    c.add("alternative", a, IN, When(2023, 12, 1, 7, 0, 0, "-0500"),
          subj("Newsletter December 2023"), P("news"),
          [Group("undisclosed-recipients")],
          alternative("alt-1-b0undary",
                      text("This month: snow, IMAP and more.\n"),
                      html("<html><body><p>This month: <b>snow</b>, IMAP "
                           "and more. Grüße!</p></body></html>\n")),
          ["\\Seen"], "multipart/alternative; To: undisclosed-recipients:;",
          sender=[Addr("Bounce Handler", "bounces@lists.example.com")])
    c.add("attach-pdf", a, IN, When(2023, 12, 2, 10, 15, 0, "+0100"),
          subj("Q3 report"), P("dana"),
          [Group("Project Team", P("alice", "bob")), PEOPLE["carol"]],
          mixed("mixed-2-b0undary",
                text("Report attached.\n\nDana\n"),
                attachment("application/pdf", "report-q3.pdf",
                           blob("report-q3", 24000, b"%PDF-1.4\n")),
                preamble=b"This is a multi-part message in MIME format."),
          ["\\Seen", "\\Flagged"], "pdf attachment, a preamble; named "
          "group in To",
          cc=P("doe"))
    c.add("attach-intl", a, IN, When(2023, 12, 3, 11, 0, 0, "+0100"),
          subj("Unterlagen für März", "UTF-8", "Q"), P("juergen"),
          P("alice"),
          mixed("mixed-3-b0undary",
                text("Hallo Alice,\n\nanbei die Übersicht und der "
                     "Prüfbericht.\n", "utf-8", "quoted-printable"),
                attachment("application/vnd.openxmlformats-officedocument"
                           ".spreadsheetml.sheet",
                           "Übersicht März 2023.xlsx",
                           blob("uebersicht", 9000, b"PK\x03\x04"),
                           "rfc2231"),
                attachment("application/pdf", "Prüfbericht – endgültig.pdf",
                           blob("pruefbericht", 12000, b"%PDF-1.5\n"),
                           "rfc2047")),
          ["\\Seen"], "RFC 2231 and RFC 2047 encoded file names")
    c.add("nested", a, IN, When(2023, 12, 4, 15, 30, 0, "+0900"),
          subj("Projektplan mit Logo", "UTF-8", "B"), P("sato"),
          P("alice", "bob"),
          mixed("outer-4-b0undary",
                alternative("inner-4-b0undary",
                            text(GERMAN, "utf-8", "8bit"),
                            html("<p>" + GERMAN.replace("\n", "<br>\n")
                                 + "</p>\n")),
                attachment("image/png", "logo.png",
                           blob("logo", 3000, b"\x89PNG\r\n\x1a\n"),
                           disposition="inline"),
                attachment("application/zip",
                           "Projektunterlagen für die Überprüfung "
                           "im Dezember (endgültige Fassung).zip",
                           blob("zip", 5000, b"PK\x03\x04"),
                           "rfc2231-cont")),
          [], "mixed(alternative, png, zip): RFC 2231 continuations")
    c.add("forward", a, IN, When(2023, 12, 5, 8, 20, 0, "+0000"),
          subj("Fwd: Angebot für die Überprüfung", "UTF-8", "Q"),
          P("carol"), P("alice"),
          mixed("fwd-5-b0undary",
                text("FYI, see the attached message.\n"),
                Attached(inner_forward())),
          ["\\Seen"], "message/rfc822 attached (itself multipart)")
    c.add("long-folded-b", a, IN, When(2023, 12, 6, 9, 0, 0, "+0100"),
          subj("Einladung: Überprüfung der Änderungen an der Konfiguration "
               "für das Projekt „Übergang“ im Dezember 2023 – bitte bis "
               "Freitag bestätigen", "UTF-8", "B", 60),
          P("juergen"), P("alice"), text(GERMAN, "utf-8", "8bit"), [],
          "long B subject folded over lines; words joined without space")
    long_q = encoded_words("Kommentare zur Überprüfung der Änderungen, "
                           "zweite Runde", "UTF-8", "Q", 50)
    c.add("long-folded-q", a, IN, When(2023, 12, 6, 13, 37, 0, "+0100"),
          Subject(fold(["Re: [projekt-liste]"] + long_q),
                  "Re: [projekt-liste] Kommentare zur Überprüfung der "
                  "Änderungen, zweite Runde"),
          P("bob"), P("alice"), text(LOREM), ["\\Seen"],
          "plain text followed by folded adjacent Q words")
    c.add("mixed-charset", a, IN, When(2023, 12, 7, 18, 0, 0, "+0100"),
          Subject(q_word("Grüße ") + " " +
                  q_word("aus Köln", "ISO-8859-1") + " und " +
                  b_word("東京"), "Grüße aus Köln und 東京"),
          P("helene"), P("alice"), text(LOREM), [],
          "utf-8 and iso-8859-1 words in one subject, plain text between")
    c.add("bad-encoded-word", a, IN, When(2023, 12, 8, 10, 0, 0, "+0000"),
          Subject("Rechnung =?x-imapwb-unknown?Q?f=FCr_M=E4rz?= (overdue)",
                  "Rechnung =?x-imapwb-unknown?Q?f=FCr_M=E4rz?= (overdue)"),
          P("ops"), P("alice"), text(LOREM), ["\\Seen"],
          "unknown charset: the encoded word is shown as it is")
    mid = c.specs[1].message.header("Message-ID")
    c.add("reply", a, IN, When(2023, 12, 9, 8, 1, 2, "+0100"),
          Subject("Re: " + b_word("Grüße aus München"),
                  "Re: Grüße aus München"),
          P("juergen"), P("alice"), text("Danke!\n", "utf-8", "8bit"),
          ["\\Seen"], "In-Reply-To and References", in_reply_to=mid,
          extra=[("References", mid)])
    c.add("sender-replyto", a, IN, When(2023, 12, 10, 14, 0, 0, "+0530"),
          subj("Budget review"), P("dana"), P("alice"), text(LOREM),
          ["\\Flagged", "$Label1"], "Sender differs from From; keyword",
          cc=P("doe", "erik"),
          sender=[Addr("Dana's Assistant", "assistant@example.org")],
          reply_to=P("dana", "ops"))
    c.add("big-5mb", a, IN, When(2023, 12, 11, 9, 0, 0, "+0100"),
          subj("Scans from the archive"), P("carol"), P("alice"),
          mixed("big-1-b0undary", text("Scans attached (5 MB).\n"),
                attachment("image/tiff", "scans-2023-11.tiff",
                           RandomBase64("big-5mb", 3_650_000))),
          ["\\Seen"], "about 5 MB", date="Mon, 11 Dec 2023 09:00:00 "
          "+0100 (CET)")
    c.add("big-20mb", a, IN, When(2023, 12, 12, 16, 0, 0, "-0800"),
          subj("All-hands recording"), P("ops"), P("alice"),
          mixed("big-2-b0undary", text("The recording, as promised.\n"),
                attachment("audio/mpeg", "all-hands-2023-12.mp3",
                           RandomBase64("big-20mb", 14_620_000))),
          [], "about 20 MB, unseen")
    c.add("deleted-1", a, IN, When(2023, 12, 13, 7, 0, 0, "+0000"),
          subj("Old newsletter"), P("news"), P("alice"), text(LOREM),
          ["\\Seen", "\\Deleted"], "\\Deleted, not expunged")
    c.add("deleted-2", a, IN, When(2023, 12, 13, 7, 5, 0, "+0000"),
          subj("Limited offer!!!"), P("news"), P("alice"), text(LOREM),
          ["\\Deleted"], "\\Deleted, unseen")
    c.add("deleted-3", a, IN, When(2023, 12, 13, 8, 0, 0, "+0000"),
          subj("Duplicate of the Q3 report"), P("dana"), P("alice"),
          text(LOREM), ["\\Seen", "\\Flagged", "\\Deleted"],
          "\\Deleted and \\Flagged")
    c.add("no-subject", a, IN, When(2023, 12, 14, 23, 59, 59, "-0800"),
          None, P("bob"), P("alice"), text("(no subject)\n"), [],
          "no Subject header: ENVELOPE subject is NIL")


def add_alice_folders(c):
    a = "alice"
    E = ["Entwürfe"]
    c.add("draft-reply", a, E, When(2023, 12, 1, 20, 0, 0, "+0100"),
          subj("Entwurf: Antwort an Jürgen", "UTF-8", "Q"), P("alice"),
          P("juergen"), text("Lieber Jürgen,\n\n(Entwurf)\n", "utf-8",
                             "8bit"),
          ["\\Draft", "\\Seen"], "draft with Bcc", bcc=P("bob"))
    c.add("draft-offer", a, E, When(2023, 12, 2, 21, 0, 0, "+0100"),
          subj("Angebot Überarbeitung", "UTF-8", "B"), P("alice"),
          P("carol"),
          mixed("draft-2-b0undary", text("Entwurf.\n", "utf-8", "8bit"),
                Leaf("text/csv", Bytes(b64_lines(b"a;b\r\n1;2\r\n")),
                     "base64", "us-ascii", "attachment", "zahlen.csv")),
          ["\\Draft"], "draft with a small attachment")
    c.add("draft-no-to", a, E, When(2023, 12, 3, 22, 0, 0, "+0100"),
          subj("Notizen"), P("alice"), [],
          text("Nur Notizen, kein Empfänger.\n", "utf-8", "8bit"),
          ["\\Draft", "\\Seen"], "no To header")
    J = ["日本語"]
    c.add("iso2022jp", a, J, When(2023, 11, 20, 10, 0, 0, "+0900"),
          subj("会議の資料", "ISO-2022-JP", "B"), P("tanaka"), P("alice"),
          text(JAPANESE, "iso-2022-jp", "7bit"), ["\\Seen"],
          "ISO-2022-JP subject, name and body")
    c.add("utf8-base64-text", a, J, When(2023, 11, 21, 11, 0, 0, "+0900"),
          subj("議事録について", "UTF-8", "B"), P("sato"), P("alice"),
          text(JAPANESE, "utf-8", "base64"), [],
          "text/plain in base64")
    c.add("long-folded-ja", a, J, When(2023, 11, 22, 12, 0, 0, "+0900"),
          subj("来週の定例会議の議題と資料の準備についてのお願いと、"
               "会議室の予約状況のご連絡", "UTF-8", "B", 50),
          P("tanaka"), P("alice"), text(JAPANESE, "utf-8", "8bit"),
          ["\\Seen", "\\Answered"], "long multibyte subject split in words")
    PR = ["Projekte"]
    c.add("plan", a, PR, When(2023, 10, 10, 9, 0, 0, "+0200"),
          subj("Projektplan"), P("bob"), P("alice"),
          mixed("plan-1-b0undary", text("Plan attached.\n"),
                Leaf("text/plain", text_body("1. Anfang\n2. Ende\n",
                                             "utf-8", "8bit"), "8bit",
                     "utf-8", "attachment", "plan.txt")),
          ["\\Seen", "\\Answered"], "text/plain attachment")
    for i, zone in enumerate(("+0200", "-0700", "+1000")):
        c.add("project-%d" % (i + 1), a, PR,
              When(2023, 10, 11 + i, 9 + i, 0, 0, zone),
              subj("Status %d" % (i + 1)), P("bob", "carol", "dana")[i:i + 1],
              P("alice"), text(LOREM * (i + 1)),
              ["\\Seen"] if i else [], "project status")
    PU = ["Projekte", "Überprüfung"]
    c.add("review-1", a, PU, When(2023, 10, 20, 9, 0, 0, "+0200"),
          subj("Überprüfung Teil 1", "UTF-8", "Q"), P("juergen"),
          P("alice"), text(GERMAN, "utf-8", "quoted-printable"), ["\\Seen"],
          "review")
    c.add("review-2", a, PU, When(2023, 10, 21, 9, 0, 0, "+0200"),
          subj("Überprüfung Teil 2", "UTF-8", "Q"), P("juergen"),
          P("alice"), text(GERMAN, "utf-8", "8bit"), ["\\Deleted"],
          "\\Deleted outside INBOX")
    c.add("review-3", a, PU, When(2023, 10, 22, 9, 0, 0, "+0200"),
          subj("Überprüfung Teil 3", "UTF-8", "B"), P("juergen"),
          P("alice", "bob"), text(GERMAN, "utf-8", "8bit"), [], "review")
    AR = ["Archiv"]
    c.add("archive-nz", a, AR, When(2022, 3, 1, 8, 0, 0, "+1300"),
          subj("Kia ora from Auckland"), P("carol"), P("alice"),
          text(LOREM), ["\\Seen"], "old message, +1300")
    c.add("archive-hawaii", a, AR, When(2022, 6, 1, 8, 0, 0, "-1000"),
          subj("Aloha"), P("dana"), P("alice"), text(LOREM), ["\\Seen"],
          "old message, -1000")
    A23 = ["Archiv", "2023"]
    c.add("big-12mb", a, A23, When(2023, 6, 30, 18, 0, 0, "+0200"),
          subj("Fotos vom Sommerfest", "UTF-8", "Q"), P("juergen"),
          P("alice"),
          mixed("big-3-b0undary", text("Die Fotos.\n", "utf-8", "8bit"),
                attachment("application/zip", "Sommerfest 2023.zip",
                           RandomBase64("big-12mb", 8_770_000))),
          ["\\Seen"], "about 12 MB")
    for i in range(3):
        c.add("archive-2023-%d" % (i + 1), a, A23,
              When(2023, 2 + 3 * i, 15, 10, 0, 0, "+0100"),
              subj("Monatsbericht %d/2023" % (2 + 3 * i)), P("ops"),
              P("alice"), text(LOREM), ["\\Seen"], "archived report")
    Q4 = ["Archiv", "2023", "Q4"]
    c.add("q4-1", a, Q4, When(2023, 10, 2, 9, 0, 0, "+0200"),
          subj("Q4 kickoff"), P("ops"), P("alice"), text(LOREM), ["\\Seen"],
          "Q4")
    c.add("q4-2", a, Q4, When(2023, 11, 2, 9, 0, 0, "+0100"),
          subj("Q4 midterm"), P("ops"), P("alice"), text(LOREM), [], "Q4")


def add_alice_special(c):
    a = "alice"
    c.add("drafts-1", a, ["Drafts"], When(2023, 12, 15, 9, 0, 0, "+0100"),
          subj("Draft to Bob"), P("alice"), P("bob"), text("Hi Bob,\n"),
          ["\\Draft"], "draft", bcc=P("carol"))
    c.add("drafts-2", a, ["Drafts"], When(2023, 12, 15, 9, 5, 0, "+0100"),
          subj("Half-written"), P("alice"), [], text("...\n"),
          ["\\Draft", "\\Seen"], "draft without recipients")
    S = ["Sent"]
    mid = c.specs[1].message.header("Message-ID")
    c.add("sent-reply", a, S, When(2023, 11, 14, 10, 0, 0, "+0100"),
          Subject("Re: " + b_word("Grüße aus München"),
                  "Re: Grüße aus München"), P("alice"), P("juergen"),
          text("Danke, Jürgen!\n", "utf-8", "8bit"), ["\\Seen"],
          "alice's answer", in_reply_to=mid)
    c.add("sent-bcc", a, S, When(2023, 11, 20, 10, 0, 0, "+0100"),
          subj("Team lunch"), P("alice"), P("bob"), text(LOREM), ["\\Seen"],
          "Bcc", cc=P("carol"), bcc=P("dana", "erik"))
    c.add("sent-attach", a, S, When(2023, 11, 21, 10, 0, 0, "+0100"),
          subj("Slides"), P("alice"), P("ops"),
          mixed("sent-3-b0undary", text("Slides attached.\n"),
                attachment("application/pdf", "slides.pdf",
                           blob("slides", 30000, b"%PDF-1.6\n"))),
          ["\\Seen"], "sent with attachment")
    c.add("sent-group", a, S, When(2023, 11, 22, 10, 0, 0, "+0100"),
          subj("Announcement"), P("alice"),
          [Group("Friends", P("bob", "carol")), Group("Empty")],
          text(LOREM), ["\\Seen"], "two groups, one empty")
    c.add("trash-1", a, ["Trash"], When(2023, 9, 1, 9, 0, 0, "+0200"),
          subj("Unwanted"), P("news"), P("alice"), text(LOREM),
          ["\\Seen", "\\Deleted"], "\\Deleted in Trash")
    c.add("trash-2", a, ["Trash"], When(2023, 9, 2, 9, 0, 0, "+0200"),
          subj("Also unwanted"), P("news"), P("alice"), text(LOREM),
          ["\\Seen"], "in Trash")
    c.add("junk-1", a, ["Junk"], When(2023, 9, 3, 3, 33, 0, "+0300"),
          subj("Gewinnen Sie jetzt! 💰", "UTF-8", "B"),
          [Addr("Lottery", "win@lottery.example")], P("alice"),
          html("<p>Click!</p>\n"), [], "junk")


def add_bob(c):
    b = "bob"
    for i in range(4):
        c.add("bob-%d" % (i + 1), b, ["INBOX"],
              When(2023, 12, 1 + i, 12, 0, 0, "+0000"),
              subj("Bob's message %d" % (i + 1)), P("alice"), P("bob"),
              text(LOREM), ["\\Seen"] if i % 2 else [], "bob's mail")
    c.add("bob-sent", b, ["Sent"], When(2023, 12, 5, 12, 0, 0, "+0000"),
          subj("Re: Bob's message 1"), P("bob"), P("alice"), text(LOREM),
          ["\\Seen"], "bob's sent mail")


def add_huge(c):
    c.add("huge-165mb", "alice", ["Archiv", "2023", "Q4"],
          When(2023, 12, 22, 17, 30, 0, "+0100"),
          subj("Video der Weihnachtsfeier (komplett)", "UTF-8", "Q"),
          P("carol"), [Group("Alle", P("alice", "bob", "dana"))],
          mixed("huge-b0undary",
                text("Hier das ganze Video. Viel Spaß!\n", "utf-8", "8bit"),
                attachment("video/mp4", "Weihnachtsfeier 2023.mp4",
                           RandomBase64("huge-165mb", 120_600_000),
                           "rfc2231")),
          ["\\Seen"], "the one mail that broke a migration (--large)")


# Per account: components, special-use, subscribed, ACL entries (rights ""
# means the identifier must hold none). Special-use folders stay subscribed:
# the Dovecot test config has them "auto = subscribe".
FOLDERS = {
    "alice": [
        (["INBOX"], None, True, []),
        (["Entwürfe"], None, True, []),
        (["日本語"], None, True, []),
        (["Projekte"], None, True, [("bob", "lr"), ("anyone", "")]),
        (["Projekte", "Überprüfung"], None, False, [("bob", "lrswi")]),
        (["Archiv"], None, True, []),
        (["Archiv", "2023"], None, True, []),
        (["Archiv", "2023", "Q4"], None, False, []),
        (["Drafts"], "\\Drafts", True, []),
        (["Sent"], "\\Sent", True, []),
        (["Trash"], "\\Trash", True, []),
        (["Junk"], "\\Junk", True, []),
    ],
    "bob": [
        (["INBOX"], None, True, []),
        (["Drafts"], "\\Drafts", True, []),
        (["Sent"], "\\Sent", True, []),
        (["Trash"], "\\Trash", True, []),
        (["Junk"], "\\Junk", True, []),
    ],
    "admin": [],
}


def build(large):
    c = Corpus()
    add_alice_inbox(c)
    add_alice_folders(c)
    add_alice_special(c)
    add_bob(c)
    if large:
        add_huge(c)
    return c.specs


# ------------------------------------------------------------- manifest

def addr_json(items):
    return [i.json() for i in items or ()]


def message_entry(spec, fname, size, digest, seq):
    m = spec.message
    exp = m.expect
    frm = addr_json(exp["from"])
    return {
        "key": spec.key, "about": spec.about, "file": fname,
        "account": spec.account, "folder": spec.folder, "seq": seq,
        "flags": spec.flags,
        "internaldate": spec.idate.rfc3501(),
        "internaldate_iso": spec.idate.iso(),
        "internaldate_epoch": spec.idate.epoch(),
        "size": size, "sha256": digest,
        "subject": exp["subject"],
        "subject_raw": unfold(m.header("Subject"))
        if m.header("Subject") is not None else None,
        "date": unfold(m.header("Date")),
        "from": frm,
        "sender": addr_json(exp["sender"]) or frm,
        "reply_to": addr_json(exp["reply_to"]) or frm,
        "to": addr_json(exp["to"]), "cc": addr_json(exp["cc"]),
        "bcc": addr_json(exp["bcc"]),
        "in_reply_to": m.header("In-Reply-To"),
        "message_id": m.header("Message-ID"),
        "structure": shape(m.body),
        "parts": parts_summary(m.body),
    }


def script_hash():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_message(path, message):
    h, size = hashlib.sha256(), 0
    with open(path, "wb") as f:
        for chunk in message.chunks():
            f.write(chunk)
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def generate(out, large):
    manifest_path = os.path.join(out, "manifest.json")
    os.makedirs(os.path.join(out, "msgs"), exist_ok=True)
    if os.path.exists(manifest_path):
        os.unlink(manifest_path)        # incomplete until rewritten
    accounts = {}
    for user, folders in FOLDERS.items():
        accounts[user] = {"folders": [
            {"path": p, "special_use": su, "subscribed": sub,
             "acl": [{"identifier": i, "rights": r} for i, r in acl],
             "messages": 0, "size": 0}
            for p, su, sub, acl in folders], "messages": []}
    counters = {}
    for spec in build(large):
        acct = accounts[spec.account]
        folder = next(f for f in acct["folders"]
                      if f["path"] == spec.folder)
        counters[spec.account] = counters.get(spec.account, 0) + 1
        fname = "msgs/%s-%03d.eml" % (spec.account, counters[spec.account])
        size, digest = write_message(os.path.join(out, fname), spec.message)
        folder["messages"] += 1
        folder["size"] += size
        acct["messages"].append(message_entry(spec, fname, size, digest,
                                              folder["messages"]))
    manifest = {"format": FORMAT,
                "generator": {"script_sha256": script_hash(),
                              "large": large},
                "accounts": accounts}
    tmp = manifest_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.rename(tmp, manifest_path)
    return manifest


def load_manifest(out):
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def check(out, large):
    """True if out holds a complete corpus made by this very script."""
    try:
        m = load_manifest(out)
    except (OSError, ValueError):
        return False
    gen = m.get("generator", {})
    if gen.get("script_sha256") != script_hash() or gen.get("large") != large:
        return False
    for acct in m["accounts"].values():
        for msg in acct["messages"]:
            try:
                if os.path.getsize(os.path.join(out, msg["file"])) \
                        != msg["size"]:
                    return False
            except OSError:
                return False
    return True



# ------------------------------------------------------------- self-test
#
# An independent second opinion on a written corpus: Python's email
# package for the decoded values, and a raw boundary scan (not the
# generator's own bookkeeping) for the part sizes.

# Where Python's decoder is known to differ from the manifest on purpose.
PYTHON_DIFFERS = {
    # RFC 2047 6.3: a word in an unknown charset is shown as it is.
    "bad-encoded-word": {"subject"},
}


def split_entity(data):
    """(header bytes, body bytes) of one entity."""
    if data.startswith(CRLF):
        return b"", data[2:]
    end = data.index(b"\r\n\r\n")
    return data[:end + 2], data[end + 4:]


def raw_parts(data, prefix="", top=True):
    """[(part number, content type, body)] found by scanning boundaries."""
    import email.parser
    import email.policy
    head, body = split_entity(data)
    hdr = email.parser.BytesHeaderParser(policy=email.policy.compat32)\
        .parsebytes(head)
    ctype = hdr.get_content_type() if hdr["Content-Type"] else "text/plain"
    if ctype.startswith("multipart/"):
        delim = b"--" + hdr.get_param("boundary").encode()
        # A delimiter is CRLF "--boundary" (or "--boundary" first thing).
        pieces = (b"\r\n" + body).split(b"\r\n" + delim)
        out = []
        for i, piece in enumerate(pieces[1:-1], 1):
            entity = piece[piece.index(CRLF) + 2:]
            number = "%s.%d" % (prefix, i) if prefix else str(i)
            out += raw_parts(entity, number, False)
        return out
    number = prefix or "1"
    if ctype == "message/rfc822":
        inner = raw_parts(body, number, True)
        if len(inner) == 1 and inner[0][0] == number:   # single-part
            inner = [(number + ".1",) + inner[0][1:]]
        return [(number, ctype, body)] + inner
    return [(number, ctype, body)]


def py_addresses(header):
    """A header's addresses as the manifest writes them."""
    if header is None:
        return []
    out = []
    for g in header.groups:
        members = [{"name": a.display_name or None, "addr": a.addr_spec}
                   for a in g.addresses]
        if g.display_name is None:
            out += members
        else:
            out.append({"group": g.display_name, "members": members})
    return out


def py_parts(msg, prefix=""):
    """(number, type, charset, encoding, disposition, filename) per part,
    in the same numbering as parts_summary()."""
    if msg.get_content_maintype() != "multipart":
        return py_leaf(msg, prefix or "1")
    out = []
    for i, part in enumerate(msg.iter_parts(), 1):
        number = "%s.%d" % (prefix, i) if prefix else str(i)
        if part.get_content_maintype() == "multipart":
            out += py_parts(part, number)
        else:
            out += py_leaf(part, number)
    return out


def py_leaf(part, number):
    ctype = part.get_content_type()
    entry = [(number, ctype,
              part.get_content_charset("us-ascii")
              if ctype.startswith("text/") else None,
              part.get("Content-Transfer-Encoding", "7bit").lower(),
              part.get_content_disposition(), part.get_filename())]
    if ctype == "message/rfc822":
        inner = part.get_payload(0)
        if inner.get_content_maintype() == "multipart":
            entry += py_parts(inner, number)
        else:
            entry += py_leaf(inner, number + ".1")
    return entry


def check_message(out, m):
    """A list of problems with one manifest entry."""
    import email
    import email.header
    import email.policy
    errs = []
    with open(os.path.join(out, m["file"]), "rb") as f:
        data = f.read()
    if len(data) != m["size"]:
        errs.append("size %d != %d" % (len(data), m["size"]))
    if hashlib.sha256(data).hexdigest() != m["sha256"]:
        errs.append("sha256 differs")
    if data.replace(CRLF, b"").count(b"\n") or \
            data.replace(CRLF, b"").count(b"\r") or not data.endswith(CRLF):
        errs.append("bare CR or LF, or no final CRLF")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    old = email.message_from_bytes(data, policy=email.policy.compat32)
    skip = PYTHON_DIFFERS.get(m["key"], set())
    got = {"subject": msg["subject"], "date": old["date"],
           "message_id": old["message-id"],
           "in_reply_to": old["in-reply-to"]}
    if old["subject"] is not None:
        got["subject_raw"] = unfold(old["subject"])
    if old["subject"] is not None and "subject" not in skip:
        got["subject_compat32"] = str(email.header.make_header(
            email.header.decode_header(old["subject"])))
    for k in ("from", "to", "cc", "bcc", "sender", "reply_to"):
        got[k] = py_addresses(msg[k.replace("_", "-")])
    for k in ("sender", "reply_to"):
        got[k] = got[k] or got["from"]
    want = dict(m, subject_compat32=m["subject"])
    for k, v in got.items():
        if k.replace("_compat32", "") not in skip and v != want.get(k):
            errs.append("%s: python %r, manifest %r" % (k, v, want.get(k)))
    mine = [(p["part"], p["type"], p["charset"], p["encoding"],
             p["disposition"], p["filename"]) for p in m["parts"]]
    if py_parts(msg) != mine:
        errs.append("parts: python %r, manifest %r" % (py_parts(msg), mine))
    raw = [(n, t, len(b), b.count(b"\n")) for n, t, b in raw_parts(data)]
    mine = [(p["part"], p["type"], p["size"], p.get("lines", raw[i][3]))
            for i, p in enumerate(m["parts"]) if i < len(raw)]
    if raw != mine or len(raw) != len(m["parts"]):
        errs.append("sizes: scan %r, manifest %r" % (raw, mine))
    return errs


def selftest(out):
    manifest = load_manifest(out)
    bad = 0
    seen_ids = set()
    for acct in manifest["accounts"].values():
        for m in acct["messages"]:
            errs = check_message(out, m)
            if m["message_id"] in seen_ids:
                errs.append("duplicate Message-ID")
            seen_ids.add(m["message_id"])
            for e in errs:
                print("%s (%s): %s" % (m["file"], m["key"], e))
            bad += bool(errs)
    total = sum(len(a["messages"]) for a in manifest["accounts"].values())
    print("selftest: %d of %d messages differ" % (bad, total))
    return 1 if bad else 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True, help="corpus folder")
    p.add_argument("--large", action="store_true",
                   help="add the ~165 MB message")
    p.add_argument("--check", action="store_true",
                   help="only test whether --out is up to date")
    p.add_argument("--selftest", action="store_true",
                   help="compare --out with Python's email package")
    a = p.parse_args(argv)
    if a.check:
        return 0 if check(a.out, a.large) else 1
    if a.selftest:
        return selftest(a.out)
    generate(a.out, a.large)
    return 0


if __name__ == "__main__":
    sys.exit(main())
