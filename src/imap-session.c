/* imap-session: the IMAP client state machine, without I/O. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "imap-seqset.h"
#include "imap-session.h"
#include "util-log.h"
#include "util-mem.h"

/* Bytes queued for the server: commands are small, literals may not be. */
#define SESSION_MAX_OUTPUT (256u * 1024 * 1024)
#define MAX_CAPABILITIES 512

static const char *const state_names[] = {
	[IMAP_STATE_GREETING] = "greeting",
	[IMAP_STATE_NOT_AUTHENTICATED] = "not authenticated",
	[IMAP_STATE_AUTHENTICATED] = "authenticated",
	[IMAP_STATE_SELECTED] = "selected",
	[IMAP_STATE_LOGOUT] = "logout",
};

const char *
imap_session_state_name(enum imap_session_state state)
{
	return state_names[state];
}

static const char *const origin_names[] = {
	[IMAP_ORIGIN_CLIENT] = "client",
	[IMAP_ORIGIN_CONSOLE] = "console",
	[IMAP_ORIGIN_VIEW] = "view",
	[IMAP_ORIGIN_JOB] = "job",
	[IMAP_ORIGIN_AUTO] = "auto",
};

const char *
imap_origin_kind_name(enum imap_origin_kind kind)
{
	return origin_names[kind];
}

struct imap_session_command {
	struct imap_command *cmd;
	const struct imap_command_entry *entry; /* NULL: not in the table */
	struct imap_origin origin;
	char *mailbox;       /* IMAP_CMDF_MAILBOX: its first argument */
	bool mailbox_parsed;
	struct seqset set;   /* IMAP_CMDF_SET: its first argument */
	bool has_set;
	unsigned flags;
	char **displays;     /* per chunk: what the transcript shows, or NULL */
	size_t next_chunk;   /* the next chunk to send */
	bool granted;        /* a "+" arrived for the chunk just sent */
	bool waiting;        /* the last chunk sent waits for a "+" */
	bool open;           /* more chunks are coming (IMAP_CMD_OPEN) */
	struct timespec sent_at;
	void *context;
};

struct imap_session {
	struct imap_session_listener l;
	enum imap_session_state state;
	struct imap_parser *parser;
	struct imap_parser *scratch; /* for the arguments of our commands */
	struct buf out;

	struct imap_session_command **queue; /* submission order */
	size_t queue_count;
	size_t queue_alloc;

	char tag_prefix[4];
	unsigned tag_counter;
	char tag[32];

	char *mailbox;
	bool read_only;
	uint64_t selection_generation;
	bool logout_requested; /* a LOGOUT was submitted, by anyone */
	/* the latest [UIDVALIDITY] heard for the selected (or opening)
	 * mailbox, 0 when none; whoever's command it came with */
	uint32_t uidvalidity;
	char *capabilities[MAX_CAPABILITIES];
	size_t capability_count;
	bool capabilities_known;

	/* the automatic IDLE in flight, and whether DONE was appended */
	struct imap_session_command *auto_idle;
	bool auto_idle_ending;
};

/* --- small helpers --------------------------------------------------- */

static double
ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

static void
set_state(struct imap_session *s, enum imap_session_state state)
{
	enum imap_session_state old = s->state;

	if (old == state)
		return;
	s->state = state;
	log_debug("session state: %s -> %s", state_names[old],
	    state_names[state]);
	if (s->l.state_changed != NULL)
		s->l.state_changed(s->l.ctx, old, state);
}

static void
emit_wire(struct imap_session *s, bool out, const char *text, size_t len,
    const struct imap_session_command *sc)
{
	if (s->l.wire != NULL)
		s->l.wire(s->l.ctx, out, text, len, sc);
}

/* --- capabilities ---------------------------------------------------- */

static void
forget_capabilities(struct imap_session *s)
{
	size_t i;

	for (i = 0; i < s->capability_count; i++)
		free(s->capabilities[i]);
	s->capability_count = 0;
	s->capabilities_known = false;
}

static void
add_capability(struct imap_session *s, const char *name, size_t len)
{
	char *cap;
	size_t i;

	if (len == 0 || s->capability_count == MAX_CAPABILITIES)
		return;
	cap = xstrndup(name, len);
	for (i = 0; cap[i] != '\0'; i++)
		if (cap[i] >= 'a' && cap[i] <= 'z')
			cap[i] = (char)(cap[i] - 'a' + 'A');
	s->capabilities[s->capability_count++] = cap;
}

/* From "* CAPABILITY a b" args, or a [CAPABILITY a b] code's text. */
static void
set_capabilities_from_args(struct imap_session *s,
    const struct imap_arg *args, size_t count)
{
	const char *atom;
	size_t i;

	forget_capabilities(s);
	for (i = 0; i < count; i++)
		if (imap_arg_get_atom(&args[i], &atom))
			add_capability(s, atom, strlen(atom));
	s->capabilities_known = true;
}

