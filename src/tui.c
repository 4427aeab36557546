/* tui: the split-screen front end. One poll() loop over the terminal, the
 * user's connection and the jobs' connection (tui-jobconn); the events of
 * both; connecting and reconnecting; the keys. The views' host (the
 * services of tui.h, the layout, drawing) is tui-host.c. Layout is
 * recalculated on resize only; model changes mark the screen dirty; one
 * redraw per loop turn (after NeoMutt's mutt_window.c). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "client.h"
#include "file-atomic.h"
#include "client-console-guard.h"
#include "client-url.h"
#include "front-tui.h"
#include "client-live.h"
#include "model.h"
#include "text-display.h"
#include "text-mutf7.h"
#include "client-transcript.h"
#include "teach-primer.h"
#include "tui.h"
#include "tui-host.h"
#include "tui-console.h"
#include "tui-draw.h"
#include "tui-mouse.h"
#include "tui-jobconn.h"
#include "tui-keys.h"
#include "tui-link.h"
#include "tui-tour.h"
#include "util-buf.h"
#include "util-clock.h"
#include "util-log.h"
#include "util-mem.h"

/* The terminal must be restored whatever happens: atexit and SIGTERM. */
static volatile sig_atomic_t got_term;
static bool curses_active;

static void
restore_terminal(void)
{
	if (curses_active) {
		endwin();
		curses_active = false;
	}
}

static void
on_term_signal(int sig)
{
	(void)sig;
	got_term = 1;
}
/* --- events from the session --------------------------------------------- */

/* The automatic IDLE and the NOOP polls fold to one line each, marked
 * [idle] or [poll], like every guest's command; what the server says
 * meanwhile is news and shows in full, after one note. */
static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct tui *t = ctx;
	const char *note;

	if (!live_wire(t->live, out, text, len, cmd, &note)) {
		if (note != NULL)
			tui_console_note(t->console, TUI_LINE_NOTE, note);
		tui_console_wire(t->console, out, text, len, cmd);
	}
	if (t->transcript != NULL)
		transcript_wire(t->transcript, out, text, len);
	t->dirty = true;
}

/* Decoded responses, for the views that ask for them (tui.h). */
/* RFC 9051 7.1: an [ALERT] text must be presented to the user, whatever
 * command (a view's, a job's, the session's own IDLE) it came with, so it
 * goes to the status line as well as to the (possibly folded) console. */
static void
show_alert(struct tui *t, const struct decoded_response *resp)
{
	struct buf text;

	if (!resp->has_code || resp->code.kind != RESP_CODE_ALERT ||
	    resp->raw->text == NULL)
		return;
	buf_init(&text, 512);
	(void)display_escape(&text, resp->raw->text, strlen(resp->raw->text));
	tui_message(t, "server ALERT: %s", buf_str(&text));
	buf_free(&text);
}

static void
on_response(void *ctx, const struct decoded_response *resp)
{
	struct tui *t = ctx;
	size_t i;

	show_alert(t, resp);
	tui_console_response(t->console, resp);
	for (i = 0; i < VIEW_COUNT; i++)
		if (view_table[i]->response != NULL && t->views[i] != NULL) {
			t->acting = view_table[i]->name;
			view_table[i]->response(t->views[i], resp);
		}
	t->acting = NULL;
	if (t->guard != NULL)
		console_guard_response(t->guard, resp);
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged,
    double ms)
{
	static const char *const results[] = { "OK", "NO", "BAD", "failed" };
	struct tui *t = ctx;
	bool own = live_owns(t->live, cmd);
	size_t i;

	live_completed(t->live, cmd, result);
	tui_console_command_done(t->console, cmd);
	/* live's own commands end their folded line too; an IDLE's minutes
	 * are no latency to show */
	tui_console_completed(t->console, cmd, results[result], ms);
	if (!own) {
		if (result == IMAP_RESULT_FAILED)
			tui_console_note(t->console, TUI_LINE_ERROR,
			    "a command failed: no reply from the server");
		t->last_latency = ms;
	}
	t->dirty = true;
	for (i = 0; i < VIEW_COUNT; i++)
		if (view_table[i]->completed != NULL && t->views[i] != NULL) {
			t->acting = view_table[i]->name;
			view_table[i]->completed(t->views[i], cmd, result,
			    tagged);
		}
	t->acting = NULL;
	tui_tour_completed(t, cmd, result, tagged);
	/* last: it may send the command it holds */
	if (t->guard != NULL)
		console_guard_completed(t->guard, cmd, result, tagged);
}

static void
on_notice(void *ctx, const char *text)
{
	struct tui *t = ctx;

	tui_console_note(t->console, TUI_LINE_NOTE, text);
	t->dirty = true;
}

static void
on_log(void *ctx, enum log_level level, const char *text)
{
	struct tui *t = ctx;

	tui_console_note(t->console,
	    level <= LOG_LEVEL_WARN ? TUI_LINE_ERROR : TUI_LINE_NOTE, text);
	t->dirty = true;
}

static void
on_model_change(void *ctx, unsigned changed)
{
	struct tui *t = ctx;
	size_t i;

	/* the model talks during login, before the views exist */
	for (i = 0; i < VIEW_COUNT; i++)
		if (view_table[i]->on_model_change != NULL &&
		    t->views[i] != NULL) {
			t->acting = view_table[i]->name;
			view_table[i]->on_model_change(t->views[i], changed);
		}
	t->acting = NULL;
	t->dirty = true;
}

/* --- the guard for a typed EXPUNGE or CLOSE ------------------------------ */

static void
guard_answered(void *ctx, bool yes)
{
	struct tui *t = ctx;

	if (t->guard != NULL)
		console_guard_answer(t->guard, yes);
	t->dirty = true;
}

static void
guard_ask(void *ctx, const char *question)
{
	struct tui *t = ctx;

	/* one question at a time: a view's (or the help) is open, and the
	 * guard's must not replace it unanswered */
	if (t->dialog != DIALOG_NONE) {
		tui_console_note(t->console, TUI_LINE_ERROR,
		    "another question is open: type the command again");
		console_guard_answer(t->guard, false);
		return;
	}
	tui_confirm(t, question, guard_answered, t);
}

static void
guard_notice(void *ctx, enum console_guard_notice kind, const char *text)
{
	struct tui *t = ctx;
	const char *p = text, *nl;

	for (; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		char *line;

		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		line = xstrndup(p, (size_t)(nl - p));
		tui_console_note(t->console, kind == CONSOLE_GUARD_DECLINED
			? TUI_LINE_NOTE : TUI_LINE_ERROR, line);
		free(line);
	}
	t->dirty = true;
}

