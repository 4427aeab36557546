/* Unit tests for util-u64set: every add, remove and lookup of a long
 * random run held to a plain bitmap, with keys crowded into few slots so
 * chains wrap around the table and removals shift them back. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util-u64set.h"

static uint64_t rng_state = 0x1234567;

static uint64_t
rng(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return u64_mix(rng_state);
}

/* Keys drawn from `range` values (spread over the 64-bit space by a
 * fixed multiplier), operations at random, the set held to `ref`. */
static void
random_run(size_t range, size_t steps, size_t expected)
{
	struct u64set set;
	bool *ref = calloc(range, sizeof(*ref));
	size_t i, count = 0, k;
	uint64_t key;

	assert_non_null(ref);
	u64set_init(&set, expected);
	for (i = 0; i < steps; i++) {
		k = (size_t)(rng() % range);
		key = (uint64_t)k * 0x9e3779b97f4a7c15ULL;
		switch (rng() % 3) {
		case 0:
			assert_int_equal(u64set_add(&set, key), !ref[k]);
			count += !ref[k];
			ref[k] = true;
			break;
		case 1:
			assert_int_equal(u64set_remove(&set, key), ref[k]);
			count -= ref[k];
			ref[k] = false;
			break;
		default:
			assert_int_equal(u64set_contains(&set, key), ref[k]);
		}
		assert_int_equal(set.count, count);
	}
	for (k = 0; k < range; k++)
		assert_int_equal(u64set_contains(&set,
		    (uint64_t)k * 0x9e3779b97f4a7c15ULL), ref[k]);
	u64set_free(&set);
	free(ref);
}

static void
test_against_a_bitmap(void **state)
{
	random_run(40, 200000, 4);       /* a small table, long chains */
	random_run(5000, 400000, 16);    /* growth from 32 slots */
	random_run(200000, 400000, 100000);
}

static void
test_edge_keys(void **state)
{
	struct u64set set;

	u64set_init(&set, 0);
	assert_false(u64set_contains(&set, 0));
	assert_true(u64set_add(&set, 0));
	assert_true(u64set_add(&set, UINT64_MAX - 1));
	assert_false(u64set_add(&set, 0));
	assert_true(u64set_contains(&set, 0));
	assert_true(u64set_contains(&set, UINT64_MAX - 1));
	assert_true(u64set_remove(&set, 0));
	assert_false(u64set_remove(&set, 0));
	assert_false(u64set_contains(&set, 0));
	assert_int_equal(set.count, 1);
	u64set_free(&set);
	assert_false(u64set_contains(&set, 1));
}

/* A zeroed set is empty and usable: the first add makes its room. */
static void
test_zeroed_set(void **state)
{
	struct u64set set = { 0 };

	assert_false(u64set_contains(&set, 7));
	assert_false(u64set_remove(&set, 7));
	assert_true(u64set_add(&set, 7));
	assert_false(u64set_add(&set, 7));
	assert_true(u64set_contains(&set, 7));
	assert_int_equal(set.count, 1);
	u64set_free(&set);
}

/* Sequential keys (UIDs) of a 100k mailbox: each in, each found, each out. */
static void
test_uids(void **state)
{
	struct u64set set;
	uint64_t uid;

	u64set_init(&set, 20);
	for (uid = 1; uid <= 100000; uid++)
		assert_true(u64set_add(&set, (3ULL << 32) | uid));
	assert_int_equal(set.count, 100000);
	assert_false(u64set_contains(&set, (2ULL << 32) | 5));
	for (uid = 1; uid <= 100000; uid += 2)
		assert_true(u64set_remove(&set, (3ULL << 32) | uid));
	for (uid = 1; uid <= 100000; uid++)
		assert_int_equal(u64set_contains(&set, (3ULL << 32) | uid),
		    uid % 2 == 0);
	u64set_free(&set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_a_bitmap),
		cmocka_unit_test(test_edge_keys),
		cmocka_unit_test(test_uids),
		cmocka_unit_test(test_zeroed_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
