/* client: one IMAP connection driven from one poll() loop. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "client.h"
#include "client-trust.h"
#include "model.h"
#include "conn-deflate.h"
#include "conn-tcp.h"
#include "conn-tls.h"
#include "conn.h"
#include "util-clock.h"
#include "util-log.h"
#include "util-mem.h"

#define READ_CHUNK 65536
#define READ_BURST 16 /* full reads in a row before polling again */

struct client {
	struct client_config config;
	struct client_listener l;
	struct conn conn;
	struct conn_layer *tls;
	struct imap_session *session;
	struct model *model;
	struct response_decoder decoder; /* every response, decoded once */
	bool connected;
	uint64_t last_io_ms; /* the last byte read or written, for --timeout */
	bool saw_alert_in_clear;
	uint64_t bytes_in; /* read from the server: none means it is silent */
	bool timed_out;
	enum exit_status error_status;
	char error[4096]; /* with advice: several lines */
	struct auth_state *auth;
	bool auth_finished;
	bool auth_ok;
	bool auth_layer;
	char auth_error[512];
	char auth_mech[64];
	unsigned auth_ssf;
	const char *password_reason; /* for the prompt, or NULL */
	/* the last setup command and how it ended */
	struct imap_session_command *waiting_for;
	enum imap_command_result waited_result;
	char waited_text[256];
	/* the capabilities at each stage of setup */
	char **caps[CLIENT_CAPS_STAGE_COUNT];
	size_t cap_count[CLIENT_CAPS_STAGE_COUNT];
	bool caps_taken[CLIENT_CAPS_STAGE_COUNT];
	struct client_open_times times;
	double open_start; /* when client_open() began (precise ms) */
};

const char *const client_cap_stage_names[CLIENT_CAPS_STAGE_COUNT] = {
	[CLIENT_CAPS_CLEAR] = "before TLS",
	[CLIENT_CAPS_TLS] = "after TLS",
	[CLIENT_CAPS_AUTH] = "after authentication",
};

/* --- errors ---------------------------------------------------------- */

static int __attribute__((format(printf, 3, 4)))
client_fail(struct client *c, enum exit_status status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
	c->error_status = status;
	return -1;
}

static void
notice(struct client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
notice(struct client *c, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (c->l.notice != NULL)
		c->l.notice(c->l.ctx, text);
}

/* --- session events, passed on to the front end ----------------------- */

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct client *c = ctx;

	if (c->l.wire != NULL)
		c->l.wire(c->l.ctx, out, text, len, cmd);
}

/* Every response is decoded here, once, for the model and the front end;
 * a tagged reply's value lasts to its command's completion, which the
 * session raises right after it. */
static void
on_response(void *ctx, const struct imap_response *resp,
    const struct imap_session_command *cmd)
{
	struct client *c = ctx;
	const struct decoded_response *d =
	    response_decoder_take(&c->decoder, resp, cmd);

	model_response(c->model, d);
	/* RFC 9051 7.1: an ALERT before TLS could be an attacker's (read
	 * raw: a code whose arguments do not decode is still an ALERT). */
	if (c->tls == NULL && resp->code != NULL &&
	    strcasecmp(resp->code, "ALERT") == 0)
		c->saw_alert_in_clear = true;
	if (c->l.response != NULL)
		c->l.response(c->l.ctx, d);
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double ms)
{
	struct client *c = ctx;
	const struct decoded_response *dt =
	    response_decoder_last(&c->decoder, tagged);

	model_completed(c->model, cmd, result, dt);
	if (c->auth != NULL && auth_on_completed(c->auth, cmd, result, tagged))
		return;
	if (cmd == c->waiting_for) {
		c->waiting_for = NULL;
		c->waited_result = result;
		snprintf(c->waited_text, sizeof(c->waited_text), "%s",
		    tagged != NULL ? tagged->text : "no reply");
	}
	if (c->l.completed != NULL)
		c->l.completed(c->l.ctx, cmd, result, dt, ms);
}

static void
on_continuation(void *ctx, struct imap_session_command *cmd,
    const struct imap_response *resp)
{
	struct client *c = ctx;

	if (c->auth != NULL && auth_on_continuation(c->auth, cmd, resp))
		return;
	if (c->l.continuation != NULL)
		c->l.continuation(c->l.ctx, cmd, resp);
}

static void
on_state_changed(void *ctx, enum imap_session_state old_state,
    enum imap_session_state new_state)
{
	struct client *c = ctx;

