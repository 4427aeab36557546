/* teach-knowledge: the table of what every protocol name means. The rows
 * are data (teach-knowledge.def); here they are indexed once, sorted by
 * kind and name, so each lookup is a binary search. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "teach-knowledge.h"

#define RFC(number, title) \
	{ KNOW_RFC, #number, number, "", title, "" },
#define ROW(kind, name, rfc, section, meaning, note) \
	{ KNOW_##kind, name, rfc, section, meaning, note },

static const struct knowledge_row rows[] = {
#include "teach-knowledge.def"
};

#undef RFC
#undef ROW

#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

static const char *const kind_names[KNOW_KIND_COUNT] = {
	[KNOW_RFC] = "rfc",
	[KNOW_COMMAND] = "command",
	[KNOW_RESPONSE] = "response",
	[KNOW_CODE] = "code",
	[KNOW_STATUS_ITEM] = "status-item",
	[KNOW_FETCH_ITEM] = "fetch-item",
	[KNOW_FLAG] = "flag",
	[KNOW_ATTRIBUTE] = "attribute",
	[KNOW_CAPABILITY] = "capability",
	[KNOW_RIGHT] = "right",
	[KNOW_STATE] = "state",
	[KNOW_CONCEPT] = "concept",
	[KNOW_SYNTAX] = "syntax",
};

/* Rows in (kind, name) order, built on first use; the table is a few
 * hundred rows, read for every line --explain prints. */
static const struct knowledge_row *sorted[ROW_COUNT];
static bool sorted_ready;

/* strncasecmp with a NUL-terminated right side: a, alen against b. */
static int
name_cmp_n(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	int c = strncasecmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int
row_cmp(const void *pa, const void *pb)
{
	const struct knowledge_row *a = *(const struct knowledge_row *const *)pa;
	const struct knowledge_row *b = *(const struct knowledge_row *const *)pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return name_cmp_n(a->name, strlen(a->name), b->name);
}

static void
index_rows(void)
{
	size_t i;

	if (sorted_ready)
		return;
	for (i = 0; i < ROW_COUNT; i++)
		sorted[i] = &rows[i];
	qsort(sorted, ROW_COUNT, sizeof(sorted[0]), row_cmp);
	sorted_ready = true;
}

const char *
knowledge_kind_name(enum knowledge_kind kind)
{
	return (unsigned)kind < KNOW_KIND_COUNT ? kind_names[kind] : "?";
}

static const struct knowledge_row *
find_exact(enum knowledge_kind kind, const char *name, size_t len)
{
	size_t lo = 0, hi = ROW_COUNT;

	index_rows();
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct knowledge_row *r = sorted[mid];
		int c = kind != r->kind ? (kind < r->kind ? -1 : 1)
					: name_cmp_n(name, len, r->name);

		if (c == 0)
			return r;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* A capability row "AUTH=*" answers every "AUTH=..." the server sends,
 * "QUOTA=RES-*" every "QUOTA=RES-...": try the name up to each '=' or
 * '-' with a '*' after, the longest first. */
static const struct knowledge_row *
find_capability_prefix(const char *name, size_t len)
{
	const struct knowledge_row *r;
	char key[64];
	size_t i;

	for (i = len - 1; i > 0; i--) {
		if ((name[i - 1] != '=' && name[i - 1] != '-') ||
		    i + 1 >= sizeof(key))
			continue;
		memcpy(key, name, i);
		key[i] = '*';
		if ((r = find_exact(KNOW_CAPABILITY, key, i + 1)) != NULL)
			return r;
	}
	return NULL;
}

const struct knowledge_row *
knowledge_find_n(enum knowledge_kind kind, const char *name, size_t len)
{
	const struct knowledge_row *r;

	if (name == NULL || len == 0)
		return NULL;
	r = find_exact(kind, name, len);
	if (r == NULL && kind == KNOW_CAPABILITY)
		r = find_capability_prefix(name, len);
	return r;
}

const struct knowledge_row *
knowledge_find(enum knowledge_kind kind, const char *name)
{
	return name != NULL ? knowledge_find_n(kind, name, strlen(name))
			    : NULL;
}

/* Rights are case-sensitive letters, unlike every other name. */
const struct knowledge_row *
knowledge_right(char letter)
{
	const struct knowledge_row *r = knowledge_find_n(KNOW_RIGHT, &letter,
	    1);

	return r != NULL && r->name[0] == letter ? r : NULL;
}

int
knowledge_right_name_len(const struct knowledge_row *row)
{
	const char *colon = strchr(row->meaning, ':');

	return (int)(colon != NULL ? (size_t)(colon - row->meaning)
				   : strlen(row->meaning));
}

const struct knowledge_row *
knowledge_at(size_t i)
{
	return i < ROW_COUNT ? &rows[i] : NULL;
}

size_t
knowledge_count(void)
{
	return ROW_COUNT;
}

const char *
knowledge_cite(const struct knowledge_row *row, char *buf, size_t size)
{
	if (row->rfc == 0)
		snprintf(buf, size, "a vendor extension");
	else if (row->section[0] == '\0')
		snprintf(buf, size, "RFC %u", row->rfc);
	else
		snprintf(buf, size, "RFC %u \xc2\xa7%s", row->rfc,
		    row->section);
	return buf;
}

const char *
knowledge_rfc_title(unsigned rfc)
{
	char number[16];
	const struct knowledge_row *r;

	snprintf(number, sizeof(number), "%u", rfc);
	r = knowledge_find(KNOW_RFC, number);
	return r != NULL ? r->meaning : NULL;
}
