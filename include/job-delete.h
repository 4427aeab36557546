/* job-delete: delete exactly a set of UIDs, and nothing else
 * (../shared/DESIGN.md, "Safe delete by UID").
 *
 *  1. SELECT the mailbox (EXAMINE for a dry run or a refusal), with
 *     CONDSTORE when offered; refuse if UIDVALIDITY is not the one given.
 *  2. Check every UID is there (and has the size the scan saw, if given)
 *     with UID FETCH (UID RFC822.SIZE); refuse if not.
 *  3. With a target and MOVE: UID MOVE set target. Without a target, with
 *     UIDPLUS: UID STORE set (UNCHANGEDSINCE m) +FLAGS.SILENT (\Deleted),
 *     drop what the server reports [MODIFIED], then UID EXPUNGE of exactly
 *     the rest. Without either: refuse, and count the other \Deleted
 *     messages a plain EXPUNGE would take.
 *  4. Verify with UID SEARCH UID set that none remain, then UNSELECT.
 * A plain EXPUNGE and CLOSE are never sent: both expunge other clients'
 * \Deleted messages. Without UNSELECT the job just ends selected, and the
 * front end's LOGOUT leaves (LOGOUT expunges nothing). */
#ifndef IMAPWB_JOB_DELETE_H
#define IMAPWB_JOB_DELETE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode-search.h"
#include "util-buf.h"
#include "job.h"

/* A size seen at scan time, checked again before acting. */
struct delete_expected_size {
	uint32_t uid;
	uint64_t size;
};

struct delete_params {
	const char *mailbox;       /* UTF-8 */
	uint32_t uidvalidity;
	const struct seqset *uids; /* a UID set: no '*' */
	const char *move_to;       /* UTF-8 target, or NULL */
	bool move_to_trash;        /* the SPECIAL-USE \Trash mailbox */
	bool dry_run;              /* change nothing; say what would be sent */
	bool confirm;              /* ask through the confirm callback */
	const struct delete_expected_size *sizes; /* may be NULL */
	size_t size_count;
};

/* Start the job. NULL with *error_r for bad parameters. */
struct job *job_delete_start(struct imap_session *session,
    const struct delete_params *params, const struct job_callbacks *cb,
    const char **error_r);

/* The job asked (the confirm callback) and waits for this answer. */
bool job_delete_awaits_confirmation(const struct job *job);
void job_delete_confirm(struct job *job, bool yes);

/* While it awaits confirmation: the commands the job sends on a yes, one
 * a line, exactly as they will go (without tags); on a no it sends only
 * the UNSELECT, if the server offers it. Empty at any other time. */
void job_delete_plan(const struct job *job, struct buf *out);

/* Messages expunged or moved so far (from the server's replies). */
uint64_t job_delete_removed(const struct job *job);

#endif
