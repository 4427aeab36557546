/* job-delete: the safe delete by UID. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode-code.h"
#include "decode-fetch.h"
#include "decode-mailbox.h"
#include "decode-search.h"
#include "imap-command.h"
#include "job-delete.h"
#include "util-mem.h"

/* One command carries the whole set; servers take lines of 64 KB. */
#define SET_TEXT_MAX 60000u

/* What acting sends; job_delete_plan() shows the same formats. */
#define FMT_MOVE "UID MOVE %a %s"
#define FMT_STORE_MODSEQ \
	"UID STORE %a (UNCHANGEDSINCE %U) +FLAGS.SILENT (\\Deleted)"
#define FMT_STORE "UID STORE %a +FLAGS.SILENT (\\Deleted)"
#define FMT_EXPUNGE "UID EXPUNGE %a"
#define FMT_VERIFY "UID SEARCH UID %a"

enum delete_mode {
	MODE_EXPUNGE, /* UID STORE + UID EXPUNGE (UIDPLUS) */
	MODE_MOVE,    /* UID MOVE */
	MODE_REFUSE,  /* neither: count the others' \Deleted, refuse */
};

enum delete_step {
	STEP_FIND_TRASH,
	STEP_SELECT,
	STEP_COUNT_DELETED,
	STEP_CHECK,
	STEP_CONFIRM,
	STEP_MOVE,
	STEP_STORE,
	STEP_EXPUNGE,
	STEP_VERIFY,
	STEP_LEAVE,
};

struct delete_job {
	struct job job;
	enum delete_mode mode;
	enum delete_step step;
	char *mailbox;       /* wire form */
	char *display;       /* UTF-8 */
	char *target;        /* wire form of the MOVE target, or NULL */
	uint32_t uidvalidity;
	bool dry_run, confirm, trash;
	struct seqset requested;
	struct delete_expected_size *sizes;
	size_t size_count;

	/* what SELECT said */
	struct job_opened opened; /* what its SELECT said (UIDVALIDITY: the
				     latest heard) */
	uint64_t generation;    /* the session's selection after our SELECT */

	struct seqset found;   /* UIDs there, from the check */
	uint64_t found_count;
	uint64_t found_bytes;
	bool changed;          /* a size differs from the scan */
	struct seqset modified;/* [MODIFIED] of the STORE */
	uint64_t removed;      /* EXPUNGE / VANISHED seen */
	uint64_t others_deleted;
	uint64_t remaining;    /* UIDs the verification still found */

	/* how the job ends once it has left the mailbox */
};

