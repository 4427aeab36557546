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

/* How display_wire_lines() shows a literal. */
struct display_literals {
	/* Its first show_bytes bytes are shown as lines, then one line
	 * "[… N more bytes of a literal of M bytes]"; 0: only the line
	 * "[literal of M bytes, not shown]". */
	uint64_t show_bytes;
	/* And at most this many lines of it (0: as many as show_bytes
	 * gives). */
	size_t show_lines;
	/* A larger literal is not in the text (the parser streamed its
	 * bytes to a sink): "[literal of M bytes, streamed, not shown]". */
	uint64_t streamed_above;
};

/* Split wire bytes into display lines: each line (ended by LF, a CR
 * before it dropped) is escaped and handed to `line`. A literal's bytes
 * are data: they are shown line by line as `lit` says, a line of them
 * ended by a bare LF keeps it as "\n", and nothing in them is taken for
 * the header of another literal. Where a literal ends inside a line, the
 * line goes on after it, as on the wire. */
void display_wire_lines(const char *text, size_t len,
    const struct display_literals *lit,
    void (*line)(void *ctx, const char *escaped, size_t escaped_len),
    void *ctx);

/* "imapwb: TEXT" and a newline on f, TEXT escaped as above: for
 * messages that may quote the server (its NO to STARTTLS, say). Each
 * '\n' in TEXT starts another "imapwb: " line (our own advice after an
 * error); server text must not carry one in. */
void display_error_line(FILE *f, const char *text);

/* A util-log sink (ctx unused) that writes "imapwb: LEVEL: TEXT" to
 * stderr with TEXT escaped: the line front ends install it, so a
 * warning that quotes the server never reaches the terminal raw. */
void display_log_sink(void *ctx, enum log_level level, const char *text);

#endif
