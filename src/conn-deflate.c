/* conn-deflate: the COMPRESS=DEFLATE layer (RFC 4978) on zlib.
 *
 * RFC 4978 4 asks for raw deflate (no zlib header: windowBits -15) in
 * both directions. Inflate writes straight into the caller's buffer and
 * never more than it holds, reading compressed input into one fixed
 * buffer only when the previous input is used up: a server's 1000:1 ratio
 * cannot make us hold 1000 times what we read. */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZLIB_CONST
#include <zlib.h>

#include "conn-deflate.h"
#include "util-mem.h"

#define DEFLATE_IN_SIZE 16384
#define DEFLATE_OUT_SIZE 16384
/* Z_SYNC_FLUSH needs more than 6 bytes of room, or it repeats markers. */
#define DEFLATE_SYNC_ROOM 16

struct deflate_layer {
	struct conn_layer layer;
	z_stream zin;      /* from the server */
	z_stream zout;     /* to the server */
	unsigned char *in; /* compressed input; zin points into it */
	size_t in_size;
	bool more_out;     /* the last inflate filled the caller's buffer */
	bool in_ended;     /* the server ended its deflate stream */
	bool sync_needed;  /* input taken since the last Z_SYNC_FLUSH */
	unsigned char out[DEFLATE_OUT_SIZE]; /* compressed, not yet below */
	size_t out_len;
	enum conn_wait wants;
	char error[256];
};

static size_t
clamp_uint(size_t len)
{
	return len > UINT_MAX ? UINT_MAX : len;
}

static struct deflate_layer *
deflate_layer_of(const struct conn_layer *layer)
{
	return (struct deflate_layer *)layer;
}

/* Keep the layer below's message: its buffer is reused by its next
 * call. */
static const char *
below_error(struct deflate_layer *d, const char *error)
{
	snprintf(d->error, sizeof(d->error), "%s", error);
	return d->error;
}

/* --- reading --------------------------------------------------------- */

/* Inflate into buf: the byte count (0 when nothing came out), or
 * CONN_ERROR. */
static ssize_t
inflate_some(struct deflate_layer *d, void *buf, size_t len,
    const char **error_r)
{
	size_t room = clamp_uint(len);
	int r;

	d->zin.next_out = buf;
	d->zin.avail_out = (uInt)room;
	r = inflate(&d->zin, Z_NO_FLUSH);
	if (r == Z_STREAM_END)
		d->in_ended = true;
	else if (r != Z_OK && r != Z_BUF_ERROR) {
		snprintf(d->error, sizeof(d->error), "cannot decompress the "
		    "server's data: %s", d->zin.msg != NULL ? d->zin.msg :
		    "bad deflate stream");
		*error_r = d->error;
		return CONN_ERROR;
	}
	d->more_out = d->zin.avail_out == 0;
	return (ssize_t)(room - d->zin.avail_out);
}

static ssize_t
deflate_read(struct conn_layer *layer, void *buf, size_t len,
    const char **error_r)
{
	struct deflate_layer *d = deflate_layer_of(layer);
	struct conn_layer *below = layer->below;
	const char *error;
	ssize_t n;

	for (;;) {
		if (d->in_ended)
			return CONN_EOF;
		if (d->zin.avail_in > 0 || d->more_out) {
			if ((n = inflate_some(d, buf, len, error_r)) != 0)
				return n;
			/* Room left and input left, yet nothing moved: the
			 * input buffer must not be overwritten. */
			if (d->zin.avail_in > 0 && !d->in_ended) {
				*error_r = "cannot decompress the server's "
				    "data: inflate made no progress";
				return CONN_ERROR;
			}
			continue;
		}
		n = below->v->read(below, d->in, d->in_size, &error);
		if (n == CONN_AGAIN)
			d->wants = below->v->wants(below);
		if (n == CONN_ERROR)
			*error_r = below_error(d, error);
		if (n <= 0)
			return n;
		d->zin.next_in = d->in;
		d->zin.avail_in = (uInt)n;
	}
}

/* --- writing --------------------------------------------------------- */

/* Give the compressed bytes to the layer below: 0 when all went,
 * CONN_AGAIN (the rest moved to the front) or CONN_ERROR. */
