/* Benchmark for a keypress on a huge index: the real Messages view
 * (src/view-messages.c, through its vtable and key table) over an index
 * of N messages with realistic summaries, drawn into a 52 x 160 curses
 * screen (newterm on /dev/null, xterm-256color) as the TUI draws it: the
 * view's key handling, werase, the view's draw of the visible rows,
 * wnoutrefresh and doupdate.
 *
 * The TUI's host services (tui-host.c: the model, commands, prompts,
 * messages) are stubbed here, so no connection is needed: tui_connected
 * is false, so the view fetches nothing, and the search prompt answers
 * at once with the text being searched for.
 *
 * Phases: build (the index, as bench-model-index), then each cursor key
 * (median of KEY_REPEATS presses), a sort key per column (best of
 * SORT_ROUNDS; each press sorts afresh, since the column before was
 * another), and a search for a text no message has (the whole index is
 * scanned) and for one near the end of the order, in mailbox order and
 * sorted by subject. Output: "N<TAB>phase<TAB>CPU seconds<TAB>wall
 * seconds<TAB>heap<TAB>peak RSS KiB", and the heap bytes of the index
 * alone and with a sort order and the view.
 * tests/bench/run prints the table with the goals. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "bench-measure.h"
#include "fake-summary.h"
#include "model.h"
#include "model-index.h"
#include "model-selected.h"
#include "tui.h"
#include "tui-list.h"

#define SCREEN_ROWS 52 /* 50 rows of messages, the title and the header */
#define SCREEN_COLS 160
#define KEY_REPEATS 21
#define SORT_ROUNDS 3

/* --- the TUI host, stubbed ------------------------------------------------ */

static struct model *bench_model;
static const char *search_text;
static int messages_said;

struct model *
tui_model(struct tui *tui)
{
	(void)tui;
	return bench_model;
}

struct imap_session *
tui_session(struct tui *tui)
{
	(void)tui;
	return NULL;
}

bool
tui_connected(struct tui *tui)
{
	(void)tui;
	return false;
}

void
tui_dirty(struct tui *tui)
{
	(void)tui;
}

struct imap_session_command *
tui_command(struct tui *tui, const char *fmt, ...)
{
	(void)tui;
	(void)fmt;
	return NULL;
}

void
tui_message(struct tui *tui, const char *fmt, ...)
{
	(void)tui;
	(void)fmt;
	messages_said++;
}

void
tui_prompt(struct tui *tui, const char *question, const char *initial,
    tui_prompt_cb *done, void *ctx)
{
	(void)tui;
	(void)question;
	(void)initial;
	done(ctx, search_text);
}

void
tui_set_undo(struct tui *tui, const char *what, tui_undo_fn *undo,
    void *ctx)
{
	(void)tui;
	(void)what;
	(void)undo;
	(void)ctx;
}

int
tui_clicked_row(struct tui *tui)
{
	(void)tui;
	return -1;
}

/* --- measuring ------------------------------------------------------------ */

/* Wall time and this process's CPU time: the machine is shared, so
 * the CPU time is the fairer figure of the work a key does. */
struct timing {
	double cpu;
	double wall;
};

static struct timing
now(void)
{
	struct timing t = { bench_clock(CLOCK_PROCESS_CPUTIME_ID),
		bench_wall() };

	return t;
}

static struct timing
since(struct timing start)
{
	struct timing t = now();

	t.cpu -= start.cpu;
	t.wall -= start.wall;
	return t;
}

static void
report(uint32_t n, const char *phase, struct timing t)
{
	printf("%" PRIu32 "\t%s\t%.4f\t%.4f\t%zu\t%ld\n", n, phase, t.cpu,
	    t.wall, bench_heap_bytes(), bench_peak_rss_kib());
	fflush(stdout);
}

static void
die(const char *what, const char *error)
{
	fprintf(stderr, "bench-view-messages: %s: %s\n", what, error);
	exit(1);
}

static int
cmp_cpu(const void *a, const void *b)
{
	double x = ((const struct timing *)a)->cpu,
	    y = ((const struct timing *)b)->cpu;

	return x < y ? -1 : x > y;
}

/* --- the view ------------------------------------------------------------- */

struct bench_view {
	void *view;
	WINDOW *win;
};

/* One keypress as the TUI handles it: the view's key table finds the
 * action, the view acts, and the pane is redrawn and sent. */
static void
press(struct bench_view *b, int key)
{
	const struct tui_view_ops *ops = &tui_view_messages;
	unsigned mode = ops->mode != NULL ? ops->mode(b->view) : 1;
	const struct tui_key *k = tui_keys_find(ops->keymap, mode, 0, key);

	if (k == NULL)
		die("key", "not in the Messages view's key table");
	ops->key(b->view, k->action, key);
	werase(b->win);
	ops->draw(b->view, b->win, SCREEN_ROWS, SCREEN_COLS);
	wnoutrefresh(b->win);
	doupdate();
}

static struct timing
timed_press(struct bench_view *b, int key)
{
	struct timing t = now();

	press(b, key);
	return since(t);
}

/* --- the index ------------------------------------------------------------ */

