/* tui-console: the console pane of the TUI. The transcript (a bounded
 * ring of C:, S: and note lines, wrapped to the pane, with scrollback
 * and search) and the input line (GNU readline in callback mode, drawn
 * into a curses window, with history and completion). */
#ifndef IMAPWB_TUI_CONSOLE_H
#define IMAPWB_TUI_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "imap-session.h"

/* The transcript keeps at most this many lines. */
#define TUI_CONSOLE_MAX_LINES 20000

enum tui_line_kind {
	TUI_LINE_CLIENT,
	TUI_LINE_SERVER,
	TUI_LINE_NOTE,
	TUI_LINE_ERROR,
};

struct tui_console;
struct model;

/* on_line(ctx) is called after every typed line was handed to the
 * session (to redraw). */
struct tui_console *tui_console_new(struct imap_session *session,
    struct model *model);
void tui_console_free(struct tui_console **c);

/* Wire bytes (already redacted) and notes. */
void tui_console_wire(struct tui_console *c, bool client, const char *text,
    size_t len);
void tui_console_note(struct tui_console *c, enum tui_line_kind kind,
    const char *text);
/* The same for another connection than the user's (the jobs' one): the
 * lines carry origin (a string that outlives the console, such as
 * "large") and are drawn marked with it: "C [large]: ". */
void tui_console_wire_from(struct tui_console *c, const char *origin,
    bool client, const char *text, size_t len);
void tui_console_note_from(struct tui_console *c, const char *origin,
    enum tui_line_kind kind, const char *text);
/* A command ended: show its latency on its tagged reply. */
void tui_console_completed(struct tui_console *c, const char *tag,
    double latency_ms);
void tui_console_command_done(struct tui_console *c,
    const struct imap_session_command *cmd);

/* The connection is gone (input disabled), or back with a new session. */
void tui_console_set_session(struct tui_console *c,
    struct imap_session *session);

/* Where completion finds mailbox names. */
void tui_console_set_model(struct tui_console *c, struct model *model);

/* Readline: start it (once curses is up), feed it a key's bytes, stop. */
void tui_console_readline_start(struct tui_console *c);
void tui_console_feed(struct tui_console *c, const char *bytes, size_t len);
void tui_console_readline_stop(struct tui_console *c);
/* The input line is empty (so Tab switches focus instead of completing). */
bool tui_console_input_empty(const struct tui_console *c);

/* Scrollback: lines > 0 scrolls up (older), < 0 down; 0 page. */
void tui_console_scroll(struct tui_console *c, int rows);
void tui_console_scroll_page(struct tui_console *c, int pages);
/* Find the latest line above the current view that contains text and
 * scroll to it. false if there is none. */
bool tui_console_search(struct tui_console *c, const char *text);

void tui_console_draw(struct tui_console *c, WINDOW *transcript, int rows,
    int cols);
/* Draw the input line; the cursor goes where readline's point is. */
void tui_console_draw_input(struct tui_console *c, WINDOW *input, int cols,
    bool focused, bool enabled);
/* Whether something changed since the last draw. */
bool tui_console_dirty(const struct tui_console *c);

#endif
