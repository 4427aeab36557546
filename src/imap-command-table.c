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
	{ "APPEND", IMAP_CMDF_LITERAL | IMAP_CMDF_MAILBOX, "" },
	{ "AUTHENTICATE",
	    IMAP_CMDF_EXCLUSIVE | IMAP_CMDF_STEPS | IMAP_CMDF_SECRET |
		IMAP_CMDF_LOGIN,
	    "CAPABILITY" },
	{ "CAPABILITY", 0, "CAPABILITY" },
	{ "CHECK", SEL, "" },
	{ "CLOSE",
	    SEL | IMAP_CMDF_LEAVES | IMAP_CMDF_DESTRUCTIVE |
		IMAP_CMDF_EXPUNGES_ALL,
	    "" },
	{ "COMPRESS", IMAP_CMDF_EXCLUSIVE | IMAP_CMDF_STREAM, "" },
	{ "COPY", SEL | SET, "OK" },
	{ "CREATE", IMAP_CMDF_TREE | IMAP_CMDF_MAILBOX, "" },
	{ "DELETE",
	    IMAP_CMDF_TREE | IMAP_CMDF_MAILBOX | IMAP_CMDF_DESTRUCTIVE, "" },
	{ "DELETEACL", IMAP_CMDF_MAILBOX, "" },
	{ "ENABLE", 0, "ENABLED" },
	{ "ESEARCH", 0, "ESEARCH" },
	{ "EXAMINE",
	    IMAP_CMDF_SELECTS | IMAP_CMDF_READ_ONLY | IMAP_CMDF_MAILBOX,
	    OPENING_DATA },
	{ "EXPUNGE", SEL | IMAP_CMDF_DESTRUCTIVE | IMAP_CMDF_EXPUNGES_ALL,
	    "EXPUNGE VANISHED" },
	{ "FETCH", SEL | SET, "FETCH" },
	{ "GETACL", IMAP_CMDF_MAILBOX, "ACL" },
	{ "GETMETADATA", 0, "METADATA" },
	{ "GETQUOTA", 0, "QUOTA" },
	{ "GETQUOTAROOT", IMAP_CMDF_MAILBOX, "QUOTAROOT QUOTA" },
	{ "ID", 0, "ID" },
	{ "IDLE", IMAP_CMDF_EXCLUSIVE | IMAP_CMDF_STEPS, "" },
	{ "LIST", IMAP_CMDF_LISTING, "LIST STATUS" },
	{ "LISTRIGHTS", IMAP_CMDF_MAILBOX, "LISTRIGHTS" },
	{ "LOGIN", IMAP_CMDF_SECRET | IMAP_CMDF_LOGIN, "CAPABILITY" },
	{ "LOGOUT", IMAP_CMDF_LOGOUT, "BYE" },
	{ "LSUB", IMAP_CMDF_LISTING, "LSUB" },
	{ "MOVE", SEL | SET, "EXPUNGE VANISHED OK" },
	{ "MYRIGHTS", IMAP_CMDF_MAILBOX, "MYRIGHTS" },
	{ "NAMESPACE", 0, "NAMESPACE" },
	{ "NOOP", 0, "" },
	{ "NOTIFY", 0, "" },
	{ "RENAME", IMAP_CMDF_TREE | IMAP_CMDF_MAILBOX, "" },
	{ "SEARCH", SEL, "SEARCH ESEARCH" },
	{ "SELECT", IMAP_CMDF_SELECTS | IMAP_CMDF_MAILBOX, OPENING_DATA },
	{ "SETACL", IMAP_CMDF_MAILBOX, "" },
	{ "SETMETADATA", 0, "" },
	{ "SETQUOTA", 0, "QUOTA" },
	{ "SORT", SEL, "SORT ESEARCH" },
	{ "STARTTLS", IMAP_CMDF_EXCLUSIVE | IMAP_CMDF_STREAM, "" },
	{ "STATUS", IMAP_CMDF_MAILBOX, "STATUS" },
	{ "STORE", SEL | SET, "FETCH" },
	{ "SUBSCRIBE", IMAP_CMDF_TREE | IMAP_CMDF_MAILBOX, "" },
	{ "THREAD", SEL, "THREAD" },
	{ "UID COPY", SEL | SET, "OK" },
	{ "UID EXPUNGE", SEL | SET | IMAP_CMDF_DESTRUCTIVE, "EXPUNGE VANISHED" },
	{ "UID FETCH", SEL | SET, "FETCH VANISHED" },
	{ "UID MOVE", SEL | SET, "EXPUNGE VANISHED OK" },
	{ "UID SEARCH", SEL, "SEARCH ESEARCH" },
	{ "UID SORT", SEL, "SORT ESEARCH" },
	{ "UID STORE", SEL | SET, "FETCH" },
	{ "UID THREAD", SEL, "THREAD" },
	{ "UNAUTHENTICATE", IMAP_CMDF_EXCLUSIVE, "" },
	{ "UNSELECT", SEL | IMAP_CMDF_LEAVES, "" },
	{ "UNSUBSCRIBE", IMAP_CMDF_TREE | IMAP_CMDF_MAILBOX, "" },
	{ "XLIST", IMAP_CMDF_LISTING, "XLIST" },
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
