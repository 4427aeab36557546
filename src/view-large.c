/* view-large: the largest messages across every mailbox (job-largest),
 * ranked, with a size bar; Space marks rows, Del deletes them and Alt-m
 * moves them to \Trash (job-delete, one mailbox at a time, each after a
 * confirmation that lists the exact commands; neither can be undone),
 * Alt-s saves the cursor's message (job-save), Enter shows its
 * BODYSTRUCTURE tree (kept from the scan's own FETCH), g scans again.
 * The jobs run on the TUI's second connection (tui_job_session()), so
 * the user's selection stays as it was; one runs at a time, is fed that
 * connection's events through the job_response and job_completed hooks,
 * and takes only what answers its own command (job.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode-bodystructure.h"
#include "decode-fetch.h"
#include "decode-search.h"
#include "text-display.h"
#include "imap-command.h"
#include "job-delete.h"
#include "job-largest.h"
#include "job-save.h"
#include "tui.h"
#include "tui-draw.h"
#include "tui-list.h"
#include "util-buf.h"
#include "util-mem.h"

/* The same default as `--largest 20`. */
#define LARGE_COUNT 20
/* BODYSTRUCTUREs kept from one scan (the winners need LARGE_COUNT). */
#define LARGE_MAX_TREES 256
#define LARGE_TEXT_MAX (64u * 1024)

struct large_row {
	char *mailbox;     /* UTF-8 */
	char *mailbox_raw;
	uint32_t uidvalidity;
	uint32_t uid;
	uint64_t size;
	char *date, *from, *subject;
	char *part, *part_type;
	uint64_t part_size;
	bool marked;
};

/* A BODYSTRUCTURE the scan's FETCH brought, by where it came from. */
struct large_tree {
	char *mailbox_raw;
	uint32_t uid;
	struct bodystructure_part *root;
};

/* The rows of one mailbox that one delete job handles. */
struct large_group {
	char *mailbox;     /* UTF-8 */
	char *mailbox_raw;
	uint32_t uidvalidity;
	struct seqset uids;
	struct delete_expected_size *sizes;
	size_t size_count;
};

enum large_kind {
	LARGE_IDLE,
	LARGE_SCAN,
	LARGE_DELETE,
	LARGE_SAVE,
};

struct view_large {
	struct tui *tui;
	struct tui_list list;
	struct large_row *rows;
	size_t count;
	bool scanned;            /* a scan has been started */
	bool have_list;          /* a scan has ended OK */

	struct job *job;
	enum large_kind kind;
	uint64_t done, total;    /* the job's progress */
	char *notice;            /* its last notice (UTF-8, raw) */
	char *outcome;           /* how the last job ended (UTF-8, raw) */

	struct large_row *scan_rows; /* rows while the scan runs */
	size_t scan_count;
	struct large_tree *trees;
	size_t tree_count;

	struct large_group *groups; /* the delete queue */
	size_t group_count, group_next;
	bool move;
	uint64_t removed;        /* messages the queue removed */
	size_t failed;           /* groups that did not end OK */
	struct buf sent;         /* the current delete job's commands */

	bool detail;             /* the BODYSTRUCTURE tree is open */
	struct large_row *detail_row;
	int detail_top;
};

/* The modes of the key table: bits. */
enum {
	KEYS_LIST = 1,
	KEYS_PARTS = 2,
};

enum large_action {
	ACT_RESCAN,
	ACT_MARK,
	ACT_PARTS,
	ACT_DELETE,
	ACT_MOVE,
	ACT_SAVE,
	ACT_BACK,
	ACT_PARTS_UP,
	ACT_PARTS_DOWN,
};

/* Letters are typing (tui-keys.h): what deletes, moves or writes is on
 * Del and Alt; g only reads. */
