/* auth-oauth: the client side of OAUTHBEARER (RFC 7628) and XOAUTH2
 * (Google's format), with the token from --token-cmd.
 *
 * Debian's libsasl2 has neither mechanism, so auth.c runs them itself
 * through the same AUTHENTICATE state machine as the SASL mechanisms;
 * this module knows the messages: the client's one message carrying the
 * token, the server's JSON error challenge, and the dummy answer that
 * lets the server end with NO. */
#ifndef IMAPWB_AUTH_OAUTH_H
#define IMAPWB_AUTH_OAUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "imap-session.h"
#include "util-buf.h"

/* Longest token --token-cmd may print (bytes): real access tokens (JWTs
 * with many claims) reach a few kilobytes. */
#define AUTH_OAUTH_TOKEN_MAX 16384

struct auth_oauth_request {
	const char *user;  /* whom the token is for (authzid, else authname) */
	const char *host;  /* OAUTHBEARER's host= (optional, NULL: none) */
	const char *port;  /* OAUTHBEARER's port= (optional, NULL: none) */
	const char *token;
};

struct auth_oauth_mech {
	const char *name; /* as in AUTH=NAME */
	/* Append the client's message (not yet base64) to a secret
	 * buffer: 0, or -1 when it does not fit. */
	int (*build)(struct buf *out, const struct auth_oauth_request *r);
	/* RFC 7628 3.2.3: what answers the error challenge, so that the
	 * server can end the exchange with NO: %x01 (OAUTHBEARER), an
	 * empty line (XOAUTH2). */
	const char *dummy;
	size_t dummy_len;
};

/* The mechanism named NAME (any case), or NULL when NAME is not one of
 * ours (it is then a SASL mechanism, or "login"). */
const struct auth_oauth_mech *auth_oauth_find(const char *name);

/* Without -m: OAUTHBEARER if the server offers it, else XOAUTH2 if it
 * does, else NULL. */
const struct auth_oauth_mech *auth_oauth_choose(struct imap_session *s);

/* Run the token command (/bin/sh -c, as --password-cmd) and return its
 * first line as a malloc'd token (zero it with secure_free_str): 0, or
 * -1 with *error_r (valid until the next call) when the command fails,
 * prints nothing, or prints something no bearer token can be. */
int auth_oauth_get_token(const char *command, char **token_r,
    const char **error_r);

/* The server's error challenge (RFC 7628 3.2.2: a JSON object such as
 * {"status":"invalid_token","scope":"mail"}) as one line for a user:
 * "status invalid_token, scope mail". Anything that is not a flat JSON
 * object is shown as text. Control characters become '?'. */
void auth_oauth_describe_error(const void *json, size_t len, char *out,
    size_t size);

#endif
