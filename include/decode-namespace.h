/* decode-namespace: NAMESPACE (RFC 2342, RFC 9051 7.2.2) and ID (RFC 2971)
 * responses. */
#ifndef IMAPWB_DECODE_NAMESPACE_H
#define IMAPWB_DECODE_NAMESPACE_H

#include <stdbool.h>
#include <stddef.h>

#include "imap-parser.h"

/* RFC 2342 6: Namespace_Response_Extension = string SP (string*) */
struct namespace_ext {
	const char *name;
	const char **values;
	size_t count;
};

/* ("prefix" "delimiter" [extensions]) */
struct namespace_desc {
	const char *prefix;    /* raw (modified UTF-7) */
	const char *delimiter; /* one character, or NULL for NIL (flat) */
	struct namespace_ext *exts;
	size_t ext_count;
};

/* NIL (nil is true, count 0) or a list of descriptions */
struct namespace_list {
	bool nil;
	struct namespace_desc *descs;
	size_t count;
};

/* * NAMESPACE personal other shared */
struct namespace_response {
	struct namespace_list personal;
	struct namespace_list other;
	struct namespace_list shared;
};

struct id_pair {
	const char *key;   /* "name", "version", ... */
	const char *value; /* NULL for NIL */
};

/* * ID (key value ...)  or  * ID NIL */
struct id_response {
	bool nil;
	struct id_pair *pairs;
	size_t count;
};

/* Decode a response of that kind (recognised by its first atom): true, or
 * false with *error_r if it is malformed. Strings point into the response;
 * free the arrays with the _free functions. */
bool decode_namespace(const struct imap_response *resp,
    struct namespace_response *ns, const char **error_r);
void namespace_response_free(struct namespace_response *ns);
bool decode_id(const struct imap_response *resp, struct id_response *id,
    const char **error_r);
void id_response_free(struct id_response *id);
/* The value for key (compared without case: RFC 2971 3.3), or NULL. */
const char *id_response_get(const struct id_response *id, const char *key);

#endif
