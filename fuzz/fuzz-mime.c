/* fuzz-mime: MIME header text as servers send it (RFC 2047 encoded words,
 * RFC 2231 parameters) through the parser, text-mime and text-charset.
 *
 * Every string of every response is decoded as a header; every list of
 * strings as body parameters (filename, name), and every two adjacent
 * strings as a charset name and bytes in it. Checks: the output is valid
 * UTF-8 and bounded; text with no encoded word comes out as it went in,
 * line breaks removed and ill-formed UTF-8 replaced (the documented
 * rule, computed apart); a parameter is found exactly when one of its
 * forms is there, and a plain one with no encoded word is its value; a
 * charset iconv knows converts, one it does not is refused. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz-check.h"
#include "text-charset.h"
#include "text-mime.h"
#include "text-utf8.h"
#include "util-mem.h"

#define MIME_TEXT_MAX ((size_t)1 << 24)
/* A byte becomes at most two characters of 3 UTF-8 bytes (U+FFFD, a
 * single-byte charset's character and a combining mark); slack on top. */
#define MIME_GROWTH 8
#define MIME_SLACK 16

static bool
has_encoded_word(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++)
		if (s[i] == '=' && s[i + 1] == '?')
			return true;
	return false;
}

/* The documented result for text without encoded words. */
static void
expected_plain(const char *s, size_t len, struct buf *want)
{
	struct buf unfolded;
	size_t i;

	buf_init(&unfolded, MIME_TEXT_MAX);
	for (i = 0; i < len; i++)
		if (s[i] != '\r' && s[i] != '\n')
			buf_append_byte(&unfolded, (unsigned char)s[i]);
	text_utf8_append_sanitized(want, unfolded.data, unfolded.len);
	buf_free(&unfolded);
}

static void
check_header(const char *s, size_t len)
{
	struct buf out, want;

	buf_init(&out, MIME_TEXT_MAX);
	buf_init(&want, MIME_TEXT_MAX);
	FUZZ_ASSERT(text_mime_decode_header(s, len, &out) == 0,
	    "a header over the cap");
	fuzz_check_utf8("a decoded header", out.data, out.len);
	FUZZ_ASSERT(out.len <= MIME_GROWTH * len + MIME_SLACK,
	    "%zu bytes of header decode to %zu", len, out.len);
	if (!has_encoded_word(s, len)) {
		expected_plain(s, len, &want);
		FUZZ_ASSERT(fuzz_mem_equal(out.data, out.len, want.data,
		    want.len),
		    "\"%.100s\" has no encoded word, but decodes to \"%.100s\"",
		    s, buf_str(&out));
	}
	buf_free(&want);
	buf_free(&out);
}

/* RFC 2231: name*, name*0, name*0* or name (case-insensitive). */
static bool
param_there(const char *name, const struct text_mime_param *params,
    size_t count, bool *plain_only_r)
{
	size_t i, len = strlen(name);
	bool plain = false, starred = false;

	for (i = 0; i < count; i++) {
		const char *p = params[i].name;

		if (strncasecmp(p, name, len) != 0)
			continue;
		if (p[len] == '\0')
			plain = true;
		else if (strcmp(p + len, "*") == 0 ||
		    strcmp(p + len, "*0") == 0 || strcmp(p + len, "*0*") == 0)
			starred = true;
	}
	*plain_only_r = plain && !starred;
	return plain || starred;
}

/* The value of the first parameter called exactly name. */
static const char *
plain_value(const char *name, const struct text_mime_param *params,
    size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strcasecmp(params[i].name, name) == 0)
			return params[i].value;
	return NULL;
}

static void
check_param(const char *name, const struct text_mime_param *params,
    size_t count)
{
	struct buf out;
	const char *v;
	bool plain_only;
	bool there = param_there(name, params, count, &plain_only);
	int rc;

	buf_init(&out, MIME_TEXT_MAX);
	rc = text_mime_decode_param(name, params, count, &out);
	FUZZ_ASSERT(rc == (there ? 1 : 0), "parameter %s: %d, but it is %s",
	    name, rc, there ? "there" : "not there");
	fuzz_check_utf8("a decoded parameter", out.data, out.len);
	v = plain_value(name, params, count);
	if (plain_only && v != NULL && !has_encoded_word(v, strlen(v)) &&
	    text_utf8_is_valid(v, strlen(v)) && strpbrk(v, "\r\n") == NULL)
		FUZZ_ASSERT(strcmp(out.data, v) == 0, "plain parameter %s=\""
		    "%.100s\" decodes to \"%.100s\"", name, v, buf_str(&out));
	buf_free(&out);
}

static void
check_charset(const char *name, size_t name_len, const char *s, size_t len)
{
	struct buf out;
	const char *err = NULL;
	bool known;
	int rc;

	if (name_len > TEXT_CHARSET_NAME_MAX)
		return;
	known = text_charset_known(name, name_len);
	buf_init(&out, MIME_TEXT_MAX);
	rc = text_charset_to_utf8(name, name_len, s, len, &out, &err);
	FUZZ_ASSERT((rc == 0) == known, "charset \"%.*s\" is %sknown, but "
	    "converting %s", (int)name_len, name, known ? "" : "not ",
	    rc == 0 ? "worked" : err);
	if (rc == 0) {
		fuzz_check_utf8("converted text", out.data, out.len);
		FUZZ_ASSERT(out.len <= MIME_GROWTH * len + MIME_SLACK,
		    "%zu bytes of %.*s convert to %zu", len, (int)name_len,
		    name, out.len);
	}
	buf_free(&out);
}

/* A list of strings as name/value pairs, and each adjacent pair as a
 * charset and text. */
static void
check_list(const struct imap_arg *items, size_t n)
{
	struct text_mime_param *params;
	const char *s[2];
	size_t len[2], i;

	for (i = 0; i + 1 < n; i++)
		if (imap_arg_get_astring(&items[i], &s[0], &len[0]) &&
		    imap_arg_get_astring(&items[i + 1], &s[1], &len[1]))
			check_charset(s[0], len[0], s[1], len[1]);
	if (n == 0 || n % 2 != 0)
		return;
	params = xcalloc(n / 2, sizeof(*params));
	for (i = 0; i < n; i += 2)
		if (!imap_arg_get_astring(&items[i], &params[i / 2].name,
			NULL) ||
		    !imap_arg_get_astring(&items[i + 1], &params[i / 2].value,
			NULL)) {
			free(params);
			return;
		}
	check_param("filename", params, n / 2);
	check_param("name", params, n / 2);
	free(params);
}

static void
check_args(const struct imap_arg *args, size_t count)
{
	const char *s;
	size_t i, len;

	for (i = 0; i < count; i++) {
		if (args[i].type == IMAP_ARG_LIST) {
			check_list(args[i].u.list.args, args[i].u.list.count);
			check_args(args[i].u.list.args, args[i].u.list.count);
		} else if (imap_arg_get_astring(&args[i], &s, &len))
			check_header(s, len);
	}
}

static void
check_response(void *ctx, const struct imap_response *resp,
    struct imap_parser *scratch)
{
	(void)ctx;
	(void)scratch;
	check_args(resp->args, resp->count);
	if (resp->text != NULL)
		check_header(resp->text, strlen(resp->text));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_response(data, size, check_response, NULL);
	return 0;
}
