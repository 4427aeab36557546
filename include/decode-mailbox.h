/* decode-mailbox: LIST and LSUB (with LIST-EXTENDED, SPECIAL-USE and
 * CHILDINFO) and STATUS responses. Names stay raw here: the mailbox model
 * decodes modified UTF-7 for display. */
#ifndef IMAPWB_DECODE_MAILBOX_H
#define IMAPWB_DECODE_MAILBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap-parser.h"

/* RFC 6154 special-use attributes, and RFC 5258 / 3348 ones. */
#define LIST_ATTR_NOINFERIORS  0x0001
#define LIST_ATTR_NOSELECT     0x0002
#define LIST_ATTR_MARKED       0x0004
#define LIST_ATTR_UNMARKED     0x0008
#define LIST_ATTR_NONEXISTENT  0x0010
#define LIST_ATTR_SUBSCRIBED   0x0020
#define LIST_ATTR_REMOTE       0x0040
#define LIST_ATTR_HASCHILDREN  0x0080
#define LIST_ATTR_HASNOCHILDREN 0x0100

/* * LIST (attributes) delimiter name [extended items] */
struct list_response {
	bool lsub;
	const char *name;   /* raw (modified UTF-7 unless UTF8=ACCEPT) */
	char delimiter;     /* '\0' for NIL */
	unsigned attrs;     /* LIST_ATTR_* */
	const char *special_use; /* "\\Trash", or NULL */
	const char **attributes; /* every attribute as sent */
	size_t attribute_count;
	bool childinfo_subscribed; /* CHILDINFO ("SUBSCRIBED") */
};

/* The i-th mailbox attribute decode_list() knows ("\\Noselect", then the
 * special uses); NULL past the last. */
const char *list_attribute_known_name(size_t i);

bool decode_list(const struct imap_response *resp, struct list_response *l,
    const char **error_r);
void list_response_free(struct list_response *l);

/* * STATUS mailbox (item value ...) — RFC 9051 7.2.4, with SIZE (RFC
 * 8438), HIGHESTMODSEQ (RFC 7162), DELETED (RFC 9051). Items the server
 * did not send have their bit clear in `present`. */
enum status_item {
	STATUS_MESSAGES,
	STATUS_RECENT,
	STATUS_UIDNEXT,
	STATUS_UIDVALIDITY,
	STATUS_UNSEEN,
	STATUS_SIZE,
	STATUS_HIGHESTMODSEQ,
	STATUS_DELETED,
	STATUS_ITEM_COUNT,
};

struct status_response {
	const char *mailbox;
	unsigned present; /* 1 << enum status_item */
	uint64_t values[STATUS_ITEM_COUNT];
};

const char *status_item_name(enum status_item item);
bool decode_status(const struct imap_response *resp,
    struct status_response *st, const char **error_r);

#endif
