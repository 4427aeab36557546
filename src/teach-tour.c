/* teach-tour: the guided tour's steps, as data (teach-tour.h). */
#include "config.h"

#include <string.h>

#include "teach-tour.h"
#include "util-buf.h"
#include "util-mem.h"

#define NO_ROW KNOW_KIND_COUNT, NULL

static const struct teach_tour_step steps[] = {
	{ "Welcome: the client has logged in", KNOW_COMMAND, "AUTHENTICATE",
	  "Scroll up the console (PgUp): the server greeted with * OK, "
	  "imapwb asked for its CAPABILITY, started TLS with STARTTLS and "
	  "logged in with AUTHENTICATE (or LOGIN). Every line you send "
	  "starts with a tag (a1, b7, ...); the server's tagged OK, NO or BAD "
	  "with the same tag ends that command, and lines starting with * "
	  "are data on the way.",
	  NULL, "Connection",
	  "the Connection view: the TLS session, the mechanism, and the "
	  "protocol state (authenticated). Alt-n: the next step.",
	  TOUR_CHECK_NONE },
	{ "What can this server do?", KNOW_COMMAND, "CAPABILITY",
	  "A server lists its extensions in CAPABILITY: IDLE, MOVE, UIDPLUS, "
	  "QUOTA, ACL ... A client must not use an extension the server did "
	  "not announce.",
	  "CAPABILITY", "Capabilities",
	  "the * CAPABILITY line in the console, and each capability "
	  "explained in the Capabilities view.",
	  TOUR_CHECK_NONE },
	{ "Your mailboxes", KNOW_COMMAND, "LIST",
	  "LIST \"\" \"*\" names every mailbox: its attributes (\\HasChildren, "
	  "\\Sent ...), the hierarchy delimiter, and its name.",
	  "LIST \"\" \"*\"", "Mailboxes",
	  "one * LIST line per mailbox; the Mailboxes view draws them as a "
	  "tree.",
	  TOUR_CHECK_NONE },
	{ "Counting without opening", KNOW_COMMAND, "STATUS",
	  "STATUS asks for a mailbox's counts without selecting it. UIDNEXT "
	  "is the UID the next message will get; UIDVALIDITY changes only "
	  "when the UIDs are renumbered.",
	  "STATUS INBOX (MESSAGES UNSEEN UIDNEXT UIDVALIDITY)", "Mailboxes",
	  "the * STATUS line, and INBOX's counts in the Mailboxes view.",
	  TOUR_CHECK_NONE },
	{ "Opening a mailbox read-only", KNOW_COMMAND, "EXAMINE",
	  "EXAMINE opens a mailbox like SELECT but read-only: nothing you do "
	  "changes it, not even the \\Seen flag. The server says how many "
	  "messages EXIST, which FLAGS it knows, and the mailbox's "
	  "UIDVALIDITY and UIDNEXT.",
	  "EXAMINE INBOX", "Status",
	  "[READ-ONLY] on the tagged OK; the Status view shows what the "
	  "EXAMINE said.",
	  TOUR_CHECK_SELECTED_RO },
	{ "Opening it read-write", KNOW_COMMAND, "SELECT",
	  "SELECT opens the mailbox read-write: the session is now in the "
	  "selected state, where FETCH, STORE, SEARCH and COPY work on its "
	  "messages, by sequence number (1 to EXISTS) or by UID.",
	  "SELECT INBOX", "Status",
	  "[READ-WRITE] on the tagged OK, and the status bar: INBOX [RW].",
	  TOUR_CHECK_SELECTED_RW },
	{ "Flags and envelopes", KNOW_COMMAND, "FETCH",
	  "FETCH asks for data about messages. FLAGS are the message's flags "
	  "(\\Seen, \\Flagged ...); ENVELOPE is the parsed header: date, "
	  "subject, from, to, message-id.",
	  "FETCH 1:5 (FLAGS ENVELOPE)", "Messages",
	  "one * n FETCH line per message; the Messages view lists them.",
	  TOUR_CHECK_NONE },
	{ "One header field", KNOW_FETCH_ITEM, "BODY.PEEK[]",
	  "BODY[HEADER.FIELDS (SUBJECT)] is just the Subject: line, as a "
	  "literal: {n} and then n bytes. BODY[...] sets \\Seen; "
	  "BODY.PEEK[...] is the same without that, so the tour peeks.",
	  "FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])", "Messages",
	  "the {n} literal in the console: the bytes after it are data, "
	  "not lines of the protocol.",
	  TOUR_CHECK_NONE },
	{ "The text of a message", KNOW_FETCH_ITEM, "BODY.PEEK[]",
	  "BODY[TEXT] is the message without its header (BODY[] is all of "
	  "it, BODY[1] its first MIME part). PEEK again: the message stays "
	  "unread.",
	  "FETCH 1 (BODY.PEEK[TEXT])", "Messages",
	  "the body in the console; no FLAGS (\\Seen) came with it.",
	  TOUR_CHECK_NONE },
	{ "Setting a flag", KNOW_COMMAND, "STORE",
	  "STORE changes flags: +FLAGS adds, -FLAGS removes, FLAGS replaces. "
	  "The server answers with the new flags (+FLAGS.SILENT would not). "
	  "This flags message 1 of your INBOX; -FLAGS (\\Flagged) undoes "
	  "it.",
	  "STORE 1 +FLAGS (\\Flagged)", "Messages",
	  "* 1 FETCH (FLAGS (... \\Flagged)), and the flag in the Messages "
	  "view's first row.",
	  TOUR_CHECK_NONE },
	{ "Searching", KNOW_COMMAND, "SEARCH",
	  "SEARCH returns the sequence numbers of the messages that match "
	  "(UID SEARCH: their UIDs). UNSEEN: the ones without \\Seen.",
	  "SEARCH UNSEEN", "Messages",
	  "the * SEARCH line: numbers, in the order of the mailbox.",
	  TOUR_CHECK_NONE },
	{ "A mailbox of the tour's own", KNOW_COMMAND, "CREATE",
	  "The next steps copy, move and delete messages. So that nothing of "
	  "yours is touched, they work in a mailbox the tour creates now and "
	  "deletes at the end.",
	  "CREATE %T", "Mailboxes",
	  "the new mailbox in the Mailboxes view.",
	  TOUR_CHECK_NONE },
	{ "And one inside it", KNOW_COMMAND, "CREATE",
	  "A name with the hierarchy delimiter (the one LIST showed) makes "
	  "a mailbox inside another.",
	  "CREATE %M", "Mailboxes",
	  "the child under %T in the Mailboxes view.",
	  TOUR_CHECK_NONE },
	{ "Copying messages", KNOW_COMMAND, "COPY",
	  "COPY puts copies of messages of the selected mailbox into "
	  "another; the originals stay. With UIDPLUS the OK says "
	  "[COPYUID validity old-uids new-uids]: which UIDs the copies got.",
	  "COPY 1:3 %T", "Mailboxes",
	  "[COPYUID ...] on the tagged OK.",
	  TOUR_CHECK_NONE },
	{ "Working in the tour's mailbox", KNOW_COMMAND, "SELECT",
	  "Selecting another mailbox leaves INBOX. A fresh mailbox numbers "
	  "its UIDs from 1: the three copies are UIDs 1, 2 and 3.",
	  "SELECT %T", "Messages",
	  "* 3 EXISTS, and the three copies in the Messages view.",
	  TOUR_CHECK_SELECTED_RW },
	{ "Moving a message", KNOW_COMMAND, "MOVE",
	  "MOVE is COPY, then removing the originals, in one step nobody can "
	  "come between. The server says * n EXPUNGE for each one moved "
	  "away: the messages after it move down by one.",
	  "MOVE 3 %M", "Messages",
	  "* 3 EXPUNGE, and two messages left in the Messages view.",
	  TOUR_CHECK_NONE },
	{ "Marking a message \\Deleted", KNOW_COMMAND, "UID STORE",
	  "Deleting a message takes two steps: flag it \\Deleted, then "
	  "expunge. A plain EXPUNGE removes every \\Deleted message in the "
	  "mailbox, whoever flagged it (another client, a filter, you "
	  "yesterday): never send one to remove only your own. Flag by "
	  "UID: UID 2 is the second copy.",
	  "UID STORE 2 +FLAGS (\\Deleted)", "Messages",
	  "\\Deleted in the FETCH the server sends back.",
	  TOUR_CHECK_NONE },
	{ "Expunging only what you flagged", KNOW_COMMAND, "UID EXPUNGE",
	  "UID EXPUNGE (UIDPLUS) removes only the \\Deleted messages among "
	  "the UIDs it names, so nobody else's go with it. imapwb holds a "
	  "typed plain EXPUNGE until it has seen which messages are "
	  "\\Deleted.",
	  "UID EXPUNGE 2", "Messages",
	  "* 2 EXPUNGE: message 2 (UID 2) is gone; UID 1 is still there.",
	  TOUR_CHECK_NONE },
	{ "Waiting for news", KNOW_COMMAND, "IDLE",
	  "IDLE asks the server to say at once when something changes "
	  "(EXISTS, EXPUNGE, FETCH FLAGS) instead of being asked. It answers "
	  "+ and waits; the client ends it by sending DONE, and the server "
	  "then sends the tagged OK.",
	  "IDLE", "Status",
	  "the + line. Then type DONE and Enter: the IDLE ends with OK.",
	  TOUR_CHECK_NONE },
	{ "Subscribing", KNOW_COMMAND, "SUBSCRIBE",
	  "Subscriptions are a list of names a client shows by default. "
	  "SUBSCRIBE adds a name; it does not need to exist.",
	  "SUBSCRIBE %T", "Mailboxes",
	  "the mark of a subscribed mailbox in the Mailboxes view.",
	  TOUR_CHECK_NONE },
	{ "The subscribed names", KNOW_COMMAND, "LSUB",
	  "LSUB lists the subscribed names, like LIST lists mailboxes. "
	  "IMAP4rev2 replaced it with LIST (SUBSCRIBED), but most servers "
	  "still answer it.",
	  "LSUB \"\" \"*\"", "Mailboxes",
	  "%T among the * LSUB lines.",
	  TOUR_CHECK_NONE },
	{ "Unsubscribing", KNOW_COMMAND, "UNSUBSCRIBE",
	  "UNSUBSCRIBE takes the name off the list again: deleting a "
	  "mailbox does not.",
	  "UNSUBSCRIBE %T", "Mailboxes",
	  "the mark gone in the Mailboxes view.",
	  TOUR_CHECK_NONE },
	{ "How much room is left", KNOW_COMMAND, "GETQUOTAROOT",
	  "GETQUOTAROOT names the quota roots a mailbox counts against, and "
	  "each root's usage and limit (STORAGE in KiB, MESSAGE in "
	  "messages).",
	  "GETQUOTAROOT INBOX", "Quota",
	  "* QUOTAROOT and * QUOTA, and the bars in the Quota view.",
	  TOUR_CHECK_NONE },
	{ "Who may do what", KNOW_COMMAND, "GETACL",
	  "GETACL lists a mailbox's access control list: an identifier and "
	  "its rights, one letter each (l lookup, r read, s seen, w write, "
	  "i insert, k create, x delete, t delete messages, e expunge, a "
	  "administer).",
	  "GETACL INBOX", "ACL",
	  "the * ACL line, and each right spelled out in the ACL view.",
	  TOUR_CHECK_NONE },
	{ "Your own rights", KNOW_COMMAND, "MYRIGHTS",
	  "MYRIGHTS says what you may do in a mailbox, even where you may "
	  "not read its ACL.",
	  "MYRIGHTS INBOX", "ACL",
	  "the * MYRIGHTS line.",
	  TOUR_CHECK_NONE },
	{ "Leaving the mailbox", KNOW_COMMAND, "UNSELECT",
	  "UNSELECT leaves the selected mailbox and expunges nothing. CLOSE "
	  "would leave it too, but it expunges every \\Deleted message "
	  "first, like a plain EXPUNGE.",
	  "UNSELECT", "Status",
	  "the status bar: authenticated, no mailbox.",
	  TOUR_CHECK_NOTHING_SELECTED },
	{ "Cleaning up", KNOW_COMMAND, "DELETE",
	  "DELETE removes a mailbox and its messages. Children first: a "
	  "mailbox with children would stay as a name that holds nothing "
	  "(\\Noselect).",
	  "DELETE %M", "Mailboxes",
	  "%M gone from the Mailboxes view.",
	  TOUR_CHECK_NONE },
	{ "And the tour's mailbox", KNOW_COMMAND, "DELETE",
	  "The last command: the tour's mailbox goes, with the copy left in "
	  "it. Your INBOX is as it was, apart from the \\Flagged of "
	  "message 1.",
	  "DELETE %T", "Mailboxes",
	  "%T gone from the Mailboxes view.",
	  TOUR_CHECK_NONE },
	{ "Done", NO_ROW,
	  "The tour is over. Type any command you like; F1 lists the keys "
	  "and, after Tab, IMAP on one screen. doc/tutorial.md is this tour "
	  "in prose.",
	  NULL, "Mailboxes",
	  "anything. Alt-p goes back a step; q in a view quits.",
	  TOUR_CHECK_NONE },
};

