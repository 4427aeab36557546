#!/usr/bin/python3
"""json-check: compare imapwb's --json events with the corpus manifest.

    json-check.py MANIFEST NAMES EVENTS SERVER

MANIFEST is the generator's manifest.json, NAMES the seeder's map of
folder names on this server, EVENTS imapwb's stdout. Prints TAP lines
(without a plan) for the lead script to count; exact values only. The
last line, "# json-check: N checks", says it got to the end: a checker
that dies half-way (an exception) has no such line and exits non-zero,
and the lead script fails on either.
"""
import json
import sys

n = 0


def check(cond, desc, got=None, want=None):
    global n
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, desc))
    if not cond:
        print("# got:  %r\n# want: %r" % (got, want))


PART_KEYS = ("part", "type", "charset", "encoding", "disposition",
             "filename", "size")


def leaves(node):
    """The non-multipart parts of a bodystructure event, in order."""
    if node is None:
        return []
    out = []
    if not node["type"].startswith("multipart/"):
        out.append({k: node[k] for k in PART_KEYS if k in node})
    for child in node.get("parts", []):
        out += leaves(child)
    return out


def main():
    manifest = json.load(open(sys.argv[1]))
    names = json.load(open(sys.argv[2]))
    events = [json.loads(line) for line in open(sys.argv[3])]
    server = sys.argv[4]
    alice = manifest["accounts"]["alice"]
    kinds = {e["event"] for e in events}
    check("capability" in kinds and "tagged" in kinds,
          "%s: capability and tagged events" % server, sorted(kinds))

    # every folder of alice's shows with its decoded and raw name
    lists = {e["raw"]: e for e in events if e["event"] == "list"}
    for folder in names["alice"]["folders"].values():
        ev = lists.get(folder["name"])
        check(ev is not None and ev["mailbox"] == folder["decoded"],
              "%s: list event for %s decodes to %s" %
              (server, folder["name"], folder["decoded"]),
              ev and ev["mailbox"], folder["decoded"])
        if ev is not None and folder.get("special_use"):
            check(ev["special_use"] == folder["special_use"],
                  "%s: ... with special use %s" %
                  (server, folder["special_use"]),
                  ev["special_use"], folder["special_use"])

    # every INBOX message's envelope, size and flags as generated
    fetches = [e for e in events if e["event"] == "fetch"]
    inbox = [m for m in alice["messages"] if m["folder"] == ["INBOX"]]
    check(len(fetches) == len(inbox),
          "%s: one fetch event per INBOX message" % server,
          len(fetches), len(inbox))
    by_id = {m["message_id"]: m for m in inbox}
    for ev in fetches:
        env = ev["envelope"]
        m = by_id.get(env["message_id"])
        if m is None:
            check(False, "%s: message %s is from the corpus" %
                  (server, env["message_id"]))
            continue
        key = m["key"]
        check(env["subject"] == m["subject"],
              "%s: %s subject decodes exactly" % (server, key),
              env["subject"], m["subject"])
        want_from = [{"name": a.get("name"), "addr": a.get("addr")}
                     for a in m["from"] if "addr" in a]
        check(env["from"] == want_from,
              "%s: %s from decodes exactly" % (server, key),
              env["from"], want_from)
        check(ev["size"] == m["size"],
              "%s: %s size is the generated size" % (server, key),
              ev["size"], m["size"])
        flags = sorted(f for f in ev["flags"] if f != "\\Recent")
        check(flags == sorted(m["flags"]),
              "%s: %s flags" % (server, key), flags, sorted(m["flags"]))
        check(ev["uid"] == m["seq"],
              "%s: %s UID" % (server, key), ev["uid"], m["seq"])
        got_parts = leaves(ev.get("bodystructure"))
        want_parts = [{k: p[k] for k in PART_KEYS if p.get(k) is not None}
                      for p in m["parts"]]
        check(got_parts == want_parts,
              "%s: %s bodystructure parts" % (server, key),
              got_parts, want_parts)

    # the select event: what the model holds when SELECT INBOX ended
    sel = [e for e in events if e["event"] == "select"]
    unseen = [m["seq"] for m in inbox if "\\Seen" not in m["flags"]]
    check(len(sel) == 1 and sel[0]["mailbox"] == "INBOX" and
          sel[0]["readonly"] is False and
          sel[0]["exists"] == len(inbox) and
          sel[0]["uidnext"] == len(inbox) + 1 and
          sel[0]["unseen"] == min(unseen) and
          sel[0]["uidvalidity"] > 0 and
          "\\Deleted" in sel[0]["flags"] and
          "\\*" in sel[0]["permanentflags"],
          "%s: select event: INBOX read-write, %d exists, UIDNEXT %d, "
          "first unseen %d" % (server, len(inbox), len(inbox) + 1,
                               min(unseen)), sel)

    acl = [e for e in events if e["event"] == "acl"]
    bob = [x for a in acl for x in a["entries"] if x["id"] == "bob"]
    check(len(bob) == 1 and sorted(bob[0]["rights"]) == sorted("lr") and
          sorted(bob[0]["meaning"]) == ["lookup", "read"],
          "%s: bob's rights on Projekte are lr, explained" % server, bob)

    quota = [e for e in events if e["event"] == "quota"]
    res = {r["name"]: r for q in quota for r in q["resources"]}
    check(res.get("STORAGE", {}).get("limit") == 1048576 and
          res.get("MESSAGE", {}).get("limit") == 50000,
          "%s: quota limits are 1048576 KiB and 50000 messages" % server,
          res)
    total = sum(m["size"] for m in alice["messages"])
    used = res.get("STORAGE", {}).get("usage", -1)
    # STORAGE is in KiB, rounded by each server its own way
    check(abs(used - total / 1024) <= 8,
          "%s: quota usage matches the generated mail (%d KiB)" %
          (server, used), used, total / 1024)
    status = [e for e in events if e["event"] == "status"]
    want = {"MESSAGES": len(inbox)}
    check(len(status) == 1 and status[0]["items"]["MESSAGES"] == len(inbox),
          "%s: STATUS INBOX MESSAGES" % server, status, want)

    # every event from untagged data names the typed command it answers
    # (doc/json-events.md): the tag of that command's tagged event
    tags = {e["command"]: e["tag"] for e in events if e["event"] == "tagged"}
    for kind, command in (("list", "LIST"), ("fetch", "FETCH"),
                          ("acl", "GETACL"), ("quota", "GETQUOTAROOT"),
                          ("quotaroot", "GETQUOTAROOT"),
                          ("status", "STATUS")):
        got = {(e.get("tag"), e.get("origin"))
               for e in events if e["event"] == kind}
        want = {(tags.get(command), "typed")}
        check(tags.get(command) is not None and got == want,
              "%s: every %s event answers the typed %s (tag %s)" %
              (server, kind, command, tags.get(command)), got, want)
    print("# json-check: %d checks" % n)


if __name__ == "__main__":
    main()
