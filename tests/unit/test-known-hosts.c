/* Unit tests for client-known-hosts: names, lookups, hostile files, and
 * adding a line atomically with safe modes. */
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

#include "client-known-hosts.h"
#include "util-mem.h"

#define PIN_A "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
#define PIN_B "sha256/n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test-known-hosts.XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);

	(void)state;
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static char *
write_file(const char *name, const char *text, mode_t mode)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static char *
read_all(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return xstrdup(buf);
}

static void
test_names(void **state)
{
	char *n;

	(void)state;
	n = known_hosts_name("IMAP.Example.ORG", "993");
	assert_string_equal(n, "imap.example.org:993");
	free(n);
	n = known_hosts_name("::1", "143");
	assert_string_equal(n, "[::1]:143");
	free(n);
}

static void
test_default_path(void **state)
{
	const char *err = NULL;
	char *p;

	(void)state;
	setenv("XDG_DATA_HOME", "/x/data", 1);
	p = known_hosts_default_path(&err);
	assert_string_equal(p, "/x/data/imapwb/known_hosts");
	free(p);
	/* a relative XDG_DATA_HOME is ignored, as the spec says */
	setenv("XDG_DATA_HOME", "rel", 1);
	setenv("HOME", "/home/u", 1);
	p = known_hosts_default_path(&err);
	assert_string_equal(p, "/home/u/.local/share/imapwb/known_hosts");
	free(p);
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	assert_null(known_hosts_default_path(&err));
	assert_non_null(strstr(err, "HOME"));
}

static void
test_lookup(void **state)
{
	char *path = write_file("kh", "# a comment\n\n  # indented\n"
	    "mail.example.org:993 " PIN_A "\r\n"
	    "[::1]:143\t" PIN_B "  \n"
	    "127.0.0.1:10993 " PIN_B, 0600);
	const char *err = NULL;
	char *pin = NULL;
	unsigned line = 0;

	(void)state;
	assert_int_equal(known_hosts_lookup(path, "mail.example.org:993", &pin,
	    &line, &err), 1);
	assert_string_equal(pin, PIN_A);
	assert_int_equal(line, 4);
	free(pin);
	assert_int_equal(known_hosts_lookup(path, "[::1]:143", &pin, &line,
	    &err), 1);
	assert_string_equal(pin, PIN_B);
	assert_int_equal(line, 5);
	free(pin);
	/* the last line needs no newline */
	assert_int_equal(known_hosts_lookup(path, "127.0.0.1:10993", &pin,
	    &line, &err), 1);
	assert_int_equal(line, 6);
	free(pin);
	/* same host, another port: another server */
	assert_int_equal(known_hosts_lookup(path, "mail.example.org:143", &pin,
	    &line, &err), 0);
	assert_null(pin);
	free(path);
	path = xasprintf("%s/missing", dir);
	assert_int_equal(known_hosts_lookup(path, "a:1", &pin, &line, &err), 0);
	free(path);
}

