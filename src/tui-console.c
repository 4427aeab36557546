/* tui-console: the transcript ring and the readline input line.
 *
 * Readline runs in callback mode and never touches the terminal: its
 * terminal preparation is a no-op, its output goes to /dev/null, keys
 * come from the TUI's loop through rl_getc_function, and the line is
 * drawn by tui_console_draw_input() from rl_line_buffer (with the secret
 * part masked). (After Profanity's inputwin.c.) */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "client-complete.h"
#include "client-console-input.h"
#include "text-display.h"
#include "model.h"
#include "teach-explain.h"
#include "client-transcript.h"
#include "tui-console.h"
#include "tui-draw.h"
#include "tui-hint.h"
#include "tui-keys.h"
#include "tui-link.h"
#include "util-mem.h"

#define KEY_QUEUE 64
/* What a folded command keeps of its traffic for the expanded view; the
 * --transcript file keeps every byte. */
#define FOLD_DETAIL_LINES 200
#define FOLD_DETAIL_BYTES (32u * 1024)
#define FOLD_COMMAND_BYTES 72
#define FOLD_NAMES 3
#define FOLDS_OPEN 64

/* A guest's command (a view's, a job's) shown as one line: its origin,
 * its command line and a summary of the reply (DESIGN.md, "Guests are
 * quiet"); its lines are kept, capped, for the expanded view. */
struct tui_fold {
	const struct imap_session_command *cmd; /* NULL once it ended */
	char origin[24];
	char tag[32];
	char command[FOLD_COMMAND_BYTES + 8];
	struct {
		char name[16];
		uint64_t count;
	} names[FOLD_NAMES];
	uint64_t bytes;    /* the server's reply, bytes */
	const char *result; /* "OK", "NO", "BAD", "failed"; NULL: running */
	double ms;
	char **detail;      /* escaped lines with their "C: "/"S: " */
	size_t detail_count;
	size_t detail_bytes;
	uint64_t detail_dropped; /* lines past the cap */
	bool stale;         /* its line is rendered at the next draw */
};

struct tui_line {
	enum tui_line_kind kind;
	char *text;         /* escaped, safe to draw */
	size_t len;
	double ms;          /* the command's latency, or < 0 */
	struct tui_fold *fold; /* TUI_LINE_FOLD */
	const char *origin; /* NULL: the user's connection */
	/* The lines of one wire event (a command's chunk, a response) are
	 * a group: the serial of its first line. The group's last line
	 * holds what teach-explain said of it and the view row it updated
	 * (tui-link.h); its first is marked when it is a NO or a BAD. */
	uint64_t group;
	char *explain;      /* "Ktext\n" a line, K an explain_kind digit */
	struct tui_link *link;
	bool failed;
	char *literal;      /* the response's largest literal, its bytes */
	size_t literal_len;
	/* the bytes of a tag imapwb added that start the line: drawn dim,
	 * so the typist sees which part was not typed */
	size_t added_tag;
};

struct tui_console {
	struct imap_session *session;
	struct model *model;
	struct console_input *input;
	char *history_path;
	bool readline_on;
	bool dirty;

	/* the ring: lines[(first + i) % MAX] for i < count */
	struct tui_line *lines;
	size_t first, count;
	/* scrollback, in screen rows above the bottom */
	int scroll;
	int last_rows, last_cols;

	unsigned char keys[KEY_QUEUE];
	size_t key_head, key_count;

	uint64_t show_literal; /* --show-literal: bytes of a literal shown */
	bool manual_tags;   /* --tags manual */
	bool tag_note_said; /* what an added tag is, said once */
	bool expand;        /* folded commands are shown in full */
	struct tui_fold *open[FOLDS_OPEN]; /* folds whose command runs */

	/* lines dropped from the ring: line i has serial dropped + i */
	uint64_t dropped;
	/* the wire event being shown, and the last one shown in full (its
	 * first and last serials) that a response may still explain */
	bool in_group;
	uint64_t group_first, group_last;
	bool group_open;
	struct explainer *explainer;
	struct buf explained; /* what the explainer said of the group */
	enum tui_explain_inline explain_inline;
	/* transcript mode: a cursor on a line, explained in a band */
	bool transcript_mode;
	uint64_t cursor;    /* a serial */
	int band_rows;      /* at the last draw */
	bool finding;       /* n looks for older lines about `found` */
	struct tui_link found;
	struct tui_hint *hint; /* the row under the input line */
	size_t literals_kept; /* lines holding a literal */
};

static explain_line_fn on_explain_line;

/* Readline's callbacks carry no context: one console per process. */
static struct tui_console *active;

static void
fold_free(struct tui_fold **fp)
{
	struct tui_fold *f = *fp;
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->detail_count; i++)
		free(f->detail[i]);
	free(f->detail);
	free(f);
	*fp = NULL;
}

/* Free what a line holds; a fold still open is forgotten first. */
static void
line_clear(struct tui_console *c, struct tui_line *l)
{
	size_t i;

	for (i = 0; l->fold != NULL && i < FOLDS_OPEN; i++)
		if (c->open[i] == l->fold)
			c->open[i] = NULL;
	fold_free(&l->fold);
	free(l->text);
	l->text = NULL;
	free(l->explain);
	l->explain = NULL;
	free(l->link);
	l->link = NULL;
	if (l->literal != NULL)
		c->literals_kept--;
	free(l->literal);
	l->literal = NULL;
}

struct tui_console *
tui_console_new(struct imap_session *session, struct model *model)
{
	struct tui_console *c = xcalloc(1, sizeof(*c));

	c->session = session;
	c->model = model;
	c->input = session != NULL ? console_input_new(session) : NULL;
	c->lines = xcalloc(TUI_CONSOLE_MAX_LINES, sizeof(*c->lines));
	c->show_literal = TRANSCRIPT_SHOW_LITERAL;
	c->explainer = explainer_new(on_explain_line, c);
	buf_init(&c->explained, 1 << 20);
	c->hint = tui_hint_new();
	c->dirty = true;
	return c;
}

void
tui_console_free(struct tui_console **cp)
{
	struct tui_console *c = *cp;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->count; i++)
		line_clear(c, &c->lines[(c->first + i) % TUI_CONSOLE_MAX_LINES]);
	free(c->lines);
	tui_hint_free(&c->hint);
	explainer_free(&c->explainer);
	buf_free(&c->explained);
	console_input_free(&c->input);
	free(c->history_path);
	free(c);
	*cp = NULL;
}

void
tui_console_set_show_literal(struct tui_console *c, uint64_t show_bytes)
{
	c->show_literal = show_bytes;
}