/* A guard for the session just opened, or none without one. */
static void
renew_guard(struct tui *t)
{
	struct console_guard_callbacks cb = {
		.ask = guard_ask, .notice = guard_notice, .ctx = t,
	};

	tui_console_set_guard(t->console, NULL);
	console_guard_free(&t->guard);
	if (t->client == NULL || !client_connected(t->client))
		return;
	t->guard = console_guard_new(client_session(t->client),
	    client_model(t->client),
	    t->opts->yes ? CONSOLE_GUARD_WARN : CONSOLE_GUARD_ASK, &cb);
	tui_console_set_guard(t->console, t->guard);
}

/* --- events from the jobs' connection ------------------------------------- */

static void
jobs_on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct tui *t = ctx;

	tui_console_wire_from(t->console, JOBS_ORIGIN, out, text, len, cmd);
	if (t->transcript != NULL)
		transcript_wire_from(t->transcript, JOBS_ORIGIN, out, text,
		    len);
	t->dirty = true;
}

static void
jobs_on_response(void *ctx, const struct decoded_response *resp)
{
	struct tui *t = ctx;
	size_t i;

	show_alert(t, resp);
	for (i = 0; i < VIEW_COUNT; i++)
		if (view_table[i]->job_response != NULL &&
		    t->views[i] != NULL) {
			t->acting = view_table[i]->name;
			view_table[i]->job_response(t->views[i], resp);
		}
	t->acting = NULL;
}

static void
jobs_on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged,
    double ms)
{
	static const char *const results[] = { "OK", "NO", "BAD", "failed" };
	struct tui *t = ctx;
	size_t i;

	tui_console_completed(t->console, cmd, results[result], ms);
	t->dirty = true;
	for (i = 0; i < VIEW_COUNT; i++)
		if (view_table[i]->job_completed != NULL &&
		    t->views[i] != NULL) {
			t->acting = view_table[i]->name;
			view_table[i]->job_completed(t->views[i], cmd, result,
			    tagged);
		}
	t->acting = NULL;
}

static void
jobs_on_notice(void *ctx, const char *text)
{
	struct tui *t = ctx;

	tui_console_note_from(t->console, JOBS_ORIGIN, TUI_LINE_NOTE, text);
	t->dirty = true;
}


struct imap_session *
tui_job_session(struct tui *t, const char **error_r)
{
	struct imap_session *s;
	bool lend;

	if (tui_jobconn_ready(t->jobconn))
		return tui_jobconn_open(t->jobconn, error_r);
	tui_console_note_from(t->console, JOBS_ORIGIN, TUI_LINE_NOTE,
	    "opening " TUI_JOBCONN_REASON);
	/* a password prompt needs the plain terminal, as in reconnect() */
	lend = t->curses_on && tui_jobconn_prompts(t->jobconn);
	if (lend) {
		def_prog_mode();
		endwin();
	} else if (t->curses_on) {
		tui_message(t, "connecting...");
		tui_host_draw(t);
	}
	s = tui_jobconn_open(t->jobconn, error_r);
	if (lend) {
		reset_prog_mode();
		refresh();
		t->relayout = true;
	}
	if (s == NULL)
		tui_console_note_from(t->console, JOBS_ORIGIN, TUI_LINE_ERROR,
		    *error_r);
	else
		tui_message(t, "%s", "");
	t->dirty = true;
	return s;
}

/* --- connecting ------------------------------------------------------------ */

/* The mailbox list the Mailboxes view starts from, with subscription,
 * special-use, \HasChildren or \HasNoChildren (RFC 5258 4: CHILDREN)
 * and counts where the server can say them in one command (RFC 5258,
 * 6154, 5819); without LIST-STATUS the Mailboxes view asks
 * STATUS of each mailbox once the list has come. */
static void
list_mailboxes(struct tui *t)
{
	struct imap_session *s = client_session(t->client);

	t->acting = tui_view_mailboxes.name;
	if (imap_session_has_capability(s, "LIST-STATUS")) {
		if (imap_session_has_capability(s, "SPECIAL-USE"))
			tui_command(t, "LIST \"\" \"*\" RETURN (SUBSCRIBED "
			    "SPECIAL-USE CHILDREN STATUS (MESSAGES UNSEEN))");
		else
			tui_command(t, "LIST \"\" \"*\" RETURN (SUBSCRIBED "
			    "CHILDREN STATUS (MESSAGES UNSEEN))");
	} else if (imap_session_has_capability(s, "LIST-EXTENDED")) {
		if (imap_session_has_capability(s, "SPECIAL-USE"))
			tui_command(t, "LIST \"\" \"*\" RETURN (SUBSCRIBED "
			    "SPECIAL-USE CHILDREN)");
		else
			tui_command(t, "LIST \"\" \"*\" RETURN (SUBSCRIBED "
			    "CHILDREN)");
	} else {
		tui_command(t, "LIST \"\" \"*\"");
		tui_command(t, "LSUB \"\" \"*\"");
	}
	t->acting = NULL;
}

static struct client *
new_client(struct tui *t)
{
	struct client_listener l = {
		.wire = on_wire,
		.response = on_response,
		.completed = on_completed,
		.notice = on_notice,
		.ctx = t,
	};
	struct client_config config;
	struct client *c;

	cli_options_client_config(t->opts, &config);
	c = client_new(&config, &l);

	model_set_listener(client_model(c), on_model_change, t);
	return c;
}

/* Connect and log in; with curses up, the terminal is lent back for a
 * password prompt. */
static enum exit_status
connect_client(struct tui *t, const char **error_r)
{
	enum exit_status status;

	status = client_open(t->client, error_r);
	if (status == EXIT_STATUS_OK)
		status = client_authenticate(t->client, error_r);
	return status;
}

/* After a reconnect, open again what the user had open when the
 * connection was lost, in the same mode: the views come back where they
 * were, and the command shows in the console like any other. A failed
 * reconnect keeps it for the next one. */
static void
remember_lost_mailbox(struct tui *t)
{
	bool examine;
	const char *lost = model_lost_mailbox(client_model(t->client),
	    &examine);

	if (lost != NULL) {
		free(t->reopen_mailbox);
		t->reopen_mailbox = xstrdup(lost);
		t->reopen_examine = examine;
	}
}

static void
reopen_mailbox(struct tui *t)
{
	bool examine = t->reopen_examine;

	if (t->reopen_mailbox == NULL)
		return;
	if (tui_command(t, examine ? "EXAMINE %s" : "SELECT %s",
		t->reopen_mailbox) != NULL)
		tui_console_note(t->console, TUI_LINE_NOTE,
		    examine ? "examining again the mailbox that was open"
			    : "selecting again the mailbox that was open");
	free(t->reopen_mailbox);
	t->reopen_mailbox = NULL;
}

