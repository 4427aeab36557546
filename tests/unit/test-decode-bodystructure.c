/* Unit tests for decode-bodystructure: RFC 9051's examples, replies
 * recorded from Dovecot and Cyrus (fuzz/corpus/imap-parser, copied here
 * as C strings), checked against the test bed's manifest
 * (tests/testbed/mailgen.py: `parts`), and malformed trees. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "decode-bodystructure.h"
#include "decode-fetch.h"
#include "parse-response.h"
#include "util-buf.h"

/* One leaf as the manifest lists it; lines < 0 when there are none. */
struct expect {
	const char *part;
	const char *type;
	const char *charset;
	const char *encoding;
	const char *disposition;
	const char *filename;
	uint64_t size;
	int64_t lines;
};

/* fuzz/corpus/imap-parser/dovecot-fetch-envelope-007 */
static const char dovecot_007[] =
	"* 7 FETCH (UID 7 FLAGS (\\Flagged \\Seen \\Recent) RFC822.SIZE 335"
	"94 INTERNALDATE \"02-Dec-2023 09:16:37 +0000\" MODSEQ (3) ENVELOPE"
	" (\"Sat, 02 Dec 2023 10:15:00 +0100\" \"Q3 report\" ((\"Dana Scull"
	"y\" NIL \"dana\" \"example.org\")) ((\"Dana Scully\" NIL \"dana\" "
	"\"example.org\")) ((\"Dana Scully\" NIL \"dana\" \"example.org\"))"
	" ((NIL NIL \"Project Team\" NIL)(\"Alice Liddell\" NIL \"alice\" "
	"\"example.org\")(\"Bob Builder\" NIL \"bob\" \"example.org\")(NIL "
	"NIL NIL NIL)(\"Carol Jones\" NIL \"carol\" \"example.net\")) ((\"D"
	"oe, John\" NIL \"john.doe\" \"example.com\")) NIL NIL \"<attach-pd"
	"f.0007@imapwb.example>\") BODYSTRUCTURE ((\"text\" \"plain\" (\"ch"
	"arset\" \"us-ascii\") NIL NIL \"7bit\" 26 3 NIL NIL NIL NIL)(\"app"
	"lication\" \"pdf\" (\"name\" \"report-q3.pdf\") NIL NIL \"base64\""
	" 32844 NIL (\"attachment\" (\"filename\" \"report-q3.pdf\")) NIL N"
	"IL) \"mixed\" (\"boundary\" \"mixed-2-b0undary\") NIL NIL NIL))\r"
	"\n";

/* fuzz/corpus/imap-parser/cyrus-fetch-envelope-007 */
static const char cyrus_007[] =
	"* 7 FETCH (FLAGS (\\Recent \\Flagged \\Seen) UID 7 INTERNALDATE \""
	" 2-Dec-2023 09:16:37 +0000\" MODSEQ (8) RFC822.SIZE 33594 ENVELOPE"
	" (\"Sat, 02 Dec 2023 10:15:00 +0100\" \"Q3 report\" ((\"Dana Scull"
	"y\" NIL \"dana\" \"example.org\")) ((\"Dana Scully\" NIL \"dana\" "
	"\"example.org\")) ((\"Dana Scully\" NIL \"dana\" \"example.org\"))"
	" ((NIL NIL \"Project Team\" NIL)(\"Alice Liddell\" NIL \"alice\" "
	"\"example.org\")(\"Bob Builder\" NIL \"bob\" \"example.org\")(NIL "
	"NIL NIL NIL)(\"Carol Jones\" NIL \"carol\" \"example.net\")) ((\"D"
	"oe, John\" NIL \"john.doe\" \"example.com\")) NIL NIL \"<attach-pd"
	"f.0007@imapwb.example>\") BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CH"
	"ARSET\" \"us-ascii\") NIL NIL \"7BIT\" 26 3 NIL NIL NIL NIL)(\"APP"
	"LICATION\" \"PDF\" (\"NAME\" \"report-q3.pdf\") NIL NIL \"BASE64\""
	" 32844 NIL (\"ATTACHMENT\" (\"FILENAME\" \"report-q3.pdf\")) NIL N"
	"IL) \"MIXED\" (\"BOUNDARY\" \"mixed-2-b0undary\") NIL NIL NIL))\r"
	"\n";

/* fuzz/corpus/imap-parser/dovecot-fetch-envelope-008 */
static const char dovecot_008[] =
	"* 8 FETCH (UID 8 FLAGS (\\Seen \\Recent) RFC822.SIZE 29817 INTERNA"
	"LDATE \"03-Dec-2023 10:01:37 +0000\" MODSEQ (3) ENVELOPE (\"Sun, 0"
	"3 Dec 2023 11:00:00 +0100\" \"=?UTF-8?Q?Unterlagen_f=C3=BCr_M=C3=A"
	"4rz?=\" ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"juergen.mu"
	"eller\" \"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\""
	" NIL \"juergen.mueller\" \"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrge"
	"n_M=C3=BCller?=\" NIL \"juergen.mueller\" \"example.de\")) ((\"Ali"
	"ce Liddell\" NIL \"alice\" \"example.org\")) NIL NIL NIL \"<attach"
	"-intl.0008@imapwb.example>\") BODYSTRUCTURE ((\"text\" \"plain\" ("
	"\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 68 3 NIL NIL N"
	"IL NIL)(\"application\" \"vnd.openxmlformats-officedocument.spread"
	"sheetml.sheet\" (\"name*\" \"utf-8''%C3%9Cbersicht%20M%C3%A4rz%202"
	"023.xlsx\") NIL NIL \"base64\" 12316 NIL (\"attachment\" (\"filena"
	"me*\" \"utf-8''%C3%9Cbersicht%20M%C3%A4rz%202023.xlsx\")) NIL NIL)"
	"(\"application\" \"pdf\" (\"name\" \"=?UTF-8?B?UHLDvGZiZXJpY2h0IOK"
	"AkyBlbmRnw7xsdGlnLnBkZg==?=\") NIL NIL \"base64\" 16422 NIL (\"att"
	"achment\" (\"filename\" \"=?UTF-8?Q?Pr=C3=BCfbericht_=E2=80=93_end"
	"g=C3=BCltig=2Epdf?=\")) NIL NIL) \"mixed\" (\"boundary\" \"mixed-3"
	"-b0undary\") NIL NIL NIL))\r\n";

