/* teach-tour: the guided tour (imapwb --tour) as data. One row a step:
 * its title, what it explains, the command it pre-types for the learner
 * to send or change, the view to look at and what to see there, and
 * what the step should have produced. The TUI walks it (tui-tour.h);
 * doc/tutorial.md is the same tour in prose.
 *
 * The tour changes nothing it did not make itself, apart from the one
 * flag its STORE step sets: it CREATEs its own mailboxes, COPYs into
 * them, MOVEs, flags and expunges (by UID) only there, and DELETEs them
 * at the end. A plain EXPUNGE is explained, never sent.
 *
 * Commands and texts name the tour's mailboxes with placeholders, since
 * where a user's mailboxes live differs between servers (Cyrus puts them
 * under "INBOX."): %T is the tour's mailbox, %M the one inside it that a
 * MOVE fills. teach_tour_expand() fills them in. */
#ifndef IMAPWB_TEACH_TOUR_H
#define IMAPWB_TEACH_TOUR_H

#include <stdbool.h>
#include <stddef.h>

#include "teach-knowledge.h"

/* What a step should have produced, checked when its command ends OK. */
enum teach_tour_check {
	TOUR_CHECK_NONE,
	TOUR_CHECK_SELECTED_RO, /* a mailbox is open read-only */
	TOUR_CHECK_SELECTED_RW, /* a mailbox is open read-write */
	TOUR_CHECK_NOTHING_SELECTED,
};

struct teach_tour_step {
	const char *title;
	/* the knowledge row the step is about (its meaning and RFC section
	 * show with the text); know_name NULL for none */
	enum knowledge_kind know_kind;
	const char *know_name;
	const char *text;    /* a paragraph: what to learn */
	const char *command; /* to pre-type, or NULL: nothing to send */
	const char *view;    /* the view to show (its tab's name) */
	const char *look;    /* what to look at there, and in the console */
	enum teach_tour_check check;
};

/* The i-th step; NULL past the last. */
const struct teach_tour_step *teach_tour_step(size_t i);
size_t teach_tour_count(void);

/* Where the tour's mailboxes go: the personal namespace's prefix ("" or
 * "INBOX.") and the hierarchy delimiter. */
struct teach_tour_names {
	const char *prefix;
	char delimiter;
};

/* text with %T and %M filled in (%% is a %), allocated. */
char *teach_tour_expand(const char *text,
    const struct teach_tour_names *names);

/* What a check looks for, for the learner ("a mailbox is open
 * read-only"). */
const char *teach_tour_check_text(enum teach_tour_check check);

#endif
