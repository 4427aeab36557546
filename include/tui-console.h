/* tui-console: the console pane of the TUI. The transcript (a bounded
 * ring of C:, S: and note lines, wrapped to the pane, with scrollback
 * and search) and the input line (GNU readline in callback mode, drawn
 * into a curses window, with history and completion). */
#ifndef IMAPWB_TUI_CONSOLE_H
#define IMAPWB_TUI_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "imap-session.h"

/* The transcript keeps at most this many lines. */
#define TUI_CONSOLE_MAX_LINES 20000

enum tui_line_kind {
	TUI_LINE_CLIENT,
	TUI_LINE_SERVER,
	TUI_LINE_NOTE,
	TUI_LINE_ERROR,
	TUI_LINE_FOLD,  /* a view's or a job's command, summed up in a line */
};

/* How much of what teach-explain says the transcript shows under its
 * lines: the meaning of each response code (the default), everything,
 * or nothing. Transcript mode shows everything for the cursor's line. */
enum tui_explain_inline {
	TUI_EXPLAIN_CODES,
	TUI_EXPLAIN_ALL,
	TUI_EXPLAIN_NONE,
};

/* What a key did in transcript mode. */
enum tui_transcript_action {
	TUI_TRANSCRIPT_IGNORED, /* not a key of the mode: it ends, the key
				   goes on */
	TUI_TRANSCRIPT_NONE,  /* moved, or nothing */
	TUI_TRANSCRIPT_LEAVE, /* Esc, q: back to the input line */
	TUI_TRANSCRIPT_JUMP,  /* Enter: show the view row of the line */
	TUI_TRANSCRIPT_EXPAND, /* e: the line's literal in full */
	TUI_TRANSCRIPT_SAVE,  /* s: save the line's literal to a file */
};

struct tui_console;
struct tui_link;
struct decoded_response;
struct model;

/* on_line(ctx) is called after every typed line was handed to the
 * session (to redraw). */
struct tui_console *tui_console_new(struct imap_session *session,
    struct model *model);
void tui_console_free(struct tui_console **c);

/* Wire bytes (already redacted) and notes. The bytes of a command from
 * a view or a job (its origin, imap-session.h) and of the responses that
 * answer it are folded into one line: the origin, the command, what came
 * back, its size, the result and the time. The user's own commands and
 * what the server says unasked are shown in full. */
void tui_console_wire(struct tui_console *c, bool client, const char *text,
    size_t len, const struct imap_session_command *cmd);
/* The same for another connection than the user's (the jobs' one): the
 * lines carry origin (a string that outlives the console, such as
 * "large") and are drawn marked with it: "C [large]: "; the commands of
 * jobs are folded as above. */
void tui_console_wire_from(struct tui_console *c, const char *origin,
    bool client, const char *text, size_t len,
    const struct imap_session_command *cmd);
void tui_console_note_from(struct tui_console *c, const char *origin,
    enum tui_line_kind kind, const char *text);
/* --tags manual: typed lines go as typed (client-console-input.h). */
void tui_console_set_manual_tags(struct tui_console *c, bool manual);
/* A literal shows its first show_bytes bytes (--show-literal; 0: a
 * summary line), and at most about a screenful of lines. */
void tui_console_set_show_literal(struct tui_console *c, uint64_t show_bytes);
/* Show folded commands in full (their first lines, capped), or fold them
 * again. */
void tui_console_toggle_expand(struct tui_console *c);
bool tui_console_expanded(const struct tui_console *c);
void tui_console_note(struct tui_console *c, enum tui_line_kind kind,
    const char *text);
/* A command ended with result ("OK", "NO", "BAD", "failed"): show its
 * latency on its tagged reply, or complete its folded line. */
void tui_console_completed(struct tui_console *c,
    const struct imap_session_command *cmd, const char *result,
    double latency_ms);
void tui_console_command_done(struct tui_console *c,
    const struct imap_session_command *cmd);

/* The connection is gone (input disabled), or back with a new session. */
void tui_console_set_session(struct tui_console *c,
    struct imap_session *session);

/* The guard for a typed plain EXPUNGE or CLOSE (client-console-guard.h) of the
 * current session, or NULL; set it again after tui_console_set_session. */
struct console_guard;
void tui_console_set_guard(struct tui_console *c,
    struct console_guard *guard);

/* Where completion finds mailbox names. */
void tui_console_set_model(struct tui_console *c, struct model *model);

/* Readline: start it (once curses is up), feed it a key's bytes, stop. */
void tui_console_readline_start(struct tui_console *c);
void tui_console_feed(struct tui_console *c, const char *bytes, size_t len);
void tui_console_readline_stop(struct tui_console *c);
/* The input line is empty (so Tab switches focus instead of completing). */
bool tui_console_input_empty(const struct tui_console *c);

/* A response of the user's connection, decoded, right after its wire
 * bytes: when it was shown in full (not folded), its lines get what
 * teach-explain says of it, the view row it updated (tui-link.h), and a
 * mark if it is a NO or a BAD. Commands are explained as they go out. */
void tui_console_response(struct tui_console *c,
    const struct decoded_response *d);
/* The next inline setting (codes, all, none, codes ...), and its name. */
const char *tui_console_cycle_explain(struct tui_console *c);

/* Transcript mode: a cursor on the transcript's lines (the newest at
 * first), the cursor's line explained in a band below them. Keys:
 * Up/Down/PgUp/PgDn/Home/End move, Enter jumps to the view row the
 * line updated (TUI_TRANSCRIPT_JUMP: tui_console_transcript_link says
 * which), n goes to the next older line about the row found last
 * (tui_console_transcript_find), e shows the line's literal in full and
 * s saves it (TUI_TRANSCRIPT_EXPAND, _SAVE), Esc or q leaves. */
void tui_console_transcript_enter(struct tui_console *c);
bool tui_console_transcript_active(const struct tui_console *c);
enum tui_transcript_action tui_console_transcript_key(struct tui_console *c,
    int key);
/* The largest literal of the cursor's response (kept for the newest
 * TUI_CONSOLE_KEPT_LITERALS responses with one; a streamed literal is
 * not kept); false if it has none. */
#define TUI_CONSOLE_KEPT_LITERALS 256
bool tui_console_transcript_literal(struct tui_console *c,
    const char **data_r, size_t *len_r);
/* The link of the cursor's line; false if it updated no view row. */
bool tui_console_transcript_link(struct tui_console *c,
    struct tui_link *link_r);
/* Enter transcript mode on the newest line about a view's row (n there
 * goes to older ones); false if no line is. */
bool tui_console_transcript_find(struct tui_console *c,
    const struct tui_link *row);

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
/* Draw the hint row under the input line: the grammar of the command
 * being typed with the argument under the cursor highlighted, or, after
 * an Enter that was held, what is wrong with the line (teach-hint.h). */
void tui_console_draw_hint(struct tui_console *c, WINDOW *hint, int cols,
    bool focused);
/* Enter on the input line: true (and the line stays, not sent) the first
 * time for a line teach-hint warns about; *text_r says what is wrong and
 * *suggestion_r is the line corrected, or NULL. Enter again sends it. */
bool tui_console_hold_enter(struct tui_console *c, const char **text_r,
    const char **suggestion_r);
/* Replace the input line with text, the cursor at its end (the tour's
 * pre-typed command); not from inside readline's line callback. */
void tui_console_set_input(struct tui_console *c, const char *text);
/* Replace the input line with the suggestion of the held warning; false
 * if there is none. */
bool tui_console_use_suggestion(struct tui_console *c);

/* Whether something changed since the last draw. */
bool tui_console_dirty(const struct tui_console *c);

#endif