static void
reconnect(struct tui *t)
{
	enum exit_status status;
	const char *error = NULL;
	size_t i;

	remember_lost_mailbox(t);
	live_set_session(t->live, NULL);
	tui_console_set_guard(t->console, NULL);
	console_guard_free(&t->guard);
	client_free(&t->client);
	t->client = new_client(t);
	/* what an undo would restore was on the old connection */
	tui_set_undo(t, NULL, NULL, NULL);
	tui_console_note(t->console, TUI_LINE_NOTE, "reconnecting");
	/* the password prompt, if any, needs the plain terminal */
	def_prog_mode();
	endwin();
	status = connect_client(t, &error);
	reset_prog_mode();
	refresh();
	tui_console_set_session(t->console,
	    status == EXIT_STATUS_OK ? client_session(t->client) : NULL);
	live_set_session(t->live,
	    status == EXIT_STATUS_OK ? client_session(t->client) : NULL);
	if (status == EXIT_STATUS_OK)
		renew_guard(t);
	if (status != EXIT_STATUS_OK) {
		tui_console_note(t->console, TUI_LINE_ERROR,
		    error != NULL ? error : "the connection failed");
		tui_message(t, "reconnect failed: press r to try again");
	} else {
		for (i = 0; i < VIEW_COUNT; i++)
			if (view_table[i]->on_model_change != NULL)
				view_table[i]->on_model_change(t->views[i],
				    ~0u);
		list_mailboxes(t);
		reopen_mailbox(t);
		tui_message(t, "reconnected");
	}
	tui_console_set_model(t->console, client_model(t->client));
	t->quitting = false;
	t->relayout = true;
}

/* --- keys ---------------------------------------------------------------- */

/* The shared keys' modes: where the focus is. */
enum {
	GLOBAL_VIEW = 1,
	GLOBAL_CONSOLE = 2,
};

enum global_action {
	GLOBAL_FOCUS,
	GLOBAL_SHOW,
	GLOBAL_HELP,
	GLOBAL_SEARCH,
	GLOBAL_EXPAND,
	GLOBAL_TRANSCRIPT,
	GLOBAL_EXPLAIN,
	GLOBAL_SUGGESTION,
	GLOBAL_SCROLL_UP,
	GLOBAL_SCROLL_DOWN,
	GLOBAL_READLINE,
	GLOBAL_UNDO_SHOW,
	GLOBAL_UNDO,
	GLOBAL_QUIT,
	GLOBAL_QUIT_DISCONNECTED,
	GLOBAL_RECONNECT,
	GLOBAL_REDRAW,
	GLOBAL_TOUR_NEXT,
	GLOBAL_TOUR_PREV,
};

static const struct tui_key global_keys[] = {
	{ .keys = { '\t' }, .action = GLOBAL_FOCUS,
	    .help = "switch the focus: console <-> view" },
	{ .keys = { TUI_ALT('1') }, .last = TUI_ALT('8'),
	    .action = GLOBAL_SHOW,
	    .help = "show a view and focus it (1 Mailboxes .. 8 Large)" },
	{ .keys = { TUI_KEY(KEY_F(2)) }, .last = TUI_KEY(KEY_F(9)),
	    .action = GLOBAL_SHOW, .help = "the same" },
	{ .keys = { TUI_KEY(KEY_F(1)) }, .action = GLOBAL_HELP,
	    .help = "this help" },
	{ .keys = { '?' }, .modes = GLOBAL_VIEW, .action = GLOBAL_HELP,
	    .help = "this help" },
	{ .keys = { TUI_ALT('/') }, .action = GLOBAL_SEARCH,
	    .help = "search the console's transcript" },
	{ .keys = { TUI_ALT('f') }, .action = GLOBAL_EXPAND,
	    .help = "views' and jobs' commands in full, or folded again" },
	{ .keys = { TUI_ALT('t') }, .modes = GLOBAL_CONSOLE,
	    .action = GLOBAL_TRANSCRIPT,
	    .help = "transcript mode: a cursor on the lines, each explained "
		    "(Enter: its view row)" },
	{ .keys = { TUI_ALT('t') }, .modes = GLOBAL_VIEW,
	    .action = GLOBAL_TRANSCRIPT,
	    .help = "the transcript lines behind this row (n: older ones)" },
	{ .keys = { TUI_ALT('y') }, .modes = GLOBAL_CONSOLE,
	    .action = GLOBAL_SUGGESTION,
	    .help = "after a held Enter: take the line suggested under the "
		    "input" },
	{ .keys = { TUI_ALT('x') }, .action = GLOBAL_EXPLAIN,
	    .help = "explanations under the lines: response codes, all, "
		    "none" },
	{ .keys = { TUI_KEY(KEY_PPAGE) }, .modes = GLOBAL_CONSOLE,
	    .action = GLOBAL_SCROLL_UP, .help = "scroll the transcript up" },
	{ .keys = { TUI_KEY(KEY_NPAGE) }, .modes = GLOBAL_CONSOLE,
	    .action = GLOBAL_SCROLL_DOWN,
	    .help = "scroll the transcript down" },
	/* readline's own keys, here for the help */
	{ .keys = { '\r' }, .modes = GLOBAL_CONSOLE, .action = GLOBAL_READLINE,
	    .help = "send the line (begun in a view: the second Enter)" },
	{ .keys = { TUI_KEY(KEY_UP), TUI_KEY(KEY_DOWN) },
	    .modes = GLOBAL_CONSOLE, .action = GLOBAL_READLINE,
	    .help = "earlier and later lines (history)" },
	{ .keys = { TUI_CTRL('r') }, .modes = GLOBAL_CONSOLE,
	    .action = GLOBAL_READLINE,
	    .help = "search the history ((reverse-i-search); Ctrl-G leaves)" },
	{ .keys = { 'u' }, .modes = GLOBAL_VIEW, .action = GLOBAL_UNDO_SHOW,
	    .flags = TUI_KEY_PREFIX },
	{ .keys = { '\r' }, .prefix = 'u', .modes = GLOBAL_VIEW,
	    .action = GLOBAL_UNDO, .flags = TUI_KEY_SERVER,
	    .help = "undo the last change (u shows what it sends)" },
	{ .keys = { 'q', TUI_CTRL('c') }, .modes = GLOBAL_VIEW,
	    .action = GLOBAL_QUIT, .help = "quit (LOGOUT first)" },
	{ .keys = { 'q' }, .modes = GLOBAL_CONSOLE,
	    .action = GLOBAL_QUIT_DISCONNECTED,
	    .help = "after a disconnect: quit" },
	{ .keys = { 'r' }, .action = GLOBAL_RECONNECT,
	    .help = "after a disconnect: reconnect" },
	{ .keys = { TUI_CTRL('l') }, .action = GLOBAL_REDRAW,
	    .help = "redraw the screen" },
	{ .keys = { TUI_ALT('n') }, .action = GLOBAL_TOUR_NEXT,
	    .help = "the tour (--tour): its next step" },
	{ .keys = { TUI_ALT('p') }, .action = GLOBAL_TOUR_PREV,
	    .help = "the tour: the step before" },
};
static const struct tui_keymap global_map =
    TUI_KEYMAP("Every pane", global_keys);

