/* model-selected: the selected (or examined) mailbox, without I/O.
 *
 * It holds what SELECT and EXAMINE report (EXISTS, RECENT, FLAGS,
 * PERMANENTFLAGS, UIDVALIDITY, UIDNEXT, UNSEEN, HIGHESTMODSEQ or NOMODSEQ,
 * READ-ONLY or READ-WRITE) and keeps it live as EXISTS, EXPUNGE, VANISHED
 * and FETCH arrive, whoever sent the command; its message index
 * (model-index.h) follows the same responses. The owner (model.c) says
 * when a selection starts, succeeds, fails or ends. */
#ifndef IMAPWB_MODEL_SELECTED_H
#define IMAPWB_MODEL_SELECTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode-code.h"
#include "decode-fetch.h"
#include "model-index.h"

enum model_selected_state {
	MODEL_SELECTED_NONE,
	MODEL_SELECTED_OPENING, /* SELECT/EXAMINE sent, its data arriving */
	MODEL_SELECTED_OPEN,
};

/* Which values the server has told (the others are 0). */
#define MODEL_SEL_EXISTS         0x001
#define MODEL_SEL_RECENT         0x002
#define MODEL_SEL_UNSEEN         0x004
#define MODEL_SEL_UIDVALIDITY    0x008
#define MODEL_SEL_UIDNEXT        0x010
#define MODEL_SEL_HIGHESTMODSEQ  0x020
#define MODEL_SEL_NOMODSEQ       0x040
#define MODEL_SEL_FLAGS          0x080
#define MODEL_SEL_PERMANENTFLAGS 0x100
#define MODEL_SEL_ACCESS         0x200 /* read_only is known */

struct model_selected {
	enum model_selected_state state;
	char *mailbox;          /* raw name, NULL when NONE */
	bool examine;           /* opened with EXAMINE */
	bool read_only;
	unsigned known;         /* MODEL_SEL_* */
	uint32_t exists;
	uint32_t recent;
	uint32_t unseen;        /* the first unseen message's number */
	uint32_t uidvalidity;
	uint32_t uidnext;
	uint64_t highestmodseq;
	char **flags;
	size_t flag_count;
	char **permanentflags;
	size_t permanentflag_count;
	bool any_keyword;       /* PERMANENTFLAGS has \* */
	uint32_t protocol_errors; /* responses that did not fit the index */
	struct model_index *index;
	uint64_t generation;
	/* Who opened it (enum imap_origin_kind): a view fetches summaries
	 * only for a mailbox the user opened, never for a job's EXAMINE. */
	unsigned opened_by;
};

struct model_selected *model_selected_new(uint32_t max_messages);
void model_selected_free(struct model_selected **sel);

/* A SELECT or EXAMINE of raw name `mailbox` started to answer: forget the
 * previous mailbox. */
void model_selected_opening(struct model_selected *sel, const char *mailbox,
    bool examine);
/* It ended: OK (read_only from its [READ-ONLY] code, or EXAMINE), or
 * not (RFC 9051 6.3.1: no mailbox is selected any more). */
void model_selected_opened(struct model_selected *sel, bool ok,
    bool read_only);
/* CLOSE, UNSELECT, a failed SELECT, LOGOUT or a lost connection. */
void model_selected_closed(struct model_selected *sel);

void model_selected_exists(struct model_selected *sel, uint32_t n);
void model_selected_recent(struct model_selected *sel, uint32_t n);
void model_selected_expunge(struct model_selected *sel, uint32_t msn);
void model_selected_vanished(struct model_selected *sel,
    const struct vanished *v);
void model_selected_flags(struct model_selected *sel,
    const struct atom_list *flags);
/* A response code of an untagged status response, or of the tagged
 * reply to SELECT/EXAMINE. Codes that are not about the mailbox are
 * ignored. */
void model_selected_code(struct model_selected *sel,
    const struct response_code *code);
/* A FETCH response: the index takes what it carries; MODSEQ also moves
 * HIGHESTMODSEQ up (RFC 7162 3.1.2). */
void model_selected_fetch(struct model_selected *sel,
    const struct fetch_response *f);

/* Fill a model_index_fetch from a decoded FETCH: the first From as a
 * display string and the subject RFC 2047-decoded, in scratch (reset
 * here). */
struct buf;
void model_selected_summary(const struct fetch_response *f,
    struct model_index_fetch *out, struct buf *scratch_from,
    struct buf *scratch_subject);

#endif
