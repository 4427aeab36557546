/* util-io: small helpers around read(2) and write(2), and the hex digits
 * every percent, quoted-printable and JSON decoder reads. */
#ifndef IMAPWB_UTIL_IO_H
#define IMAPWB_UTIL_IO_H

#include <stddef.h>

/* Write all of text to fd, again after EINTR; 0, or -1 with errno set. */
int fd_write_all(int fd, const char *text);

/* The value of the hex digit c (either case), or -1. */
int hex_digit_value(unsigned char c);

#endif
