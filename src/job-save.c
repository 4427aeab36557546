/* job-save: a message or a part, streamed to a file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode-bodystructure.h"
#include "decode-code.h"
#include "decode-fetch.h"
#include "file-atomic.h"
#include "job-save.h"
#include "text-transfer.h"
#include "util-mem.h"

enum save_step {
	STEP_EXAMINE,
	STEP_INFO,
	STEP_BODY,
	STEP_LEAVE,
};

struct save_job {
	struct job job;
	enum save_step step;
	char *mailbox;  /* wire form */
	char *display;
	uint32_t uidvalidity;
	uint32_t uid;
	char *part;     /* NULL: whole message */
	bool decode;
	char *path;
	char *item;     /* "BODY[2]": the FETCH item the reply names */

	struct job_opened opened; /* what its EXAMINE said */

	bool found; /* a FETCH of the UID came (a part's first, or the body's) */
	/* a part's, from its BODYSTRUCTURE (STEP_INFO) */
	bool size_known;
	uint64_t expected_size;
	enum transfer_encoding encoding;

	/* the body */
	struct file_atomic *file;
	struct transfer_decoder *decoder;
	bool streaming;       /* the sink is inside our literal */
	bool got_body;
	uint64_t received;    /* literal bytes */
	uint64_t literal_size;
	char local_error[512];/* a failure of ours (disk, decoder, sizes) */

};

/* RFC 9051 section-part = nz-number *("." nz-number) */
bool
job_save_part_valid(const char *part)
{
	size_t digits = 0;
	const char *p;

	if (strlen(part) > 64)
		return false;
	for (p = part;; p++) {
		if (*p >= '0' && *p <= '9') {
			if (digits == 0 && *p == '0')
				return false;
			digits++;
		} else if ((*p == '.' || *p == '\0') && digits > 0) {
			if (*p == '\0')
				return true;
			digits = 0;
		} else
			return false;
	}
}

/* --- the file --------------------------------------------------------- */

static void
local_fail(struct save_job *sj, const char *what, const char *why)
{
	if (sj->local_error[0] == '\0')
		snprintf(sj->local_error, sizeof(sj->local_error), "%s%s%s",
		    what, why != NULL ? ": " : "", why != NULL ? why : "");
}

static int
write_decoded(void *ctx, const unsigned char *data, size_t len,
    const char **error_r)
{
	struct save_job *sj = ctx;

	return file_atomic_write(sj->file, data, len, error_r);
}

static int
take_body_bytes(struct save_job *sj, const unsigned char *data, size_t len)
{
	const char *err = NULL;

	if (sj->file == NULL)
		return -1;
	if (transfer_decoder_feed(sj->decoder, data, len, &err) != 0) {
		local_fail(sj, "saving failed", err);
		return -1;
	}
	sj->received += len;
	if (sj->job.cb.progress != NULL)
		sj->job.cb.progress(sj->job.cb.ctx, sj->received,
		    sj->literal_size);
	return 0;
}

static void
discard_file(struct save_job *sj)
{
	file_atomic_abort(&sj->file);
	transfer_decoder_free(&sj->decoder);
}

/* Whether the body's length is the size the server gave (`said` names
 * where: a part's BODYSTRUCTURE, a message's RFC822.SIZE, RFC 9051
 * 7.5.2); if not, the save fails: a server whose stored size is wrong (a
 * damaged cache, a Maildir file name that lies) would otherwise hand a
 * migration a cut message. */
static bool
sizes_agree(struct save_job *sj, uint64_t body, uint64_t size,
    const char *said)
{
	char what[160];

	if (body == size)
		return true;
	snprintf(what, sizeof(what), "the server sent a body of %llu bytes, "
	    "not the %llu %s", (unsigned long long)body,
	    (unsigned long long)size, said);
	local_fail(sj, what, NULL);
	return false;
}

/* A part's size is checked before a byte is written: it must be what
 * BODYSTRUCTURE said. A whole message's RFC822.SIZE comes in the same
 * FETCH as its body, so it is checked when the response is whole, before
 * the file is kept (size_matches). */
