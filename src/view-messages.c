/* view-messages: the selected mailbox's index (sequence, UID, flags,
 * date, sender, subject, size), sortable by any column, and a message
 * mode that shows one message's decoded headers, its BODYSTRUCTURE tree
 * and its first text/plain part.
 *
 * The list is virtualised: only the visible rows are read from the index
 * (row -> MSN -> entry, O(log n) each), so 100k messages scroll as fast as
 * 20. Loading a mailbox goes at the server's pace (ARCHITECTURE.md, "The
 * TUI index"): in sequence or UID order the visible rows' summaries come
 * first (FETCH by sequence numbers); then one UID FETCH 1:* (UID
 * RFC822.SIZE FLAGS) gives every message its size and flags, so sorting
 * by size or flags and the counts are right at once; then the envelopes
 * of the rows on screen (UID FETCH of their UIDs), then the rest in the
 * background in UID chunks, at most BACKGROUND_PIPELINE in flight, so
 * what the user scrolls to or sorts by next goes out ahead of the queue.
 * What is known is never asked again. Everything shown comes from the
 * model, which every FETCH feeds, whoever sent it; only the message mode
 * reads raw FETCH responses (BODYSTRUCTURE and BODY[part]), through the
 * view's response hook (tui.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>


#include "decode-bodystructure.h"
#include "decode-fetch.h"
#include "imap-seqset.h"
#include "model.h"
#include "text-charset.h"
#include "text-mime.h"
#include "text-mutf7.h"
#include "text-transfer.h"
#include "tui.h"
#include "tui-link.h"
#include "tui-draw.h"
#include "tui-list.h"
#include "util-buf.h"
#include "util-mem.h"
#include "util-u64set.h"

/* Messages without a UID or size (new ones) are fetched whole by
 * sequence numbers, this many a command. */
#define TAIL_CHUNK 1000
/* Background envelope chunks: about a 32nd of the mailbox, within these
 * bounds (a chunk takes the server ~30 ms at 100k messages), at most
 * BACKGROUND_PIPELINE in flight: enough to keep the server busy, few
 * enough that the rows on screen wait for little. */
#define CHUNK_MIN 1000
#define CHUNK_MAX 16384
#define CHUNK_RANGES 400 /* UID ranges a command, about 8 KB */
#define BACKGROUND_PIPELINE 2
/* Rows asked for before the first draw says how many fit. */
#define WINDOW_GUESS 60
#define VISIBLE_MAX 512
/* The text part is fetched up to this many octets: the parser keeps
 * literals up to 64 KiB inline (imap-parser.h), and a screen of text
 * needs far less. */
#define BODY_CAP (64u * 1024)
#define DOC_MAX (4u * 1024 * 1024)
#define TAB_STOP 8

enum messages_mode {
	MODE_LIST,
	MODE_MESSAGE,
};

/* One line of the message mode's document. */
struct doc_line {
	char *text;
	bool bold;
};

/* A command of the loader in flight, and the UIDs it asks for (as
 * ranges, ascending), so that no one asks for them again meanwhile. */
enum slot_kind {
	SLOT_WINDOW,  /* the first screen's rows, by sequence numbers */
	SLOT_SIZES,   /* UID FETCH 1:* (UID RFC822.SIZE FLAGS) */
	SLOT_TAIL,    /* messages without UID or size, by sequence numbers */
	SLOT_VISIBLE, /* envelopes of the rows on screen, by UID */
	SLOT_CHUNK,   /* envelopes in the background, by UID */
	SLOT_COUNT = SLOT_CHUNK + BACKGROUND_PIPELINE,
};

struct fetch_slot {
	const struct imap_session_command *cmd;
	struct seqset uids; /* ascending ranges, no '*' */
};

struct view_messages {
	struct tui *tui;
	struct tui_list list;
	enum messages_mode mode;
	bool shown; /* fetch only while the user looks at the view */

	/* loading the index */
	struct fetch_slot slots[SLOT_COUNT];
	bool sizes_asked;   /* the UID FETCH 1:* for this selection went */
	bool loading;       /* the title shows the progress */
	int passes;         /* background passes over the mailbox so far */
	uint32_t scan_from; /* first MSN the background has not looked at */
	uint32_t last_count;
	uint32_t envelopes; /* envelopes the view's commands brought */
	size_t win_top;     /* the rows on screen at the last draw */
	size_t win_rows;
	struct u64set refused; /* UIDs asked for on screen that came without */

	/* the message mode */
	uint32_t uid;
	const struct imap_session_command *structure_cmd;
	char *date, *from, *to, *cc, *subject;
	struct bodystructure_part *structure;
	const struct bodystructure_part *text_part;
	char *text;          /* the decoded text part, UTF-8 */
	char *text_note;     /* why there is no text, or how it was cut */
	struct doc_line *lines;
	size_t line_count;
	size_t scroll;       /* first visual row */
	size_t visual_rows;  /* at the last draw */
	int page;

	/* what u Enter restores: the flags a message had before the last
	 * flag key */
	char *undo_mailbox;  /* raw; NULL: nothing */
	uint32_t undo_uidvalidity;
	uint32_t undo_uid;
	char *undo_flags;
	uint32_t keyword_uid; /* the message * k or * K asks about */
	bool keyword_set;
};

/* The keys 1..7 and what they sort by. */
static const struct {
	enum model_index_column col;
	const char *label;
	bool descending; /* the direction a first press gives */
} sort_keys[] = {
	{ MODEL_INDEX_COL_SEQ, "seq", false },
	{ MODEL_INDEX_COL_UID, "UID", false },
	{ MODEL_INDEX_COL_FLAGS, "flags", false },
	{ MODEL_INDEX_COL_DATE, "date", false },
	{ MODEL_INDEX_COL_FROM, "from", false },
	{ MODEL_INDEX_COL_SUBJECT, "subject", false },
	{ MODEL_INDEX_COL_SIZE, "size", true }, /* the largest first */
};
#define SORT_KEY_COUNT (sizeof(sort_keys) / sizeof(sort_keys[0]))

/* The flag menu's keys (* then the key): set with the lower case,
 * clear with the upper case. */
static const struct {
	int key;
	const char *flag;
} flag_keys[] = {
	{ 'f', "\\Flagged" },
	{ 's', "\\Seen" },
	{ 'd', "\\Deleted" },
	{ 'a', "\\Answered" },
};
#define FLAG_KEY_COUNT (sizeof(flag_keys) / sizeof(flag_keys[0]))

/* The modes of the key table: bits. */
enum {
	KEYS_LIST = 1,
	KEYS_MESSAGE = 2,
};

enum messages_action {
	ACT_FLAG_MENU,
	ACT_FLAG_SET,
	ACT_FLAG_CLEAR,
	ACT_KEYWORD_SET,
	ACT_KEYWORD_CLEAR,
	ACT_SORT,
	ACT_OPEN,
	ACT_BACK,
	ACT_SCROLL_UP,
	ACT_SCROLL_DOWN,
	ACT_PAGE_UP,
	ACT_PAGE_DOWN,
	ACT_TOP,
	ACT_END,
};

/* Flags change the server: they sit behind * (no typed command line
 * begins with it), and u Enter undoes them (tui-keys.h). */
