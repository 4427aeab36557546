/* imap-roundtrip: parse, write back, parse again, compare; plus the
 * chunking, sink and tree invariants. See imap-roundtrip.h.
 *
 * Every input goes through two parser configurations: the defaults, and
 * small limits under which literals over 16 bytes stream to the sink and
 * the depth, token and size caps are within a fuzzer's reach. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "decode-response.h"
#include "imap-command.h"
#include "imap-roundtrip.h"

/* Byte-at-a-time delivery is compared with one-shot delivery on this
 * much of the input: enough for several responses, cheap per fuzz run. */
#define RT_TRICKLE_PREFIX 4096
/* An odd chunk size, so chunk edges fall anywhere in literals and CRLFs. */
#define RT_ODD_CHUNK 7
/* The cap of every buffer the checker writes. */
#define RT_OUT_MAX ((size_t)256 << 20)
/* The test sink fails in begin(), data() or end() for literals of these
 * sizes, so the parser's paths for a failing sink are reachable (over the
 * small inline cap, under its max). */
#define RT_SINK_FAIL_BEGIN 4242
#define RT_SINK_FAIL_DATA 4243
#define RT_SINK_FAIL_END 4244
/* How much of a serialization an error message quotes. */
#define RT_QUOTE_MAX 200

struct rt_config {
	const char *name;
	struct imap_parser_limits limits;
};

static const struct rt_config rt_configs[] = {
	{ "default", {
		.max_response = IMAP_PARSER_DEFAULT_MAX_RESPONSE,
		.max_depth = IMAP_PARSER_DEFAULT_MAX_DEPTH,
		.max_inline_literal = IMAP_PARSER_DEFAULT_MAX_INLINE_LITERAL,
		.max_literal = IMAP_PARSER_DEFAULT_MAX_LITERAL,
		.max_items = IMAP_PARSER_DEFAULT_MAX_ITEMS } },
	{ "small", {
		.max_response = 4096,
		.max_depth = 8,
		.max_inline_literal = 16,
		.max_literal = 1 << 20,
		.max_items = 64 } },
};

/* One check run: the configuration under test and the first failure. */
struct rt {
	const struct rt_config *cfg;
	bool failed;
	char error[1024];
};

