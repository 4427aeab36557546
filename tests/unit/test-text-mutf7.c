/* Unit tests for text-mutf7: RFC 3501 5.1.3 examples, invalid names shown
 * raw and flagged, and round-trip properties over random input. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "text-mutf7.h"
#include "text-utf8.h"

#define CAP 4096
#define SEED 0x1a2b3c4d5e6f7788ULL

/* Valid pairs: each must encode to mutf7 and decode back to utf8. */
static const struct {
	const char *utf8;
	const char *mutf7;
} pairs[] = {
	/* RFC 3501 5.1.3's example. */
	{ "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac"
	  "\xe8\xaa\x9e",
	    "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
	{ "Entw\xc3\xbcrfe", "Entw&APw-rfe" },
	{ "&", "&-" },
	{ "&&x&&", "&-&-x&-&-" },
	{ "-&-", "-&--" },
	{ "tiet\xc3\xa4j\xc3\xa4", "tiet&AOQ-j&AOQ-" },
	{ "\xc3\x9c" "berpr\xc3\xbc" "fung", "&ANw-berpr&APw-fung" },
	/* A shift may be followed by "&-": that is not a null shift. */
	{ "\xc3\xa4&", "&AOQ-&-" },
	/* Astral code points travel as a surrogate pair. */
	{ "\xf0\x9f\x98\x80", "&2D3eAA-" },
	/* Control characters are not printable: they are shifted. */
	{ "a\tb", "a&AAk-b" },
	{ "INBOX", "INBOX" },
	{ "", "" },
};

/* Names that are not valid modified UTF-7, and why. */
static const struct {
	const char *mutf7;
	const char *why;
} invalid[] = {
	{ "&", "a lone & at the end" },
	{ "a&b", "& followed by a base64 character, never closed" },
	{ "a&!b", "& followed by neither - nor base64" },
	{ "&Jjo", "unterminated shift" },
	{ "&Jjo!", "a character outside modified base64" },
	{ "&Jj/-", "'/' is not in modified base64 (',' is)" },
	{ "&AOQ=-", "'=' padding is not used" },
	{ "&U,BTFw-&ZeVnLIqe-", "two shifts back to back (null shift)" },
	{ "&2AA-", "a lone high surrogate" },
	{ "&3AA-", "a lone low surrogate" },
	{ "&2D0AYQ-", "a high surrogate followed by a non-surrogate" },
	{ "&AGE-", "a shifted 'a', which must stand for itself" },
	{ "&ACY-", "a shifted '&', which must be written &-" },
	{ "&ACA-", "a shifted space" },
	{ "&AOR-", "leftover bits that are not zero" },
	{ "&AA-", "twelve bits: no whole UTF-16 unit" },
	{ "&A-", "six bits" },
	{ "&AOQA-", "a whole base64 digit left over" },
	{ "&AAA-", "U+0000" },
	{ "caf\xc3\xa9", "raw 8-bit bytes" },
	{ "a\tb", "a raw control character" },
	{ "a\x7f", "a raw DEL" },
};

/* Not UTF-8 (or not a name), so they cannot be encoded. */
static const struct {
	const char *utf8;
	size_t len;
} unencodable[] = {
	{ "\xc3", 1 },                 /* truncated */
	{ "\xc0\xaf", 2 },             /* overlong */
	{ "\xed\xa0\x80", 3 },         /* a surrogate in UTF-8 */
	{ "\xf4\x90\x80\x80", 4 },     /* above U+10FFFF */
	{ "\x80", 1 },                 /* a stray continuation byte */
	{ "a\0b", 3 },                 /* NUL */
};

static uint64_t
rng_next(uint64_t *s)
{
	/* xorshift64*: small, fixed, the same on every platform. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* A UTF-8 encoder independent of the one under test. */
static size_t
put_utf8(unsigned char *p, uint32_t cp)
{
	if (cp < 0x80) {
		p[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (unsigned char)(0xc0 | cp >> 6);
		p[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (unsigned char)(0xe0 | cp >> 12);
		p[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		p[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	p[0] = (unsigned char)(0xf0 | cp >> 18);
	p[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	p[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	p[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A random code point, weighted towards the cases that matter: "&" and
 * "-", other printable ASCII, controls, the BMP and astral planes. */
static uint32_t
random_cp(uint64_t *s)
{
	uint64_t r = rng_next(s);
	uint32_t cp;

	switch (r % 8) {
	case 0:
		return (r >> 8) % 2 ? '&' : '-';
	case 1:
	case 2:
		return 0x20 + (uint32_t)((r >> 8) % 95);
	case 3:
		cp = 1 + (uint32_t)((r >> 8) % 0x1f);
		return (r >> 40) % 4 ? cp : 0x7f;
	case 4:
	case 5:
		/* Anywhere in the BMP but the surrogates. */
		cp = 0x80 + (uint32_t)((r >> 8) % (0x10000 - 0x80 - 0x800));
		return cp < 0xd800 ? cp : cp + 0x800;
	default:
		return 0x10000 + (uint32_t)((r >> 8) % 0x100000);
	}
}

static void
test_pairs_both_ways(void **state)
{
	struct buf out;
	const char *error = NULL;
	bool invalid_flag;
	size_t i;

	buf_init(&out, CAP);
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		buf_reset(&out);
		assert_int_equal(text_mutf7_encode(pairs[i].utf8,
		    strlen(pairs[i].utf8), &out, &error), 0);
		assert_string_equal(buf_str(&out), pairs[i].mutf7);
		buf_reset(&out);
		invalid_flag = true;
		assert_int_equal(text_mutf7_decode(pairs[i].mutf7,
		    strlen(pairs[i].mutf7), &out, &invalid_flag), 0);
		assert_false(invalid_flag);
		assert_string_equal(buf_str(&out), pairs[i].utf8);
	}
	buf_free(&out);
}

static void
test_invalid_shown_raw_and_flagged(void **state)
{
	struct buf out;
	bool invalid_flag;
	size_t i;

	buf_init(&out, CAP);
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		buf_reset(&out);
		invalid_flag = false;
		assert_int_equal(text_mutf7_decode(invalid[i].mutf7,
		    strlen(invalid[i].mutf7), &out, &invalid_flag), 0);
		if (!invalid_flag)
			fail_msg("not flagged: %s (%s)", invalid[i].mutf7,
			    invalid[i].why);
		assert_string_equal(buf_str(&out), invalid[i].mutf7);
	}
	buf_free(&out);
}

static void
test_encode_rejects_bad_utf8(void **state)
{
	struct buf out;
	const char *error;
	size_t i;

	buf_init(&out, CAP);
	buf_append_str(&out, "kept");
	for (i = 0; i < sizeof(unencodable) / sizeof(unencodable[0]); i++) {
		error = NULL;
		assert_int_equal(text_mutf7_encode(unencodable[i].utf8,
		    unencodable[i].len, &out, &error), -1);
		assert_non_null(error);
		assert_string_equal(buf_str(&out), "kept");
	}
	buf_free(&out);
}

/* Both directions append, and leave out alone when it is full. */
static void
test_append_and_cap(void **state)
{
	struct buf out;
	const char *error = NULL;
	bool invalid_flag;

	buf_init(&out, 8);
	buf_append_str(&out, "a/");
	assert_int_equal(text_mutf7_decode("&APw-", 5, &out, &invalid_flag),
	    0);
	assert_string_equal(buf_str(&out), "a/\xc3\xbc");
	assert_int_equal(text_mutf7_decode("Entw&APw-rfe", 12, &out,
	    &invalid_flag), -1);
	assert_string_equal(buf_str(&out), "a/\xc3\xbc");
	/* Shown raw is bounded too. */
	assert_int_equal(text_mutf7_decode("&&&&&&", 6, &out, &invalid_flag),
	    -1);
	assert_string_equal(buf_str(&out), "a/\xc3\xbc");
	assert_int_equal(text_mutf7_encode("\xc3\xbc", 2, &out, &error), -1);
	assert_non_null(error);
	assert_string_equal(buf_str(&out), "a/\xc3\xbc");
	assert_int_equal(text_mutf7_encode("&", 1, &out, &error), 0);
	assert_string_equal(buf_str(&out), "a/\xc3\xbc&-");
	buf_free(&out);
}

/* Property: for random Unicode, decode(encode(s)) == s, the encoding is
 * printable ASCII, and it is never flagged invalid. */
static void
test_round_trip_random_unicode(void **state)
{
	unsigned char text[64 * 4];
	struct buf enc, dec;
	const char *error = NULL;
	uint64_t seed = SEED;
	bool invalid_flag;
	size_t i, j, n, len;

	buf_init(&enc, CAP);
	buf_init(&dec, CAP);
	for (i = 0; i < 5000; i++) {
		n = rng_next(&seed) % 40;
		for (len = 0, j = 0; j < n; j++)
			len += put_utf8(text + len, random_cp(&seed));
		buf_reset(&enc);
		buf_reset(&dec);
		if (text_mutf7_encode((const char *)text, len, &enc,
		    &error) != 0)
			fail_msg("string %zu: encode failed: %s", i, error);
		for (j = 0; j < enc.len; j++)
			assert_true(enc.data[j] >= 0x20 && enc.data[j] <= 0x7e);
		assert_int_equal(text_mutf7_decode(buf_str(&enc), enc.len,
		    &dec, &invalid_flag), 0);
		if (invalid_flag)
			fail_msg("string %zu: own encoding %s flagged", i,
			    buf_str(&enc));
		assert_int_equal(dec.len, len);
		assert_memory_equal(dec.data != NULL ? dec.data : "", text,
		    len);
	}
	buf_free(&enc);
	buf_free(&dec);
}

/* Property: for random near-miss modified UTF-7, a name that decodes as
 * valid is canonical (encoding the result gives it back: there is only
 * one way to write a name), its decoding is valid UTF-8, and a name
 * flagged invalid comes out byte for byte. */
static void
test_decode_random_names(void **state)
{
	static const char alphabet[] = "&&&---AOQAPwZeVn2D3e3AA,+/=a z!\x80\t";
	char name[32];
	struct buf dec, enc;
	const char *error = NULL;
	uint64_t seed = SEED ^ 0xffff;
	bool invalid_flag;
	size_t i, j, n, valid = 0;

	buf_init(&dec, CAP);
	buf_init(&enc, CAP);
	for (i = 0; i < 20000; i++) {
		n = rng_next(&seed) % sizeof(name);
		for (j = 0; j < n; j++)
			name[j] = alphabet[rng_next(&seed) %
			    (sizeof(alphabet) - 1)];
		buf_reset(&dec);
		buf_reset(&enc);
		assert_int_equal(text_mutf7_decode(name, n, &dec,
		    &invalid_flag), 0);
		if (invalid_flag) {
			assert_int_equal(dec.len, n);
			assert_memory_equal(buf_str(&dec), name, n);
			continue;
		}
		valid++;
		assert_true(text_utf8_is_valid(buf_str(&dec), dec.len));
		if (text_mutf7_encode(buf_str(&dec), dec.len, &enc,
		    &error) != 0)
			fail_msg("re-encoding failed: %s", error);
		if (enc.len != n || memcmp(buf_str(&enc), name, n) != 0)
			fail_msg("%.*s decodes, but is not canonical (%s)",
			    (int)n, name, buf_str(&enc));
	}
	/* The generator must reach valid names, or the test proves little. */
	assert_true(valid > 1000);
	buf_free(&dec);
	buf_free(&enc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs_both_ways),
		cmocka_unit_test(test_invalid_shown_raw_and_flagged),
		cmocka_unit_test(test_encode_rejects_bad_utf8),
		cmocka_unit_test(test_append_and_cap),
		cmocka_unit_test(test_round_trip_random_unicode),
		cmocka_unit_test(test_decode_random_names),
	};

	return cmocka_run_group_tests_name("text-mutf7", tests, NULL, NULL);
}
