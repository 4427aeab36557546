/* client-url: IMAP URLs (RFC 5092) on the command line. */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client.h"
#include "client-url.h"
#include "imap-session.h"
#include "model.h"
#include "model-index.h"
#include "model-selected.h"
#include "text-mutf7.h"
#include "text-utf8.h"
#include "util-mem.h"
#include "util-io.h"

static char url_error[320];

static int
url_fail(const char **error_r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
url_fail(const char **error_r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(url_error, sizeof(url_error), fmt, ap);
	va_end(ap);
	*error_r = url_error;
	return -1;
}

/* --- RFC 3986 and RFC 5092 character classes ------------------------------ */

static bool
is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/* RFC 5092 achar: uchar (unreserved, sub-delims-sh) / "&" / "=" */
static bool
is_achar(unsigned char c)
{
	return is_unreserved(c) || strchr("!$'()*+,&=", c) != NULL;
}

/* RFC 5092 bchar: achar / ":" / "@" / "/" */
static bool
is_bchar(unsigned char c)
{
	return is_achar(c) || c == ':' || c == '@' || c == '/';
}


/* Percent-decode what (the "user", the "mailbox") of len bytes at s, each
 * raw byte passing allowed(). Refuses a bad escape, a decoded NUL or
 * control character, and bytes that are not UTF-8. from is the offset of
 * s in the URL, for the messages. NULL with *error_r. */
static char *
decode_part(const char *what, const char *s, size_t len, size_t from,
    bool (*allowed)(unsigned char), const char **error_r)
{
	char *out = xmalloc(len + 1);
	size_t i, n = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			hi = i + 1 < len ?
			    hex_digit_value((unsigned char)s[i + 1]) : -1;
			lo = i + 2 < len ?
			    hex_digit_value((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				free(out);
				url_fail(error_r, "the %s has a bad percent "
				    "escape at position %zu (%% must be "
				    "followed by two hex digits)", what,
				    from + i + 1);
				return NULL;
			}
			c = (unsigned char)(hi * 16 + lo);
			if (c < 0x20 || c == 0x7f) {
				free(out);
				url_fail(error_r, "the %s holds a control "
				    "character (%%%02X) at position %zu", what,
				    c, from + i + 1);
				return NULL;
			}
			i += 2;
		} else if (!allowed(c)) {
			free(out);
			url_fail(error_r, "the %s has '%c' at position %zu: "
			    "percent-encode it (%%%02X)", what, c,
			    from + i + 1, c);
			return NULL;
		}
		out[n++] = (char)c;
	}
	out[n] = '\0';
	if (!text_utf8_is_valid(out, n)) {
		free(out);
		url_fail(error_r, "the %s is not UTF-8 once decoded", what);
		return NULL;
	}
	return out;
}

/* RFC 5092 nz-number: 1-4294967295, no leading zero. The digits start at
 * *pos; *pos moves past them. */
static int
parse_nz_number(const char *text, size_t *pos, const char *what,
    uint32_t *value_r, const char **error_r)
{
	uint64_t v = 0;
	size_t i = *pos;

	if (text[i] < '1' || text[i] > '9')
		return url_fail(error_r, "%s at position %zu is not a number "
		    "from 1 to 4294967295", what, i + 1);
	for (; text[i] >= '0' && text[i] <= '9'; i++) {
		v = v * 10 + (uint64_t)(text[i] - '0');
		if (v > UINT32_MAX)
			return url_fail(error_r, "%s at position %zu is "
			    "larger than 4294967295", what, *pos + 1);
	}
	*value_r = (uint32_t)v;
	*pos = i;
	return 0;
}

/* Whether text at pos starts with the parameter word (any case). */
static bool
starts_param(const char *text, size_t pos, const char *word)
{
	return strncasecmp(text + pos, word, strlen(word)) == 0;
}

/* --- the server part: [user[;AUTH=mech]@]host[:port] ---------------------- */

