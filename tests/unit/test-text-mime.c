/* Unit tests for text-mime: RFC 2047 encoded words (the RFC's own
 * examples, charsets, folding, broken words), RFC 2231 parameters, and the
 * test bed corpus's subjects, names and file names (tests/data). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text-charset.h"
#include "text-mime.h"
#include "text-utf8.h"
#include "util-mem.h"

#define CAP 4096
#define MAX_FIELDS 16

struct header_case {
	const char *raw;
	const char *shown;
	const char *what;
};

static const struct header_case header_cases[] = {
	/* RFC 2047 8, the display examples, exactly. */
	{ "(=?ISO-8859-1?Q?a?=)", "(a)", "RFC 2047 8: one word" },
	{ "(=?ISO-8859-1?Q?a?= b)", "(a b)", "RFC 2047 8: word, text" },
	{ "(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)",
	    "RFC 2047 8: space between words dropped" },
	{ "(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)",
	    "RFC 2047 8: two spaces between words dropped" },
	{ "(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)",
	    "RFC 2047 8: folding between words dropped" },
	{ "(=?ISO-8859-1?Q?a_b?=)", "(a b)", "RFC 2047 8: _ is a space" },
	{ "(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)",
	    "RFC 2047 8: adjacent words in two charsets" },
	/* RFC 2047 8, the header examples. */
	{ "=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>",
	    "Keith Moore <moore@cs.utk.edu>", "RFC 2047 8: US-ASCII" },
	{ "=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>",
	    "Keld J\xc3\xb8rn Simonsen <keld@dkuug.dk>", "RFC 2047 8: Keld" },
	{ "=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>",
	    "Andr\xc3\xa9 Pirard <PIRARD@vm1.ulg.ac.be>",
	    "RFC 2047 8: word then text" },
	{ "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
	  "    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
	    "If you can read this you understand the example.",
	    "RFC 2047 8: folded B words" },
	{ "=?ISO-8859-1?Q?Olle_J=E4rnefors?= <ojarnef@admin.kth.se>",
	    "Olle J\xc3\xa4rnefors <ojarnef@admin.kth.se>",
	    "RFC 2047 8: Olle" },
	{ "Nathaniel Borenstein <nsb@thumper.bellcore.com>\r\n"
	  "    (=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)",
	    "Nathaniel Borenstein <nsb@thumper.bellcore.com>    ("
	    "\xd7\x9d\xd7\x95\xd7\x9c\xd7\xa9 \xd7\x9f\xd7\x91 "
	    "\xd7\x99\xd7\x9c\xd7\x98\xd7\xa4\xd7\xa0)",
	    "RFC 2047 8: Hebrew in a comment, lower-case b" },
	/* UTF-8 and ISO-8859-1, B and Q. */
	{ "=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=",
	    "Gr\xc3\xbc\xc3\x9f" "e aus M\xc3\xbcnchen", "UTF-8 B" },
	{ "=?UTF-8?Q?Caf=C3=A9_=E2=98=95?=", "Caf\xc3\xa9 \xe2\x98\x95",
	    "UTF-8 Q" },
	{ "=?utf-8?q?caf=c3=a9?=", "caf\xc3\xa9",
	    "lower-case charset, encoding and hex" },
	{ "=?ISO-8859-1?B?SOls6G5lIER1cHLp?=",
	    "H\xc3\xa9l\xc3\xa8ne Dupr\xc3\xa9", "ISO-8859-1 B" },
	{ "=?ISO-8859-1?Q?S=F8ren?=", "S\xc3\xb8ren", "ISO-8859-1 Q" },
	{ "=?UTF-8?B?w6k?=", "\xc3\xa9", "B without its padding" },
	{ "=?UTF-8?Q?" "?=", "", "an empty word" },
	/* Folding and mixing. */
	{ "Re: [liste]\r\n =?UTF-8?Q?=C3=9Cber?=\r\n =?UTF-8?Q?_pr=C3=BCfung?=",
	    "Re: [liste] \xc3\x9c" "ber pr\xc3\xbc" "fung",
	    "text, then folded adjacent Q words" },
	{ "=?UTF-8?Q?Gr=C3=BC=C3=9Fe_?= =?ISO-8859-1?Q?aus_K=F6ln?= und "
	  "=?UTF-8?B?5p2x5Lqs?=",
	    "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln und "
	    "\xe6\x9d\xb1\xe4\xba\xac",
	    "mixed charsets in one header" },
	{ "=?UTF-8*de?Q?Gr=C3=BC=C3=9Fe?=", "Gr\xc3\xbc\xc3\x9f" "e",
	    "RFC 2231 5 language suffix" },
	{ "Re:=?UTF-8?Q?=C3=A9t=C3=A9?=", "Re:\xc3\xa9t\xc3\xa9",
	    "a word not set off by a space is decoded (as MUAs do)" },
	{ "  two  spaces  ", "  two  spaces  ", "whitespace kept in text" },
	{ "", "", "empty" },
	/* A character split across two words of the same charset. */
	{ "=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?=", "\xe2\x82\xac",
	    "UTF-8 character split across B words" },
	{ "=?UTF-8?Q?=E2=82?=\r\n =?utf-8?Q?=AC_rates?=", "\xe2\x82\xac rates",
	    "UTF-8 character split across Q words, charset case differs" },
	{ "=?SHIFT_JIS?B?k/qW?= =?SHIFT_JIS?B?e4zq?=",
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	    "Shift_JIS character split across words" },
	/* Other charsets iconv knows. */
	{ "=?ISO-2022-JP?B?GyRCMnE1RCROO3FOQRsoQg==?=",
	    "\xe4\xbc\x9a\xe8\xad\xb0\xe3\x81\xae\xe8\xb3\x87\xe6\x96\x99",
	    "ISO-2022-JP" },
	{ "=?ISO-2022-JP?B?GyRCRnxLXBsoQg==?= "
	  "=?ISO-2022-JP?B?GyRCRnxLXBsoQg==?=",
	    "\xe6\x97\xa5\xe6\x9c\xac\xe6\x97\xa5\xe6\x9c\xac",
	    "two ISO-2022-JP words joined" },
	{ "=?Shift_JIS?B?k/qWe4zq?=", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	    "Shift_JIS" },
	{ "=?windows-1252?B?gCCWIJN4lA==?=",
	    "\xe2\x82\xac \xe2\x80\x93 \xe2\x80\x9cx\xe2\x80\x9d",
	    "Windows-1252" },
	{ "=?KOI8-R?B?8NLJ18XU?=",
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", "KOI8-R" },
	{ "=?ks_c_5601-1987?B?x9Gxub7u?=",
	    "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4",
	    "Outlook's Korean label, through the alias table" },
	/* Left as it is (RFC 2047 6.3). */
	{ "=?x-unknown?B?SGVsbG8=?=", "=?x-unknown?B?SGVsbG8=?=",
	    "unknown charset" },
	{ "=?UTF-8?B?R3L!!w==?=", "=?UTF-8?B?R3L!!w==?=", "bad base64" },
	{ "=?UTF-8?B?R3LDv=MOf?=", "=?UTF-8?B?R3LDv=MOf?=",
	    "base64 data after padding" },
	{ "=?UTF-8?B?R?=", "=?UTF-8?B?R?=", "base64 with a lone digit" },
	{ "=?UTF-8?Q?a=ZZ?=", "=?UTF-8?Q?a=ZZ?=", "bad Q escape" },
	{ "=?UTF-8?Q?a=4?=", "=?UTF-8?Q?a=4?=", "Q escape cut short" },
	{ "=?UTF-8?Q?abc", "=?UTF-8?Q?abc", "missing ?=" },
	{ "=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=", "unknown encoding" },
	{ "=?UTF-8?Q?a b?=", "=?UTF-8?Q?a b?=", "a space inside a word" },
	{ "=?" "?Q?a?=", "=?" "?Q?a?=", "empty charset" },
	{ "=?*de?Q?a?=", "=?*de?Q?a?=", "only a language" },
	{ "=?UTF-8//TRANSLIT?Q?a?=", "=?UTF-8//TRANSLIT?Q?a?=",
	    "iconv's own syntax in a charset is refused" },
	{ "=?UTF-8?Q?a?= =?x-unknown?Q?b?= =?UTF-8?Q?c?=",
	    "a =?x-unknown?Q?b?= c",
	    "spaces around an undecodable word stay" },
	{ "=?=?UTF-8?Q?ok?=", "=?ok", "a broken start, then a good word" },
	/* Always valid UTF-8. */
	{ "M\xe4rz \xe2\x82", "M\xef\xbf\xbdrz \xef\xbf\xbd",
	    "raw bytes that are not UTF-8 become U+FFFD" },
	{ "Gr\xc3\xbc\xc3\x9f" "e", "Gr\xc3\xbc\xc3\x9f" "e",
	    "raw UTF-8 (RFC 6532) is kept" },
	{ "=?UTF-8?Q?M=E4rz?=", "M\xef\xbf\xbdrz",
	    "a word whose bytes are not in its charset" },
	{ "=?UTF-8?B?4oI=?= x", "\xef\xbf\xbd x",
	    "a character cut off at the end of the words" },
	{ "=?windows-1252?Q?a=81b?=", "a\xef\xbf\xbd" "b",
	    "a byte Windows-1252 leaves undefined" },
	{ "=?US-ASCII?Q?=E9?=", "\xef\xbf\xbd", "8-bit in US-ASCII" },
};

