/* client-console-input: the raw console's rules for typed lines. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

#include "client-console-guard.h"
#include "client-console-input.h"
#include "client-console-tags.h"
#include "util-mem.h"

enum input_mode {
	MODE_COMMAND,      /* the next line starts a command */
	MODE_LITERAL,      /* typed bytes are a literal's contents */
	MODE_CONTINUATION, /* the next line continues a command's line */
	MODE_STEPS,        /* lines go to a running IDLE or AUTHENTICATE */
	MODE_DISCARD,      /* the server refused a literal: drop its bytes */
};

struct console_input {
	struct imap_session *session;
	struct imap_session_command *current;
	enum input_mode mode;
	uint64_t literal_left;
	bool secret;
	bool idle;
	bool steps; /* the command takes typed lines after its own */
	bool history_ok;
	char status[128];
	struct console_guard *guard; /* holds plain EXPUNGE and CLOSE */
	struct console_tags *tags;   /* the tags added to untagged lines */
	bool manual_tags;            /* --tags manual: lines go as typed */
};

/* The words that start a command (imap-command-table.h): every name of
 * one word, and "UID" once for the UID commands. */
const char *
console_input_command_name(size_t i)
{
	const struct imap_command_entry *e;
	size_t row, n = 0;
	bool uid_said = false;

	for (row = 0; (e = imap_command_entry_at(row)) != NULL; row++) {
		bool uid = strncmp(e->name, "UID ", 4) == 0;

		if (uid && uid_said)
			continue;
		uid_said = uid_said || uid;
		if (n++ == i)
			return uid ? "UID" : e->name;
	}
	return NULL;
}

bool
console_input_is_command_name(const char *word, size_t len)
{
	return imap_command_table_starts_command(word, len);
}

struct console_input *
console_input_new(struct imap_session *session)
{
	struct console_input *in = xcalloc(1, sizeof(*in));

	in->session = session;
	in->tags = console_tags_new();
	return in;
}

void
console_input_set_manual_tags(struct console_input *in, bool manual)
{
	in->manual_tags = manual;
}

void
console_input_set_guard(struct console_input *in, struct console_guard *guard)
{
	in->guard = guard;
}

void
console_input_free(struct console_input **inp)
{
	if (*inp != NULL)
		console_tags_free(&(*inp)->tags);
	free(*inp);
	*inp = NULL;
}

bool
console_input_last_line_for_history(const struct console_input *in)
{
	return in->history_ok;
}

const char *
console_input_status(const struct console_input *in)
{
	return in->status[0] != '\0' ? in->status : NULL;
}

bool
console_input_wants_more(const struct console_input *in)
{
	return in->mode != MODE_COMMAND;
}

void
console_input_command_done(struct console_input *in,
    const struct imap_session_command *cmd)
{
	if (cmd != in->current)
		return;
	in->current = NULL;
	/* Bytes the typist still means for a refused literal must never
	 * become commands. */
	if (in->mode == MODE_LITERAL && in->literal_left > 0) {
		in->mode = MODE_DISCARD;
		snprintf(in->status, sizeof(in->status),
		    "the server ended the command: the literal's next %llu "
		    "typed bytes are dropped",
		    (unsigned long long)in->literal_left);
		return;
	}
	if (in->mode != MODE_DISCARD) {
		in->mode = MODE_COMMAND;
		in->status[0] = '\0';
	}
}

/* The n-th word of the line (0-based): its start, or NULL. */
static const char *
nth_word(const char *line, size_t n, size_t *len_r)
{
	const char *p = line + strspn(line, " ");

	while (*p != '\0') {
		size_t len = strcspn(p, " ");

		if (n-- == 0) {
			*len_r = len;
			return p;
		}
		p += len;
		p += strspn(p, " ");
	}
	return NULL;
}

static bool
word_is(const char *word, size_t len, const char *name)
{
	return word != NULL && strlen(name) == len &&
	    strncasecmp(word, name, len) == 0;
}

static bool
secret_name(const char *word, size_t len)
{
	return word_is(word, len, "LOGIN") ||
	    word_is(word, len, "AUTHENTICATE");
}