/* A literal shows about a screenful: as many lines as the transcript is
 * high, less the five around them (the response's first line, the "…
 * more bytes" line, the response's end, the tagged reply and the
 * automatic IDLE's line after it), so that a 64 KiB body neither buries
 * the rest nor fills the ring; 40 before the first draw. A line wider
 * than the pane takes more than one row. */
static void
console_literals(const struct tui_console *c, bool client,
    struct display_literals *literals_r)
{
	size_t lines = 40;

	if (c->last_rows > 0)
		lines = c->last_rows > 9 ? (size_t)c->last_rows - 5 : 4;
	transcript_literals(client, c->show_literal, lines, literals_r);
}

bool
tui_console_dirty(const struct tui_console *c)
{
	return c->dirty;
}

/* --- the ring ------------------------------------------------------------ */

static void
push_line(struct tui_console *c, enum tui_line_kind kind, const char *origin,
    const char *escaped, size_t len)
{
	struct tui_line *l;

	if (c->count == TUI_CONSOLE_MAX_LINES) {
		/* full: the oldest line goes */
		line_clear(c, &c->lines[c->first]);
		c->first = (c->first + 1) % TUI_CONSOLE_MAX_LINES;
		c->count--;
		c->dropped++;
	}
	l = &c->lines[(c->first + c->count) % TUI_CONSOLE_MAX_LINES];
	l->kind = kind;
	l->text = xstrndup(escaped, len);
	l->len = len;
	l->ms = -1;
	l->fold = NULL;
	l->origin = origin;
	l->group = c->in_group ? c->group_first : c->dropped + c->count;
	l->explain = NULL;
	l->link = NULL;
	l->failed = false;
	l->literal = NULL;
	l->literal_len = 0;
	l->added_tag = 0;
	c->count++;
	c->dirty = true;
}

/* The line with this serial, or NULL once it left the ring. */
static struct tui_line *
line_by_serial(struct tui_console *c, uint64_t serial)
{
	if (serial < c->dropped || serial - c->dropped >= c->count)
		return NULL;
	return &c->lines[(c->first + (size_t)(serial - c->dropped)) %
	    TUI_CONSOLE_MAX_LINES];
}

static struct tui_line *
line_at(struct tui_console *c, size_t i)
{
	return &c->lines[(c->first + i) % TUI_CONSOLE_MAX_LINES];
}

struct wire_ctx {
	struct tui_console *c;
	enum tui_line_kind kind;
	const char *origin;
};

static void
wire_line(void *ctx, const char *escaped, size_t len)
{
	struct wire_ctx *w = ctx;

	push_line(w->c, w->kind, w->origin, escaped, len);
}

/* --- folded guest commands ----------------------------------------------- */

/* Whose traffic is folded: everyone's but the user's and the client's
 * own setup (which happens before the console shows anything). */
static bool
is_guest(const struct imap_session_command *cmd)
{
	enum imap_origin_kind kind;

	if (cmd == NULL)
		return false;
	kind = imap_session_command_origin(cmd)->kind;
	return kind == IMAP_ORIGIN_VIEW || kind == IMAP_ORIGIN_JOB ||
	    kind == IMAP_ORIGIN_AUTO;
}

static struct tui_fold *
fold_find(struct tui_console *c, const struct imap_session_command *cmd)
{
	size_t i;

	for (i = 0; i < FOLDS_OPEN; i++)
		if (c->open[i] != NULL && c->open[i]->cmd == cmd)
			return c->open[i];
	return NULL;
}

static void
append_size(struct buf *b, uint64_t bytes)
{
	if (bytes < 1024)
		buf_printf(b, "%llu B", (unsigned long long)bytes);
	else if (bytes < 1024 * 1024)
		buf_printf(b, "%.1f KB", (double)bytes / 1024);
	else
		buf_printf(b, "%.1f MB", (double)bytes / (1024 * 1024));
}

/* "abc7 [messages] FETCH 1:1000 (UID …) → 1000 FETCH, 412.0 KB, OK
 * 18.0 ms" */
static void
fold_render(struct tui_line *l)
{
	const struct tui_fold *f = l->fold;
	struct buf b;
	size_t i;

	buf_init(&b, 4096);
	buf_printf(&b, "%s [%s] %s", f->tag, f->origin, f->command);
	if (f->result != NULL || f->bytes > 0) {
		buf_append_str(&b, " \xe2\x86\x92 ");
		for (i = 0; i < FOLD_NAMES && f->names[i].count > 0; i++) {
			/* the name is the server's bytes (8-bit is atom) */
			char *name;

			(void)tui_escape(f->names[i].name,
			    strlen(f->names[i].name), &name);
			buf_printf(&b, "%llu %s, ",
			    (unsigned long long)f->names[i].count, name);
			free(name);
		}
		append_size(&b, f->bytes);
	}
	if (f->result != NULL)
		buf_printf(&b, ", %s %.1f ms", f->result, f->ms);
	else
		buf_append_str(&b, " \xe2\x80\xa6");
	free(l->text);
	l->len = b.len;
	l->text = buf_steal(&b);
}

static void
fold_count_name(struct tui_fold *f, const char *name)
{
	size_t i;

	for (i = 0; i < FOLD_NAMES; i++) {
		if (f->names[i].count == 0)
			snprintf(f->names[i].name, sizeof(f->names[i].name),
			    "%s", name);
		if (strcmp(f->names[i].name, name) == 0) {
			f->names[i].count++;
			return;
		}
	}
}

/* The name of an untagged response from its text ("* 5 FETCH (..." is a
 * FETCH); tagged replies and continuations are not counted. */
static void
fold_count(struct tui_fold *f, const char *text, size_t len)
{
	char name[16];
	size_t i = 2, n = 0;

	if (len < 3 || text[0] != '*' || text[1] != ' ')
		return;
	while (i < len && text[i] >= '0' && text[i] <= '9')
		i++;
	if (i > 2 && i < len && text[i] == ' ')
		i++;
	else
		i = 2;
	/* the name ends where the parser's atom does (RFC 9051 9:
	 * atom-specials), so "* 1 FETCH(UID 1)" counts as a FETCH */
	while (i < len && n + 1 < sizeof(name) &&
	    (unsigned char)text[i] > ' ' && text[i] != 0x7f &&
	    strchr("(){%*\"\\][", text[i]) == NULL)
		name[n++] = text[i++];
	name[n] = '\0';
	if (n > 0)
		fold_count_name(f, name);
}

struct detail_ctx {
	struct tui_fold *f;
	bool client;
};

/* It keeps no more lines (once one was dropped, the cap is reached). */
static bool
fold_full(const struct tui_fold *f)
{
	return f->detail_count == FOLD_DETAIL_LINES || f->detail_dropped > 0;
}

