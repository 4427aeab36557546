/* decode-search: SEARCH (RFC 9051, with the RFC 7162 MODSEQ trailer), SORT
 * (RFC 5256) and ESEARCH (RFC 4731) responses, and sequence sets kept as
 * ranges, so "1:1000000" stays one range however many UIDs it holds. */
#ifndef IMAPWB_DECODE_SEARCH_H
#define IMAPWB_DECODE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap-parser.h"
#include "util-buf.h"

/* '*' (the largest number in use) is stored as 0, which no seq-number or
 * UID can be (RFC 9051 nz-number). */
#define SEQSET_STAR 0u

/* One "lo" or "lo:hi". lo <= hi, except that a '*' end is always hi. */
struct seqset_range {
	uint32_t lo;
	uint32_t hi;
};

struct seqset {
	struct seqset_range *ranges;
	size_t count;
	size_t alloc;
};

enum seqset_flags {
	SEQSET_ALLOW_STAR = 0x1, /* sequence-set; without it a uid-set */
};

/* Parse "1:5,9,12:*" into *set_r (which it initialises): true, or false
 * with *error_r (and an empty set) for a malformed set. */
bool seqset_parse(const char *text, enum seqset_flags flags,
    struct seqset *set_r, const char **error_r);
/* Append [lo,hi], merged into the last range when they touch. */
void seqset_add(struct seqset *set, uint32_t lo, uint32_t hi);
void seqset_free(struct seqset *set);
/* Write the set back as IMAP ("1:5,9"); 0, or -1 if the buffer's cap is
 * reached. An empty set writes nothing. */
int seqset_format(const struct seqset *set, struct buf *out);
/* How many numbers the set names, with '*' standing for star (>= 1, the
 * largest number in use); ranges that overlap are counted twice. */
uint64_t seqset_count(const struct seqset *set, uint32_t star);
bool seqset_contains(const struct seqset *set, uint32_t n, uint32_t star);

/* Walk every number of a set in the order given, '*' standing for star:
 *	seqset_iter_init(&it, &set, star);
 *	while (seqset_iter_next(&it, &n)) ... */
struct seqset_iter {
	const struct seqset *set;
	uint32_t star;
	size_t index;
	uint64_t next; /* the next number of ranges[index] */
};

void seqset_iter_init(struct seqset_iter *it, const struct seqset *set,
    uint32_t star);
bool seqset_iter_next(struct seqset_iter *it, uint32_t *n_r);

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