/* Each hostile file is an error naming file:line, never a partial read. */
static void
test_corrupt(void **state)
{
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
		{ "a:1 " PIN_A "\nnonsense\n", "kh:2: not a known_hosts line" },
		{ "a:1\n", "kh:1: not a known_hosts line" },
		{ "a " PIN_A "\n", "kh:1: not a known_hosts line" },
		{ "a:0 " PIN_A "\n", "kh:1: not a known_hosts line" },
		{ "a:65536 " PIN_A "\n", "kh:1: not a known_hosts line" },
		{ "a:1 sha256/short=\n", "kh:1: not a known_hosts line" },
		{ "a:1 " PIN_A " extra\n", "kh:1: not a known_hosts line" },
		{ "a b:1 " PIN_A "\n", "kh:1: not a known_hosts line" },
		{ "[zz]:1 " PIN_A "\n", "kh:1: not a known_hosts line" },
		{ "\x1b[31m:1 " PIN_A "\n", "kh:1: not a known_hosts line" },
		{ "a:1 " PIN_A "\n#\na:1 " PIN_B "\n",
		    "kh:3: a second line for a:1 (the first is line 1)" },
		{ "a:1 " PIN_A "\0\n", "holds a NUL byte" },
	};
	const char *err = NULL;
	char *path, *pin = NULL;
	unsigned line, i;
	FILE *f;

	(void)state;
	path = xasprintf("%s/kh", dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = fopen(path, "w");
		assert_non_null(f);
		/* the NUL case: write through the NUL */
		fwrite(cases[i].text, 1, strlen(cases[i].text) +
		    (strstr(cases[i].error, "NUL") != NULL ? 2 : 0), f);
		fclose(f);
		chmod(path, 0600);
		err = NULL;
		assert_int_equal(known_hosts_lookup(path, "a:1", &pin, &line,
		    &err), -1);
		assert_null(pin);
		assert_non_null(err);
		if (strstr(err, cases[i].error) == NULL)
			fail_msg("case %u: '%s' lacks '%s'", i, err,
			    cases[i].error);
		/* and nothing is added to it */
		assert_int_equal(known_hosts_add(path, "b:2", PIN_A, &err), -1);
	}
	/* a line far too long */
	{
		char *big = xmalloc(3000);

		memset(big, 'a', 2999);
		big[2999] = '\0';
		free(write_file("kh", big, 0600));
		free(big);
		assert_int_equal(known_hosts_lookup(path, "a:1", &pin, &line,
		    &err), -1);
		assert_non_null(strstr(err, "kh:1: line longer than"));
	}
	free(path);
}

static void
test_unsafe_modes(void **state)
{
	char *path = write_file("kh", "a:1 " PIN_A "\n", 0620);
	const char *err = NULL;
	char *pin = NULL;
	unsigned line;

	(void)state;
	assert_int_equal(known_hosts_lookup(path, "a:1", &pin, &line, &err),
	    -1);
	assert_non_null(strstr(err, "others may write it (mode 620)"));
	chmod(path, 0602);
	assert_int_equal(known_hosts_lookup(path, "a:1", &pin, &line, &err),
	    -1);
	chmod(path, 0644);
	assert_int_equal(known_hosts_lookup(path, "a:1", &pin, &line, &err), 1);
	free(pin);
	free(path);
}

static void
test_add(void **state)
{
	char *path = xasprintf("%s/data/imapwb/known_hosts", dir);
	char *folder = xasprintf("%s/data/imapwb", dir);
	const char *err = NULL;
	char *text, *pin = NULL;
	unsigned line;
	struct stat st;

	(void)state;
	assert_int_equal(known_hosts_add(path, "a:1", PIN_A, &err), 0);
	assert_int_equal(stat(folder, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = read_all(path);
	assert_string_equal(text, "a:1 " PIN_A "\n");
	free(text);
	assert_int_equal(known_hosts_add(path, "[::1]:2", PIN_B, &err), 0);
	text = read_all(path);
	assert_string_equal(text, "a:1 " PIN_A "\n[::1]:2 " PIN_B "\n");
	free(text);
	/* a server already there is not added twice */
	assert_int_equal(known_hosts_add(path, "a:1", PIN_B, &err), -1);
	assert_non_null(strstr(err, "known_hosts:1: already holds a:1"));
	assert_int_equal(known_hosts_lookup(path, "[::1]:2", &pin, &line,
	    &err), 1);
	assert_string_equal(pin, PIN_B);
	assert_int_equal(line, 2);
	free(pin);
	/* a file without a final newline gets one before the new line */
	free(write_file("data/imapwb/known_hosts", "# mine", 0600));
	assert_int_equal(known_hosts_add(path, "c:3", PIN_A, &err), 0);
	text = read_all(path);
	assert_string_equal(text, "# mine\nc:3 " PIN_A "\n");
	free(text);
	/* a bad pin is never written */
	assert_int_equal(known_hosts_add(path, "d:4", "sha256/x", &err), -1);
	free(folder);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_modes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_add, setup, teardown),
	};

	return cmocka_run_group_tests_name("known-hosts", tests, NULL, NULL);
}
