/* tui-host: the services views call, the layout, and drawing the
 * tabs, the status bar and the dialogs (tui-host.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "model.h"
#include "text-mutf7.h"
#include "tui.h"
#include "tui-host.h"
#include "tui-console.h"
#include "tui-draw.h"
#include "tui-tour.h"
#include "util-buf.h"
#include "util-mem.h"


const struct tui_view_ops *const view_table[VIEW_COUNT] = {
	&tui_view_mailboxes,
	&tui_view_status,
	&tui_view_messages,
	&tui_view_acl,
	&tui_view_quota,
	&tui_view_capabilities,
	&tui_view_connection,
	&tui_view_large,
};

/* --- services for the views ---------------------------------------------- */

struct model *
tui_model(struct tui *t)
{
	return client_model(t->client);
}

struct imap_session *
tui_session(struct tui *t)
{
	return client_session(t->client);
}

struct client *
tui_client(struct tui *t)
{
	return t->client;
}

bool
tui_connected(struct tui *t)
{
	return client_connected(t->client) &&
	    imap_session_state(client_session(t->client)) != IMAP_STATE_LOGOUT;
}

void
tui_dirty(struct tui *t)
{
	t->dirty = true;
}

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->message, sizeof(t->message), fmt, ap);
	va_end(ap);
	t->dirty = true;
}

struct imap_session_command *
tui_command(struct tui *t, const char *fmt, ...)
{
	struct imap_session_command *cmd;
	struct imap_origin origin = { IMAP_ORIGIN_VIEW, NULL };
	const char *error = NULL;
	va_list ap;
	struct imap_command *built;
	struct imap_literal_caps caps;
	struct imap_session *s = client_session(t->client);

	if (!tui_connected(t)) {
		tui_message(t, "not connected: press r to reconnect");
		return NULL;
	}
	imap_session_literal_caps(s, &caps);
	va_start(ap, fmt);
	built = imap_command_vbuild(imap_session_next_tag(s), &caps, &error,
	    fmt, ap);
	va_end(ap);
	if (built == NULL) {
		tui_message(t, "cannot send: %s", error);
		return NULL;
	}
	origin.name = t->acting;
	if (t->acting == NULL)
		origin.kind = IMAP_ORIGIN_CLIENT;
	cmd = imap_session_submit_from(s, built, 0, NULL, &origin);
	t->dirty = true;
	return cmd;
}

void
tui_confirm(struct tui *t, const char *text, tui_confirm_cb *done, void *ctx)
{
	free(t->dialog_text);
	t->dialog_text = xstrdup(text);
	t->dialog = DIALOG_CONFIRM;
	t->dialog_acting = t->acting;
	t->confirm_done = done;
	t->dialog_ctx = ctx;
	t->dirty = true;
}

void
tui_prompt(struct tui *t, const char *question, const char *initial,
    tui_prompt_cb *done, void *ctx)
{
	free(t->dialog_text);
	t->dialog_text = xstrdup(question);
	buf_reset(&t->dialog_input);
	if (initial != NULL)
		buf_append_str(&t->dialog_input, initial);
	t->dialog = DIALOG_PROMPT;
	t->dialog_acting = t->acting;
	t->prompt_done = done;
	t->dialog_ctx = ctx;
	t->dirty = true;
}

const char *
tui_current_mailbox(struct tui *t)
{
	const struct model_selected *sel = model_selected(tui_model(t));

	if (sel->mailbox != NULL)
		return sel->mailbox;
	if (t->cursor_mailbox != NULL)
		return t->cursor_mailbox;
	return "INBOX";
}

void
tui_set_cursor_mailbox(struct tui *t, const char *raw)
{
	if (t->cursor_mailbox != NULL && raw != NULL &&
	    strcmp(t->cursor_mailbox, raw) == 0)
		return;
	free(t->cursor_mailbox);
	t->cursor_mailbox = raw != NULL ? xstrdup(raw) : NULL;
}