/* fuzz/corpus/imap-parser/cyrus-fetch-envelope-008 */
static const char cyrus_008[] =
	"* 8 FETCH (FLAGS (\\Recent \\Seen) UID 8 INTERNALDATE \" 3-Dec-202"
	"3 10:01:37 +0000\" MODSEQ (9) RFC822.SIZE 29817 ENVELOPE (\"Sun, 0"
	"3 Dec 2023 11:00:00 +0100\" \"=?UTF-8?Q?Unterlagen_f=C3=BCr_M=C3=A"
	"4rz?=\" ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"juergen.mu"
	"eller\" \"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\""
	" NIL \"juergen.mueller\" \"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrge"
	"n_M=C3=BCller?=\" NIL \"juergen.mueller\" \"example.de\")) ((\"Ali"
	"ce Liddell\" NIL \"alice\" \"example.org\")) NIL NIL NIL \"<attach"
	"-intl.0008@imapwb.example>\") BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" ("
	"\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 68 3 NIL NIL N"
	"IL NIL)(\"APPLICATION\" \"VND.OPENXMLFORMATS-OFFICEDOCUMENT.SPREAD"
	"SHEETML.SHEET\" (\"NAME*\" {45}\r\nutf-8''%C3%9Cbersicht%20M%C3%A4"
	"rz%202023.xlsx) NIL NIL \"BASE64\" 12316 NIL (\"ATTACHMENT\" (\"FI"
	"LENAME*\" {45}\r\nutf-8''%C3%9Cbersicht%20M%C3%A4rz%202023.xlsx)) "
	"NIL NIL)(\"APPLICATION\" \"PDF\" (\"NAME\" \"=?UTF-8?B?UHLDvGZiZXJ"
	"pY2h0IOKAkyBlbmRnw7xsdGlnLnBkZg==?=\") NIL NIL \"BASE64\" 16422 NI"
	"L (\"ATTACHMENT\" (\"FILENAME\" \"=?UTF-8?Q?Pr=C3=BCfbericht_=E2=8"
	"0=93_endg=C3=BCltig=2Epdf?=\")) NIL NIL) \"MIXED\" (\"BOUNDARY\" "
	"\"mixed-3-b0undary\") NIL NIL NIL))\r\n";

/* fuzz/corpus/imap-parser/dovecot-fetch-envelope-009 */
static const char dovecot_009[] =
	"* 9 FETCH (UID 9 FLAGS (\\Recent) RFC822.SIZE 12683 INTERNALDATE "
	"\"04-Dec-2023 06:31:37 +0000\" MODSEQ (3) ENVELOPE (\"Mon, 04 Dec "
	"2023 15:30:00 +0900\" \"=?UTF-8?B?UHJvamVrdHBsYW4gbWl0IExvZ28=?=\""
	" ((\"=?UTF-8?B?5L2Q6Jek6Iqx5a2Q?=\" NIL \"sato\" \"example.jp\")) "
	"((\"=?UTF-8?B?5L2Q6Jek6Iqx5a2Q?=\" NIL \"sato\" \"example.jp\")) ("
	"(\"=?UTF-8?B?5L2Q6Jek6Iqx5a2Q?=\" NIL \"sato\" \"example.jp\")) (("
	"\"Alice Liddell\" NIL \"alice\" \"example.org\")(\"Bob Builder\" N"
	"IL \"bob\" \"example.org\")) NIL NIL NIL \"<nested.0009@imapwb.exa"
	"mple>\") BODYSTRUCTURE (((\"text\" \"plain\" (\"charset\" \"utf-8"
	"\") NIL NIL \"8bit\" 142 6 NIL NIL NIL NIL)(\"text\" \"html\" (\"c"
	"harset\" \"utf-8\") NIL NIL \"quoted-printable\" 218 8 NIL NIL NIL"
	" NIL) \"alternative\" (\"boundary\" \"inner-4-b0undary\") NIL NIL "
	"NIL)(\"image\" \"png\" NIL NIL NIL \"base64\" 4106 NIL (\"inline\""
	" (\"filename\" \"logo.png\")) NIL NIL)(\"application\" \"zip\" (\""
	"name*\" \"utf-8''Projektunterlagen%20f%C3%BCr%20die%20%C3%9Cberpr%"
	"C3%BCfung%20im%20Dezember%20%28endg%C3%BCltige%20Fassung%29.zip\")"
	" NIL NIL \"base64\" 6844 NIL (\"attachment\" (\"filename*\" \"utf-"
	"8''Projektunterlagen%20f%C3%BCr%20die%20%C3%9Cberpr%C3%BCfung%20im"
	"%20Dezember%20%28endg%C3%BCltige%20Fassung%29.zip\")) NIL NIL) \"m"
	"ixed\" (\"boundary\" \"outer-4-b0undary\") NIL NIL NIL))\r\n";

/* fuzz/corpus/imap-parser/cyrus-fetch-envelope-009 */
static const char cyrus_009[] =
	"* 9 FETCH (FLAGS (\\Recent) UID 9 INTERNALDATE \" 4-Dec-2023 06:31"
	":37 +0000\" MODSEQ (10) RFC822.SIZE 12683 ENVELOPE (\"Mon, 04 Dec "
	"2023 15:30:00 +0900\" \"=?UTF-8?B?UHJvamVrdHBsYW4gbWl0IExvZ28=?=\""
	" ((\"=?UTF-8?B?5L2Q6Jek6Iqx5a2Q?=\" NIL \"sato\" \"example.jp\")) "
	"((\"=?UTF-8?B?5L2Q6Jek6Iqx5a2Q?=\" NIL \"sato\" \"example.jp\")) ("
	"(\"=?UTF-8?B?5L2Q6Jek6Iqx5a2Q?=\" NIL \"sato\" \"example.jp\")) (("
	"\"Alice Liddell\" NIL \"alice\" \"example.org\")(\"Bob Builder\" N"
	"IL \"bob\" \"example.org\")) NIL NIL NIL \"<nested.0009@imapwb.exa"
	"mple>\") BODYSTRUCTURE (((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8"
	"\") NIL NIL \"8BIT\" 142 6 NIL NIL NIL NIL)(\"TEXT\" \"HTML\" (\"C"
	"HARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 218 8 NIL NIL NIL"
	" NIL) \"ALTERNATIVE\" (\"BOUNDARY\" \"inner-4-b0undary\") NIL NIL "
	"NIL)(\"IMAGE\" \"PNG\" NIL NIL NIL \"BASE64\" 4106 NIL (\"INLINE\""
	" (\"FILENAME\" \"logo.png\")) NIL NIL)(\"APPLICATION\" \"ZIP\" (\""
	"NAME*\" {119}\r\nutf-8''Projektunterlagen%20f%C3%BCr%20die%20%C3%9"
	"Cberpr%C3%BCfung%20im%20Dezember%20%28endg%C3%BCltige%20Fassung%29"
	".zip) NIL NIL \"BASE64\" 6844 NIL (\"ATTACHMENT\" (\"FILENAME*\" {"
	"119}\r\nutf-8''Projektunterlagen%20f%C3%BCr%20die%20%C3%9Cberpr%C3"
	"%BCfung%20im%20Dezember%20%28endg%C3%BCltige%20Fassung%29.zip)) NI"
	"L NIL) \"MIXED\" (\"BOUNDARY\" \"outer-4-b0undary\") NIL NIL NIL))"
	"\r\n";

/* fuzz/corpus/imap-parser/dovecot-fetch-envelope-010 */
static const char dovecot_010[] =
	"* 10 FETCH (UID 10 FLAGS (\\Seen \\Recent) RFC822.SIZE 3231 INTERN"
	"ALDATE \"05-Dec-2023 08:21:37 +0000\" MODSEQ (3) ENVELOPE (\"Tue, "
	"05 Dec 2023 08:20:00 +0000\" \"=?UTF-8?Q?Fwd=3A_Angebot_f=C3=BCr_d"
	"ie_=C3=9Cberpr=C3=BCfung?=\" ((\"Carol Jones\" NIL \"carol\" \"exa"
	"mple.net\")) ((\"Carol Jones\" NIL \"carol\" \"example.net\")) (("
	"\"Carol Jones\" NIL \"carol\" \"example.net\")) ((\"Alice Liddell"
	"\" NIL \"alice\" \"example.org\")) NIL NIL NIL \"<forward.0010@ima"
	"pwb.example>\") BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \""
	"us-ascii\") NIL NIL \"7bit\" 32 1 NIL NIL NIL NIL)(\"message\" \"r"
	"fc822\" NIL NIL NIL \"7bit\" 2686 (\"Thu, 02 Nov 2023 16:05:00 +01"
	"00\" \"=?UTF-8?Q?Angebot_f=C3=BCr_die_=C3=9Cberpr=C3=BCfung?=\" (("
	"\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"juergen.mueller\" \""
	"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"jue"
	"rgen.mueller\" \"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCl"
	"ler?=\" NIL \"juergen.mueller\" \"example.de\")) ((\"Carol Jones\""
	" NIL \"carol\" \"example.net\")) NIL NIL NIL \"<angebot.0001@examp"
	"le.de>\") ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"8"
	"bit\" 20 1 NIL NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"An"
	"gebot.pdf\") NIL NIL \"base64\" 2054 NIL (\"attachment\" (\"filena"
	"me\" \"Angebot.pdf\")) NIL NIL) \"mixed\" (\"boundary\" \"inner-b0"
	"undary\") NIL NIL NIL) 50 NIL (\"inline\" NIL) NIL NIL) \"mixed\" "
	"(\"boundary\" \"fwd-5-b0undary\") NIL NIL NIL))\r\n";

/* fuzz/corpus/imap-parser/cyrus-fetch-envelope-010 */
static const char cyrus_010[] =
	"* 10 FETCH (FLAGS (\\Recent \\Seen) UID 10 INTERNALDATE \" 5-Dec-2"
	"023 08:21:37 +0000\" MODSEQ (11) RFC822.SIZE 3231 ENVELOPE (\"Tue,"
	" 05 Dec 2023 08:20:00 +0000\" \"=?UTF-8?Q?Fwd=3A_Angebot_f=C3=BCr_"
	"die_=C3=9Cberpr=C3=BCfung?=\" ((\"Carol Jones\" NIL \"carol\" \"ex"
	"ample.net\")) ((\"Carol Jones\" NIL \"carol\" \"example.net\")) (("
	"\"Carol Jones\" NIL \"carol\" \"example.net\")) ((\"Alice Liddell"
	"\" NIL \"alice\" \"example.org\")) NIL NIL NIL \"<forward.0010@ima"
	"pwb.example>\") BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \""
	"us-ascii\") NIL NIL \"7BIT\" 32 1 NIL NIL NIL NIL)(\"MESSAGE\" \"R"
	"FC822\" NIL NIL NIL \"7BIT\" 2686 (\"Thu, 02 Nov 2023 16:05:00 +01"
	"00\" \"=?UTF-8?Q?Angebot_f=C3=BCr_die_=C3=9Cberpr=C3=BCfung?=\" (("
	"\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"juergen.mueller\" \""
	"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"jue"
	"rgen.mueller\" \"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCl"
	"ler?=\" NIL \"juergen.mueller\" \"example.de\")) ((\"Carol Jones\""
	" NIL \"carol\" \"example.net\")) NIL NIL NIL \"<angebot.0001@examp"
	"le.de>\") ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"8"
	"BIT\" 20 1 NIL NIL NIL NIL)(\"APPLICATION\" \"PDF\" (\"NAME\" \"An"
	"gebot.pdf\") NIL NIL \"BASE64\" 2054 NIL (\"ATTACHMENT\" (\"FILENA"
	"ME\" \"Angebot.pdf\")) NIL NIL) \"MIXED\" (\"BOUNDARY\" \"inner-b0"
	"undary\") NIL NIL NIL) 50 NIL (\"INLINE\" NIL) NIL NIL) \"MIXED\" "
	"(\"BOUNDARY\" \"fwd-5-b0undary\") NIL NIL NIL))\r\n";

/* fuzz/corpus/imap-parser/dovecot-fetch-envelope-018 */
static const char dovecot_018[] =
	"* 18 FETCH (UID 18 FLAGS (\\Recent) RFC822.SIZE 20006913 INTERNALD"
	"ATE \"13-Dec-2023 00:01:37 +0000\" MODSEQ (3) ENVELOPE (\"Tue, 12 "
	"Dec 2023 16:00:00 -0800\" \"All-hands recording\" ((\"Ops Team\" N"
	"IL \"ops\" \"example.org\")) ((\"Ops Team\" NIL \"ops\" \"example."
	"org\")) ((\"Ops Team\" NIL \"ops\" \"example.org\")) ((\"Alice Lid"
	"dell\" NIL \"alice\" \"example.org\")) NIL NIL NIL \"<big-20mb.001"
	"8@imapwb.example>\") BODYSTRUCTURE ((\"text\" \"plain\" (\"charset"
	"\" \"us-ascii\") NIL NIL \"7bit\" 29 1 NIL NIL NIL NIL)(\"audio\" "
	"\"mpeg\" (\"name\" \"all-hands-2023-12.mp3\") NIL NIL \"base64\" 2"
	"0006320 NIL (\"attachment\" (\"filename\" \"all-hands-2023-12.mp3"
	"\")) NIL NIL) \"mixed\" (\"boundary\" \"big-2-b0undary\") NIL NIL "
	"NIL))\r\n";

/* --- helpers -------------------------------------------------------------- */

static void
assert_str_or_null(const char *got, const char *want)
{
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

/* Decode the BODYSTRUCTURE (or BODY) of one FETCH response. */
static struct bodystructure_part *
decode(const char *text)
{
	struct bodystructure_part *root;
	struct fetch_response f;
	const char *err = NULL;

	assert_true(decode_fetch(test_parse_response(text), &f, &err));
	assert_true(f.present & FETCH_BODYSTRUCTURE);
	root = decode_bodystructure(f.bodystructure, &err);
	fetch_response_free(&f);
	if (root == NULL)
		fail_msg("decode_bodystructure: %s", err);
	return root;
}

/* What decode_bodystructure says of this text (the bare value). */
static const char *
decode_error(const char *value)
{
	struct bodystructure_part *root;
	const struct imap_arg *items;
	struct buf b;
	const char *err = NULL;
	char *text;
	size_t n;

	buf_init(&b, 1 << 16);
	assert_int_equal(buf_printf(&b, "* 1 FETCH (BODYSTRUCTURE %s)\r\n",
	    value), 0);
	text = buf_steal(&b);
	assert_true(imap_arg_get_list(&test_parse_response(text)->args[2],
	    &items, &n));
	root = decode_bodystructure(&items[1], &err);
	free(text);
	buf_free(&b);
	assert_null(root);
	assert_non_null(err);
	return err;
}

static void
collect_leaves(const struct bodystructure_part *p,
    const struct bodystructure_part **out, size_t max, size_t *n)
{
	size_t i;

	/* the manifest lists message/rfc822 parts too, but no multiparts */
	if (!bodystructure_is_multipart(p)) {
		assert_true(*n < max);
		out[(*n)++] = p;
	}
	for (i = 0; i < p->part_count; i++)
		collect_leaves(&p->parts[i], out, max, n);
}

static void
check_part(const struct bodystructure_part *p, const struct expect *e)
{
	char type[128];

	snprintf(type, sizeof(type), "%s/%s", p->type, p->subtype);
	assert_string_equal(p->part, e->part);
	assert_string_equal(type, e->type);
	assert_str_or_null(p->charset, e->charset);
	assert_str_or_null(p->encoding, e->encoding);
	assert_str_or_null(p->disposition, e->disposition);
	assert_str_or_null(p->filename, e->filename);
	assert_true(p->size == e->size);
	assert_int_equal(p->has_lines, e->lines >= 0);
	if (e->lines >= 0)
		assert_true(p->lines == (uint64_t)e->lines);
}

/* Every part the manifest lists, in BODYSTRUCTURE order, and nothing
 * else; each also found by its number. */
static void
check_manifest(const struct bodystructure_part *root,
    const struct expect *want, size_t count)
{
	const struct bodystructure_part *leaves[16];
	size_t n = 0, i;

	collect_leaves(root, leaves, 16, &n);
	assert_int_equal(n, count);
	for (i = 0; i < count; i++) {
		check_part(leaves[i], &want[i]);
		assert_ptr_equal(bodystructure_find(root, want[i].part),
		    leaves[i]);
	}
}

static const char *
param(const struct bodystructure_param *params, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(params[i].name, name) == 0)
			return params[i].value;
	return NULL;
}

/* --- RFC 9051 ------------------------------------------------------------- */

/* RFC 9051 8: the BODY of the sample connection's "fetch 12 full" (the
 * FETCH around it is cut down to FLAGS; test-decode-fetch has it whole).
 * BODY carries no extension data. */
static void
test_rfc9051_body(void **state)
{
	struct bodystructure_part *root = decode(
	    "* 12 FETCH (FLAGS (\\Seen) BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" "
	    "\"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n");
	const struct expect want = { "1", "text/plain", "US-ASCII", "7bit",
		NULL, NULL, 3028, 92 };

	(void)state;
	check_part(root, &want);
	assert_false(bodystructure_is_multipart(root));
	assert_null(root->md5);
	assert_null(root->id);
	assert_null(root->description);
	assert_int_equal(root->param_count, 1);
	assert_string_equal(root->params[0].name, "CHARSET");
	assert_int_equal(root->part_count, 0);
	assert_ptr_equal(bodystructure_largest_leaf(root), root);
	bodystructure_free(&root);
	assert_null(root);
}

/* RFC 9051 7.5.2: the two BODYSTRUCTURE examples, byte for byte, each in
 * a FETCH of our own making. The RFC breaks the second over lines; they
 * are joined with no SP between two body parts (body-type-mpart = 1*body
 * SP media-subtype) and one SP elsewhere. */
static void
test_rfc9051_bodystructure(void **state)
{
	struct bodystructure_part *root = decode(
	    "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" "
	    "\"US-ASCII\") NIL NIL \"7BIT\" 2279 48))\r\n");
	const struct expect simple = { "1", "text/plain", "US-ASCII", "7bit",
		NULL, NULL, 2279, 48 };
	const struct expect want[] = {
		{ "1", "text/plain", "US-ASCII", "7bit", NULL, NULL, 1152, 23 },
		{ "2", "text/plain", "US-ASCII", "base64", NULL, "cc.diff",
		    4554, 73 },
	};

	(void)state;
	/* "a simple text message of 48 lines and 2279 octets" */
	check_part(root, &simple);
	assert_int_equal(root->part_count, 0);
	bodystructure_free(&root);
	/* "a text and a base64-encoded text attachment" */
	root = decode(
	    "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" "
	    "\"US-ASCII\") NIL NIL \"7BIT\" 1152 23)(\"TEXT\" \"PLAIN\" "
	    "(\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") "
	    "\"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" "
	    "\"BASE64\" 4554 73) \"MIXED\"))\r\n");
	assert_string_equal(root->part, "");
	assert_string_equal(root->type, "multipart");
	assert_string_equal(root->subtype, "mixed");
	assert_int_equal(root->param_count, 0);
	assert_null(root->charset);
	assert_null(root->disposition);
	check_manifest(root, want, 2);
	assert_null(root->parts[0].id);
	assert_string_equal(root->parts[1].id,
	    "<960723163407.20117h@cac.washington.edu>");
	assert_string_equal(root->parts[1].description, "Compiler diff");
	assert_int_equal(root->parts[1].param_count, 2);
	assert_string_equal(root->parts[1].params[1].name, "NAME");
	assert_string_equal(root->parts[1].params[1].value, "cc.diff");
	assert_ptr_equal(bodystructure_largest_leaf(root), &root->parts[1]);
	bodystructure_free(&root);
}

