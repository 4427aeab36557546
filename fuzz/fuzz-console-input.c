/* fuzz-console-input: the console's typed-line reader (console-input),
 * over a real session and a polite fake server.
 *
 * Every line of the input is typed (a NUL ends it, as in a C string).
 * The fake server reads what the client writes as a server would, literals
 * and all: it answers "+" to each synchronising literal, to IDLE and to
 * AUTHENTICATE, and a tagged OK (NO for STARTTLS and COMPRESS, BAD for a
 * cancelled AUTHENTICATE) to each command once its line is complete, or
 * an untagged BAD to a tag it cannot read.
 *
 * The oracle is a small model of the rules client-console-input.h
 * states, kept apart from the code: a line whose first word is a command
 * gets the next added tag (a001, a002..., never one typed), others keep
 * theirs (up to 31 characters, no "+"); a literal "{n}" takes the next n
 * typed bytes, line ends counted as CRLF,
 * and what follows it continues the command's line; IDLE takes DONE
 * only, AUTHENTICATE one response line. Checks:
 * every line is refused exactly when the model refuses it, and then
 * sends nothing; the bytes the session writes are exactly those the
 * model expects (so a literal's bytes never become a command); the fake
 * server, reading them, finds every command the model typed; a secret
 * command shows only redacted text on the wire and is never offered to
 * the history; after the end, everything typed has gone out. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client-console-input.h"
#include "fuzz-check.h"
#include "imap-command-table.h"
#include "imap-session.h"
#include "util-log.h"
#include "util-mem.h"

#define CI_BUF_MAX ((size_t)64 << 20)
/* The session's tag prefix: fixed, so every run gives the same tags. */
#define CI_TAG_PREFIX "fzz"
/* Rounds of server replies after one typed line, at most. */
#define CI_MAX_ROUNDS 64

static const char ci_greeting[] = "* OK [CAPABILITY IMAP4rev1 IDLE "
    "LITERAL+ AUTH=PLAIN] fake server ready\r\n";

/* A literal announced at the end of text: "{n}" or "{n+}" (RFC 9051 9,
 * RFC 7888), n a number that fits in 64 bits. */
static bool
ends_in_literal(const char *text, size_t len, uint64_t *size_r,
    bool *sync_r)
{
	size_t end, start, i;
	uint64_t n = 0;

	if (len < 3 || text[len - 1] != '}')
		return false;
	end = len - 1;
	*sync_r = text[end - 1] != '+';
	if (!*sync_r)
		end--;
	for (start = end; start > 0 && isdigit((unsigned char)text[start - 1]);
	     start--)
		;
	if (start == end || start == 0 || text[start - 1] != '{')
		return false;
	for (i = start; i < end; i++) {
		if (n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(text[i] - '0');
	}
	*size_r = n;
	return true;
}

/* RFC 9051 9: tag = 1*<any ASTRING-CHAR except "+">. */
static bool
tag_readable(const char *tag, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)tag[i] <= 0x20 ||
		    (unsigned char)tag[i] >= 0x7f ||
		    strchr("(){%*\"\\+", tag[i]) != NULL)
			return false;
	return true;
}

/* --- the fake server ---------------------------------------------------- */

enum srv_wait {
	SRV_COMMAND, /* the next complete line is a command */
	SRV_DONE,    /* an IDLE runs: the next line should be DONE */
	SRV_AUTH,    /* an AUTHENTICATE waits for its response line */
};

struct srv {
	struct buf in;        /* client bytes not read yet */
	struct buf first;     /* the first line of the command being read */
	bool in_command;      /* a line of it has been read already */
	uint64_t literal_left;
	enum srv_wait wait;
	char waiting_tag[64];
	struct buf replies;   /* what to send next */
	struct buf commands;  /* every command's first line, LF-separated */
};

static void
srv_reply_tagged(struct srv *v, const char *tag, size_t tag_len,
    const char *status)
{
	if (tag_readable(tag, tag_len))
		buf_printf(&v->replies, "%.*s %s\r\n", (int)tag_len, tag,
		    status);
	else
		buf_append_str(&v->replies, "* BAD [CLIENTBUG] no tag\r\n");
}