void
tui_set_undo(struct tui *t, const char *what, tui_undo_fn *undo, void *ctx)
{
	free(t->undo_what);
	t->undo_what = what != NULL ? xstrdup(what) : NULL;
	t->undo_fn = what != NULL ? undo : NULL;
	t->undo_ctx = what != NULL ? ctx : NULL;
	t->undo_acting = t->acting; /* the view that can take it back */
}

void
tui_host_show_view(struct tui *t, size_t i)
{
	if (t->current != i && view_table[t->current]->on_hide != NULL &&
	    t->views[t->current] != NULL)
		view_table[t->current]->on_hide(t->views[t->current]);
	t->current = i;
	t->focus = FOCUS_VIEW;
	t->acting = view_table[i]->name;
	if (view_table[i]->on_show != NULL)
		view_table[i]->on_show(t->views[i]);
	t->acting = NULL;
	t->dirty = true;
}

void
tui_show_view(struct tui *t, const char *name)
{
	size_t i = tui_host_view_index(name);

	if (i < VIEW_COUNT)
		tui_host_show_view(t, i);
}

size_t
tui_host_view_index(const char *name)
{
	size_t i;

	for (i = 0; i < VIEW_COUNT; i++)
		if (strcmp(view_table[i]->name, name) == 0)
			break;
	return i;
}

/* --- layout and drawing ------------------------------------------------ */

void
tui_host_delete_windows(struct tui *t)
{
	WINDOW **w[] = { &t->w_ctitle, &t->w_transcript, &t->w_input,
		&t->w_hint,
		&t->w_tabs, &t->w_view, &t->w_status, &t->w_tour };
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (*w[i] != NULL) {
			delwin(*w[i]);
			*w[i] = NULL;
		}
}

/* The tour's band: at the foot of the views' pane, or above the input
 * line when one pane shows at a time; the rows it takes. */
static int
tour_rows(const struct tui *t, int body)
{
	if (t->tour == NULL)
		return 0;
	return body / 2 < TUI_TOUR_ROWS ? body / 2 : TUI_TOUR_ROWS;
}

void
tui_host_layout(struct tui *t)
{
	int left, right, body, tour, under_view, over_input;

	tui_host_delete_windows(t);
	getmaxyx(stdscr, t->rows, t->cols);
	t->relayout = false;
	t->dirty = true;
	clearok(curscr, TRUE);
	if (t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS)
		return;
	body = t->rows - 1;
	if (t->cols >= TUI_SPLIT_COLS) {
		left = t->cols / 2;
		right = t->cols - left - 1;
	} else {
		/* narrow: the focused pane takes the width */
		left = right = t->cols;
	}
	tour = tour_rows(t, body);
	under_view = t->cols >= TUI_SPLIT_COLS ? tour : 0;
	over_input = tour - under_view;
	/* the console's title row, level with the view's tabs */
	t->w_ctitle = newwin(1, left, 0, 0);
	/* the input line, and under it the hint row: the grammar of the
	 * command being typed, or what is wrong with it (teach-hint) */
	t->w_transcript = newwin(body - 3 - over_input, left, 1, 0);
	t->w_input = newwin(1, left, body - 2, 0);
	t->w_hint = newwin(1, left, body - 1, 0);
	t->w_tabs = newwin(1, right, 0, t->cols - right);
	t->w_view = newwin(body - 1 - under_view, right, 1, t->cols - right);
	if (under_view > 0)
		t->w_tour = newwin(tour, right, body - tour, t->cols - right);
	else if (over_input > 0)
		t->w_tour = newwin(tour, left, body - 2 - tour, 0);
	t->w_status = newwin(1, t->cols, body, 0);
	keypad(t->w_input, TRUE);
	nodelay(t->w_input, TRUE);
}

