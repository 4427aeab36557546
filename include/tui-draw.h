/* tui-draw: drawing text that came from a server, safely and by width.
 *
 * Every string is escaped with text-display.h first (no control character,
 * ESC, C1 or bidi override reaches the terminal), then measured with
 * wcwidth, so wide characters (CJK, emoji) take their two columns and a
 * string is never cut inside a character. */
#ifndef IMAPWB_TUI_DRAW_H
#define IMAPWB_TUI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

/* Colour pairs (attributes; A_NORMAL with NO_COLOR or no colours). */
enum tui_color {
	TUI_COLOR_CLIENT = 1,
	TUI_COLOR_SERVER,
	TUI_COLOR_NOTE,
	TUI_COLOR_ERROR,
	TUI_COLOR_BAR,
	TUI_COLOR_SELECTED,
	TUI_COLOR_HEADER,
	TUI_COLOR_COUNT,
};
attr_t tui_attr(enum tui_color color);
/* NO_COLOR is set and not empty: no colours (no-color.org). */
bool tui_no_color(void);

/* Columns the escaped text takes. */
int tui_text_width(const char *text, size_t len);
/* Draw text at (y, x) in at most `width` columns, escaped; returns the
 * columns drawn. A cut string ends in "…" when ellipsis is set. */
int tui_draw_text(WINDOW *win, int y, int x, const char *text, size_t len,
    int width, bool ellipsis);
int tui_draw_str(WINDOW *win, int y, int x, const char *text, int width);
/* Draw text right-aligned in a field of `width` columns ending at x+width. */
void tui_draw_right(WINDOW *win, int y, int x, const char *text, int width);

/* Text wrapped into lines of `width` columns, at spaces where it can:
 * the wrapped lines from `skip` on are drawn from row y, at most
 * max_rows of them (win may be NULL to only count). Returns how many
 * lines the whole text takes (at least 1). */
int tui_draw_wrapped(WINDOW *win, int y, int x, int width, int skip,
    int max_rows, const char *text, size_t len);

/* "165.0M", "4.6K", "512" */
void tui_format_size(uint64_t bytes, char *out, size_t size);
/* A bar of `width` cells filled part/whole. */
void tui_draw_bar(WINDOW *win, int y, int x, int width, uint64_t part,
    uint64_t whole);

/* Byte offset where the escaped text reaches `width` columns (for
 * wrapping): the escaped text is written to *escaped_r (caller frees). */
size_t tui_escape(const char *text, size_t len, char **escaped_r);
size_t tui_fit_bytes(const char *escaped, size_t len, int width,
    int *used_r);

#endif
