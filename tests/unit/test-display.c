/* Unit tests for display: escaping server text for a terminal, and
 * showing literals (their first bytes, or a summary line). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text-display.h"

static void
expect_escaped(const char *in, size_t len, const char *want)
{
	struct buf out;

	buf_init(&out, 4096);
	assert_int_equal(display_escape(&out, in, len), 0);
	assert_string_equal(buf_str(&out), want);
	buf_free(&out);
}

/* Messages that quote the server are escaped on their way to stderr. */
static void
test_error_line(void **state)
{
	char out[256] = "";
	FILE *f = fmemopen(out, sizeof(out) - 1, "w");

	assert_non_null(f);
	display_error_line(f, "STARTTLS was refused: \x1b]0;x\x07 \xe2\x80\xae");
	fclose(f);
	assert_string_equal(out, "imapwb: STARTTLS was refused: "
				 "\\x1b]0;x\\x07 \\u{202e}\n");
}

static void
test_escape(void **state)
{
	expect_escaped("plain text", 10, "plain text");
	expect_escaped("Gr\xc3\xbc\xc3\x9f" "e", 7, "Gr\xc3\xbc\xc3\x9f" "e");
	expect_escaped("\x1b[2J", 4, "\\x1b[2J");
	expect_escaped("a\tb\r\nc\x7f", 7, "a\\tb\\r\\nc\\x7f");
	expect_escaped("\0x", 2, "\\x00x");
	/* C1 control U+009B (CSI) as UTF-8 */
	expect_escaped("\xc2\x9b" "31m", 5, "\\u{009b}31m");
	/* right-to-left override, isolate, zero width space */
	expect_escaped("a\xe2\x80\xae" "b", 5, "a\\u{202e}b");
	expect_escaped("\xe2\x81\xa6", 3, "\\u{2066}");
	expect_escaped("\xe2\x80\x8b", 3, "\\u{200b}");
	/* line and paragraph separators (curses draws them blank), word
	 * joiner, a tag character (invisible text) */
	expect_escaped("a\xe2\x80\xa8" "b\xe2\x80\xa9", 8,
	    "a\\u{2028}b\\u{2029}");
	expect_escaped("\xe2\x81\xa0", 3, "\\u{2060}");
	expect_escaped("\xf3\xa0\x81\x81", 4, "\\u{e0041}");
	/* invalid UTF-8: lone continuation, overlong, truncated, surrogate */
	expect_escaped("\x80", 1, "\\x80");
	expect_escaped("\xc0\xaf", 2, "\\xc0\\xaf");
	expect_escaped("\xe6\x97", 2, "\\xe6\\x97");
	expect_escaped("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
	expect_escaped("\xe6\x97\xa5", 3, "\xe6\x97\xa5");
}

static void
collect(void *ctx, const char *text, size_t len)
{
	struct buf *b = ctx;

	buf_append(b, text, len);
	buf_append_str(b, "|");
}

/* The lines display_wire_lines() gives for in, each followed by "|". */
static void
expect_lines(const char *in, size_t len, const struct display_literals *lit,
    const char *want)
{
	struct buf out;

	buf_init(&out, 1 << 20);
	display_wire_lines(in, len, lit, collect, &out);
	assert_string_equal(buf_str(&out), want);
	buf_free(&out);
}

/* A server's wire: literals up to 64 KiB are in the text. */
static const struct display_literals server_64k = { 65536, 0, 65536 };

static void
test_wire_lines(void **state)
{
	const struct display_literals none = { 0, 0, 65536 };
	const char *in = "* 1 FETCH (BODY[] {7}\r\nA1 OK\r\n)\r\n";

	expect_lines(in, strlen(in), &server_64k,
	    "* 1 FETCH (BODY[] {7}|A1 OK|)|");
	/* --show-literal 0: the summary line, as before */
	expect_lines(in, strlen(in), &none,
	    "* 1 FETCH (BODY[] {7}|[literal of 7 bytes, not shown]|)|");
	/* streamed: the bytes are not in the text, what follows is */
	in = "* 1 FETCH (BODY[] {165000000}\r\n UID 4)\r\n";
	expect_lines(in, strlen(in), &server_64k,
	    "* 1 FETCH (BODY[] {165000000}|[literal of 165000000 bytes, "
	    "streamed, not shown]| UID 4)|");
	expect_lines(in, strlen(in), &none,
	    "* 1 FETCH (BODY[] {165000000}|[literal of 165000000 bytes, "
	    "streamed, not shown]| UID 4)|");
	in = "* OK \x1b]0;pwned\x07\r\n";
	expect_lines(in, strlen(in), &server_64k, "* OK \\x1b]0;pwned\\x07|");
	/* an empty literal shows nothing, even as a summary */
	in = "* LIST () \"/\" {0}\r\n\r\n";
	expect_lines(in, strlen(in), &none, "* LIST () \"/\" {0}||");
}

/* A literal cut by --show-literal: exactly its first bytes (the cut
 * inside a line shows that line's head), then the line naming what was
 * left out and the whole size; the response goes on after it. */
static void
test_literal_cut(void **state)
{
	const struct display_literals lit14 = { 14, 0, 65536 };
	const struct display_literals lit10 = { 10, 0, 65536 };
	const struct display_literals lit3 = { 3, 0, 65536 };
	/* 3 lines of 10 bytes with their CRLF: 30 bytes */
	const char *in = "* 2 FETCH (BODY[TEXT] {30}\r\n"
			 "line one\r\nline two\r\nline 333\r\n)\r\n"
			 "a1 OK done\r\n";

	expect_lines(in, strlen(in), &lit14,
	    "* 2 FETCH (BODY[TEXT] {30}|line one|line|"
	    "[\xe2\x80\xa6 16 more bytes of a literal of 30 bytes]|)|"
	    "a1 OK done|");
	/* a cut right after a CRLF: no empty line for it */
	expect_lines(in, strlen(in), &lit10,
	    "* 2 FETCH (BODY[TEXT] {30}|line one|"
	    "[\xe2\x80\xa6 20 more bytes of a literal of 30 bytes]|)|"
	    "a1 OK done|");
	/* a cut between CR and LF shows the CR */
	in = "* 2 FETCH (BODY[TEXT] {4}\r\nab\r\n)\r\n";
	expect_lines(in, strlen(in), &lit3,
	    "* 2 FETCH (BODY[TEXT] {4}|ab\\r|"
	    "[\xe2\x80\xa6 1 more bytes of a literal of 4 bytes]|)|");
	/* a cut inside a UTF-8 sequence shows the bytes that came */
	in = "* 2 FETCH (BODY[TEXT] {4}\r\nG\xc3\xbc" "r)\r\n";
	expect_lines(in, strlen(in), &(struct display_literals){ 2, 0, 65536 },
	    "* 2 FETCH (BODY[TEXT] {4}|G\\xc3|"
	    "[\xe2\x80\xa6 2 more bytes of a literal of 4 bytes]|)|");
	/* the whole literal fits: its last line goes on after it */
	in = "* 3 FETCH (BODY[1] {5}\r\nalice UID 3)\r\n";
	expect_lines(in, strlen(in), &lit14,
	    "* 3 FETCH (BODY[1] {5}|alice UID 3)|");
	expect_lines(in, strlen(in), &lit3,
	    "* 3 FETCH (BODY[1] {5}|ali|"
	    "[\xe2\x80\xa6 2 more bytes of a literal of 5 bytes]| UID 3)|");
	/* a literal whose last line looks like a header is no header */
	in = "* 3 FETCH (BODY[1] {5}\r\nx {9}\r\n UID 3)\r\n";
	expect_lines(in, strlen(in), &(struct display_literals){ 5, 0, 65536 },
	    "* 3 FETCH (BODY[1] {5}|x {9}| UID 3)|");
}

/* The TUI's limit in lines: as many as show_lines, then the rest. */
static void
test_literal_lines(void **state)
{
	const struct display_literals two = { 65536, 2, 65536 };
	const char *in = "* 2 FETCH (BODY[TEXT] {30}\r\n"
			 "line one\r\nline two\r\nline 333\r\n)\r\n";

	expect_lines(in, strlen(in), &two,
	    "* 2 FETCH (BODY[TEXT] {30}|line one|line two|"
	    "[\xe2\x80\xa6 10 more bytes of a literal of 30 bytes]|)|");
	expect_lines(in, strlen(in), &(struct display_literals){ 65536, 3,
	    65536 }, "* 2 FETCH (BODY[TEXT] {30}|line one|line two|"
	    "line 333|)|");
}

/* Inside a literal a CRLF ends a line, a bare LF is data shown as "\n"
 * (and ends the display line), a bare CR is "\r"; an empty line stays. */
static void
test_literal_line_ends(void **state)
{
	const char *in = "* 1 FETCH (BODY[] {26}\r\n"
			 "Subject: x\r\n\r\nunix\nold\rmac)\r\n";

	expect_lines(in, strlen(in), &server_64k,
	    "* 1 FETCH (BODY[] {26}|Subject: x||unix\\n|old\\rmac)|");
}

/* Binary bytes stay escaped, one display line never holds a raw control
 * byte, and what a literal holds is never taken for a literal's header
 * or for responses: the second literal of the response is found by
 * counting the first one's bytes. */
static void
test_literal_binary(void **state)
{
	static const char in[] =
	    "* 1 FETCH (BINARY[1] ~{34}\r\n"
	    "\x00\xff\x1b[2J\xc2\x9b\xe2\x80\xae" "rtl\r\n"
	    "a {99999}\r\n"
	    "* BYE\r\n"
	    " BODY[2] {3}\r\nxyz)\r\n";

	expect_lines(in, sizeof(in) - 1, &server_64k,
	    "* 1 FETCH (BINARY[1] ~{34}|"
	    "\\x00\\xff\\x1b[2J\\u{009b}\\u{202e}rtl|a {99999}|* BYE|"
	    " BODY[2] {3}|xyz)|");
	/* the same with the first literal cut: the second one still shows */
	expect_lines(in, sizeof(in) - 1, &(struct display_literals){ 4, 0,
	    65536 }, "* 1 FETCH (BINARY[1] ~{34}|\\x00\\xff\\x1b[|"
	    "[\xe2\x80\xa6 30 more bytes of a literal of 34 bytes]|"
	    " BODY[2] {3}|xyz)|");
}

/* A command's chunk that ends at its literal's header (a synchronising
 * literal: the bytes go in the next chunk) shows the line alone; a line
 * of a literal longer than 64 KiB goes on in the next display line, so
 * every byte up to the limit is shown. */
static void
test_literal_chunks(void **state)
{
	const struct display_literals client = { 1 << 20, 0, 64u << 20 };
	const char *in = "a1 APPEND INBOX {30}\r\n";
	struct buf text, out;
	size_t first, second;

	expect_lines(in, strlen(in), &client, "a1 APPEND INBOX {30}|");
	buf_init(&text, 1 << 20);
	buf_init(&out, 1 << 20);
	buf_append_str(&text, "a2 APPEND INBOX {70002+}\r\n");
	while (text.len < 26 + 70000)
		buf_append_str(&text, "x");
	buf_append_str(&text, "\r\n\r\n");
	display_wire_lines(text.data, text.len, &client, collect, &out);
	first = strcspn(buf_str(&out) + 25, "|");
	second = strcspn(buf_str(&out) + 25 + first + 1, "|");
	assert_int_equal(first, 65536);
	assert_int_equal(second, 70000 - 65536);
	assert_string_equal(buf_str(&out) + 25 + first + 1 + second, "||");
	/* nor does a line go on inside a UTF-8 sequence: a 4-byte one that
	 * the 64 KiB mark would split after 3 bytes starts the next line */
	buf_reset(&text);
	buf_reset(&out);
	buf_append_str(&text, "a3 APPEND INBOX {65541+}\r\n");
	while (text.len < 26 + 65533)
		buf_append_str(&text, "x");
	buf_append_str(&text, "\xf0\x9f\x98\x80yz\r\n\r\n");
	display_wire_lines(text.data, text.len, &client, collect, &out);
	first = strcspn(buf_str(&out) + 25, "|");
	assert_int_equal(first, 65533);
	assert_string_equal(buf_str(&out) + 25 + first, "|\xf0\x9f\x98\x80yz||");
	buf_free(&text);
	buf_free(&out);
}

/* Every display line is safe for a terminal: no byte below 0x20 and no
 * DEL, whatever the wire holds. */
static void
check_line(void *ctx, const char *text, size_t len)
{
	size_t i, *lines = ctx;

	for (i = 0; i < len; i++)
		assert_true((unsigned char)text[i] >= 0x20 &&
		    (unsigned char)text[i] != 0x7f);
	(*lines)++;
}

/* A small linear congruential generator: the same inputs every run. */
static unsigned
next_random(unsigned *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 16;
}

/* Random wire text made of the bytes that matter (line ends, literal
 * headers, controls, UTF-8 pieces) under random limits: no line is
 * unsafe, and a sanitizer build sees every byte read in bounds. */
static void
test_random_wire(void **state)
{
	static const char *const pieces[] = {
		"\r\n", "\n", "\r", "{", "}", "+}", "{3}\r\n", "{0}\r\n",
		"{12}\r\n", "{70000}\r\n", "~{5}\r\n", "1", "9", " ", "x",
		"", "\x1b[", "\xe2\x80\xae", "\xc3", "\xbc", "\xff",
		"* 1 FETCH (BODY[] ", ")",
	};
	const size_t npieces = sizeof(pieces) / sizeof(pieces[0]);
	unsigned seed = 20251206, round, n, r;
	char text[512], *exact;
	size_t len, plen, lines;
	struct display_literals lit;
	const char *p;

	for (round = 0; round < 20000; round++) {
		len = 0;
		for (n = next_random(&seed) % 64; n > 0; n--) {
			p = pieces[next_random(&seed) % npieces];
			/* "" stands for a NUL byte */
			plen = p[0] == '\0' ? 1 : strlen(p);
			if (len + plen > sizeof(text))
				break;
			memcpy(text + len, p, plen);
			len += plen;
		}
		r = next_random(&seed);
		lit.show_bytes = r % 3 == 0 ? 0 : r % 40;
		lit.show_lines = (r >> 4) % 4;
		lit.streamed_above = (r >> 6) % 2 == 0 ? 65536 : 8;
		/* exactly len bytes, so a read past them is a sanitizer's */
		exact = malloc(len > 0 ? len : 1);
		assert_non_null(exact);
		memcpy(exact, text, len);
		lines = 0;
		display_wire_lines(exact, len, &lit, check_line, &lines);
		assert_true(len == 0 || lines > 0);
		free(exact);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_wire_lines),
		cmocka_unit_test(test_literal_cut),
		cmocka_unit_test(test_literal_lines),
		cmocka_unit_test(test_literal_line_ends),
		cmocka_unit_test(test_literal_binary),
		cmocka_unit_test(test_literal_chunks),
		cmocka_unit_test(test_random_wire),
		cmocka_unit_test(test_error_line),
	};

	return cmocka_run_group_tests_name("display", tests, NULL, NULL);
}
