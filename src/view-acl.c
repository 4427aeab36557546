/* view-acl: the access control list of one mailbox (RFC 4314): GETACL's
 * entries, MYRIGHTS, every right letter of the cursor's entry explained,
 * LISTRIGHTS on Alt-l; Alt-a adds or changes an entry, Del deletes one,
 * both after a confirmation that shows the exact command, and u Enter
 * puts the entry back as it was; Alt-m picks the mailbox, g asks again. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap-command.h"
#include "model.h"
#include "teach-knowledge.h"
#include "text-mutf7.h"
#include "tui.h"
#include "tui-draw.h"
#include "tui-link.h"
#include "tui-list.h"
#include "tui-target.h"
#include "util-buf.h"
#include "util-mem.h"

struct view_acl {
	struct tui *tui;
	struct tui_list list;
	struct tui_target target; /* the mailbox shown (m picks one) */
	char *pending_id;     /* what a confirmation is about */
	char *pending_rights; /* NULL: a DELETEACL */
	/* u Enter: the entry as it was before the last change */
	char *undo_mailbox, *undo_id;
	char *undo_rights;    /* NULL: there was no entry (DELETEACL) */
};

enum acl_action {
	ACT_REFRESH,
	ACT_MAILBOX,
	ACT_LISTRIGHTS,
	ACT_SET,
	ACT_DELETE,
};

/* Letters are typing (tui-keys.h): what asks or changes is on Alt and
 * Del. */
static const struct tui_key acl_keys[] = {
	TUI_LIST_MOVE_KEYS(0),
	TUI_LIST_SEARCH_KEYS(0),
	{ .keys = { 'g' }, .action = ACT_REFRESH,
	    .help = "GETACL and MYRIGHTS again" },
	{ .keys = { TUI_ALT('m') }, .action = ACT_MAILBOX,
	    .help = "pick the mailbox (asks its name)" },
	{ .keys = { TUI_ALT('l') }, .action = ACT_LISTRIGHTS,
	    .help = "LISTRIGHTS of the cursor's identifier" },
	{ .keys = { TUI_ALT('a') }, .action = ACT_SET, .flags = TUI_KEY_ASKS,
	    .help = "set rights (asks, confirms; u Enter undoes)" },
	{ .keys = { TUI_KEY(KEY_DC) }, .action = ACT_DELETE,
	    .flags = TUI_KEY_ASKS,
	    .help = "delete the cursor's entry (confirms; u Enter undoes)" },
};
static const struct tui_keymap acl_keymap =
    TUI_KEYMAP("ACL", acl_keys);

static bool
has_acl(struct view_acl *v)
{
	return imap_session_has_capability(tui_session(v->tui), "ACL");
}

static const struct model_acl_mailbox *
acl_box(struct view_acl *v)
{
	if (v->target.mailbox == NULL)
		return NULL;
	return model_acl_get(model_acl(tui_model(v->tui)), v->target.mailbox);
}

static size_t
entry_count(struct view_acl *v)
{
	const struct model_acl_mailbox *b = acl_box(v);

	return b != NULL ? b->count : 0;
}

static const struct model_acl_entry *
cursor_entry(struct view_acl *v)
{
	const struct model_acl_mailbox *b = acl_box(v);

	if (b == NULL || v->list.cursor >= b->count)
		return NULL;
	return &b->entries[v->list.cursor];
}

/* The rights the server lists beyond RFC 2086's (RFC 4314 2.1), or NULL. */
static const char *
rights_capability(struct view_acl *v)
{
	struct imap_session *s = tui_session(v->tui);
	size_t i, n = imap_session_capability_count(s);

	for (i = 0; i < n; i++) {
		const char *cap = imap_session_capability(s, i);

		if (strncasecmp(cap, "RIGHTS=", 7) == 0)
			return cap + 7;
	}
	return NULL;
}

static void
request(struct view_acl *v)
{
	if (v->target.mailbox == NULL || !has_acl(v))
		return;
	if (tui_command(v->tui, "GETACL %s", v->target.mailbox) != NULL)
		tui_command(v->tui, "MYRIGHTS %s", v->target.mailbox);
}

static void *
acl_create(struct tui *tui)
{
	struct view_acl *v = xcalloc(1, sizeof(*v));

	v->tui = tui;
	v->target.tui = tui;
	return v;
}

static void
acl_destroy(void *view)
{
	struct view_acl *v = view;

	tui_list_free(&v->list);
	tui_target_free(&v->target);
	free(v->pending_id);
	free(v->pending_rights);
	free(v->undo_mailbox);
	free(v->undo_id);
	free(v->undo_rights);
	free(v);
}