static const struct tui_key messages_keys[] = {
	{ .keys = { '*' }, .action = ACT_FLAG_MENU, .flags = TUI_KEY_PREFIX },
	{ .keys = { 'f' }, .prefix = '*', .action = ACT_FLAG_SET,
	    .flags = TUI_KEY_SERVER, .help = "set \\Flagged (u Enter undoes)" },
	{ .keys = { 'F' }, .prefix = '*', .action = ACT_FLAG_CLEAR,
	    .flags = TUI_KEY_SERVER, .help = "clear \\Flagged" },
	{ .keys = { 's' }, .prefix = '*', .action = ACT_FLAG_SET,
	    .flags = TUI_KEY_SERVER, .help = "set \\Seen" },
	{ .keys = { 'S' }, .prefix = '*', .action = ACT_FLAG_CLEAR,
	    .flags = TUI_KEY_SERVER, .help = "clear \\Seen" },
	{ .keys = { 'd' }, .prefix = '*', .action = ACT_FLAG_SET,
	    .flags = TUI_KEY_SERVER, .help = "set \\Deleted" },
	{ .keys = { 'D' }, .prefix = '*', .action = ACT_FLAG_CLEAR,
	    .flags = TUI_KEY_SERVER, .help = "clear \\Deleted" },
	{ .keys = { 'a' }, .prefix = '*', .action = ACT_FLAG_SET,
	    .flags = TUI_KEY_SERVER, .help = "set \\Answered" },
	{ .keys = { 'A' }, .prefix = '*', .action = ACT_FLAG_CLEAR,
	    .flags = TUI_KEY_SERVER, .help = "clear \\Answered" },
	{ .keys = { 'k' }, .prefix = '*', .action = ACT_KEYWORD_SET,
	    .flags = TUI_KEY_SERVER | TUI_KEY_ASKS,
	    .help = "set a keyword ($Todo; asks the name; refused when "
		    "PERMANENTFLAGS cannot keep it)" },
	{ .keys = { 'K' }, .prefix = '*', .action = ACT_KEYWORD_CLEAR,
	    .flags = TUI_KEY_SERVER | TUI_KEY_ASKS,
	    .help = "clear a keyword (asks the name)" },
	TUI_LIST_MOVE_KEYS(KEYS_LIST),
	TUI_LIST_SEARCH_KEYS(KEYS_LIST),
	{ .keys = { '1' }, .last = '7', .modes = KEYS_LIST, .action = ACT_SORT,
	    .help = "sort: 1 # 2 UID 3 flags 4 date 5 from 6 subject "
		    "7 size; again: reverse" },
	{ .keys = { '\r' }, .modes = KEYS_LIST, .action = ACT_OPEN,
	    .help = "open the message" },
	{ .keys = { TUI_ESC, 'q', TUI_KEY(KEY_BACKSPACE), TUI_KEY(KEY_LEFT) },
	    .modes = KEYS_MESSAGE, .action = ACT_BACK,
	    .help = "back to the list" },
	{ .keys = { TUI_KEY(KEY_UP), 'k' }, .modes = KEYS_MESSAGE,
	    .action = ACT_SCROLL_UP, .help = "scroll up" },
	{ .keys = { TUI_KEY(KEY_DOWN), 'j' }, .modes = KEYS_MESSAGE,
	    .action = ACT_SCROLL_DOWN, .help = "scroll down" },
	{ .keys = { TUI_KEY(KEY_PPAGE) }, .modes = KEYS_MESSAGE,
	    .action = ACT_PAGE_UP, .help = "a page up" },
	{ .keys = { ' ', TUI_KEY(KEY_NPAGE) }, .modes = KEYS_MESSAGE,
	    .action = ACT_PAGE_DOWN, .help = "a page down" },
	{ .keys = { TUI_KEY(KEY_HOME) }, .modes = KEYS_MESSAGE,
	    .action = ACT_TOP, .help = "the top" },
	{ .keys = { TUI_KEY(KEY_END) }, .modes = KEYS_MESSAGE,
	    .action = ACT_END, .help = "the end" },
};
static const char *const messages_modes[] = { "the list", "a message" };
static const struct tui_keymap messages_keymap =
    TUI_KEYMAP_MODES("Messages", messages_keys, messages_modes);

static struct model_selected *
selected(struct view_messages *v)
{
	return model_selected(tui_model(v->tui));
}

static struct model_index *
index_of(struct view_messages *v)
{
	return selected(v)->index;
}

static size_t find_row(void *ctx, size_t after, size_t count,
    const char *text);
static void fetch_reset(struct view_messages *v);

static void *
messages_create(struct tui *tui)
{
	struct view_messages *v = xcalloc(1, sizeof(*v));

	v->tui = tui;
	v->scan_from = 1;
	v->list.find = find_row;
	return v;
}

/* --- the message mode's document ----------------------------------------- */

static void
doc_clear(struct view_messages *v)
{
	size_t i;

	for (i = 0; i < v->line_count; i++)
		free(v->lines[i].text);
	free(v->lines);
	v->lines = NULL;
	v->line_count = 0;
}

static void
doc_add(struct view_messages *v, bool bold, const char *text, size_t len)
{
	v->lines = xreallocarray(v->lines, v->line_count + 1,
	    sizeof(*v->lines));
	v->lines[v->line_count].text = xstrndup(text, len);
	v->lines[v->line_count].bold = bold;
	v->line_count++;
}

static void
doc_addf(struct view_messages *v, bool bold, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
doc_addf(struct view_messages *v, bool bold, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	doc_add(v, bold, s, strlen(s));
	free(s);
}

/* Text with tabs expanded, one doc line per line (LF or CRLF). */
static void
doc_add_text(struct view_messages *v, const char *text)
{
	struct buf line;
	const char *p = text;

	buf_init(&line, DOC_MAX);
	for (;;) {
		const char *end = strchr(p, '\n');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		size_t i, col = 0;

		if (end == NULL && len == 0)
			break;
		buf_reset(&line);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		for (i = 0; i < len; i++) {
			if (p[i] == '\t') {
				do
					buf_append_byte(&line, ' ');
				while (++col % TAB_STOP != 0);
			} else {
				buf_append_byte(&line, (unsigned char)p[i]);
				if (((unsigned char)p[i] & 0xc0) != 0x80)
					col++;
			}
		}
		doc_add(v, false, buf_str(&line), line.len);
		if (end == NULL)
			break;
		p = end + 1;
	}
	buf_free(&line);
}

static void
part_line(struct view_messages *v, const struct bodystructure_part *p,
    int depth)
{
	struct buf line;
	size_t i;

	buf_init(&line, 4096);
	buf_printf(&line, "%*s%s %s/%s", depth * 2, "",
	    p->part[0] != '\0' ? p->part : "-", p->type, p->subtype);
	if (!bodystructure_is_multipart(p)) {
		char size[16];

		if (p->filename != NULL)
			buf_printf(&line, " \"%s\"", p->filename);
		tui_format_size(p->size, size, sizeof(size));
		buf_printf(&line, " %s", size);
		if (p->charset != NULL && strcmp(p->type, "text") == 0)
			buf_printf(&line, " %s", p->charset);
		if (p->encoding != NULL)
			buf_printf(&line, " %s", p->encoding);
		if (p->disposition != NULL)
			buf_printf(&line, " %s", p->disposition);
	}
	doc_add(v, p == v->text_part, buf_str(&line), line.len);
	buf_free(&line);
	for (i = 0; i < p->part_count; i++)
		part_line(v, &p->parts[i], depth + 1);
}

/* Lay out what is known of the open message. */
static void
doc_build(struct view_messages *v)
{
	static const char *const names[] = { "Date:", "From:", "To:", "Cc:",
		"Subject:" };
	const char *values[] = { v->date, v->from, v->to, v->cc, v->subject };
	size_t i;

	doc_clear(v);
	doc_addf(v, true, "UID %u   (Esc/q/Backspace: back to the list)",
	    v->uid);
	if (v->structure == NULL && v->subject == NULL) {
		doc_addf(v, false, "fetching ENVELOPE and BODYSTRUCTURE...");
		return;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (values[i] != NULL && values[i][0] != '\0')
			doc_addf(v, false, "%-8s %s", names[i], values[i]);
	doc_add(v, false, "", 0);
	doc_addf(v, true, "Parts (number, type, \"file name\", size, "
	    "charset, encoding, disposition):");
	if (v->structure != NULL)
		part_line(v, v->structure, 0);
	doc_add(v, false, "", 0);
	if (v->text_note != NULL)
		doc_addf(v, true, "%s", v->text_note);
	if (v->text != NULL) {
		doc_add(v, false, "", 0);
		doc_add_text(v, v->text);
	}
}

static void
message_forget(struct view_messages *v)
{
	char **s[] = { &v->date, &v->from, &v->to, &v->cc, &v->subject,
		&v->text, &v->text_note };
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		free(*s[i]);
		*s[i] = NULL;
	}
	bodystructure_free(&v->structure);
	v->text_part = NULL;
	v->structure_cmd = NULL;
	doc_clear(v);
	v->scroll = 0;
}

static void
messages_destroy(void *view)
{
	struct view_messages *v = view;

	message_forget(v);
	fetch_reset(v);
	tui_list_free(&v->list);
	free(v->undo_mailbox);
	free(v->undo_flags);
	free(v);
}

/* --- loading the index ---------------------------------------------------- */

static void
slot_clear(struct fetch_slot *s)
{
	s->cmd = NULL;
	seqset_free(&s->uids);
}

static void
fetch_reset(struct view_messages *v)
{
	size_t i;

	for (i = 0; i < SLOT_COUNT; i++)
		slot_clear(&v->slots[i]);
	v->sizes_asked = v->loading = false;
	v->passes = 0;
	v->scan_from = 1;
	v->last_count = 0;
	v->envelopes = 0;
	u64set_free(&v->refused);
}

/* Asked for by a UID FETCH in flight. */
static bool
uid_in_flight(const struct view_messages *v, uint32_t uid)
{
	size_t i;

	for (i = SLOT_VISIBLE; i < SLOT_COUNT; i++)
		if (v->slots[i].cmd != NULL &&
		    seqset_contains_sorted(&v->slots[i].uids, uid))
			return true;
	return false;
}

/* A UID the rows on screen asked for and the server did not answer (an
 * expunge on its way): not asked again from the screen, or it would be
 * asked at every redraw. At most 65,536 are kept. */
static void
refuse(struct view_messages *v, uint32_t uid)
{
	if (v->refused.count < 65536)
		(void)u64set_add(&v->refused, uid);
}

static bool
is_refused(const struct view_messages *v, uint32_t uid)
{
	return u64set_contains(&v->refused, uid);
}

#define SUMMARY_FIELDS (MODEL_INDEX_FIELD_UID | MODEL_INDEX_FIELD_SIZE | \
	MODEL_INDEX_FIELD_FLAGS)

