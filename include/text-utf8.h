/* text-utf8: the small UTF-8 primitives the text decoders share. */
#ifndef IMAPWB_TEXT_UTF8_H
#define IMAPWB_TEXT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util-buf.h"

#define TEXT_UTF8_REPLACEMENT 0xfffdU

/* Length (1..4) of the well-formed UTF-8 sequence at s, with its code
 * point in *cp_r; or 0 if there is none (overlong, surrogate, truncated,
 * above U+10FFFF, stray continuation byte). */
size_t text_utf8_sequence(const unsigned char *s, size_t len,
    uint32_t *cp_r);

/* How many bytes at s (where text_utf8_sequence() found none) one
 * U+FFFD stands for: the maximal subpart of a sequence, at least 1. */
size_t text_utf8_ill_formed_len(const unsigned char *s, size_t len);

/* True if the len bytes at s are well-formed UTF-8. */
bool text_utf8_is_valid(const void *s, size_t len);

/* Append the UTF-8 form of a Unicode scalar value (not a surrogate, at
 * most U+10FFFF); return -1 if out is full. */
int text_utf8_append_cp(struct buf *out, uint32_t cp);

/* Append len bytes as UTF-8, each ill-formed subsequence replaced by one
 * U+FFFD (Unicode's "maximal subpart" practice). Return -1 if out is
 * full. */
int text_utf8_append_sanitized(struct buf *out, const void *s, size_t len);

#endif
