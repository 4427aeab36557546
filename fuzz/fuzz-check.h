/* fuzz-check: what every fuzz target shares (fuzz/fuzz-*.c).
 *
 * A target is one LLVMFuzzerTestOneInput(). libFuzzer calls it with
 * mutated bytes (--enable-fuzzing, CC=clang); fuzz/fuzz-replay.c calls it
 * with each corpus file in `make check`. A broken promise is reported
 * with fuzz_fail(), which prints it and abort()s: libFuzzer records the
 * input as a crash, the replay test fails.
 *
 * Decoders are fed through the parser, as the client feeds them:
 * fuzz_each_response() cuts the input into responses (resynchronising
 * after a parse error, as a reconnecting client would) and hands every
 * one to the target's check. */
#ifndef IMAPWB_FUZZ_CHECK_H
#define IMAPWB_FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap-parser.h"
#include "util-buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set by the replay for inputs recorded from a real server (files named
 * dovecot-* and cyrus-*): what real servers send must decode, so a target
 * fails a response of its family that its decoder rejects. Always false
 * under libFuzzer, whose inputs are anything. */
extern bool fuzz_strict;

/* Report a broken promise and abort(). */
void fuzz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#define FUZZ_ASSERT(cond, ...) \
	do { \
		if (!(cond)) \
			fuzz_fail(__VA_ARGS__); \
	} while (0)

/* For a recorded input, a response of the target's family must decode:
 * fail with the decoder's reason if it did not. */
void fuzz_strict_ok(bool decoded, const char *what, const char *error);

/* Cut data into responses with the default limits and call check() on
 * each; scratch is a parser a decoder may use for response codes. */
typedef void fuzz_response_fn(void *ctx, const struct imap_response *resp,
    struct imap_parser *scratch);
void fuzz_each_response(const uint8_t *data, size_t size,
    fuzz_response_fn *check, void *ctx);

/* Parse text that must be exactly one response (a value written back by
 * a round trip): the response, valid until the parser's next use; fails
 * the run otherwise. */
const struct imap_response *fuzz_parse_one(struct imap_parser *p,
    const struct buf *text);

/* The response's first token (after a number for "* 5 FETCH"), upper-
 * cased into name (size bytes), or "" when it has none. */
void fuzz_response_name(const struct imap_response *resp, char *name,
    size_t size);

/* Append s (len bytes, may hold any byte) as an IMAP string: quoted when
 * it may be, else a literal; NIL for NULL. */
void fuzz_write_nstring(struct buf *out, const char *s, size_t len);
/* The same for a NUL-terminated string (NULL: NIL). */
void fuzz_write_cstring(struct buf *out, const char *s);

/* Fail unless s (len bytes) is well-formed UTF-8. */
void fuzz_check_utf8(const char *what, const char *s, size_t len);

/* Equal bytes; an empty buffer's data may be NULL (memcmp may not be
 * given NULL even for no bytes). */
bool fuzz_mem_equal(const void *a, size_t a_len, const void *b,
    size_t b_len);

/* Equal C strings, NULL equal only to NULL. */
bool fuzz_str_equal(const char *a, const char *b);

#endif
