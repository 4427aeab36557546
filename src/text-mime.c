/* text-mime: RFC 2047 encoded words and RFC 2231 parameter values. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "text-charset.h"
#include "text-mime.h"
#include "text-utf8.h"
#include "util-mem.h"
#include "util-io.h"
#include "util-word.h"

/* One "=?charset?encoding?text?=" found in the input. */
struct mime_word {
	const char *charset; /* without an RFC 2231 "*language" */
	size_t charset_len;
	char encoding; /* 'B' or 'Q' */
	const char *text;
	size_t text_len;
	size_t len; /* of the whole word */
};

/* The header decoder's state. Decoded words wait in `run` as bytes until
 * something other than another word in the same charset comes, so a
 * character split across adjacent words is converted whole; whitespace
 * after a word waits in `ws` until we know whether a word follows. */
struct mime_decoder {
	struct buf *out;
	struct buf run;
	const char *run_charset;
	size_t run_charset_len;
	struct buf word;
	const char *ws;
	size_t ws_len;
	bool after_word;
};

/* One section of an RFC 2231 parameter value. */
struct mime_section {
	const char *value;
	bool extended; /* percent-encoded ("name*" or "name*N*") */
};

static bool
mime_is_wsp(char c)
{
	return c == ' ' || c == '\t';
}


/* Length of the run of characters that may appear in an encoded word's
 * charset or text field (RFC 2047 2: printable ASCII, no space or "?"). */
static size_t
mime_field_len(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '?')
			break;
	return i;
}

/* Recognize an encoded word at s (RFC 2047 2, with the RFC 2231 5
 * language suffix on the charset). */
static bool
mime_word_parse(const char *s, size_t len, struct mime_word *w)
{
	const char *star;
	size_t n, pos;

	if (len < 2 || s[0] != '=' || s[1] != '?')
		return false;
	pos = 2;
	n = mime_field_len(s + pos, len - pos);
	if (n == 0 || pos + n + 3 > len || s[pos + n] != '?')
		return false;
	w->charset = s + pos;
	star = memchr(w->charset, '*', n);
	w->charset_len = star != NULL ? (size_t)(star - w->charset) : n;
	pos += n + 1;
	w->encoding = s[pos] == 'b' ? 'B' : s[pos] == 'q' ? 'Q' : s[pos];
	if ((w->encoding != 'B' && w->encoding != 'Q') || s[pos + 1] != '?')
		return false;
	pos += 2;
	n = mime_field_len(s + pos, len - pos);
	if (pos + n + 2 > len || s[pos + n] != '?' || s[pos + n + 1] != '=')
		return false;
	w->text = s + pos;
	w->text_len = n;
	w->len = pos + n + 2;
	return true;
}

/* RFC 2045 6.8 base64, decoded by OpenSSL. Missing padding is tolerated,
 * as every MUA does; a character outside the alphabet, data after "=", or
 * one digit too many at the end (six bits: no octet) makes the word
 * broken. */
static bool
mime_is_base64(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

/* An encoded word is at most 75 characters (RFC 2047 2); a longer one
 * is decoded in the heap. */
#define MIME_B_STACK 256

static bool
mime_b_decode(const char *s, size_t len, struct buf *out)
{
	char padded_stack[MIME_B_STACK + 1];
	unsigned char bytes_stack[MIME_B_STACK / 4 * 3 + 1];
	size_t data, i, full;
	unsigned char *bytes;
	char *padded;
	bool ok;
	int n;

	for (data = 0; data < len && mime_is_base64(s[data]); data++)
		;
	for (i = data; i < len; i++)
		if (s[i] != '=')
			return false;
	if (data % 4 == 1)
		return false;
	/* EVP_DecodeBlock wants whole quanta and counts padding as zeros */
	full = (data + 3) / 4 * 4;
	padded = full <= MIME_B_STACK ? padded_stack : xmalloc(full + 1);
	bytes = full <= MIME_B_STACK ? bytes_stack :
	    xmalloc(full / 4 * 3 + 1);
	memcpy(padded, s, data);
	memset(padded + data, '=', full - data);
	n = full == 0 ? 0 :
	    EVP_DecodeBlock(bytes, (const unsigned char *)padded, (int)full);
	ok = n >= (int)(full - data) &&
	    buf_append(out, bytes, (size_t)n - (full - data)) == 0;
	if (padded != padded_stack) {
		free(padded);
		free(bytes);
	}
	return ok;
}

/* RFC 2047 4.2: "_" is a space and "=XX" an octet in hex. */
static bool
mime_q_decode(const char *s, size_t len, struct buf *out)
{
	size_t i;
	int hi, lo;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '_')
			c = ' ';
		else if (c == '=') {
			if (i + 2 >= len ||
			    (hi = hex_digit_value(
				(unsigned char)s[i + 1])) < 0 ||
			    (lo = hex_digit_value(
				(unsigned char)s[i + 2])) < 0)
				return false;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (buf_append_byte(out, c) != 0)
			return false;
	}
	return true;
}

