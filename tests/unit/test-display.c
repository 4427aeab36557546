/* Unit tests for display: escaping server text for a terminal, and
 * collapsing huge literals. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

static void
expect_lines(const char *in, size_t len, uint64_t cap, uint64_t streamed,
    const char *want)
{
	struct buf out;

	buf_init(&out, 4096);
	display_wire_lines(in, len, cap, streamed, collect, &out);
	assert_string_equal(buf_str(&out), want);
	buf_free(&out);
}

static void
test_wire_lines(void **state)
{
	const char *in = "* 1 FETCH (BODY[] {7}\r\nA1 OK\r\n)\r\n";

	expect_lines(in, strlen(in), 100, 1000,
	    "* 1 FETCH (BODY[] {7}|A1 OK|)|");
	expect_lines(in, strlen(in), 5, 1000,
	    "* 1 FETCH (BODY[] {7}|[literal of 7 bytes, not shown]|)|");
	in = "* 1 FETCH (BODY[] {165000000}\r\n)\r\n";
	expect_lines(in, strlen(in), 5, 65536,
	    "* 1 FETCH (BODY[] {165000000}|[literal of 165000000 bytes, "
	    "streamed, not shown]|)|");
	in = "* OK \x1b]0;pwned\x07\r\n";
	expect_lines(in, strlen(in), 5, 65536, "* OK \\x1b]0;pwned\\x07|");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_wire_lines),
		cmocka_unit_test(test_error_line),
	};

	return cmocka_run_group_tests_name("display", tests, NULL, NULL);
}
