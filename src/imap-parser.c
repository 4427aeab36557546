/* imap-parser: a resumable pull parser for server responses.
 *
 * One byte-driven state machine, with two ways to take bytes in bulk:
 * literal bodies, where the count is known, and runs of bytes that cannot
 * change the state (the inside of an atom, a quoted string or a text),
 * found with a byte-class table and taken as one span. Every byte of a response
 * (but streamed literals) is kept once, in `raw`; a token is an offset
 * into it until it ends, then copied into a per-response arena that is
 * released as one unit when the next response starts. So a line of L
 * bytes costs L while it comes and 2L once parsed, never more. Lists are
 * built in an array per depth (struct level), not by C recursion, and
 * their depth is capped. Before all that, a response that is all in the caller's data
 * is tried in one pass (parse_whole, below), which leaves whatever it is
 * not sure of to the byte machine. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "imap-parser.h"
#include "util-buf.h"
#include "util-log.h"
#include "util-mem.h"

enum parser_state {
	ST_START,         /* first byte of a response */
	ST_TAG,           /* reading the tag */
	ST_UNTAGGED_SP,   /* after "*" */
	ST_ARGS,          /* between tokens */
	ST_ATOM,
	ST_ATOM_BRACKET,  /* inside [...] of an atom such as BODY[1 (X)] */
	ST_QUOTED,
	ST_QUOTED_ESCAPE,
	ST_LITERAL8_OPEN, /* after "~", "{" must follow */
	ST_LITERAL_SIZE,
	ST_LITERAL_PLUS,  /* after "{n+", "}" must follow */
	ST_LITERAL_CR,
	ST_LITERAL_LF,
	ST_LITERAL_INLINE,
	ST_LITERAL_STREAM,
	ST_TEXT_START,    /* resp-text: optional "[code]" then text */
	ST_CODE_NAME,
	ST_CODE_ARGS,
	ST_CODE_QUOTED,
	ST_CODE_ESCAPE,
	ST_CODE_END,      /* after "]": an optional SP */
	ST_TEXT,
	ST_END_LF,        /* after CR, LF must follow */
};

/* The items of the lists at one depth, in the order they came, the top
 * level being depth 0: the open list's are args[start..count), each
 * closed one's stay where they are, and its LIST arg points at them (so
 * no list is copied when it closes). The arrays are kept from response
 * to response; a full one is not moved: a larger one takes over from
 * the open list's first item, and the old one is freed when the next
 * response starts. */
struct level {
	struct imap_arg *args;  /* the array */
	struct imap_arg *first; /* the open list's first item */
	struct imap_arg *top;   /* after the last item */
	struct imap_arg *lim;   /* after the array */
};

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t size;
	char data[];
};

struct imap_parser {
	struct imap_parser_limits limits;
	struct imap_literal_sink sink;
	bool have_sink;
	bool args_only; /* parse_text mode: no tag, no status, no CRLF */

	enum parser_state state;
	struct imap_response resp;
	bool status_possible; /* the next top-level atom may be OK/NO/.. */
	bool text_sp_pending; /* "+ text": the SP after "+" is not text */
	size_t arg_total;     /* tokens in this response, against max_items */
	size_t literal_count; /* literals in this response */

	struct buf raw;
	size_t token_start;   /* the token being read begins at raw[this] */
	size_t line_start;    /* the line being read begins at raw[this] */
	struct arena_chunk *arena;

	struct level *levels; /* max_depth + 1 */
	size_t depth;
	size_t deepest;       /* levels used by this response: 0..deepest */
	struct imap_arg **retired; /* level arrays this response outgrew */
	size_t retired_count;
	size_t retired_alloc;

	uint64_t literal_size;
	uint64_t literal_done;
	bool literal8;

	char error[160];
	enum imap_parser_limit limit_hit; /* of the last error, or NONE */
	struct imap_parser *text_parser; /* for imap_parser_parse_text() */

	/* parse_whole's two copies of the response (for raw, and for its
	 * tokens, each ended in place by a NUL) */
	unsigned char *whole;
	size_t whole_alloc;
};

static const char *const status_names[] = {
	[IMAP_STATUS_NONE] = "",
	[IMAP_STATUS_OK] = "OK",
	[IMAP_STATUS_NO] = "NO",
	[IMAP_STATUS_BAD] = "BAD",
	[IMAP_STATUS_BYE] = "BYE",
	[IMAP_STATUS_PREAUTH] = "PREAUTH",
};

const char *
imap_status_name(enum imap_status status)
{
	return status_names[status];
}

/* --- runs: bytes that cannot change the state ------------------------- */

/* For each state that has them, the bytes that end a run (that its byte
 * function must see one by one); every other byte only extends the token
 * or text, so a run of them is appended at once. */
enum run_stop {
	RUN_STOP_ATOM = 1 << 0,
	RUN_STOP_ATOM_BRACKET = 1 << 1,
	RUN_STOP_QUOTED = 1 << 2,
	RUN_STOP_TEXT = 1 << 3,
	/* not a stop: the bytes that may end an atom or literal */
	TOKEN_END = 1 << 4,
};

static unsigned char run_stops[256];

/* What a byte between tokens begins, for parse_whole's dispatch. */
enum whole_class {
	WC_ATOM,
	WC_DIGIT,
	WC_N, /* maybe "NIL" */
	WC_SP,
	WC_OPEN,
	WC_CLOSE,
	WC_QUOTE,
	WC_BRACE,
	WC_TILDE,
	WC_CR,
	WC_LF,
	WC_CTL,
};

static unsigned char whole_classes[256];

static void
run_stops_init(void)
{
	unsigned c;

	if (run_stops['\0'] != 0)
		return;
	for (c = 0; c < 256; c++) {
		unsigned char m = 0;

		/* atom_byte: CTLs, SP, parentheses, '[' and '"' */
		if (c < 0x20 || c == 0x7f || strchr(" ()[\"", (int)c) != NULL)
			m |= RUN_STOP_ATOM;
		/* atom_byte inside [...]: the line's end, NUL and ']' */
		if (c == '\r' || c == '\n' || c == '\0' || c == ']')
			m |= RUN_STOP_ATOM_BRACKET;
		/* quoted_byte: the line's end, NUL, escapes and the end */
		if (c == '\r' || c == '\n' || c == '\0' || c == '\\' ||
		    c == '"')
			m |= RUN_STOP_QUOTED;
		/* text_byte: the line's end and NUL */
		if (c == '\r' || c == '\n' || c == '\0')
			m |= RUN_STOP_TEXT;
		if (c == ' ' || c == '(' || c == ')' || c == '\r' || c == '\n')
			m |= TOKEN_END;
		run_stops[c] = m;
		whole_classes[c] = c == ' ' ? WC_SP : c == '(' ? WC_OPEN :
		    c == ')' ? WC_CLOSE : c == '"' ? WC_QUOTE :
		    c == '{' ? WC_BRACE : c == '~' ? WC_TILDE :
		    c == '\r' ? WC_CR : c == '\n' ? WC_LF :
		    c < 0x20 || c == 0x7f ? WC_CTL : c == 'N' ? WC_N :
		    c >= '0' && c <= '9' ? WC_DIGIT : WC_ATOM;
	}
}

/* The stop mask of a state whose plain bytes may be taken as a run, or
 * 0. ST_QUOTED_ESCAPE is left out: the escaped byte is one byte. */
static unsigned char
run_mask(enum parser_state state)
{
	switch (state) {
	case ST_ATOM:
		return RUN_STOP_ATOM;
	case ST_ATOM_BRACKET:
		return RUN_STOP_ATOM_BRACKET;
	case ST_QUOTED:
		return RUN_STOP_QUOTED;
	case ST_TEXT:
		return RUN_STOP_TEXT;
	default:
		return 0;
	}
}

/* --- the arena ------------------------------------------------------- */

