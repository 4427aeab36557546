/* view-quota: the quota roots of one mailbox (RFC 9208 GETQUOTAROOT) and
 * every resource of each: usage, limit, percentage and a bar. STORAGE
 * counts KiB (RFC 9208 5.1), so it shows as a size. Alt-m picks the
 * mailbox, g asks again. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model.h"
#include "text-mutf7.h"
#include "tui.h"
#include "tui-draw.h"
#include "tui-link.h"
#include "tui-list.h"
#include "tui-target.h"
#include "util-buf.h"
#include "util-mem.h"

struct view_quota {
	struct tui *tui;
	struct tui_target target; /* the mailbox shown (Alt-m picks one) */
	int top;       /* the first line shown */
	int lines;     /* lines at the last draw */
	int rows;
};

enum quota_action {
	ACT_REFRESH,
	ACT_MAILBOX,
};

static const struct tui_key quota_keys[] = {
	TUI_LIST_SCROLL_KEYS(0),
	{ .keys = { 'g' }, .action = ACT_REFRESH,
	    .help = "GETQUOTAROOT again" },
	{ .keys = { TUI_ALT('m') }, .action = ACT_MAILBOX,
	    .help = "pick the mailbox (asks its name)" },
};
static const struct tui_keymap quota_keymap =
    TUI_KEYMAP("Quota", quota_keys);

static bool
has_quota(struct view_quota *v)
{
	return imap_session_has_capability(tui_session(v->tui), "QUOTA");
}

static void
request(struct view_quota *v)
{
	if (v->target.mailbox != NULL && has_quota(v))
		tui_command(v->tui, "GETQUOTAROOT %s", v->target.mailbox);
}

static void *
quota_create(struct tui *tui)
{
	struct view_quota *v = xcalloc(1, sizeof(*v));

	v->tui = tui;
	v->target.tui = tui;
	return v;
}

static void
quota_destroy(void *view)
{
	struct view_quota *v = view;

	tui_target_free(&v->target);
	free(v);
}

static const struct model_quota_root *
find_root(const struct model_quota *q, const char *name)
{
	size_t i, n = model_quota_root_count(q);

	for (i = 0; i < n; i++) {
		const struct model_quota_root *r = model_quota_root(q, i);

		if (strcmp(r->root, name) == 0)
			return r;
	}
	return NULL;
}

/* A line of the scrolled body: drawn only when it is on screen. */
static bool
visible(struct view_quota *v, int line, int rows, int *y_r)
{
	int y = 1 + line - v->top;

	*y_r = y;
	return line >= v->top && y < rows;
}

/* "12.3M of 1.0G (1%)" for STORAGE, "3 of 50000 (0%)" for the rest. */
static void
format_usage(const struct model_quota_resource *res, char *out,
    size_t size)
{
	char used[32], limit[32], pct[32] = "";
	bool kib = strcasecmp(res->name, "STORAGE") == 0;

	if (kib) {
		tui_format_size(res->usage > UINT64_MAX / 1024
			? UINT64_MAX : res->usage * 1024, used, sizeof(used));
		tui_format_size(res->limit > UINT64_MAX / 1024
			? UINT64_MAX : res->limit * 1024, limit, sizeof(limit));
	} else {
		snprintf(used, sizeof(used), "%" PRIu64, res->usage);
		snprintf(limit, sizeof(limit), "%" PRIu64, res->limit);
	}
	if (res->limit > 0) {
		uint64_t p = res->usage >= res->limit ? 100
		    : res->usage > UINT64_MAX / 100
		    ? res->usage / (res->limit / 100)
		    : res->usage * 100 / res->limit;

		snprintf(pct, sizeof(pct), " (%" PRIu64 "%%)", p);
	}
	snprintf(out, size, "%s of %s%s", used, res->limit > 0 ? limit : "-",
	    pct);
}

static void
draw_resource(struct view_quota *v, WINDOW *w, int *line, int rows, int cols,
    const struct model_quota_resource *res)
{
	char text[128];
	int y, namew = cols > 30 ? 9 : 0;

	format_usage(res, text, sizeof(text));
	if (visible(v, *line, rows, &y)) {
		wattrset(w, A_BOLD);
		tui_draw_str(w, y, 2, res->name,
		    namew > 0 ? namew - 1 : cols - 2);
		wattrset(w, A_NORMAL);
		if (namew > 0)
			tui_draw_str(w, y, 2 + namew, text, cols - 2 - namew);
	}
	(*line)++;
	if (namew == 0) {
		if (visible(v, *line, rows, &y))
			tui_draw_str(w, y, 4, text, cols - 4);
		(*line)++;
	}
	if (visible(v, *line, rows, &y) && cols > 6)
		tui_draw_bar(w, y, 2, cols - 4, res->usage, res->limit);
	(*line)++;
}

