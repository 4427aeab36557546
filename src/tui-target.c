/* tui-target: the mailbox an ACL or Quota view is about. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "text-mutf7.h"
#include "tui.h"
#include "tui-target.h"
#include "util-mem.h"

static bool
set(struct tui_target *t, const char *raw)
{
	if (t->mailbox != NULL && strcmp(t->mailbox, raw) == 0)
		return false;
	free(t->mailbox);
	t->mailbox = xstrdup(raw);
	return true;
}

bool
tui_target_follow(struct tui_target *t)
{
	if (t->pinned && t->mailbox != NULL)
		return false;
	return set(t, tui_current_mailbox(t->tui));
}

bool
tui_target_pin(struct tui_target *t, const char *utf8)
{
	const char *error;
	char *raw;

	if (utf8 == NULL || utf8[0] == '\0')
		return false;
	if ((raw = text_mutf7_wire(utf8, &error)) == NULL) {
		tui_message(t->tui, "bad name: %s", error);
		return false;
	}
	(void)set(t, raw);
	free(raw);
	t->pinned = true;
	return true;
}

bool
tui_target_pin_raw(struct tui_target *t, const char *raw)
{
	t->pinned = true;
	return set(t, raw);
}

const char *
tui_target_display(const struct tui_target *t)
{
	const struct model_mailbox *mb;

	if (t->mailbox == NULL)
		return "-";
	mb = model_mailboxes_find(model_mailboxes(tui_model(t->tui)),
	    t->mailbox);
	return mb != NULL ? mb->display : t->mailbox;
}

void
tui_target_free(struct tui_target *t)
{
	free(t->mailbox);
	t->mailbox = NULL;
}