static void __attribute__((format(printf, 2, 3)))
rt_fail(struct rt *rt, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (rt->failed)
		return; /* the first broken promise is the interesting one */
	rt->failed = true;
	n = snprintf(rt->error, sizeof(rt->error), "[%s limits] ",
	    rt->cfg->name);
	va_start(ap, fmt);
	vsnprintf(rt->error + n, sizeof(rt->error) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* --- writing a tree back --------------------------------------------- */

/* RFC 9051 4.3: a quoted string cannot hold NUL, CR or LF. */
static bool
quotable(const char *s, size_t len)
{
	return memchr(s, '\0', len) == NULL && memchr(s, '\r', len) == NULL &&
	    memchr(s, '\n', len) == NULL;
}

static int
write_literal(struct buf *out, bool literal8, const char *s, uint64_t len)
{
	uint64_t i;

	if (buf_printf(out, "%s{%" PRIu64 "}\r\n", literal8 ? "~" : "",
		len) != 0)
		return -1;
	if (s != NULL)
		return buf_append(out, s, (size_t)len);
	/* A streamed literal kept only its size: any bytes will do. */
	for (i = 0; i < len; i++)
		if (buf_append_byte(out, 'x') != 0)
			return -1;
	return 0;
}

static int
write_arg(struct buf *out, const struct imap_arg *a)
{
	switch (a->type) {
	case IMAP_ARG_ATOM:
		return buf_append(out, a->text, a->text_len);
	case IMAP_ARG_NUMBER:
		return buf_printf(out, "%" PRIu64, a->u.number);
	case IMAP_ARG_STRING:
		if (quotable(a->u.str.data, a->u.str.len))
			return imap_quote_append(out, a->u.str.data, a->u.str.len);
		return write_literal(out, false, a->u.str.data, a->u.str.len);
	case IMAP_ARG_LITERAL:
	case IMAP_ARG_LITERAL8:
		return write_literal(out, a->type == IMAP_ARG_LITERAL8,
		    a->u.str.data, a->u.str.len);
	case IMAP_ARG_STREAMED:
		return write_literal(out, a->u.streamed.literal8, NULL,
		    a->u.streamed.size);
	case IMAP_ARG_NIL:
		return buf_append_str(out, "NIL");
	case IMAP_ARG_LIST:
		if (buf_append_byte(out, '(') != 0 ||
		    imap_roundtrip_write_args(out, a->u.list.args,
			a->u.list.count) != 0)
			return -1;
		return buf_append_byte(out, ')');
	}
	return -1;
}

int
imap_roundtrip_write_args(struct buf *out, const struct imap_arg *args,
    size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (i > 0 && buf_append_byte(out, ' ') != 0)
			return -1;
		if (write_arg(out, &args[i]) != 0)
			return -1;
	}
	return 0;
}

/* RFC 9051 7.1: resp-text = ["[" resp-text-code "]" SP] text. */
static int
write_resp_text(struct buf *out, const struct imap_response *resp)
{
	if (resp->code != NULL &&
	    (buf_printf(out, "[%s", resp->code) != 0 ||
		(resp->code_args != NULL &&
		    buf_printf(out, " %s", resp->code_args) != 0) ||
		buf_append_str(out, "] ") != 0))
		return -1;
	return buf_append_str(out, resp->text != NULL ? resp->text : "");
}

int
imap_roundtrip_write_response(struct buf *out,
    const struct imap_response *resp)
{
	int r;

	switch (resp->kind) {
	case IMAP_RESPONSE_TAGGED:
		r = buf_printf(out, "%s ", resp->tag != NULL ? resp->tag : "");
		break;
	case IMAP_RESPONSE_CONTINUATION:
		r = buf_append_str(out, "+ ");
		break;
	default:
		r = buf_append_str(out, "* ");
		break;
	}
	if (r != 0)
		return -1;
	if (resp->status != IMAP_STATUS_NONE) {
		if (buf_printf(out, "%s ", imap_status_name(resp->status)) != 0)
			return -1;
	} else if (imap_roundtrip_write_args(out, resp->args, resp->count) != 0)
		return -1;
	if ((resp->status != IMAP_STATUS_NONE ||
		resp->kind == IMAP_RESPONSE_CONTINUATION) &&
	    write_resp_text(out, resp) != 0)
		return -1;
	return buf_append_str(out, "\r\n");
}

/* --- comparing trees -------------------------------------------------- */

static bool
str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool args_equal(const struct imap_arg *a, size_t na,
    const struct imap_arg *b, size_t nb);

static bool
arg_equal(const struct imap_arg *a, const struct imap_arg *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case IMAP_ARG_ATOM:
		return a->text_len == b->text_len &&
		    memcmp(a->text, b->text, a->text_len) == 0;
	case IMAP_ARG_NUMBER:
		return a->u.number == b->u.number;
	case IMAP_ARG_STRING:
	case IMAP_ARG_LITERAL:
	case IMAP_ARG_LITERAL8:
		return a->u.str.len == b->u.str.len &&
		    memcmp(a->u.str.data, b->u.str.data, a->u.str.len) == 0;
	case IMAP_ARG_STREAMED:
		return a->u.streamed.size == b->u.streamed.size &&
		    a->u.streamed.literal8 == b->u.streamed.literal8;
	case IMAP_ARG_NIL:
		return true;
	case IMAP_ARG_LIST:
		return args_equal(a->u.list.args, a->u.list.count,
		    b->u.list.args, b->u.list.count);
	}
	return false;
}

static bool
args_equal(const struct imap_arg *a, size_t na, const struct imap_arg *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!arg_equal(&a[i], &b[i]))
			return false;
	return true;
}

static bool
response_equal(const struct imap_response *a, const struct imap_response *b)
{
	return a->kind == b->kind && a->status == b->status &&
	    str_equal(a->tag, b->tag) && str_equal(a->code, b->code) &&
	    str_equal(a->code_args, b->code_args) &&
	    str_equal(a->text, b->text) &&
	    args_equal(a->args, a->count, b->args, b->count);
}

/* --- invariants of one tree ------------------------------------------ */

