/* client: one IMAP connection driven from one poll() loop.
 *
 * The client owns the transport stack and the session, and does what
 * every front end needs before the user gets control: connect, TLS
 * (implicit or STARTTLS, failing closed), the greeting, capabilities,
 * authentication and COMPRESS. Then front ends call client_turn() in
 * their loop, with their own file descriptor (the terminal) beside the
 * socket. */
#ifndef IMAPWB_CLIENT_H
#define IMAPWB_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "decode-response.h"
#include "exit-status.h"
#include "imap-session.h"

struct conn_tls_facts;
struct conn_tls_session;
struct pollfd;

/* What the front end hears, with ctx: the session's events, each
 * response decoded once (decode-response.h: the model has taken it
 * already), every command's end with its tagged reply decoded (NULL when
 * it FAILED), the continuations of the commands the front end sent (the
 * client takes those of its own, such as an AUTHENTICATE it runs), and
 * lines about the connection for the user ("TLS: TLSv1.3"). The model
 * (client_model) has its own listener for changes. */
struct client_listener {
	void (*wire)(void *ctx, bool out, const char *text, size_t len,
	    const struct imap_session_command *cmd);
	void (*response)(void *ctx, const struct decoded_response *resp);
	void (*completed)(void *ctx, const struct imap_session_command *cmd,
	    enum imap_command_result result,
	    const struct decoded_response *tagged, double latency_ms);
	void (*continuation)(void *ctx, struct imap_session_command *cmd,
	    const struct imap_response *resp);
	void (*notice)(void *ctx, const char *text);
	void *ctx;
};

/* How to reach the server and log in: what a front end's options come
 * down to (cli_options_client_config() fills it from the command line).
 * The client keeps a copy; the strings must outlive it. */
enum client_tls_mode {
	CLIENT_TLS_STARTTLS, /* required unless CLIENT_TLS_NONE */
	CLIENT_TLS_IMPLICIT,
	CLIENT_TLS_NONE,
};

#define CLIENT_DEFAULT_TIMEOUT_MS 120000

struct client_config {
	const char *host;
	const char *port; /* NULL: 143, or 993 with implicit TLS */
	enum client_tls_mode tls;
	const char *cafile;
	const char *capath;
	const char *pin;
	const char *client_cert;
	bool insecure;
	/* trust on first use (client-trust.h): the key in known_hosts
	 * decides, not the chain */
	bool tofu;
	unsigned proxy_version;   /* HAProxy PROXY header, 0: none */
	unsigned connect_timeout_ms;
	/* How long the server may send nothing while it owes the client
	 * something (imap_session_awaits: the greeting, the rest of a
	 * response, a "+", a reply) or does not read what was sent; 0:
	 * forever. */
	unsigned timeout_ms;
	/* authentication (auth.h) */
	const char *mech;
	const char *authname;
	const char *authzid;
	const char *realm;
	unsigned min_ssf;
	unsigned max_ssf;
	bool max_ssf_set;
	bool no_initial_response;
	const char *const *sasl_options; /* NULL-ended, or NULL */
	const char *password;             /* one source, or none: a prompt */
	const char *password_file;
	const char *password_cmd;
	const char *token_cmd; /* --token-cmd: OAUTHBEARER, XOAUTH2 */
	/* A password the front end already holds because it connects many
	 * times (-z, -n): used as -w's, without -w's warning. */
	const char *password_kept;
	bool challenge_prompts; /* -c: SASL may prompt on the terminal */
	/* A TLS session of an earlier connection to offer for resumption
	 * (client_tls_session()), or NULL. */
	const struct conn_tls_session *tls_resume;
	bool compress;
	/* what one response from the server may cost (zero fields: the
	 * defaults of imap-parser.h) */
	struct imap_parser_limits limits;
	/* the most messages the selected mailbox's index takes (0: the
	 * default below); an EXISTS beyond it is refused with a warning */
	uint32_t max_messages;
};

/* An index slot costs about 64 bytes before anything is fetched: one
 * "* 9999999 EXISTS" took 630 MB with the index's own cap. */
#define CLIENT_DEFAULT_MAX_MESSAGES 500000u

/* The port a config connects to. */
const char *client_config_port(const struct client_config *config);

struct client;

struct client *client_new(const struct client_config *config,
    const struct client_listener *listener);
void client_free(struct client **client);

/* Connect and get to an authenticated session (or as far as the options
 * ask). Returns EXIT_STATUS_OK, or the exit status of the failure with
 * *error_r set. */
enum exit_status client_open(struct client *client, const char **error_r);

/* Authenticate as the options say (SASL, or -m login for the LOGIN
 * command), then COMPRESS if asked. Returns EXIT_STATUS_OK, or
 * EXIT_STATUS_AUTH (or another status) with *error_r. */
