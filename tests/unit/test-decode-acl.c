/* Unit tests for decode-acl: RFC 4314's examples and replies recorded
 * from Dovecot and Cyrus. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode-acl.h"
#include "parse-response.h"

static void
test_rfc4314_acl_example(void **state)
{
	struct acl_response acl;
	const char *err;

	/* RFC 4314 3.3 */
	assert_true(decode_acl(test_parse_response("* ACL INBOX Fred rwipslxetad -Fred "
				     "wetd $team w\r\n"),
	    &acl, &err));
	assert_string_equal(acl.mailbox, "INBOX");
	assert_int_equal(acl.count, 3);
	assert_string_equal(acl.entries[0].identifier, "Fred");
	assert_string_equal(acl.entries[0].rights, "rwipslxetad");
	assert_false(acl.entries[0].negative);
	assert_string_equal(acl.entries[1].identifier, "-Fred");
	assert_true(acl.entries[1].negative);
	assert_string_equal(acl.entries[1].rights, "wetd");
	assert_string_equal(acl.entries[2].identifier, "$team");
	acl_response_free(&acl);
}

static void
test_recorded_acl_replies(void **state)
{
	struct acl_response acl;
	const char *err;

	/* Dovecot quotes identifiers and rights */
	assert_true(decode_acl(test_parse_response("* ACL Projekte \"bob\" \"lr\" \"alice\" "
				     "\"lrwstipekxacd\"\r\n"),
	    &acl, &err));
	assert_string_equal(acl.mailbox, "Projekte");
	assert_int_equal(acl.count, 2);
	assert_string_equal(acl.entries[0].identifier, "bob");
	assert_string_equal(acl.entries[0].rights, "lr");
	acl_response_free(&acl);
	/* Cyrus: atoms, and an empty ACL is just the mailbox */
	assert_true(decode_acl(test_parse_response("* ACL INBOX.Projekte alice "
				     "lrswipkxtecdan bob lr\r\n"),
	    &acl, &err));
	assert_string_equal(acl.entries[1].identifier, "bob");
	acl_response_free(&acl);
	assert_true(decode_acl(test_parse_response("* ACL INBOX\r\n"), &acl, &err));
	assert_int_equal(acl.count, 0);
	acl_response_free(&acl);
}

static void
test_malformed_acl(void **state)
{
	struct acl_response acl;
	const char *err;

	assert_false(decode_acl(test_parse_response("* ACL INBOX Fred\r\n"), &acl, &err));
	assert_string_equal(err, "ACL: an identifier without rights");
	assert_false(decode_acl(test_parse_response("* ACL INBOX (Fred) lr\r\n"), &acl,
	    &err));
	assert_string_equal(err, "ACL: an identifier is not a string");
	assert_false(decode_acl(test_parse_response("* MYRIGHTS INBOX lr\r\n"), &acl, &err));
	assert_false(decode_acl(test_parse_response("* ACL\r\n"), &acl, &err));
}

static void
test_myrights_and_listrights(void **state)
{
	struct acl_myrights my;
	struct acl_listrights lr;
	const char *err;

	/* RFC 4314 3.5 and 3.4 */
	assert_true(decode_myrights(test_parse_response("* MYRIGHTS INBOX rwiptsldaex\r\n"),
	    &my, &err));
	assert_string_equal(my.mailbox, "INBOX");
	assert_string_equal(my.rights, "rwiptsldaex");
	assert_true(decode_listrights(test_parse_response("* LISTRIGHTS ~/Mail/saved smith "
					    "la r swicdkxte\r\n"),
	    &lr, &err));
	assert_string_equal(lr.mailbox, "~/Mail/saved");
	assert_string_equal(lr.identifier, "smith");
	assert_string_equal(lr.required, "la");
	assert_int_equal(lr.optional_count, 2);
	assert_string_equal(lr.optional[0], "r");
	assert_string_equal(lr.optional[1], "swicdkxte");
	acl_listrights_free(&lr);
	/* Dovecot: required rights as "" */
	assert_true(decode_listrights(test_parse_response("* LISTRIGHTS INBOX bob \"\" l r w "
					    "s t p i e k x a c d\r\n"),
	    &lr, &err));
	assert_string_equal(lr.required, "");
	assert_int_equal(lr.optional_count, 13);
	acl_listrights_free(&lr);
	assert_false(decode_myrights(test_parse_response("* MYRIGHTS INBOX\r\n"), &my, &err));
}

static void
test_every_right_is_explained(void **state)
{
	const char *letters = "lrswipkxteacd";
	size_t i;

	for (i = 0; letters[i] != '\0'; i++) {
		const struct acl_right *r = acl_right_lookup(letters[i]);

		assert_non_null(r);
		assert_int_equal(r->letter, letters[i]);
		assert_true(strlen(r->meaning) > 10);
	}
	assert_string_equal(acl_right_lookup('l')->name, "lookup");
	assert_string_equal(acl_right_lookup('t')->name, "delete-messages");
	assert_string_equal(acl_right_lookup('d')->rfc, "RFC 2086");
	assert_null(acl_right_lookup('z'));
	assert_null(acl_right_lookup('n')); /* Cyrus's own, no RFC */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4314_acl_example),
		cmocka_unit_test(test_recorded_acl_replies),
		cmocka_unit_test(test_malformed_acl),
		cmocka_unit_test(test_myrights_and_listrights),
		cmocka_unit_test(test_every_right_is_explained),
	};

	return cmocka_run_group_tests_name("decode-acl", tests, NULL,
	    test_parse_cleanup);
}
