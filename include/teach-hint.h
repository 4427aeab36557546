/* teach-hint: what to tell the typist about the command line being typed,
 * before it is sent: the grammar of its command with the argument under
 * the cursor (from the knowledge table's KNOW_SYNTAX rows, split by
 * teach-syntax), and warnings about slips the server would answer with
 * BAD or NO, each naming the RFC section and, where there is one,
 * offering the line corrected. The user may send the line anyway.
 *
 * The line is read as the console reads it (client-console-input.h): a
 * first word that is a command (or "UID") starts the command and the
 * console adds a tag; any other first word is the tag and the second is
 * the command. Warnings:
 *  - the first word is a slip for a command, so the console takes it as
 *    the tag and the next word as the command ("SELEC INBOX");
 *  - the command's place holds INBOX or another mailbox ("a1 INBOX");
 *  - the command is a slip for one ("a1 fecth 1 FLAGS");
 *  - a quoted string or a list left open, or a list closed twice; a list
 *    may still close after a literal the line ends with ("{12}");
 *  - a mailbox name with 8-bit characters, or with an "&" that is not
 *    modified UTF-7, unless the session enabled UTF8=ACCEPT (or
 *    IMAP4rev2): the name in modified UTF-7 is offered;
 *  - a sequence set or UID set that is not one ("1:", "0", "1,,2").
 * Nothing of a LOGIN or AUTHENTICATE line past the command's name (and
 * no word after a slip for them) is ever copied into a text or a
 * suggestion. Texts may quote the typed line: escape them for display.
 *
 * No I/O; memory is bounded: lines longer than TEACH_HINT_LINE_MAX get
 * no hint, words past the TEACH_HINT_WORDS_MAX-th are not looked at. */
#ifndef IMAPWB_TEACH_HINT_H
#define IMAPWB_TEACH_HINT_H

#include <stdbool.h>
#include <stddef.h>

#include "teach-knowledge.h"

#define TEACH_HINT_LINE_MAX 16384
#define TEACH_HINT_WORDS_MAX 64
#define TEACH_HINT_WARNINGS_MAX 8
#define TEACH_HINT_TEXT_MAX 320

struct teach_hint_context {
	/* The line is no command: DONE or a SASL response for a running
	 * IDLE or AUTHENTICATE, a literal's bytes or the rest of a line
	 * after one (console_input_wants_more()). Then no hint at all. */
	bool step;
	/* The session enabled UTF8=ACCEPT or IMAP4rev2: mailbox names
	 * travel as UTF-8. */
	bool utf8_accept;
	/* Optional: whether a word is the name of a mailbox (the
	 * Mailboxes view's tree), for "X is a mailbox, not a command".
	 * Without it only INBOX and the names under it count. */
	bool (*is_mailbox)(void *arg, const char *name, size_t len);
	void *is_mailbox_arg;
};

enum teach_hint_kind {
	TEACH_HINT_TAG_SLIP,     /* a slip for a command, taken as the tag */
	TEACH_HINT_MAILBOX,      /* a mailbox where the command belongs */
	TEACH_HINT_MISSPELLED,   /* a slip for a command */
	TEACH_HINT_QUOTE,        /* a quoted string left open */
	TEACH_HINT_PARENTHESIS,  /* a list left open, or closed twice */
	TEACH_HINT_MUTF7,        /* a mailbox name that needs modified UTF-7 */
	TEACH_HINT_SET,          /* not a sequence set */
};

struct teach_hint_warning {
	enum teach_hint_kind kind;
	/* The row whose RFC section the text cites at its end. */
	const struct knowledge_row *cited;
	char text[TEACH_HINT_TEXT_MAX];
	/* The whole line corrected, to send instead; NULL if none. */
	char *suggestion;
};

struct teach_hint {
	/* The grammar of the command typed (its KNOW_SYNTAX row: the
	 * grammar is syntax->meaning), or NULL. */
	const struct knowledge_row *syntax;
	/* The argument the cursor is in: 0 the command's name, 1 the
	 * first argument, and so on, counted in the grammar's elements
	 * (teach-syntax.h), with its bytes [arg_start, arg_end) in
	 * syntax->meaning to highlight; -1 (and 0, 0) when the cursor is
	 * in the tag, past the grammar, or there is no grammar. */
	int arg;
	size_t arg_start, arg_end;
	size_t warning_count;
	struct teach_hint_warning warnings[TEACH_HINT_WARNINGS_MAX];
};

/* Fill *out for the len bytes of UTF-8 at line (a line end is not part
 * of it), the cursor at byte offset cursor (len: at the end). ctx may be
 * NULL. Free it with teach_hint_free(). */
void teach_hint(const char *line, size_t len, size_t cursor,
    const struct teach_hint_context *ctx, struct teach_hint *out);
void teach_hint_free(struct teach_hint *hint);

#endif
