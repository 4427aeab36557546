/* view-connection: what protects this session. TLS (protocol, cipher,
 * the certificate chain, the pin), SASL (mechanism, security layer,
 * identities), and how the capabilities changed at STARTTLS and at
 * authentication, which is where a downgrade would show; and where the
 * session is in the protocol's state machine, with what that state
 * allows. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client.h"
#include "teach-knowledge.h"
#include "teach-primer.h"
#include "tui.h"
#include "tui-draw.h"
#include "tui-list.h"
#include "util-buf.h"
#include "util-mem.h"

struct view_connection {
	struct tui *tui;
	int top;   /* the first body line shown */
	int lines; /* body lines at the last draw */
	int rows;
};

static const struct tui_key connection_keys[] = {
	TUI_LIST_SCROLL_KEYS(0),
	{ .keys = { ' ' }, .action = TUI_LIST_PAGE_DOWN,
	    .help = "a page down" },
};
static const struct tui_keymap connection_keymap =
    TUI_KEYMAP("Connection", connection_keys);

/* Where the body is drawn, and how far it has come. */
struct cursor {
	WINDOW *w;
	int line; /* the next body line */
	int top;
	int rows;
	int cols;
};

static void *
connection_create(struct tui *tui)
{
	struct view_connection *v = xcalloc(1, sizeof(*v));

	v->tui = tui;
	return v;
}

static void
connection_destroy(void *view)
{
	free(view);
}

/* Draw text (wrapped, at column x) where its lines are on screen. */
static void
put(struct cursor *c, int x, attr_t attr, const char *text)
{
	int skip = c->top > c->line ? c->top - c->line : 0;
	int y = 1 + c->line + skip - c->top;
	int width = c->cols - x;

	if (width < 1) {
		x = 0;
		width = c->cols;
	}
	wattrset(c->w, attr);
	c->line += tui_draw_wrapped(y < c->rows ? c->w : NULL, y, x, width,
	    skip, c->rows - y, text, strlen(text));
	wattrset(c->w, A_NORMAL);
}

static void
heading(struct cursor *c, const char *text)
{
	if (c->line > 0)
		c->line++;
	put(c, 0, tui_attr(TUI_COLOR_HEADER), text);
}

/* "Label  value": side by side when there is room, else stacked. */
static void
field(struct cursor *c, const char *label, const char *value)
{
	int labelw = c->cols >= 50 ? 13 : 11;
	int y = 1 + c->line - c->top;

	if (value == NULL || value[0] == '\0')
		value = "-";
	if (c->cols >= 32) {
		if (c->line >= c->top && y < c->rows) {
			wattrset(c->w, A_BOLD);
			tui_draw_str(c->w, y, 1, label, labelw - 1);
			wattrset(c->w, A_NORMAL);
		}
		put(c, labelw + 1, A_NORMAL, value);
		return;
	}
	put(c, 1, A_BOLD, label);
	put(c, 3, A_NORMAL, value);
}

static void
draw_tls(struct view_connection *v, struct cursor *c)
{
	struct client *cl = tui_client(v->tui);
	const struct client_config *o = client_config(cl);
	struct client_tls_info f;
	char text[128];
	size_t i;

	heading(c, "TLS");
	if (!client_tls_info(cl, &f)) {
		field(c, "Protocol", o->tls == CLIENT_TLS_NONE
			? "none: --plaintext, anyone on the path reads this"
			: "none");
		return;
	}
	field(c, "Protocol", f.protocol);
	field(c, "Cipher", f.cipher);
	snprintf(text, sizeof(text), "%u", f.bits);
	field(c, "Bits", text);
	field(c, "Mode", o->tls == CLIENT_TLS_IMPLICIT ? "implicit TLS (-s)"
						    : "STARTTLS");
	field(c, "Checked", o->insecure ? "NO: --insecure"
					: "chain and server name");
	field(c, "Pin", f.pin);
	for (i = 0; i < f.cert_count; i++) {
		const char *subject, *issuer, *not_after;

		if (!client_tls_cert(cl, i, &subject, &issuer, &not_after))
			continue;
		snprintf(text, sizeof(text), "Certificate %zu%s", i,
		    i == 0 ? " (the server's)" : "");
		put(c, 1, A_BOLD, text);
		field(c, "Subject", subject);
		field(c, "Issuer", issuer);
		field(c, "Expires", not_after);
	}
}

