/* fuzz-search: SEARCH, SORT and ESEARCH responses (RFC 9051, RFC 5256,
 * RFC 4731, RFC 7162) and the sequence sets in them (imap-seqset),
 * through the parser and decode-search.
 *
 * Checks: a value or a reason; counts bounded by the tokens; every
 * number non-zero; the round trips (the decoded value written back as a
 * response decodes to the same value; every atom that parses as a set
 * formats and parses back to the same ranges); and, for each set, that
 * walking it agrees with seqset_count() and seqset_contains(). */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "decode-search.h"
#include "fuzz-check.h"

#define SEARCH_TEXT_MAX ((size_t)1 << 24)
/* Sets are walked number by number only up to this size, and with this
 * number standing for '*'. */
#define WALK_MAX 4096u
#define WALK_STAR 77u

static bool
sets_equal(const struct seqset *a, const struct seqset *b)
{
	return a->count == b->count && (a->count == 0 ||
	    memcmp(a->ranges, b->ranges, a->count * sizeof(*a->ranges)) == 0);
}

/* Walking a set gives seqset_count() numbers, each of which it contains. */
static void
check_walk(const struct seqset *set, uint32_t star)
{
	struct seqset_iter it;
	uint64_t count = seqset_count(set, star), walked = 0;
	uint32_t n;

	if (count > WALK_MAX)
		return;
	seqset_iter_init(&it, set, star);
	while (seqset_iter_next(&it, &n)) {
		FUZZ_ASSERT(n != 0 && seqset_contains(set, n, star),
		    "the walk gives %" PRIu32 ", which the set does not "
		    "contain", n);
		FUZZ_ASSERT(++walked <= count, "the walk gives more than "
		    "%" PRIu64 " numbers", count);
	}
	FUZZ_ASSERT(walked == count, "the walk gives %" PRIu64 " numbers, "
	    "seqset_count() %" PRIu64, walked, count);
}

/* A parsed set formats to text that parses to the same ranges. */
static void
check_set(const struct seqset *set, enum seqset_flags flags)
{
	struct seqset again;
	struct buf out;
	const char *err = NULL;
	size_t i;

	for (i = 0; i < set->count; i++)
		FUZZ_ASSERT(set->ranges[i].hi == SEQSET_STAR ||
		    (set->ranges[i].lo != SEQSET_STAR &&
			set->ranges[i].lo <= set->ranges[i].hi),
		    "range %zu is %" PRIu32 ":%" PRIu32, i,
		    set->ranges[i].lo, set->ranges[i].hi);
	buf_init(&out, SEARCH_TEXT_MAX);
	FUZZ_ASSERT(seqset_format(set, &out) == 0, "a set over the cap");
	FUZZ_ASSERT(seqset_parse(buf_str(&out), flags, &again, &err) &&
	    sets_equal(set, &again), "the set \"%.200s\" does not parse "
	    "back to itself", buf_str(&out));
	seqset_free(&again);
	buf_free(&out);
	check_walk(set, WALK_STAR);
	check_walk(set, 1);
}

/* Every atom of the tree, read as a set both ways. */
static void
check_atoms(const struct imap_arg *args, size_t count)
{
	struct seqset set;
	const char *text, *err;
	size_t i;

	for (i = 0; i < count; i++) {
		if (args[i].type == IMAP_ARG_LIST) {
			check_atoms(args[i].u.list.args,
			    args[i].u.list.count);
			continue;
		}
		if (!imap_arg_get_atom(&args[i], &text))
			continue;
		if (seqset_parse(text, SEQSET_ALLOW_STAR, &set, &err)) {
			check_set(&set, SEQSET_ALLOW_STAR);
			seqset_free(&set);
		}
		if (seqset_parse(text, 0, &set, &err)) {
			FUZZ_ASSERT(strchr(text, '*') == NULL,
			    "a UID set with '*': %s", text);
			check_set(&set, 0);
			seqset_free(&set);
		}
	}
}

