/* tui-hint: the row under the input line (teach-hint). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "teach-hint.h"
#include "tui-draw.h"
#include "tui-hint.h"
#include "util-mem.h"

struct tui_hint {
	/* the line an Enter was held for, and what teach-hint said */
	char *held_line;
	size_t held_len;
	struct teach_hint held;
	bool held_valid;
	char *taken; /* the suggestion handed out last */
};

struct tui_hint *
tui_hint_new(void)
{
	return xcalloc(1, sizeof(struct tui_hint));
}

static void
forget(struct tui_hint *h)
{
	if (h->held_valid)
		teach_hint_free(&h->held);
	h->held_valid = false;
	/* the line may hold a password (a LOGIN with a slip) */
	if (h->held_line != NULL)
		secure_zero(h->held_line, h->held_len);
	free(h->held_line);
	h->held_line = NULL;
	h->held_len = 0;
}

void
tui_hint_free(struct tui_hint **hp)
{
	struct tui_hint *h = *hp;

	if (h == NULL)
		return;
	forget(h);
	free(h->taken);
	free(h);
	*hp = NULL;
}

static bool
known_mailbox(void *arg, const char *name, size_t len)
{
	struct model *model = arg;
	char *raw;
	bool known;

	if (model == NULL)
		return false;
	raw = xstrndup(name, len);
	known = model_mailboxes_find(model_mailboxes(model), raw) != NULL;
	free(raw);
	return known;
}

static void
hint_of(const struct tui_hint_line *line, struct teach_hint *out)
{
	struct teach_hint_context ctx = {
		.step = line->step,
		.is_mailbox = known_mailbox,
		.is_mailbox_arg = line->model,
	};

	teach_hint(line->text, line->len, line->cursor, &ctx, out);
}

/* The held warning stands while the line is the one it was for. */
static bool
held_for(const struct tui_hint *h, const struct tui_hint_line *line)
{
	return h->held_valid && h->held_line != NULL &&
	    line->len == h->held_len &&
	    memcmp(line->text, h->held_line, line->len) == 0;
}

bool
tui_hint_hold(struct tui_hint *h, const struct tui_hint_line *line,
    const char **text_r, const char **suggestion_r)
{
	bool second = held_for(h, line);

	forget(h);
	if (second || line->len == 0)
		return false; /* the second Enter: sent as typed */
	hint_of(line, &h->held);
	h->held_valid = true;
	if (h->held.warning_count == 0) {
		forget(h);
		return false;
	}
	h->held_line = xstrndup(line->text, line->len);
	h->held_len = line->len;
	*text_r = h->held.warnings[0].text;
	*suggestion_r = h->held.warnings[0].suggestion;
	return true;
}

const char *
tui_hint_take_suggestion(struct tui_hint *h, const struct tui_hint_line *line)
{
	if (!held_for(h, line) || h->held.warnings[0].suggestion == NULL)
		return NULL;
	free(h->taken);
	h->taken = xstrdup(h->held.warnings[0].suggestion);
	forget(h);
	return h->taken;
}

/* The grammar, the argument under the cursor reversed. */
static void
draw_grammar(WINDOW *w, const struct teach_hint *h, int cols)
{
	const char *g = h->syntax->meaning;
	size_t len = strlen(g), from = h->arg >= 0 ? h->arg_start : len;
	size_t to = h->arg >= 0 ? h->arg_end : len;
	int x = 0, used;
	size_t n;

	wattrset(w, A_DIM);
	n = tui_fit_bytes(g, from, cols - x, &used);
	mvwaddnstr(w, 0, x, g, (int)n);
	x += used;
	wattrset(w, A_REVERSE);
	n = tui_fit_bytes(g + from, to - from, cols - x, &used);
	mvwaddnstr(w, 0, x, g + from, (int)n);
	x += used;
	wattrset(w, A_DIM);
	n = tui_fit_bytes(g + to, len - to, cols - x, &used);
	mvwaddnstr(w, 0, x, g + to, (int)n);
	wattrset(w, A_NORMAL);
}

static void
draw_text(WINDOW *w, attr_t attr, const char *text, int cols)
{
	char *escaped;
	size_t len = tui_escape(text, strlen(text), &escaped);

	wattrset(w, attr);
	mvwaddnstr(w, 0, 0, escaped, (int)tui_fit_bytes(escaped, len, cols,
	    NULL));
	wattrset(w, A_NORMAL);
	free(escaped);
}

void
tui_hint_draw(struct tui_hint *h, WINDOW *w, int cols,
    const struct tui_hint_line *line)
{
	struct teach_hint now;
	const char *sugg;
	char *text;

	if (line->len == 0) {
		draw_text(w, A_DIM, "F1: keys, Tab there: IMAP on one screen   "
		    "Alt-t: the transcript explained   Alt-x: explanations",
		    cols);
		return;
	}
	if (held_for(h, line)) {
		sugg = h->held.warnings[0].suggestion;
		text = xasprintf("not sent (see above): Enter sends it as "
		    "typed%s%s", sugg != NULL ? ", Alt-y takes: " : "",
		    sugg != NULL ? sugg : "");
		draw_text(w, A_BOLD, text, cols);
		free(text);
		return;
	}
	hint_of(line, &now);
	if (now.syntax != NULL)
		draw_grammar(w, &now, cols);
	else if (now.warning_count > 0)
		draw_text(w, A_DIM, now.warnings[0].text, cols);
	teach_hint_free(&now);
}