static int
drain(struct deflate_layer *d, const char **error_r)
{
	struct conn_layer *below = d->layer.below;
	const char *error;
	size_t done = 0;
	ssize_t n = 0;

	while (done < d->out_len) {
		n = below->v->write(below, d->out + done, d->out_len - done,
		    &error);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	memmove(d->out, d->out + done, d->out_len - done);
	d->out_len -= done;
	if (d->out_len == 0)
		return 0;
	if (n == CONN_AGAIN) {
		d->wants = below->v->wants(below);
		return CONN_AGAIN;
	}
	*error_r = below_error(d, n == CONN_ERROR ? error :
	    "the layer below took nothing");
	return CONN_ERROR;
}

/* Run deflate into the free end of `out`; return how much input it
 * took. */
static size_t
compress_some(struct deflate_layer *d, const void *data, size_t len,
    int flush)
{
	size_t room = sizeof(d->out) - d->out_len;

	d->zout.next_in = data;
	d->zout.avail_in = (uInt)len;
	d->zout.next_out = d->out + d->out_len;
	d->zout.avail_out = (uInt)room;
	(void)deflate(&d->zout, flush); /* only misuse could fail */
	d->out_len += room - d->zout.avail_out;
	return len - d->zout.avail_in;
}

static ssize_t
deflate_write(struct conn_layer *layer, const void *buf, size_t len,
    const char **error_r)
{
	struct deflate_layer *d = deflate_layer_of(layer);
	size_t taken;
	int r;

	if (len == 0)
		return 0;
	for (;;) {
		if (d->out_len == sizeof(d->out) && (r = drain(d, error_r)) < 0)
			return r;
		taken = compress_some(d, buf, clamp_uint(len), Z_NO_FLUSH);
		if (taken > 0) {
			d->sync_needed = true;
			return (ssize_t)taken;
		}
	}
}

/* Z_SYNC_FLUSH ends the pending block on a byte boundary (00 00 ff ff),
 * so the server can decode the whole command now. */
static int
deflate_flush(struct conn_layer *layer, const char **error_r)
{
	struct deflate_layer *d = deflate_layer_of(layer);
	struct conn_layer *below = layer->below;
	const char *error;
	int r;

	while (d->sync_needed) {
		if (sizeof(d->out) - d->out_len < DEFLATE_SYNC_ROOM &&
		    (r = drain(d, error_r)) < 0)
			return r;
		(void)compress_some(d, NULL, 0, Z_SYNC_FLUSH);
		if (d->out_len < sizeof(d->out))
			d->sync_needed = false;
	}
	if ((r = drain(d, error_r)) < 0)
		return r;
	r = below->v->flush(below, &error);
	if (r == CONN_AGAIN)
		d->wants = below->v->wants(below);
	else if (r < 0)
		*error_r = below_error(d, error);
	return r;
}

/* --- the rest of the layer ------------------------------------------- */

static size_t
deflate_pending(const struct conn_layer *layer)
{
	const struct deflate_layer *d = deflate_layer_of(layer);

	if (d->in_ended)
		return 0;
	return d->zin.avail_in + (d->more_out ? 1 : 0);
}

static enum conn_wait
deflate_wants(const struct conn_layer *layer)
{
	return deflate_layer_of(layer)->wants;
}

static void
deflate_destroy(struct conn_layer *layer)
{
	struct deflate_layer *d = deflate_layer_of(layer);

	inflateEnd(&d->zin);
	deflateEnd(&d->zout);
	free(d->in);
	free(d);
}

static const struct conn_layer_vfuncs deflate_vfuncs = {
	.name = "deflate",
	.read = deflate_read,
	.write = deflate_write,
	.flush = deflate_flush,
	.pending = deflate_pending,
	.wants = deflate_wants,
	.destroy = deflate_destroy,
};

int
conn_deflate_push(struct conn *conn, const void *initial,
    size_t initial_len, const char **error_r)
{
	struct deflate_layer *d;

	if (conn->top == NULL) {
		*error_r = conn_set_error(conn, "COMPRESS needs a connection");
		return -1;
	}
	if (initial_len > UINT_MAX) {
		*error_r = conn_set_error(conn, "too much data before "
		    "COMPRESS");
		return -1;
	}
	d = xcalloc(1, sizeof(*d));
	d->layer.v = &deflate_vfuncs;
	if (inflateInit2(&d->zin, -15) != Z_OK) {
		free(d);
		*error_r = conn_set_error(conn, "cannot start inflate");
		return -1;
	}
	if (deflateInit2(&d->zout, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		inflateEnd(&d->zin);
		free(d);
		*error_r = conn_set_error(conn, "cannot start deflate");
		return -1;
	}
	d->in_size = initial_len > DEFLATE_IN_SIZE ? initial_len :
	    DEFLATE_IN_SIZE;
	d->in = xmalloc(d->in_size);
	if (initial_len > 0)
		memcpy(d->in, initial, initial_len);
	d->zin.next_in = d->in;
	d->zin.avail_in = (uInt)initial_len;
	conn_push(conn, &d->layer);
	return 0;
}