/* --- recorded from the test bed ------------------------------------------- */

/* alice INBOX 7 "attach-pdf": multipart/mixed with a PDF attachment. */
static const struct expect attach_pdf[] = {
	{ "1", "text/plain", "us-ascii", "7bit", NULL, NULL, 26, 3 },
	{ "2", "application/pdf", NULL, "base64", "attachment",
	    "report-q3.pdf", 32844, -1 },
};

static void
test_attach_pdf(void **state)
{
	const char *const responses[] = { dovecot_007, cyrus_007 };
	struct bodystructure_part *root;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		root = decode(responses[i]);
		assert_string_equal(root->part, "");
		assert_string_equal(root->subtype, "mixed");
		assert_string_equal(param(root->params, root->param_count,
		    "boundary"), "mixed-2-b0undary");
		assert_null(root->disposition);
		assert_int_equal(root->language_count, 0);
		assert_null(root->location);
		check_manifest(root, attach_pdf, 2);
		assert_null(root->parts[1].md5);
		assert_string_equal(param(root->parts[1].disposition_params,
		    root->parts[1].disposition_param_count, "filename"),
		    "report-q3.pdf");
		assert_string_equal(bodystructure_largest_leaf(root)->part,
		    "2");
		bodystructure_free(&root);
	}
}

