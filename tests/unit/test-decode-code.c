/* Unit tests for decode-code: the response codes and untagged mailbox
 * responses of RFC 9051, 4315, 6154, 7162 and 9208's examples, a few
 * constructed cases, and SELECT and EXAMINE replies recorded from Dovecot
 * and Cyrus. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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
	assert_true(kind == RESP_CODE_UNKNOWN || c->info->name != NULL);
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
assert_atoms(const struct atom_list *l, const char *const *want,
    size_t count)
{
	size_t i;

	assert_int_equal(l->count, count);
	for (i = 0; i < count; i++)
		assert_string_equal(l->items[i], want[i]);
}

/* Response codes of RFC 9051's SELECT, EXAMINE, MOVE and sample
 * connection, byte for byte; a response the RFC breaks over two lines is
 * joined with one SP. */
static void
test_rfc9051_codes(void **state)
{
	static const char *const limited[] = { "\\Deleted", "\\Seen", "\\*" };
	static const char *const drafts[] = { "\\Deleted", "\\Seen",
		"\\Answered", "\\Flagged", "\\Draft", "\\*" };
	static const char *const caps[] = { "STARTTLS", "AUTH=SCRAM-SHA-256",
		"LOGINDISABLED", "IMAP4rev2" };
	struct response_code c;

	(void)state;
	/* 6.3.2 (SELECT), first example */
	code_ok("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
	    RESP_CODE_UIDVALIDITY, &c);
	assert_true(c.number == 3857529045u);
	code_ok("* OK [UIDNEXT 4392] Predicted next UID\r\n",
	    RESP_CODE_UIDNEXT, &c);
	assert_int_equal(c.number, 4392);
	code_ok("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n",
	    RESP_CODE_PERMANENTFLAGS, &c);
	assert_atoms(&c.atoms, limited, 3);
	assert_true(c.any_keyword);
	response_code_free(&c);
	code_ok("A142 OK [READ-WRITE] SELECT completed\r\n",
	    RESP_CODE_READ_WRITE, &c);
	assert_string_equal(c.info->name, "READ-WRITE");
	/* 6.3.2, second example. Its "[UIDVALIDITY 9877410381]" does not
	 * fit the nz-number (32 bits) RFC 9051 9 gives UIDVALIDITY, so
	 * it is refused; the decoder is right there, not the example. */
	code_ok("* OK [CLOSED] Previous mailbox is now closed\r\n",
	    RESP_CODE_CLOSED, &c);
	code_bad("* OK [UIDVALIDITY 9877410381] UIDs valid\r\n");
	code_ok("* OK [UIDNEXT 102] Predicted next UID\r\n", RESP_CODE_UIDNEXT,
	    &c);
	assert_int_equal(c.number, 102);
	code_ok("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\Answered \\Flagged "
	    "\\Draft \\*)] System flags and keywords allowed\r\n",
	    RESP_CODE_PERMANENTFLAGS, &c);
	assert_atoms(&c.atoms, drafts, 6);
	assert_true(c.any_keyword);
	response_code_free(&c);
	/* 6.3.3 (EXAMINE): nothing can be stored */
	code_ok("* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n",
	    RESP_CODE_PERMANENTFLAGS, &c);
	assert_int_equal(c.atoms.count, 0);
	assert_false(c.any_keyword);
	response_code_free(&c);
	code_ok("A932 OK [READ-ONLY] EXAMINE completed\r\n",
	    RESP_CODE_READ_ONLY, &c);
	/* 6.4.8 (MOVE): COPYUID in an untagged OK with no text */
	code_ok("* OK [COPYUID 432432 42:69 1202:1229]\r\n", RESP_CODE_COPYUID,
	    &c);
	assert_int_equal(c.number, 432432);
	assert_set(&c.set, "42:69");
	assert_set(&c.dest, "1202:1229");
	response_code_free(&c);
	/* 6.4.4.4 example 5: RFC 9051 9 wants BADCHARSET's charsets in
	 * parentheses, so "[BADCHARSET UTF-8]" is refused (the example is
	 * wrong, not the decoder) */
	code_bad("B283 NO [BADCHARSET UTF-8] KOI8-R is not supported\r\n");
	/* 7.1.1 */
	code_ok("* OK [ALERT] System shutdown in 10 minutes\r\n",
	    RESP_CODE_ALERT, &c);
	/* 8 (sample connection) */
	code_ok("* OK [CAPABILITY STARTTLS AUTH=SCRAM-SHA-256 LOGINDISABLED "
	    "IMAP4rev2] IMAP4rev2 Service Ready\r\n", RESP_CODE_CAPABILITY,
	    &c);
	assert_atoms(&c.atoms, caps, 4);
	response_code_free(&c);
	code_ok("a002 OK [READ-WRITE] SELECT completed\r\n",
	    RESP_CODE_READ_WRITE, &c);
}