static const struct tui_key large_keys[] = {
	TUI_LIST_MOVE_KEYS(KEYS_LIST),
	TUI_LIST_SEARCH_KEYS(KEYS_LIST),
	{ .keys = { 'g' }, .modes = KEYS_LIST, .action = ACT_RESCAN,
	    .help = "scan again" },
	{ .keys = { ' ' }, .modes = KEYS_LIST, .action = ACT_MARK,
	    .help = "mark or unmark the row" },
	{ .keys = { '\r' }, .modes = KEYS_LIST, .action = ACT_PARTS,
	    .help = "the message's parts" },
	{ .keys = { TUI_KEY(KEY_DC) }, .modes = KEYS_LIST,
	    .action = ACT_DELETE, .flags = TUI_KEY_SERVER | TUI_KEY_ASKS,
	    .help = "delete the marked rows (or this one): confirms, no undo" },
	{ .keys = { TUI_ALT('m') }, .modes = KEYS_LIST, .action = ACT_MOVE,
	    .flags = TUI_KEY_SERVER | TUI_KEY_ASKS,
	    .help = "move them to Trash: confirms, no undo" },
	{ .keys = { TUI_ALT('s') }, .modes = KEYS_LIST, .action = ACT_SAVE,
	    .flags = TUI_KEY_FILE | TUI_KEY_ASKS,
	    .help = "save the message to a file (asks where)" },
	{ .keys = { TUI_ESC, 'q', TUI_KEY(KEY_BACKSPACE), TUI_KEY(KEY_LEFT) },
	    .modes = KEYS_PARTS, .action = ACT_BACK,
	    .help = "back to the list" },
	{ .keys = { TUI_KEY(KEY_UP), 'k' }, .modes = KEYS_PARTS,
	    .action = ACT_PARTS_UP, .help = "scroll up" },
	{ .keys = { TUI_KEY(KEY_DOWN), 'j' }, .modes = KEYS_PARTS,
	    .action = ACT_PARTS_DOWN, .help = "scroll down" },
};
static const char *const large_modes[] = { "the list", "the parts" };
static const struct tui_keymap large_keymap =
    TUI_KEYMAP_MODES("Large", large_keys, large_modes);

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
row_free(struct large_row *r)
{
	free(r->mailbox);
	free(r->mailbox_raw);
	free(r->date);
	free(r->from);
	free(r->subject);
	free(r->part);
	free(r->part_type);
}

static void
rows_free(struct large_row **rows, size_t *count)
{
	size_t i;

	for (i = 0; i < *count; i++)
		row_free(&(*rows)[i]);
	free(*rows);
	*rows = NULL;
	*count = 0;
}

static void
trees_free(struct view_large *v)
{
	size_t i;

	for (i = 0; i < v->tree_count; i++) {
		free(v->trees[i].mailbox_raw);
		bodystructure_free(&v->trees[i].root);
	}
	free(v->trees);
	v->trees = NULL;
	v->tree_count = 0;
}

static void
groups_free(struct view_large *v)
{
	size_t i;

	for (i = 0; i < v->group_count; i++) {
		free(v->groups[i].mailbox);
		free(v->groups[i].mailbox_raw);
		seqset_free(&v->groups[i].uids);
		free(v->groups[i].sizes);
	}
	free(v->groups);
	v->groups = NULL;
	v->group_count = v->group_next = 0;
}

static void
set_text(char **field, const char *text)
{
	free(*field);
	*field = dup_or_null(text);
}

/* A status-line message with server text in it, escaped. */
static void
message(struct view_large *v, const char *prefix, const char *text)
{
	struct buf b;

	buf_init(&b, LARGE_TEXT_MAX);
	if (text != NULL && display_escape(&b, text, strlen(text)) != 0) {
		buf_reset(&b);
		buf_append_str(&b, "(too long to show)");
	}
	tui_message(v->tui, "%s%s", prefix, buf_str(&b));
	buf_free(&b);
}

/* A command as it went, without its tag and final CRLF. */
static void
command_text(const struct imap_command *ic, struct buf *out)
{
	struct buf line;
	size_t i, start;

	if (ic == NULL || ic->secret)
		return;
	buf_init(&line, LARGE_TEXT_MAX);
	for (i = 0; i < ic->chunk_count; i++)
		buf_append(&line, ic->chunks[i].data.data,
		    ic->chunks[i].data.len);
	start = strlen(ic->tag) + 1;
	for (i = start; i < line.len; i++) {
		if (i + 2 == line.len && line.data[i] == '\r')
			break;
		buf_append_byte(out, line.data[i] == '\r' ||
		    line.data[i] == '\n' ? ' ' : (unsigned char)line.data[i]);
	}
	buf_append_byte(out, '\n');
	buf_free(&line);
}

/* --- the job's callbacks ------------------------------------------------ */

static void
on_notice(void *ctx, const char *text)
{
	struct view_large *v = ctx;

	set_text(&v->notice, text);
	tui_dirty(v->tui);
}

static void
on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct view_large *v = ctx;
	int percent;

	v->done = done;
	v->total = total;
	if (v->kind == LARGE_SAVE && total > 0) {
		percent = (int)(done * 100 / total);
		tui_message(v->tui, "saving: %d%% (%llu of %llu bytes)",
		    percent, (unsigned long long)done,
		    (unsigned long long)total);
	}
	tui_dirty(v->tui);
}

