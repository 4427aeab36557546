/* text-json: one JSON value at a time into a buffer. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "text-json.h"
#include "text-utf8.h"
#include "util-word.h"

void
json_writer_init(struct json_writer *w, struct buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->first[0] = true;
}

/* Inline: a FETCH event is some sixty small pieces. */
static inline void
put(struct json_writer *w, const char *s, size_t len)
{
	if (!w->failed && buf_append(w->out, s, len) != 0)
		w->failed = true;
}

static void
puts_(struct json_writer *w, const char *s)
{
	put(w, s, strlen(s));
}

/* The comma before a value, unless it is a member's value or the first. */
static void
before_value(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		put(w, ",", 1);
	w->first[w->depth] = false;
}

static void
open_level(struct json_writer *w, const char *bracket)
{
	before_value(w);
	puts_(w, bracket);
	if (w->depth == JSON_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	w->first[++w->depth] = true;
}

static void
close_level(struct json_writer *w, const char *bracket)
{
	if (w->depth > 0)
		w->depth--;
	puts_(w, bracket);
}

void
json_object_begin(struct json_writer *w)
{
	open_level(w, "{");
}

void
json_object_end(struct json_writer *w)
{
	close_level(w, "}");
}

void
json_array_begin(struct json_writer *w)
{
	open_level(w, "[");
}

void
json_array_end(struct json_writer *w)
{
	close_level(w, "]");
}

/* Code points JSON allows raw but a terminal or a log viewer would act
 * on: C0, DEL and C1 controls (ESC and CSI start escape sequences), and
 * the Unicode bidi and format controls (U+202E reverses what follows,
 * U+2028/9 break lines). Scripts that pipe --json to a terminal must not
 * run the server's escape sequences. */
static bool
is_terminal_hazard(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	    cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/* How many bytes from s are printable ASCII but '"' and '\\': JSON takes
 * them as they are, and a run of them is written at once. */
static const bool json_plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	/* 0x80 and above: none */
};

/* Whether none of the eight bytes in x is below 0x20, 0x7f or above,
 * '"' or '\\' (the bit tricks for "has a byte less than n" and "has a
 * zero byte" give an exact yes or no for the word as a whole). */
static bool
plain_word(uint64_t x)
{
	return (word_has_unprintable(x) | word_bytes_equal(x, '"') |
	    word_bytes_equal(x, '\\')) == 0;
}

static size_t
plain_run(const unsigned char *s, size_t len)
{
	size_t n = 0;
	uint64_t x;

	for (; n + 8 <= len; n += 8) {
		memcpy(&x, s + n, 8);
		if (!plain_word(x))
			break;
	}
	/* the last bytes as a word of their own, overlapping */
	if (n < len && len >= 8 && n + 8 > len) {
		memcpy(&x, s + len - 8, 8);
		if (plain_word(x))
			return len;
	}
	while (n < len && json_plain[s[n]])
		n++;
	return n;
}

/* A string that is all plain_run: its quotes, its bytes and what
 * follows (a key's ':'), reserved and copied at once. */
static void
put_plain(struct json_writer *w, const char *s, size_t len,
    const char *after, size_t after_len)
{
	struct buf *b = w->out;
	size_t n = len + 2 + after_len, i;
	char *p;

	if (w->failed || ((n >= b->alloc - b->len || n > b->max - b->len) &&
	    buf_reserve(b, n) != 0)) {
		w->failed = true;
		return;
	}
	p = b->data + b->len;
	*p++ = '"';
	memcpy(p, s, len);
	p += len;
	*p++ = '"';
	for (i = 0; i < after_len; i++) /* "" or ":" */
		p[i] = after[i];
	b->len += n;
	b->data[b->len] = '\0';
}

/* RFC 8259 7: escape '"', '\\' and every terminal hazard as \uXXXX;
 * the rest is UTF-8, each ill-formed subpart written as one U+FFFD (as
 * text_utf8_append_sanitized() does), in one pass with no copy. */
static void
put_escaped(struct json_writer *w, const char *s, size_t len,
    const char *after, size_t after_len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n;
	uint32_t cp;
	char esc[8];

	/* Most strings (atoms, addresses, dates) need no escape. */
	if ((n = plain_run(p, len)) == len) {
		put_plain(w, s, len, after, after_len);
		return;
	}
	put(w, "\"", 1);
	for (i = 0; i < len; i += n) {
		if ((n = plain_run(p + i, len - i)) > 0) {
			put(w, s + i, n);
			continue;
		}
		if ((n = text_utf8_sequence(p + i, len - i, &cp)) == 0) {
			n = text_utf8_ill_formed_len(p + i, len - i);
			put(w, "\xef\xbf\xbd", 3); /* U+FFFD */
		} else if (cp == '"' || cp == '\\') {
			esc[0] = '\\';
			esc[1] = (char)cp;
			put(w, esc, 2);
		} else if (is_terminal_hazard(cp)) {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
			put(w, esc, 6);
		} else
			put(w, s + i, n);
	}
	put(w, "\"", 1);
	if (after_len > 0)
		put(w, after, after_len);
}

void
json_key_len(struct json_writer *w, const char *key, size_t len)
{
	before_value(w);
	put_escaped(w, key, len, ":", 1);
	w->after_key = true;
}

void
json_string(struct json_writer *w, const char *s, size_t len)
{
	before_value(w);
	put_escaped(w, s, len, "", 0);
}

void
json_cstring(struct json_writer *w, const char *s)
{
	if (s == NULL)
		json_null(w);
	else
		json_string(w, s, strlen(s));
}

void
json_uint(struct json_writer *w, uint64_t v)
{
	char num[24];
	size_t i = sizeof(num);

	/* by hand: a FETCH event has three or four numbers */
	do {
		num[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	before_value(w);
	put(w, num + i, sizeof(num) - i);
}

void
json_double(struct json_writer *w, double v, int decimals)
{
	char num[48];

	before_value(w);
	snprintf(num, sizeof(num), "%.*f", decimals, v);
	puts_(w, num);
}

void
json_bool(struct json_writer *w, bool v)
{
	before_value(w);
	puts_(w, v ? "true" : "false");
}

void
json_null(struct json_writer *w)
{
	before_value(w);
	puts_(w, "null");
}

size_t
json_value_mark(const struct json_writer *w)
{
	return w->out->len;
}

void
json_repeat(struct json_writer *w, size_t from, size_t to)
{
	struct buf *b = w->out;

	before_value(w);
	if (w->failed || from > to || to > b->len ||
	    buf_reserve(b, to - from) != 0) {
		w->failed = true;
		return;
	}
	/* from the part already written: no overlap, and after the
	 * reserve, which may have moved it */
	memcpy(b->data + b->len, b->data + from, to - from);
	b->len += to - from;
	b->data[b->len] = '\0';
}

int
json_writer_status(const struct json_writer *w)
{
	return w->failed || w->depth != 0 ? -1 : 0;
}
