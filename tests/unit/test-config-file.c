/* Unit tests for client-config-file (the INI reader and its refusals)
 * and for @NAME through cli_options_parse (keys checked as options). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "client-cli-options.h"
#include "client-config-file.h"
#include "util-mem.h"

static char dir[] = "/tmp/imapwb-config-XXXXXX";
static char path[64];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/config", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

static void
write_config(const char *text, mode_t mode)
{
	FILE *f;

	unlink(path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

struct seen {
	char text[1024];
};

static int
record_key(void *ctx, const char *key, const char *value, bool chosen,
    const char **error_r)
{
	struct seen *s = ctx;
	size_t len = strlen(s->text);

	if (strcmp(key, "bad") == 0) {
		*error_r = "this key is bad";
		return -1;
	}
	snprintf(s->text + len, sizeof(s->text) - len, "%s%s=%s;",
	    chosen ? "*" : "", key, value);
	return 0;
}

static void
test_reader(void **state)
{
	struct seen s = { "" };
	const char *err = NULL;

	(void)state;
	write_config("# accounts\n\n[work]\n  host = imap.example.org \n"
	    "port=993\r\n[home]\n\thost = h\n password-cmd = pass show x = y\n"
	    "   # indented comment\n", 0600);
	assert_int_equal(client_config_file_load(path, "home", record_key,
	    &s, &err), 0);
	assert_string_equal(s.text, "host=imap.example.org;port=993;"
	    "*host=h;*password-cmd=pass show x = y;");

	assert_int_equal(client_config_file_load(path, "nope", record_key,
	    &s, &err), -1);
	assert_non_null(strstr(err, "config: no account [nope]"));
}

static void
expect_error(const char *text, mode_t mode, const char *says)
{
	struct seen s = { "" };
	const char *err = NULL;

	write_config(text, mode);
	assert_int_equal(client_config_file_load(path, "a", record_key, &s,
	    &err), -1);
	if (strstr(err, says) == NULL)
		fail_msg("said '%s', not '%s'", err, says);
}

/* The file as it is (expect_error would write it anew). */
static void
expect_error_owned(const char *says)
{
	struct seen s = { "" };
	const char *err = NULL;

	assert_int_equal(client_config_file_load(path, "a", record_key, &s,
	    &err), -1);
	if (strstr(err, says) == NULL)
		fail_msg("said '%s', not '%s'", err, says);
	assert_non_null(strstr(err, "chmod 600"));
}

