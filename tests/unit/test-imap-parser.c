/* Unit tests for imap-parser. Every case is fed one byte at a time, in
 * small odd chunks and in one piece, and must give the same result each
 * way: NEED_MORE until the last byte of a response, then DONE with the same
 * tree (after Dovecot's test-imap-parser.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "imap-parser.h"
#include "util-buf.h"
#include "util-mem.h"

/* Render a tree compactly: a:atom n:number s"str" l{len}"str" L8{len}
 * S{size} NIL (...). */
/* Limits by position; the fields not named take their defaults. */
#define LIMITS(response, depth, inline_literal, literal, items) \
	{ .max_response = (response), .max_depth = (depth), \
	    .max_inline_literal = (inline_literal), .max_literal = (literal), \
	    .max_items = (items) }

static void
render_args(struct buf *out, const struct imap_arg *args, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		const struct imap_arg *a = &args[i];

		if (i > 0)
			buf_append_str(out, " ");
		switch (a->type) {
		case IMAP_ARG_ATOM:
			buf_printf(out, "a:%s", a->text);
			break;
		case IMAP_ARG_NUMBER:
			buf_printf(out, "n:%llu",
			    (unsigned long long)a->u.number);
			break;
		case IMAP_ARG_STRING:
			buf_append_str(out, "s\"");
			buf_append(out, a->u.str.data, a->u.str.len);
			buf_append_str(out, "\"");
			break;
		case IMAP_ARG_LITERAL:
		case IMAP_ARG_LITERAL8:
			buf_printf(out, "%s{%zu}\"",
			    a->type == IMAP_ARG_LITERAL ? "l" : "L8",
			    a->u.str.len);
			buf_append(out, a->u.str.data, a->u.str.len);
			buf_append_str(out, "\"");
			break;
		case IMAP_ARG_STREAMED:
			buf_printf(out, "S{%llu}",
			    (unsigned long long)a->u.streamed.size);
			break;
		case IMAP_ARG_NIL:
			buf_append_str(out, "NIL");
			break;
		case IMAP_ARG_LIST:
			buf_append_str(out, "(");
			render_args(out, a->u.list.args, a->u.list.count);
			buf_append_str(out, ")");
			break;
		}
	}
}

static const char *const kind_names[] = { "*", "T", "+" };

static void
render_response(struct buf *out, const struct imap_response *r, size_t pos)
{
	buf_printf(out, "[%s", kind_names[r->kind]);
	if (r->tag != NULL)
		buf_printf(out, " tag=%s", r->tag);
	if (r->status != IMAP_STATUS_NONE)
		buf_printf(out, " %s", imap_status_name(r->status));
	if (r->count > 0) {
		buf_append_str(out, " ");
		render_args(out, r->args, r->count);
	}
	if (r->code != NULL)
		buf_printf(out, " code=%s", r->code);
	if (r->code_args != NULL)
		buf_printf(out, " code_args=<%s>", r->code_args);
	if (r->text != NULL)
		buf_printf(out, " text=<%s>", r->text);
	buf_printf(out, " @%zu]", pos);
}

struct capture_sink {
	struct buf data;
	uint64_t announced;
	int ends;
};

static int
cap_begin(void *ctx, uint64_t size, const char **error_r)
{
	struct capture_sink *c = ctx;

	c->announced = size;
	return 0;
}

static int
cap_data(void *ctx, const unsigned char *data, size_t len,
    const char **error_r)
{
	struct capture_sink *c = ctx;

	/* keep at most 64 bytes: the tests check the start */
	if (c->data.len < 64)
		buf_append(&c->data, data,
		    len < 64 - c->data.len ? len : 64 - c->data.len);
	return 0;
}

static int
cap_end(void *ctx, const char **error_r)
{
	struct capture_sink *c = ctx;

	c->ends++;
	return 0;
}

/* Feed input in chunks of `chunk` bytes; return the rendering of every
 * response and of an error, with the byte position of each. */
