/* conn-probe: connect through the transport layers and say what happened.
 *
 * A test tool for tests/integration/tls.sh: it connects (IMAPS, STARTTLS
 * or cleartext), prints the greeting and the TLS facts, checks that the
 * server answers a command, optionally logs in (password from
 * $CONN_PROBE_PASSWORD) and turns on COMPRESS=DEFLATE, logs out and
 * reports how the stream ended. Its IMAP is the least that works; the
 * session replaces it in imapwb.
 *
 * Exit: 0 success, 1 the server said something unexpected, 2 usage,
 * 3 connect or TLS failure (the message is on stderr). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn-deflate.h"
#include "conn-tcp.h"
#include "conn-tls.h"
#include "conn.h"
#include "util-buf.h"

#define EXIT_PROTOCOL 1
#define EXIT_USAGE 2
#define EXIT_CONNECT 3
#define LINE_MAX_BYTES 65536

enum tls_mode { TLS_NONE, TLS_IMAPS, TLS_STARTTLS };

struct probe {
	const char *host;
	const char *port;
	enum tls_mode mode;
	int timeout_ms;
	bool strict_eof;
	const char *user;
	bool compress;
	struct conn_tls_options tls;

	struct conn conn;
	struct conn_layer *tls_layer;
	struct buf in; /* bytes read and not yet a whole line */
};

static void __attribute__((noreturn))
die(int code, const char *what, const char *error)
{
	fprintf(stderr, "conn-probe: %s%s%s\n", what, error != NULL ? ": " : "",
	    error != NULL ? error : "");
	exit(code);
}

