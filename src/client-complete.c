/* client-complete: Tab completion for the raw console, shared by the TUI
 * and --plain (client-complete.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <readline/readline.h>

#include "client-complete.h"
#include "imap-command-table.h"
#include "model.h"
#include "util-mem.h"

/* The words before the one completed; more are not needed to tell. */
#define CONTEXT_WORDS 8
#define WORD_MAX 64

static const char *const fetch_items[] = { "ALL", "FAST", "FULL", "BODY",
	"BODY.PEEK[]", "BODY.PEEK[HEADER]", "BODY.PEEK[TEXT]", "BODY[]",
	"BODY[HEADER]", "BODY[TEXT]", "BODYSTRUCTURE", "ENVELOPE", "FLAGS",
	"INTERNALDATE", "MODSEQ", "RFC822.SIZE", "UID", "BINARY.PEEK[]",
	"BINARY.SIZE[]", NULL };
static const char *const store_ops[] = { "+FLAGS", "-FLAGS", "FLAGS",
	"+FLAGS.SILENT", "-FLAGS.SILENT", "FLAGS.SILENT", NULL };
/* RFC 9051 2.3.2; \Recent is not one a client may store */
static const char *const system_flags[] = { "\\Seen", "\\Answered",
	"\\Flagged", "\\Deleted", "\\Draft", NULL };
/* Registered keywords (RFC 5788) worth offering in any mailbox. */
static const char *const common_keywords[] = { "$Forwarded", "$Junk",
	"$NotJunk", "$MDNSent", "$Phishing", NULL };
static const char *const status_items[] = { "MESSAGES", "UIDNEXT",
	"UIDVALIDITY", "UNSEEN", "DELETED", "SIZE", "RECENT",
	"HIGHESTMODSEQ", NULL };
/* RFC 9051 6.4.4 */
static const char *const search_keys[] = { "ALL", "ANSWERED", "BCC",
	"BEFORE", "BODY", "CC", "DELETED", "DRAFT", "FLAGGED", "FROM",
	"HEADER", "KEYWORD", "LARGER", "NOT", "ON", "OR", "SEEN",
	"SENTBEFORE", "SENTON", "SENTSINCE", "SINCE", "SMALLER", "SUBJECT",
	"TEXT", "TO", "UID", "UNANSWERED", "UNDELETED", "UNDRAFT",
	"UNFLAGGED", "UNKEYWORD", "UNSEEN", "MODSEQ", "RETURN", "CHARSET",
	NULL };

struct words {
	char w[CONTEXT_WORDS][WORD_MAX];
	size_t n;
};

/* The words of line[0..start), split at spaces and parentheses (so
 * "FETCH 1 (UID" is FETCH, 1, UID); a quoted string is one word, and a
 * quote still open at `start` opens the word being completed. */
static void
split_words(const char *line, size_t start, struct words *ws)
{
	size_t i = 0;

	ws->n = 0;
	while (i < start && ws->n < CONTEXT_WORDS) {
		size_t len = 0;
		bool quoted;

		while (i < start && strchr(" ()", line[i]) != NULL)
			i++;
		if (i >= start)
			break;
		quoted = line[i] == '"';
		if (quoted) {
			for (i++; i < start && line[i] != '"'; i++) {
				if (line[i] == '\\' && i + 1 < start)
					i++;
				if (len < WORD_MAX - 1)
					ws->w[ws->n][len++] = line[i];
			}
			if (i >= start)
				break; /* the word being completed */
			i++;
			if (len == 0)
				ws->w[ws->n][len++] = '"'; /* "" is a word */
		} else
			while (i < start && strchr(" ()", line[i]) == NULL) {
				if (len < WORD_MAX - 1)
					ws->w[ws->n][len++] = line[i];
				i++;
			}
		if (len > 0)
			ws->w[ws->n++][len] = '\0';
	}
}

static bool
starts_command(const char *word)
{
	return imap_command_table_starts_command(word, strlen(word));
}

