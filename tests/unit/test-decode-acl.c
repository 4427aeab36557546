/* Unit tests for decode-acl: the ACL, MYRIGHTS and LISTRIGHTS responses
 * of RFC 4314's examples, and replies recorded from Dovecot and Cyrus. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode-acl.h"
#include "parse-response.h"

static void
assert_entry(const struct acl_response *acl, size_t i, const char *id,
    bool negative, const char *rights)
{
	assert_true(i < acl->count);
	assert_string_equal(acl->entries[i].identifier, id);
	assert_int_equal(acl->entries[i].negative, negative);
	assert_string_equal(acl->entries[i].rights, rights);
}

/* The ACL responses of RFC 4314 3.1 to 3.3, byte for byte. */
static void
test_rfc4314_acl_examples(void **state)
{
	struct acl_response acl;
	const char *err;

	(void)state;
	/* 3.1 (SETACL), before and after "SETACL INBOX/Drafts Chris +cda" */
	assert_true(decode_acl(test_parse_response("* ACL INBOX/Drafts Fred "
	    "rwipslxetad Chris lrswi\r\n"), &acl, &err));
	assert_string_equal(acl.mailbox, "INBOX/Drafts");
	assert_int_equal(acl.count, 2);
	assert_entry(&acl, 0, "Fred", false, "rwipslxetad");
	assert_entry(&acl, 1, "Chris", false, "lrswi");
	acl_response_free(&acl);
	assert_true(decode_acl(test_parse_response("* ACL INBOX/Drafts Fred "
	    "rwipslxetad Chris lrswicdakxet\r\n"), &acl, &err));
	assert_int_equal(acl.count, 2);
	assert_entry(&acl, 1, "Chris", false, "lrswicdakxet");
	acl_response_free(&acl);
	/* 3.2 (DELETEACL): a negative right, and the ACL after "DeleteAcl
	 * INBOX Fred" */
	assert_true(decode_acl(test_parse_response("* ACL INBOX Fred "
	    "rwipslxetad -Fred wetd $team w\r\n"), &acl, &err));
	assert_string_equal(acl.mailbox, "INBOX");
	assert_int_equal(acl.count, 3);
	assert_entry(&acl, 0, "Fred", false, "rwipslxetad");
	assert_entry(&acl, 1, "-Fred", true, "wetd");
	assert_entry(&acl, 2, "$team", false, "w");
	acl_response_free(&acl);
	assert_true(decode_acl(test_parse_response("* ACL INBOX -Fred wetd "
	    "$team w\r\n"), &acl, &err));
	assert_int_equal(acl.count, 2);
	assert_entry(&acl, 0, "-Fred", true, "wetd");
	assert_entry(&acl, 1, "$team", false, "w");
	acl_response_free(&acl);
	/* 3.3 (GETACL) */
	assert_true(decode_acl(test_parse_response("* ACL INBOX Fred "
	    "rwipsldexta\r\n"), &acl, &err));
	assert_string_equal(acl.mailbox, "INBOX");
	assert_int_equal(acl.count, 1);
	assert_entry(&acl, 0, "Fred", false, "rwipsldexta");
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

/* Each optional group of a LISTRIGHTS response, in order. */
static void
assert_optional(const struct acl_listrights *lr, const char *const *want,
    size_t count)
{
	size_t i;

	assert_int_equal(lr->optional_count, count);
	for (i = 0; i < count; i++)
		assert_string_equal(lr->optional[i], want[i]);
}

/* The MYRIGHTS and LISTRIGHTS responses of RFC 4314, byte for byte; a
 * response the RFC breaks over two lines is joined with one SP. */
static void
test_rfc4314_myrights_and_listrights(void **state)
{
	static const char *const smith[] = { "r", "swicdkxte" };
	static const char *const every[] = { "l", "r", "s", "w", "i", "p", "k",
		"x", "t", "e", "c", "d", "a", "0", "1", "2", "3", "4", "5", "6",
		"7", "8", "9" };
	static const char *const tied1[] = { "lr", "s", "w", "i", "p", "k",
		"x", "t", "c", "d" };
	static const char *const tied2[] = { "lr", "s", "w", "i", "p", "k",
		"xte", "c", "d" };
	static const char *const tied3[] = { "lr", "s", "w", "i", "p", "k",
		"c", "x", "te", "d" };
	static const char *const tied4[] = { "lr", "swted", "i", "p", "k",
		"x", "c" };
	static const struct {
		const char *text;
		const char *mailbox;
		const char *rights;
	} myrights[] = {
		/* 3.5 */
		{ "* MYRIGHTS INBOX rwiptsldaex\r\n", "INBOX", "rwiptsldaex" },
		/* 4 (COPY and APPEND), twice */
		{ "* MYRIGHTS TargetMailbox rwis\r\n", "TargetMailbox",
		  "rwis" },
		{ "* MYRIGHTS TargetMailbox rsti\r\n", "TargetMailbox",
		  "rsti" },
		/* 5.1.1 */
		{ "* MYRIGHTS INBOX lrwis\r\n", "INBOX", "lrwis" },
	};
	struct acl_myrights my;
	struct acl_listrights lr;
	const char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(myrights) / sizeof(myrights[0]); i++) {
		assert_true(decode_myrights(test_parse_response(
		    myrights[i].text), &my, &err));
		assert_string_equal(my.mailbox, myrights[i].mailbox);
		assert_string_equal(my.rights, myrights[i].rights);
	}
	/* 3.4 */
	assert_true(decode_listrights(test_parse_response("* LISTRIGHTS "
	    "~/Mail/saved smith la r swicdkxte\r\n"), &lr, &err));
	assert_string_equal(lr.mailbox, "~/Mail/saved");
	assert_string_equal(lr.identifier, "smith");
	assert_string_equal(lr.required, "la");
	assert_optional(&lr, smith, 2);
	acl_listrights_free(&lr);
	/* 3.4: the RFC's response names "archive.imap" for the command's
	 * archive/imap; it is decoded as sent. The digits are numbers to
	 * the parser and still read as rights. */
	assert_true(decode_listrights(test_parse_response("* LISTRIGHTS "
	    "archive.imap anyone \"\" l r s w i p k x t e c d a 0 1 2 3 4 5 "
	    "6 7 8 9\r\n"), &lr, &err));
	assert_string_equal(lr.mailbox, "archive.imap");
	assert_string_equal(lr.identifier, "anyone");
	assert_string_equal(lr.required, "");
	assert_optional(&lr, every, 23);
	acl_listrights_free(&lr);
	/* 2.1.1: four ways a server may tie rights */
	assert_true(decode_listrights(test_parse_response("* LISTRIGHTS "
	    "archive/imap anyone \"\" lr s w i p k x t c d\r\n"), &lr,
	    &err));
	assert_string_equal(lr.mailbox, "archive/imap");
	assert_string_equal(lr.required, "");
	assert_optional(&lr, tied1, 10);
	acl_listrights_free(&lr);
	assert_true(decode_listrights(test_parse_response("* LISTRIGHTS "
	    "archive/imap anyone \"\" lr s w i p k xte c d\r\n"), &lr,
	    &err));
	assert_optional(&lr, tied2, 9);
	acl_listrights_free(&lr);
	assert_true(decode_listrights(test_parse_response("* LISTRIGHTS "
	    "archive/imap anyone \"\" lr s w i p k c x te d\r\n"), &lr,
	    &err));
	assert_optional(&lr, tied3, 10);
	acl_listrights_free(&lr);
	assert_true(decode_listrights(test_parse_response("* LISTRIGHTS "
	    "archive/imap anyone \"\" lr swted i p k x c\r\n"), &lr, &err));
	assert_optional(&lr, tied4, 7);
	acl_listrights_free(&lr);
}

static void
test_recorded_myrights_and_listrights(void **state)
{
	struct acl_myrights my;
	struct acl_listrights lr;
	const char *err;

	(void)state;
	/* Dovecot: required rights as "" */
	assert_true(decode_listrights(test_parse_response("* LISTRIGHTS INBOX "
	    "bob \"\" l r w s t p i e k x a c d\r\n"), &lr, &err));
	assert_string_equal(lr.required, "");
	assert_int_equal(lr.optional_count, 13);
	acl_listrights_free(&lr);
	assert_false(decode_myrights(test_parse_response(
	    "* MYRIGHTS INBOX\r\n"), &my, &err));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4314_acl_examples),
		cmocka_unit_test(test_recorded_acl_replies),
		cmocka_unit_test(test_malformed_acl),
		cmocka_unit_test(test_rfc4314_myrights_and_listrights),
		cmocka_unit_test(test_recorded_myrights_and_listrights),
	};

	return cmocka_run_group_tests_name("decode-acl", tests, NULL,
	    test_parse_cleanup);
}
