/* tui-mouse: clicks and the wheel in the full screen. */
#include "config.h"

#include "tui-host.h"
#include "tui-list.h"
#include "tui-mouse.h"

/* Rows (keys) one notch of the wheel scrolls, as most terminals do. */
#define WHEEL_ROWS 3

void
tui_mouse_start(const struct tui *t)
{
	if (t->opts->no_mouse)
		return;
	/* presses only: a click acts when the button goes down, as a key
	 * does; the wheel is buttons 4 and 5. No click interval: a slow
	 * double click must not wait for the second one. */
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
}

int
tui_clicked_row(struct tui *t)
{
	return t->clicked_row;
}

static bool
on(WINDOW *w, const MEVENT *ev)
{
	return w != NULL && wenclose(w, ev->y, ev->x);
}

static unsigned
current_mode(struct tui *t)
{
	const struct tui_view_ops *ops = view_table[t->current];

	return ops->mode != NULL ? ops->mode(t->views[t->current]) : 1;
}

/* The focused view's action for key in its mode now, as if pressed:
 * false when its table does not bind the key there. */
static bool
view_key(struct tui *t, int key, int *action_r)
{
	const struct tui_view_ops *ops = view_table[t->current];
	const struct tui_key *k;

	k = tui_keys_find(ops->keymap, current_mode(t), 0, key);
	if (k == NULL || (k->flags & TUI_KEY_PREFIX))
		return false;
	*action_r = k->action;
	return true;
}

static void
view_act(struct tui *t, int action, int key)
{
	const struct tui_view_ops *ops = view_table[t->current];

	t->acting = ops->name;
	ops->key(t->views[t->current], action, key);
	t->acting = NULL;
}

static void
focus_view(struct tui *t)
{
	if (t->focus != FOCUS_VIEW) {
		tui_host_show_view(t, t->current);
		t->relayout = t->cols < TUI_SPLIT_COLS;
	}
}

static void
focus_console(struct tui *t)
{
	if (t->focus != FOCUS_CONSOLE) {
		t->focus = FOCUS_CONSOLE;
		t->relayout = t->cols < TUI_SPLIT_COLS;
	}
}

/* The tab under column x of the tab bar, as draw_tabs() placed them. */
static void
click_tab(struct tui *t, int x)
{
	size_t i;

	for (i = 0; i < VIEW_COUNT; i++)
		if (x >= t->tab_from[i] && x < t->tab_to[i]) {
			tui_host_show_view(t, i);
			t->relayout = t->cols < TUI_SPLIT_COLS;
			return;
		}
	focus_view(t);
}

/* A click in the view: focus it, and in a list (whose Up key is the
 * list's) put the cursor on the row clicked. */
static void
click_view(struct tui *t, int y)
{
	int action;

	focus_view(t);
	if (!view_key(t, TUI_KEY(KEY_UP), &action) || action != TUI_LIST_UP)
		return;
	t->clicked_row = y;
	view_act(t, TUI_LIST_CLICK, 0);
	t->clicked_row = -1;
}

/* The wheel over the view: its Up or Down key, WHEEL_ROWS times, so a
 * list moves its cursor and a document scrolls; the focus stays. */
static void
wheel_view(struct tui *t, bool up)
{
	int key = TUI_KEY(up ? KEY_UP : KEY_DOWN), action, i;
	enum tui_focus focus = t->focus;

	/* the view's keys are looked up as the focused view's */
	t->focus = FOCUS_VIEW;
	if (view_key(t, key, &action))
		for (i = 0; i < WHEEL_ROWS; i++)
			view_act(t, action, key);
	t->focus = focus;
}

void
tui_mouse_event(struct tui *t)
{
	bool split = t->cols >= TUI_SPLIT_COLS;
	bool view_shown = split || t->focus == FOCUS_VIEW;
	bool console_shown = split || t->focus == FOCUS_CONSOLE;
	bool wheel, up;
	MEVENT ev;

	/* a dialog waits for its answer: the mouse does not go past it */
	if (getmouse(&ev) != OK || t->dialog != DIALOG_NONE ||
	    t->w_status == NULL)
		return;
	wheel = (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) != 0;
	up = (ev.bstate & BUTTON4_PRESSED) != 0;
	if (!wheel && (ev.bstate & BUTTON1_PRESSED) == 0)
		return;
	t->dirty = true;
	if (view_shown && on(t->w_tabs, &ev)) {
		if (!wheel)
			click_tab(t, ev.x - getbegx(t->w_tabs));
	} else if (view_shown && on(t->w_view, &ev)) {
		if (wheel)
			wheel_view(t, up);
		else
			click_view(t, ev.y - getbegy(t->w_view));
	} else if (console_shown &&
	    (on(t->w_ctitle, &ev) || on(t->w_transcript, &ev) ||
		on(t->w_input, &ev) || on(t->w_hint, &ev))) {
		if (wheel)
			tui_console_scroll(t->console,
			    up ? WHEEL_ROWS : -WHEEL_ROWS);
		else
			focus_console(t);
	}
}