/* What walking a tree counts, to hold against the sink and the caps. */
struct rt_tally {
	size_t tokens;
	size_t streamed;
	uint64_t streamed_bytes;
};

/* Digits that fit in 64 bits, computed apart from the parser's own. */
static bool
decimal_u64(const char *s, size_t len, uint64_t *num_r)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    n > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return false;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	*num_r = n;
	return len > 0;
}

static bool
has_line_break(const char *s, size_t len)
{
	return memchr(s, '\r', len) != NULL || memchr(s, '\n', len) != NULL;
}

/* The getters must accept exactly the types imap-arg.h names. */
static void
check_getters(struct rt *rt, const struct imap_arg *a)
{
	enum imap_arg_type t = a->type;
	const char *s = NULL;
	const struct imap_arg *list;
	size_t len = 0, count;
	uint64_t num;

	if (imap_arg_get_atom(a, &s) !=
	    (t == IMAP_ARG_ATOM || t == IMAP_ARG_NUMBER))
		rt_fail(rt, "imap_arg_get_atom wrong for a %s",
		    imap_arg_type_name(t));
	if (imap_arg_get_string(a, &s, &len) !=
	    (t == IMAP_ARG_STRING || t == IMAP_ARG_LITERAL))
		rt_fail(rt, "imap_arg_get_string wrong for a %s",
		    imap_arg_type_name(t));
	if (imap_arg_get_nstring(a, &s, &len) !=
	    (t == IMAP_ARG_STRING || t == IMAP_ARG_LITERAL ||
		t == IMAP_ARG_NIL))
		rt_fail(rt, "imap_arg_get_nstring wrong for a %s",
		    imap_arg_type_name(t));
	if (imap_arg_get_number(a, &num) != (t == IMAP_ARG_NUMBER) ||
	    (t == IMAP_ARG_NUMBER && num != a->u.number))
		rt_fail(rt, "imap_arg_get_number wrong for a %s",
		    imap_arg_type_name(t));
	if (imap_arg_get_list(a, &list, &count) != (t == IMAP_ARG_LIST))
		rt_fail(rt, "imap_arg_get_list wrong for a %s",
		    imap_arg_type_name(t));
	if (imap_arg_is_nil(a) != (t == IMAP_ARG_NIL))
		rt_fail(rt, "imap_arg_is_nil wrong for a %s",
		    imap_arg_type_name(t));
}

static void
check_atom(struct rt *rt, const struct imap_arg *a)
{
	uint64_t num;

	if (a->text == NULL || a->text_len == 0 ||
	    strlen(a->text) != a->text_len || has_line_break(a->text,
		a->text_len))
		rt_fail(rt, "atom text is empty or holds NUL, CR or LF");
	else if (strcasecmp(a->text, "NIL") == 0)
		rt_fail(rt, "atom \"%s\" should have been NIL", a->text);
	else if (decimal_u64(a->text, a->text_len, &num))
		rt_fail(rt, "atom \"%s\" should have been a number", a->text);
}

static void
check_string(struct rt *rt, const struct imap_arg *a)
{
	const struct imap_parser_limits *lim = &rt->cfg->limits;

	if (a->u.str.data == NULL || a->u.str.data[a->u.str.len] != '\0')
		rt_fail(rt, "%s data is not NUL-terminated",
		    imap_arg_type_name(a->type));
	else if (a->type == IMAP_ARG_STRING &&
	    !quotable(a->u.str.data, a->u.str.len))
		rt_fail(rt, "quoted string holds NUL, CR or LF");
	else if (a->type != IMAP_ARG_STRING &&
	    a->u.str.len > lim->max_inline_literal)
		rt_fail(rt, "inline literal of %zu bytes, over the cap %zu",
		    a->u.str.len, lim->max_inline_literal);
}

static void check_args(struct rt *rt, const struct imap_arg *args,
    size_t count, size_t depth, struct rt_tally *tally);

static void
check_arg(struct rt *rt, const struct imap_arg *a, size_t depth,
    struct rt_tally *tally)
{
	const struct imap_parser_limits *lim = &rt->cfg->limits;
	uint64_t num;

