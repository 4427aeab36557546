/* client-console-input: the raw console's rules for typed lines, shared by the
 * plain line console and the TUI.
 *
 * - A line whose first word is an IMAP command name gets a tag imapwb
 *   adds ("a001", client-console-tags.h), and its command is marked
 *   IMAP_CMD_TAG_ADDED; otherwise its first word is the tag (at most
 *   IMAP_COMMAND_TAG_MAX characters, no "+"). With manual tags
 *   (--tags manual) every line goes as typed: its first word is the tag
 *   even when it names a command, and a word alone is sent alone.
 * - A line that ends in a literal "{n}" (or "{n+}") makes the next n typed
 *   bytes, line ends counted as CRLF, the literal's contents: they are
 *   never read as commands. For "{n}" they go only after the server's "+".
 * - LOGIN and AUTHENTICATE lines, and everything typed for them after,
 *   are secrets: shown as <redacted>, never kept in history.
 * - While a typed IDLE or AUTHENTICATE runs, typed lines go to it (DONE,
 *   base64 responses).
 * - With a guard (client-console-guard.h), a plain EXPUNGE or CLOSE is handed to
 *   it instead of the session. */
#ifndef IMAPWB_CLIENT_CONSOLE_INPUT_H
#define IMAPWB_CLIENT_CONSOLE_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "imap-session.h"

struct console_input;
struct console_guard;

struct console_input *console_input_new(struct imap_session *session);
void console_input_free(struct console_input **input);
/* The guard that holds a typed plain EXPUNGE or CLOSE until it is known
 * what it would remove (client-console-guard.h); NULL for none. While it holds
 * one, every further typed command is refused with an error. */
void console_input_set_guard(struct console_input *input,
    struct console_guard *guard);

/* --tags manual: send every line as typed, its first word the tag. */
void console_input_set_manual_tags(struct console_input *input,
    bool manual);

/* Take one typed line (without its line end). Returns 0, or -1 with
 * *error_r for a line that cannot be sent (nothing is sent then). */
int console_input_line(struct console_input *input, const char *line,
    const char **error_r);

/* Whether the line just taken may be kept in the history. */
bool console_input_last_line_for_history(const struct console_input *input);

/* Something to tell the typist about the line in progress ("literal: 5
 * more bytes"), or NULL. */
const char *console_input_status(const struct console_input *input);

/* Whether the typed command is not complete yet: the next line belongs
 * to it (a literal, the rest of its line, DONE or an AUTHENTICATE step). */
bool console_input_wants_more(const struct console_input *input);

/* The typist is gone (a -x socket client left): finish what it left
 * half typed, so the session can go on: DONE for an IDLE, "*" for an
 * AUTHENTICATE (which cancels it, RFC 9051 6.2.2), an empty rest of line
 * after a literal. 0, or -1 with *error_r when that cannot be done: the
 * missing bytes of a literal cannot be made up. */
int console_input_abandon(struct console_input *input, const char **error_r);

/* The session says a command ended: forget it if it was typed. */
void console_input_command_done(struct console_input *input,
    const struct imap_session_command *cmd);

/* Where the secret part of a line being typed starts (strlen(line) if
 * none): the arguments of LOGIN, an AUTHENTICATE initial response, and
 * every line typed for a secret command. The terminal shows it masked. */
size_t console_input_secret_from(const struct console_input *input,
    const char *line);

/* Whether `word` names an IMAP command (case-insensitive). */
bool console_input_is_command_name(const char *word, size_t len);
/* The i-th command name the console knows (for completion), or NULL. */
const char *console_input_command_name(size_t i);
/* $XDG_STATE_HOME/imapwb/history (or ~/.local/state/...), its folder
 * made 0700; NULL without a home. The caller frees it. */
char *console_input_history_path(void);

#endif
