/* teach-explain: commands and responses explained from the knowledge
 * table, line by line. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap-command.h"
#include "teach-explain.h"
#include "teach-knowledge.h"
#include "teach-suggest.h"
#include "util-buf.h"
#include "util-mem.h"

/* Room for one explanation line; server text quoted in it is cut. */
#define EXPLAIN_LINE_MAX 1024
/* Server names quoted in a line ("[XYZ]", a flag) are cut to this. */
#define QUOTE_MAX 64
/* What the names explained for one command may take; past it, names
 * are explained again (a server sending thousands of keywords). */
#define EXPLAIN_SEEN_MAX (64u * 1024)

struct explainer {
	explain_line_fn *line;
	void *ctx;
	struct imap_parser *scratch; /* tokenises a command's arguments */
	/* the command whose first bytes were explained last */
	const struct imap_session_command *sent;
	char sent_tag[IMAP_COMMAND_TAG_MAX + 1];
	/* The names (items, flags, attributes, rights) already explained
	 * inside the data answering one command, "\n"-separated: each is
	 * explained the first time only, so a FETCH of 100k messages costs
	 * a line a message. Reset when data answers another command. */
	char seen_tag[IMAP_COMMAND_TAG_MAX + 2];
	struct buf seen;
	bool in_data; /* explaining a response's insides: skip what is seen */
	bool tag_added_said; /* the first added tag was explained in full */
};

struct explainer *
explainer_new(explain_line_fn *line, void *ctx)
{
	struct explainer *ex = xcalloc(1, sizeof(*ex));

	ex->line = line;
	ex->ctx = ctx;
	ex->scratch = imap_parser_new(NULL);
	buf_init(&ex->seen, EXPLAIN_SEEN_MAX);
	return ex;
}

void
explainer_free(struct explainer **exp)
{
	struct explainer *ex = *exp;

	if (ex == NULL)
		return;
	imap_parser_free(&ex->scratch);
	buf_free(&ex->seen);
	free(ex);
	*exp = NULL;
}

/* --- saying things ------------------------------------------------------- */

