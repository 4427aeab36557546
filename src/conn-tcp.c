/* conn-tcp: connecting (every resolved address in turn, each with a
 * timeout), the tcp layer over the nonblocking socket, and the HAProxy
 * PROXY protocol header (v1 text, v2 binary). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn-tcp.h"
#include "util-clock.h"
#include "util-mem.h"

/* A numeric IPv6 address with a scope (fe80::1%eth0) fits. */
#define ADDR_TEXT_MAX 80

struct tcp_layer {
	struct conn_layer layer;
	int fd;
	enum conn_wait wants;
	char error[256];
};

/* --- the tcp layer --------------------------------------------------- */

static ssize_t
tcp_read(struct conn_layer *layer, void *buf, size_t len,
    const char **error_r)
{
	struct tcp_layer *t = (struct tcp_layer *)layer;
	ssize_t n;

	do
		n = read(t->fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		t->wants = CONN_WAIT_READ;
		return CONN_AGAIN;
	}
	snprintf(t->error, sizeof(t->error), "read failed: %s",
	    strerror(errno));
	*error_r = t->error;
	return CONN_ERROR;
}

/* send() with MSG_NOSIGNAL: a server that hangs up must give an error,
 * not a SIGPIPE that kills the workbench. */
static ssize_t
tcp_write(struct conn_layer *layer, const void *buf, size_t len,
    const char **error_r)
{
	struct tcp_layer *t = (struct tcp_layer *)layer;
	ssize_t n;

	if (len == 0)
		return 0;
	do
		n = send(t->fd, buf, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		t->wants = CONN_WAIT_WRITE;
		return CONN_AGAIN;
	}
	snprintf(t->error, sizeof(t->error), "write failed: %s",
	    strerror(errno));
	*error_r = t->error;
	return CONN_ERROR;
}

/* The socket layer keeps nothing: what write took is in the kernel. */
static int
tcp_flush(struct conn_layer *layer, const char **error_r)
{
	return 0;
}

static size_t
tcp_pending(const struct conn_layer *layer)
{
	return 0;
}

static enum conn_wait
tcp_wants(const struct conn_layer *layer)
{
	return ((const struct tcp_layer *)layer)->wants;
}

/* The fd belongs to the conn, which closes it after every layer. */
static void
tcp_destroy(struct conn_layer *layer)
{
	free(layer);
}

static const struct conn_layer_vfuncs tcp_vfuncs = {
	.name = "tcp",
	.read = tcp_read,
	.write = tcp_write,
	.flush = tcp_flush,
	.pending = tcp_pending,
	.wants = tcp_wants,
	.destroy = tcp_destroy,
};

static void
push_tcp_layer(struct conn *conn, int fd)
{
	struct tcp_layer *t = xcalloc(1, sizeof(*t));

	t->layer.v = &tcp_vfuncs;
	t->fd = fd;
	conn->fd = fd;
	conn_push(conn, &t->layer);
}

static int
set_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

void
conn_tcp_from_fd(int fd, struct conn *conn_r)
{
	conn_init(conn_r);
	(void)set_nonblock_cloexec(fd);
	push_tcp_layer(conn_r, fd);
}

/* --- connecting ------------------------------------------------------ */

/* Wait until fd is writable: 1, 0 on timeout, -1 with errno. A negative
 * timeout waits forever. Signals do not restart the clock. */
static int
wait_writable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	long long deadline = (long long)clock_now_ms() + timeout_ms, left;
	int r;

	for (;;) {
		left = timeout_ms < 0 ? -1 : deadline - (long long)clock_now_ms();
		if (timeout_ms >= 0 && left <= 0)
			return 0;
		r = poll(&pfd, 1, (int)left);
		if (r >= 0)
			return r > 0 ? 1 : 0;
		if (errno != EINTR)
			return -1;
	}
}

static void
describe_addr(const struct sockaddr *sa, socklen_t len, char *out,
    size_t outlen)
{
	char host[ADDR_TEXT_MAX], serv[16];

	if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		snprintf(out, outlen, "(unprintable address)");
	else
		snprintf(out, outlen, "%s port %s", host, serv);
}