/* The corpus data files, found through $top_srcdir as `make check` sets
 * it, or from the source tree's top when run by hand. */
static FILE *
open_data(const char *name)
{
	const char *top = getenv("top_srcdir");
	char *path;
	FILE *f;

	path = xasprintf("%s/tests/data/%s", top != NULL ? top : ".", name);
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("cannot open %s (set top_srcdir)", path);
	free(path);
	return f;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Undo the data files' escapes (\\ \t \r \n \xHH) in place. */
static void
unescape(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		s++;
		if (*s == 't')
			*w++ = '\t';
		else if (*s == 'r')
			*w++ = '\r';
		else if (*s == 'n')
			*w++ = '\n';
		else if (*s == 'x' && hex_digit(s[1]) >= 0 &&
		    hex_digit(s[2]) >= 0) {
			*w++ = (char)(hex_digit(s[1]) << 4 | hex_digit(s[2]));
			s += 2;
		} else if (*s == '\\')
			*w++ = '\\';
		else
			fail_msg("bad escape \\%c in a data file", *s);
	}
	*w = '\0';
}

/* Split a data line at tabs into unescaped fields; 0 for a comment or a
 * blank line. */
static size_t
split_line(char *line, char **fields)
{
	size_t n = 0, i;
	char *p;

	line[strcspn(line, "\n")] = '\0';
	if (line[0] == '#' || line[0] == '\0')
		return 0;
	while (n < MAX_FIELDS) {
		fields[n++] = line;
		if ((p = strchr(line, '\t')) == NULL)
			break;
		*p = '\0';
		line = p + 1;
	}
	for (i = 0; i < n; i++)
		unescape(fields[i]);
	return n;
}