static void leave(struct delete_job *dj, enum job_status status,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static char *
set_text(const struct seqset *set)
{
	struct buf b;

	buf_init(&b, SET_TEXT_MAX);
	if (seqset_format(set, &b) != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Send a command whose format has one %a: the set. */
static void
send_with_set(struct delete_job *dj, const struct seqset *set,
    const char *fmt)
{
	char *text = set_text(set);

	if (text == NULL) {
		job_finish(&dj->job, JOB_FAILED, "the UID set is too long");
		return;
	}
	(void)job_send(&dj->job, fmt, text);
	free(text);
}

/* --- leaving ---------------------------------------------------------- */

/* End the job after leaving the mailbox (job_vleave). */
static void
leave(struct delete_job *dj, enum job_status status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (job_vleave(&dj->job, status, fmt, ap))
		dj->step = STEP_LEAVE;
	va_end(ap);
}

/* --- choosing the way ------------------------------------------------- */

static void
select_mailbox(struct delete_job *dj)
{
	struct imap_session *s = dj->job.session;
	bool read_only = dj->dry_run || dj->mode == MODE_REFUSE;
	const char *verb = read_only ? "EXAMINE" : "SELECT";

	dj->step = STEP_SELECT;
	if (imap_session_has_capability(s, "CONDSTORE"))
		(void)job_send(&dj->job, "%a %s (CONDSTORE)", verb, dj->mailbox);
	else
		(void)job_send(&dj->job, "%a %s", verb, dj->mailbox);
}

static void
plan(struct delete_job *dj)
{
	struct imap_session *s = dj->job.session;

	if (dj->target != NULL) {
		if (!imap_session_has_capability(s, "MOVE")) {
			job_finish(&dj->job, JOB_REFUSED, "the server does not "
			    "offer MOVE: nothing was changed");
			return;
		}
		dj->mode = MODE_MOVE;
	} else if (imap_session_has_capability(s, "UIDPLUS"))
		dj->mode = MODE_EXPUNGE;
	else
		dj->mode = MODE_REFUSE;
	select_mailbox(dj);
}

static void
on_list(struct delete_job *dj, const struct decoded_response *d)
{
	const struct list_response *l = &d->u.list;

	if (dj->target != NULL || d->kind != DECODED_LIST || l->lsub)
		return;
	if (l->special_use != NULL &&
	    strcasecmp(l->special_use, "\\Trash") == 0 &&
	    (l->attrs & LIST_ATTR_NOSELECT) == 0)
		dj->target = xstrdup(l->name);
}

static void
trash_found(struct delete_job *dj)
{
	char *shown;

	if (dj->target == NULL) {
		job_finish(&dj->job, JOB_REFUSED, "the server names no \\Trash "
		    "mailbox (SPECIAL-USE): nothing was changed");
		return;
	}
	shown = job_mailbox_display(dj->target);
	job_notice(&dj->job, "the \\Trash mailbox is %s", shown);
	free(shown);
	plan(dj);
}

/* --- after SELECT ----------------------------------------------------- */


static void
count_others_deleted(struct delete_job *dj)
{
	dj->step = STEP_COUNT_DELETED;
	(void)job_send(&dj->job, "UID SEARCH DELETED");
}

static void
selected(struct delete_job *dj)
{
	dj->generation =
	    imap_session_selection_generation(dj->job.session);
	if (!dj->opened.have_uidvalidity) {
		leave(dj, JOB_REFUSED, "the server gave no UIDVALIDITY for %s: "
		    "nothing was changed", dj->display);
		return;
	}
	if (dj->opened.uidvalidity != dj->uidvalidity) {
		leave(dj, JOB_REFUSED, "UIDVALIDITY of %s is %lu, not %lu: the "
		    "UIDs may name other messages now; nothing was changed",
		    dj->display, (unsigned long)dj->opened.uidvalidity,
		    (unsigned long)dj->uidvalidity);
		return;
	}
	if (!dj->dry_run && dj->mode != MODE_REFUSE &&
	    imap_session_read_only(dj->job.session)) {
		leave(dj, JOB_REFUSED, "%s is read-only: nothing was changed",
		    dj->display);
		return;
	}
	job_notice(&dj->job, "%s: UIDVALIDITY %lu as expected%s", dj->display,
	    (unsigned long)dj->uidvalidity,
	    dj->opened.highestmodseq > 0 ? ", CONDSTORE in use" : "");
	if (dj->mode == MODE_REFUSE) {
		count_others_deleted(dj);
		return;
	}
	dj->step = STEP_CHECK;
	send_with_set(dj, &dj->requested, "UID FETCH %a (UID RFC822.SIZE)");
}

/* --- the refusal without UIDPLUS or MOVE --------------------------------- */

static void
on_deleted_search(struct delete_job *dj, const struct decoded_response *d)
{
	size_t i;

	if (d->kind != DECODED_SEARCH)
		return;
	for (i = 0; i < d->u.search.count; i++)
		if (!seqset_contains(&dj->requested, d->u.search.numbers[i], 0))
			dj->others_deleted++;
}

static void
refuse_without_uidplus(struct delete_job *dj)
{
	bool move = imap_session_has_capability(dj->job.session, "MOVE");

	leave(dj, JOB_REFUSED, "the server offers no UIDPLUS%s: a plain "
	    "EXPUNGE would also remove %llu other message%s marked \\Deleted "
	    "in %s; nothing was changed%s", move ? "" : " and no MOVE",
	    (unsigned long long)dj->others_deleted,
	    dj->others_deleted == 1 ? "" : "s", dj->display,
	    move ? " (--move-to moves them instead)" : "");
}

/* --- the check -------------------------------------------------------- */

static const struct delete_expected_size *
expected_size(const struct delete_job *dj, uint32_t uid)
{
	size_t i;

	for (i = 0; i < dj->size_count; i++)
		if (dj->sizes[i].uid == uid)
			return &dj->sizes[i];
	return NULL;
}

static void
on_check(struct delete_job *dj, const struct decoded_response *d)
{
	const struct delete_expected_size *want;
	const struct fetch_response *f = &d->u.fetch.f;

	if (d->kind != DECODED_FETCH ||
	    (f->present & (FETCH_UID | FETCH_SIZE)) !=
		(FETCH_UID | FETCH_SIZE) ||
	    !seqset_contains(&dj->requested, f->uid, 0) ||
	    seqset_contains(&dj->found, f->uid, 0))
		return;
	want = expected_size(dj, f->uid);
	if (want != NULL && want->size != f->size) {
		job_notice(&dj->job, "UID %lu is %llu bytes now, not %llu as "
		    "scanned", (unsigned long)f->uid,
		    (unsigned long long)f->size,
		    (unsigned long long)want->size);
		dj->changed = true;
	} else
		job_notice(&dj->job, "UID %lu: %llu bytes",
		    (unsigned long)f->uid, (unsigned long long)f->size);
	seqset_add(&dj->found, f->uid, f->uid);
	dj->found_count++;
	dj->found_bytes += f->size;
}

static void act(struct delete_job *dj);

static void
checked(struct delete_job *dj)
{
	uint64_t want = seqset_count(&dj->requested, 1);

	if (dj->found_count != want || dj->changed) {
		leave(dj, JOB_REFUSED, "%llu of the %llu UIDs %s: they changed "
		    "since the scan; nothing was changed",
		    (unsigned long long)(dj->changed ? dj->found_count :
			want - dj->found_count), (unsigned long long)want,
		    dj->changed ? "have another size" : "are not in the mailbox");
		return;
	}
	if (dj->confirm && !dj->dry_run) {
		char question[256];

		snprintf(question, sizeof(question), "%s %llu message%s "
		    "(%llu bytes) from %s%s?", dj->mode == MODE_MOVE ? "Move" :
		    "Delete", (unsigned long long)dj->found_count,
		    dj->found_count == 1 ? "" : "s",
		    (unsigned long long)dj->found_bytes, dj->display,
		    dj->mode == MODE_MOVE ? " to the target" : "");
		dj->step = STEP_CONFIRM;
		if (dj->job.cb.confirm != NULL)
			dj->job.cb.confirm(dj->job.cb.ctx, question);
		else
			job_delete_confirm(&dj->job, false);
		return;
	}
	act(dj);
}

/* --- acting ----------------------------------------------------------- */

/* Right before a destructive command, check again (../shared/DESIGN.md):
 * the session must still have the mailbox this job selected and checked,
 * read-write, with the same UIDVALIDITY, and no SELECT, EXAMINE, CLOSE or
 * UNSELECT may have completed since the job's own SELECT or be on its way
 * (the command would then act on whatever that one selects). False when
 * all holds, else true with why not in why. */
static bool
selection_changed(const struct delete_job *dj, char *why, size_t size)
{
	struct imap_session *s = dj->job.session;
	const char *now = imap_session_mailbox(s);

	if (imap_session_selection_generation(s) != dj->generation)
		snprintf(why, size, "another SELECT, EXAMINE, CLOSE or "
		    "UNSELECT has ended on the session since the job's SELECT");
	else if (imap_session_find_in_flight(s,
		     IMAP_CMDF_SELECTS | IMAP_CMDF_LEAVES) != NULL)
		snprintf(why, size, "a SELECT, EXAMINE, CLOSE or UNSELECT is on "
		    "its way on the session");
	else if (imap_session_state(s) != IMAP_STATE_SELECTED || now == NULL ||
	    strcmp(now, dj->mailbox) != 0)
		snprintf(why, size, "%s is no longer selected", dj->display);
	else if (imap_session_read_only(s))
		snprintf(why, size, "%s is read-only now", dj->display);
	else if (imap_session_uidvalidity(s) != dj->uidvalidity)
		snprintf(why, size, "the UIDVALIDITY of %s changed",
		    dj->display);
	else
		return false;
	return true;
}

/* Refuse without leaving: an UNSELECT now would close the mailbox someone
 * else selected. */
static bool
refuse_if_changed(struct delete_job *dj, const char *command)
{
	char why[256];

	if (!selection_changed(dj, why, sizeof(why)))
		return false;
	job_finish(&dj->job, JOB_REFUSED, "%s, so %s was not sent; nothing "
	    "was changed", why, command);
	return true;
}

static void
would_send(struct delete_job *dj, const char *what, const char *set)
{
	job_notice(&dj->job, "dry run, not sent: UID %s %s%s", what, set,
	    strcmp(what, "STORE") == 0 ? dj->opened.highestmodseq > 0 ?
	    " (UNCHANGEDSINCE ...) +FLAGS.SILENT (\\Deleted)" :
	    " +FLAGS.SILENT (\\Deleted)" : "");
}

static void
dry_run(struct delete_job *dj)
{
	char *set = set_text(&dj->found);

	if (set == NULL)
		set = xstrdup("(too long)");
	if (dj->mode == MODE_MOVE) {
		char *shown = job_mailbox_display(dj->target);

		job_notice(&dj->job, "dry run, not sent: UID MOVE %s %s", set,
		    shown);
		free(shown);
	} else {
		would_send(dj, "STORE", set);
		would_send(dj, "EXPUNGE", set);
	}
	free(set);
	leave(dj, JOB_OK, NULL);
}

static void
act(struct delete_job *dj)
{
	char *set;

	if (dj->dry_run) {
		dry_run(dj);
		return;
	}
	if (refuse_if_changed(dj, dj->mode == MODE_MOVE ? "UID MOVE" :
	    "UID STORE"))
		return;
	if (dj->mode == MODE_MOVE) {
		if ((set = set_text(&dj->found)) == NULL) {
			leave(dj, JOB_FAILED, "the UID set is too long");
			return;
		}
		dj->step = STEP_MOVE;
		(void)job_send(&dj->job, FMT_MOVE, set, dj->target);
		free(set);
		return;
	}
	dj->step = STEP_STORE;
	if (dj->opened.highestmodseq > 0) {
		if ((set = set_text(&dj->found)) == NULL) {
			leave(dj, JOB_FAILED, "the UID set is too long");
			return;
		}
		(void)job_send(&dj->job, FMT_STORE_MODSEQ, set,
		    dj->opened.highestmodseq);
		free(set);
	} else
		send_with_set(dj, &dj->found, FMT_STORE);
}

static void
add_to_seqset(void *set, uint32_t lo, uint32_t hi)
{
	seqset_add(set, lo, hi);
}

/* [MODIFIED set] in the STORE's tagged reply (RFC 7162 3.1.3). */
static void
note_modified(struct delete_job *dj, const struct decoded_response *tagged)
{
	decoded_modified_set(tagged, add_to_seqset, &dj->modified);
}

/* The found UIDs less those another client changed since SELECT. */
static void
drop_modified(struct delete_job *dj)
{
	struct seqset keep = { 0 };
	struct seqset_iter it;
	uint32_t uid;
	uint64_t dropped = 0;

	if (dj->modified.count == 0)
		return;
	seqset_iter_init(&it, &dj->found, 1);
	while (seqset_iter_next(&it, &uid)) {
		if (seqset_contains(&dj->modified, uid, 1)) {
			job_notice(&dj->job, "UID %lu was changed by another "
			    "client since SELECT ([MODIFIED]): left alone",
			    (unsigned long)uid);
			dropped++;
			continue;
		}
		seqset_add(&keep, uid, uid);
	}
	seqset_free(&dj->found);
	dj->found = keep;
	dj->found_count -= dropped;
}

static void
verify(struct delete_job *dj)
{
	dj->step = STEP_VERIFY;
	send_with_set(dj, &dj->found, FMT_VERIFY);
}

static void
stored(struct delete_job *dj, enum imap_command_result result,
    const struct decoded_response *tagged)
{
	char why[256];

	if (result != IMAP_RESULT_OK) {
		leave(dj, JOB_FAILED, "UID STORE was refused: %s",
		    tagged->raw->text);
		return;
	}
	note_modified(dj, tagged);
	drop_modified(dj);
	if (dj->found_count == 0) {
		leave(dj, JOB_FAILED, "every candidate changed during the "
		    "delete: nothing was expunged");
		return;
	}
	/* The flags are set by now: not a refusal, something changed. */
	if (selection_changed(dj, why, sizeof(why))) {
		job_finish(&dj->job, JOB_FAILED, "%s, so UID EXPUNGE was not "
		    "sent; %llu message%s of %s stay%s flagged \\Deleted", why,
		    (unsigned long long)dj->found_count,
		    dj->found_count == 1 ? "" : "s", dj->display,
		    dj->found_count == 1 ? "s" : "");
		return;
	}
	dj->step = STEP_EXPUNGE;
	send_with_set(dj, &dj->found, FMT_EXPUNGE);
}

static void
on_removal(struct delete_job *dj, const struct decoded_response *d)
{
	if (d->kind == DECODED_COUNT &&
	    d->u.count.kind == MESSAGE_COUNT_EXPUNGE)
		dj->removed++;
	else if (d->kind == DECODED_VANISHED && !d->u.vanished.earlier)
		dj->removed += seqset_count(&d->u.vanished.uids, 1);
}

static void
on_verify(struct delete_job *dj, const struct decoded_response *d)
{
	const struct search_result *sr = &d->u.search;
	size_t i;

	if (d->kind != DECODED_SEARCH)
		return;
	for (i = 0; i < sr->count; i++)
		if (seqset_contains(&dj->found, sr->numbers[i], 1)) {
			job_notice(&dj->job, "UID %lu is still there",
			    (unsigned long)sr->numbers[i]);
			dj->remaining++;
		}
}

static void
verified(struct delete_job *dj)
{
	uint64_t dropped = seqset_count(&dj->requested, 1) - dj->found_count;

	if (dj->remaining > 0) {
		leave(dj, JOB_FAILED, "%llu of the UIDs are still in %s after "
		    "%s", (unsigned long long)dj->remaining, dj->display,
		    dj->mode == MODE_MOVE ? "UID MOVE" : "UID EXPUNGE");
		return;
	}
	job_notice(&dj->job, "verified: none of the %llu UIDs %s remain in %s",
	    (unsigned long long)dj->found_count,
	    dj->mode == MODE_MOVE ? "moved" : "expunged", dj->display);
	if (dropped > 0)
		leave(dj, JOB_FAILED, "%llu candidate%s changed during the "
		    "delete and %s left alone", (unsigned long long)dropped,
		    dropped == 1 ? "" : "s", dropped == 1 ? "was" : "were");
	else
		leave(dj, JOB_OK, NULL);
}

/* --- the job's events ------------------------------------------------- */

static void
delete_response(struct job *job, const struct decoded_response *resp)
{
	struct delete_job *dj = (struct delete_job *)job;

	switch (dj->step) {
	case STEP_FIND_TRASH:
		on_list(dj, resp);
		break;
	case STEP_SELECT:
		job_opened_take(&dj->opened, resp);
		break;
	case STEP_COUNT_DELETED:
		on_deleted_search(dj, resp);
		break;
	case STEP_CHECK:
		on_check(dj, resp);
		break;
	case STEP_MOVE:
	case STEP_EXPUNGE:
		on_removal(dj, resp);
		break;
	case STEP_VERIFY:
		on_verify(dj, resp);
		break;
	case STEP_STORE:
	case STEP_CONFIRM:
	case STEP_LEAVE:
		break;
	}
}

static void
delete_completed(struct job *job, enum imap_command_result result,
    const struct decoded_response *tagged)
{
	struct delete_job *dj = (struct delete_job *)job;

	if (job->status != JOB_RUNNING)
		return;
	if (dj->step == STEP_LEAVE) {
		job_left(job);
		return;
	}
	if (dj->step == STEP_STORE) {
		stored(dj, result, tagged);
		return;
	}
	if (result != IMAP_RESULT_OK) {
		if (dj->step == STEP_SELECT)
			job_finish(job, JOB_FAILED, "cannot open %s: %s",
			    dj->display, tagged->raw->text);
		else
			leave(dj, JOB_FAILED, "%s was refused: %s",
			    dj->step == STEP_MOVE ? "UID MOVE" :
			    dj->step == STEP_EXPUNGE ? "UID EXPUNGE" :
			    "a command", tagged->raw->text);
		return;
	}
	switch (dj->step) {
	case STEP_FIND_TRASH:
		trash_found(dj);
		break;
	case STEP_SELECT:
		selected(dj);
		break;
	case STEP_COUNT_DELETED:
		refuse_without_uidplus(dj);
		break;
	case STEP_CHECK:
		checked(dj);
		break;
	case STEP_MOVE:
	case STEP_EXPUNGE:
		verify(dj);
		break;
	case STEP_VERIFY:
		verified(dj);
		break;
	case STEP_STORE:
	case STEP_CONFIRM:
	case STEP_LEAVE:
		break;
	}
}

static void
delete_free(struct job *job)
{
	struct delete_job *dj = (struct delete_job *)job;

	free(dj->mailbox);
	free(dj->display);
	free(dj->target);
	free(dj->sizes);
	seqset_free(&dj->requested);
	seqset_free(&dj->found);
	seqset_free(&dj->modified);
	free(dj);
}

static const struct job_ops delete_ops = {
	.name = "delete",
	.always_unselects = true,
	.response = delete_response,
	.completed = delete_completed,
	.free = delete_free,
};

bool
job_delete_awaits_confirmation(const struct job *job)
{
	const struct delete_job *dj = (const struct delete_job *)job;

	return job->ops == &delete_ops && job->status == JOB_RUNNING &&
	    dj->step == STEP_CONFIRM;
}

void
job_delete_confirm(struct job *job, bool yes)
{
	struct delete_job *dj = (struct delete_job *)job;

	if (!job_delete_awaits_confirmation(job))
		return;
	if (yes)
		act(dj);
	else
		leave(dj, JOB_REFUSED, "not confirmed: nothing was changed");
}

/* One command as it will go, without its tag and CRLF, as a line. */
static void
plan_line(const struct delete_job *dj, struct buf *out, const char *fmt, ...)
{
	struct imap_literal_caps caps;
	struct imap_command *cmd;
	const char *err = NULL;
	struct buf line;
	va_list ap;
	size_t i;

	imap_session_literal_caps(dj->job.session, &caps);
	va_start(ap, fmt);
	cmd = imap_command_vbuild("T", &caps, &err, fmt, ap);
	va_end(ap);
	if (cmd == NULL) {
		buf_printf(out, "(cannot be built: %s)\n", err);
		return;
	}
	buf_init(&line, SET_TEXT_MAX * 2);
	for (i = 0; i < cmd->chunk_count; i++)
		buf_append(&line, cmd->chunks[i].data.data,
		    cmd->chunks[i].data.len);
	imap_command_free(&cmd);
	/* drop "T " and the final CRLF; a literal's CRLF shows as a space */
	for (i = 2; i < line.len; i++) {
		if (i + 2 == line.len && line.data[i] == '\r')
			break;
		buf_append_byte(out, line.data[i] == '\r' ||
		    line.data[i] == '\n' ? ' ' : line.data[i]);
	}
	buf_append_byte(out, '\n');
	buf_free(&line);
}

void
job_delete_plan(const struct job *job, struct buf *out)
{
	const struct delete_job *dj = (const struct delete_job *)job;
	char *set;

	if (!job_delete_awaits_confirmation(job) ||
	    (set = set_text(&dj->found)) == NULL)
		return;
	if (dj->mode == MODE_MOVE)
		plan_line(dj, out, FMT_MOVE, set, dj->target);
	else {
		if (dj->opened.highestmodseq > 0)
			plan_line(dj, out, FMT_STORE_MODSEQ, set,
			    dj->opened.highestmodseq);
		else
			plan_line(dj, out, FMT_STORE, set);
		plan_line(dj, out, FMT_EXPUNGE, set);
	}
	plan_line(dj, out, FMT_VERIFY, set);
	if (job_needs_unselect(&dj->job))
		plan_line(dj, out, "UNSELECT");
	free(set);
}

uint64_t
job_delete_removed(const struct job *job)
{
	return job->ops == &delete_ops ?
	    ((const struct delete_job *)job)->removed : 0;
}

static bool
valid_uid_set(const struct seqset *set)
{
	size_t i;

	if (set == NULL || set->count == 0)
		return false;
	for (i = 0; i < set->count; i++)
		if (set->ranges[i].lo == SEQSET_STAR ||
		    set->ranges[i].hi == SEQSET_STAR)
			return false;
	return true;
}

static int
range_cmp(const void *a, const void *b)
{
	const struct seqset_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The set in order with overlaps merged, so "5,5" or "1:9,3" count each
 * UID once. */
static void
copy_set(struct seqset *to, const struct seqset *from)
{
	struct seqset_range *r;
	size_t i;

	memset(to, 0, sizeof(*to));
	r = xreallocarray(NULL, from->count, sizeof(*r));
	memcpy(r, from->ranges, from->count * sizeof(*r));
	qsort(r, from->count, sizeof(*r), range_cmp);
	for (i = 0; i < from->count; i++) {
		struct seqset_range *last = to->count > 0 ?
		    &to->ranges[to->count - 1] : NULL;

		if (last != NULL && r[i].lo <= last->hi) {
			if (r[i].hi > last->hi)
				last->hi = r[i].hi;
			continue;
		}
		seqset_add(to, r[i].lo, r[i].hi);
	}
	free(r);
}

struct job *
job_delete_start(struct imap_session *session, const struct delete_params *p,
    const struct job_callbacks *cb, const char **error_r)
{
	struct delete_job *dj;
	char *mailbox, *target = NULL, *text;

	if (!valid_uid_set(p->uids)) {
		*error_r = "the UID set is empty or holds '*'";
		return NULL;
	}
	if ((text = set_text(p->uids)) == NULL) {
		*error_r = "the UID set is too long for one command";
		return NULL;
	}
	free(text);
	if (p->uidvalidity == 0) {
		*error_r = "UIDVALIDITY must be given (not 0)";
		return NULL;
	}
	if ((mailbox = job_mailbox_wire(p->mailbox, error_r)) == NULL)
		return NULL;
	if (p->move_to != NULL &&
	    (target = job_mailbox_wire(p->move_to, error_r)) == NULL) {
		free(mailbox);
		return NULL;
	}
	dj = xcalloc(1, sizeof(*dj));
	job_init(&dj->job, &delete_ops, session, cb);
	dj->mailbox = mailbox;
	dj->display = xstrdup(p->mailbox);
	dj->target = target;
	dj->uidvalidity = p->uidvalidity;
	dj->dry_run = p->dry_run;
	dj->confirm = p->confirm;
	dj->trash = p->move_to_trash && target == NULL;
	copy_set(&dj->requested, p->uids);
	if (p->size_count > 0) {
		dj->sizes = xreallocarray(NULL, p->size_count,
		    sizeof(*dj->sizes));
		memcpy(dj->sizes, p->sizes, p->size_count * sizeof(*dj->sizes));
		dj->size_count = p->size_count;
	}
	if (dj->trash) {
		dj->step = STEP_FIND_TRASH;
		if (imap_session_has_capability(session, "SPECIAL-USE"))
			(void)job_send(&dj->job, "LIST (SPECIAL-USE) \"\" *");
		else
			(void)job_send(&dj->job, "LIST \"\" *");
	} else
		plan(dj);
	return &dj->job;
}
