/* tui-jobconn: the TUI's second IMAP connection, where the views run their
 * jobs (the Large view's scan, delete and save).
 *
 * IMAP has one selected mailbox per connection (RFC 9051 6.3.1): a scan
 * that walks every mailbox on the user's connection would take the user's
 * selection away, and a delete would race the user's typed SELECT. On a
 * connection of its own a job never touches the user's selection, and the
 * user's session hears what the job changed the way IMAP tells any other
 * client (EXPUNGE, EXISTS). RFC 9051 allows several connections; Dovecot
 * allows 10 per user and IP by default.
 *
 * The connection is opened when the first job needs it (not at start-up),
 * kept for later jobs, and opened again when it has dropped. It uses the
 * user's options (host, TLS, SASL mechanism, authzid) and the same
 * password source, read again: the file or command once more, or the
 * prompt, which says why it asks; the password is never kept. */
#ifndef IMAPWB_TUI_JOBCONN_H
#define IMAPWB_TUI_JOBCONN_H

#include <stdbool.h>

#include "client-cli-options.h"
#include "client.h"

/* Why the second connection asks for the password (in the prompt). */
#define TUI_JOBCONN_REASON "a second connection for the Large view's jobs"

struct tui_jobconn;

/* The listener hears every connection this opens, as client.h says. */
struct tui_jobconn *tui_jobconn_new(const struct cli_options *opts,
    const struct client_listener *listener);
/* LOGOUT first if the connection is up. */
void tui_jobconn_free(struct tui_jobconn **jc);

/* The connection is up and authenticated: tui_jobconn_open() returns at
 * once. */
bool tui_jobconn_ready(const struct tui_jobconn *jc);
/* Opening it would ask for the password on the terminal. */
bool tui_jobconn_prompts(const struct tui_jobconn *jc);

/* The session, after connecting and authenticating first if the
 * connection is not ready. This blocks as the user's own reconnect does;
 * a caller with the terminal in curses mode lends it first when
 * tui_jobconn_prompts(). NULL with *error_r (valid until the next call)
 * when it cannot be opened; nothing else changes then. A client the call
 * replaces is freed by tui_jobconn_reap(), since this may run inside one
 * of that client's own events. */
struct imap_session *tui_jobconn_open(struct tui_jobconn *jc,
    const char **error_r);

/* The client for the loop to poll: NULL when never opened, or when it has
 * ended (tui_jobconn_ended()). */
struct client *tui_jobconn_client(struct tui_jobconn *jc);
/* The loop saw client end: if it is still the current one, stop polling
 * it and fail what was in flight on it (when the client could not say so
 * itself). The next tui_jobconn_open() opens a new one. */
void tui_jobconn_ended(struct tui_jobconn *jc, struct client *client);
/* Free the clients that tui_jobconn_open() replaced (at the top of a loop
 * turn, outside every client's events). */
void tui_jobconn_reap(struct tui_jobconn *jc);

#endif
