/* job: procedures over one IMAP session that every front end shares
 * (largest, delete, save), and what they have in common.
 *
 * A job is a state machine without I/O, like the session it runs on: it
 * submits commands (origin: the job), tags them with itself as the
 * command's context, and is fed the client's decoded `response` and
 * `completed` events by whoever owns the client's listener (the CLI
 * runner, the TUI's Large view). A job runs one command at a time and
 * takes only the responses the session routed to that command (their
 * owner, imap-session.h): never data another command drew, nor what the
 * server says unasked. Jobs never print: they report through callbacks. Text
 * they report may hold server text (decoded to UTF-8, never escaped here):
 * the front end escapes it for its terminal (text-display.h). */
#ifndef IMAPWB_JOB_H
#define IMAPWB_JOB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "decode-response.h"
#include "imap-session.h"

enum job_status {
	JOB_RUNNING,
	JOB_OK,
	JOB_FAILED,  /* a command got NO/BAD, or a check after acting failed */
	JOB_REFUSED, /* refused for safety before changing anything */
	JOB_LOST,    /* the connection ended under the job */
};

const char *job_status_name(enum job_status status);

/* What a job tells its front end. Every callback may be NULL. */
struct job_callbacks {
	/* A line for the user: a step, a refusal, a dropped candidate. */
	void (*notice)(void *ctx, const char *text);
	/* Bytes done of total (0 when not known yet), for a progress bar. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	/* The job waits for a yes or no (job_delete_confirm()). */
	void (*confirm)(void *ctx, const char *question);
	void *ctx;
	/* The session logs out as soon as the job ends (a batch run): the
	 * job leaves the mailbox it opened without an UNSELECT, since the
	 * LOGOUT closes it the same way (RFC 9051 6.1.3: no expunge),
	 * unless the job's kind always_unselects. */
	bool session_ends;
};

struct job;

struct job_ops {
	const char *name;
	/* The job's protocol ends with UNSELECT even when the session logs
	 * out next (job_callbacks.session_ends): the safe delete, whose
	 * transcript must show DESIGN.md's protocol whole. */
	bool always_unselects;
	/* A response answering the job's command: untagged data routed to
	 * it, or the tagged reply that ends it (before on_completed). */
	void (*response)(struct job *job, const struct decoded_response *resp);
	/* The job's command ended; tagged is NULL when it FAILED. */
	void (*completed)(struct job *job, enum imap_command_result result,
	    const struct decoded_response *tagged);
	void (*free)(struct job *job);
};

/* The part every job starts with. */
struct job {
	const struct job_ops *ops;
	struct imap_session *session;
	struct job_callbacks cb;
	enum job_status status;
	char error[512];
	struct imap_session_command *in_flight; /* the job's command */
	/* job_leave(): how the job ends once UNSELECT is done */
	enum job_status leave_status;
	char leave_error[512];
};

/* What a SELECT or EXAMINE told a job (RFC 9051 6.3.2, RFC 7162 3.1.2),
 * kept by job_opened_take() from the responses answering it. */
struct job_opened {
	bool have_uidvalidity;
	uint32_t uidvalidity;
	uint32_t uidnext;
	uint32_t exists;
	uint64_t highestmodseq; /* 0: none (no CONDSTORE, or NOMODSEQ) */
};

void job_opened_reset(struct job_opened *opened);
void job_opened_take(struct job_opened *opened,
    const struct decoded_response *resp);

/* Feed the client's events to the job: both calls ignore what is not
 * the job's (what answers a command someone else sent). */
void job_on_response(struct job *job, const struct decoded_response *resp);
void job_on_completed(struct job *job, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged);

bool job_done(const struct job *job);
enum job_status job_status(const struct job *job);
/* Why the job did not end OK (empty when it did). */
const char *job_error(const struct job *job);
void job_free(struct job **job);

/* --- for the jobs themselves ------------------------------------------ */

/* Whether leaving the mailbox takes an UNSELECT: it is open, the server
 * has the extension, and the session does not end with the job. */
bool job_needs_unselect(const struct job *job);

void job_init(struct job *job, const struct job_ops *ops,
    struct imap_session *session, const struct job_callbacks *cb);
/* Submit a command (imap_command_build's format) as the job's one
 * command in flight. Returns 0, or -1 with the job failed. */
int job_send(struct job *job, const char *fmt, ...);
/* End the job with a status and (for anything but OK) a reason. */
void job_finish(struct job *job, enum job_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Leave the selected mailbox with UNSELECT (never CLOSE: it expunges)
 * and end with status and reason once it is done; with nothing selected
 * or no UNSELECT, end at once (the front end's LOGOUT leaves). Returns
 * true when an UNSELECT went out: the job's next completion calls
 * job_left(). */
bool job_vleave(struct job *job, enum job_status status, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));
void job_left(struct job *job);
void job_notice(struct job *job, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The UTF-8 display form of a raw mailbox name (modified UTF-7 decoded,
 * kept raw when invalid); malloc'd. */
char *job_mailbox_display(const char *raw);
/* The wire form (modified UTF-7) of a UTF-8 mailbox name; malloc'd, or
 * NULL with *error_r. */
char *job_mailbox_wire(const char *utf8, const char **error_r);

#endif
