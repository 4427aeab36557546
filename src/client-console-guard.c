/* client-console-guard: a typed plain EXPUNGE or CLOSE is held until
 * imapwb knows which messages it would remove. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client-console-guard.h"
#include "imap-arg.h"
#include "model.h"
#include "util-buf.h"
#include "util-log.h"
#include "util-mem.h"

/* A UID set shown in a question is cut after about this many bytes. */
#define SHOWN_SET_BYTES 48
/* UID EXPUNGE's set is shown whole up to this many bytes. */
#define SHOWN_COMMAND_BYTES 160
#define TEXT_MAX (16u * 1024)

/* --- sets of numbers ----------------------------------------------------- */

/* Sorted, disjoint, non-touching ranges. */
struct num_set {
	struct seqset_range *r;
	size_t count;
	size_t alloc;
};

static void
set_clear(struct num_set *s)
{
	free(s->r);
	memset(s, 0, sizeof(*s));
}

static bool
set_empty(const struct num_set *s)
{
	return s->count == 0;
}

/* The first range whose hi is >= n (s->count if none). */
static size_t
set_find(const struct num_set *s, uint32_t n)
{
	size_t lo = 0, hi = s->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->r[mid].hi < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
set_contains(const struct num_set *s, uint32_t n)
{
	size_t i = set_find(s, n);

	return i < s->count && s->r[i].lo <= n;
}

static void
set_insert_at(struct num_set *s, size_t i, uint32_t lo, uint32_t hi)
{
	if (s->count == s->alloc) {
		s->alloc = s->alloc == 0 ? 8 : s->alloc * 2;
		s->r = xreallocarray(s->r, s->alloc, sizeof(*s->r));
	}
	memmove(&s->r[i + 1], &s->r[i], (s->count - i) * sizeof(*s->r));
	s->r[i].lo = lo;
	s->r[i].hi = hi;
	s->count++;
}

static void
set_delete_at(struct num_set *s, size_t i, size_t n)
{
	memmove(&s->r[i], &s->r[i + n], (s->count - i - n) * sizeof(*s->r));
	s->count -= n;
}

static void
set_add(struct num_set *s, uint32_t lo, uint32_t hi)
{
	size_t i, j;

	if (lo == 0)
		lo = 1;
	if (lo > hi)
		return;
	/* the common case: numbers in ascending order */
	if (s->count > 0 && s->r[s->count - 1].hi != UINT32_MAX &&
	    lo > s->r[s->count - 1].hi) {
		if (lo == s->r[s->count - 1].hi + 1)
			s->r[s->count - 1].hi = hi;
		else
			set_insert_at(s, s->count, lo, hi);
		return;
	}
	/* the first range that touches [lo,hi] or comes after it */
	i = set_find(s, lo > 1 ? lo - 1 : lo);
	j = i;
	while (j < s->count &&
	    (hi == UINT32_MAX || s->r[j].lo <= hi + 1)) {
		if (s->r[j].lo < lo)
			lo = s->r[j].lo;
		if (s->r[j].hi > hi)
			hi = s->r[j].hi;
		j++;
	}
	if (j > i) {
		s->r[i].lo = lo;
		s->r[i].hi = hi;
		set_delete_at(s, i + 1, j - i - 1);
	} else
		set_insert_at(s, i, lo, hi);
}

static void
set_remove(struct num_set *s, uint32_t lo, uint32_t hi)
{
	size_t i;

	if (lo > hi)
		return;
	i = set_find(s, lo);
	while (i < s->count && s->r[i].lo <= hi) {
		struct seqset_range *r = &s->r[i];

		if (r->lo >= lo && r->hi <= hi) {
			set_delete_at(s, i, 1);
			continue;
		}
		if (r->lo < lo && r->hi > hi) {
			/* split in two */
			uint32_t old_hi = r->hi;

			r->hi = lo - 1;
			set_insert_at(s, i + 1, hi + 1, old_hi);
			return;
		}
		if (r->lo < lo)
			r->hi = lo - 1;
		else
			r->lo = hi + 1;
		i++;
	}
}

static uint64_t
set_count(const struct num_set *s)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < s->count; i++)
		n += (uint64_t)s->r[i].hi - s->r[i].lo + 1;
	return n;
}

