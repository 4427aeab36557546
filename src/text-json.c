/* text-json: one JSON value at a time into a buffer. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "text-json.h"
#include "text-utf8.h"

void
json_writer_init(struct json_writer *w, struct buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->first[0] = true;
}

static void
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

/* The code point of the valid UTF-8 sequence at s, and its length. */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp_r)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	size_t i;

	if (n > len)
		n = len;
	*cp_r = n == 1 ? s[0] : s[0] & (0x7f >> n);
	for (i = 1; i < n; i++)
		*cp_r = (*cp_r << 6) | (s[i] & 0x3f);
	return n;
}

/* RFC 8259 7: escape '"', '\\' and every terminal hazard as \uXXXX;
 * the rest is UTF-8 (sanitized first, so it decodes). */
/* How many bytes from s are printable ASCII but '"' and '\\': JSON takes
 * them as they are, and a run of them is written at once. */
static size_t
plain_run(const unsigned char *s, size_t len)
{
	size_t n = 0;

	while (n < len && s[n] >= 0x20 && s[n] < 0x7f && s[n] != '"' &&
	    s[n] != '\\')
		n++;
	return n;
}

static void
put_escaped(struct json_writer *w, const char *s, size_t len)
{
	const unsigned char *p;
	struct buf clean;
	size_t i, n;
	uint32_t cp;
	char esc[8];

	/* Most strings (atoms, addresses, dates) need neither the UTF-8
	 * check nor an escape. */
	if (plain_run((const unsigned char *)s, len) == len) {
		put(w, "\"", 1);
		put(w, s, len);
		put(w, "\"", 1);
		return;
	}
	buf_init(&clean, w->out->max);
	if (text_utf8_append_sanitized(&clean, s, len) != 0)
		w->failed = true;
	p = (const unsigned char *)clean.data;
	put(w, "\"", 1);
	for (i = 0; i < clean.len; i += n) {
		if ((n = plain_run(p + i, clean.len - i)) > 0) {
			put(w, clean.data + i, n);
			continue;
		}
		n = utf8_decode(p + i, clean.len - i, &cp);
		if (cp == '"' || cp == '\\') {
			esc[0] = '\\';
			esc[1] = (char)cp;
			put(w, esc, 2);
		} else if (is_terminal_hazard(cp)) {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
			put(w, esc, 6);
		} else
			put(w, clean.data + i, n);
	}
	put(w, "\"", 1);
	buf_free(&clean);
}

void
json_key(struct json_writer *w, const char *key)
{
	before_value(w);
	put_escaped(w, key, strlen(key));
	put(w, ":", 1);
	w->after_key = true;
}

void
json_string(struct json_writer *w, const char *s, size_t len)
{
	before_value(w);
	put_escaped(w, s, len);
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

	before_value(w);
	snprintf(num, sizeof(num), "%" PRIu64, v);
	puts_(w, num);
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

int
json_writer_status(const struct json_writer *w)
{
	return w->failed || w->depth != 0 ? -1 : 0;
}