static void
describe_timeout(int timeout_ms, char *out, size_t outlen)
{
	if (timeout_ms % 1000 == 0)
		snprintf(out, outlen, "%d s", timeout_ms / 1000);
	else
		snprintf(out, outlen, "%d ms", timeout_ms);
}

/* Say why connecting to one address failed, in words a user knows. */
static void
connect_error(struct buf *errs, const char *where, int err, int timeout_ms)
{
	char t[32];

	if (errs->len > 0)
		buf_append_str(errs, "; ");
	if (err == ECONNREFUSED)
		buf_printf(errs, "connection refused by %s", where);
	else if (err == ETIMEDOUT && timeout_ms >= 0) {
		describe_timeout(timeout_ms, t, sizeof(t));
		buf_printf(errs, "timed out after %s connecting to %s", t,
		    where);
	} else
		buf_printf(errs, "cannot connect to %s: %s", where,
		    strerror(err));
}

/* Connect to one address: the fd, or -1 with errno. A timeout gives
 * ETIMEDOUT. The pending error of a nonblocking connect is in SO_ERROR. */
static int
connect_one(const struct addrinfo *ai, int timeout_ms)
{
	int fd, err = 0, r;
	socklen_t errlen = sizeof(err);

	fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (set_nonblock_cloexec(fd) < 0)
		goto fail;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS)
		goto fail;
	if ((r = wait_writable(fd, timeout_ms)) <= 0) {
		if (r == 0)
			errno = ETIMEDOUT;
		goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0)
		goto fail;
	if (err == 0)
		return fd;
	errno = err;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* IMAP is a conversation of short lines; Nagle's algorithm would hold a
 * pipelined command back for an ACK and skew the measured latency. */
static void
set_nodelay(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int
conn_tcp_connect_addrinfo(const struct addrinfo *list, int timeout_ms,
    struct conn *conn_r, const char **error_r)
{
	const struct addrinfo *ai;
	struct buf errs;
	char where[ADDR_TEXT_MAX + 32];
	int fd, err;

	conn_init(conn_r);
	buf_init(&errs, sizeof(conn_r->error) - 1);
	for (ai = list; ai != NULL; ai = ai->ai_next) {
		if ((fd = connect_one(ai, timeout_ms)) >= 0) {
			if (ai->ai_family == AF_INET ||
			    ai->ai_family == AF_INET6)
				set_nodelay(fd);
			push_tcp_layer(conn_r, fd);
			buf_free(&errs);
			return 0;
		}
		err = errno;
		describe_addr(ai->ai_addr, ai->ai_addrlen, where,
		    sizeof(where));
		connect_error(&errs, where, err, timeout_ms);
	}
	if (errs.len == 0)
		buf_append_str(&errs, "no address to connect to");
	*error_r = conn_set_error(conn_r, "%s", buf_str(&errs));
	buf_free(&errs);
	return -1;
}

int
conn_tcp_connect(const char *host, const char *port, int timeout_ms,
    struct conn *conn_r, const char **error_r)
{
	struct addrinfo hints, *list;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	if ((r = getaddrinfo(host, port, &hints, &list)) != 0) {
		conn_init(conn_r);
		*error_r = conn_set_error(conn_r, "cannot resolve %s port "
		    "%s: %s", host, port,
		    r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
		return -1;
	}
	r = conn_tcp_connect_addrinfo(list, timeout_ms, conn_r, error_r);
	freeaddrinfo(list);
	return r;
}

/* --- the PROXY protocol header --------------------------------------- */

/* The v2 signature: chosen by HAProxy to never start a valid text
 * protocol line. */
static const unsigned char proxy_v2_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

/* Point at an address's raw bytes and its port (network order). */
static size_t
sockaddr_raw(const struct sockaddr *sa, const void **addr_r,
    uint16_t *port_r)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

	if (sa->sa_family == AF_INET) {
		*addr_r = &in->sin_addr;
		*port_r = in->sin_port;
		return 4;
	}
	*addr_r = &in6->sin6_addr;
	*port_r = in6->sin6_port;
	return 16;
}

static int
proxy_v1(struct buf *out, const struct sockaddr *src,
    const struct sockaddr *dst)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	const void *sa, *da;
	uint16_t sp, dp;

	sockaddr_raw(src, &sa, &sp);
	sockaddr_raw(dst, &da, &dp);
	if (inet_ntop(src->sa_family, sa, s, sizeof(s)) == NULL ||
	    inet_ntop(dst->sa_family, da, d, sizeof(d)) == NULL)
		return -1;
	return buf_printf(out, "PROXY %s %s %s %u %u\r\n",
	    src->sa_family == AF_INET ? "TCP4" : "TCP6", s, d,
	    (unsigned)ntohs(sp), (unsigned)ntohs(dp));
}