/* RFC 9051 7.5.1: message n is gone and every later one moves down. */
static void
set_expunge(struct num_set *s, uint32_t n)
{
	size_t i;

	set_remove(s, n, n);
	for (i = set_find(s, n); i < s->count; i++) {
		s->r[i].lo--;
		s->r[i].hi--;
	}
	/* [a, n-1] and [n, b] (was [n+1, b+1]) touch now */
	i = set_find(s, n > 1 ? n - 1 : 1);
	if (i + 1 < s->count && s->r[i].hi + 1 == s->r[i + 1].lo) {
		s->r[i].hi = s->r[i + 1].hi;
		set_delete_at(s, i + 1, 1);
	}
}

/* out = a & b */
static void
set_intersect(const struct num_set *a, const struct num_set *b,
    struct num_set *out)
{
	size_t i = 0, j = 0;

	while (i < a->count && j < b->count) {
		uint32_t lo = a->r[i].lo > b->r[j].lo ? a->r[i].lo : b->r[j].lo;
		uint32_t hi = a->r[i].hi < b->r[j].hi ? a->r[i].hi : b->r[j].hi;

		if (lo <= hi)
			set_add(out, lo, hi);
		if (a->r[i].hi < b->r[j].hi)
			i++;
		else
			j++;
	}
}

/* The set as IMAP ("4,7:9"); with limit > 0, cut after about limit bytes
 * with ",..." (the count says how many there are). */
static void
set_format(const struct num_set *s, struct buf *out, size_t limit)
{
	size_t i, start = out->len;

	for (i = 0; i < s->count; i++) {
		if (limit > 0 && out->len - start > limit) {
			buf_append_str(out, ",...");
			return;
		}
		if (i > 0)
			buf_append_byte(out, ',');
		buf_printf(out, "%lu", (unsigned long)s->r[i].lo);
		if (s->r[i].hi != s->r[i].lo)
			buf_printf(out, ":%lu", (unsigned long)s->r[i].hi);
	}
}

/* --- the guard ----------------------------------------------------------- */

enum guard_step {
	STEP_IDLE,
	STEP_WAITING,   /* a command is held; others are still in flight */
	STEP_SEARCHING, /* our UID SEARCH commands are in flight */
	STEP_ASKING,    /* the question is out */
};

struct console_guard {
	struct imap_session *session;
	struct model *model;
	enum console_guard_policy policy;
	struct console_guard_callbacks cb;
	struct imap_parser *scratch;

	/* the current selection's marks */
	struct num_set marked;  /* UIDs */
	struct num_set pending; /* message numbers whose UID was unknown */
	bool marks_lost;        /* a VANISHED hid where pending ones went */

	/* the command held, and its check */
	enum guard_step step;
	struct imap_command *held;
	struct imap_session_command *own_search; /* UID SEARCH <pending> */
	struct imap_session_command *all_search; /* UID SEARCH DELETED */
	struct num_set own_found;
	struct num_set deleted;
	char failed[128]; /* why the check failed, or empty */
	unsigned refused;
};

struct console_guard *
console_guard_new(struct imap_session *session, struct model *model,
    enum console_guard_policy policy, const struct console_guard_callbacks *cb)
{
	struct console_guard *g = xcalloc(1, sizeof(*g));

	g->session = session;
	g->model = model;
	g->policy = policy;
	if (cb != NULL)
		g->cb = *cb;
	g->scratch = imap_parser_new(NULL);
	return g;
}

static void
forget_check(struct console_guard *g)
{
	if (g->own_search != NULL)
		imap_session_command_set_context(g->own_search, NULL);
	if (g->all_search != NULL)
		imap_session_command_set_context(g->all_search, NULL);
	g->own_search = g->all_search = NULL;
	set_clear(&g->own_found);
	set_clear(&g->deleted);
	g->failed[0] = '\0';
}

