/* auth: the SASL client and the LOGIN command over an IMAP session.
 *
 * Cyrus SASL does the mechanisms; this file chooses one, moves its
 * messages through AUTHENTICATE as base64 (RFC 9051 6.2.2, RFC 4959
 * SASL-IR), feeds it the names and the password through callbacks, and
 * turns the tagged reply into a result. OAUTHBEARER and XOAUTH2, which
 * libsasl2 lacks, go through the same AUTHENTICATE steps with their
 * messages from auth-oauth.c. */
#include "config.h"

#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sasl/sasl.h>

#include "auth.h"
#include "auth-oauth.h"
#include "conn-sasl.h"
#include "util-buf.h"
#include "util-log.h"
#include "util-mem.h"

/* What we accept per security-layer packet (sasl_decode's limit). */
#define AUTH_SASL_MAXBUF 65536
/* imtest's default top of the SSF range: "anything the mechanism has". */
#define AUTH_DEFAULT_MAX_SSF 10000
/* The longest base64 line we send or take in one step. */
#define AUTH_MAX_LINE (1024u * 1024)
/* Prompts (-c) one exchange may ask. */
#define AUTH_MAX_PROMPTS 8
/* Server text quoted in an error message. */
#define AUTH_SERVER_TEXT_MAX 300

struct auth_state {
	struct imap_session *session;
	const struct auth_options *o;
	auth_done_cb *cb;
	void *ctx;
	struct imap_session_command *cmd; /* in flight, else NULL */
	sasl_conn_t *sasl;
	sasl_callback_t callbacks[9];
	char *authname;
	char mech[64];
	bool login;         /* the LOGIN command, not SASL */
	bool sasl_complete; /* the library said SASL_OK: nothing more due */
	bool password_failed;
	sasl_secret_t *secret; /* for SASL_CB_PASS, until the end */
	/* what was typed at the mechanism's prompts (-c), until the end */
	char *answers[AUTH_MAX_PROMPTS];
	size_t answer_count;
	bool cancelled;     /* we sent "*" */
	/* OAUTHBEARER or XOAUTH2 instead of SASL: the client's message
	 * (secret) until it is sent, then the server's error, if any. */
	const struct auth_oauth_mech *oauth;
	struct buf oauth_message;
	bool oauth_sent;
	bool oauth_refused;
	char oauth_refusal[512];
	char error[1024];
};

/* auth_start()'s message when it returns NULL (one thread). */
static char start_error[1024];

static bool library_ready;   /* sasl_client_init() done */
static bool library_wanted;  /* auth_library_init() called */
static const char *const *library_options;

static void __attribute__((format(printf, 2, 3)))
set_error(struct auth_state *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->error, sizeof(a->error), fmt, ap);
	va_end(ap);
}

void
auth_options_init(struct auth_options *o)
{
	memset(o, 0, sizeof(*o));
	o->service = "imap";
	o->max_ssf = AUTH_DEFAULT_MAX_SSF;
}

/* --- base64 (RFC 4648 4, as RFC 9051 6.2.2 wants) -------------------- */

static bool
is_base64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

/* Strict: whole quanta, the alphabet only, '=' only as final padding.
 * EVP_DecodeBlock() alone would skip blanks and count the padding as
 * data. Returns the decoded length, or -1. */
static int
base64_decode(const char *in, size_t len, unsigned char **out_r)
{
	size_t i, pad = 0;
	int n;

	*out_r = NULL;
	if (len % 4 != 0 || len > AUTH_MAX_LINE)
		return -1;
	if (len > 0 && in[len - 1] == '=')
		pad = len > 1 && in[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len - pad; i++)
		if (!is_base64_char(in[i]))
			return -1;
	*out_r = xmalloc(len / 4 * 3 + 1);
	if (len == 0)
		return 0;
	n = EVP_DecodeBlock(*out_r, (const unsigned char *)in, (int)len);
	if (n < 0 || (size_t)n < pad) {
		free(*out_r);
		*out_r = NULL;
		return -1;
	}
	return n - (int)pad;
}

/* Append the base64 of data to a secret buffer. */
static int
base64_append(struct buf *out, const void *data, size_t len)
{
	size_t need = (len + 2) / 3 * 4;
	unsigned char *tmp;
	int rc;

	if (len > AUTH_MAX_LINE / 4 * 3)
		return -1;
	tmp = xmalloc(need + 1);
	EVP_EncodeBlock(tmp, data, (int)len);
	rc = buf_append(out, tmp, need);
	secure_zero(tmp, need);
	free(tmp);
	return rc;
}

/* --- SASL callbacks -------------------------------------------------- */

/* The value of -o name=value: "plugin_option" first, then "option", the
 * last one given winning (as imtest). */