/* v2: signature, version 2 + PROXY command, TCP over IPv4 (0x11) or IPv6
 * (0x21), the address block length, then addresses and ports. */
static int
proxy_v2(struct buf *out, const struct sockaddr *src,
    const struct sockaddr *dst)
{
	const void *sa, *da;
	uint16_t sp, dp;
	size_t alen = sockaddr_raw(src, &sa, &sp);
	unsigned char hdr[4];

	sockaddr_raw(dst, &da, &dp);
	hdr[0] = 0x21;
	hdr[1] = alen == 4 ? 0x11 : 0x21;
	hdr[2] = 0;
	hdr[3] = (unsigned char)(alen * 2 + 4);
	if (buf_append(out, proxy_v2_sig, sizeof(proxy_v2_sig)) < 0 ||
	    buf_append(out, hdr, sizeof(hdr)) < 0 ||
	    buf_append(out, sa, alen) < 0 || buf_append(out, da, alen) < 0 ||
	    buf_append(out, &sp, 2) < 0 || buf_append(out, &dp, 2) < 0)
		return -1;
	return 0;
}

int
conn_tcp_proxy_header(struct buf *out, enum conn_proxy_version version,
    const struct sockaddr *src, const struct sockaddr *dst,
    const char **error_r)
{
	int r;

	if ((src->sa_family != AF_INET && src->sa_family != AF_INET6) ||
	    src->sa_family != dst->sa_family) {
		*error_r = "a PROXY header needs two IPv4 or two IPv6 "
		    "addresses";
		return -1;
	}
	r = version == CONN_PROXY_V1 ? proxy_v1(out, src, dst) :
	    proxy_v2(out, src, dst);
	if (r < 0)
		*error_r = "the PROXY header does not fit in the buffer";
	return r;
}

static int
send_all(int fd, const char *data, size_t len, int timeout_ms)
{
	ssize_t n;
	int r;

	while (len > 0) {
		n = send(fd, data, len, MSG_NOSIGNAL);
		if (n > 0) {
			data += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		else if ((r = wait_writable(fd, timeout_ms)) <= 0) {
			if (r == 0)
				errno = ETIMEDOUT;
			return -1;
		}
	}
	return 0;
}

int
conn_tcp_write_proxy_header(struct conn *conn,
    enum conn_proxy_version version, int timeout_ms, const char **error_r)
{
	struct sockaddr_storage local, peer;
	socklen_t llen = sizeof(local), plen = sizeof(peer);
	struct buf hdr;
	int r = -1;

	if (getsockname(conn->fd, (struct sockaddr *)&local, &llen) < 0 ||
	    getpeername(conn->fd, (struct sockaddr *)&peer, &plen) < 0) {
		*error_r = conn_set_error(conn, "cannot get the addresses "
		    "for the PROXY header: %s", strerror(errno));
		return -1;
	}
	buf_init(&hdr, 256);
	if (conn_tcp_proxy_header(&hdr, version, (struct sockaddr *)&local,
	    (struct sockaddr *)&peer, error_r) == 0) {
		r = send_all(conn->fd, hdr.data, hdr.len, timeout_ms);
		if (r < 0)
			*error_r = conn_set_error(conn, "cannot send the PROXY "
			    "header: %s", strerror(errno));
	}
	buf_free(&hdr);
	return r;
}
