/* Unit tests for cli-options: actions and usage errors. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "cli-options.h"

static int
parse(struct cli_options *o, const char **err, int argc, ...)
{
	char *argv[16];
	va_list ap;
	int i;

	va_start(ap, argc);
	argv[0] = "imapwb";
	for (i = 1; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	argv[argc] = NULL;
	va_end(ap);
	*err = NULL;
	return cli_options_parse(argc, argv, o, err);
}

static void
test_help_and_version(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 2, "--help"), 0);
	assert_int_equal(o.action, CLI_ACTION_HELP);
	assert_int_equal(parse(&o, &err, 2, "-h"), 0);
	assert_int_equal(o.action, CLI_ACTION_HELP);
	assert_int_equal(parse(&o, &err, 2, "--version"), 0);
	assert_int_equal(o.action, CLI_ACTION_VERSION);
	assert_int_equal(parse(&o, &err, 3, "-vv", "-V"), 0);
	assert_int_equal(o.verbose, 2);
}

static void
test_unknown_options_are_usage_errors(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 2, "--bogus"), -1);
	assert_string_equal(err, "unknown option --bogus");
	assert_int_equal(parse(&o, &err, 2, "-Z"), -1);
	assert_string_equal(err, "unknown option -Z");
	assert_int_equal(parse(&o, &err, 1), -1);
	assert_string_equal(err, "nothing to do");
}

static void
test_version_takes_no_argument(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 2, "--version=3"), -1);
	assert_string_equal(err, "option --version takes no argument");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_unknown_options_are_usage_errors),
		cmocka_unit_test(test_version_takes_no_argument),
	};

	return cmocka_run_group_tests_name("cli-options", tests, NULL, NULL);
}