static void
check_header(const char *raw, const char *shown, const char *what)
{
	struct buf out;

	buf_init(&out, CAP);
	assert_int_equal(text_mime_decode_header(raw, strlen(raw), &out), 0);
	if (strcmp(buf_str(&out), shown) != 0)
		fail_msg("%s: \"%s\" shows as \"%s\", want \"%s\"", what, raw,
		    buf_str(&out), shown);
	if (!text_utf8_is_valid(buf_str(&out), out.len))
		fail_msg("%s: not valid UTF-8", what);
	buf_free(&out);
}

static void
test_header_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++)
		check_header(header_cases[i].raw, header_cases[i].shown,
		    header_cases[i].what);
}

/* Every subject (unfolded and folded) and display name of the test bed's
 * corpus shows as its manifest says. */
static void
test_header_corpus(void **state)
{
	char line[2048], *fields[MAX_FIELDS];
	FILE *f = open_data("rfc2047-corpus.tsv");
	size_t n, cases = 0;

	while (fgets(line, sizeof(line), f) != NULL) {
		if ((n = split_line(line, fields)) == 0)
			continue;
		assert_int_equal(n, 2);
		check_header(fields[0], fields[1], "corpus");
		cases++;
	}
	fclose(f);
	assert_true(cases >= 50);
}

