/* Unit tests for cli-options: actions and usage errors. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "client-cli-options.h"

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
	assert_int_equal(o.tls, CLIENT_TLS_STARTTLS);
	assert_int_equal(o.connect_timeout_ms, 15000);
	assert_int_equal(o.timeout_ms, 120000);
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
	assert_int_equal(o.tls, CLIENT_TLS_IMPLICIT);
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
	assert_int_equal(parse(&o, &err, 4, "--timeout", "2m", "h"), -1);
	assert_string_equal(err, "option --timeout: '2m' is not a number of "
				 "seconds (0-86400; 0: never)");
	assert_int_equal(parse(&o, &err, 4, "--timeout", "86401", "h"), -1);
	assert_int_equal(parse(&o, &err, 4, "--timeout", "0", "h"), 0);
	assert_int_equal(o.timeout_ms, 0);
	assert_int_equal(parse(&o, &err, 4, "--timeout", "5", "h"), 0);
	assert_int_equal(o.timeout_ms, 5000);
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
	/* part "trust": --tofu decides by the key it remembers */
	assert_int_equal(parse(&o, &err, 3, "--tofu", "h"), 0);
	assert_true(o.tofu);
	assert_int_equal(parse(&o, &err, 4, "--tofu", "--insecure", "h"), -1);
	assert_string_equal(err, "--tofu decides by the key it remembers: "
				 "drop --insecure and --pin");
	assert_int_equal(parse(&o, &err, 5, "--tofu", "--pin",
			     "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
			     "h"),
	    -1);
	assert_int_equal(parse(&o, &err, 4, "--tofu", "--plaintext", "h"), -1);
	assert_string_equal(err, "--plaintext cannot be combined with TLS "
				 "options");
}

static void
test_token_cmd(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 4, "--token-cmd", "get-token", "h"),
	    0);
	assert_string_equal(o.token_cmd, "get-token");
	assert_null(o.mech);
	assert_int_equal(parse(&o, &err, 6, "-m", "xoauth2", "--token-cmd",
			     "t", "h"),
	    0);
	assert_int_equal(parse(&o, &err, 6, "--token-cmd", "t",
			     "--password-cmd", "p", "h"),
	    -1);
	assert_string_equal(err, "--token-cmd replaces the password: drop -w, "
				 "--password-file and --password-cmd");
	assert_int_equal(parse(&o, &err, 6, "-m", "PLAIN", "--token-cmd",
			     "t", "h"),
	    -1);
	assert_string_equal(err, "--token-cmd works with -m OAUTHBEARER or -m "
				 "XOAUTH2 (or no -m)");
	assert_int_equal(parse(&o, &err, 4, "-m", "OAUTHBEARER", "h"), -1);
	assert_string_equal(err, "-m OAUTHBEARER and -m XOAUTH2 need "
				 "--token-cmd CMD");
}

