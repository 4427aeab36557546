/* client-trust: what the client makes of the server's certificate beyond
 * the TLS layer's own checks.
 *
 * Trust on first use (--tofu): the TLS layer defers its chain and name
 * check (conn_tls_options.defer_verify), and the key decides. A server
 * not yet in the known_hosts file (client-known-hosts.h) is shown and,
 * when its chain does not verify, asked about on the terminal (/dev/tty,
 * never stdin, so -f and pipes keep working); without a terminal it is
 * refused. A chain that verifies is recorded without a question, so a
 * later change of key is caught all the same. A known server must show
 * the same key, chain or no chain; another key fails closed.
 *
 * And advice: every way a connection can fail on trust ends with the
 * server's pin and the options that would go on, so the next step is
 * never a search. */
#ifndef IMAPWB_CLIENT_TRUST_H
#define IMAPWB_CLIENT_TRUST_H

#include <stddef.h>

#include "conn-tls.h"

struct client_trust {
	const char *host;
	const char *port;
	/* the known_hosts file; NULL: known_hosts_default_path() */
	const char *known_hosts;
	/* where to ask; NULL: /dev/tty */
	const char *tty_path;
	const struct conn_tls_facts *facts;
	const char *chain_error; /* conn_tls_chain_error(): NULL if it verified */
	/* lines for the user about what was decided ("TLS: ...") */
	void (*notice)(void *ctx, const char *text);
	void *ctx;
};

/* Decide about the server by its key, after a handshake made with
 * defer_verify. 0: trusted (known, recorded now, or accepted on the
 * terminal); -1 with the reason (lines separated by '\n') in err. */
int client_trust_on_first_use(const struct client_trust *t, char *err,
    size_t errlen);

/* Lines to add after a TLS failure of kind `failure`: the server's pin
 * and the options that would go on (--cafile, --pin, --tofu, --insecure).
 * "" for a failure that is not about trust or without a certificate. */
void client_trust_failure_advice(enum conn_tls_failure failure,
    const struct conn_tls_facts *facts, char *out, size_t outlen);

/* Whether the first bytes a server sent to our ClientHello are a
 * plaintext IMAP greeting ("* OK", "* PREAUTH", "* BYE"). */
bool client_trust_head_is_imap(const unsigned char *head, size_t len);

#endif