/* The focused pane must be unmistakable without colour too: its title
 * is marked with a triangle and drawn in reverse bold, the other pane is
 * dim. */
#define FOCUS_MARK "\xe2\x96\xb6" /* ▶ */

/* How the tabs are labelled, widest first: full names (" 1 Mailboxes "),
 * short ones (" 6 Caps "), three letters (" 6 Cap"), the number alone
 * (" 6"). The first style in which every tab fits is used, so all eight
 * stay visible at 80 columns (a 39-column pane) and at 160;
 * the current tab keeps its short name in the two compact ones. */
enum tab_style {
	TAB_FULL,
	TAB_SHORT,
	TAB_LETTERS,
	TAB_NUMBER,
	TAB_STYLE_COUNT,
};

static void
tab_label(const struct tui *t, size_t i, enum tab_style style, char *out,
    size_t size)
{
	const struct tui_view_ops *v = view_table[i];
	const char *name = style == TAB_FULL || v->short_name == NULL
	    ? v->name : v->short_name;
	bool current = i == t->current;
	bool marked = current && t->focus == FOCUS_VIEW;
	/* a full label's spaces part it from its neighbours; a compact one
	 * starts with a space, and the mark comes after it */
	const char *lead = !marked ? " " : style <= TAB_SHORT
	    ? FOCUS_MARK " " : " " FOCUS_MARK " ";

	switch (style) {
	case TAB_FULL:
	case TAB_SHORT:
		snprintf(out, size, "%s%zu %s ", lead, i + 1, name);
		return;
	case TAB_LETTERS:
		snprintf(out, size, "%s%zu %.*s", lead, i + 1,
		    current ? (int)strlen(name) : 3, name);
		return;
	case TAB_NUMBER:
	case TAB_STYLE_COUNT:
		break;
	}
	snprintf(out, size, "%s%zu%s%s", lead, i + 1, current ? " " : "",
	    current ? name : "");
}

/* The labels of the widest style that fits in cols (the last style if
 * none does); returns the style. */
static enum tab_style
tab_labels(const struct tui *t, int cols, char label[VIEW_COUNT][64],
    int width[VIEW_COUNT])
{
	enum tab_style style;
	size_t i;
	int sum = 0;

	for (style = TAB_FULL; style < TAB_STYLE_COUNT; style++) {
		for (sum = 0, i = 0; i < VIEW_COUNT; i++) {
			tab_label(t, i, style, label[i], sizeof(label[i]));
			width[i] = tui_text_width(label[i], strlen(label[i]));
			sum += width[i];
		}
		/* a full or short label's trailing space may be cut */
		if (sum - (style <= TAB_SHORT ? 1 : 0) <= cols)
			return style;
	}
	return TAB_NUMBER;
}

static void
draw_tabs(struct tui *t)
{
	int x = 0, cols = getmaxx(t->w_tabs), width[VIEW_COUNT], sum;
	bool focused = t->focus == FOCUS_VIEW;
	size_t i, first = 0;
	char label[VIEW_COUNT][64];
	enum tab_style style = tab_labels(t, cols, label, width);

	/* the current tab always shows: drop tabs on the left for it */
	for (;;) {
		for (sum = first > 0 ? 1 : 0, i = first; i <= t->current; i++)
			sum += width[i];
		if (sum <= cols || first == t->current)
			break;
		first++;
	}
	wbkgdset(t->w_tabs, ' ' | (focused ? A_NORMAL : A_DIM));
	werase(t->w_tabs);
	for (i = 0; i < VIEW_COUNT; i++)
		t->tab_from[i] = t->tab_to[i] = 0;
	if (first > 0)
		x += tui_draw_str(t->w_tabs, 0, 0, "\xe2\x80\xa6" /* … */, cols);
	for (i = first; i < VIEW_COUNT && x < cols; i++) {
		bool current = i == t->current;
		size_t skip = 0;

		/* a compact label's leading space parts it from the one
		 * before: it is not part of the tab */
		if (style > TAB_SHORT && label[i][0] == ' ') {
			wattrset(t->w_tabs, A_NORMAL);
			x += tui_draw_str(t->w_tabs, 0, x, " ", cols - x);
			skip = 1;
		}
		wattrset(t->w_tabs, !current ? A_NORMAL
		    : focused ? tui_attr(TUI_COLOR_SELECTED) | A_BOLD
			      : A_UNDERLINE);
		t->tab_from[i] = x;
		x += tui_draw_text(t->w_tabs, 0, x, label[i] + skip,
		    strlen(label[i] + skip), cols - x, false);
		t->tab_to[i] = x;
	}
	wattrset(t->w_tabs, A_NORMAL);
}

