/* text-display: make server text safe for a terminal, and the wire readable. */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "text-display.h"
#include "util-word.h"
#include "text-utf8.h"

/* Code points that change how surrounding text is displayed, or that a
 * terminal shows as nothing at all: the bidi embeddings, overrides and
 * isolates, the invisible marks, the line and paragraph separators (curses
 * draws them as blanks), the invisible operators and the tag characters
 * (text hidden in plain sight). */
static bool
is_harmful_code_point(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||     /* C1 controls */
	    (cp >= 0x200b && cp <= 0x200f) ||    /* zero width, LRM, RLM */
	    (cp >= 0x2028 && cp <= 0x202e) ||    /* LS PS LRE RLE PDF LRO RLO */
	    (cp >= 0x2060 && cp <= 0x206f) ||    /* WJ, invisible operators,
						    LRI RLI FSI PDI, and the
						    deprecated format controls */
	    (cp >= 0xfff9 && cp <= 0xfffb) ||    /* interlinear annotation */
	    (cp >= 0xe0000 && cp <= 0xe007f) ||  /* tags */
	    cp == 0x061c || cp == 0x180e ||      /* ALM, Mongolian VS */
	    cp == 0xfeff;                        /* BOM */
}

static int
escape_byte(struct buf *out, unsigned char c)
{
	switch (c) {
	case '\t':
		return buf_append_str(out, "\\t");
	case '\r':
		return buf_append_str(out, "\\r");
	case '\n':
		return buf_append_str(out, "\\n");
	default:
		return buf_printf(out, "\\x%02x", c);
	}
}

int
display_escape(struct buf *out, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;
	uint32_t cp;
	int rc = 0;

	while (i < len && rc == 0) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			/* a run of printable ASCII at once */
			n = 1;
			while (i + n < len && s[i + n] >= 0x20 && s[i + n] < 0x7f)
				n++;
			rc = buf_append(out, s + i, n);
		} else if (s[i] >= 0x80 && (n = text_utf8_sequence(s + i, len - i,
						&cp)) > 0) {
			rc = is_harmful_code_point(cp)
			    ? buf_printf(out, "\\u{%04x}", (unsigned)cp)
			    : buf_append(out, s + i, n);
		} else {
			n = 1;
			rc = escape_byte(out, s[i]);
		}
		i += n;
	}
	return rc;
}

/* A line longer than this is cut for display (the wire keeps it whole);
 * inside a literal it goes on in another line, so what a literal shows
 * is exactly its first bytes. */
#define DISPLAY_LINE_MAX 65536

/* One call of display_wire_lines(). */
struct wire_display {
	const char *text;
	size_t len;
	const struct display_literals *lit;
	void (*line)(void *ctx, const char *escaped, size_t escaped_len);
	void *ctx;
	struct buf esc;
	/* The bytes before this are a literal's: no header starts there. */
	size_t header_from;
};

/* Whether the bytes are all printable ASCII, which display_escape()
 * would copy as they are. */
