/* Unit tests for decode-quota: RFC 9208's examples and replies recorded
 * from Dovecot and Cyrus (RFC 9208's STATUS and OVERQUOTA examples are in
 * test-decode-mailbox and test-decode-code). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode-quota.h"
#include "parse-response.h"

static void
assert_resource(const struct quota_response *q, size_t i, const char *name,
    uint64_t usage, uint64_t limit)
{
	assert_true(i < q->count);
	assert_string_equal(q->resources[i].name, name);
	assert_true(q->resources[i].usage == usage);
	assert_true(q->resources[i].limit == limit);
}

/* The QUOTA and QUOTAROOT responses of RFC 9208, byte for byte. */
static void
test_rfc9208_examples(void **state)
{
	struct quota_response q;
	struct quota_roots roots;
	const char *err;

	(void)state;
	/* 4.1.1 (GETQUOTA), and 4.1.3 where SETQUOTA cannot change it */
	assert_true(decode_quota(test_parse_response("* QUOTA "
	    "\"!partition/sda4\" (STORAGE 104 10923847)\r\n"), &q, &err));
	assert_string_equal(q.root, "!partition/sda4");
	assert_int_equal(q.count, 1);
	assert_resource(&q, 0, "STORAGE", 104, 10923847);
	quota_response_free(&q);
	/* 4.1.2 (GETQUOTAROOT): two roots, then one QUOTA for each */
	assert_true(decode_quotaroot(test_parse_response("* QUOTAROOT INBOX "
	    "\"#user/alice\" \"!partition/sda4\"\r\n"), &roots, &err));
	assert_string_equal(roots.mailbox, "INBOX");
	assert_int_equal(roots.count, 2);
	assert_string_equal(roots.roots[0], "#user/alice");
	assert_string_equal(roots.roots[1], "!partition/sda4");
	quota_roots_free(&roots);
	assert_true(decode_quota(test_parse_response("* QUOTA \"#user/alice\" "
	    "(MESSAGE 42 1000)\r\n"), &q, &err));
	assert_string_equal(q.root, "#user/alice");
	assert_int_equal(q.count, 1);
	assert_resource(&q, 0, "MESSAGE", 42, 1000);
	quota_response_free(&q);
	/* 4.1.3 (SETQUOTA): before, and after the server rounded 510 up */
	assert_true(decode_quota(test_parse_response("* QUOTA \"#user/alice\" "
	    "(STORAGE 54 111 MESSAGE 42 1000)\r\n"), &q, &err));
	assert_int_equal(q.count, 2);
	assert_resource(&q, 0, "STORAGE", 54, 111);
	assert_resource(&q, 1, "MESSAGE", 42, 1000);
	quota_response_free(&q);
	assert_true(decode_quota(test_parse_response("* QUOTA \"#user/alice\" "
	    "(STORAGE 58 512)\r\n"), &q, &err));
	assert_int_equal(q.count, 1);
	assert_resource(&q, 0, "STORAGE", 58, 512);
	quota_response_free(&q);
	/* 4.2.1 (QUOTA response) */
	assert_true(decode_quota(test_parse_response("* QUOTA \"\" (STORAGE 10 "
	    "512)\r\n"), &q, &err));
	assert_string_equal(q.root, "");
	assert_int_equal(q.count, 1);
	assert_resource(&q, 0, "STORAGE", 10, 512);
	quota_response_free(&q);
	/* 4.2.2 (QUOTAROOT response): one root named "", and none */
	assert_true(decode_quotaroot(test_parse_response("* QUOTAROOT INBOX "
	    "\"\"\r\n"), &roots, &err));
	assert_string_equal(roots.mailbox, "INBOX");
	assert_int_equal(roots.count, 1);
	assert_string_equal(roots.roots[0], "");
	quota_roots_free(&roots);
	assert_true(decode_quotaroot(test_parse_response("* QUOTAROOT "
	    "comp.mail.mime\r\n"), &roots, &err));
	assert_string_equal(roots.mailbox, "comp.mail.mime");
	assert_int_equal(roots.count, 0);
	quota_roots_free(&roots);
}

static void
test_recorded_replies(void **state)
{
	struct quota_response q;
	struct quota_roots roots;
	const char *err;

	assert_true(decode_quotaroot(test_parse_response("* QUOTAROOT INBOX \"User quota\""
					   "\r\n"),
	    &roots, &err));
	assert_string_equal(roots.roots[0], "User quota");
	quota_roots_free(&roots);
	assert_true(decode_quota(test_parse_response("* QUOTA \"User quota\" (STORAGE 36275 "
				       "1048576 MESSAGE 52 50000)\r\n"),
	    &q, &err));
	assert_string_equal(q.root, "User quota");
	assert_int_equal(q.count, 2);
	assert_string_equal(q.resources[1].name, "MESSAGE");
	assert_true(q.resources[0].usage == 36275);
	assert_true(q.resources[0].limit == 1048576);
	assert_true(q.resources[1].usage == 52 && q.resources[1].limit == 50000);
	quota_response_free(&q);
	/* Cyrus: the root is the user's INBOX */
	assert_true(decode_quota(test_parse_response("* QUOTA INBOX (STORAGE 0 51200)\r\n"),
	    &q, &err));
	assert_string_equal(q.root, "INBOX");
	quota_response_free(&q);
	/* not recorded: numbers beyond 32 bits are fine (RFC 9208 uses
	 * number64) */
	assert_true(decode_quota(test_parse_response("* QUOTA r (STORAGE 5000000000 "
				       "9000000000)\r\n"),
	    &q, &err));
	assert_true(q.resources[0].usage == 5000000000ULL);
	quota_response_free(&q);
}

static void
test_malformed(void **state)
{
	struct quota_response q;
	struct quota_roots roots;
	const char *err;

	assert_false(decode_quota(test_parse_response("* QUOTA r (STORAGE 1)\r\n"), &q, &err));
	assert_string_equal(err, "QUOTA: a resource without its usage and "
				 "limit");
	assert_false(decode_quota(test_parse_response("* QUOTA r (STORAGE x 1)\r\n"), &q,
	    &err));
	assert_false(decode_quota(test_parse_response("* QUOTA r STORAGE 1 2\r\n"), &q, &err));
	assert_false(decode_quota(test_parse_response("* QUOTAROOT INBOX\r\n"), &q, &err));
	assert_false(decode_quotaroot(test_parse_response("* QUOTAROOT (x)\r\n"), &roots,
	    &err));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9208_examples),
		cmocka_unit_test(test_recorded_replies),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests_name("decode-quota", tests, NULL,
	    test_parse_cleanup);
}