static void
test_sizes(void **state)
{
	uint64_t v;

	assert_int_equal(cli_parse_size("10M", &v), 0);
	assert_int_equal(v, 10485760);
	assert_int_equal(cli_parse_size("500K", &v), 0);
	assert_int_equal(v, 512000);
	assert_int_equal(cli_parse_size("2g", &v), 0);
	assert_int_equal(v, 2147483648u);
	assert_int_equal(cli_parse_size("150000000", &v), 0);
	assert_int_equal(v, 150000000);
	assert_int_equal(cli_parse_size("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(cli_parse_size("18446744073709551616", &v), -1);
	assert_int_equal(cli_parse_size("17179869184G", &v), -1);
	assert_int_equal(cli_parse_size("1T", &v), 0);
	assert_true(v == (uint64_t)1 << 40);
	assert_int_equal(cli_parse_size("10MB", &v), -1);
	assert_int_equal(cli_parse_size("-1", &v), -1);
	assert_int_equal(cli_parse_size("", &v), -1);
	assert_int_equal(cli_parse_size("1.5M", &v), -1);
}

/* The parser's limits: sizes and counts, into the client's config;
 * nonsense is a usage error naming the option. */
static void
test_limits(void **state)
{
	struct cli_options o;
	struct client_config c;
	const char *err;

	assert_int_equal(parse(&o, &err, 14, "--max-line", "64K",
	    "--max-response", "1M", "--max-depth", "20", "--max-items", "500",
	    "--max-literals", "7", "--max-literal", "2T", "h"), 0);
	cli_options_client_config(&o, &c);
	assert_int_equal(c.limits.max_line, 65536);
	assert_int_equal(c.limits.max_response, 1048576);
	assert_int_equal(c.limits.max_depth, 20);
	assert_int_equal(c.limits.max_items, 500);
	assert_int_equal(c.limits.max_literals, 7);
	assert_true(c.limits.max_literal == (uint64_t)2 << 40);
	assert_int_equal(c.limits.max_inline_literal, 0); /* the default */

	/* a line longer than the default response limit raises it */
	assert_int_equal(parse(&o, &err, 4, "--max-line", "64M", "h"), 0);
	cli_options_client_config(&o, &c);
	assert_int_equal(c.limits.max_response, 64u << 20);
	assert_int_equal(parse(&o, &err, 2, "h"), 0);
	cli_options_client_config(&o, &c);
	assert_int_equal(c.limits.max_line, 0);
	assert_int_equal(c.limits.max_response, 0);

	assert_int_equal(parse(&o, &err, 4, "--max-line", "10", "h"), -1);
	assert_string_equal(err, "option --max-line: '10' is not a size (1K "
				 "to 1G)");
	assert_int_equal(parse(&o, &err, 4, "--max-depth", "0", "h"), -1);
	assert_string_equal(err, "option --max-depth: '0' is not a depth "
				 "(1-10000)");
	assert_int_equal(parse(&o, &err, 4, "--max-items", "1x", "h"), -1);
	assert_int_equal(parse(&o, &err, 4, "--max-literals", "2000000", "h"),
	    -1);
	assert_int_equal(parse(&o, &err, 4, "--max-response", "2G", "h"), -1);
}

/* --show-literal: how much of each literal the transcript shows; sizes
 * as the limits take them, 0 for a summary line only. */
static void
test_show_literal(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 2, "h"), 0);
	assert_true(o.show_literal == 65536);
	assert_int_equal(parse(&o, &err, 4, "--show-literal", "1K", "h"), 0);
	assert_true(o.show_literal == 1024);
	assert_int_equal(parse(&o, &err, 4, "--show-literal", "0", "h"), 0);
	assert_true(o.show_literal == 0);
	assert_int_equal(parse(&o, &err, 4, "--show-literal", "300", "h"), 0);
	assert_true(o.show_literal == 300);
	assert_int_equal(parse(&o, &err, 4, "--show-literal", "1g", "h"), 0);
	assert_true(o.show_literal == (uint64_t)1 << 30);
	assert_int_equal(parse(&o, &err, 4, "--show-literal", "2G", "h"), -1);
	assert_string_equal(err, "option --show-literal: '2G' is not a size "
				 "(64K, 1M, 0 or bytes; at most 1G)");
	assert_int_equal(parse(&o, &err, 4, "--show-literal", "-1", "h"), -1);
	assert_int_equal(parse(&o, &err, 4, "--show-literal", "4KB", "h"), -1);
	assert_int_equal(parse(&o, &err, 2, "--show-literal", "h"), -1);
}