static const char *
find_option(const char *const *opts, const char *plugin, const char *name)
{
	size_t plen = plugin != NULL ? strlen(plugin) : 0;
	size_t nlen = strlen(name);
	const char *found = NULL, *p;

	for (; opts != NULL && *opts != NULL; opts++) {
		p = *opts;
		if (plugin != NULL) {
			if (strncasecmp(p, plugin, plen) != 0 || p[plen] != '_')
				continue;
			p += plen + 1;
		}
		if (strncmp(p, name, nlen) == 0 && p[nlen] == '=')
			found = p + nlen + 1;
	}
	return found;
}

static int
answer_option(const char *const *opts, const char *plugin,
    const char *option, const char **result, unsigned *len)
{
	const char *v = NULL;

	if (plugin != NULL)
		v = find_option(opts, plugin, option);
	if (v == NULL)
		v = find_option(opts, NULL, option);
	/* Let the library talk when we are asked to (-v). */
	if (v == NULL && strcmp(option, "log_level") == 0 &&
	    log_get_level() >= LOG_LEVEL_DEBUG)
		v = "5";
	if (v == NULL)
		return SASL_FAIL;
	*result = v;
	if (len != NULL)
		*len = (unsigned)strlen(v);
	return SASL_OK;
}

static int
cb_global_getopt(void *context, const char *plugin, const char *option,
    const char **result, unsigned *len)
{
	return answer_option(library_options, plugin, option, result, len);
}

static int
cb_getopt(void *context, const char *plugin, const char *option,
    const char **result, unsigned *len)
{
	struct auth_state *a = context;

	return answer_option(a->o->sasl_options, plugin, option, result,
	    len);
}

/* SASL_LOG_TRACE and SASL_LOG_PASS may carry protocol internals and
 * passwords: they never reach our log. */
static int
cb_log(void *context, int level, const char *message)
{
	if (message != NULL && level < SASL_LOG_TRACE)
		log_debug("sasl: %s", message);
	return SASL_OK;
}

static int
cb_name(void *context, int id, const char **result, unsigned *len)
{
	struct auth_state *a = context;
	const char *v;

	if (id == SASL_CB_AUTHNAME)
		v = a->authname;
	else if (id == SASL_CB_USER)
		v = a->o->authzid != NULL ? a->o->authzid : "";
	else
		return SASL_BADPARAM;
	*result = v;
	if (len != NULL)
		*len = (unsigned)strlen(v);
	return SASL_OK;
}

static int
cb_realm(void *context, int id, const char **available,
    const char **result)
{
	struct auth_state *a = context;

	if (a->o->realm != NULL)
		*result = a->o->realm;
	else if (available != NULL && available[0] != NULL)
		*result = available[0];
	else
		*result = "";
	return SASL_OK;
}

static void
drop_secret(struct auth_state *a)
{
	while (a->answer_count > 0)
		secure_free_str(&a->answers[--a->answer_count]);
	if (a->secret == NULL)
		return;
	secure_zero(a->secret->data, a->secret->len);
	free(a->secret);
	a->secret = NULL;
}

/* Server-given text (an OTP challenge) made harmless for the terminal. */
static void
append_printable(struct buf *out, const char *text)
{
	for (; text != NULL && *text != '\0'; text++)
		buf_append_byte(out, (unsigned char)*text < 0x20 ||
		    *text == 0x7f ? '?' : *text);
}

/* -c: SASL_CB_ECHOPROMPT and SASL_CB_NOECHOPROMPT. What is typed goes
 * to the mechanism only: never logged, zeroed when the exchange ends. */
static int
cb_prompt(void *context, int id, const char *challenge, const char *prompt,
    const char *defresult, const char **result, unsigned *len)
{
	struct auth_state *a = context;
	const struct auth_password_source *pw = a->o->password;
	const char *error;
	struct buf text;
	char *answer;
	int rc;

	if (a->answer_count == AUTH_MAX_PROMPTS) {
		set_error(a, "the %s mechanism asked too many questions",
		    a->mech);
		return SASL_FAIL;
	}
	buf_init(&text, 4096);
	if (challenge != NULL && challenge[0] != '\0') {
		buf_append_str(&text, "Challenge: ");
		append_printable(&text, challenge);
		buf_append_str(&text, "\n");
	}
	append_printable(&text, prompt != NULL ? prompt : "Answer");
	if (defresult != NULL && defresult[0] != '\0') {
		buf_append_str(&text, " [");
		append_printable(&text, defresult);
		buf_append_str(&text, "]");
	}
	buf_append_str(&text, ": ");
	rc = auth_prompt_line(pw != NULL ? pw->tty_path : NULL, buf_str(&text),
	    id == SASL_CB_ECHOPROMPT, &answer, &error);
	buf_free(&text);
	if (rc != 0) {
		a->password_failed = true;
		set_error(a, "%s", error);
		return SASL_FAIL;
	}
	if (answer[0] == '\0' && defresult != NULL) {
		free(answer);
		answer = xstrdup(defresult);
	}
	a->answers[a->answer_count++] = answer;
	*result = answer;
	if (len != NULL)
		*len = (unsigned)strlen(answer);
	return SASL_OK;
}