static void
set_capabilities_from_text(struct imap_session *s, const char *text)
{
	const char *p = text, *end;

	forget_capabilities(s);
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, " ");
		add_capability(s, p, (size_t)(end - p));
		p = end;
	}
	s->capabilities_known = true;
}

bool
imap_session_has_capability(const struct imap_session *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->capability_count; i++)
		if (strcasecmp(s->capabilities[i], name) == 0)
			return true;
	return false;
}

bool
imap_session_capabilities_known(const struct imap_session *s)
{
	return s->capabilities_known;
}

size_t
imap_session_capability_count(const struct imap_session *s)
{
	return s->capability_count;
}

const char *
imap_session_capability(const struct imap_session *s, size_t i)
{
	return i < s->capability_count ? s->capabilities[i] : NULL;
}

void
imap_session_literal_caps(const struct imap_session *s,
    struct imap_literal_caps *caps_r)
{
	caps_r->literal_plus = imap_session_has_capability(s, "LITERAL+");
	caps_r->literal_minus = imap_session_has_capability(s, "LITERAL-");
	caps_r->utf8 = false;
}

/* --- sending --------------------------------------------------------- */

/* Show a chunk in the transcript: its display text if it has one (for
 * secrets), "<redacted>" for any other chunk of a secret command, else
 * its bytes. */
static void
show_chunk(struct imap_session *s, const struct imap_session_command *sc,
    size_t i)
{
	const struct buf *data = &sc->cmd->chunks[i].data;

	if (sc->displays[i] != NULL)
		emit_wire(s, true, sc->displays[i], strlen(sc->displays[i]),
		    sc);
	else if (sc->cmd->secret)
		emit_wire(s, true, "<redacted>\r\n", 12, sc);
	else
		emit_wire(s, true, data->data, data->len, sc);
}

static void
send_chunk(struct imap_session *s, struct imap_session_command *sc)
{
	size_t i = sc->next_chunk++;
	const struct buf *data = &sc->cmd->chunks[i].data;

	if (i == 0)
		clock_gettime(CLOCK_MONOTONIC, &sc->sent_at);
	show_chunk(s, sc, i);
	if (buf_append(&s->out, data->data, data->len) != 0)
		fatal("output queue over %u bytes", SESSION_MAX_OUTPUT);
	sc->waiting = sc->cmd->chunks[i].wait_continuation;
	sc->granted = false;
}

static bool
fully_sent(const struct imap_session_command *sc)
{
	return sc->next_chunk == sc->cmd->chunk_count && !sc->waiting &&
	    !sc->open;
}

/* A chunk may go when it is the first, or the one before it needed no
 * "+", or the "+" for it has come. */
static bool
may_send_next(const struct imap_session_command *sc)
{
	return sc->next_chunk < sc->cmd->chunk_count &&
	    (sc->next_chunk == 0 || !sc->waiting || sc->granted);
}

/* Send what may be sent now. A command that waits for a "+" holds back
 * everything after it, since a "+" names no tag; so does a command still
 * being typed; an exclusive command goes alone. */
static void
pump(struct imap_session *s)
{
	size_t i;

	for (i = 0; i < s->queue_count; i++) {
		struct imap_session_command *sc = s->queue[i];
		bool exclusive = (sc->flags & IMAP_CMD_EXCLUSIVE) != 0;

		if (sc->next_chunk == 0 && exclusive && i > 0)
			return;
		while (may_send_next(sc))
			send_chunk(s, sc);
		if (!fully_sent(sc) || exclusive)
			return;
	}
}

const char *
imap_session_tag_prefix(const struct imap_session *s)
{
	return s->tag_prefix;
}

void
imap_session_set_tag_prefix(struct imap_session *s, const char *prefix)
{
	snprintf(s->tag_prefix, sizeof(s->tag_prefix), "%s", prefix);
}

const char *
imap_session_next_tag(struct imap_session *s)
{
	snprintf(s->tag, sizeof(s->tag), "%s%u", s->tag_prefix,
	    ++s->tag_counter);
	return s->tag;
}

/* The first argument of a command naming a mailbox or a set, parsed
 * once, when the command's bytes are complete. A set the session cannot
 * read ("$", RFC 5182) leaves has_set false. */
