/* Unit tests for auth: a real session and the real Cyrus SASL library,
 * with scripted server bytes in and exact client bytes out. The
 * multi-step mechanisms (SCRAM, DIGEST-MD5) talk to an in-process SASL
 * server over a throwaway sasldb, so the exchange is checked end to end,
 * down to the DIGEST-MD5 security layer. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sasl/sasl.h>
#include <sasl/saslutil.h>

#include "auth.h"
#include "conn-tcp.h"
#include "imap-session.h"
#include "util-buf.h"
#include "util-mem.h"

#define SASL_PROC(fn) ((int (*)(void))(void (*)(void))(fn))

#ifdef __SANITIZE_ADDRESS__
/* libsasl2 2.1.28's DIGEST-MD5 plugin loads OpenSSL 3's legacy provider
 * and fetches RC4 from it, and frees neither. The plugin is unloaded by
 * then, so the stacks are matched by the OpenSSL calls it made, which
 * imapwb never makes; only the slow unwinder sees past libcrypto, which
 * is built without frame pointers. */
const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);

const char *
__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions(void)
{
	return "leak:EVP_CIPHER_fetch\nleak:OSSL_PROVIDER_try_load\n";
}
#endif

/* --- the harness: a session whose listener forwards to auth ---------- */

struct harness {
	struct imap_session *s;
	struct auth_state *auth;
	struct auth_options o;
	struct auth_password_source pw;
	struct buf wire; /* "C: ..." and "S: ..." as the transcript shows */
	char tag[32];
	/* the result */
	bool done;
	bool ok;
	enum imap_command_result status;
	char mech[64];
	char error[1024];
	unsigned ssf;
	bool layer;
};

static struct harness the_harness;

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct harness *h = ctx;

	(void)cmd;

	buf_append_str(&h->wire, out ? "C: " : "S: ");
	buf_append(&h->wire, text, len);
}

static void
on_continuation(void *ctx, struct imap_session_command *cmd,
    const struct imap_response *resp)
{
	struct harness *h = ctx;

	assert_true(auth_on_continuation(h->auth, cmd, resp));
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double ms)
{
	struct harness *h = ctx;

	(void)auth_on_completed(h->auth, cmd, result, tagged);
}

static void
on_done(void *ctx, const struct auth_result *r)
{
	struct harness *h = ctx;

	assert_false(h->done);
	h->done = true;
	h->ok = r->ok;
	h->status = r->status;
	h->ssf = r->ssf;
	h->layer = r->security_layer;
	snprintf(h->mech, sizeof(h->mech), "%s", r->mech);
	snprintf(h->error, sizeof(h->error), "%s",
	    r->error != NULL ? r->error : "");
}

static void
feed(struct harness *h, const char *text)
{
	const char *err = NULL;
	size_t used;

	assert_int_equal(imap_session_input(h->s, (const unsigned char *)text,
			     strlen(text), &used, &err),
	    IMAP_INPUT_OK);
	assert_int_equal(used, strlen(text));
}

static void
feed_tagged(struct harness *h, const char *rest)
{
	char line[512];

	snprintf(line, sizeof(line), "%s %s\r\n", h->tag, rest);
	feed(h, line);
}

/* The greeting advertises `caps`; alice logs in with "Wonderland". */
static struct harness *
setup_caps(const char *caps)
{
	struct harness *h = &the_harness;
	struct imap_session_listener l = {
		.wire = on_wire,
		.completed = on_completed,
		.continuation = on_continuation,
		.ctx = h,
	};
	char greeting[256];

	memset(h, 0, sizeof(*h));
	buf_init(&h->wire, 1 << 20);
	h->s = imap_session_new(&l);
	auth_options_init(&h->o);
	h->o.server_host = "imap.example.org";
	h->o.authname = "alice";
	auth_password_source_init(&h->pw);
	h->pw.kind = AUTH_PASSWORD_ARG; /* as -w, without its warning */
	h->pw.arg = xstrdup("Wonderland");
	h->o.password = &h->pw;
	snprintf(greeting, sizeof(greeting),
	    "* OK [CAPABILITY IMAP4rev1 %s] hi\r\n", caps);
	feed(h, greeting);
	snprintf(h->tag, sizeof(h->tag), "%s1", imap_session_tag_prefix(h->s));
	return h;
}

static void
set_password(struct harness *h, const char *pw)
{
	free(h->pw.arg);
	h->pw.arg = xstrdup(pw);
}

static void
teardown_h(struct harness *h)
{
	auth_free(&h->auth);
	assert_null(h->auth);
	imap_session_free(&h->s);
	buf_free(&h->wire);
	auth_password_source_clear(&h->pw);
}

static void
start(struct harness *h)
{
	const char *err = NULL;

	h->auth = auth_start(h->s, &h->o, on_done, h, &err);
	if (h->auth == NULL)
		fail_msg("auth_start: %s", err);
}

static char *
take_output(struct harness *h)
{
	const struct buf *out = imap_session_output(h->s);
	char *s = xstrndup(buf_str(out), out->len);

	imap_session_output_written(h->s, out->len);
	return s;
}

static void __attribute__((format(printf, 2, 3)))
expect_output(struct harness *h, const char *fmt, ...)
{
	char want[1024], *got;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	got = take_output(h);
	assert_string_equal(got, want);
	free(got);
}