	(void)old_state;
	/* Cyrus closes TLS without close_notify after LOGOUT, typed or ours
	 * (../shared/SERVERS.md): after a BYE that is the normal end. */
	if (new_state == IMAP_STATE_LOGOUT && c->tls != NULL)
		conn_tls_set_ignore_unexpected_eof(c->tls);
	model_session_changed(c->model);
}

/* --- the loop -------------------------------------------------------- */

/* How long a setup step (greeting, STARTTLS, CAPABILITY, the TLS
 * handshake, LOGOUT) may take: --timeout, or no limit. */
static int
setup_timeout_ms(const struct client *c)
{
	return c->config.timeout_ms != 0 ? (int)c->config.timeout_ms
					 : 24 * 3600 * 1000;
}

static int
flush_output(struct client *c)
{
	const struct buf *out = imap_session_output(c->session);
	const char *err;
	ssize_t n;

	while (out->len > 0) {
		n = conn_write(&c->conn, out->data, out->len, &err);
		if (n == CONN_AGAIN)
			return 0;
		if (n < 0)
			return client_fail(c, EXIT_STATUS_PROTOCOL,
			    "writing to the server: %s", err);
		imap_session_output_written(c->session, (size_t)n);
		c->last_io_ms = clock_now_ms();
	}
	if (conn_flush(&c->conn, &err) == CONN_ERROR)
		return client_fail(c, EXIT_STATUS_PROTOCOL,
		    "writing to the server: %s", err);
	return 0;
}

static void
connection_lost(struct client *c, const char *why)
{
	c->connected = false;
	imap_session_disconnected(c->session, why);
	model_disconnected(c->model);
}

static int start_tls(struct client *c);

/* The option that raises each parser limit, for the error that hits it. */
static const char *const limit_options[] = {
	[IMAP_LIMIT_RESPONSE] = "--max-response",
	[IMAP_LIMIT_LINE] = "--max-line",
	[IMAP_LIMIT_DEPTH] = "--max-depth",
	[IMAP_LIMIT_LITERAL_SIZE] = "--max-literal",
	[IMAP_LIMIT_ITEMS] = "--max-items",
	[IMAP_LIMIT_LITERALS] = "--max-literals",
};

static const char *
limit_hint(enum imap_parser_limit limit)
{
	static char hint[64];

	if ((size_t)limit >= sizeof(limit_options) / sizeof(limit_options[0]) ||
	    limit_options[limit] == NULL)
		return "";
	snprintf(hint, sizeof(hint), "; %s raises it", limit_options[limit]);
	return hint;
}

/* Hand bytes to the session; act on what it asks for. */
static int
feed_session(struct client *c, const unsigned char *data, size_t len)
{
	const char *err = NULL;
	size_t used;

	while (len > 0) {
		switch (imap_session_input(c->session, data, len, &used, &err)) {
		case IMAP_INPUT_OK:
			return 0;
		case IMAP_INPUT_STARTTLS:
			/* Whatever came with the OK was sent in clear by
			 * anyone on the path: drop it (CVE-2021-22947). */
			if (used < len || conn_pending(&c->conn) > 0)
				log_warn("dropped %zu bytes the server sent "
					 "after accepting STARTTLS",
				    len - used + conn_pending(&c->conn));
			return start_tls(c);
		case IMAP_INPUT_COMPRESS:
			if (conn_deflate_push(&c->conn, data + used, len - used,
				&err) != 0)
				return client_fail(c, EXIT_STATUS_PROTOCOL,
				    "COMPRESS: %s", err);
			notice(c, "COMPRESS=DEFLATE is on");
			return 0;
		case IMAP_INPUT_ERROR:
			connection_lost(c, "protocol error");
			return client_fail(c, EXIT_STATUS_PROTOCOL,
			    "protocol error from the server: %s%s", err,
			    limit_hint(imap_session_limit_hit(c->session)));
		}
		data += used;
		len -= used;
	}
	return 0;
}