static const struct auth_password_source *
password_source(const struct auth_state *a)
{
	static struct auth_password_source prompt = {
		.kind = AUTH_PASSWORD_PROMPT,
	};

	return a->o->password != NULL ? a->o->password : &prompt;
}

static int
get_password(struct auth_state *a, char **password_r)
{
	const char *host = a->o->server_host != NULL ? a->o->server_host :
	    "server";
	const char *error;

	if (auth_password_get(password_source(a), a->authname, host,
		password_r, &error) == 0)
		return 0;
	a->password_failed = true;
	set_error(a, "%s", error);
	return -1;
}

/* Fetched only now, when a mechanism needs it; the plugin keeps the
 * pointer, so it lives until the exchange ends. */
static int
cb_pass(sasl_conn_t *conn, void *context, int id, sasl_secret_t **psecret)
{
	struct auth_state *a = context;
	char *password;
	size_t len;

	if (a->secret == NULL) {
		if (get_password(a, &password) != 0)
			return SASL_FAIL;
		len = strlen(password);
		a->secret = xmalloc(sizeof(*a->secret) + len);
		a->secret->len = len;
		memcpy(a->secret->data, password, len + 1);
		secure_free_str(&password);
	}
	*psecret = a->secret;
	return SASL_OK;
}

/* gcc's -Wcast-function-type lets anything through void (*)(void). */
#define SASL_PROC(fn) ((int (*)(void))(void (*)(void))(fn))

static void
set_callbacks(struct auth_state *a)
{
	const sasl_callback_t cbs[] = {
		{ SASL_CB_GETOPT, SASL_PROC(cb_getopt), a },
		{ SASL_CB_LOG, SASL_PROC(cb_log), a },
		{ SASL_CB_AUTHNAME, SASL_PROC(cb_name), a },
		{ SASL_CB_USER, SASL_PROC(cb_name), a },
		{ SASL_CB_PASS, SASL_PROC(cb_pass), a },
		{ SASL_CB_GETREALM, SASL_PROC(cb_realm), a },
		{ SASL_CB_LIST_END, NULL, NULL },
	};
	const sasl_callback_t prompts[] = {
		{ SASL_CB_ECHOPROMPT, SASL_PROC(cb_prompt), a },
		{ SASL_CB_NOECHOPROMPT, SASL_PROC(cb_prompt), a },
		{ SASL_CB_LIST_END, NULL, NULL },
	};
	size_t n = sizeof(cbs) / sizeof(cbs[0]) - 1;

	memcpy(a->callbacks, cbs, sizeof(cbs));
	if (a->o->challenge_prompts)
		memcpy(&a->callbacks[n], prompts, sizeof(prompts));
}

/* --- the library ----------------------------------------------------- */

/* Cyrus SASL loads every plugin in its directory (a dlopen each, and
 * libdb for sasldb) when it starts: only the SASL path pays for that,
 * not LOGIN or OAuth. */
void
auth_library_configure(const char *const *sasl_options)
{
	if (library_wanted)
		return;
	library_options = sasl_options;
	library_wanted = true;
}

static int
library_start(const char **error_r)
{
	static const sasl_callback_t global[] = {
		{ SASL_CB_GETOPT, SASL_PROC(cb_global_getopt), NULL },
		{ SASL_CB_LOG, SASL_PROC(cb_log), NULL },
		{ SASL_CB_LIST_END, NULL, NULL },
	};
	int r;

	if (library_ready)
		return 0;
	if ((r = sasl_client_init(global)) != SASL_OK) {
		snprintf(start_error, sizeof(start_error), "cannot start the "
		    "SASL library: %s", sasl_errstring(r, NULL, NULL));
		*error_r = start_error;
		return -1;
	}
	library_ready = true;
	return 0;
}

int
auth_library_init(const char *const *sasl_options, const char **error_r)
{
	auth_library_configure(sasl_options);
	return library_start(error_r);
}

void
auth_library_done(void)
{
	if (library_ready)
		sasl_client_done();
	library_ready = false;
	library_wanted = false;
	library_options = NULL;
}

/* --- sending --------------------------------------------------------- */

static const char *
sasl_detail(const struct auth_state *a, int r)
{
	const char *d = a->sasl != NULL ? sasl_errdetail(a->sasl) : NULL;

	return d != NULL ? d : sasl_errstring(r, NULL, NULL);
}

/* One client line of AUTHENTICATE: base64, or empty. */
static int
send_response(struct auth_state *a, const char *out, unsigned outlen)
{
	struct buf line;
	int rc;

	buf_init_secret(&line, AUTH_MAX_LINE + 2);
	rc = base64_append(&line, out, outlen);
	if (rc == 0)
		rc = buf_append_str(&line, "\r\n");
	if (rc == 0)
		rc = imap_session_command_append(a->session, a->cmd,
		    line.data, line.len, true, NULL);
	buf_free(&line);
	return rc;
}