static void __attribute__((format(printf, 2, 3)))
expect_wire(struct harness *h, const char *fmt, ...)
{
	char want[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	assert_string_equal(buf_str(&h->wire), want);
}

/* Neither the secret nor any base64 of it, at any of the three
 * alignments, may show in the transcript. */
static void
assert_hidden(const struct buf *wire, const char *secret, size_t len)
{
	char in[256], out[512];
	unsigned outlen;
	size_t k;

	assert_null(memmem(wire->data, wire->len, secret, len));
	for (k = 0; k < 3; k++) {
		memset(in, 'x', k);
		memcpy(in + k, secret, len);
		assert_int_equal(sasl_encode64(in, (unsigned)(k + len), out,
				     sizeof(out), &outlen),
		    SASL_OK);
		/* Drop the quanta that hold the prefix or the padding. */
		assert_true(outlen > 8);
		out[outlen - 4] = '\0';
		assert_null(strstr(buf_str(wire), out + 4));
	}
}

/* --- PLAIN ----------------------------------------------------------- */

static void
test_plain_with_sasl_ir(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=PLAIN");

	start(h);
	/* base64("\0alice\0Wonderland"): no authzid, so it starts empty */
	expect_output(h, "%s AUTHENTICATE PLAIN AGFsaWNlAFdvbmRlcmxhbmQ=\r\n",
	    h->tag);
	assert_false(h->done);
	feed_tagged(h, "OK [CAPABILITY IMAP4rev1 IDLE] Logged in");
	assert_true(h->done);
	assert_true(h->ok);
	assert_int_equal(h->status, IMAP_RESULT_OK);
	assert_string_equal(h->mech, "PLAIN");
	assert_int_equal(h->ssf, 0);
	assert_false(h->layer);
	assert_int_equal(imap_session_state(h->s), IMAP_STATE_AUTHENTICATED);
	expect_wire(h, "S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] "
	    "hi\r\n"
	    "C: %s AUTHENTICATE PLAIN <redacted>\r\n"
	    "S: %s OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n",
	    h->tag, h->tag);
	assert_hidden(&h->wire, "Wonderland", 10);
	assert_hidden(&h->wire, "\0alice\0Wonderland", 17);
	teardown_h(h);
}

static void
expect_plain_in_two_steps(struct harness *h)
{
	expect_output(h, "%s AUTHENTICATE PLAIN\r\n", h->tag);
	feed(h, "+ \r\n");
	expect_output(h, "AGFsaWNlAFdvbmRlcmxhbmQ=\r\n");
	feed_tagged(h, "OK done");
	assert_true(h->ok);
	assert_hidden(&h->wire, "Wonderland", 10);
}

static void
test_plain_without_sasl_ir(void **state)
{
	struct harness *h = setup_caps("AUTH=PLAIN");

	start(h);
	expect_plain_in_two_steps(h);
	expect_wire(h, "S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n"
	    "C: %s AUTHENTICATE PLAIN\r\n"
	    "S: + \r\n"
	    "C: <redacted>\r\n"
	    "S: %s OK done\r\n", h->tag, h->tag);
	teardown_h(h);

	/* -i: no initial response even where SASL-IR allows one. */
	h = setup_caps("SASL-IR AUTH=PLAIN");
	h->o.no_initial_response = true;
	start(h);
	expect_plain_in_two_steps(h);
	teardown_h(h);
}

static void
test_proxy_authorization(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=PLAIN");

	h->o.authname = "admin";
	h->o.authzid = "alice";
	set_password(h, "pw");
	start(h);
	/* base64("alice\0admin\0pw") */
	expect_output(h, "%s AUTHENTICATE PLAIN YWxpY2UAYWRtaW4AcHc=\r\n",
	    h->tag);
	feed_tagged(h, "OK logged in as alice");
	assert_true(h->ok);
	teardown_h(h);
}

/* --- OAUTHBEARER and XOAUTH2 (auth-oauth.c) -------------------------- */

static void
expect_base64_line(struct harness *h, const char *prefix, const char *raw,
    size_t len)
{
	char b64[1024];
	unsigned n;

	assert_int_equal(sasl_encode64(raw, (unsigned)len, b64, sizeof(b64),
			     &n),
	    SASL_OK);
	expect_output(h, "%s%s\r\n", prefix, b64);
}

static void
test_oauthbearer_with_sasl_ir(void **state)
{
	static const char msg[] = "n,a=alice,\001host=imap.example.org\001"
				  "port=143\001auth=Bearer tok-123.x_y\001\001";
	struct harness *h = setup_caps("SASL-IR AUTH=PLAIN AUTH=XOAUTH2 "
				       "AUTH=OAUTHBEARER");
	char prefix[64];

	/* Only the first line counts; it is fetched once per start. */
	h->o.token_command = "printf 'tok-123.x_y\\nsecond line\\n'";
	h->o.server_port = "143";
	start(h);
	snprintf(prefix, sizeof(prefix), "%s AUTHENTICATE OAUTHBEARER ",
	    h->tag);
	expect_base64_line(h, prefix, msg, sizeof(msg) - 1);
	feed_tagged(h, "OK Logged in");
	assert_true(h->ok);
	assert_string_equal(h->mech, "OAUTHBEARER");
	expect_wire(h, "S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN "
	    "AUTH=XOAUTH2 AUTH=OAUTHBEARER] hi\r\n"
	    "C: %s AUTHENTICATE OAUTHBEARER <redacted>\r\n"
	    "S: %s OK Logged in\r\n", h->tag, h->tag);
	assert_hidden(&h->wire, "tok-123.x_y", 11);
	teardown_h(h);
}

/* Without OAUTHBEARER, XOAUTH2; without SASL-IR, after the "+"; a
 * refused token's JSON is shown and answered with an empty line. */
static void
test_xoauth2_refused_without_ir(void **state)
{
	static const char msg[] = "user=bob\001auth=Bearer tok\001\001";
	struct harness *h = setup_caps("AUTH=XOAUTH2");

	h->o.authname = "admin";
	h->o.authzid = "bob";
	h->o.token_command = "echo tok";
	start(h);
	expect_output(h, "%s AUTHENTICATE XOAUTH2\r\n", h->tag);
	feed(h, "+ \r\n");
	expect_base64_line(h, "", msg, sizeof(msg) - 1);
	/* {"status":"401","schemes":"bearer","scope":"mail"} */
	feed(h, "+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJt"
		"YWlsIn0=\r\n");
	expect_output(h, "\r\n");
	feed_tagged(h, "NO [AUTHENTICATIONFAILED] Authentication failed.");
	assert_false(h->ok);
	assert_string_equal(h->error, "authentication failed: the server "
	    "refused the token (status 401, schemes bearer, scope mail): "
	    "[AUTHENTICATIONFAILED] Authentication failed.");
	assert_hidden(&h->wire, "user=bob\001auth=Bearer tok", 24);
	teardown_h(h);
}

/* RFC 7628 3.2.3: OAUTHBEARER answers the error with %x01. */
static void
test_oauthbearer_error_gets_the_dummy_response(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=OAUTHBEARER");

	h->o.mech = "oauthbearer";
	h->o.token_command = "echo tok";
	start(h);
	free(take_output(h));
	/* {"status":"invalid_token","scope":"a\u0007b","x":{"y":[1]},"n":3} */
	feed(h, "+ eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJhXHUwMDA3YiIs"
		"IngiOnsieSI6WzFdfSwibiI6M30=\r\n");
	expect_output(h, "AQ==\r\n");
	feed_tagged(h, "NO bad");
	assert_string_equal(h->error, "authentication failed: the server "
	    "refused the token (status invalid_token, scope a?b, x ..., n 3):"
	    " bad");
	teardown_h(h);
}

static void
expect_start_error(struct harness *h, const char *want)
{
	const char *err = NULL;

	assert_null(auth_start(h->s, &h->o, on_done, h, &err));
	assert_string_equal(err, want);
	assert_string_equal(buf_str(imap_session_output(h->s)), "");
}

static void
test_token_command_failures(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=OAUTHBEARER");

	h->o.token_command = "exit 3";
	expect_start_error(h, "--token-cmd: the token command failed (exit "
	    "status 3)");
	h->o.token_command = "true";
	expect_start_error(h, "--token-cmd: the token command gave an empty "
	    "token");
	h->o.token_command = "echo 'two words'";
	expect_start_error(h, "--token-cmd: the token command printed a "
	    "space or a control character, which no bearer token has");
	h->o.token_command = NULL;
	h->o.mech = "XOAUTH2";
	expect_start_error(h, "XOAUTH2 needs a token: give --token-cmd");
	teardown_h(h);

	h = setup_caps("SASL-IR AUTH=PLAIN");
	h->o.token_command = "echo tok";
	expect_start_error(h, "--token-cmd: the server offers neither "
	    "AUTH=OAUTHBEARER nor AUTH=XOAUTH2 (try -m OAUTHBEARER or -m "
	    "XOAUTH2 to send one anyway)");
	teardown_h(h);
}

/* --- proxy authorization by default ---------------------------------- */

static void
test_authzid_prefers_plain(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=SCRAM-SHA-256 "
				       "AUTH=PLAIN");

	h->o.authname = "admin";
	h->o.authzid = "alice";
	set_password(h, "pw");
	start(h);
	/* base64("alice\0admin\0pw") */
	expect_output(h, "%s AUTHENTICATE PLAIN YWxpY2UAYWRtaW4AcHc=\r\n",
	    h->tag);
	feed_tagged(h, "NO [AUTHORIZATIONFAILED] no");
	assert_string_equal(h->error, "authentication failed: "
	    "[AUTHORIZATIONFAILED] no (PLAIN carried the authzid alice and "
	    "the server refused it: check that admin may act for other users "
	    "(Dovecot: a master user; Cyrus: proxyservers or admins))");
	teardown_h(h);
}

