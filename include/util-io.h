/* util-io: small helpers around read(2) and write(2), and the hex digits
 * every percent, quoted-printable and JSON decoder reads. */
#ifndef IMAPWB_UTIL_IO_H
#define IMAPWB_UTIL_IO_H

#include <stddef.h>

#include "util-buf.h"

/* Write all of text to fd, again after EINTR; 0, or -1 with errno set. */
int fd_write_all(int fd, const char *text);

/* Append the rest of fd to out, again after EINTR: 0 at its end, 1 when
 * out reached its maximum first, -1 with errno on a read error. */
int fd_read_all(int fd, struct buf *out);

/* The value of the hex digit c (either case), or -1. */
int hex_digit_value(unsigned char c);

#endif
