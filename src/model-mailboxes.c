/* model-mailboxes: the mailbox tree (see the header for its rules). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model-mailboxes.h"
#include "text-mutf7.h"
#include "util-buf.h"
#include "util-mem.h"

#define NAME_MAX_DISPLAY (64u * 1024)

struct model_mailboxes {
	/* Sorted by raw name (strcmp) for lookup. */
	struct model_mailbox **nodes;
	size_t count, alloc;
	/* The same nodes in tree order; rebuilt when stale. */
	struct model_mailbox **rows;
	size_t row_count;
	bool rows_stale;
	uint64_t generation;
};

struct model_mailboxes *
model_mailboxes_new(void)
{
	struct model_mailboxes *m = xcalloc(1, sizeof(*m));

	m->rows_stale = true;
	return m;
}

static void
node_free_attributes(struct model_mailbox *n)
{
	size_t i;

	for (i = 0; i < n->attribute_count; i++)
		free(n->attributes[i]);
	free(n->attributes);
	n->attributes = NULL;
	n->attribute_count = 0;
	free(n->special_use);
	n->special_use = NULL;
}

static void
node_free(struct model_mailbox *n)
{
	node_free_attributes(n);
	free(n->raw);
	free(n->display);
	free(n);
}

void
model_mailboxes_clear(struct model_mailboxes *m)
{
	size_t i;

	for (i = 0; i < m->count; i++)
		node_free(m->nodes[i]);
	m->count = 0;
	m->row_count = 0;
	m->rows_stale = true;
	m->generation++;
}

void
model_mailboxes_free(struct model_mailboxes **mp)
{
	struct model_mailboxes *m = *mp;

	if (m == NULL)
		return;
	model_mailboxes_clear(m);
	free(m->nodes);
	free(m->rows);
	free(m);
	*mp = NULL;
}

uint64_t
model_mailboxes_generation(const struct model_mailboxes *m)
{
	return m->generation;
}

static void
changed(struct model_mailboxes *m)
{
	m->rows_stale = true;
	m->generation++;
}

/* --- lookup by raw name --------------------------------------------------- */

