/* tui-mouse: clicks and the wheel in the full screen (ncurses' mouse).
 *
 * A click on a tab shows that view, a click in a pane focuses it, a click
 * on a row of a list view puts the cursor there, and the wheel scrolls
 * the pane under the pointer (the console's transcript, or the view as
 * its Up and Down keys do). The mouse only moves and shows: nothing a
 * click does changes the server or sends a command a key would not send
 * (Enter still acts). --no-mouse leaves the mouse to the terminal, whose
 * own selection then works; with the mouse on, most terminals select
 * with Shift and a drag. */
#ifndef IMAPWB_TUI_MOUSE_H
#define IMAPWB_TUI_MOUSE_H

struct tui;

/* Ask the terminal for mouse events, unless --no-mouse. */
void tui_mouse_start(const struct tui *t);
/* A KEY_MOUSE came: act on the event curses holds. */
void tui_mouse_event(struct tui *t);

#endif