void
console_guard_free(struct console_guard **gp)
{
	struct console_guard *g = *gp;

	if (g == NULL)
		return;
	forget_check(g);
	imap_command_free(&g->held);
	set_clear(&g->marked);
	set_clear(&g->pending);
	imap_parser_free(&g->scratch);
	free(g);
	*gp = NULL;
}

bool
console_guard_busy(const struct console_guard *g)
{
	return g->step != STEP_IDLE;
}

bool
console_guard_asking(const struct console_guard *g)
{
	return g->step == STEP_ASKING;
}

unsigned
console_guard_refused(const struct console_guard *g)
{
	return g->refused;
}

bool
console_guard_marked(const struct console_guard *g, uint32_t uid)
{
	return set_contains(&g->marked, uid);
}

uint64_t
console_guard_pending_numbers(const struct console_guard *g)
{
	return set_count(&g->pending);
}

static void
forget_marks(struct console_guard *g)
{
	set_clear(&g->marked);
	set_clear(&g->pending);
	g->marks_lost = false;
}

/* --- what STORE did ------------------------------------------------------ */

enum store_effect {
	STORE_NOTHING,
	STORE_MARKS,   /* \Deleted set */
	STORE_UNMARKS, /* \Deleted cleared */
};

/* RFC 9051 6.4.6: store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP
 * (flag-list / (flag *(SP flag))); RFC 7162 3.1.3 puts a modifier list
 * "(UNCHANGEDSINCE n)" before it. */
static enum store_effect
store_effect(const struct imap_arg *args, size_t count)
{
	const struct imap_arg *flags;
	const char *item;
	size_t i = 1, n, k;
	bool deleted = false;

	if (count < 3)
		return STORE_NOTHING;
	if (args[i].type == IMAP_ARG_LIST)
		i++;
	if (i + 1 >= count || !imap_arg_get_atom(&args[i], &item))
		return STORE_NOTHING;
	if (imap_arg_get_list(&args[i + 1], &flags, &n)) {
		if (i + 2 != count)
			return STORE_NOTHING;
	} else {
		flags = &args[i + 1];
		n = count - i - 1;
	}
	for (k = 0; k < n; k++)
		if (imap_arg_atom_equals(&flags[k], "\\Deleted"))
			deleted = true;
	if (strncasecmp(item, "+FLAGS", 6) == 0)
		return deleted ? STORE_MARKS : STORE_NOTHING;
	if (strncasecmp(item, "-FLAGS", 6) == 0)
		return deleted ? STORE_UNMARKS : STORE_NOTHING;
	if (strncasecmp(item, "FLAGS", 5) == 0)
		return deleted ? STORE_MARKS : STORE_UNMARKS;
	return STORE_NOTHING;
}

/* The largest UID known to exist: a marked range is cut there, so a
 * typed "UID STORE 1:99999" does not claim messages that arrive later. */
static uint32_t
largest_uid(struct console_guard *g)
{
	const struct model_selected *sel = model_selected(g->model);
	uint32_t n = model_index_count(sel->index), uid = 0, i;

	for (i = 0; i < 64 && i < n && uid == 0; i++)
		uid = model_index_msn_to_uid(sel->index, n - i);
	if ((sel->known & MODEL_SEL_UIDNEXT) && sel->uidnext > 1 &&
	    sel->uidnext - 1 > uid)
		uid = sel->uidnext - 1;
	return uid;
}

static void
add_to_num_set(void *set, uint32_t lo, uint32_t hi)
{
	set_add(set, lo, hi);
}

static void
uid_store_done(struct console_guard *g, const struct seqset *set,
    enum store_effect effect, const struct num_set *skip)
{
	uint32_t top = largest_uid(g), lo, hi;
	size_t i, k;

