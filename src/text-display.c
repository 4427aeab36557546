/* text-display: make server text safe for a terminal, and the wire readable. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "text-display.h"
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

/* A literal header "{123}" or "{123+}" or "~{123}" that ends just before
 * the CRLF at line_end; 0 if there is none. */
static bool
literal_before(const char *text, size_t line_end, uint64_t *size_r)
{
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
	if (i == 0 || text[i - 1] != '{')
		return false;
	*size_r = n;
	return true;
}

void
display_wire_lines(const char *text, size_t len, uint64_t literal_cap,
    uint64_t streamed_above,
    void (*line)(void *ctx, const char *escaped, size_t escaped_len),
    void *ctx)
{
	struct buf esc;
	size_t pos = 0, end, next;
	uint64_t lit;
	char summary[96];

	buf_init(&esc, 1 << 20);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		end = nl != NULL ? (size_t)(nl - text) : len;
		next = nl != NULL ? end + 1 : len;
		if (end > pos && text[end - 1] == '\r')
			end--;
		buf_reset(&esc);
		/* A long line is cut for display: the wire keeps it whole. */
		if (display_escape(&esc, text + pos,
			end - pos > 65536 ? 65536 : end - pos) == 0)
			line(ctx, esc.data, esc.len);
		pos = next;
		if (nl == NULL || !literal_before(text, end, &lit))
			continue;
		if (lit > streamed_above) {
			snprintf(summary, sizeof(summary),
			    "[literal of %llu bytes, streamed, not shown]",
			    (unsigned long long)lit);
			line(ctx, summary, strlen(summary));
		} else if (lit > literal_cap) {
			snprintf(summary, sizeof(summary),
			    "[literal of %llu bytes, not shown]",
			    (unsigned long long)lit);
			line(ctx, summary, strlen(summary));
			pos += lit < len - pos ? (size_t)lit : len - pos;
		}
	}
	buf_free(&esc);
}

void
display_error_line(FILE *f, const char *text)
{
	struct buf esc;

	buf_init(&esc, 1 << 16);
	if (display_escape(&esc, text, strlen(text)) != 0) {
		buf_reset(&esc);
		buf_append_str(&esc, "(a message too long to show)");
	}
	fprintf(f, "imapwb: %s\n", buf_str(&esc));
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