static int
read_input(struct client *c)
{
	unsigned char *buf = xmalloc(READ_CHUNK);
	const char *err;
	ssize_t n;
	int rc = 0, reads = 0;

	/* A full read says more is likely waiting: read on (a few times,
	 * so the terminal is not starved) rather than poll again. */
	do {
		n = conn_read(&c->conn, buf, READ_CHUNK, &err);
		if (n > 0) {
			c->last_io_ms = clock_now_ms();
			c->bytes_in += (uint64_t)n;
			rc = feed_session(c, buf, (size_t)n);
		}
	} while (n > 0 && rc == 0 && c->connected &&
	    (conn_pending(&c->conn) > 0 ||
		(n == READ_CHUNK && ++reads < READ_BURST)));
	free(buf);
	if (n == CONN_EOF) {
		/* Clean only after our LOGOUT's BYE with nothing left
		 * unanswered; ask before connection_lost() fails what is in
		 * flight. A BYE nobody asked for (an admin's kick, a
		 * shutdown, a time-out) is the server ending the session. */
		enum imap_session_state state = imap_session_state(c->session);
		bool asked = imap_session_logout_requested(c->session);
		bool clean = state == IMAP_STATE_LOGOUT && asked &&
		    imap_session_in_flight(c->session) == 0;

		connection_lost(c, "the server closed the connection");
		if (clean && c->error_status == EXIT_STATUS_OK)
			return 0;
		return client_fail(c, EXIT_STATUS_PROTOCOL,
		    "the server closed the connection%s",
		    state == IMAP_STATE_GREETING ? " before its greeting" :
		    state == IMAP_STATE_LOGOUT && !asked
		    ? " (it said BYE, unasked: see its reason above)" : "");
	}
	if (n == CONN_ERROR) {
		connection_lost(c, err);
		return client_fail(c, EXIT_STATUS_PROTOCOL, "connection lost: %s",
		    err);
	}
	return rc;
}

int
client_poll_prepare(struct client *c, struct pollfd *pfd)
{
	enum conn_wait wants;

	pfd->fd = -1;
	pfd->events = 0;
	pfd->revents = 0;
	if (!c->connected || flush_output(c) != 0)
		return -1;
	wants = conn_wants(&c->conn);
	pfd->fd = c->conn.fd;
	pfd->events = POLLIN;
	if (imap_session_output(c->session)->len > 0 ||
	    (wants & CONN_WAIT_WRITE))
		pfd->events |= POLLOUT;
	/* a layer (TLS, DEFLATE) holds bytes the socket will not signal */
	return conn_pending(&c->conn) > 0 ? 1 : 0;
}

/* What the server owes now, in words, or NULL when it owes nothing (see
 * imap_session_awaits); a send it does not read counts too. */
static const char *
owed(const struct client *c, char *text, size_t size)
{
	const struct imap_session_command *cmd;
	const struct imap_command *sent;
	enum imap_session_wait wait = imap_session_awaits(c->session, &cmd);
	uint64_t done, total;

	switch (wait) {
	case IMAP_WAIT_GREETING:
		return "its greeting";
	case IMAP_WAIT_RESPONSE:
		imap_session_literal_progress(c->session, &done, &total);
		if (total == 0)
			return "the rest of a response line";
		snprintf(text, size, "the rest of a literal (%llu of %llu bytes "
		    "came)", (unsigned long long)done,
		    (unsigned long long)total);
		return text;
	case IMAP_WAIT_CONTINUATION:
	case IMAP_WAIT_REPLY:
		sent = imap_session_command_get(cmd);
		snprintf(text, size, "%s to %s %s", wait == IMAP_WAIT_REPLY
		    ? "the reply" : "a continuation (+)", sent->tag,
		    sent->name);
		return text;
	case IMAP_WAIT_NONE:
		break;
	}
	if (imap_session_output(c->session)->len > 0)
		return "to read what was sent";
	return NULL;
}

int
client_poll_deadline_ms(const struct client *c)
{
	char text[160];
	uint64_t now, due;

	if (!c->connected || c->config.timeout_ms == 0 ||
	    owed(c, text, sizeof(text)) == NULL)
		return -1;
	now = clock_now_ms();
	due = c->last_io_ms + c->config.timeout_ms;
	return due <= now ? 0 : (int)(due - now);
}

int
client_poll_limit(const struct client *c, int timeout_ms)
{
	int due = client_poll_deadline_ms(c);

	if (due >= 0 && (timeout_ms < 0 || due < timeout_ms))
		return due;
	return timeout_ms;
}

/* --timeout: the server owed something and sent nothing for that long.
 * The connection ends; what is in flight fails. */
static int
check_stall(struct client *c)
{
	char text[160];
	const char *what;

	if (client_poll_deadline_ms(c) != 0)
		return 0;
	what = owed(c, text, sizeof(text));
	c->timed_out = true;
	connection_lost(c, "timed out");
	return client_fail(c, EXIT_STATUS_PROTOCOL,
	    "timed out: the server owed %s and sent nothing for %u s "
	    "(--timeout SECS changes this)", what,
	    c->config.timeout_ms / 1000);
}

