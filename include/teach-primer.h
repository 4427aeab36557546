/* teach-primer: IMAP on one screen, for the TUI's F1 and --tour: a tag,
 * "*", "+", OK/NO/BAD, the four protocol states (the current one
 * marked, with what it allows), UIDs against sequence numbers, and where
 * to read more; every line from the knowledge table, with its RFC. */
#ifndef IMAPWB_TEACH_PRIMER_H
#define IMAPWB_TEACH_PRIMER_H

#include "imap-session.h"
#include "util-buf.h"

/* The primer as "\n"-separated lines wrapped to `width` columns. */
void teach_primer(struct buf *out, enum imap_session_state current,
    size_t width);

/* The four states, each with its meaning, the current marked with "->"
 * and followed by what it allows (its row's note), wrapped to `width`. */
void teach_states(struct buf *out, enum imap_session_state current,
    size_t width);

#endif
