/* client-console-tags: readable tags for lines typed without one. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client-console-tags.h"
#include "util-mem.h"

#define TAG_FORMAT "a%03u"

struct console_tags {
	unsigned counter; /* the last number given */
	/* numbers of typed tags of the added form still ahead of the
	 * counter: the only ones an added tag could repeat */
	unsigned *typed;
	size_t typed_count, typed_size;
	char tag[16];
};

struct console_tags *
console_tags_new(void)
{
	return xcalloc(1, sizeof(struct console_tags));
}

void
console_tags_free(struct console_tags **tagsp)
{
	if (*tagsp == NULL)
		return;
	free((*tagsp)->typed);
	free(*tagsp);
	*tagsp = NULL;
}

/* The number in an added-form tag, or 0 when it has another form. */
static unsigned
added_number(const char *tag)
{
	char again[16];
	unsigned long n;
	char *end;

	if (tag[0] != 'a' || tag[1] < '0' || tag[1] > '9')
		return 0;
	n = strtoul(tag + 1, &end, 10);
	if (*end != '\0' || n == 0 || n > UINT_MAX)
		return 0;
	/* "a01" or "a0001" is no tag we would make */
	snprintf(again, sizeof(again), TAG_FORMAT, (unsigned)n);
	return strcmp(again, tag) == 0 ? (unsigned)n : 0;
}

bool
console_tags_is_added_form(const char *tag)
{
	return added_number(tag) != 0;
}

static bool
typed_ahead(const struct console_tags *t, unsigned n)
{
	size_t i;

	for (i = 0; i < t->typed_count; i++)
		if (t->typed[i] == n)
			return true;
	return false;
}

/* Forget the typed numbers the counter has passed. */
static void
drop_passed(struct console_tags *t)
{
	size_t i, kept = 0;

	for (i = 0; i < t->typed_count; i++)
		if (t->typed[i] > t->counter)
			t->typed[kept++] = t->typed[i];
	t->typed_count = kept;
}

void
console_tags_typed(struct console_tags *t, const char *tag)
{
	unsigned n = added_number(tag);

	if (n <= t->counter || typed_ahead(t, n))
		return;
	if (t->typed_count == t->typed_size) {
		t->typed_size = t->typed_size == 0 ? 8 : t->typed_size * 2;
		t->typed = xreallocarray(t->typed, t->typed_size,
		    sizeof(*t->typed));
	}
	t->typed[t->typed_count++] = n;
}

const char *
console_tags_next(struct console_tags *t)
{
	do
		t->counter++;
	while (typed_ahead(t, t->counter));
	drop_passed(t);
	snprintf(t->tag, sizeof(t->tag), TAG_FORMAT, t->counter);
	return t->tag;
}
