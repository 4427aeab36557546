/* conn: one byte stream made of stackable layers.
 *
 * The stack is socket -> TLS -> SASL security layer -> DEFLATE, each a
 * small vtable over the layer below (after NeoMutt's conn/connection.h).
 * Everything is nonblocking: a call that cannot make progress returns
 * CONN_AGAIN and says through conn_wants() whether it waits for the socket
 * to be readable or writable (TLS may need to write to read). The session
 * drives the stack from one poll() loop.
 *
 * The loop, per turn: call conn_flush() (cheap when nothing is buffered;
 * TLS may also produce bytes while reading, e.g. a key update), read
 * without polling while conn_pending() is nonzero, and otherwise poll the
 * fd for what conn_wants() says after the last CONN_AGAIN.
 *
 * Error strings returned through error_r live in the layer (or the conn)
 * that produced them, until its next call or its destruction. */
#ifndef IMAPWB_CONN_H
#define IMAPWB_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Return values of read and write besides a byte count (> 0). */
#define CONN_EOF 0
#define CONN_ERROR (-1)
#define CONN_AGAIN (-2)

enum conn_wait {
	CONN_WAIT_NONE = 0,
	CONN_WAIT_READ = 1,
	CONN_WAIT_WRITE = 2,
};

struct conn_layer;

struct conn_layer_vfuncs {
	const char *name; /* "tcp", "tls", "sasl", "deflate" */
	/* > 0 bytes read, CONN_EOF, CONN_ERROR (with *error_r), CONN_AGAIN */
	ssize_t (*read)(struct conn_layer *layer, void *buf, size_t len,
	    const char **error_r);
	/* > 0 bytes taken, CONN_ERROR, CONN_AGAIN. A layer may buffer what
	 * it takes; flush() pushes it down. */
	ssize_t (*write)(struct conn_layer *layer, const void *buf, size_t len,
	    const char **error_r);
	/* 0 when everything taken has reached the layer below (or the
	 * socket), CONN_AGAIN, or CONN_ERROR. */
	int (*flush)(struct conn_layer *layer, const char **error_r);
	/* Bytes this layer holds decoded and ready: poll() will not say so. */
	size_t (*pending)(const struct conn_layer *layer);
	/* What the last CONN_AGAIN waits for. */
	enum conn_wait (*wants)(const struct conn_layer *layer);
	/* Release this layer only (not the one below). */
	void (*destroy)(struct conn_layer *layer);
};

struct conn_layer {
	const struct conn_layer_vfuncs *v;
	struct conn_layer *below; /* NULL for the socket */
};

struct conn {
	struct conn_layer *top;
	int fd;
	/* The message of the last failing function that takes the conn
	 * itself (connect, pushing a layer). */
	char error[512];
};

/* An empty conn: no layer, fd -1. */
void conn_init(struct conn *conn);
/* Push a layer on top of the stack; it takes over the old top. */
void conn_push(struct conn *conn, struct conn_layer *layer);
/* The topmost layer with this name ("tls", ...), or NULL. */
struct conn_layer *conn_find(const struct conn *conn, const char *name);
ssize_t conn_read(struct conn *conn, void *buf, size_t len,
    const char **error_r);
ssize_t conn_write(struct conn *conn, const void *buf, size_t len,
    const char **error_r);
int conn_flush(struct conn *conn, const char **error_r);
/* Nonzero when a read may make progress without the socket becoming
 * readable: some layer holds decoded bytes (or compressed input). */
size_t conn_pending(const struct conn *conn);
enum conn_wait conn_wants(const struct conn *conn);
/* Format conn->error and return it, for functions that set *error_r. */
const char *conn_set_error(struct conn *conn, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Destroy every layer and close the socket; the conn is empty again, and
 * closing it twice is harmless. */
void conn_close(struct conn *conn);

#endif