static bool
is_plain(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		if (word_has_unprintable(word_load(s + i)))
			return false;
	for (; i < len; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			return false;
	return true;
}

static void
show_escaped(struct wire_display *w, size_t from, size_t to)
{
	/* Most lines need no escape: shown from the text, not copied. */
	if (is_plain((const unsigned char *)w->text + from, to - from)) {
		w->line(w->ctx, w->text + from, to - from);
		return;
	}
	buf_reset(&w->esc);
	if (display_escape(&w->esc, w->text + from, to - from) == 0)
		w->line(w->ctx, w->esc.data != NULL ? w->esc.data : "",
		    w->esc.len);
}

/* One line of imapwb's own about a literal (its format takes sizes as
 * unsigned long long). */
static void __attribute__((format(printf, 2, 3)))
show_note(struct wire_display *w, const char *fmt, ...)
{
	char note[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	w->line(w->ctx, note, strlen(note));
}

/* A literal header "{123}" or "{123+}" that ends just before the CRLF at
 * line_end and starts at or after w->header_from. */
static bool
literal_before(const struct wire_display *w, size_t line_end,
    uint64_t *size_r)
{
	const char *text = w->text;
	size_t i = line_end;
	uint64_t n = 0, scale = 1;

	if (i < 3 || text[i - 1] != '}')
		return false;
	i--;
	if (text[i - 1] == '+')
		i--;
	if (i == 0 || text[i - 1] < '0' || text[i - 1] > '9')
		return false;
	while (i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9') {
		if (scale > UINT64_MAX / 10 ||
		    (uint64_t)(text[i - 1] - '0') > (UINT64_MAX - n) / scale)
			return false;
		n += (uint64_t)(text[i - 1] - '0') * scale;
		scale *= 10;
		i--;
	}
	if (i == 0 || text[i - 1] != '{' || i - 1 < w->header_from)
		return false;
	*size_r = n;
	return true;
}

/* Where a literal's display line that starts at p ends: after its LF
 * before `limit`, else at `limit`, but at most DISPLAY_LINE_MAX bytes on
 * (and then not inside a UTF-8 sequence, which would show as escapes). */
static size_t
literal_line_end(const struct wire_display *w, size_t p, size_t limit)
{
	const char *nl = memchr(w->text + p, '\n', limit - p);
	size_t q = nl != NULL ? (size_t)(nl - w->text) + 1 : limit, back;

	if (q - p <= DISPLAY_LINE_MAX)
		return q;
	q = p + DISPLAY_LINE_MAX;
	/* back to the lead byte of a sequence the cut would split (at most
	 * three continuation bytes follow one) */
	for (back = 0; back < 4 &&
	    ((unsigned char)w->text[q - back] & 0xc0) == 0x80; back++)
		;
	return back < 4 ? q - back : q;
}

/* One display line of a literal's bytes [p, q): a CRLF at its end is the
 * line end; a bare LF is data and shows as "\n". */
static void
show_literal_line(struct wire_display *w, size_t p, size_t q)
{
	if (q - p >= 2 && w->text[q - 2] == '\r' && w->text[q - 1] == '\n')
		q -= 2;
	show_escaped(w, p, q);
}

/* Show the literal of `size` bytes announced before `pos`. Returns where
 * the display goes on: after its bytes, or at the start of its last line
 * when that line goes on after it (and is shown with what follows). */
static size_t
show_literal(struct wire_display *w, size_t pos, uint64_t size)
{
	const struct display_literals *lit = w->lit;
	/* a command's chunk may end at a literal's header: the bytes
	 * follow in the next chunk */
	size_t have = size < w->len - pos ? (size_t)size : w->len - pos;
	size_t head = have < lit->show_bytes ? have : (size_t)lit->show_bytes;
	size_t p = pos, q, lines = 0;

	w->header_from = pos + have;
	if (size == 0)
		return pos;
	if (lit->show_bytes == 0) {
		show_note(w, "[literal of %llu bytes, not shown]",
		    (unsigned long long)size);
		return pos + have;
	}
	while (p < pos + head &&
	    (lit->show_lines == 0 || lines < lit->show_lines)) {
		q = literal_line_end(w, p, pos + head);
		if (q == pos + head && w->text[q - 1] != '\n' &&
		    head == size && q - p < DISPLAY_LINE_MAX)
			return p;
		show_literal_line(w, p, q);
		lines++;
		p = q;
	}
	if (p < pos + have)
		show_note(w, "[\xe2\x80\xa6 %llu more bytes of a literal of %llu "
		    "bytes]", (unsigned long long)(size - (p - pos)),
		    (unsigned long long)size);
	return pos + have;
}

/* The line at pos, and the literal it announces; returns where the next
 * line starts. */
static size_t
show_wire_line(struct wire_display *w, size_t pos)
{
	const char *nl = memchr(w->text + pos, '\n', w->len - pos);
	size_t end = nl != NULL ? (size_t)(nl - w->text) : w->len;
	size_t next = nl != NULL ? end + 1 : w->len;
	uint64_t size;

	if (end > pos && w->text[end - 1] == '\r')
		end--;
	/* A long line is cut for display: the wire keeps it whole. */
	show_escaped(w, pos, end - pos > DISPLAY_LINE_MAX ?
	    pos + DISPLAY_LINE_MAX : end);
	if (nl == NULL || !literal_before(w, end, &size))
		return next;
	if (size > w->lit->streamed_above) {
		show_note(w, "[literal of %llu bytes, streamed, not shown]",
		    (unsigned long long)size);
		w->header_from = next;
		return next;
	}
	return show_literal(w, next, size);
}

void
display_wire_lines(const char *text, size_t len,
    const struct display_literals *lit,
    void (*line)(void *ctx, const char *escaped, size_t escaped_len),
    void *ctx)
{
	struct wire_display w = { .text = text, .len = len, .lit = lit,
		.line = line, .ctx = ctx };
	size_t pos = 0;

	buf_init(&w.esc, 1 << 20);
	while (pos < len)
		pos = show_wire_line(&w, pos);
	buf_free(&w.esc);
}

void
display_error_line(FILE *f, const char *text)
{
	const char *nl;
	struct buf esc;
	size_t len;

	buf_init(&esc, 1 << 16);
	do {
		nl = strchr(text, '\n');
		len = nl != NULL ? (size_t)(nl - text) : strlen(text);
		buf_reset(&esc);
		if (display_escape(&esc, text, len) != 0) {
			buf_reset(&esc);
			buf_append_str(&esc, "(a message too long to show)");
		}
		fprintf(f, "imapwb: %s\n", buf_str(&esc));
		text = nl + 1;
	} while (nl != NULL);
	buf_free(&esc);
}

void
display_log_sink(void *ctx, enum log_level level, const char *text)
{
	struct buf line;

	(void)ctx;
	buf_init(&line, 1 << 16);
	if (buf_printf(&line, "%s: %s", log_level_name(level), text) == 0)
		display_error_line(stderr, buf_str(&line));
	buf_free(&line);
}
