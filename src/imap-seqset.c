/* imap-seqset: sequence sets (RFC 9051 9 sequence-set), kept as ranges. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "imap-seqset.h"
#include "util-mem.h"

/* A set longer than this is refused rather than followed into memory; the
 * parser's response cap already keeps it below this in practice. */
#define SEQSET_MAX_RANGES (4u * 1024 * 1024)

static void
seqset_push(struct seqset *set, uint32_t lo, uint32_t hi)
{
	if (set->count == set->alloc) {
		set->alloc = set->alloc == 0 ? 8 : set->alloc * 2;
		set->ranges = xreallocarray(set->ranges, set->alloc,
		    sizeof(*set->ranges));
	}
	set->ranges[set->count].lo = lo;
	set->ranges[set->count].hi = hi;
	set->count++;
}

void
seqset_add(struct seqset *set, uint32_t lo, uint32_t hi)
{
	struct seqset_range *last;
	uint32_t t;

	/* RFC 9051 9: "4:2" is "2:4", and "*:4" is "4:*" */
	if (lo == SEQSET_STAR || (hi != SEQSET_STAR && lo > hi)) {
		t = lo;
		lo = hi;
		hi = t;
	}
	if (set->count > 0) {
		last = &set->ranges[set->count - 1];
		if (last->hi != SEQSET_STAR && lo != SEQSET_STAR &&
		    last->hi != UINT32_MAX && lo == last->hi + 1 &&
		    last->lo <= last->hi) {
			last->hi = hi;
			return;
		}
	}
	seqset_push(set, lo, hi);
}

void
seqset_free(struct seqset *set)
{
	free(set->ranges);
	memset(set, 0, sizeof(*set));
}

/* RFC 9051 9: seq-number = nz-number / "*", nz-number = digit-nz *DIGIT */
static bool
parse_seq_number(const char **pp, enum seqset_flags flags, uint32_t *n_r,
    const char **error_r)
{
	const char *p = *pp;
	uint64_t n = 0;

	if (*p == '*') {
		if ((flags & SEQSET_ALLOW_STAR) == 0) {
			*error_r = "'*' is not allowed in a UID set";
			return false;
		}
		*pp = p + 1;
		*n_r = SEQSET_STAR;
		return true;
	}
	if (*p < '1' || *p > '9') {
		*error_r = *p == '0' ? "a number in a set starts with 0" :
		    "a set has something other than a number where one "
		    "belongs";
		return false;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > UINT32_MAX) {
			*error_r = "a number in a set is larger than 32 bits";
			return false;
		}
	}
	*pp = p;
	*n_r = (uint32_t)n;
	return true;
}

static bool
parse_ranges(const char *p, enum seqset_flags flags, struct seqset *set,
    const char **error_r)
{
	uint32_t lo, hi;

	for (;;) {
		if (!parse_seq_number(&p, flags, &lo, error_r))
			return false;
		hi = lo;
		if (*p == ':') {
			p++;
			if (!parse_seq_number(&p, flags, &hi, error_r))
				return false;
		}
		if (set->count >= SEQSET_MAX_RANGES) {
			*error_r = "a set has too many ranges";
			return false;
		}
		seqset_add(set, lo, hi);
		if (*p == '\0')
			return true;
		if (*p != ',') {
			*error_r = "a set has a character other than a "
				   "digit, ':', ',' or '*'";
			return false;
		}
		p++;
	}
}

bool
seqset_parse(const char *text, enum seqset_flags flags, struct seqset *set_r,
    const char **error_r)
{
	memset(set_r, 0, sizeof(*set_r));
	if (!parse_ranges(text, flags, set_r, error_r)) {
		seqset_free(set_r);
		return false;
	}
	return true;
}

static int
format_number(struct buf *out, uint32_t n)
{
	if (n == SEQSET_STAR)
		return buf_append_byte(out, '*');
	return buf_printf(out, "%lu", (unsigned long)n);
}

int
seqset_format(const struct seqset *set, struct buf *out)
{
	const struct seqset_range *r;
	size_t i;

	for (i = 0; i < set->count; i++) {
		r = &set->ranges[i];
		if ((i > 0 && buf_append_byte(out, ',') < 0) ||
		    format_number(out, r->lo) < 0)
			return -1;
		if (r->hi != r->lo && (buf_append_byte(out, ':') < 0 ||
		    format_number(out, r->hi) < 0))
			return -1;
	}
	return 0;
}

/* A range with '*' resolved and ordered: "5:*" in a mailbox whose largest
 * number is 3 names 3:5 (RFC 9051 9). */
static void
resolve(const struct seqset_range *r, uint32_t star, uint32_t *lo_r,
    uint32_t *hi_r)
{
	uint32_t lo = r->lo == SEQSET_STAR ? star : r->lo;
	uint32_t hi = r->hi == SEQSET_STAR ? star : r->hi;

	*lo_r = lo < hi ? lo : hi;
	*hi_r = lo < hi ? hi : lo;
}

uint64_t
seqset_count(const struct seqset *set, uint32_t star)
{
	uint64_t total = 0;
	uint32_t lo, hi;
	size_t i;

	for (i = 0; i < set->count; i++) {
		resolve(&set->ranges[i], star, &lo, &hi);
		if (hi != 0)
			total += (uint64_t)hi - (lo == 0 ? 1 : lo) + 1;
	}
	return total;
}

bool
seqset_contains(const struct seqset *set, uint32_t n, uint32_t star)
{
	uint32_t lo, hi;
	size_t i;

	for (i = 0; i < set->count; i++) {
		resolve(&set->ranges[i], star, &lo, &hi);
		if (n != 0 && n >= lo && n <= hi)
			return true;
	}
	return false;
}

bool
seqset_contains_sorted(const struct seqset *set, uint32_t n)
{
	size_t lo = 0, hi = set->count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (n < set->ranges[mid].lo)
			hi = mid;
		else if (n > set->ranges[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

void
seqset_iter_init(struct seqset_iter *it, const struct seqset *set,
    uint32_t star)
{
	memset(it, 0, sizeof(*it));
	it->set = set;
	it->star = star;
}

bool
seqset_iter_next(struct seqset_iter *it, uint32_t *n_r)
{
	uint32_t lo, hi;

	while (it->index < it->set->count) {
		resolve(&it->set->ranges[it->index], it->star, &lo, &hi);
		if (lo == 0)
			lo = 1; /* '*' in an empty mailbox */
		if (it->next < lo)
			it->next = lo;
		if (hi != 0 && it->next <= hi) {
			*n_r = (uint32_t)it->next++;
			return true;
		}
		it->index++;
		it->next = 0;
	}
	return false;
}
