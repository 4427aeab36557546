/* Unit tests for text-transfer: base64 and quoted-printable decoded the
 * same whatever the chunk boundaries, against known answers. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "text-transfer.h"
#include "util-buf.h"

static int
collect(void *ctx, const unsigned char *data, size_t len,
    const char **error_r)
{
	return buf_append(ctx, data, len);
}

/* Decode in (given as pieces: split at a, then b), compare with want. */
static int
decode_split(enum transfer_encoding enc, const char *in, size_t a, size_t b,
    struct buf *out)
{
	struct transfer_decoder *d = transfer_decoder_new(enc, collect, out);
	size_t len = strlen(in);
	const char *err = NULL;
	int rc;

	rc = transfer_decoder_feed(d, in, a, &err) ||
	    transfer_decoder_feed(d, in + a, b - a, &err) ||
	    transfer_decoder_feed(d, in + b, len - b, &err) ||
	    transfer_decoder_finish(d, &err);
	transfer_decoder_free(&d);
	return rc;
}

/* Every way to cut the input in three gives the same bytes. */
static void
check_all_splits(enum transfer_encoding enc, const char *in,
    const char *want, size_t want_len)
{
	size_t len = strlen(in), a, b;
	struct buf out;

	for (a = 0; a <= len; a++)
		for (b = a; b <= len; b++) {
			buf_init(&out, 1 << 20);
			assert_int_equal(decode_split(enc, in, a, b, &out), 0);
			assert_int_equal(out.len, want_len);
			assert_memory_equal(out.data != NULL ? out.data : "",
			    want, want_len);
			buf_free(&out);
		}
}

static void
test_base64(void **state)
{
	check_all_splits(TRANSFER_BASE64,
	    "SGVsbG8sIFdvcmxkIQ==\r\n", "Hello, World!", 13);
	check_all_splits(TRANSFER_BASE64,
	    "AAEC/w==\r\n", "\x00\x01\x02\xff", 4);
	check_all_splits(TRANSFER_BASE64,
	    "TWFu\r\nTWFu\r\nTQ==\r\n", "ManManM", 7);
	check_all_splits(TRANSFER_BASE64, "", "", 0);
}

static void
test_base64_errors(void **state)
{
	struct buf out;

	buf_init(&out, 1 << 20);
	assert_int_not_equal(decode_split(TRANSFER_BASE64, "SGV$bG8=\r\n", 3,
	    5, &out), 0);
	buf_reset(&out);
	assert_int_not_equal(decode_split(TRANSFER_BASE64, "SGVsbG8", 3, 5,
	    &out), 0);
	buf_free(&out);
}

static void
test_quoted_printable(void **state)
{
	/* escapes, a soft line break, padding before a line end */
	check_all_splits(TRANSFER_QUOTED_PRINTABLE,
	    "Caf=C3=A9 =3D ok=\r\nay  \r\nend=20\r\n",
	    "Caf\xc3\xa9 = okay\r\nend \r\n", 20);
	/* soft break with a bare LF; lower-case hex */
	check_all_splits(TRANSFER_QUOTED_PRINTABLE, "a=\nb=e9", "ab\xe9", 3);
	/* not escapes: kept as they are (RFC 2045 6.7 note 1) */
	check_all_splits(TRANSFER_QUOTED_PRINTABLE, "1=G2 x=4z =", "1=G2 x=4z =",
	    11);
	/* a bare CR is text; trailing whitespace at the end is padding */
	check_all_splits(TRANSFER_QUOTED_PRINTABLE, "a\rb \t", "a\rb", 3);
}

static void
test_identity(void **state)
{
	check_all_splits(TRANSFER_IDENTITY, "=3D raw\r\n", "=3D raw\r\n", 9);
	assert_int_equal(transfer_encoding_from_name("BASE64"), TRANSFER_BASE64);
	assert_int_equal(transfer_encoding_from_name("Quoted-Printable"),
	    TRANSFER_QUOTED_PRINTABLE);
	assert_int_equal(transfer_encoding_from_name("8bit"),
	    TRANSFER_IDENTITY);
	assert_int_equal(transfer_encoding_from_name(NULL), TRANSFER_IDENTITY);
}

/* More than the output buffer in one piece, through both decoders. */
static void
test_large_input(void **state)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct transfer_decoder *d;
	struct buf in, out;
	const char *err = NULL;
	size_t i;

	buf_init(&in, 1 << 22);
	buf_init(&out, 1 << 22);
	for (i = 0; i < 100000; i++) {
		buf_append_byte(&in, (unsigned char)alphabet[i % 64]);
		if (i % 76 == 75)
			buf_append_str(&in, "\r\n");
	}
	d = transfer_decoder_new(TRANSFER_BASE64, collect, &out);
	assert_int_equal(transfer_decoder_feed(d, in.data, in.len, &err), 0);
	assert_int_equal(transfer_decoder_finish(d, &err), 0);
	transfer_decoder_free(&d);
	assert_int_equal(out.len, 75000);
	buf_free(&in);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_base64_errors),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_large_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
