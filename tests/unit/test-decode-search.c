/* Unit tests for decode-search: sequence sets, the SEARCH, SORT and
 * ESEARCH examples of RFC 3501, 4731, 5256, 7162 and 9051, and replies
 * recorded from Dovecot and Cyrus. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode-search.h"
#include "parse-response.h"

/* Parse text, format it back and compare with want. */
static void
assert_roundtrip(const char *text, const char *want)
{
	struct seqset set;
	struct buf b;
	const char *err;

	assert_true(seqset_parse(text, SEQSET_ALLOW_STAR, &set, &err));
	buf_init(&b, 1024);
	assert_int_equal(seqset_format(&set, &b), 0);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
	seqset_free(&set);
}

static void
assert_bad_set(const char *text)
{
	struct seqset set;
	const char *err = NULL;

	assert_false(seqset_parse(text, SEQSET_ALLOW_STAR, &set, &err));
	assert_non_null(err);
	assert_int_equal(set.count, 0);
	assert_null(set.ranges);
}

static void
test_seqset_parse_format(void **state)
{
	struct seqset set;
	const char *err;

	(void)state;
	assert_roundtrip("1:5,9,12:*", "1:5,9,12:*");
	assert_roundtrip("5:1", "1:5");
	assert_roundtrip("*:4", "4:*");
	assert_roundtrip("*", "*");
	/* touching ranges merge; 1M UIDs stay one range */
	assert_roundtrip("1,2,3,5", "1:3,5");
	assert_true(seqset_parse("1:1000000", 0, &set, &err));
	assert_int_equal(set.count, 1);
	assert_true(seqset_count(&set, 0) == 1000000);
	seqset_free(&set);
	/* 32-bit limit */
	assert_roundtrip("4294967295", "4294967295");
	assert_roundtrip("4294967294:4294967295,1", "4294967294:4294967295,1");
	assert_bad_set("4294967296");
	assert_bad_set("1:4294967296");
	assert_bad_set("99999999999999999999999");
	/* malformed */
	assert_bad_set("1:");
	assert_bad_set(",5");
	assert_bad_set("5,");
	assert_bad_set("a");
	assert_bad_set("0");
	assert_bad_set("1:0");
	assert_bad_set("01");
	assert_bad_set("");
	assert_bad_set("1::2");
	assert_bad_set("1 2");
	/* a UID set has no '*' */
	assert_false(seqset_parse("1:*", 0, &set, &err));
	assert_string_equal(err, "'*' is not allowed in a UID set");
}

static void
test_seqset_iterate(void **state)
{
	const uint32_t want[] = { 2, 3, 4, 9, 7, 8 };
	struct seqset_iter it;
	struct seqset set;
	const char *err;
	uint32_t n;
	size_t i = 0;

	(void)state;
	assert_true(seqset_parse("2:4,9,7:*", SEQSET_ALLOW_STAR, &set, &err));
	assert_true(seqset_count(&set, 8) == 6);
	assert_true(seqset_contains(&set, 8, 8));
	assert_false(seqset_contains(&set, 6, 8));
	assert_false(seqset_contains(&set, 10, 8));
	seqset_iter_init(&it, &set, 8);
	while (seqset_iter_next(&it, &n)) {
		assert_true(i < sizeof(want) / sizeof(want[0]));
		assert_int_equal(n, want[i++]);
	}
	assert_int_equal(i, 6);
	seqset_free(&set);
	/* the top of the 32-bit range ends without wrapping */
	assert_true(seqset_parse("4294967294:4294967295", 0, &set, &err));
	seqset_iter_init(&it, &set, 0);
	assert_true(seqset_iter_next(&it, &n) && n == 4294967294u);
	assert_true(seqset_iter_next(&it, &n) && n == 4294967295u);
	assert_false(seqset_iter_next(&it, &n));
	seqset_free(&set);
}

