/* fuzz-session: the session fed a whole scripted server stream, with what
 * the client does around it (client.c): every response decoded once
 * (decode-response) and fed to the model, every typed line through
 * console-input, the output written as a transport would take it.
 *
 * The input is a script: a line "C: text" is typed by the user (so the
 * session has real commands in flight, with real tags); "C: !idle" and
 * "C: !done" start and end the automatic IDLE, "C: !eof" drops the
 * connection; everything else is what the server sends, with "@@@"
 * standing for the session's tag prefix (fixed to "fzz" here):
 *
 *	* OK ready
 *	C: LOGIN alice secret
 *	@@@1 OK logged in
 *
 * Checks: the same script delivered whole and byte by byte gives the
 * same events; each command in flight completes exactly once (a tagged
 * reply, or FAILED without one); events name only commands in flight;
 * states change from the one reported last; every response reaches the
 * wire event as its raw bytes; after the end every command has ended and
 * the state is LOGOUT; what the session says it waits for names a command
 * in flight; the model's mailbox rows are found by their names and its
 * message index keeps pace with EXISTS. For a recorded
 * conversation (fuzz_strict), no protocol error and no command fails. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "client-console-input.h"
#include "decode-response.h"
#include "fuzz-check.h"
#include "imap-session.h"
#include "model.h"
#include "text-utf8.h"
#include "util-log.h"
#include "util-mem.h"

#define SESS_LOG_MAX ((size_t)64 << 20)
/* Byte-by-byte delivery is compared on inputs up to this size. */
#define SESS_TRICKLE_MAX 2048
/* The model's message cap: a fuzzed EXISTS must not ask for gigabytes. */
#define SESS_MAX_MESSAGES 100000
/* Commands tracked at once; more are typed than this only by a fuzzer. */
#define SESS_MAX_LIVE 4096
/* The tag placeholder, and the session's prefix it stands for: fixed (and
 * as long, so literal sizes stay right), so every run gives the same
 * tags and the two deliveries' logs compare as they are. */
#define SESS_TAG_MARK "@@@"
#define SESS_TAG_PREFIX "fzz"
#define SESS_TAG_LEN 3

struct sess {
	struct imap_session *s;
	struct console_input *input;
	struct model *model;
	struct response_decoder decoder;
	struct buf log;      /* every event */
	const struct imap_session_command *live[SESS_MAX_LIVE];
	size_t live_count;
	enum imap_session_state state;
	bool failed_command; /* a command ended without a tagged reply */
	bool protocol_error;
	bool over;           /* disconnected: the script ends */
};

/* --- the log ------------------------------------------------------------- */

static void
log_tag(struct sess *t, const struct imap_session_command *cmd)
{
	const char *tag = cmd != NULL ? imap_session_command_get(cmd)->tag
				      : "-";

	buf_append_str(&t->log, tag);
}

/* --- commands in flight ---------------------------------------------- */

static size_t
live_index(const struct sess *t, const struct imap_session_command *cmd)
{
	size_t i;

	for (i = 0; i < t->live_count; i++)
		if (t->live[i] == cmd)
			return i;
	return SIZE_MAX;
}

/* A command the session names in an event: one in flight. Commands are
 * learnt from their first bytes on the wire, or from the session's
 * queue when they have sent none yet. */
static void
note_live(struct sess *t, const struct imap_session_command *cmd)
{
	if (cmd == NULL || live_index(t, cmd) != SIZE_MAX)
		return;
	FUZZ_ASSERT(t->live_count < SESS_MAX_LIVE, "too many commands");
	t->live[t->live_count++] = cmd;
}

/* --- the session's events ------------------------------------------- */

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct sess *t = ctx;

	FUZZ_ASSERT(text != NULL && len > 0, "an empty wire event");
	FUZZ_ASSERT(!out || cmd != NULL, "client bytes of no command");
	if (out)
		note_live(t, cmd);
	else
		FUZZ_ASSERT(cmd == NULL || live_index(t, cmd) != SIZE_MAX,
		    "server bytes for a command not in flight");
	buf_append_str(&t->log, out ? "C[" : "S[");
	log_tag(t, cmd);
	buf_append_str(&t->log, "] ");
	buf_append(&t->log, text, len);
	buf_append_byte(&t->log, '\n');
}

