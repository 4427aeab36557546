/* Unit tests for decode-fetch: the FETCH examples of RFC 9051, 7162 and
 * 4314, and replies recorded from Dovecot and Cyrus (the fuzz corpus
 * holds the raw files). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode-fetch.h"
#include "parse-response.h"

/* RFC 9051 8 (the sample connection's "fetch 12 full"), byte for byte;
 * the RFC breaks the response over lines, joined here with one SP, or
 * with none after "(" and between two addresses, as the grammar wants.
 * Its message-id ends in "washington.ed>", while the header fetched next
 * in the same sample says "washington.edu>": the envelope is decoded as
 * sent. (RFC 3501 8 has "IMAP4rev1 WG" and ".edu>" here.) */
static void
test_rfc9051_example(void **state)
{
	struct fetch_response f;
	const struct envelope *e = &f.envelope;
	const struct envelope_address *a;
	const char *err;
	char iso[40];
	size_t i;

	(void)state;
	assert_true(decode_fetch(test_parse_response(
	    "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 "
	    "-0700\" RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 "
	    "-0700 (PDT)\" \"IMAP4rev2 WG mtg summary and minutes\" ((\"Terry "
	    "Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL "
	    "\"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" "
	    "\"cac.washington.edu\")) ((NIL NIL \"imap\" "
	    "\"cac.washington.edu\")) ((NIL NIL \"minutes\" "
	    "\"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" "
	    "\"MIT.EDU\")) NIL NIL \"<B27397-0100000@cac.washington.ed>\") "
	    "BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL "
	    "\"7BIT\" 3028 92))\r\n"),
	    &f, &err));
	assert_int_equal(f.seq, 12);
	assert_int_equal(f.present, FETCH_FLAGS | FETCH_INTERNALDATE |
		FETCH_SIZE | FETCH_ENVELOPE | FETCH_BODYSTRUCTURE);
	assert_int_equal(f.flag_count, 1);
	assert_string_equal(f.flags[0], "\\Seen");
	assert_true(f.size == 4286);
	assert_string_equal(f.internaldate_raw, "17-Jul-1996 02:44:25 -0700");
	assert_true(f.internaldate.epoch == 837596665);
	assert_int_equal(f.internaldate.tz_minutes, -420);
	fetch_format_iso8601(&f.internaldate, iso, sizeof(iso));
	assert_string_equal(iso, "1996-07-17T02:44:25-07:00");
	assert_string_equal(e->date, "Wed, 17 Jul 1996 02:23:25 -0700 (PDT)");
	assert_string_equal(e->subject, "IMAP4rev2 WG mtg summary and minutes");
	/* from, sender and reply-to are the same one address */
	for (i = ENVELOPE_FROM; i <= ENVELOPE_REPLY_TO; i++) {
		assert_int_equal(e->address_count[i], 1);
		a = &e->addresses[i][0];
		assert_string_equal(a->name, "Terry Gray");
		assert_null(a->adl);
		assert_string_equal(a->mailbox, "gray");
		assert_string_equal(a->host, "cac.washington.edu");
	}
	assert_int_equal(e->address_count[ENVELOPE_TO], 1);
	a = &e->addresses[ENVELOPE_TO][0];
	assert_null(a->name);
	assert_string_equal(a->mailbox, "imap");
	assert_string_equal(a->host, "cac.washington.edu");
	assert_int_equal(e->address_count[ENVELOPE_CC], 2);
	a = e->addresses[ENVELOPE_CC];
	assert_null(a[0].name);
	assert_string_equal(a[0].mailbox, "minutes");
	assert_string_equal(a[0].host, "CNRI.Reston.VA.US");
	assert_string_equal(a[1].name, "John Klensin");
	assert_string_equal(a[1].mailbox, "KLENSIN");
	assert_string_equal(a[1].host, "MIT.EDU");
	assert_int_equal(e->address_count[ENVELOPE_BCC], 0);
	assert_null(e->in_reply_to);
	assert_string_equal(e->message_id,
	    "<B27397-0100000@cac.washington.ed>");
	assert_non_null(f.bodystructure);
	assert_string_equal(envelope_field_name(ENVELOPE_REPLY_TO), "reply_to");
	fetch_response_free(&f);
}