	for (i = 0; i < set->count; i++) {
		lo = set->ranges[i].lo;
		hi = set->ranges[i].hi == SEQSET_STAR ? top : set->ranges[i].hi;
		if (lo == SEQSET_STAR)
			lo = top;
		if (lo > hi) {
			uint32_t t = lo;

			lo = hi;
			hi = t;
		}
		if (effect == STORE_UNMARKS) {
			set_remove(&g->marked, lo, hi);
			continue;
		}
		if (hi > top)
			hi = top;
		set_add(&g->marked, lo, hi);
	}
	for (k = 0; effect == STORE_MARKS && k < skip->count; k++)
		set_remove(&g->marked, skip->r[k].lo, skip->r[k].hi);
}

static void
msn_store_done(struct console_guard *g, const struct seqset *set,
    enum store_effect effect, const struct num_set *skip)
{
	struct model_index *idx = model_selected(g->model)->index;
	uint32_t count = model_index_count(idx), msn, uid;
	struct seqset_iter it;

	seqset_iter_init(&it, set, count);
	while (seqset_iter_next(&it, &msn)) {
		if (msn == 0 || msn > count)
			continue;
		if (effect == STORE_MARKS && set_contains(skip, msn))
			continue;
		uid = model_index_msn_to_uid(idx, msn);
		if (effect == STORE_UNMARKS) {
			if (uid != 0)
				set_remove(&g->marked, uid, uid);
			set_remove(&g->pending, msn, msn);
		} else if (uid != 0)
			set_add(&g->marked, uid, uid);
		else
			set_add(&g->pending, msn, msn);
	}
}

/* A STORE or UID STORE ended OK: the model has taken its FETCH replies,
 * so the index knows what UIDs they told. */
static void
store_done(struct console_guard *g, const struct imap_session_command *sc,
    const struct decoded_response *tagged)
{
	const struct imap_command *cmd = imap_session_command_get(sc);
	/* the set the session parsed when the command was submitted */
	const struct seqset *set = imap_session_command_set(sc);
	const struct imap_arg *args;
	struct num_set skip = { 0 };
	enum store_effect effect;
	size_t count;
	bool uid = strcmp(cmd->name, "UID STORE") == 0;

	if (imap_command_parse_args(cmd, g->scratch, &args, &count) != 0 ||
	    (effect = store_effect(args, count)) == STORE_NOTHING)
		return;
	if (set == NULL) {
		/* "$" (RFC 5182) and the like: where it went is unknown. A
		 * mark is simply not counted as ours; a cleared mark could
		 * hide one that is no longer ours, so forget them all. */
		if (effect == STORE_UNMARKS)
			forget_marks(g);
		return;
	}
	decoded_modified_set(tagged, add_to_num_set, &skip);
	if (uid)
		uid_store_done(g, set, effect, &skip);
	else
		msn_store_done(g, set, effect, &skip);
	set_clear(&skip);
}

/* --- the check ----------------------------------------------------------- */

static bool
selected_read_write(const struct console_guard *g)
{
	return imap_session_state(g->session) == IMAP_STATE_SELECTED &&
	    !imap_session_read_only(g->session);
}

static void
send_held(struct console_guard *g)
{
	static const struct imap_origin typed = { IMAP_ORIGIN_CONSOLE, NULL };
	struct imap_command *cmd = g->held;

	g->held = NULL;
	g->step = STEP_IDLE;
	forget_check(g);
	if (cmd == NULL)
		return;
	if (imap_session_state(g->session) == IMAP_STATE_LOGOUT) {
		imap_command_free(&cmd);
		return;
	}
	/* the user's own line, as typed */
	(void)imap_session_submit_from(g->session, cmd, 0, NULL, &typed);
}

static void
drop_held(struct console_guard *g)
{
	imap_command_free(&g->held);
	g->step = STEP_IDLE;
	forget_check(g);
}

static void decide(struct console_guard *g);

/* Take a search the session has queued as ours. */
static struct imap_session_command *
adopt(struct console_guard *g, struct imap_session_command *sc,
    const char *error)
{
	if (sc == NULL) {
		log_debug("console-guard: %s", error);
		return NULL;
	}
	imap_session_command_set_context(sc, g);
	return sc;
}

