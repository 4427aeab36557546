/* Unit tests for util-mem. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util-mem.h"

static void
test_xstrndup_stops_at_nul_and_limit(void **state)
{
	char *s = xstrndup("abcdef", 3);

	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("ab", 10);
	assert_string_equal(s, "ab");
	free(s);
}

static void
test_xasprintf(void **state)
{
	char *s = xasprintf("%s %u", "A1", 7u);

	assert_string_equal(s, "A1 7");
	free(s);
}

static void
test_secure_free_str_clears_pointer(void **state)
{
	char *secret = xstrdup("Wonder-land-7q");

	secure_free_str(&secret);
	assert_null(secret);
	secure_free_str(&secret); /* a second call is harmless */
	assert_null(secret);
}

static void
test_secure_zero(void **state)
{
	char pw[8] = "hunter2";

	secure_zero(pw, sizeof(pw));
	assert_memory_equal(pw, "\0\0\0\0\0\0\0\0", sizeof(pw));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xstrndup_stops_at_nul_and_limit),
		cmocka_unit_test(test_xasprintf),
		cmocka_unit_test(test_secure_free_str_clears_pointer),
		cmocka_unit_test(test_secure_zero),
	};

	return cmocka_run_group_tests_name("util-mem", tests, NULL, NULL);
}