/* Decode a SEARCH (or SORT) response and compare its numbers. */
static void
assert_numbers(const struct search_result *r, const uint32_t *want,
    size_t count)
{
	size_t i;

	assert_int_equal(r->count, count);
	for (i = 0; i < count; i++)
		assert_int_equal(r->numbers[i], want[i]);
}

/* SEARCH (RFC 3501, RFC 7162) and SORT (RFC 5256) responses of the RFCs,
 * byte for byte. */
static void
test_rfc_search_and_sort(void **state)
{
	static const uint32_t a282[] = { 2, 84, 882 };
	static const uint32_t ex15[] = { 2, 5, 6, 7, 11, 12, 18, 19, 20, 23 };
	static const uint32_t s101[] = { 404, 406, 407, 408, 410, 412 };
	static const uint32_t a283[] = { 5, 3, 4, 1, 2 };
	struct search_result r;
	const char *err;

	(void)state;
	/* RFC 3501 6.4.4 (IMAP4rev2 has ESEARCH instead) */
	assert_true(decode_search(test_parse_response(
	    "* SEARCH 2 84 882\r\n"), &r, &err));
	assert_numbers(&r, a282, 3);
	assert_false(r.has_modseq);
	search_result_free(&r);
	assert_true(decode_search(test_parse_response("* SEARCH\r\n"), &r,
	    &err));
	assert_int_equal(r.count, 0);
	assert_false(r.has_modseq);
	search_result_free(&r);
	assert_true(decode_search(test_parse_response("* SEARCH 43\r\n"), &r,
	    &err));
	assert_int_equal(r.count, 1);
	assert_int_equal(r.numbers[0], 43);
	search_result_free(&r);
	/* RFC 7162 3.1.5 example 15: the MODSEQ trailer; example 16: none
	 * found, no trailer (that is the "* SEARCH" above) */
	assert_true(decode_search(test_parse_response(
	    "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n"),
	    &r, &err));
	assert_numbers(&r, ex15, 10);
	assert_true(r.has_modseq);
	assert_true(r.modseq == 917162500ULL);
	search_result_free(&r);
	/* RFC 7162 3.2.6 (UID SEARCH 300:500) */
	assert_true(decode_search(test_parse_response(
	    "* SEARCH 404 406 407 408 410 412\r\n"), &r, &err));
	assert_numbers(&r, s101, 6);
	search_result_free(&r);
	/* RFC 5256 3 (BASE.6.4.SORT) */
	assert_true(decode_sort(test_parse_response("* SORT 2 84 882\r\n"),
	    &r, &err));
	assert_numbers(&r, a282, 3);
	search_result_free(&r);
	assert_true(decode_sort(test_parse_response("* SORT 5 3 4 1 2\r\n"),
	    &r, &err));
	assert_numbers(&r, a283, 5);
	search_result_free(&r);
	assert_true(decode_sort(test_parse_response("* SORT\r\n"), &r, &err));
	assert_int_equal(r.count, 0);
	search_result_free(&r);
}

static void
test_search_limits(void **state)
{
	struct search_result r;
	const char *err;

	(void)state;
	assert_true(decode_search(test_parse_response(
	    "* SEARCH 4294967295\r\n"), &r, &err));
	assert_true(r.numbers[0] == 4294967295u);
	search_result_free(&r);
	assert_false(decode_search(test_parse_response(
	    "* SEARCH 4294967296\r\n"), &r, &err));
	assert_false(decode_search(test_parse_response("* SEARCH 0\r\n"), &r,
	    &err));
	assert_false(decode_search(test_parse_response("* SEARCH 1 x\r\n"),
	    &r, &err));
	assert_false(decode_search(test_parse_response(
	    "* SEARCH (MODSEQ 5)\r\n"), &r, &err));
	assert_false(decode_search(test_parse_response(
	    "* SEARCH 1 (MODSEQ 5) 2\r\n"), &r, &err));
	assert_false(decode_search(test_parse_response(
	    "* SEARCH 1 (MODSEQ)\r\n"), &r, &err));
	assert_false(decode_sort(test_parse_response("* SEARCH 1\r\n"), &r,
	    &err));
}

