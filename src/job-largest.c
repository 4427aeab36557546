/* job-largest: rank the largest messages across mailboxes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "decode-bodystructure.h"
#include "decode-code.h"
#include "decode-fetch.h"
#include "decode-mailbox.h"
#include "decode-search.h"
#include "job-largest.h"
#include "job-uidset.h"
#include "text-mime.h"
#include "util-mem.h"
#include "util-u64set.h"

#define TEXT_MAX (64u * 1024)

enum largest_step {
	STEP_LIST,
	STEP_EXAMINE,
	STEP_SORT,
	STEP_SEARCH,
	STEP_SIZES,
	STEP_DETAILS_EXAMINE,
	STEP_DETAILS,
	STEP_UNSELECT,
};

struct scan_mailbox {
	char *raw;
	char *display;
	uint32_t uidvalidity;
	bool explicit; /* named by the user: failing to open it fails */
};

struct candidate {
	size_t mailbox;
	uint32_t uid;
	uint64_t size;
	bool detailed;
	char *date, *from, *subject, *part, *part_type;
	uint64_t part_size;
};

struct winner_ref {
	uint32_t uid;
	size_t index; /* in top */
};

struct largest_job {
	struct job job;
	struct largest_callbacks cb;
	size_t count;
	uint64_t min_size;
	enum largest_step step;

	struct scan_mailbox *boxes;
	size_t box_count;
	size_t current;        /* the mailbox being scanned or detailed */
	size_t selected;       /* the mailbox EXAMINEd last, or SIZE_MAX */

	/* what the last EXAMINE said */
	struct job_opened opened; /* what its EXAMINE said */

	struct job_uidset todo; /* UIDs still to FETCH */
	bool fetch_all;         /* UID FETCH 1:* still to send */

	/* While scanning, a heap whose root is the candidate that ranks
	 * last (the first to go); once every mailbox is scanned, sorted in
	 * rank order. */
	struct candidate *top;
	size_t top_count;
	struct u64set in_top; /* candidate_key() of each candidate in top */

	/* The current mailbox's winners by UID, while their details come:
	 * a reply finds its candidate by binary search (N may be 100,000). */
	struct winner_ref *winners;
	size_t winner_count;
};

static void examine_next(struct largest_job *lj);
static void details_next(struct largest_job *lj);
static void fetch_sizes_next(struct largest_job *lj);

/* --- the ranking --------------------------------------------------------- */

static void
candidate_clear(struct candidate *c)
{
	free(c->date);
	free(c->from);
	free(c->subject);
	free(c->part);
	free(c->part_type);
	memset(c, 0, sizeof(*c));
}

/* The rank order, which SORT (REVERSE SIZE) gives too: larger first;
 * equal sizes by mailbox (in scan order), then by UID (RFC 5256 3: ties
 * go by ascending sequence number, so ascending UID). */
static bool
ranks_before(const struct candidate *a, const struct candidate *b)
{
	if (a->size != b->size)
		return a->size > b->size;
	if (a->mailbox != b->mailbox)
		return a->mailbox < b->mailbox;
	return a->uid < b->uid;
}

static void
swap_candidates(struct candidate *a, struct candidate *b)
{
	struct candidate t = *a;

	*a = *b;
	*b = t;
}

