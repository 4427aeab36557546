/* util-buf: growable byte buffers with a hard cap (after curl's dynbuf). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util-buf.h"
#include "util-mem.h"

#define BUF_MIN_ALLOC 64

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
	b->secret = false;
}

void
buf_init_secret(struct buf *b, size_t max)
{
	buf_init(b, max);
	b->secret = true;
}

void
buf_free(struct buf *b)
{
	if (b->secret)
		secure_zero(b->data, b->alloc);
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
}

void
buf_reset_keep(struct buf *b, size_t keep)
{
	if (b->alloc > keep)
		buf_free(b);
	else
		buf_reset(b);
}

void
buf_reset(struct buf *b)
{
	if (b->secret)
		secure_zero(b->data, b->alloc);
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Make room for len more bytes plus the NUL, respecting the cap. A secret
 * buffer is moved by hand so no copy of it is left in freed memory. */
int
buf_reserve(struct buf *b, size_t len)
{
	size_t need, alloc, old_len = b->len;
	char *p;

	if (len > b->max || b->len > b->max - len)
		return -1;
	need = b->len + len + 1;
	if (need <= b->alloc)
		return 0;
	alloc = b->alloc < BUF_MIN_ALLOC ? BUF_MIN_ALLOC : b->alloc;
	while (alloc < need)
		alloc = alloc > SIZE_MAX / 2 ? need : alloc * 2;
	if (b->max < SIZE_MAX && alloc > b->max + 1)
		alloc = b->max + 1;
	if (b->secret) {
		p = xmalloc(alloc);
		if (old_len > 0)
			memcpy(p, b->data, old_len);
		buf_free(b);
	} else
		p = xreallocarray(b->data, 1, alloc);
	b->data = p;
	b->alloc = alloc;
	b->len = old_len;
	return 0;
}

int
buf_append_slow(struct buf *b, const void *data, size_t len)
{
	if (buf_reserve(b, len) != 0)
		return -1;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_append_str(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_append_byte_slow(struct buf *b, unsigned char c)
{
	return buf_append(b, &c, 1);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_reserve(b, (size_t)n) != 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void
buf_consume(struct buf *b, size_t len)
{
	if (len >= b->len) {
		buf_reset(b);
		return;
	}
	memmove(b->data, b->data + len, b->len - len);
	b->len -= len;
	if (b->secret)
		secure_zero(b->data + b->len, len);
	b->data[b->len] = '\0';
}

const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *
buf_steal(struct buf *b)
{
	char *p = b->data != NULL ? b->data : xstrdup("");

	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	return p;
}