static char *
run_chunked(const struct imap_parser_limits *limits, const char *in,
    size_t len, size_t chunk, struct capture_sink *cap)
{
	struct imap_parser *p = imap_parser_new(limits);
	struct imap_literal_sink sink = { cap_begin, cap_data, cap_end, cap };
	struct buf out;
	size_t off = 0, avail = 0;

	buf_init(&out, 1 << 20);
	if (cap != NULL)
		imap_parser_set_literal_sink(p, &sink);
	while (off < len) {
		const struct imap_response *resp;
		const char *err = NULL;
		size_t n, used;
		enum imap_parse_result r;

		/* Bytes left over from a DONE are offered again with more. */
		n = avail > 0 ? avail : (len - off < chunk ? len - off : chunk);
		r = imap_parser_parse(p, (const unsigned char *)in + off, n,
		    &used, &resp, &err);
		off += used;
		avail = n - used;
		if (r == IMAP_PARSE_DONE) {
			render_response(&out, resp, off);
			continue;
		}
		if (r == IMAP_PARSE_ERROR) {
			buf_printf(&out, "[ERROR @%zu: %s]", off, err);
			break;
		}
		assert_int_equal(used, n); /* NEED_MORE takes everything */
	}
	imap_parser_free(&p);
	assert_null(p);
	return buf_steal(&out);
}

/* Same result for byte-at-a-time, odd chunks and one-shot delivery. */
static char *
run_limits(const struct imap_parser_limits *limits, const char *in,
    size_t len)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 64 };
	char *whole = run_chunked(limits, in, len, len ? len : 1, NULL);
	size_t i;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		char *part = run_chunked(limits, in, len, chunks[i], NULL);

		if (strcmp(part, whole) != 0)
			fail_msg("chunk %zu differs:\n  %s\nvs one-shot:\n  %s",
			    chunks[i], part, whole);
		free(part);
	}
	return whole;
}

static void
expect(const char *in, const char *want)
{
	char *got = run_limits(NULL, in, strlen(in));

	assert_string_equal(got, want);
	free(got);
}

static void
expect_limits(const struct imap_parser_limits *limits, const char *in,
    const char *want)
{
	char *got = run_limits(limits, in, strlen(in));

	assert_string_equal(got, want);
	free(got);
}

static void
expect_n(const char *in, size_t len, const char *want)
{
	char *got = run_limits(NULL, in, len);

	assert_string_equal(got, want);
	free(got);
}

static void
test_greeting_with_code(void **state)
{
	expect("* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS] Dovecot ready.\r\n",
	    "[* OK code=CAPABILITY code_args=<IMAP4rev1 SASL-IR STARTTLS> "
	    "text=<Dovecot ready.> @61]");
}

static void
test_tagged_status(void **state)
{
	expect("a1 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n",
	    "[T tag=a1 OK code=READ-WRITE "
	    "text=<Select completed (0.001 + 0.000 secs).> @59]");
	expect("A2 NO\r\n", "[T tag=A2 NO text=<> @7]");
	expect("A3 bad Unknown command\r\n",
	    "[T tag=A3 BAD text=<Unknown command> @24]");
	/* RFC 9051 9: a tag's ASTRING-CHARs include "]", so a server
	 * echoes a typed "a]1" (found by fuzz/fuzz-console-input.c) */
	expect("a]1 OK done\r\n", "[T tag=a]1 OK text=<done> @13]");
	expect("]b NO x\r\n", "[T tag=]b NO text=<x> @9]");
}

static void
test_tagged_without_status_is_an_error(void **state)
{
	expect("A1 FETCH 1\r\n",
	    "[ERROR @9: tagged response without OK, NO or BAD]");
	expect("A1 BYE x\r\n", "[ERROR @7: tagged response with status BYE]");
}

static void
test_untagged_data(void **state)
{
	expect("* 3 EXISTS\r\n* 18446744073709551615 RECENT\r\n",
	    "[* n:3 a:EXISTS @12][* n:18446744073709551615 a:RECENT @43]");
	/* One more than 2^64-1 is not a number; it stays an atom. */
	expect("* 18446744073709551616 X\r\n",
	    "[* a:18446744073709551616 a:X @26]");
	expect("* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n",
	    "[* a:LIST (a:\\HasNoChildren a:\\Trash) s\"/\" a:Trash @42]");
	expect("* LIST () NIL \"a\\\"b\\\\c\"\r\n",
	    "[* a:LIST () NIL s\"a\"b\\c\" @25]");
}

