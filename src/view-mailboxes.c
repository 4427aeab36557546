/* view-mailboxes: the mailbox tree from LIST, with decoded names,
 * special-use, subscription and STATUS counts, the hierarchy delimiter
 * and every LIST attribute (dimmed; the cursor's explained at the
 * bottom); Enter selects, Alt-e
 * examines, Alt-s asks STATUS, Alt-c, Alt-r and Del create, rename and
 * delete, Alt-u (un)subscribes; u Enter undoes a rename or a
 * (un)subscribe.
 *
 * The counts come with the TUI's first LIST where the server offers
 * LIST-STATUS (RFC 5819); otherwise, once that LIST has ended, the view
 * asks STATUS of each mailbox (a bounded sweep, a few at a time), and
 * the selected mailbox's counts follow its own responses (model.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model.h"
#include "teach-knowledge.h"
#include "text-mutf7.h"
#include "tui.h"
#include "tui-link.h"
#include "tui-draw.h"
#include "tui-list.h"
#include "util-buf.h"
#include "util-mem.h"

/* The STATUS sweep: at most this many mailboxes, this many at a time. */
#define SWEEP_MAX 200
#define SWEEP_PIPELINE 3

struct view_mailboxes {
	struct tui *tui;
	struct tui_list list;
	char *pending_name; /* the raw name a dialog is about */

	/* the STATUS sweep: names still to ask, and the STATUS in flight */
	bool swept;
	char **sweep;
	size_t sweep_count, sweep_next;
	const struct imap_session_command *sweeping[SWEEP_PIPELINE];
	/* u Enter: RENAME undo_to back to undo_name, or (UN)SUBSCRIBE
	 * undo_name again */
	char *undo_name, *undo_to;
	bool undo_subscribed; /* what to go back to */
};

enum mailboxes_action {
	ACT_SELECT,
	ACT_EXAMINE,
	ACT_STATUS,
	ACT_CREATE,
	ACT_RENAME,
	ACT_DELETE,
	ACT_SUBSCRIBE,
};

/* Letters are typing (tui-keys.h): the actions are on Enter, Alt and
 * Del. */
static const struct tui_key mailboxes_keys[] = {
	TUI_LIST_MOVE_KEYS(0),
	TUI_LIST_SEARCH_KEYS(0),
	{ .keys = { '\r' }, .action = ACT_SELECT, .flags = TUI_KEY_SELECT,
	    .help = "SELECT the mailbox and show its messages" },
	{ .keys = { TUI_ALT('e') }, .action = ACT_EXAMINE,
	    .flags = TUI_KEY_SELECT, .help = "EXAMINE it (read-only)" },
	{ .keys = { TUI_ALT('s') }, .action = ACT_STATUS,
	    .help = "STATUS: its counts" },
	{ .keys = { TUI_ALT('c') }, .action = ACT_CREATE,
	    .flags = TUI_KEY_ASKS, .help = "CREATE a mailbox (asks the name)" },
	{ .keys = { TUI_ALT('r') }, .action = ACT_RENAME,
	    .flags = TUI_KEY_ASKS,
	    .help = "RENAME it (asks the name; u Enter undoes)" },
	{ .keys = { TUI_KEY(KEY_DC) }, .action = ACT_DELETE,
	    .flags = TUI_KEY_ASKS, .help = "DELETE it (asks; no undo)" },
	{ .keys = { TUI_ALT('u') }, .action = ACT_SUBSCRIBE,
	    .flags = TUI_KEY_ASKS,
	    .help = "SUBSCRIBE or UNSUBSCRIBE (asks; u Enter undoes)" },
};
static const struct tui_keymap mailboxes_keymap =
    TUI_KEYMAP("Mailboxes", mailboxes_keys);

static struct model_mailboxes *
boxes(struct view_mailboxes *v)
{
	return model_mailboxes(tui_model(v->tui));
}

static void *
mailboxes_create(struct tui *tui)
{
	struct view_mailboxes *v = xcalloc(1, sizeof(*v));

	v->tui = tui;
	return v;
}

static void
sweep_forget(struct view_mailboxes *v)
{
	size_t i;

	for (i = 0; i < v->sweep_count; i++)
		free(v->sweep[i]);
	free(v->sweep);
	v->sweep = NULL;
	v->sweep_count = v->sweep_next = 0;
	memset(v->sweeping, 0, sizeof(v->sweeping));
}