static bool
needs_summary(const struct model_index_entry *e)
{
	return (e->fields & SUMMARY_FIELDS) != SUMMARY_FIELDS;
}

/* Has its UID and size, lacks its envelope, and no one asks for it. */
static bool
needs_envelope(const struct view_messages *v,
    const struct model_index_entry *e)
{
	return !needs_summary(e) &&
	    (e->fields & MODEL_INDEX_FIELD_ENVELOPE) == 0 &&
	    !uid_in_flight(v, e->uid);
}

/* Only what the view shows, for a mailbox the user opened, and not
 * while a SELECT on its way will replace it (its completion asks
 * again). */
static bool
loader_ready(struct view_messages *v)
{
	struct model_selected *sel = selected(v);

	return v->shown && sel->state == MODEL_SELECTED_OPEN &&
	    sel->opened_by != IMAP_ORIGIN_JOB && tui_connected(v->tui) &&
	    imap_session_find_in_flight(tui_session(v->tui),
		IMAP_CMDF_SELECTS) == NULL;
}

/* UID FETCH of the slot's ranges. */
static void
send_envelopes(struct view_messages *v, struct fetch_slot *s)
{
	struct buf set;

	buf_init(&set, 64 * 1024);
	if (seqset_format(&s->uids, &set) == 0)
		s->cmd = tui_command(v->tui, "UID FETCH %a (ENVELOPE)",
		    buf_str(&set));
	if (s->cmd == NULL)
		slot_clear(s);
	buf_free(&set);
}

static bool
msn_order(const struct model_index *idx)
{
	bool desc;
	enum model_index_column col = model_index_sort_column(idx, &desc);

	return col == MODEL_INDEX_COL_SEQ || col == MODEL_INDEX_COL_UID;
}

static size_t
window_rows(const struct view_messages *v)
{
	size_t n = v->win_rows > 0 ? v->win_rows : WINDOW_GUESS;

	return n > VISIBLE_MAX ? VISIBLE_MAX : n;
}

/* The first commands for a mailbox: in sequence or UID order the rows
 * on screen whole, by their numbers (no data is needed to know which
 * they are); then sizes and flags of every other message in one
 * command. */
static void
start_loading(struct view_messages *v)
{
	struct model_index *idx = index_of(v);
	uint32_t count = model_index_count(idx), lo = 0, hi = 0, msn;
	struct model_index_entry e;
	size_t n = window_rows(v), row;

	v->sizes_asked = v->loading = true;
	v->passes = 0;
	v->scan_from = 1;
	v->envelopes = 0;
	if (count == 0) {
		v->loading = false;
		return;
	}
	if (msn_order(idx)) {
		for (row = v->list.top; row < v->list.top + n && row < count;
		    row++) {
			msn = model_index_row_to_msn(idx, (uint32_t)row + 1);
			if (msn == 0 || !model_index_get(idx, msn, &e) ||
			    (!needs_summary(&e) &&
				(e.fields & MODEL_INDEX_FIELD_ENVELOPE) != 0))
				continue;
			if (lo == 0 || msn < lo)
				lo = msn;
			if (msn > hi)
				hi = msn;
		}
		if (lo != 0)
			v->slots[SLOT_WINDOW].cmd = tui_command(v->tui,
			    "FETCH %u:%u (UID FLAGS RFC822.SIZE INTERNALDATE "
			    "ENVELOPE)", lo, hi);
	}
	for (msn = 1; msn <= count; msn++)
		if ((msn < lo || msn > hi) && (!model_index_get(idx, msn, &e) ||
			needs_summary(&e)))
			break;
	if (msn > count)
		return; /* every size and flag is known */
	if (lo == 1 && hi < count)
		v->slots[SLOT_SIZES].cmd = tui_command(v->tui,
		    "FETCH %u:* (UID RFC822.SIZE FLAGS)", hi + 1);
	else if (lo != 1 || hi < count)
		v->slots[SLOT_SIZES].cmd = tui_command(v->tui,
		    "UID FETCH 1:* (UID RFC822.SIZE FLAGS)");
}

/* Envelopes of the rows on screen, ahead of the background. */
static void
load_visible(struct view_messages *v)
{
	struct model_index *idx = index_of(v);
	uint32_t count = model_index_count(idx), uids[VISIBLE_MAX];
	struct fetch_slot *s = &v->slots[SLOT_VISIBLE];
	struct model_index_entry e;
	size_t n = 0, row, i;

	if (s->cmd != NULL)
		return;
	for (row = v->win_top; row < v->win_top + window_rows(v) &&
	    row < count; row++) {
		uint32_t msn = model_index_row_to_msn(idx, (uint32_t)row + 1);

		if (msn != 0 && model_index_get(idx, msn, &e) &&
		    needs_envelope(v, &e) && !is_refused(v, e.uid))
			uids[n++] = e.uid;
	}
	if (n == 0)
		return;
	/* ascending, then runs of consecutive UIDs as ranges (seqset_add
	 * merges them; a screen is small: insertion sort) */
	for (i = 1; i < n; i++) {
		uint32_t u = uids[i];
		size_t j = i;

		for (; j > 0 && uids[j - 1] > u; j--)
			uids[j] = uids[j - 1];
		uids[j] = u;
	}
	for (i = 0; i < n; i++)
		seqset_add(&s->uids, uids[i], uids[i]);
	send_envelopes(v, s);
}

/* Messages without a UID or size from msn on (new ones), whole, by
 * sequence numbers. */
static uint32_t
load_tail(struct view_messages *v, uint32_t msn, uint32_t count)
{
	struct model_index *idx = index_of(v);
	struct model_index_entry e;
	uint32_t end = msn;

	while (end < count && end - msn + 1 < TAIL_CHUNK &&
	    model_index_get(idx, end + 1, &e) && needs_summary(&e))
		end++;
	v->slots[SLOT_TAIL].cmd = tui_command(v->tui,
	    "FETCH %u:%u (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)", msn,
	    end);
	return end + 1;
}

static size_t
chunk_size(uint32_t count)
{
	uint32_t n = count / 32;

	return n < CHUNK_MIN ? CHUNK_MIN : n > CHUNK_MAX ? CHUNK_MAX : n;
}

/* The next background command from scan_from on: false when there is
 * nothing to ask for now. */
static bool
load_next(struct view_messages *v, struct fetch_slot *s, uint32_t count)
{
	struct model_index *idx = index_of(v);
	struct model_index_entry e;
	size_t want = chunk_size(count), taken = 0;
	uint32_t msn, last = 0, last_uid = 0;

	for (msn = v->scan_from; msn <= count && taken < want; msn++) {
		if (!model_index_get(idx, msn, &e))
			break;
		if (needs_summary(&e)) {
			if (s->uids.count > 0)
				break; /* the chunk ends here */
			if (v->slots[SLOT_TAIL].cmd != NULL) {
				v->scan_from = msn;
				return false; /* after the tail's answer */
			}
			v->scan_from = load_tail(v, msn, count);
			return true;
		}
		if (!needs_envelope(v, &e))
			continue;
		/* consecutive messages are one range, whatever UIDs lie
		 * between them: those are expunged, and the server skips
		 * them (seqset_add merges a range that starts right after
		 * the last) */
		if (last == msn - 1 && s->uids.count > 0)
			seqset_add(&s->uids, last_uid + 1, e.uid);
		else if (s->uids.count == CHUNK_RANGES)
			break;
		else
			seqset_add(&s->uids, e.uid, e.uid);
		last = msn;
		last_uid = e.uid;
		taken++;
	}
	v->scan_from = msn;
	if (s->uids.count == 0)
		return false;
	send_envelopes(v, s);
	return s->cmd != NULL;
}