/* RFC 9051 7.1: the examples given for each response code, byte for
 * byte (RFC 9051 took the codes from RFC 5530 3). */
static void
test_rfc9051_7_1_codes(void **state)
{
	static const struct {
		const char *text;
		enum response_code_kind kind;
	} cases[] = {
		{ "o356 NO [ALREADYEXISTS] Mailbox \"that\" already exists\r\n",
		  RESP_CODE_ALREADYEXISTS },
		{ "b NO [AUTHENTICATIONFAILED] Authentication failed\r\n",
		  RESP_CODE_AUTHENTICATIONFAILED },
		{ "c1 NO [AUTHORIZATIONFAILED] No such authorization-ID\r\n",
		  RESP_CODE_AUTHORIZATIONFAILED },
		{ "c2 NO [AUTHORIZATIONFAILED] Authenticator is not an "
		  "admin\r\n", RESP_CODE_AUTHORIZATIONFAILED },
		{ "l NO [CANNOT] Adjacent slashes are not supported\r\n",
		  RESP_CODE_CANNOT },
		{ "k2 OK [CLIENTBUG] Done\r\n", RESP_CODE_CLIENTBUG },
		{ "e NO [CONTACTADMIN]\r\n", RESP_CODE_CONTACTADMIN },
		{ "i NO [CORRUPTION] Cannot open mailbox\r\n",
		  RESP_CODE_CORRUPTION },
		{ "d NO [EXPIRED] That password isn't valid any more\r\n",
		  RESP_CODE_EXPIRED },
		{ "h OK [EXPUNGEISSUED] Search completed\r\n",
		  RESP_CODE_EXPUNGEISSUED },
		{ "g NO [INUSE] Mailbox in use\r\n", RESP_CODE_INUSE },
		{ "m NO [LIMIT] At most 32 flags in one mailbox supported\r\n",
		  RESP_CODE_LIMIT },
		{ "p NO [NONEXISTENT] No such mailbox\r\n",
		  RESP_CODE_NONEXISTENT },
		{ "f NO [NOPERM] Access denied\r\n", RESP_CODE_NOPERM },
		{ "n1 NO [OVERQUOTA] Sorry\r\n", RESP_CODE_OVERQUOTA },
		{ "n2 OK [OVERQUOTA] You are now over your soft quota\r\n",
		  RESP_CODE_OVERQUOTA },
		{ "d NO [PRIVACYREQUIRED] Connection offers no privacy\r\n",
		  RESP_CODE_PRIVACYREQUIRED },
		{ "j NO [SERVERBUG] This should not happen\r\n",
		  RESP_CODE_SERVERBUG },
		{ "a NO [UNAVAILABLE] User's backend down for "
		  "maintenance\r\n", RESP_CODE_UNAVAILABLE },
	};
	struct response_code c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		code_ok(cases[i].text, cases[i].kind, &c);
		assert_ptr_equal(response_code_info(cases[i].kind), c.info);
		assert_ptr_equal(response_code_lookup(c.info->name), c.info);
		assert_null(c.args);
	}
	code_ok("k1 OK [READ-ONLY] Done\r\n", RESP_CODE_READ_ONLY, &c);
	/* the RFC breaks this one over two lines */
	code_ok("o356 NO [HASCHILDREN] Mailbox \"Notes\" has children that "
	    "need to be deleted first\r\n", RESP_CODE_HASCHILDREN, &c);
}