/* The heap's parent ranks after its children. */
static void
heap_up(struct candidate *h, size_t i)
{
	while (i > 0 && ranks_before(&h[(i - 1) / 2], &h[i])) {
		swap_candidates(&h[(i - 1) / 2], &h[i]);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct candidate *h, size_t n, size_t i)
{
	size_t last, child;

	for (;;) {
		last = i;
		child = 2 * i + 1;
		if (child < n && ranks_before(&h[last], &h[child]))
			last = child;
		if (child + 1 < n && ranks_before(&h[last], &h[child + 1]))
			last = child + 1;
		if (last == i)
			return;
		swap_candidates(&h[i], &h[last]);
		i = last;
	}
}

/* A candidate's (mailbox, UID) as one key for the in_top set. */
static uint64_t
candidate_key(const struct candidate *c)
{
	return (uint64_t)c->mailbox << 32 | c->uid;
}

/* Keep the message if it is among the N largest so far: O(log N), and
 * most messages lose at once, against the root. */
static void
consider(struct largest_job *lj, uint32_t uid, uint64_t size)
{
	struct candidate c = { .mailbox = lj->current, .uid = uid,
		.size = size };

	if (size < lj->min_size)
		return;
	if (lj->top_count == lj->count && !ranks_before(&c, &lj->top[0]))
		return;
	/* a server that repeats itself: a set, since N may be 100,000 */
	if (!u64set_add(&lj->in_top, candidate_key(&c)))
		return;
	if (lj->top_count < lj->count) {
		lj->top[lj->top_count] = c;
		heap_up(lj->top, lj->top_count++);
		return;
	}
	(void)u64set_remove(&lj->in_top, candidate_key(&lj->top[0]));
	candidate_clear(&lj->top[0]);
	lj->top[0] = c;
	heap_down(lj->top, lj->top_count, 0);
}

static int
compare_rank(const void *a, const void *b)
{
	return ranks_before(a, b) ? -1 : ranks_before(b, a) ? 1 : 0;
}

/* The scan is over: the heap becomes the ranking. */
static void
rank_candidates(struct largest_job *lj)
{
	qsort(lj->top, lj->top_count, sizeof(*lj->top), compare_rank);
}

/* --- mailboxes ----------------------------------------------------------- */

static void
add_mailbox(struct largest_job *lj, const char *raw, bool explicit)
{
	struct scan_mailbox *b;

	lj->boxes = xreallocarray(lj->boxes, lj->box_count + 1,
	    sizeof(*lj->boxes));
	b = &lj->boxes[lj->box_count++];
	memset(b, 0, sizeof(*b));
	b->raw = xstrdup(raw);
	b->display = job_mailbox_display(raw);
	b->explicit = explicit;
}

static void
on_list(struct largest_job *lj, const struct decoded_response *d)
{
	if (d->kind != DECODED_LIST || d->u.list.lsub)
		return;
	if ((d->u.list.attrs & (LIST_ATTR_NOSELECT | LIST_ATTR_NONEXISTENT)) ==
	    0)
		add_mailbox(lj, d->u.list.name, false);
}

/* --- scanning one mailbox ------------------------------------------------ */


/* The candidates of a mailbox, by the cheapest means the server offers. */
static void
find_candidates(struct largest_job *lj)
{
	struct imap_session *s = lj->job.session;
	uint64_t larger = lj->min_size > 0 ? lj->min_size - 1 : 0;

	if (imap_session_has_capability(s, "SORT")) {
		lj->step = STEP_SORT;
		if (lj->min_size > 0)
			(void)job_send(&lj->job,
			    "UID SORT (REVERSE SIZE) US-ASCII LARGER %U", larger);
		else
			(void)job_send(&lj->job,
			    "UID SORT (REVERSE SIZE) US-ASCII ALL");
	} else if (lj->min_size > 0) {
		lj->step = STEP_SEARCH;
		if (imap_session_has_capability(s, "ESEARCH"))
			(void)job_send(&lj->job,
			    "UID SEARCH RETURN (ALL) LARGER %U", larger);
		else
			(void)job_send(&lj->job, "UID SEARCH LARGER %U", larger);
	} else {
		/* one command: the sizes stream through the top-N heap */
		lj->fetch_all = true;
		job_uidset_reset(&lj->todo);
		fetch_sizes_next(lj);
	}
}

static void
mailbox_done(struct largest_job *lj)
{
	if (lj->job.cb.progress != NULL)
		lj->job.cb.progress(lj->job.cb.ctx, lj->current + 1,
		    lj->box_count);
	lj->current++;
	examine_next(lj);
}

/* The next UID FETCH of sizes: from the candidates' set, or of every
 * message. */
static void
fetch_sizes_next(struct largest_job *lj)
{
	char line[JOB_LARGEST_LINE_TARGET + 32];

	lj->step = STEP_SIZES;
	if (job_uidset_next_chunk(&lj->todo, line, sizeof(line),
		JOB_LARGEST_LINE_TARGET)) {
		(void)job_send(&lj->job, "UID FETCH %a (UID RFC822.SIZE)", line);
		return;
	}
	if (lj->fetch_all) {
		lj->fetch_all = false;
		(void)job_send(&lj->job, "UID FETCH 1:* (UID RFC822.SIZE)");
		return;
	}
	mailbox_done(lj);
}

static void
examine_next(struct largest_job *lj)
{
	if (lj->current >= lj->box_count) {
		rank_candidates(lj);
		lj->current = 0;
		details_next(lj);
		return;
	}
	job_opened_reset(&lj->opened);
	lj->fetch_all = false;
	job_uidset_reset(&lj->todo);
	lj->step = STEP_EXAMINE;
	(void)job_send(&lj->job, "EXAMINE %s", lj->boxes[lj->current].raw);
}

static void
examined(struct largest_job *lj, enum imap_command_result result,
    const struct decoded_response *tagged)
{
	struct scan_mailbox *b = &lj->boxes[lj->current];

	if (result != IMAP_RESULT_OK) {
		if (b->explicit) {
			job_finish(&lj->job, JOB_FAILED, "EXAMINE %s: %s",
			    b->display, tagged->raw->text);
			return;
		}
		job_notice(&lj->job, "skipped %s: %s", b->display, tagged->raw->text);
		mailbox_done(lj);
		return;
	}
	lj->selected = lj->current;
	if (!lj->opened.have_uidvalidity) {
		job_finish(&lj->job, JOB_FAILED,
		    "the server gave no UIDVALIDITY for %s", b->display);
		return;
	}
	b->uidvalidity = lj->opened.uidvalidity;
	if (lj->opened.exists == 0) {
		mailbox_done(lj);
		return;
	}
	find_candidates(lj);
}

/* SORT: the first N are this mailbox's candidates. SEARCH: all found. */
static void
on_candidates(struct largest_job *lj, const struct decoded_response *d)
{
	const struct search_result *sr = &d->u.search;
	size_t i;

	if (d->kind == DECODED_SORT && lj->step == STEP_SORT) {
		for (i = 0; i < sr->count && i < lj->count; i++)
			job_uidset_add(&lj->todo, sr->numbers[i]);
	} else if (d->kind == DECODED_SEARCH) {
		for (i = 0; i < sr->count; i++)
			job_uidset_add(&lj->todo, sr->numbers[i]);
	} else if (d->kind == DECODED_ESEARCH && d->u.esearch.has_all)
		job_uidset_add_set(&lj->todo, &d->u.esearch.all);
}

static void
on_sizes(struct largest_job *lj, const struct decoded_response *d)
{
	const struct fetch_response *f = &d->u.fetch.f;

	/* flag updates from other clients carry no size: not ours */
	if (d->kind == DECODED_FETCH &&
	    (f->present & (FETCH_UID | FETCH_SIZE)) == (FETCH_UID | FETCH_SIZE))
		consider(lj, f->uid, f->size);
}

/* --- details of the winners ---------------------------------------------- */

static bool
has_winners(const struct largest_job *lj, size_t mailbox)
{
	size_t i;

	for (i = 0; i < lj->top_count; i++)
		if (lj->top[i].mailbox == mailbox)
			return true;
	return false;
}

static int
compare_winner_uid(const void *a, const void *b)
{
	const struct winner_ref *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

static void
queue_winners(struct largest_job *lj)
{
	size_t i, n = 0;

	job_uidset_reset(&lj->todo);
	lj->winners = xreallocarray(lj->winners, lj->top_count,
	    sizeof(*lj->winners));
	for (i = 0; i < lj->top_count; i++) {
		if (lj->top[i].mailbox != lj->current)
			continue;
		lj->winners[n++] = (struct winner_ref){
			.uid = lj->top[i].uid, .index = i };
		job_uidset_add(&lj->todo, lj->top[i].uid);
	}
	lj->winner_count = n;
	qsort(lj->winners, n, sizeof(*lj->winners), compare_winner_uid);
	job_uidset_sort(&lj->todo);
}

/* The current mailbox's candidate for uid, or NULL. */
static struct candidate *
find_winner(struct largest_job *lj, uint32_t uid)
{
	struct winner_ref key = { .uid = uid };
	const struct winner_ref *w = bsearch(&key, lj->winners,
	    lj->winner_count, sizeof(*lj->winners), compare_winner_uid);

	return w != NULL ? &lj->top[w->index] : NULL;
}

static void
fetch_details_next(struct largest_job *lj)
{
	char line[JOB_LARGEST_LINE_TARGET + 32];

	lj->step = STEP_DETAILS;
	if (job_uidset_next_chunk(&lj->todo, line, sizeof(line),
		JOB_LARGEST_LINE_TARGET)) {
		(void)job_send(&lj->job, "UID FETCH %a (UID RFC822.SIZE "
		    "INTERNALDATE ENVELOPE BODYSTRUCTURE)", line);
		return;
	}
	lj->current++;
	details_next(lj);
}

static void
drop_unfinished(struct largest_job *lj)
{
	size_t i, kept = 0;

	for (i = 0; i < lj->top_count; i++) {
		if (lj->top[i].detailed) {
			lj->top[kept++] = lj->top[i];
			continue;
		}
		job_notice(&lj->job, "UID %u in %s is gone since the scan: "
		    "left out", (unsigned)lj->top[i].uid,
		    lj->boxes[lj->top[i].mailbox].display);
		candidate_clear(&lj->top[i]);
	}
	lj->top_count = kept;
}

static void
report_rows(struct largest_job *lj)
{
	struct largest_row row;
	size_t i;

	drop_unfinished(lj);
	for (i = 0; i < lj->top_count && lj->cb.row != NULL; i++) {
		const struct candidate *c = &lj->top[i];

		row = (struct largest_row){
			.mailbox = lj->boxes[c->mailbox].display,
			.mailbox_raw = lj->boxes[c->mailbox].raw,
			.uidvalidity = lj->boxes[c->mailbox].uidvalidity,
			.uid = c->uid, .size = c->size, .date = c->date,
			.from = c->from, .subject = c->subject,
			.part = c->part, .part_type = c->part_type,
			.part_size = c->part_size,
		};
		lj->cb.row(lj->job.cb.ctx, &row);
	}
	job_finish(&lj->job, JOB_OK, NULL);
}

static void
details_next(struct largest_job *lj)
{
	while (lj->current < lj->box_count && !has_winners(lj, lj->current))
		lj->current++;
	if (lj->current == lj->box_count) {
		if (lj->selected != SIZE_MAX && job_needs_unselect(&lj->job)) {
			lj->step = STEP_UNSELECT;
			(void)job_send(&lj->job, "UNSELECT");
			return;
		}
		report_rows(lj);
		return;
	}
	queue_winners(lj);
	if (lj->selected == lj->current) {
		fetch_details_next(lj);
		return;
	}
	job_opened_reset(&lj->opened);
	lj->step = STEP_DETAILS_EXAMINE;
	(void)job_send(&lj->job, "EXAMINE %s", lj->boxes[lj->current].raw);
}

/* A mailbox whose UIDs now name other messages loses its winners. */
static void
drop_mailbox_winners(struct largest_job *lj, size_t mailbox)
{
	size_t i, kept = 0;

	for (i = 0; i < lj->top_count; i++) {
		if (lj->top[i].mailbox != mailbox)
			lj->top[kept++] = lj->top[i];
		else
			candidate_clear(&lj->top[i]);
	}
	lj->top_count = kept;
}

static void
details_examined(struct largest_job *lj, enum imap_command_result result,
    const struct decoded_response *tagged)
{
	struct scan_mailbox *b = &lj->boxes[lj->current];

	if (result != IMAP_RESULT_OK) {
		job_finish(&lj->job, JOB_FAILED, "EXAMINE %s: %s", b->display,
		    tagged->raw->text);
		return;
	}
	lj->selected = lj->current;
	if (!lj->opened.have_uidvalidity || lj->opened.uidvalidity != b->uidvalidity) {
		/* its UIDs name other messages now: the winners lose */
		job_notice(&lj->job, "UIDVALIDITY of %s changed during the "
		    "scan: its messages are left out", b->display);
		job_uidset_reset(&lj->todo);
		drop_mailbox_winners(lj, lj->current);
		lj->current++;
		details_next(lj);
		return;
	}
	fetch_details_next(lj);
}

static char *
decoded_header(const char *raw)
{
	struct buf out;

	if (raw == NULL)
		return NULL;
	buf_init(&out, TEXT_MAX);
	if (text_mime_decode_header(raw, strlen(raw), &out) != 0) {
		buf_free(&out);
		return xstrdup(raw);
	}
	return buf_steal(&out);
}

/* The first real address of From: "Name <local@host>" or "local@host". */
static char *
format_from(const struct envelope *env)
{
	const struct envelope_address *a = env->addresses[ENVELOPE_FROM];
	size_t i, n = env->address_count[ENVELOPE_FROM];
	char *name, *text;

	for (i = 0; i < n; i++) {
		if (a[i].host == NULL || a[i].mailbox == NULL)
			continue;
		name = decoded_header(a[i].name);
		text = name != NULL && name[0] != '\0' ?
		    xasprintf("%s <%s@%s>", name, a[i].mailbox, a[i].host) :
		    xasprintf("%s@%s", a[i].mailbox, a[i].host);
		free(name);
		return text;
	}
	return NULL;
}

static void
fill_details(struct candidate *c, const struct fetch_response *f,
    const struct bodystructure_part *root)
{
	const struct bodystructure_part *leaf;
	char iso[40];

	if (f->present & FETCH_INTERNALDATE) {
		fetch_format_iso8601(&f->internaldate, iso, sizeof(iso));
		c->date = xstrdup(iso);
	}
	if (f->present & FETCH_ENVELOPE) {
		c->from = format_from(&f->envelope);
		c->subject = decoded_header(f->envelope.subject);
	}
	if (root != NULL &&
	    (leaf = bodystructure_largest_leaf(root)) != NULL) {
		c->part = xstrdup(leaf->part);
		c->part_type = xasprintf("%s/%s", leaf->type, leaf->subtype);
		c->part_size = leaf->size;
	}
	c->detailed = true;
}

static void
on_details(struct largest_job *lj, const struct decoded_response *d)
{
	const struct fetch_response *f = &d->u.fetch.f;
	struct candidate *c;

	if (d->kind != DECODED_FETCH || !(f->present & FETCH_UID) ||
	    (c = find_winner(lj, f->uid)) == NULL || c->detailed)
		return;
	if ((f->present & FETCH_SIZE) && f->size != c->size)
		job_notice(&lj->job, "UID %u: the server now says %llu bytes, "
		    "not %llu", (unsigned)c->uid, (unsigned long long)f->size,
		    (unsigned long long)c->size);
	fill_details(c, f, d->u.fetch.structure);
}

/* --- the job's events ---------------------------------------------------- */

static void
largest_response(struct job *job, const struct decoded_response *resp)
{
	struct largest_job *lj = (struct largest_job *)job;

	switch (lj->step) {
	case STEP_LIST:
		on_list(lj, resp);
		break;
	case STEP_EXAMINE:
	case STEP_DETAILS_EXAMINE:
		job_opened_take(&lj->opened, resp);
		break;
	case STEP_SORT:
	case STEP_SEARCH:
		on_candidates(lj, resp);
		break;
	case STEP_SIZES:
		on_sizes(lj, resp);
		break;
	case STEP_DETAILS:
		on_details(lj, resp);
		break;
	case STEP_UNSELECT:
		break;
	}
}

static void
largest_completed(struct job *job, enum imap_command_result result,
    const struct decoded_response *tagged)
{
	struct largest_job *lj = (struct largest_job *)job;

	if (job->status != JOB_RUNNING)
		return;
	if (lj->step == STEP_EXAMINE) {
		examined(lj, result, tagged);
		return;
	}
	if (lj->step == STEP_DETAILS_EXAMINE) {
		details_examined(lj, result, tagged);
		return;
	}
	if (result != IMAP_RESULT_OK) {
		job_finish(job, JOB_FAILED, "%s: %s",
		    lj->step == STEP_LIST ? "LIST" : "the server refused",
		    tagged->raw->text);
		return;
	}
	switch (lj->step) {
	case STEP_LIST:
		examine_next(lj);
		break;
	case STEP_SORT:
	case STEP_SEARCH:
	case STEP_SIZES:
		fetch_sizes_next(lj);
		break;
	case STEP_DETAILS:
		fetch_details_next(lj);
		break;
	case STEP_UNSELECT:
		lj->selected = SIZE_MAX;
		report_rows(lj);
		break;
	case STEP_EXAMINE:
	case STEP_DETAILS_EXAMINE:
		break;
	}
}

static void
largest_free(struct job *job)
{
	struct largest_job *lj = (struct largest_job *)job;
	size_t i;

	for (i = 0; i < lj->top_count; i++)
		candidate_clear(&lj->top[i]);
	free(lj->top);
	u64set_free(&lj->in_top);
	free(lj->winners);
	for (i = 0; i < lj->box_count; i++) {
		free(lj->boxes[i].raw);
		free(lj->boxes[i].display);
	}
	free(lj->boxes);
	job_uidset_free(&lj->todo);
	free(lj);
}

static const struct job_ops largest_ops = {
	.name = "largest",
	.response = largest_response,
	.completed = largest_completed,
	.free = largest_free,
};

struct job *
job_largest_start(struct imap_session *session,
    const struct largest_params *p, const struct largest_callbacks *cb,
    const char **error_r)
{
	struct largest_job *lj;
	char *wire;
	size_t i;

	if (p->count == 0 || p->count > JOB_LARGEST_MAX_COUNT) {
		*error_r = "the number of messages must be 1 to 100000";
		return NULL;
	}
	lj = xcalloc(1, sizeof(*lj));
	job_init(&lj->job, &largest_ops, session, cb != NULL ? &cb->job : NULL);
	if (cb != NULL)
		lj->cb = *cb;
	lj->count = p->count;
	lj->min_size = p->min_size;
	lj->selected = SIZE_MAX;
	lj->top = xcalloc(p->count, sizeof(*lj->top));
	u64set_init(&lj->in_top, p->count < 1024 ? p->count : 1024);
	job_uidset_init(&lj->todo);
	for (i = 0; i < p->mailbox_count; i++) {
		if ((wire = job_mailbox_wire(p->mailboxes[i], error_r)) == NULL) {
			struct job *j = &lj->job;

			job_free(&j);
			return NULL;
		}
		add_mailbox(lj, wire, true);
		free(wire);
	}
	if (lj->box_count > 0)
		examine_next(lj);
	else {
		lj->step = STEP_LIST;
		(void)job_send(&lj->job, "LIST \"\" *");
	}
	return &lj->job;
}