/* alice INBOX 8 "attach-intl": RFC 2231 and RFC 2047 file names (Cyrus
 * sends the RFC 2231 values as literals). */
static const struct expect attach_intl[] = {
	{ "1", "text/plain", "utf-8", "quoted-printable", NULL, NULL, 68, 3 },
	{ "2", "application/vnd.openxmlformats-officedocument.spreadsheetml."
	    "sheet", NULL, "base64", "attachment",
	    "\xc3\x9c" "bersicht M\xc3\xa4rz 2023.xlsx", 12316, -1 },
	{ "3", "application/pdf", NULL, "base64", "attachment",
	    "Pr\xc3\xbc" "fbericht \xe2\x80\x93 endg\xc3\xbcltig.pdf", 16422,
	    -1 },
};

static void
test_attach_intl(void **state)
{
	const char *const responses[] = { dovecot_008, cyrus_008 };
	struct bodystructure_part *root;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		root = decode(responses[i]);
		check_manifest(root, attach_intl, 3);
		/* the parameters themselves stay raw */
		assert_string_equal(param(root->parts[1].params,
		    root->parts[1].param_count, "name*"),
		    "utf-8''%C3%9Cbersicht%20M%C3%A4rz%202023.xlsx");
		assert_string_equal(bodystructure_largest_leaf(root)->part,
		    "3");
		bodystructure_free(&root);
	}
}