static void
test_fetch_with_section_and_literal(void **state)
{
	expect("* 1 FETCH (UID 7 FLAGS (\\Seen) "
	       "BODY[HEADER.FIELDS (FROM \"X\")]<0> {5}\r\nab\r\nc)\r\n",
	    "[* n:1 a:FETCH (a:UID n:7 a:FLAGS (a:\\Seen) "
	    "a:BODY[HEADER.FIELDS (FROM \"X\")]<0> l{5}\"ab\r\nc\") @78]");
}

static void
test_empty_literal(void **state)
{
	expect("* 1 FETCH (BODY[] {0}\r\n)\r\n",
	    "[* n:1 a:FETCH (a:BODY[] l{0}\"\") @26]");
}

static void
test_literal_that_looks_like_a_response(void **state)
{
	/* The literal's bytes are data, never a tagged reply. */
	expect("* 1 FETCH (BODY[] {7}\r\nA1 OK\r\n)\r\nA1 OK done\r\n",
	    "[* n:1 a:FETCH (a:BODY[] l{7}\"A1 OK\r\n\") @33]"
	    "[T tag=A1 OK text=<done> @45]");
}

static void
test_literal8_may_hold_nul(void **state)
{
	expect_n("* 1 FETCH (BINARY[] ~{3}\r\na\0b)\r\n", 33,
	    "[* n:1 a:FETCH (a:BINARY[] L8{3}\"a\0b\") @33]");
}

static void
test_tilde_starts_an_atom_too(void **state)
{
	/* RFC 4314 3.4's example mailbox */
	expect("* LISTRIGHTS ~/Mail/saved smith la r\r\n",
	    "[* a:LISTRIGHTS a:~/Mail/saved a:smith a:la a:r @38]");
	expect("* X ~\r\n", "[* a:X a:~ @7]");
	expect("* X (~a)\r\n", "[* a:X (a:~a) @10]");
}

static void
test_literal_plus_form(void **state)
{
	expect("* X {2+}\r\nhi\r\n", "[* a:X l{2}\"hi\" @14]");
}

static void
test_continuations(void **state)
{
	expect("+ Ready for literal data\r\n",
	    "[+ text=<Ready for literal data> @26]");
	expect("+\r\n", "[+ text=<> @3]");
	expect("+ \r\n", "[+ text=<> @4]");
	expect("+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+\r\n",
	    "[+ text=<PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+> @40]");
}

static void
test_pipelined_out_of_order(void **state)
{
	expect("a3 OK done\r\n* 2 EXPUNGE\r\na2 NO [TRYCREATE] no\r\n",
	    "[T tag=a3 OK text=<done> @12]"
	    "[* n:2 a:EXPUNGE @25]"
	    "[T tag=a2 NO code=TRYCREATE text=<no> @47]");
}

static void
test_code_args_with_bracket_in_quotes(void **state)
{
	expect("* NO [BADCHARSET (\"x]y\" UTF-8)] bad\r\n",
	    "[* NO code=BADCHARSET code_args=<(\"x]y\" UTF-8)> text=<bad> "
	    "@37]");
}

/* RFC 9051: after "OK" SP comes resp-text, and text may start with SP;
 * a second SP is text, so " [X] a" is no response code (a fuzz finding:
 * dropping the SP made one, which did not survive a round trip). */
static void
test_text_after_two_spaces(void **state)
{
	expect("* OK  [X] a\r\n* NO  two\r\n",
	    "[* OK text=< [X] a> @13]"
	    "[* NO text=< two> @24]");
}

static void
test_unterminated_quote(void **state)
{
	expect("* LIST () \"/\" \"foo\r\n",
	    "[ERROR @19: quoted string not terminated before end of line]");
}

static void
test_nul_is_an_error(void **state)
{
	expect_n("* LIST () \"/\" \"a\0b\"\r\n", 21,
	    "[ERROR @17: NUL in a quoted string]");
	expect_n("* AB\0C\r\n", 8, "[ERROR @5: 0x00 inside an atom]");
	expect_n("* OK a\0b\r\n", 10, "[ERROR @7: NUL in response text]");
}

