/* imap-seqset: sequence sets and UID sets (RFC 9051 9 sequence-set,
 * uid-set) kept as ranges, so "1:1000000" stays one range however many
 * numbers it holds. The session reads its commands' sets with it, the
 * decoders the sets servers send (ESEARCH ALL, VANISHED, COPYUID). */
#ifndef IMAPWB_IMAP_SEQSET_H
#define IMAPWB_IMAP_SEQSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/* The same by binary search, for a set whose ranges ascend without
 * overlapping and without '*' (as seqset_add() builds from ascending
 * numbers): the Messages view asks it for every FETCH of 100k. */
bool seqset_contains_sorted(const struct seqset *set, uint32_t n);

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

#endif