static void
arena_free(struct imap_parser *p)
{
	struct arena_chunk *c, *next;

	for (c = p->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	p->arena = NULL;
}

/* Keep the newest chunk for the next response: most responses fit. */
static void
arena_clear(struct imap_parser *p)
{
	struct arena_chunk *keep = p->arena;

	if (keep == NULL)
		return;
	p->arena = keep->next;
	keep->next = NULL;
	arena_free(p);
	keep->used = 0;
	p->arena = keep;
}

static struct arena_chunk *
arena_grow(struct imap_parser *p, size_t need)
{
	size_t chunk = need > 4096 ? need : 4096;
	struct arena_chunk *c = xmalloc(sizeof(*c) + chunk);

	c->size = chunk;
	c->used = 0;
	c->next = p->arena;
	p->arena = c;
	return c;
}

static inline void *
arena_alloc(struct imap_parser *p, size_t size)
{
	struct arena_chunk *c = p->arena;
	size_t need = (size + 7) & ~(size_t)7;

	if (c == NULL || c->size - c->used < need)
		c = arena_grow(p, need);
	c->used += need;
	return c->data + c->used - need;
}

static char *
arena_strndup(struct imap_parser *p, const char *s, size_t len)
{
	char *d = arena_alloc(p, len + 1);

	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

/* --- errors and bookkeeping ------------------------------------------ */

static enum imap_parse_result __attribute__((format(printf, 2, 3)))
fail(struct imap_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	p->limit_hit = IMAP_LIMIT_NONE;
	return IMAP_PARSE_ERROR;
}

/* An error that is one of the limits, so the caller can name the knob. */
static enum imap_parse_result __attribute__((format(printf, 3, 4)))
fail_limit(struct imap_parser *p, enum imap_parser_limit limit,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	p->limit_hit = limit;
	return IMAP_PARSE_ERROR;
}

static const char *
byte_name(unsigned char c)
{
	static char name[8];

	if (c >= 0x21 && c < 0x7f)
		snprintf(name, sizeof(name), "'%c'", c);
	else
		snprintf(name, sizeof(name), "0x%02x", c);
	return name;
}

/* Items a level keeps room for from one response to the next: more
 * is freed, so a few huge responses do not leave every depth large. */
#define LEVEL_KEEP 256

/* Forget the levels the last response used, keeping small arrays. */
static void
levels_clear(struct imap_parser *p)
{
	struct level *l;
	size_t d;

	for (d = 0; d <= p->deepest; d++) {
		l = &p->levels[d];
		if (l->lim > l->args + LEVEL_KEEP) {
			free(l->args);
			l->args = l->lim = NULL;
		}
		l->first = l->top = l->args;
	}
	p->depth = p->deepest = 0;
	while (p->retired_count > 0)
		free(p->retired[--p->retired_count]);
}

static void
start_response(struct imap_parser *p)
{
	arena_clear(p);
	buf_reset(&p->raw);
	p->token_start = p->line_start = 0;
	memset(&p->resp, 0, sizeof(p->resp));
	levels_clear(p);
	p->status_possible = false;
	p->text_sp_pending = false;
	p->arg_total = 0;
	p->literal_count = 0;
	p->literal_size = p->literal_done = 0;
}

/* The token from token_start up to raw[end], copied into the arena. */
static char *
token_copy(struct imap_parser *p, size_t end, size_t *len_r)
{
	*len_r = end - p->token_start;
	return arena_strndup(p, buf_str(&p->raw) + p->token_start, *len_r);
}

/* As token_copy, for a quoted string: its escapes removed. */
static char *
quoted_copy(struct imap_parser *p, size_t end, size_t *len_r)
{
	const char *s = buf_str(&p->raw) + p->token_start;
	size_t n = end - p->token_start, i, len = 0;
	char *d = arena_alloc(p, n + 1);

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		d[len++] = s[i];
	}
	d[len] = '\0';
	*len_r = len;
	return d;
}

/* The byte being parsed is raw[raw.len - 1]: a token it ends stops
 * before it. */
static size_t
before_this_byte(const struct imap_parser *p)
{
	return p->raw.len - 1;
}

/* --- building the tree ----------------------------------------------- */

/* The level is full: the open list's items move to a larger array (the
 * closed lists' stay, their LIST args point at them). */
static void
level_grow(struct imap_parser *p, struct level *l)
{
	size_t n = (size_t)(l->top - l->first), alloc = (size_t)(l->lim - l->args);
	struct imap_arg *args;

	alloc = alloc < 8 ? 16 : alloc * 2;
	args = xreallocarray(NULL, alloc, sizeof(*args));
	if (n > 0)
		memcpy(args, l->first, n * sizeof(*args));
	if (l->args != NULL) {
		if (p->retired_count == p->retired_alloc) {
			p->retired_alloc = p->retired_alloc == 0 ? 8 :
			    p->retired_alloc * 2;
			p->retired = xreallocarray(p->retired, p->retired_alloc,
			    sizeof(*p->retired));
		}
		p->retired[p->retired_count++] = l->args;
	}
	l->args = l->first = args;
	l->top = args + n;
	l->lim = args + alloc;
}

/* The next item of the innermost open list, zeroed but for its type. */
static inline struct imap_arg *
push_arg(struct imap_parser *p, enum imap_arg_type type)
{
	struct level *l = &p->levels[p->depth];
	struct imap_arg *arg;

	p->arg_total++;
	if (l->top == l->lim)
		level_grow(p, l);
	arg = l->top++;
	memset(arg, 0, sizeof(*arg));
	arg->type = type;
	return arg;
}

/* What a LIST arg holds: the closed list's items, where they are. */
static const struct imap_arg *
level_list(const struct level *l, size_t *count_r)
{
	static const struct imap_arg none[1];

	*count_r = (size_t)(l->top - l->first);
	return *count_r > 0 ? l->first : none;
}

static enum imap_parse_result
open_list(struct imap_parser *p)
{
	struct level *l;

	if (p->depth + 1 > p->limits.max_depth)
		return fail_limit(p, IMAP_LIMIT_DEPTH,
		    "lists nested deeper than %zu levels (the depth limit)",
		    p->limits.max_depth);
	l = &p->levels[++p->depth];
	l->first = l->top;
	if (p->depth > p->deepest)
		p->deepest = p->depth;
	p->status_possible = false;
	return IMAP_PARSE_NEED_MORE;
}

static enum imap_parse_result
close_list(struct imap_parser *p)
{
	const struct imap_arg *items;
	struct imap_arg *arg;
	size_t count;

	if (p->depth == 0)
		return fail(p, "')' without a matching '('");
	items = level_list(&p->levels[p->depth--], &count);
	arg = push_arg(p, IMAP_ARG_LIST);
	arg->u.list.args = items;
	arg->u.list.count = count;
	arg->text = "";
	return IMAP_PARSE_NEED_MORE;
}

/* Digits that fit in 64 bits; anything else stays an atom. */
static bool
parse_u64(const char *s, size_t len, uint64_t *num_r)
{
	uint64_t n = 0;
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9 || n > (UINT64_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*num_r = n;
	return true;
}

static enum imap_status
status_from_atom(const char *s)
{
	size_t i;

	/* "* 5 FETCH" starts most responses: a number is no status word */
	if ((unsigned char)(s[0] - '0') <= 9)
		return IMAP_STATUS_NONE;
	for (i = IMAP_STATUS_OK; i <= IMAP_STATUS_PREAUTH; i++)
		if (strcasecmp(s, status_names[i]) == 0)
			return (enum imap_status)i;
	return IMAP_STATUS_NONE;
}

/* The atom that ends before raw[end] is complete. A status word right
 * after the tag switches to resp-text, which is free text, not tokens. */
static enum imap_parse_result
finish_atom(struct imap_parser *p, size_t end)
{
	size_t len;
	const char *text = token_copy(p, end, &len);
	struct imap_arg *arg;
	uint64_t num;
	enum imap_status status;

	if (p->status_possible) {
		p->status_possible = false;
		status = status_from_atom(text);
		if (status != IMAP_STATUS_NONE) {
			if (p->resp.kind == IMAP_RESPONSE_TAGGED &&
			    status > IMAP_STATUS_BAD)
				return fail(p, "tagged response with status %s",
				    text);
			p->resp.status = status;
			p->state = ST_TEXT_START;
			return IMAP_PARSE_NEED_MORE;
		}
		if (p->resp.kind == IMAP_RESPONSE_TAGGED)
			return fail(p, "tagged response without OK, NO or BAD");
	}
	if (len == 3 && (text[0] | 0x20) == 'n' && (text[1] | 0x20) == 'i' &&
	    (text[2] | 0x20) == 'l')
		arg = push_arg(p, IMAP_ARG_NIL);
	else if (parse_u64(text, len, &num)) {
		arg = push_arg(p, IMAP_ARG_NUMBER);
		arg->u.number = num;
	} else
		arg = push_arg(p, IMAP_ARG_ATOM);
	arg->text = text;
	arg->text_len = len;
	p->state = ST_ARGS;
	return IMAP_PARSE_NEED_MORE;
}

static void
finish_string(struct imap_parser *p, enum imap_arg_type type,
    const char *data, size_t len)
{
	struct imap_arg *arg = push_arg(p, type);

	arg->u.str.data = data;
	arg->u.str.len = len;
	arg->text = data;
	arg->text_len = len;
	p->status_possible = false;
	p->state = ST_ARGS;
}

/* A literal's bytes end at the end of raw. */
static void
finish_literal(struct imap_parser *p)
{
	size_t len;
	const char *data = token_copy(p, p->raw.len, &len);

	finish_string(p, p->literal8 ? IMAP_ARG_LITERAL8 : IMAP_ARG_LITERAL,
	    data, len);
	p->line_start = p->raw.len;
}


static enum imap_parse_result
fail_items(struct imap_parser *p)
{
	return fail_limit(p, IMAP_LIMIT_ITEMS,
	    "more than %zu items in one response (the item limit)",
	    p->limits.max_items);
}

/* The response is complete: hand out the tree. */
static enum imap_parse_result
finish_response(struct imap_parser *p)
{
	static const struct imap_arg empty[1];

	if (p->depth != 0)
		return fail(p, "response ended inside a list (%zu open)",
		    p->depth);
	/* The loop checks before each byte; the last token may end with
	 * the line. */
	if (p->arg_total > p->limits.max_items)
		return fail_items(p);
	if (p->resp.kind == IMAP_RESPONSE_TAGGED &&
	    p->resp.status == IMAP_STATUS_NONE)
		return fail(p, "tagged response without OK, NO or BAD");
	/* The top level's array is only reused when the next response
	 * starts, so it is handed out as it is: a copy would double what a
	 * long SEARCH costs. */
	p->resp.count = (size_t)(p->levels[0].top - p->levels[0].args);
	p->resp.args = p->resp.count > 0 ? p->levels[0].args : empty;
	if ((p->resp.status != IMAP_STATUS_NONE ||
		p->resp.kind == IMAP_RESPONSE_CONTINUATION) &&
	    p->resp.text == NULL)
		p->resp.text = "";
	p->resp.raw = buf_str(&p->raw);
	p->resp.raw_len = p->raw.len;
	p->state = ST_START;
	return IMAP_PARSE_DONE;
}

/* End of line where tokens may end. */
static enum imap_parse_result
line_end(struct imap_parser *p, unsigned char c)
{
	if (c == '\r') {
		p->state = ST_END_LF;
		return IMAP_PARSE_NEED_MORE;
	}
	return finish_response(p);
}

/* --- literals -------------------------------------------------------- */

static enum imap_parse_result
literal_header_done(struct imap_parser *p)
{
	const char *err = NULL;

	if (p->literal_size > p->limits.max_literal)
		return fail_limit(p, IMAP_LIMIT_LITERAL_SIZE,
		    "literal of %llu bytes is over the limit of %llu (the "
		    "literal size limit)",
		    (unsigned long long)p->literal_size,
		    (unsigned long long)p->limits.max_literal);
	if (++p->literal_count > p->limits.max_literals)
		return fail_limit(p, IMAP_LIMIT_LITERALS,
		    "more than %zu literals in one response (the literal "
		    "count limit)", p->limits.max_literals);
	p->literal_done = 0;
	p->status_possible = false;
	if (p->literal_size <= p->limits.max_inline_literal) {
		p->state = ST_LITERAL_INLINE;
		p->token_start = p->raw.len;
		if (p->literal_size == 0)
			finish_literal(p);
		return IMAP_PARSE_NEED_MORE;
	}
	if (p->have_sink && p->sink.begin != NULL &&
	    p->sink.begin(p->sink.ctx, p->literal_size, &err) != 0)
		return fail(p, "literal sink: %s", err ? err : "failed");
	p->state = ST_LITERAL_STREAM;
	return IMAP_PARSE_NEED_MORE;
}

static enum imap_parse_result
literal_stream_done(struct imap_parser *p)
{
	const char *err = NULL;
	struct imap_arg *arg;

	if (p->have_sink && p->sink.end != NULL &&
	    p->sink.end(p->sink.ctx, &err) != 0)
		return fail(p, "literal sink: %s", err ? err : "failed");
	arg = push_arg(p, IMAP_ARG_STREAMED);
	arg->u.streamed.size = p->literal_size;
	arg->u.streamed.literal8 = p->literal8;
	arg->text = "";
	p->literal_size = p->literal_done = 0;
	p->line_start = p->raw.len;
	p->state = ST_ARGS;
	return IMAP_PARSE_NEED_MORE;
}

static enum imap_parse_result
fail_response(struct imap_parser *p)
{
	return fail_limit(p, IMAP_LIMIT_RESPONSE,
	    "response longer than %zu bytes (the response limit)",
	    p->limits.max_response);
}

/* Take as many literal bytes as are here; returns how many were used.
 * Inline bytes go to raw (and count toward the response's size: no more
 * are taken than fit, so the error comes at the same byte however the
 * input is split); streamed ones to the sink only. */
static size_t
take_literal_bytes(struct imap_parser *p, const unsigned char *data,
    size_t len, enum imap_parse_result *result)
{
	uint64_t left = p->literal_size - p->literal_done;
	size_t n = left < len ? (size_t)left : len;
	size_t room = p->limits.max_response - p->raw.len;
	const char *err = NULL;

	*result = IMAP_PARSE_NEED_MORE;
	if (p->state == ST_LITERAL_INLINE) {
		if (room == 0) {
			*result = fail_response(p);
			return 0;
		}
		n = n < room ? n : room;
		if (buf_append(&p->raw, data, n) != 0)
			fatal("parser: no room for %zu literal bytes", n);
	} else if (p->have_sink && p->sink.data != NULL &&
	    p->sink.data(p->sink.ctx, data, n, &err) != 0) {
		*result = fail(p, "literal sink: %s", err ? err : "failed");
		return 0;
	}
	p->literal_done += n;
	if (p->literal_done == p->literal_size) {
		if (p->state == ST_LITERAL_INLINE)
			finish_literal(p);
		else
			*result = literal_stream_done(p);
	}
	return n;
}

static enum imap_parse_result
literal_size_byte(struct imap_parser *p, unsigned char c)
{
	unsigned d = c - '0';

	if (c == '}' || c == '+') {
		if (before_this_byte(p) == p->token_start)
			return fail(p, "literal without a size");
		p->state = c == '}' ? ST_LITERAL_CR : ST_LITERAL_PLUS;
		return IMAP_PARSE_NEED_MORE;
	}
	if (d > 9)
		return fail(p, "%s in a literal size", byte_name(c));
	if (p->literal_size > (UINT64_MAX - d) / 10)
		return fail(p, "literal size does not fit in 64 bits");
	p->literal_size = p->literal_size * 10 + d;
	return IMAP_PARSE_NEED_MORE;
}

/* --- resp-text ------------------------------------------------------- */

static enum imap_parse_result
text_byte(struct imap_parser *p, unsigned char c)
{
	if (c == '\0')
		return fail(p, "NUL in response text");
	if (c == '\r' || c == '\n') {
		size_t len;

		p->resp.text = token_copy(p, before_this_byte(p), &len);
		return line_end(p, c);
	}
	return IMAP_PARSE_NEED_MORE;
}

/* The text after a response code begins with this byte, or (after the
 * SP that follows the ']') with the next. */
static enum imap_parse_result
text_start(struct imap_parser *p, unsigned char c)
{
	p->state = ST_TEXT;
	if (c == ' ') {
		p->token_start = p->raw.len;
		return IMAP_PARSE_NEED_MORE;
	}
	p->token_start = before_this_byte(p);
	return text_byte(p, c);
}

static enum imap_parse_result
code_name_done(struct imap_parser *p, unsigned char c)
{
	size_t len;

	if (before_this_byte(p) == p->token_start)
		return fail(p, "empty response code");
	p->resp.code = token_copy(p, before_this_byte(p), &len);
	if (c == ']') {
		p->state = ST_CODE_END;
		return IMAP_PARSE_NEED_MORE;
	}
	p->state = ST_CODE_ARGS;
	p->token_start = p->raw.len;
	return IMAP_PARSE_NEED_MORE;
}

static enum imap_parse_result
code_args_done(struct imap_parser *p)
{
	size_t len;

	p->resp.code_args = token_copy(p, before_this_byte(p), &len);
	p->state = ST_CODE_END;
	return IMAP_PARSE_NEED_MORE;
}

static enum imap_parse_result
resp_text_byte(struct imap_parser *p, unsigned char c)
{
	switch (p->state) {
	case ST_TEXT_START:
		if (c == ' ' && p->text_sp_pending) {
			p->text_sp_pending = false;
			return IMAP_PARSE_NEED_MORE;
		}
		if (c == '[') {
			p->state = ST_CODE_NAME;
			p->token_start = p->raw.len;
			return IMAP_PARSE_NEED_MORE;
		}
		/* a second SP after the status is text (RFC 9051 TEXT-CHAR):
		 * dropping it would turn " [X" into a response code */
		p->state = ST_TEXT;
		p->token_start = before_this_byte(p);
		return text_byte(p, c);
	case ST_CODE_NAME:
		if (c == ' ' || c == ']')
			return code_name_done(p, c);
		if (c < 0x20 || c == 0x7f)
			return fail(p, "%s in a response code", byte_name(c));
		return IMAP_PARSE_NEED_MORE;
	case ST_CODE_ARGS:
		if (c == ']')
			return code_args_done(p);
		if (c == '"')
			p->state = ST_CODE_QUOTED;
		if (c == '\0' || c == '\r' || c == '\n')
			return fail(p, "response code not closed by ']'");
		return IMAP_PARSE_NEED_MORE;
	case ST_CODE_QUOTED:
	case ST_CODE_ESCAPE:
		if (c == '\0' || c == '\r' || c == '\n')
			return fail(p, "response code not closed by ']'");
		if (p->state == ST_CODE_ESCAPE)
			p->state = ST_CODE_QUOTED;
		else if (c == '\\')
			p->state = ST_CODE_ESCAPE;
		else if (c == '"')
			p->state = ST_CODE_ARGS;
		return IMAP_PARSE_NEED_MORE;
	case ST_CODE_END:
		return text_start(p, c);
	default:
		return text_byte(p, c);
	}
}

/* --- tokens ---------------------------------------------------------- */

static bool
is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static enum imap_parse_result
args_byte(struct imap_parser *p, unsigned char c)
{
	switch (c) {
	case ' ':
		return IMAP_PARSE_NEED_MORE;
	case '(':
		return open_list(p);
	case ')':
		p->status_possible = false;
		return close_list(p);
	case '"':
		p->state = ST_QUOTED;
		p->token_start = p->raw.len;
		return IMAP_PARSE_NEED_MORE;
	case '{':
		p->literal8 = false;
		p->literal_size = 0;
		p->state = ST_LITERAL_SIZE;
		p->token_start = p->raw.len;
		return IMAP_PARSE_NEED_MORE;
	case '~':
		p->state = ST_LITERAL8_OPEN;
		return IMAP_PARSE_NEED_MORE;
	case '\r':
	case '\n':
		if (p->args_only)
			return fail(p, "line break in text");
		return line_end(p, c);
	default:
		if (is_ctl(c))
			return fail(p, "%s where a token should start",
			    byte_name(c));
		p->state = c == '[' ? ST_ATOM_BRACKET : ST_ATOM;
		p->token_start = before_this_byte(p);
		return IMAP_PARSE_NEED_MORE;
	}
}

static enum imap_parse_result
atom_byte(struct imap_parser *p, unsigned char c)
{
	enum imap_parse_result r;

	if (p->state == ST_ATOM_BRACKET) {
		if (c == '\r' || c == '\n' || c == '\0')
			return fail(p, "'[' in an atom not closed by ']'");
		if (c == ']')
			p->state = ST_ATOM;
		return IMAP_PARSE_NEED_MORE;
	}
	switch (c) {
	case ' ':
	case '(':
	case ')':
	case '\r':
	case '\n':
		r = finish_atom(p, before_this_byte(p));
		if (r != IMAP_PARSE_NEED_MORE || c == ' ')
			return r; /* a SP only ends the atom */
		if (p->state == ST_TEXT_START)
			return resp_text_byte(p, c);
		return args_byte(p, c);
	case '[':
		p->state = ST_ATOM_BRACKET;
		return IMAP_PARSE_NEED_MORE;
	case '"':
		return fail(p, "'\"' inside an atom");
	default:
		if (is_ctl(c))
			return fail(p, "%s inside an atom", byte_name(c));
		return IMAP_PARSE_NEED_MORE;
	}
}

static enum imap_parse_result
quoted_byte(struct imap_parser *p, unsigned char c)
{
	if (c == '\0')
		return fail(p, "NUL in a quoted string");
	if (c == '\r' || c == '\n')
		return fail(p, "quoted string not terminated before end of line");
	if (p->state == ST_QUOTED_ESCAPE) {
		p->state = ST_QUOTED;
		return IMAP_PARSE_NEED_MORE;
	}
	if (c == '\\') {
		p->state = ST_QUOTED_ESCAPE;
		return IMAP_PARSE_NEED_MORE;
	}
	if (c == '"') {
		size_t len;
		const char *s = quoted_copy(p, before_this_byte(p), &len);

		finish_string(p, IMAP_ARG_STRING, s, len);
		return IMAP_PARSE_NEED_MORE;
	}
	return IMAP_PARSE_NEED_MORE;
}

/* --- the response start ---------------------------------------------- */

static enum imap_parse_result
start_byte(struct imap_parser *p, unsigned char c)
{
	if (c == '*') {
		p->resp.kind = IMAP_RESPONSE_UNTAGGED;
		p->state = ST_UNTAGGED_SP;
		return IMAP_PARSE_NEED_MORE;
	}
	if (c == '+') {
		p->resp.kind = IMAP_RESPONSE_CONTINUATION;
		p->text_sp_pending = true;
		p->state = ST_TEXT_START;
		return IMAP_PARSE_NEED_MORE;
	}
	/* RFC 9051 9: a tag's ASTRING-CHARs include "]" (resp-specials) */
	if (is_ctl(c) || c == ' ' || c >= 0x80 || strchr("(){%\"\\", c))
		return fail(p, "response starts with %s", byte_name(c));
	p->resp.kind = IMAP_RESPONSE_TAGGED;
	p->state = ST_TAG;
	p->token_start = before_this_byte(p);
	return IMAP_PARSE_NEED_MORE;
}

static enum imap_parse_result
tag_byte(struct imap_parser *p, unsigned char c)
{
	if (c == ' ') {
		size_t len;

		p->resp.tag = token_copy(p, before_this_byte(p), &len);
		p->status_possible = true;
		p->state = ST_ARGS;
		return IMAP_PARSE_NEED_MORE;
	}
	if (is_ctl(c) || c >= 0x80 || strchr("(){%*\"\\+", c))
		return fail(p, "%s in a tag", byte_name(c));
	return IMAP_PARSE_NEED_MORE;
}

static enum imap_parse_result
parse_byte(struct imap_parser *p, unsigned char c)
{
	switch (p->state) {
	case ST_START:
		return start_byte(p, c);
	case ST_TAG:
		return tag_byte(p, c);
	case ST_UNTAGGED_SP:
		if (c != ' ')
			return fail(p, "%s after '*'", byte_name(c));
		p->status_possible = true;
		p->state = ST_ARGS;
		return IMAP_PARSE_NEED_MORE;
	case ST_ARGS:
		return args_byte(p, c);
	case ST_ATOM:
	case ST_ATOM_BRACKET:
		return atom_byte(p, c);
	case ST_QUOTED:
	case ST_QUOTED_ESCAPE:
		return quoted_byte(p, c);
	case ST_LITERAL8_OPEN:
		if (c != '{') {
			/* '~' is an ATOM-CHAR: "~/Mail" is an atom. */
			p->state = ST_ATOM;
			p->token_start = before_this_byte(p) - 1;
			return atom_byte(p, c);
		}
		p->literal8 = true;
		p->literal_size = 0;
		p->state = ST_LITERAL_SIZE;
		p->token_start = p->raw.len;
		return IMAP_PARSE_NEED_MORE;
	case ST_LITERAL_SIZE:
		return literal_size_byte(p, c);
	case ST_LITERAL_PLUS:
		if (c != '}')
			return fail(p, "'+' in a literal not followed by '}'");
		p->state = ST_LITERAL_CR;
		return IMAP_PARSE_NEED_MORE;
	case ST_LITERAL_CR:
		if (c == '\n')
			return literal_header_done(p);
		if (c != '\r')
			return fail(p, "literal size not followed by CRLF");
		p->state = ST_LITERAL_LF;
		return IMAP_PARSE_NEED_MORE;
	case ST_LITERAL_LF:
		if (c != '\n')
			return fail(p, "literal size not followed by CRLF");
		return literal_header_done(p);
	case ST_END_LF:
		if (c != '\n')
			return fail(p, "CR not followed by LF");
		return finish_response(p);
	case ST_LITERAL_INLINE:
	case ST_LITERAL_STREAM:
		break; /* handled in bulk by imap_parser_parse */
	default:
		return resp_text_byte(p, c);
	}
	return fail(p, "internal parser state %d", (int)p->state);
}

static bool
in_literal(const struct imap_parser *p)
{
	return p->state == ST_LITERAL_INLINE || p->state == ST_LITERAL_STREAM;
}

/* Before a byte outside literals: the limits that byte could pass. The
 * line limit counts every byte since the last literal's end. */
static enum imap_parse_result
check_limits(struct imap_parser *p)
{
	if (p->arg_total > p->limits.max_items)
		return fail_items(p);
	if (p->raw.len - p->line_start >= p->limits.max_line)
		return fail_limit(p, IMAP_LIMIT_LINE,
		    "response line longer than %zu bytes (the line limit)",
		    p->limits.max_line);
	return IMAP_PARSE_NEED_MORE;
}

/* Append n bytes that fit what reserve_raw made room for (or grow). */
static void
raw_append(struct imap_parser *p, const unsigned char *data, size_t n)
{
	if (n < p->raw.alloc - p->raw.len) {
		memcpy(p->raw.data + p->raw.len, data, n);
		p->raw.len += n;
		p->raw.data[p->raw.len] = '\0';
	} else if (buf_append(&p->raw, data, n) != 0)
		fatal("parser: no room for %zu bytes", n);
}

/* Take the run of plain bytes that starts data[0..len), if the state has
 * runs: as many as the byte path would take before a byte it must see or
 * a limit (so an error comes at the same byte however the input is
 * split). Returns how many were taken; 0 leaves data[0] to the byte
 * path. check_limits has passed for data[0]. */
static size_t
take_run(struct imap_parser *p, const unsigned char *data, size_t len)
{
	unsigned char stop = run_mask(p->state);
	size_t n = 0, room_line, room_response;

	if (stop == 0 || (run_stops[data[0]] & stop) != 0)
		return 0;
	room_line = p->limits.max_line - (p->raw.len - p->line_start);
	room_response = p->limits.max_response - p->raw.len;
	if (len > room_line)
		len = room_line;
	if (len > room_response)
		len = room_response;
	while (n < len && (run_stops[data[n]] & stop) == 0)
		n++;
	if (n > 0)
		raw_append(p, data, n);
	return n;
}

/* Room in raw for what this call may keep, at once: then each byte's
 * append is the inline path, not a growth. The cap stays the one limit
 * (a reservation it refuses is left to the byte path's error). */
static void
reserve_raw(struct imap_parser *p, size_t len)
{
	size_t room = p->limits.max_response - p->raw.len;

	(void)buf_reserve(&p->raw, len < room ? len : room);
}

/* Between tokens, a whole token that is all here, taken at once: a quoted
 * string without escapes, or an atom (not one that may be a status word,
 * whose SP begins the text) that a SP, a parenthesis or the line's end
 * closes. The result is the byte path's: the same bytes in raw, the same
 * arg, the closing byte of an atom handed on to args_byte as atom_byte
 * does, and the limits checked at the same bytes. Returns the bytes taken, 0 to leave them to the byte path
 * (a token cut by the end of data, escapes, brackets, a limit near). */
static size_t
take_token(struct imap_parser *p, const unsigned char *data, size_t len,
    enum imap_parse_result *r)
{
	size_t n = 1, room, len0 = p->raw.len;
	unsigned char c = data[0], end;
	const char *text;

	room = p->limits.max_line - (p->raw.len - p->line_start);
	if (room > p->limits.max_response - p->raw.len)
		room = p->limits.max_response - p->raw.len;
	if (len > room)
		len = room;
	if (c == '"') {
		while (n < len && (run_stops[data[n]] & RUN_STOP_QUOTED) == 0)
			n++;
		if (n == len || data[n] != '"')
			return 0;
		raw_append(p, data, n + 1);
		text = arena_strndup(p, p->raw.data + len0 + 1, n - 1);
		finish_string(p, IMAP_ARG_STRING, text, n - 1);
		return n + 1;
	}
	if (p->status_possible || (run_stops[c] & RUN_STOP_ATOM) != 0 ||
	    c == '{' || c == '~')
		return 0;
	while (n < len && (run_stops[data[n]] & RUN_STOP_ATOM) == 0)
		n++;
	if (n == len)
		return 0;
	end = data[n];
	if (end != ' ' && end != '(' && end != ')' && end != '\r' &&
	    end != '\n')
		return 0;
	/* as atom_byte: the closing byte ends the atom, and a SP is all
	 * it does */
	raw_append(p, data, n + 1);
	p->token_start = len0;
	*r = finish_atom(p, p->raw.len - 1);
	if (*r == IMAP_PARSE_NEED_MORE && end != ' ')
		*r = args_byte(p, end);
	return n + 1;
}

/* Between tokens: the spaces, parentheses and whole tokens that follow,
 * as many as take_token takes, without a turn of the byte loop each. The
 * item limit is checked before each step as check_limits does before
 * each byte (within a token it cannot change), and the line and response
 * limits bound each step. Returns the bytes taken (0: none). */
static size_t
take_tokens(struct imap_parser *p, const unsigned char *data, size_t len,
    enum imap_parse_result *r)
{
	size_t i = 0, n;
	unsigned char c;

	while (i < len && *r == IMAP_PARSE_NEED_MORE && p->state == ST_ARGS) {
		if (p->arg_total > p->limits.max_items ||
		    p->raw.len - p->line_start >= p->limits.max_line ||
		    p->raw.len >= p->limits.max_response)
			break; /* the byte path fails here */
		c = data[i];
		if (c == ' ' || c == '(' || c == ')') {
			if (buf_append_byte(&p->raw, c) != 0)
				fatal("parser: no room for a byte");
			i++;
			*r = args_byte(p, c);
			continue;
		}
		if ((n = take_token(p, data + i, len - i, r)) == 0)
			break;
		i += n;
	}
	return i;
}

/* --- whole responses, parsed in place -------------------------------- */

/* A response whose bytes are all in the caller's data (the usual case:
 * reads of 64 KiB, responses of a few hundred bytes) is parsed in one
 * pass. It is copied twice into one buffer of the parser's (p->whole):
 * the first copy is the response's raw bytes, for display; in the
 * second each token ends with a NUL written over the byte after it (a
 * space, a parenthesis, the closing quote, the CR: no token's byte), so
 * no token is copied again. Stop bytes are found 16 at a time (SSE2),
 * and the items of a list stay where they were pushed (struct level).
 * Nothing points into the caller's data, which may be reused as soon as
 * the call returns. The pass takes only what it is sure of: an untagged
 * response that is not a status one, made of atoms, numbers, NILs,
 * quoted strings, lists and inline literals, within every limit.
 * Anything else (a tagged or status response, a byte the byte path
 * would refuse, a limit near, a streamed literal) it leaves to the byte
 * path, which then parses the response from its first byte: so every
 * error is still the byte path's, at the same byte, and a response split
 * across reads is the byte path's as before. */

/* Zeroed bytes after the first copy: a 16-byte load at any byte up to
 * the response's end stays inside them. */
#define WHOLE_SLACK 16

/* The size of p->whole kept from response to response (a read of 64 KiB
 * twice, with room). */
#define WHOLE_KEEP (256u * 1024)

struct whole {
	struct imap_parser *p;
	unsigned char *end;       /* the response's end in the first copy:
				     *end is NUL */
	size_t tok;               /* the second copy of the byte at c is
				     c[tok] */
	struct imap_arg *first;   /* p->levels[depth], while it is open */
	struct imap_arg *top;
	struct imap_arg *lim;
	size_t depth;
};

/* Whether the line[0..len), its LF last, ends by announcing a literal
 * ("{n}", "{n+}" or "~{n}", then CRLF or LF); its size in *size_r. */
static bool
line_announces_literal(const unsigned char *line, size_t len,
    uint64_t *size_r)
{
	size_t end = len - 1, digits = 0, i;
	uint64_t size = 0;

	if (end > 0 && line[end - 1] == '\r')
		end--;
	if (end == 0 || line[end - 1] != '}')
		return false;
	end--;
	if (end > 0 && line[end - 1] == '+')
		end--;
	while (end > 0 && digits < 20 &&
	    (unsigned)(line[end - 1] - '0') <= 9) {
		end--;
		digits++;
	}
	if (digits == 0 || digits > 19 || end == 0 || line[end - 1] != '{')
		return false;
	for (i = end; i < end + digits; i++)
		size = size * 10 + (unsigned)(line[i] - '0');
	*size_r = size;
	return true;
}

/* Where the response that begins at data[0] ends (after its last LF),
 * through the inline literals its lines announce; 0 if that is not in
 * data[0..len). A guess: the pass must end there too. */
static size_t
whole_response_end(const struct imap_parser *p, const unsigned char *data,
    size_t len)
{
	const unsigned char *lf;
	size_t pos = 0, end;
	uint64_t size;

	for (;;) {
		lf = memchr(data + pos, '\n', len - pos);
		if (lf == NULL)
			return 0;
		end = (size_t)(lf - data) + 1;
		if (!line_announces_literal(data + pos, end - pos, &size))
			return end;
		if (size > p->limits.max_inline_literal || size >= len - end)
			return 0;
		pos = end + (size_t)size;
	}
}

/* p->whole holds data[0..len) twice: first for raw, NUL-terminated and
 * followed by WHOLE_SLACK zeroes, then at offset len + WHOLE_SLACK for
 * the tokens (len + WHOLE_SLACK is below the response limit). */
static unsigned char *
whole_copy(struct imap_parser *p, const unsigned char *data, size_t len)
{
	size_t need = 2 * (len + WHOLE_SLACK);

	/* after a huge response, a small one gives the memory back */
	if (p->whole_alloc > WHOLE_KEEP && need <= WHOLE_KEEP) {
		free(p->whole);
		p->whole = NULL;
		p->whole_alloc = 0;
	}
	if (p->whole_alloc < need) {
		/* doubling, within what the response limit allows */
		p->whole_alloc = p->whole_alloc * 2 > need ? p->whole_alloc * 2 :
		    need;
		if (p->whole_alloc < 8192)
			p->whole_alloc = 8192;
		if (p->whole_alloc > 2 * p->limits.max_response)
			p->whole_alloc = need;
		free(p->whole);
		p->whole = xmalloc(p->whole_alloc);
	}
	memcpy(p->whole, data, len);
	memset(p->whole + len, 0, WHOLE_SLACK);
	memcpy(p->whole + len + WHOLE_SLACK, data, len);
	return p->whole;
}

#ifdef __SSE2__
/* The first byte from c on that is at most `max`, or is a or b, sixteen
 * bytes a step. Inlined with constants by its two callers below. */
static inline unsigned char *
vec_find(unsigned char *c, unsigned char max, unsigned char a,
    unsigned char b)
{
	const __m128i vmax = _mm_set1_epi8((char)max),
	    va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
	__m128i x, m;
	unsigned bits;

	for (;; c += 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)c);
		m = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(x, vmax), x),
		    _mm_or_si128(_mm_cmpeq_epi8(x, va),
			_mm_cmpeq_epi8(x, vb)));
		bits = (unsigned)_mm_movemask_epi8(m);
		if (bits != 0)
			return c + __builtin_ctz(bits);
	}
}

