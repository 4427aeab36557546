/* Unit tests for client-url: RFC 5092 URLs, and hostile ones refused. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client-url.h"
#include "util-mem.h"

static void
test_full_url(void **state)
{
	struct client_url u;
	const char *err = NULL;

	(void)state;
	assert_int_equal(client_url_parse("imap://alice;AUTH=PLAIN@mail."
	    "example.org:1143/Sent%20Items;UIDVALIDITY=385759045/;UID=20",
	    &u, &err), 0);
	assert_false(u.implicit_tls);
	assert_string_equal(u.user, "alice");
	assert_string_equal(u.auth, "PLAIN");
	assert_string_equal(u.host, "mail.example.org");
	assert_string_equal(u.port, "1143");
	assert_string_equal(u.mailbox, "Sent Items");
	assert_int_equal(u.uidvalidity, 385759045);
	assert_int_equal(u.uid, 20);
	client_url_free(&u);
	assert_null(u.host);
}

static void
test_minimal_and_parts(void **state)
{
	struct client_url u;
	const char *err = NULL;

	(void)state;
	assert_int_equal(client_url_parse("IMAPS://host", &u, &err), 0);
	assert_true(u.implicit_tls);
	assert_string_equal(u.host, "host");
	assert_null(u.user);
	assert_null(u.port);
	assert_null(u.mailbox);
	assert_int_equal(u.uid, 0);
	client_url_free(&u);

	assert_int_equal(client_url_parse("imap://host/", &u, &err), 0);
	assert_null(u.mailbox);
	client_url_free(&u);

	/* the user percent-decoded ("@" must be encoded), AUTH=* is any */
	assert_int_equal(client_url_parse("imap://bob%40example.org;auth=*@"
	    "[::1]:993/INBOX/;UID=7", &u, &err), 0);
	assert_string_equal(u.user, "bob@example.org");
	assert_null(u.auth);
	assert_string_equal(u.host, "::1");
	assert_string_equal(u.port, "993");
	assert_string_equal(u.mailbox, "INBOX");
	assert_int_equal(u.uid, 7);
	assert_int_equal(u.uidvalidity, 0);
	client_url_free(&u);

	/* a hierarchy, UTF-8 and ':' '@' '&' in the mailbox */
	assert_int_equal(client_url_parse("imap://h/a/b%C3%A9/x:y@z&w", &u,
	    &err), 0);
	assert_string_equal(u.mailbox, "a/b\xc3\xa9/x:y@z&w");
	client_url_free(&u);

	/* a port's leading zeros; ;AUTH= alone */
	assert_int_equal(client_url_parse("imap://;AUTH=SCRAM-SHA-256@h:0143",
	    &u, &err), 0);
	assert_null(u.user);
	assert_string_equal(u.auth, "SCRAM-SHA-256");
	assert_string_equal(u.port, "143");
	client_url_free(&u);

	assert_true(client_url_is_url("imaps://x"));
	assert_true(client_url_is_url("IMAP://x"));
	assert_false(client_url_is_url("imap:/x"));
	assert_false(client_url_is_url("example.org"));
}