const struct tui_keymap *
tui_global_keymap(void)
{
	return &global_map;
}

static unsigned
focus_mode(const struct tui *t)
{
	return t->focus == FOCUS_VIEW ? GLOBAL_VIEW : GLOBAL_CONSOLE;
}

static unsigned
view_mode(struct tui *t)
{
	const struct tui_view_ops *ops = view_table[t->current];

	return ops->mode != NULL ? ops->mode(t->views[t->current]) : 1;
}

/* The help's other page: IMAP on one screen (teach-primer.h). */
static void
help_primer(struct tui *t, struct buf *text)
{
	struct imap_session *s = t->client != NULL ? tui_session(t) : NULL;
	size_t width = t->cols > 12 ? (size_t)t->cols - 8 : 4;

	teach_primer(text, s != NULL ? imap_session_state(s)
				     : IMAP_STATE_LOGOUT, width);
	buf_append_str(text, "\nTab: the keys.\n");
}

/* The help for where the focus is, from the key tables. */
static void
help_keys(struct tui *t, struct buf *text)
{
	const struct tui_keymap *map = view_table[t->current]->keymap;
	char heading[128];
	size_t i, before;

	buf_append_str(text, "Tab: IMAP on one screen (tags, *, +, OK/NO/BAD, "
	    "the states).\n\n");
	if (t->focus == FOCUS_VIEW && map != NULL) {
		snprintf(heading, sizeof(heading), "%s view:", map->name);
		tui_keys_help(map, heading, TUI_KEYS_COMMON, text);
		for (i = 0; i < map->mode_count; i++) {
			before = text->len;
			if (before > 0)
				buf_append_str(text, "\n");
			snprintf(heading, sizeof(heading), "%s view, %s:",
			    map->name, map->mode_names[i]);
			tui_keys_help(map, heading, 1u << i, text);
			if (text->len == before + 1)
				text->len = before; /* no keys in that mode */
		}
		buf_append_str(text, "\n");
		tui_keys_help(&global_map, "In every view:",
		    TUI_KEYS_COMMON | GLOBAL_VIEW, text);
		buf_append_str(text, "\nOther letters type into the console; "
		    "a line begun in a view is\nsent by its second Enter.\n");
	} else
		tui_keys_help(&global_map, "The console:",
		    TUI_KEYS_COMMON | GLOBAL_CONSOLE, text);
}

static void
show_help(struct tui *t, bool primer)
{
	struct buf text;

	buf_init(&text, 64 * 1024);
	if (primer)
		help_primer(t, &text);
	else
		help_keys(t, &text);
	free(t->dialog_text);
	t->dialog_text = buf_steal(&text);
	t->dialog = DIALOG_HELP;
	t->help_top = 0;
	t->help_primer = primer;
	t->help_pager = false;
	buf_free(&text);
}

static void
open_help(struct tui *t)
{
	show_help(t, false);
}

static void
dialog_key(struct tui *t, int key)
{
	enum dialog_kind kind = t->dialog;
	void *ctx = t->dialog_ctx;

	if (kind == DIALOG_HELP) {
		int page = t->rows > 12 ? t->rows - 8 : 4;

		switch (key) {
		case TUI_KEY(KEY_UP):
			t->help_top--;
			return;
		case TUI_KEY(KEY_DOWN):
			t->help_top++;
			return;
		case TUI_KEY(KEY_PPAGE):
			t->help_top -= page;
			return;
		case TUI_KEY(KEY_NPAGE):
			t->help_top += page;
			return;
		case '\t':
			if (!t->help_pager)
				show_help(t, !t->help_primer);
			return;
		}
		t->dialog = DIALOG_NONE;
		return;
	}
	if (kind == DIALOG_CONFIRM) {
		/* any key but y is no: typing that lands here by mistake
		 * never says yes */
		t->dialog = DIALOG_NONE;
		t->acting = t->dialog_acting;
		t->confirm_done(ctx, key == 'y' || key == 'Y');
		t->acting = NULL;
		return;
	}
	t->acting = t->dialog_acting;
	/* the prompt's own small line editor */
	if (key == TUI_ESC) {
		t->dialog = DIALOG_NONE;
		t->prompt_done(ctx, NULL);
	} else if (key == '\r') {
		char *text = xstrdup(buf_str(&t->dialog_input));

		t->dialog = DIALOG_NONE;
		t->prompt_done(ctx, text);
		free(text);
	} else if (key == TUI_KEY(KEY_BACKSPACE)) {
		/* drop the last UTF-8 character */
		while (t->dialog_input.len > 0) {
			unsigned char c = (unsigned char)
			    t->dialog_input.data[--t->dialog_input.len];

			if ((c & 0xc0) != 0x80)
				break;
		}
		if (t->dialog_input.data != NULL)
			t->dialog_input.data[t->dialog_input.len] = '\0';
	} else if (tui_key_printable(key)) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t n;

		memset(&st, 0, sizeof(st));
		n = wcrtomb(mb, (wchar_t)key, &st);
		if (n != (size_t)-1)
			buf_append(&t->dialog_input, mb, n);
	}
	t->acting = NULL;
}

/* A key for readline, as the bytes a terminal would send. */
static void
console_key(struct tui *t, int key)
{
	static const struct {
		int key;
		const char *seq;
	} seqs[] = {
		{ TUI_KEY(KEY_UP), "\033[A" }, { TUI_KEY(KEY_DOWN), "\033[B" },
		{ TUI_KEY(KEY_RIGHT), "\033[C" }, { TUI_KEY(KEY_LEFT), "\033[D" },
		{ TUI_KEY(KEY_HOME), "\001" }, { TUI_KEY(KEY_END), "\005" },
		{ TUI_KEY(KEY_DC), "\004" }, { TUI_KEY(KEY_BACKSPACE), "\177" },
	};
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t i, n;

	if (key >= TUI_ALT(0)) {
		tui_console_feed(t->console, "\033", 1);
		key -= TUI_ALT(0);
	}
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		if (seqs[i].key == key) {
			tui_console_feed(t->console, seqs[i].seq,
			    strlen(seqs[i].seq));
			return;
		}
	if (key >= TUI_KEY(0))
		return; /* another function key: nothing for readline */
	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)key, &st);
	if (n != (size_t)-1)
		tui_console_feed(t->console, mb, n);
}