/* Below 0x0e, '"' or '\\': each byte that ends a run of a quoted string,
 * and a few (TAB...) that do not. */
#define vec_find_quoted(c) vec_find((c), 0x0d, '"', '\\')
/* Below 0x2a, '[' or DEL: each byte that ends an atom (the CTLs, SP,
 * '"', '(' and ')' are below 0x2a), and a few ('!', '#'...) that do
 * not. */
#define vec_find_atom(c) vec_find((c), 0x29, '[', 0x7f)
#endif

/* The pass's state. Every function it calls per token is inlined
 * (WHOLE_INLINE), so the state stays in registers. */
#define WHOLE_INLINE static inline __attribute__((always_inline))

/* The first byte from c on in the run_stops class `stop` (RUN_STOP_ATOM
 * or RUN_STOP_QUOTED); the NUL after the response is in both. */
WHOLE_INLINE unsigned char *
whole_scan(unsigned char *c, unsigned char stop)
{
#ifdef __SSE2__
	for (;;) {
		c = stop == RUN_STOP_ATOM ? vec_find_atom(c) :
		    vec_find_quoted(c);
		if ((run_stops[*c] & stop) != 0)
			return c;
		c++;
	}
#else
	while ((run_stops[*c] & stop) == 0)
		c++;
	return c;
#endif
}