static int
body_begins(struct save_job *sj, uint64_t size)
{
	if (sj->step != STEP_BODY || sj->got_body || sj->streaming) {
		local_fail(sj, "the server sent a second body", NULL);
		return -1;
	}
	if (sj->size_known &&
	    !sizes_agree(sj, size, sj->expected_size, "it announced"))
		return -1;
	sj->literal_size = size;
	job_notice(&sj->job, "saving %llu bytes of UID %lu%s%s",
	    (unsigned long long)size, (unsigned long)sj->uid,
	    sj->part ? " part " : "", sj->part ? sj->part : "");
	return 0;
}

/* --- the literal sink ------------------------------------------------- */

static int
sink_begin(void *ctx, uint64_t size, const char **error_r)
{
	struct save_job *sj = ctx;

	if (body_begins(sj, size) != 0) {
		*error_r = sj->local_error;
		return -1;
	}
	sj->streaming = true;
	return 0;
}

static int
sink_data(void *ctx, const unsigned char *data, size_t len,
    const char **error_r)
{
	struct save_job *sj = ctx;

	if (take_body_bytes(sj, data, len) != 0) {
		*error_r = sj->local_error;
		return -1;
	}
	return 0;
}

static int
sink_end(void *ctx, const char **error_r)
{
	struct save_job *sj = ctx;

	sj->streaming = false;
	sj->got_body = true;
	return 0;
}

static void
set_sink(struct save_job *sj, bool on)
{
	struct imap_literal_sink sink = {
		.begin = sink_begin, .data = sink_data, .end = sink_end,
		.ctx = sj,
	};

	imap_session_set_literal_sink(sj->job.session, on ? &sink : NULL);
}

/* --- leaving ---------------------------------------------------------- */