/* A command whose line is complete: first is its first line. */
static void
srv_command(struct srv *v, const char *first)
{
	size_t tag_len = strcspn(first, " ");
	const char *name = first + tag_len + strspn(first + tag_len, " ");
	size_t name_len = strcspn(name, " {");

	buf_printf(&v->commands, "%s\n", first);
	if (!tag_readable(first, tag_len)) {
		srv_reply_tagged(v, first, tag_len, "");
		return;
	}
	if (name_len == 4 && strncasecmp(name, "IDLE", 4) == 0) {
		v->wait = SRV_DONE;
		buf_append_str(&v->replies, "+ idling\r\n");
	} else if (name_len == 12 && strncasecmp(name, "AUTHENTICATE",
	    12) == 0) {
		v->wait = SRV_AUTH;
		buf_append_str(&v->replies, "+ \r\n");
	} else if ((name_len == 8 && strncasecmp(name, "STARTTLS", 8) == 0) ||
	    (name_len == 8 && strncasecmp(name, "COMPRESS", 8) == 0)) {
		srv_reply_tagged(v, first, tag_len, "NO not here");
		return;
	} else {
		srv_reply_tagged(v, first, tag_len, "OK done");
		return;
	}
	snprintf(v->waiting_tag, sizeof(v->waiting_tag), "%.*s",
	    (int)tag_len, first);
}

/* A line after IDLE's or AUTHENTICATE's "+". */
static void
srv_step(struct srv *v, const char *line)
{
	const char *tag = v->waiting_tag;

	if (v->wait == SRV_DONE)
		srv_reply_tagged(v, tag, strlen(tag), strcasecmp(line,
		    "DONE") == 0 ? "OK idle done" : "BAD expected DONE");
	else
		srv_reply_tagged(v, tag, strlen(tag), strcmp(line, "*") == 0 ?
		    "BAD cancelled" : "OK authenticated");
	v->wait = SRV_COMMAND;
}

/* One line of the client's (without CRLF). */
static void
srv_line(struct srv *v, const char *line, size_t len)
{
	uint64_t size;
	bool sync;

	if (!v->in_command && v->wait != SRV_COMMAND) {
		char *copy = xstrndup(line, len);

		srv_step(v, copy);
		free(copy);
		return;
	}
	if (!v->in_command) {
		buf_reset(&v->first);
		buf_append(&v->first, line, len);
	}
	if (ends_in_literal(line, len, &size, &sync)) {
		v->in_command = true;
		v->literal_left = size;
		if (sync)
			buf_append_str(&v->replies, "+ go ahead\r\n");
		return;
	}
	v->in_command = false;
	srv_command(v, buf_str(&v->first));
}

/* Read what the client wrote: lines, and literals by their size. */
static void
srv_read(struct srv *v, const char *data, size_t len)
{
	const char *crlf;
	size_t n, used;

	buf_append(&v->in, data, len);
	for (;;) {
		if (v->literal_left > 0) {
			n = v->literal_left < v->in.len ? (size_t)v->literal_left
							: v->in.len;
			if (n == 0)
				return;
			v->literal_left -= n;
			buf_consume(&v->in, n);
			continue;
		}
		crlf = v->in.len >= 2 ? memmem(v->in.data, v->in.len, "\r\n", 2)
				      : NULL;
		if (crlf == NULL)
			return;
		used = (size_t)(crlf - v->in.data);
		srv_line(v, v->in.data, used);
		buf_consume(&v->in, used + 2);
	}
}

/* --- the model of client-console-input.h ---------------------------- */

enum ref_mode {
	REF_COMMAND,
	REF_LITERAL,
	REF_CONTINUATION,
	REF_IDLE,
	REF_AUTH,
};

struct ref {
	enum ref_mode mode;
	uint64_t literal_left;
	bool steps, idle, secret; /* of the command being typed */
	bool tag_ok;              /* its tag is one the server reads */
	unsigned tags;            /* the last added tag's number */
	struct buf typed_tags;    /* "\ntag\n" for each tag typed */
	struct buf expected;      /* the bytes the client must write */
};

/* client-console-tags.h: "a001", "a002"... skipping any tag typed. */
static char *
ref_added_tag(struct ref *r)
{
	char *tag = NULL, *key;
	bool typed;

	do {
		free(tag);
		tag = xasprintf("a%03u", ++r->tags);
		key = xasprintf("\n%s\n", tag);
		typed = r->typed_tags.len > 0 &&
		    memmem(r->typed_tags.data, r->typed_tags.len, key,
			strlen(key)) != NULL;
		free(key);
	} while (typed);
	return tag;
}