/* The output buffer's cap holds, and a full buffer is left unchanged. */
static void
test_header_cap(void **state)
{
	static const char raw[] = "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus M=?x?=";
	struct buf out;

	buf_init(&out, 8);
	buf_append_str(&out, "ab");
	assert_int_equal(text_mime_decode_header("=?UTF-8?Q?=C3=BC?=", 18,
	    &out), 0);
	assert_string_equal(buf_str(&out), "ab\xc3\xbc");
	assert_int_equal(text_mime_decode_header(raw, strlen(raw), &out), -1);
	assert_string_equal(buf_str(&out), "ab\xc3\xbc");
	buf_free(&out);
}

/* What decodes to itself is told apart from what does not, wherever
 * in a long header the telling byte is (the check takes eight bytes at
 * a time); either way the decoder's output is the same as before. */
static void
test_header_plain(void **state)
{
	static const struct {
		const char *bytes;
		bool plain;
	} odd[] = {
		{ "=?", false }, { "=", true }, { "?", true }, { "\r", false },
		{ "\n", false }, { "\t", true }, { "\xc3\xa9", true },
		{ "\xff", false }, { "\x7f", true },
	};
	char in[40];
	struct buf out;
	size_t i, pos, n;

	(void)state;
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		for (pos = 0; pos < 20; pos++) {
			n = strlen(odd[i].bytes);
			memset(in, 'x', 24);
			memcpy(in + pos, odd[i].bytes, n);
			assert_int_equal(text_mime_header_is_plain(in, 24),
			    odd[i].plain);
			buf_init(&out, 4096);
			assert_int_equal(text_mime_decode_header(in, 24, &out),
			    0);
			if (odd[i].plain)
				assert_memory_equal(out.data, in, 24);
			buf_free(&out);
		}
	/* a "=?" split across the eight-byte step */
	assert_false(text_mime_header_is_plain("abcdefg=?x", 10));
	assert_true(text_mime_header_is_plain("", 0));
}

