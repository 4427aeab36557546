/* conn-tcp: the socket at the bottom of a conn, and the HAProxy PROXY
 * protocol header some servers expect before anything else. */
#ifndef IMAPWB_CONN_TCP_H
#define IMAPWB_CONN_TCP_H

#include <sys/socket.h>
#include <netdb.h>

#include "conn.h"
#include "util-buf.h"

/* Resolve host (a name or an IPv4/IPv6 literal) and try each address in
 * turn, each with its own timeout, until one accepts. On success conn_r
 * holds a nonblocking, close-on-exec socket with the tcp layer on top.
 * On failure the message names every address tried ("connection refused
 * by 127.0.0.1 port 143"), and lives in conn_r->error. */
int conn_tcp_connect(const char *host, const char *port, int timeout_ms,
    struct conn *conn_r, const char **error_r);

/* As conn_tcp_connect, over an already resolved list (the testable core:
 * a test can build a list whose first address refuses). */
int conn_tcp_connect_addrinfo(const struct addrinfo *list, int timeout_ms,
    struct conn *conn_r, const char **error_r);

/* Take over a connected stream socket (a socketpair end in the tests):
 * make it nonblocking and push the tcp layer. */
void conn_tcp_from_fd(int fd, struct conn *conn_r);

enum conn_proxy_version {
	CONN_PROXY_V1 = 1, /* one text line */
	CONN_PROXY_V2 = 2, /* binary */
};

/* Append the PROXY header that says a client at src reached dst. Both
 * must be IPv4 or both IPv6. Returns 0, or -1 with *error_r set. */
int conn_tcp_proxy_header(struct buf *out, enum conn_proxy_version version,
    const struct sockaddr *src, const struct sockaddr *dst,
    const char **error_r);

/* Send the PROXY header for this connection (our local address as the
 * source, the server's as the destination). Call it right after connect,
 * before any other byte; it waits at most timeout_ms for the socket. */
int conn_tcp_write_proxy_header(struct conn *conn,
    enum conn_proxy_version version, int timeout_ms, const char **error_r);

#endif