/* After part of a command's line: wait for its literal, or end it. */
static void
ref_after_part(struct ref *r, const char *text, size_t len)
{
	uint64_t size;
	bool sync;

	if (ends_in_literal(text, len, &size, &sync)) {
		r->literal_left = size;
		r->mode = size > 0 ? REF_LITERAL : REF_CONTINUATION;
		return;
	}
	/* a steps command the server cannot tag is ended by its BAD */
	if (r->steps && r->tag_ok)
		r->mode = r->idle ? REF_IDLE : REF_AUTH;
	else
		r->mode = REF_COMMAND;
}

static void
ref_continue(struct ref *r, const char *text, size_t len)
{
	buf_append(&r->expected, text, len);
	buf_append_str(&r->expected, "\r\n");
	ref_after_part(r, text, len);
}

static void
ref_literal(struct ref *r, const char *line)
{
	size_t len = strlen(line) + 2, n;
	char *bytes = xasprintf("%s\r\n", line);

	n = r->literal_left < len ? (size_t)r->literal_left : len;
	buf_append(&r->expected, bytes, n);
	r->literal_left -= n;
	if (r->literal_left == 0) {
		if (n == len)
			r->mode = REF_CONTINUATION;
		else if (n == len - 1)
			ref_continue(r, "", 0);
		else
			ref_continue(r, bytes + n, len - n - 2);
	}
	free(bytes);
}

/* A command line: -1 if it must be refused. */
static int
ref_command(struct ref *r, const char *line)
{
	size_t first = strcspn(line, " ");
	const struct imap_command_entry *e;
	struct imap_command *cmd;
	const char *rest;
	char *tag;

	if (console_input_is_command_name(line, first)) {
		tag = ref_added_tag(r);
		rest = line;
	} else {
		tag = xstrndup(line, first);
		rest = line + first + strspn(line + first, " ");
		if (*rest == '\0' || strchr(tag, '+') != NULL ||
		    first > IMAP_COMMAND_TAG_MAX) {
			free(tag);
			return -1;
		}
		buf_printf(&r->typed_tags, "\n%s\n", tag);
	}
	/* the command table's row, found by the name the builder gives */
	cmd = imap_command_from_line(tag, rest);
	e = imap_command_entry_find(cmd->name);
	r->steps = e != NULL && (e->flags & IMAP_CMDF_STEPS);
	r->secret = e != NULL && (e->flags & IMAP_CMDF_SECRET);
	r->idle = strcmp(cmd->name, "IDLE") == 0;
	r->tag_ok = tag_readable(tag, strlen(tag));
	imap_command_free(&cmd);
	buf_printf(&r->expected, "%s %s\r\n", tag, rest);
	free(tag);
	ref_after_part(r, rest, strlen(rest));
	return 0;
}

/* The model takes a typed line: 0, or -1 if it must be refused. */
static int
ref_line(struct ref *r, const char *line)
{
	if (strpbrk(line, "\r\n") != NULL)
		return -1;
	switch (r->mode) {
	case REF_LITERAL:
		ref_literal(r, line);
		return 0;
	case REF_CONTINUATION:
		ref_continue(r, line, strlen(line));
		return 0;
	case REF_IDLE:
		if (strcasecmp(line, "DONE") != 0)
			return -1;
		buf_printf(&r->expected, "%s\r\n", line);
		r->mode = REF_COMMAND;
		return 0;
	case REF_AUTH:
		/* the server ends AUTHENTICATE after one response */
		buf_printf(&r->expected, "%s\r\n", line);
		r->mode = REF_COMMAND;
		return 0;
	case REF_COMMAND:
		break;
	}
	line += strspn(line, " ");
	if (*line == '\0')
		return 0;
	return ref_command(r, line);
}

/* --- the run ---------------------------------------------------------- */

struct ci {
	struct imap_session *s;
	struct console_input *input;
	struct srv srv;
	struct ref ref;
	struct buf written; /* every byte the client wrote */
};

static size_t
count_spaces(const char *text, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += text[i] == ' ';
	return n;
}

/* A secret command's bytes are shown redacted; only an AUTHENTICATE's
 * first line without an initial response ("tag AUTHENTICATE mech") may
 * show as it is, since the mechanism is no secret. */
static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	const struct imap_command *c;

	(void)ctx;
	if (!out || cmd == NULL)
		return;
	c = imap_session_command_get(cmd);
	if (!c->secret)
		return;
	FUZZ_ASSERT(memmem(text, len, "<redacted", 9) != NULL ||
	    (strcmp(c->name, "AUTHENTICATE") == 0 &&
		count_spaces(text, len) == 2),
	    "a secret command shown unredacted: %.*s", (int)len, text);
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double latency_ms)
{
	struct ci *t = ctx;

	(void)result;
	(void)tagged;
	(void)latency_ms;
	console_input_command_done(t->input, cmd);
}