static void
draw_console_title(struct tui *t)
{
	bool focused = t->focus == FOCUS_CONSOLE;
	attr_t attr = focused ? tui_attr(TUI_COLOR_SELECTED) | A_BOLD : A_DIM;

	wbkgdset(t->w_ctitle, ' ' | attr);
	werase(t->w_ctitle);
	wattrset(t->w_ctitle, attr);
	tui_draw_str(t->w_ctitle, 0, 0, focused ? FOCUS_MARK " console"
	    : "  console (Tab: focus it)", getmaxx(t->w_ctitle));
	wattrset(t->w_ctitle, A_NORMAL);
}

/* The status bar's facts; `full` adds TLS, mechanism and latency, which
 * give way first to a message. */
static void
status_facts(struct tui *t, bool full, struct buf *line)
{
	struct imap_session *s = client_session(t->client);
	const struct model_selected *sel = model_selected(tui_model(t));
	struct client_tls_info tls;
	bool has_tls = client_tls_info(t->client, &tls);
	const char *mech = client_auth_mechanism(t->client);

	buf_reset(line);
	buf_printf(line, " %s@%s:%s", t->opts->authzid != NULL
		? t->opts->authzid
		: t->opts->authname != NULL ? t->opts->authname : "-",
	    t->opts->host, t->opts->port != NULL ? t->opts->port
		: t->opts->tls == CLIENT_TLS_IMPLICIT ? "993" : "143");
	if (full)
		buf_printf(line, " | %s", has_tls && tui_connected(t)
			? tls.protocol : "no TLS");
	if (full && mech != NULL)
		buf_printf(line, " | %s", mech);
	if (!tui_connected(t))
		buf_append_str(line, " | DISCONNECTED (r reconnect, q quit)");
	else {
		buf_printf(line, " | %s",
		    imap_session_state_name(imap_session_state(s)));
		if (sel->state != MODEL_SELECTED_NONE && sel->mailbox != NULL) {
			/* decoded, as in the tree */
			char *name = text_mutf7_display(sel->mailbox);

			buf_printf(line, " | %s %s", name,
			    sel->read_only ? "[RO]" : "[RW]");
			free(name);
		}
		/* the automatic IDLE is not the user's */
		buf_printf(line, " | %zu in flight",
		    imap_session_in_flight(s) -
			(imap_session_auto_idle_command(s) != NULL ? 1 : 0));
		if (live_mode(t->live) == LIVE_IDLE)
			buf_append_str(line, " | idle");
	}
	if (full && t->last_latency > 0)
		buf_printf(line, " | %.1f ms", t->last_latency);
}

