/* decode-search: SEARCH, SORT and ESEARCH responses, and sequence sets. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode-search.h"
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

/* --- SEARCH and SORT ------------------------------------------------- */

static bool
is_response(const struct imap_response *resp, const char *name,
    const char **error_r)
{
	if (resp->kind == IMAP_RESPONSE_UNTAGGED && resp->count >= 1 &&
	    imap_arg_atom_equals(&resp->args[0], name))
		return true;
	*error_r = "not the response this decoder reads";
	return false;
}

/* RFC 7162 3.1.5: search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value
 * ")", only after at least one number */
static bool
decode_modseq_trailer(const struct imap_arg *arg, struct search_result *r,
    const char **error_r)
{
	const struct imap_arg *list;
	size_t n;

	if (!imap_arg_get_list(arg, &list, &n) || n != 2 ||
	    !imap_arg_atom_equals(&list[0], "MODSEQ") ||
	    !imap_arg_get_number(&list[1], &r->modseq) || r->modseq == 0 ||
	    r->count == 0) {
		*error_r = "SEARCH: the trailer is not (MODSEQ n) after "
			   "numbers";
		return false;
	}
	r->has_modseq = true;
	return true;
}

static bool
decode_numbers(const struct imap_response *resp, const char *name,
    struct search_result *r, const char **error_r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	if (!is_response(resp, name, error_r))
		return false;
	r->numbers = xcalloc(resp->count, sizeof(*r->numbers));
	for (i = 1; i < resp->count; i++) {
		if (resp->args[i].type == IMAP_ARG_LIST &&
		    i + 1 == resp->count) {
			if (!decode_modseq_trailer(&resp->args[i], r,
				error_r))
				goto fail;
			break;
		}
		if (!imap_arg_get_nz_number32(&resp->args[i],
			&r->numbers[r->count])) {
			*error_r = "SEARCH/SORT: not a 32-bit number above 0";
			goto fail;
		}
		r->count++;
	}
	return true;
fail:
	search_result_free(r);
	return false;
}

bool
decode_search(const struct imap_response *resp, struct search_result *r,
    const char **error_r)
{
	return decode_numbers(resp, "SEARCH", r, error_r);
}

/* RFC 5256 4: sort-data = "SORT" *(SP nz-number); RFC 7162 adds MODSEQ */
bool
decode_sort(const struct imap_response *resp, struct search_result *r,
    const char **error_r)
{
	return decode_numbers(resp, "SORT", r, error_r);
}

void
search_result_free(struct search_result *r)
{
	free(r->numbers);
	memset(r, 0, sizeof(*r));
}

/* --- ESEARCH ----------------------------------------------------------- */

/* RFC 4731 4 search-correlator = "(" "TAG" SP tag-string ")"; RFC 7377
 * adds MAILBOX and UIDVALIDITY pairs */
static bool
decode_correlator(const struct imap_arg *arg, struct esearch_result *r,
    const char **error_r)
{
	const struct imap_arg *list;
	size_t i, n;
	bool ok = true;

	if (!imap_arg_get_list(arg, &list, &n) || n % 2 != 0 || n == 0) {
		*error_r = "ESEARCH: the correlator is not (TAG \"tag\")";
		return false;
	}
	for (i = 0; i < n && ok; i += 2) {
		if (imap_arg_atom_equals(&list[i], "TAG"))
			ok = imap_arg_get_string(&list[i + 1], &r->tag, NULL);
		else if (imap_arg_atom_equals(&list[i], "MAILBOX"))
			ok = imap_arg_get_astring(&list[i + 1], &r->mailbox,
			    NULL);
		else if (imap_arg_atom_equals(&list[i], "UIDVALIDITY"))
			ok = imap_arg_get_nz_number32(&list[i + 1],
			    &r->uidvalidity);
		else
			ok = false;
	}
	if (!ok || r->tag == NULL) {
		*error_r = "ESEARCH: the correlator is not (TAG \"tag\")";
		return false;
	}
	return true;
}

/* Which has_ flag a known return item sets, or NULL for an unknown one. */
static bool *
esearch_seen(const struct imap_arg *name, struct esearch_result *r)
{
	if (imap_arg_atom_equals(name, "MIN"))
		return &r->has_min;
	if (imap_arg_atom_equals(name, "MAX"))
		return &r->has_max;
	if (imap_arg_atom_equals(name, "COUNT"))
		return &r->has_count;
	if (imap_arg_atom_equals(name, "MODSEQ"))
		return &r->has_modseq;
	if (imap_arg_atom_equals(name, "ALL"))
		return &r->has_all;
	return NULL;
}

static bool
esearch_item(const struct imap_arg *name, const struct imap_arg *value,
    struct esearch_result *r, const char **error_r)
{
	bool *seen = esearch_seen(name, r);
	const char *text;
	uint64_t n;
	bool ok;

	if (seen == NULL) {
		/* RFC 4466 2.6.2: search-modifier-name SP
		 * search-return-value; the raw response shows it */
		if (!imap_arg_get_atom(name, &text)) {
			*error_r = "ESEARCH: a return item name is not an atom";
			return false;
		}
		r->unknown_count++;
		return true;
	}
	if (*seen) {
		*error_r = "ESEARCH: a return item comes twice";
		return false;
	}
	if (seen == &r->has_min)
		ok = imap_arg_get_nz_number32(value, &r->min);
	else if (seen == &r->has_max)
		ok = imap_arg_get_nz_number32(value, &r->max);
	else if (seen == &r->has_count) {
		ok = imap_arg_get_number(value, &n) && n <= UINT32_MAX;
		r->count = ok ? (uint32_t)n : 0;
	} else if (seen == &r->has_modseq)
		ok = imap_arg_get_number(value, &r->modseq) && r->modseq != 0;
	else if (!imap_arg_get_atom(value, &text))
		ok = false;
	else if (!seqset_parse(text, SEQSET_ALLOW_STAR, &r->all, error_r))
		return false;
	else
		ok = true;
	if (!ok) {
		*error_r = "ESEARCH: a return item has a bad value";
		return false;
	}
	*seen = true;
	return true;
}

/* RFC 4731 4: esearch-response = "ESEARCH" [search-correlator] [SP "UID"]
 * *(SP search-return-data) */
bool
decode_esearch(const struct imap_response *resp, struct esearch_result *r,
    const char **error_r)
{
	size_t i = 1;

	memset(r, 0, sizeof(*r));
	if (!is_response(resp, "ESEARCH", error_r))
		return false;
	if (i < resp->count && resp->args[i].type == IMAP_ARG_LIST) {
		if (!decode_correlator(&resp->args[i], r, error_r))
			return false;
		i++;
	}
	if (i < resp->count && imap_arg_atom_equals(&resp->args[i], "UID")) {
		r->uid = true;
		i++;
	}
	if ((resp->count - i) % 2 != 0) {
		*error_r = "ESEARCH: a return item without its value";
		return false;
	}
	for (; i < resp->count; i += 2)
		if (!esearch_item(&resp->args[i], &resp->args[i + 1], r,
			error_r)) {
			esearch_result_free(r);
			return false;
		}
	return true;
}

void
esearch_result_free(struct esearch_result *r)
{
	seqset_free(&r->all);
	memset(r, 0, sizeof(*r));
}
