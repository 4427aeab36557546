/* tui-list: the cursor and scroll position every list view shares, and
 * its movement keys (arrows, j/k, PgUp/PgDn, Home/End) and search (/ and
 * n). Only the visible rows are ever drawn, so a list of 100k rows costs
 * what a screenful costs. */
#ifndef IMAPWB_TUI_LIST_H
#define IMAPWB_TUI_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct tui;

struct tui_list {
	size_t cursor; /* the selected row */
	size_t top;    /* the first visible row */
	int rows;      /* visible rows at the last draw */
	char *search;  /* the last search text, for n */
};

/* Does row i match text? (for / and n) */
typedef bool tui_list_match_fn(void *ctx, size_t row, const char *text);

/* Move for a key; false if the key is not a movement key. */
bool tui_list_key(struct tui_list *l, int key, size_t count);
/* Keep the cursor inside count and visible in `rows` rows. */
void tui_list_clamp(struct tui_list *l, size_t count, int rows);
/* '/' asks for text, 'n' repeats: the cursor goes to the next match
 * after it (wrapping). Returns false if the key is neither. */
bool tui_list_search_key(struct tui_list *l, struct tui *tui, int key,
    size_t count, tui_list_match_fn *match, void *ctx);
void tui_list_free(struct tui_list *l);

#endif