static void
on_response(void *ctx, const struct imap_response *resp,
    const struct imap_session_command *cmd)
{
	struct sess *t = ctx;
	const struct decoded_response *d;

	FUZZ_ASSERT(cmd == NULL || live_index(t, cmd) != SIZE_MAX,
	    "a response for a command not in flight");
	FUZZ_ASSERT(resp->raw != NULL && resp->raw_len > 0,
	    "a response without its bytes");
	d = response_decoder_take(&t->decoder, resp, cmd);
	FUZZ_ASSERT(d != NULL && d->raw == resp, "decoded another "
	    "response");
	model_response(t->model, d);
	buf_printf(&t->log, "response %s for ", decoded_kind_name(d->kind));
	log_tag(t, cmd);
	buf_append_byte(&t->log, '\n');
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double latency_ms)
{
	struct sess *t = ctx;
	size_t i = live_index(t, cmd);

	(void)latency_ms;
	if (i == SIZE_MAX)
		note_live(t, cmd); /* ended before it sent a byte */
	i = live_index(t, cmd);
	FUZZ_ASSERT((tagged == NULL) == (result == IMAP_RESULT_FAILED),
	    "result %d with%s a tagged reply", (int)result,
	    tagged == NULL ? "out" : "");
	model_completed(t->model, cmd, result,
	    response_decoder_last(&t->decoder, tagged));
	console_input_command_done(t->input, cmd);
	if (result == IMAP_RESULT_FAILED)
		t->failed_command = true;
	buf_printf(&t->log, "completed %d ", (int)result);
	log_tag(t, cmd);
	buf_append_byte(&t->log, '\n');
	t->live[i] = t->live[--t->live_count];
}

static void
on_continuation(void *ctx, struct imap_session_command *cmd,
    const struct imap_response *resp)
{
	struct sess *t = ctx;

	(void)resp;
	FUZZ_ASSERT(live_index(t, cmd) != SIZE_MAX,
	    "a continuation for a command not in flight");
	buf_append_str(&t->log, "continuation for ");
	log_tag(t, cmd);
	buf_append_byte(&t->log, '\n');
}

static void
on_state(void *ctx, enum imap_session_state old_state,
    enum imap_session_state new_state)
{
	struct sess *t = ctx;

	FUZZ_ASSERT(old_state == t->state, "state change from %s, but the "
	    "state was %s", imap_session_state_name(old_state),
	    imap_session_state_name(t->state));
	t->state = new_state;
	model_session_changed(t->model);
	buf_printf(&t->log, "state %s\n", imap_session_state_name(new_state));
}

/* --- the model's invariants ------------------------------------------ */

static void
check_mailboxes(struct model_mailboxes *m)
{
	const struct model_mailbox *row, *prev = NULL;
	size_t i, n = model_mailboxes_count(m);

	for (i = 0; i < n; i++, prev = row) {
		row = model_mailboxes_row(m, i);
		FUZZ_ASSERT(row != NULL && model_mailboxes_find(m, row->raw) ==
		    row && model_mailboxes_row_of(m, row->raw) == i,
		    "mailbox row %zu is not found by its name", i);
		/* a name that does not decode is shown raw (and escaped by
		 * display.c); one that does is valid UTF-8 */
		if (row->name_invalid)
			FUZZ_ASSERT(strcmp(row->display, row->raw) == 0,
			    "an invalid name is not shown raw");
		else
			fuzz_check_utf8("a mailbox's display name",
			    row->display, strlen(row->display));
		/* children come right after their parents */
		FUZZ_ASSERT(row->depth <= (prev != NULL ? prev->depth + 1 : 0),
		    "mailbox row %zu at depth %u after depth %u", i,
		    row->depth, prev != NULL ? prev->depth : 0);
	}
}

/* What the session says it waits for (the --timeout's debt) names a
 * command in flight, and the greeting only before it came. */