/* A key with the console focused. The first Enter of a line begun in a
 * view does not send it: the user sees where the typing went first. */
static void
console_typed(struct tui *t, int key)
{
	const char *warning, *suggestion;

	if (key == '\r' && t->held) {
		t->held = false;
		tui_message(t, "not sent: begun in a view. Enter sends it, "
		    "Ctrl-U clears it");
		return;
	}
	if (key == '\r' && tui_console_hold_enter(t->console, &warning,
	    &suggestion)) {
		(void)warning;
		tui_message(t, "not sent: Enter sends it as typed%s",
		    suggestion != NULL ? ", Alt-y takes the suggestion" : "");
		return;
	}
	console_key(t, key);
	/* an empty line, or one from the history, was not begun in a view */
	if (tui_console_input_empty(t->console) ||
	    key == TUI_KEY(KEY_UP) || key == TUI_KEY(KEY_DOWN))
		t->held = false;
}

/* A printable key that is none of the focused view's keys is typing: it
 * goes to the console with the focus, after the keys of the same burst
 * the view took (a pasted or fast-typed line arrives whole) and after a
 * prefix it did not complete (u i: "ui"). The line is held (above). */
static void
type_into_console(struct tui *t, int prefix, int key)
{
	const char *view = view_table[t->current]->name;

	if (t->burst.len > 0)
		tui_console_feed(t->console, (const char *)t->burst.data,
		    t->burst.len);
	buf_reset(&t->burst);
	if (prefix != 0)
		console_key(t, prefix);
	console_key(t, key);
	t->focus = FOCUS_CONSOLE;
	t->held = true;
	t->relayout = t->cols < TUI_SPLIT_COLS;
	tui_message(t, "typed into the console (no %s key): Enter twice "
	    "sends it", view);
}

/* After a key the view took: a harmless printable key joins the burst
 * (it may be the first letter of a typed word); anything else ends it. */
static void
burst_note(struct tui *t, const struct tui_key *k, int key)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	if (k->flags & TUI_KEY_PREFIX)
		return;
	if (t->focus != FOCUS_VIEW || t->dialog != DIALOG_NONE ||
	    (k->flags & TUI_KEY_ACTS) != 0 || !tui_key_printable(key)) {
		buf_reset(&t->burst);
		return;
	}
	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)key, &st);
	if (n != (size_t)-1)
		buf_append(&t->burst, mb, n);
}

static void
console_search_done(void *ctx, const char *text)
{
	struct tui *t = ctx;

	if (text != NULL && !tui_console_search(t->console, text))
		tui_message(t, "not found in the transcript");
}

/* q: LOGOUT, and leave when the server has closed (or at once when
 * there is no connection). */
static void
quit(struct tui *t)
{
	if (tui_connected(t) && !t->quitting) {
		t->quitting = true;
		if (tui_command(t, "LOGOUT") != NULL)
			return;
	}
	t->quit = true;
}

static void
undo(struct tui *t)
{
	tui_undo_fn *fn = t->undo_fn;
	void *ctx = t->undo_ctx;

	if (fn == NULL) {
		tui_message(t, "nothing to undo");
		return;
	}
	tui_set_undo(t, NULL, NULL, NULL);
	t->acting = t->undo_acting;
	fn(ctx);
	t->acting = NULL;
}

/* --- the transcript <-> view link ------------------------------------------ */

/* Enter on a transcript line: the view row it updated. */
static void
jump_to_view(struct tui *t)
{
	struct tui_link link;
	const char *name;
	size_t i;

	if (!tui_console_transcript_link(t->console, &link) ||
	    (name = tui_link_view_name(&link)) == NULL) {
		tui_message(t, "this line updated no view");
		return;
	}
	if ((i = tui_host_view_index(name)) == VIEW_COUNT)
		return;
	if (view_table[i]->reveal != NULL && t->views[i] != NULL &&
	    !view_table[i]->reveal(t->views[i], &link))
		tui_message(t, "the %s view has no row for this line (any "
		    "more)", name);
	tui_host_show_view(t, i);
	t->relayout = t->cols < TUI_SPLIT_COLS;
}

/* e in transcript mode: the literal of the cursor's line, escaped line
 * by line, in the scrolling dialog. */
static void
show_literal(struct tui *t)
{
	const char *data, *p, *end, *nl;
	struct buf text;
	size_t len;

	if (!tui_console_transcript_literal(t->console, &data, &len)) {
		tui_message(t, "this line has no literal kept (a streamed one "
		    "is not: --save and the Large view write those)");
		return;
	}
	buf_init(&text, (size_t)8 << 20);
	buf_printf(&text, "A literal of %zu bytes (s in the transcript saves "
	    "it):\n\n", len);
	for (p = data, end = data + len; p < end; p = nl + 1) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (display_escape(&text, p, n) != 0 ||
		    buf_append(&text, "\n", 1) != 0)
			break;
	}
	free(t->dialog_text);
	t->dialog_text = buf_steal(&text);
	buf_free(&text);
	t->dialog = DIALOG_HELP;
	t->help_top = 0;
	t->help_pager = true;
}

/* s in transcript mode: the literal of the cursor's line to a file,
 * written whole or not at all (file-atomic); an existing file is kept. */
static void
literal_save_done(void *ctx, const char *path)
{
	struct tui *t = ctx;
	struct file_atomic *f;
	const char *data, *error;
	struct stat st;
	size_t len;

	if (path == NULL || path[0] == '\0')
		return;
	if (!tui_console_transcript_literal(t->console, &data, &len))
		return;
	if (lstat(path, &st) == 0) {
		tui_message(t, "%s exists: not overwritten", path);
		return;
	}
	if ((f = file_atomic_open(path, &error)) == NULL ||
	    file_atomic_write(f, data, len, &error) != 0) {
		file_atomic_abort(&f);
		tui_message(t, "not saved: %s", error);
		return;
	}
	if (file_atomic_commit(&f, &error) != 0) {
		tui_message(t, "not saved: %s", error);
		return;
	}
	tui_message(t, "saved the literal's %zu bytes to %s", len, path);
}

static void
save_literal(struct tui *t)
{
	const char *data;
	size_t len;

	if (!tui_console_transcript_literal(t->console, &data, &len)) {
		tui_message(t, "this line has no literal kept");
		return;
	}
	tui_prompt(t, "Save the literal to:", "literal.txt", literal_save_done,
	    t);
}

/* Alt-t: in the console, transcript mode; in a view, the newest line
 * about the cursor's row (again: the next older one). */
