/* client-console-tags: the tags imapwb adds to lines typed without one.
 *
 * They read as a lesson, not as noise: "a001", "a002", ... in the order
 * the lines were typed (RFC 9051 2.2.1's own example is "A001"). A tag
 * the user typed that has this form is skipped when the counter reaches
 * it, so an added tag never repeats a typed one. The session's own tags
 * (the client's setup, views, jobs, the automatic IDLE) keep its random
 * prefix of three letters: they can never equal one of these, whose
 * second character is a digit. */
#ifndef IMAPWB_CLIENT_CONSOLE_TAGS_H
#define IMAPWB_CLIENT_CONSOLE_TAGS_H

#include <stdbool.h>

struct console_tags;

struct console_tags *console_tags_new(void);
void console_tags_free(struct console_tags **tags);

/* The next tag to add; valid until the next call. */
const char *console_tags_next(struct console_tags *tags);

/* The user typed this tag: no later added tag will equal it. */
void console_tags_typed(struct console_tags *tags, const char *tag);

/* Whether `tag` has the form of an added tag ("a" and a counter of at
 * least three digits, without a needless leading zero). */
bool console_tags_is_added_form(const char *tag);

#endif
