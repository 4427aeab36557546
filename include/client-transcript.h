/* client-transcript: the wire as "C: " and "S: " lines, for a terminal, a pipe
 * or a transcript file. Text arrives already redacted by the session; here
 * it is escaped and huge literals are collapsed. */
#ifndef IMAPWB_CLIENT_TRANSCRIPT_H
#define IMAPWB_CLIENT_TRANSCRIPT_H

#include <stdbool.h>
#include <stdio.h>

/* Literals longer than this are shown as a one-line summary. */
#define TRANSCRIPT_LITERAL_CAP 4096

struct transcript;

/* out: where the lines go (stdout); file: NULL, or a path to append to
 * with timestamps. Returns NULL with *error_r if the file cannot be
 * opened. */
struct transcript *transcript_new(FILE *out, const char *file,
    const char **error_r);
void transcript_free(struct transcript **t);

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

/* Called around each line written to `out` (to hide and redraw a
 * readline prompt); NULL for none. */
void transcript_set_line_hooks(struct transcript *t, void (*before)(void *),
    void (*after)(void *), void *ctx);

#endif