/* Nothing else is in flight: decide, or ask the server. Both searches are
 * exclusive: nothing else is in flight while one is, so every untagged
 * SEARCH that comes is its answer. */
static void
start_check(struct console_guard *g)
{
	struct imap_session_command *sc;
	const char *error = NULL;
	struct buf text;

	if (!selected_read_write(g)) {
		/* nothing it could remove: RFC 9051 6.4.2, 6.4.3 */
		send_held(g);
		return;
	}
	g->step = STEP_SEARCHING;
	if (!set_empty(&g->pending)) {
		buf_init(&text, IMAP_COMMAND_MAX_CHUNK);
		set_format(&g->pending, &text, 0);
		sc = imap_session_command(g->session, IMAP_CMD_EXCLUSIVE,
		    &error, "UID SEARCH %a DELETED", buf_str(&text));
		g->own_search = adopt(g, sc, error);
		buf_free(&text);
	}
	if (imap_session_has_capability(g->session, "ESEARCH"))
		sc = imap_session_command(g->session, IMAP_CMD_EXCLUSIVE,
		    &error, "UID SEARCH RETURN (ALL) DELETED");
	else
		sc = imap_session_command(g->session, IMAP_CMD_EXCLUSIVE,
		    &error, "UID SEARCH DELETED");
	g->all_search = adopt(g, sc, error);
	if (g->all_search == NULL) {
		snprintf(g->failed, sizeof(g->failed),
		    "UID SEARCH could not be sent");
		if (g->own_search == NULL)
			decide(g);
	}
}

bool
console_guard_guards(const struct imap_command *cmd)
{
	const struct imap_command_entry *e = imap_command_entry_find(cmd->name);

	return e != NULL && (e->flags & IMAP_CMDF_EXPUNGES_ALL);
}

bool
console_guard_hold(struct console_guard *g, struct imap_command *cmd)
{
	if (!console_guard_guards(cmd) || g->step != STEP_IDLE)
		return false;
	if (imap_session_in_flight(g->session) == 0 && !selected_read_write(g))
		return false;
	g->held = cmd;
	g->step = STEP_WAITING;
	/* a front end's automatic IDLE would never end by itself: the
	 * command it waits for is held here, not submitted */
	imap_session_auto_idle_end(g->session);
	if (imap_session_in_flight(g->session) == 0)
		start_check(g);
	return true;
}

static void
append_count(struct buf *b, uint64_t n, const char *what)
{
	buf_printf(b, "%llu %s%s", (unsigned long long)n, what,
	    n == 1 ? "" : "s");
}

static void
append_uids(struct buf *b, const struct num_set *s)
{
	buf_append_str(b, set_count(s) == 1 ? "UID " : "UIDs ");
	set_format(s, b, SHOWN_SET_BYTES);
}

