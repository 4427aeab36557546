/* teach-syntax: a command's grammar split into arguments, and which of
 * them each typed word fills. */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "teach-syntax.h"

/* How a typed argument fits an element's text. */
enum fit {
	FIT_NO,      /* it cannot be this element */
	FIT_ANY,     /* a placeholder: anything fits */
	FIT_EXACTLY, /* its keyword, list or literal is there */
};

/* The end of the element that starts at p: the next space outside
 * brackets and parentheses. NULL when they do not balance. */
static const char *
element_end(const char *p)
{
	int depth = 0;

	for (; *p != '\0' && (*p != ' ' || depth > 0); p++) {
		if (*p == '(' || *p == '[')
			depth++;
		else if ((*p == ')' || *p == ']') && --depth < 0)
			return NULL;
	}
	return depth == 0 ? p : NULL;
}

/* Whether the '[' at start closes at end - 1, so the whole element is
 * optional ("[CHARSET name]", not "[+|-]FLAGS[.SILENT]"). */
static bool
wholly_optional(const char *text, size_t start, size_t end)
{
	int depth = 0;
	size_t i;

	if (text[start] != '[')
		return false;
	for (i = start; i < end; i++) {
		if (text[i] == '[')
			depth++;
		else if (text[i] == ']' && --depth == 0)
			return i == end - 1;
	}
	return false;
}

/* Words at the top level of text[start, end): 2 for "CHARSET name". */
static unsigned
count_words(const char *text, size_t start, size_t end)
{
	unsigned words = 1;
	int depth = 0;
	size_t i;

	for (i = start; i < end; i++) {
		if (text[i] == '(' || text[i] == '[')
			depth++;
		else if (text[i] == ')' || text[i] == ']')
			depth--;
		else if (text[i] == ' ' && depth == 0)
			words++;
	}
	return words;
}

static bool
add_element(struct teach_syntax *s, size_t start, size_t end)
{
	struct teach_syntax_element *e;

	if (s->count == TEACH_SYNTAX_MAX || end == start)
		return false;
	e = &s->elements[s->count++];
	e->start = start;
	e->end = end;
	e->repeat = end - start == 3 && memcmp(s->text + start, "...", 3) == 0;
	e->optional = wholly_optional(s->text, start, end);
	e->words = e->optional ? count_words(s->text, start + 1, end - 1) : 1;
	/* "..." repeats an argument, so it cannot come first */
	return !e->repeat || s->count > 2;
}

bool
teach_syntax_parse(const struct knowledge_row *row, struct teach_syntax *s)
{
	const char *text = row->meaning, *end;
	size_t name_len = strlen(row->name);

	memset(s, 0, sizeof(*s));
	s->row = row;
	s->text = text;
	/* element 0 is the name, however many words it has */
	if (row->kind != KNOW_SYNTAX ||
	    strncmp(text, row->name, name_len) != 0 ||
	    (text[name_len] != ' ' && text[name_len] != '\0') ||
	    !add_element(s, 0, name_len))
		return false;
	for (end = text + name_len; *end == ' ';) {
		const char *start = end + 1;

		end = element_end(start);
		if (end == NULL || !add_element(s, (size_t)(start - text),
		    (size_t)(end - text)))
			return false;
	}
	return *end == '\0';
}

bool
teach_syntax_find(const char *name, size_t len, struct teach_syntax *out)
{
	const struct knowledge_row *row = knowledge_find_n(KNOW_SYNTAX, name,
	    len);

	return row != NULL && teach_syntax_parse(row, out);
}

bool
teach_syntax_element_is(const struct teach_syntax *s, size_t i,
    const char *name)
{
	const struct teach_syntax_element *e;
	size_t start, end;

	if (i >= s->count)
		return false;
	e = &s->elements[i];
	start = e->start + (e->optional ? 1 : 0);
	end = e->end - (e->optional ? 1 : 0);
	return strlen(name) == end - start &&
	    memcmp(s->text + start, name, end - start) == 0;
}

static bool
keyword_char(char c)
{
	return isupper((unsigned char)c) || isdigit((unsigned char)c) ||
	    c == '.' || c == '-' || c == '=';
}

/* How arg fits one alternative of an element, text[start, end). */
static enum fit
fit_alternative(const char *text, size_t start, size_t end, const char *arg,
    size_t len)
{
	size_t kw_len, word;

	if (text[start] == '(' || text[start] == '{')
		return arg[0] == text[start] ? FIT_EXACTLY : FIT_NO;
	if (!isupper((unsigned char)text[start]))
		return FIT_ANY;
	for (kw_len = 0; start + kw_len < end &&
	     keyword_char(text[start + kw_len]); kw_len++)
		;
	for (word = 0; word < len && arg[word] != ' ' && arg[word] != '(';
	     word++)
		;
	return word == kw_len && strncasecmp(arg, text + start, kw_len) == 0
	    ? FIT_EXACTLY : FIT_NO;
}

/* The best fit over the element's alternatives ("NIL|(field value ...)"
 * has two), inside its brackets when it is optional. */
static enum fit
fit_element(const struct teach_syntax *s, const struct teach_syntax_element *e,
    const char *arg, size_t len)
{
	size_t start = e->start + (e->optional ? 1 : 0);
	size_t end = e->end - (e->optional ? 1 : 0), i, alt = start;
	enum fit best = FIT_NO, f;
	int depth = 0;

	for (i = start; i <= end; i++) {
		if (i < end && (s->text[i] == '(' || s->text[i] == '['))
			depth++;
		else if (i < end && (s->text[i] == ')' || s->text[i] == ']'))
			depth--;
		if (i < end && (s->text[i] != '|' || depth > 0))
			continue;
		if (i > alt) {
			f = fit_alternative(s->text, alt, i, arg, len);
			best = f > best ? f : best;
		}
		alt = i + 1;
	}
	return best;
}

/* Whether a typed argument fills optional element i rather than skip it:
 * a placeholder ("[date-time]") takes anything but what plainly is the
 * next required element ("{12}" for "{size}"). */
static bool
optional_takes(const struct teach_syntax *s, size_t i, const char *arg,
    size_t len)
{
	enum fit f = fit_element(s, &s->elements[i], arg, len);
	size_t j;

	if (f != FIT_ANY)
		return f == FIT_EXACTLY;
	for (j = i + 1; j < s->count && !s->elements[j].repeat; j++)
		if (!s->elements[j].optional)
			return fit_element(s, &s->elements[j], arg, len) !=
			    FIT_EXACTLY;
	return true;
}

void
teach_syntax_walk_init(struct teach_syntax_walk *w,
    const struct teach_syntax *syntax)
{
	memset(w, 0, sizeof(*w));
	w->syntax = syntax;
	w->next = 1;
}

int
teach_syntax_walk_next(struct teach_syntax_walk *w, const char *arg,
    size_t len)
{
	const struct teach_syntax *s = w->syntax;
	const struct teach_syntax_element *e;

	if (w->pending > 0) {
		w->pending--;
		return (int)w->current;
	}
	while (w->next < s->count) {
		e = &s->elements[w->next];
		if (e->repeat) {
			w->current = w->next - 1;
			w->pending = s->elements[w->current].words - 1;
			return (int)w->current;
		}
		if (e->optional && len > 0 && !optional_takes(s, w->next, arg,
		    len)) {
			w->next++;
			continue;
		}
		w->current = w->next++;
		w->pending = e->words - 1;
		return (int)w->current;
	}
	return -1;
}