static void
check_numbers(const struct imap_response *resp, const char *name)
{
	bool sort = strcmp(name, "SORT") == 0;
	struct search_result r, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	size_t i;
	bool ok = sort ? decode_sort(resp, &r, &err)
		       : decode_search(resp, &r, &err), same;

	fuzz_strict_ok(ok, name, err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && r.numbers == NULL,
		    "%s failed without a reason, or kept numbers", name);
		return;
	}
	FUZZ_ASSERT(r.count + 1 + (r.has_modseq ? 1 : 0) == resp->count,
	    "%s: %zu numbers from %zu tokens", name, r.count, resp->count);
	buf_init(&out, SEARCH_TEXT_MAX);
	buf_printf(&out, "* %s", name);
	for (i = 0; i < r.count; i++) {
		FUZZ_ASSERT(r.numbers[i] != 0, "%s: a number 0", name);
		buf_printf(&out, " %" PRIu32, r.numbers[i]);
	}
	if (r.has_modseq)
		buf_printf(&out, " (MODSEQ %" PRIu64 ")", r.modseq);
	buf_append_str(&out, "\r\n");
	p = imap_parser_new(NULL);
	same = (sort ? decode_sort(fuzz_parse_one(p, &out), &again, &err)
		     : decode_search(fuzz_parse_one(p, &out), &again, &err)) &&
	    again.count == r.count && again.has_modseq == r.has_modseq &&
	    again.modseq == r.modseq && (r.count == 0 ||
	    memcmp(again.numbers, r.numbers, r.count * sizeof(*r.numbers)) ==
		0);
	FUZZ_ASSERT(same, "%s round trip differs: %.200s", name,
	    buf_str(&out));
	search_result_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	search_result_free(&r);
}

static void
write_esearch(struct buf *out, const struct esearch_result *r)
{
	buf_append_str(out, "* ESEARCH");
	if (r->tag != NULL) {
		buf_append_str(out, " (TAG ");
		fuzz_write_cstring(out, r->tag);
		if (r->mailbox != NULL) {
			buf_append_str(out, " MAILBOX ");
			fuzz_write_cstring(out, r->mailbox);
		}
		if (r->uidvalidity != 0)
			buf_printf(out, " UIDVALIDITY %" PRIu32,
			    r->uidvalidity);
		buf_append_byte(out, ')');
	}
	if (r->uid)
		buf_append_str(out, " UID");
	if (r->has_min)
		buf_printf(out, " MIN %" PRIu32, r->min);
	if (r->has_max)
		buf_printf(out, " MAX %" PRIu32, r->max);
	if (r->has_count)
		buf_printf(out, " COUNT %" PRIu32, r->count);
	if (r->has_modseq)
		buf_printf(out, " MODSEQ %" PRIu64, r->modseq);
	if (r->has_all) {
		buf_append_str(out, " ALL ");
		seqset_format(&r->all, out);
	}
	buf_append_str(out, "\r\n");
}

static bool
esearch_equal(const struct esearch_result *a, const struct esearch_result *b)
{
	return fuzz_str_equal(a->tag, b->tag) &&
	    fuzz_str_equal(a->mailbox, b->mailbox) &&
	    a->uidvalidity == b->uidvalidity && a->uid == b->uid &&
	    a->has_min == b->has_min && a->min == b->min &&
	    a->has_max == b->has_max && a->max == b->max &&
	    a->has_count == b->has_count && a->count == b->count &&
	    a->has_modseq == b->has_modseq && a->modseq == b->modseq &&
	    a->has_all == b->has_all && sets_equal(&a->all, &b->all);
}

static void
check_esearch(const struct imap_response *resp)
{
	struct esearch_result r, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	bool ok = decode_esearch(resp, &r, &err);

	fuzz_strict_ok(ok, "ESEARCH", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && r.all.ranges == NULL,
		    "ESEARCH failed without a reason, or kept a set");
		return;
	}
	FUZZ_ASSERT(r.has_all == (r.all.count > 0), "ESEARCH: ALL and its "
	    "set disagree");
	FUZZ_ASSERT(r.mailbox == NULL || r.tag != NULL,
	    "ESEARCH: a MAILBOX correlator without a TAG");
	if (r.has_all)
		check_set(&r.all, SEQSET_ALLOW_STAR);
	buf_init(&out, SEARCH_TEXT_MAX);
	write_esearch(&out, &r);
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_esearch(fuzz_parse_one(p, &out), &again, &err) &&
	    esearch_equal(&r, &again), "ESEARCH round trip differs: %.200s",
	    buf_str(&out));
	esearch_result_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	esearch_result_free(&r);
}

static void
check_response(void *ctx, const struct imap_response *resp,
    struct imap_parser *scratch)
{
	char name[16];

	(void)ctx;
	(void)scratch;
	check_atoms(resp->args, resp->count);
	if (resp->kind != IMAP_RESPONSE_UNTAGGED ||
	    resp->status != IMAP_STATUS_NONE)
		return;
	fuzz_response_name(resp, name, sizeof(name));
	if (strcmp(name, "SEARCH") == 0 || strcmp(name, "SORT") == 0)
		check_numbers(resp, name);
	else if (strcmp(name, "ESEARCH") == 0)
		check_esearch(resp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_response(data, size, check_response, NULL);
	return 0;
}