static void
test_deep_nesting_is_capped_without_recursion(void **state)
{
	size_t n = 100000, len = 2 + n;
	char *in = xmalloc(len + 1), *got;

	memcpy(in, "* ", 2);
	memset(in + 2, '(', n);
	in[len] = '\0';
	got = run_limits(NULL, in, len);
	/* The 101st '(' is at byte 103 (1-based). */
	assert_string_equal(got, "[ERROR @103: lists nested deeper than 100 "
				 "levels (the depth limit)]");
	free(got);
	free(in);
}

static void
test_unbalanced_lists(void **state)
{
	expect("* X (a\r\n", "[ERROR @8: response ended inside a list (1 open)]");
	expect("* X a)\r\n", "[ERROR @6: ')' without a matching '(']");
}

static void
test_huge_literal_is_streamed_not_buffered(void **state)
{
	/* 4 GiB: more than 32 bits, and far more than memory should follow. */
	const char *in = "* 1 FETCH (BODY[] {4294967296}\r\nabc";
	struct imap_parser *p = imap_parser_new(NULL);
	const struct imap_response *resp;
	const char *err;
	uint64_t done, size;
	size_t used;

	assert_int_equal(imap_parser_parse(p, (const unsigned char *)in,
			     strlen(in), &used, &resp, &err),
	    IMAP_PARSE_NEED_MORE);
	assert_int_equal(used, strlen(in));
	imap_parser_literal_progress(p, &done, &size);
	assert_true(size == 4294967296ULL);
	assert_true(done == 3);
	imap_parser_free(&p);
}

static void
test_literal_limits(void **state)
{
	struct imap_parser_limits lim = LIMITS(1 << 20, 10, 16, 1 << 30, 1000);
	char *got = run_limits(&lim, "* 1 FETCH (BODY[] {4294967296}\r\n",
	    32);

	assert_string_equal(got, "[ERROR @32: literal of 4294967296 bytes is "
				 "over the limit of 1073741824 (the "
				 "literal size limit)]");
	free(got);
	expect("* X {99999999999999999999}\r\n",
	    "[ERROR @25: literal size does not fit in 64 bits]");
	expect("* X {}\r\n", "[ERROR @6: literal without a size]");
	expect("* X {1x}\r\n", "[ERROR @7: 'x' in a literal size]");
}

static void
test_streamed_literal_reaches_the_sink(void **state)
{
	struct imap_parser_limits lim = LIMITS(1 << 20, 10, 4, 1 << 30, 1000);
	const char *in = "* 9 FETCH (BODY[] {10}\r\n0123456789)\r\n";
	size_t chunks[] = { 1, 3, 64 };
	size_t i;

	for (i = 0; i < 3; i++) {
		struct capture_sink cap = { .ends = 0 };
		char *got;

		buf_init(&cap.data, 1024);
		got = run_chunked(&lim, in, strlen(in), chunks[i], &cap);
		assert_string_equal(got,
		    "[* n:9 a:FETCH (a:BODY[] S{10}) @37]");
		assert_string_equal(buf_str(&cap.data), "0123456789");
		assert_true(cap.announced == 10);
		assert_int_equal(cap.ends, 1);
		buf_free(&cap.data);
		free(got);
	}
}

static void
test_raw_leaves_streamed_bytes_out(void **state)
{
	struct imap_parser_limits lim = LIMITS(1 << 20, 10, 4, 1 << 30, 1000);
	const char *in = "* 9 FETCH (BODY[] {10}\r\n0123456789)\r\n";
	struct imap_parser *p = imap_parser_new(&lim);
	const struct imap_response *resp;
	const char *err;
	size_t used;

	assert_int_equal(imap_parser_parse(p, (const unsigned char *)in,
			     strlen(in), &used, &resp, &err),
	    IMAP_PARSE_DONE);
	assert_int_equal(resp->raw_len, strlen(in) - 10);
	assert_memory_equal(resp->raw, "* 9 FETCH (BODY[] {10}\r\n)\r\n",
	    resp->raw_len);
	imap_parser_free(&p);
}