static void
draw_entry(WINDOW *w, int y, int cols, const struct model_acl_entry *e,
    bool cursor)
{
	int idw = cols / 2 < 20 ? cols / 2 : 20;

	if (cursor)
		wattrset(w, tui_attr(TUI_COLOR_SELECTED));
	mvwhline(w, y, 0, ' ', cols);
	tui_draw_str(w, y, 1, e->identifier, idw - 2);
	tui_draw_str(w, y, idw, e->rights[0] != '\0' ? e->rights : "(none)",
	    cols - idw);
	wattrset(w, A_NORMAL);
}

static void
draw_right(WINDOW *w, int y, int cols, char letter)
{
	const struct knowledge_row *r = knowledge_right(letter);
	char line[256], cite[KNOWLEDGE_CITE_MAX];

	if (r == NULL)
		snprintf(line, sizeof(line), " %c  %s", letter,
		    isdigit((unsigned char)letter)
			? "site-defined right (RFC 4314 \xc2\xa7" "2)"
			: "not defined by any RFC imapwb knows");
	else if (r->rfc != 4314) {
		/* "annotate (RFC 5257 §3.4): write ...": the RFC before the
		 * words a narrow pane cuts */
		int name = knowledge_right_name_len(r);
		const char *rest = r->meaning + name;

		snprintf(line, sizeof(line), " %c  %.*s (%s)%s", letter, name,
		    r->meaning, knowledge_cite(r, cite, sizeof(cite)), rest);
	}
	else
		snprintf(line, sizeof(line), " %c  %s", letter, r->meaning);
	tui_draw_text(w, y, 0, line, strlen(line), cols, true);
}

/* The letters of a rights string, without a leading + or -. */
static size_t
letter_count(const char *rights)
{
	size_t n = 0;

	for (; *rights != '\0'; rights++)
		n += *rights != '+' && *rights != '-';
	return n;
}

/* "l lookup, r read, ...": the letters' names when a line for each
 * does not fit. */
static void
draw_names(WINDOW *w, int y, int rows, int cols, const char *rights)
{
	const struct knowledge_row *r;
	struct buf text;
	const char *p;

	buf_init(&text, 4096);
	for (p = rights; *p != '\0'; p++) {
		if (*p == '+' || *p == '-')
			continue;
		r = knowledge_right(*p);
		buf_printf(&text, "%s%c %.*s", text.len > 0 ? ", " : "", *p,
		    r != NULL ? knowledge_right_name_len(r) : 1,
		    r != NULL ? r->meaning : "?");
	}
	tui_draw_wrapped(w, y, 1, cols - 1, 0, rows - y, buf_str(&text),
	    text.len);
	buf_free(&text);
}

/* The cursor's entry: every letter explained, then LISTRIGHTS. */
static void
draw_detail(WINDOW *w, int y, int rows, int cols,
    const struct model_acl_entry *e)
{
	struct buf text;
	const char *p;
	size_t i;
	bool compact;

	buf_init(&text, 4096);
	buf_printf(&text, "%s%s: %s", e->identifier,
	    e->negative ? " (rights taken away)" : "",
	    e->rights[0] != '\0' ? e->rights : "(none)");
	wattrset(w, A_BOLD);
	tui_draw_text(w, y++, 0, buf_str(&text), strlen(buf_str(&text)), cols,
	    true);
	wattrset(w, A_NORMAL);
	compact = (int)letter_count(e->rights) +
		(e->required != NULL ? 1 : 0) > rows - y;
	if (compact && y < rows) {
		/* the names, and LISTRIGHTS on the last line */
		draw_names(w, y, e->required != NULL ? rows - 1 : rows, cols,
		    e->rights);
		y = rows - 1;
	}
	for (p = e->rights; !compact && *p != '\0' && y < rows; p++) {
		if (*p == '+' || *p == '-')
			continue;
		draw_right(w, y++, cols, *p);
	}
	if (e->required == NULL || y >= rows) {
		buf_free(&text);
		return;
	}
	buf_reset(&text);
	buf_printf(&text, "always: %s  may have:",
	    e->required[0] != '\0' ? e->required : "-");
	for (i = 0; i < e->optional_count; i++)
		buf_printf(&text, " %s", e->optional[i]);
	if (e->optional_count == 0)
		buf_append_str(&text, " -");
	tui_draw_text(w, y, 0, buf_str(&text), strlen(buf_str(&text)), cols,
	    true);
	buf_free(&text);
}

