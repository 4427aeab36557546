/* teach-hint: the grammar and the warnings for a line being typed. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap-command-table.h"
#include "teach-hint.h"
#include "teach-suggest.h"
#include "teach-syntax.h"
#include "text-mutf7.h"
#include "text-utf8.h"
#include "util-buf.h"
#include "util-mem.h"

/* Bytes of a typed word quoted in a warning; longer words are cut (at a
 * character's start) and end in "...". */
#define QUOTE_MAX 48
/* Room for a command's name: "UID " and a word as long as any command. */
#define COMMAND_NAME_MAX 40

struct word {
	size_t start, end;
};

/* The line as the console reads it. */
struct typed {
	const char *line;
	size_t len;
	const struct teach_hint_context *ctx;
	struct word words[TEACH_HINT_WORDS_MAX];
	size_t count;
	size_t cmd;  /* the command's first word; count when there is none */
	size_t args; /* the first argument: after "FETCH", "UID FETCH" */
	char name[COMMAND_NAME_MAX + 1]; /* "UID FETCH", upper case, or "" */
	const struct imap_command_entry *entry; /* NULL: no command */
	bool secret; /* nothing after the name may be copied */
	bool has_syntax;
	struct teach_syntax syntax;
	int element[TEACH_HINT_WORDS_MAX]; /* the grammar's, or -1 */
};

static const struct teach_hint_context no_context;

/* --- reading the line ---------------------------------------------------- */

/* The end of the word at i: a space outside a quoted string, a list or
 * brackets ("BODY[HEADER.FIELDS (SUBJECT)]" is one word). An open string
 * or list runs to the end of the line. */
static size_t
word_end(const char *s, size_t len, size_t i)
{
	bool quoted = false;
	int depth = 0;

	for (; i < len; i++) {
		if (quoted) {
			if (s[i] == '\\' && i + 1 < len)
				i++;
			else if (s[i] == '"')
				quoted = false;
		} else if (s[i] == '"')
			quoted = true;
		else if (s[i] == '(' || s[i] == '[')
			depth++;
		else if ((s[i] == ')' || s[i] == ']') && depth > 0)
			depth--;
		else if (s[i] == ' ' && depth == 0)
			break;
	}
	return i;
}

/* The console's first word ends at its first space, whatever it holds
 * (client-console-input.c). */
static void
split_words(struct typed *t)
{
	size_t i = 0, end;

	while (t->count < TEACH_HINT_WORDS_MAX) {
		while (i < t->len && t->line[i] == ' ')
			i++;
		if (i >= t->len)
			break;
		if (t->count == 0) {
			end = i;
			while (end < t->len && t->line[end] != ' ')
				end++;
		} else
			end = word_end(t->line, t->len, i);
		t->words[t->count].start = i;
		t->words[t->count].end = end;
		t->count++;
		i = end;
	}
}

static const char *
word_at(const struct typed *t, size_t k)
{
	return t->line + t->words[k].start;
}

static size_t
word_len(const struct typed *t, size_t k)
{
	return t->words[k].end - t->words[k].start;
}

static bool
word_is(const struct typed *t, size_t k, const char *s)
{
	return k < t->count && word_len(t, k) == strlen(s) &&
	    strncasecmp(word_at(t, k), s, strlen(s)) == 0;
}

static bool
starts_command(const struct typed *t, size_t k)
{
	return imap_command_table_starts_command(word_at(t, k),
	    word_len(t, k));
}

/* Append word k, upper case, to t->name; false if it cannot fit. */
static bool
name_add(struct typed *t, size_t k)
{
	size_t have = strlen(t->name), len = word_len(t, k), i;

	if (have + len + 1 > COMMAND_NAME_MAX)
		return false;
	if (have > 0)
		t->name[have++] = ' ';
	for (i = 0; i < len; i++)
		t->name[have + i] = (char)toupper((unsigned char)word_at(t,
		    k)[i]);
	t->name[have + len] = '\0';
	return true;
}

/* The command's words, its table row and its grammar. A word after
 * "UID" that makes no UID command leaves the grammar of "UID" itself. */
