/* Unit tests for decode-response: each response is decoded once into the
 * right kind, its code too; what does not decode says why; a
 * BODYSTRUCTURE tree comes with its FETCH and copies deeply. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "decode-response.h"
#include "parse-response.h"

static struct imap_parser *scratch;

static enum decoded_kind
kind_of(const char *text)
{
	struct decoded_response d;
	enum decoded_kind kind;

	decoded_response_init(&d, test_parse_response(text), NULL, scratch);
	kind = d.kind;
	decoded_response_free(&d);
	return kind;
}

/* Every name the table knows gives its kind; the rest give none. */
static void
test_each_name_has_its_kind(void **state)
{
	static const struct {
		const char *text;
		enum decoded_kind kind;
	} cases[] = {
		{ "* CAPABILITY IMAP4rev1 IDLE\r\n", DECODED_CAPABILITY },
		{ "* LIST (\\HasNoChildren) \"/\" INBOX\r\n", DECODED_LIST },
		{ "* LSUB () \".\" INBOX.Sent\r\n", DECODED_LIST },
		{ "* STATUS INBOX (MESSAGES 3 UNSEEN 1)\r\n", DECODED_STATUS },
		{ "* FLAGS (\\Seen \\Deleted)\r\n", DECODED_FLAGS },
		{ "* 22 EXISTS\r\n", DECODED_COUNT },
		{ "* 3 RECENT\r\n", DECODED_COUNT },
		{ "* 7 EXPUNGE\r\n", DECODED_COUNT },
		{ "* VANISHED (EARLIER) 1:3\r\n", DECODED_VANISHED },
		{ "* 1 FETCH (UID 5 FLAGS ())\r\n", DECODED_FETCH },
		{ "* SEARCH 1 4 9\r\n", DECODED_SEARCH },
		{ "* SORT 9 4 1\r\n", DECODED_SORT },
		{ "* ESEARCH (TAG \"a1\") UID COUNT 3\r\n", DECODED_ESEARCH },
		{ "* ACL INBOX alice lrswipkxtecda\r\n", DECODED_ACL },
		{ "* MYRIGHTS INBOX lr\r\n", DECODED_MYRIGHTS },
		{ "* LISTRIGHTS INBOX bob \"\" l r s\r\n", DECODED_LISTRIGHTS },
		{ "* QUOTA \"\" (STORAGE 10 512)\r\n", DECODED_QUOTA },
		{ "* QUOTAROOT INBOX \"\"\r\n", DECODED_QUOTAROOT },
		{ "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n", DECODED_NAMESPACE },
		{ "* ID (\"name\" \"Dovecot\")\r\n", DECODED_ID },
		{ "* ENABLED CONDSTORE\r\n", DECODED_NONE },
		{ "* OK [UIDNEXT 23] next\r\n", DECODED_NONE },
		{ "a1 OK done\r\n", DECODED_NONE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (kind_of(cases[i].text) != cases[i].kind)
			fail_msg("%s: %s, not %s", cases[i].text,
			    decoded_kind_name(kind_of(cases[i].text)),
			    decoded_kind_name(cases[i].kind));
	}
}

/* The values are the decoders' own. */
static void
test_values_and_owner(void **state)
{
	struct decoded_response d;
	const struct imap_session_command *owner =
	    (const struct imap_session_command *)&d; /* any non-NULL token */

	(void)state;
	decoded_response_init(&d, test_parse_response("* 4 FETCH (UID 9 "
	    "RFC822.SIZE 1234 FLAGS (\\Seen))\r\n"), owner, scratch);
	assert_int_equal(d.kind, DECODED_FETCH);
	assert_ptr_equal(d.owner, owner);
	assert_int_equal(d.u.fetch.f.seq, 4);
	assert_int_equal(d.u.fetch.f.uid, 9);
	assert_int_equal(d.u.fetch.f.size, 1234);
	assert_null(d.u.fetch.structure);
	assert_null(d.error);
	decoded_response_free(&d);

	decoded_response_init(&d, test_parse_response("* 5 EXPUNGE\r\n"),
	    NULL, scratch);
	assert_int_equal(d.u.count.kind, MESSAGE_COUNT_EXPUNGE);
	assert_int_equal(d.u.count.n, 5);
	decoded_response_free(&d);
}

/* The response code is decoded with the response, tagged or not. */
static void
test_code_is_decoded(void **state)
{
	struct decoded_response d;

	(void)state;
	decoded_response_init(&d, test_parse_response(
	    "* OK [UIDVALIDITY 1796506137] UIDs valid\r\n"), NULL, scratch);
	assert_true(d.has_code);
	assert_int_equal(d.code.kind, RESP_CODE_UIDVALIDITY);
	assert_int_equal(d.code.number, 1796506137u);
	assert_int_equal(d.kind, DECODED_NONE);
	decoded_response_free(&d);

	decoded_response_init(&d, test_parse_response(
	    "a3 OK [MODIFIED 7,9] Conditional STORE failed\r\n"), NULL,
	    scratch);
	assert_true(d.has_code);
	assert_int_equal(d.code.kind, RESP_CODE_MODIFIED);
	assert_int_equal(d.code.set.count, 2);
	decoded_response_free(&d);

	decoded_response_init(&d, test_parse_response("* 3 EXISTS\r\n"), NULL,
	    scratch);
	assert_false(d.has_code);
	decoded_response_free(&d);
}

/* A known name that does not decode is kind NONE with the reason. */
static void
test_malformed_says_why(void **state)
{
	struct decoded_response d;

	(void)state;
	decoded_response_init(&d, test_parse_response("* 0 FETCH (UID x)\r\n"),
	    NULL, scratch);
	assert_int_equal(d.kind, DECODED_NONE);
	assert_non_null(d.error);
	decoded_response_free(&d);

	decoded_response_init(&d, test_parse_response("* STATUS\r\n"), NULL,
	    scratch);
	assert_int_equal(d.kind, DECODED_NONE);
	assert_non_null(d.error);
	decoded_response_free(&d);
}

/* BODYSTRUCTURE comes decoded with its FETCH; a copy outlives it. */
static void
test_structure_and_its_copy(void **state)
{
	struct decoded_response d;
	struct bodystructure_part *copy;

	(void)state;
	decoded_response_init(&d, test_parse_response("* 1 FETCH (UID 3 "
	    "BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL "
	    "\"quoted-printable\" 120 4 NIL NIL NIL NIL)(\"application\" "
	    "\"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 4000 NIL "
	    "(\"attachment\" (\"filename\" \"Q3.pdf\")) NIL NIL) \"mixed\" "
	    "(\"boundary\" \"b\") NIL NIL NIL))\r\n"), NULL, scratch);
	assert_int_equal(d.kind, DECODED_FETCH);
	assert_non_null(d.u.fetch.structure);
	copy = bodystructure_copy(d.u.fetch.structure);
	decoded_response_free(&d);
	(void)test_parse_response("* 2 EXISTS\r\n"); /* the old tree is gone */
	assert_string_equal(copy->subtype, "mixed");
	assert_int_equal(copy->part_count, 2);
	assert_string_equal(copy->parts[0].part, "1");
	assert_string_equal(copy->parts[0].charset, "utf-8");
	assert_string_equal(copy->parts[0].encoding, "quoted-printable");
	assert_string_equal(copy->parts[1].part, "2");
	assert_string_equal(copy->parts[1].filename, "Q3.pdf");
	assert_int_equal(copy->parts[1].size, 4000);
	assert_string_equal(copy->parts[1].disposition, "attachment");
	bodystructure_free(&copy);
	assert_null(bodystructure_copy(NULL));
}

/* A listener's decoder keeps the last value until the next response:
 * long enough for the completion that follows a tagged reply. */
static void
test_decoder_keeps_the_last(void **state)
{
	struct response_decoder dec;
	const struct imap_response *tagged, *exists;
	const struct decoded_response *d;

	(void)state;
	response_decoder_init(&dec);
	tagged = test_parse_response("a1 OK [READ-ONLY] done\r\n");
	d = response_decoder_take(&dec, tagged, NULL);
	assert_ptr_equal(response_decoder_last(&dec, tagged), d);
	assert_int_equal(d->code.kind, RESP_CODE_READ_ONLY);
	assert_null(response_decoder_last(&dec, NULL));
	exists = test_parse_response("* 3 EXISTS\r\n");
	d = response_decoder_take(&dec, exists, NULL);
	assert_ptr_equal(response_decoder_last(&dec, exists), d);
	assert_int_equal(d->kind, DECODED_COUNT);
	assert_false(d->has_code);
	response_decoder_free(&dec);
}

static int
group_setup(void **state)
{
	(void)state;
	scratch = imap_parser_new(NULL);
	return 0;
}

static int
group_teardown(void **state)
{
	imap_parser_free(&scratch);
	return test_parse_cleanup(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_name_has_its_kind),
		cmocka_unit_test(test_values_and_owner),
		cmocka_unit_test(test_code_is_decoded),
		cmocka_unit_test(test_malformed_says_why),
		cmocka_unit_test(test_structure_and_its_copy),
		cmocka_unit_test(test_decoder_keeps_the_last),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