static void
acl_draw(void *view, WINDOW *w, int rows, int cols)
{
	struct view_acl *v = view;
	const struct model_acl_mailbox *b;
	const struct model_acl_entry *e;
	char line[256];
	int y = 0, list_rows;
	size_t i;

	wattrset(w, tui_attr(TUI_COLOR_HEADER));
	mvwhline(w, 0, 0, ' ', cols);
	snprintf(line, sizeof(line), "ACL of ");
	y = tui_draw_str(w, 0, 0, line, cols);
	tui_draw_str(w, 0, y, tui_target_display(&v->target),
	    cols - y);
	wattrset(w, A_NORMAL);
	if (!tui_connected(v->tui)) {
		tui_draw_str(w, 2, 1, "not connected", cols - 1);
		return;
	}
	if (!has_acl(v)) {
		tui_draw_str(w, 2, 1, "The server does not offer ACL", cols - 1);
		tui_draw_str(w, 3, 1, "(RFC 4314): no rights to show.",
		    cols - 1);
		return;
	}
	b = acl_box(v);
	wattrset(w, A_DIM);
	tui_draw_str(w, 1, 0, "Alt-a set  Del delete  Alt-l rights  "
	    "Alt-m mailbox  g again", cols);
	wattrset(w, A_NORMAL);
	snprintf(line, sizeof(line), "My rights: %s",
	    b != NULL && b->myrights != NULL ? b->myrights : "?");
	tui_draw_text(w, 2, 0, line, strlen(line), cols, true);
	if (b == NULL || (!b->acl_known && b->count == 0)) {
		if (rows > 4)
			tui_draw_str(w, 4, 1, "waiting for GETACL (g asks again)",
			    cols - 1);
		return;
	}
	if (b->count == 0) {
		if (rows > 4)
			tui_draw_str(w, 4, 1, "no entries", cols - 1);
		return;
	}
	/* the list takes up to half of what is left; the detail the rest */
	list_rows = (rows - 4) / 2;
	if (list_rows < 1)
		list_rows = 1;
	if ((size_t)list_rows > b->count)
		list_rows = (int)b->count;
	tui_list_clamp(&v->list, b->count, list_rows);
	v->list.y = y = 3;
	for (i = v->list.top; i < b->count && y < 3 + list_rows && y < rows;
	     i++, y++)
		draw_entry(w, y, cols, &b->entries[i], i == v->list.cursor);
	e = cursor_entry(v);
	if (e != NULL && y + 1 < rows) {
		mvwhline(w, y, 0, ACS_HLINE, cols);
		draw_detail(w, y + 1, rows, cols, e);
	}
}

static bool
row_matches(void *ctx, size_t row, const char *text)
{
	struct view_acl *v = ctx;
	const struct model_acl_mailbox *b = acl_box(v);

	return b != NULL && row < b->count &&
	    strcasestr(b->entries[row].identifier, text) != NULL;
}

static void
mailbox_entered(void *ctx, const char *text)
{
	struct view_acl *v = ctx;

	if (!tui_target_pin(&v->target, text))
		return;
	v->list.cursor = v->list.top = 0;
	request(v);
}

/* A rights string as SETACL takes it (RFC 4314 3.1): an optional + or -,
 * then letters the server knows. NULL, or why not. */
static const char *
check_rights(struct view_acl *v, const char *rights)
{
	static char why[128];
	const char *listed = rights_capability(v), *p = rights;

	if (*p == '+' || *p == '-')
		p++;
	if (*p == '\0')
		return "no rights given (Del deletes an entry)";
	for (; *p != '\0'; p++) {
		bool known = knowledge_right(*p) != NULL ||
		    isdigit((unsigned char)*p) ||
		    (listed != NULL && strchr(listed, *p) != NULL);

		/* k x t e exist only where RIGHTS= lists them */
		if (known && listed != NULL && strchr("kxte", *p) != NULL &&
		    strchr(listed, *p) == NULL)
			known = false;
		if (!known) {
			snprintf(why, sizeof(why),
			    "'%c' is not a right this server knows (RIGHTS=%s)",
			    isprint((unsigned char)*p) ? *p : '?',
			    listed != NULL ? listed : "");
			return why;
		}
	}
	return NULL;
}

/* The command as the builder will write it (quoting included), for the
 * confirmation: what the user agrees to is what is sent. */