size_t
console_input_secret_from(const struct console_input *in, const char *line)
{
	size_t len, first_len, end = strlen(line);
	const char *first, *cmd, *arg;
	size_t cmd_index;

	if (in->mode != MODE_COMMAND)
		return in->secret ? 0 : end;
	first = nth_word(line, 0, &first_len);
	if (first == NULL)
		return end;
	/* --tags manual: a command name typed first is the tag, and what
	 * follows it still the credentials the typist meant to send */
	if (in->manual_tags && secret_name(first, first_len))
		return (size_t)(first - line) + first_len +
		    (first[first_len] == ' ' ? 1 : 0);
	cmd_index = !in->manual_tags &&
	    console_input_is_command_name(first, first_len) ? 0 : 1;
	cmd = nth_word(line, cmd_index, &len);
	if (word_is(cmd, len, "LOGIN")) {
		/* everything after "LOGIN " */
		return (size_t)(cmd - line) + len +
		    (cmd[len] == ' ' ? 1 : 0);
	}
	if (word_is(cmd, len, "AUTHENTICATE")) {
		/* the mechanism is no secret; an initial response is */
		arg = nth_word(line, cmd_index + 2, &len);
		return arg != NULL ? (size_t)(arg - line) : end;
	}
	return end;
}

/* A literal announced at the end of the text: "{n}" or "{n+}". */
static bool
trailing_literal(const char *text, size_t len, uint64_t *size_r,
    bool *sync_r)
{
	size_t i;
	uint64_t n = 0;

	if (len < 3 || text[len - 1] != '}')
		return false;
	i = len - 2;
	*sync_r = text[i] != '+';
	if (!*sync_r)
		i--;
	if (!isdigit((unsigned char)text[i]))
		return false;
	while (i > 0 && isdigit((unsigned char)text[i - 1]))
		i--;
	if (i == 0 || text[i - 1] != '{')
		return false;
	for (; isdigit((unsigned char)text[i]); i++) {
		if (n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(text[i] - '0');
	}
	*size_r = n;
	return true;
}

static void
set_literal_status(struct console_input *in)
{
	snprintf(in->status, sizeof(in->status),
	    "literal: %llu more bytes (a line end counts as 2)",
	    (unsigned long long)in->literal_left);
}

static void
enter_continuation(struct console_input *in)
{
	in->mode = MODE_CONTINUATION;
	snprintf(in->status, sizeof(in->status),
	    "literal complete: type the rest of the command line");
}

/* After the part of a command line that `text` is: wait for the literal
 * it announces, or end the command. */
static void
after_line_part(struct console_input *in, const char *text, size_t len)
{
	uint64_t size;
	bool sync;

	if (!trailing_literal(text, len, &size, &sync)) {
		imap_session_command_close(in->session, in->current);
		if (!in->steps)
			in->current = NULL;
		in->mode = in->current != NULL ? MODE_STEPS : MODE_COMMAND;
		in->status[0] = '\0';
		return;
	}
	in->literal_left = size;
	if (size > 0) {
		in->mode = MODE_LITERAL;
		set_literal_status(in);
	} else
		enter_continuation(in);
}

static const char *
display_for(struct console_input *in, const char *redacted)
{
	return in->secret ? redacted : NULL;
}

/* More of a command's line, after a literal. */
static int
continue_line(struct console_input *in, const char *text, size_t len)
{
	uint64_t size;
	bool sync = false;
	char *chunk = xasprintf("%.*s\r\n", (int)len, text);
	int rc;

	(void)trailing_literal(text, len, &size, &sync);
	rc = imap_session_command_append(in->session, in->current, chunk,
	    len + 2, sync, display_for(in, "<redacted>\r\n"));
	secure_free_str(&chunk);
	if (rc == 0)
		after_line_part(in, text, len);
	return rc;
}

/* Typed bytes of a literal; what follows its end continues the line. */
static int
literal_line(struct console_input *in, const char *line, const char **error_r)
{
	size_t len = strlen(line) + 2, n;
	char *bytes = xasprintf("%s\r\n", line);
	int rc = 0;

	n = in->literal_left < len ? (size_t)in->literal_left : len;
	if (in->mode == MODE_LITERAL)
		rc = imap_session_command_append(in->session, in->current,
		    bytes, n, false, display_for(in, "<redacted literal>\r\n"));
	in->literal_left -= n;
	if (rc == 0 && in->literal_left == 0) {
		if (in->mode == MODE_DISCARD) {
			in->mode = MODE_COMMAND;
			in->status[0] = '\0';
		} else if (n == len)
			enter_continuation(in);
		else if (n == len - 1)
			/* the literal ended on the CR: the LF ends the line */
			rc = continue_line(in, "", 0);
		else
			rc = continue_line(in, bytes + n, len - n - 2);
	} else if (rc == 0 && in->mode == MODE_LITERAL)
		set_literal_status(in);
	secure_free_str(&bytes);
	if (rc != 0)
		*error_r = "the literal is too large";
	return rc;
}

/* A line for a typed IDLE (DONE) or AUTHENTICATE (a response). */
static int
step_line(struct console_input *in, const char *line, const char **error_r)
{
	char *chunk;
	int rc;

	if (in->idle && strcasecmp(line, "DONE") != 0) {
		*error_r = "IDLE is running: type DONE to end it";
		return -1;
	}
	chunk = xasprintf("%s\r\n", line);
	rc = imap_session_command_append(in->session, in->current, chunk,
	    strlen(chunk), !in->idle, display_for(in, "<redacted>\r\n"));
	secure_free_str(&chunk);
	/* After DONE the IDLE takes no more lines: the next is a command,
	 * queued until the IDLE ends. */
	if (rc == 0 && in->idle) {
		in->current = NULL;
		in->mode = MODE_COMMAND;
	}
	return rc;
}

/* How the session must send a typed command, from its table row. */
static unsigned
flags_for(const struct imap_command_entry *e)
{
	unsigned flags = 0;

	if (e != NULL && (e->flags & IMAP_CMDF_EXCLUSIVE))
		flags |= IMAP_CMD_EXCLUSIVE;
	if (e != NULL && (e->flags & IMAP_CMDF_STEPS))
		flags |= IMAP_CMD_OWN_CONTINUATIONS;
	return flags;
}

/* What the transcript shows for a secret command's first line. */
static char *
secret_display(const struct imap_command *cmd, const char *rest)
{
	const char *mech, *end;

	/* --tags manual took LOGIN or AUTHENTICATE as the tag */
	if (strcmp(cmd->name, "LOGIN") != 0 &&
	    strcmp(cmd->name, "AUTHENTICATE") != 0)
		return xasprintf("%s <redacted>\r\n", cmd->tag);
	if (strcmp(cmd->name, "AUTHENTICATE") != 0)
		return xasprintf("%s %s <redacted>\r\n", cmd->tag, cmd->name);
	/* The mechanism is no secret; an initial response is. */
	mech = rest + strcspn(rest, " ");
	mech += strspn(mech, " ");
	end = mech + strcspn(mech, " ");
	return xasprintf("%s AUTHENTICATE %.*s%s\r\n", cmd->tag,
	    (int)(end - mech), mech, *end != '\0' ? " <redacted>" : "");
}

/* The tag a typed line goes with: one imapwb adds for a line that
 * starts with a command (not with --tags manual), else its first word.
 * Sets *rest_r to what follows the tag, *own_r to the typed tag (the
 * caller frees it) and *added_r; -1 with *error_r for a line refused. */
static int
line_tag(struct console_input *in, const char *line, const char **tag_r,
    const char **rest_r, char **own_r, bool *added_r, const char **error_r)
{
	size_t first = strcspn(line, " ");
	char *own;

	*own_r = NULL;
	*added_r = !in->manual_tags &&
	    console_input_is_command_name(line, first);
	if (*added_r) {
		*tag_r = console_tags_next(in->tags);
		*rest_r = line;
		return 0;
	}
	/* --tags manual sends the line as typed: one space after the tag
	 * is the separator, any more are the server's to judge */
	*rest_r = in->manual_tags ? line + first + (line[first] == ' ')
	    : line + first + strspn(line + first, " ");
	if (**rest_r == '\0' && !in->manual_tags) {
		*error_r = "a tag alone is not a command";
		return -1;
	}
	own = xstrndup(line, first);
	/* RFC 9051 9 excludes "+" from tags: a server that echoes it (Cyrus
	 * does) answers with what reads as a "+" continuation. Other bad
	 * tags ("* NOOP") go out, and the server's untagged BAD ends them. */
	if (strchr(own, '+') != NULL) {
		free(own);
		*error_r = "a tag cannot hold '+' (RFC 9051 9): the reply "
			   "would read as a continuation";
		return -1;
	}
	/* the session matches replies to the tag it keeps */
	if (first > IMAP_COMMAND_TAG_MAX) {
		free(own);
		*error_r = "a tag can have at most 31 characters";
		return -1;
	}
	console_tags_typed(in->tags, own);
	*tag_r = *own_r = own;
	return 0;
}

/* Whether the typed command carries credentials: by its name, or (with
 * --tags manual) by a first word that names LOGIN or AUTHENTICATE and
 * was taken as the tag. */
static bool
line_is_secret(const struct console_input *in,
    const struct imap_command_entry *e, const char *tag)
{
	return (e != NULL && (e->flags & IMAP_CMDF_SECRET)) ||
	    (in->manual_tags && secret_name(tag, strlen(tag)));
}

static int
command_line(struct console_input *in, const char *line, const char **error_r)
{
	static const struct imap_origin typed = { IMAP_ORIGIN_CONSOLE, NULL };
	const struct imap_command_entry *entry;
	const char *tag, *rest;
	char *own_tag, *display = NULL;
	struct imap_command *cmd;
	uint64_t size;
	bool sync = false, literal, added;
	unsigned flags;

	if (line_tag(in, line, &tag, &rest, &own_tag, &added, error_r) != 0)
		return -1;
	cmd = imap_command_from_line(tag, rest);
	free(own_tag);
	if (cmd == NULL) {
		*error_r = "a line break inside a command";
		return -1;
	}
	entry = imap_command_entry_find(cmd->name);
	literal = trailing_literal(rest, strlen(rest), &size, &sync);
	if (in->guard != NULL && console_guard_guards(cmd)) {
		/* Dovecot runs "EXPUNGE x" as EXPUNGE: arguments do not make
		 * it safe, and a literal's bytes cannot be held back. */
		if (literal) {
			imap_command_free(&cmd);
			*error_r = "EXPUNGE and CLOSE take no arguments: "
				   "a literal after them is not sent";
			return -1;
		}
		if (console_guard_hold(in->guard, cmd)) {
			in->secret = in->idle = in->steps = false;
			in->history_ok = true;
			in->current = NULL;
			return 0;
		}
	}
	flags = flags_for(entry) | (literal ? IMAP_CMD_OPEN : 0) |
	    (added ? IMAP_CMD_TAG_ADDED : 0);
	if (literal && sync)
		cmd->chunks[0].wait_continuation = true;
	in->secret = line_is_secret(in, entry, cmd->tag);
	/* the one command whose steps are DONE rather than SASL lines */
	in->idle = strcmp(cmd->name, "IDLE") == 0;
	in->steps = (flags & IMAP_CMD_OWN_CONTINUATIONS) != 0;
	in->history_ok = !in->secret;
	if (in->secret) {
		imap_command_set_secret(cmd);
		display = secret_display(cmd, rest);
	}
	in->current = imap_session_submit_from(in->session, cmd, flags, display,
	    &typed);
	free(display);
	if (literal)
		after_line_part(in, rest, strlen(rest));
	else if (flags & IMAP_CMD_OWN_CONTINUATIONS)
		in->mode = MODE_STEPS;
	else
		in->current = NULL;
	return 0;
}

int
console_input_line(struct console_input *in, const char *line,
    const char **error_r)
{
	in->history_ok = false;
	if (strpbrk(line, "\r\n") != NULL) {
		*error_r = "a line break inside a line";
		return -1;
	}
	switch (in->mode) {
	case MODE_LITERAL:
	case MODE_DISCARD:
		return literal_line(in, line, error_r);
	case MODE_CONTINUATION:
		return continue_line(in, line, strlen(line));
	case MODE_STEPS:
		return step_line(in, line, error_r);
	case MODE_COMMAND:
		break;
	}
	line += strspn(line, " ");
	if (*line == '\0')
		return 0;
	/* Nothing may overtake a held EXPUNGE or CLOSE. */
	if (in->guard != NULL && console_guard_busy(in->guard)) {
		*error_r = console_guard_asking(in->guard)
		    ? "answer the question about the typed command first"
		    : "wait: the typed command is being checked";
		return -1;
	}
	return command_line(in, line, error_r);
}

/* $XDG_STATE_HOME/imapwb/history, made with private permissions. */
char *
console_input_history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir, *path;

	if (state != NULL && state[0] == '/')
		dir = xasprintf("%s/imapwb", state);
	else if (home != NULL)
		dir = xasprintf("%s/.local/state/imapwb", home);
	else
		return NULL;
	path = xasprintf("%s/history", dir);
	/* mkdir -p, with 0700 for what we create */
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(dir, 0700);
		*p = '/';
	}
	(void)mkdir(dir, 0700);
	free(dir);
	return path;
}

int
console_input_abandon(struct console_input *in, const char **error_r)
{
	switch (in->mode) {
	case MODE_COMMAND:
		return 0;
	case MODE_DISCARD:
		in->mode = MODE_COMMAND;
		in->literal_left = 0;
		in->status[0] = '\0';
		return 0;
	case MODE_CONTINUATION:
		return continue_line(in, "", 0);
	case MODE_STEPS:
		return step_line(in, in->idle ? "DONE" : "*", error_r);
	case MODE_LITERAL:
		break;
	}
	*error_r = "a literal was left half sent";
	return -1;
}

