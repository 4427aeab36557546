/* capability-info: what each IMAP capability means. */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "capability-info.h"

/* A name ending in '*' is a prefix: "AUTH=*" matches "AUTH=PLAIN". */
static const struct capability_info table[] = {
	{ "IMAP4rev1", "the base protocol, version 4rev1", "RFC 3501" },
	{ "IMAP4rev2", "the base protocol, version 4rev2", "RFC 9051" },
	{ "STARTTLS", "upgrade this connection to TLS", "RFC 9051" },
	{ "LOGINDISABLED", "LOGIN is refused on this connection", "RFC 9051" },
	{ "AUTH=*", "a SASL mechanism for AUTHENTICATE", "RFC 9051" },
	{ "SASL-IR", "AUTHENTICATE may carry the first response", "RFC 4959" },
	{ "IDLE", "wait for changes without polling", "RFC 2177" },
	{ "NAMESPACE", "ask where personal, shared and others' mailboxes "
	    "live", "RFC 2342" },
	{ "ID", "exchange client and server names and versions", "RFC 2971" },
	{ "ENABLE", "turn on extensions that change responses", "RFC 5161" },
	{ "UIDPLUS", "APPENDUID/COPYUID codes and UID EXPUNGE", "RFC 4315" },
	{ "MOVE", "move messages atomically (MOVE, UID MOVE)", "RFC 6851" },
	{ "CONDSTORE", "per-message MODSEQ and conditional STORE",
	    "RFC 7162" },
	{ "QRESYNC", "quick resync: VANISHED and SELECT (QRESYNC)",
	    "RFC 7162" },
	{ "ESEARCH", "compact SEARCH results (MIN, MAX, COUNT, ALL)",
	    "RFC 4731" },
	{ "SEARCHRES", "reuse the last SEARCH result as $", "RFC 5182" },
	{ "SORT", "server-side sorting", "RFC 5256" },
	{ "SORT=*", "a further sort criterion", "RFC 5957" },
	{ "ESORT", "ESEARCH-style results for SORT", "RFC 5267" },
	{ "THREAD=*", "server-side threading with this algorithm",
	    "RFC 5256" },
	{ "CONTEXT=*", "updated search and sort results", "RFC 5267" },
	{ "WITHIN", "search by age (YOUNGER, OLDER)", "RFC 5032" },
	{ "LIST-EXTENDED", "LIST with selection and return options",
	    "RFC 5258" },
	{ "LIST-STATUS", "LIST can return STATUS items", "RFC 5819" },
	{ "LIST-MYRIGHTS", "LIST can return MYRIGHTS", "RFC 8440" },
	{ "LIST-METADATA", "LIST can return METADATA", "RFC 9590" },
	{ "SPECIAL-USE", "mailboxes are marked \\Sent, \\Trash, ...",
	    "RFC 6154" },
	{ "CREATE-SPECIAL-USE", "CREATE can set a special use", "RFC 6154" },
	{ "CHILDREN", "\\HasChildren and \\HasNoChildren in LIST",
	    "RFC 3348" },
	{ "STATUS=SIZE", "STATUS can report a mailbox's size", "RFC 8438" },
	{ "UNSELECT", "leave a mailbox without expunging", "RFC 3691" },
	{ "LITERAL+", "literals need not wait for the server's +",
	    "RFC 7888" },
	{ "LITERAL-", "literals up to 4096 bytes need not wait", "RFC 7888" },
	{ "BINARY", "fetch and append undecoded binary content",
	    "RFC 3516" },
	{ "CATENATE", "APPEND pieces of other messages", "RFC 4469" },
	{ "MULTIAPPEND", "APPEND several messages at once", "RFC 3502" },
	{ "URLAUTH", "authorized IMAP URLs", "RFC 4467" },
	{ "URLAUTH=BINARY", "URLFETCH of binary content", "RFC 5524" },
	{ "URL-PARTIAL", "partial fetches in IMAP URLs", "RFC 5550" },
	{ "ACL", "access control lists (GETACL, SETACL, MYRIGHTS)",
	    "RFC 4314" },
	{ "RIGHTS=*", "the ACL rights this server uses beyond the base",
	    "RFC 4314" },
	{ "QUOTA", "quotas (GETQUOTA, GETQUOTAROOT)", "RFC 9208" },
	{ "QUOTA=RES-*", "a resource the server counts for quotas",
	    "RFC 9208" },
	{ "QUOTASET", "quotas can be set with SETQUOTA", "RFC 9208" },
	{ "COMPRESS=DEFLATE", "compress this connection with DEFLATE",
	    "RFC 4978" },
	{ "METADATA", "mailbox and server annotations", "RFC 5464" },
	{ "METADATA-SERVER", "server annotations only", "RFC 5464" },
	{ "NOTIFY", "be told of changes in other mailboxes", "RFC 5465" },
	{ "I18NLEVEL=*", "internationalised sorting and searching",
	    "RFC 5255" },
	{ "LANGUAGE", "server messages in another language", "RFC 5255" },
	{ "UTF8=ACCEPT", "UTF-8 in mailbox names and headers", "RFC 6855" },
	{ "UTF8=ONLY", "UTF-8 everywhere, and nothing else", "RFC 6855" },
	{ "APPENDLIMIT", "the largest message APPEND takes", "RFC 7889" },
	{ "APPENDLIMIT=*", "the largest message APPEND takes", "RFC 7889" },
	{ "OBJECTID", "stable ids for mailboxes and messages", "RFC 8474" },
	{ "SAVEDATE", "when a message was saved to its mailbox",
	    "RFC 8514" },
	{ "PREVIEW", "a short text preview of messages", "RFC 8970" },
	{ "STATUS=*", "a further STATUS item", "" },
	{ "UNAUTHENTICATE", "return to the not-authenticated state",
	    "RFC 8437" },
	{ "LOGIN-REFERRALS", "login may be referred to another server",
	    "RFC 2221" },
	{ "MAILBOX-REFERRALS", "mailboxes may live on another server",
	    "RFC 2193" },
	{ "SEARCH=FUZZY", "fuzzy search and relevancy scores", "RFC 6203" },
	{ "ANNOTATE-EXPERIMENT-1", "per-message annotations", "RFC 5257" },
	{ "SNIPPET=FUZZY", "Dovecot's earlier form of PREVIEW", "" },
	{ "PREVIEW=FUZZY", "Dovecot's earlier form of PREVIEW", "" },
	{ "XLIST", "Gmail's special-use LIST, before RFC 6154", "" },
	{ "XMOVE", "Cyrus's name for MOVE", "" },
	{ "X-QUOTA=*", "a Cyrus quota resource", "" },
	{ "DIGEST=*", "Cyrus: message digests in FETCH", "" },
	{ "NO_ATOMIC_RENAME", "Cyrus: RENAME is not atomic", "" },
	{ "SCAN", "Cyrus: LIST can search mailbox contents", "" },
	{ "X-REPLICATION", "Cyrus: replication support", "" },
	{ "X-CREATEDMODSEQ", "Cyrus: the modseq a message was created at",
	    "" },
	{ "X-SIEVE-MAILBOX", "Cyrus: Sieve scripts in a mailbox", "" },
};

const struct capability_info *
capability_info_lookup(const char *name)
{
	const struct capability_info *best = NULL;
	size_t i, len, best_len = 0;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		len = strlen(table[i].name);
		if (table[i].name[len - 1] != '*') {
			if (strcasecmp(name, table[i].name) == 0)
				return &table[i];
			continue;
		}
		/* the longest prefix wins: "STATUS=SIZE" over "STATUS=*" */
		len--;
		if (len > best_len && strncasecmp(name, table[i].name, len) == 0 &&
		    name[len] != '\0') {
			best = &table[i];
			best_len = len;
		}
	}
	return best;
}
