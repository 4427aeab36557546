/* client-url: IMAP URLs (RFC 5092) on the command line,
 * `imapwb imap://alice@host:143/INBOX;UIDVALIDITY=7/;UID=42`.
 *
 * The parser is strict: anything it does not understand is refused with
 * a message, never guessed at, since the URL decides where a password is
 * sent. What it takes: imap:// (STARTTLS) and imaps:// (implicit TLS),
 * the user and ;AUTH= (percent-decoded), a host name or [IPv6], a port, a
 * mailbox (percent-decoded UTF-8), ;UIDVALIDITY= and /;UID=. A search
 * ("?"), /;SECTION=, /;PARTIAL= and URLAUTH are refused as unsupported. */
#ifndef IMAPWB_CLIENT_URL_H
#define IMAPWB_CLIENT_URL_H

#include <stdbool.h>
#include <stdint.h>

#include "exit-status.h"

/* The longest URL taken (a mailbox name is rarely over 1000 bytes). */
#define CLIENT_URL_MAX 8192

struct client_url {
	bool implicit_tls; /* imaps:// */
	char *user;        /* decoded, or NULL */
	char *auth;        /* ;AUTH= mechanism, or NULL (none, or "*") */
	char *host;        /* an IPv6 address without its brackets */
	char *port;        /* decimal 1-65535, or NULL */
	char *mailbox;     /* decoded UTF-8, or NULL */
	uint32_t uidvalidity; /* 0: not given */
	uint32_t uid;         /* 0: not given */
};

/* Whether text starts like an IMAP URL ("imap://" or "imaps://", any
 * case): a command-line operand that does is parsed as one. */
bool client_url_is_url(const char *text);

/* Parse text into *url_r (the caller frees it with client_url_free).
 * Returns 0, or -1 with *error_r, a message that stays valid until the
 * next call, and *url_r holding nothing. */
int client_url_parse(const char *text, struct client_url *url_r,
    const char **error_r);

void client_url_free(struct client_url *url);

struct client;

/* After login, before anything else is sent: SELECT mailbox (UTF-8, sent
 * in modified UTF-7 as every name is) and wait for its reply. With
 * uidvalidity (not 0), a mailbox whose UIDVALIDITY differs is refused,
 * as the jobs refuse it: its UIDs may name other messages now. With uid
 * (not 0), a UID FETCH of just that UID follows, so the model knows its
 * sequence number (the TUI puts its cursor there); *found_r says whether
 * the server had it. Returns EXIT_STATUS_OK; EXIT_STATUS_COMMAND_FAILED
 * when the server refused the SELECT; EXIT_STATUS_REFUSED on another
 * UIDVALIDITY; or the connection's status; *error_r says why. */
enum exit_status client_url_open(struct client *client, const char *mailbox,
    uint32_t uidvalidity, uint32_t uid, bool *found_r, const char **error_r);

#endif