	tally->tokens++;
	check_getters(rt, a);
	switch (a->type) {
	case IMAP_ARG_ATOM:
		check_atom(rt, a);
		break;
	case IMAP_ARG_NUMBER:
		if (a->text == NULL ||
		    !decimal_u64(a->text, a->text_len, &num) ||
		    num != a->u.number)
			rt_fail(rt, "number %" PRIu64 " does not match its text",
			    a->u.number);
		break;
	case IMAP_ARG_STRING:
	case IMAP_ARG_LITERAL:
	case IMAP_ARG_LITERAL8:
		check_string(rt, a);
		break;
	case IMAP_ARG_STREAMED:
		if (a->u.streamed.size <= lim->max_inline_literal ||
		    a->u.streamed.size > lim->max_literal)
			rt_fail(rt, "streamed literal of %" PRIu64 " bytes",
			    a->u.streamed.size);
		tally->streamed++;
		tally->streamed_bytes += a->u.streamed.size;
		break;
	case IMAP_ARG_NIL:
		break;
	case IMAP_ARG_LIST:
		if (depth + 1 > lim->max_depth)
			rt_fail(rt, "list at depth %zu, over the cap %zu",
			    depth + 1, lim->max_depth);
		else
			check_args(rt, a->u.list.args, a->u.list.count,
			    depth + 1, tally);
		break;
	default:
		rt_fail(rt, "arg of unknown type %d", (int)a->type);
		break;
	}
}

static void
check_args(struct rt *rt, const struct imap_arg *args, size_t count,
    size_t depth, struct rt_tally *tally)
{
	size_t i;

	if (count > 0 && args == NULL)
		rt_fail(rt, "%zu args but no array", count);
	for (i = 0; i < count && !rt->failed; i++)
		check_arg(rt, &args[i], depth, tally);
}

static bool
good_resp_string(const char *s)
{
	return s == NULL || !has_line_break(s, strlen(s));
}

/* imap-parser.h: which fields each kind of response sets. */
static void
check_shape(struct rt *rt, const struct imap_response *r)
{
	bool has_text = r->status != IMAP_STATUS_NONE ||
	    r->kind == IMAP_RESPONSE_CONTINUATION;

	if ((r->kind == IMAP_RESPONSE_TAGGED) !=
	    (r->tag != NULL && r->tag[0] != '\0'))
		rt_fail(rt, "tag present or absent against the kind");
	else if (r->kind == IMAP_RESPONSE_TAGGED &&
	    (r->status < IMAP_STATUS_OK || r->status > IMAP_STATUS_BAD))
		rt_fail(rt, "tagged response with status %d", (int)r->status);
	else if (r->kind == IMAP_RESPONSE_CONTINUATION &&
	    r->status != IMAP_STATUS_NONE)
		rt_fail(rt, "continuation with a status");
	else if (has_text && r->count != 0)
		rt_fail(rt, "%zu tokens before resp-text", r->count);
	else if (has_text != (r->text != NULL))
		rt_fail(rt, "text set or unset against the kind");
	else if (!has_text && r->code != NULL)
		rt_fail(rt, "response code outside resp-text");
	else if (r->code_args != NULL && r->code == NULL)
		rt_fail(rt, "code arguments without a code");
	else if (!good_resp_string(r->text) || !good_resp_string(r->code) ||
	    !good_resp_string(r->code_args))
		rt_fail(rt, "CR or LF in resp-text");
	else if (r->raw == NULL || r->raw[r->raw_len] != '\0')
		rt_fail(rt, "raw bytes missing or not NUL-terminated");
}

/* --- the round trip --------------------------------------------------- */

/* Append bytes with anything unprintable as \xHH, so that each logged
 * result is one line. */
static void
append_escaped(struct buf *log, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf_append_byte(log, c);
		else
			buf_printf(log, "\\x%02x", c);
	}
}

/* Quote up to RT_QUOTE_MAX bytes of IMAP text readably for a message. */
static const char *
quote_bytes(struct buf *tmp, const char *s, size_t len)
{
	buf_reset(tmp);
	append_escaped(tmp, s, len < RT_QUOTE_MAX ? len : RT_QUOTE_MAX);
	if (len > RT_QUOTE_MAX)
		buf_append_str(tmp, "...");
	return buf_str(tmp);
}

/* The round trip of a response or of arguments (kind) failed: quote what
 * was written and, if it parsed, what it read back as. */
