/* imap-session: the IMAP client state machine, without I/O.
 *
 * The session turns commands into bytes (imap_session_output) and bytes
 * into responses (imap_session_input); the front end's poll loop moves the
 * bytes between it and the transport. It keeps the connection state, the
 * tags, the queue of commands in flight (pipelined, completing in any
 * order), continuations (literal synchronisation, AUTHENTICATE steps,
 * IDLE) and the server's capabilities, and it tells its listener about
 * everything through events. */
#ifndef IMAPWB_IMAP_SESSION_H
#define IMAPWB_IMAP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap-command.h"
#include "imap-command-table.h"
#include "imap-parser.h"
#include "imap-seqset.h"
#include "util-buf.h"

enum imap_session_state {
	IMAP_STATE_GREETING,
	IMAP_STATE_NOT_AUTHENTICATED,
	IMAP_STATE_AUTHENTICATED,
	IMAP_STATE_SELECTED,
	IMAP_STATE_LOGOUT,
};

const char *imap_session_state_name(enum imap_session_state state);

/* How a command ended. */
enum imap_command_result {
	IMAP_RESULT_OK,
	IMAP_RESULT_NO,
	IMAP_RESULT_BAD,
	IMAP_RESULT_FAILED, /* no tagged reply: connection lost or closed */
};

/* Commands that must not be pipelined with anything (RFC 9051 5.5): the
 * session sends them only when nothing else is in flight, and sends
 * nothing after them until they end. */
#define IMAP_CMD_EXCLUSIVE 0x01
/* Continuations go to the listener's continuation event (AUTHENTICATE,
 * IDLE) instead of releasing the next chunk. */
#define IMAP_CMD_OWN_CONTINUATIONS 0x02

/* The command is still being assembled (a typed literal to come): it
 * holds back later commands until imap_session_command_close(). */
#define IMAP_CMD_OPEN 0x04
/* The session's own IDLE (imap_session_auto_idle): it ends it with DONE
 * as soon as another command is submitted. Not for callers to set. */
#define IMAP_CMD_AUTO_IDLE 0x08
/* The tag is not the user's: imapwb added it to a line typed without
 * one (client-console-tags.h). Front ends mark it as added. */
#define IMAP_CMD_TAG_ADDED 0x10

struct imap_session_command; /* a command in flight */

/* Who sent a command: the console belongs to the user, everyone else is
 * a guest whose traffic the console folds (DESIGN.md, "Many actors"). */
enum imap_origin_kind {
	IMAP_ORIGIN_CLIENT,  /* the client's own setup: CAPABILITY, LOGIN */
	IMAP_ORIGIN_CONSOLE, /* typed by the user */
	IMAP_ORIGIN_VIEW,    /* a view, for what the user opened in it */
	IMAP_ORIGIN_JOB,     /* a job: largest, delete, save */
	IMAP_ORIGIN_AUTO,    /* the front end by itself: IDLE, polling */
};

struct imap_origin {
	enum imap_origin_kind kind;
	const char *name; /* "messages", "delete"; static text, or NULL */
};

const char *imap_origin_kind_name(enum imap_origin_kind kind);

struct imap_session_listener {
	/* Bytes on the wire, already redacted, for the transcript. `out` is
	 * true for client bytes. cmd is the command they belong to: the
	 * one being sent, the one a response answers, or the one a "+" is
	 * for (NULL for what the server says unasked). */
	void (*wire)(void *ctx, bool out, const char *text, size_t len,
	    const struct imap_session_command *cmd);
	/* Every response, after the session has updated its own state. cmd
	 * is the command it answers: for a tagged response the command it
	 * ends; for an untagged one the oldest command in flight that draws
	 * such data (imap-command-table.h; ESEARCH by its TAG), or NULL
	 * when the server said it unasked (EXISTS during IDLE or NOOP). */
	void (*response)(void *ctx, const struct imap_response *resp,
	    const struct imap_session_command *cmd);
	/* A command ended; tagged is NULL when it FAILED. */
	void (*completed)(void *ctx, const struct imap_session_command *cmd,
	    enum imap_command_result result, const struct imap_response *tagged,
	    double latency_ms);
	/* A "+" for a command with IMAP_CMD_OWN_CONTINUATIONS. */
	void (*continuation)(void *ctx, struct imap_session_command *cmd,
	    const struct imap_response *resp);
	void (*state_changed)(void *ctx, enum imap_session_state old_state,
	    enum imap_session_state new_state);
	void *ctx;
};