/* Each must be refused with a message holding the given words. */
static const struct {
	const char *url;
	const char *says;
} bad_urls[] = {
	{ "http://h/", "starts with imap://" },
	{ "imap://", "no host" },
	{ "imap:///INBOX", "no host" },
	{ "imap://@h/", "empty user" },
	{ "imap://a%4@h/", "bad percent escape" },
	{ "imap://a%zz@h/", "bad percent escape" },
	{ "imap://h/INBOX%", "bad percent escape" },
	{ "imap://h/INBOX%2", "bad percent escape" },
	{ "imap://a%00b@h/", "control character (%00)" },
	{ "imap://h/IN%00BOX", "control character (%00)" },
	{ "imap://h/IN%0D%0ABOX", "control character (%0D)" },
	{ "imap://a%0Ab@h/", "control character (%0A)" },
	{ "imap://h/IN\r\nBOX", "control or 8-bit byte (0x0D)" },
	{ "imap://h/IN BOX", "(0x20)" },
	{ "imap://h/IN\xc3\xa9", "(0xC3)" },
	{ "imap://h/%C3", "not UTF-8" },
	{ "imap://h/%FF%FE", "not UTF-8" },
	{ "imap://h:65536/", "larger than 65535" },
	{ "imap://h:99999999999999999999999/", "larger than 65535" },
	{ "imap://h:0/", "port 0" },
	{ "imap://h:/", "empty port" },
	{ "imap://h:14x3/", "only digits" },
	{ "imap://h/INBOX/;UID=4294967296", "larger than 4294967295" },
	{ "imap://h/INBOX/;UID=99999999999999999999999999", "larger than" },
	{ "imap://h/INBOX/;UID=0", "not a number" },
	{ "imap://h/INBOX/;UID=007", "not a number" },
	{ "imap://h/INBOX/;UID=", "not a number" },
	{ "imap://h/INBOX/;UID=-1", "not a number" },
	{ "imap://h/INBOX;UIDVALIDITY=4294967296", "larger than" },
	{ "imap://h/INBOX;UIDVALIDITY=x", "not a number" },
	{ "imap://h/INBOX/;UID=5x", "after the UID" },
	{ "imap://h/INBOX/;UID=5/;SECTION=1", "SECTION' (position" },
	{ "imap://h/INBOX/;UID=5/;PARTIAL=0.10", "PARTIAL' (position" },
	{ "imap://h/INBOX;EXPIRE=2030-01-01T00:00:00Z", "EXPIRE'" },
	{ "imap://h/INBOX;FOO=1", "unknown ';' parameter" },
	{ "imap://h/INBOX?SUBJECT%20x", "search" },
	{ "imap://h?x", "search" },
	{ "imap://h/INBOX#frag", "fragment" },
	{ "imap://h//;UID=5", "need a mailbox" },
	{ "imap://h/;UIDVALIDITY=5", "need a mailbox" },
	{ "imap://[::1/", "without ']'" },
	{ "imap://[zz::1]/", "not an IPv6 address" },
	{ "imap://[::1]x/", "only ':' and a port" },
	{ "imap://h%41/", "the host has '%'" },
	{ "imap://a@b@h/", "user has '@'" },
	{ "imap://a;x=1@h/", "only ;AUTH=" },
	{ "imap://a;AUTH=@h/", "empty ;AUTH=" },
	{ "imap://a;AUTH=A%20B@h/", "not a SASL mechanism" },
	{ "imap://h/a\"b", "percent-encode it (%22)" },
	{ "imap://h/a{3}", "percent-encode it (%7B)" },
};

static void
test_refused(void **state)
{
	struct client_url u;
	const char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_urls) / sizeof(bad_urls[0]); i++) {
		err = NULL;
		if (client_url_parse(bad_urls[i].url, &u, &err) != -1)
			fail_msg("accepted: %s", bad_urls[i].url);
		assert_non_null(err);
		if (strstr(err, bad_urls[i].says) == NULL)
			fail_msg("%s: said '%s', not '%s'", bad_urls[i].url,
			    err, bad_urls[i].says);
		assert_null(u.host);
		assert_null(u.user);
		assert_null(u.mailbox);
	}
}

static void
test_too_long(void **state)
{
	struct client_url u;
	const char *err = NULL;
	size_t n = CLIENT_URL_MAX + 100;
	char *url = xmalloc(n + 1);

	(void)state;
	memcpy(url, "imap://h/", 9);
	memset(url + 9, 'a', n - 9);
	url[n] = '\0';
	assert_int_equal(client_url_parse(url, &u, &err), -1);
	assert_non_null(strstr(err, "longer than"));
	/* at the limit it is taken */
	url[CLIENT_URL_MAX] = '\0';
	assert_int_equal(client_url_parse(url, &u, &err), 0);
	assert_int_equal(strlen(u.mailbox), CLIENT_URL_MAX - 9);
	client_url_free(&u);
	free(url);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_url),
		cmocka_unit_test(test_minimal_and_parts),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