static void
leave(struct save_job *sj, enum job_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
leave(struct save_job *sj, enum job_status status, const char *fmt, ...)
{
	va_list ap;

	set_sink(sj, false);
	discard_file(sj);
	va_start(ap, fmt);
	if (job_vleave(&sj->job, status, fmt, ap))
		sj->step = STEP_LEAVE;
	va_end(ap);
}

/* --- the steps -------------------------------------------------------- */


/* The part's size and encoding from BODYSTRUCTURE. */
static void
learn_part(struct save_job *sj, const struct bodystructure_part *root)
{
	const struct bodystructure_part *p;

	if (root == NULL) {
		local_fail(sj, "the server's BODYSTRUCTURE is unreadable", NULL);
		return;
	}
	p = bodystructure_find(root, sj->part);
	if (p == NULL)
		local_fail(sj, "the message has no such part", sj->part);
	else if (!bodystructure_is_multipart(p)) {
		sj->size_known = true;
		sj->expected_size = p->size;
		if (sj->decode)
			sj->encoding = transfer_encoding_from_name(p->encoding);
		if (sj->decode && sj->encoding == TRANSFER_IDENTITY)
			job_notice(&sj->job, "part %s is %s: saved as it is",
			    sj->part, p->encoding != NULL ? p->encoding : "7bit");
	} else if (sj->decode)
		job_notice(&sj->job, "part %s is a multipart: saved as it is",
		    sj->part);
}

static void
on_info(struct save_job *sj, const struct decoded_response *d)
{
	const struct fetch_response *f = &d->u.fetch.f;

	if (d->kind != DECODED_FETCH)
		return;
	if ((f->present & FETCH_UID) && f->uid == sj->uid && !sj->found) {
		sj->found = true;
		learn_part(sj, d->u.fetch.structure);
	}
}

static void
no_such_uid(struct save_job *sj)
{
	leave(sj, JOB_FAILED, "there is no UID %lu in %s",
	    (unsigned long)sj->uid, sj->display);
}

static void
fetch_body(struct save_job *sj)
{
	const char *err = NULL;

	if (sj->part != NULL && !sj->found) {
		no_such_uid(sj);
		return;
	}
	if (sj->local_error[0] != '\0') {
		leave(sj, JOB_FAILED, "%s", sj->local_error);
		return;
	}
	if ((sj->file = file_atomic_open(sj->path, &err)) == NULL) {
		leave(sj, JOB_FAILED, "%s", err);
		return;
	}
	sj->decoder = transfer_decoder_new(sj->encoding, write_decoded, sj);
	set_sink(sj, true);
	sj->step = STEP_BODY;
	if (sj->part != NULL)
		(void)job_send(&sj->job, "UID FETCH %u (BODY.PEEK[%a])",
		    (unsigned)sj->uid, sj->part);
	else
		(void)job_send(&sj->job,
		    "UID FETCH %u (UID RFC822.SIZE BODY.PEEK[])",
		    (unsigned)sj->uid);
}

static void
examined(struct save_job *sj)
{
	if (!sj->opened.have_uidvalidity || sj->opened.uidvalidity != sj->uidvalidity) {
		leave(sj, JOB_REFUSED, "UIDVALIDITY of %s is %lu, not %lu: UID "
		    "%lu may name another message now", sj->display,
		    (unsigned long)sj->opened.uidvalidity,
		    (unsigned long)sj->uidvalidity, (unsigned long)sj->uid);
		return;
	}
	/* A whole message: one FETCH with its RFC822.SIZE (a FETCH of the
	 * size first cost a round trip, and Dovecot reads the whole message
	 * for a size it has not cached), and no BODYSTRUCTURE (a server
	 * parses all of an uncached message to answer it). A part needs its
	 * BODYSTRUCTURE first: its size and encoding (ARCHITECTURE.md,
	 * Benchmarks). */
	if (sj->part == NULL) {
		fetch_body(sj);
		return;
	}
	sj->step = STEP_INFO;
	(void)job_send(&sj->job, "UID FETCH %u (UID RFC822.SIZE BODYSTRUCTURE)",
	    (unsigned)sj->uid);
}

/* The body item of a FETCH reply: a streamed literal (its bytes went to
 * the sink), or a small one, a quoted string or NIL held inline. */
static void
on_body_item(struct save_job *sj, const struct imap_arg *value)
{
	const char *data;
	size_t len;

	if (value->type == IMAP_ARG_STREAMED) {
		if (!sj->got_body)
			local_fail(sj, "the body literal was not received",
			    NULL);
		return;
	}
	if (sj->got_body) {
		local_fail(sj, "the server sent a second body", NULL);
		return;
	}
	if (imap_arg_is_nil(value)) {
		local_fail(sj, "the server has no such body (NIL)", NULL);
		return;
	}
	if (!imap_arg_get_string(value, &data, &len) ||
	    body_begins(sj, len) != 0 ||
	    take_body_bytes(sj, (const unsigned char *)data, len) != 0) {
		local_fail(sj, "the body is not a string", NULL);
		return;
	}
	sj->got_body = true;
}

static void
on_body(struct save_job *sj, const struct decoded_response *d)
{
	const struct fetch_response *f = &d->u.fetch.f;
	const struct imap_arg *items;
	const char *name;
	bool ours;
	size_t n, i;

	/* UID and RFC822.SIZE as the decoder read them; the body item,
	 * which it leaves to whoever asked, from the raw list */
	if (d->kind != DECODED_FETCH ||
	    !imap_arg_get_list(&d->raw->args[2], &items, &n))
		return;
	ours = (f->present & FETCH_UID) && f->uid == sj->uid;
	for (i = 0; i + 1 < n; i += 2) {
		if (!imap_arg_get_atom(&items[i], &name) ||
		    strcasecmp(name, sj->item) != 0)
			continue;
		if (!ours)
			local_fail(sj, "the server sent the body of another "
			    "message", NULL);
		else
			on_body_item(sj, &items[i + 1]);
	}
	if (ours && sj->part == NULL) {
		sj->found = true;
		if ((f->present & FETCH_SIZE) && sj->got_body)
			(void)sizes_agree(sj, sj->literal_size, f->size,
			    "its RFC822.SIZE says");
	}
}

static void
body_done(struct save_job *sj)
{
	const char *err = NULL;
	uint64_t written;

	set_sink(sj, false);
	if (sj->local_error[0] == '\0' && !sj->found) {
		no_such_uid(sj);
		return;
	}
	if (sj->local_error[0] == '\0' && !sj->got_body)
		local_fail(sj, "the server sent no body", NULL);
	if (sj->local_error[0] == '\0' &&
	    transfer_decoder_finish(sj->decoder, &err) != 0)
		local_fail(sj, "decoding failed", err);
	if (sj->local_error[0] != '\0') {
		leave(sj, JOB_FAILED, "%s", sj->local_error);
		return;
	}
	written = file_atomic_written(sj->file);
	transfer_decoder_free(&sj->decoder);
	if (file_atomic_commit(&sj->file, &err) != 0) {
		leave(sj, JOB_FAILED, "%s", err);
		return;
	}
	job_notice(&sj->job, "saved %llu bytes to %s",
	    (unsigned long long)written, sj->path);
	sj->received = written;
	leave(sj, JOB_OK, NULL);
}

/* --- the job's events ---------------------------------------------------- */

static void
save_response(struct job *job, const struct decoded_response *resp)
{
	struct save_job *sj = (struct save_job *)job;

	switch (sj->step) {
	case STEP_EXAMINE:
		job_opened_take(&sj->opened, resp);
		break;
	case STEP_INFO:
		on_info(sj, resp);
		break;
	case STEP_BODY:
		on_body(sj, resp);
		break;
	case STEP_LEAVE:
		break;
	}
}

static void
save_completed(struct job *job, enum imap_command_result result,
    const struct decoded_response *tagged)
{
	struct save_job *sj = (struct save_job *)job;

	if (job->status != JOB_RUNNING) {
		/* the connection ended: what we wrote is not the message */
		set_sink(sj, false);
		discard_file(sj);
		if (sj->local_error[0] != '\0') {
			/* our own refusal cut the stream, not the network */
			job->status = JOB_FAILED;
			snprintf(job->error, sizeof(job->error), "%s",
			    sj->local_error);
		}
		return;
	}
	if (sj->step == STEP_LEAVE) {
		job_left(job);
		return;
	}
	if (result != IMAP_RESULT_OK) {
		leave(sj, JOB_FAILED, "%s: %s", sj->step == STEP_EXAMINE ?
		    "EXAMINE" : "UID FETCH", tagged->raw->text);
		return;
	}
	switch (sj->step) {
	case STEP_EXAMINE:
		examined(sj);
		break;
	case STEP_INFO:
		fetch_body(sj);
		break;
	case STEP_BODY:
		body_done(sj);
		break;
	case STEP_LEAVE:
		break;
	}
}

static void
save_free(struct job *job)
{
	struct save_job *sj = (struct save_job *)job;

	if (sj->step == STEP_BODY)
		set_sink(sj, false);
	discard_file(sj);
	free(sj->mailbox);
	free(sj->display);
	free(sj->part);
	free(sj->path);
	free(sj->item);
	free(sj);
}

static const struct job_ops save_ops = {
	.name = "save",
	.response = save_response,
	.completed = save_completed,
	.free = save_free,
};

uint64_t
job_save_written(const struct job *job)
{
	const struct save_job *sj = (const struct save_job *)job;

	return job->ops == &save_ops ? sj->received : 0;
}

struct job *
job_save_start(struct imap_session *session, const struct save_params *p,
    const struct job_callbacks *cb, const char **error_r)
{
	struct save_job *sj;
	char *mailbox;

	if (p->uid == 0 || p->uidvalidity == 0) {
		*error_r = "UID and UIDVALIDITY must be given (not 0)";
		return NULL;
	}
	if (p->part != NULL && !job_save_part_valid(p->part)) {
		*error_r = "a part is a number such as 2 or 1.3";
		return NULL;
	}
	if (p->decode && p->part == NULL) {
		*error_r = "decoding needs a part (a message has no one "
			   "transfer encoding)";
		return NULL;
	}
	if (p->path == NULL || p->path[0] == '\0') {
		*error_r = "no output file given";
		return NULL;
	}
	if ((mailbox = job_mailbox_wire(p->mailbox, error_r)) == NULL)
		return NULL;
	sj = xcalloc(1, sizeof(*sj));
	job_init(&sj->job, &save_ops, session, cb);
	sj->mailbox = mailbox;
	sj->display = xstrdup(p->mailbox);
	sj->uidvalidity = p->uidvalidity;
	sj->uid = p->uid;
	sj->part = p->part != NULL ? xstrdup(p->part) : NULL;
	sj->decode = p->decode;
	sj->path = xstrdup(p->path);
	sj->item = xasprintf("BODY[%s]", p->part != NULL ? p->part : "");
	sj->step = STEP_EXAMINE;
	(void)job_send(&sj->job, "EXAMINE %s", sj->mailbox);
	return &sj->job;
}