static void
draw_sasl(struct view_connection *v, struct cursor *c)
{
	struct client *cl = tui_client(v->tui);
	const struct client_config *o = client_config(cl);
	const char *mech = client_auth_mechanism(cl);
	unsigned ssf = client_auth_ssf(cl);
	char text[64];

	heading(c, "Authentication");
	field(c, "Mechanism", mech != NULL ? mech : "none (PREAUTH or not yet)");
	if (ssf > 0)
		snprintf(text, sizeof(text), "%u (a SASL security layer)", ssf);
	else
		snprintf(text, sizeof(text), "0 (no SASL security layer)");
	field(c, "SSF", text);
	field(c, "Authname", o->authname);
	field(c, "Authzid", o->authzid != NULL ? o->authzid
					       : "(the same as authname)");
}

static bool
listed(char *const *caps, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(caps[i], name) == 0)
			return true;
	return false;
}

/* "+AUTH=PLAIN -STARTTLS", or "no change". */
static void
diff(char *const *from, size_t nfrom, char *const *to, size_t nto,
    struct buf *out)
{
	size_t i;

	for (i = 0; i < nto; i++)
		if (!listed(from, nfrom, to[i]))
			buf_printf(out, "%s+%s", out->len > 0 ? " " : "",
			    to[i]);
	for (i = 0; i < nfrom; i++)
		if (!listed(to, nto, from[i]))
			buf_printf(out, "%s-%s", out->len > 0 ? " " : "",
			    from[i]);
	if (out->len == 0)
		buf_append_str(out, "no change");
}

/* The AUTH= names of `from` that `to` lacks, space-separated. */
static void
mechanisms_missing(char *const *from, size_t nfrom, char *const *to,
    size_t nto, struct buf *out)
{
	size_t i;

	for (i = 0; i < nfrom; i++)
		if (strncasecmp(from[i], "AUTH=", 5) == 0 &&
		    !listed(to, nto, from[i]))
			buf_printf(out, " %s", from[i]);
}

/* What a learner should notice in the lists: a plaintext session
 * without STARTTLS on offer, and SASL mechanisms that differ across the
 * TLS handshake (a stripped list before TLS looks just like a server
 * that hides password mechanisms in the clear). */
static void
draw_stage_warnings(struct view_connection *v, struct cursor *c)
{
	struct client *cl = tui_client(v->tui);
	const struct client_config *o = client_config(cl);
	char *const *clear, *const *tls;
	size_t nclear, ntls;
	char cite[KNOWLEDGE_CITE_MAX];
	const struct knowledge_row *starttls =
	    knowledge_find(KNOW_COMMAND, "STARTTLS");
	struct buf text;

	clear = client_capability_stage(cl, CLIENT_CAPS_CLEAR, &nclear);
	tls = client_capability_stage(cl, CLIENT_CAPS_TLS, &ntls);
	if (starttls == NULL)
		return;
	knowledge_cite(starttls, cite, sizeof(cite));
	buf_init(&text, 64 * 1024);
	if (clear != NULL && tls == NULL && o->tls == CLIENT_TLS_NONE &&
	    !listed(clear, nclear, "STARTTLS"))
		buf_printf(&text, "Note: no STARTTLS on offer. If this server "
		    "offered it before, someone on the path may be removing "
		    "it; imapwb refuses such a server unless --plaintext is "
		    "given (%s).", cite);
	if (clear != NULL && tls != NULL) {
		struct buf added, dropped;

		buf_init(&added, 16 * 1024);
		buf_init(&dropped, 16 * 1024);
		mechanisms_missing(tls, ntls, clear, nclear, &added);
		mechanisms_missing(clear, nclear, tls, ntls, &dropped);
		if (added.len > 0)
			buf_printf(&text, "Note: after TLS the server offers%s, "
			    "which it did not offer in the clear: usual for a "
			    "server that hides password mechanisms on an "
			    "unprotected connection, and also what a list "
			    "stripped by an attacker before TLS looks like. "
			    "That is why capabilities are asked again after "
			    "TLS and the earlier list is forgotten (%s).",
			    buf_str(&added), cite);
		if (dropped.len > 0)
			buf_printf(&text, "%sWarning: the server offered%s in "
			    "the clear but not after TLS: a server should not "
			    "offer less over TLS, so the list before TLS may "
			    "have been altered (%s).",
			    text.len > 0 ? " " : "", buf_str(&dropped), cite);
		buf_free(&added);
		buf_free(&dropped);
	}
	if (text.len > 0)
		put(c, 1, A_BOLD, buf_str(&text));
	buf_free(&text);
}