static void
test_jobs(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 9, "--largest", "20", "--min-size",
	    "10M", "--mailbox", "INBOX", "--json", "h"), 0);
	assert_int_equal(o.job, CLI_JOB_LARGEST);
	assert_int_equal(o.largest_count, 20);
	assert_int_equal(o.min_size, 10485760);
	assert_int_equal(o.mailbox_count, 1);
	assert_string_equal(o.mailboxes[0], "INBOX");
	assert_true(o.json);

	assert_int_equal(parse(&o, &err, 12, "--delete", "--mailbox", "A/B",
	    "--uidvalidity", "4294967295", "--uids", "3:5,9", "--move-to",
	    "Trash", "--yes", "h"), 0);
	assert_int_equal(o.job, CLI_JOB_DELETE);
	assert_true(o.uidvalidity == 4294967295u);
	assert_string_equal(o.uids, "3:5,9");
	assert_string_equal(o.move_to, "Trash");
	assert_true(o.yes);

	/* --yes in the console: a typed EXPUNGE or CLOSE is not asked */
	assert_int_equal(parse(&o, &err, 4, "--plain", "--yes", "h"), 0);
	assert_int_equal(o.job, CLI_JOB_NONE);
	assert_true(o.yes);
	assert_int_equal(parse(&o, &err, 5, "--largest", "3", "--yes", "h"),
	    -1);
	assert_string_equal(err, "--yes does not go with --largest");

	/* -o FILE is the output with --save; -o NAME=VALUE stays SASL's */
	assert_int_equal(parse(&o, &err, 16, "-o", "out.eml", "--save",
	    "--mailbox", "INBOX", "--uidvalidity", "7", "--uid", "12",
	    "--part", "2.1", "--decode", "-o", "mech_list=PLAIN", "h"), 0);
	assert_int_equal(o.job, CLI_JOB_SAVE);
	assert_string_equal(o.output, "out.eml");
	assert_string_equal(o.sasl_options[0], "mech_list=PLAIN");
	assert_null(o.sasl_options[1]);
	assert_int_equal(o.uid, 12);
	assert_string_equal(o.part, "2.1");
	assert_true(o.decode);
}

static void
test_job_usage_errors(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 6, "--largest", "3", "--delete",
	    "--yes", "h"), -1);
	assert_string_equal(err, "choose one of --largest, --delete and --save");
	assert_int_equal(parse(&o, &err, 4, "--largest", "0", "h"), -1);
	assert_string_equal(err, "option --largest: '0' is not a count "
	    "(1-100000)");
	assert_int_equal(parse(&o, &err, 6, "--largest", "3", "--min-size",
	    "10X", "h"), -1);
	assert_string_equal(err, "option --min-size: '10X' is not a size (10M, "
	    "500K, 2G or bytes)");
	assert_int_equal(parse(&o, &err, 6, "--largest", "3", "--uids", "4",
	    "h"), -1);
	assert_string_equal(err, "--uids does not go with --largest");
	assert_int_equal(parse(&o, &err, 7, "--delete", "--mailbox", "INBOX",
	    "--uids", "4", "h"), -1);
	assert_string_equal(err, "--delete needs --uidvalidity");
	assert_int_equal(parse(&o, &err, 9, "--delete", "--mailbox", "INBOX",
	    "--uidvalidity", "1", "--uids", "4:*", "h"), -1);
	assert_string_equal(err, "option --uids: '4:*' is not a UID set such "
	    "as 7 or 3:5,9");
	assert_int_equal(parse(&o, &err, 11, "--delete", "--mailbox", "A",
	    "--mailbox", "B", "--uidvalidity", "1", "--uids", "4", "h"), -1);
	assert_string_equal(err, "give exactly one --mailbox");
	assert_int_equal(parse(&o, &err, 5, "--mailbox", "INBOX", "--yes",
	    "h"), -1);
	assert_string_equal(err, "--mailbox needs --largest, --delete or "
	    "--save");
	assert_int_equal(parse(&o, &err, 11, "--save", "--mailbox", "A",
	    "--uidvalidity", "1", "--uid", "4", "--decode", "-oX", "h"), -1);
	assert_string_equal(err, "--decode needs --part");
	assert_int_equal(parse(&o, &err, 11, "--save", "--mailbox", "A",
	    "--uidvalidity", "1", "--uid", "4", "--part", "2", "h"), -1);
	assert_string_equal(err, "--save needs -o/--output");
	assert_int_equal(parse(&o, &err, 6, "--largest", "3", "-f", "x", "h"),
	    -1);
	assert_string_equal(err, "a job runs without the console: drop -f and "
	    "--plain");
	assert_int_equal(parse(&o, &err, 4, "-o", "file", "h"), -1);
	assert_string_equal(err, "option -o: 'file' is not NAME=VALUE");
}

