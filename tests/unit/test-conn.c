/* Unit tests for the transport: the tcp layer over a socketpair (the
 * nonblocking AGAIN contract), connecting (refused, every address in turn,
 * timeout), the PROXY header bytes, the deflate layer (raw deflate, sync
 * flush, a 10 MB stream through a small buffer in bounded memory) and the
 * TLS layer's option checks. The handshake itself is tested against the
 * real servers in tests/integration/tls.sh. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "conn-deflate.h"
#include "conn-tcp.h"
#include "conn-tls.h"
#include "conn.h"
#include "util-buf.h"

/* --- helpers --------------------------------------------------------- */

static void
make_pair(struct conn *a, struct conn *b)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	conn_tcp_from_fd(sv[0], a);
	conn_tcp_from_fd(sv[1], b);
}

/* A listening socket on 127.0.0.1 with the given backlog; its port. */
static int
listen_loopback(int backlog, unsigned *port_r)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, backlog), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port_r = ntohs(sin.sin_port);
	return fd;
}

/* A port on 127.0.0.1 where nothing listens (just released). */
static unsigned
closed_port(void)
{
	unsigned port;

	close(listen_loopback(1, &port));
	return port;
}

static void
port_string(unsigned port, char *out, size_t len)
{
	snprintf(out, len, "%u", port);
}

static struct sockaddr_in
sin4(const char *addr, unsigned port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET, addr, &sin.sin_addr), 1);
	return sin;
}

static struct sockaddr_in6
sin6(const char *addr, unsigned port)
{
	struct sockaddr_in6 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin6_family = AF_INET6;
	sin.sin6_port = htons((uint16_t)port);
	assert_int_equal(inet_pton(AF_INET6, addr, &sin.sin6_addr), 1);
	return sin;
}

/* --- the tcp layer --------------------------------------------------- */

