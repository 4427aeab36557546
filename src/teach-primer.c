/* teach-primer: the protocol on one screen, from the knowledge table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "teach-knowledge.h"
#include "teach-primer.h"
#include "util-mem.h"

/* What the primer shows, in order: an example as the wire has it, then
 * the row that explains it. */
static const struct {
	const char *example;
	enum knowledge_kind kind;
	const char *name;
} primer_rows[] = {
	{ "a1 SELECT INBOX", KNOW_CONCEPT, "tag" },
	{ "* 3 EXISTS", KNOW_CONCEPT, "untagged response" },
	{ "+ Ready", KNOW_CONCEPT, "continuation request" },
	{ "a1 OK done", KNOW_RESPONSE, "OK" },
	{ "a1 NO failed", KNOW_RESPONSE, "NO" },
	{ "a1 BAD syntax", KNOW_RESPONSE, "BAD" },
	{ "[UIDNEXT 9]", KNOW_CONCEPT, "response code" },
	{ "{12}", KNOW_CONCEPT, "literal" },
	{ "FETCH 3", KNOW_CONCEPT, "sequence number" },
	{ "UID FETCH 9", KNOW_CONCEPT, "UID" },
};

static const enum imap_session_state states[] = {
	IMAP_STATE_NOT_AUTHENTICATED,
	IMAP_STATE_AUTHENTICATED,
	IMAP_STATE_SELECTED,
	IMAP_STATE_LOGOUT,
};

/* Columns a UTF-8 string takes, counting code points (the table is
 * ASCII but for "\xc2\xa7"). */
static size_t
columns(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* text after `first` (already in out, `indent` columns wide), wrapped at
 * spaces to `width` columns, continuation lines indented; then "\n". */
static void
wrapped(struct buf *out, size_t indent, const char *text, size_t width)
{
	size_t col = indent, room = width > indent + 20 ? width : indent + 20;
	const char *p = text;

	while (*p != '\0') {
		size_t word = strcspn(p, " "), cols = columns(p, word);

		if (col > indent && col + 1 + cols > room) {
			buf_printf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			buf_append_str(out, " ");
			col++;
		}
		buf_append(out, p, word);
		col += cols;
		p += word;
		while (*p == ' ')
			p++;
	}
	buf_append_str(out, "\n");
}

static void
cited(struct buf *out, const struct knowledge_row *r, size_t indent,
    size_t width)
{
	char cite[KNOWLEDGE_CITE_MAX];
	char *text = xasprintf("%s (%s)", r->meaning,
	    knowledge_cite(r, cite, sizeof(cite)));

	wrapped(out, indent, text, width);
	free(text);
}

void
teach_states(struct buf *out, enum imap_session_state current,
    size_t width)
{
	const struct knowledge_row *r;
	char *line;
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		const char *name = imap_session_state_name(states[i]);

		r = knowledge_find(KNOW_STATE, name);
		if (r == NULL)
			continue;
		line = xasprintf("%s %s: %s", states[i] == current ? "->" : "  ",
		    name, r->meaning);
		wrapped(out, 5, line, width);
		free(line);
		if (states[i] == current && r->note[0] != '\0') {
			buf_append_str(out, "     ");
			wrapped(out, 5, r->note, width);
		}
	}
}

void
teach_primer(struct buf *out, enum imap_session_state current, size_t width)
{
	const struct knowledge_row *r;
	const char *title = knowledge_rfc_title(9051);
	char *more;
	size_t i;

	buf_append_str(out, "IMAP on one screen\n\n");
	for (i = 0; i < sizeof(primer_rows) / sizeof(primer_rows[0]); i++) {
		r = knowledge_find(primer_rows[i].kind, primer_rows[i].name);
		if (r == NULL)
			continue;
		buf_printf(out, "%-15s ", primer_rows[i].example);
		cited(out, r, 16, width);
	}
	buf_append_str(out, "\nThe session's states (-> now; RFC 9051 \xc2\xa7"
	    "3):\n");
	teach_states(out, current, width);
	more = xasprintf("Read more: RFC 9051 (%s). Each extension's RFC "
	    "is named where it appears; imapwb --explain prints notes like "
	    "these beside the wire.", title != NULL ? title : "IMAP4rev2");
	buf_append_str(out, "\n");
	wrapped(out, 0, more, width);
	free(more);
}
