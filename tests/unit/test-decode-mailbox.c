/* Unit tests for decode-mailbox: examples from RFC 9051, 5258 and 6154,
 * and replies recorded from Dovecot and Cyrus. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode-mailbox.h"
#include "parse-response.h"

static void
test_list_basics(void **state)
{
	struct list_response l;
	const char *err;

	/* RFC 9051 7.3.1 */
	assert_true(decode_list(test_parse_response("* LIST (\\Noselect) \"/\" ~/Mail/foo"
				      "\r\n"),
	    &l, &err));
	assert_string_equal(l.name, "~/Mail/foo");
	assert_int_equal(l.delimiter, '/');
	assert_int_equal(l.attrs, LIST_ATTR_NOSELECT);
	assert_null(l.special_use);
	assert_false(l.lsub);
	list_response_free(&l);
	/* a NIL delimiter: a flat namespace */
	assert_true(decode_list(test_parse_response("* LIST (\\Noselect) NIL \"\"\r\n"), &l,
	    &err));
	assert_int_equal(l.delimiter, '\0');
	assert_string_equal(l.name, "");
	list_response_free(&l);
	assert_true(decode_list(test_parse_response("* LSUB () \".\" #news.comp.mail.misc"
				      "\r\n"),
	    &l, &err));
	assert_true(l.lsub);
	assert_int_equal(l.attribute_count, 0);
	list_response_free(&l);
}

static void
test_list_extended_and_special_use(void **state)
{
	struct list_response l;
	const char *err;

	/* RFC 5258 5 */
	assert_true(decode_list(test_parse_response("* LIST () \"/\" \"Foo\" (\"CHILDINFO\" "
				      "(\"SUBSCRIBED\"))\r\n"),
	    &l, &err));
	assert_true(l.childinfo_subscribed);
	list_response_free(&l);
	assert_true(decode_list(test_parse_response("* LIST (\\Subscribed \\NonExistent) "
				      "\"/\" \"Fruit/Peach\"\r\n"),
	    &l, &err));
	assert_int_equal(l.attrs, LIST_ATTR_SUBSCRIBED | LIST_ATTR_NONEXISTENT);
	list_response_free(&l);
	/* RFC 6154 5.1 */
	assert_true(decode_list(test_parse_response("* LIST (\\Sent \\HasNoChildren) \"/\" "
				      "\"Sent Mail\"\r\n"),
	    &l, &err));
	assert_string_equal(l.special_use, "\\Sent");
	assert_int_equal(l.attrs, LIST_ATTR_HASNOCHILDREN);
	assert_string_equal(l.name, "Sent Mail");
	list_response_free(&l);
}

static void
test_list_recorded(void **state)
{
	struct list_response l;
	const char *err;

	assert_true(decode_list(test_parse_response("* LIST (\\HasNoChildren \\Marked "
				      "\\Trash) \"/\" Trash\r\n"),
	    &l, &err));
	assert_string_equal(l.special_use, "\\Trash");
	assert_int_equal(l.attrs, LIST_ATTR_HASNOCHILDREN | LIST_ATTR_MARKED);
	assert_int_equal(l.attribute_count, 3);
	assert_string_equal(l.attributes[2], "\\Trash");
	list_response_free(&l);
	assert_true(decode_list(test_parse_response("* LIST (\\HasNoChildren) \".\" "
				      "INBOX.&ZeVnLIqe-\r\n"),
	    &l, &err));
	assert_string_equal(l.name, "INBOX.&ZeVnLIqe-");
	assert_int_equal(l.delimiter, '.');
	list_response_free(&l);
	/* a name sent as a literal */
	assert_true(decode_list(test_parse_response("* LIST () \"/\" {7}\r\nfoo bar\r\n"), &l,
	    &err));
	assert_string_equal(l.name, "foo bar");
	list_response_free(&l);
}

static void
test_list_malformed(void **state)
{
	struct list_response l;
	const char *err;

	assert_false(decode_list(test_parse_response("* LIST \\Noselect \"/\" x\r\n"), &l,
	    &err));
	assert_string_equal(err, "LIST: the attributes are not a list");
	assert_false(decode_list(test_parse_response("* LIST () \"//\" x\r\n"), &l, &err));
	assert_string_equal(err, "LIST: the delimiter is not one character "
				 "or NIL");
	assert_false(decode_list(test_parse_response("* LIST () \"/\" (x)\r\n"), &l, &err));
	assert_false(decode_list(test_parse_response("* LIST () \"/\"\r\n"), &l, &err));
	assert_false(decode_list(test_parse_response("* LIST (\"x\") \"/\" a\r\n"), &l,
	    &err));
}

static void
test_status(void **state)
{
	struct status_response st;
	const char *err;

	/* RFC 9051 7.2.4 */
	assert_true(decode_status(test_parse_response("* STATUS blurdybloop (MESSAGES 231 "
					"UIDNEXT 44292)\r\n"),
	    &st, &err));
	assert_string_equal(st.mailbox, "blurdybloop");
	assert_int_equal(st.present,
	    (1u << STATUS_MESSAGES) | (1u << STATUS_UIDNEXT));
	assert_true(st.values[STATUS_MESSAGES] == 231);
	assert_true(st.values[STATUS_UIDNEXT] == 44292);
	/* Dovecot with STATUS=SIZE, DELETED and HIGHESTMODSEQ */
	assert_true(decode_status(test_parse_response("* STATUS \"Entw&APw-rfe\" (MESSAGES 3 "
					"UNSEEN 1 SIZE 214000000 DELETED 0 "
					"HIGHESTMODSEQ 7 X-GUID 5)\r\n"),
	    &st, &err));
	assert_string_equal(st.mailbox, "Entw&APw-rfe");
	assert_true(st.values[STATUS_SIZE] == 214000000);
	assert_true(st.present & (1u << STATUS_DELETED));
	assert_true(st.values[STATUS_HIGHESTMODSEQ] == 7);
	assert_false(st.present & (1u << STATUS_RECENT));
	assert_string_equal(status_item_name(STATUS_SIZE), "SIZE");
	assert_false(decode_status(test_parse_response("* STATUS x (MESSAGES)\r\n"), &st,
	    &err));
	assert_false(decode_status(test_parse_response("* STATUS x (MESSAGES y)\r\n"), &st,
	    &err));
	assert_string_equal(err, "STATUS: an item is not a name and a number");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_basics),
		cmocka_unit_test(test_list_extended_and_special_use),
		cmocka_unit_test(test_list_recorded),
		cmocka_unit_test(test_list_malformed),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests_name("decode-mailbox", tests, NULL,
	    test_parse_cleanup);
}
