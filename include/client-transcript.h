/* client-transcript: the wire as "C: " and "S: " lines, for a terminal, a pipe
 * or a transcript file. Text arrives already redacted by the session; here
 * it is escaped, and a literal shows its first bytes (--show-literal). */
#ifndef IMAPWB_CLIENT_TRANSCRIPT_H
#define IMAPWB_CLIENT_TRANSCRIPT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "text-display.h"

/* How much of a literal the transcript shows by default (--show-literal):
 * as much as the parser keeps of a server's literal, so every literal it
 * holds shows whole. */
#define TRANSCRIPT_SHOW_LITERAL (64u * 1024)

struct transcript;

/* out: where the lines go (stdout); file: NULL, or a path to append to
 * with timestamps. Returns NULL with *error_r if the file cannot be
 * opened. */
struct transcript *transcript_new(FILE *out, const char *file,
    const char **error_r);
void transcript_free(struct transcript **t);
/* The file's buffered lines out now: a front end's loop calls it (or
 * fflush(NULL)) before it waits. */
void transcript_flush(struct transcript *t);

void transcript_wire(struct transcript *t, bool client, const char *text,
    size_t len);
/* The wire of another connection than the user's, marked with where it
 * comes from: "C [large]: " and "S [large]: " for origin "large". */
void transcript_wire_from(struct transcript *t, const char *origin,
    bool client, const char *text, size_t len);
/* A line of imapwb's own ("* " prefix), e.g. latency or a notice. */
void transcript_note(struct transcript *t, const char *text);

/* A line explaining the wire ("# " prefix, teach-explain.h), escaped
 * like a note. */
void transcript_explain(struct transcript *t, const char *text);

/* Show the first show_bytes bytes of each literal (0: a summary line
 * only); TRANSCRIPT_SHOW_LITERAL until this is called. */
void transcript_set_show_literal(struct transcript *t, uint64_t show_bytes);

/* The display of literals in the wire of one direction: the first
 * show_bytes and at most show_lines lines (0: any number) of each. A
 * server's literal over the parser's inline limit is not in the wire (it
 * was streamed); a command's chunk holds all of its own. */
void transcript_literals(bool client, uint64_t show_bytes, size_t show_lines,
    struct display_literals *literals_r);

/* Called around each line written to `out` (to hide and redraw a
 * readline prompt); NULL for none. */
void transcript_set_line_hooks(struct transcript *t, void (*before)(void *),
    void (*after)(void *), void *ctx);

#endif
