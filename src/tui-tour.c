/* tui-tour: the guided tour's band, its steps shown one at a time, and
 * the learner's commands moving it on (tui-tour.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode-response.h"
#include "model.h"
#include "teach-knowledge.h"
#include "teach-tour.h"
#include "tui-console.h"
#include "tui-draw.h"
#include "tui-host.h"
#include "tui-tour.h"
#include "util-mem.h"

struct tui_tour {
	size_t step;
	bool pretype;     /* the step's command waits to be pre-typed */
	char prefix[64];  /* where the tour's mailboxes go (teach-tour.h) */
	char delimiter;
	char outcome[256]; /* how the last step's command ended, or "" */
};

struct tui_tour *
tui_tour_new(void)
{
	struct tui_tour *tour = xcalloc(1, sizeof(*tour));

	tour->delimiter = '/';
	return tour;
}

void
tui_tour_free(struct tui_tour **tour)
{
	free(*tour);
	*tour = NULL;
}

/* Where the user's own mailboxes live: Cyrus puts them under "INBOX."
 * (its personal namespace, RFC 2342), Dovecot at the top. Read off the
 * LIST the TUI sent at login: INBOX's delimiter, and whether other
 * mailboxes sit inside INBOX. */
static void
learn_names(struct tui *t)
{
	struct tui_tour *tour = t->tour;
	struct model_mailboxes *boxes = model_mailboxes(tui_model(t));
	const struct model_mailbox *inbox, *mb;
	char under[8];
	size_t i, n = 0;

	inbox = model_mailboxes_find(boxes, "INBOX");
	if (inbox == NULL || inbox->delimiter == '\0')
		return;
	tour->delimiter = inbox->delimiter;
	snprintf(under, sizeof(under), "INBOX%c", inbox->delimiter);
	for (i = 0; (mb = model_mailboxes_row(boxes, i)) != NULL; i++)
		if (mb->listed && strncmp(mb->raw, under, strlen(under)) == 0)
			n++;
	snprintf(tour->prefix, sizeof(tour->prefix), "%s", n > 0 ? under : "");
}

static char *
expand(struct tui *t, const char *text)
{
	struct teach_tour_names names = { t->tour->prefix, t->tour->delimiter };

	return teach_tour_expand(text, &names);
}

/* Show step i: its view, and its command pre-typed at the next turn. */
static void
show_step(struct tui *t, size_t i)
{
	const struct teach_tour_step *step = teach_tour_step(i);

	if (step == NULL)
		return;
	t->tour->step = i;
	if (i == 0 || strchr(step->command != NULL ? step->command : "", '%'))
		learn_names(t);
	tui_show_view(t, step->view);
	t->focus = FOCUS_CONSOLE;
	t->held = false;
	t->tour->pretype = true;
	t->relayout = t->cols < TUI_SPLIT_COLS;
	t->dirty = true;
}

void
tui_tour_start(struct tui *t)
{
	if (t->tour != NULL)
		show_step(t, 0);
}

void
tui_tour_next(struct tui *t)
{
	if (t->tour == NULL) {
		tui_message(t, "no tour: imapwb --tour starts one");
		return;
	}
	t->tour->outcome[0] = '\0';
	if (t->tour->step + 1 < teach_tour_count())
		show_step(t, t->tour->step + 1);
	else
		tui_message(t, "the tour is over (Alt-p: back)");
}

void
tui_tour_prev(struct tui *t)
{
	if (t->tour == NULL) {
		tui_message(t, "no tour: imapwb --tour starts one");
		return;
	}
	t->tour->outcome[0] = '\0';
	if (t->tour->step > 0)
		show_step(t, t->tour->step - 1);
	else
		tui_message(t, "this is the tour's first step");
}

/* Whether the model holds what the step should have produced. */
static bool
check_holds(struct tui *t, enum teach_tour_check check)
{
	const struct model_selected *sel = model_selected(tui_model(t));
	bool open = sel->state == MODEL_SELECTED_OPEN;

	switch (check) {
	case TOUR_CHECK_NONE:
		return true;
	case TOUR_CHECK_SELECTED_RO:
		return open && sel->read_only;
	case TOUR_CHECK_SELECTED_RW:
		return open && !sel->read_only;
	case TOUR_CHECK_NOTHING_SELECTED:
		return sel->state == MODEL_SELECTED_NONE;
	}
	return true;
}

/* How the step's command ended, for the band and the console. */
static void
judge(struct tui *t, const struct teach_tour_step *step,
    enum imap_command_result result)
{
	static const char *const results[] = { "OK", "NO", "BAD", "failed" };
	struct tui_tour *tour = t->tour;
	size_t n = tour->step + 1;

	if (result == IMAP_RESULT_OK && check_holds(t, step->check)) {
		snprintf(tour->outcome, sizeof(tour->outcome),
		    "Step %zu ended OK%s%s.", n,
		    step->check != TOUR_CHECK_NONE ? ": " : "",
		    teach_tour_check_text(step->check));
		return;
	}
	if (result == IMAP_RESULT_OK)
		snprintf(tour->outcome, sizeof(tour->outcome),
		    "Step %zu ended OK, but it is not so that %s. Alt-p: "
		    "back to it.", n, teach_tour_check_text(step->check));
	else if (result == IMAP_RESULT_FAILED)
		snprintf(tour->outcome, sizeof(tour->outcome),
		    "Step %zu: the command got no reply (the connection is "
		    "gone: r reconnects).", n);
	else
		snprintf(tour->outcome, sizeof(tour->outcome),
		    "Step %zu ended %s: the server %s (its reason is in the "
		    "console). Alt-p: back to try again.", n, results[result],
		    result == IMAP_RESULT_NO ? "refused it"
		    : "took it for invalid, or not valid now");
	tui_console_note(t->console, TUI_LINE_NOTE, tour->outcome);
}