/* Convert the bytes of the pending words, if any, and append them. */
static int
mime_flush_run(struct mime_decoder *d)
{
	const char *error;
	int rc = 0;

	if (d->run_charset != NULL)
		rc = text_charset_to_utf8(d->run_charset, d->run_charset_len,
		    buf_str(&d->run), d->run.len, d->out, &error);
	d->run_charset = NULL;
	buf_reset(&d->run);
	return rc;
}

static int
mime_flush_ws(struct mime_decoder *d)
{
	int rc = buf_append(d->out, d->ws, d->ws_len);

	d->ws_len = 0;
	return rc;
}

/* Text that is not an encoded word: it ends the pending words. */
static int
mime_put_literal(struct mime_decoder *d, const char *s, size_t len)
{
	d->after_word = false;
	if (mime_flush_run(d) != 0 || mime_flush_ws(d) != 0)
		return -1;
	return text_utf8_append_sanitized(d->out, s, len);
}

/* A decoded word (its bytes in d->word). RFC 2047 6.2: whitespace between
 * two encoded words is not shown. */
static int
mime_put_word(struct mime_decoder *d, const struct mime_word *w)
{
	bool same = d->run_charset != NULL &&
	    d->run_charset_len == w->charset_len &&
	    strncasecmp(d->run_charset, w->charset, w->charset_len) == 0;

	if (d->after_word)
		d->ws_len = 0;
	else if (mime_flush_ws(d) != 0)
		return -1;
	if (!same) {
		if (mime_flush_run(d) != 0)
			return -1;
		d->run_charset = w->charset;
		d->run_charset_len = w->charset_len;
	}
	d->after_word = true;
	return buf_append(&d->run, buf_str(&d->word), d->word.len);
}

/* Decode the encoded word at s if there is one we can decode: return its
 * length, or 0 if the text there is to be shown as it is. */
static size_t
mime_try_word(struct mime_decoder *d, const char *s, size_t len,
    struct mime_word *w)
{
	bool ok;

	if (!mime_word_parse(s, len, w) ||
	    !text_charset_known(w->charset, w->charset_len))
		return 0;
	buf_reset(&d->word);
	ok = w->encoding == 'B' ? mime_b_decode(w->text, w->text_len, &d->word)
				: mime_q_decode(w->text, w->text_len, &d->word);
	return ok ? w->len : 0;
}

/* Length of the literal text at s: up to whitespace or the next "=?",
 * but at least one byte, so a failed word is taken as text. */
static size_t
mime_literal_len(const char *s, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++)
		if (mime_is_wsp(s[i]) || (s[i] == '=' && i + 1 < len &&
		    s[i + 1] == '?'))
			break;
	return i;
}

static int
mime_decode_unfolded(struct mime_decoder *d, const char *s, size_t len)
{
	struct mime_word w;
	size_t i = 0, n;

	while (i < len) {
		if (mime_is_wsp(s[i])) {
			for (n = 0; i + n < len && mime_is_wsp(s[i + n]); n++)
				;
			if (d->ws_len == 0)
				d->ws = s + i;
			d->ws_len += n;
		} else if ((n = mime_try_word(d, s + i, len - i, &w)) > 0) {
			if (mime_put_word(d, &w) != 0)
				return -1;
		} else {
			n = mime_literal_len(s + i, len - i);
			if (mime_put_literal(d, s + i, n) != 0)
				return -1;
		}
		i += n;
	}
	if (mime_flush_run(d) != 0)
		return -1;
	return mime_flush_ws(d);
}

/* RFC 5322 2.2.3: unfolding removes the CRLF before folding whitespace.
 * A header value is one line, so a stray CR or LF elsewhere goes too. */
static void
mime_unfold(const char *in, size_t len, struct buf *out)
{
	size_t i, start = 0;

	for (i = 0; i < len; i++) {
		if (in[i] != '\r' && in[i] != '\n')
			continue;
		(void)buf_append(out, in + start, i - start);
		start = i + 1;
	}
	(void)buf_append(out, in + start, len - start);
}