static void
cursor_keys(struct bench_view *b, uint32_t n)
{
	static const struct {
		const char *phase;
		int key;
	} keys[] = {
		{ "key-down", TUI_KEY(KEY_DOWN) },
		{ "key-pgdn", TUI_KEY(KEY_NPAGE) },
		{ "key-end", TUI_KEY(KEY_END) },
		{ "key-home", TUI_KEY(KEY_HOME) },
	};
	struct timing t[KEY_REPEATS];
	size_t i, r;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		for (r = 0; r < KEY_REPEATS; r++) {
			/* End and Home from the other end each time */
			if (keys[i].key == TUI_KEY(KEY_END))
				press(b, TUI_KEY(KEY_HOME));
			else if (keys[i].key == TUI_KEY(KEY_HOME))
				press(b, TUI_KEY(KEY_END));
			t[r] = timed_press(b, keys[i].key);
		}
		qsort(t, KEY_REPEATS, sizeof(t[0]), cmp_cpu);
		report(n, keys[i].phase, t[KEY_REPEATS / 2]);
	}
}

/* Each sort key's first press after another column sorts afresh. */
static void
sort_keys(struct bench_view *b, uint32_t n)
{
	static const struct {
		const char *phase;
		int key;
	} keys[] = {
		{ "sort-seq", '1' },
		{ "sort-uid", '2' },
		{ "sort-flags", '3' },
		{ "sort-date", '4' },
		{ "sort-from", '5' },
		{ "sort-subject", '6' },
		{ "sort-size", '7' },
	};
	struct timing best[sizeof(keys) / sizeof(keys[0])], t;
	size_t i, r;

	for (r = 0; r < SORT_ROUNDS; r++)
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			t = timed_press(b, keys[i].key);
			if (r == 0 || t.cpu < best[i].cpu)
				best[i] = t;
		}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		report(n, keys[i].phase, best[i]);
	/* the second press on a column reverses it */
	report(n, "sort-reverse", timed_press(b, '7'));
}

/* / and text from the first row: best of SORT_ROUNDS. */
static void
search_phase(struct bench_view *b, uint32_t n, const char *phase,
    const char *text, bool found)
{
	struct timing t, best = { 0, 0 };
	int r, said;

	search_text = text;
	for (r = 0; r < SORT_ROUNDS; r++) {
		press(b, TUI_KEY(KEY_HOME));
		said = messages_said;
		t = timed_press(b, '/');
		if ((messages_said == said) != found)
			die(phase, found ? "no match" : "a match");
		if (r == 0 || t.cpu < best.cpu)
			best = t;
	}
	report(n, phase, best);
}

/* A text no message has (every row is looked at), and the last
 * message's "#msn" (found after nearly all of them), in mailbox order
 * and sorted by subject; then n to the next match of a common word. */
static void
searches(struct bench_view *b, uint32_t n)
{
	char last[32];

	snprintf(last, sizeof(last), "#%" PRIu32, n);
	press(b, '1'); /* mailbox order (the column before was another) */
	search_phase(b, n, "search-miss", "no message has this", false);
	search_phase(b, n, "search-last", last, true);
	press(b, '6');
	search_phase(b, n, "search-miss-sorted", "no message has this",
	    false);
	search_phase(b, n, "search-next", "budget", true);
	report(n, "search-n", timed_press(b, 'n'));
}

static void
run(uint32_t n)
{
	struct model_selected *sel;
	struct bench_view b;
	const char *error;
	size_t heap0;
	struct timing t;

	bench_model = model_new(0);
	sel = model_selected(bench_model);
	model_selected_opening(sel, "INBOX", false);
	model_selected_opened(sel, true, false);
	fake_rng_seed(n);
	heap0 = bench_heap_bytes();
	t = now();
	if (fake_index_fill(sel->index, n, 2000, &error) < 0)
		die("fill", error);
	report(n, "build", since(t));
	printf("%" PRIu32 "\tindex-bytes\t%zu\n", n,
	    bench_heap_bytes() - heap0);

	memset(&b, 0, sizeof(b));
	b.win = newwin(SCREEN_ROWS, SCREEN_COLS, 0, 0);
	if (b.win == NULL)
		die("curses", "newwin failed");
	b.view = tui_view_messages.create(NULL);
	tui_view_messages.on_show(b.view);
	press(&b, TUI_KEY(KEY_HOME));
	cursor_keys(&b, n);
	sort_keys(&b, n);
	searches(&b, n);
	/* everything a user has after a sort: the index, its order and
	 * the view */
	press(&b, '6');
	printf("%" PRIu32 "\tsorted-bytes\t%zu\n", n,
	    bench_heap_bytes() - heap0);
	tui_view_messages.destroy(b.view);
	delwin(b.win);
	model_free(&bench_model);
}

int
main(int argc, char **argv)
{
	FILE *out, *in;
	SCREEN *screen;
	unsigned long n;
	char *end;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-view-messages N...\n");
		return 2;
	}
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	if (out == NULL || in == NULL)
		die("/dev/null", strerror(errno));
	screen = newterm("xterm-256color", out, in);
	if (screen == NULL)
		die("curses", "newterm xterm-256color failed");
	set_term(screen);
	for (i = 1; i < argc; i++) {
		errno = 0;
		n = strtoul(argv[i], &end, 10);
		if (errno != 0 || *end != '\0' || n == 0 || n > 10000000) {
			fprintf(stderr, "bench-view-messages: bad count %s\n",
			    argv[i]);
			return 2;
		}
		run((uint32_t)n);
	}
	endwin();
	delscreen(screen);
	fclose(out);
	fclose(in);
	return 0;
}