/* What the held command would remove, and the safe way, in lines. */
static void
describe(struct console_guard *g, const struct num_set *own,
    const struct num_set *others, struct buf *b)
{
	const char *name = g->held->name;
	bool close = strcmp(name, "CLOSE") == 0;
	bool uidplus = imap_session_has_capability(g->session, "UIDPLUS");
	bool unselect = imap_session_has_capability(g->session, "UNSELECT");
	struct buf set;

	if (g->failed[0] != '\0') {
		buf_printf(b, "%s would remove every \\Deleted message, and "
			      "which ones are is not known:\n%s.\n",
		    name, g->failed);
		return;
	}
	buf_printf(b, "%s would also remove ", name);
	append_count(b, set_count(others), "\\Deleted message");
	buf_append_str(b, " that this session did\nnot mark (another "
			  "client or an earlier session did): ");
	append_uids(b, others);
	buf_append_str(b, "\n");
	if (set_empty(own))
		buf_append_str(b, "This session marked none of the \\Deleted "
				  "messages.\n");
	else {
		buf_printf(b, "This session marked %llu of the %llu: ",
		    (unsigned long long)set_count(own),
		    (unsigned long long)(set_count(own) + set_count(others)));
		append_uids(b, own);
		buf_append_str(b, "\n");
	}
	if (g->marks_lost)
		buf_append_str(b, "(Marks made by message number before a "
				  "VANISHED are not counted.)\n");
	if (!set_empty(own) && uidplus) {
		buf_init(&set, IMAP_COMMAND_MAX_CHUNK);
		set_format(own, &set, 0);
		if (set.len <= SHOWN_COMMAND_BYTES)
			buf_printf(b, "Only this session's: UID EXPUNGE %s%s\n",
			    buf_str(&set), close ? ", then UNSELECT" : "");
		else
			buf_printf(b, "Only this session's: UID EXPUNGE with "
				      "the UIDs above%s\n",
			    close ? ", then UNSELECT" : "");
		buf_free(&set);
	} else if (!set_empty(own))
		buf_append_str(b, "The server has no UIDPLUS: no command "
				  "removes only this session's.\n");
	if (close && set_empty(own))
		buf_append_str(b, unselect
			? "To leave without expunging: UNSELECT\n"
			: "To leave without expunging: SELECT or EXAMINE "
			  "another mailbox\n");
}

static void
notice(struct console_guard *g, enum console_guard_notice kind,
    const char *text)
{
	if (g->cb.notice != NULL)
		g->cb.notice(g->cb.ctx, kind, text);
}

/* Both searches are done: decide. */
static void
decide(struct console_guard *g)
{
	struct num_set own = { 0 }, others = { 0 };
	struct buf text;
	size_t i;

	set_intersect(&g->marked, &g->deleted, &own);
	for (i = 0; i < g->own_found.count; i++)
		set_add(&own, g->own_found.r[i].lo, g->own_found.r[i].hi);
	for (i = 0; i < g->deleted.count; i++)
		set_add(&others, g->deleted.r[i].lo, g->deleted.r[i].hi);
	for (i = 0; i < own.count; i++)
		set_remove(&others, own.r[i].lo, own.r[i].hi);
	if (g->failed[0] == '\0' && set_empty(&others)) {
		set_clear(&own);
		set_clear(&others);
		send_held(g);
		return;
	}
	buf_init(&text, TEXT_MAX);
	switch (g->policy) {
	case CONSOLE_GUARD_ASK:
		describe(g, &own, &others, &text);
		buf_printf(&text, "Send %s anyway?", g->held->name);
		g->step = STEP_ASKING;
		if (g->cb.ask != NULL)
			g->cb.ask(g->cb.ctx, buf_str(&text));
		else
			drop_held(g);
		break;
	case CONSOLE_GUARD_WARN:
		describe(g, &own, &others, &text);
		buf_printf(&text, "%s is sent as typed anyway.", g->held->name);
		notice(g, CONSOLE_GUARD_WARNED, buf_str(&text));
		send_held(g);
		break;
	case CONSOLE_GUARD_REFUSE:
		buf_printf(&text, "%s not sent; every message stays in "
				  "place.\n", g->held->name);
		describe(g, &own, &others, &text);
		text.data[--text.len] = '\0'; /* the last line end */
		g->refused++;
		notice(g, CONSOLE_GUARD_REFUSED, buf_str(&text));
		drop_held(g);
		break;
	}
	buf_free(&text);
	set_clear(&own);
	set_clear(&others);
}

void
console_guard_answer(struct console_guard *g, bool yes)
{
	char text[128];

	if (g->step != STEP_ASKING)
		return;
	if (yes) {
		send_held(g);
		return;
	}
	snprintf(text, sizeof(text), "%s not sent: every message stays in "
	    "place.", g->held->name);
	drop_held(g);
	notice(g, CONSOLE_GUARD_DECLINED, text);
}

/* --- events -------------------------------------------------------------- */

static bool
ours(const struct console_guard *g, const struct imap_session_command *cmd)
{
	return cmd != NULL && imap_session_command_context(cmd) == g &&
	    (cmd == g->own_search || cmd == g->all_search);
}