/* Not from an RFC */
static void
test_codes_constructed(void **state)
{
	struct response_code c;

	(void)state;
	code_ok("A003 NO [TRYCREATE] Mailbox doesn't exist\r\n",
	    RESP_CODE_TRYCREATE, &c);
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
	/* MULTIAPPEND (RFC 3502) gives a set */
	code_ok("A005 OK [APPENDUID 38505 3955:3957] done\r\n",
	    RESP_CODE_APPENDUID, &c);
	assert_true(seqset_count(&c.set, 0) == 3);
	response_code_free(&c);
}

/* RFC 4315 3, byte for byte (RFC 9208 4.3.1 has the same APPENDUID and
 * COPYUID, the latter with the text "COPY command completed") */
static void
test_rfc4315_uidplus(void **state)
{
	static const char *const limited[] = { "\\Deleted", "\\Seen" };
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
	assert_true(seqset_count(&c.set, 0) == 3);
	assert_true(seqset_count(&c.dest, 0) == 3);
	response_code_free(&c);
	code_ok("A004 OK [COPYUID 38505 304,319:320 3956:3958] COPY command "
	    "completed\r\n", RESP_CODE_COPYUID, &c);
	assert_set(&c.dest, "3956:3958");
	response_code_free(&c);
	/* A007: SELECT of a mailbox without persistent UIDs */
	code_ok("* OK [UNSEEN 1] Message 1 is first unseen\r\n",
	    RESP_CODE_UNSEEN, &c);
	assert_int_equal(c.number, 1);
	code_ok("* OK [UIDVALIDITY 3857529045] Validity session-only\r\n",
	    RESP_CODE_UIDVALIDITY, &c);
	assert_true(c.number == 3857529045u);
	code_ok("* OK [UIDNEXT 2] Predicted next UID\r\n", RESP_CODE_UIDNEXT,
	    &c);
	assert_int_equal(c.number, 2);
	code_ok("* NO [UIDNOTSTICKY] Non-persistent UIDs\r\n",
	    RESP_CODE_UIDNOTSTICKY, &c);
	code_ok("* OK [PERMANENTFLAGS (\\Deleted \\Seen)] Limited\r\n",
	    RESP_CODE_PERMANENTFLAGS, &c);
	assert_atoms(&c.atoms, limited, 2);
	assert_false(c.any_keyword);
	response_code_free(&c);
	code_ok("A007 OK [READ-WRITE] SELECT completed\r\n",
	    RESP_CODE_READ_WRITE, &c);
}

/* RFC 7162, byte for byte; a response the RFC breaks over two lines is
 * joined with one SP. */