/* Wait for what the last CONN_AGAIN asked for. */
static void
wait_conn(struct probe *p, const char *what)
{
	struct pollfd pfd = { .fd = p->conn.fd };
	int r;

	pfd.events = conn_wants(&p->conn) == CONN_WAIT_WRITE ? POLLOUT :
	    POLLIN;
	do
		r = poll(&pfd, 1, p->timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		die(EXIT_CONNECT, what, "timed out");
	if (r < 0)
		die(EXIT_CONNECT, what, strerror(errno));
}

static void
send_all(struct probe *p, const char *s)
{
	size_t len = strlen(s);
	const char *error;
	ssize_t n;
	int r;

	while (len > 0) {
		n = conn_write(&p->conn, s, len, &error);
		if (n == CONN_AGAIN) {
			wait_conn(p, "write");
			continue;
		}
		if (n < 0)
			die(EXIT_CONNECT, "write", error);
		s += n;
		len -= (size_t)n;
	}
	while ((r = conn_flush(&p->conn, &error)) == CONN_AGAIN)
		wait_conn(p, "flush");
	if (r < 0)
		die(EXIT_CONNECT, "flush", error);
}

/* One read into p->in: the byte count, or 0 at the end of the stream.
 * Polls only when no layer holds bytes already. */
static ssize_t
fill(struct probe *p, const char **error_r)
{
	char tmp[4096];
	ssize_t n;

	for (;;) {
		n = conn_read(&p->conn, tmp, sizeof(tmp), error_r);
		if (n > 0) {
			if (buf_append(&p->in, tmp, (size_t)n) < 0) {
				*error_r = "line too long";
				return CONN_ERROR;
			}
			return n;
		}
		if (n != CONN_AGAIN)
			return n;
		wait_conn(p, "read");
	}
}

/* The next line without its CRLF, into line. */
static void
read_line(struct probe *p, struct buf *line)
{
	const char *error = NULL, *eol;
	ssize_t n;

	while ((eol = memchr(p->in.data != NULL ? p->in.data : "", '\n',
	    p->in.len)) == NULL) {
		if ((n = fill(p, &error)) == CONN_EOF)
			die(EXIT_PROTOCOL, "the server closed the connection",
			    NULL);
		if (n < 0)
			die(EXIT_CONNECT, "read", error);
	}
	buf_reset(line);
	buf_append(line, p->in.data, (size_t)(eol - p->in.data));
	if (line->len > 0 && line->data[line->len - 1] == '\r')
		line->data[--line->len] = '\0';
	buf_consume(&p->in, (size_t)(eol - p->in.data) + 1);
}

/* Read up to the tagged reply of tag and return whether it was OK. */
static bool
read_tagged(struct probe *p, const char *tag, struct buf *line)
{
	size_t tlen = strlen(tag);

	do
		read_line(p, line);
	while (strncmp(line->data, tag, tlen) != 0 || line->data[tlen] != ' ');
	return strncmp(line->data + tlen + 1, "OK", 2) == 0;
}

static void
print_facts(const struct probe *p)
{
	const struct conn_tls_facts *f = conn_tls_facts(p->tls_layer);
	const char *subject, *issuer, *not_after;
	size_t i;

	if (*conn_tls_facts_protocol(f) == '\0')
		return; /* the handshake failed before the server's hello */
	printf("tls-protocol: %s\n", conn_tls_facts_protocol(f));
	printf("tls-cipher: %s\n", conn_tls_facts_cipher(f));
	printf("tls-pin: %s\n", conn_tls_facts_pin(f));
	for (i = 0; conn_tls_facts_cert(f, i, &subject, &issuer, &not_after);
	    i++) {
		printf("cert[%zu]-subject: %s\n", i, subject);
		printf("cert[%zu]-issuer: %s\n", i, issuer);
		printf("cert[%zu]-not-after: %s\n", i, not_after);
	}
}

static void
start_tls(struct probe *p)
{
	const char *error;
	int r;

	if (conn_tls_push(&p->conn, &p->tls, &p->tls_layer, &error) < 0)
		die(EXIT_CONNECT, "TLS setup", error);
	while ((r = conn_tls_handshake(p->tls_layer, &error)) == CONN_AGAIN)
		wait_conn(p, "TLS handshake");
	print_facts(p);
	fflush(stdout);
	if (r < 0)
		die(EXIT_CONNECT, error, NULL);
}

/* RFC 9051 6.2.1: after the tagged OK, TLS starts at once; anything the
 * server sent in cleartext beyond it is not to be trusted. */
static void
starttls(struct probe *p, struct buf *line)
{
	send_all(p, "a STARTTLS\r\n");
	if (!read_tagged(p, "a", line))
		die(EXIT_PROTOCOL, "STARTTLS refused", line->data);
	if (p->in.len > 0)
		printf("discarded: %zu bytes\n", p->in.len);
	buf_reset(&p->in);
	start_tls(p);
	send_all(p, "b CAPABILITY\r\n");
	if (!read_tagged(p, "b", line))
		die(EXIT_PROTOCOL, "CAPABILITY failed", line->data);
	printf("capability: tagged OK\n");
}

/* LOGIN with a quoted password: enough for the test accounts. */
static void
login(struct probe *p, struct buf *line)
{
	const char *pass = getenv("CONN_PROBE_PASSWORD");
	struct buf cmd;

	if (pass == NULL || strpbrk(pass, "\"\\\r\n") != NULL ||
	    strpbrk(p->user, "\"\\\r\n") != NULL)
		die(EXIT_USAGE, "--user needs a plain CONN_PROBE_PASSWORD",
		    NULL);
	buf_init_secret(&cmd, 1024);
	buf_printf(&cmd, "l LOGIN \"%s\" \"%s\"\r\n", p->user, pass);
	send_all(p, buf_str(&cmd));
	buf_free(&cmd);
	if (!read_tagged(p, "l", line))
		die(EXIT_PROTOCOL, "LOGIN failed", line->data);
	printf("login: tagged OK\n");
}

/* RFC 4978 3: compression starts right after the tagged OK's CRLF, so
 * bytes already read past it belong to the compressed stream. */
static void
compress(struct probe *p, struct buf *line)
{
	const char *error;
	size_t lines = 0;

	send_all(p, "c COMPRESS DEFLATE\r\n");
	if (!read_tagged(p, "c", line))
		die(EXIT_PROTOCOL, "COMPRESS failed", line->data);
	if (conn_deflate_push(&p->conn, p->in.data, p->in.len, &error) < 0)
		die(EXIT_CONNECT, "COMPRESS", error);
	buf_reset(&p->in);
	send_all(p, "d LIST \"\" \"*\"\r\n");
	for (;;) {
		read_line(p, line);
		if (strncmp(line->data, "d ", 2) == 0)
			break;
		lines++;
	}
	if (strncmp(line->data, "d OK", 4) != 0)
		die(EXIT_PROTOCOL, "LIST failed", line->data);
	printf("compressed-list: %zu mailboxes, tagged OK\n", lines);
}

/* Log out and read to the end: how the stream ends is what the
 * unexpected-EOF option is about. */
static void
logout(struct probe *p, struct buf *line)
{
	const char *error = NULL;
	ssize_t n;

	send_all(p, "z LOGOUT\r\n");
	if (!read_tagged(p, "z", line))
		die(EXIT_PROTOCOL, "LOGOUT failed", line->data);
	if (p->tls_layer != NULL && !p->strict_eof)
		conn_tls_set_ignore_unexpected_eof(p->tls_layer);
	buf_reset(&p->in);
	while ((n = fill(p, &error)) > 0)
		buf_reset(&p->in);
	if (n == CONN_EOF)
		printf("close: clean\n");
	else
		printf("close: error: %s\n", error);
}

static int
run(struct probe *p)
{
	struct buf line;
	const char *error;

	if (conn_tcp_connect(p->host, p->port, p->timeout_ms, &p->conn,
	    &error) < 0)
		die(EXIT_CONNECT, error, NULL);
	buf_init(&p->in, LINE_MAX_BYTES);
	buf_init(&line, LINE_MAX_BYTES);
	if (p->mode == TLS_IMAPS)
		start_tls(p);
	read_line(p, &line);
	printf("greeting: %s\n", line.data);
	if (p->mode == TLS_STARTTLS)
		starttls(p, &line);
	if (p->user != NULL)
		login(p, &line);
	if (p->compress)
		compress(p, &line);
	logout(p, &line);
	buf_free(&line);
	buf_free(&p->in);
	conn_close(&p->conn);
	return 0;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: conn-probe --port PORT [--host HOST] "
	    "[--tls imaps|starttls|none]\n"
	    "    [--cafile FILE] [--capath DIR] [--insecure] "
	    "[--pin sha256/...]\n"
	    "    [--cert FILE] [--key FILE] [--servername NAME] "
	    "[--timeout MS] [--strict-eof]\n"
	    "    [--user NAME [--compress]]\n");
	exit(EXIT_USAGE);
}