static void
fold_detail_line(void *ctx, const char *escaped, size_t len)
{
	struct detail_ctx *d = ctx;
	struct tui_fold *f = d->f;

	if (f->detail_count == FOLD_DETAIL_LINES ||
	    f->detail_bytes + len > FOLD_DETAIL_BYTES) {
		f->detail_dropped++;
		return;
	}
	f->detail = xreallocarray(f->detail, f->detail_count + 1,
	    sizeof(*f->detail));
	f->detail[f->detail_count++] = xasprintf("%s%.*s",
	    d->client ? "C: " : "S: ", (int)len, escaped);
	f->detail_bytes += len;
}

/* The first line of the command, escaped and cut to a summary's width. */
static void
fold_command_text(struct tui_fold *f, const char *text, size_t len)
{
	size_t line = 0, cut;
	char *escaped;
	size_t elen;

	while (line < len && text[line] != '\r' && text[line] != '\n')
		line++;
	/* the tag first, then the origin, then the command */
	cut = 0;
	while (cut < line && text[cut] != ' ')
		cut++;
	elen = tui_escape(text, cut, &escaped);
	snprintf(f->tag, sizeof(f->tag), "%.*s", (int)elen, escaped);
	free(escaped);
	if (cut < line)
		cut++;
	elen = tui_escape(text + cut, line - cut, &escaped);
	if (elen > FOLD_COMMAND_BYTES) {
		elen = FOLD_COMMAND_BYTES;
		/* never cut inside a UTF-8 sequence */
		while (elen > 0 && ((unsigned char)escaped[elen] & 0xc0) == 0x80)
			elen--;
		snprintf(f->command, sizeof(f->command), "%.*s\xe2\x80\xa6",
		    (int)elen, escaped);
	} else
		snprintf(f->command, sizeof(f->command), "%.*s", (int)elen,
		    escaped);
	free(escaped);
}

/* The line that shows fold f (the newest lines first: a fold is young). */
static struct tui_line *
fold_line(struct tui_console *c, const struct tui_fold *f)
{
	size_t i;

	for (i = c->count; i > 0; i--)
		if (line_at(c, i - 1)->fold == f)
			return line_at(c, i - 1);
	return NULL;
}

static struct tui_fold *
fold_open(struct tui_console *c, const char *connection,
    const struct imap_session_command *cmd, const char *text, size_t len)
{
	const struct imap_origin *o = imap_session_command_origin(cmd);
	struct tui_fold *f = xcalloc(1, sizeof(*f));
	struct tui_line *l;
	size_t i, slot = FOLDS_OPEN;

	f->cmd = cmd;
	snprintf(f->origin, sizeof(f->origin), "%s",
	    o->name != NULL ? o->name : imap_origin_kind_name(o->kind));
	for (i = 0; f->origin[i] != '\0'; i++)
		if (f->origin[i] >= 'A' && f->origin[i] <= 'Z')
			f->origin[i] = (char)(f->origin[i] - 'A' + 'a');
	fold_command_text(f, text, len);
	for (i = 0; i < FOLDS_OPEN; i++)
		if (c->open[i] == NULL) {
			slot = i;
			break;
		}
	if (slot == FOLDS_OPEN) {
		/* more guests in flight than we follow: the oldest's fold
		 * stops updating (its lines still reach the transcript) */
		if (c->open[0]->stale && (l = fold_line(c, c->open[0])) != NULL)
			fold_render(l);
		c->open[0]->stale = false;
		c->open[0]->cmd = NULL;
		slot = 0;
	}
	push_line(c, TUI_LINE_FOLD, connection, "", 0);
	l = line_at(c, c->count - 1);
	l->fold = f;
	c->open[slot] = f;
	fold_render(l);
	return f;
}

static void
fold_take(struct tui_console *c, const char *connection,
    const struct imap_session_command *cmd, bool client, const char *text,
    size_t len)
{
	struct tui_fold *f = fold_find(c, cmd);
	struct display_literals literals;
	struct detail_ctx d;
	struct tui_line *l;

	if (f == NULL) {
		if (!client)
			return; /* its fold was evicted: the transcript has it */
		f = fold_open(c, connection, cmd, text, len);
	}
	d.f = f;
	d.client = client;
	/* past the cap nothing more is kept: a view's 100k FETCH lines
	 * are not escaped for nothing */
	if (fold_full(f))
		f->detail_dropped++;
	else {
		console_literals(c, client, &literals);
		display_wire_lines(text, len, &literals, fold_detail_line,
		    &d);
	}
	if (!client) {
		f->bytes += len;
		fold_count(f, text, len);
	}
	/* its summary is rendered when drawn, not at every response */
	if (f->stale)
		return;
	if (!fold_full(f)) {
		if ((l = fold_line(c, f)) != NULL)
			fold_render(l);
	} else
		f->stale = true;
	c->dirty = true;
}

/* --- explanations -------------------------------------------------------- */

static void
on_explain_line(void *ctx, enum explain_kind kind, const char *text)
{
	struct tui_console *c = ctx;
	char *escaped;
	size_t len = tui_escape(text, strlen(text), &escaped);

	if (buf_printf(&c->explained, "%d", (int)kind) != 0 ||
	    buf_append(&c->explained, escaped, len) != 0 ||
	    buf_append(&c->explained, "\n", 1) != 0)
		buf_reset(&c->explained); /* a bound no explanation reaches */
	free(escaped);
}

/* What the explainer said goes to the group's last line. */
static void
attach_explained(struct tui_console *c)
{
	struct tui_line *l = line_by_serial(c, c->group_last);
	char *old;

	if (c->explained.len == 0)
		return;
	if (l != NULL) {
		old = l->explain;
		l->explain = xasprintf("%s%s", old != NULL ? old : "",
		    buf_str(&c->explained));
		free(old);
		c->dirty = true;
	}
	buf_reset(&c->explained);
}

/* The largest literal kept inline among args (in lists too). */
static const struct imap_arg *
largest_literal(const struct imap_arg *args, size_t count,
    const struct imap_arg *best)
{
	size_t i;

	for (i = 0; i < count; i++) {
		const struct imap_arg *a = &args[i];

		if (a->type == IMAP_ARG_LIST)
			best = largest_literal(a->u.list.args, a->u.list.count,
			    best);
		else if ((a->type == IMAP_ARG_LITERAL ||
		    a->type == IMAP_ARG_LITERAL8) &&
		    (best == NULL || a->u.str.len > best->u.str.len))
			best = a;
	}
	return best;
}

/* Keep the response's largest literal on l, for e and s in transcript
 * mode; past TUI_CONSOLE_KEPT_LITERALS the oldest kept one goes. */
