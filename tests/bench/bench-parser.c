/* Benchmark for imap-parser alone: a generated, deterministic stream of N
 * "* n FETCH (UID FLAGS RFC822.SIZE ENVELOPE)" responses, shaped like
 * Dovecot's (quoted strings, NILs, address lists, a long subject now and
 * then as a literal, escapes in some), fed to the parser in 64 KiB chunks
 * as the client reads them. Prints MB/s (best of a few runs), and checks
 * that the trees are the same as when the stream is fed one byte at a time.
 *
 * Usage: bench-parser [N [--no-check]]   (default 100000; --no-check
 * leaves the byte-at-a-time parse out, for a profiler; one line on stdout:
 * "N<TAB>bytes<TAB>seconds<TAB>MB/s<TAB>same|DIFFERENT").
 * tests/bench/run runs it and prints it with the index benchmark. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-measure.h"
#include "fake-summary.h"
#include "imap-parser.h"
#include "util-buf.h"

#define CHUNK (64u * 1024)
#define TIMED_RUNS 5

static void
die(const char *what)
{
	fprintf(stderr, "bench-parser: %s\n", what);
	exit(1);
}

static void
append(struct buf *b, const char *s)
{
	if (buf_append_str(b, s) != 0)
		die("stream too large");
}

/* A quoted string, or a literal when it is long (as Dovecot does). */
static void
append_string(struct buf *b, const char *s)
{
	char head[32];
	const char *c;

	if (strlen(s) > 60) {
		snprintf(head, sizeof(head), "{%zu}\r\n", strlen(s));
		append(b, head);
		append(b, s);
		return;
	}
	append(b, "\"");
	for (c = s; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			append(b, "\\");
		if (buf_append(b, c, 1) != 0)
			die("stream too large");
	}
	append(b, "\"");
}

/* One address, ("Name" NIL "local" "domain"), from what fake_summary
 * makes: a display name alone ("First Last", whose address is made up from
 * it) or a bare address. */
static void
append_address(struct buf *b, const char *from)
{
	char local[128];
	const char *at = strchr(from, '@');
	size_t i;

	append(b, "(");
	if (at == NULL) {
		append_string(b, from);
		snprintf(local, sizeof(local), "%s", from);
		for (i = 0; local[i] != '\0'; i++)
			if (local[i] == ' ')
				local[i] = '.';
	} else {
		append(b, "NIL");
		snprintf(local, sizeof(local), "%.*s", (int)(at - from), from);
	}
	append(b, " NIL ");
	append_string(b, local);
	append(b, " ");
	append_string(b, at == NULL ? "example.net" : at + 1);
	append(b, ")");
}

static void
append_message(struct buf *b, uint32_t i)
{
	static const char *const flags[] = { "\\Seen", "", "\\Seen \\Answered",
		"\\Seen", "\\Flagged \\Seen", "\\Seen" };
	char from[128], to[128], subject[256], line[256];
	uint32_t k, tos = 1 + fake_rng(3);

	fake_summary(i, 5000, from, sizeof(from), subject, sizeof(subject));
	if (fake_rng(10) == 0) /* a long folded subject: a literal */
		snprintf(subject + strlen(subject),
		    sizeof(subject) - strlen(subject),
		    " -- with a \"quoted\" part and a tail that makes it long");
	snprintf(line, sizeof(line), "* %" PRIu32 " FETCH (UID %" PRIu32
	    " FLAGS (%s) RFC822.SIZE %" PRIu32 " ENVELOPE (\"%s, %u %s 2025 "
	    "%02u:%02u:%02u +0100\" ", i, i * 2 + 7, flags[i % 6],
	    800 + fake_rng(60000), (const char *[]){ "Mon", "Tue", "Wed",
		"Thu", "Fri" }[i % 5], 1 + i % 28,
	    (const char *[]){ "Jan", "Feb", "Mar", "Apr" }[i % 4],
	    fake_rng(24), fake_rng(60), fake_rng(60));
	append(b, line);
	append_string(b, subject);
	append(b, " (");
	append_address(b, from); /* from, sender, reply-to */
	append(b, ") (");
	append_address(b, from);
	append(b, ") (");
	append_address(b, from);
	append(b, ") (");
	for (k = 0; k < tos; k++) {
		fake_summary(i + 7919 * (k + 1), 5000, to, sizeof(to), line,
		    sizeof(line));
		append_address(b, to);
	}
	append(b, ") NIL NIL ");
	if (fake_rng(4) == 0) {
		snprintf(line, sizeof(line), "\"<bench.%" PRIu32
		    "@imapwb.example>\"", fake_rng(i + 1));
		append(b, line);
	} else
		append(b, "NIL");
	snprintf(line, sizeof(line), " \"<bench.%" PRIu32 ".%" PRIu32
	    "@imapwb.example>\"))\r\n", i, fake_rng(1u << 30));
	append(b, line);
}