/* More charsets than the converter cache holds, in turn, and again. */
static void
test_charset_cache(void **state)
{
	static const struct header_case rotation[] = {
		{ "=?ISO-8859-1?Q?=E9?=", "\xc3\xa9", NULL },
		{ "=?ISO-8859-2?Q?=B1?=", "\xc4\x85", NULL },
		{ "=?KOI8-R?Q?=F0?=", "\xd0\x9f", NULL },
		{ "=?windows-1252?Q?=80?=", "\xe2\x82\xac", NULL },
		{ "=?Shift_JIS?B?k/qWe4zq?=",
		    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", NULL },
		{ "=?ISO-2022-JP?B?GyRCRnxLXBsoQg==?=",
		    "\xe6\x97\xa5\xe6\x9c\xac", NULL },
	};
	size_t i;

	for (i = 0; i < 3 * 6; i++)
		check_header(rotation[i % 6].raw, rotation[i % 6].shown,
		    "cache rotation");
	assert_true(text_charset_known("iso-8859-15", 11));
	assert_false(text_charset_known("x-imapwb-unknown", 16));
	assert_false(text_charset_known("UTF-8//IGNORE", 13));
	assert_false(text_charset_known("", 0));
	text_charset_cache_clear();
	check_header(rotation[0].raw, rotation[0].shown, "after clearing");
}

/* Property: for random input made of encoded-word pieces and stray bytes,
 * decoding never fails with room to spare and always gives valid UTF-8. */
static void
test_header_random(void **state)
{
	static const char *const pieces[] = {
		"=?", "?=", "?", "UTF-8", "ISO-2022-JP", "Shift_JIS",
		"iso-8859-1", "*de", "B", "Q", "?B?", "?Q?", "=C3", "=BC",
		"=E2=82", "=AC", "_", " ", "\t", "\r\n ", "4oI=", "rA==",
		"GyRC", "RnxLXBsoQg==", "k/qW", "abc", "=", "\xc3", "\xbc",
		"\xff", "\x1b$B", "%",
	};
	struct buf in, out;
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	size_t i, j, n;

	buf_init(&in, CAP);
	buf_init(&out, CAP * 4);
	for (i = 0; i < 20000; i++) {
		buf_reset(&in);
		buf_reset(&out);
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		n = s % 24;
		for (j = 0; j < n; j++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			buf_append_str(&in, pieces[s % (sizeof(pieces) /
			    sizeof(pieces[0]))]);
		}
		assert_int_equal(text_mime_decode_header(buf_str(&in), in.len,
		    &out), 0);
		if (!text_utf8_is_valid(buf_str(&out), out.len))
			fail_msg("not valid UTF-8 from \"%s\"", buf_str(&in));
	}
	buf_free(&in);
	buf_free(&out);
}

/* One RFC 2231 case: the parameters, the name to ask for, what shows. */
struct param_case {
	struct text_mime_param params[4];
	size_t count;
	const char *name;
	const char *shown; /* NULL: the parameter is absent */
	const char *what;
};

static const struct param_case param_cases[] = {
	/* RFC 2231 3 and 4, the RFC's examples. */
	{ { { "URL*0", "ftp://" },
	      { "URL*1", "cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar" } },
	    2, "URL", "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar",
	    "RFC 2231 3: continuations" },
	{ { { "title*", "us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A" } },
	    1, "title", "This is ***fun***", "RFC 2231 4: charset, language" },
	{ { { "title*0*", "us-ascii'en'This%20is%20even%20more%20" },
	      { "title*1*", "%2A%2A%2Afun%2A%2A%2A%20" },
	      { "title*2", "isn't it!" } },
	    3, "title", "This is even more ***fun*** isn't it!",
	    "RFC 2231 4.1: encoded and plain sections mixed" },
	/* As Dovecot and Cyrus give it, and variants. */
	{ { { "filename*", "utf-8''%E2%82%AC%20rates.pdf" } }, 1, "filename",
	    "\xe2\x82\xac rates.pdf", "UTF-8 extended value" },
	{ { { "FILENAME*", "ISO-8859-1'de'M%E4rz.pdf" } }, 1, "filename",
	    "M\xc3\xa4rz.pdf", "ISO-8859-1, names compare without case" },
	{ { { "filename*1*", "%AC.pdf" }, { "filename*0*", "utf-8''%E2%82" } },
	    2, "filename", "\xe2\x82\xac.pdf",
	    "sections out of order, a character split across them" },
	{ { { "filename*0", "a" }, { "filename*2", "c" } }, 2, "filename",
	    "a", "a gap ends the sections" },
	{ { { "filename", "old.pdf" }, { "filename*", "utf-8''new.pdf" } }, 2,
	    "filename", "new.pdf", "the extended value wins over the plain" },
	{ { { "filename", "plain.pdf" }, { "filename*01", "x" } }, 2,
	    "filename", "plain.pdf", "a section number with a leading zero" },
	{ { { "filename*", "''%E2%82%AC" } }, 1, "filename", "\xe2\x82\xac",
	    "no charset given: UTF-8" },
	{ { { "filename*", "%E2%82%AC" } }, 1, "filename", "\xe2\x82\xac",
	    "no charset'language' prefix at all" },
	{ { { "filename*", "utf-8''100%" } }, 1, "filename", "100%",
	    "a % that is not an escape" },
	{ { { "filename*", "utf-8''%FF" } }, 1, "filename", "\xef\xbf\xbd",
	    "bytes not in the charset" },
	{ { { "filename*", "x-unknown''a%20b" } }, 1, "filename",
	    "x-unknown''a%20b", "unknown charset: shown as it is" },
	{ { { "filename", "=?UTF-8?Q?Pr=C3=BCfbericht=2Epdf?=" } }, 1,
	    "filename", "Pr\xc3\xbc" "fbericht.pdf",
	    "RFC 2047 inside a plain value" },
	{ { { "filename", "M\xe4rz.pdf" } }, 1, "filename",
	    "M\xef\xbf\xbdrz.pdf", "raw 8-bit in a plain value" },
	{ { { "filename*", "u+tf-8''a%F4%9C%9C%9Cb" } }, 1, "filename",
	    "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b",
	    "above U+10FFFF through iconv (glibc passes it on): replaced" },
	{ { { "filename", NULL } }, 1, "filename", "", "a NULL value" },
	{ { { "charset", "utf-8" }, { "filenamex", "a" }, { "filename*x", "b" },
	      { NULL, "c" } },
	    4, "filename", NULL, "absent: near misses do not count" },
	{ { { "name", "a.txt" } }, 0, "name", NULL, "an empty list" },
};

static void
check_param(const struct text_mime_param *params, size_t count,
    const char *name, const char *shown, const char *what)
{
	struct buf out;
	int rc;

	buf_init(&out, CAP);
	rc = text_mime_decode_param(name, params, count, &out);
	if (shown == NULL) {
		assert_int_equal(rc, 0);
		assert_int_equal(out.len, 0);
	} else {
		assert_int_equal(rc, 1);
		if (strcmp(buf_str(&out), shown) != 0)
			fail_msg("%s: shows as \"%s\", want \"%s\"", what,
			    buf_str(&out), shown);
		assert_true(text_utf8_is_valid(buf_str(&out), out.len));
	}
	buf_free(&out);
}

static void
test_param_table(void **state)
{
	const struct param_case *c;
	size_t i;

	for (i = 0; i < sizeof(param_cases) / sizeof(param_cases[0]); i++) {
		c = &param_cases[i];
		check_param(c->params, c->count, c->name, c->shown, c->what);
	}
}

/* Every attachment name of the test bed's corpus, as written in the
 * message and as the servers join continuations. */
static void
test_param_corpus(void **state)
{
	struct text_mime_param params[MAX_FIELDS];
	char line[2048], *fields[MAX_FIELDS], *eq;
	FILE *f = open_data("rfc2231-corpus.tsv");
	size_t n, i, cases = 0;

	while (fgets(line, sizeof(line), f) != NULL) {
		if ((n = split_line(line, fields)) == 0)
			continue;
		assert_true(n >= 3);
		for (i = 2; i < n; i++) {
			eq = strchr(fields[i], '=');
			assert_non_null(eq);
			*eq = '\0';
			params[i - 2].name = fields[i];
			params[i - 2].value = eq + 1;
		}
		check_param(params, n - 2, fields[1], fields[0], "corpus");
		cases++;
	}
	fclose(f);
	assert_true(cases >= 20);
}

static void
test_param_cap(void **state)
{
	static const struct text_mime_param p[] = {
		{ "filename*", "utf-8''%E2%82%AC%20rates.pdf" },
	};
	struct buf out;

	buf_init(&out, 10);
	buf_append_str(&out, "x");
	assert_int_equal(text_mime_decode_param("filename", p, 1, &out), -1);
	assert_string_equal(buf_str(&out), "x");
	buf_free(&out);
}

static int
teardown(void **state)
{
	text_charset_cache_clear();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_table),
		cmocka_unit_test(test_header_corpus),
		cmocka_unit_test(test_header_cap),
		cmocka_unit_test(test_header_plain),
		cmocka_unit_test(test_charset_cache),
		cmocka_unit_test(test_header_random),
		cmocka_unit_test(test_param_table),
		cmocka_unit_test(test_param_corpus),
		cmocka_unit_test(test_param_cap),
	};

	return cmocka_run_group_tests_name("text-mime", tests, NULL,
	    teardown);
}
