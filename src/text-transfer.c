/* text-transfer: streaming base64 and quoted-printable decoders. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "text-transfer.h"
#include "util-log.h"
#include "util-mem.h"
#include "util-io.h"

#define OUT_CHUNK 4096
/* Whitespace held back in case a line end follows (RFC 2045 6.7 rule 3
 * says it is then padding); a longer run is no padding, and goes out. */
#define QP_MAX_PENDING_SPACE 1024

enum qp_state {
	QP_TEXT,
	QP_EQUALS,     /* after '=' */
	QP_EQUALS_HEX, /* after '=' and one hex digit */
	QP_EQUALS_CR,  /* after "=\r": a soft line break if '\n' follows */
	QP_CR,         /* after a CR in text */
};

struct transfer_decoder {
	enum transfer_encoding enc;
	transfer_output_fn *out;
	void *ctx;
	EVP_ENCODE_CTX *b64;
	enum qp_state qp;
	unsigned char qp_hex; /* the first hex digit after '=' */
	unsigned char space[QP_MAX_PENDING_SPACE];
	size_t space_len;
	unsigned char buf[OUT_CHUNK];
	size_t len;
};

enum transfer_encoding
transfer_encoding_from_name(const char *name)
{
	if (name == NULL)
		return TRANSFER_IDENTITY;
	if (strcasecmp(name, "base64") == 0)
		return TRANSFER_BASE64;
	if (strcasecmp(name, "quoted-printable") == 0)
		return TRANSFER_QUOTED_PRINTABLE;
	return TRANSFER_IDENTITY;
}

struct transfer_decoder *
transfer_decoder_new(enum transfer_encoding enc, transfer_output_fn *out,
    void *ctx)
{
	struct transfer_decoder *d = xcalloc(1, sizeof(*d));

	d->enc = enc;
	d->out = out;
	d->ctx = ctx;
	if (enc == TRANSFER_BASE64) {
		if ((d->b64 = EVP_ENCODE_CTX_new()) == NULL)
			fatal("out of memory for a base64 decoder");
		EVP_DecodeInit(d->b64);
	}
	return d;
}

void
transfer_decoder_free(struct transfer_decoder **dp)
{
	struct transfer_decoder *d = *dp;

	if (d == NULL)
		return;
	EVP_ENCODE_CTX_free(d->b64);
	free(d);
	*dp = NULL;
}

static int
flush(struct transfer_decoder *d, const char **error_r)
{
	size_t n = d->len;

	d->len = 0;
	return n == 0 ? 0 : d->out(d->ctx, d->buf, n, error_r);
}

static int
put(struct transfer_decoder *d, unsigned char c, const char **error_r)
{
	d->buf[d->len++] = c;
	return d->len == sizeof(d->buf) ? flush(d, error_r) : 0;
}

/* --- base64 ------------------------------------------------------------ */

/* EVP_DecodeUpdate writes at most 3/4 of its input (plus a held-back
 * block): 2048 bytes in fit OUT_CHUNK out. */
static int
base64_feed(struct transfer_decoder *d, const unsigned char *in, size_t len,
    const char **error_r)
{
	size_t n;
	int outl;

	while (len > 0) {
		n = len < 2048 ? len : 2048;
		outl = 0;
		if (EVP_DecodeUpdate(d->b64, d->buf, &outl, in, (int)n) < 0) {
			*error_r = "the base64 text is broken";
			return -1;
		}
		d->len = (size_t)outl;
		if (flush(d, error_r) != 0)
			return -1;
		in += n;
		len -= n;
	}
	return 0;
}

static int
base64_finish(struct transfer_decoder *d, const char **error_r)
{
	int outl = 0;

	if (EVP_DecodeFinal(d->b64, d->buf, &outl) < 0) {
		*error_r = "the base64 text ends in the middle of a group";
		return -1;
	}
	d->len = (size_t)outl;
	return flush(d, error_r);
}

/* --- quoted-printable ---------------------------------------------------- */


static int
put_space(struct transfer_decoder *d, const char **error_r)
{
	size_t i;

	for (i = 0; i < d->space_len; i++)
		if (put(d, d->space[i], error_r) != 0)
			return -1;
	d->space_len = 0;
	return 0;
}

/* A byte of text: whitespace is held back until we know whether a line
 * end follows. */