static void
parse_arguments(struct imap_session *s, struct imap_session_command *sc)
{
	const struct imap_arg *args;
	const char *text, *err;
	size_t count, len;
	unsigned flags = sc->entry != NULL ? sc->entry->flags : 0;

	if (sc->mailbox_parsed || sc->open ||
	    (flags & (IMAP_CMDF_MAILBOX | IMAP_CMDF_SET)) == 0)
		return;
	sc->mailbox_parsed = true;
	if (imap_command_parse_args(sc->cmd, s->scratch, &args, &count) != 0 ||
	    count < 1)
		return;
	if ((flags & IMAP_CMDF_MAILBOX) &&
	    imap_arg_get_astring(&args[0], &text, &len))
		sc->mailbox = xstrndup(text, len);
	if ((flags & IMAP_CMDF_SET) && imap_arg_get_atom(&args[0], &text))
		sc->has_set = seqset_parse(text, SEQSET_ALLOW_STAR, &sc->set,
		    &err);
}

static void end_auto_idle(struct imap_session *s);

/* Put a command at the end of the queue, without sending anything. */
static struct imap_session_command *
enqueue(struct imap_session *s, struct imap_command *cmd, unsigned flags,
    const char *display, const struct imap_origin *origin)
{
	struct imap_session_command *sc = xcalloc(1, sizeof(*sc));

	sc->cmd = cmd;
	sc->entry = imap_command_entry_find(cmd->name);
	sc->origin = *origin;
	sc->flags = flags;
	sc->open = (flags & IMAP_CMD_OPEN) != 0;
	/* AUTHENTICATE and IDLE expect "+" after their line; an open one's
	 * line ends when it is closed (expect_steps). */
	if ((flags & IMAP_CMD_OWN_CONTINUATIONS) && !sc->open)
		cmd->chunks[cmd->chunk_count - 1].wait_continuation = true;
	sc->displays = xcalloc(cmd->chunk_count, sizeof(*sc->displays));
	if (display != NULL)
		sc->displays[0] = xstrdup(display);
	if (s->queue_count == s->queue_alloc) {
		s->queue_alloc = s->queue_alloc == 0 ? 8 : s->queue_alloc * 2;
		s->queue = xreallocarray(s->queue, s->queue_alloc,
		    sizeof(*s->queue));
	}
	s->queue[s->queue_count++] = sc;
	parse_arguments(s, sc);
	if (sc->entry != NULL && (sc->entry->flags & IMAP_CMDF_LOGOUT))
		s->logout_requested = true;
	return sc;
}

/* AUTHENTICATE and IDLE expect "+" after their whole line; a typed one
 * with a literal in it ends its line only when it is closed, after the
 * chunk that enqueue() marked, so the "+" is awaited from here. */
static void
expect_steps(struct imap_session_command *sc)
{
	if (sc->next_chunk < sc->cmd->chunk_count)
		sc->cmd->chunks[sc->cmd->chunk_count - 1].wait_continuation =
		    true;
	else if (!sc->waiting) {
		sc->waiting = true;
		sc->granted = false;
	}
}

struct imap_session_command *
imap_session_submit(struct imap_session *s, struct imap_command *cmd,
    unsigned flags, const char *display)
{
	static const struct imap_origin client = { IMAP_ORIGIN_CLIENT, NULL };

	return imap_session_submit_from(s, cmd, flags, display, &client);
}

struct imap_session_command *
imap_session_submit_from(struct imap_session *s, struct imap_command *cmd,
    unsigned flags, const char *display, const struct imap_origin *origin)
{
	struct imap_session_command *sc;

	sc = enqueue(s, cmd, flags & ~(unsigned)IMAP_CMD_AUTO_IDLE, display,
	    origin);
	/* Nothing else may go while IDLE runs (RFC 9051 6.3.13). */
	end_auto_idle(s);
	pump(s);
	return sc;
}

struct imap_session_command *
imap_session_command(struct imap_session *s, unsigned flags,
    const char **error_r, const char *fmt, ...)
{
	struct imap_literal_caps caps;
	struct imap_command *cmd;
	va_list ap;

	imap_session_literal_caps(s, &caps);
	va_start(ap, fmt);
	cmd = imap_command_vbuild(imap_session_next_tag(s), &caps, error_r,
	    fmt, ap);
	va_end(ap);
	return cmd == NULL ? NULL : imap_session_submit(s, cmd, flags, NULL);
}

int
imap_session_command_append(struct imap_session *s,
    struct imap_session_command *sc, const void *data, size_t len,
    bool wait_continuation, const char *display)
{
	size_t n = sc->cmd->chunk_count;

	if (imap_command_append_chunk(sc->cmd, data, len,
		wait_continuation) != 0)
		return -1;
	sc->displays = xreallocarray(sc->displays, n + 1,
	    sizeof(*sc->displays));
	sc->displays[n] = display != NULL ? xstrdup(display) : NULL;
	pump(s);
	return 0;
}

void
imap_session_command_close(struct imap_session *s,
    struct imap_session_command *sc)
{
	if (sc->open && (sc->flags & IMAP_CMD_OWN_CONTINUATIONS))
		expect_steps(sc);
	sc->open = false;
	parse_arguments(s, sc);
	pump(s);
}