static void
command_text(struct view_acl *v, struct buf *out, const char *fmt, ...)
{
	struct imap_literal_caps caps;
	struct imap_command *cmd;
	const char *error;
	va_list ap;
	size_t i, len = out->len;

	imap_session_literal_caps(tui_session(v->tui), &caps);
	va_start(ap, fmt);
	cmd = imap_command_vbuild("T", &caps, &error, fmt, ap);
	va_end(ap);
	if (cmd == NULL) {
		buf_printf(out, "(cannot be sent: %s)", error);
		return;
	}
	for (i = 0; i < cmd->chunk_count; i++)
		buf_append(out, cmd->chunks[i].data.data,
		    cmd->chunks[i].data.len);
	imap_command_free(&cmd);
	/* without the tag and the final CRLF */
	if (out->len >= len + 4 && memcmp(out->data + out->len - 2, "\r\n",
		2) == 0)
		out->len -= 2;
	if (out->len >= len + 2) {
		memmove(out->data + len, out->data + len + 2,
		    out->len - len - 2);
		out->len -= 2;
	}
	out->data[out->len] = '\0';
}

/* Is the list the confirmation was about known (so an undo can be
 * built from it)? */
static bool
b_known(struct view_acl *v)
{
	const struct model_acl_mailbox *b = acl_box(v);

	return b != NULL && b->acl_known;
}

static void
undo_forget(struct view_acl *v)
{
	free(v->undo_mailbox);
	free(v->undo_id);
	free(v->undo_rights);
	v->undo_mailbox = v->undo_id = v->undo_rights = NULL;
}

/* u Enter: the entry's old rights, or no entry. */
static void
undo_run(void *ctx)
{
	struct view_acl *v = ctx;
	struct imap_session_command *cmd;

	if (v->undo_mailbox == NULL)
		return;
	if (v->undo_rights != NULL)
		cmd = tui_command(v->tui, "SETACL %s %s %s", v->undo_mailbox,
		    v->undo_id, v->undo_rights);
	else
		cmd = tui_command(v->tui, "DELETEACL %s %s", v->undo_mailbox,
		    v->undo_id);
	if (cmd != NULL && v->target.mailbox != NULL &&
	    strcmp(v->target.mailbox, v->undo_mailbox) == 0)
		request(v);
	undo_forget(v);
}

/* Before a change: what puts the entry back. */
static void
undo_remember(struct view_acl *v)
{
	const struct model_acl_mailbox *b = acl_box(v);
	struct buf what;
	size_t i;

	undo_forget(v);
	v->undo_mailbox = xstrdup(v->target.mailbox);
	v->undo_id = xstrdup(v->pending_id);
	for (i = 0; b != NULL && i < b->count; i++)
		if (strcmp(b->entries[i].identifier, v->pending_id) == 0)
			v->undo_rights = xstrdup(b->entries[i].rights);
	buf_init(&what, 8192);
	if (v->undo_rights != NULL)
		command_text(v, &what, "SETACL %s %s %s", v->undo_mailbox,
		    v->undo_id, v->undo_rights);
	else
		command_text(v, &what, "DELETEACL %s %s", v->undo_mailbox,
		    v->undo_id);
	tui_set_undo(v->tui, buf_str(&what), undo_run, v);
	buf_free(&what);
}

static void
set_confirmed(void *ctx, bool yes)
{
	struct view_acl *v = ctx;
	struct imap_session_command *cmd;

	if (!yes || v->pending_id == NULL || v->target.mailbox == NULL)
		return;
	if (b_known(v))
		undo_remember(v);
	else
		tui_set_undo(v->tui, NULL, NULL, NULL);
	if (v->pending_rights != NULL)
		cmd = tui_command(v->tui, "SETACL %s %s %s", v->target.mailbox,
		    v->pending_id, v->pending_rights);
	else
		cmd = tui_command(v->tui, "DELETEACL %s %s", v->target.mailbox,
		    v->pending_id);
	if (cmd != NULL) {
		request(v);
		tui_message(v->tui, "%s%s", v->pending_rights != NULL
		    ? "rights set" : "entry deleted",
		    v->undo_mailbox != NULL ? " (u undoes)" : "");
	}
}

static void
remember(struct view_acl *v, const char *id, const char *rights)
{
	free(v->pending_id);
	free(v->pending_rights);
	v->pending_id = xstrdup(id);
	v->pending_rights = rights != NULL ? xstrdup(rights) : NULL;
}

