/* teach-explain: what each command sent and each response received
 * means, in lines a learner reads beside the wire, each naming the RFC
 * section that defines what it explains (teach-knowledge). --explain
 * prints them as "# " lines; the TUI shows them under the transcript's
 * cursor.
 *
 * A command is explained when its first bytes go out: its name, and the
 * FETCH items, STATUS items or flags it names. A response is explained
 * as it arrives: its kind, its response code, which command it answers
 * (or that the server said it unasked); each item, flag, attribute or
 * right inside a FETCH, FLAGS, LIST, STATUS or ACL the first time it
 * appears in the data of one command, so a FETCH of a thousand messages
 * gets a line each, not a page each. A tagged reply says
 * which command it completes, how it ended and how long it took. */
#ifndef IMAPWB_TEACH_EXPLAIN_H
#define IMAPWB_TEACH_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "decode-response.h"
#include "imap-session.h"

/* What a line of explanation is: the main line for a command or a
 * response, a detail under it (an item, a flag, a right: indented by two
 * spaces), or a response code's meaning ("  [TRYCREATE] ..."), which the
 * TUI shows by default. */
enum explain_kind {
	EXPLAIN_MAIN,
	EXPLAIN_DETAIL,
	EXPLAIN_CODE,
};

/* One line of explanation, without a prefix or a newline. It may quote
 * the server or the user (a mailbox name): escape it before display. */
typedef void explain_line_fn(void *ctx, enum explain_kind kind,
    const char *text);

struct explainer;

struct explainer *explainer_new(explain_line_fn *line, void *ctx);
void explainer_free(struct explainer **ex);

/* Bytes of cmd went out (the wire event, called for each chunk: the
 * command is explained at its first, what a "+" released at the later
 * ones). */
void explain_sent(struct explainer *ex,
    const struct imap_session_command *cmd, const char *text, size_t len);
/* What a tag imapwb added (IMAP_CMD_TAG_ADDED) is, for the first one a
 * learner meets: "a001 is a tag imapwb added: ... (RFC 9051 §2.2.1)".
 * explain_sent() says it for the first such command, then a short
 * detail line for each later one. */
void explain_tag_added_note(const char *tag, char *buf, size_t size);
/* A response arrived, decoded. */
void explain_response(struct explainer *ex, const struct decoded_response *d);
/* cmd ended: tagged is its decoded reply, NULL when it FAILED. Only an
 * end without a tagged reply is explained here (a lost connection, an
 * untagged BAD); a tagged reply was as it arrived. */
void explain_completed(struct explainer *ex,
    const struct imap_session_command *cmd, enum imap_command_result result,
    const struct decoded_response *tagged);

#endif