static void
on_row(void *ctx, const struct largest_row *row)
{
	struct view_large *v = ctx;
	struct large_row *r;

	v->scan_rows = xreallocarray(v->scan_rows, v->scan_count + 1,
	    sizeof(*v->scan_rows));
	r = &v->scan_rows[v->scan_count++];
	*r = (struct large_row){
		.mailbox = xstrdup(row->mailbox),
		.mailbox_raw = xstrdup(row->mailbox_raw),
		.uidvalidity = row->uidvalidity, .uid = row->uid,
		.size = row->size, .date = dup_or_null(row->date),
		.from = dup_or_null(row->from),
		.subject = dup_or_null(row->subject),
		.part = dup_or_null(row->part),
		.part_type = dup_or_null(row->part_type),
		.part_size = row->part_size,
	};
}

static void delete_answered(void *ctx, bool yes);

/* The delete job checked the mailbox and waits: show what went and what
 * will go, from the job itself. */
static void
on_confirm(void *ctx, const char *question)
{
	struct view_large *v = ctx;
	struct buf q, plan;
	const char *p, *nl;
	bool first = true;

	buf_init(&q, LARGE_TEXT_MAX);
	buf_init(&plan, LARGE_TEXT_MAX);
	job_delete_plan(v->job, &plan);
	buf_printf(&q, "%s (n: nothing is changed; y cannot be undone)\n",
	    question);
	for (p = buf_str(&v->sent); *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		buf_printf(&q, "%s%.*s\n", first ? "Sent: " : "      ",
		    (int)(nl - p), p);
		first = false;
	}
	first = true;
	for (p = buf_str(&plan); *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		buf_printf(&q, "%s%.*s\n", first ? "On y: " : "      ",
		    (int)(nl - p), p);
		first = false;
	}
	if (q.len > 0 && q.data[q.len - 1] == '\n')
		q.data[--q.len] = '\0';
	tui_confirm(v->tui, buf_str(&q), delete_answered, v);
	buf_free(&q);
	buf_free(&plan);
}

static struct job_callbacks
callbacks(struct view_large *v)
{
	return (struct job_callbacks){
		.notice = on_notice, .progress = on_progress,
		.confirm = on_confirm, .ctx = v,
	};
}

/* --- scanning ----------------------------------------------------------- */

/* The jobs' connection's session, or NULL with the reason shown. */
static struct imap_session *
job_session(struct view_large *v)
{
	struct imap_session *s;
	const char *err = NULL;

	if ((s = tui_job_session(v->tui, &err)) == NULL)
		message(v, "cannot open a second connection for the jobs: ",
		    err);
	return s;
}

static void
scan(struct view_large *v)
{
	struct largest_params p = { .count = LARGE_COUNT };
	struct largest_callbacks cb = { .job = callbacks(v), .row = on_row };
	struct imap_session *session;
	const char *err = NULL;

	if (v->job != NULL) {
		tui_message(v->tui, "a job is running: wait for it to end");
		return;
	}
	v->scanned = true;
	if ((session = job_session(v)) == NULL)
		return;
	rows_free(&v->scan_rows, &v->scan_count);
	trees_free(v);
	v->done = v->total = 0;
	set_text(&v->notice, NULL);
	set_text(&v->outcome, NULL);
	v->kind = LARGE_SCAN;
	v->job = job_largest_start(session, &p, &cb, &err);
	if (v->job == NULL) {
		v->kind = LARGE_IDLE;
		message(v, "cannot scan: ", err);
	}
	tui_dirty(v->tui);
}

static void
scan_ended(struct view_large *v)
{
	if (job_status(v->job) == JOB_OK) {
		rows_free(&v->rows, &v->count);
		v->rows = v->scan_rows;
		v->count = v->scan_count;
		v->scan_rows = NULL;
		v->scan_count = 0;
		v->list.cursor = v->list.top = 0;
		v->have_list = true;
		v->detail = false;
		tui_message(v->tui, "the %zu largest messages", v->count);
	} else {
		rows_free(&v->scan_rows, &v->scan_count);
		message(v, "the scan did not end: ", job_error(v->job));
	}
}

/* Keep the BODYSTRUCTURE of what the scan fetches: the mailbox is the
 * one the scan has selected while it answers. */