static void
test_rfc7162_condstore(void **state)
{
	struct response_code c;

	(void)state;
	/* 3.1.2.1 example 1 (also example 18); HIGHESTMODSEQ comes with
	 * no text after the code */
	code_ok("* OK [UNSEEN 12] Message 12 is first unseen\r\n",
	    RESP_CODE_UNSEEN, &c);
	assert_int_equal(c.number, 12);
	code_ok("* OK [HIGHESTMODSEQ 715194045007]\r\n",
	    RESP_CODE_HIGHESTMODSEQ, &c);
	assert_true(c.modseq == 715194045007ULL);
	/* 3.1.2.2 example 2 */
	code_ok("* OK [NOMODSEQ] Sorry, this mailbox format doesn't support "
	    "modsequences\r\n", RESP_CODE_NOMODSEQ, &c);
	/* 3.1.3 examples 5, 6, 8, 9 and 11 */
	code_ok("* OK [HIGHESTMODSEQ 12111230047]\r\n",
	    RESP_CODE_HIGHESTMODSEQ, &c);
	assert_true(c.modseq == 12111230047ULL);
	code_ok("d105 OK [MODIFIED 7,9] Conditional STORE failed\r\n",
	    RESP_CODE_MODIFIED, &c);
	assert_set(&c.set, "7,9");
	response_code_free(&c);
	code_ok("a102 OK [MODIFIED 12] Conditional STORE failed\r\n",
	    RESP_CODE_MODIFIED, &c);
	assert_set(&c.set, "12");
	response_code_free(&c);
	code_ok("a106 OK [MODIFIED 101] Conditional STORE failed\r\n",
	    RESP_CODE_MODIFIED, &c);
	assert_set(&c.set, "101");
	response_code_free(&c);
	code_ok("B001 NO [MODIFIED 2] Some of the messages no longer "
	    "exist.\r\n", RESP_CODE_MODIFIED, &c);
	assert_set(&c.set, "2");
	response_code_free(&c);
	/* 3.2.5: UIDVALIDITY mismatch */
	code_ok("* OK [HIGHESTMODSEQ 90060128194045007] Highest mailbox "
	    "mod-sequence\r\n", RESP_CODE_HIGHESTMODSEQ, &c);
	assert_true(c.modseq == 90060128194045007ULL);
	code_ok("A02 OK [READ-WRITE] Sorry, UIDVALIDITY mismatch\r\n",
	    RESP_CODE_READ_WRITE, &c);
	/* 3.2.5.1 */
	code_ok("* OK [CLOSED]\r\n", RESP_CODE_CLOSED, &c);
	code_ok("* OK [UIDVALIDITY 67890007] UIDVALIDITY\r\n",
	    RESP_CODE_UIDVALIDITY, &c);
	assert_int_equal(c.number, 67890007);
	code_ok("* OK [UIDNEXT 600] Predicted next UID\r\n", RESP_CODE_UIDNEXT,
	    &c);
	assert_int_equal(c.number, 600);
	code_ok("* OK [HIGHESTMODSEQ 90060115205545359] Highest mailbox "
	    "mod-sequence\r\n", RESP_CODE_HIGHESTMODSEQ, &c);
	assert_true(c.modseq == 90060115205545359ULL);
	code_ok("* OK [UNSEEN 7] There are some unseen messages in the "
	    "mailbox\r\n", RESP_CODE_UNSEEN, &c);
	assert_int_equal(c.number, 7);
	/* 3.2.7 (EXPUNGE) */
	code_ok("A202 OK [HIGHESTMODSEQ 20010715194045319] expunged\r\n",
	    RESP_CODE_HIGHESTMODSEQ, &c);
	assert_true(c.modseq == 20010715194045319ULL);
	/* 6 */
	code_ok("* OK [HIGHESTMODSEQ 99] VANISHED reply with MODSEQ 100 is "
	    "delayed\r\n", RESP_CODE_HIGHESTMODSEQ, &c);
	assert_true(c.modseq == 99);
	code_ok("A150 OK [MODIFIED 3] done\r\n", RESP_CODE_MODIFIED, &c);
	assert_set(&c.set, "3");
	response_code_free(&c);
}