/* A byte that may follow an atom or a literal: it ends the token and is
 * none, so the NUL may take its place in tok. */
WHOLE_INLINE bool
whole_token_end(unsigned char c)
{
	return (run_stops[c] & TOKEN_END) != 0;
}

/* The second copy of the byte at c, where tokens are ended by NULs. */
WHOLE_INLINE char *
whole_tok(const struct whole *w, unsigned char *c)
{
	return (char *)(c + w->tok);
}

/* The level in w and in p->levels[w->depth], one from the other: lim
 * changes only in whole_grow, which saves and loads it all. */
WHOLE_INLINE void
whole_level_save(struct whole *w)
{
	struct level *l = &w->p->levels[w->depth];

	l->first = w->first;
	l->top = w->top;
}

WHOLE_INLINE void
whole_level_load(struct whole *w)
{
	const struct level *l = &w->p->levels[w->depth];

	w->first = l->first;
	w->top = l->top;
	w->lim = l->lim;
}

static void
whole_grow(struct whole *w)
{
	whole_level_save(w);
	level_grow(w->p, &w->p->levels[w->depth]);
	whole_level_load(w);
}

/* The next item of the innermost open list, as push_arg leaves it
 * (field by field: a struct literal costs a memset first). */
WHOLE_INLINE void
whole_push(struct whole *w, enum imap_arg_type type, const void *word0,
    size_t word1, const char *text, size_t text_len)
{
	struct imap_arg *a;

	if (w->top == w->lim)
		whole_grow(w);
	a = w->top++;
	a->type = type;
	a->u.str.data = word0;
	a->u.str.len = word1;
	a->text = text;
	a->text_len = text_len;
}

