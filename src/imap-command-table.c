/* imap-command-table: the IMAP commands and their facts. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "imap-command-table.h"

#define SEL IMAP_CMDF_SELECTED
#define SET IMAP_CMDF_SET
/* What SELECT and EXAMINE draw (RFC 9051 6.3.2; RFC 7162 3.2.5.1 adds
 * VANISHED (EARLIER) and FETCH for QRESYNC). */
#define OPENING_DATA "FLAGS EXISTS RECENT OK LIST VANISHED FETCH"

/* Sorted by name, so a reader finds a row as the binary search does. */
static const struct imap_command_entry table[] = {
	{ "APPEND", IMAP_CMDF_LITERAL | IMAP_CMDF_MAILBOX, "",
	    "RFC 9051 6.3.12", "add a message to a mailbox" },
	{ "AUTHENTICATE",
	    IMAP_CMDF_EXCLUSIVE | IMAP_CMDF_STEPS | IMAP_CMDF_SECRET |
		IMAP_CMDF_LOGIN,
	    "CAPABILITY", "RFC 9051 6.2.2", "log in with a SASL mechanism" },
	{ "CAPABILITY", 0, "CAPABILITY", "RFC 9051 6.1.1",
	    "ask what the server can do" },
	{ "CHECK", SEL, "", "RFC 3501 6.4.1",
	    "ask for a checkpoint (removed in IMAP4rev2)" },
	{ "CLOSE",
	    SEL | IMAP_CMDF_LEAVES | IMAP_CMDF_DESTRUCTIVE |
		IMAP_CMDF_EXPUNGES_ALL,
	    "", "RFC 9051 6.4.1",
	    "expunge every \\Deleted message silently, then leave" },
	{ "COMPRESS", IMAP_CMDF_EXCLUSIVE | IMAP_CMDF_STREAM, "",
	    "RFC 4978 3", "compress the connection with DEFLATE" },
	{ "COPY", SEL | SET, "OK", "RFC 9051 6.4.7",
	    "copy messages to another mailbox" },
	{ "CREATE", IMAP_CMDF_TREE | IMAP_CMDF_MAILBOX, "", "RFC 9051 6.3.4",
	    "create a mailbox" },
	{ "DELETE",
	    IMAP_CMDF_TREE | IMAP_CMDF_MAILBOX | IMAP_CMDF_DESTRUCTIVE, "",
	    "RFC 9051 6.3.5", "delete a mailbox and its messages" },
	{ "DELETEACL", IMAP_CMDF_MAILBOX, "", "RFC 4314 3.2",
	    "remove an identifier's rights" },
	{ "ENABLE", 0, "ENABLED", "RFC 9051 6.3.1",
	    "turn on an extension" },
	{ "ESEARCH", 0, "ESEARCH", "RFC 7377 2",
	    "search several mailboxes" },
	{ "EXAMINE",
	    IMAP_CMDF_SELECTS | IMAP_CMDF_READ_ONLY | IMAP_CMDF_MAILBOX,
	    OPENING_DATA, "RFC 9051 6.3.3", "open a mailbox read-only" },
	{ "EXPUNGE", SEL | IMAP_CMDF_DESTRUCTIVE | IMAP_CMDF_EXPUNGES_ALL,
	    "EXPUNGE VANISHED", "RFC 9051 6.4.3",
	    "remove every \\Deleted message, whoever marked it" },
	{ "FETCH", SEL | SET, "FETCH", "RFC 9051 6.4.5",
	    "read message data by sequence number" },
	{ "GETACL", IMAP_CMDF_MAILBOX, "ACL", "RFC 4314 3.3",
	    "read a mailbox's access control list" },
	{ "GETMETADATA", 0, "METADATA", "RFC 5464 4.2",
	    "read annotations" },
	{ "GETQUOTA", 0, "QUOTA", "RFC 9208 4.2",
	    "read a quota root's usage and limits" },
	{ "GETQUOTAROOT", IMAP_CMDF_MAILBOX, "QUOTAROOT QUOTA",
	    "RFC 9208 4.3", "read the quota roots of a mailbox" },
	{ "ID", 0, "ID", "RFC 2971 3.1", "exchange client and server facts" },
	{ "IDLE", IMAP_CMDF_EXCLUSIVE | IMAP_CMDF_STEPS, "",
	    "RFC 9051 6.3.13", "wait for the server's news until DONE" },
	{ "LIST", IMAP_CMDF_LISTING, "LIST STATUS", "RFC 9051 6.3.9",
	    "list mailboxes" },
	{ "LISTRIGHTS", IMAP_CMDF_MAILBOX, "LISTRIGHTS", "RFC 4314 3.4",
	    "ask which rights may be granted" },
	{ "LOGIN", IMAP_CMDF_SECRET | IMAP_CMDF_LOGIN, "CAPABILITY",
	    "RFC 9051 6.2.3", "log in with a name and password" },
	{ "LOGOUT", IMAP_CMDF_LOGOUT, "BYE", "RFC 9051 6.1.3",
	    "end the session" },
	{ "LSUB", IMAP_CMDF_LISTING, "LSUB", "RFC 3501 6.3.9",
	    "list subscribed mailboxes" },
	{ "MOVE", SEL | SET, "EXPUNGE VANISHED OK", "RFC 9051 6.4.8",
	    "move messages to another mailbox" },
	{ "MYRIGHTS", IMAP_CMDF_MAILBOX, "MYRIGHTS", "RFC 4314 3.5",
	    "ask for one's own rights" },
	{ "NAMESPACE", 0, "NAMESPACE", "RFC 9051 6.3.10",
	    "ask for the namespaces" },
	{ "NOOP", 0, "", "RFC 9051 6.1.2",
	    "do nothing, and hear the server's news" },
	{ "NOTIFY", 0, "", "RFC 5465 5", "ask for news of other mailboxes" },
	{ "RENAME", IMAP_CMDF_TREE | IMAP_CMDF_MAILBOX, "", "RFC 9051 6.3.6",
	    "rename a mailbox" },
	{ "SEARCH", SEL, "SEARCH ESEARCH", "RFC 9051 6.4.4",
	    "find messages by sequence number" },
	{ "SELECT", IMAP_CMDF_SELECTS | IMAP_CMDF_MAILBOX, OPENING_DATA,
	    "RFC 9051 6.3.2", "open a mailbox" },
	{ "SETACL", IMAP_CMDF_MAILBOX, "", "RFC 4314 3.1",
	    "grant or change an identifier's rights" },
	{ "SETMETADATA", 0, "", "RFC 5464 4.3", "write annotations" },
	{ "SETQUOTA", 0, "QUOTA", "RFC 9208 4.1", "set a quota's limits" },
	{ "SORT", SEL, "SORT ESEARCH", "RFC 5256 3",
	    "sort messages by sequence number" },
	{ "STARTTLS", IMAP_CMDF_EXCLUSIVE | IMAP_CMDF_STREAM, "",
	    "RFC 9051 6.2.1", "start TLS on this connection" },
	{ "STATUS", IMAP_CMDF_MAILBOX, "STATUS", "RFC 9051 6.3.11",
	    "ask for a mailbox's counts" },
	{ "STORE", SEL | SET, "FETCH", "RFC 9051 6.4.6",
	    "change flags by sequence number" },
	{ "SUBSCRIBE", IMAP_CMDF_TREE | IMAP_CMDF_MAILBOX, "",
	    "RFC 9051 6.3.7", "subscribe to a mailbox" },
	{ "THREAD", SEL, "THREAD", "RFC 5256 3",
	    "thread messages by sequence number" },
	{ "UID COPY", SEL | SET, "OK", "RFC 9051 6.4.9", "copy messages by UID" },
	{ "UID EXPUNGE", SEL | SET | IMAP_CMDF_DESTRUCTIVE, "EXPUNGE VANISHED",
	    "RFC 9051 6.4.9", "remove exactly these \\Deleted messages" },
	{ "UID FETCH", SEL | SET, "FETCH VANISHED", "RFC 9051 6.4.9",
	    "read message data by UID" },
	{ "UID MOVE", SEL | SET, "EXPUNGE VANISHED OK", "RFC 9051 6.4.9",
	    "move messages by UID" },
	{ "UID SEARCH", SEL, "SEARCH ESEARCH", "RFC 9051 6.4.9",
	    "find messages, answered with UIDs" },
	{ "UID SORT", SEL, "SORT ESEARCH", "RFC 5256 3",
	    "sort messages, answered with UIDs" },
	{ "UID STORE", SEL | SET, "FETCH", "RFC 9051 6.4.9",
	    "change flags by UID" },
	{ "UID THREAD", SEL, "THREAD", "RFC 5256 3",
	    "thread messages, answered with UIDs" },
	{ "UNAUTHENTICATE", IMAP_CMDF_EXCLUSIVE, "", "RFC 8437 2",
	    "log out but keep the connection" },
	{ "UNSELECT", SEL | IMAP_CMDF_LEAVES, "", "RFC 9051 6.4.2",
	    "leave the mailbox without expunging" },
	{ "UNSUBSCRIBE", IMAP_CMDF_TREE | IMAP_CMDF_MAILBOX, "",
	    "RFC 9051 6.3.8", "unsubscribe from a mailbox" },
	{ "XLIST", IMAP_CMDF_LISTING, "XLIST", "Gmail",
	    "list mailboxes (LIST with SPECIAL-USE's forerunner)" },
};
#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

const struct imap_command_entry *
imap_command_entry_find(const char *name)
{
	size_t lo = 0, hi = TABLE_SIZE;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, table[mid].name);

		if (cmp == 0)
			return &table[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

bool
imap_command_table_starts_command(const char *word, size_t len)
{
	size_t i;

	if (len == 3 && strncasecmp(word, "UID", 3) == 0)
		return true;
	for (i = 0; i < TABLE_SIZE; i++)
		if (strlen(table[i].name) == len &&
		    strncasecmp(table[i].name, word, len) == 0)
			return true;
	return false;
}

const struct imap_command_entry *
imap_command_entry_at(size_t i)
{
	return i < TABLE_SIZE ? &table[i] : NULL;
}

bool
imap_command_entry_draws(const struct imap_command_entry *e,
    const char *name)
{
	size_t len = strlen(name);
	const char *p = e->draws;

	while (*p != '\0') {
		size_t word = strcspn(p, " ");

		if (word == len && memcmp(p, name, len) == 0)
			return true;
		p += word;
		p += strspn(p, " ");
	}
	return false;
}