bool
imap_session_command_waits_for_continuation(
    const struct imap_session_command *sc)
{
	return sc->waiting && !sc->granted;
}

const struct imap_command *
imap_session_command_get(const struct imap_session_command *sc)
{
	return sc->cmd;
}

const struct imap_command_entry *
imap_session_command_entry(const struct imap_session_command *sc)
{
	return sc->entry;
}

const struct imap_origin *
imap_session_command_origin(const struct imap_session_command *sc)
{
	return &sc->origin;
}

bool
imap_session_command_tag_added(const struct imap_session_command *sc)
{
	return (sc->flags & IMAP_CMD_TAG_ADDED) != 0;
}

double
imap_session_command_elapsed_ms(const struct imap_session_command *sc)
{
	return sc->next_chunk > 0 ? ms_since(&sc->sent_at) : 0.0;
}

const char *
imap_session_command_mailbox(const struct imap_session_command *sc)
{
	return sc->mailbox;
}

const struct seqset *
imap_session_command_set(const struct imap_session_command *sc)
{
	return sc->has_set ? &sc->set : NULL;
}

/* The command's table flags (0 for a command the table lacks). */
static unsigned
entry_flags(const struct imap_session_command *sc)
{
	return sc->entry != NULL ? sc->entry->flags : 0;
}

void
imap_session_command_set_context(struct imap_session_command *sc,
    void *context)
{
	sc->context = context;
}

void *
imap_session_command_context(const struct imap_session_command *sc)
{
	return sc->context;
}

size_t
imap_session_in_flight(const struct imap_session *s)
{
	return s->queue_count;
}

enum imap_session_wait
imap_session_awaits(const struct imap_session *s,
    const struct imap_session_command **cmd_r)
{
	size_t i;

	*cmd_r = NULL;
	if (s->state == IMAP_STATE_GREETING)
		return IMAP_WAIT_GREETING;
	if (imap_parser_mid_response(s->parser))
		return IMAP_WAIT_RESPONSE;
	for (i = 0; i < s->queue_count; i++) {
		const struct imap_session_command *sc = s->queue[i];

		if (sc->next_chunk == 0)
			continue; /* not sent yet */
		*cmd_r = sc;
		if (sc->waiting && !sc->granted)
			return IMAP_WAIT_CONTINUATION;
		if (fully_sent(sc))
			return IMAP_WAIT_REPLY;
	}
	*cmd_r = NULL;
	return IMAP_WAIT_NONE;
}

void
imap_session_literal_progress(const struct imap_session *s,
    uint64_t *done_r, uint64_t *size_r)
{
	imap_parser_literal_progress(s->parser, done_r, size_r);
}

const struct imap_session_command *
imap_session_find_in_flight(const struct imap_session *s, unsigned flags)
{
	size_t i;

	for (i = 0; i < s->queue_count; i++)
		if (entry_flags(s->queue[i]) & flags)
			return s->queue[i];
	return NULL;
}

const struct buf *
imap_session_output(const struct imap_session *s)
{
	return &s->out;
}

void
imap_session_output_written(struct imap_session *s, size_t len)
{
	buf_consume(&s->out, len);
}

/* --- completing commands --------------------------------------------- */

static void
command_free(struct imap_session_command **scp)
{
	struct imap_session_command *sc = *scp;

	size_t i;

	for (i = 0; i < sc->cmd->chunk_count; i++)
		free(sc->displays[i]);
	free(sc->displays);
	free(sc->mailbox);
	seqset_free(&sc->set);
	imap_command_free(&sc->cmd);
	free(sc);
	*scp = NULL;
}

static void
dequeue(struct imap_session *s, size_t i)
{
	memmove(&s->queue[i], &s->queue[i + 1],
	    (s->queue_count - i - 1) * sizeof(*s->queue));
	s->queue_count--;
}

static bool
name_is(const struct imap_session_command *sc, const char *name)
{
	return strcmp(sc->cmd->name, name) == 0;
}

/* RFC 9051 6.3.1/6.3.2: a failed SELECT leaves no mailbox selected. Every
 * change counts in the selection generation, so a job can tell that the
 * mailbox it checked is still the one selected. */
static void
track_selection(struct imap_session *s, const struct imap_session_command *sc,
    enum imap_command_result result, const struct imap_response *tagged)
{
	unsigned flags = entry_flags(sc);

