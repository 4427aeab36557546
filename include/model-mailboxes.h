/* model-mailboxes: the account's mailbox tree, without I/O.
 *
 * Fed by decoded LIST, LSUB and STATUS responses (whoever asked for them)
 * and by the completion of CREATE, DELETE, RENAME, SUBSCRIBE and
 * UNSUBSCRIBE; read by the Mailboxes view and by completion. Nodes are
 * keyed by the raw name the server sent; each keeps its display name
 * (modified UTF-7 decoded, or the raw name flagged when it is not valid
 * modified UTF-7), delimiter, attributes, special-use, subscription and
 * the counts STATUS (or LIST-STATUS) last gave.
 *
 * Tree order: rows sort by hierarchy (a parent before its children, and
 * siblings by raw name, INBOX first). A child whose parent was never
 * listed (LIST "" "%/%" , or a server that hides it) gets an implied
 * parent row (listed false, \NonExistent) so the tree stays a tree.
 * Accounts have hundreds or a few thousand mailboxes: the rows are a
 * sorted array, rebuilt on the first read after a change. */
#ifndef IMAPWB_MODEL_MAILBOXES_H
#define IMAPWB_MODEL_MAILBOXES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode-mailbox.h"

struct model_mailbox {
	char *raw;            /* the key, as the server sent it */
	char *display;        /* decoded full name (or raw, see name_invalid) */
	const char *leaf;     /* the last level of display */
	bool name_invalid;    /* not valid modified UTF-7: display is raw */
	char delimiter;       /* '\0' for NIL (a flat namespace) */
	unsigned depth;       /* 0 for a top-level name; at most one more
				 than the row before's (tree order) */
	bool listed;          /* a LIST named it (not only implied) */
	unsigned attrs;       /* LIST_ATTR_* */
	char *special_use;    /* "\\Trash", or NULL */
	char **attributes;    /* every attribute as sent */
	size_t attribute_count;
	bool subscribed;
	unsigned status_present; /* 1 << enum status_item */
	uint64_t status[STATUS_ITEM_COUNT];

	uint64_t seen_serial;     /* internal: the last LIST that named it */
	uint64_t lsub_serial;     /* internal: the last LSUB that named it */
};

struct model_mailboxes;

struct model_mailboxes *model_mailboxes_new(void);
void model_mailboxes_free(struct model_mailboxes **m);
/* Forget everything (a new connection). */
void model_mailboxes_clear(struct model_mailboxes *m);

/* Bumped by every change. */
uint64_t model_mailboxes_generation(const struct model_mailboxes *m);

/* A LIST or LSUB response. serial names the command it answers (see
 * model_mailboxes_prune). with_subscribed: the command asked for
 * subscription state (RETURN (SUBSCRIBED) or the SUBSCRIBED selection),
 * so a LIST reply without \Subscribed means "not subscribed". */
void model_mailboxes_list(struct model_mailboxes *m,
    const struct list_response *l, uint64_t serial, bool with_subscribed);
/* A STATUS response (or LIST-STATUS's). Unknown names are ignored. */
void model_mailboxes_status(struct model_mailboxes *m,
    const struct status_response *st);

/* A complete LIST "" "*" (or LSUB "" "*") with this serial ended OK:
 * forget the listed mailboxes it did not name (or clear their
 * subscription). */
void model_mailboxes_prune(struct model_mailboxes *m, uint64_t serial,
    bool lsub);

/* Commands that changed the tree ended OK. Names are raw. */
void model_mailboxes_created(struct model_mailboxes *m, const char *raw);
void model_mailboxes_deleted(struct model_mailboxes *m, const char *raw);
/* RFC 9051 6.3.6: inferior names are renamed too. */
void model_mailboxes_renamed(struct model_mailboxes *m, const char *from,
    const char *to);
void model_mailboxes_subscribed(struct model_mailboxes *m, const char *raw,
    bool subscribed);

/* Rows in tree order, implied parents included. */
size_t model_mailboxes_count(struct model_mailboxes *m);
const struct model_mailbox *model_mailboxes_row(struct model_mailboxes *m,
    size_t row);
/* By raw name (implied parents too), or NULL. */
const struct model_mailbox *model_mailboxes_find(struct model_mailboxes *m,
    const char *raw);
/* The row of a raw name, or (size_t)-1. */
size_t model_mailboxes_row_of(struct model_mailboxes *m, const char *raw);
/* The first listed mailbox with this special-use ("\\Trash"), or NULL. */
const struct model_mailbox *model_mailboxes_special(struct model_mailboxes *m,
    const char *special_use);

#endif