static void
fail_mismatch(struct rt *rt, const char *kind, const char *what,
    const struct buf *first, const struct imap_arg *args, size_t count,
    const struct imap_response *resp)
{
	struct buf second, q1, q2;

	buf_init(&second, RT_OUT_MAX);
	buf_init(&q1, RT_OUT_MAX);
	buf_init(&q2, RT_OUT_MAX);
	if (resp != NULL)
		imap_roundtrip_write_response(&second, resp);
	else if (args != NULL)
		imap_roundtrip_write_args(&second, args, count);
	if (resp == NULL && args == NULL)
		rt_fail(rt, "%s round trip: %s: wrote \"%s\"", kind, what,
		    quote_bytes(&q1, first->data, first->len));
	else
		rt_fail(rt, "%s round trip: %s: wrote \"%s\", read back "
		    "\"%s\"", kind, what,
		    quote_bytes(&q1, first->data, first->len),
		    quote_bytes(&q2, second.data, second.len));
	buf_free(&second);
	buf_free(&q1);
	buf_free(&q2);
}

/* The limits for reading a serialization back: the same, except that
 * the text may be longer than the original (an SP is added between ")("
 * and "\n" becomes CRLF), so the response cap is widened to fit it. */
static struct imap_parser_limits
reparse_limits(const struct rt *rt, size_t len)
{
	struct imap_parser_limits lim = rt->cfg->limits;

	if (lim.max_response < len)
		lim.max_response = len;
	return lim;
}

static void
roundtrip_response(struct rt *rt, const struct imap_response *resp)
{
	struct buf out;
	struct imap_parser_limits lim;
	struct imap_parser *p;
	const struct imap_response *again = NULL;
	const char *err = NULL;
	size_t used = 0;
	enum imap_parse_result r;

	buf_init(&out, RT_OUT_MAX);
	if (imap_roundtrip_write_response(&out, resp) != 0) {
		rt_fail(rt, "response too large to write back");
		buf_free(&out);
		return;
	}
	lim = reparse_limits(rt, out.len);
	p = imap_parser_new(&lim);
	r = imap_parser_parse(p, (const unsigned char *)out.data, out.len,
	    &used, &again, &err);
	if (r == IMAP_PARSE_ERROR)
		fail_mismatch(rt, "response", err, &out, NULL, 0, NULL);
	else if (r != IMAP_PARSE_DONE || used != out.len)
		fail_mismatch(rt, "response", "not one whole response", &out,
		    NULL, 0, NULL);
	else if (!response_equal(resp, again))
		fail_mismatch(rt, "response", "tree differs", &out, NULL, 0,
		    again);
	imap_parser_free(&p);
	buf_free(&out);
}

/* The same for the arguments-only entry (response codes, commands). */
static void
roundtrip_args(struct rt *rt, const struct imap_arg *args, size_t count)
{
	struct buf out;
	struct imap_parser_limits lim;
	struct imap_parser *p;
	const struct imap_arg *again;
	const char *err = NULL;
	size_t again_count;

	buf_init(&out, RT_OUT_MAX);
	if (imap_roundtrip_write_args(&out, args, count) != 0) {
		rt_fail(rt, "arguments too large to write back");
		buf_free(&out);
		return;
	}
	lim = reparse_limits(rt, out.len);
	p = imap_parser_new(&lim);
	if (imap_parser_parse_args(p, out.data, out.len, &again, &again_count,
		&err) != 0)
		fail_mismatch(rt, "arguments", err, &out, NULL, 0, NULL);
	else if (!args_equal(args, count, again, again_count))
		fail_mismatch(rt, "arguments", "tree differs", &out, again,
		    again_count, NULL);
	imap_parser_free(&p);
	buf_free(&out);
}

/* Parse text as arguments; a tree must pass the checks and round trip.
 * Errors are fine: the text may be anything. */
static void
check_text_args(struct rt *rt, struct imap_parser *p, const char *text,
    size_t len)
{
	const struct imap_arg *args;
	const char *err = NULL;
	size_t count;
	struct rt_tally tally = { 0, 0, 0 };

	if (imap_parser_parse_args(p, text, len, &args, &count, &err) != 0) {
		if (err == NULL || err[0] == '\0')
			rt_fail(rt, "parse_args failed without a message");
		return;
	}
	check_args(rt, args, count, 0, &tally);
	if (!rt->failed)
		roundtrip_args(rt, args, count);
}

