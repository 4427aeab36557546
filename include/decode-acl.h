/* decode-acl: RFC 4314 ACL, MYRIGHTS and LISTRIGHTS responses (what each
 * right letter means is in the knowledge table, teach-knowledge.h). */
#ifndef IMAPWB_DECODE_ACL_H
#define IMAPWB_DECODE_ACL_H

#include <stdbool.h>
#include <stddef.h>

#include "imap-parser.h"


struct acl_entry {
	const char *identifier; /* as the server sent it */
	bool negative;          /* "-bob": rights taken away (RFC 4314 2) */
	const char *rights;
};

/* * ACL mailbox (identifier rights)* */
struct acl_response {
	const char *mailbox; /* raw (modified UTF-7) name */
	struct acl_entry *entries;
	size_t count;
};

/* * MYRIGHTS mailbox rights */
struct acl_myrights {
	const char *mailbox;
	const char *rights;
};

/* * LISTRIGHTS mailbox identifier required optional* */
struct acl_listrights {
	const char *mailbox;
	const char *identifier;
	const char *required;
	const char **optional; /* each a right or a group of rights */
	size_t optional_count;
};

/* Decode a response of that kind: true and the value (strings point into
 * the response, valid as long as it is; free the arrays with the _free
 * functions), or false with *error_r if it is malformed. The responses
 * are recognised by their first atom ("ACL", "MYRIGHTS", "LISTRIGHTS"). */
bool decode_acl(const struct imap_response *resp, struct acl_response *acl_r,
    const char **error_r);
void acl_response_free(struct acl_response *acl);
bool decode_myrights(const struct imap_response *resp,
    struct acl_myrights *r, const char **error_r);
bool decode_listrights(const struct imap_response *resp,
    struct acl_listrights *r, const char **error_r);
void acl_listrights_free(struct acl_listrights *r);

#endif
