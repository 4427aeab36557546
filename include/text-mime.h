/* text-mime: MIME header text for display: RFC 2047 encoded words in
 * ENVELOPE subjects and names, and RFC 2231 parameter values (file names)
 * from BODYSTRUCTURE. Everything comes out as valid UTF-8; what cannot be
 * decoded is shown as it is, never dropped. */
#ifndef IMAPWB_TEXT_MIME_H
#define IMAPWB_TEXT_MIME_H

#include <stdbool.h>
#include <stddef.h>

#include "util-buf.h"

/* One body parameter as BODYSTRUCTURE gives it: the name (such as
 * "filename", "filename*" or "filename*1*") and the value with the
 * quoting already removed. */
struct text_mime_param {
	const char *name;
	const char *value;
};

/* Append the display form of a header value to out:
 *  - line breaks are removed (unfolding, RFC 5322 2.2.3);
 *  - encoded words "=?charset[*lang]?B|Q?text?=" are decoded with any
 *    charset iconv knows, also when not set off by whitespace, as
 *    MUAs do; whitespace between two decoded words is dropped (RFC 2047
 *    6.2), and adjacent words in the same charset are converted as one
 *    byte string, so a character split across two words survives;
 *  - a word in an unknown charset, or whose B or Q text is broken, is
 *    left as it is (RFC 2047 6.3);
 *  - bytes outside encoded words are taken as UTF-8 (RFC 6532), each
 *    ill-formed sequence shown as U+FFFD: a guess at a legacy charset
 *    would print plausible nonsense, U+FFFD shows the header is broken.
 * Return 0, or -1 (out unchanged) if out is full. */
int text_mime_decode_header(const char *in, size_t len, struct buf *out);

/* True if text_mime_decode_header() would give in back as it is: no
 * line break, no "=?" that could start an encoded word, valid UTF-8. */
bool text_mime_header_is_plain(const char *in, size_t len);

/* Append the decoded value of the parameter `name` (say "filename") to
 * out, looking in this order for
 *  - "name*": an RFC 2231 extended value, charset'language'%XX..., as
 *    Dovecot and Cyrus give it after joining continuations;
 *  - "name*0", "name*0*", "name*1*", ...: RFC 2231 continuations in any
 *    order, joined up to the first missing section;
 *  - "name": a plain value, in which RFC 2047 encoded words are decoded
 *    too (against RFC 2047 5, but common).
 * Names compare case-insensitively. An extended value in an unknown
 * charset is shown as it is. Return 1 if the parameter is there, 0 if it
 * is not, -1 (out unchanged) if out is full. */
int text_mime_decode_param(const char *name,
    const struct text_mime_param *params, size_t count, struct buf *out);

#endif