static int
parse_userinfo(const char *text, size_t from, size_t to,
    struct client_url *url, const char **error_r)
{
	const char *semi = memchr(text + from, ';', to - from);
	size_t user_end = semi != NULL ? (size_t)(semi - text) : to;
	size_t auth_from;

	if (user_end > from && (url->user = decode_part("user", text + from,
	    user_end - from, from, is_achar, error_r)) == NULL)
		return -1;
	if (semi == NULL) {
		if (user_end == from)
			return url_fail(error_r, "an empty user before '@'");
		return 0;
	}
	if (!starts_param(text, user_end, ";AUTH="))
		return url_fail(error_r, "only ;AUTH= may follow the user "
		    "(position %zu)", user_end + 1);
	auth_from = user_end + strlen(";AUTH=");
	if (auth_from == to)
		return url_fail(error_r, "an empty ;AUTH= (give a mechanism, "
		    "or * for any)");
	if (to - auth_from == 1 && text[auth_from] == '*')
		return 0;
	if ((url->auth = decode_part("mechanism", text + auth_from,
	    to - auth_from, auth_from, is_achar, error_r)) == NULL)
		return -1;
	/* RFC 4422 3.1: 1-20 of A-Z, 0-9, "-" and "_" */
	if (strlen(url->auth) > 20 ||
	    strspn(url->auth, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
		"vwxyz0123456789-_") != strlen(url->auth))
		return url_fail(error_r, "';AUTH=%s' is not a SASL mechanism "
		    "name", url->auth);
	return 0;
}

static int
parse_port(const char *text, size_t from, size_t to, struct client_url *url,
    const char **error_r)
{
	unsigned long v = 0;
	size_t i;

	if (from == to)
		return url_fail(error_r, "an empty port after ':'");
	for (i = from; i < to; i++) {
		if (text[i] < '0' || text[i] > '9')
			return url_fail(error_r, "the port has '%c' at "
			    "position %zu: only digits", text[i], i + 1);
		v = v * 10 + (unsigned long)(text[i] - '0');
		if (v > 65535)
			return url_fail(error_r, "the port is larger than "
			    "65535");
	}
	if (v == 0)
		return url_fail(error_r, "port 0");
	url->port = xasprintf("%lu", v);
	return 0;
}

static int
parse_host(const char *text, size_t from, size_t to, struct client_url *url,
    const char **error_r)
{
	unsigned char addr[16];
	const char *close;
	size_t i, host_end;

	if (from < to && text[from] == '[') {
		close = memchr(text + from, ']', to - from);
		if (close == NULL)
			return url_fail(error_r, "'[' without ']' around the "
			    "IPv6 address");
		url->host = xstrndup(text + from + 1,
		    (size_t)(close - text) - from - 1);
		if (inet_pton(AF_INET6, url->host, addr) != 1)
			return url_fail(error_r, "'[%s]' is not an IPv6 "
			    "address", url->host);
		host_end = (size_t)(close - text) + 1;
		if (host_end < to && text[host_end] != ':')
			return url_fail(error_r, "only ':' and a port may "
			    "follow ']' (position %zu)", host_end + 1);
	} else {
		const char *colon = memchr(text + from, ':', to - from);

		host_end = colon != NULL ? (size_t)(colon - text) : to;
		if (host_end == from)
			return url_fail(error_r, "no host");
		if (host_end - from > 253)
			return url_fail(error_r, "the host name is longer "
			    "than 253 characters");
		for (i = from; i < host_end; i++)
			if (!is_unreserved((unsigned char)text[i]))
				return url_fail(error_r, "the host has '%c' "
				    "at position %zu (only letters, digits, "
				    "'-', '.', '_' and '~')", text[i], i + 1);
		url->host = xstrndup(text + from, host_end - from);
	}
	if (host_end < to)
		return parse_port(text, host_end + 1, to, url, error_r);
	return 0;
}

static int
parse_server(const char *text, size_t from, size_t to,
    struct client_url *url, const char **error_r)
{
	size_t at = to;