static void say(struct explainer *ex, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(struct explainer *ex, const char *fmt, ...)
{
	char text[EXPLAIN_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ex->line(ex->ctx, strncmp(text, "  [", 3) == 0 ? EXPLAIN_CODE
	    : strncmp(text, "  ", 2) == 0 ? EXPLAIN_DETAIL : EXPLAIN_MAIN, text);
}

static const char *
cite(const struct knowledge_row *row, char buf[KNOWLEDGE_CITE_MAX])
{
	return knowledge_cite(row, buf, KNOWLEDGE_CITE_MAX);
}

/* The citation of a row the explanations lean on, or the base RFC when
 * the table lacks it (a unit test keeps the table complete). */
static const char *
cite_of(enum knowledge_kind kind, const char *name,
    char buf[KNOWLEDGE_CITE_MAX])
{
	const struct knowledge_row *row = knowledge_find(kind, name);

	if (row != NULL)
		return cite(row, buf);
	snprintf(buf, KNOWLEDGE_CITE_MAX, "RFC 9051");
	return buf;
}

/* Inside a response's data: whether this name was explained for the
 * same command already (and remember it if not). */
static bool
seen_before(struct explainer *ex, enum knowledge_kind kind, const char *name,
    size_t len)
{
	char key[QUOTE_MAX + 8];
	int n;

	if (!ex->in_data)
		return false;
	n = snprintf(key, sizeof(key), "\n%d:%.*s\n", (int)kind,
	    (int)(len > QUOTE_MAX ? QUOTE_MAX : len), name);
	if (ex->seen.len > 0 &&
	    memmem(ex->seen.data, ex->seen.len, key, (size_t)n) != NULL)
		return true;
	/* stored as "\nK:name" each, so a key's final "\n" is the next
	 * entry's first (or the buffer's end, added here) */
	if (ex->seen.len > 0)
		ex->seen.len--;
	if (buf_append(&ex->seen, key, (size_t)n) != 0)
		buf_reset(&ex->seen);
	return false;
}

/* "  NAME: meaning (RFC n §s)" for a name of `kind`; unknown names are
 * said to be unknown, with where such names are defined. */
static void
say_item(struct explainer *ex, enum knowledge_kind kind, const char *name,
    size_t len, const char *unknown_what, const char *unknown_cite_name)
{
	const struct knowledge_row *row = knowledge_find_n(kind, name, len);
	char c[KNOWLEDGE_CITE_MAX];
	int shown = len > QUOTE_MAX ? QUOTE_MAX : (int)len;

	if (seen_before(ex, kind, name, len))
		return;
	if (row != NULL)
		say(ex, "  %.*s: %s (%s)", shown, name, row->meaning,
		    cite(row, c));
	else
		say(ex, "  %.*s: %s (%s)", shown, name, unknown_what,
		    cite_of(KNOW_CONCEPT, unknown_cite_name, c));
}

static const char *
command_label(const struct imap_session_command *cmd)
{
	return imap_session_command_get(cmd)->name;
}

/* --- commands ------------------------------------------------------------ */

/* "BODY.PEEK[HEADER.FIELDS" -> "BODY.PEEK[]", and the section's
 * specifier ("HEADER.FIELDS", after any part number "1.2.") too. */
static void
say_fetch_item(struct explainer *ex, const char *text, size_t len)
{
	const char *bracket = memchr(text, '[', len);
	char base[64];
	size_t blen, spec_len;
	const char *spec;

	if (bracket == NULL) {
		say_item(ex, KNOW_FETCH_ITEM, text, len,
		    "a FETCH item imapwb does not know", "fetch item");
		return;
	}
	blen = (size_t)(bracket - text);
	if (blen + 3 > sizeof(base))
		blen = sizeof(base) - 3;
	memcpy(base, text, blen);
	memcpy(base + blen, "[]", 3);
	say_item(ex, KNOW_FETCH_ITEM, base, blen + 2,
	    "a FETCH item imapwb does not know", "fetch item");
	spec = bracket + 1;
	spec_len = len - (size_t)(spec - text);
	while (spec_len > 0 && (*spec == '.' || (*spec >= '0' && *spec <= '9'))) {
		spec++;
		spec_len--;
	}
	for (blen = 0; blen < spec_len && spec[blen] != ']' &&
	     spec[blen] != ' ' && spec[blen] != '<'; blen++)
		;
	if (blen > 0)
		say_item(ex, KNOW_FETCH_ITEM, spec, blen,
		    "a section imapwb does not know", "section");
}

/* Each atom of args (or of the list args is), explained as `kind`. */
static void
say_atoms(struct explainer *ex, const struct imap_arg *args, size_t count,
    enum knowledge_kind kind, const char *unknown_what,
    const char *unknown_cite_name)
{
	size_t i;

	for (i = 0; i < count; i++) {
		const struct imap_arg *a = &args[i];

		if (a->type == IMAP_ARG_LIST) {
			say_atoms(ex, a->u.list.args, a->u.list.count, kind,
			    unknown_what, unknown_cite_name);
			continue;
		}
		if (a->type != IMAP_ARG_ATOM || a->text_len == 0)
			continue;
		if (kind == KNOW_FETCH_ITEM)
			say_fetch_item(ex, a->text, a->text_len);
		else
			say_item(ex, kind, a->text, a->text_len, unknown_what,
			    unknown_cite_name);
	}
}

/* What the arguments of FETCH, STORE and STATUS name. */
static void
say_command_args(struct explainer *ex, const struct imap_command *ic)
{
	const struct imap_arg *args;
	size_t count;
	const char *verb = strncmp(ic->name, "UID ", 4) == 0 ? ic->name + 4
							    : ic->name;

	if (imap_command_parse_args(ic, ex->scratch, &args, &count) != 0)
		return;
	if (strcmp(verb, "FETCH") == 0 && count >= 2)
		say_atoms(ex, &args[1], 1, KNOW_FETCH_ITEM, NULL, NULL);
	else if (strcmp(verb, "STORE") == 0 && count >= 3)
		say_atoms(ex, &args[2], count - 2, KNOW_FLAG,
		    "a keyword: a flag of the user's own", "keyword");
	else if (strcmp(verb, "STATUS") == 0 && count >= 2)
		say_atoms(ex, &args[1], 1, KNOW_STATUS_ITEM,
		    "a STATUS item imapwb does not know", "status item");
}

/* A line of one word, sent as typed (--tags manual): the word is the
 * tag, and there is no command at all. */
static void
say_tag_alone(struct explainer *ex, const struct imap_command *ic)
{
	const char *near = teach_suggest_command(ic->tag, strlen(ic->tag));
	char c[KNOWLEDGE_CITE_MAX];

	say(ex, "%s was taken as the tag: the line has no command, so the "
	    "server will answer BAD; a line starts with a tag, then the "
	    "command, e.g. \"a1 %s\" (%s)", ic->tag,
	    near != NULL ? near : "NOOP", cite_of(KNOW_CONCEPT, "tag", c));
}

/* A name that is no command: a slip of the keys, or (when the tag is
 * the command's name) a line typed without a tag. */
static void
say_unknown_command(struct explainer *ex, const struct imap_command *ic)
{
	const char *near = teach_suggest_command(ic->name, strlen(ic->name));
	const char *tag_near = teach_suggest_command(ic->tag,
	    strlen(ic->tag));
	char c[KNOWLEDGE_CITE_MAX];

	if (ic->name[0] == '\0') {
		say_tag_alone(ex, ic);
		return;
	}
	if (knowledge_find(KNOW_COMMAND, ic->tag) != NULL || tag_near != NULL)
		say(ex, "%s is the tag here, so %s was sent as the command; "
		    "did you mean \"a1 %s %s\"? A line starts with a tag, "
		    "then the command (%s)", ic->tag,
		    ic->name[0] != '\0' ? ic->name : "nothing",
		    tag_near != NULL ? tag_near : ic->tag, ic->name,
		    cite_of(KNOW_CONCEPT, "tag", c));
	if (strcasecmp(ic->name, "INBOX") == 0)
		say(ex, "INBOX is a mailbox name, not a command: the server "
		    "will answer BAD (%s)", cite_of(KNOW_CONCEPT, "INBOX", c));
	else if (near != NULL)
		say(ex, "%s is not an IMAP command: did you mean %s? The "
		    "server will answer BAD (%s)", ic->name, near,
		    cite_of(KNOW_RESPONSE, "BAD", c));
	else
		say(ex, "%s is not a command imapwb knows: expect BAD unless "
		    "the server has it as an extension (%s)",
		    ic->name[0] != '\0' ? ic->name : "(nothing)",
		    cite_of(KNOW_RESPONSE, "BAD", c));
}

/* What a command sends after a "+": an AUTHENTICATE step, IDLE's DONE,
 * or a literal's bytes and the rest of the line. */
static void
say_later_chunk(struct explainer *ex, const struct imap_command *ic,
    bool line_end)
{
	char c[KNOWLEDGE_CITE_MAX];

	if (line_end)
		say(ex, "the line end that finishes %s after its literal (%s)",
		    ic->name, cite_of(KNOW_CONCEPT, "literal", c));
	else if (strcmp(ic->name, "IDLE") == 0)
		say(ex, "DONE ends IDLE; the server answers with IDLE's "
		    "tagged OK (%s)", cite_of(KNOW_COMMAND, "IDLE", c));
	else if (ic->secret)
		say(ex, "the client's next step of %s, hidden: it carries "
		    "credentials (%s)", ic->name,
		    cite_of(KNOW_COMMAND, ic->name, c));
	else
		say(ex, "the rest of %s, sent after the server's \"+\": a "
		    "literal's bytes and what follows them (%s)", ic->name,
		    cite_of(KNOW_CONCEPT, "literal", c));
}

void
explain_tag_added_note(const char *tag, char *buf, size_t size)
{
	char c[KNOWLEDGE_CITE_MAX];

	snprintf(buf, size, "%s is a tag imapwb added: every command starts "
	    "with a tag the server repeats in its reply; type your own, e.g. "
	    "x1 NOOP, or use --tags manual (%s)", tag,
	    cite_of(KNOW_CONCEPT, "tag", c));
}

/* The tag of a line typed without one: said in full the first time,
 * then in a detail line. */
static void
say_tag_added(struct explainer *ex, const struct imap_command *ic)
{
	char text[EXPLAIN_LINE_MAX], c[KNOWLEDGE_CITE_MAX];

	if (!ex->tag_added_said) {
		explain_tag_added_note(ic->tag, text, sizeof(text));
		say(ex, "%s", text);
		ex->tag_added_said = true;
	} else
		say(ex, "  %s: a tag imapwb added (%s)", ic->tag,
		    cite_of(KNOW_CONCEPT, "tag", c));
}

void
explain_sent(struct explainer *ex, const struct imap_session_command *cmd,
    const char *text, size_t len)
{
	const struct imap_command *ic;
	const struct knowledge_row *row;
	char c[KNOWLEDGE_CITE_MAX];

	if (cmd == NULL)
		return;
	ic = imap_session_command_get(cmd);
	if (cmd == ex->sent && strcmp(ic->tag, ex->sent_tag) == 0) {
		say_later_chunk(ex, ic, len == 2 && memcmp(text, "\r\n", 2) == 0);
		return;
	}
	ex->sent = cmd;
	snprintf(ex->sent_tag, sizeof(ex->sent_tag), "%s", ic->tag);
	if (strcmp(ic->tag, "*") == 0 || strcmp(ic->tag, "+") == 0)
		say(ex, "\"%s\" cannot be a tag: it marks the server's %s, so "
		    "the server cannot answer it and says BAD without a tag "
		    "(%s)", ic->tag, ic->tag[0] == '*' ? "untagged data"
						       : "continuations",
		    cite_of(KNOW_CONCEPT, "tag", c));
	row = knowledge_find(KNOW_COMMAND, ic->name);
	if (row == NULL)
		say_unknown_command(ex, ic);
	else {
		say(ex, "%s: %s (%s)", ic->name, row->meaning, cite(row, c));
		if (!ic->secret)
			say_command_args(ex, ic);
	}
	if (imap_session_command_tag_added(cmd))
		say_tag_added(ex, ic);
}

/* --- responses ----------------------------------------------------------- */

/* "; answers a3 SELECT", or that nobody asked. */
static void
answering(const struct decoded_response *d, char *out, size_t size)
{
	if (d->owner != NULL)
		snprintf(out, size, "; answers %s %s",
		    imap_session_command_get(d->owner)->tag,
		    command_label(d->owner));
	else
		snprintf(out, size, "; unasked: the server tells what "
		    "changed");
}

static void
say_code(struct explainer *ex, const struct decoded_response *d)
{
	const struct imap_response *r = d->raw;
	const struct knowledge_row *row;
	char c[KNOWLEDGE_CITE_MAX];

	if (r->code == NULL)
		return;
	row = knowledge_find(KNOW_CODE, r->code);
	if (row != NULL)
		say(ex, "  [%.*s] %s (%s)", QUOTE_MAX, r->code, row->meaning,
		    cite(row, c));
	else
		say(ex, "  [%.*s] a response code imapwb does not know; a "
		    "client ignores codes it does not know (%s)", QUOTE_MAX,
		    r->code, cite_of(KNOW_CONCEPT, "response code", c));
}

static void
say_continuation(struct explainer *ex, const struct decoded_response *d)
{
	const char *owner = d->owner != NULL ? command_label(d->owner) : "";
	char c[KNOWLEDGE_CITE_MAX];

	if (strcmp(owner, "IDLE") == 0)
		say(ex, "+: the server is idling and will report changes as "
		    "they happen; type DONE to end IDLE (%s)",
		    cite_of(KNOW_COMMAND, "IDLE", c));
	else if (strcmp(owner, "AUTHENTICATE") == 0)
		say(ex, "+: a SASL challenge; the client answers with one "
		    "base64 line (%s)",
		    cite_of(KNOW_COMMAND, "AUTHENTICATE", c));
	else
		say(ex, "+: the server is ready for the rest of the command "
		    "(a literal's bytes) (%s)",
		    cite_of(KNOW_CONCEPT, "continuation request", c));
}

/* Data answering another command than the last: forget what was
 * explained. */
static void
data_for(struct explainer *ex, const struct decoded_response *d)
{
	const char *tag = d->owner != NULL
	    ? imap_session_command_get(d->owner)->tag : "";
	char key[sizeof(ex->seen_tag)];

	/* "-" + tag, so unasked data ("" ) differs from a command's */
	snprintf(key, sizeof(key), "%s%s", d->owner != NULL ? "-" : "", tag);
	if (strcmp(key, ex->seen_tag) != 0) {
		snprintf(ex->seen_tag, sizeof(ex->seen_tag), "%s", key);
		buf_reset(&ex->seen);
	}
}

/* "* 5 FETCH (UID 9 FLAGS (\Seen))": each item name, and the flags. */
static void
say_fetch_details(struct explainer *ex, const struct imap_response *r)
{
	const struct imap_arg *list;
	size_t i;

	if (r->count < 3 || r->args[2].type != IMAP_ARG_LIST)
		return;
	list = r->args[2].u.list.args;
	for (i = 0; i + 1 < r->args[2].u.list.count; i += 2) {
		if (list[i].type != IMAP_ARG_ATOM)
			continue;
		say_fetch_item(ex, list[i].text, list[i].text_len);
		if (imap_arg_atom_equals(&list[i], "FLAGS"))
			say_atoms(ex, &list[i + 1], 1, KNOW_FLAG,
			    "a keyword: a flag of the user's own", "keyword");
	}
}

/* The rights in "* ACL box id rights ..." or "* MYRIGHTS box rights",
 * each letter once. */
static void
say_rights(struct explainer *ex, const struct imap_response *r, size_t from,
    size_t step)
{
	char c[KNOWLEDGE_CITE_MAX];
	size_t i, j;

	for (i = from; i < r->count; i += step) {
		const char *rights;
		size_t len;

		if (!imap_arg_get_astring(&r->args[i], &rights, &len))
			continue;
		for (j = 0; j < len; j++) {
			unsigned char ch = (unsigned char)rights[j];
			const struct knowledge_row *row;

			if (seen_before(ex, KNOW_RIGHT, &rights[j], 1))
				continue;
			row = knowledge_right((char)ch);
			if (row != NULL)
				say(ex, "  %c: %s (%s)", ch, row->meaning,
				    cite(row, c));
		}
	}
}

static void
say_data_details(struct explainer *ex, const struct decoded_response *d)
{
	const struct imap_response *r = d->raw;

	switch (d->kind) {
	case DECODED_FETCH:
		say_fetch_details(ex, r);
		break;
	case DECODED_FLAGS:
		say_atoms(ex, &r->args[1], r->count - 1, KNOW_FLAG,
		    "a keyword: a flag of the user's own", "keyword");
		break;
	case DECODED_LIST:
		if (r->count >= 2)
			say_atoms(ex, &r->args[1], 1, KNOW_ATTRIBUTE,
			    "an attribute imapwb does not know",
			    "mailbox name");
		break;
	case DECODED_STATUS:
		if (r->count >= 3 && r->args[2].type == IMAP_ARG_LIST) {
			const struct imap_arg *l = r->args[2].u.list.args;
			size_t i;

			for (i = 0; i < r->args[2].u.list.count; i += 2)
				say_atoms(ex, &l[i], 1, KNOW_STATUS_ITEM,
				    "a STATUS item imapwb does not know",
				    "status item");
		}
		break;
	case DECODED_ACL:
		say_rights(ex, r, 3, 2);
		break;
	case DECODED_MYRIGHTS:
		say_rights(ex, r, 2, 1);
		break;
	default:
		break;
	}
}

/* The number in "* 3 EXISTS", said in words. */
static void
say_count(struct explainer *ex, const struct decoded_response *d)
{
	const struct message_count *n = &d->u.count;

	if (n->kind == MESSAGE_COUNT_EXISTS)
		say(ex, "  the mailbox now holds %u message%s", n->n,
		    n->n == 1 ? "" : "s");
	else if (n->kind == MESSAGE_COUNT_RECENT)
		say(ex, "  %u message%s arrived since the last session", n->n,
		    n->n == 1 ? "" : "s");
	else
		say(ex, "  message %u is gone: every later sequence number "
		    "drops by one", n->n);
}

static void
say_data(struct explainer *ex, const struct decoded_response *d)
{
	const struct imap_response *r = d->raw;
	const struct knowledge_row *row;
	char c[KNOWLEDGE_CITE_MAX], with[96];
	const char *name;
	size_t len = 0;

	name = response_data_name(r, &len);
	answering(d, with, sizeof(with));
	row = name != NULL ? knowledge_find_n(KNOW_RESPONSE, name, len) : NULL;
	if (row != NULL)
		say(ex, "* %s: %s (%s)%s", row->name, row->meaning,
		    cite(row, c), with);
	else
		say(ex, "* %.*s: data imapwb does not know (%s)%s",
		    name != NULL ? (int)(len > QUOTE_MAX ? QUOTE_MAX : len) : 1,
		    name != NULL ? name : "?",
		    cite_of(KNOW_CONCEPT, "untagged response", c), with);
	if (d->kind == DECODED_COUNT)
		say_count(ex, d);
	else {
		data_for(ex, d);
		ex->in_data = true;
		say_data_details(ex, d);
		ex->in_data = false;
	}
}

/* A status response's meaning, tagged or untagged: the row says the
 * tagged one first and the untagged one as "(untagged: ...)". */
static void
status_meaning(const struct knowledge_row *row, bool tagged, char *out,
    size_t size)
{
	const char *mark = strstr(row->meaning, " (untagged: ");
	size_t len;

	if (mark == NULL)
		snprintf(out, size, "%s", row->meaning);
	else if (tagged)
		snprintf(out, size, "%.*s", (int)(mark - row->meaning),
		    row->meaning);
	else {
		mark += strlen(" (untagged: ");
		len = strlen(mark);
		snprintf(out, size, "%.*s", (int)(len > 0 ? len - 1 : 0),
		    mark);
	}
}

static void
say_status(struct explainer *ex, const struct decoded_response *d)
{
	const struct imap_response *r = d->raw;
	const char *status = imap_status_name(r->status);
	const struct knowledge_row *row = knowledge_find(KNOW_RESPONSE, status);
	char c[KNOWLEDGE_CITE_MAX], with[96], meaning[256];

	answering(d, with, sizeof(with));
	if (row != NULL) {
		status_meaning(row, false, meaning, sizeof(meaning));
		say(ex, "* %s: %s (%s)%s", status, meaning, cite(row, c),
		    d->owner != NULL ? with : "");
	}
	say_code(ex, d);
}

/* A tagged reply: the command it completes (its latency is the time
 * since the command went out: the completion follows at once), how it
 * ended, and its code. */
static void
say_tagged(struct explainer *ex, const struct decoded_response *d)
{
	const struct imap_command *ic = imap_session_command_get(d->owner);
	const char *status = imap_status_name(d->raw->status);
	const struct knowledge_row *row = knowledge_find(KNOW_RESPONSE, status);
	char c[KNOWLEDGE_CITE_MAX], meaning[256];

	if (row == NULL)
		return;
	status_meaning(row, true, meaning, sizeof(meaning));
	say(ex, "%s %s: completes %s after %.1f ms: %s (%s)", ic->tag, status,
	    ic->name[0] != '\0' ? ic->name : "the line without a command",
	    imap_session_command_elapsed_ms(d->owner), meaning,
	    cite(row, c));
	say_code(ex, d);
}

void
explain_response(struct explainer *ex, const struct decoded_response *d)
{
	const struct imap_response *r = d->raw;
	char c[KNOWLEDGE_CITE_MAX];

	switch (r->kind) {
	case IMAP_RESPONSE_CONTINUATION:
		say_continuation(ex, d);
		break;
	case IMAP_RESPONSE_TAGGED:
		if (d->owner != NULL)
			say_tagged(ex, d);
		else
			say(ex, "%.*s: a reply with a tag no command in "
			    "flight has (%s)", QUOTE_MAX, r->tag,
			    cite_of(KNOW_CONCEPT, "tagged response", c));
		break;
	case IMAP_RESPONSE_UNTAGGED:
		if (r->status != IMAP_STATUS_NONE)
			say_status(ex, d);
		else
			say_data(ex, d);
		break;
	}
}

/* Tagged replies are explained as they arrive (the client's own
 * commands, such as its AUTHENTICATE, end without the front end hearing
 * of it); here only the ends no tagged reply brings. */
void
explain_completed(struct explainer *ex,
    const struct imap_session_command *cmd, enum imap_command_result result,
    const struct decoded_response *tagged)
{
	const struct imap_command *ic = imap_session_command_get(cmd);
	char c[KNOWLEDGE_CITE_MAX];

	if (result == IMAP_RESULT_FAILED || tagged == NULL)
		say(ex, "%s %s got no reply: the connection ended first (%s)",
		    ic->tag, ic->name,
		    cite_of(KNOW_CONCEPT, "tagged response", c));
	else if (tagged->raw->kind == IMAP_RESPONSE_UNTAGGED)
		say(ex, "that untagged BAD ends %s %s: the server could not "
		    "read its tag, so no tagged reply will come (%s)", ic->tag,
		    ic->name, cite_of(KNOW_RESPONSE, "BAD", c));
}
