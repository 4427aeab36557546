/* imap-roundtrip: the parser's round-trip oracle, shared by the libFuzzer
 * target (fuzz/fuzz-imap-parser.c) and the corpus replay that `make check`
 * runs (tests/unit/test-fuzz-corpus.c).
 *
 * Parse, write the tree back as IMAP text, parse that again, compare (after
 * Dovecot's fuzz-imap-bodystructure.c). On top of that: the same input fed
 * in one piece, in odd chunks and byte by byte must give the same results,
 * streamed literals must reach the sink byte for byte, every tree must
 * obey the invariants imap-parser.h promises, and every response goes
 * through decode-response, so the decoders are fuzzed with the parser. */
#ifndef IMAPWB_IMAP_ROUNDTRIP_H
#define IMAPWB_IMAP_ROUNDTRIP_H

#include <stddef.h>

#include "imap-parser.h"
#include "util-buf.h"

/* Write args back as IMAP tokens separated by SP: atoms as they were,
 * numbers in decimal, strings quoted and escaped, literals as {n}CRLF and
 * the bytes (~{n} for literal8; a streamed literal as n filler bytes).
 * Returns 0, or -1 if out's cap was reached. */
int imap_roundtrip_write_args(struct buf *out, const struct imap_arg *args,
    size_t count);

/* Write a whole response back, CRLF included: the tag, "*" or "+", then
 * the tokens, or the status and "[code code_args] text". */
int imap_roundtrip_write_response(struct buf *out,
    const struct imap_response *resp);

/* Run every check on one input (any bytes). Returns 0, or -1 with
 * *error_r (valid until the next call) naming the first broken promise. */
int imap_roundtrip_check(const unsigned char *data, size_t size,
    const char **error_r);

/* For a recorded server response: it must parse, with the default limits,
 * as exactly one response and nothing else. Returns 0, or -1 with
 * *error_r (valid until the next call). */
int imap_roundtrip_expect_one(const unsigned char *data, size_t size,
    const char **error_r);

#endif