/* What one ESEARCH response must decode to; 0 and NULL mean absent. */
struct esearch_case {
	const char *text;
	const char *tag;
	bool uid;
	uint32_t min, max;
	bool has_count;
	uint32_t count;
	const char *all;
	uint64_t modseq;
};

static void
check_esearch(const struct esearch_case *cases, size_t n)
{
	struct esearch_result r;
	struct buf b;
	const char *err;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct esearch_case *c = &cases[i];

		err = NULL;
		if (!decode_esearch(test_parse_response(c->text), &r, &err))
			fail_msg("%s: %s", c->text, err);
		if (c->tag == NULL)
			assert_null(r.tag);
		else
			assert_string_equal(r.tag, c->tag);
		assert_int_equal(r.uid, c->uid);
		assert_int_equal(r.has_min, c->min != 0);
		assert_int_equal(r.min, c->min);
		assert_int_equal(r.has_max, c->max != 0);
		assert_int_equal(r.max, c->max);
		assert_int_equal(r.has_count, c->has_count);
		assert_int_equal(r.count, c->count);
		assert_int_equal(r.has_modseq, c->modseq != 0);
		assert_true(r.modseq == c->modseq);
		assert_int_equal(r.has_all, c->all != NULL);
		buf_init(&b, 256);
		assert_int_equal(seqset_format(&r.all, &b), 0);
		assert_string_equal(buf_str(&b), c->all != NULL ? c->all : "");
		buf_free(&b);
		assert_int_equal(r.unknown_count, 0);
		assert_null(r.mailbox);
		esearch_result_free(&r);
	}
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* RFC 4731 3.1 and 3.2, byte for byte */
static void
test_rfc4731_examples(void **state)
{
	static const struct esearch_case cases[] = {
		/* 3.1 */
		{ "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n", "A282", false,
		  2, 0, true, 3, NULL, 0 },
		{ "* ESEARCH (TAG \"A283\") ALL 2,10:11\r\n", "A283", false,
		  0, 0, false, 0, "2,10:11", 0 },
		{ "* ESEARCH (TAG \"A284\") MIN 4\r\n", "A284", false, 4, 0,
		  false, 0, NULL, 0 },
		{ "* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800\r\n", "A285",
		  true, 7, 3800, false, 0, NULL, 0 },
		{ "* ESEARCH (TAG \"A286\") COUNT 15\r\n", "A286", false, 0, 0,
		  true, 15, NULL, 0 },
		/* 3.2: with CONDSTORE's MODSEQ */
		{ "* ESEARCH (TAG \"a1\") MIN 2 MODSEQ 917162488\r\n", "a1",
		  false, 2, 0, false, 0, NULL, 917162488 },
		{ "* ESEARCH (TAG \"a2\") MAX 23 MODSEQ 907162321\r\n", "a2",
		  false, 0, 23, false, 0, NULL, 907162321 },
		{ "* ESEARCH (TAG \"a3\") MIN 2 MAX 23 MODSEQ 917162488\r\n",
		  "a3", false, 2, 23, false, 0, NULL, 917162488 },
		{ "* ESEARCH (TAG \"a4\") MIN 2 COUNT 10 MODSEQ 917162500\r\n",
		  "a4", false, 2, 0, true, 10, NULL, 917162500 },
	};

	(void)state;
	check_esearch(cases, COUNT(cases));
}

