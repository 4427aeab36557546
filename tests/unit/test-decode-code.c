/* Unit tests for decode-code: RFC 9051 / 4315 / 5530 / 7162 examples and
 * SELECT and EXAMINE replies recorded from Dovecot and Cyrus. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode-code.h"
#include "parse-response.h"

static struct imap_parser *scratch;

static int
setup(void **state)
{
	(void)state;
	scratch = imap_parser_new(NULL);
	return 0;
}

static int
teardown(void **state)
{
	imap_parser_free(&scratch);
	return test_parse_cleanup(state);
}

/* Decode the code of a response that must decode, and check its kind. */
static void
code_ok(const char *text, enum response_code_kind kind,
    struct response_code *c)
{
	const char *err = NULL;

	if (!decode_code(test_parse_response(text), scratch, c, &err))
		fail_msg("%s: %s", text, err);
	assert_int_equal(c->kind, kind);
	assert_non_null(c->info);
	assert_non_null(c->info->meaning);
}

static void
code_bad(const char *text)
{
	struct response_code c;
	const char *err = NULL;

	if (decode_code(test_parse_response(text), scratch, &c, &err))
		fail_msg("decoded: %s", text);
	assert_non_null(err);
	assert_null(c.set.ranges);
	assert_null(c.atoms.items);
}

