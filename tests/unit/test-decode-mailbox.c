/* Unit tests for decode-mailbox: the LIST, LSUB and STATUS examples of
 * RFC 9051, 3501, 5258, 6154, 7162 and 9208, and replies recorded from
 * Dovecot and Cyrus. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode-mailbox.h"
#include "parse-response.h"

/* One LIST or LSUB response and what it must decode to. */
struct list_case {
	const char *text;
	const char *name;
	char delimiter;
	unsigned attrs;
	const char *special_use; /* NULL for none */
	size_t attribute_count;
	bool childinfo_subscribed;
};

static void
check_lists(const struct list_case *cases, size_t n, bool lsub)
{
	struct list_response l;
	const char *err;
	size_t i;

	for (i = 0; i < n; i++) {
		err = NULL;
		if (!decode_list(test_parse_response(cases[i].text), &l, &err))
			fail_msg("%s: %s", cases[i].text, err);
		assert_int_equal(l.lsub, lsub);
		assert_string_equal(l.name, cases[i].name);
		assert_int_equal(l.delimiter, cases[i].delimiter);
		assert_int_equal(l.attrs, cases[i].attrs);
		if (cases[i].special_use == NULL)
			assert_null(l.special_use);
		else
			assert_string_equal(l.special_use,
			    cases[i].special_use);
		assert_int_equal(l.attribute_count, cases[i].attribute_count);
		assert_int_equal(l.childinfo_subscribed,
		    cases[i].childinfo_subscribed);
		list_response_free(&l);
	}
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* RFC 9051's LIST responses, byte for byte; a response the RFC breaks
 * over two lines is joined with one SP. */
static void
test_rfc9051_list(void **state)
{
	static const struct list_case cases[] = {
		/* 7.3.1, and 6.3.9.8's basic examples */
		{ "* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n", "~/Mail/foo", '/',
		  LIST_ATTR_NOSELECT, NULL, 1, false },
		{ "* LIST (\\Noselect) \"/\" \"\"\r\n", "", '/',
		  LIST_ATTR_NOSELECT, NULL, 1, false },
		{ "* LIST (\\Noselect) \".\" #news.\r\n", "#news.", '.',
		  LIST_ATTR_NOSELECT, NULL, 1, false },
		{ "* LIST (\\Noselect) \"/\" /\r\n", "/", '/',
		  LIST_ATTR_NOSELECT, NULL, 1, false },
		{ "* LIST () \"/\" ~/Mail/meetings\r\n", "~/Mail/meetings",
		  '/', 0, NULL, 0, false },
		/* 7.3.1: extended data items the decoder does not know are
		 * skipped. (Sample "text" is not a tagged-ext-val of
		 * RFC 9051 9, which allows only a sequence set, a number
		 * or a parenthesized list there.) */
		{ "* LIST (\\Marked) \":\" Tables (tablecloth ((\"edge\" "
		  "\"lacy\") (\"color\" \"red\")) Sample \"text\")\r\n",
		  "Tables", ':', LIST_ATTR_MARKED, NULL, 1, false },
		{ "* LIST () \":\" Tables:new (tablecloth (\"edge\" \"lacy\") "
		  "Sample (\"text\" \"more text\"))\r\n", "Tables:new", ':', 0,
		  NULL, 0, false },
		/* 6.3.2 (SELECT) */
		{ "* LIST () \"/\" INBOX\r\n", "INBOX", '/', 0, NULL, 0,
		  false },
		/* 6.3.9.7 and 8: OLDNAME */
		{ "* LIST (\\NonExistent) \".\" \"INBOX.DeletedMailbox\"\r\n",
		  "INBOX.DeletedMailbox", '.', LIST_ATTR_NONEXISTENT, NULL,
		  1, false },
		{ "* LIST () \"/\" \"NewMailbox\" (\"OLDNAME\" "
		  "(\"OldMailbox\"))\r\n", "NewMailbox", '/', 0, NULL, 0,
		  false },
		{ "* LIST () \"/\" INBOX (\"OLDNAME\" (\"inbox\"))\r\n",
		  "INBOX", '/', 0, NULL, 0, false },
		/* 6.3.9.8 example 4 (RFC 5258's has no \HasNoChildren) */
		{ "* LIST (\\Remote \\HasNoChildren) \"/\" \"Bread\"\r\n",
		  "Bread", '/', LIST_ATTR_REMOTE | LIST_ATTR_HASNOCHILDREN,
		  NULL, 2, false },
		/* 6.3.9.8 example 11. The RFC puts two spaces between "."
		 * and "INBOX", which its grammar (one SP) does not allow;
		 * the parser skips extra spaces between tokens. The
		 * CHILDINFO tag comes unquoted, which 6.3.9 allows. */
		{ "* LIST () \".\"  \"INBOX\"\r\n", "INBOX", '.', 0, NULL, 0,
		  false },
		{ "* LIST () \".\" \"foo\"\r\n", "foo", '.', 0, NULL, 0,
		  false },
		{ "* LIST (\\NoSelect) \".\" \"bar\"\r\n", "bar", '.',
		  LIST_ATTR_NOSELECT, NULL, 1, false },
		{ "* LIST (\\Subscribed) \".\"  \"INBOX\"\r\n", "INBOX", '.',
		  LIST_ATTR_SUBSCRIBED, NULL, 1, false },
		{ "* LIST () \".\" \"foo\" (CHILDINFO (\"SUBSCRIBED\"))\r\n",
		  "foo", '.', 0, NULL, 0, true },
		/* 6.3.10 example 6: special use on mailboxes not there yet */
		{ "* LIST (\\NonExistent \\Archive) \"/\" Archives\r\n",
		  "Archives", '/', LIST_ATTR_NONEXISTENT, "\\Archive", 2,
		  false },
		{ "* LIST (\\NonExistent \\Sent) \"/\" \"Sent Mail\"\r\n",
		  "Sent Mail", '/', LIST_ATTR_NONEXISTENT, "\\Sent", 2,
		  false },
		{ "* LIST (\\NonExistent \\Trash) \"/\" \"#mh/Deleted "
		  "Items\"\r\n", "#mh/Deleted Items", '/',
		  LIST_ATTR_NONEXISTENT, "\\Trash", 2, false },
	};

	(void)state;
	check_lists(cases, COUNT(cases), false);
}

/* RFC 3501 6.3.9: LSUB */
static void
test_rfc3501_lsub(void **state)
{
	static const struct list_case cases[] = {
		{ "* LSUB () \".\" #news.comp.mail.misc\r\n",
		  "#news.comp.mail.misc", '.', 0, NULL, 0, false },
		{ "* LSUB (\\NoSelect) \".\" #news.comp.mail\r\n",
		  "#news.comp.mail", '.', LIST_ATTR_NOSELECT, NULL, 1,
		  false },
	};

	(void)state;
	check_lists(cases, COUNT(cases), true);
}

/* RFC 5258 5, byte for byte; a response the RFC breaks over two lines is
 * joined with one SP. */
static void
test_rfc5258_list_extended(void **state)
{
	static const struct list_case cases[] = {
		/* example 1 */
		{ "* LIST (\\Marked \\NoInferiors) \"/\" \"inbox\"\r\n",
		  "inbox", '/', LIST_ATTR_MARKED | LIST_ATTR_NOINFERIORS,
		  NULL, 2, false },
		{ "* LIST () \"/\" \"Fruit/Apple\"\r\n", "Fruit/Apple", '/', 0,
		  NULL, 0, false },
		/* example 2 */
		{ "* LIST (\\Marked \\NoInferiors \\Subscribed) \"/\" "
		  "\"inbox\"\r\n", "inbox", '/', LIST_ATTR_MARKED |
		  LIST_ATTR_NOINFERIORS | LIST_ATTR_SUBSCRIBED, NULL, 3,
		  false },
		{ "* LIST (\\Subscribed \\NonExistent) \"/\" "
		  "\"Fruit/Peach\"\r\n", "Fruit/Peach", '/',
		  LIST_ATTR_SUBSCRIBED | LIST_ATTR_NONEXISTENT, NULL, 2,
		  false },
		/* example 3 */
		{ "* LIST (\\HasChildren) \"/\" \"Fruit\"\r\n", "Fruit", '/',
		  LIST_ATTR_HASCHILDREN, NULL, 1, false },
		{ "* LIST (\\HasNoChildren) \"/\" \"Tofu\"\r\n", "Tofu", '/',
		  LIST_ATTR_HASNOCHILDREN, NULL, 1, false },
		/* examples 4 and 6 */
		{ "* LIST (\\Remote) \"/\" \"Bread\"\r\n", "Bread", '/',
		  LIST_ATTR_REMOTE, NULL, 1, false },
		{ "* LIST (\\HasChildren \\Remote) \"/\" \"Meat\"\r\n", "Meat",
		  '/', LIST_ATTR_HASCHILDREN | LIST_ATTR_REMOTE, NULL, 2,
		  false },
		{ "* LIST (\\Remote \\Subscribed) \"/\" \"Bread\"\r\n",
		  "Bread", '/', LIST_ATTR_REMOTE | LIST_ATTR_SUBSCRIBED, NULL,
		  2, false },
		/* example 8: CHILDINFO with and without attributes */
		{ "* LIST () \"/\" \"Foo\" (\"CHILDINFO\" "
		  "(\"SUBSCRIBED\"))\r\n", "Foo", '/', 0, NULL, 0, true },
		{ "* LIST (\\Subscribed) \"/\" \"Foo\" (\"CHILDINFO\" "
		  "(\"SUBSCRIBED\"))\r\n", "Foo", '/', LIST_ATTR_SUBSCRIBED,
		  NULL, 1, true },
		{ "* LIST (\\Subscribed \\HasChildren) \"/\" \"Foo\" "
		  "(\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n", "Foo", '/',
		  LIST_ATTR_SUBSCRIBED | LIST_ATTR_HASCHILDREN, NULL, 2,
		  true },
		{ "* LIST (\\NonExistent) \"/\" \"Foo\" (\"CHILDINFO\" "
		  "(\"SUBSCRIBED\"))\r\n", "Foo", '/', LIST_ATTR_NONEXISTENT,
		  NULL, 1, true },
		{ "* LIST (\\HasChildren \\Subscribed) \"/\" \"Foo\"\r\n",
		  "Foo", '/', LIST_ATTR_HASCHILDREN | LIST_ATTR_SUBSCRIBED,
		  NULL, 2, false },
		/* example 9 */
		{ "* LIST (\\Subscribed) \"/\" \"eps2\" (\"CHILDINFO\" "
		  "(\"SUBSCRIBED\"))\r\n", "eps2", '/', LIST_ATTR_SUBSCRIBED,
		  NULL, 1, true },
		{ "* LIST (\\NonExistent) \"/\" \"qux2\" (\"CHILDINFO\" "
		  "(\"SUBSCRIBED\"))\r\n", "qux2", '/', LIST_ATTR_NONEXISTENT,
		  NULL, 1, true },
		/* example 10: CHILDINFO without \HasChildren */
		{ "* LIST (\\Subscribed \\NonExistent) \"/\" foo/bar\r\n",
		  "foo/bar", '/', LIST_ATTR_SUBSCRIBED | LIST_ATTR_NONEXISTENT,
		  NULL, 2, false },
		{ "* LIST (\\HasNoChildren) \"/\" foo (\"CHILDINFO\" "
		  "(\"SUBSCRIBED\"))\r\n", "foo", '/', LIST_ATTR_HASNOCHILDREN,
		  NULL, 1, true },
		/* example 11 */
		{ "* LIST () \"/\" music/rock\r\n", "music/rock", '/', 0, NULL,
		  0, false },
		{ "* LIST (\\NonExistent \\HasChildren) \"/\" music\r\n",
		  "music", '/', LIST_ATTR_NONEXISTENT | LIST_ATTR_HASCHILDREN,
		  NULL, 2, false },
	};

	(void)state;
	check_lists(cases, COUNT(cases), false);
}

/* RFC 6154 5, byte for byte */
static void
test_rfc6154_special_use(void **state)
{
	static const struct list_case cases[] = {
		/* 5.1 */
		{ "* LIST (\\Marked \\HasNoChildren) \"/\" Inbox\r\n", "Inbox",
		  '/', LIST_ATTR_MARKED | LIST_ATTR_HASNOCHILDREN, NULL, 2,
		  false },
		{ "* LIST (\\HasNoChildren) \"/\" ToDo\r\n", "ToDo", '/',
		  LIST_ATTR_HASNOCHILDREN, NULL, 1, false },
		{ "* LIST (\\HasChildren) \"/\" Projects\r\n", "Projects", '/',
		  LIST_ATTR_HASCHILDREN, NULL, 1, false },
		{ "* LIST (\\Sent \\HasNoChildren) \"/\" SentMail\r\n",
		  "SentMail", '/', LIST_ATTR_HASNOCHILDREN, "\\Sent", 2,
		  false },
		{ "* LIST (\\Marked \\Drafts \\HasNoChildren) \"/\" "
		  "MyDrafts\r\n", "MyDrafts", '/', LIST_ATTR_MARKED |
		  LIST_ATTR_HASNOCHILDREN, "\\Drafts", 3, false },
		{ "* LIST (\\Trash \\HasNoChildren) \"/\" Trash\r\n", "Trash",
		  '/', LIST_ATTR_HASNOCHILDREN, "\\Trash", 2, false },
		/* 5.2: LIST "" "%" RETURN (SPECIAL-USE) */
		{ "* LIST (\\Marked) \"/\" Inbox\r\n", "Inbox", '/',
		  LIST_ATTR_MARKED, NULL, 1, false },
		{ "* LIST () \"/\" ToDo\r\n", "ToDo", '/', 0, NULL, 0, false },
		{ "* LIST (\\Sent) \"/\" SentMail\r\n", "SentMail", '/', 0,
		  "\\Sent", 1, false },
		{ "* LIST (\\Marked \\Drafts) \"/\" MyDrafts\r\n", "MyDrafts",
		  '/', LIST_ATTR_MARKED, "\\Drafts", 2, false },
		{ "* LIST (\\Trash) \"/\" Trash\r\n", "Trash", '/', 0,
		  "\\Trash", 1, false },
		/* 5.4: after METADATA moved \Drafts to SavedDrafts */
		{ "* LIST () \"/\" MyDrafts\r\n", "MyDrafts", '/', 0, NULL, 0,
		  false },
		{ "* LIST (\\Drafts) \"/\" SavedDrafts\r\n", "SavedDrafts",
		  '/', 0, "\\Drafts", 1, false },
	};

	(void)state;
	check_lists(cases, COUNT(cases), false);
}

/* Not from an RFC: a NIL delimiter (a flat namespace, RFC 9051 7.3.1). */
static void
test_list_constructed(void **state)
{
	struct list_response l;
	const char *err;

	(void)state;
	assert_true(decode_list(test_parse_response("* LIST (\\Noselect) NIL "
	    "\"\"\r\n"), &l, &err));
	assert_int_equal(l.delimiter, '\0');
	assert_string_equal(l.name, "");
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
	/* not recorded: a name sent as a literal */
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
assert_status(const struct status_response *st, enum status_item item,
    uint64_t value)
{
	assert_true(st->present & (1u << item));
	assert_true(st->values[item] == value);
}

/* STATUS responses of RFC 9051, RFC 7162 and RFC 9208, byte for byte; a
 * response the RFC breaks over two lines is joined with one SP. */
static void
test_rfc_status(void **state)
{
	struct status_response st;
	const char *err;

	(void)state;
	/* RFC 9051 6.3.11 and 7.3.3 (and RFC 3501 6.3.10) */
	assert_true(decode_status(test_parse_response("* STATUS blurdybloop "
	    "(MESSAGES 231 UIDNEXT 44292)\r\n"), &st, &err));
	assert_string_equal(st.mailbox, "blurdybloop");
	assert_int_equal(st.present,
	    (1u << STATUS_MESSAGES) | (1u << STATUS_UIDNEXT));
	assert_status(&st, STATUS_MESSAGES, 231);
	assert_status(&st, STATUS_UIDNEXT, 44292);
	/* RFC 9051 6.3.9.8 example 11 (LIST ... RETURN (STATUS ...)) */
	assert_true(decode_status(test_parse_response("* STATUS \"INBOX\" "
	    "(MESSAGES 17 UNSEEN 16)\r\n"), &st, &err));
	assert_string_equal(st.mailbox, "INBOX");
	assert_int_equal(st.present,
	    (1u << STATUS_MESSAGES) | (1u << STATUS_UNSEEN));
	assert_status(&st, STATUS_MESSAGES, 17);
	assert_status(&st, STATUS_UNSEEN, 16);
	assert_true(decode_status(test_parse_response("* STATUS \"foo\" "
	    "(MESSAGES 30 UNSEEN 29)\r\n"), &st, &err));
	assert_string_equal(st.mailbox, "foo");
	assert_status(&st, STATUS_MESSAGES, 30);
	assert_status(&st, STATUS_UNSEEN, 29);
	assert_true(decode_status(test_parse_response("* STATUS \"INBOX\" "
	    "(MESSAGES 17)\r\n"), &st, &err));
	assert_int_equal(st.present, 1u << STATUS_MESSAGES);
	assert_status(&st, STATUS_MESSAGES, 17);
	/* RFC 7162 3.1.7 example 17 */
	assert_true(decode_status(test_parse_response("* STATUS blurdybloop "
	    "(MESSAGES 231 UIDNEXT 44292 HIGHESTMODSEQ 7011231777)\r\n"),
	    &st, &err));
	assert_int_equal(st.present, (1u << STATUS_MESSAGES) |
	    (1u << STATUS_UIDNEXT) | (1u << STATUS_HIGHESTMODSEQ));
	assert_status(&st, STATUS_HIGHESTMODSEQ, 7011231777ULL);
	/* RFC 9208 4.1.4: DELETED-STORAGE has no slot here and is
	 * skipped like any item the decoder does not know */
	assert_true(decode_status(test_parse_response("* STATUS INBOX "
	    "(MESSAGES 12 DELETED 4 DELETED-STORAGE 8)\r\n"), &st, &err));
	assert_string_equal(st.mailbox, "INBOX");
	assert_int_equal(st.present,
	    (1u << STATUS_MESSAGES) | (1u << STATUS_DELETED));
	assert_status(&st, STATUS_MESSAGES, 12);
	assert_status(&st, STATUS_DELETED, 4);
}

static void
test_status(void **state)
{
	struct status_response st;
	const char *err;

	(void)state;
	/* Dovecot with STATUS=SIZE, DELETED and HIGHESTMODSEQ */
	assert_true(decode_status(test_parse_response("* STATUS "
	    "\"Entw&APw-rfe\" (MESSAGES 3 UNSEEN 1 SIZE 214000000 DELETED 0 "
	    "HIGHESTMODSEQ 7 X-GUID 5)\r\n"), &st, &err));
	assert_string_equal(st.mailbox, "Entw&APw-rfe");
	assert_true(st.values[STATUS_SIZE] == 214000000);
	assert_true(st.present & (1u << STATUS_DELETED));
	assert_true(st.values[STATUS_HIGHESTMODSEQ] == 7);
	assert_false(st.present & (1u << STATUS_RECENT));
	assert_string_equal(status_item_name(STATUS_SIZE), "SIZE");
	assert_false(decode_status(test_parse_response(
	    "* STATUS x (MESSAGES)\r\n"), &st, &err));
	assert_false(decode_status(test_parse_response(
	    "* STATUS x (MESSAGES y)\r\n"), &st, &err));
	assert_string_equal(err, "STATUS: an item is not a name and a number");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9051_list),
		cmocka_unit_test(test_rfc3501_lsub),
		cmocka_unit_test(test_rfc5258_list_extended),
		cmocka_unit_test(test_rfc6154_special_use),
		cmocka_unit_test(test_list_constructed),
		cmocka_unit_test(test_list_recorded),
		cmocka_unit_test(test_list_malformed),
		cmocka_unit_test(test_rfc_status),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests_name("decode-mailbox", tests, NULL,
	    test_parse_cleanup);
}