static bool
background_idle(const struct view_messages *v)
{
	size_t i;

	for (i = SLOT_WINDOW; i < SLOT_COUNT; i++)
		if (v->slots[i].cmd != NULL)
			return false;
	return true;
}

/* Keep the loader going: called when the view is shown, a mailbox
 * opened or grew, a command of the loader ended, and at each draw (the
 * rows on screen may have changed). Cheap when there is nothing to do. */
static void
load(struct view_messages *v)
{
	struct model_index *idx;
	uint32_t count;
	size_t i;

	if (!loader_ready(v))
		return;
	idx = index_of(v);
	count = model_index_count(idx);
	/* k expunged: an unrequested message may have moved down to k
	 * places below scan_from (a few known ones are looked at again) */
	if (count < v->last_count)
		v->scan_from = v->scan_from > v->last_count - count
		    ? v->scan_from - (v->last_count - count) : 1;
	v->last_count = count;
	if (!v->sizes_asked)
		start_loading(v);
	/* the first screen and the sizes first: then the order is right,
	 * and what they bring is not asked again */
	if (v->slots[SLOT_SIZES].cmd != NULL ||
	    v->slots[SLOT_WINDOW].cmd != NULL)
		return;
	load_visible(v);
	for (i = SLOT_CHUNK; i < SLOT_COUNT; i++) {
		struct fetch_slot *s = &v->slots[i];

		if (s->cmd != NULL)
			continue;
		while (!load_next(v, s, count)) {
			if (v->scan_from <= count)
				return; /* waits for the tail */
			/* the end of a pass: once more from the top (an
			 * expunge may have moved a message behind the scan),
			 * then done */
			if (!v->loading || !background_idle(v))
				return;
			if (v->passes++ >= 1) {
				v->loading = false;
				tui_dirty(v->tui);
				return;
			}
			v->scan_from = 1;
		}
	}
}

/* The envelopes of a UID FETCH came: those without a valid Date: sort
 * and show by their INTERNALDATE (RFC 5256 3), asked for only for them
 * (a Maildir server stats every file for it: ARCHITECTURE.md). */
static void
fetch_dates(struct view_messages *v, const struct fetch_slot *s)
{
	struct model_index *idx = index_of(v);
	struct model_index_entry e;
	struct seqset uids = { 0 };
	struct buf set;
	size_t i, n = 0;
	uint32_t msn;

	for (i = 0; i < s->uids.count && n < CHUNK_RANGES; i++) {
		const struct seqset_range *r = &s->uids.ranges[i];

		msn = model_index_uid_to_msn(idx, r->lo);
		for (; msn != 0 && n < CHUNK_RANGES &&
		    model_index_get(idx, msn, &e) && e.uid <= r->hi;
		    msn++) {
			if ((e.fields & MODEL_INDEX_FIELD_ENVELOPE) &&
			    (e.fields & (MODEL_INDEX_FIELD_DATE |
				MODEL_INDEX_FIELD_INTERNALDATE)) == 0) {
				seqset_add(&uids, e.uid, e.uid);
				n++;
			}
		}
	}
	if (n > 0) {
		buf_init(&set, 64 * 1024);
		if (seqset_format(&uids, &set) == 0)
			(void)tui_command(v->tui,
			    "UID FETCH %a (INTERNALDATE)", buf_str(&set));
		buf_free(&set);
	}
	seqset_free(&uids);
}

/* A command of the loader ended. */
static void
loaded(struct view_messages *v, struct fetch_slot *s, bool visible)
{
	struct model_index *idx = index_of(v);
	struct model_index_entry e;
	size_t i;
	uint32_t u;

	fetch_dates(v, s);
	for (i = 0; visible && i < s->uids.count; i++)
		for (u = s->uids.ranges[i].lo;
		    u <= s->uids.ranges[i].hi && u != 0; u++) {
			uint32_t msn = model_index_uid_to_msn(idx, u);

			if (msn != 0 && model_index_get(idx, msn, &e) &&
			    (e.fields & MODEL_INDEX_FIELD_ENVELOPE) == 0)
				refuse(v, u);
		}
	slot_clear(s);
	load(v);
	tui_dirty(v->tui);
}

/* "41,000" */
static void
format_count(uint32_t n, char *out, size_t size)
{
	char digits_[16];
	int len = snprintf(digits_, sizeof(digits_), "%u", n), i;
	size_t o = 0;

	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits_[i];
	}
	out[o] = '\0';
}

/* --- the list ------------------------------------------------------------ */

/* The most columns the keywords take after the flag letters. */
#define KEYWORDS_MAX 16

/* The columns the keywords of rows top.. (at most n rows) need after
 * the flag letters, capped: a mailbox without keywords loses nothing to
 * them. */
static int
keywords_width(struct view_messages *v, size_t top, size_t n)
{
	struct model_index *idx = index_of(v);
	uint32_t count = model_index_count(idx);
	struct model_index_entry e;
	size_t i, k;
	int widest = 0;

	for (i = top; i < top + n && i < count; i++) {
		uint32_t msn = model_index_row_to_msn(idx, (uint32_t)i + 1);
		int w = 0;

		if (msn == 0 || !model_index_get(idx, msn, &e))
			continue;
		for (k = 0; k < e.n_keywords && w <= KEYWORDS_MAX; k++) {
			const char *name = model_index_keyword_name(idx,
			    e.keywords[k]);

			if (name != NULL)
				w += 1 + (int)strlen(name);
		}
		if (w > widest)
			widest = w;
	}
	return widest > KEYWORDS_MAX ? KEYWORDS_MAX : widest;
}

struct columns {
	int seq, uid, flags, date, from, size, subject;
};