static void
test_tcp_again_and_roundtrip(void **state)
{
	struct conn a, b;
	const char *error = NULL;
	char buf[64];

	make_pair(&a, &b);
	assert_true(fcntl(a.fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(a.fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(conn_read(&a, buf, sizeof(buf), &error), CONN_AGAIN);
	assert_int_equal(conn_wants(&a), CONN_WAIT_READ);
	assert_int_equal(conn_write(&b, "a1 NOOP\r\n", 9, &error), 9);
	assert_int_equal(conn_flush(&b, &error), 0);
	assert_int_equal(conn_read(&a, buf, sizeof(buf), &error), 9);
	assert_memory_equal(buf, "a1 NOOP\r\n", 9);
	assert_int_equal(conn_pending(&a), 0);
	assert_string_equal(conn_find(&a, "tcp")->v->name, "tcp");
	assert_null(conn_find(&a, "tls"));
	/* The end of the stream is CONN_EOF, not an error. */
	conn_close(&b);
	assert_int_equal(conn_read(&a, buf, sizeof(buf), &error), CONN_EOF);
	conn_close(&a);
	conn_close(&a); /* harmless twice */
	assert_int_equal(a.fd, -1);
}

static void
test_tcp_write_again_wants_write(void **state)
{
	struct conn a, b;
	const char *error = NULL;
	char chunk[65536], sink[65536];
	ssize_t n = 0;
	size_t sent = 0, got = 0;
	int i;

	memset(chunk, 'x', sizeof(chunk));
	make_pair(&a, &b);
	for (i = 0; i < 1000; i++) {
		if ((n = conn_write(&a, chunk, sizeof(chunk), &error)) < 0)
			break;
		sent += (size_t)n;
	}
	assert_int_equal(n, CONN_AGAIN);
	assert_int_equal(conn_wants(&a), CONN_WAIT_WRITE);
	/* Draining the peer makes room again. */
	while ((n = conn_read(&b, sink, sizeof(sink), &error)) > 0)
		got += (size_t)n;
	assert_int_equal(n, CONN_AGAIN);
	assert_int_equal(got, sent);
	assert_true(conn_write(&a, chunk, sizeof(chunk), &error) > 0);
	conn_close(&a);
	conn_close(&b);
}

/* A peer that hung up gives an error, not a SIGPIPE that kills us. */
static void
test_tcp_write_to_closed_peer(void **state)
{
	struct conn a, b;
	const char *error = NULL;

	make_pair(&a, &b);
	conn_close(&b);
	assert_int_equal(conn_write(&a, "x", 1, &error), CONN_ERROR);
	assert_string_equal(error, "write failed: Broken pipe");
	conn_close(&a);
}

static void
test_empty_conn_and_zero_read(void **state)
{
	struct conn a, b;
	const char *error = NULL;
	char c;

	conn_init(&a);
	assert_int_equal(conn_read(&a, &c, 1, &error), CONN_ERROR);
	assert_string_equal(error, "not connected");
	assert_int_equal(conn_wants(&a), CONN_WAIT_NONE);
	make_pair(&a, &b);
	assert_int_equal(conn_read(&a, &c, 0, &error), CONN_ERROR);
	assert_string_equal(error, "a read needs room for at least one byte");
	conn_close(&a);
	conn_close(&b);
}

/* --- connecting ------------------------------------------------------ */

static void
test_connect_refused(void **state)
{
	struct conn c;
	const char *error = NULL;
	char port[16], want[128];
	unsigned p = closed_port();

	port_string(p, port, sizeof(port));
	assert_int_equal(conn_tcp_connect("127.0.0.1", port, 2000, &c,
	    &error), -1);
	snprintf(want, sizeof(want), "connection refused by 127.0.0.1 port %u",
	    p);
	assert_string_equal(error, want);
	assert_null(c.top);
	assert_int_equal(c.fd, -1);
}

static void
test_connect_bad_service(void **state)
{
	struct conn c;
	const char *error = NULL;

	assert_int_equal(conn_tcp_connect("127.0.0.1", "no-such-service",
	    2000, &c, &error), -1);
	assert_string_equal(error, "cannot resolve 127.0.0.1 port "
	    "no-such-service: Servname not supported for ai_socktype");
}

/* ::1 refuses (nothing listens there), then 127.0.0.1 accepts. */
static void
test_connect_tries_each_address(void **state)
{
	unsigned port;
	int lfd = listen_loopback(4, &port);
	struct sockaddr_in6 a6 = sin6("::1", port);
	struct sockaddr_in a4 = sin4("127.0.0.1", port);
	struct addrinfo ai6 = { .ai_family = AF_INET6,
		.ai_socktype = SOCK_STREAM, .ai_addrlen = sizeof(a6),
		.ai_addr = (struct sockaddr *)&a6 };
	struct addrinfo ai4 = { .ai_family = AF_INET,
		.ai_socktype = SOCK_STREAM, .ai_addrlen = sizeof(a4),
		.ai_addr = (struct sockaddr *)&a4 };
	struct sockaddr_in peer;
	socklen_t plen = sizeof(peer);
	struct conn c;
	const char *error = NULL;
	char want[160];

	ai6.ai_next = &ai4;
	assert_int_equal(conn_tcp_connect_addrinfo(&ai6, 2000, &c, &error), 0);
	assert_int_equal(getpeername(c.fd, (struct sockaddr *)&peer, &plen),
	    0);
	assert_int_equal(peer.sin_family, AF_INET);
	assert_int_equal(ntohs(peer.sin_port), port);
	assert_true(fcntl(c.fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(c.fd, F_GETFD) & FD_CLOEXEC);
	conn_close(&c);
	close(lfd);

	/* With both refusing, the message names both, in order. */
	assert_int_equal(conn_tcp_connect_addrinfo(&ai6, 2000, &c, &error),
	    -1);
	snprintf(want, sizeof(want), "connection refused by ::1 port %u; "
	    "connection refused by 127.0.0.1 port %u", port, port);
	assert_string_equal(error, want);
}

static long long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000LL +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Linux drops SYNs to a listener whose accept queue is full (backlog 0
 * holds one connection), so the next connect hangs until our timeout. */
static void
test_connect_timeout(void **state)
{
	unsigned port;
	int lfd = listen_loopback(0, &port);
	struct conn first, second;
	const char *error = NULL;
	char ports[16], want[128];
	struct timespec t0;
	long long ms;

	port_string(port, ports, sizeof(ports));
	assert_int_equal(conn_tcp_connect("127.0.0.1", ports, 2000, &first,
	    &error), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(conn_tcp_connect("127.0.0.1", ports, 300, &second,
	    &error), -1);
	ms = elapsed_ms(&t0);
	snprintf(want, sizeof(want), "timed out after 300 ms connecting to "
	    "127.0.0.1 port %u", port);
	assert_string_equal(error, want);
	assert_true(ms >= 290 && ms < 2000);
	conn_close(&first);
	close(lfd);
}

/* --- the PROXY header ------------------------------------------------ */

static const char v2_sig[] = "\r\n\r\n\0\r\nQUIT\n";

static void
test_proxy_v1(void **state)
{
	struct sockaddr_in s4 = sin4("192.0.2.1", 51000);
	struct sockaddr_in d4 = sin4("198.51.100.2", 143);
	struct sockaddr_in6 s6 = sin6("2001:db8::1", 51000);
	struct sockaddr_in6 d6 = sin6("2001:db8::2", 993);
	const char *error = NULL;
	struct buf b;

	buf_init(&b, 256);
	assert_int_equal(conn_tcp_proxy_header(&b, CONN_PROXY_V1,
	    (struct sockaddr *)&s4, (struct sockaddr *)&d4, &error), 0);
	assert_string_equal(buf_str(&b),
	    "PROXY TCP4 192.0.2.1 198.51.100.2 51000 143\r\n");
	buf_reset(&b);
	assert_int_equal(conn_tcp_proxy_header(&b, CONN_PROXY_V1,
	    (struct sockaddr *)&s6, (struct sockaddr *)&d6, &error), 0);
	assert_string_equal(buf_str(&b),
	    "PROXY TCP6 2001:db8::1 2001:db8::2 51000 993\r\n");
	/* Mixed families have no PROXY form. */
	assert_int_equal(conn_tcp_proxy_header(&b, CONN_PROXY_V1,
	    (struct sockaddr *)&s4, (struct sockaddr *)&d6, &error), -1);
	assert_string_equal(error, "a PROXY header needs two IPv4 or two IPv6 "
	    "addresses");
	buf_free(&b);
}

static void
test_proxy_v2_ipv4(void **state)
{
	struct sockaddr_in s4 = sin4("192.0.2.1", 51000);
	struct sockaddr_in d4 = sin4("198.51.100.2", 143);
	static const unsigned char want[] = {
		0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49,
		0x54, 0x0a,                     /* signature */
		0x21, 0x11, 0x00, 0x0c,         /* v2 PROXY, TCP4, 12 bytes */
		192, 0, 2, 1, 198, 51, 100, 2,  /* addresses */
		0xc7, 0x38, 0x00, 0x8f,         /* 51000, 143 */
	};
	const char *error = NULL;
	struct buf b;

	buf_init(&b, 256);
	assert_int_equal(conn_tcp_proxy_header(&b, CONN_PROXY_V2,
	    (struct sockaddr *)&s4, (struct sockaddr *)&d4, &error), 0);
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want));
	assert_memory_equal(b.data, v2_sig, 12);
	buf_free(&b);
}

static void
test_proxy_v2_ipv6(void **state)
{
	struct sockaddr_in6 s6 = sin6("2001:db8::1", 51000);
	struct sockaddr_in6 d6 = sin6("2001:db8::2", 993);
	static const unsigned char want[] = {
		0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49,
		0x54, 0x0a,
		0x21, 0x21, 0x00, 0x24,         /* v2 PROXY, TCP6, 36 bytes */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		0xc7, 0x38, 0x03, 0xe1,         /* 51000, 993 */
	};
	const char *error = NULL;
	struct buf b;

	buf_init(&b, 256);
	assert_int_equal(conn_tcp_proxy_header(&b, CONN_PROXY_V2,
	    (struct sockaddr *)&s6, (struct sockaddr *)&d6, &error), 0);
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want));
	buf_free(&b);
}

/* Over a real connection: our address is the source, the server's the
 * destination, and the header is the first thing the server reads. */
static void
test_proxy_written_after_connect(void **state)
{
	unsigned port;
	int lfd = listen_loopback(4, &port), sfd;
	struct sockaddr_in local;
	socklen_t llen = sizeof(local);
	struct conn c;
	const char *error = NULL;
	char ports[16], want[128], got[128];
	size_t len = 0;
	ssize_t n;

	port_string(port, ports, sizeof(ports));
	assert_int_equal(conn_tcp_connect("127.0.0.1", ports, 2000, &c,
	    &error), 0);
	assert_int_equal(conn_tcp_write_proxy_header(&c, CONN_PROXY_V1, 2000,
	    &error), 0);
	assert_int_equal(getsockname(c.fd, (struct sockaddr *)&local, &llen),
	    0);
	snprintf(want, sizeof(want), "PROXY TCP4 127.0.0.1 127.0.0.1 %u %u\r\n",
	    (unsigned)ntohs(local.sin_port), port);
	assert_true((sfd = accept(lfd, NULL, NULL)) >= 0);
	do {
		n = recv(sfd, got + len, sizeof(got) - 1 - len, 0);
		assert_true(n > 0);
		len += (size_t)n;
	} while (got[len - 1] != '\n');
	got[len] = '\0';
	assert_string_equal(got, want);
	close(sfd);
	conn_close(&c);
	close(lfd);
}

/* --- the deflate layer ----------------------------------------------- */

/* Inflate raw deflate bytes with zlib directly: the wire format check. */
static size_t
raw_inflate(const void *in, size_t inlen, char *out, size_t outlen)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, -15), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)inlen;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)outlen;
	assert_int_equal(inflate(&z, Z_SYNC_FLUSH), Z_OK);
	assert_int_equal(z.avail_in, 0);
	inflateEnd(&z);
	return outlen - z.avail_out;
}

