/* auth: logging in over an IMAP session, with Cyrus SASL (AUTHENTICATE,
 * SASL-IR, authzid, SSF), OAUTHBEARER or XOAUTH2 with a token
 * (auth-oauth.h), or the LOGIN command.
 *
 * The options mirror Cyrus imtest: -m mech, -a authname, -u authzid,
 * -r realm, -k min SSF, -l max SSF, -i (no initial response) and
 * -o name=value for the SASL library. The exchange runs inside the
 * session's event loop: auth_start() queues the command, and the front
 * end's listener hands the command's continuation and completion events
 * to auth_on_continuation() and auth_on_completed(). When the command
 * ends, the done callback reports the outcome.
 *
 * Secrets (the password, every client line of AUTHENTICATE) are sent as
 * secret commands, so the transcript shows "<redacted>", and are zeroed
 * as soon as they have been handed to the session. */
#ifndef IMAPWB_AUTH_H
#define IMAPWB_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "auth-password.h"
#include "conn.h"
#include "imap-session.h"

struct auth_options {
	const char *mech;     /* -m; NULL: the strongest offered (PLAIN
				 with an authzid, when offered; an OAuth
				 mechanism with token_command); "login"
				 (any case): the LOGIN command */
	const char *authname; /* -a; NULL: the local user name */
	const char *authzid;  /* -u; NULL: none (act as authname) */
	const char *realm;    /* -r */
	unsigned min_ssf;     /* -k */
	unsigned max_ssf;     /* -l */
	bool no_initial_response;        /* -i: never use SASL-IR */
	const char *const *sasl_options; /* -o name=value, NULL-ended */
	const char *service;             /* the SASL service: "imap" */
	const char *server_host;         /* the name the server goes by */
	/* What TLS gives: its SSF (0 without TLS) and the identity of the
	 * client certificate, if one was used (for EXTERNAL). */
	unsigned external_ssf;
	const char *external_id;
	const struct auth_password_source *password;
	/* --token-cmd: the OAuth token for OAUTHBEARER and XOAUTH2
	 * (auth-oauth.h), run once per auth_start(); with no -m, one of
	 * those is chosen. */
	const char *token_command;
	const char *server_port; /* OAUTHBEARER's port=; NULL: none */
	/* -c: answer SASL_CB_ECHOPROMPT and SASL_CB_NOECHOPROMPT on the
	 * terminal (password->tty_path, or /dev/tty), as imtest -c does
	 * for OTP; without it a mechanism that prompts fails. */
	bool challenge_prompts;
};

/* Defaults as imtest's: service "imap", SSF 0..10000, prompt for the
 * password. */
void auth_options_init(struct auth_options *o);

struct auth_result {
	bool ok;
	/* The server's verdict; IMAP_RESULT_FAILED also covers a failure
	 * on our side (no password, a malformed challenge). */
	enum imap_command_result status;
	const char *mech;    /* "PLAIN", "SCRAM-SHA-256", "LOGIN", ... */
	unsigned ssf;        /* of the SASL security layer; 0: none */
	/* A security layer was negotiated: push it with
	 * auth_push_security_layer() right after the tagged OK. */
	bool security_layer;
	const char *error;   /* when !ok, for a user: "authentication
				failed: [AUTHENTICATIONFAILED] ..." */
};

/* Called once, when the command has ended. It may call auth_free(). */
typedef void auth_done_cb(void *ctx, const struct auth_result *result);

struct auth_state;

/* Load the SASL library now, once; -o options that matter while plugins
 * load must come here or to auth_library_configure(). The options array
 * must outlive the process's use of SASL. */
int auth_library_init(const char *const *sasl_options, const char **error_r);
/* Name those options, but load the library only when the first SASL
 * exchange starts (auth_start() does that with its own options if
 * nobody did): LOGIN and OAuth do without its plugins. */
void auth_library_configure(const char *const *sasl_options);
/* Unload it at exit (after every auth_state and SASL layer is gone). */
void auth_library_done(void);

/* Choose the mechanism from the session's capabilities and queue the
 * first command (AUTHENTICATE or LOGIN). Returns the state, or NULL with
 * *error_r (valid until the next call) when nothing could be sent: no
 * capabilities yet, LOGINDISABLED, no mechanism in common, no password.
 * The options and the strings in them must live as long as the state. */
struct auth_state *auth_start(struct imap_session *s,
    const struct auth_options *o, auth_done_cb *cb, void *ctx,
    const char **error_r);

/* The listener's continuation and completed events: return true if the
 * command was this state's (and the event has been handled), false for
 * any other command. */
bool auth_on_continuation(struct auth_state *a,
    struct imap_session_command *cmd, const struct imap_response *resp);
bool auth_on_completed(struct auth_state *a,
    const struct imap_session_command *cmd, enum imap_command_result result,
    const struct imap_response *tagged);

/* After a successful exchange with result->security_layer: push the
 * SASL layer onto conn; it takes over the SASL connection. RFC 4959/
 * RFC 9051 6.2.2: the layer starts right after the CRLF of the tagged OK,
 * so bytes already read past it are encoded: pass them as initial. */
int auth_push_security_layer(struct auth_state *a, struct conn *conn,
    const void *initial, size_t initial_len, const char **error_r);

void auth_free(struct auth_state **a);

#endif