static void
mailboxes_destroy(void *view)
{
	struct view_mailboxes *v = view;

	sweep_forget(v);
	tui_list_free(&v->list);
	free(v->pending_name);
	free(v->undo_name);
	free(v->undo_to);
	free(v);
}

/* The delimiter as LIST sends it: "/" or NIL (a flat name). */
static void
format_delimiter(const struct model_mailbox *mb, char out[8])
{
	if (mb->delimiter == '\0')
		snprintf(out, 8, "NIL");
	else if (mb->delimiter == '"' || mb->delimiter == '\\')
		snprintf(out, 8, "\"\\%c\"", mb->delimiter);
	else
		snprintf(out, 8, "\"%c\"", mb->delimiter);
}

static void
draw_row(WINDOW *w, int y, int cols, const struct model_mailbox *mb,
    bool cursor, bool selected)
{
	char counts[64] = "", flags[64], delim[8];
	int x = 0, right = 0, end;
	size_t i;

	if (cursor)
		wattrset(w, tui_attr(TUI_COLOR_SELECTED));
	mvwhline(w, y, 0, ' ', cols);
	if (mb->status_present & (1u << STATUS_MESSAGES)) {
		char size[16] = "";

		if (mb->status_present & (1u << STATUS_SIZE))
			tui_format_size(mb->status[STATUS_SIZE], size,
			    sizeof(size));
		snprintf(counts, sizeof(counts), "%llu/%llu %s",
		    (unsigned long long)mb->status[STATUS_UNSEEN],
		    (unsigned long long)mb->status[STATUS_MESSAGES], size);
		right = tui_text_width(counts, strlen(counts)) + 1;
	}
	/* S: subscribed, >: the selected mailbox */
	snprintf(flags, sizeof(flags), "%c%c ", selected ? '>' : ' ',
	    mb->subscribed ? 'S' : ' ');
	x += tui_draw_str(w, y, x, flags, cols);
	if ((int)mb->depth * 2 < cols - x)
		x += (int)mb->depth * 2;
	if (!mb->listed || (mb->attrs & LIST_ATTR_NOSELECT))
		wattron(w, A_DIM);
	x += tui_draw_str(w, y, x, mb->leaf, cols - x);
	wattroff(w, A_DIM);
	if (mb->name_invalid && x + 10 < cols)
		x += tui_draw_str(w, y, x, " (invalid)", cols - x);
	/* the delimiter and every attribute, dimmed: what LIST said, the
	 * bottom lines explain them */
	end = cols - right; /* the counts keep their column */
	wattron(w, A_DIM);
	if (mb->listed && x + 4 < end) {
		format_delimiter(mb, delim);
		x += tui_draw_str(w, y, x, " ", end - x);
		x += tui_draw_str(w, y, x, delim, end - x);
	}
	for (i = 0; i < mb->attribute_count && x + 2 < end; i++) {
		x += tui_draw_str(w, y, x, " ", end - x);
		x += tui_draw_str(w, y, x, mb->attributes[i], end - x);
	}
	wattroff(w, A_DIM);
	if (right > 0 && x + right <= cols)
		tui_draw_right(w, y, x, counts, cols - x);
	wattrset(w, A_NORMAL);
}

/* The cursor mailbox's delimiter and attributes, each explained from
 * the knowledge table (RFC 9051 7.3.1, RFC 6154 2). */
static void
draw_detail(WINDOW *w, int y, int rows, int cols,
    const struct model_mailbox *mb)
{
	const struct knowledge_row *r;
	char cite[KNOWLEDGE_CITE_MAX], delim[8];
	struct buf text;
	size_t i;

	buf_init(&text, 16 * 1024);
	format_delimiter(mb, delim);
	if (mb->delimiter == '\0')
		buf_printf(&text, "%s: delimiter NIL: a flat name, no "
		    "hierarchy.", mb->display);
	else
		buf_printf(&text, "%s: levels are split by %s (the "
		    "hierarchy delimiter).", mb->display, delim);
	if (!mb->listed)
		buf_printf(&text, " Not listed itself: only implied by the "
		    "names below it.");
	for (i = 0; i < mb->attribute_count; i++) {
		r = knowledge_find(KNOW_ATTRIBUTE, mb->attributes[i]);
		if (r != NULL)
			buf_printf(&text, " %s: %s (%s).", mb->attributes[i],
			    r->meaning, knowledge_cite(r, cite,
			    sizeof(cite)));
		else
			buf_printf(&text, " %s: not in imapwb's table.",
			    mb->attributes[i]);
	}
	wattron(w, A_DIM);
	mvwhline(w, y, 0, ACS_HLINE, cols);
	wattroff(w, A_DIM);
	tui_draw_wrapped(w, y + 1, 0, cols, 0, rows - y - 1, buf_str(&text),
	    text.len);
	buf_free(&text);
}