/* What one FETCH response without an envelope must decode to. */
struct fetch_case {
	const char *text;
	uint32_t seq;
	unsigned present;
	uint32_t uid;
	uint64_t modseq;
	uint64_t size;
	const char *flags[4]; /* up to the first NULL */
};

/* FETCH responses of RFC 9051, RFC 7162 and RFC 4314, byte for byte; a
 * response the RFC breaks over two lines is joined with one SP. */
static void
test_rfc_fetch_items(void **state)
{
	static const struct fetch_case cases[] = {
		/* RFC 9051 7.5.2 */
		{ "* 23 FETCH (FLAGS (\\Seen) RFC822.SIZE 44827 UID 447)\r\n",
		  23, FETCH_FLAGS | FETCH_SIZE | FETCH_UID, 447, 0, 44827,
		  { "\\Seen" } },
		/* RFC 9051 6.4.9 (UID FETCH) */
		{ "* 23 FETCH (FLAGS (\\Seen) UID 4827313)\r\n", 23,
		  FETCH_FLAGS | FETCH_UID, 4827313, 0, 0, { "\\Seen" } },
		{ "* 25 FETCH (FLAGS (\\Seen) UID 4828442)\r\n", 25,
		  FETCH_FLAGS | FETCH_UID, 4828442, 0, 0, { "\\Seen" } },
		/* RFC 9051 8 (store 12 +flags \deleted) */
		{ "* 12 FETCH (FLAGS (\\Seen \\Deleted))\r\n", 12, FETCH_FLAGS,
		  0, 0, 0, { "\\Seen", "\\Deleted" } },
		/* RFC 7162 3.1.3 examples 3, 4 and 7 */
		{ "* 1 FETCH (UID 4 MODSEQ (12121231000))\r\n", 1,
		  FETCH_UID | FETCH_MODSEQ, 4, 12121231000ULL, 0, { NULL } },
		{ "* 50 FETCH (MODSEQ (12111230047))\r\n", 50, FETCH_MODSEQ, 0,
		  12111230047ULL, 0, { NULL } },
		{ "* 7 FETCH (MODSEQ (320162342) FLAGS (\\Seen \\Deleted))\r\n",
		  7, FETCH_MODSEQ | FETCH_FLAGS, 0, 320162342, 0,
		  { "\\Seen", "\\Deleted" } },
		/* RFC 7162 3.1.3 example 11: flags keep the server's case */
		{ "* 2 FETCH (MODSEQ (320180050) FLAGS (\\SEEN \\Flagged))\r\n",
		  2, FETCH_MODSEQ | FETCH_FLAGS, 0, 320180050, 0,
		  { "\\SEEN", "\\Flagged" } },
		/* RFC 7162 3.1.4.1 example 12 */
		{ "* 4 FETCH (UID 8 MODSEQ (29738) FLAGS ($NoJunk $AutoJunk "
		  "$MDNSent))\r\n", 4, FETCH_UID | FETCH_MODSEQ | FETCH_FLAGS,
		  8, 29738, 0, { "$NoJunk", "$AutoJunk", "$MDNSent" } },
		/* RFC 7162 3.1.4.2 examples 13 and 14 */
		{ "* 2 FETCH (MODSEQ (624140007))\r\n", 2, FETCH_MODSEQ, 0,
		  624140007, 0, { NULL } },
		{ "* 7 FETCH (FLAGS (\\Deleted \\Answered \\Seen) MODSEQ "
		  "(12121231777))\r\n", 7, FETCH_FLAGS | FETCH_MODSEQ, 0,
		  12121231777ULL, 0, { "\\Deleted", "\\Answered", "\\Seen" } },
		/* RFC 7162 3.2.5.1 */
		{ "* 50 FETCH (UID 119 FLAGS (\\Draft $MDNSent) MODSEQ "
		  "(90060115194045308))\r\n", 50,
		  FETCH_UID | FETCH_FLAGS | FETCH_MODSEQ, 119,
		  90060115194045308ULL, 0, { "\\Draft", "$MDNSent" } },
		/* RFC 4314 4 */
		{ "* 78 FETCH (FLAGS ())\r\n", 78, FETCH_FLAGS, 0, 0, 0,
		  { NULL } },
		{ "* 79 FETCH (FLAGS ($Forwarded \\Seen))\r\n", 79, FETCH_FLAGS,
		  0, 0, 0, { "$Forwarded", "\\Seen" } },
	};
	struct fetch_response f;
	const char *err;
	size_t i, j, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fetch_case *c = &cases[i];

		err = NULL;
		if (!decode_fetch(test_parse_response(c->text), &f, &err))
			fail_msg("%s: %s", c->text, err);
		assert_int_equal(f.seq, c->seq);
		assert_int_equal(f.present, c->present);
		assert_int_equal(f.uid, c->uid);
		assert_true(f.modseq == c->modseq);
		assert_true(f.size == c->size);
		for (n = 0; n < 4 && c->flags[n] != NULL; n++)
			;
		assert_int_equal(f.flag_count, n);
		for (j = 0; j < n; j++)
			assert_string_equal(f.flags[j], c->flags[j]);
		fetch_response_free(&f);
	}
}

