/* tui-link: what a transcript line is about, so the console can jump
 * from a line to the view row it updated and a view from a row back to
 * the lines that produced it (issue "Teaching": the transcript <-> view
 * link). A link is computed once per response from its decoded value. */
#ifndef IMAPWB_TUI_LINK_H
#define IMAPWB_TUI_LINK_H

#include <stdbool.h>
#include <stdint.h>

struct decoded_response;

enum tui_link_kind {
	TUI_LINK_NONE,
	TUI_LINK_MAILBOX,      /* LIST, LSUB, STATUS: name */
	TUI_LINK_MESSAGE,      /* FETCH: uid, else seq */
	TUI_LINK_SELECTED,     /* EXISTS, FLAGS, a SELECT's codes */
	TUI_LINK_ACL,          /* ACL, MYRIGHTS, LISTRIGHTS: name */
	TUI_LINK_QUOTAROOT,    /* QUOTAROOT: name is the mailbox */
	TUI_LINK_QUOTA,        /* QUOTA: name is the root */
	TUI_LINK_CAPABILITIES, /* CAPABILITY */
};

/* Mailbox names and quota roots longer than this link to nothing. */
#define TUI_LINK_NAME_MAX 255

struct tui_link {
	enum tui_link_kind kind;
	uint32_t uid;  /* MESSAGE: 0 when the FETCH had no UID */
	uint32_t seq;  /* MESSAGE: the sequence number */
	char name[TUI_LINK_NAME_MAX + 1]; /* raw (modified UTF-7) */
};

/* A link of this kind to the mailbox (or quota root) raw names: false,
 * and l left as it was, for no name or one too long to keep. */
bool tui_link_named(struct tui_link *l, enum tui_link_kind kind,
    const char *name);
/* The link of a response (or kind NONE), true if it has one. */
bool tui_link_from_response(const struct decoded_response *d,
    struct tui_link *link_r);
/* The view that shows what a link is about ("Messages"), or NULL. */
const char *tui_link_view_name(const struct tui_link *link);
/* Whether a line's link is about the row a view's link names: the same
 * mailbox, the same message (by UID when both know it). */
bool tui_link_matches(const struct tui_link *line,
    const struct tui_link *row);

#endif