static void
assert_set(const struct seqset *set, const char *want)
{
	struct buf b;

	buf_init(&b, 256);
	assert_int_equal(seqset_format(set, &b), 0);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_rfc9051_codes(void **state)
{
	struct response_code c;

	(void)state;
	code_ok("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n",
	    RESP_CODE_PERMANENTFLAGS, &c);
	assert_int_equal(c.atoms.count, 3);
	assert_string_equal(c.atoms.items[1], "\\Seen");
	assert_true(c.any_keyword);
	response_code_free(&c);
	code_ok("* OK [UNSEEN 12] Message 12 is first unseen\r\n",
	    RESP_CODE_UNSEEN, &c);
	assert_int_equal(c.number, 12);
	code_ok("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
	    RESP_CODE_UIDVALIDITY, &c);
	assert_true(c.number == 3857529045u);
	code_ok("* OK [UIDNEXT 4392] Predicted next UID\r\n",
	    RESP_CODE_UIDNEXT, &c);
	assert_int_equal(c.number, 4392);
	code_ok("A142 OK [READ-WRITE] SELECT completed\r\n",
	    RESP_CODE_READ_WRITE, &c);
	assert_string_equal(c.info->name, "READ-WRITE");
	code_ok("A932 OK [READ-ONLY] EXAMINE completed\r\n",
	    RESP_CODE_READ_ONLY, &c);
	code_ok("A003 NO [TRYCREATE] Mailbox doesn't exist\r\n",
	    RESP_CODE_TRYCREATE, &c);
	code_ok("* OK [ALERT] System shutdown in 10 minutes\r\n",
	    RESP_CODE_ALERT, &c);
	code_ok("* OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=GSSAPI] ready\r\n",
	    RESP_CODE_CAPABILITY, &c);
	assert_int_equal(c.atoms.count, 3);
	assert_string_equal(c.atoms.items[2], "AUTH=GSSAPI");
	response_code_free(&c);
	code_ok("A1 NO [BADCHARSET] no\r\n", RESP_CODE_BADCHARSET, &c);
	assert_int_equal(c.atoms.count, 0);
	/* fuzz/corpus/imap-parser/hostile-code-bracket-quoted */
	code_ok("* NO [BADCHARSET (\"x]y\" UTF-8)] bad\r\n",
	    RESP_CODE_BADCHARSET, &c);
	assert_int_equal(c.atoms.count, 2);
	assert_string_equal(c.atoms.items[0], "x]y");
	assert_string_equal(c.atoms.items[1], "UTF-8");
	response_code_free(&c);
	/* names are matched without case */
	code_ok("* ok [uidnext 5] x\r\n", RESP_CODE_UIDNEXT, &c);
	assert_string_equal(c.name, "uidnext");
}

static void
test_rfc4315_uidplus(void **state)
{
	struct response_code c;

	(void)state;
	code_ok("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n",
	    RESP_CODE_APPENDUID, &c);
	assert_int_equal(c.number, 38505);
	assert_set(&c.set, "3955");
	response_code_free(&c);
	code_ok("A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n",
	    RESP_CODE_COPYUID, &c);
	assert_int_equal(c.number, 38505);
	assert_set(&c.set, "304,319:320");
	assert_set(&c.dest, "3956:3958");
	response_code_free(&c);
	/* MULTIAPPEND (RFC 3502) gives a set */
	code_ok("A005 OK [APPENDUID 38505 3955:3957] done\r\n",
	    RESP_CODE_APPENDUID, &c);
	assert_true(seqset_count(&c.set, 0) == 3);
	response_code_free(&c);
	code_ok("A006 OK [UIDNOTSTICKY] x\r\n", RESP_CODE_UIDNOTSTICKY, &c);
}

static void
test_rfc7162_condstore(void **state)
{
	struct response_code c;

	(void)state;
	code_ok("* OK [HIGHESTMODSEQ 715194045007] Highest\r\n",
	    RESP_CODE_HIGHESTMODSEQ, &c);
	assert_true(c.modseq == 715194045007ULL);
	code_ok("* OK [NOMODSEQ] Sorry, this mailbox format doesn't support "
	    "modsequences\r\n", RESP_CODE_NOMODSEQ, &c);
	code_ok("d105 OK [MODIFIED 7,9] Conditional STORE failed\r\n",
	    RESP_CODE_MODIFIED, &c);
	assert_set(&c.set, "7,9");
	response_code_free(&c);
	code_ok("* OK [CLOSED]\r\n", RESP_CODE_CLOSED, &c);
}

static void
test_rfc5530_codes(void **state)
{
	static const struct {
		const char *text;
		enum response_code_kind kind;
	} cases[] = {
		{ "a NO [UNAVAILABLE] x\r\n", RESP_CODE_UNAVAILABLE },
		{ "a NO [AUTHENTICATIONFAILED] x\r\n",
		  RESP_CODE_AUTHENTICATIONFAILED },
		{ "a NO [AUTHORIZATIONFAILED] x\r\n",
		  RESP_CODE_AUTHORIZATIONFAILED },
		{ "a NO [EXPIRED] x\r\n", RESP_CODE_EXPIRED },
		{ "a NO [PRIVACYREQUIRED] x\r\n", RESP_CODE_PRIVACYREQUIRED },
		{ "a NO [CONTACTADMIN] x\r\n", RESP_CODE_CONTACTADMIN },
		{ "a NO [NOPERM] x\r\n", RESP_CODE_NOPERM },
		{ "a NO [INUSE] x\r\n", RESP_CODE_INUSE },
		{ "a NO [EXPUNGEISSUED] x\r\n", RESP_CODE_EXPUNGEISSUED },
		{ "a NO [CORRUPTION] x\r\n", RESP_CODE_CORRUPTION },
		{ "a NO [SERVERBUG] x\r\n", RESP_CODE_SERVERBUG },
		{ "a NO [CLIENTBUG] x\r\n", RESP_CODE_CLIENTBUG },
		{ "a NO [CANNOT] x\r\n", RESP_CODE_CANNOT },
		{ "a NO [LIMIT] x\r\n", RESP_CODE_LIMIT },
		{ "a NO [OVERQUOTA] x\r\n", RESP_CODE_OVERQUOTA },
		{ "a NO [ALREADYEXISTS] x\r\n", RESP_CODE_ALREADYEXISTS },
		{ "a NO [NONEXISTENT] x\r\n", RESP_CODE_NONEXISTENT },
	};
	struct response_code c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		code_ok(cases[i].text, cases[i].kind, &c);
		assert_string_equal(c.info->rfc, "RFC 5530 3");
		assert_ptr_equal(response_code_info(cases[i].kind), c.info);
		assert_ptr_equal(response_code_lookup(c.info->name), c.info);
	}
}