enum exit_status client_authenticate(struct client *client,
    const char **error_r);

/* Why this connection asks for the password, shown in the prompt (a
 * second connection); the string must outlive the client. */
void client_set_password_reason(struct client *client, const char *reason);

/* One turn of the loop: write what is queued, read and handle what has
 * come, then wait up to timeout_ms (-1: no limit; less when --timeout
 * runs out first) for the socket or for
 * extra_fd (-1: none). *extra_ready_r says whether extra_fd is readable.
 * Returns 0, or -1 when the connection is gone (see client_error()). */
int client_turn(struct client *client, int extra_fd, int timeout_ms,
    bool *extra_ready_r);

/* The same turn split in two, for a loop that serves several connections
 * and other descriptors in one poll(). client_poll_prepare() writes what
 * is queued and fills *pfd with the socket and what to wait for; it
 * returns 1 when input is already buffered in a layer above the socket
 * (poll with timeout 0 then), 0 when the loop may wait, and -1 when the
 * connection is gone (pfd->fd is then -1, which poll() skips). After
 * poll(), client_poll_handle() reads and feeds what came; 0, or -1 when
 * the connection is gone (see client_error()). */
int client_poll_prepare(struct client *client, struct pollfd *pfd);
int client_poll_handle(struct client *client, const struct pollfd *pfd);

/* Milliseconds until --timeout runs out for what the server owes now
 * (0: it has), or -1 when it owes nothing or there is no limit: a front
 * end with its own poll() waits no longer than this, then calls
 * client_poll_handle(), which ends the connection on a stall. */
int client_poll_deadline_ms(const struct client *client);
/* timeout_ms (-1: none), lowered to the deadline above if sooner. */
int client_poll_limit(const struct client *client, int timeout_ms);

/* Send LOGOUT (if still connected) and wait for the server to close. */
void client_logout(struct client *client);

struct imap_session *client_session(struct client *client);
/* The decoded model of the session (model.h), fed with every response
 * before the listener hears it. */
struct model *client_model(struct client *client);
bool client_connected(const struct client *client);
/* Why the connection ended, and the exit status that says so. */
const char *client_error(const struct client *client);
enum exit_status client_error_status(const struct client *client);
/* What TLS established, for the front ends (which need not know the
 * transport): false without TLS. Strings are "" when unknown and stay
 * valid while the connection lives. */
struct client_tls_info {
	const char *protocol; /* "TLSv1.3" */
	const char *cipher;
	unsigned bits;
	const char *pin;      /* the leaf's SPKI pin, as --pin takes it */
	size_t cert_count;    /* the chain as sent, leaf first */
	bool resumed;         /* the handshake resumed config.tls_resume */
};
bool client_tls_info(const struct client *client,
    struct client_tls_info *info_r);
/* Certificate i of the chain: subject and issuer (RFC 2253), notAfter
 * ("2026-11-20T12:00:00Z"). False without TLS or out of range. */
bool client_tls_cert(const struct client *client, size_t i,
    const char **subject_r, const char **issuer_r, const char **not_after_r);

/* The TLS session now, to offer a later connection (tls_resume in its
 * config); NULL without one. Take it late (after a reply that followed
 * the handshake): TLS 1.3 servers send their tickets after it. */
struct conn_tls_session *client_tls_session(const struct client *client);
void client_tls_session_free(struct conn_tls_session **session);

/* How long client_open() took for each step, in milliseconds: connect
 * (TCP, and the PROXY header), greeting (waiting for it, and the
 * CAPABILITY after it when it carried none), tls (with STARTTLS: the
 * STARTTLS command, the handshake and CAPABILITY again; implicit: the
 * handshake). 0 for a step not taken. */
struct client_open_times {
	double connect_ms;
	double greeting_ms;
	double tls_ms;
};
void client_open_times(const struct client *client,
    struct client_open_times *times_r);

/* The SASL mechanism (or "LOGIN") that authenticated us, or NULL; the
 * SSF of its security layer (0: none). */
const char *client_auth_mechanism(const struct client *client);
unsigned client_auth_ssf(const struct client *client);
const struct client_config *client_config(const struct client *client);

/* The capability list as it was at each stage of setup, so a front end
 * can show what TLS and authentication changed. */
enum client_cap_stage {
	CLIENT_CAPS_CLEAR,  /* before TLS (STARTTLS, or no TLS at all) */
	CLIENT_CAPS_TLS,    /* after the TLS handshake */
	CLIENT_CAPS_AUTH,   /* after authentication */
	CLIENT_CAPS_STAGE_COUNT,
};
extern const char *const client_cap_stage_names[CLIENT_CAPS_STAGE_COUNT];
/* NULL (and *count_r 0) for a stage the session never went through. */
char *const *client_capability_stage(const struct client *client,
    enum client_cap_stage stage, size_t *count_r);

#endif
