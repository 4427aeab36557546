/* text-transfer: streaming decoders for MIME content transfer encodings
 * (RFC 2045 6): base64 through OpenSSL's EVP_DecodeUpdate, and
 * quoted-printable. Input comes in chunks split anywhere (a "=3D" or a
 * soft line break may straddle two chunks); memory stays a few KB
 * whatever the size. */
#ifndef IMAPWB_TEXT_TRANSFER_H
#define IMAPWB_TEXT_TRANSFER_H

#include <stddef.h>

enum transfer_encoding {
	TRANSFER_IDENTITY, /* 7bit, 8bit, binary: bytes as they are */
	TRANSFER_BASE64,
	TRANSFER_QUOTED_PRINTABLE,
};

/* The encoding for a Content-Transfer-Encoding value (any case); NULL
 * and unknown values give TRANSFER_IDENTITY. */
enum transfer_encoding transfer_encoding_from_name(const char *name);

/* Where decoded bytes go: 0, or -1 with *error_r (it stops decoding). */
typedef int transfer_output_fn(void *ctx, const unsigned char *data,
    size_t len, const char **error_r);

struct transfer_decoder;

struct transfer_decoder *transfer_decoder_new(enum transfer_encoding enc,
    transfer_output_fn *out, void *ctx);
void transfer_decoder_free(struct transfer_decoder **d);

/* Decode a chunk. 0, or -1 with *error_r (bad base64, or the output's
 * error). */
int transfer_decoder_feed(struct transfer_decoder *d, const void *data,
    size_t len, const char **error_r);
/* The input has ended: flush what is held back. 0 or -1. */
int transfer_decoder_finish(struct transfer_decoder *d, const char **error_r);

#endif