/* Without PLAIN the library chooses; a refusal names the mechanism. */
static void
test_authzid_refused_names_the_mechanism(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=SCRAM-SHA-256");

	h->o.authname = "admin";
	h->o.authzid = "alice";
	start(h);
	free(take_output(h));
	feed_tagged(h, "NO [AUTHORIZATIONFAILED] Authorization failed");
	assert_string_equal(h->error, "authentication failed: "
	    "[AUTHORIZATIONFAILED] Authorization failed (SCRAM-SHA-256 "
	    "carried the authzid alice and the server refused it: try -m "
	    "PLAIN, the one mechanism Dovecot accepts an authzid with, and "
	    "check that admin may act for other users (Dovecot: a master "
	    "user; Cyrus: proxyservers or admins))");
	teardown_h(h);
}

/* --- CRAM-MD5 (RFC 2195 section 2's example) ------------------------- */

static void
test_cram_md5_rfc2195_example(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=CRAM-MD5");

	h->o.authname = "tim";
	set_password(h, "tanstaaftanstaaf");
	start(h);
	/* Server first: no initial response despite SASL-IR. */
	expect_output(h, "%s AUTHENTICATE CRAM-MD5\r\n", h->tag);
	feed(h, "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"
		"\r\n");
	/* base64("tim b913a602c7eda7a495b4e6e7334d3890") */
	expect_output(h, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"
			 "\r\n");
	feed_tagged(h, "OK CRAM-MD5 authentication successful");
	assert_true(h->ok);
	assert_string_equal(h->mech, "CRAM-MD5");
	teardown_h(h);
}