static const struct model_mailbox *
current(struct view_mailboxes *v)
{
	return model_mailboxes_row(boxes(v), v->list.cursor);
}

static void
mailboxes_draw(void *view, WINDOW *w, int rows, int cols)
{
	struct view_mailboxes *v = view;
	struct model_mailboxes *m = boxes(v);
	const struct model_selected *sel = model_selected(tui_model(v->tui));
	size_t count = model_mailboxes_count(m), i;
	int y, list_rows, detail;

	wattrset(w, tui_attr(TUI_COLOR_HEADER));
	tui_draw_str(w, 0, 0, "Mailboxes (unseen/messages size)", cols);
	wattrset(w, A_NORMAL);
	if (count == 0) {
		tui_draw_str(w, 2, 1, "no mailboxes listed yet", cols - 1);
		return;
	}
	/* the bottom lines explain the cursor's row, where there is room */
	detail = rows >= 12 ? (rows >= 20 ? 5 : 3) : 0;
	list_rows = rows - detail;
	tui_list_clamp(&v->list, count, list_rows - 1);
	v->list.y = 1;
	tui_set_cursor_mailbox(v->tui, current(v)->raw);
	if (detail > 0)
		draw_detail(w, list_rows, rows, cols, current(v));
	for (y = 1, i = v->list.top; i < count && y < list_rows; i++, y++) {
		const struct model_mailbox *mb = model_mailboxes_row(m, i);

		draw_row(w, y, cols, mb, i == v->list.cursor,
		    sel->mailbox != NULL && strcmp(sel->mailbox, mb->raw) == 0);
	}
}

static void
remember(struct view_mailboxes *v, const char *raw)
{
	free(v->pending_name);
	v->pending_name = xstrdup(raw);
}

/* A name typed in UTF-8, as the server wants it (modified UTF-7). */
static char *
encode_name(struct view_mailboxes *v, const char *utf8)
{
	const char *error;
	char *name = text_mutf7_wire(utf8, &error);

	if (name == NULL)
		tui_message(v->tui, "bad name: %s", error);
	return name;
}

static void
create_entered(void *ctx, const char *text)
{
	struct view_mailboxes *v = ctx;
	char *name;

	if (text == NULL || text[0] == '\0' ||
	    (name = encode_name(v, text)) == NULL)
		return;
	if (tui_command(v->tui, "CREATE %s", name) != NULL)
		tui_command(v->tui, "LIST \"\" %s", name);
	free(name);
}

static void
undo_remember(struct view_mailboxes *v, const char *name, const char *to,
    bool subscribed)
{
	free(v->undo_name);
	free(v->undo_to);
	v->undo_name = xstrdup(name);
	v->undo_to = to != NULL ? xstrdup(to) : NULL;
	v->undo_subscribed = subscribed;
}

/* u Enter after a rename or a (un)subscribe. */
static void
undo_run(void *ctx)
{
	struct view_mailboxes *v = ctx;

	if (v->undo_name == NULL)
		return;
	if (v->undo_to != NULL) {
		if (tui_command(v->tui, "RENAME %s %s", v->undo_to,
			v->undo_name) != NULL)
			tui_command(v->tui, "LIST \"\" \"*\"");
	} else
		tui_command(v->tui, v->undo_subscribed ? "SUBSCRIBE %s"
						       : "UNSUBSCRIBE %s",
		    v->undo_name);
	free(v->undo_name);
	free(v->undo_to);
	v->undo_name = v->undo_to = NULL;
}

