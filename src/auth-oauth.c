/* auth-oauth: OAUTHBEARER and XOAUTH2 messages, the token command, and
 * the server's JSON error challenge made readable. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth-oauth.h"
#include "auth-password.h"
#include "util-mem.h"
#include "util-io.h"

/* RFC 7628 3.1: kvsep. */
#define KVSEP "\x01"

/* RFC 5801 (gs2-authzid): ',' and '=' in a saslname are escaped. */
static int
append_saslname(struct buf *out, const char *name)
{
	int rc = 0;

	for (; *name != '\0' && rc == 0; name++) {
		if (*name == ',')
			rc = buf_append_str(out, "=2C");
		else if (*name == '=')
			rc = buf_append_str(out, "=3D");
		else
			rc = buf_append_byte(out, (unsigned char)*name);
	}
	return rc;
}

/* RFC 7628 3.1: "n,a=USER," KVSEP ["host=H" KVSEP] ["port=P" KVSEP]
 * "auth=Bearer TOKEN" KVSEP KVSEP. */
static int
build_oauthbearer(struct buf *out, const struct auth_oauth_request *r)
{
	int rc = buf_append_str(out, "n,a=");

	if (rc == 0)
		rc = append_saslname(out, r->user);
	if (rc == 0)
		rc = buf_append_str(out, "," KVSEP);
	if (rc == 0 && r->host != NULL)
		rc = buf_printf(out, "host=%s" KVSEP, r->host);
	if (rc == 0 && r->port != NULL)
		rc = buf_printf(out, "port=%s" KVSEP, r->port);
	if (rc == 0)
		rc = buf_printf(out, "auth=Bearer %s" KVSEP KVSEP, r->token);
	return rc;
}

/* Google's XOAUTH2: "user=USER" KVSEP "auth=Bearer TOKEN" KVSEP KVSEP. */
static int
build_xoauth2(struct buf *out, const struct auth_oauth_request *r)
{
	return buf_printf(out, "user=%s" KVSEP "auth=Bearer %s" KVSEP KVSEP,
	    r->user, r->token);
}

static const struct auth_oauth_mech oauth_mechs[] = {
	{ "OAUTHBEARER", build_oauthbearer, KVSEP, 1 },
	{ "XOAUTH2", build_xoauth2, "", 0 },
};

#define OAUTH_MECH_COUNT (sizeof(oauth_mechs) / sizeof(oauth_mechs[0]))

const struct auth_oauth_mech *
auth_oauth_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < OAUTH_MECH_COUNT; i++)
		if (strcasecmp(name, oauth_mechs[i].name) == 0)
			return &oauth_mechs[i];
	return NULL;
}

/* The table's order is the preference: OAUTHBEARER is the standard. */
const struct auth_oauth_mech *
auth_oauth_choose(struct imap_session *s)
{
	char cap[32];
	size_t i;

	for (i = 0; i < OAUTH_MECH_COUNT; i++) {
		snprintf(cap, sizeof(cap), "AUTH=%s", oauth_mechs[i].name);
		if (imap_session_has_capability(s, cap))
			return &oauth_mechs[i];
	}
	return NULL;
}

/* --- the token ------------------------------------------------------- */

static char token_error[512];

/* RFC 6750 2.1: b64token is letters, digits and "-._~+/" with trailing
 * "="; anything printable is let through (servers differ), but a space
 * or a control character would break the message's framing. */