static void
keep_literal(struct tui_console *c, struct tui_line *l,
    const struct imap_response *r)
{
	const struct imap_arg *lit = largest_literal(r->args, r->count, NULL);
	size_t i;

	if (lit == NULL || l->literal != NULL)
		return;
	for (i = 0; c->literals_kept >= TUI_CONSOLE_KEPT_LITERALS &&
	     i < c->count; i++) {
		struct tui_line *old = line_at(c, i);

		if (old->literal != NULL) {
			free(old->literal);
			old->literal = NULL;
			c->literals_kept--;
		}
	}
	l->literal = xmalloc(lit->u.str.len + 1);
	memcpy(l->literal, lit->u.str.data, lit->u.str.len);
	l->literal[lit->u.str.len] = '\0';
	l->literal_len = lit->u.str.len;
	c->literals_kept++;
}

void
tui_console_response(struct tui_console *c, const struct decoded_response *d)
{
	struct tui_line *first;
	struct tui_link link;

	if (!c->group_open || is_guest(d->owner))
		return;
	explain_response(c->explainer, d);
	attach_explained(c);
	if (tui_link_from_response(d, &link)) {
		struct tui_line *l = line_by_serial(c, c->group_last);

		if (l != NULL && l->link == NULL) {
			l->link = xmalloc(sizeof(*l->link));
			*l->link = link;
		}
	}
	if ((first = line_by_serial(c, c->group_last)) != NULL)
		keep_literal(c, first, d->raw);
	first = line_by_serial(c, c->group_first);
	if (first != NULL && (d->raw->status == IMAP_STATUS_NO ||
	    d->raw->status == IMAP_STATUS_BAD))
		first->failed = true;
	c->group_open = false;
}

const char *
tui_console_cycle_explain(struct tui_console *c)
{
	static const char *const names[] = {
		[TUI_EXPLAIN_CODES] = "explanations: response codes",
		[TUI_EXPLAIN_ALL] = "explanations: every line",
		[TUI_EXPLAIN_NONE] = "explanations: none (Alt-t still explains)",
	};

	c->explain_inline = (c->explain_inline + 1) % 3;
	c->dirty = true;
	return names[c->explain_inline];
}

/* A typed command's first line whose tag imapwb added: mark the tag to
 * be drawn dim, and say once what it is. */
static void
mark_added_tag(struct tui_console *c, uint64_t first,
    const struct imap_session_command *cmd)
{
	const char *tag = imap_session_command_get(cmd)->tag;
	struct tui_line *l = line_by_serial(c, first);
	size_t len = strlen(tag);
	char note[512];

	if (l == NULL || l->len <= len || strncmp(l->text, tag, len) != 0 ||
	    l->text[len] != ' ')
		return; /* not its first line: a literal's bytes, DONE */
	l->added_tag = len;
	if (c->tag_note_said)
		return;
	c->tag_note_said = true;
	explain_tag_added_note(tag, note, sizeof(note));
	tui_console_note(c, TUI_LINE_NOTE, note);
}

void
tui_console_wire_from(struct tui_console *c, const char *origin, bool client,
    const char *text, size_t len, const struct imap_session_command *cmd)
{
	struct wire_ctx w = { c, client ? TUI_LINE_CLIENT : TUI_LINE_SERVER,
		origin };
	struct display_literals literals;
	uint64_t next = c->dropped + c->count;

	c->group_open = false;
	if (is_guest(cmd)) {
		fold_take(c, origin, cmd, client, text, len);
		return;
	}
	console_literals(c, client, &literals);
	c->in_group = true;
	c->group_first = next;
	display_wire_lines(text, len, &literals, wire_line, &w);
	c->in_group = false;
	if (c->dropped + c->count == next || origin != NULL)
		return; /* nothing shown, or the jobs' connection */
	c->group_last = c->dropped + c->count - 1;
	if (client) {
		explain_sent(c->explainer, cmd, text, len);
		attach_explained(c);
		if (cmd != NULL && imap_session_command_tag_added(cmd))
			mark_added_tag(c, next, cmd);
	} else
		c->group_open = true; /* tui_console_response() follows */
}

void
tui_console_wire(struct tui_console *c, bool client, const char *text,
    size_t len, const struct imap_session_command *cmd)
{
	tui_console_wire_from(c, NULL, client, text, len, cmd);
}

void
tui_console_toggle_expand(struct tui_console *c)
{
	c->expand = !c->expand;
	c->dirty = true;
}

bool
tui_console_expanded(const struct tui_console *c)
{
	return c->expand;
}

void
tui_console_note_from(struct tui_console *c, const char *origin,
    enum tui_line_kind kind, const char *text)
{
	char *escaped;
	size_t len = tui_escape(text, strlen(text), &escaped);

	push_line(c, kind, origin, escaped, len);
	free(escaped);
}

void
tui_console_note(struct tui_console *c, enum tui_line_kind kind,
    const char *text)
{
	tui_console_note_from(c, NULL, kind, text);
}

void
tui_console_completed(struct tui_console *c,
    const struct imap_session_command *cmd, const char *result, double ms)
{
	const char *tag = imap_session_command_get(cmd)->tag;
	struct tui_fold *f = fold_find(c, cmd);
	size_t taglen = strlen(tag), i, looked = 0;
	struct tui_line *fl;

	if (f != NULL) {
		f->result = result;
		f->ms = ms;
		f->cmd = NULL;
		f->stale = false;
		for (i = 0; i < FOLDS_OPEN; i++)
			if (c->open[i] == f)
				c->open[i] = NULL;
		if ((fl = fold_line(c, f)) != NULL)
			fold_render(fl);
		c->dirty = true;
		return;
	}

	/* the tagged reply is among the last lines */
	for (i = c->count; i > 0 && looked < 64; i--, looked++) {
		struct tui_line *l = line_at(c, i - 1);

		if (l->kind == TUI_LINE_SERVER && l->len > taglen &&
		    strncmp(l->text, tag, taglen) == 0 &&
		    l->text[taglen] == ' ') {
			l->ms = ms;
			c->dirty = true;
			return;
		}
	}
}

void
tui_console_command_done(struct tui_console *c,
    const struct imap_session_command *cmd)
{
	if (c->input != NULL)
		console_input_command_done(c->input, cmd);
}

void
tui_console_set_model(struct tui_console *c, struct model *model)
{
	c->model = model;
	if (c->readline_on)
		complete_readline_install(model);
}

void
tui_console_set_session(struct tui_console *c, struct imap_session *session)
{
	console_input_free(&c->input);
	c->session = session;
	if (session != NULL) {
		c->input = console_input_new(session);
		console_input_set_manual_tags(c->input, c->manual_tags);
	}
	c->dirty = true;
}

void
tui_console_set_manual_tags(struct tui_console *c, bool manual)
{
	c->manual_tags = manual;
	if (c->input != NULL)
		console_input_set_manual_tags(c->input, manual);
}

void
tui_console_set_guard(struct tui_console *c, struct console_guard *guard)
{
	if (c->input != NULL)
		console_input_set_guard(c->input, guard);
}