static void
draw_stages(struct view_connection *v, struct cursor *c)
{
	struct client *cl = tui_client(v->tui);
	char *const *prev = NULL, *const *caps;
	size_t nprev = 0, n, s, i;
	int prev_stage = -1;
	struct buf text;
	char label[64];

	heading(c, "Capability changes");
	buf_init(&text, 64 * 1024);
	for (s = 0; s < CLIENT_CAPS_STAGE_COUNT; s++) {
		caps = client_capability_stage(cl, (enum client_cap_stage)s, &n);
		if (caps == NULL)
			continue;
		buf_reset(&text);
		snprintf(label, sizeof(label), "%s (%zu)",
		    client_cap_stage_names[s], n);
		if (prev_stage < 0) {
			for (i = 0; i < n; i++)
				buf_printf(&text, "%s%s", i > 0 ? " " : "",
				    caps[i]);
		} else
			diff(prev, nprev, caps, n, &text);
		put(c, 1, A_BOLD, label);
		put(c, 3, A_NORMAL, buf_str(&text));
		prev = caps;
		nprev = n;
		prev_stage = (int)s;
	}
	if (prev_stage < 0)
		put(c, 1, A_NORMAL, "none recorded");
	buf_free(&text);
	draw_stage_warnings(v, c);
}

/* The states, the current marked (teach-primer), one body line each. */
static void
draw_state(struct view_connection *v, struct cursor *c)
{
	struct imap_session *s = tui_connected(v->tui) ? tui_session(v->tui)
						       : NULL;
	struct buf text;
	char *line, *next;

	heading(c, "Protocol state (RFC 9051 \xc2\xa7" "3)");
	buf_init(&text, 64 * 1024);
	teach_states(&text, s != NULL ? imap_session_state(s)
				      : IMAP_STATE_LOGOUT,
	    c->cols > 2 ? (size_t)c->cols - 2 : 1);
	for (line = text.data; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		put(c, 1, strncmp(line, "->", 2) == 0 ? A_BOLD : A_NORMAL,
		    line);
	}
	buf_free(&text);
}

static void
connection_draw(void *view, WINDOW *w, int rows, int cols)
{
	struct view_connection *v = view;
	const struct client_config *o = client_config(tui_client(v->tui));
	struct cursor c = { .w = w, .top = v->top, .rows = rows, .cols = cols };
	struct buf title;

	v->rows = rows;
	buf_init(&title, 4096);
	buf_printf(&title, "Connection to %s port %s%s", o->host,
	    client_config_port(o),
	    tui_connected(v->tui) ? "" : " (closed)");
	wattrset(w, tui_attr(TUI_COLOR_HEADER));
	mvwhline(w, 0, 0, ' ', cols);
	tui_draw_str(w, 0, 0, buf_str(&title), cols);
	wattrset(w, A_NORMAL);
	buf_free(&title);
	draw_state(v, &c);
	draw_tls(v, &c);
	draw_sasl(v, &c);
	draw_stages(v, &c);
	v->lines = c.line;
}

static void
connection_key(void *view, int action, int key)
{
	struct view_connection *v = view;
	int page = v->rows > 2 ? v->rows - 2 : 1;

	(void)key;
	if (tui_list_scroll(&v->top, action, page, v->lines))
		tui_dirty(v->tui);
}

const struct tui_view_ops tui_view_connection = {
	.name = "Connection",
	.short_name = "Conn",
	.create = connection_create,
	.destroy = connection_destroy,
	.draw = connection_draw,
	.keymap = &connection_keymap,
	.key = connection_key,
};