static void
rename_entered(void *ctx, const char *text)
{
	struct view_mailboxes *v = ctx;
	char *name, *what;

	if (text == NULL || text[0] == '\0' || v->pending_name == NULL ||
	    (name = encode_name(v, text)) == NULL)
		return;
	if (tui_command(v->tui, "RENAME %s %s", v->pending_name,
		name) != NULL) {
		tui_command(v->tui, "LIST \"\" \"*\"");
		undo_remember(v, v->pending_name, name, false);
		what = xasprintf("RENAME %s %s", name, v->pending_name);
		tui_set_undo(v->tui, what, undo_run, v);
		tui_message(v->tui, "renamed (u undoes)");
		free(what);
	}
	free(name);
}

static void
delete_confirmed(void *ctx, bool yes)
{
	struct view_mailboxes *v = ctx;

	if (yes && v->pending_name != NULL)
		tui_command(v->tui, "DELETE %s", v->pending_name);
}

static void
subscribe_confirmed(void *ctx, bool yes)
{
	struct view_mailboxes *v = ctx;
	const struct model_mailbox *mb;

	bool was;
	char *what;

	if (!yes || v->pending_name == NULL)
		return;
	mb = model_mailboxes_find(boxes(v), v->pending_name);
	was = mb != NULL && mb->subscribed;
	if (tui_command(v->tui, was ? "UNSUBSCRIBE %s" : "SUBSCRIBE %s",
		v->pending_name) == NULL)
		return;
	undo_remember(v, v->pending_name, NULL, was);
	what = xasprintf("%s %s", was ? "SUBSCRIBE" : "UNSUBSCRIBE",
	    v->pending_name);
	tui_set_undo(v->tui, what, undo_run, v);
	tui_message(v->tui, "%s (u undoes)",
	    was ? "unsubscribed" : "subscribed");
	free(what);
}

/* The counts of the mailbox under the cursor. */
static void
ask_status(struct view_mailboxes *v, const char *raw)
{
	struct imap_session *s = tui_session(v->tui);

	if (imap_session_has_capability(s, "STATUS=SIZE"))
		tui_command(v->tui, "STATUS %s (MESSAGES UNSEEN SIZE)", raw);
	else
		tui_command(v->tui, "STATUS %s (MESSAGES UNSEEN)", raw);
}

static bool
row_matches(void *ctx, size_t row, const char *text)
{
	struct view_mailboxes *v = ctx;
	const struct model_mailbox *mb = model_mailboxes_row(boxes(v), row);

	return mb != NULL && strcasestr(mb->display, text) != NULL;
}

static void
mailboxes_key(void *view, int action, int key)
{
	struct view_mailboxes *v = view;
	size_t count = model_mailboxes_count(boxes(v));
	const struct model_mailbox *mb;
	char question[512];

	(void)key;
	if (tui_list_act(&v->list, v->tui, action, count, row_matches, v))
		return;
	if (action == ACT_CREATE) {
		tui_prompt(v->tui, "Create mailbox (full name):", NULL,
		    create_entered, v);
		return;
	}
	mb = current(v);
	if (mb == NULL)
		return;
	switch ((enum mailboxes_action)action) {
	case ACT_SELECT:
	case ACT_EXAMINE:
		if (!mb->listed || (mb->attrs & LIST_ATTR_NOSELECT)) {
			tui_message(v->tui, "that mailbox cannot be selected");
			return;
		}
		if (tui_command(v->tui, action == ACT_EXAMINE ? "EXAMINE %s"
							      : "SELECT %s",
			mb->raw) != NULL)
			tui_show_view(v->tui, "Messages");
		return;
	case ACT_STATUS:
		ask_status(v, mb->raw);
		return;
	case ACT_RENAME:
		remember(v, mb->raw);
		tui_prompt(v->tui, "Rename to:", mb->display, rename_entered, v);
		return;
	case ACT_DELETE:
		remember(v, mb->raw);
		snprintf(question, sizeof(question),
		    "Delete the mailbox and every message in it?\n\n  %s\n\n"
		    "This sends: DELETE %s\nThere is no undo.", mb->display,
		    mb->raw);
		tui_confirm(v->tui, question, delete_confirmed, v);
		return;
	case ACT_SUBSCRIBE:
		remember(v, mb->raw);
		snprintf(question, sizeof(question), "%s %s?",
		    mb->subscribed ? "Unsubscribe from" : "Subscribe to",
		    mb->display);
		tui_confirm(v->tui, question, subscribe_confirmed, v);
		return;
	case ACT_CREATE:
		return;
	}
}