/* The search whose answers come now: the first of ours still in flight
 * (they are exclusive, so one at a time, in order). */
static struct num_set *
answering(struct console_guard *g)
{
	if (g->own_search != NULL)
		return &g->own_found;
	return g->all_search != NULL ? &g->deleted : NULL;
}

static void
search_response(struct console_guard *g, const struct decoded_response *d)
{
	struct num_set *into = answering(g);
	const struct seqset *all = &d->u.esearch.all;
	size_t i;

	if (into == NULL)
		return;
	if (d->error != NULL) {
		snprintf(g->failed, sizeof(g->failed),
		    "the SEARCH reply did not decode");
	} else if (d->kind == DECODED_SEARCH) {
		for (i = 0; i < d->u.search.count; i++)
			set_add(into, d->u.search.numbers[i],
			    d->u.search.numbers[i]);
	} else if (d->kind == DECODED_ESEARCH && d->u.esearch.has_all) {
		for (i = 0; i < all->count; i++)
			if (all->ranges[i].lo != SEQSET_STAR &&
			    all->ranges[i].hi != SEQSET_STAR)
				set_add(into, all->ranges[i].lo,
				    all->ranges[i].hi);
	}
}

void
console_guard_response(struct console_guard *g,
    const struct decoded_response *d)
{
	if (d->raw->kind != IMAP_RESPONSE_UNTAGGED ||
	    d->raw->status != IMAP_STATUS_NONE)
		return;
	/* only what the session routed to our own searches */
	if (g->step == STEP_SEARCHING && d->owner != NULL &&
	    ours(g, d->owner))
		search_response(g, d);
	if (set_empty(&g->pending))
		return;
	if (d->kind == DECODED_COUNT &&
	    d->u.count.kind == MESSAGE_COUNT_EXPUNGE)
		set_expunge(&g->pending, d->u.count.n);
	else if (d->kind == DECODED_VANISHED && !d->u.vanished.earlier) {
		/* RFC 7162 3.2.10.2: UIDs only; where the numbers moved is
		 * not known, so those marks are no longer ours. */
		set_clear(&g->pending);
		g->marks_lost = true;
	}
}

static void
search_completed(struct console_guard *g,
    const struct imap_session_command *cmd, enum imap_command_result result)
{
	if (result == IMAP_RESULT_FAILED) {
		/* the connection is gone: nothing can be sent */
		drop_held(g);
		return;
	}
	if (result != IMAP_RESULT_OK && g->failed[0] == '\0')
		snprintf(g->failed, sizeof(g->failed),
		    "the server refused UID SEARCH (%s)",
		    result == IMAP_RESULT_NO ? "NO" : "BAD");
	if (cmd == g->own_search) {
		g->own_search = NULL;
		return;
	}
	g->all_search = NULL;
	decide(g);
}

void
console_guard_completed(struct console_guard *g,
    const struct imap_session_command *cmd, enum imap_command_result result,
    const struct decoded_response *tagged)
{
	const struct imap_command *ic = imap_session_command_get(cmd);
	const struct imap_command_entry *e = imap_session_command_entry(cmd);
	unsigned flags = e != NULL ? e->flags : 0;

	if (ours(g, cmd)) {
		search_completed(g, cmd, result);
		return;
	}
	/* RFC 9051 6.3.1: a SELECT, even a failed one, ends the last
	 * selection; so do CLOSE and UNSELECT. */
	if ((flags & IMAP_CMDF_SELECTS) ||
	    (result == IMAP_RESULT_OK && (flags & IMAP_CMDF_LEAVES)))
		forget_marks(g);
	else if (result == IMAP_RESULT_OK && (strcmp(ic->name, "STORE") == 0 ||
		     strcmp(ic->name, "UID STORE") == 0))
		store_done(g, cmd, tagged);
	if (g->step == STEP_WAITING && imap_session_in_flight(g->session) == 0)
		start_check(g);
}
