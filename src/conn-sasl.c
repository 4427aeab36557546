/* conn-sasl: the SASL security layer over the layer below.
 *
 * Reads take what the layer below has and let sasl_decode() reassemble
 * the length-framed packets; whole packets come out and wait in a
 * bounded buffer. Writes are cut into pieces of at most SASL_MAXOUTBUF
 * bytes (sasl_encode() refuses more) and queued until flush(). */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn-sasl.h"
#include "util-buf.h"
#include "util-mem.h"

#define SASL_IN_SIZE 16384
/* One sasl_decode() call completes at most one large packet (we announce
 * a 64 KiB receive buffer) plus the small ones in SASL_IN_SIZE bytes. */
#define SASL_DECODED_MAX (1024u * 1024)
/* Encoded bytes queued before write() pushes them down first. */
#define SASL_ENCODED_HIGH (64u * 1024)
#define SASL_ENCODED_MAX (4u * 1024 * 1024)
/* When the library does not say: RFC 4422 lets us assume no less. */
#define SASL_DEFAULT_MAXOUT 4096

struct sasl_layer {
	struct conn_layer layer;
	sasl_conn_t *sasl;
	unsigned maxout;     /* the most sasl_encode() takes at once */
	struct buf decoded;  /* from the server, decoded, not yet read */
	size_t decoded_pos;
	struct buf encoded;  /* to the server, encoded, not yet below */
	enum conn_wait wants;
	char error[256];
	unsigned char in[SASL_IN_SIZE];
};

static struct sasl_layer *
sasl_layer_of(const struct conn_layer *layer)
{
	return (struct sasl_layer *)layer;
}

/* Keep the message: the layer below reuses its buffer. */
static const char *__attribute__((format(printf, 2, 3)))
keep_error(struct sasl_layer *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->error, sizeof(l->error), fmt, ap);
	va_end(ap);
	return l->error;
}

static const char *
sasl_detail(struct sasl_layer *l)
{
	const char *d = sasl_errdetail(l->sasl);

	return d != NULL ? d : "unknown error";
}

/* --- reading --------------------------------------------------------- */

static int
decode(struct sasl_layer *l, const unsigned char *data, size_t len,
    const char **error_r)
{
	const char *out;
	unsigned outlen;

	if (len > UINT_MAX) {
		*error_r = "the SASL security layer got too much at once";
		return -1;
	}
	if (sasl_decode(l->sasl, (const char *)data, (unsigned)len, &out,
		&outlen) != SASL_OK) {
		*error_r = keep_error(l, "the SASL security layer cannot "
		    "decode the server's data: %s", sasl_detail(l));
		return -1;
	}
	if (outlen > 0 && buf_append(&l->decoded, out, outlen) != 0) {
		*error_r = "the SASL security layer decoded more than it can "
		    "hold";
		return -1;
	}
	return 0;
}

/* Hand out decoded bytes. */
static ssize_t
take_decoded(struct sasl_layer *l, void *buf, size_t len)
{
	size_t avail = l->decoded.len - l->decoded_pos;
	size_t n = len < avail ? len : avail;

	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	memcpy(buf, l->decoded.data + l->decoded_pos, n);
	l->decoded_pos += n;
	if (l->decoded_pos == l->decoded.len) {
		buf_reset(&l->decoded);
		l->decoded_pos = 0;
	}
	return (ssize_t)n;
}

static ssize_t
sasl_layer_read(struct conn_layer *layer, void *buf, size_t len,
    const char **error_r)
{
	struct sasl_layer *l = sasl_layer_of(layer);
	struct conn_layer *below = layer->below;
	const char *error;
	ssize_t n;

	/* A read of half a packet decodes to nothing: read on. */
	while (l->decoded_pos == l->decoded.len) {
		n = below->v->read(below, l->in, sizeof(l->in), &error);
		if (n == CONN_AGAIN)
			l->wants = below->v->wants(below);
		if (n == CONN_ERROR)
			*error_r = keep_error(l, "%s", error);
		if (n <= 0)
			return n;
		if (decode(l, l->in, (size_t)n, error_r) != 0)
			return CONN_ERROR;
	}
	return take_decoded(l, buf, len);
}

/* --- writing --------------------------------------------------------- */

/* Give the encoded bytes to the layer below: 0 when all went, else
 * CONN_AGAIN or CONN_ERROR. */