int
client_poll_handle(struct client *c, const struct pollfd *pfd)
{
	if (!c->connected)
		return -1;
	if (conn_pending(&c->conn) > 0 ||
	    (pfd->revents & (POLLIN | POLLHUP | POLLERR))) {
		if (read_input(c) != 0)
			return -1;
	}
	if (c->connected && check_stall(c) != 0)
		return -1;
	return c->connected ? 0 : -1;
}

int
client_turn(struct client *c, int extra_fd, int timeout_ms,
    bool *extra_ready_r)
{
	struct pollfd fds[2] = { { .fd = -1 }, { .fd = extra_fd,
		.events = POLLIN } };
	int ready, n;

	*extra_ready_r = false;
	if ((ready = client_poll_prepare(c, &fds[0])) < 0)
		return -1;
	n = poll(fds, extra_fd >= 0 ? 2 : 1, 0);
	if (n == 0 && ready == 0) {
		/* About to wait: what is written in blocks (a transcript or
		 * events to a file or pipe) goes out now, so a reader sees
		 * every line before imapwb waits for more. */
		fflush(NULL);
		n = poll(fds, extra_fd >= 0 ? 2 : 1,
		    client_poll_limit(c, timeout_ms));
	}
	if (n < 0 && errno != EINTR)
		return client_fail(c, EXIT_STATUS_PROTOCOL, "poll: %s",
		    strerror(errno));
	if (n < 0)
		fds[0].revents = fds[1].revents = 0;
	if (extra_fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
		*extra_ready_r = true;
	return client_poll_handle(c, &fds[0]);
}

/* Run the loop until `done` says so, or the time runs out. */
static int
run_until(struct client *c, bool (*done)(struct client *), int timeout_ms,
    const char *what)
{
	uint64_t deadline = clock_now_ms() + (uint64_t)timeout_ms;
	bool unused;
	long long left;

	while (!done(c)) {
		left = (long long)deadline - (long long)clock_now_ms();
		if (left <= 0) {
			c->timed_out = true;
			return client_fail(c, EXIT_STATUS_PROTOCOL,
			    "timed out waiting for %s", what);
		}
		if (client_turn(c, -1, (int)left, &unused) != 0)
			return -1;
	}
	return 0;
}

static bool
greeted(struct client *c)
{
	return imap_session_state(c->session) != IMAP_STATE_GREETING;
}

static bool
command_done(struct client *c)
{
	return c->waiting_for == NULL;
}

/* Send a command (an atom-only line) and wait for its tagged reply. */
static int
run_command(struct client *c, unsigned flags, const char *command)
{
	const char *err;

	c->waiting_for = imap_session_command(c->session, flags, &err, "%a",
	    command);
	if (c->waiting_for == NULL)
		return client_fail(c, EXIT_STATUS_PROTOCOL, "%s", err);
	return run_until(c, command_done, setup_timeout_ms(c), command);
}

static int
ensure_capabilities(struct client *c)
{
	if (imap_session_capabilities_known(c->session))
		return 0;
	if (run_command(c, 0, "CAPABILITY") != 0)
		return -1;
	if (c->waited_result != IMAP_RESULT_OK)
		return client_fail(c, EXIT_STATUS_PROTOCOL,
		    "CAPABILITY failed: %s", c->waited_text);
	return 0;
}

static void
caps_free(struct client *c, enum client_cap_stage stage)
{
	size_t i;

	for (i = 0; i < c->cap_count[stage]; i++)
		free(c->caps[stage][i]);
	free(c->caps[stage]);
	c->caps[stage] = NULL;
	c->cap_count[stage] = 0;
	c->caps_taken[stage] = false;
}

/* Keep a copy of the capabilities as they are now, for the stage. */
static void
caps_snapshot(struct client *c, enum client_cap_stage stage)
{
	size_t i, n = imap_session_capability_count(c->session);

	caps_free(c, stage);
	if (!imap_session_capabilities_known(c->session))
		return;
	c->caps[stage] = xcalloc(n > 0 ? n : 1, sizeof(*c->caps[stage]));
	for (i = 0; i < n; i++)
		c->caps[stage][i] =
		    xstrdup(imap_session_capability(c->session, i));
	c->cap_count[stage] = n;
	c->caps_taken[stage] = true;
}

/* --- TLS --------------------------------------------------------------- */

/* The handshake's error, and what to do next: a plaintext server where
 * -s expected TLS, or the pin and the options after a certificate it
 * refused. */
static int
tls_failed(struct client *c, const char *err)
{
	const struct client_config *o = &c->config;
	const unsigned char *head;
	size_t n = conn_tls_head(c->tls, &head);
	char advice[2048];

	if (o->tls == CLIENT_TLS_IMPLICIT &&
	    client_trust_head_is_imap(head, n))
		return client_fail(c, EXIT_STATUS_CONNECT, "TLS: %s\n"
		    "the server at %s:%s speaks plaintext IMAP, not TLS: drop "
		    "-s (STARTTLS) or use port 993", err, o->host,
		    client_config_port(o));
	client_trust_failure_advice(conn_tls_failure(c->tls),
	    conn_tls_facts(c->tls), advice, sizeof(advice));
	return client_fail(c, EXIT_STATUS_CONNECT, "TLS: %s%s%s", err,
	    advice[0] != '\0' ? "\n" : "", advice);
}

static bool
handshake_done(struct client *c)
{
	const char *err;
	int rc = conn_tls_handshake(c->tls, &err);

	if (rc == CONN_ERROR) {
		tls_failed(c, err);
		c->connected = false;
		return true;
	}
	return rc == 0;
}

static void
trust_notice(void *ctx, const char *text)
{
	notice(ctx, "%s", text);
}

/* --tofu: the key decides (client-trust.h). */
static int
trust_on_first_use(struct client *c)
{
	const struct client_config *o = &c->config;
	struct client_trust t = {
		.host = o->host,
		.port = client_config_port(o),
		.facts = conn_tls_facts(c->tls),
		.chain_error = conn_tls_chain_error(c->tls),
		.notice = trust_notice,
		.ctx = c,
	};

	if (client_trust_on_first_use(&t, c->error, sizeof(c->error)) == 0)
		return 0;
	c->error_status = EXIT_STATUS_CONNECT;
	connection_lost(c, "the server's key is not trusted");
	return -1;
}

/* The handshake does its own I/O: poll for what it wants. */
static int
run_handshake(struct client *c)
{
	struct pollfd pfd;
	int waited = 0;

	fflush(NULL); /* what is written in blocks, before a wait */
	while (!handshake_done(c)) {
		pfd.fd = c->conn.fd;
		pfd.events = conn_wants(&c->conn) & CONN_WAIT_WRITE ? POLLOUT
								  : POLLIN;
		if (waited >= setup_timeout_ms(c))
			return client_fail(c, EXIT_STATUS_CONNECT,
			    "TLS: the handshake timed out");
		if (poll(&pfd, 1, 1000) == 0)
			waited += 1000;
	}
	if (!c->connected)
		return -1;
	if (c->config.tofu && trust_on_first_use(c) != 0)
		return -1;
	notice(c, "TLS: %s, %s%s",
	    conn_tls_facts_protocol(conn_tls_facts(c->tls)),
	    conn_tls_facts_cipher(conn_tls_facts(c->tls)),
	    c->config.tls_resume == NULL ? "" :
	    conn_tls_session_reused(c->tls) ? " (session resumed)" :
	    " (session not resumed)");
	return 0;
}

static int
start_tls(struct client *c)
{
	const struct client_config *o = &c->config;
	struct conn_tls_options t = {
		.servername = o->host,
		.cafile = o->cafile,
		.capath = o->capath,
		.cert_file = o->client_cert,
		.pin = o->pin,
		.insecure = o->insecure,
		.defer_verify = o->tofu,
		.resume = o->tls_resume,
	};
	const char *err;

	if (conn_tls_push(&c->conn, &t, &c->tls, &err) != 0)
		return client_fail(c, EXIT_STATUS_CONNECT, "TLS: %s", err);
	return run_handshake(c);
}

/* RFC 9051 7.1: an [ALERT] in clear text may be an attacker's words. */
static int
refuse_cleartext_alert(struct client *c)
{
	if (!c->saw_alert_in_clear)
		return 0;
	return client_fail(c, EXIT_STATUS_CONNECT,
	    "the server sent an [ALERT] before TLS: refusing to go on in "
	    "clear text");
}

/* RFC 9051 6.2.1: STARTTLS fails closed. */
static int
negotiate_starttls(struct client *c)
{
	if (imap_session_state(c->session) == IMAP_STATE_AUTHENTICATED)
		return client_fail(c, EXIT_STATUS_CONNECT,
		    "the server greeted with PREAUTH before TLS: refusing a "
		    "session that cannot be protected (use --plaintext to "
		    "allow it)");
	if (refuse_cleartext_alert(c) != 0 || ensure_capabilities(c) != 0 ||
	    refuse_cleartext_alert(c) != 0)
		return -1;
	caps_snapshot(c, CLIENT_CAPS_CLEAR);
	if (!imap_session_has_capability(c->session, "STARTTLS"))
		return client_fail(c, EXIT_STATUS_CONNECT,
		    "the server does not offer STARTTLS (use -s for implicit "
		    "TLS, or --plaintext to go without TLS)");
	if (run_command(c, IMAP_CMD_EXCLUSIVE, "STARTTLS") != 0)
		return -1;
	if (c->tls == NULL)
		return client_fail(c, EXIT_STATUS_CONNECT,
		    "STARTTLS was refused: %s", c->waited_text);
	return ensure_capabilities(c);
}

/* --- opening ------------------------------------------------------------ */

static int
connect_transport(struct client *c)
{
	const struct client_config *o = &c->config;
	const char *port = client_config_port(o);
	const char *err;

	if (conn_tcp_connect(o->host, port, (int)o->connect_timeout_ms,
		&c->conn, &err) != 0)
		return client_fail(c, EXIT_STATUS_CONNECT, "%s", err);
	c->connected = true;
	c->last_io_ms = clock_now_ms();
	notice(c, "connected to %s port %s", o->host, port);
	if (o->proxy_version != 0 &&
	    conn_tcp_write_proxy_header(&c->conn,
		(enum conn_proxy_version)o->proxy_version,
		(int)o->connect_timeout_ms, &err) != 0)
		return client_fail(c, EXIT_STATUS_CONNECT, "PROXY header: %s",
		    err);
	if (o->insecure)
		log_warn("--insecure: the server's certificate is NOT checked; "
			 "anyone on the path can read and change this session");
	c->times.connect_ms = clock_now_ms_precise() - c->open_start;
	if (o->tls == CLIENT_TLS_IMPLICIT) {
		double start = clock_now_ms_precise();
		int rc = start_tls(c);

		c->times.tls_ms = clock_now_ms_precise() - start;
		return rc;
	}
	return 0;
}

/* A server that says nothing at all may be waiting for a TLS
 * ClientHello: an IMAPS port reached without -s. */
static void
add_silence_hint(struct client *c)
{
	const struct client_config *o = &c->config;
	const char *port = client_config_port(o);
	size_t len = strlen(c->error);

	/* no byte at all: no greeting, and not a slow one half sent */
	if (!c->timed_out || c->bytes_in > 0 || o->tls == CLIENT_TLS_IMPLICIT)
		return;
	if (strcmp(port, "993") == 0)
		snprintf(c->error + len, sizeof(c->error) - len, "\n"
		    "nothing came from %s:%s, the IMAPS port, where the server "
		    "waits for TLS first: add -s (implicit TLS)", o->host, port);
	else
		snprintf(c->error + len, sizeof(c->error) - len, "\n"
		    "nothing came from %s:%s: a server that waits for TLS first "
		    "(IMAPS, usually port 993) says nothing; if this is one, "
		    "add -s (implicit TLS)", o->host, port);
}

enum exit_status
client_open(struct client *c, const char **error_r)
{
	double step;
	int rc;

	memset(&c->times, 0, sizeof(c->times));
	c->open_start = clock_now_ms_precise();
	rc = connect_transport(c);
	step = clock_now_ms_precise();
	if (rc == 0 && (rc = run_until(c, greeted, setup_timeout_ms(c),
	    "the greeting")) != 0)
		add_silence_hint(c);
	if (rc == 0 && imap_session_state(c->session) == IMAP_STATE_LOGOUT)
		rc = client_fail(c, EXIT_STATUS_CONNECT,
		    "the server refused the connection (BYE)");
	if (rc == 0 && c->config.tls == CLIENT_TLS_STARTTLS) {
		c->times.greeting_ms = clock_now_ms_precise() - step;
		step = clock_now_ms_precise();
		rc = negotiate_starttls(c);
		c->times.tls_ms = clock_now_ms_precise() - step;
		step = clock_now_ms_precise();
	}
	if (rc == 0)
		rc = ensure_capabilities(c);
	c->times.greeting_ms += clock_now_ms_precise() - step;
	if (rc == 0)
		caps_snapshot(c,
		    c->tls != NULL ? CLIENT_CAPS_TLS : CLIENT_CAPS_CLEAR);
	if (rc != 0) {
		*error_r = c->error;
		return c->error_status;
	}
	return EXIT_STATUS_OK;
}

/* --- authentication ------------------------------------------------------ */

static void
on_auth_done(void *ctx, const struct auth_result *r)
{
	struct client *c = ctx;

	c->auth_finished = true;
	c->auth_ok = r->ok;
	c->auth_layer = r->security_layer;
	c->auth_ssf = r->ssf;
	snprintf(c->auth_mech, sizeof(c->auth_mech), "%s",
	    r->mech != NULL ? r->mech : "");
	snprintf(c->auth_error, sizeof(c->auth_error), "%s",
	    r->error != NULL ? r->error : "authentication failed");
}

static bool
auth_finished(struct client *c)
{
	return c->auth_finished;
}

static void
password_source(const struct client_config *o, struct auth_password_source *p)
{
	auth_password_source_init(p);
	if (o->password_kept != NULL)
		auth_password_source_set_kept(p, o->password_kept);
	else if (o->password != NULL)
		auth_password_source_set_arg(p, o->password);
	else if (o->password_file != NULL)
		auth_password_source_set_file(p, o->password_file);
	else if (o->password_cmd != NULL)
		auth_password_source_set_command(p, o->password_cmd);
}

static int
run_authentication(struct client *c, struct auth_password_source *pw)
{
	const struct client_config *o = &c->config;
	struct auth_options a;
	const char *err;

	/* loaded when a SASL exchange starts, not for LOGIN */
	auth_library_configure(o->sasl_options);
	auth_options_init(&a);
	a.mech = o->mech;
	a.authname = o->authname;
	a.authzid = o->authzid;
	a.realm = o->realm;
	a.min_ssf = o->min_ssf;
	if (o->max_ssf_set)
		a.max_ssf = o->max_ssf;
	/* TLS counts toward -k, and lets SASL skip a layer of its own. */
	if (c->tls != NULL)
		a.external_ssf = conn_tls_facts_bits(conn_tls_facts(c->tls));
	a.no_initial_response = o->no_initial_response;
	a.sasl_options = o->sasl_options;
	a.server_host = o->host;
	a.server_port = client_config_port(o);
	a.password = pw;
	a.token_command = o->token_cmd;
	a.challenge_prompts = o->challenge_prompts;
	c->auth = auth_start(c->session, &a, on_auth_done, c, &err);
	if (c->auth == NULL)
		return client_fail(c, EXIT_STATUS_AUTH, "%s", err);
	/* No time limit: the password may be typed at a prompt. */
	if (run_until(c, auth_finished, 24 * 3600 * 1000, "authentication") != 0)
		return -1;
	if (!c->auth_ok)
		return client_fail(c, EXIT_STATUS_AUTH, "%s", c->auth_error);
	if (c->auth_layer &&
	    auth_push_security_layer(c->auth, &c->conn, NULL, 0, &err) != 0)
		return client_fail(c, EXIT_STATUS_PROTOCOL,
		    "SASL security layer: %s", err);
	notice(c, "authenticated with %s%s", c->auth_mech,
	    c->auth_layer ? " (with a SASL security layer)" : "");
	return 0;
}

enum exit_status
client_authenticate(struct client *c, const char **error_r)
{
	struct auth_password_source pw;
	int rc = 0;

	/* PREAUTH (allowed in clear only with --plaintext) */
	if (imap_session_state(c->session) == IMAP_STATE_NOT_AUTHENTICATED) {
		password_source(&c->config, &pw);
		pw.reason = c->password_reason;
		rc = run_authentication(c, &pw);
		auth_password_source_clear(&pw);
	}
	if (rc == 0)
		rc = ensure_capabilities(c);
	if (rc == 0)
		caps_snapshot(c, CLIENT_CAPS_AUTH);
	if (rc == 0 && c->config.compress) {
		if (!imap_session_has_capability(c->session, "COMPRESS=DEFLATE"))
			rc = client_fail(c, EXIT_STATUS_PROTOCOL,
			    "the server does not offer COMPRESS=DEFLATE");
		else if (run_command(c, IMAP_CMD_EXCLUSIVE, "COMPRESS DEFLATE") ==
			0 && c->waited_result != IMAP_RESULT_OK)
			rc = client_fail(c, EXIT_STATUS_PROTOCOL,
			    "COMPRESS was refused: %s", c->waited_text);
	}
	if (rc != 0) {
		*error_r = c->error;
		return c->error_status;
	}
	return EXIT_STATUS_OK;
}

static bool
logged_out(struct client *c)
{
	return !c->connected;
}

void
client_logout(struct client *c)
{
	const char *err;

	if (!c->connected)
		return;
	/* Cyrus closes TLS without close_notify after LOGOUT. */
	if (c->tls != NULL)
		conn_tls_set_ignore_unexpected_eof(c->tls);
	/* a LOGOUT the user typed (or the server's BYE) came first: only
	 * the close is left to wait for */
	if (imap_session_state(c->session) != IMAP_STATE_LOGOUT &&
	    imap_session_command(c->session, IMAP_CMD_EXCLUSIVE, &err,
		"LOGOUT") == NULL)
		return;
	(void)run_until(c, logged_out, setup_timeout_ms(c), "LOGOUT");
}

/* --- life cycle ---------------------------------------------------------- */

struct client *
client_new(const struct client_config *config, const struct client_listener *l)
{
	struct client *c = xcalloc(1, sizeof(*c));
	struct imap_session_listener sl = {
		.wire = on_wire,
		.response = on_response,
		.completed = on_completed,
		.continuation = on_continuation,
		.state_changed = on_state_changed,
		.ctx = c,
	};

	c->config = *config;
	if (l != NULL)
		c->l = *l;
	conn_init(&c->conn);
	c->model = model_new(config->max_messages != 0 ? config->max_messages
					     : CLIENT_DEFAULT_MAX_MESSAGES);
	response_decoder_init(&c->decoder);
	c->session = imap_session_new(&sl);
	imap_session_set_limits(c->session, &c->config.limits);
	return c;
}

void
client_free(struct client **cp)
{
	struct client *c = *cp;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < CLIENT_CAPS_STAGE_COUNT; i++)
		caps_free(c, (enum client_cap_stage)i);
	auth_free(&c->auth);
	imap_session_free(&c->session);
	response_decoder_free(&c->decoder);
	model_free(&c->model);
	conn_close(&c->conn);
	free(c);
	*cp = NULL;
}