bool
text_mime_header_is_plain(const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	bool ascii = true;
	uint64_t x;
	size_t i;

	/* Eight bytes at a time while none is a control, non-ASCII or '=';
	 * the rest byte by byte. */
	for (i = 0; i + 8 <= len; i += 8) {
		x = word_load(s + i);
		if ((word_has_below(x, 0x20) | (x & WORD_HIGHS) |
		    word_bytes_equal(x, '=')) != 0)
			break;
	}
	for (; i < len; i++) {
		if (s[i] == '\r' || s[i] == '\n' ||
		    (s[i] == '=' && i + 1 < len && s[i + 1] == '?'))
			return false;
		if (s[i] >= 0x80)
			ascii = false;
	}
	return ascii || text_utf8_is_valid(in, len);
}

/* The decoder's scratch buffers, kept from one header to the next: a
 * FETCH of 100k envelopes decodes a few hundred thousand names, and two
 * allocations each were a good part of it. One thread, as the charset
 * cache; a buffer that grew past MIME_SCRATCH_KEEP is given back. */
static struct buf scratch_run, scratch_word;

#define MIME_SCRATCH_KEEP (64u * 1024)

static void
scratch_take(struct buf *b, struct buf *kept, size_t max)
{
	*b = *kept;
	memset(kept, 0, sizeof(*kept));
	buf_reset(b);
	b->max = max;
}

static void
scratch_give(struct buf *b, struct buf *kept)
{
	buf_reset_keep(b, MIME_SCRATCH_KEEP);
	*kept = *b;
}

int
text_mime_decode_header(const char *in, size_t len, struct buf *out)
{
	struct mime_decoder d;
	struct buf unfolded;
	size_t before = out->len;
	int rc;

	/* Most names and subjects: no copies, no decoder. */
	if (text_mime_header_is_plain(in, len))
		return buf_append(out, in, len);
	buf_init(&unfolded, len);
	if (memchr(in, '\r', len) != NULL || memchr(in, '\n', len) != NULL) {
		mime_unfold(in, len, &unfolded);
		in = buf_str(&unfolded);
		len = unfolded.len;
	}
	/* Decode into out, and take it all back if out fills up. */
	memset(&d, 0, sizeof(d));
	d.out = out;
	scratch_take(&d.run, &scratch_run, len);
	scratch_take(&d.word, &scratch_word, len);
	rc = mime_decode_unfolded(&d, in, len);
	if (rc != 0 && out->data != NULL) {
		out->len = before;
		out->data[before] = '\0';
	}
	scratch_give(&d.word, &scratch_word);
	scratch_give(&d.run, &scratch_run);
	buf_free(&unfolded);
	return rc;
}

/* If pname is `name` followed by suffix (case-insensitive), true. */
static bool
mime_param_is(const char *pname, const char *name, size_t name_len,
    const char *suffix)
{
	return strncasecmp(pname, name, name_len) == 0 &&
	    strcasecmp(pname + name_len, suffix) == 0;
}

/* If pname is `name` "*" section ["*"] (RFC 2231 3: "*0", or a number
 * without leading zeros), its section number and whether it is
 * percent-encoded. */
static bool
mime_param_section(const char *pname, const char *name, size_t name_len,
    size_t *section_r, bool *extended_r)
{
	const char *p;
	char *end;
	unsigned long n;

	if (strncasecmp(pname, name, name_len) != 0 || pname[name_len] != '*')
		return false;
	p = pname + name_len + 1;
	if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
		return false;
	n = strtoul(p, &end, 10);
	if (*end == '*') {
		*extended_r = true;
		end++;
	} else
		*extended_r = false;
	*section_r = n;
	return *end == '\0';
}

static const struct text_mime_param *
mime_param_find(const char *name, size_t name_len, const char *suffix,
    const struct text_mime_param *params, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (params[i].name != NULL &&
		    mime_param_is(params[i].name, name, name_len, suffix))
			return &params[i];
	return NULL;
}

/* The value of section n of a continued parameter, or NULL. */
static const struct text_mime_param *
mime_param_find_section(const char *name, size_t name_len, size_t n,
    const struct text_mime_param *params, size_t count, bool *extended_r)
{
	size_t i, section;

	for (i = 0; i < count; i++)
		if (params[i].name != NULL &&
		    mime_param_section(params[i].name, name, name_len,
			&section, extended_r) &&
		    section == n)
			return &params[i];
	return NULL;
}

/* Gather the sections of the parameter, in the order the lookup in
 * text_mime_decode_param() describes; return how many (0: absent). */