	/* '@' is no achar: the last one ends the user (and one before it
	 * is refused as the user's) */
	while (at > from && text[at - 1] != '@')
		at--;
	if (at > from) {
		if (parse_userinfo(text, from, at - 1, url, error_r) != 0)
			return -1;
		from = at;
	}
	return parse_host(text, from, to, url, error_r);
}

/* --- the path: /mailbox[;UIDVALIDITY=n][/;UID=n] -------------------------- */

static int
unsupported_part(const char *text, size_t pos, const char **error_r)
{
	static const char *const parts[] = { "SECTION=", "PARTIAL=",
		"URLAUTH=", "EXPIRE=" };
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (starts_param(text, pos, parts[i]))
			return url_fail(error_r, "';%.*s' (position %zu) is "
			    "not supported: imapwb opens a mailbox or a "
			    "message", (int)strlen(parts[i]) - 1, parts[i],
			    pos);
	return url_fail(error_r, "unknown ';' parameter at position %zu "
	    "(imapwb knows ;UIDVALIDITY= and /;UID=)", pos);
}

static int
parse_path(const char *text, size_t pos, struct client_url *url,
    const char **error_r)
{
	size_t start, end;

	if (text[pos] == '\0')
		return 0;
	pos++; /* the '/' */
	start = end = pos;
	while (text[end] != '\0' && (is_bchar((unsigned char)text[end]) ||
	    text[end] == '%'))
		end++;
	if (text[end] == '?')
		return url_fail(error_r, "a search ('?' at position %zu) is "
		    "not supported", end + 1);
	if (text[end] != '\0' && text[end] != ';')
		return url_fail(error_r, "the mailbox has '%c' at position "
		    "%zu: percent-encode it (%%%02X)", text[end], end + 1,
		    (unsigned char)text[end]);
	/* "/;UID=" ends the mailbox with its '/' */
	if (text[end] == ';' && end > start && text[end - 1] == '/')
		end--;
	if (text[end] != '\0' && end == start)
		return url_fail(error_r, "';' parameters need a mailbox "
		    "before them");
	if (end > start && (url->mailbox = decode_part("mailbox",
	    text + start, end - start, start, is_bchar, error_r)) == NULL)
		return -1;
	pos = end;
	if (text[pos] == ';') {
		if (!starts_param(text, pos, ";UIDVALIDITY="))
			return unsupported_part(text, pos + 1, error_r);
		pos += strlen(";UIDVALIDITY=");
		if (parse_nz_number(text, &pos, "UIDVALIDITY",
		    &url->uidvalidity, error_r) != 0)
			return -1;
	}
	if (text[pos] == '\0')
		return 0;
	if (text[pos] != '/' || text[pos + 1] != ';')
		return url_fail(error_r, "unexpected '%c' at position %zu",
		    text[pos], pos + 1);
	pos += 2;
	if (!starts_param(text, pos, "UID="))
		return unsupported_part(text, pos, error_r);
	pos += strlen("UID=");
	if (parse_nz_number(text, &pos, "UID", &url->uid, error_r) != 0)
		return -1;
	if (text[pos] == '/' && text[pos + 1] == ';')
		return unsupported_part(text, pos + 2, error_r);
	if (text[pos] != '\0')
		return url_fail(error_r, "unexpected '%c' after the UID at "
		    "position %zu", text[pos], pos + 1);
	return 0;
}

/* --- the whole URL -------------------------------------------------------- */

bool
client_url_is_url(const char *text)
{
	return strncasecmp(text, "imap://", 7) == 0 ||
	    strncasecmp(text, "imaps://", 8) == 0;
}