	if (flags & IMAP_CMDF_SELECTS) {
		s->selection_generation++;
		free(s->mailbox);
		s->mailbox = NULL;
		if (result == IMAP_RESULT_OK) {
			s->mailbox = sc->mailbox != NULL
			    ? xstrdup(sc->mailbox) : NULL;
			s->read_only = (flags & IMAP_CMDF_READ_ONLY) ||
			    (tagged->code != NULL &&
				strcasecmp(tagged->code, "READ-ONLY") == 0);
			set_state(s, IMAP_STATE_SELECTED);
		} else {
			s->uidvalidity = 0;
			if (s->state == IMAP_STATE_SELECTED)
				set_state(s, IMAP_STATE_AUTHENTICATED);
		}
	} else if ((flags & IMAP_CMDF_LEAVES) && result == IMAP_RESULT_OK) {
		s->selection_generation++;
		s->uidvalidity = 0;
		free(s->mailbox);
		s->mailbox = NULL;
		set_state(s, IMAP_STATE_AUTHENTICATED);
	}
}

/* What a tagged OK of this command changes. */
static void
command_succeeded(struct imap_session *s,
    const struct imap_session_command *sc, const struct imap_response *tagged)
{
	bool has_caps = tagged->code != NULL &&
	    strcasecmp(tagged->code, "CAPABILITY") == 0;

	if (entry_flags(sc) & IMAP_CMDF_LOGIN) {
		/* RFC 9051 6.2: capabilities may change after login. */
		if (!has_caps)
			forget_capabilities(s);
		set_state(s, IMAP_STATE_AUTHENTICATED);
	} else if (entry_flags(sc) & IMAP_CMDF_LOGOUT)
		set_state(s, IMAP_STATE_LOGOUT);
}

static void
complete(struct imap_session *s, size_t i, enum imap_command_result result,
    const struct imap_response *tagged)
{
	struct imap_session_command *sc = s->queue[i];
	double ms = imap_session_command_elapsed_ms(sc);

	dequeue(s, i);
	if (sc == s->auto_idle)
		s->auto_idle = NULL;
	if (tagged != NULL) {
		if (result == IMAP_RESULT_OK)
			command_succeeded(s, sc, tagged);
		track_selection(s, sc, result, tagged);
	}
	if (s->l.completed != NULL)
		s->l.completed(s->l.ctx, sc, result, tagged, ms);
	command_free(&sc);
}

void
imap_session_disconnected(struct imap_session *s, const char *reason)
{
	while (s->queue_count > 0)
		complete(s, 0, IMAP_RESULT_FAILED, NULL);
	log_debug("disconnected: %s", reason);
	set_state(s, IMAP_STATE_LOGOUT);
}

/* --- receiving ------------------------------------------------------- */

static enum imap_command_result
result_of(enum imap_status status)
{
	switch (status) {
	case IMAP_STATUS_OK:
		return IMAP_RESULT_OK;
	case IMAP_STATUS_NO:
		return IMAP_RESULT_NO;
	default:
		return IMAP_RESULT_BAD;
	}
}

static void
handle_greeting(struct imap_session *s, const struct imap_response *r)
{
	if (r->status == IMAP_STATUS_PREAUTH)
		set_state(s, IMAP_STATE_AUTHENTICATED);
	else if (r->status == IMAP_STATUS_BYE)
		set_state(s, IMAP_STATE_LOGOUT);
	else
		set_state(s, IMAP_STATE_NOT_AUTHENTICATED);
}

/* RFC 9051 7.1: [UIDVALIDITY n]; a new one while a mailbox is selected
 * means its UIDs now name other messages, whatever command it came
 * with, so the session keeps it for the jobs' checks. */
static void
note_uidvalidity(struct imap_session *s, const struct imap_response *r)
{
	const char *p = r->code_args;
	uint64_t n = 0;

	if (r->status != IMAP_STATUS_OK || r->code == NULL || p == NULL ||
	    strcasecmp(r->code, "UIDVALIDITY") != 0 || *p == '\0')
		return;
	for (; *p >= '0' && *p <= '9' && n <= UINT32_MAX; p++)
		n = n * 10 + (uint64_t)(*p - '0');
	if (*p == '\0' && n > 0 && n <= UINT32_MAX)
		s->uidvalidity = (uint32_t)n;
}

static void
handle_untagged(struct imap_session *s, const struct imap_response *r)
{
	if (r->status == IMAP_STATUS_BYE) {
		set_state(s, IMAP_STATE_LOGOUT);
		return;
	}
	note_uidvalidity(s, r);
	if (r->count > 0 && r->status == IMAP_STATUS_NONE &&
	    imap_arg_atom_equals(&r->args[0], "CAPABILITY"))
		set_capabilities_from_args(s, r->args + 1, r->count - 1);
}

/* A "+" belongs to the oldest command waiting for one (a "+" names no
 * tag), or to none. */
static struct imap_session_command *
continuation_owner(struct imap_session *s)
{
	size_t i;

	for (i = 0; i < s->queue_count; i++)
		if (s->queue[i]->waiting && !s->queue[i]->granted)
			return s->queue[i];
	return NULL;
}

