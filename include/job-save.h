/* job-save: stream one message, or one part of it, to a file.
 *
 * EXAMINE the mailbox and check UIDVALIDITY (refuse on a change); UID
 * FETCH (UID RFC822.SIZE BODYSTRUCTURE) to learn the size to expect and
 * the part's transfer encoding; then UID FETCH (BODY.PEEK[section]),
 * whose literal goes through the session's literal sink straight into a
 * temporary file beside the target (decoded from base64 or
 * quoted-printable if asked), then fsync and rename (file-atomic.h).
 * Memory stays flat whatever the size. A literal whose size is not the
 * one the server announced before is refused. On any failure the
 * temporary file is removed: nothing appears under the target's name. */
#ifndef IMAPWB_JOB_SAVE_H
#define IMAPWB_JOB_SAVE_H

#include <stdbool.h>
#include <stdint.h>

#include "job.h"

struct save_params {
	const char *mailbox;  /* UTF-8 */
	uint32_t uidvalidity;
	uint32_t uid;
	const char *part;     /* "2", "1.3"; NULL: the whole message */
	bool decode;          /* undo base64 / quoted-printable (needs part) */
	const char *path;     /* the file to write */
};

/* True for a part number such as "1" or "2.1.3". */
bool job_save_part_valid(const char *part);

/* Start the job. NULL with *error_r for bad parameters. The progress
 * callback gets the bytes received of the literal's size. */
struct job *job_save_start(struct imap_session *session,
    const struct save_params *params, const struct job_callbacks *cb,
    const char **error_r);

/* Bytes written to the file (after decoding). */
uint64_t job_save_written(const struct job *job);

#endif
