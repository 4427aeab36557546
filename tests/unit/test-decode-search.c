/* Unit tests for decode-search: sequence sets, RFC 4731 / 5256 / 7162
 * examples and replies recorded from Dovecot and Cyrus. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
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

static void
test_search_and_sort(void **state)
{
	struct search_result r;
	const char *err;

	(void)state;
	/* RFC 9051 6.4.4 */
	assert_true(decode_search(test_parse_response(
	    "* SEARCH 2 84 882\r\n"), &r, &err));
	assert_int_equal(r.count, 3);
	assert_int_equal(r.numbers[2], 882);
	assert_false(r.has_modseq);
	search_result_free(&r);
	assert_true(decode_search(test_parse_response("* SEARCH\r\n"), &r,
	    &err));
	assert_int_equal(r.count, 0);
	search_result_free(&r);
	/* RFC 7162 3.1.5 */
	assert_true(decode_search(test_parse_response(
	    "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n"),
	    &r, &err));
	assert_int_equal(r.count, 10);
	assert_int_equal(r.numbers[9], 23);
	assert_true(r.has_modseq && r.modseq == 917162500ULL);
	search_result_free(&r);
	/* RFC 5256 4 */
	assert_true(decode_sort(test_parse_response("* SORT 2 84 882\r\n"),
	    &r, &err));
	assert_int_equal(r.count, 3);
	assert_int_equal(r.numbers[1], 84);
	search_result_free(&r);
	assert_true(decode_sort(test_parse_response("* SORT 5 3 4 1 2\r\n"),
	    &r, &err));
	assert_int_equal(r.numbers[0], 5);
	assert_int_equal(r.numbers[4], 2);
	search_result_free(&r);
	/* big numbers */
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

static void
test_rfc4731_examples(void **state)
{
	struct esearch_result r;
	struct buf b;
	const char *err;

	(void)state;
	assert_true(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n"), &r, &err));
	assert_string_equal(r.tag, "A282");
	assert_false(r.uid);
	assert_true(r.has_min && r.min == 2);
	assert_true(r.has_count && r.count == 3);
	assert_false(r.has_max || r.has_all || r.has_modseq);
	esearch_result_free(&r);
	assert_true(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"A283\") ALL 2,10:11\r\n"), &r, &err));
	assert_true(r.has_all);
	assert_int_equal(r.all.count, 2);
	assert_true(seqset_count(&r.all, 0) == 3);
	buf_init(&b, 64);
	assert_int_equal(seqset_format(&r.all, &b), 0);
	assert_string_equal(buf_str(&b), "2,10:11");
	buf_free(&b);
	esearch_result_free(&r);
	/* RFC 9051 6.4.4.4 */
	assert_true(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800\r\n"), &r, &err));
	assert_true(r.uid);
	assert_true(r.min == 7 && r.max == 3800);
	esearch_result_free(&r);
	/* RFC 4731 3.2: with CONDSTORE */
	assert_true(decode_esearch(test_parse_response(
	    "* ESEARCH (TAG \"a\") ALL 1:3,5 MODSEQ 1236\r\n"), &r, &err));
	assert_true(r.has_modseq && r.modseq == 1236);
	assert_true(seqset_count(&r.all, 0) == 4);
	esearch_result_free(&r);
	/* no correlator, nothing found: RFC 4731 says just "* ESEARCH" */
	assert_true(decode_esearch(test_parse_response("* ESEARCH UID\r\n"),
	    &r, &err));
	assert_null(r.tag);
	assert_true(r.uid);
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
		cmocka_unit_test(test_search_and_sort),
		cmocka_unit_test(test_rfc4731_examples),
		cmocka_unit_test(test_esearch_malformed),
		cmocka_unit_test(test_recorded_replies),
	};

	return cmocka_run_group_tests_name("decode-search", tests, NULL,
	    test_parse_cleanup);
}