/* RFC 9051 and RFC 7162 ESEARCH responses, byte for byte */
static void
test_rfc9051_rfc7162_esearch(void **state)
{
	static const struct esearch_case cases[] = {
		/* RFC 9051 6.4.4: nothing found gives no return data */
		{ "* ESEARCH (TAG \"A284\")\r\n", "A284", false, 0, 0, false, 0,
		  NULL, 0 },
		{ "* ESEARCH (TAG \"A285\") ALL 43\r\n", "A285", false, 0, 0,
		  false, 0, "43", 0 },
		/* RFC 9051 6.4.4.4 (SAVE); the first C283 answers the
		 * command tagged C282 in the RFC, and is decoded as sent */
		{ "* ESEARCH (TAG \"A301\") UID ALL 17,900,901\r\n", "A301",
		  true, 0, 0, false, 0, "17,900:901", 0 },
		{ "* ESEARCH (TAG \"P283\") ALL 882,1102,3003,3005:3006\r\n",
		  "P283", false, 0, 0, false, 0, "882,1102,3003,3005:3006",
		  0 },
		{ "* ESEARCH (TAG \"G283\") ALL 3:15,27,29:103\r\n", "G283",
		  false, 0, 0, false, 0, "3:15,27,29:103", 0 },
		{ "* ESEARCH (TAG \"C283\") ALL 2,10:15,21\r\n", "C283", false,
		  0, 0, false, 0, "2,10:15,21", 0 },
		{ "* ESEARCH (TAG \"C284\") MIN 2\r\n", "C284", false, 2, 0,
		  false, 0, NULL, 0 },
		{ "* ESEARCH (TAG \"C285\") MIN 2 MAX 21\r\n", "C285", false, 2,
		  21, false, 0, NULL, 0 },
		{ "* ESEARCH (TAG \"C286\") MIN 2 MAX 21 COUNT 8\r\n", "C286",
		  false, 2, 21, true, 8, NULL, 0 },
		{ "* ESEARCH (TAG \"C286\") MIN 2 ALL 2,10:15,21\r\n", "C286",
		  false, 2, 0, false, 0, "2,10:15,21", 0 },
		/* RFC 9051 7.1 (EXPUNGEISSUED) */
		{ "* ESEARCH (TAG \"h\") ALL 1:3,5,8,13,21,42\r\n", "h", false,
		  0, 0, false, 0, "1:3,5,8,13,21,42", 0 },
		/* RFC 9051 7.3.4: with and without a correlator */
		{ "* ESEARCH UID COUNT 17 ALL 4:18,21,28\r\n", NULL, true, 0, 0,
		  true, 17, "4:18,21,28", 0 },
		{ "* ESEARCH (TAG \"a567\") UID COUNT 17 ALL 4:18,21,28\r\n",
		  "a567", true, 0, 0, true, 17, "4:18,21,28", 0 },
		{ "* ESEARCH COUNT 18 ALL 1:17,21\r\n", NULL, false, 0, 0, true,
		  18, "1:17,21", 0 },
		/* RFC 7162 3.1.10 examples 19 and 20 (SORT keeps its
		 * order in ALL) */
		{ "* ESEARCH (TAG \"a\") ALL 1:3,5 MODSEQ 1236\r\n", "a", false,
		  0, 0, false, 0, "1:3,5", 1236 },
		{ "* ESEARCH (TAG \"a\") ALL 5,3,2,1 MODSEQ 1236\r\n", "a",
		  false, 0, 0, false, 0, "5,3,2,1", 1236 },
	};

	(void)state;
	check_esearch(cases, COUNT(cases));
}

/* Not from an RFC */
static void
test_esearch_constructed(void **state)
{
	struct esearch_result r;
	const char *err;

	(void)state;
	/* no correlator and nothing found */
	assert_true(decode_esearch(test_parse_response("* ESEARCH UID\r\n"),
	    &r, &err));
	assert_null(r.tag);
	assert_true(r.uid);
	assert_false(r.has_min || r.has_max || r.has_count || r.has_all);
	esearch_result_free(&r);
	/* a return item from a later extension is skipped */
	assert_true(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"p\") UID PARTIAL (1:10 5:7)\r\n"), &r, &err));
	assert_int_equal(r.unknown_count, 1);
	esearch_result_free(&r);
}