/* --- feeding ---------------------------------------------------------- */

/* A sink that holds the parser to imap-parser.h: begin, data adding up
 * to the announced size, end; nothing out of order. */
struct rt_sink {
	struct rt *rt;
	bool active;
	uint64_t announced;
	uint64_t delivered;
	/* literals that ended since the last response, and their bytes */
	size_t ended;
	uint64_t ended_bytes;
};

static int
sink_begin(void *ctx, uint64_t size, const char **error_r)
{
	struct rt_sink *s = ctx;

	if (s->active)
		rt_fail(s->rt, "sink begin() inside a literal");
	if (size == RT_SINK_FAIL_BEGIN) {
		*error_r = "begin refused by the test sink";
		return -1;
	}
	s->active = true;
	s->announced = size;
	s->delivered = 0;
	return 0;
}

static int
sink_data(void *ctx, const unsigned char *data, size_t len,
    const char **error_r)
{
	struct rt_sink *s = ctx;

	if (!s->active)
		rt_fail(s->rt, "sink data() outside a literal");
	else if (len == 0 || data == NULL ||
	    len > s->announced - s->delivered)
		rt_fail(s->rt, "sink data() of %zu bytes, %" PRIu64 " of %"
		    PRIu64 " done", len, s->delivered, s->announced);
	else
		s->delivered += len;
	if (s->announced == RT_SINK_FAIL_DATA) {
		*error_r = "data refused by the test sink";
		return -1;
	}
	return 0;
}

static int
sink_end(void *ctx, const char **error_r)
{
	struct rt_sink *s = ctx;

	if (!s->active || s->delivered != s->announced)
		rt_fail(s->rt, "sink end() after %" PRIu64 " of %" PRIu64
		    " bytes", s->delivered, s->announced);
	s->active = false;
	if (s->announced == RT_SINK_FAIL_END) {
		*error_r = "end refused by the test sink";
		return -1;
	}
	s->ended++;
	s->ended_bytes += s->announced;
	return 0;
}

/* Between calls, literal_progress() must agree with what the sink saw. */
static void
check_progress(struct rt *rt, const struct imap_parser *p,
    const struct rt_sink *s)
{
	uint64_t done, size;

	imap_parser_literal_progress(p, &done, &size);
	if ((size != 0) != s->active ||
	    (s->active && (size != s->announced || done != s->delivered)))
		rt_fail(rt, "literal progress %" PRIu64 "/%" PRIu64
		    ", the sink has %" PRIu64 "/%" PRIu64, done, size,
		    s->delivered, s->active ? s->announced : 0);
}

/* Every decoder, through the one table the client uses: whatever the
 * bytes, a value or a reason, never both, and a tree that copies. */
static void
check_decoded(struct rt *rt, const struct imap_response *resp)
{
	struct imap_parser *scratch = imap_parser_new(NULL);
	struct bodystructure_part *copy;
	struct decoded_response d;

	decoded_response_init(&d, resp, NULL, scratch);
	if (d.kind != DECODED_NONE && d.error != NULL)
		rt_fail(rt, "decoded as %s and failed: %s",
		    decoded_kind_name(d.kind), d.error);
	if (d.kind == DECODED_FETCH && d.u.fetch.structure != NULL) {
		copy = bodystructure_copy(d.u.fetch.structure);
		bodystructure_free(&copy);
	}
	decoded_response_free(&d);
	imap_parser_free(&scratch);
}

/* Everything about one DONE response: shape, tree, sink, raw bytes, the
 * round trip, and its response code's arguments. in is the input it was
 * parsed from. */