static void
test_response_size_limit(void **state)
{
	struct imap_parser_limits lim = LIMITS(16, 10, 4, 1 << 30, 1000);
	char *got = run_limits(&lim, "* SEARCH 1 2 3 4 5 6\r\n", 22);

	assert_string_equal(got, "[ERROR @16: response longer than 16 bytes "
				 "(the response limit)]");
	free(got);
}

static void
test_token_count_limit(void **state)
{
	struct imap_parser_limits lim = LIMITS(1 << 20, 10, 4, 1 << 30, 4);
	char *got = run_limits(&lim, "* SEARCH 1 2 3 4 5 6\r\n", 22);

	assert_string_equal(got, "[ERROR @17: more than 4 items in one "
				 "response (the item limit)]");
	free(got);
}

/* The line limit counts one line; a literal's bytes are not part of a
 * line, and the line after a literal starts again from nothing. */
static void
test_line_limit(void **state)
{
	struct imap_parser_limits lim = LIMITS(1 << 20, 10, 64, 1 << 30, 1000);
	char *got;

	lim.max_line = 16;
	got = run_limits(&lim, "* OK 0123456789abcdef\r\n", 23);
	assert_string_equal(got, "[ERROR @16: response line longer than 16 "
				 "bytes (the line limit)]");
	free(got);
	/* 16 bytes with the CRLF is just within it */
	expect_limits(&lim, "* OK 012345678\r\n", "[* OK text=<012345678> @16]");
	/* three lines of 12, 12 and 3 bytes around two 20-byte literals */
	expect_limits(&lim, "* X ({20}\r\n01234567890123456789 {20}\r\n"
			    "01234567890123456789)\r\n",
	    "[* a:X (l{20}\"01234567890123456789\" "
			       "l{20}\"01234567890123456789\") @61]");
}

static void
test_literal_count_limit(void **state)
{
	struct imap_parser_limits lim = LIMITS(1 << 20, 10, 64, 1 << 30, 1000);
	char *got;

	lim.max_literals = 2;
	expect_limits(&lim, "* X {1}\r\na {0}\r\n\r\n",
	    "[* a:X l{1}\"a\" l{0}\"\" @18]");
	got = run_limits(&lim, "* X {1}\r\na {0}\r\n {0}\r\n\r\n", 26);
	assert_string_equal(got, "[ERROR @22: more than 2 literals in one "
				 "response (the literal count limit)]");
	free(got);
}

/* The caller learns which limit stopped the parse, to name its option. */
static void
test_limit_hit(void **state)
{
	static const struct {
		const char *in;
		enum imap_parser_limit want;
	} cases[] = {
		{ "* OK 0123456789abcdefghij\r\n", IMAP_LIMIT_LINE },
		{ "* X ((((\r\n", IMAP_LIMIT_DEPTH },
		{ "* X 1 2 3 4 5\r\n", IMAP_LIMIT_ITEMS },
		{ "* X {2}\r\nab{2}\r\nab{2}\r\nab\r\n", IMAP_LIMIT_LITERALS },
		{ "* X {99999}\r\n", IMAP_LIMIT_LITERAL_SIZE },
		{ "* X {9}\r\n123456789 {9}\r\n123456789 abcdefghijklmn\r\n",
		    IMAP_LIMIT_RESPONSE },
		{ "* X \"a\r\n", IMAP_LIMIT_NONE },
	};
	struct imap_parser_limits lim = LIMITS(40, 3, 64, 1000, 4);
	size_t i;

	lim.max_line = 20;
	lim.max_literals = 2;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct imap_parser *p = imap_parser_new(&lim);
		const struct imap_response *resp;
		const char *err = NULL;
		size_t used;

		assert_int_equal(imap_parser_parse(p,
				     (const unsigned char *)cases[i].in,
				     strlen(cases[i].in), &used, &resp, &err),
		    IMAP_PARSE_ERROR);
		if (imap_parser_limit_hit(p) != cases[i].want)
			fail_msg("case %zu (%s): limit %d, not %d", i, err,
			    (int)imap_parser_limit_hit(p), (int)cases[i].want);
		imap_parser_free(&p);
	}
}