WHOLE_INLINE void
whole_push_string(struct whole *w, enum imap_arg_type type, const char *s,
    size_t len)
{
	whole_push(w, type, s, len, s, len);
}

WHOLE_INLINE void
whole_push_number(struct whole *w, uint64_t num, const char *text,
    size_t len)
{
	whole_push(w, IMAP_ARG_NUMBER, NULL, 0, text, len);
	w->top[-1].u.number = num;
}

/* An atom, NIL or number from c to e, its end made a NUL. */
WHOLE_INLINE void
whole_push_atom(struct whole *w, unsigned char *c,
    unsigned char *e)
{
	char *text = whole_tok(w, c);
	size_t len = (size_t)(e - c);
	uint64_t num;

	text[len] = '\0';
	if (len == 3 && (text[0] | 0x20) == 'n' && (text[1] | 0x20) == 'i' &&
	    (text[2] | 0x20) == 'l')
		whole_push(w, IMAP_ARG_NIL, NULL, 0, text, len);
	else if ((unsigned)(*c - '0') <= 9 && parse_u64(text, len, &num))
		whole_push_number(w, num, text, len);
	else
		whole_push(w, IMAP_ARG_ATOM, NULL, 0, text, len);
}

/* An atom from c, as atom_byte and finish_atom: the byte that ends it,
 * or NULL (to the byte path). */