static size_t
mime_param_sections(const char *name, const struct text_mime_param *params,
    size_t count, struct mime_section *sections)
{
	const struct text_mime_param *p;
	size_t len = strlen(name), n;
	bool extended;

	if ((p = mime_param_find(name, len, "*", params, count)) != NULL) {
		sections[0].value = p->value;
		sections[0].extended = true;
		return 1;
	}
	/* RFC 2231 3: sections may come in any order; a gap ends them. */
	for (n = 0; n < count; n++) {
		p = mime_param_find_section(name, len, n, params, count,
		    &extended);
		if (p == NULL)
			break;
		sections[n].value = p->value;
		sections[n].extended = extended;
	}
	if (n > 0)
		return n;
	if ((p = mime_param_find(name, len, "", params, count)) != NULL) {
		sections[0].value = p->value;
		sections[0].extended = false;
		return 1;
	}
	return 0;
}

/* RFC 2231 4: "%XX" is an octet; a "%" not followed by two hex digits is
 * taken literally. */
static int
mime_percent_decode(const char *s, size_t len, struct buf *out)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = hex_digit_value((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hex_digit_value((unsigned char)s[i + 2])) >= 0) {
			if (buf_append_byte(out,
			    (unsigned char)(hi << 4 | lo)) != 0)
				return -1;
			i += 2;
		} else if (buf_append_byte(out, (unsigned char)s[i]) != 0)
			return -1;
	}
	return 0;
}

static const char *
mime_section_value(const struct mime_section *s)
{
	return s->value != NULL ? s->value : "";
}

/* Join the sections' octets, percent-decoding the extended ones. An
 * extended first section starts with charset'language' (RFC 2231 4):
 * the charset goes to *charset_r, the language is of no use here. */
static int
mime_join_sections(const struct mime_section *sec, size_t n,
    struct buf *raw, const char **charset_r, size_t *charset_len_r)
{
	const char *v, *q1, *q2;
	size_t i;

	for (i = 0; i < n; i++) {
		v = mime_section_value(&sec[i]);
		if (!sec[i].extended) {
			if (buf_append_str(raw, v) != 0)
				return -1;
			continue;
		}
		if (i == 0 && (q1 = strchr(v, '\'')) != NULL &&
		    (q2 = strchr(q1 + 1, '\'')) != NULL) {
			*charset_r = v;
			*charset_len_r = (size_t)(q1 - v);
			v = q2 + 1;
		}
		if (mime_percent_decode(v, strlen(v), raw) != 0)
			return -1;
	}
	return 0;
}

/* The sections joined as they came: how a value in an unknown charset
 * is shown. */
static int
mime_append_as_is(const struct mime_section *sec, size_t n, struct buf *out)
{
	const char *v;
	size_t i;

	for (i = 0; i < n; i++) {
		v = mime_section_value(&sec[i]);
		if (text_utf8_append_sanitized(out, v, strlen(v)) != 0)
			return -1;
	}
	return 0;
}

static bool
mime_any_extended(const struct mime_section *sec, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sec[i].extended)
			return true;
	return false;
}

static int
mime_param_decode(const struct mime_section *sec, size_t n, struct buf *out)
{
	const char *charset = NULL, *error;
	size_t charset_len = 0;
	struct buf raw;
	int rc;

	buf_init(&raw, out->max);
	if (mime_join_sections(sec, n, &raw, &charset, &charset_len) != 0)
		rc = -1;
	else if (charset_len > 0 && !text_charset_known(charset, charset_len))
		rc = mime_append_as_is(sec, n, out);
	else if (charset_len > 0)
		rc = text_charset_to_utf8(charset, charset_len, buf_str(&raw),
		    raw.len, out, &error);
	else if (mime_any_extended(sec, n))
		/* No charset given: UTF-8 is the only sane guess today. */
		rc = text_utf8_append_sanitized(out, buf_str(&raw), raw.len);
	else
		rc = text_mime_decode_header(buf_str(&raw), raw.len, out);
	buf_free(&raw);
	return rc;
}

int
text_mime_decode_param(const char *name,
    const struct text_mime_param *params, size_t count, struct buf *out)
{
	struct mime_section *sec;
	struct buf result;
	size_t n;
	int rc;

	if (count == 0)
		return 0;
	sec = xcalloc(count, sizeof(*sec));
	n = mime_param_sections(name, params, count, sec);
	if (n == 0) {
		free(sec);
		return 0;
	}
	buf_init(&result, out->max - out->len);
	rc = mime_param_decode(sec, n, &result);
	if (rc == 0)
		rc = buf_append(out, buf_str(&result), result.len);
	buf_free(&result);
	free(sec);
	return rc == 0 ? 1 : -1;
}
