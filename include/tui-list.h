/* tui-list: the cursor and scroll position every list view shares, its
 * movement keys (arrows, j/k, PgUp/PgDn, Home/End) and search (/ and n),
 * as rows a view puts in its key table (tui-keys.h). Only the visible
 * rows are ever drawn, so a list of 100k rows costs what a screenful
 * costs. */
#ifndef IMAPWB_TUI_LIST_H
#define IMAPWB_TUI_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "tui-keys.h"

struct tui;

struct tui_list {
	size_t cursor; /* the selected row */
	size_t top;    /* the first visible row */
	int rows;      /* visible rows at the last draw */
	int y;         /* the pane row the first visible row is drawn on */
	char *search;  /* the last search text, for n */
	/* Optional: the first row after `after` (wrapping, `after` last)
	 * that matches text, or count if none; for a list that can search
	 * faster than row by row. Used instead of the match callback. */
	size_t (*find)(void *ctx, size_t after, size_t count,
	    const char *text);
};

/* The list's actions: negative, so a view's own start at 0. */
enum tui_list_action {
	TUI_LIST_UP = -1,
	TUI_LIST_DOWN = -2,
	TUI_LIST_PAGE_UP = -3,
	TUI_LIST_PAGE_DOWN = -4,
	TUI_LIST_TOP = -5,
	TUI_LIST_BOTTOM = -6,
	TUI_LIST_SEARCH = -7,
	TUI_LIST_NEXT = -8,
	TUI_LIST_CLICK = -9, /* the mouse: the row at tui_clicked_row() */
};

/* The rows for a view's key table, in the view's modes m (0: all). */
#define TUI_LIST_MOVE_KEYS(m)                                              \
	{ .keys = { TUI_KEY(KEY_UP), 'k' }, .modes = (m),                  \
		.action = TUI_LIST_UP, .help = "move up" },                \
	{ .keys = { TUI_KEY(KEY_DOWN), 'j' }, .modes = (m),                \
		.action = TUI_LIST_DOWN, .help = "move down" },            \
	{ .keys = { TUI_KEY(KEY_PPAGE) }, .modes = (m),                    \
		.action = TUI_LIST_PAGE_UP, .help = "a page up" },         \
	{ .keys = { TUI_KEY(KEY_NPAGE) }, .modes = (m),                    \
		.action = TUI_LIST_PAGE_DOWN, .help = "a page down" },     \
	{ .keys = { TUI_KEY(KEY_HOME) }, .modes = (m),                     \
		.action = TUI_LIST_TOP, .help = "the first row" },         \
	{ .keys = { TUI_KEY(KEY_END) }, .modes = (m),                      \
		.action = TUI_LIST_BOTTOM, .help = "the last row" }
/* The same actions for a view that scrolls a document (no cursor). */
#define TUI_LIST_SCROLL_KEYS(m)                                            \
	{ .keys = { TUI_KEY(KEY_UP), 'k' }, .modes = (m),                  \
		.action = TUI_LIST_UP, .help = "scroll up" },              \
	{ .keys = { TUI_KEY(KEY_DOWN), 'j' }, .modes = (m),                \
		.action = TUI_LIST_DOWN, .help = "scroll down" },          \
	{ .keys = { TUI_KEY(KEY_PPAGE) }, .modes = (m),                    \
		.action = TUI_LIST_PAGE_UP, .help = "a page up" },         \
	{ .keys = { TUI_KEY(KEY_NPAGE) }, .modes = (m),                    \
		.action = TUI_LIST_PAGE_DOWN, .help = "a page down" },     \
	{ .keys = { TUI_KEY(KEY_HOME) }, .modes = (m),                     \
		.action = TUI_LIST_TOP, .help = "the top" },               \
	{ .keys = { TUI_KEY(KEY_END) }, .modes = (m),                      \
		.action = TUI_LIST_BOTTOM, .help = "the end" }
#define TUI_LIST_SEARCH_KEYS(m)                                            \
	{ .keys = { '/' }, .modes = (m), .action = TUI_LIST_SEARCH,        \
		.help = "search the list (asks for text)" },               \
	{ .keys = { 'n' }, .modes = (m), .action = TUI_LIST_NEXT,          \
		.help = "the next match" }

/* Does row i match text? (for / and n) */
typedef bool tui_list_match_fn(void *ctx, size_t row, const char *text);

/* Scroll a document of `lines` lines shown `page` at a time, from *top,
 * for one of the move actions; false for another action. */
bool tui_list_scroll(int *top, int action, int page, int lines);

/* Do a list action over count rows; false if action is not the list's.
 * match may be NULL for a list without the search keys. */
bool tui_list_act(struct tui_list *l, struct tui *tui, int action,
    size_t count, tui_list_match_fn *match, void *ctx);
/* Keep the cursor inside count and visible in `rows` rows. */
void tui_list_clamp(struct tui_list *l, size_t count, int rows);
void tui_list_free(struct tui_list *l);

#endif
