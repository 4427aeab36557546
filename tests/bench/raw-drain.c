/* raw-drain: the server-bound floor for scripts/bench. Logs in, sends each
 * command given, and drains every reply until its tagged line, without
 * parsing: it only looks for "\r\nTAG " across reads. What it reads goes to
 * stdout in the blocks it came in (scripts/bench sends it to a file, as
 * imapwb's transcript goes). Plaintext, for the test bed on 127.0.0.1.
 *
 * Usage: raw-drain PORT USER PASSWORD-FILE COMMAND...
 * Exit 0 when every command ended with OK, 1 otherwise. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BLOCK (256 * 1024)

static unsigned char block[BLOCK];

static void
die(const char *what)
{
	fprintf(stderr, "raw-drain: %s\n", what);
	exit(2);
}

static void
send_all(int fd, const char *s, size_t len)
{
	ssize_t n;

	for (; len > 0; s += n, len -= (size_t)n)
		if ((n = write(fd, s, len)) <= 0)
			die("write failed");
}

/* Keep at most `room` bytes in `dst` (holding *len): append src. */
static void
keep(char *dst, size_t *len, size_t room, const void *src, size_t n)
{
	if (n > room - *len)
		n = room - *len;
	memcpy(dst + *len, src, n);
	*len += n;
}

/* Read until a line starting with `tag` (NULL: the greeting) has fully
 * arrived; return whether that line said OK. The tag is looked for as
 * "\r\nTAG " in the bytes read, across reads (a carry of the last bytes). */
static int
drain(int fd, const char *tag)
{
	char want[32], ok[40], carry[128], joined[256], line[256];
	size_t want_len, carry_len = 2, line_len = 0, head;
	const char *hit;
	bool ended = false; /* the tagged line's LF has come */
	bool in_block;
	ssize_t n;

	snprintf(want, sizeof(want), "\r\n%s ", tag ? tag : "*");
	snprintf(ok, sizeof(ok), "%sOK", want);
	want_len = strlen(want);
	memcpy(carry, "\r\n", 2); /* the reply starts at a line start */
	for (;;) {
		if ((n = read(fd, block, sizeof(block))) <= 0)
			die("the server closed the connection");
		if (fwrite(block, 1, (size_t)n, stdout) != (size_t)n)
			die("writing stdout failed");
		if (line_len > 0) {
			keep(line, &line_len, sizeof(line), block, (size_t)n);
			ended = memchr(block, '\n', (size_t)n) != NULL;
		} else {
			head = (size_t)n < 64 ? (size_t)n : 64;
			memcpy(joined, carry, carry_len);
			memcpy(joined + carry_len, block, head);
			in_block = false;
			hit = memmem(joined, carry_len + head, want, want_len);
			if (hit != NULL && hit >= joined + carry_len) {
				hit = (const char *)block + (hit - joined -
				    carry_len);
				in_block = true;
			} else if (hit == NULL) {
				hit = memmem(block, (size_t)n, want, want_len);
				in_block = hit != NULL;
			}
			if (in_block) {
				/* the tag begins in this block */
				keep(line, &line_len, sizeof(line), hit,
				    (size_t)((const char *)block + n - hit));
				ended = memchr(hit + 2, '\n', (size_t)(
				    (const char *)block + n - hit - 2)) != NULL;
			} else if (hit != NULL) {
				/* it straddles: `in` bytes of it are here */
				size_t in = want_len - (size_t)(joined +
				    carry_len - hit);

				keep(line, &line_len, sizeof(line), hit,
				    (size_t)(joined + carry_len - hit));
				keep(line, &line_len, sizeof(line), block,
				    (size_t)n);
				ended = memchr(block + in, '\n',
				    (size_t)n - in) != NULL;
			}
			/* the last 64 bytes seen, for the next read */
			memcpy(joined, carry, carry_len);
			memcpy(joined + carry_len, block, head);
			if ((size_t)n >= 64)
				memcpy(carry, block + n - 64, carry_len = 64);
			else {
				size_t all = carry_len + head;

				carry_len = all < 64 ? all : 64;
				memmove(carry, joined + all - carry_len,
				    carry_len);
			}
		}
		if (ended)
			return tag == NULL ||
			    memcmp(line, ok, strlen(ok)) == 0;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	char pw[256], line[1024], tag[16];
	FILE *f;
	int fd, i, all_ok = 1;

	if (argc < 4)
		die("usage: raw-drain PORT USER PASSWORD-FILE COMMAND...");
	if ((f = fopen(argv[3], "r")) == NULL || fgets(pw, sizeof(pw), f) ==
	    NULL)
		die("cannot read the password file");
	fclose(f);
	pw[strcspn(pw, "\r\n")] = '\0';
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)strtoul(argv[1], NULL, 10));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("cannot connect");
	drain(fd, NULL);
	snprintf(line, sizeof(line), "l LOGIN \"%s\" \"%s\"\r\n", argv[2], pw);
	send_all(fd, line, strlen(line));
	if (!drain(fd, "l"))
		die("LOGIN failed");
	for (i = 4; i < argc; i++) {
		snprintf(tag, sizeof(tag), "r%d", i - 3);
		snprintf(line, sizeof(line), "%s %s\r\n", tag, argv[i]);
		send_all(fd, line, strlen(line));
		if (!drain(fd, tag))
			all_ok = 0;
	}
	send_all(fd, "z LOGOUT\r\n", 10);
	drain(fd, "z");
	close(fd);
	fflush(stdout);
	return all_ok ? 0 : 1;
}
