/* fuzz-check: what every fuzz target shares. See fuzz-check.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-check.h"
#include "imap-command.h"
#include "text-utf8.h"
#include "util-log.h"

bool fuzz_strict;

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "fuzz check failed: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	/* The replay's TAP output names the file, on stdout. */
	printf("# fuzz check failed\n");
	fflush(stdout);
	abort();
}

void
fuzz_strict_ok(bool decoded, const char *what, const char *error)
{
	if (fuzz_strict && !decoded)
		fuzz_fail("a real server's %s did not decode: %s", what,
		    error != NULL ? error : "(no reason)");
}

/* After an error the stream is out of sync: go on after the next LF. */
static size_t
resync(const uint8_t *data, size_t size, size_t off)
{
	const uint8_t *lf = memchr(data + off, '\n', size - off);

	return lf != NULL ? (size_t)(lf - data) + 1 : size;
}

void
fuzz_each_response(const uint8_t *data, size_t size,
    fuzz_response_fn *check, void *ctx)
{
	struct imap_parser *p = imap_parser_new(NULL);
	struct imap_parser *scratch = imap_parser_new(NULL);
	size_t off = 0;

	/* The decoders warn about odd input; the fuzzer needs no chatter. */
	log_set_level(LOG_LEVEL_ERROR);
	while (off < size) {
		const struct imap_response *resp = NULL;
		const char *err = NULL;
		size_t used = 0;
		enum imap_parse_result r;

		r = imap_parser_parse(p, data + off, size - off, &used, &resp,
		    &err);
		off += used;
		if (r == IMAP_PARSE_DONE)
			check(ctx, resp, scratch);
		else if (r == IMAP_PARSE_ERROR) {
			FUZZ_ASSERT(!fuzz_strict, "a real server's response "
			    "did not parse: %s", err);
			imap_parser_reset(p);
			off = resync(data, size, off);
		} else
			break;
	}
	imap_parser_free(&scratch);
	imap_parser_free(&p);
}

const struct imap_response *
fuzz_parse_one(struct imap_parser *p, const struct buf *text)
{
	const struct imap_response *resp = NULL;
	const char *err = NULL;
	size_t used = 0;
	enum imap_parse_result r;

	imap_parser_reset(p);
	r = imap_parser_parse(p, (const unsigned char *)text->data, text->len,
	    &used, &resp, &err);
	FUZZ_ASSERT(r == IMAP_PARSE_DONE && used == text->len,
	    "the value written back does not parse as one response (%s): "
	    "%.200s", r == IMAP_PARSE_ERROR ? err : "incomplete",
	    buf_str(text));
	return resp;
}

void
fuzz_response_name(const struct imap_response *resp, char *name, size_t size)
{
	const struct imap_arg *a;
	const char *atom;
	size_t i;

	name[0] = '\0';
	if (resp->count == 0)
		return;
	a = resp->args[0].type == IMAP_ARG_NUMBER && resp->count > 1
	    ? &resp->args[1] : &resp->args[0];
	if (!imap_arg_get_atom(a, &atom) || strlen(atom) >= size)
		return;
	for (i = 0; atom[i] != '\0'; i++)
		name[i] = (char)(atom[i] >= 'a' && atom[i] <= 'z'
		    ? atom[i] - 'a' + 'A' : atom[i]);
	name[i] = '\0';
}

/* RFC 9051 4.3: a quoted string cannot hold NUL, CR or LF. */
void
fuzz_write_nstring(struct buf *out, const char *s, size_t len)
{
	int r;

	if (s == NULL)
		r = buf_append_str(out, "NIL");
	else if (memchr(s, '\0', len) == NULL && memchr(s, '\r', len) == NULL &&
	    memchr(s, '\n', len) == NULL)
		r = imap_quote_append(out, s, len);
	else
		r = buf_printf(out, "{%zu}\r\n", len) != 0 ||
		    buf_append(out, s, len) != 0 ? -1 : 0;
	FUZZ_ASSERT(r == 0, "a round trip's text is over its cap");
}

void
fuzz_write_cstring(struct buf *out, const char *s)
{
	fuzz_write_nstring(out, s, s != NULL ? strlen(s) : 0);
}

void
fuzz_check_utf8(const char *what, const char *s, size_t len)
{
	FUZZ_ASSERT(text_utf8_is_valid(s, len), "%s is not valid UTF-8: "
	    "%.*s", what, (int)(len < 200 ? len : 200), s);
}

bool
fuzz_mem_equal(const void *a, size_t a_len, const void *b, size_t b_len)
{
	return a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0);
}

bool
fuzz_str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}
