/* decode-quota: RFC 9208 (and RFC 2087) QUOTA and QUOTAROOT responses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "decode-quota.h"
#include "util-mem.h"

static bool
is_response(const struct imap_response *resp, const char *name,
    size_t min_count, const char **error_r)
{
	if (resp->kind == IMAP_RESPONSE_UNTAGGED && resp->count >= min_count &&
	    imap_arg_atom_equals(&resp->args[0], name))
		return true;
	*error_r = "not the response this decoder reads";
	return false;
}

/* RFC 9208 5.1: resource-name SP resource-usage SP resource-limit */
static bool
decode_resources(const struct imap_arg *list, size_t n,
    struct quota_response *q, const char **error_r)
{
	size_t i;

	if (n % 3 != 0) {
		*error_r = "QUOTA: a resource without its usage and limit";
		return false;
	}
	q->resources = xcalloc(n / 3 + 1, sizeof(*q->resources));
	for (i = 0; i < n / 3; i++) {
		struct quota_resource *r = &q->resources[i];

		if (!imap_arg_get_atom(&list[3 * i], &r->name) ||
		    !imap_arg_get_number(&list[3 * i + 1], &r->usage) ||
		    !imap_arg_get_number(&list[3 * i + 2], &r->limit)) {
			*error_r = "QUOTA: a resource is not name, usage and "
				   "limit";
			return false;
		}
	}
	q->count = n / 3;
	return true;
}

bool
decode_quota(const struct imap_response *resp, struct quota_response *q,
    const char **error_r)
{
	const struct imap_arg *list;
	size_t n;

	memset(q, 0, sizeof(*q));
	if (!is_response(resp, "QUOTA", 3, error_r))
		return false;
	if (resp->count != 3 ||
	    !imap_arg_get_astring(&resp->args[1], &q->root, NULL) ||
	    !imap_arg_get_list(&resp->args[2], &list, &n)) {
		*error_r = "QUOTA: not a root and a list of resources";
		return false;
	}
	if (!decode_resources(list, n, q, error_r)) {
		quota_response_free(q);
		return false;
	}
	return true;
}

void
quota_response_free(struct quota_response *q)
{
	free(q->resources);
	q->resources = NULL;
	q->count = 0;
}

bool
decode_quotaroot(const struct imap_response *resp, struct quota_roots *r,
    const char **error_r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	if (!is_response(resp, "QUOTAROOT", 2, error_r))
		return false;
	if (!imap_arg_get_astring(&resp->args[1], &r->mailbox, NULL)) {
		*error_r = "QUOTAROOT: the mailbox is not a string";
		return false;
	}
	r->count = resp->count - 2;
	r->roots = xcalloc(r->count + 1, sizeof(*r->roots));
	for (i = 0; i < r->count; i++)
		if (!imap_arg_get_astring(&resp->args[2 + i], &r->roots[i],
			NULL)) {
			*error_r = "QUOTAROOT: a root is not a string";
			quota_roots_free(r);
			return false;
		}
	return true;
}

void
quota_roots_free(struct quota_roots *r)
{
	free(r->roots);
	r->roots = NULL;
	r->count = 0;
}