/* alice INBOX 9 "nested": mixed(alternative(plain, html), png, zip). */
static const struct expect nested[] = {
	{ "1.1", "text/plain", "utf-8", "8bit", NULL, NULL, 142, 6 },
	{ "1.2", "text/html", "utf-8", "quoted-printable", NULL, NULL, 218,
	    8 },
	{ "2", "image/png", NULL, "base64", "inline", "logo.png", 4106, -1 },
	{ "3", "application/zip", NULL, "base64", "attachment",
	    "Projektunterlagen f\xc3\xbcr die \xc3\x9c" "berpr\xc3\xbc" "fung "
	    "im Dezember (endg\xc3\xbcltige Fassung).zip", 6844, -1 },
};

static void
test_nested_alternative(void **state)
{
	const char *const responses[] = { dovecot_009, cyrus_009 };
	struct bodystructure_part *root;
	const struct bodystructure_part *alt;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		root = decode(responses[i]);
		assert_string_equal(root->subtype, "mixed");
		assert_int_equal(root->part_count, 3);
		alt = &root->parts[0];
		assert_string_equal(alt->part, "1");
		assert_true(bodystructure_is_multipart(alt));
		assert_string_equal(alt->subtype, "alternative");
		assert_string_equal(param(alt->params, alt->param_count,
		    "boundary"), "inner-4-b0undary");
		assert_ptr_equal(bodystructure_find(root, "1"), alt);
		assert_null(bodystructure_find(root, "4"));
		check_manifest(root, nested, 4);
		bodystructure_free(&root);
	}
}