static void
transcript_key(struct tui *t)
{
	const struct tui_view_ops *ops = view_table[t->current];
	struct tui_link row;

	if (t->focus == FOCUS_CONSOLE) {
		if (tui_console_transcript_active(t->console))
			(void)tui_console_transcript_key(t->console, TUI_ESC);
		else
			tui_console_transcript_enter(t->console);
		return;
	}
	if (ops->cursor_link == NULL ||
	    !ops->cursor_link(t->views[t->current], &row)) {
		tui_console_transcript_enter(t->console);
	} else if (!tui_console_transcript_find(t->console, &row)) {
		tui_message(t, "no transcript line is about this row (the "
		    "views' own commands are folded: type one to see it)");
		return;
	}
	t->focus = FOCUS_CONSOLE;
	t->relayout = t->cols < TUI_SPLIT_COLS;
	tui_message(t, "transcript mode: Up/Down move, Enter: the view, "
	    "n: older lines about the row, Esc: back");
}

/* A key while the console is in transcript mode: true if it was the
 * mode's. */
static bool
transcript_mode_key(struct tui *t, int key)
{
	switch (tui_console_transcript_key(t->console, key)) {
	case TUI_TRANSCRIPT_IGNORED:
		return false;
	case TUI_TRANSCRIPT_JUMP:
		jump_to_view(t);
		(void)tui_console_transcript_key(t->console, TUI_ESC);
		return true;
	case TUI_TRANSCRIPT_EXPAND:
		show_literal(t);
		return true;
	case TUI_TRANSCRIPT_SAVE:
		save_literal(t);
		return true;
	default:
		return true;
	}
}

/* A shared key; false if it does not apply now (Tab in a console line
 * completes, r only reconnects after a disconnect). */
static bool
global_action(struct tui *t, int action, int key)
{
	switch ((enum global_action)action) {
	case GLOBAL_FOCUS:
		if (t->focus == FOCUS_CONSOLE &&
		    !tui_console_input_empty(t->console))
			return false; /* completion */
		t->focus = t->focus == FOCUS_CONSOLE ? FOCUS_VIEW
						     : FOCUS_CONSOLE;
		if (t->focus == FOCUS_VIEW)
			tui_host_show_view(t, t->current);
		t->relayout = t->cols < TUI_SPLIT_COLS;
		return true;
	case GLOBAL_SHOW:
		tui_host_show_view(t, (size_t)(key >= TUI_ALT(0)
			? key - TUI_ALT('1')
			: key - TUI_KEY(KEY_F(2))));
		t->relayout = t->cols < TUI_SPLIT_COLS;
		return true;
	case GLOBAL_HELP:
		open_help(t);
		return true;
	case GLOBAL_SEARCH:
		tui_prompt(t, "Search the transcript for:", NULL,
		    console_search_done, t);
		return true;
	case GLOBAL_EXPAND:
		tui_console_toggle_expand(t->console);
		tui_message(t, tui_console_expanded(t->console)
			? "views' and jobs' commands shown in full (Alt-f folds)"
			: "views' and jobs' commands folded (Alt-f shows them)");
		return true;
	case GLOBAL_TRANSCRIPT:
		transcript_key(t);
		return true;
	case GLOBAL_SUGGESTION:
		if (!tui_console_use_suggestion(t->console))
			tui_message(t, "no suggestion to take (it comes with an "
			    "Enter held for a warning)");
		return true;
	case GLOBAL_EXPLAIN:
		tui_message(t, "%s (Alt-x)",
		    tui_console_cycle_explain(t->console));
		return true;
	case GLOBAL_SCROLL_UP:
	case GLOBAL_SCROLL_DOWN:
		tui_console_scroll_page(t->console,
		    action == GLOBAL_SCROLL_UP ? 1 : -1);
		return true;
	case GLOBAL_READLINE:
		return false;
	case GLOBAL_UNDO_SHOW:
		if (t->undo_what != NULL)
			tui_message(t, "undo: %s? Enter sends it, Esc does not",
			    t->undo_what);
		else
			tui_message(t, "nothing to undo");
		return true;
	case GLOBAL_UNDO:
		undo(t);
		return true;
	case GLOBAL_QUIT:
		quit(t);
		return true;
	case GLOBAL_QUIT_DISCONNECTED:
	case GLOBAL_RECONNECT:
		if (tui_connected(t))
			return false;
		if (action == GLOBAL_RECONNECT)
			reconnect(t);
		else
			t->quit = true;
		return true;
	case GLOBAL_REDRAW:
		t->relayout = true;
		return true;
	case GLOBAL_TOUR_NEXT:
		tui_tour_next(t);
		return true;
	case GLOBAL_TOUR_PREV:
		tui_tour_prev(t);
		return true;
	}
	return false;
}

/* Find key (after prefix, 0 for none) in the focused view's table, then
 * in the shared one, and act on it. False if no table binds it now. */
static bool
dispatch(struct tui *t, int prefix, int key)
{
	const struct tui_view_ops *ops = view_table[t->current];
	const struct tui_key *k = NULL;

	if (t->focus == FOCUS_VIEW)
		k = tui_keys_find(ops->keymap, view_mode(t), prefix, key);
	if (k != NULL) {
		if (k->flags & TUI_KEY_PREFIX)
			t->prefix = key;
		t->acting = ops->name;
		ops->key(t->views[t->current], k->action, key);
		t->acting = NULL;
	} else {
		k = tui_keys_find(&global_map, focus_mode(t), prefix, key);
		if (k == NULL)
			return false;
		if (k->flags & TUI_KEY_PREFIX)
			t->prefix = key;
		if (!global_action(t, k->action, key))
			return false;
	}
	burst_note(t, k, key);
	return true;
}

static void
handle_key(struct tui *t, int key)
{
	int prefix = t->prefix;
	char name[32];

	t->dirty = true;
	if (t->dialog != DIALOG_NONE) {
		buf_reset(&t->burst);
		dialog_key(t, key);
		return;
	}
	if (t->focus == FOCUS_CONSOLE && prefix == 0 &&
	    tui_console_transcript_active(t->console) &&
	    key != TUI_ALT('t') && transcript_mode_key(t, key))
		return;
	if (prefix != 0) {
		/* the key after a prefix: its second key, Esc, typing, or
		 * a key on its own */
		t->prefix = 0;
		t->message[0] = '\0';
		if (dispatch(t, prefix, key)) {
			buf_reset(&t->burst);
			return;
		}
		if (key == TUI_ESC)
			return;
		if (t->focus == FOCUS_VIEW && tui_key_printable(prefix) &&
		    tui_key_printable(key)) {
			type_into_console(t, prefix, key);
			return;
		}
	}
	if (dispatch(t, 0, key))
		return;
	if (t->focus == FOCUS_CONSOLE) {
		console_typed(t, key);
		return;
	}
	if (tui_key_printable(key)) {
		type_into_console(t, 0, key);
		return;
	}
	buf_reset(&t->burst);
	tui_key_name(key, name, sizeof(name));
	tui_message(t, "%s is no key of the %s view (F1: its keys)", name,
	    view_table[t->current]->name);
}