static enum tls_mode
parse_mode(const char *s)
{
	if (strcmp(s, "imaps") == 0)
		return TLS_IMAPS;
	if (strcmp(s, "starttls") == 0)
		return TLS_STARTTLS;
	if (strcmp(s, "none") != 0)
		usage();
	return TLS_NONE;
}

static int
parse_timeout(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > 3600000)
		usage();
	return (int)v;
}

static void
parse_args(struct probe *p, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'h' },
		{ "port", required_argument, NULL, 'p' },
		{ "tls", required_argument, NULL, 't' },
		{ "cafile", required_argument, NULL, 'C' },
		{ "capath", required_argument, NULL, 'D' },
		{ "insecure", no_argument, NULL, 'k' },
		{ "pin", required_argument, NULL, 'P' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'K' },
		{ "servername", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "strict-eof", no_argument, NULL, 'e' },
		{ "user", required_argument, NULL, 'u' },
		{ "compress", no_argument, NULL, 'z' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			p->host = optarg;
			break;
		case 'p':
			p->port = optarg;
			break;
		case 't':
			p->mode = parse_mode(optarg);
			break;
		case 'C':
			p->tls.cafile = optarg;
			break;
		case 'D':
			p->tls.capath = optarg;
			break;
		case 'k':
			p->tls.insecure = true;
			break;
		case 'P':
			p->tls.pin = optarg;
			break;
		case 'c':
			p->tls.cert_file = optarg;
			break;
		case 'K':
			p->tls.key_file = optarg;
			break;
		case 'n':
			p->tls.servername = optarg;
			break;
		case 'T':
			p->timeout_ms = parse_timeout(optarg);
			break;
		case 'e':
			p->strict_eof = true;
			break;
		case 'u':
			p->user = optarg;
			break;
		case 'z':
			p->compress = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || p->port == NULL ||
	    (p->compress && p->user == NULL))
		usage();
	if (p->tls.servername == NULL)
		p->tls.servername = p->host;
}

int
main(int argc, char **argv)
{
	struct probe p;

	memset(&p, 0, sizeof(p));
	p.host = "127.0.0.1";
	p.mode = TLS_IMAPS;
	p.timeout_ms = 10000;
	parse_args(&p, argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return run(&p);
}
