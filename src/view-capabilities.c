/* view-capabilities: the server's current capabilities, each with what it
 * means and the RFC that defines it (teach-knowledge.h); the cursor's
 * capability is explained in full at the bottom. / searches. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap-session.h"
#include "teach-knowledge.h"
#include "tui.h"
#include "tui-draw.h"
#include "tui-list.h"
#include "util-buf.h"
#include "util-mem.h"

/* Rows kept for the cursor's capability in full. */
#define DETAIL_ROWS 4

struct view_capabilities {
	struct tui *tui;
	struct tui_list list;
};

enum { ACT_REFRESH };

static const struct tui_key caps_keys[] = {
	TUI_LIST_MOVE_KEYS(0),
	TUI_LIST_SEARCH_KEYS(0),
	{ .keys = { 'g' }, .action = ACT_REFRESH, .help = "CAPABILITY again" },
};
static const struct tui_keymap caps_keymap =
    TUI_KEYMAP("Capabilities", caps_keys);

static size_t
cap_count(struct view_capabilities *v)
{
	struct imap_session *s = tui_session(v->tui);

	return imap_session_capabilities_known(s)
	    ? imap_session_capability_count(s) : 0;
}

static const char *
cap_name(struct view_capabilities *v, size_t i)
{
	return imap_session_capability(tui_session(v->tui), i);
}

static void *
caps_create(struct tui *tui)
{
	struct view_capabilities *v = xcalloc(1, sizeof(*v));

	v->tui = tui;
	return v;
}

static void
caps_destroy(void *view)
{
	struct view_capabilities *v = view;

	tui_list_free(&v->list);
	free(v);
}

static void
draw_row(WINDOW *w, int y, int cols, const char *name, bool cursor)
{
	const struct knowledge_row *info = knowledge_find(KNOW_CAPABILITY,
	    name);
	int namew = cols >= 60 ? 24 : cols / 2, x;

	if (cursor)
		wattrset(w, tui_attr(TUI_COLOR_SELECTED));
	mvwhline(w, y, 0, ' ', cols);
	x = 1 + tui_draw_str(w, y, 1, name, namew - 2);
	if (x < namew)
		x = namew;
	if (info == NULL)
		wattron(w, A_DIM);
	tui_draw_str(w, y, x, info != NULL ? info->meaning : "(unknown)",
	    cols - x);
	wattrset(w, A_NORMAL);
}

static void
draw_detail(WINDOW *w, int y, int rows, int cols, const char *name)
{
	const struct knowledge_row *info = knowledge_find(KNOW_CAPABILITY,
	    name);
	char cite[KNOWLEDGE_CITE_MAX];
	struct buf text;

	buf_init(&text, 4096);
	if (info == NULL)
		buf_printf(&text, "%s: not in imapwb's table (a vendor or "
				  "newer extension)", name);
	else
		buf_printf(&text, "%s: %s (%s)%s%s", name, info->meaning,
		    knowledge_cite(info, cite, sizeof(cite)),
		    info->note[0] != '\0' ? ". " : "", info->note);
	tui_draw_wrapped(w, y, 0, cols, 0, rows - y, buf_str(&text),
	    strlen(buf_str(&text)));
	buf_free(&text);
}

static void
caps_draw(void *view, WINDOW *w, int rows, int cols)
{
	struct view_capabilities *v = view;
	size_t count = cap_count(v), i;
	int list_rows, y;
	char title[64];

	wattrset(w, tui_attr(TUI_COLOR_HEADER));
	mvwhline(w, 0, 0, ' ', cols);
	snprintf(title, sizeof(title), "Capabilities (%zu)", count);
	tui_draw_str(w, 0, 0, title, cols);
	wattrset(w, A_NORMAL);
	if (count == 0) {
		tui_draw_str(w, 2, 1, "not known yet (type CAPABILITY)",
		    cols - 1);
		return;
	}
	list_rows = rows - 1 - (rows >= 12 ? DETAIL_ROWS + 1 : 0);
	if (list_rows < 1)
		list_rows = 1;
	tui_list_clamp(&v->list, count, list_rows);
	v->list.y = 1;
	for (y = 1, i = v->list.top; i < count && y <= list_rows; i++, y++)
		draw_row(w, y, cols, cap_name(v, i), i == v->list.cursor);
	if (rows >= 12 && v->list.cursor < count) {
		mvwhline(w, rows - DETAIL_ROWS - 1, 0, ACS_HLINE, cols);
		draw_detail(w, rows - DETAIL_ROWS, rows, cols,
		    cap_name(v, v->list.cursor));
	}
}

static bool
row_matches(void *ctx, size_t row, const char *text)
{
	struct view_capabilities *v = ctx;
	const struct knowledge_row *info;
	char cite[KNOWLEDGE_CITE_MAX];
	const char *name;

	if (row >= cap_count(v))
		return false;
	name = cap_name(v, row);
	info = knowledge_find(KNOW_CAPABILITY, name);
	return strcasestr(name, text) != NULL ||
	    (info != NULL && (strcasestr(info->meaning, text) != NULL ||
				 strcasestr(knowledge_cite(info, cite,
				     sizeof(cite)), text) != NULL));
}

static void
caps_key(void *view, int action, int key)
{
	struct view_capabilities *v = view;
	size_t count = cap_count(v);

	(void)key;
	if (tui_list_act(&v->list, v->tui, action, count, row_matches, v))
		return;
	if (action == ACT_REFRESH)
		tui_command(v->tui, "CAPABILITY");
}

const struct tui_view_ops tui_view_capabilities = {
	.name = "Capabilities",
	.short_name = "Caps",
	.create = caps_create,
	.destroy = caps_destroy,
	.draw = caps_draw,
	.keymap = &caps_keymap,
	.key = caps_key,
};