/* RFC 4314 4's first three FETCH responses each lack their last ")"
 * ("* 1 FETCH (FLAGS (\Draft \Deleted)"): the RFC is wrong there, and
 * the parser refuses such a line. */
static void
test_rfc4314_unclosed_fetch(void **state)
{
	static const char text[] = "* 1 FETCH (FLAGS (\\Draft \\Deleted)\r\n";
	struct imap_parser *p = imap_parser_new(NULL);
	const struct imap_response *r = NULL;
	const char *err = NULL;
	size_t used;

	(void)state;
	assert_int_equal(imap_parser_parse(p, (const unsigned char *)text,
	    strlen(text), &used, &r, &err), IMAP_PARSE_ERROR);
	assert_non_null(strstr(err, "ended inside a list"));
	imap_parser_free(&p);
}

static void
test_recorded_cyrus_fetch(void **state)
{
	struct fetch_response f;
	const char *err;
	char iso[40];

	assert_true(decode_fetch(test_parse_response(
	    "* 2 FETCH (FLAGS (\\Recent \\Answered \\Seen) UID 2 INTERNALDATE "
	    "\"14-Nov-2023 08:14:07 +0000\" MODSEQ (3) RFC822.SIZE 483 "
	    "ENVELOPE (\"Tue, 14 Nov 2023 09:12:30 +0100\" "
	    "\"=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=\" "
	    "((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"juergen.mueller\" "
	    "\"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL "
	    "\"juergen.mueller\" \"example.de\")) "
	    "((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"juergen.mueller\" "
	    "\"example.de\")) ((\"Alice Liddell\" NIL \"alice\" "
	    "\"example.org\")) NIL NIL NIL \"<utf8-8bit.0002@imapwb.example>\")"
	    ")\r\n"),
	    &f, &err));
	assert_int_equal(f.uid, 2);
	assert_true(f.modseq == 3);
	assert_int_equal(f.flag_count, 3);
	assert_true(f.internaldate.epoch == 1699949647);
	fetch_format_iso8601(&f.internaldate, iso, sizeof(iso));
	assert_string_equal(iso, "2023-11-14T08:14:07+00:00");
	assert_string_equal(f.envelope.subject,
	    "=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=");
	assert_string_equal(f.envelope.addresses[ENVELOPE_TO][0].mailbox,
	    "alice");
	fetch_response_free(&f);
}