/* The context of argument `arg` (0: the first) of command `name`. */
static enum complete_kind
argument_kind(const char *name, size_t arg, const struct words *ws)
{
	const struct imap_command_entry *e = imap_command_entry_find(name);
	const char *before = arg > 0 ? ws->w[ws->n - 1] : "";

	if (e == NULL)
		return COMPLETE_NOTHING;
	if (strcmp(name, "UID FETCH") == 0 || strcmp(name, "FETCH") == 0)
		return arg >= 1 ? COMPLETE_FETCH_ITEM : COMPLETE_NOTHING;
	if (strcmp(name, "UID STORE") == 0 || strcmp(name, "STORE") == 0) {
		if (arg == 1)
			return COMPLETE_STORE_OP;
		return arg >= 2 ? COMPLETE_FLAG : COMPLETE_NOTHING;
	}
	if (strstr(name, "SEARCH") != NULL) {
		if (strcasecmp(before, "KEYWORD") == 0 ||
		    strcasecmp(before, "UNKEYWORD") == 0)
			return COMPLETE_FLAG;
		return COMPLETE_SEARCH_KEY;
	}
	if (strcmp(name, "STATUS") == 0 && arg >= 1)
		return COMPLETE_STATUS_ITEM;
	if ((e->flags & IMAP_CMDF_MAILBOX) && arg == 0)
		return COMPLETE_MAILBOX;
	if (strcmp(name, "RENAME") == 0 && arg == 1)
		return COMPLETE_MAILBOX;
	if ((strcmp(name, "COPY") == 0 || strcmp(name, "MOVE") == 0 ||
		strcmp(name, "UID COPY") == 0 ||
		strcmp(name, "UID MOVE") == 0) && arg == 1)
		return COMPLETE_MAILBOX;
	if ((strcmp(name, "LIST") == 0 || strcmp(name, "LSUB") == 0) &&
	    arg == 1)
		return COMPLETE_MAILBOX;
	return COMPLETE_NOTHING;
}

enum complete_kind
complete_context(const char *line, size_t start)
{
	struct words ws;
	size_t cmd, arg;
	char name[2 * WORD_MAX];
	size_t i;

	split_words(line, start, &ws);
	/* the command is the first word, or the second after a tag */
	if (ws.n == 0 || (ws.n == 1 && !starts_command(ws.w[0])))
		return COMPLETE_COMMAND;
	cmd = starts_command(ws.w[0]) ? 0 : 1;
	if (strcasecmp(ws.w[cmd], "UID") == 0) {
		if (ws.n == cmd + 1)
			return COMPLETE_UID_COMMAND;
		snprintf(name, sizeof(name), "UID %s", ws.w[cmd + 1]);
		arg = ws.n - cmd - 2;
	} else {
		snprintf(name, sizeof(name), "%s", ws.w[cmd]);
		arg = ws.n - cmd - 1;
	}
	for (i = 0; name[i] != '\0'; i++)
		if (name[i] >= 'a' && name[i] <= 'z')
			name[i] = (char)(name[i] - 'a' + 'A');
	return argument_kind(name, arg, &ws);
}

/* --- candidates ---------------------------------------------------------- */

struct list {
	char **items;
	size_t count, size;
	const char *text; /* the typed prefix */
	size_t text_len;
};

static bool
list_has(const struct list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

/* Add s if it starts with the typed text; the string is kept as is. */
static void
offer_owned(struct list *l, char *s, const char *compare)
{
	if (strncasecmp(compare, l->text, l->text_len) != 0 ||
	    list_has(l, s)) {
		free(s);
		return;
	}
	if (l->count + 2 > l->size) {
		l->size = l->size == 0 ? 16 : l->size * 2;
		l->items = xreallocarray(l->items, l->size, sizeof(char *));
	}
	l->items[l->count++] = s;
	l->items[l->count] = NULL;
}

static void
offer(struct list *l, const char *s)
{
	offer_owned(l, xstrdup(s), s);
}

static void
offer_all(struct list *l, const char *const *names)
{
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		offer(l, names[i]);
}

static void
offer_commands(struct list *l, bool uid)
{
	const struct imap_command_entry *e;
	bool uid_said = false;
	size_t i;

	for (i = 0; (e = imap_command_entry_at(i)) != NULL; i++) {
		bool is_uid = strncmp(e->name, "UID ", 4) == 0;

		if (uid) {
			if (is_uid)
				offer(l, e->name + 4);
		} else if (!is_uid)
			offer(l, e->name);
		else if (!uid_said) {
			offer(l, "UID");
			uid_said = true;
		}
	}
}

/* An atom (RFC 9051 9: no atom-specials) needs no quotes. */
static bool
is_atom(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f ||
		    strchr("(){%*\"\\]", *s) != NULL)
			return false;
	return true;
}

