/* text-mutf7: IMAP's modified UTF-7 mailbox names (RFC 3501 5.1.3,
 * RFC 9051 5.1.3), to and from UTF-8.
 *
 * Only for servers that have not enabled UTF8=ACCEPT (RFC 6855): with it,
 * names travel as UTF-8 and need no decoding. */
#ifndef IMAPWB_TEXT_MUTF7_H
#define IMAPWB_TEXT_MUTF7_H

#include <stdbool.h>
#include <stddef.h>

#include "util-buf.h"

/* Append the UTF-8 form of the len bytes of a modified UTF-7 name to out.
 * A name that is not valid modified UTF-7 (a raw 8-bit or control byte,
 * an unterminated or empty-but-for-"-" shift, a bad base64 character,
 * leftover bits that are not zero, a shifted character that must stand
 * for itself, a lone surrogate, U+0000, or two shifts back to back) is
 * appended as it is, byte for byte, and *invalid_r is set: it is shown
 * raw and flagged. A valid name always decodes to valid UTF-8.
 * Return 0, or -1 (out unchanged) if out is full. */
int text_mutf7_decode(const char *in, size_t len, struct buf *out,
    bool *invalid_r);

/* Append the modified UTF-7 form of len bytes of UTF-8 to out. Return 0;
 * or -1 with *error_r set (out unchanged) if the input is not valid UTF-8,
 * holds U+0000, or out is full. */
int text_mutf7_encode(const char *utf8, size_t len, struct buf *out,
    const char **error_r);

/* A raw mailbox name for display: decoded, or a copy of the raw name when
 * it is not valid modified UTF-7 (it is then shown as the server sent
 * it). The caller frees it. */
char *text_mutf7_display(const char *raw);
/* A name typed in UTF-8 as the server wants it (modified UTF-7), or NULL
 * with *error_r. The caller frees it. */
char *text_mutf7_wire(const char *utf8, const char **error_r);

#endif