WHOLE_INLINE unsigned char *
whole_atom(struct whole *w, unsigned char *c)
{
	unsigned char *e;

	e = *c == '[' ? c : whole_scan(c + 1, RUN_STOP_ATOM);
	while (*e == '[') {
		e++;
		while ((run_stops[*e] & RUN_STOP_ATOM_BRACKET) == 0)
			e++;
		if (*e != ']')
			return NULL;
		e = whole_scan(e + 1, RUN_STOP_ATOM);
	}
	if (!whole_token_end(*e))
		return NULL;
	whole_push_atom(w, c, e);
	return e;
}

/* "NIL" with the byte that ends it, else any atom. */
WHOLE_INLINE unsigned char *
whole_nil(struct whole *w, unsigned char *c)
{
	/* one 4-byte compare each */
	if (memcmp(c, "NIL ", 4) != 0 && memcmp(c, "NIL)", 4) != 0)
		return whole_atom(w, c);
	whole_tok(w, c)[3] = '\0';
	whole_push(w, IMAP_ARG_NIL, NULL, 0, whole_tok(w, c), 3);
	return c + 3;
}

/* A number of up to 19 digits (that needs no overflow check) with the
 * byte that ends it, else any atom. */
WHOLE_INLINE unsigned char *
whole_number(struct whole *w, unsigned char *c)
{
	unsigned char *e = c;
	uint64_t num = 0;
	unsigned d;

	while ((d = (unsigned)(*e - '0')) <= 9) {
		num = num * 10 + d;
		e++;
	}
	if (e - c > 19 || !whole_token_end(*e))
		return whole_atom(w, c);
	whole_tok(w, e)[0] = '\0';
	whole_push_number(w, num, whole_tok(w, c), (size_t)(e - c));
	return e;
}

