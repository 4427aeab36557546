/* job-largest: rank the N largest messages of one mailbox, some, or every
 * selectable one, by the cheapest correct means the server offers.
 *
 * Per mailbox (EXAMINE, read-only), candidates come from
 *  - UID SORT (REVERSE SIZE) where SORT is offered: the first N UIDs;
 *  - else, with a minimum size, UID SEARCH [RETURN (ALL)] LARGER, then
 *    UID FETCH (RFC822.SIZE) of what it found, in command lines of about
 *    8 KB;
 *  - else one UID FETCH 1:* (UID RFC822.SIZE), streamed.
 * Only the global top N are kept, in a heap (memory follows N, not the
 * mailbox; O(log N) a message), ranked as SORT ranks: larger first, equal
 * sizes by mailbox in scan order, then by ascending UID; and
 * only those winners get ENVELOPE, INTERNALDATE and BODYSTRUCTURE, fetched
 * per mailbox at the end (re-EXAMINEd, with UIDVALIDITY checked again). */
#ifndef IMAPWB_JOB_LARGEST_H
#define IMAPWB_JOB_LARGEST_H

#include <stddef.h>
#include <stdint.h>

#include "job.h"

#define JOB_LARGEST_MAX_COUNT 100000u
/* Command lines are kept near this size (RFC 7162 3: at least 8192). */
#define JOB_LARGEST_LINE_TARGET 8000u

struct largest_params {
	size_t count;            /* N, 1..JOB_LARGEST_MAX_COUNT */
	uint64_t min_size;       /* 0: no minimum */
	const char *const *mailboxes; /* UTF-8 names; NULL or empty: all */
	size_t mailbox_count;
};

/* One ranked message. Strings are UTF-8 (decoded, not escaped). */
struct largest_row {
	const char *mailbox;     /* display name (modified UTF-7 decoded) */
	const char *mailbox_raw; /* as the server names it */
	uint32_t uidvalidity;
	uint32_t uid;
	uint64_t size;
	const char *date;        /* INTERNALDATE, ISO 8601; NULL if unknown */
	const char *from;        /* "Name <addr>" or "addr"; NULL if none */
	const char *subject;     /* NULL if none */
	const char *part;        /* the largest leaf part: "2", or NULL */
	const char *part_type;   /* "video/mp4" */
	uint64_t part_size;
};

struct largest_callbacks {
	struct job_callbacks job;
	/* Each winner, largest first, once the job is done. */
	void (*row)(void *ctx, const struct largest_row *row);
};

/* Start the job (it sends its first command at once). Returns NULL with
 * *error_r for bad parameters. */
struct job *job_largest_start(struct imap_session *session,
    const struct largest_params *params, const struct largest_callbacks *cb,
    const char **error_r);

#endif