static size_t
raw_deflate(const char *in, char *out, size_t outlen)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)strlen(in);
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)outlen;
	assert_int_equal(deflate(&z, Z_SYNC_FLUSH), Z_OK);
	deflateEnd(&z);
	return outlen - z.avail_out;
}

/* What flush() sends is raw deflate that ends on a sync marker, so the
 * peer can decode the whole command at once. */
static void
test_deflate_wire_format(void **state)
{
	struct conn a, b;
	const char *error = NULL;
	char wire[256], plain[64];
	ssize_t n;

	make_pair(&a, &b);
	assert_int_equal(conn_deflate_push(&a, NULL, 0, &error), 0);
	assert_int_equal(conn_write(&a, "a1 NOOP\r\n", 9, &error), 9);
	/* Nothing reaches the socket before the flush. */
	assert_int_equal(conn_read(&b, wire, sizeof(wire), &error),
	    CONN_AGAIN);
	assert_int_equal(conn_flush(&a, &error), 0);
	n = conn_read(&b, wire, sizeof(wire), &error);
	assert_true(n > 4);
	assert_memory_equal(wire + n - 4, "\x00\x00\xff\xff", 4);
	assert_int_equal(raw_inflate(wire, (size_t)n, plain, sizeof(plain)),
	    9);
	assert_memory_equal(plain, "a1 NOOP\r\n", 9);
	/* A second flush with nothing new sends nothing. */
	assert_int_equal(conn_flush(&a, &error), 0);
	assert_int_equal(conn_read(&b, wire, sizeof(wire), &error),
	    CONN_AGAIN);
	conn_close(&a);
	conn_close(&b);
}