static void
check_awaits(struct sess *t)
{
	const struct imap_session_command *cmd;
	enum imap_session_wait w = imap_session_awaits(t->s, &cmd);

	FUZZ_ASSERT((w == IMAP_WAIT_GREETING) ==
	    (t->state == IMAP_STATE_GREETING), "waits for the greeting in "
	    "state %s", imap_session_state_name(t->state));
	FUZZ_ASSERT(cmd == NULL || live_index(t, cmd) != SIZE_MAX,
	    "waits for a command not in flight");
	FUZZ_ASSERT((cmd != NULL) == (w == IMAP_WAIT_CONTINUATION ||
	    w == IMAP_WAIT_REPLY), "waits (%d) with%s a command", (int)w,
	    cmd != NULL ? "" : "out");
}

static void
check_model(struct sess *t)
{
	struct model_selected *sel = model_selected(t->model);

	check_awaits(t);

	check_mailboxes(model_mailboxes(t->model));
	if (sel->state == MODEL_SELECTED_NONE)
		return;
	FUZZ_ASSERT(sel->mailbox != NULL, "a selection without a mailbox");
	FUZZ_ASSERT(sel->protocol_errors > 0 ||
	    model_index_count(sel->index) == sel->exists,
	    "EXISTS is %u, the index holds %u messages", sel->exists,
	    model_index_count(sel->index));
}

/* --- feeding the script --------------------------------------------- */

/* The bytes the session wrote went out. */
static void
drain_output(struct sess *t)
{
	const struct buf *out = imap_session_output(t->s);

	if (out->len > 0)
		imap_session_output_written(t->s, out->len);
}

static void
disconnect(struct sess *t, const char *why)
{
	if (t->over)
		return;
	t->over = true;
	imap_session_disconnected(t->s, why);
	model_disconnected(t->model);
	buf_printf(&t->log, "disconnected: %s\n", why);
}

/* Feed bytes in pieces of `step` (0: all at once); act on what the
 * session asks, as client.c does. */
static void
feed(struct sess *t, const unsigned char *data, size_t len, size_t step)
{
	size_t off = 0, used, n;
	const char *err = NULL;

	while (off < len && !t->over) {
		n = step == 0 || len - off < step ? len - off : step;
		switch (imap_session_input(t->s, data + off, n, &used, &err)) {
		case IMAP_INPUT_OK:
			FUZZ_ASSERT(used == n, "the session left %zu of %zu "
			    "bytes", n - used, n);
			off += used;
			break;
		case IMAP_INPUT_STARTTLS:
			/* whatever follows was sent in clear: dropped */
			buf_printf(&t->log, "starttls, %zu bytes dropped\n",
			    len - off - used);
			return;
		case IMAP_INPUT_COMPRESS:
			/* a transport would inflate from here on */
			buf_append_str(&t->log, "compress\n");
			FUZZ_ASSERT(used <= n, "used more than given");
			off += used;
			break;
		case IMAP_INPUT_ERROR:
			FUZZ_ASSERT(err != NULL, "an error without a reason");
			t->protocol_error = true;
			buf_printf(&t->log, "protocol error: %s\n", err);
			disconnect(t, "protocol error");
			return;
		}
		drain_output(t);
	}
}

/* Server bytes with the tag mark replaced by the session's prefix. */
static void
server_bytes(struct sess *t, const unsigned char *data, size_t len,
    size_t step)
{
	unsigned char *copy = xmalloc(len + 1);
	const char *prefix = imap_session_tag_prefix(t->s);
	size_t i;

	memcpy(copy, data, len);
	for (i = 0; i + SESS_TAG_LEN <= len; i++)
		if (memcmp(copy + i, SESS_TAG_MARK, SESS_TAG_LEN) == 0)
			memcpy(copy + i, prefix, SESS_TAG_LEN);
	feed(t, copy, len, step);
	free(copy);
}

static void
typed_line(struct sess *t, const char *line)
{
	const char *err = NULL;

	if (strcmp(line, "!idle") == 0) {
		if (imap_session_auto_idle(t->s, &err) == NULL)
			buf_printf(&t->log, "no idle: %s\n", err);
	} else if (strcmp(line, "!done") == 0)
		imap_session_auto_idle_end(t->s);
	else if (strcmp(line, "!eof") == 0)
		disconnect(t, "the server closed the connection");
	else if (console_input_line(t->input, line, &err) != 0)
		buf_printf(&t->log, "typed line refused: %s\n", err);
	drain_output(t);
}