static void
test_unknown_and_malformed(void **state)
{
	struct response_code c;
	const char *err;

	(void)state;
	/* cyrus-select-009: a code no row knows keeps its raw text */
	code_ok("* OK [MAILBOXID (loiv3oig8md897rl6yzo87by)] Ok\r\n",
	    RESP_CODE_UNKNOWN, &c);
	assert_string_equal(c.name, "MAILBOXID");
	assert_string_equal(c.args, "(loiv3oig8md897rl6yzo87by)");
	assert_null(response_code_lookup("MAILBOXID"));
	assert_false(decode_code(test_parse_response("a OK done\r\n"),
	    scratch, &c, &err));
	assert_string_equal(err, "the response has no response code");
	code_bad("* OK [UIDNEXT] x\r\n");
	code_bad("* OK [UIDNEXT 0] x\r\n");
	code_bad("* OK [UIDNEXT 4294967296] x\r\n");
	code_bad("* OK [UIDNEXT 1 2] x\r\n");
	code_bad("* OK [UIDVALIDITY x] x\r\n");
	code_bad("* OK [READ-ONLY now] x\r\n");
	code_bad("* OK [PERMANENTFLAGS \\Seen] x\r\n");
	code_bad("* OK [PERMANENTFLAGS (\"x\")] x\r\n");
	code_bad("* OK [HIGHESTMODSEQ 9223372036854775808] x\r\n");
	code_bad("a OK [APPENDUID 1] x\r\n");
	code_bad("a OK [APPENDUID 1 *] x\r\n");
	code_bad("a OK [APPENDUID 1 1:] x\r\n");
	code_bad("a OK [COPYUID 1 1:3 4:5] x\r\n");
	code_bad("a OK [COPYUID 1 1,2] x\r\n");
	code_bad("a OK [MODIFIED ,5] x\r\n");
	code_bad("a OK [CAPABILITY] x\r\n");
	code_bad("a NO [BADCHARSET ()] x\r\n");
	code_bad("a NO [BADCHARSET UTF-8] x\r\n");
}

/* fuzz/corpus/imap-parser/{dovecot,cyrus}-{select,examine}-* */
static void
test_recorded_select(void **state)
{
	static const char *const flags[] = {
		"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft "
		"$Label1)\r\n",
		"* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen "
		"$Label1)\r\n",
	};
	static const char *const permanent[] = {
		"* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen "
		"\\Draft $Label1 \\*)] Flags permitted.\r\n",
		"* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Draft \\Deleted "
		"\\Seen $Label1 \\*)] Ok\r\n",
	};
	struct response_code c;
	struct atom_list l;
	const char *err;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_true(decode_flags(test_parse_response(flags[i]), &l,
		    &err));
		assert_int_equal(l.count, 6);
		assert_string_equal(l.items[5], "$Label1");
		atom_list_free(&l);
		code_ok(permanent[i], RESP_CODE_PERMANENTFLAGS, &c);
		assert_int_equal(c.atoms.count, 7);
		assert_true(c.any_keyword);
		response_code_free(&c);
	}
	/* EXAMINE: nothing can be stored */
	code_ok("* OK [PERMANENTFLAGS ()] Read-only mailbox.\r\n",
	    RESP_CODE_PERMANENTFLAGS, &c);
	assert_int_equal(c.atoms.count, 0);
	assert_false(c.any_keyword);
	response_code_free(&c);
	code_ok("* OK [UNSEEN 3] First unseen.\r\n", RESP_CODE_UNSEEN, &c);
	assert_int_equal(c.number, 3);
	code_ok("* OK [UIDVALIDITY 1795443617] UIDs valid\r\n",
	    RESP_CODE_UIDVALIDITY, &c);
	assert_true(c.number == 1795443617u);
	code_ok("* OK [UIDNEXT 23] Ok\r\n", RESP_CODE_UIDNEXT, &c);
	code_ok("* OK [HIGHESTMODSEQ 23] Ok\r\n", RESP_CODE_HIGHESTMODSEQ, &c);
	assert_true(c.modseq == 23);
	code_ok("* OK [CLOSED] Previous mailbox closed.\r\n",
	    RESP_CODE_CLOSED, &c);
	code_ok("R035 OK [READ-WRITE] Select completed (0.001 + 0.000 "
	    "secs).\r\n", RESP_CODE_READ_WRITE, &c);
	code_ok("R025 OK [READ-ONLY] Completed\r\n", RESP_CODE_READ_ONLY, &c);
	code_ok("* OK [URLMECH INTERNAL] Ok\r\n", RESP_CODE_UNKNOWN, &c);
	/* *-second-append-002 */
	code_ok("R004 OK [APPENDUID 1795443617 23] Completed\r\n",
	    RESP_CODE_APPENDUID, &c);
	assert_set(&c.set, "23");
	response_code_free(&c);
}