static int
digits(uint32_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* Which columns fit: sequence, UID, flags, subject and size (the column
 * the oversized-message hunt needs) from 30 columns; sender from 58,
 * date from 72, and from 66 the keywords (`keywords` columns) after the
 * flag letters. */
static void
columns_for(struct view_messages *v, int cols, int keywords,
    struct columns *c)
{
	struct model_index *idx = index_of(v);
	uint32_t count = model_index_count(idx);
	uint32_t last_uid = count > 0 ? model_index_msn_to_uid(idx, count) : 0;
	int rest;

	memset(c, 0, sizeof(*c));
	c->seq = digits(count);
	c->uid = digits(last_uid > selected(v)->uidnext ? last_uid
						     : selected(v)->uidnext);
	if (c->uid < 3)
		c->uid = 3;
	c->flags = 4;
	if (cols >= 30)
		c->size = 6;
	if (cols >= 72)
		c->date = 10;
	rest = cols - (c->seq + c->uid + c->flags + c->size + c->date) - 6;
	if (cols >= 58) {
		c->from = rest / 3 > 24 ? 24 : rest / 3;
		rest -= c->from + 1;
	}
	/* the keywords' room comes from the sender (down to 10) first,
	 * then from the subject */
	if (cols >= 66 && keywords > 0) {
		int from_gives = c->from - 10 < keywords ? c->from - 10
							 : keywords;

		if (from_gives < 0)
			from_gives = 0;
		c->from -= from_gives;
		rest -= keywords - from_gives;
		c->flags += keywords;
	}
	c->subject = rest > 1 ? rest : 1;
}

/* The flag letters (NFAD), then the keywords: "NF  $Todo Work". */
static void
format_flags(const struct model_index *idx,
    const struct model_index_entry *e, char *out, size_t size)
{
	size_t i, len = 4;

	memset(out, ' ', 4);
	out[4] = '\0';
	if ((e->fields & MODEL_INDEX_FIELD_FLAGS) == 0) {
		out[0] = '?';
		return;
	}
	for (i = 0; i < e->n_keywords && len + 2 < size; i++) {
		const char *k = model_index_keyword_name(idx, e->keywords[i]);
		int n;

		if (k == NULL)
			continue;
		n = snprintf(out + len, size - len, " %s", k);
		if (n < 0 || (size_t)n >= size - len) {
			out[len] = '\0';
			break;
		}
		len += (size_t)n;
	}
	if ((e->flags & MODEL_INDEX_FLAG_SEEN) == 0)
		out[0] = 'N';
	if (e->flags & MODEL_INDEX_FLAG_FLAGGED)
		out[1] = 'F';
	if (e->flags & MODEL_INDEX_FLAG_ANSWERED)
		out[2] = 'A';
	if (e->flags & MODEL_INDEX_FLAG_DELETED)
		out[3] = 'D';
	else if (e->flags & MODEL_INDEX_FLAG_DRAFT)
		out[3] = 'd';
}

/* The Date: header's day in its own zone, or the arrival day. */
static void
format_date(const struct model_index_entry *e, char *out, size_t size)
{
	struct tm tm;
	time_t t;

	if (e->fields & MODEL_INDEX_FIELD_DATE)
		t = (time_t)(e->date + (int64_t)e->date_tz * 60);
	else if (e->fields & MODEL_INDEX_FIELD_INTERNALDATE)
		t = (time_t)(e->internaldate + (int64_t)e->internaldate_tz * 60);
	else {
		snprintf(out, size, "-");
		return;
	}
	if (gmtime_r(&t, &tm) == NULL || strftime(out, size, "%Y-%m-%d",
					     &tm) == 0)
		snprintf(out, size, "?");
}

/* Exact octets up to 99999, then "4.6K", "12.0M". */
static void
format_size(uint64_t size, char *out, size_t len)
{
	if (size < 100000)
		snprintf(out, len, "%u", (unsigned)size);
	else
		tui_format_size(size, out, len);
}

/* A cell: left-aligned text in width columns, then a space. */
static int
cell(WINDOW *w, int y, int x, int width, const char *text)
{
	if (width <= 0)
		return x;
	tui_draw_text(w, y, x, text, strlen(text), width, true);
	return x + width + 1;
}

static int
cell_right(WINDOW *w, int y, int x, int width, const char *text)
{
	if (width <= 0)
		return x;
	tui_draw_right(w, y, x, text, width);
	return x + width + 1;
}

static void
draw_header(struct view_messages *v, WINDOW *w, int cols,
    const struct columns *c)
{
	struct model_selected *sel = selected(v);
	bool desc;
	enum model_index_column col = model_index_sort_column(sel->index,
	    &desc);
	const char *sort = "seq";
	char title[256], *name;
	const char *mark = desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2"; /* ▼ ▲ */
	char h[SORT_KEY_COUNT][32];
	size_t i;
	int x = 0;

	for (i = 0; i < SORT_KEY_COUNT; i++) {
		bool on = sort_keys[i].col == col;

		snprintf(h[i], sizeof(h[i]), "%s%s", i == 0 ? "#"
		    : i == 1 ? "UID" : i == 2 ? "Flag" : i == 3 ? "Date"
		    : i == 4 ? "From" : i == 5 ? "Subject" : "Size",
		    on ? mark : "");
		if (on)
			sort = sort_keys[i].label;
	}
	name = text_mutf7_display(sel->mailbox != NULL ? sel->mailbox
							: "(none)");
	if (v->loading) {
		uint32_t count = model_index_count(sel->index);
		char got[16], all[16];

		format_count(v->envelopes < count ? v->envelopes : count, got,
		    sizeof(got));
		format_count(count, all, sizeof(all));
		snprintf(title, sizeof(title), "%s  %s/%s envelopes  sort: "
		    "%s %s", name, got, all, sort,
		    desc ? "descending" : "ascending");
	} else
		snprintf(title, sizeof(title), "%s  %u msgs  sort: %s %s",
		    name, model_index_count(sel->index), sort,
		    desc ? "descending" : "ascending");
	free(name);
	wattrset(w, A_BOLD);
	tui_draw_str(w, 0, 0, title, cols);
	wattrset(w, tui_attr(TUI_COLOR_HEADER));
	x = cell_right(w, 1, x, c->seq, h[0]);
	x = cell_right(w, 1, x, c->uid, h[1]);
	x = cell(w, 1, x, c->flags, h[2]);
	x = cell(w, 1, x, c->date, h[3]);
	x = cell(w, 1, x, c->from, h[4]);
	x = cell(w, 1, x, c->subject, h[5]);
	(void)cell_right(w, 1, x, c->size, h[6]);
	wattrset(w, A_NORMAL);
}

static void
draw_row(WINDOW *w, int y, int cols, const struct columns *c,
    const struct model_index *idx, const struct model_index_entry *e,
    bool cursor)
{
	char num[16], flags[256], date[32], size[16];
	int x = 0;

	if (cursor)
		wattrset(w, tui_attr(TUI_COLOR_SELECTED));
	mvwhline(w, y, 0, ' ', cols);
	snprintf(num, sizeof(num), "%u", e->msn);
	x = cell_right(w, y, x, c->seq, num);
	if (e->uid != 0)
		snprintf(num, sizeof(num), "%u", e->uid);
	else
		snprintf(num, sizeof(num), "-");
	x = cell_right(w, y, x, c->uid, num);
	format_flags(idx, e, flags, sizeof(flags));
	if (c->flags <= 4)
		flags[4] = '\0'; /* no room for keywords: the letters whole */
	x = cell(w, y, x, c->flags, flags);
	if (c->date > 0) {
		format_date(e, date, sizeof(date));
		x = cell(w, y, x, c->date, date);
	}
	x = cell(w, y, x, c->from, e->from);
	x = cell(w, y, x, c->subject,
	    (e->fields & MODEL_INDEX_FIELD_ENVELOPE) ? e->subject : "...");
	if (c->size > 0) {
		if (e->fields & MODEL_INDEX_FIELD_SIZE)
			format_size(e->size, size, sizeof(size));
		else
			snprintf(size, sizeof(size), "-");
		(void)cell_right(w, y, x, c->size, size);
	}
	wattrset(w, A_NORMAL);
}

static void
draw_list(struct view_messages *v, WINDOW *w, int rows, int cols)
{
	struct model_selected *sel = selected(v);
	struct model_index *idx = sel->index;
	uint32_t count = model_index_count(idx);
	struct columns c;
	size_t i;
	int y;

	if (sel->state == MODEL_SELECTED_NONE) {
		wattrset(w, tui_attr(TUI_COLOR_HEADER));
		tui_draw_str(w, 0, 0, "Messages", cols);
		wattrset(w, A_NORMAL);
		tui_draw_str(w, 2, 1, "no mailbox selected (Enter on one in "
		    "Mailboxes, or SELECT in the console)", cols - 1);
		return;
	}
	tui_list_clamp(&v->list, count, rows - 2);
	v->list.y = 2;
	/* the rows on screen, for messages_drawn to load first */
	v->win_top = v->list.top;
	v->win_rows = rows > 2 ? (size_t)rows - 2 : 0;
	columns_for(v, cols, keywords_width(v, v->list.top,
	    rows > 2 ? (size_t)rows - 2 : 0), &c);
	draw_header(v, w, cols, &c);
	if (count == 0) {
		tui_draw_str(w, 3, 1, sel->state == MODEL_SELECTED_OPEN
			? "no messages" : "opening...", cols - 1);
		return;
	}
	for (y = 2, i = v->list.top; i < count && y < rows; i++, y++) {
		struct model_index_entry e;
		uint32_t msn = model_index_row_to_msn(idx, (uint32_t)i + 1);

		if (msn != 0 && model_index_get(idx, msn, &e))
			draw_row(w, y, cols, &c, idx, &e,
			    i == v->list.cursor);
	}
}

/* --- the message mode: drawing ------------------------------------------- */

/* Draw the document wrapped to cols, from visual row v->scroll. */
static void
draw_message(struct view_messages *v, WINDOW *w, int rows, int cols)
{
	size_t i, row = 0;
	int y = 0;

	v->page = rows > 1 ? rows - 1 : 1;
	for (i = 0; i < v->line_count; i++) {
		char *esc;
		size_t len = tui_escape(v->lines[i].text,
		    strlen(v->lines[i].text), &esc);
		size_t pos = 0;

		do {
			int used;
			size_t fit = tui_fit_bytes(esc + pos, len - pos, cols,
			    &used);

			if (fit == 0 && pos < len)
				fit = len - pos; /* cannot happen: one char */
			if (row >= v->scroll && y < rows) {
				wattrset(w, v->lines[i].bold ? A_BOLD
							     : A_NORMAL);
				mvwaddnstr(w, y++, 0, esc + pos, (int)fit);
			}
			row++;
			pos += fit;
		} while (pos < len);
		free(esc);
	}
	wattrset(w, A_NORMAL);
	v->visual_rows = row;
}

static void
messages_draw(void *view, WINDOW *w, int rows, int cols)
{
	struct view_messages *v = view;

	if (v->mode == MODE_MESSAGE)
		draw_message(v, w, rows, cols);
	else
		draw_list(v, w, rows, cols);
}

/* After a draw: the rows on screen come before the background's. */
static void
messages_drawn(void *view)
{
	struct view_messages *v = view;

	if (v->mode == MODE_LIST)
		load(v);
}

/* --- the message mode: data ---------------------------------------------- */

/* An ENVELOPE address list for display: "Name <a@b>, c@d". */
static char *
format_addresses(const struct envelope_address *a, size_t n)
{
	struct buf out;
	size_t i;
	bool first = true;

	buf_init(&out, 64 * 1024);
	for (i = 0; i < n; i++) {
		if (a[i].host == NULL) {
			/* a group's start (its name) or its end */
			if (a[i].mailbox != NULL) {
				if (!first)
					buf_append_str(&out, ", ");
				buf_append_str(&out, a[i].mailbox);
				buf_append_str(&out, ":");
				first = true;
			} else
				buf_append_str(&out, ";");
			continue;
		}
		if (!first)
			buf_append_str(&out, ", ");
		first = false;
		if (a[i].name != NULL && a[i].name[0] != '\0') {
			(void)text_mime_decode_header(a[i].name,
			    strlen(a[i].name), &out);
			buf_append_str(&out, " <");
		}
		buf_printf(&out, "%s@%s", a[i].mailbox != NULL ? a[i].mailbox
							       : "",
		    a[i].host);
		if (a[i].name != NULL && a[i].name[0] != '\0')
			buf_append_str(&out, ">");
	}
	return buf_steal(&out);
}

static char *
decode_header(const char *raw)
{
	struct buf out;

	buf_init(&out, 64 * 1024);
	if (raw != NULL)
		(void)text_mime_decode_header(raw, strlen(raw), &out);
	return buf_steal(&out);
}

/* The first text/plain part that is not an attachment, else the first
 * text/plain part at all. */
static const struct bodystructure_part *
find_text(const struct bodystructure_part *p, bool attachments)
{
	const struct bodystructure_part *found;
	size_t i;

	if (p->part_count == 0 && strcmp(p->type, "text") == 0 &&
	    strcmp(p->subtype, "plain") == 0 &&
	    (attachments || p->disposition == NULL ||
		strcmp(p->disposition, "attachment") != 0))
		return p;
	for (i = 0; i < p->part_count; i++)
		if ((found = find_text(&p->parts[i], attachments)) != NULL)
			return found;
	return NULL;
}

static void
take_structure(struct view_messages *v, const struct decoded_response *d)
{
	const struct fetch_response *f = &d->u.fetch.f;
	const struct envelope *env = &f->envelope;

	if (f->present & FETCH_ENVELOPE) {
		free(v->date);
		free(v->from);
		free(v->to);
		free(v->cc);
		free(v->subject);
		v->date = decode_header(env->date);
		v->subject = decode_header(env->subject);
		v->from = format_addresses(env->addresses[ENVELOPE_FROM],
		    env->address_count[ENVELOPE_FROM]);
		v->to = format_addresses(env->addresses[ENVELOPE_TO],
		    env->address_count[ENVELOPE_TO]);
		v->cc = format_addresses(env->addresses[ENVELOPE_CC],
		    env->address_count[ENVELOPE_CC]);
	}
	if ((f->present & FETCH_BODYSTRUCTURE) == 0 || v->structure != NULL)
		return;
	v->structure = bodystructure_copy(d->u.fetch.structure);
	if (v->structure == NULL) {
		free(v->text_note);
		v->text_note = xstrdup("BODYSTRUCTURE not understood");
		return;
	}
	v->text_part = find_text(v->structure, false);
	if (v->text_part == NULL)
		v->text_part = find_text(v->structure, true);
	free(v->text_note);
	if (v->text_part == NULL) {
		v->text_note = xstrdup("(no text/plain part)");
		return;
	}
	if (strspn(v->text_part->part, "0123456789.") !=
	    strlen(v->text_part->part) || v->text_part->part[0] == '\0') {
		v->text_note = xstrdup("(the text part has a strange number)");
		return;
	}
	v->text_note = xasprintf("Text of part %s:", v->text_part->part);
	tui_command(v->tui, "UID FETCH %u (BODY.PEEK[%a]<0.%u>)", v->uid,
	    v->text_part->part, BODY_CAP);
}

static int
append_decoded(void *ctx, const unsigned char *data, size_t len,
    const char **error_r)
{
	if (buf_append(ctx, data, len) != 0) {
		*error_r = "the text part is too long";
		return -1;
	}
	return 0;
}

/* Undo the part's transfer encoding (text-transfer: base64 through
 * OpenSSL, quoted-printable). A fetch cut at BODY_CAP may end inside a
 * base64 group: what came before it is kept. */
static void
decode_transfer(const struct bodystructure_part *p, const char *data,
    size_t len, bool cut, struct buf *out, const char **error_r)
{
	struct transfer_decoder *d = transfer_decoder_new(
	    transfer_encoding_from_name(p->encoding), append_decoded, out);
	const char *error = NULL;

	if (transfer_decoder_feed(d, data, len, &error) != 0 ||
	    (transfer_decoder_finish(d, &error) != 0 && !cut))
		*error_r = error;
	transfer_decoder_free(&d);
}

static void
take_text(struct view_messages *v, const char *data, size_t len,
    bool streamed)
{
	const struct bodystructure_part *p = v->text_part;
	struct buf raw, utf8;
	const char *error = NULL, *charset;
	bool cut = p != NULL && p->size > BODY_CAP;

	if (p == NULL)
		return;
	free(v->text);
	v->text = NULL;
	free(v->text_note);
	v->text_note = NULL;
	if (streamed || data == NULL) {
		v->text_note = xasprintf("Part %s: no text came back",
		    p->part);
		return;
	}
	buf_init(&raw, BODY_CAP * 2);
	buf_init(&utf8, DOC_MAX);
	decode_transfer(p, data, len, cut, &raw, &error);
	charset = p->charset != NULL ? p->charset : "us-ascii";
	if (text_charset_to_utf8(charset, strlen(charset), raw.data,
		raw.len, &utf8, &error) != 0) {
		/* shown as it is: tui-draw escapes what is not UTF-8 */
		buf_reset(&utf8);
		buf_append(&utf8, raw.data, raw.len);
	}
	v->text = buf_steal(&utf8);
	v->text_note = xasprintf("Text of part %s (%s, %s)%s%s%s:", p->part,
	    charset, p->encoding != NULL ? p->encoding : "7bit",
	    cut ? ", the first 64 KiB" : "", error != NULL ? "; " : "",
	    error != NULL ? error : "");
	buf_free(&raw);
	buf_free(&utf8);
}

/* BODY[part]<0> of a FETCH for the open message: its section must be the
 * text part's. */
static void
find_body(struct view_messages *v, const struct imap_response *resp)
{
	const struct imap_arg *items;
	size_t n, i;
	char want[80];

	if (v->text_part == NULL || v->text != NULL ||
	    !imap_arg_get_list(&resp->args[2], &items, &n))
		return;
	snprintf(want, sizeof(want), "BODY[%s]", v->text_part->part);
	for (i = 0; i + 1 < n; i += 2) {
		const char *name, *data;
		size_t len;

		if (!imap_arg_get_atom(&items[i], &name) ||
		    strncasecmp(name, want, strlen(want)) != 0)
			continue;
		if (items[i + 1].type == IMAP_ARG_STREAMED)
			take_text(v, NULL, 0, true);
		else if (imap_arg_get_nstring(&items[i + 1], &data, &len))
			take_text(v, data, len, data == NULL);
		return;
	}
}

/* The view's response hook (tui.h): FETCH data for the open message. */
static void
messages_response(void *view, const struct decoded_response *d)
{
	struct view_messages *v = view;
	const struct imap_response *resp = d->raw;
	const struct imap_session_command *cmd = d->owner;
	const struct fetch_response *f = &d->u.fetch.f;
	size_t i;

	if (resp->kind == IMAP_RESPONSE_TAGGED && cmd != NULL) {
		for (i = 0; i < SLOT_COUNT; i++)
			if (v->slots[i].cmd == cmd)
				loaded(v, &v->slots[i], i == SLOT_VISIBLE);
		if (cmd == v->structure_cmd) {
			v->structure_cmd = NULL;
			if (resp->status != IMAP_STATUS_OK &&
			    v->mode == MODE_MESSAGE) {
				free(v->text_note);
				v->text_note = xasprintf("the server said: %s %s",
				    imap_status_name(resp->status), resp->text);
				doc_build(v);
			}
		}
		return;
	}
	if (d->kind == DECODED_FETCH && (f->present & FETCH_ENVELOPE) &&
	    cmd != NULL && v->loading)
		for (i = 0; i < SLOT_COUNT; i++)
			if (v->slots[i].cmd == cmd)
				v->envelopes++;
	/* only what answers the view's own FETCHes: a FETCH someone else
	 * asked for (a typed BODY[]) is theirs, not the open message's */
	if (v->mode != MODE_MESSAGE || d->kind != DECODED_FETCH ||
	    d->owner == NULL ||
	    imap_session_command_origin(d->owner)->name !=
		tui_view_messages.name)
		return;
	if ((f->present & FETCH_UID) && f->uid == v->uid) {
		take_structure(v, d);
		find_body(v, resp);
		doc_build(v);
		tui_dirty(v->tui);
	}
}

/* --- keys ------------------------------------------------------------------ */

static bool
row_entry(struct view_messages *v, size_t row, struct model_index_entry *e)
{
	struct model_index *idx = index_of(v);
	uint32_t msn = model_index_row_to_msn(idx, (uint32_t)row + 1);

	return msn != 0 && model_index_get(idx, msn, e);
}

static bool
row_matches(void *ctx, size_t row, const char *text)
{
	struct view_messages *v = ctx;
	struct model_index_entry e;

	return row_entry(v, row, &e) && (strcasestr(e.subject, text) != NULL ||
	    strcasestr(e.from, text) != NULL);
}

/* The index searches itself (model_index_find): row_matches' test, a
 * walk of the order instead of two O(log n) lookups per row. */
static size_t
find_row(void *ctx, size_t after, size_t count, const char *text)
{
	struct view_messages *v = ctx;
	uint32_t row = model_index_find(index_of(v), (uint32_t)after + 1,
	    text);

	return row == 0 ? count : row - 1;
}

/* A flag or keyword as STORE may write it: an atom, or \ and an atom
 * (RFC 9051 9: flag). */
static bool
is_flag_atom(const char *f)
{
	const char *p = f[0] == '\\' ? f + 1 : f;

	if (*p == '\0')
		return false;
	for (; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 127 || strchr("(){%*\"\\]", *p) != NULL)
			return false;
	return true;
}

/* The flags of e as STORE FLAGS takes them (without \Recent, which no
 * one may store); false if they are not known. */
static bool
flags_text(struct view_messages *v, const struct model_index_entry *e,
    struct buf *out)
{
	static const unsigned bits[] = { MODEL_INDEX_FLAG_SEEN,
		MODEL_INDEX_FLAG_ANSWERED, MODEL_INDEX_FLAG_FLAGGED,
		MODEL_INDEX_FLAG_DELETED, MODEL_INDEX_FLAG_DRAFT };
	const char *name;
	size_t i;

	if ((e->fields & MODEL_INDEX_FIELD_FLAGS) == 0)
		return false;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (e->flags & bits[i])
			buf_printf(out, "%s%s", out->len > 0 ? " " : "",
			    model_index_flag_name(bits[i]));
	for (i = 0; i < e->n_keywords; i++) {
		name = model_index_keyword_name(index_of(v), e->keywords[i]);
		if (name == NULL || !is_flag_atom(name))
			return false;
		buf_printf(out, "%s%s", out->len > 0 ? " " : "", name);
	}
	return true;
}

static void
undo_forget(struct view_messages *v)
{
	free(v->undo_mailbox);
	free(v->undo_flags);
	v->undo_mailbox = v->undo_flags = NULL;
}

/* u Enter: the flags as they were, if the mailbox is still the one. */
static void
undo_flags(void *ctx)
{
	struct view_messages *v = ctx;
	struct model_selected *sel = selected(v);

	if (v->undo_mailbox == NULL)
		return;
	if (sel->state != MODEL_SELECTED_OPEN || sel->mailbox == NULL ||
	    strcmp(sel->mailbox, v->undo_mailbox) != 0 ||
	    sel->uidvalidity != v->undo_uidvalidity)
		tui_message(v->tui, "not undone: that mailbox is not selected "
		    "any more");
	else if (tui_command(v->tui, "UID STORE %u FLAGS (%a)", v->undo_uid,
		     v->undo_flags) != NULL)
		tui_message(v->tui, "UID %u: its flags are (%s) again",
		    v->undo_uid, v->undo_flags);
	undo_forget(v);
}

/* UID STORE of one flag or keyword, after remembering the flags for u. */
static void
store_flag(struct view_messages *v, uint32_t uid, const char *flag,
    bool set)
{
	struct model_selected *sel = selected(v);
	struct model_index_entry e;
	uint32_t msn;
	struct buf before, what;
	char *name;
	bool known;

	if (uid == 0) {
		tui_message(v->tui, "the UID is not known yet");
		return;
	}
	if (sel->read_only) {
		tui_message(v->tui, "the mailbox is read-only (EXAMINE)");
		return;
	}
	buf_init(&before, 64 * 1024);
	msn = model_index_uid_to_msn(index_of(v), uid);
	known = msn != 0 && model_index_get(index_of(v), msn, &e) &&
	    flags_text(v, &e, &before);
	if (tui_command(v->tui, set ? "UID STORE %u +FLAGS (%a)"
				    : "UID STORE %u -FLAGS (%a)",
		uid, flag) == NULL) {
		buf_free(&before);
		return;
	}
	if (!known) {
		buf_free(&before);
		tui_set_undo(v->tui, NULL, NULL, NULL);
		tui_message(v->tui, "%s %s on UID %u (no undo: its flags were "
		    "not known)", flag, set ? "set" : "cleared", uid);
		return;
	}
	undo_forget(v);
	v->undo_mailbox = xstrdup(sel->mailbox);
	v->undo_uidvalidity = sel->uidvalidity;
	v->undo_uid = uid;
	v->undo_flags = xstrdup(buf_str(&before));
	buf_init(&what, 64 * 1024);
	name = text_mutf7_display(sel->mailbox);
	buf_printf(&what, "UID STORE %u FLAGS (%s) in %s", uid,
	    v->undo_flags, name);
	free(name);
	tui_set_undo(v->tui, buf_str(&what), undo_flags, v);
	tui_message(v->tui, "%s %s on UID %u (u undoes)", flag,
	    set ? "set" : "cleared", uid);
	buf_free(&what);
	buf_free(&before);
}

/* * then a flag key. */
static void
store(struct view_messages *v, uint32_t uid, int key, bool set)
{
	size_t i;

	for (i = 0; i < FLAG_KEY_COUNT; i++)
		if (flag_keys[i].key == key ||
		    flag_keys[i].key == key - 'A' + 'a') {
			store_flag(v, uid, flag_keys[i].flag, set);
			return;
		}
}

/* Why the mailbox cannot keep keyword `k` set, or NULL: RFC 9051 7.1
 * PERMANENTFLAGS lists the flags a STORE changes for good, and "\*" in
 * it says new keywords may be made; without it only the keywords it
 * names last beyond the session. No PERMANENTFLAGS at all means every
 * flag FLAGS names is permanent (RFC 3501 6.3.1). */
static const char *
keyword_refusal(const struct model_selected *sel, const char *k)
{
	size_t i;

	if ((sel->known & MODEL_SEL_PERMANENTFLAGS) == 0 ||
	    sel->any_keyword)
		return NULL;
	for (i = 0; i < sel->permanentflag_count; i++)
		if (strcasecmp(sel->permanentflags[i], k) == 0)
			return NULL;
	return "the server's PERMANENTFLAGS lack \\* and do not name it: "
	       "this mailbox cannot keep a new keyword";
}

static void
keyword_entered(void *ctx, const char *text)
{
	struct view_messages *v = ctx;
	const char *why;

	if (text == NULL || text[0] == '\0')
		return;
	if (text[0] == '\\' || !is_flag_atom(text)) {
		tui_message(v->tui, "not a keyword: an atom without \\, "
		    "spaces or ( ) { %% * \" ] (RFC 9051 9)");
		return;
	}
	if (v->keyword_set &&
	    (why = keyword_refusal(selected(v), text)) != NULL) {
		tui_message(v->tui, "%s not set: %s", text, why);
		return;
	}
	store_flag(v, v->keyword_uid, text, v->keyword_set);
}

/* * k and * K: ask the keyword's name. */
static void
keyword_ask(struct view_messages *v, uint32_t uid, bool set)
{
	char question[64];

	if (uid == 0) {
		tui_message(v->tui, "the UID is not known yet");
		return;
	}
	if (selected(v)->read_only) {
		tui_message(v->tui, "the mailbox is read-only (EXAMINE)");
		return;
	}
	v->keyword_uid = uid;
	v->keyword_set = set;
	snprintf(question, sizeof(question), "%s keyword on UID %u:",
	    set ? "Set" : "Clear", uid);
	tui_prompt(v->tui, question, set ? "$" : NULL, keyword_entered, v);
}

static void
flag_menu(struct view_messages *v, uint32_t uid)
{
	if (uid == 0) {
		tui_message(v->tui, "no message here (Esc)");
		return;
	}
	tui_message(v->tui, "flags of UID %u: f \\Flagged  s \\Seen  "
	    "d \\Deleted  a \\Answered  k a keyword; a capital clears it; "
	    "Esc: none", uid);
}

static void
open_message(struct view_messages *v, uint32_t uid)
{
	message_forget(v);
	v->uid = uid;
	v->mode = MODE_MESSAGE;
	doc_build(v);
	v->structure_cmd = tui_command(v->tui,
	    "UID FETCH %u (ENVELOPE BODYSTRUCTURE)", uid);
}

static void
message_key(struct view_messages *v, int action, int key)
{
	size_t max = v->visual_rows > 0 ? v->visual_rows - 1 : 0;

	switch ((enum messages_action)action) {
	case ACT_BACK:
		v->mode = MODE_LIST;
		message_forget(v);
		break;
	case ACT_SCROLL_DOWN:
		if (v->scroll < max)
			v->scroll++;
		break;
	case ACT_SCROLL_UP:
		if (v->scroll > 0)
			v->scroll--;
		break;
	case ACT_PAGE_DOWN:
		v->scroll += (size_t)v->page;
		if (v->scroll > max)
			v->scroll = max;
		break;
	case ACT_PAGE_UP:
		v->scroll = v->scroll > (size_t)v->page
		    ? v->scroll - (size_t)v->page : 0;
		break;
	case ACT_TOP:
		v->scroll = 0;
		break;
	case ACT_END:
		v->scroll = max;
		break;
	case ACT_FLAG_MENU:
		flag_menu(v, v->uid);
		break;
	case ACT_FLAG_SET:
	case ACT_FLAG_CLEAR:
		store(v, v->uid, key, action == ACT_FLAG_SET);
		break;
	case ACT_KEYWORD_SET:
	case ACT_KEYWORD_CLEAR:
		keyword_ask(v, v->uid, action == ACT_KEYWORD_SET);
		break;
	case ACT_SORT:
	case ACT_OPEN:
		break;
	}
	tui_dirty(v->tui);
}

/* A sort key: its column, or the other direction when it is the
 * column already. */
static void
sort_by(struct view_messages *v, size_t i)
{
	bool desc;
	enum model_index_column col = model_index_sort_column(index_of(v),
	    &desc);

	model_index_sort(index_of(v), sort_keys[i].col,
	    col == sort_keys[i].col ? !desc : sort_keys[i].descending);
	v->list.cursor = v->list.top = 0;
}

static void
messages_key(void *view, int action, int key)
{
	struct view_messages *v = view;
	struct model_index *idx = index_of(v);
	size_t count = model_index_count(idx);
	struct model_index_entry e;
	uint32_t uid = 0;

	if (v->mode == MODE_MESSAGE) {
		message_key(v, action, key);
		return;
	}
	if (tui_list_act(&v->list, v->tui, action, count, row_matches, v))
		return;
	if (count > 0 && row_entry(v, v->list.cursor, &e))
		uid = e.uid;
	switch ((enum messages_action)action) {
	case ACT_SORT:
		sort_by(v, (size_t)(key - '1'));
		break;
	case ACT_OPEN:
		if (count == 0)
			break;
		if (uid == 0)
			tui_message(v->tui, "the UID is not known yet");
		else
			open_message(v, uid);
		break;
	case ACT_FLAG_MENU:
		flag_menu(v, uid);
		break;
	case ACT_FLAG_SET:
	case ACT_FLAG_CLEAR:
		if (count > 0)
			store(v, uid, key, action == ACT_FLAG_SET);
		break;
	case ACT_KEYWORD_SET:
	case ACT_KEYWORD_CLEAR:
		if (count > 0)
			keyword_ask(v, uid, action == ACT_KEYWORD_SET);
		break;
	default:
		break;
	}
	tui_dirty(v->tui);
}

static unsigned
messages_mode(void *view)
{
	struct view_messages *v = view;

	return v->mode == MODE_MESSAGE ? KEYS_MESSAGE : KEYS_LIST;
}

/* --- model changes ------------------------------------------------------- */

static void
messages_on_model_change(void *view, unsigned changed)
{
	struct view_messages *v = view;
	struct model_selected *sel = selected(v);

	if ((changed & MODEL_CHANGED_SELECTED) == 0)
		return;
	if (sel->state != MODEL_SELECTED_OPEN) {
		/* another mailbox (or none): start over */
		fetch_reset(v);
		if (v->mode == MODE_MESSAGE) {
			v->mode = MODE_LIST;
			message_forget(v);
		}
		v->list.cursor = v->list.top = 0;
		return;
	}
	if (changed == ~0u)
		fetch_reset(v); /* reconnected */
	/* not at each FETCH: when it opened, or grew or shrank */
	if (!v->sizes_asked ||
	    model_index_count(index_of(v)) != v->last_count)
		load(v);
}

static void
messages_on_show(void *view)
{
	struct view_messages *v = view;

	v->shown = true;
	load(v);
}

static void
messages_on_hide(void *view)
{
	struct view_messages *v = view;

	v->shown = false;
}

/* --- the transcript link -------------------------------------------------- */

/* A FETCH line of the transcript: the message's row (by UID when the
 * line had one, else by its sequence number). */
static bool
messages_reveal(void *view, const struct tui_link *link)
{
	struct view_messages *v = view;
	struct model_index *idx = index_of(v);
	uint32_t msn, row;

	if (link->kind != TUI_LINK_MESSAGE || idx == NULL)
		return false;
	msn = link->uid != 0 ? model_index_uid_to_msn(idx, link->uid)
			     : link->seq;
	row = msn != 0 ? model_index_msn_to_row(idx, msn) : 0;
	if (row == 0)
		return false;
	if (v->mode == MODE_MESSAGE) {
		v->mode = MODE_LIST;
		message_forget(v);
	}
	v->list.cursor = row - 1;
	tui_dirty(v->tui);
	return true;
}

static bool
messages_cursor_link(void *view, struct tui_link *link_r)
{
	struct view_messages *v = view;
	struct model_index_entry e;

	if (index_of(v) == NULL || !row_entry(v, v->list.cursor, &e))
		return false;
	memset(link_r, 0, sizeof(*link_r));
	link_r->kind = TUI_LINK_MESSAGE;
	link_r->uid = e.uid;
	link_r->seq = e.msn;
	return true;
}

const struct tui_view_ops tui_view_messages = {
	.name = "Messages",
	.create = messages_create,
	.destroy = messages_destroy,
	.draw = messages_draw,
	.drawn = messages_drawn,
	.keymap = &messages_keymap,
	.key = messages_key,
	.mode = messages_mode,
	.on_model_change = messages_on_model_change,
	.on_show = messages_on_show,
	.on_hide = messages_on_hide,
	.response = messages_response,
	.reveal = messages_reveal,
	.cursor_link = messages_cursor_link,
};
