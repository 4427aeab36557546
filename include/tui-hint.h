/* tui-hint: the row under the console's input line. While a command is
 * typed it shows the command's grammar with the argument under the
 * cursor reversed; an Enter on a line teach-hint warns about is held
 * once, and the row then says how to send it anyway or take the line
 * corrected (teach-hint.h). The console owns one and hands it the line
 * as readline has it. */
#ifndef IMAPWB_TUI_HINT_H
#define IMAPWB_TUI_HINT_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

struct model;

/* The input line as it is now. */
struct tui_hint_line {
	const char *text; /* not NUL-terminated; may hold a secret */
	size_t len;
	size_t cursor;    /* a byte offset */
	bool step;        /* DONE or a SASL line, a literal's bytes */
	struct model *model; /* mailbox names, or NULL */
};

struct tui_hint;

struct tui_hint *tui_hint_new(void);
void tui_hint_free(struct tui_hint **hint);

void tui_hint_draw(struct tui_hint *hint, WINDOW *w, int cols,
    const struct tui_hint_line *line);
/* Enter: true (hold it) the first time for a line with a warning, with
 * what is wrong and the line corrected (or NULL); false (send it) for a
 * line without one or the second Enter on the same line. */
bool tui_hint_hold(struct tui_hint *hint, const struct tui_hint_line *line,
    const char **text_r, const char **suggestion_r);
/* The corrected line of the warning held for this very line, or NULL;
 * taking it forgets the warning. Valid until the next call. */
const char *tui_hint_take_suggestion(struct tui_hint *hint,
    const struct tui_hint_line *line);

#endif