/* alice INBOX 10 "forward": message/rfc822 that is itself multipart. */
static const struct expect forward[] = {
	{ "1", "text/plain", "us-ascii", "7bit", NULL, NULL, 32, 1 },
	{ "2", "message/rfc822", NULL, "7bit", "inline", NULL, 2686, 50 },
	{ "2.1", "text/plain", "utf-8", "8bit", NULL, NULL, 20, 1 },
	{ "2.2", "application/pdf", NULL, "base64", "attachment",
	    "Angebot.pdf", 2054, -1 },
};

static void
test_message_rfc822(void **state)
{
	const char *const responses[] = { dovecot_010, cyrus_010 };
	struct bodystructure_part *root;
	const struct bodystructure_part *msg, *body;
	const struct imap_arg *env;
	const char *subject;
	size_t i, n;

	(void)state;
	for (i = 0; i < 2; i++) {
		root = decode(responses[i]);
		check_manifest(root, forward, 4);
		msg = &root->parts[1];
		assert_int_equal(msg->disposition_param_count, 0);
		assert_true(imap_arg_get_list(msg->envelope, &env, &n));
		assert_int_equal(n, 10);
		assert_true(imap_arg_get_nstring(&env[1], &subject, NULL));
		assert_string_equal(subject, "=?UTF-8?Q?Angebot_f=C3=BCr_die_"
		    "=C3=9Cberpr=C3=BCfung?=");
		/* the embedded multipart shares the message part's number */
		assert_int_equal(msg->part_count, 1);
		body = &msg->parts[0];
		assert_string_equal(body->part, "2");
		assert_string_equal(body->subtype, "mixed");
		assert_string_equal(param(body->params, body->param_count,
		    "boundary"), "inner-b0undary");
		assert_ptr_equal(bodystructure_find(root, "2"), msg);
		/* the biggest leaf is inside, not the message as a whole */
		assert_string_equal(bodystructure_largest_leaf(root)->part,
		    "2.2");
		bodystructure_free(&root);
	}
}

/* alice INBOX 18 "big-20mb": what the "largest messages" job looks for. */
static void
test_largest_leaf(void **state)
{
	struct bodystructure_part *root = decode(dovecot_018);
	const struct bodystructure_part *big;

	(void)state;
	big = bodystructure_largest_leaf(root);
	assert_string_equal(big->part, "2");
	assert_true(big->size == 20006320);
	assert_string_equal(big->filename, "all-hands-2023-12.mp3");
	bodystructure_free(&root);
}