int
client_url_parse(const char *text, struct client_url *url_r,
    const char **error_r)
{
	size_t len = strlen(text), i, from, to;

	memset(url_r, 0, sizeof(*url_r));
	if (!client_url_is_url(text))
		return url_fail(error_r, "an IMAP URL starts with imap:// or "
		    "imaps://");
	if (len > CLIENT_URL_MAX)
		return url_fail(error_r, "longer than %u bytes",
		    CLIENT_URL_MAX);
	/* RFC 3986 2: a URL is printable ASCII; the rest is %-encoded */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c <= ' ' || c >= 0x7f)
			return url_fail(error_r, "a space, control or 8-bit "
			    "byte (0x%02X) at position %zu: percent-encode it",
			    c, i + 1);
		if (c == '#')
			return url_fail(error_r, "a fragment ('#' at position "
			    "%zu) has no meaning in an IMAP URL", i + 1);
	}
	url_r->implicit_tls = strncasecmp(text, "imaps://", 8) == 0;
	from = url_r->implicit_tls ? 8 : 7;
	to = from + strcspn(text + from, "/?");
	if (text[to] == '?')
		return url_fail(error_r, "a search ('?' at position %zu) is "
		    "not supported", to + 1);
	if (parse_server(text, from, to, url_r, error_r) != 0 ||
	    parse_path(text, to, url_r, error_r) != 0) {
		client_url_free(url_r);
		return -1;
	}
	return 0;
}

void
client_url_free(struct client_url *url)
{
	free(url->user);
	free(url->auth);
	free(url->host);
	free(url->port);
	free(url->mailbox);
	memset(url, 0, sizeof(*url));
}

/* --- opening the URL's mailbox after login -------------------------------- */

/* Turn the loop until nothing is in flight (or the connection is gone). */
static bool
wait_idle(struct client *client)
{
	struct imap_session *s = client_session(client);
	bool ready;

	while (client_connected(client) && imap_session_in_flight(s) > 0)
		if (client_turn(client, -1, -1, &ready) != 0)
			break;
	return client_connected(client);
}

static enum exit_status
connection_lost(struct client *client, const char **error_r)
{
	*error_r = client_error(client);
	return client_error_status(client) != EXIT_STATUS_OK ?
	    client_error_status(client) : EXIT_STATUS_PROTOCOL;
}

enum exit_status
client_url_open(struct client *client, const char *mailbox,
    uint32_t uidvalidity, uint32_t uid, bool *found_r, const char **error_r)
{
	struct imap_session *s = client_session(client);
	struct model_selected *sel;
	const char *err = NULL;
	uint32_t server_uidvalidity;
	char *wire;

	*found_r = false;
	if ((wire = text_mutf7_wire(mailbox, &err)) == NULL) {
		url_fail(error_r, "the URL's mailbox: %s", err);
		return EXIT_STATUS_USAGE;
	}
	if (imap_session_command(s, 0, &err, "SELECT %s", wire) == NULL) {
		free(wire);
		url_fail(error_r, "cannot SELECT the URL's mailbox: %s", err);
		return EXIT_STATUS_USAGE;
	}
	free(wire);
	if (!wait_idle(client))
		return connection_lost(client, error_r);
	if (imap_session_state(s) != IMAP_STATE_SELECTED) {
		url_fail(error_r, "the server did not open the URL's mailbox "
		    "'%s' (its reply is above)", mailbox);
		return EXIT_STATUS_COMMAND_FAILED;
	}
	server_uidvalidity = imap_session_uidvalidity(s);
	if (uidvalidity != 0 && server_uidvalidity != uidvalidity) {
		url_fail(error_r, "refused: mailbox '%s' has UIDVALIDITY %lu, "
		    "the URL says %lu: its UIDs may name other messages now",
		    mailbox, (unsigned long)server_uidvalidity,
		    (unsigned long)uidvalidity);
		return EXIT_STATUS_REFUSED;
	}
	if (uid == 0)
		return EXIT_STATUS_OK;
	if (imap_session_command(s, 0, &err, "UID FETCH %u (UID)",
	    (unsigned)uid) == NULL) {
		url_fail(error_r, "cannot look for UID %lu: %s",
		    (unsigned long)uid, err);
		return EXIT_STATUS_USAGE;
	}
	if (!wait_idle(client))
		return connection_lost(client, error_r);
	sel = model_selected(client_model(client));
	*found_r = sel != NULL && sel->index != NULL &&
	    model_index_uid_to_msn(sel->index, uid) != 0;
	return EXIT_STATUS_OK;
}