static void
test_refusals(void **state)
{
	char want[128];

	(void)state;
	expect_error("[a]\npassword = hunter2\n", 0600,
	    "config:2: a password is never taken from the config file: use "
	    "password-cmd");
	expect_error("[a]\nhost = h\nbad = 1\n", 0600,
	    "config:3: this key is bad");
	expect_error("host = h\n[a]\n", 0600, "config:1: 'host' before any");
	expect_error("[a]\nhost h\n", 0600, "config:2: not 'key = value'");
	expect_error("[a\n", 0600, "config:1: '[' without ']'");
	expect_error("[a b]\n", 0600, "config:1: 'a b' is no account name");
	expect_error("[a]\n[a]\n", 0600, "config:2: account [a] again "
	    "(first at line 1)");
	snprintf(want, sizeof(want), "%s: writable by others: refused", path);
	expect_error("[a]\n", 0602, want);
	snprintf(want, sizeof(want), "%s: writable by its group", path);
	expect_error("[a]\n", 0620, want);
	snprintf(want, sizeof(want), "fix: chmod 600 %s", path);
	expect_error("[a]\n", 0666, want);
	/* the folder too */
	write_config("[a]\n", 0600);
	assert_int_equal(chmod(dir, 0777), 0);
	expect_error("[a]\n", 0600, "writable by others");
	assert_int_equal(chmod(dir, 0700), 0);
	/* someone else's file (root can make one) */
	if (getuid() == 0) {
		write_config("[a]\n", 0600);
		assert_int_equal(chown(path, 65534, 65534), 0);
		snprintf(want, sizeof(want), "%s: owned by uid 65534, not by "
		    "you (uid 0): refused", path);
		expect_error_owned(want);
	}
}

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
test_account_options(void **state)
{
	struct cli_options o;
	const char *err;

	(void)state;
	write_config("[other]\nhost = x\n[work]\nhost = imap.example.org\n"
	    "tls = yes\nport = 1993\nauthname = alice\nmech = PLAIN\n"
	    "password-cmd = echo pw\ncompress = no\ntimeout = 5\n"
	    "sasl-option = a=b\n", 0600);
	assert_int_equal(parse(&o, &err, 4, "--config", path, "@work"), 0);
	assert_int_equal(o.action, CLI_ACTION_SESSION);
	assert_string_equal(o.host, "imap.example.org");
	assert_string_equal(o.port, "1993");
	assert_int_equal(o.tls, CLIENT_TLS_IMPLICIT);
	assert_string_equal(o.authname, "alice");
	assert_string_equal(o.mech, "PLAIN");
	assert_string_equal(o.password_cmd, "echo pw");
	assert_false(o.compress);
	assert_int_equal(o.timeout_ms, 5000);
	assert_string_equal(o.sasl_options[0], "a=b");
	assert_string_equal(o.account, "work");

	/* the command line wins, before or after @NAME's options */
	assert_int_equal(parse(&o, &err, 10, "-a", "bob", "--config", path,
	    "--password-file", "/dev/null", "-p", "143", "@work"), 0);
	assert_string_equal(o.authname, "bob");
	assert_string_equal(o.port, "143");
	assert_null(o.password_cmd);
	assert_string_equal(o.password_file, "/dev/null");
	assert_string_equal(o.mech, "PLAIN");
	assert_int_equal(parse(&o, &err, 5, "--plaintext", "--config", path,
	    "@work"), 0);
	assert_int_equal(o.tls, CLIENT_TLS_NONE);
	/* a token on the command line replaces the account's password and
	 * its mechanism (PLAIN would not carry a token) */
	assert_int_equal(parse(&o, &err, 6, "--token-cmd", "echo t",
	    "--config", path, "@work"), 0);
	assert_string_equal(o.token_cmd, "echo t");
	assert_null(o.password_cmd);
	assert_null(o.mech);
	write_config("[work]\nhost = h\npin = sha256/"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 0600);
	assert_int_equal(parse(&o, &err, 5, "--tofu", "--config", path,
	    "@work"), 0);
	assert_true(o.tofu);
	assert_null(o.pin);
	write_config("[work]\nhost = h\ntofu = yes\n", 0600);
	assert_int_equal(parse(&o, &err, 5, "--insecure", "--config", path,
	    "@work"), 0);
	assert_false(o.tofu);
	assert_true(o.insecure);

	/* each key is checked as its option is, with file:line */
	write_config("[work]\nhost = h\nport = 99999\n", 0600);
	assert_int_equal(parse(&o, &err, 4, "--config", path, "@work"), -1);
	assert_non_null(strstr(err, "config:3: option -p: '99999' is not a "
	    "port (1-65535)"));
	write_config("[work]\nhost = h\n[x]\nmax-line = lots\n", 0600);
	assert_int_equal(parse(&o, &err, 4, "--config", path, "@work"), -1);
	assert_non_null(strstr(err, "config:4: option --max-line"));
	write_config("[work]\nhost = h\ntls = maybe\n", 0600);
	assert_int_equal(parse(&o, &err, 4, "--config", path, "@work"), -1);
	assert_non_null(strstr(err, "config:3: tls: 'maybe' is not yes or "
	    "no"));
	write_config("[work]\nhost = h\nfrobnicate = 1\n", 0600);
	assert_int_equal(parse(&o, &err, 4, "--config", path, "@work"), -1);
	assert_non_null(strstr(err, "config:3: unknown key 'frobnicate'"));
	write_config("[work]\nhost = h\nhelp = yes\n", 0600);
	assert_int_equal(parse(&o, &err, 4, "--config", path, "@work"), -1);
	assert_non_null(strstr(err, "unknown key 'help'"));
	write_config("[work]\nport = 1\n", 0600);
	assert_int_equal(parse(&o, &err, 4, "--config", path, "@work"), -1);
	assert_non_null(strstr(err, "account [work] has no 'host = ...'"));
	write_config("[work]\nhost = h\ncafile = /nonexistent/ca.pem\n", 0600);
	assert_int_equal(parse(&o, &err, 4, "--config", path, "@work"), -1);
	assert_non_null(strstr(err, "--cafile /nonexistent/ca.pem"));

	assert_int_equal(parse(&o, &err, 2, "@"), -1);
	assert_non_null(strstr(err, "@NAME"));
	assert_int_equal(parse(&o, &err, 4, "--config", path, "host"), -1);
	assert_non_null(strstr(err, "give @NAME"));
}

static void
test_url_options(void **state)
{
	struct cli_options o;
	const char *err;

	(void)state;
	assert_int_equal(parse(&o, &err, 2, "imaps://al%69ce;AUTH=PLAIN@"
	    "127.0.0.1:10993/INBOX;UIDVALIDITY=9/;UID=3"), 0);
	assert_string_equal(o.host, "127.0.0.1");
	assert_string_equal(o.port, "10993");
	assert_int_equal(o.tls, CLIENT_TLS_IMPLICIT);
	assert_string_equal(o.authname, "alice");
	assert_string_equal(o.mech, "PLAIN");
	assert_string_equal(o.open_mailbox, "INBOX");
	assert_int_equal(o.open_uidvalidity, 9);
	assert_int_equal(o.open_uid, 3);
	/* options override the URL; imap:// is STARTTLS */
	assert_int_equal(parse(&o, &err, 6, "imap://alice@h/INBOX", "-a",
	    "bob", "-m", "login"), -1); /* options come first */
	assert_int_equal(parse(&o, &err, 6, "-a", "bob", "-m", "login",
	    "imap://alice@h/INBOX"), 0);
	assert_string_equal(o.authname, "bob");
	assert_string_equal(o.mech, "login");
	assert_int_equal(o.tls, CLIENT_TLS_STARTTLS);
	/* a job takes the URL's mailbox, UIDVALIDITY and UID */
	assert_int_equal(parse(&o, &err, 5, "--save", "-o", "/tmp/x",
	    "imap://h/Sent;UIDVALIDITY=77/;UID=5"), 0);
	assert_int_equal(o.mailbox_count, 1);
	assert_string_equal(o.mailboxes[0], "Sent");
	assert_int_equal(o.uidvalidity, 77);
	assert_int_equal(o.uid, 5);
	assert_int_equal(parse(&o, &err, 2, "imap://h:70000/"), -1);
	assert_non_null(strstr(err, "bad IMAP URL: the port is larger"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_account_options),
		cmocka_unit_test(test_url_options),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
