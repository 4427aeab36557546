/* job-uidset: UID sets handed out in command-line-sized pieces. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job-uidset.h"

void
job_uidset_init(struct job_uidset *u)
{
	memset(u, 0, sizeof(*u));
}

void
job_uidset_reset(struct job_uidset *u)
{
	seqset_free(&u->set);
	u->next = 0;
}

void
job_uidset_free(struct job_uidset *u)
{
	job_uidset_reset(u);
}

void
job_uidset_add(struct job_uidset *u, uint32_t uid)
{
	if (uid != 0)
		seqset_add(&u->set, uid, uid);
}

void
job_uidset_add_set(struct job_uidset *u, const struct seqset *set)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (set->ranges[i].lo != SEQSET_STAR &&
		    set->ranges[i].hi != SEQSET_STAR)
			seqset_add(&u->set, set->ranges[i].lo,
			    set->ranges[i].hi);
}

static int
range_cmp(const void *a, const void *b)
{
	const struct seqset_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

void
job_uidset_sort(struct job_uidset *u)
{
	if (u->set.count > 1)
		qsort(u->set.ranges, u->set.count, sizeof(*u->set.ranges),
		    range_cmp);
}

bool
job_uidset_empty(const struct job_uidset *u)
{
	return u->next >= u->set.count;
}

bool
job_uidset_next_chunk(struct job_uidset *u, char *out, size_t size,
    size_t target)
{
	size_t len = 0;
	char one[32];
	int n;

	if (target > size - 1)
		target = size - 1;
	while (u->next < u->set.count) {
		const struct seqset_range *r = &u->set.ranges[u->next];

		if (r->lo == r->hi)
			n = snprintf(one, sizeof(one), "%s%lu", len ? "," : "",
			    (unsigned long)r->lo);
		else
			n = snprintf(one, sizeof(one), "%s%lu:%lu",
			    len ? "," : "", (unsigned long)r->lo,
			    (unsigned long)r->hi);
		if (len > 0 && len + (size_t)n > target)
			break;
		memcpy(out + len, one, (size_t)n + 1);
		len += (size_t)n;
		u->next++;
	}
	return len > 0;
}