static void
check_response(struct rt *rt, struct imap_parser *p,
    const struct imap_response *resp, const struct rt_sink *sink,
    const unsigned char *in, size_t in_len)
{
	struct rt_tally tally = { 0, 0, 0 };

	check_shape(rt, resp);
	if (rt->failed)
		return;
	check_args(rt, resp->args, resp->count, 0, &tally);
	if (tally.tokens > rt->cfg->limits.max_items)
		rt_fail(rt, "%zu tokens, over the cap %zu", tally.tokens,
		    rt->cfg->limits.max_items);
	if (tally.streamed != sink->ended ||
	    tally.streamed_bytes != sink->ended_bytes)
		rt_fail(rt, "%zu streamed literals (%" PRIu64 " bytes), the "
		    "sink ended %zu (%" PRIu64 " bytes)", tally.streamed,
		    tally.streamed_bytes, sink->ended, sink->ended_bytes);
	/* raw is the input, less the streamed bytes. */
	if (resp->raw_len + tally.streamed_bytes != in_len ||
	    (tally.streamed == 0 && memcmp(resp->raw, in, in_len) != 0))
		rt_fail(rt, "raw holds %zu bytes of the %zu parsed",
		    resp->raw_len, in_len);
	if (rt->failed)
		return;
	roundtrip_response(rt, resp);
	if (resp->code_args != NULL && !rt->failed)
		check_text_args(rt, p, resp->code_args,
		    strlen(resp->code_args));
	if (!rt->failed)
		check_decoded(rt, resp);
}

/* Log a result so that two deliveries of the same bytes can be compared:
 * where it ended, what it parsed to, and its raw bytes. */
static void
log_response(struct buf *log, const struct imap_response *resp, size_t off,
    const struct rt_sink *sink)
{
	struct buf text;

	buf_init(&text, RT_OUT_MAX);
	buf_printf(log, "done @%zu, %zu streamed: ", off, sink->ended);
	if (imap_roundtrip_write_response(&text, resp) == 0)
		append_escaped(log, text.data, text.len);
	else
		buf_append_str(log, "(too large to write)");
	buf_printf(log, " raw %zu: ", resp->raw_len);
	append_escaped(log, resp->raw, resp->raw_len);
	buf_append_byte(log, '\n');
	buf_free(&text);
}

/* After an error the stream is out of sync: reset the parser and go on
 * after the next LF, as a client resynchronizing would. */
static size_t
resync(const unsigned char *data, size_t size, size_t off)
{
	const unsigned char *lf = memchr(data + off, '\n', size - off);

	return lf != NULL ? (size_t)(lf - data) + 1 : size;
}

/* Feed size bytes in pieces of chunk bytes and log every result; with
 * check set, every response gets check_response(). */
static void
feed(struct rt *rt, const unsigned char *data, size_t size, size_t chunk,
    bool check, struct buf *log)
{
	struct imap_parser *p = imap_parser_new(&rt->cfg->limits);
	struct rt_sink sink = { .rt = rt };
	const struct imap_literal_sink ls = { sink_begin, sink_data, sink_end,
		&sink };
	size_t off = 0, start = 0, avail = 0;
	uint64_t done, lsize;

	imap_parser_set_literal_sink(p, &ls);
	while (off < size && !rt->failed) {
		/* Bytes left after a DONE are offered again first. */
		size_t n = avail > 0 ? avail
				     : (size - off < chunk ? size - off : chunk);
		const struct imap_response *resp = NULL;
		const char *err = NULL;
		size_t used = SIZE_MAX;
		enum imap_parse_result r;

		r = imap_parser_parse(p, data + off, n, &used, &resp, &err);
		if (used > n || (r == IMAP_PARSE_NEED_MORE && used != n)) {
			rt_fail(rt, "parse used %zu of %zu bytes", used, n);
			break;
		}
		off += used;
		avail = n - used;
		if (r == IMAP_PARSE_NEED_MORE) {
			check_progress(rt, p, &sink);
		} else if (r == IMAP_PARSE_DONE && resp != NULL) {
			log_response(log, resp, off, &sink);
			if (check)
				check_response(rt, p, resp, &sink,
				    data + start, off - start);
			check_progress(rt, p, &sink);
			sink.ended = 0;
			sink.ended_bytes = 0;
			start = off;
		} else if (r == IMAP_PARSE_ERROR && err != NULL &&
		    err[0] != '\0') {
			buf_printf(log, "error @%zu: %s\n", off, err);
			imap_parser_reset(p);
			memset(&sink, 0, sizeof(sink));
			sink.rt = rt;
			start = off = resync(data, size, off);
			avail = 0;
		} else
			rt_fail(rt, "parse returned %d without a response or "
			    "message", (int)r);
	}
	imap_parser_literal_progress(p, &done, &lsize);
	buf_printf(log, "end @%zu, literal %" PRIu64 "/%" PRIu64 "\n", off,
	    done, lsize);
	imap_parser_free(&p);
}