/* A literal holding a NUL is data (with its length), never a C string:
 * "INBOX\0evil" must not read as INBOX. */
static void
test_nul_string_is_no_c_string(void **state)
{
	struct imap_parser *p = imap_parser_new(NULL);
	const char *in = "* LIST () \"/\" {10}\r\nINBOX\0evil\r\n", *s;
	const struct imap_response *resp;
	const char *err;
	size_t used, len;

	assert_int_equal(imap_parser_parse(p, (const unsigned char *)in, 32,
			     &used, &resp, &err),
	    IMAP_PARSE_DONE);
	assert_true(imap_arg_get_string(&resp->args[3], &s, &len));
	assert_int_equal(len, 10);
	assert_false(imap_arg_get_string(&resp->args[3], &s, NULL));
	assert_false(imap_arg_get_astring(&resp->args[3], &s, NULL));
	assert_true(imap_arg_get_astring(&resp->args[2], &s, NULL));
	imap_parser_free(&p);
}

/* A zero field is its default; NULL is every default. */
static void
test_limits_default(void **state)
{
	struct imap_parser_limits in = { .max_depth = 7 }, out;

	imap_parser_limits_complete(&in, &out);
	assert_int_equal(out.max_depth, 7);
	assert_int_equal(out.max_line, IMAP_PARSER_DEFAULT_MAX_LINE);
	assert_int_equal(out.max_response, IMAP_PARSER_DEFAULT_MAX_RESPONSE);
	assert_int_equal(out.max_items, IMAP_PARSER_DEFAULT_MAX_ITEMS);
	assert_int_equal(out.max_literals, IMAP_PARSER_DEFAULT_MAX_LITERALS);
	imap_parser_limits_complete(NULL, &out);
	assert_int_equal(out.max_depth, IMAP_PARSER_DEFAULT_MAX_DEPTH);
}

/* A response that is all in one read takes the one-pass path (the
 * one-shot run), the same bytes split take the byte path (the chunked
 * runs): each case is where the two could part. */
static void
test_whole_response_pass(void **state)
{
	/* numbers: leading zeros, 19 and 20 digits, one too many */
	expect("* 1 X 007 1234567890123456789 18446744073709551615 "
	       "18446744073709551616 12a\r\n",
	    "[* n:1 a:X n:7 n:1234567890123456789 n:18446744073709551615 "
	    "a:18446744073709551616 a:12a @77]");
	/* NIL in any case, before '(' or ')' or CR, and atoms like it */
	expect("* X NIL nil NIL(NIL)NIL NILS (NIL) NI\r\n",
	    "[* a:X NIL NIL NIL (NIL) NIL a:NILS (NIL) a:NI @39]");
	/* escapes, a TAB, bytes above 0x7f, escapes past 16 bytes */
	expect("* X \"a\\\"b\\\\c\" \"t\tb\" \"\" \"\xc3\xa9t\xc3\xa9\" "
	       "\"0123456789abcdefghij\\\"k\"\r\n",
	    "[* a:X s\"a\"b\\c\" s\"t\tb\" s\"\" s\"\xc3\xa9t\xc3\xa9\" "
	    "s\"0123456789abcdefghij\"k\" @58]");
	/* the bytes that are no stop but below 0x2a: inside atoms */
	expect("* X a!b#c$d%e&f'g*h\r\n", "[* a:X a:a!b#c$d%e&f'g*h @21]");
	/* a token right after a literal (no SP): the byte path's */
	expect("* X {3}\r\nabcNIL {2}\r\nab\"q\"\r\n",
	    "[* a:X l{3}\"abc\" NIL l{2}\"ab\" s\"q\" @28]");
	/* literals of every form, nested lists, bracketed atoms */
	expect("* 1 FETCH (BODY[HEADER.FIELDS (A B)] {2+}\r\nhi "
	       "BINARY[1] ~{1}\r\nx (((a) ()) \"\") [x]y)\r\n",
	    "[* n:1 a:FETCH (a:BODY[HEADER.FIELDS (A B)] l{2}\"hi\" "
	    "a:BINARY[1] L8{1}\"x\" (((a:a) ()) s\"\") a:[x]y) @85]");
	/* spaces, a bare LF, an empty response, a status word's length */
	expect("*   5  EXISTS \n* \r\n* OKAY 1\r\n* ok\r\n",
	    "[* n:5 a:EXISTS @15][* @19][* a:OKAY n:1 @29]"
	    "[* OK text=<> @35]");
	/* errors stay the byte path's, at its byte */
	expect("* X\rY\r\n", "[ERROR @5: CR not followed by LF]");
	expect("* (a\r\n", "[ERROR @6: response ended inside a list (1 open)]");
	expect("* a\"b\r\n", "[ERROR @4: '\"' inside an atom]");
	expect("* \"a\r\n", "[ERROR @5: quoted string not terminated before "
	    "end of line]");
	expect("* {x}\r\n", "[ERROR @4: 'x' in a literal size]");
	expect("* a [b\r\n", "[ERROR @7: '[' in an atom not closed by ']']");
}

