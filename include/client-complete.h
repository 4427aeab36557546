/* client-complete: what Tab offers in the raw console, one source for the
 * TUI's console and --plain, so both complete the same way and neither
 * ever offers a file name.
 *
 * The word being completed is read from the words before it (a tag, the
 * command, "UID" and its command, the arguments):
 * - the command word: command names (the command table);
 * - after "UID": FETCH, STORE, COPY, MOVE, SEARCH, EXPUNGE (the table's
 *   "UID ..." rows);
 * - a mailbox argument (the table's IMAP_CMDF_MAILBOX, RENAME's second,
 *   COPY's and MOVE's after the set): the names LIST gave (model),
 *   quoted when they are not atoms;
 * - FETCH items after "FETCH set" ("FETCH 1 (" too), STORE's operation
 *   and then flags: the system flags and the keywords the selected
 *   mailbox's FLAGS and PERMANENTFLAGS name; STATUS items; SEARCH keys,
 *   and keywords after KEYWORD or UNKEYWORD.
 * Anything else completes to nothing. */
#ifndef IMAPWB_CLIENT_COMPLETE_H
#define IMAPWB_CLIENT_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

struct model;

enum complete_kind {
	COMPLETE_NOTHING,
	COMPLETE_COMMAND,
	COMPLETE_UID_COMMAND,
	COMPLETE_MAILBOX,
	COMPLETE_FETCH_ITEM,
	COMPLETE_STORE_OP,
	COMPLETE_FLAG,
	COMPLETE_STATUS_ITEM,
	COMPLETE_SEARCH_KEY,
};

/* What the word of `line` that starts at byte `start` is. */
enum complete_kind complete_context(const char *line, size_t start);

/* The candidates for the word at `start` whose typed part is `text`
 * (prefix, any case), from `model` (NULL: none from it). `in_quotes`:
 * the word follows a '"' the typist opened, so a mailbox name comes
 * without quotes (the caller closes them). A NULL-terminated array the
 * caller frees (complete_free), never NULL. */
char **complete_candidates(struct model *model, const char *line,
    size_t start, const char *text, bool in_quotes);
void complete_free(char ***candidates);

/* readline: complete with the above (never file names) from `model`,
 * which may change (a reconnection): pass NULL to stop. */
void complete_readline_install(struct model *model);

#endif