static int
handle_continuation(struct imap_session *s, const struct imap_response *r,
    const char **error_r)
{
	struct imap_session_command *sc = continuation_owner(s);

	if (sc != NULL) {
		sc->granted = true;
		if ((sc->flags & IMAP_CMD_OWN_CONTINUATIONS) &&
		    sc != s->auto_idle) {
			if (s->l.continuation != NULL)
				s->l.continuation(s->l.ctx, sc, r);
		}
		pump(s);
		return 0;
	}
	*error_r = "the server sent a continuation (+) nobody asked for";
	return -1;
}

/* The command a tagged reply ends: only one already sent, since a server
 * cannot answer a tag it has not seen (a reply naming a queued command's
 * tag would complete a command that never went out). */
static struct imap_session_command *
find_tag(struct imap_session *s, const char *tag, size_t *index_r)
{
	size_t i;

	for (i = 0; i < s->queue_count; i++)
		if (s->queue[i]->next_chunk > 0 &&
		    strcmp(s->queue[i]->cmd->tag, tag) == 0) {
			*index_r = i;
			return s->queue[i];
		}
	return NULL;
}

/* RFC 9051 9: tag = 1*<any ASTRING-CHAR except "+">. A typed line may
 * start with anything ("* NOOP"): the server cannot answer such a tag. */
static bool
tag_is_valid(const char *tag)
{
	const unsigned char *p = (const unsigned char *)tag;

	if (*p == '\0')
		return false;
	for (; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("(){%*\"\\+", *p) != NULL)
			return false;
	return true;
}

/* The command an untagged BAD ends: the oldest sent one whose tag the
 * server could not read (RFC 9051 7.1.3: a BAD it cannot tie to a
 * command is untagged), or a line that is a tag alone (--tags manual's
 * "NOOP": Cyrus answers "* BAD Invalid tag"), else none. */
static struct imap_session_command *
untaggable(struct imap_session *s, size_t *index_r)
{
	size_t i;

	for (i = 0; i < s->queue_count; i++)
		if (s->queue[i]->next_chunk > 0 &&
		    (!tag_is_valid(s->queue[i]->cmd->tag) ||
			s->queue[i]->cmd->name[0] == '\0')) {
			*index_r = i;
			return s->queue[i];
		}
	return NULL;
}

/* RFC 4731 3.1: an ESEARCH names the command it answers with (TAG "x"). */
static struct imap_session_command *
esearch_owner(struct imap_session *s, const struct imap_response *r)
{
	const struct imap_arg *items;
	const char *tag;
	char copy[32];
	size_t n, i, len;

	if (r->count < 2 || !imap_arg_get_list(&r->args[1], &items, &n) ||
	    n != 2 || !imap_arg_atom_equals(&items[0], "TAG") ||
	    !imap_arg_get_string(&items[1], &tag, &len) ||
	    len >= sizeof(copy))
		return NULL;
	memcpy(copy, tag, len);
	copy[len] = '\0';
	return find_tag(s, copy, &i);
}

/* The UID a FETCH response carries (0: none). */
static uint32_t
fetch_uid(const struct imap_response *r)
{
	const struct imap_arg *items;
	uint32_t uid = 0;
	size_t n, i;

	if (r->count < 3 || !imap_arg_get_list(&r->args[2], &items, &n))
		return 0;
	for (i = 0; i + 1 < n; i += 2)
		if (imap_arg_atom_equals(&items[i], "UID") &&
		    imap_arg_get_nz_number32(&items[i + 1], &uid))
			return uid;
	return 0;
}

/* Whether a "* N FETCH" answers sc: its set names the message (by
 * number, or by UID for a UID command, whose responses carry the UID,
 * RFC 9051 6.4.9). A command whose set we could not read may own any. */
static bool
fetch_answers(const struct imap_session_command *sc,
    const struct imap_response *r)
{
	uint32_t n;

	if (!sc->has_set)
		return true;
	if (strncmp(sc->cmd->name, "UID ", 4) == 0)
		n = fetch_uid(r);
	else if (!imap_arg_get_nz_number32(&r->args[0], &n))
		n = 0;
	return n != 0 && seqset_contains(&sc->set, n, UINT32_MAX);
}

/* The command an untagged response answers: RFC 9051 7 names no command,
 * so it is the oldest in flight that draws such data (a FETCH: whose set
 * names the message, since servers interleave pipelined FETCHes' data
 * before their tagged replies); NULL when none does, which is the server
 * speaking unasked. */