/* --- scrollback ---------------------------------------------------------- */

static const char *const prefixes[] = {
	[TUI_LINE_CLIENT] = "C: ",
	[TUI_LINE_SERVER] = "S: ",
	[TUI_LINE_NOTE] = "* ",
	[TUI_LINE_ERROR] = "! ",
	[TUI_LINE_FOLD] = "C: ",
};

/* "C: ", or "C [large]: " for a line of another connection. */
static const char *
line_prefix(const struct tui_line *l, char *buf, size_t size)
{
	if (l->origin == NULL)
		return prefixes[l->kind];
	snprintf(buf, size, "%c [%s]%s", prefixes[l->kind][0], l->origin,
	    prefixes[l->kind] + 1);
	return buf;
}

/* Rows text takes when wrapped to cols after a prefix of `prefix`
 * columns. */
static int
text_rows(const char *text, size_t len, int prefix, int cols)
{
	int width = 0, rows;

	(void)tui_fit_bytes(text, len, 1 << 30, &width);
	width += prefix;
	if (cols <= 0)
		return 1;
	rows = (width + cols - 1) / cols;
	return rows < 1 ? 1 : rows;
}

/* The next line of an explanation ("Ktext\n" each) at *pos that the
 * inline setting shows: its text and length; false at the end. */
static bool
next_explained(const char *explain, size_t *pos,
    enum tui_explain_inline setting, const char **text_r, size_t *len_r)
{
	while (explain != NULL && explain[*pos] != '\0') {
		const char *line = explain + *pos;
		size_t len = strcspn(line + 1, "\n");
		bool shown = setting == TUI_EXPLAIN_ALL ||
		    (setting == TUI_EXPLAIN_CODES &&
			line[0] - '0' == (int)EXPLAIN_CODE);

		*pos += 1 + len + (line[1 + len] == '\n');
		if (shown) {
			*text_r = line + 1;
			*len_r = len;
			return true;
		}
	}
	return false;
}

#define EXPLAIN_PREFIX "# "

/* Rows a line takes when wrapped to cols (the "C: " prefix included; an
 * expanded fold's kept lines and the explanations shown under it too). */
static int
line_rows(const struct tui_console *c, const struct tui_line *l, int cols)
{
	char buf[48];
	int rows = text_rows(l->text, l->len,
	    (int)strlen(line_prefix(l, buf, sizeof(buf))), cols);
	const char *text;
	size_t i, pos = 0, len;

	while (next_explained(l->explain, &pos, c->explain_inline, &text,
	    &len))
		rows += text_rows(text, len, 2, cols);
	if (l->fold == NULL || !c->expand)
		return rows;
	for (i = 0; i < l->fold->detail_count; i++)
		rows += text_rows(l->fold->detail[i],
		    strlen(l->fold->detail[i]), 2, cols);
	return rows + (l->fold->detail_dropped > 0 ? 1 : 0);
}

void
tui_console_scroll(struct tui_console *c, int rows)
{
	c->scroll += rows;
	if (c->scroll < 0)
		c->scroll = 0;
	c->dirty = true;
}

void
tui_console_scroll_page(struct tui_console *c, int pages)
{
	int page = c->last_rows > 2 ? c->last_rows - 1 : 1;

	tui_console_scroll(c, pages * page);
}

bool
tui_console_search(struct tui_console *c, const char *text)
{
	int rows_below = 0, i;

	if (text == NULL || text[0] == '\0')
		return false;
	/* from the newest line upwards, skipping what is on screen below
	 * the current top */
	for (i = (int)c->count - 1; i >= 0; i--) {
		struct tui_line *l = line_at(c, (size_t)i);
		int r = line_rows(c, l, c->last_cols);

		rows_below += r;
		if (rows_below <= c->scroll + c->last_rows)
			continue;
		if (strcasestr(l->text, text) != NULL) {
			/* put this line at the top of the pane */
			c->scroll = rows_below - c->last_rows;
			if (c->scroll < 0)
				c->scroll = 0;
			c->dirty = true;
			return true;
		}
	}
	return false;
}

/* --- drawing ------------------------------------------------------------- */


static const enum tui_color colors[] = {
	[TUI_LINE_CLIENT] = TUI_COLOR_CLIENT,
	[TUI_LINE_SERVER] = TUI_COLOR_SERVER,
	[TUI_LINE_NOTE] = TUI_COLOR_NOTE,
	[TUI_LINE_ERROR] = TUI_COLOR_ERROR,
	[TUI_LINE_FOLD] = TUI_COLOR_NOTE,
};

/* Draw text wrapped after a prefix, its first row at screen row y (rows
 * above 0 are skipped); returns the last row, *x_r and *used_r where the
 * text ended on it. */
static int
draw_wrapped(WINDOW *w, const char *prefix, const char *text, size_t len,
    int y, int rows, int cols, int *x_r, int *used_r)
{
	size_t pos = 0, n;
	int used = 0, x;

	if (y >= 0 && y < rows)
		mvwaddnstr(w, y, 0, prefix, cols);
	x = (int)strlen(prefix);
	if (x >= cols)
		x = cols - 1; /* a narrow pane: the prefix is cut */
	do {
		n = tui_fit_bytes(text + pos, len - pos, cols - x, &used);
		if (n == 0 && pos < len)
			n = 1; /* never loop on a character wider than the pane */
		if (y >= 0 && y < rows)
			mvwaddnstr(w, y, x, text + pos, (int)n);
		pos += n;
		if (pos < len) {
			y++;
			x = 0;
		}
	} while (pos < len);
	*x_r = x;
	*used_r = used;
	return y;
}

/* An expanded fold's kept lines, below its summary. */
static void
draw_fold_detail(WINDOW *w, const struct tui_fold *f, int y, int rows,
    int cols)
{
	char more[96];
	size_t i;
	int x, used;

	wattrset(w, A_DIM);
	for (i = 0; i < f->detail_count; i++)
		y = draw_wrapped(w, "  ", f->detail[i], strlen(f->detail[i]),
		    y + 1, rows, cols, &x, &used);
	if (f->detail_dropped > 0) {
		snprintf(more, sizeof(more), "... %llu more lines (--transcript "
		    "keeps every byte)", (unsigned long long)f->detail_dropped);
		(void)draw_wrapped(w, "  ", more, strlen(more), y + 1, rows,
		    cols, &x, &used);
	}
	wattrset(w, A_NORMAL);
}

/* A NO or a BAD stands out, also without colour (NO_COLOR): bold and
 * underlined. The transcript cursor's line is reversed. */
static attr_t
line_attr(const struct tui_line *l, bool cursor)
{
	attr_t a = l->failed
	    ? tui_attr(TUI_COLOR_ERROR) | A_BOLD | A_UNDERLINE
	    : tui_attr(colors[l->kind]);

	return cursor ? a | A_REVERSE : a;
}