/* A quoted string from c, its '"', as quoted_byte and quoted_copy
 * (escapes are removed in the second copy): the byte after it, or
 * NULL. */
WHOLE_INLINE unsigned char *
whole_quoted(struct whole *w, unsigned char *c)
{
	unsigned char *e, *k;
	bool escaped = false;
	char *d = whole_tok(w, ++c);
	size_t len;

	e = whole_scan(c, RUN_STOP_QUOTED);
	while (*e == '\\') {
		if (e[1] == '\0' || e[1] == '\r' || e[1] == '\n')
			return NULL;
		escaped = true;
		e = whole_scan(e + 2, RUN_STOP_QUOTED);
	}
	if (*e != '"')
		return NULL;
	len = (size_t)(e - c);
	if (escaped) {
		for (k = c, len = 0; k < e; k++) {
			if (*k == '\\')
				k++;
			d[len++] = (char)*k;
		}
	}
	d[len] = '\0';
	whole_push_string(w, IMAP_ARG_STRING, d, len);
	return e + 1;
}

/* An inline literal whose size starts at k, after its '{', as
 * literal_size_byte, literal_header_done and finish_literal: the byte
 * after its bytes, or NULL (as for a literal the byte path would stream
 * or a limit refuses). */
WHOLE_INLINE unsigned char *
whole_literal(struct whole *w, unsigned char *k, bool literal8)
{
	const struct imap_parser_limits *lim = &w->p->limits;
	unsigned char *start = k;
	uint64_t size = 0;

	while ((unsigned)(*k - '0') <= 9 && k - start < 19)
		size = size * 10 + (unsigned)(*k++ - '0');
	if (k == start || (unsigned)(*k - '0') <= 9)
		return NULL;
	if (*k == '+')
		k++;
	if (*k++ != '}')
		return NULL;
	if (*k == '\r')
		k++;
	if (*k++ != '\n')
		return NULL;
	if (size > lim->max_inline_literal || size > lim->max_literal ||
	    size >= (uint64_t)(w->end - k) ||
	    ++w->p->literal_count > lim->max_literals ||
	    !whole_token_end(k[size]))
		return NULL;
	whole_tok(w, k)[size] = '\0';
	whole_push_string(w, literal8 ? IMAP_ARG_LITERAL8 : IMAP_ARG_LITERAL,
	    whole_tok(w, k), (size_t)size);
	return k + size;
}

/* '(': a list opens (as open_list); false at the depth limit. */
WHOLE_INLINE bool
whole_open_list(struct whole *w)
{
	struct imap_parser *p = w->p;

	if (w->depth == p->limits.max_depth)
		return false;
	whole_level_save(w);
	w->depth++;
	whole_level_load(w);
	w->first = w->top;
	if (w->depth > p->deepest)
		p->deepest = w->depth;
	return true;
}

/* ')': the innermost list is complete (as close_list). */
WHOLE_INLINE void
whole_close_list(struct whole *w)
{
	static const struct imap_arg none[1];
	size_t n = (size_t)(w->top - w->first);
	const struct imap_arg *items = n > 0 ? w->first : none;

	w->p->arg_total += n; /* the items of closed lists, so far */
	w->p->levels[w->depth].top = w->top;
	w->depth--;
	whole_level_load(w);
	whole_push(w, IMAP_ARG_LIST, items, n, "", 0);
}

/* Whether the response's first token is an atom that is a status word
 * (as finish_atom asks): then its text is resp-text, the byte path's. */
static bool
whole_is_status(const unsigned char *s, size_t i)
{
	size_t j, k;

	while (s[i] == ' ')
		i++;
	for (j = i; j - i < 8 && (run_stops[s[j]] & RUN_STOP_ATOM) == 0; j++)
		;
	if (s[j] == '[' || (run_stops[s[j]] & RUN_STOP_ATOM) == 0 ||
	    (j - i != 2 && j - i != 3 && j - i != 7))
		return false; /* not the length of a status word */
	for (k = IMAP_STATUS_OK; k <= IMAP_STATUS_PREAUTH; k++)
		if (strncasecmp((const char *)s + i, status_names[k], j - i) ==
		    0 && status_names[k][j - i] == '\0')
			return true;
	return false;
}

/* Parse the response at data[0..len) in one pass if it is all there and
 * the pass can take it (above): true with *consumed_r and the response
 * built as finish_response leaves it; false with nothing kept, for the
 * byte path. */
static bool
parse_whole(struct imap_parser *p, const unsigned char *data, size_t len,
    size_t *consumed_r)
{
	struct whole w;
	unsigned char *s, *c;
	size_t end;

	if (len < 4 || data[0] != '*' || data[1] != ' ')
		return false;
	end = whole_response_end(p, data, len);
	/* the line and response limits stay far */
	if (end == 0 || end >= p->limits.max_line ||
	    end + WHOLE_SLACK >= p->limits.max_response)
		return false;
	start_response(p);
	s = whole_copy(p, data, end);
	/* "* 5 FETCH": a number is no status word */
	if ((unsigned)(s[2] - '0') > 9 && whole_is_status(s, 2))
		goto bail;
	w = (struct whole){ .p = p, .end = s + end,
	    .tok = end + WHOLE_SLACK };
	whole_level_load(&w);
	for (c = s + 2;;) {
		/* The commonest bytes in an envelope by a compare each, cheaper
		 * than the jump table the rest goes through. */
		if (*c == '"')
			c = whole_quoted(&w, c);
		else if (*c == ')') {
			if (w.depth == 0)
				goto bail;
			whole_close_list(&w);
			c++;
		} else if (*c == '(') {
			if (!whole_open_list(&w))
				goto bail;
			c++;
			continue;
		} else if (*c == 'N')
			c = whole_nil(&w, c);
		else {
			switch (whole_classes[*c]) {
			case WC_SP:
				c++;
				continue;
			case WC_DIGIT:
				c = whole_number(&w, c);
				break;
			case WC_ATOM:
			case WC_N:
				c = whole_atom(&w, c);
				break;
			case WC_BRACE:
				c = whole_literal(&w, c + 1, false);
				break;
			case WC_TILDE:
				c = c[1] == '{' ? whole_literal(&w, c + 2, true) :
				    whole_atom(&w, c);
				break;
			case WC_CR:
				if (c[1] != '\n')
					goto bail;
				c++;
				/* FALLTHROUGH */
			case WC_LF:
				if (w.depth != 0 || c + 1 != w.end)
					goto bail;
				goto done;
			default: /* WC_CTL; the others are taken above */
				goto bail;
			}
		}
		if (c == NULL)
			goto bail;
		/* most tokens are followed by one SP: no turn for it */
		c += *c == ' ';
	}
done:
	if (p->arg_total + (size_t)(w.top - w.first) > p->limits.max_items)
		goto bail;
	whole_level_save(&w);
	p->arg_total += (size_t)(w.top - w.first);
	p->resp.kind = IMAP_RESPONSE_UNTAGGED;
	if (finish_response(p) != IMAP_PARSE_DONE)
		fatal("parser: a whole response did not finish");
	p->resp.raw = (const char *)s;
	p->resp.raw_len = end;
	*consumed_r = end;
	return true;
bail:
	start_response(p);
	return false;
}

