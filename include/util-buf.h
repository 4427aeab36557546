/* util-buf: growable byte buffers with a hard cap (after curl's dynbuf). */
#ifndef IMAPWB_UTIL_BUF_H
#define IMAPWB_UTIL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

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

/* Append; return 0, or -1 (and leave the buffer unchanged) if the cap
 * would be exceeded. */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_append_str(struct buf *b, const char *s);
int buf_append_byte(struct buf *b, unsigned char c);
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
