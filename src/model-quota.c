/* model-quota: quota roots and the roots of each mailbox. Accounts have
 * a few roots and the view asks about a few mailboxes: linear lists. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model-quota.h"
#include "util-mem.h"

struct mailbox_roots {
	char *mailbox;
	char **roots;
	size_t count;
};

struct model_quota {
	struct model_quota_root *roots;
	size_t root_count;
	struct mailbox_roots *boxes;
	size_t box_count;
	uint64_t generation;
};

struct model_quota *
model_quota_new(void)
{
	return xcalloc(1, sizeof(struct model_quota));
}

static void
root_free_resources(struct model_quota_root *r)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		free(r->resources[i].name);
	free(r->resources);
	r->resources = NULL;
	r->count = 0;
}

static void
box_free_roots(struct mailbox_roots *b)
{
	size_t i;

	for (i = 0; i < b->count; i++)
		free(b->roots[i]);
	free(b->roots);
	b->roots = NULL;
	b->count = 0;
}

void
model_quota_clear(struct model_quota *q)
{
	size_t i;

	for (i = 0; i < q->root_count; i++) {
		root_free_resources(&q->roots[i]);
		free(q->roots[i].root);
	}
	for (i = 0; i < q->box_count; i++) {
		box_free_roots(&q->boxes[i]);
		free(q->boxes[i].mailbox);
	}
	free(q->roots);
	free(q->boxes);
	q->roots = NULL;
	q->boxes = NULL;
	q->root_count = q->box_count = 0;
	q->generation++;
}

void
model_quota_free(struct model_quota **qp)
{
	if (*qp == NULL)
		return;
	model_quota_clear(*qp);
	free(*qp);
	*qp = NULL;
}

uint64_t
model_quota_generation(const struct model_quota *q)
{
	return q->generation;
}

static struct model_quota_root *
root_get(struct model_quota *q, const char *name)
{
	size_t i;

	for (i = 0; i < q->root_count; i++)
		if (strcmp(q->roots[i].root, name) == 0)
			return &q->roots[i];
	q->roots = xreallocarray(q->roots, q->root_count + 1,
	    sizeof(*q->roots));
	memset(&q->roots[q->root_count], 0, sizeof(*q->roots));
	q->roots[q->root_count].root = xstrdup(name);
	return &q->roots[q->root_count++];
}

void
model_quota_set(struct model_quota *q, const struct quota_response *r)
{
	struct model_quota_root *root = root_get(q, r->root);
	size_t i;

	root_free_resources(root);
	if (r->count > 0)
		root->resources = xcalloc(r->count, sizeof(*root->resources));
	for (i = 0; i < r->count; i++) {
		root->resources[i].name = xstrdup(r->resources[i].name);
		root->resources[i].usage = r->resources[i].usage;
		root->resources[i].limit = r->resources[i].limit;
	}
	root->count = r->count;
	q->generation++;
}

void
model_quota_set_roots(struct model_quota *q, const struct quota_roots *r)
{
	struct mailbox_roots *b = NULL;
	size_t i;

	for (i = 0; i < q->box_count && b == NULL; i++)
		if (strcmp(q->boxes[i].mailbox, r->mailbox) == 0)
			b = &q->boxes[i];
	if (b == NULL) {
		q->boxes = xreallocarray(q->boxes, q->box_count + 1,
		    sizeof(*q->boxes));
		b = &q->boxes[q->box_count++];
		memset(b, 0, sizeof(*b));
		b->mailbox = xstrdup(r->mailbox);
	}
	box_free_roots(b);
	if (r->count > 0)
		b->roots = xcalloc(r->count, sizeof(*b->roots));
	for (i = 0; i < r->count; i++)
		b->roots[i] = xstrdup(r->roots[i]);
	b->count = r->count;
	q->generation++;
}

size_t
model_quota_root_count(const struct model_quota *q)
{
	return q->root_count;
}

const struct model_quota_root *
model_quota_root(const struct model_quota *q, size_t i)
{
	return i < q->root_count ? &q->roots[i] : NULL;
}

const char *const *
model_quota_roots_of(const struct model_quota *q, const char *mailbox,
    size_t *count_r)
{
	size_t i;

	for (i = 0; i < q->box_count; i++)
		if (strcmp(q->boxes[i].mailbox, mailbox) == 0) {
			*count_r = q->boxes[i].count;
			return (const char *const *)q->boxes[i].roots;
		}
	*count_r = 0;
	return NULL;
}