static void
keep_tree(struct view_large *v, const struct decoded_response *d)
{
	const char *mailbox = imap_session_mailbox(v->job->session);
	const struct fetch_response *f = &d->u.fetch.f;

	if (d->kind != DECODED_FETCH || v->tree_count >= LARGE_MAX_TREES ||
	    (f->present & FETCH_UID) == 0 || d->u.fetch.structure == NULL)
		return;
	if (mailbox == NULL)
		return;
	v->trees = xreallocarray(v->trees, v->tree_count + 1,
	    sizeof(*v->trees));
	v->trees[v->tree_count++] = (struct large_tree){
		.mailbox_raw = xstrdup(mailbox), .uid = f->uid,
		.root = bodystructure_copy(d->u.fetch.structure),
	};
}

static const struct bodystructure_part *
tree_of(struct view_large *v, const struct large_row *r)
{
	size_t i;

	for (i = v->tree_count; i-- > 0;)
		if (v->trees[i].uid == r->uid &&
		    strcmp(v->trees[i].mailbox_raw, r->mailbox_raw) == 0)
			return v->trees[i].root;
	return NULL;
}

/* --- deleting and moving ------------------------------------------------ */

static void
next_group(struct view_large *v)
{
	struct large_group *g;
	struct delete_params p;
	struct job_callbacks cb = callbacks(v);
	struct imap_session *session;
	const char *err = NULL;

	while (v->group_next < v->group_count) {
		if ((session = job_session(v)) == NULL) {
			v->failed += v->group_count - v->group_next;
			break;
		}
		g = &v->groups[v->group_next++];
		p = (struct delete_params){
			.mailbox = g->mailbox, .uidvalidity = g->uidvalidity,
			.uids = &g->uids, .move_to_trash = v->move,
			.confirm = true, .sizes = g->sizes,
			.size_count = g->size_count,
		};
		buf_reset(&v->sent);
		v->kind = LARGE_DELETE;
		v->job = job_delete_start(session, &p, &cb, &err);
		if (v->job != NULL)
			return;
		v->failed++;
		message(v, "cannot start: ", err);
	}
	v->kind = LARGE_IDLE;
	groups_free(v);
}

static void
remove_rows(struct view_large *v, const struct large_group *g)
{
	size_t i, kept = 0;

	for (i = 0; i < v->count; i++) {
		if (strcmp(v->rows[i].mailbox_raw, g->mailbox_raw) == 0 &&
		    seqset_contains(&g->uids, v->rows[i].uid, 1)) {
			if (v->detail_row == &v->rows[i])
				v->detail = false;
			row_free(&v->rows[i]);
			continue;
		}
		v->rows[kept++] = v->rows[i];
	}
	v->count = kept;
	v->detail = false;
	tui_list_clamp(&v->list, v->count, v->list.rows);
}

static void
delete_ended(struct view_large *v)
{
	struct large_group *g = &v->groups[v->group_next - 1];
	struct buf b;
	uint64_t n = job_delete_removed(v->job);

	buf_init(&b, LARGE_TEXT_MAX);
	buf_printf(&b, "%s: %s", g->mailbox, job_status_name(job_status(v->job)));
	if (job_status(v->job) == JOB_OK) {
		v->removed += seqset_count(&g->uids, 1);
		buf_printf(&b, ": %llu message%s %s",
		    (unsigned long long)seqset_count(&g->uids, 1),
		    seqset_count(&g->uids, 1) == 1 ? "" : "s",
		    v->move ? "moved to Trash" : "expunged");
		remove_rows(v, g);
	} else {
		v->failed++;
		buf_printf(&b, ": %s", job_error(v->job));
		if (n > 0)
			buf_printf(&b, " (%llu removed: press g to rescan)",
			    (unsigned long long)n);
	}
	set_text(&v->outcome, buf_str(&b));
	message(v, "", buf_str(&b));
	buf_free(&b);
	/* the connection is gone: the rest of the queue waits for a new
	 * decision, not for a new connection */
	if (job_status(v->job) == JOB_LOST)
		v->group_next = v->group_count;
}

static void job_ended(struct view_large *v);

static void
delete_answered(void *ctx, bool yes)
{
	struct view_large *v = ctx;

	if (v->job == NULL || v->kind != LARGE_DELETE)
		return;
	job_delete_confirm(v->job, yes);
	/* a refusal that sends nothing ends the job here */
	if (v->job != NULL && job_done(v->job))
		job_ended(v);
	tui_dirty(v->tui);
}