/* "tag AUTHENTICATE MECH [initial-response]": the response goes into
 * the secret buffer only after the command is marked secret, so no
 * unzeroed copy is left behind by a buffer growing. */
static struct imap_command *
build_authenticate(struct auth_state *a, const char *ir, unsigned irlen,
    bool has_ir, const char **error_r)
{
	struct imap_literal_caps caps;
	struct imap_command *cmd;
	struct buf *line;

	imap_session_literal_caps(a->session, &caps);
	cmd = imap_command_build(imap_session_next_tag(a->session), &caps,
	    error_r, "AUTHENTICATE %a", a->mech);
	if (cmd == NULL)
		return NULL;
	imap_command_set_secret(cmd);
	if (!has_ir)
		return cmd;
	line = &cmd->chunks[0].data;
	line->len -= 2; /* the CRLF */
	if (buf_append_byte(line, ' ') != 0 ||
	    (irlen == 0 ? buf_append_byte(line, '=') :
		base64_append(line, ir, irlen)) != 0 ||
	    buf_append_str(line, "\r\n") != 0) {
		imap_command_free(&cmd);
		*error_r = "the initial response is too long";
		return NULL;
	}
	return cmd;
}

/* --- choosing the mechanism ------------------------------------------ */

/* The server's AUTH= mechanisms, space-separated. */
static void
offered_mechanisms(struct imap_session *s, struct buf *list)
{
	size_t i, n = imap_session_capability_count(s);
	const char *cap;

	for (i = 0; i < n; i++) {
		cap = imap_session_capability(s, i);
		if (strncasecmp(cap, "AUTH=", 5) != 0 || cap[5] == '\0')
			continue;
		if (list->len > 0)
			buf_append_byte(list, ' ');
		buf_append_str(list, cap + 5);
	}
}

static void
local_mechanisms(struct buf *list)
{
	const char **m = sasl_global_listmech();

	for (; m != NULL && *m != NULL; m++) {
		if (list->len > 0)
			buf_append_byte(list, ' ');
		buf_append_str(list, *m);
	}
}

static void
explain_start_failure(struct auth_state *a, int r, const char *offered)
{
	struct buf local;

	if (a->password_failed)
		return; /* a->error says why already */
	if (r == SASL_INTERACT) {
		set_error(a, "the %s mechanism asks for something imapwb "
		    "cannot give it", a->o->mech != NULL ? a->o->mech : "SASL");
		return;
	}
	if (r != SASL_NOMECH) {
		set_error(a, "SASL: %s", sasl_detail(a, r));
		return;
	}
	buf_init(&local, 4096);
	local_mechanisms(&local);
	if (a->o->mech != NULL)
		set_error(a, "SASL mechanism %s is not available here, or not "
		    "within -k/-l (this libsasl2 has: %s)", a->o->mech,
		    buf_str(&local));
	else
		set_error(a, "no SASL mechanism in common: the server offers "
		    "%s, this libsasl2 has %s (try -m login, or -k/-l)",
		    offered, buf_str(&local));
	buf_free(&local);
}

static int
set_security(struct auth_state *a)
{
	const struct auth_options *o = a->o;
	sasl_security_properties_t sp;
	sasl_ssf_t ext = o->external_ssf;

	memset(&sp, 0, sizeof(sp));
	sp.min_ssf = o->min_ssf;
	sp.max_ssf = o->max_ssf;
	sp.maxbufsize = AUTH_SASL_MAXBUF;
	/* Plaintext mechanisms stay allowed (imtest's choice: TLS is on by
	 * default); ANONYMOUS only when asked for by name. */
	if (o->mech == NULL || strcasecmp(o->mech, "ANONYMOUS") != 0)
		sp.security_flags = SASL_SEC_NOANONYMOUS;
	if (sasl_setprop(a->sasl, SASL_SSF_EXTERNAL, &ext) != SASL_OK ||
	    sasl_setprop(a->sasl, SASL_SEC_PROPS, &sp) != SASL_OK)
		return -1;
	if (o->external_id != NULL &&
	    sasl_setprop(a->sasl, SASL_AUTH_EXTERNAL, o->external_id) !=
		SASL_OK)
		return -1;
	return 0;
}

static void
submit_authenticate(struct auth_state *a, struct imap_command *cmd,
    bool has_ir)
{
	char display[160];

	snprintf(display, sizeof(display), "%s AUTHENTICATE %s%s\r\n",
	    cmd->tag, a->mech, has_ir ? " <redacted>" : "");
	a->cmd = imap_session_submit(a->session, cmd,
	    IMAP_CMD_EXCLUSIVE | IMAP_CMD_OWN_CONTINUATIONS, display);
}

/* -u naming someone else: proxy authorization. */
static bool
acts_for_another(const struct auth_state *a)
{
	return a->o->authzid != NULL && a->o->authzid[0] != '\0' &&
	    strcmp(a->o->authzid, a->authname) != 0;
}

