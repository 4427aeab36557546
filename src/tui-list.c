/* tui-list: cursor, scrolling and search for list views. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "tui-list.h"
#include "util-mem.h"

/* A click on a visible row puts the cursor there; elsewhere (a title, a
 * header, the detail under the list) it does nothing. */
static void
list_click(struct tui_list *l, int y, size_t count)
{
	size_t row;

	if (y < l->y || y >= l->y + l->rows)
		return;
	row = l->top + (size_t)(y - l->y);
	if (row < count)
		l->cursor = row;
}

/* Move for a movement action; false if it is not one. */
static bool
list_move(struct tui_list *l, struct tui *tui, int action, size_t count)
{
	size_t page = l->rows > 1 ? (size_t)l->rows - 1 : 1;

	switch (action) {
	case TUI_LIST_CLICK:
		list_click(l, tui_clicked_row(tui), count);
		break;
	case TUI_LIST_UP:
		if (l->cursor > 0)
			l->cursor--;
		break;
	case TUI_LIST_DOWN:
		if (l->cursor + 1 < count)
			l->cursor++;
		break;
	case TUI_LIST_PAGE_UP:
		l->cursor = l->cursor > page ? l->cursor - page : 0;
		break;
	case TUI_LIST_PAGE_DOWN:
		l->cursor += page;
		break;
	case TUI_LIST_TOP:
		l->cursor = 0;
		break;
	case TUI_LIST_BOTTOM:
		l->cursor = count > 0 ? count - 1 : 0;
		break;
	default:
		return false;
	}
	tui_list_clamp(l, count, l->rows);
	return true;
}

void
tui_list_clamp(struct tui_list *l, size_t count, int rows)
{
	l->rows = rows;
	if (count == 0) {
		l->cursor = l->top = 0;
		return;
	}
	if (l->cursor >= count)
		l->cursor = count - 1;
	if (rows <= 0)
		return;
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (l->cursor >= l->top + (size_t)rows)
		l->top = l->cursor - (size_t)rows + 1;
	if (l->top + (size_t)rows > count)
		l->top = count > (size_t)rows ? count - (size_t)rows : 0;
}

struct search_ctx {
	struct tui_list *l;
	struct tui *tui;
	size_t count;
	tui_list_match_fn *match;
	void *ctx;
};

/* The first row after the cursor that matches, wrapping around once
 * (the cursor's row last), or count if none: the list's own find, or the
 * match callback row by row. */
static size_t
find_next(const struct tui_list *l, size_t count, tui_list_match_fn *match,
    void *ctx)
{
	size_t i, row;

	if (l->find != NULL)
		return l->find(ctx, l->cursor, count, l->search);
	for (i = 1; i <= count; i++) {
		row = (l->cursor + i) % count;
		if (match(ctx, row, l->search))
			return row;
	}
	return count;
}

/* The next match after the cursor, wrapping around once. */
static void
search_next(struct tui_list *l, struct tui *tui, size_t count,
    tui_list_match_fn *match, void *ctx)
{
	size_t row;

	if (l->search == NULL || count == 0)
		return;
	if ((row = find_next(l, count, match, ctx)) == count) {
		tui_message(tui, "no match");
		return;
	}
	l->cursor = row;
	tui_list_clamp(l, count, l->rows);
	tui_dirty(tui);
}

/* The prompt's answer comes later, through this static context: one
 * prompt is open at a time. */
static struct search_ctx pending;

static void
search_entered(void *ctx, const char *text)
{
	struct search_ctx *s = ctx;

	if (text == NULL || text[0] == '\0')
		return;
	free(s->l->search);
	s->l->search = xstrdup(text);
	search_next(s->l, s->tui, s->count, s->match, s->ctx);
}

bool
tui_list_act(struct tui_list *l, struct tui *tui, int action, size_t count,
    tui_list_match_fn *match, void *ctx)
{
	if (list_move(l, tui, action, count)) {
		tui_dirty(tui);
		return true;
	}
	if (action == TUI_LIST_SEARCH && match != NULL) {
		pending = (struct search_ctx){ l, tui, count, match, ctx };
		tui_prompt(tui, "Search for:", l->search, search_entered,
		    &pending);
		return true;
	}
	if (action == TUI_LIST_NEXT && match != NULL) {
		search_next(l, tui, count, match, ctx);
		return true;
	}
	return false;
}

void
tui_list_free(struct tui_list *l)
{
	free(l->search);
	l->search = NULL;
}

bool
tui_list_scroll(int *top, int action, int page, int lines)
{
	switch (action) {
	case TUI_LIST_UP:
		(*top)--;
		break;
	case TUI_LIST_DOWN:
		(*top)++;
		break;
	case TUI_LIST_PAGE_UP:
		*top -= page;
		break;
	case TUI_LIST_PAGE_DOWN:
		*top += page;
		break;
	case TUI_LIST_TOP:
		*top = 0;
		break;
	case TUI_LIST_BOTTOM:
		*top = lines;
		break;
	default:
		return false;
	}
	if (*top > lines - page)
		*top = lines - page;
	if (*top < 0)
		*top = 0;
	return true;
}