/* The end of the typed line at data[off], and where the next part starts. */
static size_t
line_end(const uint8_t *data, size_t size, size_t off, size_t *next_r)
{
	const uint8_t *lf = memchr(data + off, '\n', size - off);
	size_t end = lf != NULL ? (size_t)(lf - data) : size;

	*next_r = lf != NULL ? end + 1 : size;
	if (end > off && data[end - 1] == '\r')
		end--;
	return end;
}

/* Where the server's part starting at off ends: at the next line that
 * is typed. */
static size_t
server_end(const uint8_t *data, size_t size, size_t off)
{
	size_t i;

	for (i = off; i + 3 < size; i++)
		if (data[i] == '\n' && memcmp(data + i + 1, "C: ", 3) == 0)
			return i + 1;
	return size;
}

static bool
typed_at(const uint8_t *data, size_t size, size_t off)
{
	return size - off >= 3 && memcmp(data + off, "C: ", 3) == 0;
}

static void
run_script(struct sess *t, const uint8_t *data, size_t size, size_t step)
{
	size_t off = 0, end, next;
	char *line;

	while (off < size && !t->over) {
		if (typed_at(data, size, off)) {
			end = line_end(data, size, off + 3, &next);
			/* a NUL ends a typed line, as it would a C string */
			line = xstrndup((const char *)data + off + 3,
			    end - off - 3);
			typed_line(t, line);
			free(line);
			off = next;
		} else {
			end = server_end(data, size, off);
			server_bytes(t, data + off, end - off, step);
			off = end;
		}
		check_model(t);
	}
	disconnect(t, "end of the script");
	check_model(t);
}

static void
sess_init(struct sess *t)
{
	struct imap_session_listener l = {
		.wire = on_wire,
		.response = on_response,
		.completed = on_completed,
		.continuation = on_continuation,
		.state_changed = on_state,
		.ctx = t,
	};

	memset(t, 0, sizeof(*t));
	buf_init(&t->log, SESS_LOG_MAX);
	t->s = imap_session_new(&l);
	imap_session_set_tag_prefix(t->s, SESS_TAG_PREFIX);
	t->input = console_input_new(t->s);
	t->model = model_new(SESS_MAX_MESSAGES);
	response_decoder_init(&t->decoder);
	t->state = imap_session_state(t->s);
}

static void
sess_free(struct sess *t)
{
	response_decoder_free(&t->decoder);
	model_free(&t->model);
	console_input_free(&t->input);
	imap_session_free(&t->s);
	buf_free(&t->log);
}

/* One run of the script; its log goes to log_r (the caller frees it). */
static void
run_once(const uint8_t *data, size_t size, size_t step, struct buf *log_r)
{
	struct sess t;

	sess_init(&t);
	run_script(&t, data, size, step);
	FUZZ_ASSERT(imap_session_in_flight(t.s) == 0 && t.live_count == 0,
	    "%zu commands still in flight after the end",
	    imap_session_in_flight(t.s));
	FUZZ_ASSERT(t.state == IMAP_STATE_LOGOUT, "state %s after the end",
	    imap_session_state_name(t.state));
	if (fuzz_strict)
		FUZZ_ASSERT(!t.protocol_error && !t.failed_command,
		    "a real server's conversation failed:\n%s",
		    buf_str(&t.log));
	*log_r = t.log;
	buf_init(&t.log, SESS_LOG_MAX);
	sess_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf whole, trickled;

	log_set_level(LOG_LEVEL_ERROR);
	run_once(data, size, 0, &whole);
	if (size <= SESS_TRICKLE_MAX) {
		run_once(data, size, 1, &trickled);
		FUZZ_ASSERT(fuzz_mem_equal(whole.data, whole.len,
		    trickled.data, trickled.len),
		    "byte-by-byte delivery gives other events:\n%s\n"
		    "--- whole:\n%s", buf_str(&trickled), buf_str(&whole));
		buf_free(&trickled);
	}
	buf_free(&whole);
	return 0;
}