void
tui_tour_completed(struct tui *t, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged)
{
	const struct imap_origin *origin = imap_session_command_origin(cmd);
	const struct teach_tour_step *step;

	(void)tagged;
	if (t->tour == NULL || origin == NULL ||
	    origin->kind != IMAP_ORIGIN_CONSOLE ||
	    (step = teach_tour_step(t->tour->step)) == NULL ||
	    t->tour->step + 1 >= teach_tour_count())
		return;
	judge(t, step, result);
	show_step(t, t->tour->step + 1);
}

void
tui_tour_turn(struct tui *t)
{
	const struct teach_tour_step *step;
	char *line;

	if (t->tour == NULL || !t->tour->pretype)
		return;
	t->tour->pretype = false;
	step = teach_tour_step(t->tour->step);
	line = expand(t, step->command != NULL ? step->command : "");
	tui_console_set_input(t->console, line);
	free(line);
}

/* --- the band ---------------------------------------------------------- */

/* One paragraph from row y on, at most max rows; the rows it took. */
static int
draw_paragraph(WINDOW *w, int y, int max, int cols, attr_t attr,
    const char *text)
{
	int n;

	if (max <= 0)
		return 0;
	wattrset(w, attr);
	n = tui_draw_wrapped(w, y, 1, cols - 2, 0, max, text, strlen(text));
	wattrset(w, A_NORMAL);
	return n < max ? n : max;
}

/* The rows the fixed lines at the foot take: what to send, the last
 * step's outcome. */
static int
foot_rows(struct tui *t, const struct teach_tour_step *step, int cols,
    const char *send)
{
	int n = tui_draw_wrapped(NULL, 0, 1, cols - 2, 0, 4, send,
	    strlen(send));

	(void)step;
	if (t->tour->outcome[0] != '\0')
		n += tui_draw_wrapped(NULL, 0, 1, cols - 2, 0, 3,
		    t->tour->outcome, strlen(t->tour->outcome));
	return n;
}

static void
draw_title(struct tui *t, WINDOW *w, int cols)
{
	const struct teach_tour_step *step = teach_tour_step(t->tour->step);
	char title[256];
	const char *keys = "Alt-n next  Alt-p back ";
	int kw = (int)strlen(keys);

	snprintf(title, sizeof(title), " Tour %zu/%zu: %s",
	    t->tour->step + 1, teach_tour_count(), step->title);
	wattrset(w, tui_attr(TUI_COLOR_BAR) | A_BOLD);
	mvwhline(w, 0, 0, ' ', cols);
	tui_draw_str(w, 0, 0, title, cols > kw + 10 ? cols - kw : cols);
	if (cols > kw + 10)
		tui_draw_str(w, 0, cols - kw, keys, kw);
	wattrset(w, A_NORMAL);
}

/* The knowledge row's meaning and section: "FETCH: fetch message data
 * (RFC 9051 §6.4.5)". */
static char *
cite_line(const struct teach_tour_step *step)
{
	const struct knowledge_row *row;
	char cite[KNOWLEDGE_CITE_MAX];

	if (step->know_name == NULL ||
	    (row = knowledge_find(step->know_kind, step->know_name)) == NULL)
		return NULL;
	return xasprintf("%s: %s (%s)", row->name, row->meaning,
	    knowledge_cite(row, cite, sizeof(cite)));
}

void
tui_tour_draw(struct tui *t, WINDOW *w, int rows, int cols)
{
	const struct teach_tour_step *step = teach_tour_step(t->tour->step);
	char *text, *look, *send, *cite;
	int y = 1, foot;

	werase(w);
	if (step == NULL || rows < 3 || cols < 20)
		return;
	text = expand(t, step->text);
	{
		char *what = expand(t, step->look);

		look = xasprintf("Look at: %s", what);
		free(what);
	}
	cite = cite_line(step);
	if (step->command != NULL) {
		char *cmd = expand(t, step->command);

		send = xasprintf("Send: %s   (on the input line: Enter sends "
		    "it; change it first if you like)", cmd);
		free(cmd);
	} else
		send = xstrdup("Nothing to send here: Alt-n goes on.");
	draw_title(t, w, cols);
	foot = foot_rows(t, step, cols, send);
	y += draw_paragraph(w, y, rows - y - foot, cols, A_NORMAL, text);
	if (cite != NULL)
		y += draw_paragraph(w, y, rows - y - foot, cols, A_DIM, cite);
	y += draw_paragraph(w, y, rows - y - foot, cols, A_NORMAL, look);
	y = rows - foot;
	y += draw_paragraph(w, y, rows - y, cols, A_BOLD, send);
	if (t->tour->outcome[0] != '\0')
		draw_paragraph(w, y, rows - y, cols,
		    strstr(t->tour->outcome, "ended OK.") != NULL ||
			strstr(t->tour->outcome, "ended OK:") != NULL
			? A_DIM : tui_attr(TUI_COLOR_ERROR) | A_BOLD,
		    t->tour->outcome);
	free(text);
	free(look);
	free(send);
	free(cite);
}