/* One key from curses, as tui-keys.h spells keys: one Enter, one
 * Backspace, and ESC then a key is Alt+key. */
static bool
next_key(struct tui *t, int *key_r)
{
	WINDOW *w = t->w_input != NULL ? t->w_input : stdscr;
	wint_t wc;
	int r, key;

	if (t->pending_key != 0) {
		key = t->pending_key;
		t->pending_key = 0;
		*key_r = key;
		return true;
	}
	if ((r = wget_wch(w, &wc)) == ERR)
		return false;
	key = r == KEY_CODE_YES ? TUI_KEY((int)wc) : (int)wc;
	if (key == TUI_ESC) {
		wint_t next;
		int r2 = wget_wch(w, &next);

		/* ESC and a character is Alt+character; ESC and a function
		 * key is two keys (terminals send Alt+Home and the like as
		 * sequences of their own, which curses names) */
		if (r2 == KEY_CODE_YES)
			t->pending_key = TUI_KEY((int)next);
		else if (r2 != ERR)
			key = TUI_ALT((int)next);
	}
	switch (key) {
	case '\n':
	case TUI_KEY(KEY_ENTER):
		key = '\r';
		break;
	case 127:
	case 8:
		key = TUI_KEY(KEY_BACKSPACE);
		break;
	case TUI_ALT('\n'):
		key = TUI_ALT('\r');
		break;
	}
	*key_r = key;
	return true;
}

/* Read every key curses has: one burst of input. */
static void
read_keys(struct tui *t)
{
	int key;

	buf_reset(&t->burst);
	while (next_key(t, &key)) {
		/* a key acts on the screen as it is: a draw the loop
		 * put off (TUI_DRAW_MS) comes first, since views keep what
		 * their last draw laid out (the rows of a page) */
		if (!t->keyed && (t->dirty || tui_console_dirty(t->console))) {
			tui_host_draw(t);
			t->drawn_ms = clock_now_ms();
		}
		t->keyed = true;
		if (key == TUI_KEY(KEY_RESIZE))
			t->relayout = true;
		else if (key == TUI_KEY(KEY_MOUSE))
			tui_mouse_event(t);
		else
			handle_key(t, key);
		if (t->quit)
			break;
	}
	buf_reset(&t->burst);
}

/* --- the loop ------------------------------------------------------------ */

