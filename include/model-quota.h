/* model-quota: quota roots and their resources (RFC 9208), and which
 * roots each mailbox falls under, for the Quota view. */
#ifndef IMAPWB_MODEL_QUOTA_H
#define IMAPWB_MODEL_QUOTA_H

#include <stddef.h>
#include <stdint.h>

#include "decode-quota.h"

struct model_quota_resource {
	char *name;     /* "STORAGE" (in KiB), "MESSAGE", ... */
	uint64_t usage;
	uint64_t limit;
};

struct model_quota_root {
	char *root;
	struct model_quota_resource *resources;
	size_t count;
};

struct model_quota;

struct model_quota *model_quota_new(void);
void model_quota_free(struct model_quota **q);
void model_quota_clear(struct model_quota *q);
uint64_t model_quota_generation(const struct model_quota *q);

/* A QUOTA response replaces the root's resources. */
void model_quota_set(struct model_quota *q, const struct quota_response *r);
/* A QUOTAROOT response: the mailbox's roots. */
void model_quota_set_roots(struct model_quota *q, const struct quota_roots *r);

size_t model_quota_root_count(const struct model_quota *q);
const struct model_quota_root *model_quota_root(const struct model_quota *q,
    size_t i);
/* The roots of a mailbox (raw name) as the last QUOTAROOT said; *count_r
 * is 0 when it was never asked. */
const char *const *model_quota_roots_of(const struct model_quota *q,
    const char *mailbox, size_t *count_r);

#endif
