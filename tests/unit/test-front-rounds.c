/* Unit tests for front-rounds: the -z table's statistics. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "front-rounds.h"

static void
test_stats_of_one(void **state)
{
	double v[] = { 4.5 };
	struct rounds_stats st;

	(void)state;
	rounds_stats(v, 1, &st);
	assert_true(st.min == 4.5 && st.median == 4.5 && st.p99 == 4.5 &&
	    st.max == 4.5);
}

static void
test_stats_median_of_even_count(void **state)
{
	double v[] = { 9, 1, 3, 7 };
	struct rounds_stats st;

	(void)state;
	rounds_stats(v, 4, &st);
	assert_true(st.min == 1);
	assert_true(st.median == 5); /* (3 + 7) / 2 */
	assert_true(st.p99 == 9);    /* rank ceil(3.96) = 4 */
	assert_true(st.max == 9);
}

/* Nearest rank: of 200 samples 1..200, p99 is the 198th. */
static void
test_stats_p99_nearest_rank(void **state)
{
	double v[200];
	struct rounds_stats st;
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++)
		v[i] = (double)(200 - i);
	rounds_stats(v, 200, &st);
	assert_true(st.min == 1);
	assert_true(st.median == 100.5);
	assert_true(st.p99 == 198);
	assert_true(st.max == 200);
	/* and of 20 (the test bed's -z 20), the 20th: the max */
	for (i = 0; i < 20; i++)
		v[i] = (double)(i + 1);
	rounds_stats(v, 20, &st);
	assert_true(st.p99 == 20);
	assert_true(st.median == 10.5);
}

static void
test_phase_names(void **state)
{
	(void)state;
	assert_string_equal(rounds_phase_names[ROUNDS_CONNECT], "connect");
	assert_string_equal(rounds_phase_names[ROUNDS_TOTAL], "total");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_of_one),
		cmocka_unit_test(test_stats_median_of_even_count),
		cmocka_unit_test(test_stats_p99_nearest_rank),
		cmocka_unit_test(test_phase_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