static void
offer_mailbox(struct list *l, const char *raw, bool in_quotes)
{
	const char *p;
	char *q;
	size_t len = 0;

	if (is_atom(raw)) {
		offer(l, raw);
		return;
	}
	/* a quoted string: '"' and '\' escaped */
	q = xmalloc(2 * strlen(raw) + 3);
	if (!in_quotes)
		q[len++] = '"';
	for (p = raw; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			q[len++] = '\\';
		q[len++] = *p;
	}
	if (!in_quotes)
		q[len++] = '"';
	q[len] = '\0';
	offer_owned(l, q, raw);
}

static void
offer_mailboxes(struct list *l, struct model *model, bool in_quotes)
{
	struct model_mailboxes *boxes;
	const struct model_mailbox *mb;
	size_t i;

	if (model == NULL)
		return;
	boxes = model_mailboxes(model);
	/* implied parents are not names a command can use */
	for (i = 0; (mb = model_mailboxes_row(boxes, i)) != NULL; i++)
		if (mb->listed)
			offer_mailbox(l, mb->raw, in_quotes);
}

/* The system flags, then the keywords the selected mailbox names. */
static void
offer_flags(struct list *l, struct model *model)
{
	const struct model_selected *sel;
	size_t i;

	offer_all(l, system_flags);
	if (model != NULL) {
		sel = model_selected(model);
		for (i = 0; i < sel->flag_count; i++)
			if (sel->flags[i][0] != '\\')
				offer(l, sel->flags[i]);
		for (i = 0; i < sel->permanentflag_count; i++)
			if (sel->permanentflags[i][0] != '\\')
				offer(l, sel->permanentflags[i]);
	}
	offer_all(l, common_keywords);
}

char **
complete_candidates(struct model *model, const char *line, size_t start,
    const char *text, bool in_quotes)
{
	struct list l = { .text = text, .text_len = strlen(text) };

	l.items = xcalloc(1, sizeof(char *));
	switch (complete_context(line, start)) {
	case COMPLETE_NOTHING:
		break;
	case COMPLETE_COMMAND:
		offer_commands(&l, false);
		break;
	case COMPLETE_UID_COMMAND:
		offer_commands(&l, true);
		break;
	case COMPLETE_MAILBOX:
		offer_mailboxes(&l, model, in_quotes);
		break;
	case COMPLETE_FETCH_ITEM:
		offer_all(&l, fetch_items);
		break;
	case COMPLETE_STORE_OP:
		offer_all(&l, store_ops);
		break;
	case COMPLETE_FLAG:
		offer_flags(&l, model);
		break;
	case COMPLETE_STATUS_ITEM:
		offer_all(&l, status_items);
		break;
	case COMPLETE_SEARCH_KEY:
		offer_all(&l, search_keys);
		break;
	}
	return l.items;
}

void
complete_free(char ***candidates)
{
	size_t i;

	if (*candidates == NULL)
		return;
	for (i = 0; (*candidates)[i] != NULL; i++)
		free((*candidates)[i]);
	free(*candidates);
	*candidates = NULL;
}

/* --- readline ------------------------------------------------------------ */

/* readline's callbacks carry no context: one console per process. */
static struct model *complete_model;
static char **generated;
static size_t generated_next;

static char *
generate(const char *text, int state)
{
	(void)text;
	if (state == 0)
		generated_next = 0;
	if (generated == NULL || generated[generated_next] == NULL)
		return NULL;
	/* readline frees what it gets */
	return xstrdup(generated[generated_next++]);
}

static char **
attempt(const char *text, int start, int end)
{
	char **matches;

	(void)end;
	/* never fall back to file names, even with no candidate */
	rl_attempted_completion_over = 1;
	complete_free(&generated);
	generated = complete_candidates(complete_model, rl_line_buffer,
	    (size_t)start, text, rl_completion_quote_character == '"');
	matches = rl_completion_matches(text, generate);
	complete_free(&generated);
	return matches;
}

void
complete_readline_install(struct model *model)
{
	complete_model = model;
	if (model == NULL) {
		rl_attempted_completion_function = NULL;
		return;
	}
	rl_attempted_completion_function = attempt;
	/* "FETCH 1 (UID FL": the word after a parenthesis completes too */
	rl_completer_word_break_characters = " ()";
	rl_completer_quote_characters = "\"";
	/* a name "a b" is one candidate, not two file-like words */
	rl_filename_completion_desired = 0;
}
