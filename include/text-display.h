/* text-display: make server text safe for a terminal, and the wire readable.
 *
 * Server text never reaches a terminal raw: control characters, ESC, the
 * C1 range, invalid UTF-8 and the bidirectional overrides that can make
 * text read differently from what it is (CVE-2021-42574) are shown as
 * escapes. */
#ifndef IMAPWB_TEXT_DISPLAY_H
#define IMAPWB_TEXT_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "util-buf.h"
#include "util-log.h"

/* Append `len` bytes of `text` to `out`, escaped: printable ASCII and
 * valid, harmless UTF-8 as they are; TAB as "\t", CR as "\r", LF as "\n",
 * other bytes as "\xNN", and harmful code points as "\u{XXXX}". Returns -1
 * if `out` is full. */
int display_escape(struct buf *out, const char *text, size_t len);

/* Split wire bytes into display lines: each CRLF-terminated line is
 * escaped and handed to `line` (without its line end). A literal longer
 * than `literal_cap` is replaced by one summary line, and a literal
 * longer than `streamed_above` is known to be absent from `text` (its
 * bytes went to a sink). */
void display_wire_lines(const char *text, size_t len, uint64_t literal_cap,
    uint64_t streamed_above,
    void (*line)(void *ctx, const char *escaped, size_t escaped_len),
    void *ctx);

/* "imapwb: TEXT" and a newline on f, TEXT escaped as above: for
 * messages that may quote the server (its NO to STARTTLS, say). */
void display_error_line(FILE *f, const char *text);

/* A util-log sink (ctx unused) that writes "imapwb: LEVEL: TEXT" to
 * stderr with TEXT escaped: the line front ends install it, so a
 * warning that quotes the server never reaches the terminal raw. */
void display_log_sink(void *ctx, enum log_level level, const char *text);

#endif