static int
compare_uid(const void *a, const void *b)
{
	const struct delete_expected_size *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* Group the marked rows (or the cursor's) by mailbox and start. */
static void
delete_rows(struct view_large *v, bool move)
{
	struct large_group *g;
	size_t i, j, marked = 0;

	if (v->job != NULL) {
		tui_message(v->tui, "a job is running: wait for it to end");
		return;
	}
	if (v->count == 0)
		return;
	for (i = 0; i < v->count; i++)
		if (v->rows[i].marked)
			marked++;
	groups_free(v);
	for (i = 0; i < v->count; i++) {
		struct large_row *r = &v->rows[i];

		if (marked > 0 ? !r->marked : i != v->list.cursor)
			continue;
		for (j = 0; j < v->group_count; j++)
			if (strcmp(v->groups[j].mailbox_raw, r->mailbox_raw) == 0)
				break;
		if (j == v->group_count) {
			v->groups = xreallocarray(v->groups, v->group_count + 1,
			    sizeof(*v->groups));
			g = &v->groups[v->group_count++];
			*g = (struct large_group){
				.mailbox = xstrdup(r->mailbox),
				.mailbox_raw = xstrdup(r->mailbox_raw),
				.uidvalidity = r->uidvalidity,
			};
		}
		g = &v->groups[j];
		seqset_add(&g->uids, r->uid, r->uid);
		g->sizes = xreallocarray(g->sizes, g->size_count + 1,
		    sizeof(*g->sizes));
		g->sizes[g->size_count++] = (struct delete_expected_size){
			.uid = r->uid, .size = r->size,
		};
	}
	for (j = 0; j < v->group_count; j++)
		qsort(v->groups[j].sizes, v->groups[j].size_count,
		    sizeof(*v->groups[j].sizes), compare_uid);
	v->move = move;
	v->removed = 0;
	v->failed = 0;
	set_text(&v->outcome, NULL);
	next_group(v);
	tui_dirty(v->tui);
}

/* --- saving ------------------------------------------------------------- */

static void
save_entered(void *ctx, const char *path)
{
	struct view_large *v = ctx;
	const struct large_row *r;
	struct save_params p;
	struct job_callbacks cb = callbacks(v);
	struct imap_session *session;
	const char *err = NULL;

	if (path == NULL || path[0] == '\0' || v->list.cursor >= v->count)
		return;
	if (v->job != NULL) {
		tui_message(v->tui, "a job is running: wait for it to end");
		return;
	}
	if ((session = job_session(v)) == NULL)
		return;
	r = &v->rows[v->list.cursor];
	p = (struct save_params){
		.mailbox = r->mailbox, .uidvalidity = r->uidvalidity,
		.uid = r->uid, .path = path,
	};
	v->kind = LARGE_SAVE;
	v->done = v->total = 0;
	v->job = job_save_start(session, &p, &cb, &err);
	if (v->job == NULL) {
		v->kind = LARGE_IDLE;
		message(v, "cannot save: ", err);
	}
}

static void
save_ended(struct view_large *v)
{
	struct buf b;

	buf_init(&b, LARGE_TEXT_MAX);
	if (job_status(v->job) == JOB_OK)
		buf_printf(&b, "saved: %llu bytes",
		    (unsigned long long)job_save_written(v->job));
	else
		buf_printf(&b, "save %s: %s",
		    job_status_name(job_status(v->job)), job_error(v->job));
	set_text(&v->outcome, buf_str(&b));
	message(v, "", buf_str(&b));
	buf_free(&b);
}

/* --- the session's events ----------------------------------------------- */

static void
job_ended(struct view_large *v)
{
	enum large_kind kind = v->kind;

	switch (kind) {
	case LARGE_SCAN:
		scan_ended(v);
		break;
	case LARGE_DELETE:
		delete_ended(v);
		break;
	case LARGE_SAVE:
		save_ended(v);
		break;
	case LARGE_IDLE:
		break;
	}
	job_free(&v->job);
	v->kind = LARGE_IDLE;
	if (kind == LARGE_DELETE)
		next_group(v);
	tui_dirty(v->tui);
}

static void
large_response(void *view, const struct decoded_response *resp)
{
	struct view_large *v = view;

	if (v->job == NULL)
		return;
	/* the trees the scan's own FETCH brought */
	if (v->kind == LARGE_SCAN && resp->owner != NULL &&
	    resp->owner == v->job->in_flight)
		keep_tree(v, resp);
	job_on_response(v->job, resp);
}

static void
large_completed(void *view, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged)
{
	struct view_large *v = view;

	if (v->job == NULL || cmd == NULL || cmd != v->job->in_flight)
		return;
	if (v->kind == LARGE_DELETE)
		command_text(imap_session_command_get(cmd), &v->sent);
	job_on_completed(v->job, cmd, result, tagged);
	if (v->job != NULL && job_done(v->job))
		job_ended(v);
	tui_dirty(v->tui);
}

/* --- drawing ------------------------------------------------------------ */

struct large_columns {
	int mark, size, bar, mailbox, uid, date, from, subject, part;
};

static void
columns(int cols, struct large_columns *c)
{
	int rest;

	*c = (struct large_columns){ .mark = 2, .size = 7, .uid = 7 };
	c->bar = cols >= 60 ? 9 : 0;
	c->mailbox = cols >= 60 ? 15 : 10;
	c->date = cols >= 72 ? 11 : 0;
	c->part = cols >= 110 ? 24 : 0;
	rest = cols - c->mark - c->size - 1 - c->bar - c->mailbox - c->uid -
	    1 - c->date - c->part;
	if (rest < 0)
		rest = 0;
	c->from = cols >= 90 ? rest / 3 : 0;
	c->subject = rest - c->from;
}

static void
draw_row(struct view_large *v, WINDOW *w, int y, int cols,
    const struct large_row *r, const struct large_columns *c, bool cursor)
{
	char size[16], uid[16], part[128];
	int x = 0;

	if (cursor)
		wattrset(w, tui_attr(TUI_COLOR_SELECTED));
	mvwhline(w, y, 0, ' ', cols);
	tui_draw_str(w, y, x, r->marked ? "*" : " ", 1);
	x += c->mark;
	tui_format_size(r->size, size, sizeof(size));
	tui_draw_right(w, y, x, size, c->size);
	x += c->size + 1;
	if (c->bar > 0) {
		tui_draw_bar(w, y, x, c->bar - 1, r->size,
		    v->count > 0 ? v->rows[0].size : r->size);
		if (cursor)
			wattrset(w, tui_attr(TUI_COLOR_SELECTED));
		x += c->bar;
	}
	tui_draw_str(w, y, x, r->mailbox, c->mailbox - 1);
	x += c->mailbox;
	snprintf(uid, sizeof(uid), "%lu", (unsigned long)r->uid);
	tui_draw_right(w, y, x, uid, c->uid - 1);
	x += c->uid;
	x += 1;
	if (c->date > 0) {
		tui_draw_text(w, y, x, r->date != NULL ? r->date : "-",
		    r->date != NULL ? strlen(r->date) < 10 ? strlen(r->date) :
		    10 : 1, c->date - 1, false);
		x += c->date;
	}
	if (c->from > 0) {
		tui_draw_str(w, y, x, r->from != NULL ? r->from : "",
		    c->from - 1);
		x += c->from;
	}
	if (c->subject > 0) {
		tui_draw_str(w, y, x, r->subject != NULL ? r->subject : "",
		    c->subject - 1);
		x += c->subject;
	}
	if (c->part > 0 && r->part != NULL) {
		tui_format_size(r->part_size, size, sizeof(size));
		snprintf(part, sizeof(part), "%s %s %s", r->part,
		    r->part_type != NULL ? r->part_type : "?", size);
		tui_draw_str(w, y, x, part, c->part);
	}
	wattrset(w, A_NORMAL);
}

static void
draw_header(WINDOW *w, int cols, const struct large_columns *c)
{
	int x = 0;

	wattrset(w, tui_attr(TUI_COLOR_HEADER));
	mvwhline(w, 1, 0, ' ', cols);
	x += c->mark;
	tui_draw_right(w, 1, x, "SIZE", c->size);
	x += c->size + 1 + c->bar;
	tui_draw_str(w, 1, x, "MAILBOX", c->mailbox - 1);
	x += c->mailbox;
	tui_draw_right(w, 1, x, "UID", c->uid - 1);
	x += c->uid + 1;
	if (c->date > 0) {
		tui_draw_str(w, 1, x, "DATE", c->date - 1);
		x += c->date;
	}
	if (c->from > 0) {
		tui_draw_str(w, 1, x, "FROM", c->from - 1);
		x += c->from;
	}
	if (c->subject > 0) {
		tui_draw_str(w, 1, x, "SUBJECT", c->subject - 1);
		x += c->subject;
	}
	if (c->part > 0)
		tui_draw_str(w, 1, x, "LARGEST PART", c->part);
	wattrset(w, A_NORMAL);
}

/* The top line: what runs, or what the list is. */
static void
draw_title(struct view_large *v, WINDOW *w, int cols)
{
	char text[256];
	size_t marked = 0, i;

	for (i = 0; i < v->count; i++)
		if (v->rows[i].marked)
			marked++;
	switch (v->kind) {
	case LARGE_SCAN:
		if (v->total > 0) {
			snprintf(text, sizeof(text), "Scanning %llu/%llu ",
			    (unsigned long long)v->done,
			    (unsigned long long)v->total);
			tui_draw_str(w, 0, 0, text, cols);
			i = strlen(text);
			if ((int)i + 4 < cols)
				tui_draw_bar(w, 0, (int)i, cols - (int)i > 20 ?
				    20 : cols - (int)i, v->done, v->total);
		} else
			tui_draw_str(w, 0, 0, "Scanning: listing mailboxes",
			    cols);
		return;
	case LARGE_DELETE:
		snprintf(text, sizeof(text), "%s: mailbox %zu of %zu",
		    v->move ? "Moving to Trash" : "Deleting", v->group_next,
		    v->group_count);
		break;
	case LARGE_SAVE:
		snprintf(text, sizeof(text), "Saving: %llu of %llu bytes",
		    (unsigned long long)v->done, (unsigned long long)v->total);
		break;
	case LARGE_IDLE:
		if (!v->have_list)
			snprintf(text, sizeof(text), "%s", v->scanned ?
			    "No list (g: scan again)" : "g: scan");
		else if (marked > 0)
			snprintf(text, sizeof(text), "Largest %zu across "
			    "mailboxes, %zu marked  (g: rescan)", v->count,
			    marked);
		else
			snprintf(text, sizeof(text), "Largest %zu across "
			    "mailboxes  (g: rescan)", v->count);
		break;
	}
	tui_draw_str(w, 0, 0, text, cols);
}

static void
draw_detail(struct view_large *v, WINDOW *w, int rows, int cols)
{
	const struct large_row *r = v->detail_row;
	const struct bodystructure_part *stack[BODYSTRUCTURE_MAX_DEPTH + 1];
	size_t index[BODYSTRUCTURE_MAX_DEPTH + 1];
	const struct bodystructure_part *root = tree_of(v, r), *p;
	struct buf line;
	char size[16];
	int y = 2, n = 0, depth = 0;

	buf_init(&line, LARGE_TEXT_MAX);
	buf_printf(&line, "%s UID %lu: %llu bytes", r->mailbox,
	    (unsigned long)r->uid, (unsigned long long)r->size);
	tui_draw_str(w, 0, 0, buf_str(&line), cols);
	tui_draw_str(w, 1, 0, r->subject != NULL ? r->subject : "", cols);
	if (root == NULL) {
		tui_draw_str(w, y, 0, "(the scan brought no BODYSTRUCTURE)",
		    cols);
		buf_free(&line);
		return;
	}
	/* depth first, without recursion */
	stack[0] = root;
	index[0] = 0;
	p = root;
	for (;;) {
		if (index[depth] == 0) {
			buf_reset(&line);
			buf_printf(&line, "%*s%s %s/%s", depth * 2, "",
			    p->part[0] != '\0' ? p->part : "-", p->type,
			    p->subtype);
			if (!bodystructure_is_multipart(p)) {
				tui_format_size(p->size, size, sizeof(size));
				buf_printf(&line, " %s", size);
				if (p->filename != NULL)
					buf_printf(&line, " \"%s\"",
					    p->filename);
			}
			if (n >= v->detail_top && y < rows) {
				if (r->part != NULL &&
				    strcmp(p->part, r->part) == 0)
					wattrset(w, A_BOLD);
				tui_draw_str(w, y++, 0, buf_str(&line), cols);
				wattrset(w, A_NORMAL);
			}
			n++;
		}
		if (index[depth] < p->part_count &&
		    depth < BODYSTRUCTURE_MAX_DEPTH) {
			const struct bodystructure_part *child =
			    &p->parts[index[depth]++];

			stack[++depth] = child;
			index[depth] = 0;
			p = child;
			continue;
		}
		if (depth == 0)
			break;
		p = stack[--depth];
	}
	buf_free(&line);
}

static void
large_draw(void *view, WINDOW *w, int rows, int cols)
{
	struct view_large *v = view;
	struct large_columns c;
	const struct large_row *r;
	char bytes[160];
	int list_rows, i;
	size_t row;

	if (v->detail && v->detail_row != NULL) {
		draw_detail(v, w, rows, cols);
		return;
	}
	draw_title(v, w, cols);
	if (rows < 4)
		return;
	columns(cols, &c);
	draw_header(w, cols, &c);
	list_rows = rows - 3;
	tui_list_clamp(&v->list, v->count, list_rows);
	v->list.y = 2;
	for (i = 0; i < list_rows; i++) {
		row = v->list.top + (size_t)i;
		if (row >= v->count)
			break;
		draw_row(v, w, 2 + i, cols, &v->rows[row], &c,
		    row == v->list.cursor);
	}
	if (v->count == 0 && v->kind == LARGE_IDLE && v->have_list)
		tui_draw_str(w, 2, 0, "(no messages)", cols);
	/* the last line: the cursor's row exactly, or the job's notice */
	wattrset(w, tui_attr(TUI_COLOR_NOTE));
	if (v->kind != LARGE_IDLE && v->notice != NULL)
		tui_draw_str(w, rows - 1, 0, v->notice, cols);
	else if (v->list.cursor < v->count) {
		r = &v->rows[v->list.cursor];
		snprintf(bytes, sizeof(bytes), "UID %lu: %llu bytes",
		    (unsigned long)r->uid, (unsigned long long)r->size);
		i = tui_draw_str(w, rows - 1, 0, r->mailbox, cols / 2);
		tui_draw_str(w, rows - 1, i, " ", cols - i);
		tui_draw_str(w, rows - 1, i + 1, bytes, cols - i - 1);
	} else if (v->outcome != NULL)
		tui_draw_str(w, rows - 1, 0, v->outcome, cols);
	wattrset(w, A_NORMAL);
}

/* --- keys --------------------------------------------------------------- */

static bool
row_matches(void *ctx, size_t row, const char *text)
{
	struct view_large *v = ctx;
	const struct large_row *r = &v->rows[row];

	return strstr(r->mailbox, text) != NULL ||
	    (r->subject != NULL && strstr(r->subject, text) != NULL) ||
	    (r->from != NULL && strstr(r->from, text) != NULL);
}

static void
large_key(void *view, int action, int key)
{
	struct view_large *v = view;
	struct large_row *r;
	char path[64];

	(void)key;
	tui_dirty(v->tui);
	if (tui_list_act(&v->list, v->tui, action, v->count, row_matches, v))
		return;
	r = v->list.cursor < v->count ? &v->rows[v->list.cursor] : NULL;
	switch ((enum large_action)action) {
	case ACT_RESCAN:
		scan(v);
		break;
	case ACT_MARK:
		if (r != NULL) {
			r->marked = !r->marked;
			if (v->list.cursor + 1 < v->count)
				v->list.cursor++;
		}
		break;
	case ACT_DELETE:
	case ACT_MOVE:
		delete_rows(v, action == ACT_MOVE);
		break;
	case ACT_SAVE:
		if (r == NULL)
			break;
		snprintf(path, sizeof(path), "message-%lu-%lu.eml",
		    (unsigned long)r->uidvalidity, (unsigned long)r->uid);
		tui_prompt(v->tui, "Save the message to:", path, save_entered,
		    v);
		break;
	case ACT_PARTS:
		if (r == NULL)
			break;
		v->detail = true;
		v->detail_row = r;
		v->detail_top = 0;
		break;
	case ACT_BACK:
		v->detail = false;
		break;
	case ACT_PARTS_DOWN:
		v->detail_top++;
		break;
	case ACT_PARTS_UP:
		if (v->detail_top > 0)
			v->detail_top--;
		break;
	}
}

static unsigned
large_mode(void *view)
{
	struct view_large *v = view;

	return v->detail && v->detail_row != NULL ? KEYS_PARTS : KEYS_LIST;
}

/* --- the vtable --------------------------------------------------------- */

static void *
large_create(struct tui *tui)
{
	struct view_large *v = xcalloc(1, sizeof(*v));

	v->tui = tui;
	buf_init(&v->sent, LARGE_TEXT_MAX);
	return v;
}

static void
large_destroy(void *view)
{
	struct view_large *v = view;

	job_free(&v->job);
	rows_free(&v->rows, &v->count);
	rows_free(&v->scan_rows, &v->scan_count);
	trees_free(v);
	groups_free(v);
	buf_free(&v->sent);
	free(v->notice);
	free(v->outcome);
	tui_list_free(&v->list);
	free(v);
}

static void
large_on_model_change(void *view, unsigned changed)
{
	(void)view;
	(void)changed;
}

static void
large_on_show(void *view)
{
	struct view_large *v = view;

	if (!v->scanned && v->job == NULL)
		scan(v);
}

const struct tui_view_ops tui_view_large = {
	.name = "Large",
	.create = large_create,
	.destroy = large_destroy,
	.draw = large_draw,
	.keymap = &large_keymap,
	.key = large_key,
	.mode = large_mode,
	.on_model_change = large_on_model_change,
	.on_show = large_on_show,
	.job_response = large_response,
	.job_completed = large_completed,
};