static void
test_esearch_malformed(void **state)
{
	struct esearch_result r;
	const char *err;

	(void)state;
	assert_false(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"a\") MIN\r\n"), &r, &err));
	assert_string_equal(err, "ESEARCH: a return item without its value");
	assert_false(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"a\") MIN 0\r\n"), &r, &err));
	assert_false(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"a\") MIN 1 MIN 2\r\n"), &r, &err));
	assert_string_equal(err, "ESEARCH: a return item comes twice");
	assert_false(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"a\") ALL 1:\r\n"), &r, &err));
	assert_false(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"a\") ALL 1:2 ALL 3\r\n"), &r, &err));
	assert_false(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"a\") COUNT 4294967296\r\n"), &r, &err));
	assert_false(decode_esearch(test_parse_response(
	    "* ESEARCH (FOO \"a\") COUNT 1\r\n"), &r, &err));
	assert_false(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG) COUNT 1\r\n"), &r, &err));
}

/* fuzz/corpus/imap-parser/{dovecot,cyrus}-*search*, *sort* */
static void
test_recorded_replies(void **state)
{
	static const char *const esearch[] = {
		"* ESEARCH (TAG \"R047\") MIN 1 MAX 22 ALL 1:22 COUNT 22\r\n",
		"* ESEARCH (TAG \"R047\") COUNT 22 MIN 1 MAX 22 ALL 1:22\r\n",
	};
	struct esearch_result e;
	struct search_result r;
	struct buf b;
	const char *err;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_true(decode_esearch(test_parse_response(esearch[i]), &e,
		    &err));
		assert_string_equal(e.tag, "R047");
		assert_true(e.min == 1 && e.max == 22 && e.count == 22);
		assert_int_equal(e.all.count, 1);
		assert_true(e.all.ranges[0].lo == 1 &&
		    e.all.ranges[0].hi == 22);
		esearch_result_free(&e);
	}
	assert_true(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"R048\") UID ALL 3,7,16,21\r\n"), &e, &err));
	assert_true(e.uid);
	buf_init(&b, 64);
	assert_int_equal(seqset_format(&e.all, &b), 0);
	assert_string_equal(buf_str(&b), "3,7,16,21");
	buf_free(&b);
	esearch_result_free(&e);
	assert_true(decode_search(test_parse_response(
	    "* SEARCH 3 4 9 11 13 16 18 20 22\r\n"), &r, &err));
	assert_int_equal(r.count, 9);
	assert_int_equal(r.numbers[8], 22);
	search_result_free(&r);
	assert_true(decode_sort(test_parse_response(
	    "* SORT 22 21 20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 "
	    "2 1\r\n"), &r, &err));
	assert_int_equal(r.count, 22);
	assert_int_equal(r.numbers[0], 22);
	search_result_free(&r);
	/* Dovecot and Cyrus order equal subjects differently */
	assert_true(decode_sort(test_parse_response(
	    "* SORT 22 18 10 16 5 4 21 11 13 2 15 12 20 6 19 9 7 14 3 17 "
	    "8 1\r\n"), &r, &err));
	assert_int_equal(r.numbers[5], 4);
	search_result_free(&r);
	assert_true(decode_sort(test_parse_response(
	    "* SORT 22 18 10 16 5 21 11 13 2 15 12 20 6 19 9 7 14 3 17 8 "
	    "1 4\r\n"), &r, &err));
	assert_int_equal(r.numbers[21], 4);
	search_result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seqset_parse_format),
		cmocka_unit_test(test_seqset_iterate),
		cmocka_unit_test(test_rfc_search_and_sort),
		cmocka_unit_test(test_search_limits),
		cmocka_unit_test(test_rfc4731_examples),
		cmocka_unit_test(test_rfc9051_rfc7162_esearch),
		cmocka_unit_test(test_esearch_constructed),
		cmocka_unit_test(test_esearch_malformed),
		cmocka_unit_test(test_recorded_replies),
	};

	return cmocka_run_group_tests_name("decode-search", tests, NULL,
	    test_parse_cleanup);
}