/* A padded challenge decodes to its true length: "YQ==" is one byte. */
static void
test_challenge_padding(void **state)
{
	struct harness *h = setup_caps("AUTH=CRAM-MD5");

	h->o.authname = "tim";
	set_password(h, "tanstaaftanstaaf");
	start(h);
	expect_output(h, "%s AUTHENTICATE CRAM-MD5\r\n", h->tag);
	feed(h, "+ YQ==\r\n");
	/* base64("tim " + HMAC-MD5("tanstaaftanstaaf", "a")) */
	expect_output(h, "dGltIDMwNGM2ZDQ2MmUyYjIzNWMwYjkyYWExYjJkYTA1NTAx"
			 "\r\n");
	teardown_h(h);
}

/* The password is fetched only when the mechanism needs it. */
static void
test_password_is_fetched_lazily(void **state)
{
	char dir[] = "/tmp/imapwb-auth-XXXXXX", marker[64], cmd[160];
	struct harness *h = setup_caps("SASL-IR AUTH=CRAM-MD5");
	struct stat st;

	assert_non_null(mkdtemp(dir));
	snprintf(marker, sizeof(marker), "%s/fetched", dir);
	snprintf(cmd, sizeof(cmd), "echo x >> %s; printf "
	    "'tanstaaftanstaaf\\n'", marker);
	h->o.authname = "tim";
	auth_password_source_set_command(&h->pw, cmd);
	start(h);
	expect_output(h, "%s AUTHENTICATE CRAM-MD5\r\n", h->tag);
	assert_int_equal(stat(marker, &st), -1);
	feed(h, "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"
		"\r\n");
	expect_output(h, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"
			 "\r\n");
	assert_int_equal(stat(marker, &st), 0);
	assert_int_equal(st.st_size, 2); /* once */
	feed_tagged(h, "OK done");
	assert_true(h->ok);
	teardown_h(h);
	unlink(marker);
	rmdir(dir);
}

/* --- LOGIN ----------------------------------------------------------- */

static void
test_login_refused_when_disabled(void **state)
{
	struct harness *h = setup_caps("LOGINDISABLED AUTH=PLAIN");
	const char *err = NULL;

	h->o.mech = "login";
	h->auth = auth_start(h->s, &h->o, on_done, h, &err);
	assert_null(h->auth);
	assert_string_equal(err, "the server advertises LOGINDISABLED, so "
	    "LOGIN cannot work here (use STARTTLS, or a SASL mechanism)");
	assert_int_equal(imap_session_output(h->s)->len, 0);
	assert_int_equal(imap_session_in_flight(h->s), 0);
	teardown_h(h);
}

static void
test_login_quotes_with_the_builder(void **state)
{
	struct harness *h = setup_caps("AUTH=PLAIN");

	h->o.mech = "LoGiN";
	set_password(h, "p\"w d\\");
	start(h);
	expect_output(h, "%s LOGIN alice \"p\\\"w d\\\\\"\r\n", h->tag);
	feed_tagged(h, "OK [CAPABILITY IMAP4rev1] Logged in");
	assert_true(h->ok);
	assert_string_equal(h->mech, "LOGIN");
	expect_wire(h, "S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n"
	    "C: %s LOGIN alice <redacted>\r\n"
	    "S: %s OK [CAPABILITY IMAP4rev1] Logged in\r\n", h->tag, h->tag);
	teardown_h(h);
}

/* A password with CR LF must go as a literal, synchronised by "+". */
static void
test_login_sends_a_literal_password(void **state)
{
	struct harness *h = setup_caps("AUTH=PLAIN");

	h->o.mech = "login";
	h->o.authname = "al ice";
	set_password(h, "a\r\nb");
	start(h);
	expect_output(h, "%s LOGIN \"al ice\" {4}\r\n", h->tag);
	feed(h, "+ go on\r\n");
	expect_output(h, "a\r\nb\r\n");
	feed_tagged(h, "NO [AUTHENTICATIONFAILED] Authentication failed.");
	assert_false(h->ok);
	assert_int_equal(h->status, IMAP_RESULT_NO);
	expect_wire(h, "S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n"
	    "C: %s LOGIN \"al ice\" <redacted>\r\n"
	    "S: + go on\r\n"
	    "C: <redacted>\r\n"
	    "S: %s NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
	    h->tag, h->tag);
	teardown_h(h);
}