/* The explanations the inline setting shows, dim, under a line whose
 * last row is y. */
static int
draw_explained(WINDOW *w, const struct tui_console *c,
    const struct tui_line *l, int y, int rows, int cols)
{
	const char *text;
	size_t pos = 0, len;
	int x, used;

	wattrset(w, A_DIM);
	while (next_explained(l->explain, &pos, c->explain_inline, &text,
	    &len))
		y = draw_wrapped(w, EXPLAIN_PREFIX, text, len, y + 1, rows,
		    cols, &x, &used);
	wattrset(w, A_NORMAL);
	return y;
}

/* The tag imapwb added, drawn again over the line's first row, dim. */
static void
draw_added_tag(WINDOW *w, const struct tui_line *l, bool cursor, int y,
    int rows, int cols, const char *prefix)
{
	int x = (int)strlen(prefix);

	if (l->added_tag == 0 || y < 0 || y >= rows ||
	    x + (int)l->added_tag > cols)
		return;
	wattrset(w, line_attr(l, cursor) | A_DIM);
	mvwaddnstr(w, y, x, l->text, (int)l->added_tag);
}

/* Draw line l wrapped, its first row at screen row y (rows above 0 are
 * skipped). */
static void
draw_line(WINDOW *w, const struct tui_console *c, const struct tui_line *l,
    int y, int rows, int cols, bool cursor)
{
	char latency[32] = "", buf[48];
	const char *prefix = line_prefix(l, buf, sizeof(buf));
	int used, x, last;

	wattrset(w, line_attr(l, cursor));
	last = draw_wrapped(w, prefix, l->text, l->len, y, rows, cols, &x,
	    &used);
	draw_added_tag(w, l, cursor, y, rows, cols, prefix);
	wattrset(w, A_NORMAL);
	if (l->ms >= 0 && last >= 0 && last < rows) {
		snprintf(latency, sizeof(latency), " %.1f ms", l->ms);
		if (x + used + (int)strlen(latency) <= cols) {
			wattrset(w, A_DIM);
			mvwaddstr(w, last, x + used, latency);
			wattrset(w, A_NORMAL);
		}
	}
	last = draw_explained(w, c, l, last, rows, cols);
	if (l->fold != NULL && c->expand)
		draw_fold_detail(w, l->fold, last, rows, cols);
}

/* --- transcript mode ------------------------------------------------------- */

/* The last line of the group of the line at serial: where its
 * explanation and link are kept. */
static struct tui_line *
group_end(struct tui_console *c, uint64_t serial)
{
	struct tui_line *l = line_by_serial(c, serial), *next;

	while (l != NULL && (next = line_by_serial(c, ++serial)) != NULL &&
	    next->group == l->group)
		l = next;
	return l;
}

/* The first line of the group before (or after) the one at serial. */
static uint64_t
group_step(struct tui_console *c, uint64_t serial, bool back)
{
	struct tui_line *l = line_by_serial(c, serial), *m;
	uint64_t s;

	if (l == NULL)
		return serial;
	if (back) {
		s = l->group;
		if (s <= c->dropped)
			return c->dropped;
		m = line_by_serial(c, s - 1);
		return m != NULL && m->group >= c->dropped ? m->group
							   : c->dropped;
	}
	for (s = serial + 1; (m = line_by_serial(c, s)) != NULL; s++)
		if (m->group != l->group)
			return s;
	return serial;
}

/* The band under the transcript: the cursor's line explained, every
 * line of it, and where Enter goes. */
static void
draw_band(struct tui_console *c, WINDOW *w, int top, int rows, int cols)
{
	struct tui_line *l = group_end(c, c->cursor);
	enum tui_explain_inline saved = c->explain_inline;
	const char *text, *view;
	size_t pos = 0, len;
	char head[160];
	int y = top, x, used;

	if (rows <= 0)
		return;
	view = l != NULL && l->link != NULL ? tui_link_view_name(l->link) : NULL;
	snprintf(head, sizeof(head), " Explained%s%s%s%s  Esc: back ",
	    view != NULL ? "  Enter: the " : "", view != NULL ? view : "",
	    view != NULL ? " view" : "",
	    l != NULL && l->literal != NULL
		? "  e: its literal in full  s: save it" : "");
	wattrset(w, tui_attr(TUI_COLOR_BAR));
	mvwhline(w, y, 0, ' ', cols);
	mvwaddnstr(w, y, 0, head, cols);
	wattrset(w, A_NORMAL);
	c->explain_inline = TUI_EXPLAIN_ALL;
	if (l == NULL || l->explain == NULL) {
		text = l != NULL && l->fold != NULL
		    ? "a view's or a job's command, folded: Alt-f shows it "
		      "in full"
		    : "imapwb's own line: nothing from the server to explain";
		(void)draw_wrapped(w, "", text, strlen(text), y + 1,
		    top + rows, cols, &x, &used);
	} else
		while (next_explained(l->explain, &pos, c->explain_inline,
		    &text, &len) && y + 1 < top + rows)
			y = draw_wrapped(w, "", text, len, y + 1, top + rows,
			    cols, &x, &used);
	c->explain_inline = saved;
}

/* The first serial of the cursor's group; the cursor is put back in the
 * ring if its line left it. */
static uint64_t
cursor_group(struct tui_console *c)
{
	struct tui_line *l;

	if (c->cursor < c->dropped)
		c->cursor = c->dropped;
	l = line_by_serial(c, c->cursor);
	return l != NULL && l->group >= c->dropped ? l->group : c->dropped;
}

/* Scroll so the cursor's line shows in the rows above the band. */
static void
keep_cursor_shown(struct tui_console *c, int rows, int cols)
{
	int below = 0, r;
	uint64_t s;
	struct tui_line *l;

	(void)cursor_group(c);
	for (s = c->dropped + c->count; s > c->cursor + 1; s--)
		below += line_rows(c, line_by_serial(c, s - 1), cols);
	l = line_by_serial(c, c->cursor);
	r = l != NULL ? line_rows(c, l, cols) : 1;
	if (below < c->scroll)
		c->scroll = below;
	else if (below + r > c->scroll + rows)
		c->scroll = below + r - rows;
}

void
tui_console_transcript_enter(struct tui_console *c)
{
	if (c->count == 0)
		return;
	c->transcript_mode = true;
	c->finding = false;
	c->cursor = line_at(c, c->count - 1)->group;
	if (c->cursor < c->dropped)
		c->cursor = c->dropped;
	c->dirty = true;
}

bool
tui_console_transcript_active(const struct tui_console *c)
{
	return c->transcript_mode;
}

