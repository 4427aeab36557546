/* util-buf: growable byte buffers with a hard cap (after curl's dynbuf). */
#ifndef IMAPWB_UTIL_BUF_H
#define IMAPWB_UTIL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Every buffer that may hold bytes from the network has a cap, so a
 * hostile peer cannot make memory follow what it announces. The contents
 * are always NUL-terminated for convenience, but may contain NULs. */
struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t max;
	bool secret; /* zero the memory whenever it is released */
};

void buf_init(struct buf *b, size_t max);
/* As buf_init, for bytes that hold a secret (zeroed on reset and free). */
void buf_init_secret(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
/* Empty it for reuse, keeping its memory unless that grew past keep
 * bytes (one huge use is not held for good). */
void buf_reset_keep(struct buf *b, size_t keep);

/* Make room for len more bytes (and the NUL) at once; 0, or -1 if the
 * cap would be exceeded (the buffer is unchanged). */
int buf_reserve(struct buf *b, size_t len);

/* Append; return 0, or -1 (and leave the buffer unchanged) if the cap
 * would be exceeded. */
int buf_append_slow(struct buf *b, const void *data, size_t len);

/* Inline while the bytes fit what is allocated: only a growth (or the
 * cap) takes the call. */
static inline int
buf_append(struct buf *b, const void *data, size_t len)
{
	if (len > 0 && len < b->alloc - b->len && len <= b->max - b->len) {
		memcpy(b->data + b->len, data, len);
		b->len += len;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_append_slow(b, data, len);
}

int buf_append_str(struct buf *b, const char *s);
int buf_append_byte_slow(struct buf *b, unsigned char c);

/* One byte; inline, for loops that append byte by byte: only a growth
 * (or the cap) takes the call. */
static inline int
buf_append_byte(struct buf *b, unsigned char c)
{
	if (b->len + 1 < b->alloc && b->len < b->max) {
		b->data[b->len++] = (char)c;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_append_byte_slow(b, c);
}
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Drop the first len bytes (all of them if len >= b->len). */
void buf_consume(struct buf *b, size_t len);

/* The contents as a C string; never NULL. */
const char *buf_str(const struct buf *b);

/* Move the contents out as a malloc'd string; the buffer becomes empty. */
char *buf_steal(struct buf *b);

#endif
