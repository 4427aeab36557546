/* view-status: the selected mailbox as SELECT/EXAMINE reported it, kept
 * live by EXISTS, EXPUNGE, VANISHED and FETCH (model-selected.h). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "text-mutf7.h"
#include "tui.h"
#include "tui-draw.h"
#include "util-buf.h"
#include "util-mem.h"

struct view_status {
	struct tui *tui;
};

static void *
status_create(struct tui *tui)
{
	struct view_status *v = xcalloc(1, sizeof(*v));

	v->tui = tui;
	return v;
}

static void
status_destroy(void *view)
{
	free(view);
}

static void
field(WINDOW *w, int *y, int rows, int cols, const char *name,
    const char *value)
{
	if (*y >= rows)
		return;
	wattrset(w, A_BOLD);
	tui_draw_str(w, *y, 1, name, 16);
	wattrset(w, A_NORMAL);
	tui_draw_str(w, *y, 18, value, cols - 18);
	(*y)++;
}

static void
field_number(WINDOW *w, int *y, int rows, int cols, const char *name,
    const struct model_selected *sel, unsigned bit, uint64_t value)
{
	char text[32];

	if ((sel->known & bit) == 0)
		snprintf(text, sizeof(text), "-");
	else
		snprintf(text, sizeof(text), "%" PRIu64, value);
	field(w, y, rows, cols, name, text);
}

static void
field_list(WINDOW *w, int *y, int rows, int cols, const char *name,
    char *const *items, size_t count, bool known)
{
	struct buf text;
	size_t i;

	buf_init(&text, 64 * 1024);
	for (i = 0; i < count; i++)
		buf_printf(&text, "%s%s", i > 0 ? " " : "", items[i]);
	field(w, y, rows, cols, name, known ? buf_str(&text) : "-");
	buf_free(&text);
}

static void
status_draw(void *view, WINDOW *w, int rows, int cols)
{
	static const char *const states[] = { "nothing selected",
		"opening", "open" };
	struct view_status *v = view;
	const struct model_selected *sel = model_selected(tui_model(v->tui));
	char *name;
	int y = 2;

	wattrset(w, tui_attr(TUI_COLOR_HEADER));
	tui_draw_str(w, 0, 0, "Selected mailbox", cols);
	wattrset(w, A_NORMAL);
	name = text_mutf7_display(sel->mailbox != NULL ? sel->mailbox : "-");
	field(w, &y, rows, cols, "Mailbox", name);
	free(name);
	field(w, &y, rows, cols, "State", states[sel->state]);
	field(w, &y, rows, cols, "Access",
	    (sel->known & MODEL_SEL_ACCESS) == 0 ? "-"
	    : sel->read_only			 ? "READ-ONLY"
						 : "READ-WRITE");
	field_number(w, &y, rows, cols, "EXISTS", sel, MODEL_SEL_EXISTS,
	    sel->exists);
	field_number(w, &y, rows, cols, "RECENT", sel, MODEL_SEL_RECENT,
	    sel->recent);
	field_number(w, &y, rows, cols, "UNSEEN (first)", sel, MODEL_SEL_UNSEEN,
	    sel->unseen);
	field_number(w, &y, rows, cols, "UIDVALIDITY", sel,
	    MODEL_SEL_UIDVALIDITY, sel->uidvalidity);
	field_number(w, &y, rows, cols, "UIDNEXT", sel, MODEL_SEL_UIDNEXT,
	    sel->uidnext);
	if (sel->known & MODEL_SEL_NOMODSEQ)
		field(w, &y, rows, cols, "HIGHESTMODSEQ", "NOMODSEQ");
	else
		field_number(w, &y, rows, cols, "HIGHESTMODSEQ", sel,
		    MODEL_SEL_HIGHESTMODSEQ, sel->highestmodseq);
	field_list(w, &y, rows, cols, "FLAGS", sel->flags, sel->flag_count,
	    (sel->known & MODEL_SEL_FLAGS) != 0);
	field_list(w, &y, rows, cols, "PERMANENTFLAGS", sel->permanentflags,
	    sel->permanentflag_count,
	    (sel->known & MODEL_SEL_PERMANENTFLAGS) != 0);
	if (sel->protocol_errors > 0) {
		char text[64];

		snprintf(text, sizeof(text), "%u (see the console)",
		    sel->protocol_errors);
		field(w, &y, rows, cols, "Server errors", text);
	}
}

/* The Status view has no keys of its own: only the shared ones. */
static const struct tui_keymap status_keymap = {
	.name = "Status",
};

static void
status_key(void *view, int action, int key)
{
	(void)view;
	(void)action;
	(void)key;
}

const struct tui_view_ops tui_view_status = {
	.name = "Status",
	.create = status_create,
	.destroy = status_destroy,
	.draw = status_draw,
	.keymap = &status_keymap,
	.key = status_key,
};