/* The index of raw, or where it would be inserted (*found_r false). */
static size_t
node_search(const struct model_mailboxes *m, const char *raw, bool *found_r)
{
	size_t lo = 0, hi = m->count;
	int cmp;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		cmp = strcmp(m->nodes[mid]->raw, raw);
		if (cmp == 0) {
			*found_r = true;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found_r = false;
	return lo;
}

static struct model_mailbox *
node_find(const struct model_mailboxes *m, const char *raw)
{
	bool found;
	size_t i = node_search(m, raw, &found);

	return found ? m->nodes[i] : NULL;
}

/* How many levels the name has below the top, by its own delimiter. */
static unsigned
node_levels(const struct model_mailbox *n)
{
	const char *p;
	unsigned levels = 0;

	if (n->delimiter == '\0')
		return 0;
	for (p = n->raw; *p != '\0'; p++)
		if (*p == n->delimiter)
			levels++;
	return levels;
}

/* Decode the display name and place the leaf and depth. */
static void
node_set_name(struct model_mailbox *n, char delimiter)
{
	struct buf name;
	bool invalid = false;
	const char *p;

	free(n->display);
	buf_init(&name, NAME_MAX_DISPLAY);
	if (text_mutf7_decode(n->raw, strlen(n->raw), &name, &invalid) == 0 &&
	    !invalid)
		n->display = buf_steal(&name);
	else {
		n->display = xstrdup(n->raw);
		invalid = true;
	}
	buf_free(&name);
	n->name_invalid = invalid;
	n->delimiter = delimiter;
	n->depth = node_levels(n);
	n->leaf = n->display;
	if (delimiter == '\0')
		return;
	p = strrchr(n->display, delimiter);
	/* "a/" (a trailing delimiter) keeps its whole name as the leaf */
	if (p != NULL && p[1] != '\0')
		n->leaf = p + 1;
}

static struct model_mailbox *
node_get(struct model_mailboxes *m, const char *raw, char delimiter)
{
	bool found;
	size_t i = node_search(m, raw, &found);
	struct model_mailbox *n;

	if (found) {
		n = m->nodes[i];
		if (n->delimiter != delimiter)
			node_set_name(n, delimiter);
		return n;
	}
	if (m->count == m->alloc) {
		m->alloc = m->alloc == 0 ? 64 : m->alloc * 2;
		m->nodes = xreallocarray(m->nodes, m->alloc, sizeof(*m->nodes));
	}
	n = xcalloc(1, sizeof(*n));
	n->raw = xstrdup(raw);
	node_set_name(n, delimiter);
	memmove(&m->nodes[i + 1], &m->nodes[i],
	    (m->count - i) * sizeof(*m->nodes));
	m->nodes[i] = n;
	m->count++;
	return n;
}

static void
node_remove_at(struct model_mailboxes *m, size_t i)
{
	node_free(m->nodes[i]);
	memmove(&m->nodes[i], &m->nodes[i + 1],
	    (m->count - i - 1) * sizeof(*m->nodes));
	m->count--;
}

/* --- feeding ------------------------------------------------------------- */

static void
node_set_attributes(struct model_mailbox *n, const struct list_response *l)
{
	size_t i;

	node_free_attributes(n);
	n->attrs = l->attrs;
	if (l->special_use != NULL)
		n->special_use = xstrdup(l->special_use);
	if (l->attribute_count > 0) {
		n->attributes = xcalloc(l->attribute_count,
		    sizeof(*n->attributes));
		for (i = 0; i < l->attribute_count; i++)
			n->attributes[i] = xstrdup(l->attributes[i]);
		n->attribute_count = l->attribute_count;
	}
}

void
model_mailboxes_list(struct model_mailboxes *m, const struct list_response *l,
    uint64_t serial, bool with_subscribed)
{
	struct model_mailbox *n = node_get(m, l->name, l->delimiter);

	if (l->lsub) {
		/* LSUB's attributes describe the subscription, not the
		 * mailbox: keep LIST's. */
		n->subscribed = true;
		n->lsub_serial = serial;
	} else {
		/* LIST-EXTENDED can name a subscribed mailbox that does not
		 * exist (\NonExistent): it is a subscription, not a box. */
		n->listed = (l->attrs & LIST_ATTR_NONEXISTENT) == 0;
		node_set_attributes(n, l);
		n->seen_serial = serial;
		if (with_subscribed || (l->attrs & LIST_ATTR_SUBSCRIBED) != 0)
			n->subscribed = (l->attrs & LIST_ATTR_SUBSCRIBED) != 0;
	}
	changed(m);
}

void
model_mailboxes_status(struct model_mailboxes *m,
    const struct status_response *st)
{
	struct model_mailbox *n = node_find(m, st->mailbox);
	unsigned i;

	if (n == NULL)
		return;
	for (i = 0; i < STATUS_ITEM_COUNT; i++)
		if (st->present & (1u << i))
			n->status[i] = st->values[i];
	n->status_present |= st->present;
	m->generation++;
}

void
model_mailboxes_prune(struct model_mailboxes *m, uint64_t serial, bool lsub)
{
	size_t i = 0;

	while (i < m->count) {
		struct model_mailbox *n = m->nodes[i];

		if (lsub) {
			if (n->lsub_serial != serial)
				n->subscribed = false;
		} else if (n->seen_serial != serial)
			n->listed = false;
		/* neither listed nor subscribed: nothing left to show */
		if (!n->listed && !n->subscribed)
			node_remove_at(m, i);
		else
			i++;
	}
	changed(m);
}

void
model_mailboxes_created(struct model_mailboxes *m, const char *raw)
{
	struct model_mailbox *n = node_find(m, raw);
	char delimiter = '\0';
	size_t i;

	if (n == NULL) {
		/* the account's delimiter: any listed node's */
		for (i = 0; i < m->count && delimiter == '\0'; i++)
			delimiter = m->nodes[i]->delimiter;
		n = node_get(m, raw, delimiter);
	}
	n->listed = true;
	n->attrs &= ~(unsigned)(LIST_ATTR_NONEXISTENT | LIST_ATTR_NOSELECT);
	changed(m);
}

void
model_mailboxes_deleted(struct model_mailboxes *m, const char *raw)
{
	bool found;
	size_t i = node_search(m, raw, &found);

	if (!found)
		return;
	m->nodes[i]->listed = false;
	if (!m->nodes[i]->subscribed)
		node_remove_at(m, i);
	changed(m);
}

/* Is name `from` itself, or below it? */
static bool
is_same_or_inferior(const char *name, const char *from, char delimiter)
{
	size_t len = strlen(from);

	if (strncmp(name, from, len) != 0)
		return false;
	return name[len] == '\0' || (delimiter != '\0' && name[len] == delimiter);
}

void
model_mailboxes_renamed(struct model_mailboxes *m, const char *from,
    const char *to)
{
	struct model_mailbox **moved;
	size_t i = 0, n_moved = 0, j;

	/* RFC 9051 6.3.6: renaming INBOX moves its messages to a new
	 * mailbox; INBOX stays, and its inferiors are unaffected. */
	if (strcasecmp(from, "INBOX") == 0) {
		model_mailboxes_created(m, to);
		return;
	}
	moved = xcalloc(m->count + 1, sizeof(*moved));
	while (i < m->count) {
		struct model_mailbox *n = m->nodes[i];

		if (n->listed &&
		    is_same_or_inferior(n->raw, from, n->delimiter)) {
			moved[n_moved++] = n;
			memmove(&m->nodes[i], &m->nodes[i + 1],
			    (m->count - i - 1) * sizeof(*m->nodes));
			m->count--;
		} else
			i++;
	}
	for (j = 0; j < n_moved; j++) {
		struct model_mailbox *n = moved[j], *to_node;
		char *name = xasprintf("%s%s", to, n->raw + strlen(from));

		/* the renamed node takes the new name's place, state and all */
		to_node = node_get(m, name, n->delimiter);
		to_node->listed = true;
		to_node->attrs = n->attrs;
		if (n->special_use != NULL && to_node->special_use == NULL)
			to_node->special_use = xstrdup(n->special_use);
		to_node->status_present = 0;
		free(name);
		/* RFC 9051 6.3.6: the subscription does not move */
		if (n->subscribed) {
			struct model_mailbox *old =
			    node_get(m, n->raw, n->delimiter);
			old->subscribed = true;
			old->listed = false;
		}
		node_free(n);
	}
	free(moved);
	changed(m);
}

void
model_mailboxes_subscribed(struct model_mailboxes *m, const char *raw,
    bool subscribed)
{
	struct model_mailbox *n = node_find(m, raw);
	bool found;
	size_t i;

	if (n == NULL) {
		if (!subscribed)
			return;
		n = node_get(m, raw, '\0');
	}
	n->subscribed = subscribed;
	if (!n->listed && !subscribed) {
		i = node_search(m, raw, &found);
		node_remove_at(m, i);
	}
	changed(m);
}

/* --- tree order ---------------------------------------------------------- */

static bool
is_inbox_tree(const struct model_mailbox *n)
{
	return strncasecmp(n->raw, "INBOX", 5) == 0 &&
	    (n->raw[5] == '\0' ||
		(n->delimiter != '\0' && n->raw[5] == n->delimiter));
}

/* INBOX and its children first; then the decoded names in byte order
 * (modified UTF-7 keeps the delimiter as it is), with the delimiter below
 * every other byte, so children follow their parent directly. */
static int
tree_compare(const void *pa, const void *pb)
{
	const struct model_mailbox *a = *(struct model_mailbox *const *)pa;
	const struct model_mailbox *b = *(struct model_mailbox *const *)pb;
	const unsigned char *x = (const unsigned char *)a->display;
	const unsigned char *y = (const unsigned char *)b->display;
	bool ia = is_inbox_tree(a), ib = is_inbox_tree(b);

	if (ia != ib)
		return ia ? -1 : 1;
	for (;; x++, y++) {
		unsigned cx = *x == (unsigned char)a->delimiter ? 1 : *x;
		unsigned cy = *y == (unsigned char)b->delimiter ? 1 : *y;

		if (*x == '\0' || *y == '\0' || cx != cy)
			return (int)(*x == '\0' ? 0 : cx) -
			    (int)(*y == '\0' ? 0 : cy);
	}
}

/* Give every node with a delimiter rows for its missing ancestors.
 * node_get() inserts into m->nodes, shifting the nodes after the new
 * parent: walk a copy of the array as it was, or the nodes pushed past
 * the old count ("x/y" after "a/b/c" got "a" and "a/b") would be
 * skipped. */
static void
add_implied_parents(struct model_mailboxes *m)
{
	size_t i, count = m->count;
	struct model_mailbox **before;

	if (count == 0)
		return;
	before = xreallocarray(NULL, count, sizeof(*before));
	memcpy(before, m->nodes, count * sizeof(*before));
	for (i = 0; i < count; i++) {
		char *name = xstrdup(before[i]->raw);
		char delimiter = before[i]->delimiter;
		char *p;

		while (delimiter != '\0' &&
		    (p = strrchr(name, delimiter)) != NULL && p != name) {
			struct model_mailbox *parent;

			*p = '\0';
			if (node_find(m, name) != NULL)
				break;
			parent = node_get(m, name, delimiter);
			parent->attrs = LIST_ATTR_NONEXISTENT |
			    LIST_ATTR_NOSELECT | LIST_ATTR_HASCHILDREN;
		}
		free(name);
	}
	free(before);
}

static void
drop_implied(struct model_mailboxes *m)
{
	size_t i = 0;

	while (i < m->count)
		if (!m->nodes[i]->listed && !m->nodes[i]->subscribed)
			node_remove_at(m, i);
		else
			i++;
}

/* A server whose mailboxes disagree on the delimiter (RFC 9051 says one
 * per namespace) can sort a child away from its parent: a row is then
 * shown at most one level below the row before it, so the tree stays
 * drawable (found by fuzz/fuzz-session.c). */
static void
rows_clamp_depth(struct model_mailboxes *m)
{
	unsigned prev = 0, levels;
	size_t i;

	for (i = 0; i < m->row_count; i++) {
		levels = node_levels(m->rows[i]);
		m->rows[i]->depth = i == 0 ? 0 :
		    levels > prev + 1 ? prev + 1 : levels;
		prev = m->rows[i]->depth;
	}
}

static void
rows_rebuild(struct model_mailboxes *m)
{
	if (!m->rows_stale)
		return;
	drop_implied(m);
	add_implied_parents(m);
	m->rows = xreallocarray(m->rows, m->count + 1, sizeof(*m->rows));
	if (m->count > 0)
		memcpy(m->rows, m->nodes, m->count * sizeof(*m->rows));
	m->row_count = m->count;
	qsort(m->rows, m->row_count, sizeof(*m->rows), tree_compare);
	rows_clamp_depth(m);
	m->rows_stale = false;
}

size_t
model_mailboxes_count(struct model_mailboxes *m)
{
	rows_rebuild(m);
	return m->row_count;
}

const struct model_mailbox *
model_mailboxes_row(struct model_mailboxes *m, size_t row)
{
	rows_rebuild(m);
	return row < m->row_count ? m->rows[row] : NULL;
}

const struct model_mailbox *
model_mailboxes_find(struct model_mailboxes *m, const char *raw)
{
	rows_rebuild(m);
	return node_find(m, raw);
}

size_t
model_mailboxes_row_of(struct model_mailboxes *m, const char *raw)
{
	size_t i;

	rows_rebuild(m);
	for (i = 0; i < m->row_count; i++)
		if (strcmp(m->rows[i]->raw, raw) == 0)
			return i;
	return (size_t)-1;
}

const struct model_mailbox *
model_mailboxes_special(struct model_mailboxes *m, const char *special_use)
{
	size_t i;

	for (i = 0; i < m->count; i++)
		if (m->nodes[i]->listed && m->nodes[i]->special_use != NULL &&
		    strcasecmp(m->nodes[i]->special_use, special_use) == 0)
			return m->nodes[i];
	return NULL;
}