static bool
token_well_formed(const char *token)
{
	const unsigned char *p;

	for (p = (const unsigned char *)token; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

int
auth_oauth_get_token(const char *command, char **token_r,
    const char **error_r)
{
	struct auth_password_source src;

	auth_password_source_init(&src);
	auth_password_source_set_command(&src, command);
	src.noun = "token";
	src.max_len = AUTH_OAUTH_TOKEN_MAX;
	if (auth_password_get(&src, NULL, NULL, token_r, error_r) != 0) {
		snprintf(token_error, sizeof(token_error), "--token-cmd: %s",
		    *error_r);
		*error_r = token_error;
		return -1;
	}
	if (!token_well_formed(*token_r)) {
		secure_free_str(token_r);
		*error_r = "--token-cmd: the token command printed a space or "
			   "a control character, which no bearer token has";
		return -1;
	}
	return 0;
}

/* --- the error challenge --------------------------------------------- */

/* A small reader for one flat JSON object: enough for RFC 7628 3.2.2's
 * status, scope and openid-configuration, and Google's status and
 * schemes. Nested values are skipped and shown as "...". */
struct json_reader {
	const char *p, *end;
};

static void
skip_blanks(struct json_reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\r' || *r->p == '\n'))
		r->p++;
}

static bool
take(struct json_reader *r, char c)
{
	skip_blanks(r);
	if (r->p >= r->end || *r->p != c)
		return false;
	r->p++;
	return true;
}

static void
put_char(struct buf *out, unsigned char c)
{
	(void)buf_append_byte(out, c < 0x20 || c == 0x7f ? '?' : c);
}


/* A string's content into out (NULL: skip it). \u escapes of anything
 * but printable ASCII are shown as '?': this is for reading, not for
 * keeping. */
static bool
read_string(struct json_reader *r, struct buf *out)
{
	static const char plain[] = "\"\\/bfnrt", as[] = "\"\\/?????";
	const char *e;
	unsigned cp;
	int i, h;

	if (!take(r, '"'))
		return false;
	while (r->p < r->end && *r->p != '"') {
		if (*r->p != '\\') {
			if (out != NULL)
				put_char(out, (unsigned char)*r->p);
			r->p++;
			continue;
		}
		if (++r->p >= r->end)
			return false;
		if (*r->p == 'u') {
			if (r->end - r->p < 5)
				return false;
			for (cp = 0, i = 1; i <= 4; i++) {
				h = hex_digit_value((unsigned char)r->p[i]);
				if (h < 0)
					return false;
				cp = cp * 16 + (unsigned)h;
			}
			if (out != NULL)
				put_char(out, cp < 0x80 ? (unsigned char)cp :
				    '?');
			r->p += 5;
			continue;
		}
		if ((e = strchr(plain, *r->p)) == NULL || *r->p == '\0')
			return false;
		if (out != NULL)
			put_char(out, (unsigned char)as[e - plain]);
		r->p++;
	}
	return take(r, '"');
}

/* A number, true, false or null: copied as it is. */
static bool
read_scalar(struct json_reader *r, struct buf *out)
{
	const char *start = r->p;

	while (r->p < r->end && *r->p != '\0' &&
	    (strchr("+-.eE", *r->p) != NULL ||
	    (*r->p >= '0' && *r->p <= '9') || (*r->p >= 'a' && *r->p <= 'z')))
		r->p++;
	if (r->p == start)
		return false;
	while (start < r->p)
		put_char(out, (unsigned char)*start++);
	return true;
}

/* An object or array: skipped to its matching end, strings minded. */
static bool
skip_nested(struct json_reader *r)
{
	unsigned depth = 0;

	do {
		skip_blanks(r);
		if (r->p >= r->end)
			return false;
		if (*r->p == '"') {
			if (!read_string(r, NULL))
				return false;
			continue;
		}
		if (*r->p == '{' || *r->p == '[')
			depth++;
		else if (*r->p == '}' || *r->p == ']')
			depth--;
		r->p++;
	} while (depth > 0);
	return true;
}

static bool
read_value(struct json_reader *r, struct buf *out)
{
	skip_blanks(r);
	if (r->p >= r->end)
		return false;
	if (*r->p == '"')
		return read_string(r, out);
	if (*r->p == '{' || *r->p == '[') {
		(void)buf_append_str(out, "...");
		return skip_nested(r);
	}
	return read_scalar(r, out);
}

/* "key value, key value"; false if this is no flat JSON object. */
static bool
describe_object(struct json_reader *r, struct buf *out)
{
	bool first = true;

	if (!take(r, '{'))
		return false;
	if (take(r, '}'))
		return true;
	do {
		if (!first)
			(void)buf_append_str(out, ", ");
		first = false;
		if (!read_string(r, out) || !take(r, ':'))
			return false;
		(void)buf_append_byte(out, ' ');
		if (!read_value(r, out))
			return false;
	} while (take(r, ','));
	if (!take(r, '}'))
		return false;
	skip_blanks(r);
	return r->p == r->end;
}

void
auth_oauth_describe_error(const void *json, size_t len, char *out,
    size_t size)
{
	struct json_reader r = { json, (const char *)json + len };
	struct buf text;
	size_t i;

	buf_init(&text, 4096);
	if (!describe_object(&r, &text) || text.len == 0) {
		buf_reset(&text);
		for (i = 0; i < len && i < 1024; i++)
			put_char(&text, ((const unsigned char *)json)[i]);
	}
	snprintf(out, size, "%s", text.len > 0 ? buf_str(&text) :
	    "(an empty challenge)");
	buf_free(&text);
}