void
client_set_password_reason(struct client *c, const char *reason)
{
	c->password_reason = reason;
}

struct imap_session *
client_session(struct client *c)
{
	return c->session;
}

struct model *
client_model(struct client *c)
{
	return c->model;
}

bool
client_connected(const struct client *c)
{
	return c->connected;
}

const char *
client_error(const struct client *c)
{
	return c->error;
}

enum exit_status
client_error_status(const struct client *c)
{
	return c->error_status;
}

bool
client_tls_info(const struct client *c, struct client_tls_info *info_r)
{
	const struct conn_tls_facts *f;

	memset(info_r, 0, sizeof(*info_r));
	if (c->tls == NULL)
		return false;
	f = conn_tls_facts(c->tls);
	info_r->protocol = conn_tls_facts_protocol(f);
	info_r->cipher = conn_tls_facts_cipher(f);
	info_r->bits = conn_tls_facts_bits(f);
	info_r->pin = conn_tls_facts_pin(f);
	info_r->cert_count = conn_tls_facts_cert_count(f);
	info_r->resumed = conn_tls_session_reused(c->tls);
	return true;
}

struct conn_tls_session *
client_tls_session(const struct client *c)
{
	return c->tls != NULL ? conn_tls_session_get(c->tls) : NULL;
}