static void
test_login_cannot_proxy(void **state)
{
	struct harness *h = setup_caps("AUTH=PLAIN");
	const char *err = NULL;

	h->o.mech = "login";
	h->o.authname = "admin";
	h->o.authzid = "alice";
	assert_null(auth_start(h->s, &h->o, on_done, h, &err));
	assert_string_equal(err, "LOGIN cannot act as another user (-u); "
	    "use a SASL mechanism such as PLAIN");
	teardown_h(h);
}

/* --- failures -------------------------------------------------------- */

static void
test_no_is_an_authentication_failure(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=PLAIN");

	start(h);
	free(take_output(h));
	feed_tagged(h, "NO [AUTHENTICATIONFAILED] Authentication failed.");
	assert_true(h->done);
	assert_false(h->ok);
	assert_int_equal(h->status, IMAP_RESULT_NO);
	assert_string_equal(h->error, "authentication failed: "
	    "[AUTHENTICATIONFAILED] Authentication failed.");
	assert_int_equal(imap_session_state(h->s),
	    IMAP_STATE_NOT_AUTHENTICATED);
	teardown_h(h);
}

static void
test_bad_is_a_protocol_error(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=PLAIN");

	start(h);
	free(take_output(h));
	feed_tagged(h, "BAD Syntax\x7f error");
	assert_false(h->ok);
	assert_int_equal(h->status, IMAP_RESULT_BAD);
	/* Control characters from the server are made harmless. */
	assert_string_equal(h->error, "protocol error: the server rejected "
	    "AUTHENTICATE: Syntax? error");
	teardown_h(h);
}

static void
test_malformed_challenge_cancels(void **state)
{
	static const char *const bad[] = {
		"abc", "ab=c", "a===", "ab!d", "YQ=a", "=YQ=", "YQ==YQ==x",
	};
	struct harness *h;
	char line[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h = setup_caps("AUTH=CRAM-MD5");
		start(h);
		expect_output(h, "%s AUTHENTICATE CRAM-MD5\r\n", h->tag);
		snprintf(line, sizeof(line), "+ %s\r\n", bad[i]);
		feed(h, line);
		/* RFC 9051 6.2.2: "*" cancels the exchange. */
		expect_output(h, "*\r\n");
		feed_tagged(h, "BAD AUTHENTICATE cancelled");
		assert_true(h->done);
		assert_false(h->ok);
		assert_int_equal(h->status, IMAP_RESULT_BAD);
		assert_string_equal(h->error, "the server sent a malformed "
		    "CRAM-MD5 challenge (not base64), so the exchange was "
		    "cancelled");
		assert_non_null(strstr(buf_str(&h->wire), "C: *\r\n"));
		teardown_h(h);
	}
}

static void
test_password_failure_cancels(void **state)
{
	struct harness *h = setup_caps("AUTH=PLAIN");
	const char *err = NULL;

	auth_password_source_set_file(&h->pw, "/nonexistent/imapwb-pw");
	start(h);
	expect_output(h, "%s AUTHENTICATE PLAIN\r\n", h->tag);
	feed(h, "+ \r\n");
	expect_output(h, "*\r\n");
	feed_tagged(h, "BAD cancelled");
	assert_false(h->ok);
	assert_string_equal(h->error, "cannot open the password file "
	    "/nonexistent/imapwb-pw: No such file or directory");
	teardown_h(h);

	/* With SASL-IR the password is needed at once: nothing is sent. */
	h = setup_caps("SASL-IR AUTH=PLAIN");
	auth_password_source_set_file(&h->pw, "/nonexistent/imapwb-pw");
	assert_null(auth_start(h->s, &h->o, on_done, h, &err));
	assert_string_equal(err, "cannot open the password file "
	    "/nonexistent/imapwb-pw: No such file or directory");
	assert_int_equal(imap_session_in_flight(h->s), 0);
	teardown_h(h);
}

static void
test_start_needs_capabilities_and_a_mechanism(void **state)
{
	struct harness *h = setup_caps("AUTH=X-NOSUCH");
	const char *err = NULL;

	assert_null(auth_start(h->s, &h->o, on_done, h, &err));
	assert_non_null(strstr(err, "no SASL mechanism in common: the "
				    "server offers X-NOSUCH, this libsasl2 "
				    "has "));
	teardown_h(h);

	h = setup_caps("AUTH=PLAIN");
	h->o.mech = "X-NOSUCH";
	assert_null(auth_start(h->s, &h->o, on_done, h, &err));
	assert_non_null(strstr(err, "SASL mechanism X-NOSUCH is not "
				    "available here"));
	teardown_h(h);

	/* A greeting without capabilities: CAPABILITY must come first. */
	h = setup_caps("AUTH=PLAIN");
	imap_session_free(&h->s);
	h->s = imap_session_new(NULL);
	feed(h, "* OK hi\r\n");
	assert_null(auth_start(h->s, &h->o, on_done, h, &err));
	assert_string_equal(err, "the server's capabilities are not known "
	    "yet: ask CAPABILITY first");
	teardown_h(h);
}

/* -o name=value reaches the library: client_mech_list narrows the
 * choice. */
