/* text-mutf7: IMAP's modified UTF-7 mailbox names, to and from UTF-8. */
#include "config.h"

#include <stdint.h>

#include <string.h>

#include "text-mutf7.h"
#include "util-mem.h"
#include "text-utf8.h"

/* RFC 3501 5.1.3: modified BASE64 is RFC 2045 base64 with "," in place
 * of "/" and no "=" padding. */
static const char mutf7_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

enum mutf7_result {
	MUTF7_OK,
	MUTF7_INVALID,
	MUTF7_FULL,
};

/* The state inside one shift ("&...-"): base64 bits not yet used, and a
 * high surrogate waiting for its low half. */
struct mutf7_decoder {
	uint32_t bits;
	unsigned int nbits;
	uint32_t high;
};

struct mutf7_encoder {
	struct buf *out;
	uint32_t bits;
	unsigned int nbits;
	bool shifted;
};

static int
mutf7_b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == ',')
		return 63;
	return -1;
}

/* RFC 3501 5.1.3: printable US-ASCII stands for itself, and only it. */
static bool
mutf7_is_direct(uint32_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* Take one UTF-16 code unit from a shift. A unit that is a lone
 * surrogate, U+0000 (no IMAP string can hold it) or a character that
 * must be written directly makes the name invalid. */
static enum mutf7_result
mutf7_unit(struct mutf7_decoder *d, uint32_t u, struct buf *out)
{
	uint32_t cp;

	if (d->high != 0) {
		if (u < 0xdc00 || u > 0xdfff)
			return MUTF7_INVALID;
		cp = 0x10000 + ((d->high - 0xd800) << 10) + (u - 0xdc00);
		d->high = 0;
	} else if (u >= 0xd800 && u <= 0xdbff) {
		d->high = u;
		return MUTF7_OK;
	} else if ((u >= 0xdc00 && u <= 0xdfff) || u == 0 ||
	    mutf7_is_direct(u))
		return MUTF7_INVALID;
	else
		cp = u;
	return text_utf8_append_cp(out, cp) == 0 ? MUTF7_OK : MUTF7_FULL;
}

/* Decode the base64 after an "&" through its closing "-", and say how
 * many bytes that took. RFC 3501 5.1.3: there is no implicit shift back,
 * so the "-" must be there; the bits left over must be fewer than six
 * and zero, or the encoder wrote something it should not have. */
static enum mutf7_result
mutf7_decode_shift(const unsigned char *s, size_t len, struct buf *out,
    size_t *used_r)
{
	struct mutf7_decoder d = { 0, 0, 0 };
	enum mutf7_result r;
	size_t i;
	int v;

	for (i = 0; i < len && s[i] != '-'; i++) {
		if ((v = mutf7_b64_value(s[i])) < 0)
			return MUTF7_INVALID;
		d.bits = (d.bits << 6) | (uint32_t)v;
		d.nbits += 6;
		if (d.nbits < 16)
			continue;
		d.nbits -= 16;
		r = mutf7_unit(&d, (d.bits >> d.nbits) & 0xffff, out);
		if (r != MUTF7_OK)
			return r;
		d.bits &= (1U << d.nbits) - 1;
	}
	if (i == len || d.nbits >= 6 || d.bits != 0 || d.high != 0)
		return MUTF7_INVALID;
	*used_r = i + 1;
	return MUTF7_OK;
}

static enum mutf7_result
mutf7_decode_all(const unsigned char *s, size_t len, struct buf *out)
{
	enum mutf7_result r;
	size_t i = 0, used;

	while (i < len) {
		if (s[i] != '&') {
			if (!mutf7_is_direct(s[i]))
				return MUTF7_INVALID;
			if (buf_append_byte(out, s[i++]) != 0)
				return MUTF7_FULL;
		} else if (i + 1 < len && s[i + 1] == '-') {
			if (buf_append_byte(out, '&') != 0)
				return MUTF7_FULL;
			i += 2;
		} else {
			r = mutf7_decode_shift(s + i + 1, len - i - 1, out,
			    &used);
			if (r != MUTF7_OK)
				return r;
			i += 1 + used;
			/* RFC 3501 5.1.3: no null shift "-&": two shifts
			 * in a row must have been one. "-&-" is an "&". */
			if (i + 1 < len && s[i] == '&' && s[i + 1] != '-')
				return MUTF7_INVALID;
		}
	}
	return MUTF7_OK;
}

int
text_mutf7_decode(const char *in, size_t len, struct buf *out,
    bool *invalid_r)
{
	enum mutf7_result r;
	struct buf tmp;
	int rc;

	/* Decode aside, so an invalid name can still be shown whole. */
	buf_init(&tmp, out->max - out->len);
	r = mutf7_decode_all((const unsigned char *)in, len, &tmp);
	*invalid_r = r == MUTF7_INVALID;
	if (r == MUTF7_OK)
		rc = buf_append(out, buf_str(&tmp), tmp.len);
	else if (r == MUTF7_INVALID)
		rc = buf_append(out, in, len);
	else
		rc = -1;
	buf_free(&tmp);
	return rc;
}

static int
mutf7_put_unit(struct mutf7_encoder *e, uint32_t unit)
{
	e->bits = (e->bits << 16) | unit;
	e->nbits += 16;
	while (e->nbits >= 6) {
		e->nbits -= 6;
		if (buf_append_byte(e->out,
		    mutf7_alphabet[(e->bits >> e->nbits) & 0x3f]) != 0)
			return -1;
	}
	e->bits &= (1U << e->nbits) - 1;
	return 0;
}

/* End a shift: pad the last base64 digit with zero bits, then "-". */
static int
mutf7_close_shift(struct mutf7_encoder *e)
{
	if (!e->shifted)
		return 0;
	if (e->nbits > 0 && buf_append_byte(e->out,
	    mutf7_alphabet[(e->bits << (6 - e->nbits)) & 0x3f]) != 0)
		return -1;
	e->bits = 0;
	e->nbits = 0;
	e->shifted = false;
	return buf_append_byte(e->out, '-');
}

static int
mutf7_put_cp(struct mutf7_encoder *e, uint32_t cp)
{
	if (mutf7_is_direct(cp)) {
		if (mutf7_close_shift(e) != 0 ||
		    buf_append_byte(e->out, (unsigned char)cp) != 0)
			return -1;
		return cp == '&' ? buf_append_byte(e->out, '-') : 0;
	}
	if (!e->shifted) {
		if (buf_append_byte(e->out, '&') != 0)
			return -1;
		e->shifted = true;
	}
	if (cp < 0x10000)
		return mutf7_put_unit(e, cp);
	cp -= 0x10000;
	if (mutf7_put_unit(e, 0xd800 + (cp >> 10)) != 0)
		return -1;
	return mutf7_put_unit(e, 0xdc00 + (cp & 0x3ff));
}

static int
mutf7_encode_all(const unsigned char *s, size_t len,
    struct mutf7_encoder *e, const char **error_r)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = text_utf8_sequence(s + i, len - i, &cp)) == 0) {
			*error_r = "mailbox name is not valid UTF-8";
			return -1;
		}
		if (cp == 0) {
			*error_r = "mailbox name holds a NUL character";
			return -1;
		}
		if (mutf7_put_cp(e, cp) != 0) {
			*error_r = "mailbox name too long";
			return -1;
		}
		i += n;
	}
	if (mutf7_close_shift(e) != 0) {
		*error_r = "mailbox name too long";
		return -1;
	}
	return 0;
}