/* The client writes; the server reads and answers; until quiet. */
static void
exchange(struct ci *t)
{
	const struct buf *out;
	const char *err = NULL;
	size_t rounds, used;

	for (rounds = 0; rounds < CI_MAX_ROUNDS; rounds++) {
		out = imap_session_output(t->s);
		if (out->len == 0 && t->srv.replies.len == 0)
			return;
		buf_append(&t->written, out->data, out->len);
		srv_read(&t->srv, out->data, out->len);
		imap_session_output_written(t->s, out->len);
		if (t->srv.replies.len == 0)
			continue;
		FUZZ_ASSERT(imap_session_input(t->s,
		    (const unsigned char *)t->srv.replies.data,
		    t->srv.replies.len, &used, &err) == IMAP_INPUT_OK,
		    "the session refused the fake server's \"%.200s\": %s",
		    buf_str(&t->srv.replies), err != NULL ? err : "");
		buf_reset(&t->srv.replies);
	}
	fuzz_fail("the client and the fake server never go quiet");
}

static void
type_line(struct ci *t, const char *line)
{
	const char *err = NULL;
	size_t before = t->ref.expected.len;
	int want = ref_line(&t->ref, line);
	int got = console_input_line(t->input, line, &err);

	FUZZ_ASSERT(got == want, "line \"%.200s\": console-input %s it, the "
	    "rules %s it", line, got == 0 ? "takes" : "refuses",
	    want == 0 ? "take" : "refuse");
	FUZZ_ASSERT(got == 0 || err != NULL, "a refusal without a reason");
	if (got == 0 && t->ref.secret && t->ref.expected.len > before)
		FUZZ_ASSERT(!console_input_last_line_for_history(t->input),
		    "a secret line is offered to the history");
	exchange(t);
	FUZZ_ASSERT(t->written.len <= t->ref.expected.len &&
	    fuzz_mem_equal(t->written.data, t->written.len,
		t->ref.expected.data, t->written.len),
	    "after \"%.200s\" the client wrote \"%.300s\", the rules say "
	    "\"%.300s\"", line, buf_str(&t->written),
	    buf_str(&t->ref.expected));
}

static void
ci_init(struct ci *t)
{
	struct imap_session_listener l = {
		.wire = on_wire,
		.completed = on_completed,
		.ctx = t,
	};
	size_t used;
	const char *err;

	memset(t, 0, sizeof(*t));
	t->s = imap_session_new(&l);
	imap_session_set_tag_prefix(t->s, CI_TAG_PREFIX);
	t->input = console_input_new(t->s);
	buf_init(&t->written, CI_BUF_MAX);
	buf_init(&t->ref.expected, CI_BUF_MAX);
	buf_init(&t->ref.typed_tags, CI_BUF_MAX);
	buf_init(&t->srv.in, CI_BUF_MAX);
	buf_init(&t->srv.first, CI_BUF_MAX);
	buf_init(&t->srv.replies, CI_BUF_MAX);
	buf_init(&t->srv.commands, CI_BUF_MAX);
	imap_session_input(t->s, (const unsigned char *)ci_greeting,
	    strlen(ci_greeting), &used, &err);
}

static void
ci_free(struct ci *t)
{
	imap_session_disconnected(t->s, "end of the input");
	FUZZ_ASSERT(imap_session_in_flight(t->s) == 0, "commands left");
	console_input_free(&t->input);
	imap_session_free(&t->s);
	buf_free(&t->written);
	buf_free(&t->ref.expected);
	buf_free(&t->ref.typed_tags);
	buf_free(&t->srv.in);
	buf_free(&t->srv.first);
	buf_free(&t->srv.replies);
	buf_free(&t->srv.commands);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ci t;
	size_t off = 0, end;
	const uint8_t *lf;
	char *line;

	log_set_level(LOG_LEVEL_ERROR);
	ci_init(&t);
	while (off < size) {
		lf = memchr(data + off, '\n', size - off);
		end = lf != NULL ? (size_t)(lf - data) : size;
		/* xstrndup stops at a NUL, as typing a C string would */
		line = xstrndup((const char *)data + off, end - off);
		type_line(&t, line);
		free(line);
		off = lf != NULL ? end + 1 : size;
	}
	FUZZ_ASSERT(t.written.len == t.ref.expected.len,
	    "after the input the client wrote %zu bytes, the rules say %zu",
	    t.written.len, t.ref.expected.len);
	ci_free(&t);
	return 0;
}