/* Codes of RFC 9208 4.3.1 and RFC 6154 5.3, byte for byte */
static void
test_rfc9208_rfc6154_codes(void **state)
{
	struct response_code c;

	(void)state;
	code_ok("A003 NO [OVERQUOTA] APPEND Failed\r\n", RESP_CODE_OVERQUOTA,
	    &c);
	code_ok("* NO [OVERQUOTA] Soft quota has been exceeded\r\n",
	    RESP_CODE_OVERQUOTA, &c);
	/* USEATTR has no table row: it keeps its name, without arguments */
	code_ok("t3 NO [USEATTR] \\All not supported\r\n", RESP_CODE_UNKNOWN,
	    &c);
	assert_string_equal(c.name, "USEATTR");
	assert_null(c.args);
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
assert_count(const char *text, enum message_count_kind kind, uint32_t n)
{
	struct message_count m;
	const char *err = NULL;

	if (!decode_message_count(test_parse_response(text), &m, &err))
		fail_msg("%s: %s", text, err);
	assert_int_equal(m.kind, kind);
	assert_int_equal(m.n, n);
}

/* Decode a VANISHED response and compare its set and count. */
static void
assert_vanished(const char *text, bool earlier, const char *set,
    uint64_t count)
{
	struct vanished v;
	const char *err = NULL;

	if (!decode_vanished(test_parse_response(text), &v, &err))
		fail_msg("%s: %s", text, err);
	assert_int_equal(v.earlier, earlier);
	assert_set(&v.uids, set);
	assert_true(seqset_count(&v.uids, 0) == count);
	vanished_free(&v);
}

/* FLAGS, EXISTS, RECENT, EXPUNGE (RFC 9051, RFC 7162) and VANISHED
 * (RFC 7162) responses of the RFCs, byte for byte. */
static void
test_rfc_untagged(void **state)
{
	static const char *const system[] = { "\\Answered", "\\Flagged",
		"\\Deleted", "\\Seen", "\\Draft" };
	struct atom_list l;
	const char *err;

	(void)state;
	/* RFC 9051 7.3.5 (and 6.3.2) */
	assert_true(decode_flags(test_parse_response("* FLAGS (\\Answered "
	    "\\Flagged \\Deleted \\Seen \\Draft)\r\n"), &l, &err));
	assert_atoms(&l, system, 5);
	atom_list_free(&l);
	/* RFC 9051 7.4.1, 6.3.2, 6.3.3 and 7.5.1 */
	assert_count("* 23 EXISTS\r\n", MESSAGE_COUNT_EXISTS, 23);
	assert_count("* 172 EXISTS\r\n", MESSAGE_COUNT_EXISTS, 172);
	assert_count("* 17 EXISTS\r\n", MESSAGE_COUNT_EXISTS, 17);
	assert_count("* 44 EXPUNGE\r\n", MESSAGE_COUNT_EXPUNGE, 44);
	/* RFC 9051 6.3.2 mentions IMAP4rev1's "* 0 RECENT"; RFC 7162
	 * 3.1.2.1 example 1 has "* 1 RECENT" */
	assert_count("* 0 RECENT\r\n", MESSAGE_COUNT_RECENT, 0);
	assert_count("* 1 RECENT\r\n", MESSAGE_COUNT_RECENT, 1);
	/* RFC 7162 3.2.5.1 and 3.2.6: VANISHED (EARLIER) */
	assert_vanished("* VANISHED (EARLIER) 41,43:116,118,120:211,214:540"
	    "\r\n", true, "41,43:116,118,120:211,214:540",
	    1 + 74 + 1 + 92 + 327);
	assert_vanished("* VANISHED (EARLIER) 300:310,405,411\r\n", true,
	    "300:310,405,411", 11 + 1 + 1);
	/* RFC 7162 3.2.7, 3.2.10.2 and 6: VANISHED in lieu of EXPUNGE */
	assert_vanished("* VANISHED 405,407,410,425\r\n", false,
	    "405,407,410,425", 4);
	assert_vanished("* VANISHED 505,507,510,625\r\n", false,
	    "505,507,510,625", 4);
	assert_vanished("* VANISHED 504,508\r\n", false, "504,508", 2);
	assert_vanished("* VANISHED 8\r\n", false, "8", 1);
}

static void
test_untagged(void **state)
{
	struct message_count m;
	struct atom_list l;
	struct vanished v;
	const char *err;

	(void)state;
	assert_true(decode_flags(test_parse_response("* FLAGS ()\r\n"), &l,
	    &err));
	assert_int_equal(l.count, 0);
	atom_list_free(&l);
	assert_false(decode_flags(test_parse_response("* FLAGS \\Seen\r\n"),
	    &l, &err));
	assert_count("* 0 EXISTS\r\n", MESSAGE_COUNT_EXISTS, 0);
	/* recorded from both servers */
	assert_count("* 23 EXPUNGE\r\n", MESSAGE_COUNT_EXPUNGE, 23);
	assert_false(decode_message_count(test_parse_response(
	    "* 0 EXPUNGE\r\n"), &m, &err));
	assert_false(decode_message_count(test_parse_response(
	    "* 4294967296 EXISTS\r\n"), &m, &err));
	assert_false(decode_message_count(test_parse_response(
	    "* 3 FETCH (FLAGS ())\r\n"), &m, &err));
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
		cmocka_unit_test(test_rfc9051_7_1_codes),
		cmocka_unit_test(test_codes_constructed),
		cmocka_unit_test(test_rfc4315_uidplus),
		cmocka_unit_test(test_rfc7162_condstore),
		cmocka_unit_test(test_rfc9208_rfc6154_codes),
		cmocka_unit_test(test_unknown_and_malformed),
		cmocka_unit_test(test_recorded_select),
		cmocka_unit_test(test_rfc_untagged),
		cmocka_unit_test(test_untagged),
	};

	return cmocka_run_group_tests_name("decode-code", tests, setup,
	    teardown);
}
