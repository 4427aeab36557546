/* decode-search: SEARCH (RFC 9051, with the RFC 7162 MODSEQ trailer), SORT
 * (RFC 5256) and ESEARCH (RFC 4731) responses; their sets are
 * imap-seqset's. */
#ifndef IMAPWB_DECODE_SEARCH_H
#define IMAPWB_DECODE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap-parser.h"
#include "imap-seqset.h"
#include "util-buf.h"

/* * SEARCH n... [(MODSEQ m)]   and   * SORT n... */
struct search_result {
	uint32_t *numbers; /* in the order the server sent them */
	size_t count;
	bool has_modseq; /* RFC 7162 3.1.5 */
	uint64_t modseq;
};

/* * ESEARCH [(TAG "x")] [UID] (MIN n | MAX n | COUNT n | ALL set |
 * MODSEQ m | other-name value)* */
struct esearch_result {
	const char *tag;  /* the correlator, or NULL */
	const char *mailbox;      /* RFC 7377 correlator, or NULL */
	uint32_t uidvalidity;     /* RFC 7377 correlator, or 0 */
	bool uid;
	bool has_min, has_max, has_count, has_all, has_modseq;
	uint32_t min, max, count;
	uint64_t modseq;
	struct seqset all;
	size_t unknown_count; /* return items no decoder knows, skipped */
};

/* Decode a response of that kind (recognised by its first atom): true, or
 * false with *error_r if it is malformed. Strings point into the response;
 * free the arrays with the _free functions. */
bool decode_search(const struct imap_response *resp,
    struct search_result *r, const char **error_r);
bool decode_sort(const struct imap_response *resp, struct search_result *r,
    const char **error_r);
void search_result_free(struct search_result *r);
bool decode_esearch(const struct imap_response *resp,
    struct esearch_result *r, const char **error_r);
void esearch_result_free(struct esearch_result *r);

#endif