void
client_tls_session_free(struct conn_tls_session **session)
{
	conn_tls_session_free(session);
}

void
client_open_times(const struct client *c, struct client_open_times *times_r)
{
	*times_r = c->times;
}

bool
client_tls_cert(const struct client *c, size_t i, const char **subject_r,
    const char **issuer_r, const char **not_after_r)
{
	return c->tls != NULL && conn_tls_facts_cert(conn_tls_facts(c->tls), i,
	    subject_r, issuer_r, not_after_r);
}

const char *
client_auth_mechanism(const struct client *c)
{
	return c->auth_ok ? c->auth_mech : NULL;
}

unsigned
client_auth_ssf(const struct client *c)
{
	return c->auth_ssf;
}

const struct client_config *
client_config(const struct client *c)
{
	return &c->config;
}

const char *
client_config_port(const struct client_config *config)
{
	if (config->port != NULL)
		return config->port;
	return config->tls == CLIENT_TLS_IMPLICIT ? "993" : "143";
}

char *const *
client_capability_stage(const struct client *c, enum client_cap_stage stage,
    size_t *count_r)
{
	*count_r = 0;
	if ((unsigned)stage >= CLIENT_CAPS_STAGE_COUNT || !c->caps_taken[stage])
		return NULL;
	*count_r = c->cap_count[stage];
	return c->caps[stage];
}