static void
entry_entered(void *ctx, const char *text)
{
	struct view_acl *v = ctx;
	char *copy, *id, *rights, *end;
	const char *why;
	struct buf q;

	if (text == NULL || v->target.mailbox == NULL)
		return;
	copy = xstrdup(text);
	for (id = copy; *id == ' '; id++)
		;
	end = id + strlen(id);
	while (end > id && end[-1] == ' ')
		*--end = '\0';
	rights = strrchr(id, ' ');
	if (rights == NULL || *id == '\0') {
		tui_message(v->tui, "type an identifier and rights: bob lr");
		free(copy);
		return;
	}
	*rights++ = '\0';
	for (end = rights - 1; end > id && end[-1] == ' ';)
		*--end = '\0';
	if ((why = check_rights(v, rights)) != NULL) {
		tui_message(v->tui, "%s", why);
		free(copy);
		return;
	}
	remember(v, id, rights);
	buf_init(&q, 8192);
	buf_printf(&q, "Set the rights of %s on %s to %s?\n\nThis sends: ",
	    id, tui_target_display(&v->target), rights);
	command_text(v, &q, "SETACL %s %s %s", v->target.mailbox, id, rights);
	tui_confirm(v->tui, buf_str(&q), set_confirmed, v);
	buf_free(&q);
	free(copy);
}

static void
acl_key(void *view, int action, int key)
{
	struct view_acl *v = view;
	size_t count = entry_count(v);
	const struct model_acl_entry *e;
	struct buf q;

	(void)key;
	if (tui_list_act(&v->list, v->tui, action, count, row_matches, v))
		return;
	switch ((enum acl_action)action) {
	case ACT_MAILBOX:
		tui_prompt(v->tui, "Mailbox:",
		    v->target.mailbox != NULL ? tui_target_display(&v->target) : NULL,
		    mailbox_entered, v);
		return;
	case ACT_REFRESH:
		request(v);
		return;
	default:
		break;
	}
	if (!has_acl(v)) {
		tui_message(v->tui, "the server does not offer ACL");
		return;
	}
	e = cursor_entry(v);
	switch ((enum acl_action)action) {
	case ACT_SET:
		if (e != NULL) {
			buf_init(&q, 4096);
			buf_printf(&q, "%s %s", e->identifier, e->rights);
			tui_prompt(v->tui, "Identifier and rights (bob lr):",
			    buf_str(&q), entry_entered, v);
			buf_free(&q);
		} else
			tui_prompt(v->tui, "Identifier and rights (bob lr):",
			    NULL, entry_entered, v);
		return;
	case ACT_DELETE:
		if (e == NULL)
			return;
		remember(v, e->identifier, NULL);
		buf_init(&q, 8192);
		buf_printf(&q, "Delete the entry of %s on %s?\n\nThis sends: ",
		    e->identifier, tui_target_display(&v->target));
		command_text(v, &q, "DELETEACL %s %s", v->target.mailbox,
		    e->identifier);
		tui_confirm(v->tui, buf_str(&q), set_confirmed, v);
		buf_free(&q);
		return;
	case ACT_LISTRIGHTS:
		if (e != NULL)
			tui_command(v->tui, "LISTRIGHTS %s %s", v->target.mailbox,
			    e->identifier);
		return;
	default:
		return;
	}
}

static void
acl_on_show(void *view)
{
	struct view_acl *v = view;

	if (tui_target_follow(&v->target))
		v->list.cursor = v->list.top = 0;
	request(v);
}

/* --- the transcript link -------------------------------------------------- */

/* An ACL, MYRIGHTS or LISTRIGHTS line: show that mailbox's ACL. */
static bool
acl_reveal(void *view, const struct tui_link *link)
{
	struct view_acl *v = view;

	if (link->kind != TUI_LINK_ACL)
		return false;
	if (tui_target_pin_raw(&v->target, link->name))
		v->list.cursor = v->list.top = 0;
	return true;
}

static bool
acl_cursor_link(void *view, struct tui_link *link_r)
{
	struct view_acl *v = view;

	memset(link_r, 0, sizeof(*link_r));
	return tui_link_named(link_r, TUI_LINK_ACL, v->target.mailbox);
}

const struct tui_view_ops tui_view_acl = {
	.name = "ACL",
	.create = acl_create,
	.destroy = acl_destroy,
	.draw = acl_draw,
	.keymap = &acl_keymap,
	.key = acl_key,
	.on_show = acl_on_show,
	.reveal = acl_reveal,
	.cursor_link = acl_cursor_link,
};