static void
make_stream(struct buf *b, uint32_t n)
{
	uint32_t i;

	fake_rng_seed(12);
	append(b, "* OK [CAPABILITY IMAP4rev1] ready\r\n");
	for (i = 1; i <= n; i++)
		append_message(b, i);
	append(b, "a1 OK Fetch completed (0.001 + 0.000 secs).\r\n");
}

/* --- a checksum of the trees, to compare two ways of feeding --------- */

static uint64_t
mix(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t
mix_str(uint64_t h, const char *s)
{
	return s == NULL ? mix(h, "\1", 1) : mix(h, s, strlen(s) + 1);
}

static uint64_t
hash_args(uint64_t h, const struct imap_arg *args, size_t count)
{
	size_t i;

	h = mix(h, &count, sizeof(count));
	for (i = 0; i < count; i++) {
		const struct imap_arg *a = &args[i];

		h = mix(h, &a->type, sizeof(a->type));
		h = mix(h, a->text, a->text_len);
		h = mix(h, &a->text_len, sizeof(a->text_len));
		if (a->type == IMAP_ARG_NUMBER)
			h = mix(h, &a->u.number, sizeof(a->u.number));
		else if (a->type == IMAP_ARG_LIST)
			h = hash_args(h, a->u.list.args, a->u.list.count);
	}
	return h;
}

static uint64_t
hash_response(uint64_t h, const struct imap_response *r)
{
	h = mix(h, &r->kind, sizeof(r->kind));
	h = mix(h, &r->status, sizeof(r->status));
	h = mix_str(h, r->tag);
	h = mix_str(h, r->code);
	h = mix_str(h, r->code_args);
	h = mix_str(h, r->text);
	h = mix(h, r->raw, r->raw_len);
	return hash_args(h, r->args, r->count);
}

/* Feed the stream in pieces of `chunk` bytes; the number of responses, and
 * their checksum when hash_r is not NULL. */
static size_t
parse_stream(const unsigned char *data, size_t len, size_t chunk,
    uint64_t *hash_r)
{
	struct imap_parser *p = imap_parser_new(NULL);
	const struct imap_response *resp;
	const char *error;
	size_t at, off, n, used, responses = 0;
	uint64_t h = 0xcbf29ce484222325ull;

	for (at = 0; at < len; at += n) {
		n = len - at < chunk ? len - at : chunk;
		for (off = 0; off < n; off += used) {
			switch (imap_parser_parse(p, data + at + off, n - off,
			    &used, &resp, &error)) {
			case IMAP_PARSE_DONE:
				responses++;
				if (hash_r != NULL)
					h = hash_response(h, resp);
				break;
			case IMAP_PARSE_NEED_MORE:
				break;
			case IMAP_PARSE_ERROR:
				fprintf(stderr, "bench-parser: at byte %zu: "
				    "%s\n", at + off, error);
				exit(1);
			}
		}
	}
	imap_parser_free(&p);
	if (hash_r != NULL)
		*hash_r = h;
	return responses;
}

int
main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 100000;
	struct buf stream;
	const unsigned char *data;
	uint64_t h_chunks, h_bytes;
	double best = 0, t;
	size_t len, i;

	if (n == 0)
		die("usage: bench-parser [N]");
	buf_init(&stream, (size_t)1 << 31);
	make_stream(&stream, n);
	data = (const unsigned char *)stream.data;
	len = stream.len;

	if (argc > 2 && strcmp(argv[2], "--no-check") == 0)
		h_chunks = h_bytes = 0;
	else if (parse_stream(data, len, CHUNK, &h_chunks) != (size_t)n + 2 ||
	    parse_stream(data, len, 1, &h_bytes) != (size_t)n + 2)
		die("wrong number of responses");
	for (i = 0; i < TIMED_RUNS; i++) {
		t = bench_wall();
		parse_stream(data, len, CHUNK, NULL);
		t = bench_wall() - t;
		if (i == 0 || t < best)
			best = t;
	}
	printf("%" PRIu32 "\t%zu\t%.4f\t%.0f\t%s\n", n, len, best,
	    (double)len / best / 1e6, h_chunks == h_bytes ? "same" :
	    "DIFFERENT");
	buf_free(&stream);
	return h_chunks == h_bytes ? 0 : 1;
}
