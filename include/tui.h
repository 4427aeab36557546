/* tui: the split-screen front end's services for its views.
 *
 * The TUI (src/tui.c) owns the terminal, the client and one instance of
 * each view. A view is one file with one vtable: it draws its pane from
 * the model, handles its keys, and hears about model changes. It acts
 * only through tui_command(), so every action goes through the session
 * and shows in the console pane like a typed command. */
#ifndef IMAPWB_TUI_H
#define IMAPWB_TUI_H

#include <stdbool.h>
#include <stdint.h>

#include <curses.h>

#include "decode-response.h"
#include "imap-session.h"
#include "tui-draw.h"
#include "tui-keys.h"

struct tui;
struct model;
struct client;

struct tui_link;

struct tui_view_ops {
	const char *name;  /* the tab's title */
	const char *short_name; /* optional: the title where space is short */
	void *(*create)(struct tui *tui);
	void (*destroy)(void *view);
	/* Draw the view into win (rows x cols, already erased). A draw
	 * sends nothing. */
	void (*draw)(void *view, WINDOW *win, int rows, int cols);
	/* Optional: after each draw, when what is on screen is known: a
	 * view may ask for what its visible rows lack (as the view: its
	 * commands fold under its name). */
	void (*drawn)(void *view);
	/* The view's keys (tui-keys.h): the help screen shows them, and
	 * key() gets only these, with the entry's action (and the key, for
	 * a range or alternatives). */
	const struct tui_keymap *keymap;
	void (*key)(void *view, int action, int key);
	/* Optional: the view's mode now, a bit of its keymap's modes (the
	 * keys of other modes do not work); without it, mode 1. */
	unsigned (*mode)(void *view);
	/* The model changed (MODEL_CHANGED_* bits). */
	void (*on_model_change)(void *view, unsigned changed);
	/* The view became visible (may ask the server for its data). */
	void (*on_show)(void *view);
	/* Optional: another view took its place. A hidden view sends
	 * nothing but what the user asked of it (DESIGN.md: guests are
	 * quiet). */
	void (*on_hide)(void *view);
	/* Optional: every response, decoded (decode-response.h), after the
	 * model has taken it, for a view that needs what the model does not
	 * keep (a message's BODYSTRUCTURE and text). resp->owner is the
	 * command it answers (imap-session.h: for untagged data, the oldest
	 * command in flight that draws such data); compare it with what
	 * tui_command() returned. A view still checks what untagged data
	 * says (the UID of the FETCH it asked for): the server may send the
	 * same data unasked while the view's command is in flight. */
	void (*response)(void *view, const struct decoded_response *resp);
	/* Optional: a command ended (any command; tagged is NULL when it
	 * FAILED, the connection gone), after the response hook has seen
	 * its tagged reply. For a view that runs a job (job.h). */
	void (*completed)(void *view, const struct imap_session_command *cmd,
	    enum imap_command_result result,
	    const struct decoded_response *tagged);
	/* Optional: the same two events from the jobs' connection
	 * (tui_job_session()), for a view that runs its jobs there; the
	 * hooks above hear only the user's connection. */
	void (*job_response)(void *view, const struct decoded_response *resp);
	void (*job_completed)(void *view,
	    const struct imap_session_command *cmd,
	    enum imap_command_result result,
	    const struct decoded_response *tagged);
	/* Optional: the transcript <-> view link (tui-link.h). reveal()
	 * puts the cursor on the row a transcript line is about (false: no
	 * such row here); cursor_link() says what the cursor's row is, so
	 * the console can find the lines that produced it. */
	bool (*reveal)(void *view, const struct tui_link *link);
	bool (*cursor_link)(void *view, struct tui_link *link_r);
};

struct model *tui_model(struct tui *tui);
struct imap_session *tui_session(struct tui *tui);
struct client *tui_client(struct tui *tui);
bool tui_connected(struct tui *tui);
/* The session of the jobs' connection: a second one to the same server
 * with the same options (tui-jobconn.h), opened on first use and again
 * after it dropped, so a job never changes what the user has selected.
 * Its wire shows in the console marked "[large]". NULL with *error_r
 * (valid until the next call) when it cannot be opened. A view asks for
 * it only with no job of its own running on an earlier one. */
struct imap_session *tui_job_session(struct tui *tui, const char **error_r);
/* Redraw at the end of this loop turn. */
void tui_dirty(struct tui *tui);

/* Build and send a command (imap_session_command's format). Its origin
 * is the view whose hook, key or dialog is running (DESIGN.md: the
 * console shows it folded, marked with the view). NULL, with the reason
 * in the status line, when it cannot be sent (disconnected, a bad
 * argument). */
struct imap_session_command *tui_command(struct tui *tui, const char *fmt,
    ...);
/* A short message on the status line (not server text: views escape
 * what they pass). */
void tui_message(struct tui *tui, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A modal question. text may have several lines (the exact commands a
 * confirmation will send); the answer goes to done(ctx, yes). */
typedef void tui_confirm_cb(void *ctx, bool yes);
void tui_confirm(struct tui *tui, const char *text, tui_confirm_cb *done,
    void *ctx);
/* A modal one-line input; done(ctx, NULL) when cancelled. */
typedef void tui_prompt_cb(void *ctx, const char *text);
void tui_prompt(struct tui *tui, const char *question, const char *initial,
    tui_prompt_cb *done, void *ctx);

/* The mailbox a view about one mailbox (ACL, Quota) starts from, raw:
 * the selected one, else the one under the Mailboxes view's cursor, else
 * INBOX. Valid until the next loop turn. */
const char *tui_current_mailbox(struct tui *tui);
/* The Mailboxes view tells where its cursor is (NULL: nowhere). */
void tui_set_cursor_mailbox(struct tui *tui, const char *raw);

/* The last change a view made that can be taken back (u, then Enter):
 * `what` is what undo(ctx) will send, shown before it is sent. Setting
 * it again replaces it; what == NULL forgets it. The TUI forgets it
 * before calling undo. */
typedef void tui_undo_fn(void *ctx);
void tui_set_undo(struct tui *tui, const char *what, tui_undo_fn *undo,
    void *ctx);

/* The keys every pane shares (Tab, Alt-1..8, F1, q, u Enter, ...). */
const struct tui_keymap *tui_global_keymap(void);

/* The row of the view's pane a mouse click was on, for TUI_LIST_CLICK
 * (tui-list.h); -1 when the key came from no click. */
int tui_clicked_row(struct tui *tui);

/* Show the view with this name and give it focus. */
void tui_show_view(struct tui *tui, const char *name);

/* The views, in tab order (Alt-1 is the first). */
extern const struct tui_view_ops tui_view_mailboxes;
extern const struct tui_view_ops tui_view_status;
extern const struct tui_view_ops tui_view_messages;
extern const struct tui_view_ops tui_view_acl;
extern const struct tui_view_ops tui_view_quota;
extern const struct tui_view_ops tui_view_capabilities;
extern const struct tui_view_ops tui_view_connection;
extern const struct tui_view_ops tui_view_large;

#endif