/* What sasl_client_start() may choose from: -m, else what the server
 * offers. With an authzid and no -m, PLAIN when the server offers it:
 * Dovecot accepts an authzid only with PLAIN (SCRAM and CRAM-MD5 fail
 * with AUTHORIZATIONFAILED), and Cyrus takes it with PLAIN too. A server
 * offers PLAIN only where it lets a password pass (after TLS, or on a
 * connection it counts as secure, as Dovecot does on loopback). */
static const char *
mechanism_list(const struct auth_state *a, const struct buf *offered)
{
	if (a->o->mech != NULL)
		return a->o->mech;
	if (acts_for_another(a) &&
	    imap_session_has_capability(a->session, "AUTH=PLAIN")) {
		log_info("-u without -m: using PLAIN, which carries an "
		    "authzid on every server");
		return "PLAIN";
	}
	return buf_str(offered);
}

static int
start_sasl(struct auth_state *a, const char **error_r)
{
	struct imap_command *cmd;
	const char *out = NULL, *mech = NULL;
	sasl_interact_t *interact = NULL;
	unsigned outlen = 0;
	struct buf offered;
	bool want_ir;
	int r;

	if (library_start(error_r) != 0) {
		set_error(a, "%s", *error_r);
		return -1;
	}
	set_callbacks(a);
	r = sasl_client_new(a->o->service != NULL ? a->o->service : "imap",
	    a->o->server_host, NULL, NULL, a->callbacks, 0, &a->sasl);
	if (r != SASL_OK || set_security(a) != 0) {
		set_error(a, "SASL: %s", sasl_detail(a, r));
		return -1;
	}
	buf_init(&offered, 64 * 1024);
	offered_mechanisms(a->session, &offered);
	/* RFC 4959: an initial response only where SASL-IR says so. */
	want_ir = !a->o->no_initial_response &&
	    imap_session_has_capability(a->session, "SASL-IR");
	r = sasl_client_start(a->sasl, mechanism_list(a, &offered),
	    &interact, want_ir ? &out : NULL, &outlen, &mech);
	if (r != SASL_OK && r != SASL_CONTINUE) {
		explain_start_failure(a, r, buf_str(&offered));
		buf_free(&offered);
		return -1;
	}
	buf_free(&offered);
	snprintf(a->mech, sizeof(a->mech), "%s", mech);
	/* A non-NULL out is an initial response, even an empty one. */
	cmd = build_authenticate(a, out, outlen, want_ir && out != NULL,
	    error_r);
	if (cmd == NULL) {
		set_error(a, "%s", *error_r);
		return -1;
	}
	a->sasl_complete = r == SASL_OK;
	if (a->sasl_complete)
		drop_secret(a);
	submit_authenticate(a, cmd, want_ir && out != NULL);
	return 0;
}

/* --- LOGIN ----------------------------------------------------------- */

/* The user name as the transcript shows it: an atom as is, anything
 * else quoted, control characters as '?' (display only). */
static void
display_name(struct buf *out, const char *name)
{
	const struct imap_literal_caps caps = { false, false, false };
	const char *p;

	if (imap_string_form(name, strlen(name), true, &caps) ==
	    IMAP_FORM_ATOM) {
		buf_append_str(out, name);
		return;
	}
	buf_append_byte(out, '"');
	for (p = name; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\\')
			buf_append_byte(out, '\\');
		buf_append_byte(out, c < 0x20 || c == 0x7f ? '?' : c);
	}
	buf_append_byte(out, '"');
}

static int
start_login(struct auth_state *a, const char **error_r)
{
	struct imap_literal_caps caps;
	struct imap_command *cmd;
	struct buf display;
	char *password;

	/* RFC 9051 6.2.3: LOGINDISABLED means the server refuses it. */
	if (imap_session_has_capability(a->session, "LOGINDISABLED")) {
		set_error(a, "the server advertises LOGINDISABLED, so LOGIN "
		    "cannot work here (use STARTTLS, or a SASL mechanism)");
		return -1;
	}
	if (acts_for_another(a)) {
		set_error(a, "LOGIN cannot act as another user (-u); use a "
		    "SASL mechanism such as PLAIN");
		return -1;
	}
	if (get_password(a, &password) != 0)
		return -1;
	imap_session_literal_caps(a->session, &caps);
	cmd = imap_command_build(imap_session_next_tag(a->session), &caps,
	    error_r, "LOGIN %s %s", a->authname, password);
	secure_free_str(&password);
	if (cmd == NULL) {
		set_error(a, "cannot send LOGIN: %s", *error_r);
		return -1;
	}
	imap_command_set_secret(cmd);
	snprintf(a->mech, sizeof(a->mech), "LOGIN");
	buf_init(&display, 4096);
	buf_printf(&display, "%s LOGIN ", cmd->tag);
	display_name(&display, a->authname);
	buf_append_str(&display, " <redacted>\r\n");
	a->cmd = imap_session_submit(a->session, cmd, IMAP_CMD_EXCLUSIVE,
	    buf_str(&display));
	buf_free(&display);
	return 0;
}