static int
qp_text(struct transfer_decoder *d, unsigned char c, const char **error_r)
{
	if (c == ' ' || c == '\t') {
		if (d->space_len == sizeof(d->space) &&
		    put_space(d, error_r) != 0)
			return -1;
		d->space[d->space_len++] = c;
		return 0;
	}
	if (c == '\r') {
		d->qp = QP_CR;
		return 0;
	}
	if (c == '\n') {
		d->space_len = 0; /* padding before a line end */
		return put(d, '\n', error_r);
	}
	if (put_space(d, error_r) != 0)
		return -1;
	if (c == '=') {
		d->qp = QP_EQUALS;
		return 0;
	}
	return put(d, c, error_r);
}

static int
qp_byte(struct transfer_decoder *d, unsigned char c, const char **error_r)
{
	int hi, lo;

	switch (d->qp) {
	case QP_TEXT:
		return qp_text(d, c, error_r);
	case QP_CR:
		d->qp = QP_TEXT;
		if (c == '\n') {
			d->space_len = 0;
			return put(d, '\r', error_r) || put(d, '\n', error_r);
		}
		if (put_space(d, error_r) != 0 || put(d, '\r', error_r) != 0)
			return -1;
		return qp_text(d, c, error_r);
	case QP_EQUALS:
		if (c == '\r') {
			d->qp = QP_EQUALS_CR;
			return 0;
		}
		if (c == '\n') { /* a soft line break with a bare LF */
			d->qp = QP_TEXT;
			return 0;
		}
		if (hex_digit_value(c) >= 0) {
			d->qp_hex = c;
			d->qp = QP_EQUALS_HEX;
			return 0;
		}
		/* not an escape: keep it as it is (RFC 2045 6.7 note 1) */
		d->qp = QP_TEXT;
		return put(d, '=', error_r) || qp_text(d, c, error_r);
	case QP_EQUALS_HEX:
		d->qp = QP_TEXT;
		hi = hex_digit_value(d->qp_hex);
		lo = hex_digit_value(c);
		if (lo >= 0)
			return put(d, (unsigned char)(hi * 16 + lo), error_r);
		return put(d, '=', error_r) || put(d, d->qp_hex, error_r) ||
		    qp_text(d, c, error_r);
	case QP_EQUALS_CR:
		d->qp = QP_TEXT;
		if (c == '\n')
			return 0; /* soft line break: nothing */
		return put(d, '=', error_r) || put(d, '\r', error_r) ||
		    qp_text(d, c, error_r);
	}
	return 0;
}

static int
qp_finish(struct transfer_decoder *d, const char **error_r)
{
	int rc = 0;

	switch (d->qp) {
	case QP_TEXT:
		break;
	case QP_CR:
		rc = put(d, '\r', error_r);
		break;
	case QP_EQUALS:
		rc = put(d, '=', error_r);
		break;
	case QP_EQUALS_HEX:
		rc = put(d, '=', error_r) || put(d, d->qp_hex, error_r);
		break;
	case QP_EQUALS_CR:
		rc = put(d, '=', error_r) || put(d, '\r', error_r);
		break;
	}
	d->qp = QP_TEXT;
	/* whitespace at the very end is padding too (no line end needed) */
	d->space_len = 0;
	return rc != 0 ? -1 : flush(d, error_r);
}

/* --- the interface ------------------------------------------------------- */

int
transfer_decoder_feed(struct transfer_decoder *d, const void *data,
    size_t len, const char **error_r)
{
	const unsigned char *p = data;
	size_t i;

	switch (d->enc) {
	case TRANSFER_BASE64:
		return base64_feed(d, p, len, error_r);
	case TRANSFER_QUOTED_PRINTABLE:
		for (i = 0; i < len; i++)
			if (qp_byte(d, p[i], error_r) != 0)
				return -1;
		return 0;
	case TRANSFER_IDENTITY:
		break;
	}
	return len == 0 ? 0 : d->out(d->ctx, p, len, error_r);
}

int
transfer_decoder_finish(struct transfer_decoder *d, const char **error_r)
{
	switch (d->enc) {
	case TRANSFER_BASE64:
		return base64_finish(d, error_r);
	case TRANSFER_QUOTED_PRINTABLE:
		return qp_finish(d, error_r);
	case TRANSFER_IDENTITY:
		break;
	}
	return 0;
}