/* Bytes read past the tagged OK before the layer existed are the start
 * of the compressed stream (RFC 4978 3). */
static void
test_deflate_initial_bytes(void **state)
{
	struct conn a, b;
	const char *error = NULL;
	char wire[256], plain[64];
	size_t n = raw_deflate("* 3 EXISTS\r\n", wire, sizeof(wire)), got;
	ssize_t r;

	assert_true(n > 5);
	make_pair(&a, &b);
	assert_int_equal(send(b.fd, wire + 5, n - 5, 0), (ssize_t)(n - 5));
	assert_int_equal(conn_deflate_push(&a, wire, 5, &error), 0);
	assert_int_equal(conn_pending(&a), 5);
	/* The first read decodes what the initial bytes hold, without
	 * waiting for the rest; the second reaches the socket. */
	r = conn_read(&a, plain, sizeof(plain), &error);
	assert_true(r > 0 && r < 12);
	got = (size_t)r;
	r = conn_read(&a, plain + got, sizeof(plain) - got, &error);
	assert_int_equal(got + (size_t)r, 12);
	assert_memory_equal(plain, "* 3 EXISTS\r\n", 12);
	assert_int_equal(conn_read(&a, plain, sizeof(plain), &error),
	    CONN_AGAIN);
	assert_int_equal(conn_pending(&a), 0);
	assert_int_equal(conn_wants(&a), CONN_WAIT_READ);
	conn_close(&b);
	assert_int_equal(conn_read(&a, plain, sizeof(plain), &error),
	    CONN_EOF);
	conn_close(&a);
}