static int
drain(struct sasl_layer *l, const char **error_r)
{
	struct conn_layer *below = l->layer.below;
	const char *error = "the layer below took nothing";
	size_t done = 0;
	ssize_t n = 0;

	while (done < l->encoded.len) {
		n = below->v->write(below, l->encoded.data + done,
		    l->encoded.len - done, &error);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	buf_consume(&l->encoded, done);
	if (l->encoded.len == 0)
		return 0;
	if (n == CONN_AGAIN) {
		l->wants = below->v->wants(below);
		return CONN_AGAIN;
	}
	*error_r = keep_error(l, "%s", error);
	return CONN_ERROR;
}

static ssize_t
sasl_layer_write(struct conn_layer *layer, const void *buf, size_t len,
    const char **error_r)
{
	struct sasl_layer *l = sasl_layer_of(layer);
	unsigned piece = len < l->maxout ? (unsigned)len : l->maxout;
	const char *out;
	unsigned outlen;
	int r;

	if (len == 0)
		return 0;
	if (l->encoded.len >= SASL_ENCODED_HIGH &&
	    (r = drain(l, error_r)) != 0)
		return r;
	if (sasl_encode(l->sasl, buf, piece, &out, &outlen) != SASL_OK) {
		*error_r = keep_error(l, "the SASL security layer cannot "
		    "encode: %s", sasl_detail(l));
		return CONN_ERROR;
	}
	if (buf_append(&l->encoded, out, outlen) != 0) {
		*error_r = "the SASL security layer's output queue is full";
		return CONN_ERROR;
	}
	return (ssize_t)piece;
}

static int
sasl_layer_flush(struct conn_layer *layer, const char **error_r)
{
	struct sasl_layer *l = sasl_layer_of(layer);
	struct conn_layer *below = layer->below;
	const char *error;
	int r;

	if ((r = drain(l, error_r)) != 0)
		return r;
	r = below->v->flush(below, &error);
	if (r == CONN_AGAIN)
		l->wants = below->v->wants(below);
	else if (r < 0)
		*error_r = keep_error(l, "%s", error);
	return r;
}

/* --- the rest of the layer ------------------------------------------- */

static size_t
sasl_layer_pending(const struct conn_layer *layer)
{
	const struct sasl_layer *l = sasl_layer_of(layer);

	return l->decoded.len - l->decoded_pos;
}

static enum conn_wait
sasl_layer_wants(const struct conn_layer *layer)
{
	return sasl_layer_of(layer)->wants;
}

static void
sasl_layer_destroy(struct conn_layer *layer)
{
	struct sasl_layer *l = sasl_layer_of(layer);

	sasl_dispose(&l->sasl);
	buf_free(&l->decoded);
	buf_free(&l->encoded);
	free(l);
}

static const struct conn_layer_vfuncs sasl_layer_vfuncs = {
	.name = "sasl",
	.read = sasl_layer_read,
	.write = sasl_layer_write,
	.flush = sasl_layer_flush,
	.pending = sasl_layer_pending,
	.wants = sasl_layer_wants,
	.destroy = sasl_layer_destroy,
};

static unsigned
max_output(sasl_conn_t *sasl)
{
	const void *value = NULL;
	unsigned maxout;

	if (sasl_getprop(sasl, SASL_MAXOUTBUF, &value) != SASL_OK ||
	    value == NULL)
		return SASL_DEFAULT_MAXOUT;
	maxout = *(const unsigned *)value;
	return maxout > 0 ? maxout : SASL_DEFAULT_MAXOUT;
}

int
conn_sasl_push(struct conn *conn, sasl_conn_t *sasl, const void *initial,
    size_t initial_len, const char **error_r)
{
	struct sasl_layer *l;
	const char *error;

	if (conn->top == NULL) {
		*error_r = conn_set_error(conn, "a SASL security layer needs "
		    "a connection");
		return -1;
	}
	l = xcalloc(1, sizeof(*l));
	l->layer.v = &sasl_layer_vfuncs;
	l->sasl = sasl;
	l->maxout = max_output(sasl);
	buf_init(&l->decoded, SASL_DECODED_MAX);
	buf_init(&l->encoded, SASL_ENCODED_MAX);
	if (initial_len > 0 && decode(l, initial, initial_len, &error) != 0) {
		*error_r = conn_set_error(conn, "%s", error);
		l->sasl = NULL;
		sasl_layer_destroy(&l->layer);
		return -1;
	}
	conn_push(conn, &l->layer);
	return 0;
}
