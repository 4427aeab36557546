/* conn: the layer stack. Each call goes to the top layer, which calls
 * the one below it; this file only keeps the stack. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"

void
conn_init(struct conn *conn)
{
	conn->top = NULL;
	conn->fd = -1;
	conn->error[0] = '\0';
}

void
conn_push(struct conn *conn, struct conn_layer *layer)
{
	layer->below = conn->top;
	conn->top = layer;
}

struct conn_layer *
conn_find(const struct conn *conn, const char *name)
{
	struct conn_layer *l;

	for (l = conn->top; l != NULL; l = l->below) {
		if (strcmp(l->v->name, name) == 0)
			return l;
	}
	return NULL;
}

const char *
conn_set_error(struct conn *conn, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(conn->error, sizeof(conn->error), fmt, ap);
	va_end(ap);
	return conn->error;
}

ssize_t
conn_read(struct conn *conn, void *buf, size_t len, const char **error_r)
{
	if (conn->top == NULL) {
		*error_r = "not connected";
		return CONN_ERROR;
	}
	/* 0 means end of stream: an empty read would be ambiguous. */
	if (len == 0) {
		*error_r = "a read needs room for at least one byte";
		return CONN_ERROR;
	}
	return conn->top->v->read(conn->top, buf, len, error_r);
}

ssize_t
conn_write(struct conn *conn, const void *buf, size_t len,
    const char **error_r)
{
	if (conn->top == NULL) {
		*error_r = "not connected";
		return CONN_ERROR;
	}
	return conn->top->v->write(conn->top, buf, len, error_r);
}

int
conn_flush(struct conn *conn, const char **error_r)
{
	if (conn->top == NULL) {
		*error_r = "not connected";
		return CONN_ERROR;
	}
	return conn->top->v->flush(conn->top, error_r);
}

/* Every layer counts: TLS may hold a decrypted record under a DEFLATE
 * layer that has nothing, and reading the top will reach it. */
size_t
conn_pending(const struct conn *conn)
{
	const struct conn_layer *l;
	size_t total = 0, n;

	for (l = conn->top; l != NULL; l = l->below) {
		n = l->v->pending(l);
		total = n > SIZE_MAX - total ? SIZE_MAX : total + n;
	}
	return total;
}

enum conn_wait
conn_wants(const struct conn *conn)
{
	if (conn->top == NULL)
		return CONN_WAIT_NONE;
	return conn->top->v->wants(conn->top);
}

void
conn_close(struct conn *conn)
{
	struct conn_layer *l, *below;

	for (l = conn->top; l != NULL; l = below) {
		below = l->below;
		l->v->destroy(l);
	}
	conn->top = NULL;
	if (conn->fd >= 0)
		close(conn->fd);
	conn->fd = -1;
}
