/* model-acl: ACL, MYRIGHTS and LISTRIGHTS per mailbox. A session asks
 * about a handful of mailboxes, so a linear list is enough. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model-acl.h"
#include "util-mem.h"

struct model_acl {
	struct model_acl_mailbox *boxes;
	size_t count;
	uint64_t generation;
};

struct model_acl *
model_acl_new(void)
{
	return xcalloc(1, sizeof(struct model_acl));
}

static void
listrights_free(struct model_acl_entry *e)
{
	size_t i;

	for (i = 0; i < e->optional_count; i++)
		free(e->optional[i]);
	free(e->optional);
	e->optional = NULL;
	e->optional_count = 0;
	free(e->required);
	e->required = NULL;
}

static void
entries_free(struct model_acl_mailbox *b)
{
	size_t i;

	for (i = 0; i < b->count; i++) {
		free(b->entries[i].identifier);
		free(b->entries[i].rights);
		listrights_free(&b->entries[i]);
	}
	free(b->entries);
	b->entries = NULL;
	b->count = 0;
}

void
model_acl_clear(struct model_acl *acl)
{
	size_t i;

	for (i = 0; i < acl->count; i++) {
		entries_free(&acl->boxes[i]);
		free(acl->boxes[i].mailbox);
		free(acl->boxes[i].myrights);
	}
	free(acl->boxes);
	acl->boxes = NULL;
	acl->count = 0;
	acl->generation++;
}

void
model_acl_free(struct model_acl **aclp)
{
	if (*aclp == NULL)
		return;
	model_acl_clear(*aclp);
	free(*aclp);
	*aclp = NULL;
}

uint64_t
model_acl_generation(const struct model_acl *acl)
{
	return acl->generation;
}

static struct model_acl_mailbox *
box_get(struct model_acl *acl, const char *mailbox)
{
	size_t i;

	for (i = 0; i < acl->count; i++)
		if (strcmp(acl->boxes[i].mailbox, mailbox) == 0)
			return &acl->boxes[i];
	acl->boxes = xreallocarray(acl->boxes, acl->count + 1,
	    sizeof(*acl->boxes));
	memset(&acl->boxes[acl->count], 0, sizeof(*acl->boxes));
	acl->boxes[acl->count].mailbox = xstrdup(mailbox);
	return &acl->boxes[acl->count++];
}

static struct model_acl_entry *
entry_get(struct model_acl_mailbox *b, const char *identifier)
{
	size_t i;

	for (i = 0; i < b->count; i++)
		if (strcmp(b->entries[i].identifier, identifier) == 0)
			return &b->entries[i];
	return NULL;
}

void
model_acl_set(struct model_acl *acl, const struct acl_response *r)
{
	struct model_acl_mailbox *b = box_get(acl, r->mailbox);
	size_t i;

	entries_free(b);
	b->acl_known = true;
	if (r->count > 0)
		b->entries = xcalloc(r->count, sizeof(*b->entries));
	for (i = 0; i < r->count; i++) {
		/* the identifier as sent, "-bob" included */
		b->entries[i].identifier = xstrdup(r->entries[i].identifier);
		b->entries[i].negative = r->entries[i].negative;
		b->entries[i].rights = xstrdup(r->entries[i].rights);
	}
	b->count = r->count;
	acl->generation++;
}

void
model_acl_set_myrights(struct model_acl *acl, const struct acl_myrights *r)
{
	struct model_acl_mailbox *b = box_get(acl, r->mailbox);

	free(b->myrights);
	b->myrights = xstrdup(r->rights);
	acl->generation++;
}

void
model_acl_set_listrights(struct model_acl *acl,
    const struct acl_listrights *r)
{
	struct model_acl_mailbox *b = box_get(acl, r->mailbox);
	struct model_acl_entry *e = entry_get(b, r->identifier);
	size_t i;

	if (e == NULL) {
		/* LISTRIGHTS for someone without an entry yet: no rights */
		b->entries = xreallocarray(b->entries, b->count + 1,
		    sizeof(*b->entries));
		e = &b->entries[b->count++];
		memset(e, 0, sizeof(*e));
		e->identifier = xstrdup(r->identifier);
		e->negative = r->identifier[0] == '-';
		e->rights = xstrdup("");
	}
	listrights_free(e);
	e->required = xstrdup(r->required != NULL ? r->required : "");
	if (r->optional_count > 0)
		e->optional = xcalloc(r->optional_count, sizeof(*e->optional));
	for (i = 0; i < r->optional_count; i++)
		e->optional[i] = xstrdup(r->optional[i]);
	e->optional_count = r->optional_count;
	acl->generation++;
}

const struct model_acl_mailbox *
model_acl_get(const struct model_acl *acl, const char *mailbox)
{
	size_t i;

	for (i = 0; i < acl->count; i++)
		if (strcmp(acl->boxes[i].mailbox, mailbox) == 0)
			return &acl->boxes[i];
	return NULL;
}