static void
test_deflate_garbage(void **state)
{
	struct conn a, b;
	const char *error = NULL;
	char plain[64];

	make_pair(&a, &b);
	assert_int_equal(conn_deflate_push(&a, NULL, 0, &error), 0);
	assert_int_equal(send(b.fd, "\xff\xff\xff\xff", 4, 0), 4);
	assert_int_equal(conn_read(&a, plain, sizeof(plain), &error),
	    CONN_ERROR);
	assert_string_equal(error, "cannot decompress the server's data: "
	    "invalid block type");
	conn_close(&a);
	conn_close(&b);
}

#define BIG_TOTAL (10 * 1024 * 1024)
#define SMALL_READ 100
static const char big_line[] = "* 1 FETCH (FLAGS (\\Seen) UID 42)\r\n";
#define BIG_LINE_LEN (sizeof(big_line) - 1)

static size_t
heap_in_use(void)
{
	return mallinfo2().uordblks;
}

/* Write the whole stream from a to b, flush it, and leave it unread:
 * ~10 KB of compressed bytes stand for 10 MB. */
static void
send_big(struct conn *a)
{
	const size_t linelen = BIG_LINE_LEN;
	char block[BIG_LINE_LEN * 64];
	const char *error = NULL;
	size_t sent = 0, i, want;
	ssize_t n;

	for (i = 0; i < 64; i++)
		memcpy(block + i * linelen, big_line, linelen);
	while (sent < BIG_TOTAL) {
		/* Keep the stream aligned to whole lines of the block. */
		want = BIG_TOTAL - sent;
		if (want > sizeof(block) - sent % linelen)
			want = sizeof(block) - sent % linelen;
		n = conn_write(a, block + sent % linelen, want, &error);
		assert_true(n > 0);
		sent += (size_t)n;
	}
	assert_int_equal(conn_flush(a, &error), 0);
}

/* 10 MB that compress ~1000:1, read 100 bytes at a time: every read gives
 * at most 100 bytes, the layer says when more is ready without the
 * socket, and the heap does not grow with the stream. */
