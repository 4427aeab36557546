/* tui-draw: escaped, width-measured text for the TUI. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text-display.h"
#include "tui-draw.h"
#include "util-buf.h"

#define DRAW_MAX (1024u * 1024)

/* no-color.org: "when present and not an empty string"; an empty NO_COLOR
 * (a shell's `NO_COLOR= cmd`) keeps colours. */
bool
tui_no_color(void)
{
	const char *v = getenv("NO_COLOR");

	return v != NULL && v[0] != '\0';
}

attr_t
tui_attr(enum tui_color color)
{
	static const attr_t mono[TUI_COLOR_COUNT] = {
		[TUI_COLOR_CLIENT] = A_BOLD,
		[TUI_COLOR_SERVER] = A_NORMAL,
		[TUI_COLOR_NOTE] = A_DIM,
		[TUI_COLOR_ERROR] = A_BOLD,
		[TUI_COLOR_BAR] = A_REVERSE,
		[TUI_COLOR_SELECTED] = A_REVERSE,
		[TUI_COLOR_HEADER] = A_BOLD | A_UNDERLINE,
	};

	if (!has_colors() || tui_no_color() ||
	    color == TUI_COLOR_SELECTED || color == TUI_COLOR_HEADER)
		return mono[color];
	return COLOR_PAIR(color) |
	    (color == TUI_COLOR_CLIENT || color == TUI_COLOR_BAR ? A_BOLD : 0);
}

size_t
tui_escape(const char *text, size_t len, char **escaped_r)
{
	struct buf out;

	buf_init(&out, DRAW_MAX);
	/* a string beyond DRAW_MAX is cut: no screen shows that much */
	(void)display_escape(&out, text, len);
	if (out.data == NULL)
		buf_append(&out, "", 0);
	*escaped_r = buf_steal(&out);
	return strlen(*escaped_r);
}

size_t
tui_fit_bytes(const char *escaped, size_t len, int width, int *used_r)
{
	mbstate_t st;
	size_t pos = 0;
	int used = 0;

	memset(&st, 0, sizeof(st));
	while (pos < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, escaped + pos, len - pos, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			/* cannot happen after display_escape; stop safely */
			break;
		}
		w = wcwidth(wc);
		if (w < 0)
			w = 1;
		if (used + w > width)
			break;
		used += w;
		pos += n;
	}
	if (used_r != NULL)
		*used_r = used;
	return pos;
}

int
tui_text_width(const char *text, size_t len)
{
	char *escaped;
	size_t elen = tui_escape(text, len, &escaped);
	int used;

	(void)tui_fit_bytes(escaped, elen, 1 << 30, &used);
	free(escaped);
	return used;
}

int
tui_draw_text(WINDOW *win, int y, int x, const char *text, size_t len,
    int width, bool ellipsis)
{
	char *escaped;
	size_t elen, fit;
	int used;

	if (width <= 0)
		return 0;
	elen = tui_escape(text, len, &escaped);
	fit = tui_fit_bytes(escaped, elen, width, &used);
	if (fit < elen && ellipsis && width >= 2) {
		fit = tui_fit_bytes(escaped, elen, width - 1, &used);
		mvwaddnstr(win, y, x, escaped, (int)fit);
		waddstr(win, "\xe2\x80\xa6");
		used++;
	} else
		mvwaddnstr(win, y, x, escaped, (int)fit);
	free(escaped);
	return used;
}

int
tui_draw_str(WINDOW *win, int y, int x, const char *text, int width)
{
	return tui_draw_text(win, y, x, text, strlen(text), width, true);
}

int
tui_draw_wrapped(WINDOW *win, int y, int x, int width, int skip,
    int max_rows, const char *text, size_t len)
{
	char *escaped;
	size_t elen = tui_escape(text, len, &escaped), pos = 0, fit, cut;
	int lines = 0;

	if (width < 1)
		width = 1;
	do {
		fit = tui_fit_bytes(escaped + pos, elen - pos, width, NULL);
		if (fit == 0 && pos < elen) {
			/* a character wider than the line: it goes alone */
			int n = mblen(escaped + pos, elen - pos);

			fit = n > 0 ? (size_t)n : 1;
		}
		cut = fit;
		/* break after the last space, if the line has one */
		if (pos + fit < elen && escaped[pos + fit] != ' ') {
			while (cut > 0 && escaped[pos + cut - 1] != ' ')
				cut--;
			if (cut == 0)
				cut = fit;
		}
		if (win != NULL && lines >= skip && lines - skip < max_rows)
			mvwaddnstr(win, y + lines - skip, x, escaped + pos,
			    (int)cut);
		lines++;
		pos += cut;
		while (pos < elen && escaped[pos] == ' ')
			pos++;
	} while (pos < elen);
	free(escaped);
	return lines;
}

void
tui_draw_right(WINDOW *win, int y, int x, const char *text, int width)
{
	int w = tui_text_width(text, strlen(text));

	if (w > width)
		w = width;
	tui_draw_text(win, y, x + width - w, text, strlen(text), w, false);
}

void
tui_format_size(uint64_t bytes, char *out, size_t size)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(out, size, "%u", (unsigned)bytes);
		return;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(out, size, "%.1f%c", v, units[u]);
}

void
tui_draw_bar(WINDOW *win, int y, int x, int width, uint64_t part,
    uint64_t whole)
{
	int filled, i;

	if (width <= 0)
		return;
	if (whole == 0)
		filled = 0;
	else if (part >= whole)
		filled = width;
	else
		filled = (int)((long double)part * width / whole);
	wmove(win, y, x);
	for (i = 0; i < width; i++)
		waddstr(win, i < filled ? "\xe2\x96\x88" : "\xc2\xb7");
}