/* alice Entwürfe 2 "draft-offer": a text/csv attachment with a name.
 * Cyrus leaves out the charset of a text part that has other params, so
 * the RFC 2045 5.2 default applies, as the manifest expects. */
static void
test_cyrus_missing_charset(void **state)
{
	struct bodystructure_part *root = decode(
	    "* 2 FETCH (UID 2 BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" "
	    "\"utf-8\") NIL NIL \"8BIT\" 10 1 NIL NIL NIL NIL)(\"TEXT\" "
	    "\"CSV\" (\"NAME\" \"zahlen.csv\") NIL NIL \"BASE64\" 18 1 NIL "
	    "(\"ATTACHMENT\" (\"FILENAME\" \"zahlen.csv\")) NIL NIL) \"MIXED\" "
	    "(\"BOUNDARY\" \"draft-2-b0undary\") NIL NIL NIL))\r\n");
	const struct expect want[] = {
		{ "1", "text/plain", "utf-8", "8bit", NULL, NULL, 10, 1 },
		{ "2", "text/csv", "us-ascii", "base64", "attachment",
		    "zahlen.csv", 18, 1 },
	};

	(void)state;
	check_manifest(root, want, 2);
	assert_null(param(root->parts[1].params, root->parts[1].param_count,
	    "charset"));
	bodystructure_free(&root);
}

/* A multipart has no charset, even with a "charset" parameter (the long
 * fuzz run of 2026-12-06 found the copy giving it one); a copy keeps each
 * part's charset as decoded: from its parameters, or the text default. */
static void
test_copy_keeps_charsets(void **state)
{
	struct bodystructure_part *root = decode(
	    "* 3 FETCH (UID 3 BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" "
	    "\"utf-8\") NIL NIL \"8BIT\" 10 1)(\"TEXT\" \"CSV\" NIL NIL NIL "
	    "\"BASE64\" 18 1) \"MIXED\" (\"CHARSET\" \"UTF-8\")))\r\n");
	struct bodystructure_part *copy;

	(void)state;
	assert_null(root->charset);
	copy = bodystructure_copy(root);
	assert_null(copy->charset);
	assert_string_equal(copy->parts[0].charset, "utf-8");
	/* it points into the copy's own parameters */
	assert_ptr_equal(copy->parts[0].charset, copy->parts[0].params[0].value);
	assert_string_equal(copy->parts[1].charset, "us-ascii");
	bodystructure_free(&copy);
	bodystructure_free(&root);
}

/* --- tolerance ------------------------------------------------------------ */

static void
test_extension_data(void **state)
{
	struct bodystructure_part *root = decode(
	    "* 3 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL NIL 5 1 "
	    "\"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"inline\" NIL) \"de\" "
	    "\"http://example.org/a\" \"future\" (1 2))(\"image\" \"gif\" "
	    "(\"name\" NIL \"x\" \"y\") NIL NIL \"base64\" 7 NIL NIL "
	    "(\"en\" \"fr\")) \"related\" (\"type\" \"text/plain\") "
	    "(\"attachment\" (\"filename\" \"all.bin\")) NIL \"loc\"))\r\n");
	const struct bodystructure_part *t = &root->parts[0];
	const struct bodystructure_part *g = &root->parts[1];

	(void)state;
	/* multipart extension data */
	assert_string_equal(root->subtype, "related");
	assert_string_equal(root->disposition, "attachment");
	assert_int_equal(root->disposition_param_count, 1);
	assert_int_equal(root->language_count, 0);
	assert_string_equal(root->location, "loc");
	/* NIL params and encoding; md5, language as a string, location */
	assert_int_equal(t->param_count, 0);
	assert_string_equal(t->charset, "us-ascii");
	assert_null(t->encoding);
	assert_string_equal(t->md5, "Q2hlY2sgSW50ZWdyaXR5IQ==");
	assert_string_equal(t->disposition, "inline");
	assert_int_equal(t->disposition_param_count, 0);
	assert_int_equal(t->language_count, 1);
	assert_string_equal(t->languages[0], "de");
	assert_string_equal(t->location, "http://example.org/a");
	assert_null(t->filename);
	/* a NIL value drops its pair; extension data stops early */
	assert_int_equal(g->param_count, 1);
	assert_string_equal(g->params[0].name, "x");
	assert_null(g->charset);
	assert_false(g->has_lines);
	assert_null(g->disposition);
	assert_int_equal(g->language_count, 2);
	assert_string_equal(g->languages[1], "fr");
	assert_null(g->location);
	bodystructure_free(&root);

	/* message/rfc822 with a single-part body; body is numbered N.1 */
	root = decode("* 4 FETCH (BODY ((\"TEXT\" \"PLAIN\" NIL NIL NIL "
	    "\"7BIT\" 1 1)(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 90 "
	    "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"HTML\" "
	    "(\"CHARSET\" \"utf-8\") NIL NIL \"BASE64\" 60 2) 4) "
	    "\"MIXED\"))\r\n");
	assert_string_equal(root->parts[1].parts[0].part, "2.1");
	assert_string_equal(root->parts[1].parts[0].subtype, "html");
	assert_true(root->parts[1].lines == 4);
	assert_string_equal(bodystructure_largest_leaf(root)->part, "2.1");
	bodystructure_free(&root);

	/* a message/rfc822 sent as body-type-basic (no envelope) */
	root = decode("* 5 FETCH (BODY (\"message\" \"rfc822\" NIL NIL NIL "
	    "\"7bit\" 90))\r\n");
	assert_null(root->envelope);
	assert_int_equal(root->part_count, 0);
	bodystructure_free(&root);
	bodystructure_free(&root); /* harmless on NULL */
}