static void
test_deflate_big_stream_small_reads(void **state)
{
	const size_t linelen = sizeof(big_line) - 1;
	struct conn a, b;
	const char *error = NULL;
	char buf[SMALL_READ];
	size_t got = 0, heap0, heap_max = 0, i, full_reads = 0;
	ssize_t n;

	make_pair(&a, &b);
	assert_int_equal(conn_deflate_push(&a, NULL, 0, &error), 0);
	assert_int_equal(conn_deflate_push(&b, NULL, 0, &error), 0);
	send_big(&a);
	heap0 = heap_in_use();
	while ((n = conn_read(&b, buf, sizeof(buf), &error)) > 0) {
		assert_true(n <= SMALL_READ);
		for (i = 0; i < (size_t)n; i++)
			assert_int_equal(buf[i], big_line[(got + i) % linelen]);
		got += (size_t)n;
		if (n == SMALL_READ) {
			full_reads++;
			assert_true(conn_pending(&b) > 0);
		}
		if (heap_in_use() > heap_max)
			heap_max = heap_in_use();
	}
	assert_int_equal(n, CONN_AGAIN);
	assert_int_equal(got, BIG_TOTAL);
	assert_true(full_reads >= BIG_TOTAL / SMALL_READ - 1);
	assert_int_equal(conn_pending(&b), 0);
	assert_true(heap_max < heap0 + 64 * 1024);
	conn_close(&a);
	conn_close(&b);
}

/* Compressed output waits in the layer while the socket is full, and the
 * layer says it wants to write. */
static void
test_deflate_write_backpressure(void **state)
{
	struct conn a, b;
	const char *error = NULL;
	unsigned char noise[4096], sink[65536];
	uint32_t x = 2463534242u;
	size_t i, sent = 0, got = 0;
	ssize_t n = 0;
	int r, rounds;

	for (i = 0; i < sizeof(noise); i++) { /* xorshift: incompressible */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		noise[i] = (unsigned char)x;
	}
	make_pair(&a, &b);
	assert_int_equal(conn_deflate_push(&a, NULL, 0, &error), 0);
	assert_int_equal(conn_deflate_push(&b, NULL, 0, &error), 0);
	for (rounds = 0; rounds < 10000; rounds++) {
		if ((n = conn_write(&a, noise, sizeof(noise), &error)) < 0)
			break;
		sent += (size_t)n;
		noise[0]++; /* not a repeat either */
	}
	assert_int_equal(n, CONN_AGAIN);
	assert_int_equal(conn_wants(&a), CONN_WAIT_WRITE);
	/* Flushing everything needs the reader to make room. */
	while ((r = conn_flush(&a, &error)) == CONN_AGAIN) {
		while ((n = conn_read(&b, sink, sizeof(sink), &error)) > 0)
			got += (size_t)n;
	}
	assert_int_equal(r, 0);
	while ((n = conn_read(&b, sink, sizeof(sink), &error)) > 0)
		got += (size_t)n;
	assert_int_equal(got, sent);
	conn_close(&a);
	conn_close(&b);
}

/* --- the TLS layer's setup ------------------------------------------- */