static struct imap_session_command *
route_untagged(struct imap_session *s, const struct imap_response *r)
{
	const struct imap_arg *name_arg;
	char name[32];
	const char *atom;
	size_t i;

	if (r->status != IMAP_STATUS_NONE) {
		if (r->status == IMAP_STATUS_BAD)
			return untaggable(s, &i);
		if (r->status != IMAP_STATUS_OK || r->code == NULL)
			return NULL;
		snprintf(name, sizeof(name), "OK");
	} else {
		if (r->count == 0)
			return NULL;
		/* "* 5 FETCH (...)" is named by its second token */
		name_arg = r->args[0].type == IMAP_ARG_NUMBER && r->count > 1
		    ? &r->args[1] : &r->args[0];
		if (!imap_arg_get_atom(name_arg, &atom) ||
		    strlen(atom) >= sizeof(name))
			return NULL;
		for (i = 0; atom[i] != '\0'; i++)
			name[i] = (char)(atom[i] >= 'a' && atom[i] <= 'z'
			    ? atom[i] - 'a' + 'A' : atom[i]);
		name[i] = '\0';
		if (strcmp(name, "ESEARCH") == 0 &&
		    esearch_owner(s, r) != NULL)
			return esearch_owner(s, r);
	}
	for (i = 0; i < s->queue_count; i++)
		if (s->queue[i]->next_chunk > 0 && s->queue[i]->entry != NULL &&
		    imap_command_entry_draws(s->queue[i]->entry, name) &&
		    (strcmp(name, "FETCH") != 0 ||
			fetch_answers(s->queue[i], r)))
			return s->queue[i];
	return NULL;
}

static enum imap_input_result
handle_response(struct imap_session *s, const struct imap_response *r,
    const char **error_r)
{
	struct imap_session_command *sc = NULL, *owner = NULL;
	enum imap_input_result next = IMAP_INPUT_OK;
	size_t i = 0;

	if (r->kind == IMAP_RESPONSE_TAGGED)
		owner = sc = find_tag(s, r->tag, &i);
	else if (r->kind == IMAP_RESPONSE_UNTAGGED &&
	    s->state != IMAP_STATE_GREETING) {
		owner = route_untagged(s, r);
		/* the untagged BAD for a tag the server could not read is
		 * that command's end: no tagged reply will come */
		if (owner != NULL && r->status == IMAP_STATUS_BAD)
			sc = untaggable(s, &i);
	} else if (r->kind == IMAP_RESPONSE_CONTINUATION)
		owner = continuation_owner(s);
	emit_wire(s, false, r->raw, r->raw_len, owner);
	if (r->code != NULL && strcasecmp(r->code, "CAPABILITY") == 0)
		set_capabilities_from_text(s, r->code_args ? r->code_args : "");
	if (s->state == IMAP_STATE_GREETING &&
	    r->kind == IMAP_RESPONSE_UNTAGGED) {
		handle_greeting(s, r);
	} else if (r->kind == IMAP_RESPONSE_UNTAGGED)
		handle_untagged(s, r);
	else if (r->kind == IMAP_RESPONSE_CONTINUATION) {
		/* heard before the bytes the "+" releases go out, so a
		 * listener's words on it come before them */
		if (s->l.response != NULL)
			s->l.response(s->l.ctx, r, owner);
		if (handle_continuation(s, r, error_r) != 0)
			return IMAP_INPUT_ERROR;
		return next;
	} else if (sc == NULL)
		log_warn("a reply for unknown tag '%s'", r->tag);

	if (s->l.response != NULL)
		s->l.response(s->l.ctx, r, owner);
	if (sc != NULL) {
		if (r->status == IMAP_STATUS_OK && name_is(sc, "STARTTLS")) {
			/* RFC 9051 6.2.1: forget everything said in clear. */
			forget_capabilities(s);
			next = IMAP_INPUT_STARTTLS;
		} else if (r->status == IMAP_STATUS_OK &&
		    name_is(sc, "COMPRESS"))
			next = IMAP_INPUT_COMPRESS;
		complete(s, i, result_of(r->status), r);
		pump(s);
	}
	return next;
}

enum imap_input_result
imap_session_input(struct imap_session *s, const unsigned char *data,
    size_t len, size_t *consumed_r, const char **error_r)
{
	size_t used = 0, n;

	*consumed_r = 0;
	while (used < len) {
		const struct imap_response *r;
		enum imap_parse_result pr;
		enum imap_input_result ir;

		pr = imap_parser_parse(s->parser, data + used, len - used, &n,
		    &r, error_r);
		used += n;
		*consumed_r = used;
		if (pr == IMAP_PARSE_ERROR)
			return IMAP_INPUT_ERROR;
		if (pr == IMAP_PARSE_NEED_MORE)
			break;
		ir = handle_response(s, r, error_r);
		if (ir != IMAP_INPUT_OK) {
			if (ir == IMAP_INPUT_STARTTLS)
				imap_parser_reset(s->parser);
			return ir;
		}
	}
	return IMAP_INPUT_OK;
}

