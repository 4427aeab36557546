/* Unit tests for decode-fetch: RFC 9051's example and replies recorded
 * from Dovecot and Cyrus (the fuzz corpus holds the raw files). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "decode-fetch.h"
#include "parse-response.h"

static void
test_rfc9051_example(void **state)
{
	struct fetch_response f;
	const struct envelope *e = &f.envelope;
	const char *err;
	char iso[40];

	assert_true(decode_fetch(test_parse_response(
	    "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 "
	    "-0700\" RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 "
	    "-0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" ((\"Terry "
	    "Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL "
	    "\"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" "
	    "\"cac.washington.edu\")) ((NIL NIL \"imap\" "
	    "\"cac.washington.edu\")) ((NIL NIL \"minutes\" "
	    "\"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" "
	    "\"MIT.EDU\")) NIL NIL \"<B27397-0100000@cac.washington.edu>\") "
	    "BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL "
	    "\"7BIT\" 3028 92))\r\n"),
	    &f, &err));
	assert_int_equal(f.seq, 12);
	assert_int_equal(f.present, FETCH_FLAGS | FETCH_INTERNALDATE |
		FETCH_SIZE | FETCH_ENVELOPE | FETCH_BODYSTRUCTURE);
	assert_int_equal(f.flag_count, 1);
	assert_string_equal(f.flags[0], "\\Seen");
	assert_true(f.size == 4286);
	assert_true(f.internaldate.epoch == 837596665);
	assert_int_equal(f.internaldate.tz_minutes, -420);
	fetch_format_iso8601(&f.internaldate, iso, sizeof(iso));
	assert_string_equal(iso, "1996-07-17T02:44:25-07:00");
	assert_string_equal(e->subject, "IMAP4rev1 WG mtg summary and minutes");
	assert_string_equal(e->date, "Wed, 17 Jul 1996 02:23:25 -0700 (PDT)");
	assert_int_equal(e->address_count[ENVELOPE_FROM], 1);
	assert_string_equal(e->addresses[ENVELOPE_FROM][0].name, "Terry Gray");
	assert_string_equal(e->addresses[ENVELOPE_FROM][0].mailbox, "gray");
	assert_int_equal(e->address_count[ENVELOPE_CC], 2);
	assert_null(e->addresses[ENVELOPE_CC][0].name);
	assert_string_equal(e->addresses[ENVELOPE_CC][1].host, "MIT.EDU");
	assert_int_equal(e->address_count[ENVELOPE_BCC], 0);
	assert_null(e->in_reply_to);
	assert_string_equal(e->message_id,
	    "<B27397-0100000@cac.washington.edu>");
	assert_string_equal(envelope_field_name(ENVELOPE_REPLY_TO), "reply_to");
	fetch_response_free(&f);
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
		cmocka_unit_test(test_recorded_cyrus_fetch),
		cmocka_unit_test(test_groups_and_literals),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests_name("decode-fetch", tests, NULL,
	    test_parse_cleanup);
}