static void
draw_status(struct tui *t)
{
	struct buf line;
	int cols = getmaxx(t->w_status), x, msg, left;

	buf_init(&line, 4096);
	status_facts(t, true, &line);
	werase(t->w_status);
	wbkgdset(t->w_status, ' ' | tui_attr(TUI_COLOR_BAR));
	werase(t->w_status);
	wattrset(t->w_status, tui_attr(TUI_COLOR_BAR));
	if (t->message[0] != '\0') {
		/* a message (a key's hint, what a key did, a server's ALERT)
		 * must show: TLS, mechanism and latency give way to it, then
		 * the rest is cut down to 24 columns; a long one (an ALERT,
		 * whole in the console) takes at most half the bar */
		msg = tui_text_width(t->message, strlen(t->message));
		if (msg > cols / 2 && cols / 2 >= 24)
			msg = cols / 2;
		left = tui_text_width(buf_str(&line), line.len);
		if (left + 3 + msg > cols) {
			status_facts(t, false, &line);
			left = tui_text_width(buf_str(&line), line.len);
		}
		if (left + 3 + msg > cols)
			left = cols - 3 - msg > 24 ? cols - 3 - msg : 24;
		x = tui_draw_text(t->w_status, 0, 0, buf_str(&line), line.len,
		    left < cols ? left : cols, true);
		x += tui_draw_str(t->w_status, 0, x, " | ", cols - x);
		tui_draw_text(t->w_status, 0, x, t->message,
		    strlen(t->message), cols - x < msg ? cols - x : msg, true);
	} else
		tui_draw_text(t->w_status, 0, 0, buf_str(&line), line.len,
		    cols, true);
	wattrset(t->w_status, A_NORMAL);
	buf_free(&line);
}

/* A centred box with the dialog's text; the help scrolls. */
static void
draw_dialog(struct tui *t)
{
	const char **lines = NULL;
	size_t n = 0, i, shown;
	char *copy = xstrdup(t->dialog_text), *p, footer[128];
	int width = 0, height, y0, x0, y, room, cy = 0, cx = 0;
	WINDOW *w;

	for (p = copy; p != NULL && *p != '\0';) {
		lines = xreallocarray(lines, n + 1, sizeof(*lines));
		lines[n++] = p;
		p = strchr(p, '\n');
		if (p != NULL)
			*p++ = '\0';
	}
	/* the box, a blank line and the footer take 4 rows */
	room = t->rows - 1 - 4 - (t->dialog == DIALOG_PROMPT ? 1 : 0);
	if (room < 1)
		room = 1;
	shown = n < (size_t)room ? n : (size_t)room;
	if (t->dialog == DIALOG_HELP) {
		if (t->help_top > (int)(n - shown))
			t->help_top = (int)(n - shown);
		if (t->help_top < 0)
			t->help_top = 0;
		if (shown < n)
			snprintf(footer, sizeof(footer), "Lines %d-%d of %zu: "
			    "Up/Down/PgUp/PgDn scroll, other keys close.",
			    t->help_top + 1, t->help_top + (int)shown, n);
		else
			snprintf(footer, sizeof(footer),
			    "Press any key to close.");
	} else {
		t->help_top = 0;
		snprintf(footer, sizeof(footer), "%s",
		    t->dialog == DIALOG_CONFIRM ? "[y] yes   any other key: no"
						: "Enter: ok   Esc: cancel");
	}
	for (i = 0; i <= n; i++) {
		const char *l = i < n ? lines[i] : footer;
		int lw = tui_text_width(l, strlen(l));

		if (lw > width)
			width = lw;
	}
	if (t->dialog == DIALOG_PROMPT && width < 40)
		width = 40;
	width = width + 4 > t->cols ? t->cols - 4 : width;
	height = (int)shown + 2 + 2 + (t->dialog == DIALOG_PROMPT ? 1 : 0);
	if (height > t->rows - 1)
		height = t->rows - 1;
	y0 = (t->rows - 1 - height) / 2;
	x0 = (t->cols - width - 4) / 2;
	w = newwin(height, width + 4, y0, x0);
	if (w == NULL) {
		free(lines);
		free(copy);
		return;
	}
	werase(w);
	box(w, 0, 0);
	for (i = 0, y = 1; i < shown && y < height - 1; i++, y++)
		tui_draw_str(w, y, 2, lines[(size_t)t->help_top + i], width);
	if (t->dialog == DIALOG_PROMPT && y < height - 1) {
		const char *in = buf_str(&t->dialog_input);
		int len = tui_text_width(in, strlen(in));

		wattrset(w, A_UNDERLINE);
		mvwhline(w, y, 2, ' ', width);
		/* show the end of a long input */
		tui_draw_text(w, y, 2, in, strlen(in), width, false);
		wattrset(w, A_NORMAL);
		cy = y++;
		cx = 2 + (len < width ? len : width - 1);
	}
	if (y + 1 < height - 1)
		y++;
	tui_draw_str(w, y, 2, footer, width);
	if (cy > 0)
		wmove(w, cy, cx);
	wnoutrefresh(w);
	delwin(w);
	free(lines);
	free(copy);
}

