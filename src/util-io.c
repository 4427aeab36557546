/* util-io: small helpers around read(2) and write(2), and hex digits. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "util-io.h"

int
fd_write_all(int fd, const char *text)
{
	size_t len = strlen(text), done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

int
fd_read_all(int fd, struct buf *out)
{
	char chunk[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		if (buf_append(out, chunk, (size_t)n) != 0)
			return 1;
	}
}

int
hex_digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}