static void
find_command(struct typed *t)
{
	t->cmd = t->count > 0 && starts_command(t, 0) ? 0 : 1;
	if (t->cmd >= t->count) {
		t->cmd = t->args = t->count;
		return;
	}
	t->args = t->cmd + 1;
	if (!name_add(t, t->cmd))
		return;
	if (word_is(t, t->cmd, "UID") && t->cmd + 1 < t->count) {
		if (!name_add(t, t->cmd + 1))
			t->name[0] = '\0';
		else if (teach_syntax_find(t->name, strlen(t->name),
		    &t->syntax)) {
			t->has_syntax = true;
			t->args++;
		}
	}
	t->entry = imap_command_entry_find(t->name);
	t->secret = t->entry != NULL && (t->entry->flags & IMAP_CMDF_SECRET);
	if (!t->has_syntax)
		t->has_syntax = teach_syntax_find(word_at(t, t->cmd),
		    word_len(t, t->cmd), &t->syntax);
}

/* Which element of the grammar each argument fills. */
static void
map_arguments(struct typed *t)
{
	struct teach_syntax_walk walk;
	size_t k;

	for (k = 0; k < t->count; k++)
		t->element[k] = k >= t->cmd && k < t->args ? 0 : -1;
	if (!t->has_syntax)
		return;
	teach_syntax_walk_init(&walk, &t->syntax);
	for (k = t->args; k < t->count; k++)
		t->element[k] = teach_syntax_walk_next(&walk, word_at(t, k),
		    word_len(t, k));
}

/* --- the argument under the cursor --------------------------------------- */

/* The element a new argument typed before word k would fill. */
static int
element_before(const struct typed *t, size_t k)
{
	struct teach_syntax_walk walk;
	size_t j;

	teach_syntax_walk_init(&walk, &t->syntax);
	for (j = t->args; j < k; j++)
		(void)teach_syntax_walk_next(&walk, word_at(t, j),
		    word_len(t, j));
	return teach_syntax_walk_next(&walk, "", 0);
}

/* The cursor is in word k when it touches it (at its end too: the word
 * is still being typed); between words, it starts a new one. */
static int
cursor_element(const struct typed *t, size_t cursor)
{
	size_t k;

	for (k = 0; k < t->count; k++) {
		if (cursor < t->words[k].start)
			break;
		if (cursor <= t->words[k].end)
			return t->element[k];
	}
	if (k <= t->cmd || (k == TEACH_HINT_WORDS_MAX && t->count == k))
		return -1;
	if (k < t->args)
		return 0;
	return element_before(t, k);
}

static void
fill_grammar(const struct typed *t, size_t cursor, struct teach_hint *out)
{
	const struct teach_syntax_element *e;
	int i;

	if (!t->has_syntax)
		return;
	out->syntax = t->syntax.row;
	i = cursor_element(t, cursor);
	if (i < 0)
		return;
	e = &t->syntax.elements[i];
	out->arg = i;
	out->arg_start = e->start;
	out->arg_end = e->end;
}

/* --- saying things ------------------------------------------------------- */