static void
test_bad_line_ends_and_starts(void **state)
{
	expect("* OK hi\rX", "[ERROR @9: CR not followed by LF]");
	expect("\r\n", "[ERROR @1: response starts with 0x0d]");
	expect("*X\r\n", "[ERROR @2: 'X' after '*']");
	expect("* X\r\n", "[* a:X @5]");
	expect("* OK [ALERT\r\n", "[ERROR @12: 0x0d in a response code]");
}

static void
test_parse_text(void **state)
{
	struct imap_parser *p = imap_parser_new(NULL);
	const struct imap_arg *args;
	const char *err = NULL;
	size_t count;
	struct buf out;

	buf_init(&out, 4096);
	assert_int_equal(imap_parser_parse_text(p, "(\\Seen \\Deleted \\*)",
			     &args, &count, &err),
	    0);
	render_args(&out, args, count);
	assert_string_equal(buf_str(&out), "(a:\\Seen a:\\Deleted a:\\*)");
	buf_reset(&out);
	assert_int_equal(imap_parser_parse_text(p, "38505 3955:3957", &args,
			     &count, &err),
	    0);
	render_args(&out, args, count);
	assert_string_equal(buf_str(&out), "n:38505 a:3955:3957");
	assert_int_equal(imap_parser_parse_text(p, "(a \"b", &args, &count,
			     &err),
	    -1);
	assert_string_equal(err, "text ends inside a token");
	buf_free(&out);
	imap_parser_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greeting_with_code),
		cmocka_unit_test(test_tagged_status),
		cmocka_unit_test(test_tagged_without_status_is_an_error),
		cmocka_unit_test(test_untagged_data),
		cmocka_unit_test(test_fetch_with_section_and_literal),
		cmocka_unit_test(test_empty_literal),
		cmocka_unit_test(test_literal_that_looks_like_a_response),
		cmocka_unit_test(test_literal8_may_hold_nul),
		cmocka_unit_test(test_literal_plus_form),
		cmocka_unit_test(test_tilde_starts_an_atom_too),
		cmocka_unit_test(test_continuations),
		cmocka_unit_test(test_pipelined_out_of_order),
		cmocka_unit_test(test_code_args_with_bracket_in_quotes),
		cmocka_unit_test(test_text_after_two_spaces),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_nul_is_an_error),
		cmocka_unit_test(test_deep_nesting_is_capped_without_recursion),
		cmocka_unit_test(test_unbalanced_lists),
		cmocka_unit_test(test_huge_literal_is_streamed_not_buffered),
		cmocka_unit_test(test_literal_limits),
		cmocka_unit_test(test_streamed_literal_reaches_the_sink),
		cmocka_unit_test(test_raw_leaves_streamed_bytes_out),
		cmocka_unit_test(test_response_size_limit),
		cmocka_unit_test(test_token_count_limit),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_literal_count_limit),
		cmocka_unit_test(test_limit_hit),
		cmocka_unit_test(test_limits_default),
		cmocka_unit_test(test_nul_string_is_no_c_string),
		cmocka_unit_test(test_bad_line_ends_and_starts),
		cmocka_unit_test(test_whole_response_pass),
		cmocka_unit_test(test_parse_text),
	};

	return cmocka_run_group_tests_name("imap-parser", tests, NULL, NULL);
}