/* The length of the log line at s, at most RT_QUOTE_MAX, for "%.*s". */
static int
line_len(const char *s, size_t left)
{
	const char *nl = memchr(s, '\n', left);
	size_t len = nl != NULL ? (size_t)(nl - s) : left;

	return (int)(len < RT_QUOTE_MAX ? len : RT_QUOTE_MAX);
}

/* One delivery against another of the same bytes: name the first
 * result that differs, as each delivery logged it. */
static void
compare_feeds(struct rt *rt, const char *what, const struct buf *a,
    const struct buf *b)
{
	size_t i, start = 0, line = 1;

	if (rt->failed || (a->len == b->len &&
			      memcmp(a->data, b->data, a->len) == 0))
		return;
	for (i = 0; i < a->len && i < b->len && a->data[i] == b->data[i]; i++)
		if (a->data[i] == '\n') {
			line++;
			start = i + 1;
		}
	rt_fail(rt, "%s differs from one-shot delivery at result %zu: "
	    "\"%.*s\" against \"%.*s\"", what, line,
	    line_len(b->data + start, b->len - start), b->data + start,
	    line_len(a->data + start, a->len - start), a->data + start);
}

static void
check_config(struct rt *rt, const unsigned char *data, size_t size)
{
	size_t prefix = size < RT_TRICKLE_PREFIX ? size : RT_TRICKLE_PREFIX;
	struct buf whole, other, cut;
	struct imap_parser *p;

	buf_init(&whole, RT_OUT_MAX);
	buf_init(&other, RT_OUT_MAX);
	buf_init(&cut, RT_OUT_MAX);
	feed(rt, data, size, size > 0 ? size : 1, true, &whole);
	feed(rt, data, size, RT_ODD_CHUNK, false, &other);
	compare_feeds(rt, "delivery in 7-byte chunks", &whole, &other);
	buf_reset(&other);
	feed(rt, data, prefix, 1, false, &other);
	if (prefix < size)
		feed(rt, data, prefix, prefix, false, &cut);
	compare_feeds(rt, "byte-at-a-time delivery",
	    prefix < size ? &cut : &whole, &other);
	buf_free(&whole);
	buf_free(&other);
	buf_free(&cut);

	/* The whole input as the arguments of a command. */
	p = imap_parser_new(&rt->cfg->limits);
	if (!rt->failed)
		check_text_args(rt, p, (const char *)data, size);
	imap_parser_free(&p);
}

int
imap_roundtrip_check(const unsigned char *data, size_t size,
    const char **error_r)
{
	static struct rt rt;
	size_t i;

	for (i = 0; i < sizeof(rt_configs) / sizeof(rt_configs[0]); i++) {
		memset(&rt, 0, sizeof(rt));
		rt.cfg = &rt_configs[i];
		check_config(&rt, data, size);
		if (rt.failed) {
			*error_r = rt.error;
			return -1;
		}
	}
	return 0;
}

int
imap_roundtrip_expect_one(const unsigned char *data, size_t size,
    const char **error_r)
{
	static char error[512];
	struct imap_parser *p = imap_parser_new(NULL);
	const struct imap_response *resp = NULL;
	const char *err = NULL;
	size_t used = 0;
	enum imap_parse_result r;

	r = imap_parser_parse(p, data, size, &used, &resp, &err);
	if (r == IMAP_PARSE_ERROR)
		snprintf(error, sizeof(error), "not accepted: %s (at byte %zu)",
		    err, used);
	else if (r != IMAP_PARSE_DONE)
		snprintf(error, sizeof(error), "not accepted: incomplete");
	else if (used != size)
		snprintf(error, sizeof(error), "%zu bytes after the response",
		    size - used);
	imap_parser_free(&p);
	if (r == IMAP_PARSE_DONE && used == size)
		return 0;
	*error_r = error;
	return -1;
}