void
tui_host_draw(struct tui *t)
{
	bool split = t->cols >= TUI_SPLIT_COLS;
	bool show_console = split || t->focus == FOCUS_CONSOLE;
	bool show_view = split || t->focus == FOCUS_VIEW;
	attr_t dim_view = t->focus == FOCUS_VIEW ? A_NORMAL : A_DIM;
	attr_t dim_console = t->focus == FOCUS_CONSOLE ? A_NORMAL : A_DIM;
	int rows, cols;

	if (t->w_status == NULL) {
		erase();
		mvaddnstr(0, 0, "imapwb: terminal too small", t->cols);
		mvaddnstr(1, 0, "(at least 40x12)", t->cols);
		refresh();
		return;
	}
	if (split) {
		wattrset(stdscr, A_DIM);
		mvvline(0, t->cols / 2, ACS_VLINE, t->rows - 1);
		wattrset(stdscr, A_NORMAL);
		wnoutrefresh(stdscr);
	}
	if (show_view) {
		draw_tabs(t);
		wbkgdset(t->w_view, ' ' | dim_view);
		werase(t->w_view);
		getmaxyx(t->w_view, rows, cols);
		view_table[t->current]->draw(t->views[t->current], t->w_view,
		    rows, cols);
		/* then what its rows lack, asked as the view */
		if (view_table[t->current]->drawn != NULL) {
			t->acting = view_table[t->current]->name;
			view_table[t->current]->drawn(t->views[t->current]);
			t->acting = NULL;
		}
		wnoutrefresh(t->w_tabs);
		wnoutrefresh(t->w_view);
	}
	if (show_console) {
		draw_console_title(t);
		wnoutrefresh(t->w_ctitle);
		wbkgdset(t->w_transcript, ' ' | dim_console);
		werase(t->w_transcript);
		getmaxyx(t->w_transcript, rows, cols);
		tui_console_draw(t->console, t->w_transcript, rows, cols);
		wnoutrefresh(t->w_transcript);
	}
	if (t->w_tour != NULL && (split ? show_view : show_console)) {
		getmaxyx(t->w_tour, rows, cols);
		tui_tour_draw(t, t->w_tour, rows, cols);
		wnoutrefresh(t->w_tour);
	}
	draw_status(t);
	wnoutrefresh(t->w_status);
	if (show_console) {
		wbkgdset(t->w_input, ' ' | dim_console);
		wbkgdset(t->w_hint, ' ' | dim_console);
		tui_console_draw_hint(t->console, t->w_hint,
		    getmaxx(t->w_hint), t->focus == FOCUS_CONSOLE);
		wnoutrefresh(t->w_hint);
		tui_console_draw_input(t->console, t->w_input,
		    getmaxx(t->w_input), t->focus == FOCUS_CONSOLE,
		    tui_connected(t));
		wnoutrefresh(t->w_input);
	}
	if (t->dialog != DIALOG_NONE)
		draw_dialog(t);
	curs_set(t->focus == FOCUS_CONSOLE || t->dialog == DIALOG_PROMPT
		? 1
		: 0);
	doupdate();
	t->dirty = false;
}