enum imap_parse_result
imap_parser_parse(struct imap_parser *p, const unsigned char *data,
    size_t len, size_t *consumed_r, const struct imap_response **response_r,
    const char **error_r)
{
	enum imap_parse_result r = IMAP_PARSE_NEED_MORE;
	size_t i = 0, n;

	*response_r = NULL;
	/* A call ends with the first response that ends: only its first
	 * byte can start one. */
	if (p->state == ST_START && !p->args_only &&
	    parse_whole(p, data, len, &n)) {
		*consumed_r = n;
		*response_r = &p->resp;
		return IMAP_PARSE_DONE;
	}
	reserve_raw(p, len);
	while (i < len && r == IMAP_PARSE_NEED_MORE) {
		if (in_literal(p)) {
			i += take_literal_bytes(p, data + i, len - i, &r);
			continue;
		}
		if (p->state == ST_START)
			start_response(p);
		r = check_limits(p);
		if (r != IMAP_PARSE_NEED_MORE)
			break;
		if ((n = take_run(p, data + i, len - i)) > 0) {
			i += n;
			continue;
		}
		if (p->state == ST_ARGS && !p->args_only &&
		    (n = take_tokens(p, data + i, len - i, &r)) > 0) {
			i += n;
			continue;
		}
		if (buf_append_byte(&p->raw, data[i]) != 0) {
			r = fail_response(p);
			break;
		}
		r = parse_byte(p, data[i++]);
	}
	*consumed_r = i;
	if (r == IMAP_PARSE_DONE)
		*response_r = &p->resp;
	else if (r == IMAP_PARSE_ERROR)
		*error_r = p->error;
	return r;
}

/* --- life cycle ------------------------------------------------------ */

void
imap_parser_limits_complete(const struct imap_parser_limits *limits,
    struct imap_parser_limits *limits_r)
{
	static const struct imap_parser_limits defaults = {
		.max_response = IMAP_PARSER_DEFAULT_MAX_RESPONSE,
		.max_line = IMAP_PARSER_DEFAULT_MAX_LINE,
		.max_depth = IMAP_PARSER_DEFAULT_MAX_DEPTH,
		.max_inline_literal = IMAP_PARSER_DEFAULT_MAX_INLINE_LITERAL,
		.max_literal = IMAP_PARSER_DEFAULT_MAX_LITERAL,
		.max_items = IMAP_PARSER_DEFAULT_MAX_ITEMS,
		.max_literals = IMAP_PARSER_DEFAULT_MAX_LITERALS,
	};
	struct imap_parser_limits l = limits != NULL ? *limits : defaults;

#define IMAP_LIMIT_DEFAULT(field) \
	if (l.field == 0) \
		l.field = defaults.field
	IMAP_LIMIT_DEFAULT(max_response);
	IMAP_LIMIT_DEFAULT(max_line);
	IMAP_LIMIT_DEFAULT(max_depth);
	IMAP_LIMIT_DEFAULT(max_inline_literal);
	IMAP_LIMIT_DEFAULT(max_literal);
	IMAP_LIMIT_DEFAULT(max_items);
	IMAP_LIMIT_DEFAULT(max_literals);
#undef IMAP_LIMIT_DEFAULT
	*limits_r = l;
}

struct imap_parser *
imap_parser_new(const struct imap_parser_limits *limits)
{
	struct imap_parser *p = xcalloc(1, sizeof(*p));

	run_stops_init();
	imap_parser_limits_complete(limits, &p->limits);
	buf_init(&p->raw, p->limits.max_response);
	p->levels = xcalloc(p->limits.max_depth + 1, sizeof(*p->levels));
	p->state = ST_START;
	return p;
}

void
imap_parser_free(struct imap_parser **parser)
{
	struct imap_parser *p = *parser;
	size_t d;

	if (p == NULL)
		return;
	if (p->text_parser != NULL)
		imap_parser_free(&p->text_parser);
	arena_free(p);
	levels_clear(p);
	for (d = 0; d <= p->limits.max_depth; d++)
		free(p->levels[d].args);
	free(p->levels);
	free(p->retired);
	buf_free(&p->raw);
	free(p->whole);
	free(p);
	*parser = NULL;
}

void
imap_parser_set_literal_sink(struct imap_parser *p,
    const struct imap_literal_sink *sink)
{
	p->have_sink = sink != NULL;
	if (sink != NULL)
		p->sink = *sink;
}

enum imap_parser_limit
imap_parser_limit_hit(const struct imap_parser *p)
{
	return p->limit_hit;
}

void
imap_parser_reset(struct imap_parser *p)
{
	start_response(p);
	p->state = ST_START;
}

bool
imap_parser_mid_response(const struct imap_parser *p)
{
	return p->state != ST_START;
}

void
imap_parser_literal_progress(const struct imap_parser *p, uint64_t *done_r,
    uint64_t *size_r)
{
	bool streaming = p->state == ST_LITERAL_STREAM;

	*done_r = streaming ? p->literal_done : 0;
	*size_r = streaming ? p->literal_size : 0;
}

int
imap_parser_parse_args(struct imap_parser *p, const char *text, size_t len,
    const struct imap_arg **args_r, size_t *count_r, const char **error_r)
{
	struct imap_parser *t;
	const struct imap_response *resp;
	enum imap_parse_result r = IMAP_PARSE_NEED_MORE;
	size_t consumed;

	if (p->text_parser == NULL) {
		p->text_parser = imap_parser_new(&p->limits);
		p->text_parser->args_only = true;
	}
	t = p->text_parser;
	imap_parser_reset(t);
	t->resp.kind = IMAP_RESPONSE_UNTAGGED;
	t->state = ST_ARGS;
	if (len > 0)
		r = imap_parser_parse(t, (const unsigned char *)text, len,
		    &consumed, &resp, error_r);
	if (r == IMAP_PARSE_ERROR)
		return -1;
	/* The end of the text ends the last token; a lone '~' is an atom. */
	if (t->state == ST_LITERAL8_OPEN) {
		t->state = ST_ATOM;
		t->token_start = t->raw.len - 1;
	}
	if (t->state == ST_ATOM && r != IMAP_PARSE_ERROR)
		r = finish_atom(t, t->raw.len);
	if (r == IMAP_PARSE_ERROR || t->state != ST_ARGS) {
		*error_r = r == IMAP_PARSE_ERROR ? t->error
						 : "text ends inside a token";
		return -1;
	}
	if (finish_response(t) != IMAP_PARSE_DONE) {
		*error_r = t->error;
		return -1;
	}
	*args_r = t->resp.args;
	*count_r = t->resp.count;
	return 0;
}

int
imap_parser_parse_text(struct imap_parser *p, const char *text,
    const struct imap_arg **args_r, size_t *count_r, const char **error_r)
{
	return imap_parser_parse_args(p, text, strlen(text), args_r, count_r,
	    error_r);
}