static void
quota_draw(void *view, WINDOW *w, int rows, int cols)
{
	struct view_quota *v = view;
	const struct model_quota *q = model_quota(tui_model(v->tui));
	const char *const *roots;
	size_t n, i, j;
	int line = 0, y, x;

	v->rows = rows;
	wattrset(w, tui_attr(TUI_COLOR_HEADER));
	mvwhline(w, 0, 0, ' ', cols);
	x = tui_draw_str(w, 0, 0, "Quota of ", cols);
	tui_draw_str(w, 0, x, tui_target_display(&v->target),
	    cols - x);
	wattrset(w, A_NORMAL);
	if (!tui_connected(v->tui)) {
		tui_draw_str(w, 2, 1, "not connected", cols - 1);
		return;
	}
	if (!has_quota(v)) {
		tui_draw_str(w, 2, 1, "The server does not offer QUOTA",
		    cols - 1);
		tui_draw_str(w, 3, 1, "(RFC 9208).", cols - 1);
		return;
	}
	roots = v->target.mailbox != NULL ? model_quota_roots_of(q, v->target.mailbox, &n)
				   : NULL;
	if (roots == NULL || n == 0) {
		tui_draw_str(w, 2, 1, "no quota root known for it", cols - 1);
		tui_draw_str(w, 3, 1, "(g asks GETQUOTAROOT again)", cols - 1);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct model_quota_root *r = find_root(q, roots[i]);

		if (visible(v, line, rows, &y)) {
			x = tui_draw_str(w, y, 0, "Root ", cols);
			wattrset(w, A_BOLD);
			tui_draw_str(w, y, x,
			    roots[i][0] != '\0' ? roots[i] : "\"\"", cols - x);
			wattrset(w, A_NORMAL);
		}
		line++;
		if (r == NULL || r->count == 0) {
			if (visible(v, line, rows, &y))
				tui_draw_str(w, y, 2, "no resources",
				    cols - 2);
			line++;
		}
		for (j = 0; r != NULL && j < r->count; j++)
			draw_resource(v, w, &line, rows, cols,
			    &r->resources[j]);
	}
	v->lines = line;
}

static void
mailbox_entered(void *ctx, const char *text)
{
	struct view_quota *v = ctx;

	if (!tui_target_pin(&v->target, text))
		return;
	v->top = 0;
	request(v);
}

static void
quota_key(void *view, int action, int key)
{
	struct view_quota *v = view;
	int page = v->rows > 2 ? v->rows - 2 : 1;

	(void)key;
	if (tui_list_scroll(&v->top, action, page, v->lines)) {
		tui_dirty(v->tui);
		return;
	}
	switch ((enum quota_action)action) {
	case ACT_MAILBOX:
		tui_prompt(v->tui, "Mailbox:",
		    v->target.mailbox != NULL ? tui_target_display(&v->target) : NULL,
		    mailbox_entered, v);
		return;
	case ACT_REFRESH:
		request(v);
		return;
	}
}

static void
quota_on_show(void *view)
{
	struct view_quota *v = view;

	if (tui_target_follow(&v->target))
		v->top = 0;
	request(v);
}

/* --- the transcript link -------------------------------------------------- */

/* A QUOTAROOT line: that mailbox's roots; a QUOTA line: the view as it
 * is (a root may belong to any mailbox). */
static bool
quota_reveal(void *view, const struct tui_link *link)
{
	struct view_quota *v = view;

	if (link->kind == TUI_LINK_QUOTA)
		return true;
	if (link->kind != TUI_LINK_QUOTAROOT)
		return false;
	if (tui_target_pin_raw(&v->target, link->name))
		v->top = 0;
	return true;
}

static bool
quota_cursor_link(void *view, struct tui_link *link_r)
{
	struct view_quota *v = view;

	memset(link_r, 0, sizeof(*link_r));
	return tui_link_named(link_r, TUI_LINK_QUOTAROOT, v->target.mailbox);
}

const struct tui_view_ops tui_view_quota = {
	.name = "Quota",
	.create = quota_create,
	.destroy = quota_destroy,
	.draw = quota_draw,
	.keymap = &quota_keymap,
	.key = quota_key,
	.on_show = quota_on_show,
	.reveal = quota_reveal,
	.cursor_link = quota_cursor_link,
};