static void
transcript_leave(struct tui_console *c)
{
	c->transcript_mode = false;
	c->finding = false;
	c->scroll = 0;
	c->dirty = true;
}

/* Move the cursor about a page of rows up or down, group by group. */
static void
transcript_page(struct tui_console *c, bool back)
{
	int page = c->last_rows - c->band_rows - 1, moved = 0;
	uint64_t next;

	while (moved < page) {
		next = group_step(c, c->cursor, back);
		if (next == c->cursor)
			break;
		moved += line_rows(c, line_by_serial(c, c->cursor),
		    c->last_cols);
		c->cursor = next;
	}
}

/* The next older line (than the cursor's group) about c->found. */
static bool
find_older(struct tui_console *c, uint64_t before)
{
	uint64_t s;
	struct tui_line *l;

	for (s = before; s > c->dropped; s--) {
		l = line_by_serial(c, s - 1);
		if (l != NULL && l->link != NULL &&
		    tui_link_matches(l->link, &c->found)) {
			c->cursor = l->group >= c->dropped ? l->group
							  : c->dropped;
			return true;
		}
	}
	return false;
}

enum tui_transcript_action
tui_console_transcript_key(struct tui_console *c, int key)
{
	if (!c->transcript_mode)
		return TUI_TRANSCRIPT_IGNORED;
	c->dirty = true;
	switch (key) {
	case TUI_KEY(KEY_UP):
	case 'k':
		c->cursor = group_step(c, c->cursor, true);
		return TUI_TRANSCRIPT_NONE;
	case TUI_KEY(KEY_DOWN):
	case 'j':
		c->cursor = group_step(c, c->cursor, false);
		return TUI_TRANSCRIPT_NONE;
	case TUI_KEY(KEY_PPAGE):
	case TUI_KEY(KEY_NPAGE):
		transcript_page(c, key == TUI_KEY(KEY_PPAGE));
		return TUI_TRANSCRIPT_NONE;
	case TUI_KEY(KEY_HOME):
		c->cursor = c->dropped;
		return TUI_TRANSCRIPT_NONE;
	case TUI_KEY(KEY_END):
		c->cursor = line_at(c, c->count - 1)->group;
		return TUI_TRANSCRIPT_NONE;
	case 'n':
		if (c->finding)
			(void)find_older(c, cursor_group(c));
		return TUI_TRANSCRIPT_NONE;
	case '\r':
		return TUI_TRANSCRIPT_JUMP;
	case 'e':
		return TUI_TRANSCRIPT_EXPAND;
	case 's':
		return TUI_TRANSCRIPT_SAVE;
	case TUI_ESC:
	case 'q':
		transcript_leave(c);
		return TUI_TRANSCRIPT_LEAVE;
	default:
		transcript_leave(c);
		return TUI_TRANSCRIPT_IGNORED;
	}
}

bool
tui_console_transcript_literal(struct tui_console *c, const char **data_r,
    size_t *len_r)
{
	struct tui_line *l = group_end(c, c->cursor);

	if (l == NULL || l->literal == NULL)
		return false;
	*data_r = l->literal;
	*len_r = l->literal_len;
	return true;
}

bool
tui_console_transcript_link(struct tui_console *c, struct tui_link *link_r)
{
	struct tui_line *l = group_end(c, c->cursor);

	if (l == NULL || l->link == NULL)
		return false;
	*link_r = *l->link;
	return true;
}

bool
tui_console_transcript_find(struct tui_console *c, const struct tui_link *row)
{
	c->found = *row;
	if (!find_older(c, c->dropped + c->count))
		return false;
	c->transcript_mode = true;
	c->finding = true;
	c->dirty = true;
	return true;
}

/* The summaries fold_take() left to the draw. */
static void
render_stale_folds(struct tui_console *c)
{
	struct tui_line *l;
	size_t i;

	for (i = 0; i < FOLDS_OPEN; i++)
		if (c->open[i] != NULL && c->open[i]->stale) {
			if ((l = fold_line(c, c->open[i])) != NULL)
				fold_render(l);
			c->open[i]->stale = false;
		}
}

void
tui_console_draw(struct tui_console *c, WINDOW *w, int rows, int cols)
{
	int y, i, total = 0;
	uint64_t cursor = c->transcript_mode ? c->cursor : UINT64_MAX;

	c->last_rows = rows;
	c->last_cols = cols;
	c->band_rows = 0;
	render_stale_folds(c);
	if (c->transcript_mode) {
		c->band_rows = rows >= 16 ? 8 : rows >= 8 ? 3 : 0;
		draw_band(c, w, rows - c->band_rows, c->band_rows, cols);
		rows -= c->band_rows;
		keep_cursor_shown(c, rows, cols);
	}
	y = rows + c->scroll;
	/* do not scroll past the oldest line */
	for (i = (int)c->count - 1; i >= 0 && total <= c->scroll + rows; i--)
		total += line_rows(c, line_at(c, (size_t)i), cols);
	if (total < rows + c->scroll && c->scroll > 0) {
		c->scroll = total > rows ? total - rows : 0;
		y = rows + c->scroll;
	}
	for (i = (int)c->count - 1; i >= 0 && y > 0; i--) {
		struct tui_line *l = line_at(c, (size_t)i);
		int r = line_rows(c, l, cols);

		y -= r;
		if (y < rows)
			draw_line(w, c, l, y, rows, cols,
			    c->dropped + (uint64_t)i == cursor);
	}
	if (c->scroll > 0 && cols > 12) {
		wattrset(w, tui_attr(TUI_COLOR_BAR));
		mvwaddstr(w, 0, cols - 12, " scrollback ");
		wattrset(w, A_NORMAL);
	}
	c->dirty = false;
}

/* --- readline ------------------------------------------------------------ */

static int
rl_getc_queue(FILE *stream)
{
	struct tui_console *c = active;
	unsigned char ch;

	(void)stream;
	if (c == NULL || c->key_count == 0)
		return EOF;
	ch = c->keys[c->key_head];
	c->key_head = (c->key_head + 1) % KEY_QUEUE;
	c->key_count--;
	return ch;
}

static int
rl_input_available(void)
{
	return active != NULL && active->key_count > 0;
}

static void
rl_redisplay_mark(void)
{
	if (active != NULL)
		active->dirty = true;
}

static void
rl_prep_nothing(int meta)
{
	(void)meta;
}

static void
rl_deprep_nothing(void)
{
}

