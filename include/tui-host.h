/* tui-host: the TUI's view host, and the state the TUI's two halves share.
 *
 * The TUI is two files over one struct tui: tui.c is the front end (the
 * poll() loop, the terminal, connecting and reconnecting, the events of
 * both connections, the keys), tui-host.c the host of the views (the
 * services views call, tui.h; the layout; drawing the tabs, the status bar
 * and the dialogs). This header is theirs alone: views see only tui.h. */
#ifndef IMAPWB_TUI_HOST_H
#define IMAPWB_TUI_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "client.h"
#include "client-cli-options.h"
#include "client-console-guard.h"
#include "client-live.h"
#include "tui.h"
#include "tui-console.h"
#include "tui-jobconn.h"
#include "util-buf.h"

/* Below this the screen shows only a "too small" note. */
#define TUI_MIN_COLS 40
#define TUI_MIN_ROWS 12
/* Below this width one pane shows at a time (the focused one). */
#define TUI_SPLIT_COLS 80
#define TUI_TICK_MS 1000
/* While data pours in (a 100k index loading), the screen is redrawn at
 * most this often: a draw costs as much as parsing 100 KB of FETCH. A
 * key is answered at once. */
#define TUI_DRAW_MS 30
/* How the jobs' connection's lines are marked in the console and the
 * transcript file ("C [large]: "). */
#define JOBS_ORIGIN "large"

/* The views, in tab order (Alt-1 is the first): tui-host.c. */
#define VIEW_COUNT 8
extern const struct tui_view_ops *const view_table[VIEW_COUNT];


enum tui_focus {
	FOCUS_CONSOLE,
	FOCUS_VIEW,
};

enum dialog_kind {
	DIALOG_NONE,
	DIALOG_CONFIRM,
	DIALOG_PROMPT,
	DIALOG_HELP,
};

struct tui {
	const struct cli_options *opts;
	struct client *client;
	struct tui_jobconn *jobconn; /* the second connection, for jobs */
	struct tui_console *console;
	struct transcript *transcript; /* --transcript FILE, or NULL */
	struct live *live; /* IDLE or NOOP polls while nothing happens */
	void *views[VIEW_COUNT];
	size_t current;
	uint64_t drawn_ms; /* the last draw (TUI_DRAW_MS) */
	bool keyed;        /* a key came since the last draw */
	enum tui_focus focus;
	bool curses_on;
	bool dirty;
	bool relayout;
	bool quit;
	bool quitting;  /* q sent LOGOUT: exit when the connection ends */
	bool colors;
	char message[256];
	double last_latency;

	WINDOW *w_ctitle, *w_transcript, *w_input, *w_hint, *w_tabs, *w_view;
	WINDOW *w_status;
	WINDOW *w_tour; /* the tour's band, or NULL */
	int rows, cols;

	enum dialog_kind dialog;
	char *dialog_text;
	struct buf dialog_input;
	tui_confirm_cb *confirm_done;
	tui_prompt_cb *prompt_done;
	void *dialog_ctx;
	int help_top;  /* the help's first line shown */
	bool help_primer; /* the help shows the primer, not the keys */
	bool help_pager;  /* the help dialog pages a text (a literal) */

	/* keys: a prefix waiting for its second key (* f, u Enter); the
	 * printable keys of this burst of input that the view took, which
	 * go to the console with the first key that is typing; and a line
	 * begun in a view, which its first Enter does not send */
	int prefix;
	struct buf burst;
	bool held;
	int pending_key; /* read after an ESC that turned out alone */

	char *undo_what;      /* what u Enter sends, or NULL */
	tui_undo_fn *undo_fn;
	const char *undo_acting;
	void *undo_ctx;

	char *cursor_mailbox; /* raw: the Mailboxes view's cursor */
	/* raw: what the user had open when the connection was lost, for
	 * the next successful reconnect to open again (NULL: nothing) */
	char *reopen_mailbox;
	bool reopen_examine;
	/* The view whose code runs now: the origin of its commands. */
	const char *acting;
	const char *dialog_acting; /* the view that opened the dialog */
	struct console_guard *guard; /* typed plain EXPUNGE and CLOSE */
	struct tui_tour *tour; /* --tour (tui-tour.h), or NULL */
	/* the mouse (tui-mouse.h): each tab's columns in the tab bar at the
	 * last draw (from == to: not shown), and the view's row a click is
	 * on while its TUI_LIST_CLICK runs (-1 otherwise) */
	int tab_from[VIEW_COUNT], tab_to[VIEW_COUNT];
	int clicked_row;
};

/* Show view i and give it focus (the old one hears on_hide). */
void tui_host_show_view(struct tui *t, size_t i);
/* The index of the view named name in view_table, or VIEW_COUNT. */
size_t tui_host_view_index(const char *name);
/* Recalculate the windows for the terminal's size (on a resize only). */
void tui_host_layout(struct tui *t);
void tui_host_delete_windows(struct tui *t);
/* Draw what is dirty: one redraw a loop turn. */
void tui_host_draw(struct tui *t);

#endif