static void
test_tls_option_errors(void **state)
{
	struct conn a, b;
	struct conn_layer *layer;
	struct conn_tls_options opts;
	const char *error = NULL;

	make_pair(&a, &b);
	memset(&opts, 0, sizeof(opts));
	assert_int_equal(conn_tls_push(&a, &opts, &layer, &error), -1);
	assert_string_equal(error, "TLS needs a server name to verify the "
	    "certificate against");

	opts.servername = "localhost";
	opts.pin = "sha256/short=";
	assert_int_equal(conn_tls_push(&a, &opts, &layer, &error), -1);
	assert_string_equal(error, "bad pin sha256/short=: expected sha256/ "
	    "and 44 base64 characters");

	opts.pin = NULL;
	opts.cafile = "/nonexistent/ca.pem";
	assert_int_equal(conn_tls_push(&a, &opts, &layer, &error), -1);
	assert_string_equal(error, "cannot load CA certificates from "
	    "/nonexistent/ca.pem: No such file or directory");

	opts.cafile = NULL;
	opts.capath = "/nonexistent";
	assert_int_equal(conn_tls_push(&a, &opts, &layer, &error), -1);
	assert_string_equal(error, "cannot use CA folder /nonexistent: "
	    "No such file or directory");

	opts.capath = NULL;
	opts.insecure = true;
	opts.cert_file = "/nonexistent/client.pem";
	assert_int_equal(conn_tls_push(&a, &opts, &layer, &error), -1);
	assert_string_equal(error, "cannot load the client certificate from "
	    "/nonexistent/client.pem: No such file or directory");

	/* Nothing was pushed by the failures; a good setup is. */
	assert_string_equal(a.top->v->name, "tcp");
	opts.cert_file = NULL;
	assert_int_equal(conn_tls_push(&a, &opts, &layer, &error), 0);
	assert_ptr_equal(conn_find(&a, "tls"), layer);
	conn_close(&a);
	conn_close(&b);
}

/* A server that answers the ClientHello with cleartext: a clear error,
 * after the handshake went through the nonblocking AGAIN path. */
static void
test_tls_handshake_with_a_cleartext_peer(void **state)
{
	struct conn a, b;
	struct conn_layer *layer;
	struct conn_tls_options opts;
	const char *error = NULL;
	char hello[4096];

	make_pair(&a, &b);
	memset(&opts, 0, sizeof(opts));
	opts.servername = "localhost";
	assert_int_equal(conn_tls_push(&a, &opts, &layer, &error), 0);
	assert_int_equal(conn_tls_handshake(layer, &error), CONN_AGAIN);
	assert_int_equal(conn_wants(&a), CONN_WAIT_READ);
	/* The ClientHello went out: a TLS handshake record (0x16). */
	assert_true(conn_read(&b, hello, sizeof(hello), &error) > 5);
	assert_int_equal((unsigned char)hello[0], 0x16);
	assert_int_equal(conn_write(&b, "* OK IMAP4rev1 ready\r\n", 22, &error),
	    22);
	assert_int_equal(conn_tls_handshake(layer, &error), CONN_ERROR);
	assert_string_equal(error, "TLS handshake failed: wrong version number "
	    "(the server does not speak TLS here)");
	/* The failure sticks. */
	assert_int_equal(conn_read(&a, hello, sizeof(hello), &error),
	    CONN_ERROR);
	assert_string_equal(error, "TLS handshake failed: wrong version number "
	    "(the server does not speak TLS here)");
	conn_close(&a);
	conn_close(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_again_and_roundtrip),
		cmocka_unit_test(test_tcp_write_again_wants_write),
		cmocka_unit_test(test_tcp_write_to_closed_peer),
		cmocka_unit_test(test_empty_conn_and_zero_read),
		cmocka_unit_test(test_connect_refused),
		cmocka_unit_test(test_connect_bad_service),
		cmocka_unit_test(test_connect_tries_each_address),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_proxy_v1),
		cmocka_unit_test(test_proxy_v2_ipv4),
		cmocka_unit_test(test_proxy_v2_ipv6),
		cmocka_unit_test(test_proxy_written_after_connect),
		cmocka_unit_test(test_deflate_wire_format),
		cmocka_unit_test(test_deflate_initial_bytes),
		cmocka_unit_test(test_deflate_garbage),
		cmocka_unit_test(test_deflate_big_stream_small_reads),
		cmocka_unit_test(test_deflate_write_backpressure),
		cmocka_unit_test(test_tls_option_errors),
		cmocka_unit_test(test_tls_handshake_with_a_cleartext_peer),
	};

	return cmocka_run_group_tests_name("conn", tests, NULL, NULL);
}