static void
test_sasl_options_reach_the_library(void **state)
{
	static const char *const opts[] = {
		"log_level=0", "client_mech_list=CRAM-MD5", NULL,
	};
	struct harness *h = setup_caps("AUTH=PLAIN AUTH=SCRAM-SHA-256 "
				       "AUTH=CRAM-MD5");

	h->o.sasl_options = opts;
	start(h);
	expect_output(h, "%s AUTHENTICATE CRAM-MD5\r\n", h->tag);
	teardown_h(h);
}

/* -k counts TLS: PLAIN (SSF 0) meets a minimum of 128 only over TLS. */
static void
test_external_ssf_counts_for_the_minimum(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=PLAIN");
	const char *err = NULL;

	h->o.min_ssf = 128;
	assert_null(auth_start(h->s, &h->o, on_done, h, &err));
	assert_non_null(strstr(err, "no SASL mechanism in common"));
	h->o.external_ssf = 256;
	start(h);
	expect_output(h, "%s AUTHENTICATE PLAIN AGFsaWNlAFdvbmRlcmxhbmQ=\r\n",
	    h->tag);
	teardown_h(h);
}

/* AUTHENTICATE goes alone: a command queued behind waits for its end,
 * and events for other commands are not auth's. */
static void
test_authenticate_is_exclusive(void **state)
{
	struct harness *h = setup_caps("AUTH=PLAIN");
	struct imap_session_command *noop;
	struct imap_response plus;
	const char *err;

	start(h);
	noop = imap_session_command(h->s, 0, &err, "NOOP");
	assert_non_null(noop);
	expect_output(h, "%s AUTHENTICATE PLAIN\r\n", h->tag);
	memset(&plus, 0, sizeof(plus));
	plus.kind = IMAP_RESPONSE_CONTINUATION;
	plus.raw = "+ \r\n";
	plus.raw_len = 4;
	plus.text = "";
	assert_false(auth_on_continuation(h->auth, noop, &plus));
	assert_false(auth_on_completed(h->auth, noop, IMAP_RESULT_OK, NULL));
	feed(h, "+ \r\n");
	expect_output(h, "AGFsaWNlAFdvbmRlcmxhbmQ=\r\n");
	feed_tagged(h, "OK done");
	expect_output(h, "%s2 NOOP\r\n", imap_session_tag_prefix(h->s));
	teardown_h(h);
}

/* --- against a real SASL server -------------------------------------- */

static char sasldb_dir[] = "/tmp/imapwb-sasldb-XXXXXX";
static char sasldb_path[128];

static int
server_getopt(void *context, const char *plugin, const char *option,
    const char **result, unsigned *len)
{
	const char *v = NULL;

	if (strcmp(option, "sasldb_path") == 0)
		v = sasldb_path;
	else if (strcmp(option, "auxprop_plugin") == 0)
		v = "sasldb";
	else if (strcmp(option, "mech_list") == 0)
		v = "SCRAM-SHA-256 DIGEST-MD5 CRAM-MD5 PLAIN";
	if (v == NULL)
		return SASL_FAIL;
	*result = v;
	if (len != NULL)
		*len = (unsigned)strlen(v);
	return SASL_OK;
}

/* admin-style proxy authorization is the server's policy to allow. */
static int
server_proxy_policy(sasl_conn_t *conn, void *context, const char *user,
    unsigned ulen, const char *authid, unsigned alen, const char *realm,
    unsigned rlen, struct propctx *props)
{
	return SASL_OK;
}

static const sasl_callback_t server_callbacks[] = {
	{ SASL_CB_GETOPT, SASL_PROC(server_getopt), NULL },
	{ SASL_CB_PROXY_POLICY, SASL_PROC(server_proxy_policy), NULL },
	{ SASL_CB_LIST_END, NULL, NULL },
};

static sasl_conn_t *
server_new(const char *fqdn, unsigned maxbuf)
{
	sasl_security_properties_t sp;
	sasl_conn_t *srv = NULL;

	assert_int_equal(sasl_server_new("imap", fqdn, NULL, NULL, NULL,
			     server_callbacks, 0, &srv),
	    SASL_OK);
	memset(&sp, 0, sizeof(sp));
	sp.max_ssf = 256;
	sp.maxbufsize = maxbuf;
	assert_int_equal(sasl_setprop(srv, SASL_SEC_PROPS, &sp), SASL_OK);
	return srv;
}

static int
group_setup(void **state)
{
	sasl_conn_t *srv;

	if (mkdtemp(sasldb_dir) == NULL)
		return -1;
	snprintf(sasldb_path, sizeof(sasldb_path), "%s/sasldb", sasldb_dir);
	if (sasl_server_init(server_callbacks, "imapwb-test") != SASL_OK)
		return -1;
	srv = server_new("imap.example.org", 65536);
	if (sasl_setpass(srv, "alice", "Wonderland", 10, NULL, 0,
		SASL_SET_CREATE) != SASL_OK)
		return -1;
	sasl_dispose(&srv);
	return 0;
}

static int
group_teardown(void **state)
{
	auth_library_done();
	sasl_server_done();
	unlink(sasldb_path);
	rmdir(sasldb_dir);
	return 0;
}

static void
decode64(const char *text, size_t len, char *out, size_t size,
    unsigned *outlen)
{
	assert_int_equal(sasl_decode64(text, (unsigned)len, out,
			     (unsigned)size, outlen),
	    SASL_OK);
}

