/* text-charset: convert bytes in a MIME charset to UTF-8 with iconv.
 *
 * Charset names come from the network, so they are checked against a
 * conservative alphabet before iconv sees them (no "//TRANSLIT"-style
 * suffixes). Opened converters are kept in a small cache, since a message
 * list decodes the same few charsets over and over; imapwb is single
 * threaded, so the cache needs no lock. */
#ifndef IMAPWB_TEXT_CHARSET_H
#define IMAPWB_TEXT_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "util-buf.h"

/* Longest charset name accepted (the longest IANA name has 45 octets). */
#define TEXT_CHARSET_NAME_MAX 64

/* True if iconv can convert from the charset named by the len bytes at
 * name (not NUL-terminated; compared case-insensitively). */
bool text_charset_known(const char *name, size_t len);

/* Append the UTF-8 form of len bytes in the named charset to out. Bytes
 * that are not valid in the charset become U+FFFD, so the result is
 * always valid UTF-8. Return 0; or -1 with *error_r set if the charset is
 * unknown (out unchanged) or out is full (out may hold part of it). */
int text_charset_to_utf8(const char *name, size_t name_len, const void *in,
    size_t len, struct buf *out, const char **error_r);

/* Close every cached converter (at exit, or in tests). */
void text_charset_cache_clear(void);

#endif