/* --- the automatic IDLE ---------------------------------------------- */

struct imap_session_command *
imap_session_auto_idle(struct imap_session *s, const char **error_r)
{
	static const struct imap_origin automatic = { IMAP_ORIGIN_AUTO,
		"idle" };
	struct imap_literal_caps caps;
	struct imap_command *cmd;

	if (s->state != IMAP_STATE_AUTHENTICATED &&
	    s->state != IMAP_STATE_SELECTED) {
		*error_r = "IDLE needs an authenticated session";
		return NULL;
	}
	if (!imap_session_has_capability(s, "IDLE")) {
		*error_r = "the server does not offer IDLE";
		return NULL;
	}
	if (s->queue_count > 0) {
		*error_r = "commands are in flight";
		return NULL;
	}
	imap_session_literal_caps(s, &caps);
	cmd = imap_command_build(imap_session_next_tag(s), &caps, error_r,
	    "IDLE");
	if (cmd == NULL)
		return NULL;
	/* known before its line is shown (imap_session_auto_idle_command) */
	s->auto_idle = enqueue(s, cmd, IMAP_CMD_EXCLUSIVE |
	    IMAP_CMD_OWN_CONTINUATIONS | IMAP_CMD_AUTO_IDLE, NULL, &automatic);
	s->auto_idle_ending = false;
	pump(s);
	return s->auto_idle;
}

/* DONE goes once the "+" has come; a server that refuses IDLE (a tagged
 * NO or BAD instead of "+") never gets it, as the command ends first. */
static void
end_auto_idle(struct imap_session *s)
{
	if (s->auto_idle == NULL || s->auto_idle_ending)
		return;
	s->auto_idle_ending = true;
	if (imap_session_command_append(s, s->auto_idle, "DONE\r\n", 6,
		false, NULL) != 0)
		fatal("cannot append DONE to IDLE");
}

void
imap_session_auto_idle_end(struct imap_session *s)
{
	end_auto_idle(s);
}

const struct imap_session_command *
imap_session_auto_idle_command(const struct imap_session *s)
{
	return s->auto_idle;
}

/* --- life cycle ------------------------------------------------------ */

static void
make_tag_prefix(struct imap_session *s)
{
	unsigned char rnd[3];
	size_t i;

	/* Unguessable, so text a server echoes cannot pose as our tag. */
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		fatal("getrandom failed");
	for (i = 0; i < sizeof(rnd); i++)
		s->tag_prefix[i] = (char)('a' + rnd[i] % 26);
	s->tag_prefix[3] = '\0';
}

struct imap_session *
imap_session_new(const struct imap_session_listener *l)
{
	struct imap_session *s = xcalloc(1, sizeof(*s));

	if (l != NULL)
		s->l = *l;
	s->state = IMAP_STATE_GREETING;
	s->parser = imap_parser_new(NULL);
	s->scratch = imap_parser_new(NULL);
	/* The queue may hold a LOGIN password: zero what is released. */
	buf_init_secret(&s->out, SESSION_MAX_OUTPUT);
	make_tag_prefix(s);
	return s;
}

void
imap_session_free(struct imap_session **sp)
{
	struct imap_session *s = *sp;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->queue_count; i++)
		command_free(&s->queue[i]);
	free(s->queue);
	forget_capabilities(s);
	free(s->mailbox);
	imap_parser_free(&s->parser);
	imap_parser_free(&s->scratch);
	buf_free(&s->out);
	free(s);
	*sp = NULL;
}

enum imap_session_state
imap_session_state(const struct imap_session *s)
{
	return s->state;
}

const char *
imap_session_mailbox(const struct imap_session *s)
{
	return s->mailbox;
}

bool
imap_session_read_only(const struct imap_session *s)
{
	return s->read_only;
}

bool
imap_session_logout_requested(const struct imap_session *s)
{
	return s->logout_requested;
}

uint32_t
imap_session_uidvalidity(const struct imap_session *s)
{
	return s->state == IMAP_STATE_SELECTED ? s->uidvalidity : 0;
}

uint64_t
imap_session_selection_generation(const struct imap_session *s)
{
	return s->selection_generation;
}

void
imap_session_set_literal_sink(struct imap_session *s,
    const struct imap_literal_sink *sink)
{
	imap_parser_set_literal_sink(s->parser, sink);
}

void
imap_session_set_limits(struct imap_session *s,
    const struct imap_parser_limits *limits)
{
	imap_parser_free(&s->parser);
	s->parser = imap_parser_new(limits);
}

enum imap_parser_limit
imap_session_limit_hit(const struct imap_session *s)
{
	return imap_parser_limit_hit(s->parser);
}