/* Send a server message as a "+" line. */
static void
feed_challenge(struct harness *h, const char *data, unsigned len)
{
	char b64[4096], line[4200];
	unsigned n = 0;

	if (len > 0)
		assert_int_equal(sasl_encode64(data, len, b64, sizeof(b64),
				     &n),
		    SASL_OK);
	b64[n] = '\0';
	snprintf(line, sizeof(line), "+ %s\r\n", b64);
	feed(h, line);
}

/* The client's next line, decoded. */
static unsigned
client_line(struct harness *h, char *out, size_t size)
{
	char *line = take_output(h);
	size_t len = strlen(line);
	unsigned n = 0;

	assert_true(len >= 2);
	assert_string_equal(line + len - 2, "\r\n");
	if (strcmp(line, "*\r\n") == 0)
		fail_msg("the client cancelled the exchange");
	if (len > 2)
		decode64(line, len - 2, out, size, &n);
	free(line);
	return n;
}

/* Play the IMAP server's side of AUTHENTICATE with a real SASL server:
 * the initial response if there is one, then "+" lines until the server
 * is done. Without SASL_SUCCESS_DATA the library itself sends the final
 * message (SCRAM's v=, DIGEST-MD5's rspauth) as one more challenge and
 * wants an empty reply, as IMAP does. */
static void
serve_authenticate(struct harness *h, sasl_conn_t *srv, const char *mech,
    char *ir_r, size_t ir_size)
{
	char *first = take_output(h), in[4096], prefix[128];
	const char *out, *ir = NULL;
	unsigned outlen, inlen = 0;
	size_t plen;
	int r;

	plen = (size_t)snprintf(prefix, sizeof(prefix),
	    "%s AUTHENTICATE %s", h->tag, mech);
	assert_memory_equal(first, prefix, plen);
	if (first[plen] == ' ') {
		ir = in;
		decode64(first + plen + 1, strlen(first) - plen - 3, in,
		    sizeof(in), &inlen);
	} else
		assert_string_equal(first + plen, "\r\n");
	free(first);
	if (ir_r != NULL) {
		assert_non_null(ir);
		assert_true(inlen < ir_size);
		memcpy(ir_r, in, inlen);
		ir_r[inlen] = '\0';
	}
	r = sasl_server_start(srv, mech, ir, inlen, &out, &outlen);
	while (r == SASL_CONTINUE) {
		feed_challenge(h, out, outlen);
		inlen = client_line(h, in, sizeof(in));
		r = sasl_server_step(srv, in, inlen, &out, &outlen);
	}
	assert_int_equal(r, SASL_OK);
	feed_tagged(h, "OK authenticated");
}

/* The library's choice among PLAIN, SCRAM-SHA-256 and CRAM-MD5, checked
 * through a whole SCRAM exchange (server proof included). */
static void
test_strongest_mechanism_is_scram(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=PLAIN "
				       "AUTH=SCRAM-SHA-256 AUTH=CRAM-MD5");
	sasl_conn_t *srv = server_new("imap.example.org", 65536);
	char ir[256];

	start(h);
	serve_authenticate(h, srv, "SCRAM-SHA-256", ir, sizeof(ir));
	/* RFC 5802 client-first: no channel binding, no authzid */
	assert_memory_equal(ir, "n,,n=alice,r=", 13);
	assert_true(h->done);
	assert_true(h->ok);
	assert_string_equal(h->mech, "SCRAM-SHA-256");
	assert_int_equal(h->ssf, 0);
	assert_false(h->layer);
	assert_hidden(&h->wire, "Wonderland", 10);
	sasl_dispose(&srv);
	teardown_h(h);
}

static void
test_scram_with_authzid_without_ir(void **state)
{
	struct harness *h = setup_caps("AUTH=SCRAM-SHA-256");
	sasl_conn_t *srv = server_new("imap.example.org", 65536);
	const void *v;

	h->o.authzid = "bob";
	start(h);
	serve_authenticate(h, srv, "SCRAM-SHA-256", NULL, 0);
	assert_true(h->ok);
	/* The server saw alice acting as bob. */
	assert_int_equal(sasl_getprop(srv, SASL_USERNAME, &v), SASL_OK);
	assert_string_equal((const char *)v, "bob");
	assert_int_equal(sasl_getprop(srv, SASL_AUTHUSER, &v), SASL_OK);
	assert_string_equal((const char *)v, "alice");
	sasl_dispose(&srv);
	teardown_h(h);
}

/* --- the security layer ---------------------------------------------- */

static void
write_all(int fd, const void *data, size_t len)
{
	assert_int_equal(write(fd, data, len), (ssize_t)len);
}

static void
expect_read(struct conn *conn, const char *want)
{
	char got[256];
	const char *err = NULL;
	ssize_t n;

	n = conn_read(conn, got, sizeof(got), &err);
	assert_int_equal(n, (ssize_t)strlen(want));
	assert_memory_equal(got, want, (size_t)n);
}

/* Everything the client sends through the layer, decoded by the
 * server. */
static void
expect_server_gets(int fd, sasl_conn_t *srv, const char *want, size_t len)
{
	struct buf got;
	const char *out;
	unsigned outlen;
	char raw[8192];
	ssize_t n;

	buf_init(&got, 1 << 20);
	while (got.len < len) {
		n = read(fd, raw, sizeof(raw));
		assert_true(n > 0);
		/* Integrity and privacy: nothing goes in clear. */
		assert_null(memmem(raw, (size_t)n, "ZZZZZZZZ", 8));
		assert_int_equal(sasl_decode(srv, raw, (unsigned)n, &out,
				     &outlen),
		    SASL_OK);
		buf_append(&got, out, outlen);
	}
	assert_int_equal(got.len, len);
	assert_memory_equal(got.data, want, len);
	buf_free(&got);
}