/* What imap_session_input() asks of the caller. */
enum imap_input_result {
	IMAP_INPUT_OK,        /* all bytes used; read more */
	IMAP_INPUT_STARTTLS,  /* STARTTLS was accepted: discard every byte not
				 yet used (and anything buffered below), then
				 start the TLS handshake */
	IMAP_INPUT_COMPRESS,  /* COMPRESS was accepted: the bytes not yet used
				 are compressed; start inflating with them */
	IMAP_INPUT_ERROR,     /* a protocol error: the stream is out of sync */
};

struct imap_session;

struct imap_session *imap_session_new(const struct imap_session_listener *l);
void imap_session_free(struct imap_session **session);

enum imap_session_state imap_session_state(const struct imap_session *s);
/* The selected mailbox (raw name as sent), or NULL. */
const char *imap_session_mailbox(const struct imap_session *s);
bool imap_session_read_only(const struct imap_session *s);
/* Counts every change of the selected mailbox: each SELECT or EXAMINE
 * that ends (OK or not: a failed one deselects), each CLOSE or UNSELECT
 * that ends OK. Equal values mean no such command completed between. */
uint64_t imap_session_selection_generation(const struct imap_session *s);
/* The latest [UIDVALIDITY] the server gave for the selected mailbox
 * (with its SELECT, or unasked since), 0 when nothing is selected or it
 * gave none. */
uint32_t imap_session_uidvalidity(const struct imap_session *s);
/* Whether a LOGOUT was submitted (typed or the client's own): the
 * server's close is then the end we asked for, not a failure. */
bool imap_session_logout_requested(const struct imap_session *s);

/* Feed bytes from the server. *consumed_r says how many were used; on
 * IMAP_INPUT_ERROR, *error_r explains. */
enum imap_input_result imap_session_input(struct imap_session *s,
    const unsigned char *data, size_t len, size_t *consumed_r,
    const char **error_r);

/* The connection ended (EOF or an error): every command in flight fails
 * with `reason`, and the state becomes LOGOUT. */
void imap_session_disconnected(struct imap_session *s, const char *reason);

/* Bytes waiting to be written; the caller writes some and then calls
 * imap_session_output_written() with the count. */
const struct buf *imap_session_output(const struct imap_session *s);
void imap_session_output_written(struct imap_session *s, size_t len);

/* A fresh tag: a random prefix of the session and a counter. */
const char *imap_session_next_tag(struct imap_session *s);
/* The random prefix of this session's tags. */
const char *imap_session_tag_prefix(const struct imap_session *s);
/* Replace the random prefix (up to three characters) before the first
 * tag: for the fuzz targets, whose runs must give the same tags. */
void imap_session_set_tag_prefix(struct imap_session *s, const char *prefix);

/* Queue a command built by the caller (imap-command.h); the session takes
 * ownership. flags: IMAP_CMD_*. The display text, if not NULL, is what
 * the transcript shows for the command's first line instead of its
 * bytes (used for secrets: "a1 LOGIN alice <redacted>"). */
struct imap_session_command *imap_session_submit(struct imap_session *s,
    struct imap_command *cmd, unsigned flags, const char *display);
/* The same, recording who sent it (imap_session_submit: the client). */
struct imap_session_command *imap_session_submit_from(struct imap_session *s,
    struct imap_command *cmd, unsigned flags, const char *display,
    const struct imap_origin *origin);

/* Build and queue a command with a fresh tag (see imap_command_build). */
struct imap_session_command *imap_session_command(struct imap_session *s,
    unsigned flags, const char **error_r, const char *fmt, ...);

/* Give a command in flight a further chunk, sent once the server's "+"
 * for the chunk before has come (a typed literal's bytes, an AUTHENTICATE
 * response line, IDLE's DONE). `display` is what the transcript shows for
 * it (NULL: the bytes, or "<redacted>" for a secret command). */
int imap_session_command_append(struct imap_session *s,
    struct imap_session_command *cmd, const void *data, size_t len,
    bool wait_continuation, const char *display);
/* No more chunks will be appended to an IMAP_CMD_OPEN command. */
void imap_session_command_close(struct imap_session *s,
    struct imap_session_command *cmd);
/* The last chunk sent waits for a "+" that has not come yet. */
bool imap_session_command_waits_for_continuation(
    const struct imap_session_command *cmd);

/* Milliseconds since the command's first bytes went out (0: not yet):
 * at its tagged reply, the latency its completion will report. */
double imap_session_command_elapsed_ms(const struct imap_session_command *cmd);