static void
on_typed_line(char *line)
{
	struct tui_console *c = active;
	const char *err = NULL, *status;

	if (line == NULL || c == NULL)
		return; /* Ctrl-D on an empty line: the TUI quits with q */
	if (c->input == NULL) {
		tui_console_note(c, TUI_LINE_ERROR,
		    "not connected: press r to reconnect");
	} else if (console_input_line(c->input, line, &err) != 0)
		tui_console_note(c, TUI_LINE_ERROR, err);
	else {
		if (console_input_last_line_for_history(c->input) &&
		    line[0] != '\0') {
			add_history(line);
			if (c->history_path != NULL)
				(void)append_history(1, c->history_path);
		}
		status = console_input_status(c->input);
		if (status != NULL)
			tui_console_note(c, TUI_LINE_NOTE, status);
	}
	c->scroll = 0;
	c->dirty = true;
	secure_free_str(&line);
}

/* --- completion ---------------------------------------------------------- */

/* Several matches: list them in the transcript instead of on a terminal
 * readline does not own. */
static void
show_matches(char **matches, int count, int max_length)
{
	struct buf list;
	int i;

	(void)max_length;
	if (active == NULL)
		return;
	buf_init(&list, 4096);
	buf_append_str(&list, "completions:");
	for (i = 1; i <= count && list.len < 3000; i++) {
		buf_append_byte(&list, ' ');
		buf_append_str(&list, matches[i]);
	}
	tui_console_note(active, TUI_LINE_NOTE, buf_str(&list));
	buf_free(&list);
}

void
tui_console_readline_start(struct tui_console *c)
{
	static FILE *devnull;

	active = c;
	c->history_path = console_input_history_path();
	if (c->history_path != NULL) {
		/* append_history() does not create the file */
		int fd = open(c->history_path, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0600);

		if (fd >= 0)
			close(fd);
		(void)read_history(c->history_path);
	}
	if (devnull == NULL)
		devnull = fopen("/dev/null", "we");
	rl_instream = NULL;
	rl_outstream = devnull;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = rl_prep_nothing;
	rl_deprep_term_function = rl_deprep_nothing;
	rl_getc_function = rl_getc_queue;
	rl_input_available_hook = rl_input_available;
	rl_redisplay_function = rl_redisplay_mark;
	/* the same completion as --plain (client-complete.h) */
	complete_readline_install(c->model);
	rl_completion_display_matches_hook = show_matches;
	rl_callback_handler_install("", on_typed_line);
	c->readline_on = true;
}

void
tui_console_readline_stop(struct tui_console *c)
{
	if (!c->readline_on)
		return;
	rl_callback_handler_remove();
	complete_readline_install(NULL);
	c->readline_on = false;
	active = NULL;
}

void
tui_console_feed(struct tui_console *c, const char *bytes, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (c->key_count == KEY_QUEUE)
			break;
		c->keys[(c->key_head + c->key_count) % KEY_QUEUE] =
		    (unsigned char)bytes[i];
		c->key_count++;
	}
	while (c->readline_on && c->key_count > 0)
		rl_callback_read_char();
	c->dirty = true;
}

bool
tui_console_input_empty(const struct tui_console *c)
{
	(void)c;
	return rl_line_buffer == NULL || rl_end == 0;
}

/* --- hints before sending (tui-hint) ------------------------------------- */

/* The input line as readline has it, for the hint row. */
static void
hint_line(const struct tui_console *c, struct tui_hint_line *line)
{
	line->text = rl_line_buffer != NULL ? rl_line_buffer : "";
	line->len = rl_line_buffer != NULL ? (size_t)rl_end : 0;
	line->cursor = rl_line_buffer != NULL ? (size_t)rl_point : 0;
	line->step = c->input != NULL && console_input_wants_more(c->input);
	line->model = c->model;
}

bool
tui_console_hold_enter(struct tui_console *c, const char **text_r,
    const char **suggestion_r)
{
	struct tui_hint_line line;

	hint_line(c, &line);
	if (!tui_hint_hold(c->hint, &line, text_r, suggestion_r))
		return false;
	/* the whole warning, wrapped, where the transcript is */
	tui_console_note(c, TUI_LINE_NOTE, *text_r);
	c->dirty = true;
	return true;
}

void
tui_console_set_input(struct tui_console *c, const char *text)
{
	if (rl_line_buffer == NULL)
		return;
	/* a held warning was for another line: tui-hint compares */
	rl_replace_line(text, 0);
	rl_point = rl_end;
	c->dirty = true;
}

bool
tui_console_use_suggestion(struct tui_console *c)
{
	struct tui_hint_line line;
	const char *s;

	hint_line(c, &line);
	if ((s = tui_hint_take_suggestion(c->hint, &line)) == NULL)
		return false;
	rl_replace_line(s, 0);
	rl_point = rl_end;
	c->dirty = true;
	return true;
}

void
tui_console_draw_hint(struct tui_console *c, WINDOW *w, int cols,
    bool focused)
{
	struct tui_hint_line line;

	werase(w);
	if (!focused || c->transcript_mode)
		return;
	hint_line(c, &line);
	tui_hint_draw(c->hint, w, cols, &line);
}

void
tui_console_draw_input(struct tui_console *c, WINDOW *w, int cols,
    bool focused, bool enabled)
{
	const char *prompt = enabled ? "imapwb> " : "disconnected> ";
	size_t secret_from, plen;
	char *shown;
	int before, used, avail, skip = 0;
	size_t fit;

	/* readline's own prompt while it asks (Ctrl-R shows
	 * "(reverse-i-search)`...': "): it puts it in rl_display_prompt */
	if (rl_display_prompt != NULL && rl_display_prompt[0] != '\0' &&
	    (rl_prompt == NULL || strcmp(rl_display_prompt, rl_prompt) != 0))
		prompt = rl_display_prompt;
	werase(w);
	wattrset(w, focused ? A_BOLD : A_DIM);
	plen = (size_t)tui_draw_text(w, 0, 0, prompt, strlen(prompt), cols,
	    false);
	wattrset(w, A_NORMAL);
	if (rl_line_buffer == NULL || cols <= (int)plen + 1)
		return;
	shown = xstrndup(rl_line_buffer, (size_t)rl_end);
	secret_from = c->input != NULL
	    ? console_input_secret_from(c->input, shown)
	    : (size_t)rl_end;
	if (secret_from < (size_t)rl_end)
		memset(shown + secret_from, '*', (size_t)rl_end - secret_from);
	/* the cursor's column, and a horizontal scroll that keeps it in */
	(void)tui_fit_bytes(shown, (size_t)rl_point, 1 << 30, &before);
	avail = cols - (int)plen - 1;
	if (before > avail)
		skip = before - avail;
	{
		size_t start = tui_fit_bytes(shown, (size_t)rl_end, skip, NULL);

		fit = tui_fit_bytes(shown + start, (size_t)rl_end - start,
		    avail, &used);
		mvwaddnstr(w, 0, (int)plen, shown + start, (int)fit);
	}
	if (focused)
		wmove(w, 0, (int)plen + before - skip);
	secure_free_str(&shown);
}