static void
test_untagged(void **state)
{
	struct message_count m;
	struct atom_list l;
	struct vanished v;
	const char *err;

	(void)state;
	/* RFC 9051 7.3.5, 7.4.1, 7.5.1 */
	assert_true(decode_flags(test_parse_response("* FLAGS (\\Answered "
	    "\\Flagged \\Deleted \\Seen \\Draft)\r\n"), &l, &err));
	assert_int_equal(l.count, 5);
	atom_list_free(&l);
	assert_true(decode_flags(test_parse_response("* FLAGS ()\r\n"), &l,
	    &err));
	assert_int_equal(l.count, 0);
	atom_list_free(&l);
	assert_false(decode_flags(test_parse_response("* FLAGS \\Seen\r\n"),
	    &l, &err));
	assert_true(decode_message_count(test_parse_response(
	    "* 172 EXISTS\r\n"), &m, &err));
	assert_true(m.kind == MESSAGE_COUNT_EXISTS && m.n == 172);
	assert_true(decode_message_count(test_parse_response(
	    "* 0 EXISTS\r\n"), &m, &err));
	assert_int_equal(m.n, 0);
	assert_true(decode_message_count(test_parse_response(
	    "* 1 RECENT\r\n"), &m, &err));
	assert_int_equal(m.kind, MESSAGE_COUNT_RECENT);
	/* recorded from both servers */
	assert_true(decode_message_count(test_parse_response(
	    "* 23 EXPUNGE\r\n"), &m, &err));
	assert_true(m.kind == MESSAGE_COUNT_EXPUNGE && m.n == 23);
	assert_false(decode_message_count(test_parse_response(
	    "* 0 EXPUNGE\r\n"), &m, &err));
	assert_false(decode_message_count(test_parse_response(
	    "* 4294967296 EXISTS\r\n"), &m, &err));
	assert_false(decode_message_count(test_parse_response(
	    "* 3 FETCH (FLAGS ())\r\n"), &m, &err));
	/* RFC 7162 3.2.10 */
	assert_true(decode_vanished(test_parse_response(
	    "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n"), &v,
	    &err));
	assert_true(v.earlier);
	assert_int_equal(v.uids.count, 5);
	assert_true(seqset_count(&v.uids, 0) == 1 + 74 + 1 + 92 + 327);
	vanished_free(&v);
	assert_true(decode_vanished(test_parse_response(
	    "* VANISHED 405,407,410,425\r\n"), &v, &err));
	assert_false(v.earlier);
	assert_int_equal(v.uids.count, 4);
	vanished_free(&v);
	assert_false(decode_vanished(test_parse_response(
	    "* VANISHED (LATER) 1\r\n"), &v, &err));
	assert_false(decode_vanished(test_parse_response(
	    "* VANISHED (EARLIER)\r\n"), &v, &err));
	assert_false(decode_vanished(test_parse_response(
	    "* VANISHED 1:\r\n"), &v, &err));
	assert_null(v.uids.ranges);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9051_codes),
		cmocka_unit_test(test_rfc4315_uidplus),
		cmocka_unit_test(test_rfc7162_condstore),
		cmocka_unit_test(test_rfc5530_codes),
		cmocka_unit_test(test_unknown_and_malformed),
		cmocka_unit_test(test_recorded_select),
		cmocka_unit_test(test_untagged),
	};

	return cmocka_run_group_tests_name("decode-code", tests, setup,
	    teardown);
}
