/* tui-tour: the guided tour in the TUI (imapwb --tour). The steps are
 * data (teach-tour.h); this shows the current one in a band at the foot
 * of the views' pane (above the input line when one pane shows at a
 * time), shows its view, pre-types its command on the input line, and
 * goes on to the next step when a command the learner sent (as
 * pre-typed or changed) has ended, saying how it ended. Alt-n and Alt-p
 * step by hand. Private to the TUI's two halves, like tui-host.h. */
#ifndef IMAPWB_TUI_TOUR_H
#define IMAPWB_TUI_TOUR_H

#include <stdbool.h>

#include <curses.h>

#include "imap-session.h"

struct tui;
struct tui_tour;
struct decoded_response;

/* The band's height, at most: the rest of a small screen is the
 * views'. */
#define TUI_TOUR_ROWS 13

struct tui_tour *tui_tour_new(void);
void tui_tour_free(struct tui_tour **tour);

/* Show step 0 (once the console's readline runs). */
void tui_tour_start(struct tui *t);
/* Step by hand: Alt-n, Alt-p. */
void tui_tour_next(struct tui *t);
void tui_tour_prev(struct tui *t);
/* Any command ended: one the learner typed moves the tour on. */
void tui_tour_completed(struct tui *t,
    const struct imap_session_command *cmd, enum imap_command_result result,
    const struct decoded_response *tagged);
/* Once a loop turn, outside readline's line callback: pre-type the
 * command of a step just shown (readline resets its line after the
 * callback that sent the last one). */
void tui_tour_turn(struct tui *t);

void tui_tour_draw(struct tui *t, WINDOW *w, int rows, int cols);

#endif