#define STEP_COUNT (sizeof(steps) / sizeof(steps[0]))

const struct teach_tour_step *
teach_tour_step(size_t i)
{
	return i < STEP_COUNT ? &steps[i] : NULL;
}

size_t
teach_tour_count(void)
{
	return STEP_COUNT;
}

char *
teach_tour_expand(const char *text, const struct teach_tour_names *names)
{
	struct buf out;
	char *result;
	const char *p;

	buf_init(&out, 64 * 1024);
	for (p = text; *p != '\0'; p++) {
		if (p[0] != '%' || p[1] == '\0') {
			buf_append(&out, p, 1);
			continue;
		}
		switch (*++p) {
		case 'T':
			buf_printf(&out, "%sTour", names->prefix);
			break;
		case 'M':
			buf_printf(&out, "%sTour%cMoved", names->prefix,
			    names->delimiter != '\0' ? names->delimiter : '/');
			break;
		case '%':
			buf_append(&out, "%", 1);
			break;
		default: /* no placeholder: kept as it is */
			buf_append(&out, p - 1, 2);
			break;
		}
	}
	result = xstrdup(buf_str(&out));
	buf_free(&out);
	return result;
}

const char *
teach_tour_check_text(enum teach_tour_check check)
{
	static const char *const texts[] = {
		[TOUR_CHECK_NONE] = "",
		[TOUR_CHECK_SELECTED_RO] = "a mailbox is open read-only",
		[TOUR_CHECK_SELECTED_RW] = "a mailbox is open read-write",
		[TOUR_CHECK_NOTHING_SELECTED] = "no mailbox is selected",
	};

	return texts[check];
}
