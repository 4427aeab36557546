/* job: what the largest, delete and save jobs share. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "text-mutf7.h"
#include "util-buf.h"
#include "util-mem.h"

#define MAILBOX_NAME_MAX (64u * 1024)

static const char *const status_names[] = {
	[JOB_RUNNING] = "running",
	[JOB_OK] = "ok",
	[JOB_FAILED] = "failed",
	[JOB_REFUSED] = "refused",
	[JOB_LOST] = "connection lost",
};

const char *
job_status_name(enum job_status status)
{
	return status_names[status];
}

void
job_init(struct job *job, const struct job_ops *ops,
    struct imap_session *session, const struct job_callbacks *cb)
{
	job->ops = ops;
	job->session = session;
	if (cb != NULL)
		job->cb = *cb;
	job->status = JOB_RUNNING;
}

static bool
is_ours(const struct job *job, const struct imap_session_command *cmd)
{
	return cmd != NULL && cmd == job->in_flight &&
	    imap_session_command_context(cmd) == job;
}

void
job_on_response(struct job *job, const struct decoded_response *resp)
{
	if (job->status != JOB_RUNNING || job->in_flight == NULL)
		return;
	if (resp->raw->kind == IMAP_RESPONSE_CONTINUATION ||
	    !is_ours(job, resp->owner))
		return;
	job->ops->response(job, resp);
}

void
job_on_completed(struct job *job, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged)
{
	if (!is_ours(job, cmd))
		return;
	job->in_flight = NULL;
	if (job->status != JOB_RUNNING)
		return;
	if (result == IMAP_RESULT_FAILED) {
		job_finish(job, JOB_LOST, "the connection ended during %s",
		    imap_session_command_get(cmd)->name);
		job->ops->completed(job, result, NULL);
		return;
	}
	job->ops->completed(job, result, tagged);
}

void
job_opened_reset(struct job_opened *o)
{
	memset(o, 0, sizeof(*o));
}

void
job_opened_take(struct job_opened *o, const struct decoded_response *d)
{
	bool untagged = d->raw->kind == IMAP_RESPONSE_UNTAGGED;

	if (d->kind == DECODED_COUNT && d->u.count.kind == MESSAGE_COUNT_EXISTS)
		o->exists = d->u.count.n;
	if (!d->has_code)
		return;
	switch (d->code.kind) {
	case RESP_CODE_UIDVALIDITY:
		if (untagged) {
			o->uidvalidity = d->code.number;
			o->have_uidvalidity = true;
		}
		break;
	case RESP_CODE_UIDNEXT:
		if (untagged)
			o->uidnext = d->code.number;
		break;
	case RESP_CODE_HIGHESTMODSEQ:
		o->highestmodseq = d->code.modseq;
		break;
	case RESP_CODE_NOMODSEQ:
		o->highestmodseq = 0;
		break;
	default:
		break;
	}
}

bool
job_done(const struct job *job)
{
	return job->status != JOB_RUNNING && job->in_flight == NULL;
}

enum job_status
job_status(const struct job *job)
{
	return job->status;
}

const char *
job_error(const struct job *job)
{
	return job->error;
}

void
job_free(struct job **jobp)
{
	struct job *job = *jobp;

	if (job == NULL)
		return;
	/* A command still in flight must not point at freed memory. */
	if (job->in_flight != NULL)
		imap_session_command_set_context(job->in_flight, NULL);
	job->ops->free(job);
	*jobp = NULL;
}

int
job_send(struct job *job, const char *fmt, ...)
{
	struct imap_origin origin = { IMAP_ORIGIN_JOB, NULL };
	struct imap_literal_caps caps;
	struct imap_command *cmd;
	const char *err = NULL;
	va_list ap;

	imap_session_literal_caps(job->session, &caps);
	va_start(ap, fmt);
	cmd = imap_command_vbuild(imap_session_next_tag(job->session), &caps,
	    &err, fmt, ap);
	va_end(ap);
	if (cmd == NULL) {
		job_finish(job, JOB_FAILED, "cannot build a command: %s", err);
		return -1;
	}
	origin.name = job->ops->name;
	job->in_flight = imap_session_submit_from(job->session, cmd, 0, NULL,
	    &origin);
	imap_session_command_set_context(job->in_flight, job);
	return 0;
}

void
job_finish(struct job *job, enum job_status status, const char *fmt, ...)
{
	va_list ap;

	if (job->status != JOB_RUNNING)
		return;
	job->status = status;
	job->error[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(job->error, sizeof(job->error), fmt, ap);
		va_end(ap);
	}
}

bool
job_needs_unselect(const struct job *job)
{
	return (job->ops->always_unselects || !job->cb.session_ends) &&
	    imap_session_state(job->session) == IMAP_STATE_SELECTED &&
	    imap_session_has_capability(job->session, "UNSELECT");
}

bool
job_vleave(struct job *job, enum job_status status, const char *fmt,
    va_list ap)
{
	job->leave_status = status;
	job->leave_error[0] = '\0';
	if (fmt != NULL)
		vsnprintf(job->leave_error, sizeof(job->leave_error), fmt, ap);
	if (job_needs_unselect(job) && job_send(job, "UNSELECT") == 0)
		return true;
	job_left(job);
	return false;
}

void
job_left(struct job *job)
{
	job_finish(job, job->leave_status, "%s", job->leave_error);
}

void
job_notice(struct job *job, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	if (job->cb.notice == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	job->cb.notice(job->cb.ctx, text);
}

char *
job_mailbox_display(const char *raw)
{
	return text_mutf7_display(raw);
}

char *
job_mailbox_wire(const char *utf8, const char **error_r)
{
	return text_mutf7_wire(utf8, error_r);
}