/* --- malformed ------------------------------------------------------------ */

static void
test_malformed(void **state)
{
	(void)state;
	assert_string_equal(decode_error("NIL"),
	    "BODYSTRUCTURE: a body is not a list");
	assert_string_equal(decode_error("()"),
	    "BODYSTRUCTURE: a body is not a list");
	assert_string_equal(decode_error("((\"text\" \"plain\" NIL NIL NIL "
	    "\"7bit\" 1 1))"), "BODYSTRUCTURE: multipart without subtype");
	assert_string_equal(decode_error("(\"text\" \"plain\" NIL NIL NIL)"),
	    "BODYSTRUCTURE: a part without a type");
	assert_string_equal(decode_error("(NIL \"plain\" NIL NIL NIL \"7bit\" "
	    "1 1)"), "BODYSTRUCTURE: a part without a type");
	assert_string_equal(decode_error("(\"text\" \"plain\" (\"charset\") "
	    "NIL NIL \"7bit\" 1 1)"), "BODYSTRUCTURE: malformed parameters");
	assert_string_equal(decode_error("(\"text\" \"plain\" NIL NIL NIL "
	    "\"7bit\" \"many\" 1)"), "BODYSTRUCTURE: malformed body fields");
	assert_string_equal(decode_error("(\"text\" \"plain\" NIL NIL NIL "
	    "\"7bit\" 1 \"x\")"), "BODYSTRUCTURE: text without lines");
	assert_string_equal(decode_error("(\"image\" \"png\" NIL NIL NIL "
	    "\"base64\" 1 NIL \"attachment\")"),
	    "BODYSTRUCTURE: malformed disposition");
	assert_string_equal(decode_error("(\"image\" \"png\" NIL NIL NIL "
	    "\"base64\" 1 NIL NIL (\"en\" NIL))"),
	    "BODYSTRUCTURE: malformed language");
	assert_string_equal(decode_error("(\"image\" \"png\" NIL NIL NIL "
	    "\"base64\" 1 NIL NIL NIL (\"x\"))"),
	    "BODYSTRUCTURE: malformed location");
	assert_string_equal(decode_error("(\"image\" \"png\" NIL NIL NIL "
	    "\"base64\" 1 (\"md5\"))"), "BODYSTRUCTURE: malformed MD5");
	/* a bad part deep inside fails the whole tree, without leaks */
	assert_string_equal(decode_error("((\"text\" \"plain\" NIL NIL NIL "
	    "\"7bit\" 1 1)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 9 (NIL "
	    "NIL NIL NIL NIL NIL NIL NIL NIL NIL) ((\"text\" \"plain\" NIL "
	    "NIL NIL \"7bit\" 1 1)(7) \"mixed\") 3) \"mixed\" (\"a\"))"),
	    "BODYSTRUCTURE: a part without a type");
	assert_string_equal(decode_error("((\"text\" \"plain\" NIL NIL NIL "
	    "\"7bit\" 1 1) \"mixed\" (\"a\"))"),
	    "BODYSTRUCTURE: malformed parameters");
}

/* Deeper than any parser would hand over: built by hand, 150 levels of
 * ((...) "mixed"). The decoder must stop, not recurse on. */
#define DEEP 150

static struct imap_arg deep_lists[DEEP];
static struct imap_arg deep_items[DEEP][2];

static void
build_deep(void)
{
	size_t i;

	/* from the innermost out, so each copy of the next level is final */
	for (i = DEEP; i-- > 0;) {
		deep_items[i][1].type = IMAP_ARG_ATOM;
		deep_items[i][1].text = "mixed";
		deep_items[i][1].text_len = 5;
		/* the innermost "part" is ("mixed" "mixed"): too short */
		deep_items[i][0] = i + 1 < DEEP ? deep_lists[i + 1] :
		    deep_items[i][1];
		deep_lists[i].type = IMAP_ARG_LIST;
		deep_lists[i].u.list.args = deep_items[i];
		deep_lists[i].u.list.count = 2;
	}
}

static void
test_too_deep(void **state)
{
	struct bodystructure_part *root;
	const char *err = NULL;

	(void)state;
	build_deep();
	root = decode_bodystructure(&deep_lists[0], &err);
	assert_null(root);
	assert_string_equal(err, "BODYSTRUCTURE: nested too deep");
	/* 50 levels are decoded down to the bottom */
	root = decode_bodystructure(&deep_lists[DEEP - 50], &err);
	assert_null(root);
	assert_string_equal(err, "BODYSTRUCTURE: a part without a type");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9051_body),
		cmocka_unit_test(test_rfc9051_bodystructure),
		cmocka_unit_test(test_attach_pdf),
		cmocka_unit_test(test_attach_intl),
		cmocka_unit_test(test_nested_alternative),
		cmocka_unit_test(test_message_rfc822),
		cmocka_unit_test(test_largest_leaf),
		cmocka_unit_test(test_cyrus_missing_charset),
		cmocka_unit_test(test_copy_keeps_charsets),
		cmocka_unit_test(test_extension_data),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_too_deep),
	};

	return cmocka_run_group_tests_name("decode-bodystructure", tests, NULL,
	    test_parse_cleanup);
}
