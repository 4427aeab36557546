/* conn-tls: a TLS client layer (OpenSSL 3) over any layer below.
 *
 * The layer talks to the one below through a custom BIO, so it works the
 * same for implicit TLS (IMAPS) and after STARTTLS on a socket that has
 * already carried cleartext. Pushing the layer does no I/O; the caller
 * drives conn_tls_handshake() from its poll loop until it stops saying
 * CONN_AGAIN.
 *
 * Trust, by default: the chain against the system CAs, and the server
 * name (a DNS name, or an IP literal against the certificate's IP
 * addresses). cafile/capath replace the system CAs. insecure turns off
 * both checks. A pin is checked after the handshake in every mode: with
 * a chain that verifies, a pin mismatch still fails, and insecure plus a
 * pin trusts exactly that key and nothing else (as curl's --insecure
 * with --pinnedpubkey). */
#ifndef IMAPWB_CONN_TLS_H
#define IMAPWB_CONN_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"

struct conn_tls_options {
	/* Sent as SNI unless it is an IP literal (RFC 6066 3 forbids
	 * those), and verified against the certificate. Required unless
	 * insecure. */
	const char *servername;
	const char *cafile; /* PEM bundle */
	const char *capath; /* hashed folder (openssl rehash) */
	/* A client certificate chain in PEM; its key is in key_file, or in
	 * cert_file itself when key_file is NULL (imtest's -t keyfile). */
	const char *cert_file;
	const char *key_file;
	/* "sha256/" and the base64 SHA-256 of the server's
	 * SubjectPublicKeyInfo, as conn_tls_facts_pin() shows it. */
	const char *pin;
	bool insecure;
	/* Trust on first use: a chain or name that does not verify does not
	 * fail the handshake; conn_tls_chain_error() says what failed, and
	 * the caller decides by the key (a pin is still checked). */
	bool defer_verify;
	/* A session from an earlier connection to the same server to
	 * resume (conn_tls_session_get()), or NULL for a full handshake. */
	const struct conn_tls_session *resume;
};

/* How many of the server's first bytes conn_tls_head() keeps. */
#define CONN_TLS_HEAD_MAX 16

/* A TLS session kept for resumption on a later connection (imtest -n):
 * one reference to OpenSSL's SSL_SESSION. */
struct conn_tls_session;

/* What the handshake established, kept for display. */
struct conn_tls_facts;

/* Create the TLS layer and push it on conn. Returns 0 with *layer_r (for
 * the handshake and the facts; conn_close() frees it), or -1 with
 * *error_r (in conn->error), e.g. for a CA or key file that cannot be
 * loaded or a malformed pin. */
int conn_tls_push(struct conn *conn, const struct conn_tls_options *opts,
    struct conn_layer **layer_r, const char **error_r);

/* Advance the handshake: 0 when done and every check passed, CONN_AGAIN
 * (see conn_wants()), or CONN_ERROR with a message a user understands
 * ("certificate verify failed: unable to get local issuer certificate
 * (depth 0, subject CN=localhost)", "public key pin mismatch: ..."). */
int conn_tls_handshake(struct conn_layer *layer, const char **error_r);

/* Why the handshake failed, for the advice a front end gives: the
 * certificate's chain (or its dates), its name, the pin, or something
 * else (the network, the protocol); NOT while it has not failed. */
enum conn_tls_failure {
	CONN_TLS_FAILED_NOT,
	CONN_TLS_FAILED_CHAIN,
	CONN_TLS_FAILED_NAME,
	CONN_TLS_FAILED_PIN,
	CONN_TLS_FAILED_OTHER,
};
enum conn_tls_failure conn_tls_failure(const struct conn_layer *layer);

/* With defer_verify, after the handshake: why the chain or name did not
 * verify ("certificate verify failed: ..."), or NULL when they did. */
const char *conn_tls_chain_error(const struct conn_layer *layer);

/* The first bytes (at most CONN_TLS_HEAD_MAX) the server sent, in *head_r:
 * "* OK" there means a plaintext IMAP server, not TLS. */
size_t conn_tls_head(const struct conn_layer *layer,
    const unsigned char **head_r);

/* Accept a close without close_notify as a clean end of stream. Ask for
 * it only after LOGOUT: before that it could hide a truncation attack.
 * (Cyrus closes this way.) */
void conn_tls_set_ignore_unexpected_eof(struct conn_layer *layer);

/* The facts are filled as soon as the server's certificate has been
 * seen, so they also describe a certificate that failed verification.
 * Strings are "" when unknown; they stay valid while the layer lives. */
const struct conn_tls_facts *conn_tls_facts(const struct conn_layer *layer);
const char *conn_tls_facts_protocol(const struct conn_tls_facts *facts);
const char *conn_tls_facts_cipher(const struct conn_tls_facts *facts);
/* The leaf's public key pin, in the format conn_tls_options.pin takes. */
const char *conn_tls_facts_pin(const struct conn_tls_facts *facts);
/* The cipher's secret bits (0 before the handshake): SASL's external SSF. */
unsigned conn_tls_facts_bits(const struct conn_tls_facts *facts);
/* The chain as the server sent it, leaf first. */
size_t conn_tls_facts_cert_count(const struct conn_tls_facts *facts);
/* Subject and issuer as RFC 2253 strings ("CN=localhost"), notAfter as
 * "2026-11-20T12:00:00Z". False when i is out of range. */
bool conn_tls_facts_cert(const struct conn_tls_facts *facts, size_t i,
    const char **subject_r, const char **issuer_r, const char **not_after_r);

/* Certificate i's notBefore ("2026-11-20T12:00:00Z") and subjectAltName
 * DNS and IP entries ("DNS:localhost, IP:127.0.0.1"; "" without). */
bool conn_tls_facts_cert_detail(const struct conn_tls_facts *facts, size_t i,
    const char **not_before_r, const char **sans_r);
/* A copy of the session the layer holds now, for a later
 * conn_tls_options.resume: take it after a clean end (LOGOUT answered),
 * so that the TLS 1.3 tickets the server sends after the handshake have
 * come and nothing was cut short. NULL when there is none or it cannot
 * be resumed. Free it with conn_tls_session_free(). */
struct conn_tls_session *conn_tls_session_get(const struct conn_layer *layer);
void conn_tls_session_free(struct conn_tls_session **session);
/* Whether the handshake resumed the session it was offered. */
bool conn_tls_session_reused(const struct conn_layer *layer);

/* "sha256/" and 44 base64 characters ending in "=": the form --pin
 * takes (the SPKI hash curl and conn_tls_facts_pin() write). */
bool conn_tls_pin_well_formed(const char *pin);

#endif