int
text_mutf7_encode(const char *utf8, size_t len, struct buf *out,
    const char **error_r)
{
	struct buf tmp;
	struct mutf7_encoder e = { &tmp, 0, 0, false };
	int rc;

	buf_init(&tmp, out->max - out->len);
	rc = mutf7_encode_all((const unsigned char *)utf8, len, &e, error_r);
	if (rc == 0 && buf_append(out, buf_str(&tmp), tmp.len) != 0) {
		*error_r = "mailbox name too long";
		rc = -1;
	}
	buf_free(&tmp);
	return rc;
}

char *
text_mutf7_display(const char *raw)
{
	struct buf out;
	bool invalid = false;
	char *name;

	buf_init(&out, 64 * 1024);
	if (text_mutf7_decode(raw, strlen(raw), &out, &invalid) != 0 ||
	    invalid) {
		buf_free(&out);
		return xstrdup(raw);
	}
	name = out.data != NULL ? buf_steal(&out) : xstrdup("");
	buf_free(&out);
	return name;
}

char *
text_mutf7_wire(const char *utf8, const char **error_r)
{
	struct buf out;
	char *name;

	buf_init(&out, 64 * 1024);
	if (text_mutf7_encode(utf8, strlen(utf8), &out, error_r) != 0) {
		buf_free(&out);
		return NULL;
	}
	name = out.data != NULL ? buf_steal(&out) : xstrdup("");
	buf_free(&out);
	return name;
}
