/* tui-target: the mailbox a view is about (ACL, Quota). It follows the
 * selected mailbox, else the tree's cursor, else INBOX
 * (tui_current_mailbox), until the user picks one with m: then it stays
 * pinned to that one. */
#ifndef IMAPWB_TUI_TARGET_H
#define IMAPWB_TUI_TARGET_H

#include <stdbool.h>

struct tui;

struct tui_target {
	struct tui *tui;
	char *mailbox; /* raw name, NULL until the view is first shown */
	bool pinned;
};

/* On show: follow the current mailbox unless pinned. True if the
 * mailbox changed (the view resets its cursor). */
bool tui_target_follow(struct tui_target *t);
/* A name typed in UTF-8: encode it (modified UTF-7) and pin it. False,
 * with the reason on the status line, for an empty or invalid name. */
bool tui_target_pin(struct tui_target *t, const char *utf8);
/* Pin a raw (modified UTF-7) name, as a transcript line names it. True
 * if the mailbox changed. */
bool tui_target_pin_raw(struct tui_target *t, const char *raw);
/* The decoded name as the tree shows it, the raw one if the tree does
 * not know it, or "-". */
const char *tui_target_display(const struct tui_target *t);
void tui_target_free(struct tui_target *t);

#endif