/* Up to QUOTE_MAX bytes of s, cut before a UTF-8 continuation byte. */
static const char *
shown(char buf[QUOTE_MAX + 4], const char *s, size_t len)
{
	size_t n = len;

	if (len > QUOTE_MAX) {
		n = QUOTE_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	memcpy(buf + n, len > n ? "..." : "", len > n ? 4 : 1);
	return buf;
}

static const char *
shown_word(char buf[QUOTE_MAX + 4], const struct typed *t, size_t k)
{
	return shown(buf, word_at(t, k), word_len(t, k));
}

static void add_warning(struct teach_hint *out, enum teach_hint_kind kind,
    enum knowledge_kind cited_kind, const char *cited_name,
    char *suggestion, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* One warning, its text ending with the cited row's RFC section. The
 * suggestion is the warning's to free; past the last slot it is dropped. */
static void
add_warning(struct teach_hint *out, enum teach_hint_kind kind,
    enum knowledge_kind cited_kind, const char *cited_name,
    char *suggestion, const char *fmt, ...)
{
	struct teach_hint_warning *w;
	char cite[KNOWLEDGE_CITE_MAX];
	size_t used;
	va_list ap;

	if (out->warning_count == TEACH_HINT_WARNINGS_MAX) {
		free(suggestion);
		return;
	}
	w = &out->warnings[out->warning_count++];
	w->kind = kind;
	w->cited = knowledge_find(cited_kind, cited_name);
	w->suggestion = suggestion;
	va_start(ap, fmt);
	vsnprintf(w->text, sizeof(w->text), fmt, ap);
	va_end(ap);
	used = strlen(w->text);
	if (w->cited != NULL)
		snprintf(w->text + used, sizeof(w->text) - used, " (%s)",
		    knowledge_cite(w->cited, cite, sizeof(cite)));
}

/* The line with bytes [start, end) replaced by with. */
static char *
line_replacing(const struct typed *t, size_t start, size_t end,
    const char *with)
{
	return xasprintf("%.*s%s%.*s", (int)start, t->line, with,
	    (int)(t->len - end), t->line + end);
}

/* --- the command's words ------------------------------------------------- */

/* The command a word is a slip for, when the console knows it. */
static const char *
slip_for(const struct typed *t, size_t k)
{
	const char *near = teach_suggest_command(word_at(t, k),
	    word_len(t, k));

	return near != NULL &&
		imap_command_table_starts_command(near, strlen(near))
	    ? near : NULL;
}

static bool
is_secret_command(const char *name)
{
	const struct imap_command_entry *e = imap_command_entry_find(name);

	return e != NULL && (e->flags & IMAP_CMDF_SECRET);
}

/* "SELEC INBOX": the console sends SELEC as the tag, INBOX as the
 * command. A slip for LOGIN or AUTHENTICATE says nothing of the words
 * after it: they are credentials. Returns whether it was such a slip. */
static bool
check_tag_slip(const struct typed *t, struct teach_hint *out)
{
	const char *near = slip_for(t, 0);
	char tag[QUOTE_MAX + 4], cmd[QUOTE_MAX + 4];

	if (near == NULL || starts_command(t, 1))
		return false;
	if (is_secret_command(near)) {
		add_warning(out, TEACH_HINT_TAG_SLIP, KNOW_CONCEPT, "tag",
		    NULL, "%s is taken as the tag and the next word as the "
		    "command: did you mean %s?", shown_word(tag, t, 0), near);
		return true;
	}
	add_warning(out, TEACH_HINT_TAG_SLIP, KNOW_CONCEPT, "tag",
	    line_replacing(t, t->words[0].start, t->words[0].end, near),
	    "%s is taken as the tag and %s as the command: did you mean "
	    "%s %s%s?", shown_word(tag, t, 0), shown_word(cmd, t, 1), near,
	    cmd, t->count > 2 ? " ..." : "");
	return false;
}

/* INBOX, a name under it, or a mailbox the caller knows. */
static bool
looks_like_mailbox(const struct typed *t, size_t k)
{
	const char *w = word_at(t, k);
	size_t len = word_len(t, k);

	if (len >= 2 && w[0] == '"' && w[len - 1] == '"') {
		w++;
		len -= 2;
	}
	if (len >= 5 && strncasecmp(w, "INBOX", 5) == 0 &&
	    (len == 5 || w[5] == '/' || w[5] == '.'))
		return true;
	return t->ctx->is_mailbox != NULL &&
	    t->ctx->is_mailbox(t->ctx->is_mailbox_arg, w, len);
}

/* "a1 fecth 1 FLAGS", or "UID fecth" (then the slip must make a UID
 * command). A slip for LOGIN offers no line, since it holds the
 * password; returns whether it was such a slip. */
static bool
check_misspelled(const struct typed *t, size_t k, bool after_uid,
    struct teach_hint *out)
{
	const char *near = slip_for(t, k);
	char word[QUOTE_MAX + 4], name[COMMAND_NAME_MAX + 1];
	bool secret;

	if (near == NULL)
		return false;
	snprintf(name, sizeof(name), "%s%s", after_uid ? "UID " : "", near);
	if (after_uid && imap_command_entry_find(name) == NULL)
		return false;
	secret = is_secret_command(name);
	add_warning(out, TEACH_HINT_MISSPELLED, KNOW_COMMAND, name,
	    secret ? NULL
		   : line_replacing(t, t->words[k].start, t->words[k].end,
			 near),
	    "%s%s is not an IMAP command: did you mean %s?",
	    after_uid ? "UID " : "", shown_word(word, t, k), name);
	return secret;
}

/* The tag and the command's words; returns whether the rest of the line
 * is a slip for LOGIN's or AUTHENTICATE's, so holds credentials. */
static bool
check_command_words(const struct typed *t, struct teach_hint *out)
{
	char word[QUOTE_MAX + 4];
	size_t c = t->cmd;

	if (t->count == 0)
		return false;
	/* a word alone is the command being typed, not a tag */
	if (t->count == 1 && !starts_command(t, 0))
		return check_misspelled(t, 0, false, out);
	if (c == 1 && check_tag_slip(t, out))
		return true;
	if (starts_command(t, c)) {
		if (word_is(t, c, "UID") && c + 1 < t->count &&
		    t->entry == NULL)
			return check_misspelled(t, c + 1, true, out);
		return false;
	}
	if (!looks_like_mailbox(t, c))
		return check_misspelled(t, c, false, out);
	add_warning(out, TEACH_HINT_MAILBOX, KNOW_CONCEPT,
	    word_is(t, c, "INBOX") ? "INBOX" : "mailbox name", NULL,
	    "%s is a mailbox, not a command", shown_word(word, t, c));
	return false;
}

/* --- quotes and parentheses ---------------------------------------------- */

/* A literal announced at the end: "{12}" or "{12+}" (the console's own
 * rule: a list may go on after the literal's bytes). */
static bool
ends_in_literal(const char *s, size_t len)
{
	size_t i;

	if (len < 3 || s[len - 1] != '}')
		return false;
	i = len - 1;
	if (s[i - 1] == '+')
		i--;
	if (!isdigit((unsigned char)s[i - 1]))
		return false;
	while (i > 0 && isdigit((unsigned char)s[i - 1]))
		i--;
	return i > 0 && s[i - 1] == '{';
}

static void
check_balance(const struct typed *t, struct teach_hint *out)
{
	size_t i, depth = 0, open_lists;
	bool quoted = false, extra = false;
	char close[8 + 2], lists[32];

	if (t->cmd >= t->count)
		return;
	for (i = t->words[t->cmd].start; i < t->len; i++) {
		if (quoted) {
			if (t->line[i] == '\\' && i + 1 < t->len)
				i++;
			else if (t->line[i] == '"')
				quoted = false;
		} else if (t->line[i] == '"')
			quoted = true;
		else if (t->line[i] == '(')
			depth++;
		else if (t->line[i] == ')' && depth == 0)
			extra = true;
		else if (t->line[i] == ')')
			depth--;
	}
	open_lists = !quoted && ends_in_literal(t->line, t->len) ? 0 : depth;
	if (open_lists == 1)
		snprintf(lists, sizeof(lists), "a list is");
	else
		snprintf(lists, sizeof(lists), "%zu lists are", open_lists);
	/* what closes them all: the string first, then the lists */
	snprintf(close, sizeof(close), "%s%.*s", quoted ? "\"" : "",
	    (int)(open_lists < 8 ? open_lists : 8), "))))))))");
	if (quoted)
		add_warning(out, TEACH_HINT_QUOTE, KNOW_CONCEPT,
		    "quoted string",
		    t->secret ? NULL : xasprintf("%.*s%s", (int)t->len,
					   t->line, close),
		    "a quoted string is left open: end it with \"");
	if (open_lists > 0)
		add_warning(out, TEACH_HINT_PARENTHESIS, KNOW_CONCEPT,
		    "parenthesized list",
		    t->secret || open_lists > 8
			? NULL
			: xasprintf("%.*s%s", (int)t->len, t->line, close),
		    "%s left open: end %s with \")\"", lists,
		    open_lists == 1 ? "it" : "them");
	if (extra)
		add_warning(out, TEACH_HINT_PARENTHESIS, KNOW_CONCEPT,
		    "parenthesized list", NULL,
		    "a \")\" closes a list that was never opened");
}

/* --- sequence sets ------------------------------------------------------- */

/* One seq-number at s[*i] (RFC 9051 9: nz-number or "*"); NULL, or what
 * is wrong. */
static const char *
set_number(const char *s, size_t len, size_t *i)
{
	uint64_t n = 0;

	if (*i < len && s[*i] == '*') {
		(*i)++;
		return NULL;
	}
	if (*i < len && s[*i] == '$')
		return "\"$\" (the saved search result) cannot be part of a "
		       "range";
	if (*i == len || !isdigit((unsigned char)s[*i]))
		return "a set holds numbers, \"*\", ranges such as 2:4, and "
		       "commas between them";
	if (s[*i] == '0')
		return "message numbers start at 1, and no number starts "
		       "with 0";
	for (; *i < len && isdigit((unsigned char)s[*i]); (*i)++) {
		n = n * 10 + (uint64_t)(s[*i] - '0');
		if (n > UINT32_MAX)
			return "a number is larger than 4294967295";
	}
	return NULL;
}

/* What is wrong with a typed sequence set or UID set, or NULL. "$" is
 * SEARCHRES's saved result (RFC 9051 9 seq-last-command), valid alone
 * or at the end. */
static const char *
set_problem(const char *s, size_t len)
{
	const char *why;
	size_t i = 0;

	for (;;) {
		if (i == len)
			return "nothing follows the last comma";
		if (s[i] == ',')
			return i == 0 ? "a set cannot start with a comma"
				      : "two commas have nothing between "
					"them";
		if (s[i] == '$' && i + 1 == len)
			return NULL;
		if (s[i] == '$')
			return "\"$\" (the saved search result) can only "
			       "come last";
		if (s[i] == ':')
			return "a range needs a number before \":\"";
		if ((why = set_number(s, len, &i)) != NULL)
			return why;
		if (i < len && s[i] == ':') {
			i++;
			if (i == len || s[i] == ',')
				return "a range needs a number after \":\"";
			if ((why = set_number(s, len, &i)) != NULL)
				return why;
			if (i < len && s[i] == ':')
				return "a range has one \":\", as in 2:4";
		}
		if (i == len)
			return NULL;
		if (s[i] != ',')
			return "a set holds numbers, \"*\", ranges such as "
			       "2:4, and commas between them";
		i++;
	}
}

static void
check_set(const struct typed *t, size_t k, bool uid, struct teach_hint *out)
{
	const char *why = set_problem(word_at(t, k), word_len(t, k));
	char word[QUOTE_MAX + 4];

	if (why != NULL)
		add_warning(out, TEACH_HINT_SET, KNOW_CONCEPT, "sequence set",
		    NULL, "%s is not a valid %s: %s", shown_word(word, t, k),
		    uid ? "UID set" : "sequence set", why);
}

/* --- mailbox names ------------------------------------------------------- */

/* The name a typed mailbox argument holds: a quoted string's contents,
 * or the atom. False for a literal, whose bytes are not on the line. */
static bool
mailbox_text(const struct typed *t, size_t k, struct buf *name,
    bool *quoted_r)
{
	const char *w = word_at(t, k);
	size_t len = word_len(t, k), i;

	*quoted_r = w[0] == '"';
	if (w[0] == '{')
		return false;
	if (!*quoted_r)
		return buf_append(name, w, len) == 0;
	for (i = 1; i < len && w[i] != '"'; i++) {
		if (w[i] == '\\' && i + 1 < len)
			i++;
		if (buf_append_byte(name, (unsigned char)w[i]) != 0)
			return false;
	}
	return true;
}

/* The name as it would be typed: quoted when the user quoted it or an
 * atom cannot hold it (RFC 9051 9 atom-specials; LIST's patterns may
 * hold the wildcards). */
static char *
as_typed(const char *name, bool quoted, bool wildcards)
{
	const char *specials = wildcards ? "(){ \"\\" : "(){ \"\\%*";
	struct buf b;
	const char *p;

	if (!quoted && name[0] != '\0' && strpbrk(name, specials) == NULL)
		return xstrdup(name);
	buf_init(&b, TEACH_HINT_LINE_MAX * 4);
	(void)buf_append_byte(&b, '"');
	for (p = name; *p != '\0'; p++) {
		if ((*p == '"' || *p == '\\') &&
		    buf_append_byte(&b, '\\') != 0)
			break;
		if (buf_append_byte(&b, (unsigned char)*p) != 0)
			break;
	}
	(void)buf_append_byte(&b, '"');
	return buf_steal(&b);
}

static bool
has_8bit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* Whether an ASCII name with "&" fails to decode as modified UTF-7 ("R&D"
 * must be "R&-D"). */
static bool
bad_ampersand(const char *s, size_t len)
{
	struct buf scratch;
	bool invalid = false;

	if (memchr(s, '&', len) == NULL)
		return false;
	buf_init(&scratch, len * 4 + 16);
	if (text_mutf7_decode(s, len, &scratch, &invalid) != 0)
		invalid = false;
	buf_free(&scratch);
	return invalid;
}

/* A name with 8-bit characters, or an "&" that starts no valid run,
 * offered in modified UTF-7 (RFC 9051 5.1, A.1). */
static void
check_mailbox(const struct typed *t, size_t k, bool wildcards,
    struct teach_hint *out)
{
	char word[QUOTE_MAX + 4], fixed[QUOTE_MAX + 4];
	struct buf name, wire;
	const char *text, *error;
	char *typed;
	bool quoted, eight;

	buf_init(&name, TEACH_HINT_LINE_MAX);
	buf_init(&wire, TEACH_HINT_LINE_MAX * 4);
	if (!mailbox_text(t, k, &name, &quoted))
		goto done;
	/* buf_str: an empty name has no data at all */
	text = buf_str(&name);
	eight = has_8bit(text, name.len);
	if (!eight && !bad_ampersand(text, name.len))
		goto done;
	if (eight && !text_utf8_is_valid(text, name.len)) {
		add_warning(out, TEACH_HINT_MUTF7, KNOW_CONCEPT,
		    "mailbox name", NULL,
		    "this mailbox name is not valid UTF-8, so it has no "
		    "modified UTF-7 form");
		goto done;
	}
	if (text_mutf7_encode(text, name.len, &wire, &error) != 0)
		goto done;
	typed = as_typed(buf_str(&wire), quoted, wildcards);
	add_warning(out, TEACH_HINT_MUTF7, KNOW_CONCEPT, "modified UTF-7",
	    line_replacing(t, t->words[k].start, t->words[k].end, typed),
	    eight ? "%s has 8-bit characters: without UTF8=ACCEPT the "
		    "server expects modified UTF-7: %s"
		  : "%s is not modified UTF-7, where \"&\" starts an "
		    "encoded run and a plain \"&\" is \"&-\": %s",
	    shown_word(word, t, k), shown(fixed, typed, strlen(typed)));
	free(typed);
done:
	buf_free(&name);
	buf_free(&wire);
}

/* --- the arguments ------------------------------------------------------- */

/* The grammar's placeholders that hold mailbox names, and whether a
 * typed one may hold LIST's wildcards. */
static const struct {
	const char *placeholder;
	bool wildcards;
} mailbox_placeholders[] = {
	{ "mailbox", false },
	{ "new-mailbox", false },
	{ "reference", true },
	{ "pattern", true },
};

static void
check_argument(const struct typed *t, size_t k, struct teach_hint *out)
{
	const struct teach_syntax *s = &t->syntax;
	int e = t->element[k];
	size_t i;

	if (e <= 0)
		return;
	if (teach_syntax_element_is(s, (size_t)e, "sequence-set") ||
	    teach_syntax_element_is(s, (size_t)e, "uid-set")) {
		check_set(t, k, teach_syntax_element_is(s, (size_t)e,
		    "uid-set"), out);
		return;
	}
	if (t->ctx->utf8_accept)
		return;
	for (i = 0; i < sizeof(mailbox_placeholders) /
	     sizeof(mailbox_placeholders[0]); i++)
		if (teach_syntax_element_is(s, (size_t)e,
		    mailbox_placeholders[i].placeholder))
			check_mailbox(t, k, mailbox_placeholders[i].wildcards,
			    out);
}

static void
check_arguments(const struct typed *t, struct teach_hint *out)
{
	size_t k;

	if (!t->has_syntax || t->secret)
		return;
	for (k = t->args; k < t->count; k++)
		check_argument(t, k, out);
}

/* --- the whole line ------------------------------------------------------ */

void
teach_hint(const char *line, size_t len, size_t cursor,
    const struct teach_hint_context *ctx, struct teach_hint *out)
{
	struct typed t;

	memset(out, 0, sizeof(*out));
	out->arg = -1;
	if (ctx == NULL)
		ctx = &no_context;
	if (ctx->step || len > TEACH_HINT_LINE_MAX)
		return;
	memset(&t, 0, sizeof(t));
	t.line = line;
	t.len = len;
	t.ctx = ctx;
	split_words(&t);
	find_command(&t);
	map_arguments(&t);
	fill_grammar(&t, cursor < len ? cursor : len, out);
	if (check_command_words(&t, out))
		t.secret = true;
	check_balance(&t, out);
	check_arguments(&t, out);
}

void
teach_hint_free(struct teach_hint *hint)
{
	size_t i;

	for (i = 0; i < hint->warning_count; i++) {
		free(hint->warnings[i].suggestion);
		hint->warnings[i].suggestion = NULL;
	}
	hint->warning_count = 0;
}