const struct imap_command *
imap_session_command_get(const struct imap_session_command *cmd);
/* The command's row in the command table, or NULL for one it lacks. */
const struct imap_command_entry *
imap_session_command_entry(const struct imap_session_command *cmd);
const struct imap_origin *
imap_session_command_origin(const struct imap_session_command *cmd);
/* Whether the command was submitted with IMAP_CMD_TAG_ADDED. */
bool imap_session_command_tag_added(const struct imap_session_command *cmd);
/* The raw mailbox a command with IMAP_CMDF_MAILBOX names, parsed once
 * from its own bytes (so typed commands count like built ones), or NULL
 * (none, a secret, or bytes that do not parse). */
const char *imap_session_command_mailbox(const struct imap_session_command *cmd);
/* The sequence set (a UID set for UID commands) a command with
 * IMAP_CMDF_SET names, parsed once; NULL when it has none the session
 * could read ("$", RFC 5182). */
const struct seqset *imap_session_command_set(
    const struct imap_session_command *cmd);
/* Caller data that travels with a command. */
void imap_session_command_set_context(struct imap_session_command *cmd,
    void *context);
void *imap_session_command_context(const struct imap_session_command *cmd);

size_t imap_session_in_flight(const struct imap_session *s);

/* What the server owes the client now, for a stall timeout: a client
 * waits for the server only in these cases. Not while a command's next
 * chunk is the client's to send (a literal being typed, an AUTHENTICATE
 * step), nor in an IDLE the server granted (it speaks when it likes). */
enum imap_session_wait {
	IMAP_WAIT_NONE,
	IMAP_WAIT_GREETING,
	IMAP_WAIT_RESPONSE,     /* the rest of a response it began */
	IMAP_WAIT_CONTINUATION, /* the "+" for a chunk sent */
	IMAP_WAIT_REPLY,        /* the tagged reply of a command sent whole */
};
/* *cmd_r: the command owed a "+" or a reply, else NULL. */
enum imap_session_wait imap_session_awaits(const struct imap_session *s,
    const struct imap_session_command **cmd_r);
/* The literal the server is sending (imap_parser_literal_progress). */
void imap_session_literal_progress(const struct imap_session *s,
    uint64_t *done_r, uint64_t *size_r);
/* The oldest command in flight whose table row has any of `flags`
 * (IMAP_CMDF_*), or NULL. */
const struct imap_session_command *imap_session_find_in_flight(
    const struct imap_session *s, unsigned flags);

/* Capabilities: the current set, upper-cased. They are forgotten after
 * STARTTLS and after authentication, until the server tells them again. */
bool imap_session_has_capability(const struct imap_session *s,
    const char *name);
bool imap_session_capabilities_known(const struct imap_session *s);
size_t imap_session_capability_count(const struct imap_session *s);
const char *imap_session_capability(const struct imap_session *s, size_t i);

/* The literal forms the server allows now (LITERAL+, LITERAL-). */
void imap_session_literal_caps(const struct imap_session *s,
    struct imap_literal_caps *caps_r);

/* The automatic IDLE (RFC 2177, RFC 9051 6.3.13), for front ends that
 * show changes as they happen. It goes out only with the IDLE capability,
 * in the authenticated or selected state, with nothing in flight; the
 * session then ends it itself: whoever submits the next command (typed,
 * a view, a job), the session sends DONE first (once the server's "+"
 * has come) and the command follows IDLE's tagged reply, since IDLE is
 * exclusive. Its "+" is not passed to the continuation event. An IDLE
 * submitted as a command (a typed one) is not ended for anyone: its
 * sender says DONE. Returns NULL with *error_r when it cannot start. */
struct imap_session_command *imap_session_auto_idle(struct imap_session *s,
    const char **error_r);
/* Send DONE to the automatic IDLE now (to re-issue it, RFC 2177: at least
 * every 29 minutes); nothing if none runs or DONE is on its way. */
void imap_session_auto_idle_end(struct imap_session *s);
/* The automatic IDLE in flight (until its tagged reply), or NULL. It is
 * set before its line is shown, so a wire event can tell its bytes. */
const struct imap_session_command *imap_session_auto_idle_command(
    const struct imap_session *s);

/* Where literals above the parser's inline cap go (NULL: discarded). */
void imap_session_set_literal_sink(struct imap_session *s,
    const struct imap_literal_sink *sink);

/* The limits of the parser that reads the server (NULL or zero fields:
 * the defaults). Call it before the first input: it starts the parser
 * afresh, without a literal sink. */
void imap_session_set_limits(struct imap_session *s,
    const struct imap_parser_limits *limits);
/* After IMAP_INPUT_ERROR: the parser limit it was, or IMAP_LIMIT_NONE. */
enum imap_parser_limit imap_session_limit_hit(const struct imap_session *s);

#endif
