/* decode-quota: RFC 9208 (and RFC 2087) QUOTA and QUOTAROOT responses. */
#ifndef IMAPWB_DECODE_QUOTA_H
#define IMAPWB_DECODE_QUOTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap-parser.h"

struct quota_resource {
	const char *name; /* "STORAGE" (KiB), "MESSAGE", "MAILBOX", ... */
	uint64_t usage;
	uint64_t limit;
};

/* * QUOTA root (name usage limit ...) */
struct quota_response {
	const char *root;
	struct quota_resource *resources;
	size_t count;
};

/* * QUOTAROOT mailbox root* */
struct quota_roots {
	const char *mailbox;
	const char **roots;
	size_t count;
};

/* Strings point into the response; free the arrays with the _free
 * functions. False with *error_r for a malformed response. */
bool decode_quota(const struct imap_response *resp,
    struct quota_response *q, const char **error_r);
void quota_response_free(struct quota_response *q);
bool decode_quotaroot(const struct imap_response *resp,
    struct quota_roots *r, const char **error_r);
void quota_roots_free(struct quota_roots *r);

#endif
