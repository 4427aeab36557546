/* Unit tests for imap-seqset: parsing what RFC 9051 9 allows (and
 * refusing the rest), writing sets back, merging on add, counting,
 * membership (linear with '*', and by binary search) and walking. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "imap-seqset.h"

static void
assert_formats(const struct seqset *set, const char *want)
{
	struct buf out;

	buf_init(&out, 1 << 16);
	assert_int_equal(seqset_format(set, &out), 0);
	assert_string_equal(buf_str(&out), want);
	buf_free(&out);
}

static void
test_parse_and_format(void **state)
{
	struct seqset set;
	const char *err = NULL;

	assert_true(seqset_parse("1:5,9,12:*", SEQSET_ALLOW_STAR, &set, &err));
	assert_int_equal(set.count, 3);
	assert_formats(&set, "1:5,9,12:*");
	seqset_free(&set);
	/* "4:2" is "2:4", "*:4" is "4:*" */
	assert_true(seqset_parse("4:2,*:4", SEQSET_ALLOW_STAR, &set, &err));
	assert_formats(&set, "2:4,4:*");
	seqset_free(&set);
	assert_true(seqset_parse("4294967295", 0, &set, &err));
	assert_formats(&set, "4294967295");
	seqset_free(&set);
}

static void
test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"", "0", "1:0", "01", "1,", ",1", "1::2", "1:2:3", "a",
		"4294967296", "1 2", "*",
	};
	struct seqset set;
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		assert_false(seqset_parse(bad[i], 0, &set, &err));
		assert_non_null(err);
		assert_int_equal(set.count, 0);
	}
	/* '*' only in a sequence-set */
	assert_true(seqset_parse("*", SEQSET_ALLOW_STAR, &set, &err));
	seqset_free(&set);
}

static void
test_add_merges_touching(void **state)
{
	struct seqset set = { 0 };

	seqset_add(&set, 5, 5);
	seqset_add(&set, 6, 6);
	seqset_add(&set, 7, 9);
	seqset_add(&set, 11, 11);
	seqset_add(&set, 4294967295u, 4294967295u);
	assert_formats(&set, "5:9,11,4294967295");
	assert_int_equal(set.count, 3);
	seqset_free(&set);
	assert_null(set.ranges);
	assert_int_equal(set.count, 0);
}

static void
test_count_contains_iter(void **state)
{
	struct seqset set;
	struct seqset_iter it;
	const char *err = NULL;
	uint32_t n, got[16];
	size_t k = 0;

	assert_true(seqset_parse("3:1,7,9:*", SEQSET_ALLOW_STAR, &set, &err));
	assert_int_equal(seqset_count(&set, 10), 3 + 1 + 2);
	assert_true(seqset_contains(&set, 10, 10));
	assert_false(seqset_contains(&set, 11, 10));
	assert_false(seqset_contains(&set, 8, 10));
	/* "9:*" with 5 the largest number in use names 5:9 */
	assert_true(seqset_contains(&set, 6, 5));
	seqset_iter_init(&it, &set, 10);
	while (seqset_iter_next(&it, &n) && k < 16)
		got[k++] = n;
	assert_int_equal(k, 6);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[2], 3);
	assert_int_equal(got[3], 7);
	assert_int_equal(got[5], 10);
	seqset_free(&set);
}

/* Binary search held to the linear answer on a set of 1000 ranges. */
static void
test_contains_sorted(void **state)
{
	struct seqset set = { 0 };
	uint32_t u;

	assert_false(seqset_contains_sorted(&set, 1));
	for (u = 10; u < 10000; u += 10)
		seqset_add(&set, u, u + (u % 30 == 0 ? 4 : 0));
	seqset_add(&set, 4294967290u, 4294967295u);
	for (u = 0; u < 10100; u++)
		assert_int_equal(seqset_contains_sorted(&set, u),
		    seqset_contains(&set, u, 0));
	assert_true(seqset_contains_sorted(&set, 4294967295u));
	assert_false(seqset_contains_sorted(&set, 4294967289u));
	seqset_free(&set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_format),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_add_merges_touching),
		cmocka_unit_test(test_count_contains_iter),
		cmocka_unit_test(test_contains_sorted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