static void
curses_start(struct tui *t)
{
	struct sigaction sa;

	initscr();
	curses_active = true;
	atexit(restore_terminal);
	raw();
	noecho();
	nonl();
	set_escdelay(25);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	tui_mouse_start(t);
	if (has_colors() && !tui_no_color()) {
		start_color();
		use_default_colors();
		init_pair(TUI_COLOR_CLIENT, COLOR_CYAN, -1);
		init_pair(TUI_COLOR_SERVER, -1, -1);
		init_pair(TUI_COLOR_NOTE, COLOR_YELLOW, -1);
		init_pair(TUI_COLOR_ERROR, COLOR_RED, -1);
		init_pair(TUI_COLOR_BAR, COLOR_WHITE, COLOR_BLUE);
		t->colors = true;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	t->curses_on = true;
	tui_host_layout(t);
}

/* IDLE or a NOOP poll when due; how long the loop may wait. Nothing
 * starts while a dialog waits for the user: its answer may send a
 * command into a state the dialog showed (a typed literal or IDLE is a
 * command in flight, which holds it back too). */
static int
run_live(struct tui *t)
{
	int ms;

	live_set_busy(t->live, t->dialog == DIALOG_CONFIRM ||
	    t->dialog == DIALOG_PROMPT);
	ms = live_run(t->live, clock_now_ms());
	return ms >= 0 && ms < TUI_TICK_MS ? ms : TUI_TICK_MS;
}

static void
user_connection_ended(struct tui *t)
{
	const char *why = client_error(t->client);

	live_set_session(t->live, NULL);
	tui_console_set_session(t->console, NULL);
	/* a clean close after BYE leaves no error */
	if (why[0] != '\0')
		tui_console_note(t->console, TUI_LINE_ERROR, why);
	else
		tui_console_note(t->console, TUI_LINE_NOTE,
		    "the server closed the connection");
	t->dirty = true;
}

static void
jobs_connection_ended(struct tui *t, struct client *c)
{
	const char *why = client_error(c);
	char text[640];

	snprintf(text, sizeof(text), "the jobs' connection ended: %s; the "
	    "next job opens it again", why[0] != '\0' ? why :
	    "the server closed it");
	tui_console_note_from(t->console, JOBS_ORIGIN, TUI_LINE_NOTE, text);
	tui_jobconn_ended(t->jobconn, c);
	t->dirty = true;
}

/* Fill one slot of the loop's poll set with a connection (fd -1 when
 * there is none); *timeout_ms becomes 0 when it has input buffered, and
 * no later than its --timeout while the server owes it something. */
static int
poll_prepare(struct client *c, struct pollfd *pfd, int *timeout_ms)
{
	int ready;

	*pfd = (struct pollfd){ .fd = -1 };
	if (c == NULL || !client_connected(c))
		return 0;
	if ((ready = client_poll_prepare(c, pfd)) < 0)
		return -1;
	*timeout_ms = ready > 0 ? 0 : client_poll_limit(c, *timeout_ms);
	return 0;
}

/* One poll() for the terminal and both connections; no busy loop: it
 * waits up to a tick unless a connection has input buffered. */
static void
loop(struct tui *t)
{
	enum { POLL_TERMINAL, POLL_USER, POLL_JOBS, POLL_COUNT };
	struct pollfd fds[POLL_COUNT];
	struct client *jobs;
	int timeout, draw_wait;
	uint64_t now;

	while (!t->quit && !got_term) {
		tui_tour_turn(t);
		if (t->relayout)
			tui_host_layout(t);
		draw_wait = -1;
		if (t->dirty || tui_console_dirty(t->console)) {
			now = clock_now_ms();
			if (t->keyed || now < t->drawn_ms ||
			    now - t->drawn_ms >= TUI_DRAW_MS) {
				tui_host_draw(t);
				t->drawn_ms = now;
				t->keyed = false;
			} else
				draw_wait = (int)(TUI_DRAW_MS -
				    (now - t->drawn_ms));
		}
		tui_jobconn_reap(t->jobconn);
		timeout = client_connected(t->client) ? run_live(t)
						      : TUI_TICK_MS;
		fds[POLL_TERMINAL] = (struct pollfd){ .fd = STDIN_FILENO,
			.events = POLLIN };
		if (poll_prepare(t->client, &fds[POLL_USER], &timeout) != 0)
			user_connection_ended(t);
		jobs = tui_jobconn_client(t->jobconn);
		if (poll_prepare(jobs, &fds[POLL_JOBS], &timeout) != 0) {
			jobs_connection_ended(t, jobs);
			jobs = NULL;
		}
		if (draw_wait >= 0 && draw_wait < timeout)
			timeout = draw_wait;
		transcript_flush(t->transcript); /* before a wait */
		if (poll(fds, POLL_COUNT, timeout) < 0)
			fds[POLL_TERMINAL].revents = fds[POLL_USER].revents =
			    fds[POLL_JOBS].revents = 0;
		/* the terminal hung up without a SIGHUP reaching us (it was
		 * not our controlling terminal, or its session leader took
		 * the signal): leave as on SIGHUP, not spin on its EOF */
		if (fds[POLL_TERMINAL].revents & (POLLHUP | POLLERR | POLLNVAL))
			got_term = 1;
		if (fds[POLL_USER].fd >= 0 &&
		    client_poll_handle(t->client, &fds[POLL_USER]) != 0)
			user_connection_ended(t);
		/* `jobs` stays allocated until the next reap, even if an
		 * event replaced it */
		if (jobs != NULL && fds[POLL_JOBS].fd >= 0 &&
		    client_poll_handle(jobs, &fds[POLL_JOBS]) != 0)
			jobs_connection_ended(t, jobs);
		if (t->quitting && !client_connected(t->client))
			break; /* our own LOGOUT has ended */
		read_keys(t);
	}
}

/* imap://host/MAILBOX/;UID=N: the Messages view, its cursor on the
 * message (client_url_open looked it up). */
static void
show_url_message(struct tui *t, bool found)
{
	struct tui_link link = { .kind = TUI_LINK_MESSAGE,
		.uid = t->opts->open_uid };
	size_t i = tui_host_view_index(tui_view_messages.name);

	tui_host_show_view(t, i);
	if (t->opts->open_uid == 0)
		return;
	if (!found || !tui_view_messages.reveal(t->views[i], &link))
		tui_message(t, "the URL's message UID %lu is not in this "
		    "mailbox", (unsigned long)t->opts->open_uid);
	else
		tui_message(t, "the URL's message: UID %lu",
		    (unsigned long)t->opts->open_uid);
}

enum exit_status
front_tui_run(const struct cli_options *opts)
{
	struct tui t = { .opts = opts, .clicked_row = -1 };
	struct client *jobs;
	enum exit_status status;
	const char *error = NULL;
	bool url_found = false;
	size_t i;

	setlocale(LC_ALL, "");
	buf_init(&t.dialog_input, 4096);
	buf_init(&t.burst, 4096);
	t.console = tui_console_new(NULL, NULL);
	tui_console_set_show_literal(t.console, opts->show_literal);
	tui_console_set_manual_tags(t.console, opts->manual_tags);
	if (opts->transcript_file != NULL &&
	    (t.transcript = transcript_new(NULL, opts->transcript_file,
		 &error)) == NULL) {
		fprintf(stderr, "imapwb: %s: %s\n", opts->transcript_file,
		    error);
		tui_console_free(&t.console);
		buf_free(&t.dialog_input);
		return EXIT_STATUS_USAGE;
	}
	if (t.transcript != NULL)
		transcript_set_show_literal(t.transcript, opts->show_literal);
	t.live = live_new();
	if (opts->tour)
		t.tour = tui_tour_new();
	t.client = new_client(&t);
	t.jobconn = tui_jobconn_new(opts, &(struct client_listener){
		.wire = jobs_on_wire,
		.response = jobs_on_response,
		.completed = jobs_on_completed,
		.notice = jobs_on_notice,
		.ctx = &t,
	});
	/* connect and authenticate first: a password prompt needs the
	 * plain terminal */
	status = connect_client(&t, &error);
	/* the URL's mailbox, before the screen: a refusal exits */
	if (status == EXIT_STATUS_OK && opts->open_mailbox != NULL &&
	    (status = client_url_open(t.client, opts->open_mailbox,
		opts->open_uidvalidity, opts->open_uid, &url_found,
		&error)) != EXIT_STATUS_OK)
		client_logout(t.client);
	if (status != EXIT_STATUS_OK) {
		display_error_line(stderr,
		    error != NULL ? error : "the connection failed");
		tui_jobconn_free(&t.jobconn);
		client_free(&t.client);
		live_free(&t.live);
		tui_tour_free(&t.tour);
		transcript_free(&t.transcript);
		tui_console_free(&t.console);
		buf_free(&t.dialog_input);
		return status;
	}
	tui_console_set_session(t.console, client_session(t.client));
	live_set_session(t.live, client_session(t.client));
	renew_guard(&t);
	for (i = 0; i < VIEW_COUNT; i++)
		t.views[i] = view_table[i]->create(&t);
	curses_start(&t);
	log_set_sink(on_log, &t);
	tui_console_readline_start(t.console);
	tui_console_set_model(t.console, client_model(t.client));
	list_mailboxes(&t);
	if (opts->open_mailbox != NULL)
		show_url_message(&t, url_found);
	else
		tui_host_show_view(&t, 0);
	t.focus = FOCUS_CONSOLE;
	tui_tour_start(&t);
	loop(&t);
	tui_console_readline_stop(t.console);
	log_set_sink(display_log_sink, NULL);
	tui_host_delete_windows(&t);
	restore_terminal();
	/* quitting while the session is lost (and not reconnected) says so
	 * in the status; a NO to a typed command does not, in a session the
	 * user watched */
	status = client_connected(t.client) ? EXIT_STATUS_OK
					    : client_error_status(t.client);
	if (client_connected(t.client))
		client_logout(t.client);
	/* its LOGOUT's events still reach the views; a job still running on
	 * it lets go of its command before the session goes */
	if ((jobs = tui_jobconn_client(t.jobconn)) != NULL &&
	    client_connected(jobs))
		client_logout(jobs);
	for (i = 0; i < VIEW_COUNT; i++)
		view_table[i]->destroy(t.views[i]);
	live_set_session(t.live, NULL);
	tui_console_set_guard(t.console, NULL);
	console_guard_free(&t.guard);
	tui_jobconn_free(&t.jobconn);
	client_free(&t.client);
	live_free(&t.live);
	tui_tour_free(&t.tour);
	tui_console_free(&t.console);
	transcript_free(&t.transcript);
	free(t.dialog_text);
	free(t.cursor_mailbox);
	free(t.undo_what);
	buf_free(&t.dialog_input);
	buf_free(&t.burst);
	free(t.reopen_mailbox);
	return status;
}