static void
test_digest_md5_security_layer(void **state)
{
	struct harness *h = setup_caps("AUTH=DIGEST-MD5");
	/* A small server buffer makes the client cut its writes. */
	sasl_conn_t *srv = server_new("imap.example.org", 1024);
	const char *out, *err = NULL;
	unsigned outlen;
	char big[5000];
	struct conn conn;
	int sv[2];
	size_t i, done = 0;
	ssize_t n;

	start(h);
	serve_authenticate(h, srv, "DIGEST-MD5", NULL, 0);
	assert_true(h->ok);
	assert_string_equal(h->mech, "DIGEST-MD5");
	/* auth-conf with the strongest cipher this libsasl2 has */
	assert_int_equal(h->ssf, 128);
	assert_true(h->layer);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	conn_tcp_from_fd(sv[0], &conn);
	/* Bytes read past the tagged OK are already encoded. */
	assert_int_equal(sasl_encode(srv, "* 1 EXISTS\r\n", 12, &out,
			     &outlen),
	    SASL_OK);
	assert_int_equal(auth_push_security_layer(h->auth, &conn, out,
			     outlen, &err),
	    0);
	assert_true(conn_pending(&conn) > 0);
	expect_read(&conn, "* 1 EXISTS\r\n");

	/* A packet trickled in one byte at a time. */
	assert_int_equal(sasl_encode(srv, "* 2 EXISTS\r\n", 12, &out,
			     &outlen),
	    SASL_OK);
	for (i = 0; i + 1 < outlen; i++) {
		write_all(sv[1], out + i, 1);
		assert_int_equal(conn_read(&conn, big, sizeof(big), &err),
		    CONN_AGAIN);
	}
	write_all(sv[1], out + i, 1);
	expect_read(&conn, "* 2 EXISTS\r\n");

	/* A write larger than the server's buffer goes in pieces. */
	memset(big, 'Z', sizeof(big));
	while (done < sizeof(big)) {
		n = conn_write(&conn, big + done, sizeof(big) - done, &err);
		assert_true(n > 0);
		assert_true(n < 1024);
		done += (size_t)n;
	}
	assert_int_equal(conn_flush(&conn, &err), 0);
	expect_server_gets(sv[1], srv, big, sizeof(big));

	conn_close(&conn);
	close(sv[1]);
	sasl_dispose(&srv);
	teardown_h(h);
}

static void
test_no_layer_without_ssf(void **state)
{
	struct harness *h = setup_caps("SASL-IR AUTH=PLAIN");
	const char *err = NULL;
	struct conn conn;
	int sv[2];

	start(h);
	free(take_output(h));
	feed_tagged(h, "OK done");
	assert_true(h->ok);
	assert_false(h->layer);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	conn_tcp_from_fd(sv[0], &conn);
	assert_int_equal(auth_push_security_layer(h->auth, &conn, NULL, 0,
			     &err),
	    -1);
	assert_string_equal(err, "no SASL security layer was negotiated");
	conn_close(&conn);
	close(sv[1]);
	teardown_h(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_with_sasl_ir),
		cmocka_unit_test(test_plain_without_sasl_ir),
		cmocka_unit_test(test_proxy_authorization),
		cmocka_unit_test(test_oauthbearer_with_sasl_ir),
		cmocka_unit_test(test_xoauth2_refused_without_ir),
		cmocka_unit_test(test_oauthbearer_error_gets_the_dummy_response),
		cmocka_unit_test(test_token_command_failures),
		cmocka_unit_test(test_authzid_prefers_plain),
		cmocka_unit_test(test_authzid_refused_names_the_mechanism),
		cmocka_unit_test(test_cram_md5_rfc2195_example),
		cmocka_unit_test(test_challenge_padding),
		cmocka_unit_test(test_password_is_fetched_lazily),
		cmocka_unit_test(test_login_refused_when_disabled),
		cmocka_unit_test(test_login_quotes_with_the_builder),
		cmocka_unit_test(test_login_sends_a_literal_password),
		cmocka_unit_test(test_login_cannot_proxy),
		cmocka_unit_test(test_no_is_an_authentication_failure),
		cmocka_unit_test(test_bad_is_a_protocol_error),
		cmocka_unit_test(test_malformed_challenge_cancels),
		cmocka_unit_test(test_password_failure_cancels),
		cmocka_unit_test(test_start_needs_capabilities_and_a_mechanism),
		cmocka_unit_test(test_sasl_options_reach_the_library),
		cmocka_unit_test(test_external_ssf_counts_for_the_minimum),
		cmocka_unit_test(test_authenticate_is_exclusive),
		cmocka_unit_test(test_strongest_mechanism_is_scram),
		cmocka_unit_test(test_scram_with_authzid_without_ir),
		cmocka_unit_test(test_digest_md5_security_layer),
		cmocka_unit_test(test_no_layer_without_ssf),
	};

	return cmocka_run_group_tests_name("auth", tests, group_setup,
	    group_teardown);
}
