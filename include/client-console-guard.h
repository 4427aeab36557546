/* client-console-guard: a typed plain EXPUNGE or CLOSE is held until
 * imapwb knows which messages it would remove, without I/O.
 *
 * RFC 9051 6.4.3 and 6.4.2: EXPUNGE, and CLOSE on a mailbox selected
 * read-write, remove every message marked \Deleted, whoever marked it: a
 * second client's, or an earlier session's. The guard keeps the UIDs this
 * imapwb marked \Deleted in the current selection (every STORE or UID
 * STORE that ended OK, typed or sent by a view; message numbers resolved
 * to UIDs through the model's index, or asked for later), and when the
 * console (console-input) hands it a typed EXPUNGE or CLOSE it:
 *  - waits until nothing else is in flight (so what it asks is what the
 *    command would meet), then, with a mailbox selected read-write,
 *  - asks the server which messages are \Deleted: UID SEARCH DELETED
 *    (RETURN (ALL) with ESEARCH), plus UID SEARCH <numbers> DELETED for
 *    marks whose UID was not known, each an exclusive command that shows
 *    in the console like any other;
 *  - sends the command as typed when every \Deleted message is one of
 *    this session's; otherwise it reports the others (count and UIDs) and
 *    the safe alternative (UID EXPUNGE of this session's own, with
 *    UIDPLUS), and asks, warns and sends, or refuses, by its policy.
 * Nothing selected, or a read-only mailbox: the command goes out at once
 * (it expunges nothing). The model's flags are not trusted for this: they
 * are only as fresh as the server's last word, and a second client's
 * change reaches us only with a later response.
 *
 * Like a job, the guard is fed the session's `response` and `completed`
 * events (every command's, after the model has them) by whoever owns the
 * client's listener, and submits its commands itself. Its text holds no
 * server text. */
#ifndef IMAPWB_CLIENT_CONSOLE_GUARD_H
#define IMAPWB_CLIENT_CONSOLE_GUARD_H

#include <stdbool.h>
#include <stdint.h>

#include "decode-response.h"
#include "imap-session.h"

struct model;

/* What to do when a typed EXPUNGE or CLOSE would remove others' messages
 * (or the check itself failed). */
enum console_guard_policy {
	CONSOLE_GUARD_ASK,    /* ask (a TUI dialog, a y/N prompt) */
	CONSOLE_GUARD_WARN,   /* warn, then send as typed (-f, --yes) */
	CONSOLE_GUARD_REFUSE, /* do not send; say so (nobody to ask) */
};

/* The kinds of notice. */
enum console_guard_notice {
	CONSOLE_GUARD_WARNED,   /* WARN: the command is sent anyway */
	CONSOLE_GUARD_REFUSED,  /* REFUSE: not sent */
	CONSOLE_GUARD_DECLINED, /* the answer was no: not sent */
};

struct console_guard_callbacks {
	/* A question (lines separated by "\n", the last one "Send EXPUNGE
	 * anyway?"): answer with console_guard_answer(). */
	void (*ask)(void *ctx, const char *question);
	/* What happened, in lines separated by "\n". */
	void (*notice)(void *ctx, enum console_guard_notice kind,
	    const char *text);
	void *ctx;
};

struct console_guard;

struct console_guard *console_guard_new(struct imap_session *session,
    struct model *model, enum console_guard_policy policy,
    const struct console_guard_callbacks *cb);
/* A command still held is dropped (never sent). */
void console_guard_free(struct console_guard **guard);

/* The session's events, for every command, after the model has them. */
void console_guard_response(struct console_guard *guard,
    const struct decoded_response *resp);
void console_guard_completed(struct console_guard *guard,
    const struct imap_session_command *cmd, enum imap_command_result result,
    const struct decoded_response *tagged);

/* Whether cmd (a typed command) is a plain EXPUNGE or CLOSE. */
bool console_guard_guards(const struct imap_command *cmd);
/* A typed command: true when the guard holds it (and owns it from now
 * on: it sends or frees it); false when it may be sent at once as usual
 * (not EXPUNGE or CLOSE, or nothing it could remove). */
bool console_guard_hold(struct console_guard *guard, struct imap_command *cmd);

/* A typed command is held (being checked, or waiting for an answer):
 * the front end takes no further typed command until it is not. */
bool console_guard_busy(const struct console_guard *guard);
/* The guard waits for console_guard_answer(). */
bool console_guard_asking(const struct console_guard *guard);
/* The answer to the question: yes sends the command as typed; no drops
 * it, and every message stays in place. */
void console_guard_answer(struct console_guard *guard, bool yes);

/* How many typed commands the REFUSE policy kept back so far. */
unsigned console_guard_refused(const struct console_guard *guard);

/* For tests: whether this session marked the UID \Deleted in the current
 * selection, and how many marks wait for their UID (message numbers). */
bool console_guard_marked(const struct console_guard *guard, uint32_t uid);
uint64_t console_guard_pending_numbers(const struct console_guard *guard);

#endif
