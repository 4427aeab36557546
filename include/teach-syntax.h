/* teach-syntax: a command's grammar, its KNOW_SYNTAX row in the knowledge
 * table, split into arguments, and which argument each typed word fills;
 * teach-hint uses it to show the grammar under the input line with the
 * argument being typed highlighted.
 *
 * The grammar is written for learners, with a few marks (see
 * teach-knowledge.def): "[x]" optional, "x ..." repeated, "a|b" either,
 * "(x ...)" a list, "{size}" a literal, a lower-case word a placeholder
 * ("mailbox"). Element 0 is the command's name ("UID FETCH" is one
 * element); the arguments follow, split at the spaces that are outside
 * brackets and parentheses: "SEARCH [CHARSET name] criterion ..." has
 * the elements SEARCH, [CHARSET name], criterion and "...". */
#ifndef IMAPWB_TEACH_SYNTAX_H
#define IMAPWB_TEACH_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>

#include "teach-knowledge.h"

/* More elements than any command's grammar has (STORE has 5). */
#define TEACH_SYNTAX_MAX 16

struct teach_syntax_element {
	size_t start, end; /* its bytes in the grammar string */
	bool optional;     /* wholly in [ ]: may be left out */
	bool repeat;       /* "...": more of the element before it */
	unsigned words;    /* typed words it takes: 2 for "[CHARSET name]" */
};

struct teach_syntax {
	const struct knowledge_row *row;
	const char *text; /* the grammar: row->meaning */
	size_t count;
	struct teach_syntax_element elements[TEACH_SYNTAX_MAX];
};

/* The grammar of the command named (any case, one space in "UID FETCH"):
 * true, or false when the table has no grammar for it. */
bool teach_syntax_find(const char *name, size_t len, struct teach_syntax *out);
/* Split a KNOW_SYNTAX row's grammar; false for a malformed grammar (a
 * unit test keeps the table free of them). */
bool teach_syntax_parse(const struct knowledge_row *row,
    struct teach_syntax *out);

/* Whether element i is the placeholder `name`, "mailbox" or "[mailbox]". */
bool teach_syntax_element_is(const struct teach_syntax *syntax, size_t i,
    const char *name);

/* Which element each typed argument fills, the arguments given in order
 * after the command's name:
 *	teach_syntax_walk_init(&w, &syntax);
 *	for each argument: i = teach_syntax_walk_next(&w, arg, len);
 * An optional element is skipped when the argument cannot be it (a list
 * for "[(CONDSTORE)]", the keyword for "[CHARSET name]", or the shape of
 * the next element: "{12}" after "[date-time]" is "{size}"); an argument
 * not typed yet (len 0) fills the next element, optional or not. After a
 * "...", every argument fills the element before it. -1: past the
 * grammar's end. */
struct teach_syntax_walk {
	const struct teach_syntax *syntax;
	size_t next;      /* the next element to fill */
	size_t current;   /* the element the last argument filled */
	unsigned pending; /* more words it takes ("name" of CHARSET) */
};

void teach_syntax_walk_init(struct teach_syntax_walk *walk,
    const struct teach_syntax *syntax);
int teach_syntax_walk_next(struct teach_syntax_walk *walk, const char *arg,
    size_t len);

#endif