/* --- the STATUS sweep (no LIST-STATUS) ----------------------------------- */

/* Keep SWEEP_PIPELINE STATUS commands in flight while names are left. */
static void
sweep_pump(struct view_mailboxes *v)
{
	size_t i;

	for (i = 0; i < SWEEP_PIPELINE && v->sweep_next < v->sweep_count;
	     i++) {
		if (v->sweeping[i] != NULL)
			continue;
		v->sweeping[i] = tui_command(v->tui,
		    "STATUS %s (MESSAGES UNSEEN)", v->sweep[v->sweep_next++]);
		if (v->sweeping[i] == NULL) {
			v->sweep_next = v->sweep_count; /* disconnected */
			return;
		}
	}
}

/* A listed mailbox that can be selected and has no counts yet, but not
 * the selected one (RFC 9051 6.3.11: STATUS should not ask it). */
static bool
sweep_wants(const struct model_mailbox *mb, const char *selected)
{
	return mb->listed &&
	    (mb->attrs & (LIST_ATTR_NOSELECT | LIST_ATTR_NONEXISTENT)) == 0 &&
	    (mb->status_present & (1u << STATUS_MESSAGES)) == 0 &&
	    (selected == NULL || strcmp(selected, mb->raw) != 0);
}

static void
sweep_start(struct view_mailboxes *v)
{
	struct model_mailboxes *m = boxes(v);
	const struct model_selected *sel = model_selected(tui_model(v->tui));
	const struct model_mailbox *mb;
	size_t i, count = model_mailboxes_count(m);

	v->swept = true;
	v->sweep = xcalloc(SWEEP_MAX, sizeof(*v->sweep));
	for (i = 0; i < count && v->sweep_count < SWEEP_MAX; i++) {
		mb = model_mailboxes_row(m, i);
		if (sweep_wants(mb, sel->mailbox))
			v->sweep[v->sweep_count++] = xstrdup(mb->raw);
	}
	sweep_pump(v);
}

static void
mailboxes_completed(void *view, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged)
{
	struct view_mailboxes *v = view;
	size_t i;

	(void)tagged;
	for (i = 0; i < SWEEP_PIPELINE; i++)
		if (v->sweeping[i] == cmd) {
			v->sweeping[i] = NULL;
			sweep_pump(v);
			return;
		}
	if (!v->swept && result == IMAP_RESULT_OK &&
	    strcmp(imap_session_command_get(cmd)->name, "LIST") == 0 &&
	    !imap_session_has_capability(tui_session(v->tui), "LIST-STATUS"))
		sweep_start(v);
}

static void
mailboxes_on_model_change(void *view, unsigned changed)
{
	struct view_mailboxes *v = view;

	/* a new connection (tui.c): a new sweep after its LIST */
	if (changed == ~0u) {
		sweep_forget(v);
		v->swept = false;
	}
}

/* --- the transcript link -------------------------------------------------- */

static bool
mailboxes_reveal(void *view, const struct tui_link *link)
{
	struct view_mailboxes *v = view;
	size_t row;

	if (link->kind != TUI_LINK_MAILBOX)
		return false;
	row = model_mailboxes_row_of(boxes(v), link->name);
	if (row == (size_t)-1)
		return false;
	v->list.cursor = row;
	tui_dirty(v->tui);
	return true;
}

static bool
mailboxes_cursor_link(void *view, struct tui_link *link_r)
{
	struct view_mailboxes *v = view;
	const struct model_mailbox *mb = model_mailboxes_row(boxes(v),
	    v->list.cursor);

	memset(link_r, 0, sizeof(*link_r));
	return tui_link_named(link_r, TUI_LINK_MAILBOX,
	    mb != NULL ? mb->raw : NULL);
}

const struct tui_view_ops tui_view_mailboxes = {
	.name = "Mailboxes",
	.create = mailboxes_create,
	.destroy = mailboxes_destroy,
	.draw = mailboxes_draw,
	.keymap = &mailboxes_keymap,
	.key = mailboxes_key,
	.on_model_change = mailboxes_on_model_change,
	.completed = mailboxes_completed,
	.reveal = mailboxes_reveal,
	.cursor_link = mailboxes_cursor_link,
};