static void
test_groups_and_literals(void **state)
{
	struct fetch_response f;
	const struct envelope_address *to;
	const char *err;

	/* "undisclosed-recipients:;" and a named group with one member; a
	 * subject sent as a literal (Dovecot does that for long ones) */
	assert_true(decode_fetch(test_parse_response(
	    "* 3 FETCH (ENVELOPE (NIL {5}\r\nHallo NIL NIL NIL "
	    "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)"
	    "(NIL NIL \"Team\" NIL)(\"Bob\" NIL \"bob\" \"example.org\")"
	    "(NIL NIL NIL NIL)) NIL NIL NIL NIL))\r\n"),
	    &f, &err));
	assert_null(f.envelope.date);
	assert_string_equal(f.envelope.subject, "Hallo");
	assert_int_equal(f.envelope.address_count[ENVELOPE_TO], 5);
	to = f.envelope.addresses[ENVELOPE_TO];
	assert_string_equal(to[0].mailbox, "undisclosed-recipients");
	assert_null(to[0].host);
	assert_null(to[1].mailbox);
	assert_string_equal(to[3].host, "example.org");
	fetch_response_free(&f);
}

static void
test_dates(void **state)
{
	struct fetch_date d;
	char iso[40];

	/* Cyrus pads the day with a space */
	assert_true(fetch_parse_date_time(" 5-Dec-2023 10:00:00 +0100", &d));
	assert_true(d.epoch == 1701766800);
	fetch_format_iso8601(&d, iso, sizeof(iso));
	assert_string_equal(iso, "2023-12-05T10:00:00+01:00");
	assert_true(fetch_parse_date_time("05-Dec-2023 10:00:00 +0100", &d));
	assert_true(d.epoch == 1701766800);
	assert_false(fetch_parse_date_time("5-Dec-2023 10:00:00 +0100", &d));
	assert_false(fetch_parse_date_time("05-Foo-2023 10:00:00 +0100", &d));
	assert_false(fetch_parse_date_time("05-Dec-2023 25:00:00 +0100", &d));
	assert_false(fetch_parse_date_time("05-Dec-2023 10:00:00 0100", &d));
	/* a zone west of UTC crossing midnight backwards */
	assert_true(fetch_parse_date_time("01-Jan-1970 00:30:00 +0100", &d));
	assert_true(d.epoch == -1800);
	fetch_format_iso8601(&d, iso, sizeof(iso));
	assert_string_equal(iso, "1970-01-01T00:30:00+01:00");
}

static void
test_malformed(void **state)
{
	struct fetch_response f;
	const char *err;

	assert_false(decode_fetch(test_parse_response("* 0 FETCH (UID 1)\r\n"), &f, &err));
	assert_false(decode_fetch(test_parse_response("* 1 FETCH (UID)\r\n"), &f, &err));
	assert_false(decode_fetch(test_parse_response("* 1 FETCH (UID 0)\r\n"), &f, &err));
	assert_string_equal(err, "FETCH: an item has a bad value");
	assert_false(decode_fetch(test_parse_response("* 1 FETCH (UID 4294967296)\r\n"), &f,
	    &err));
	assert_false(decode_fetch(test_parse_response("* 1 FETCH (FLAGS \\Seen)\r\n"), &f,
	    &err));
	assert_false(decode_fetch(test_parse_response("* 1 FETCH (ENVELOPE (NIL))\r\n"), &f,
	    &err));
	assert_string_equal(err, "ENVELOPE: malformed");
	assert_false(decode_fetch(test_parse_response("* 1 FETCH (INTERNALDATE \"x\")\r\n"),
	    &f, &err));
	assert_false(decode_fetch(test_parse_response("* 1 FETCH (MODSEQ 5)\r\n"), &f, &err));
	/* items this decoder does not read are skipped */
	assert_true(decode_fetch(test_parse_response("* 1 FETCH (BODY[HEADER] {2}\r\nab "
				       "PREVIEW \"x\")\r\n"),
	    &f, &err));
	assert_int_equal(f.present, 0);
	fetch_response_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9051_example),
		cmocka_unit_test(test_rfc_fetch_items),
		cmocka_unit_test(test_rfc4314_unclosed_fetch),
		cmocka_unit_test(test_recorded_cyrus_fetch),
		cmocka_unit_test(test_groups_and_literals),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests_name("decode-fetch", tests, NULL,
	    test_parse_cleanup);
}
