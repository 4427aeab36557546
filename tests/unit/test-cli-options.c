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
	char *argv[24];
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
	assert_string_equal(err, "no server given: imapwb [options] HOST");
}

static void
test_version_takes_no_argument(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 2, "--version=3"), -1);
	assert_string_equal(err, "option --version takes no argument");
}

static void
test_session_defaults(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 2, "imap.example.org"), 0);
	assert_int_equal(o.action, CLI_ACTION_SESSION);
	assert_string_equal(o.host, "imap.example.org");
	assert_null(o.port);
	assert_int_equal(o.tls, CLI_TLS_STARTTLS);
	assert_int_equal(o.connect_timeout_ms, 15000);
	assert_false(o.insecure);
	assert_null(o.mech);
}

static void
test_imtest_letters(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 16, "-s", "-p", "1993", "-a",
			     "admin", "-u", "alice", "-m", "PLAIN", "-k", "0",
			     "-l", "256", "-i", "host"),
	    0);
	assert_int_equal(o.tls, CLI_TLS_IMPLICIT);
	assert_string_equal(o.port, "1993");
	assert_string_equal(o.authname, "admin");
	assert_string_equal(o.authzid, "alice");
	assert_string_equal(o.mech, "PLAIN");
	assert_int_equal(o.max_ssf, 256);
	assert_true(o.no_initial_response);
	assert_string_equal(o.host, "host");

	assert_int_equal(parse(&o, &err, 10, "-o", "a=1", "-o", "b=2", "-q",
			     "-H", "2", "-t", ""),
	    -1); /* no host */
	assert_int_equal(parse(&o, &err, 11, "-o", "a=1", "-o", "b=2", "-q",
			     "-H", "2", "-t", "", "h"),
	    0);
	assert_string_equal(o.sasl_options[0], "a=1");
	assert_string_equal(o.sasl_options[1], "b=2");
	assert_null(o.sasl_options[2]);
	assert_true(o.compress);
	assert_int_equal(o.proxy_version, 2);
	assert_null(o.client_cert);
}

static void
test_bad_values(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 4, "-p", "0", "h"), -1);
	assert_string_equal(err, "option -p: '0' is not a port (1-65535)");
	assert_int_equal(parse(&o, &err, 4, "-p", "143x", "h"), -1);
	assert_int_equal(parse(&o, &err, 4, "-H", "3", "h"), -1);
	assert_string_equal(err, "option -H: '3' is not 1 or 2");
	assert_int_equal(parse(&o, &err, 4, "--pin", "md5/abc", "h"), -1);
	assert_int_equal(parse(&o, &err, 4, "-o", "novalue", "h"), -1);
	assert_int_equal(parse(&o, &err, 4, "-k", "-1", "h"), -1);
	assert_int_equal(parse(&o, &err, 3, "h", "extra"), -1);
	assert_string_equal(err, "unexpected argument 'extra' after the "
				 "server");
	assert_int_equal(parse(&o, &err, 2, "-p"), -1);
	assert_string_equal(err, "option -p needs an argument");
}

static void
test_conflicts(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 6, "-w", "x", "--password-file",
			     "f", "h"),
	    -1);
	assert_string_equal(err, "give only one of -w, --password-file and "
				 "--password-cmd");
	assert_int_equal(parse(&o, &err, 4, "--plaintext", "--insecure",
			     "h"),
	    -1);
	assert_int_equal(parse(&o, &err, 5, "--plain", "-f", "cmds", "h"),
	    -1);
	assert_int_equal(parse(&o, &err, 6, "-k", "128", "-l", "56", "h"),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_unknown_options_are_usage_errors),
		cmocka_unit_test(test_version_takes_no_argument),
		cmocka_unit_test(test_session_defaults),
		cmocka_unit_test(test_imtest_letters),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_conflicts),
	};

	return cmocka_run_group_tests_name("cli-options", tests, NULL, NULL);
}
