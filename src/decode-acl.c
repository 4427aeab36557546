/* decode-acl: RFC 4314 ACL, MYRIGHTS and LISTRIGHTS responses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "decode-acl.h"
#include "util-mem.h"

/* "* NAME mailbox ...": the args after NAME, checked. */
static bool
args_after(const struct imap_response *resp, const char *name,
    size_t min_count, const char **error_r)
{
	if (resp->kind != IMAP_RESPONSE_UNTAGGED || resp->count < min_count ||
	    !imap_arg_atom_equals(&resp->args[0], name)) {
		*error_r = "not the response this decoder reads";
		return false;
	}
	return true;
}

static bool
astring(const struct imap_arg *arg, const char **str_r, const char **error_r,
    const char *what)
{
	if (imap_arg_get_astring(arg, str_r, NULL))
		return true;
	*error_r = what;
	return false;
}

bool
decode_acl(const struct imap_response *resp, struct acl_response *acl,
    const char **error_r)
{
	size_t i, n;

	memset(acl, 0, sizeof(*acl));
	if (!args_after(resp, "ACL", 2, error_r) ||
	    !astring(&resp->args[1], &acl->mailbox, error_r,
		"ACL: the mailbox is not a string"))
		return false;
	n = resp->count - 2;
	if (n % 2 != 0) {
		*error_r = "ACL: an identifier without rights";
		return false;
	}
	acl->entries = xcalloc(n / 2 + 1, sizeof(*acl->entries));
	for (i = 0; i < n / 2; i++) {
		struct acl_entry *e = &acl->entries[i];

		if (!astring(&resp->args[2 + 2 * i], &e->identifier, error_r,
			"ACL: an identifier is not a string") ||
		    !astring(&resp->args[3 + 2 * i], &e->rights, error_r,
			"ACL: rights are not a string")) {
			acl_response_free(acl);
			return false;
		}
		e->negative = e->identifier[0] == '-';
	}
	acl->count = n / 2;
	return true;
}

void
acl_response_free(struct acl_response *acl)
{
	free(acl->entries);
	acl->entries = NULL;
	acl->count = 0;
}

bool
decode_myrights(const struct imap_response *resp, struct acl_myrights *r,
    const char **error_r)
{
	memset(r, 0, sizeof(*r));
	if (!args_after(resp, "MYRIGHTS", 3, error_r))
		return false;
	if (resp->count != 3) {
		*error_r = "MYRIGHTS: more than a mailbox and rights";
		return false;
	}
	return astring(&resp->args[1], &r->mailbox, error_r,
		   "MYRIGHTS: the mailbox is not a string") &&
	    astring(&resp->args[2], &r->rights, error_r,
		"MYRIGHTS: rights are not a string");
}

bool
decode_listrights(const struct imap_response *resp, struct acl_listrights *r,
    const char **error_r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	if (!args_after(resp, "LISTRIGHTS", 4, error_r) ||
	    !astring(&resp->args[1], &r->mailbox, error_r,
		"LISTRIGHTS: the mailbox is not a string") ||
	    !astring(&resp->args[2], &r->identifier, error_r,
		"LISTRIGHTS: the identifier is not a string") ||
	    !astring(&resp->args[3], &r->required, error_r,
		"LISTRIGHTS: the required rights are not a string"))
		return false;
	r->optional_count = resp->count - 4;
	r->optional = xcalloc(r->optional_count + 1, sizeof(*r->optional));
	for (i = 0; i < r->optional_count; i++)
		if (!astring(&resp->args[4 + i], &r->optional[i], error_r,
			"LISTRIGHTS: optional rights are not a string")) {
			acl_listrights_free(r);
			return false;
		}
	return true;
}

void
acl_listrights_free(struct acl_listrights *r)
{
	free(r->optional);
	r->optional = NULL;
	r->optional_count = 0;
}