/* --- OAUTHBEARER and XOAUTH2 ---------------------------------------- */

/* The token is fetched now, once per authentication, so that a command
 * that refreshes it runs for every connection; it lives only in the
 * secret message, which goes out as the initial response (SASL-IR) or
 * as the answer to the first "+". */
static int
start_oauth(struct auth_state *a, const char **error_r)
{
	struct auth_oauth_request req;
	struct imap_command *cmd;
	const char *err;
	char *token;
	bool want_ir;
	int rc;

	snprintf(a->mech, sizeof(a->mech), "%s", a->oauth->name);
	if (a->o->token_command == NULL) {
		set_error(a, "%s needs a token: give --token-cmd", a->mech);
		return -1;
	}
	if (auth_oauth_get_token(a->o->token_command, &token, &err) != 0) {
		set_error(a, "%s", err);
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.user = acts_for_another(a) ? a->o->authzid : a->authname;
	req.host = a->o->server_host;
	req.port = a->o->server_port;
	req.token = token;
	buf_init_secret(&a->oauth_message, AUTH_OAUTH_TOKEN_MAX + 4096);
	rc = a->oauth->build(&a->oauth_message, &req);
	secure_free_str(&token);
	if (rc != 0) {
		set_error(a, "the %s message is too long", a->mech);
		return -1;
	}
	/* RFC 4959: an initial response only where SASL-IR says so. */
	want_ir = !a->o->no_initial_response &&
	    imap_session_has_capability(a->session, "SASL-IR");
	cmd = build_authenticate(a, a->oauth_message.data,
	    (unsigned)a->oauth_message.len, want_ir, error_r);
	if (cmd == NULL) {
		set_error(a, "%s", *error_r);
		return -1;
	}
	if (want_ir) {
		buf_free(&a->oauth_message);
		a->oauth_sent = true;
	}
	submit_authenticate(a, cmd, want_ir);
	return 0;
}

/* -m OAUTHBEARER or XOAUTH2; or, with --token-cmd and no -m, the one the
 * server offers. NULL: not OAuth (-m names another mechanism), and with
 * *error_r when --token-cmd finds no OAuth mechanism. */
static const struct auth_oauth_mech *
choose_oauth(struct imap_session *s, const struct auth_options *o,
    const char **error_r)
{
	const struct auth_oauth_mech *m;

	*error_r = NULL;
	if (o->mech != NULL)
		return auth_oauth_find(o->mech);
	if (o->token_command == NULL)
		return NULL;
	if ((m = auth_oauth_choose(s)) == NULL)
		*error_r = "--token-cmd: the server offers neither "
			   "AUTH=OAUTHBEARER nor AUTH=XOAUTH2 (try -m "
			   "OAUTHBEARER or -m XOAUTH2 to send one anyway)";
	return m;
}

/* --- starting -------------------------------------------------------- */

static int
check_session(struct imap_session *s, const char **error_r)
{
	if (imap_session_state(s) != IMAP_STATE_NOT_AUTHENTICATED) {
		snprintf(start_error, sizeof(start_error), "cannot log in "
		    "now: the session is in the %s state",
		    imap_session_state_name(imap_session_state(s)));
		*error_r = start_error;
		return -1;
	}
	if (!imap_session_capabilities_known(s)) {
		*error_r = "the server's capabilities are not known yet: ask "
		    "CAPABILITY first";
		return -1;
	}
	return 0;
}

/* imtest's default: the local user's name. */
static int
resolve_authname(struct auth_state *a)
{
	const struct passwd *pw;

	if (a->o->authname != NULL) {
		a->authname = xstrdup(a->o->authname);
		return 0;
	}
	if ((pw = getpwuid(getuid())) == NULL || pw->pw_name == NULL) {
		set_error(a, "no user name: give one with -a");
		return -1;
	}
	a->authname = xstrdup(pw->pw_name);
	return 0;
}

/* -m login (any case) is the LOGIN command, as in imtest; so is a server
 * that offers no SASL mechanism at all. */
static bool
wants_login(struct imap_session *s, const struct auth_options *o)
{
	size_t i, n = imap_session_capability_count(s);

	if (o->mech != NULL)
		return strcasecmp(o->mech, "login") == 0;
	for (i = 0; i < n; i++)
		if (strncasecmp(imap_session_capability(s, i), "AUTH=", 5) ==
		    0)
			return false;
	log_info("the server offers no SASL mechanism: using LOGIN");
	return true;
}

struct auth_state *
auth_start(struct imap_session *s, const struct auth_options *o,
    auth_done_cb *cb, void *ctx, const char **error_r)
{
	struct auth_state *a;
	int rc;

	if (check_session(s, error_r) != 0)
		return NULL;
	auth_library_configure(o->sasl_options);
	a = xcalloc(1, sizeof(*a));
	a->session = s;
	a->o = o;
	a->cb = cb;
	a->ctx = ctx;
	a->oauth = choose_oauth(s, o, error_r);
	if (*error_r != NULL) {
		auth_free(&a);
		return NULL;
	}
	a->login = a->oauth == NULL && wants_login(s, o);
	rc = resolve_authname(a);
	if (rc == 0 && a->oauth != NULL)
		rc = start_oauth(a, error_r);
	else if (rc == 0)
		rc = a->login ? start_login(a, error_r) :
		    start_sasl(a, error_r);
	if (rc != 0) {
		snprintf(start_error, sizeof(start_error), "%s", a->error);
		*error_r = start_error;
		auth_free(&a);
		return NULL;
	}
	return a;
}

/* --- continuations --------------------------------------------------- */

/* The base64 of a "+" line: after "+" and one space, without CRLF. The
 * raw line is used because resp-text parsing would treat a challenge
 * starting with "[" as a response code. */
static void
challenge_text(const struct imap_response *resp, const char **text_r,
    size_t *len_r)
{
	const char *p = resp->raw, *end = resp->raw + resp->raw_len;

	if (p < end && *p == '+')
		p++;
	if (p < end && *p == ' ')
		p++;
	while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	*text_r = p;
	*len_r = (size_t)(end - p);
}

/* RFC 9051 6.2.2: a "*" line cancels; the server answers BAD. a->error
 * says why. */
static void
send_cancel(struct auth_state *a)
{
	a->cancelled = true;
	drop_secret(a);
	log_debug("cancelling AUTHENTICATE %s: %s", a->mech, a->error);
	(void)imap_session_command_append(a->session, a->cmd, "*\r\n", 3,
	    false, "*\r\n");
}

/* The first "+" (without SASL-IR) asks for the message; a "+" after it
 * is the server's JSON error (RFC 7628 3.2.2), which must be answered
 * with the mechanism's dummy response before the server says NO. */
static void
oauth_continuation(struct auth_state *a, const struct imap_response *resp)
{
	const char *text;
	unsigned char *in;
	size_t len;
	int n;

	if (!a->oauth_sent) {
		a->oauth_sent = true;
		if (send_response(a, a->oauth_message.data,
			(unsigned)a->oauth_message.len) != 0) {
			set_error(a, "the %s message is too long to send",
			    a->mech);
			send_cancel(a);
		}
		buf_free(&a->oauth_message);
		return;
	}
	challenge_text(resp, &text, &len);
	if (a->oauth_refused || (n = base64_decode(text, len, &in)) < 0) {
		set_error(a, "the server sent a malformed %s challenge, so "
		    "the exchange was cancelled", a->mech);
		send_cancel(a);
		return;
	}
	auth_oauth_describe_error(in, (size_t)n, a->oauth_refusal,
	    sizeof(a->oauth_refusal));
	free(in);
	a->oauth_refused = true;
	log_debug("%s error challenge: %s", a->mech, a->oauth_refusal);
	if (send_response(a, a->oauth->dummy,
		(unsigned)a->oauth->dummy_len) != 0)
		send_cancel(a);
}

bool
auth_on_continuation(struct auth_state *a, struct imap_session_command *cmd,
    const struct imap_response *resp)
{
	sasl_interact_t *interact = NULL;
	const char *text, *out = NULL;
	unsigned char *in;
	unsigned outlen = 0;
	size_t len;
	int n, r;

	if (a == NULL || a->cmd == NULL || cmd != a->cmd)
		return false;
	if (a->login || a->cancelled)
		return true;
	if (a->oauth != NULL) {
		oauth_continuation(a, resp);
		return true;
	}
	challenge_text(resp, &text, &len);
	if ((n = base64_decode(text, len, &in)) < 0) {
		set_error(a, "the server sent a malformed %s challenge (not "
		    "base64), so the exchange was cancelled", a->mech);
		send_cancel(a);
		return true;
	}
	r = sasl_client_step(a->sasl, (const char *)in, (unsigned)n,
	    &interact, &out, &outlen);
	secure_zero(in, (size_t)n);
	free(in);
	if (r != SASL_OK && r != SASL_CONTINUE) {
		if (!a->password_failed)
			set_error(a, "SASL %s: %s", a->mech,
			    sasl_detail(a, r));
		send_cancel(a);
		return true;
	}
	if (send_response(a, out, outlen) != 0) {
		set_error(a, "the %s response is too long to send", a->mech);
		send_cancel(a);
		return true;
	}
	if (r == SASL_OK) {
		a->sasl_complete = true;
		drop_secret(a);
	}
	return true;
}

/* --- completion ------------------------------------------------------ */

/* "[CODE args] text" from the tagged reply, control characters made
 * harmless: it ends up in a message for the user. */
static void
server_text(const struct imap_response *r, char *out, size_t size)
{
	size_t i;

	if (r->code != NULL)
		snprintf(out, size, "[%s%s%s] %s", r->code,
		    r->code_args != NULL ? " " : "",
		    r->code_args != NULL ? r->code_args : "", r->text);
	else
		snprintf(out, size, "%s", r->text);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
}

static unsigned
negotiated_ssf(const struct auth_state *a)
{
	const void *v = NULL;

	if (a->sasl == NULL ||
	    sasl_getprop(a->sasl, SASL_SSF, &v) != SASL_OK || v == NULL)
		return 0;
	return *(const sasl_ssf_t *)v;
}

/* A NO after an authzid: say which mechanism carried it and what to
 * try. Dovecot says [AUTHORIZATIONFAILED] for an authzid it refuses
 * with any mechanism but PLAIN, and for an authname that may not act
 * for others; Cyrus has no code for it. */
static void
explain_proxy_failure(struct auth_state *a, const struct imap_response *r,
    const char *text)
{
	bool refused = r != NULL && r->code != NULL &&
	    strcasecmp(r->code, "AUTHORIZATIONFAILED") == 0;
	char allowed[256];

	snprintf(allowed, sizeof(allowed), "that %s may act for other users "
	    "(Dovecot: a master user; Cyrus: proxyservers or admins)",
	    a->authname);
	if (strcasecmp(a->mech, "PLAIN") != 0)
		set_error(a, "authentication failed: %s (%s carried the "
		    "authzid %s%s: try -m PLAIN, the one mechanism Dovecot "
		    "accepts an authzid with, and check %s)", text, a->mech,
		    a->o->authzid, refused ? " and the server refused it" : "",
		    allowed);
	else if (refused)
		set_error(a, "authentication failed: %s (PLAIN carried the "
		    "authzid %s and the server refused it: check %s)", text,
		    a->o->authzid, allowed);
	else
		set_error(a, "authentication failed: %s (PLAIN carried the "
		    "authname %s and the authzid %s: check the password of "
		    "%s, and %s)", text, a->authname, a->o->authzid,
		    a->authname, allowed);
}

static void
fill_result(struct auth_state *a, enum imap_command_result result,
    const struct imap_response *tagged, struct auth_result *res)
{
	char text[AUTH_SERVER_TEXT_MAX];
	const char *what = a->login ? "LOGIN" : "AUTHENTICATE";

	if (tagged != NULL)
		server_text(tagged, text, sizeof(text));
	if (result == IMAP_RESULT_OK && !a->cancelled) {
		res->ok = true;
		res->ssf = a->login ? 0 : negotiated_ssf(a);
		res->security_layer = res->ssf > 0;
		if (!a->login && !a->sasl_complete && a->oauth == NULL)
			log_warn("the server accepted %s before the exchange "
			    "ended: it has not proved itself", a->mech);
	} else if (a->cancelled)
		; /* a->error says why we cancelled */
	else if (result == IMAP_RESULT_NO && a->oauth_refused)
		set_error(a, "authentication failed: the server refused the "
		    "token (%s): %s", a->oauth_refusal, text);
	else if (result == IMAP_RESULT_NO && acts_for_another(a))
		explain_proxy_failure(a, tagged, text);
	else if (result == IMAP_RESULT_NO)
		set_error(a, "authentication failed: %s", text);
	else if (result == IMAP_RESULT_BAD)
		set_error(a, "protocol error: the server rejected %s: %s",
		    what, text);
	else
		set_error(a, "authentication failed: the connection ended "
		    "during %s", what);
	res->status = result;
	res->mech = a->mech;
	res->error = res->ok ? NULL : a->error;
}

bool
auth_on_completed(struct auth_state *a,
    const struct imap_session_command *cmd, enum imap_command_result result,
    const struct imap_response *tagged)
{
	struct auth_result res;

	if (a == NULL || a->cmd == NULL || cmd != a->cmd)
		return false;
	a->cmd = NULL;
	drop_secret(a);
	memset(&res, 0, sizeof(res));
	fill_result(a, result, tagged, &res);
	/* Last: the callback may free the state. */
	a->cb(a->ctx, &res);
	return true;
}

/* --- after ----------------------------------------------------------- */

int
auth_push_security_layer(struct auth_state *a, struct conn *conn,
    const void *initial, size_t initial_len, const char **error_r)
{
	if (a->sasl == NULL || !a->sasl_complete || negotiated_ssf(a) == 0) {
		*error_r = "no SASL security layer was negotiated";
		return -1;
	}
	if (conn_sasl_push(conn, a->sasl, initial, initial_len, error_r) !=
	    0)
		return -1;
	a->sasl = NULL;
	return 0;
}

void
auth_free(struct auth_state **ap)
{
	struct auth_state *a = *ap;

	if (a == NULL)
		return;
	drop_secret(a);
	buf_free(&a->oauth_message);
	if (a->sasl != NULL)
		sasl_dispose(&a->sasl);
	free(a->authname);
	secure_zero(a, sizeof(*a));
	free(a);
	*ap = NULL;
}