/* imtest parity (issue #14 part "imtest"): -z's optional count in every
 * spelling, and a bare number before HOST only when a HOST follows. */
static void
test_imtest_modes(void **state)
{
	struct cli_options o;
	const char *err;

	assert_int_equal(parse(&o, &err, 3, "-z", "h"), 0);
	assert_int_equal(o.timing_rounds, CLI_DEFAULT_TIMING_ROUNDS);
	assert_string_equal(o.host, "h");
	assert_int_equal(parse(&o, &err, 4, "-z", "20", "h"), 0);
	assert_int_equal(o.timing_rounds, 20);
	assert_string_equal(o.host, "h");
	assert_int_equal(parse(&o, &err, 3, "-z7", "h"), 0);
	assert_int_equal(o.timing_rounds, 7);
	assert_int_equal(parse(&o, &err, 4, "--timing", "5", "h"), 0);
	assert_int_equal(o.timing_rounds, 5);
	assert_int_equal(parse(&o, &err, 3, "--timing=3", "h"), 0);
	assert_int_equal(o.timing_rounds, 3);
	assert_int_equal(parse(&o, &err, 5, "-z", "4", "-s", "h"), 0);
	assert_int_equal(o.timing_rounds, 4);
	assert_int_equal(o.tls, CLIENT_TLS_IMPLICIT);
	/* the last word is the host, even when it is a number */
	assert_int_equal(parse(&o, &err, 3, "-z", "2130706433"), 0);
	assert_int_equal(o.timing_rounds, CLI_DEFAULT_TIMING_ROUNDS);
	assert_string_equal(o.host, "2130706433");
	assert_int_equal(parse(&o, &err, 3, "-z0", "h"), -1);
	assert_string_equal(err, "option -z: '0' is not a number of rounds "
	    "(1-100000)");
	assert_int_equal(parse(&o, &err, 4, "-n", "3", "h"), 0);
	assert_int_equal(o.reauth_count, 3);
	assert_int_equal(parse(&o, &err, 4, "-n", "x", "h"), -1);
	assert_int_equal(parse(&o, &err, 3, "-c", "h"), 0);
	assert_true(o.challenge_prompts);
	assert_int_equal(parse(&o, &err, 6, "-x", "S", "-I", "P", "h"), 0);
	assert_string_equal(o.socket_path, "S");
	assert_false(o.socket_daemon);
	assert_string_equal(o.pid_file, "P");
	assert_int_equal(parse(&o, &err, 4, "-X", "S", "h"), 0);
	assert_true(o.socket_daemon);
	assert_int_equal(parse(&o, &err, 6, "-x", "S", "-X", "T", "h"), -1);
	assert_string_equal(err, "give one of -x and -X, once");
	assert_int_equal(parse(&o, &err, 5, "-z", "-n", "2", "h"), -1);
	assert_string_equal(err, "choose -z (timing) or -n "
	    "(reauthentication)");
	assert_int_equal(parse(&o, &err, 5, "-z", "-x", "S", "h"), -1);
	assert_string_equal(err, "-x and -X do not go with -z or -n");
	assert_int_equal(parse(&o, &err, 5, "-x", "S", "--plain", "h"), -1);
	assert_int_equal(parse(&o, &err, 5, "-n", "2", "--plaintext", "h"),
	    -1);
	assert_string_equal(err, "-n resumes TLS sessions: drop --plaintext");
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
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_show_literal),
		cmocka_unit_test(test_jobs),
		cmocka_unit_test(test_job_usage_errors),
		cmocka_unit_test(test_token_cmd),
		cmocka_unit_test(test_imtest_modes),
	};

	return cmocka_run_group_tests_name("cli-options", tests, NULL, NULL);
}
