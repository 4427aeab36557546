/* decode-bodystructure: the BODYSTRUCTURE (or BODY) item of FETCH
 * (RFC 9051 7.5.2) as a tree of parts with their IMAP part numbers.
 *
 * Numbering (RFC 9051 6.4.5): the top multipart of a message is "" and
 * its children "1", "2", ...; a multipart that is part N numbers its
 * children "N.1", "N.2", .... A message that is not multipart has only a
 * part 1, so its top part is "1" (BODY[1] fetches its body). A
 * message/rfc822 (or message/global) part N carries its embedded body as
 * its only child: a multipart body shares the number "N" with the message
 * part (its children are "N.1", ...), a single-part body is "N.1".
 *
 * The tree owns every string in it (copied from the response), so it
 * outlives the response, except `envelope`, which points into the
 * response's token tree and is valid only as long as that response. */
#ifndef IMAPWB_DECODE_BODYSTRUCTURE_H
#define IMAPWB_DECODE_BODYSTRUCTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap-arg.h"

/* No server nests parts this deep; the parser's list cap (100) is
 * tighter anyway, this keeps the recursion bounded on its own. */
#define BODYSTRUCTURE_MAX_DEPTH 100

/* One body parameter, as the server gives it (names keep their case,
 * values are raw: RFC 2231/2047 are decoded only for `filename`). */
struct bodystructure_param {
	char *name;
	char *value;
};

struct bodystructure_part {
	char *part;        /* "", "1", "2.1": see above */
	char *type;        /* lower-cased: "text", "multipart" */
	char *subtype;     /* lower-cased: "plain", "mixed" */
	struct bodystructure_param *params; /* incl. charset, boundary */
	size_t param_count;

	/* Non-multipart parts only (NULL or 0 for a multipart). */
	const char *charset; /* in params; "us-ascii" for a text part without
				one (RFC 2045 5.2, and Cyrus leaves it out
				of text parts that have other params) */
	char *id;            /* NULL if NIL */
	char *description;   /* NULL if NIL */
	char *encoding;      /* lower-cased; NULL if NIL */
	uint64_t size;       /* octets, still transfer-encoded */
	bool has_lines;      /* text parts and message/rfc822 */
	uint64_t lines;

	/* Extension data: NULL or 0 when NIL or absent. */
	char *md5;           /* non-multipart only */
	char *disposition;   /* lower-cased: "attachment", "inline" */
	struct bodystructure_param *disposition_params;
	size_t disposition_param_count;
	char **languages;
	size_t language_count;
	char *location;

	/* Decoded UTF-8 from the disposition's filename (or filename*), or
	 * else the type's name (or name*); NULL if neither is there. */
	char *filename;

	/* message/rfc822 and message/global: the embedded ENVELOPE
	 * (decode it with decode-fetch; see lifetime above). */
	const struct imap_arg *envelope;

	/* A multipart's parts, or a message part's one embedded body. */
	struct bodystructure_part *parts;
	size_t part_count;
};

/* Decode a BODYSTRUCTURE or BODY value (fetch_response.bodystructure).
 * Return the tree, or NULL with *error_r set if it is malformed. */
struct bodystructure_part *decode_bodystructure(const struct imap_arg *arg,
    const char **error_r);
void bodystructure_free(struct bodystructure_part **root);
/* A deep copy that outlives the response (its `envelope`s are NULL). */
struct bodystructure_part *bodystructure_copy(
    const struct bodystructure_part *root);

bool bodystructure_is_multipart(const struct bodystructure_part *p);

/* The part with this number (the first such, see above), or NULL. */
const struct bodystructure_part *bodystructure_find(
    const struct bodystructure_part *root, const char *part);

/* The biggest part with no parts of its own (a message/rfc822 is looked
 * into, not counted whole); the first one on ties. */
const struct bodystructure_part *bodystructure_largest_leaf(
    const struct bodystructure_part *root);

#endif
