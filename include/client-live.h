/* client-live: keeps the selected mailbox current while the user does nothing,
 * for the TUI (batch and the plain console send only what was typed).
 *
 * With a mailbox selected and nothing in flight for LIVE_QUIET_MS, it
 * starts the session's automatic IDLE (RFC 2177, RFC 9051 6.3.13), which
 * the session ends with DONE before any other command goes out
 * (imap_session_auto_idle); it re-issues it every LIVE_REIDLE_MS (RFC
 * 2177: at least every 29 minutes). Without IDLE, or with a server that
 * refuses it or keeps ending it unasked, it polls with NOOP after
 * LIVE_POLL_MS of quiet (RFC 9051 6.1.2: NOOP lets the server tell what
 * changed). The news reaches the model like any other response.
 *
 * It does no I/O and reads no clock: the front end calls live_run() with
 * the time every loop turn and waits no longer than it says, and passes
 * on the session's completions and wire bytes. Its own commands (the
 * IDLE and the NOOPs) are what the console folds away: live_wire() says
 * which lines are theirs, and which news the server sent meanwhile. */
#ifndef IMAPWB_CLIENT_LIVE_H
#define IMAPWB_CLIENT_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap-session.h"

/* Quiet before IDLE starts, after the last command ended. */
#define LIVE_QUIET_MS 200
/* RFC 2177 asks for a new IDLE at least every 29 minutes. */
#define LIVE_REIDLE_MS (25u * 60 * 1000)
/* Quiet before a NOOP poll, where IDLE cannot be used. */
#define LIVE_POLL_MS 30000
/* An IDLE the server ends unasked this soon after it started counts as
 * refused; after LIVE_MAX_SHORT_IDLES in a row, NOOP polls take over. */
#define LIVE_SHORT_IDLE_MS 10000
#define LIVE_MAX_SHORT_IDLES 3

enum live_mode {
	LIVE_OFF,     /* no session, or no mailbox selected */
	LIVE_WAITING, /* something in flight or under way */
	LIVE_IDLE,    /* the automatic IDLE runs */
	LIVE_POLL,    /* NOOP polls (or one in flight) */
};

struct live;

struct live *live_new(void);
void live_free(struct live **live);

/* The session to keep live; NULL when there is none (disconnected). A
 * new session starts afresh (IDLE is tried again). */
void live_set_session(struct live *live, struct imap_session *session);
/* The user has something under way that a command must not cut into
 * (a dialog): no IDLE or NOOP starts meanwhile. */
void live_set_busy(struct live *live, bool busy);

/* Do what is due at now_ms (a monotonic clock in milliseconds): start
 * IDLE, end it to re-issue it, or poll. Returns how many milliseconds
 * until it next has something to do, or -1 when only an event (a
 * completion, a key) can change that. */
int live_run(struct live *live, uint64_t now_ms);
enum live_mode live_mode(const struct live *live);

/* A command ended (any command: each one restarts the quiet period). */
void live_completed(struct live *live, const struct imap_session_command *cmd,
    enum imap_command_result result);
/* Whether cmd is one of live's own (the automatic IDLE, a NOOP poll). */
bool live_owns(const struct live *live, const struct imap_session_command *cmd);

/* Wire bytes of no command (cmd NULL), before the console shows them:
 * true for the server's "* OK" keep-alives during IDLE, which the
 * console skips (a transcript file keeps them). Anything else the server
 * says during live's IDLE or poll is news: the first of it in each sets
 * *note_r to a line to show before it (else NULL). live's own commands'
 * lines are the console's to fold, by their origin (auto). */
bool live_wire(struct live *live, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd, const char **note_r);

#endif
