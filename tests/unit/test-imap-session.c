/* Unit tests for imap-session: scripted server bytes in, exact client
 * bytes and events out. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "imap-session.h"
#include "util-buf.h"

/* What the listener saw, as text. */
struct recorder {
	struct buf wire;      /* "C: ..." and "S: ..." */
	struct buf owners;    /* "first word of the response>owner tag;" */
	struct buf completed; /* "TAG NAME RESULT;" */
	struct buf states;    /* "old>new;" */
	struct imap_session *s;
	const char *auth_reply; /* appended on a continuation, if set */
	unsigned continuations; /* continuation events heard */
};

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct recorder *r = ctx;

	(void)cmd;

	buf_append_str(&r->wire, out ? "C: " : "S: ");
	buf_append(&r->wire, text, len);
}

/* Which command each response was routed to, and that the wire event
 * names the same one. */
static void
on_response(void *ctx, const struct imap_response *resp,
    const struct imap_session_command *cmd)
{
	struct recorder *r = ctx;
	size_t word = strcspn(resp->raw + 2, " \r");

	if (resp->kind == IMAP_RESPONSE_UNTAGGED && resp->count > 1 &&
	    resp->args[0].type == IMAP_ARG_NUMBER)
		buf_printf(&r->owners, "%s", resp->args[1].text);
	else if (resp->kind == IMAP_RESPONSE_UNTAGGED)
		buf_printf(&r->owners, "%.*s", (int)word, resp->raw + 2);
	else
		buf_printf(&r->owners, "tagged");
	if (cmd == NULL)
		buf_printf(&r->owners, ">-;");
	else if (imap_session_command_origin(cmd)->name != NULL)
		buf_printf(&r->owners, ">%s;",
		    imap_session_command_origin(cmd)->name);
	else
		buf_printf(&r->owners, ">%s;", imap_origin_kind_name(
		    imap_session_command_origin(cmd)->kind));
}

static const char *const result_names[] = { "OK", "NO", "BAD", "FAILED" };

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double ms)
{
	struct recorder *r = ctx;
	const struct imap_command *c = imap_session_command_get(cmd);

	assert_true(ms >= 0.0);
	buf_printf(&r->completed, "%s %s %s;", c->tag, c->name,
	    result_names[result]);
}

static void
on_state(void *ctx, enum imap_session_state old, enum imap_session_state new)
{
	struct recorder *r = ctx;

	buf_printf(&r->states, "%s>%s;", imap_session_state_name(old),
	    imap_session_state_name(new));
}

static void
on_continuation(void *ctx, struct imap_session_command *cmd,
    const struct imap_response *resp)
{
	struct recorder *r = ctx;

	r->continuations++;
	if (r->auth_reply != NULL)
		assert_int_equal(imap_session_command_append(r->s, cmd,
				     r->auth_reply, strlen(r->auth_reply),
				     true, NULL),
		    0);
}

static struct recorder *
setup(void)
{
	static struct recorder r;
	struct imap_session_listener l = {
		.wire = on_wire,
		.response = on_response,
		.completed = on_completed,
		.state_changed = on_state,
		.continuation = on_continuation,
		.ctx = &r,
	};

	memset(&r, 0, sizeof(r));
	buf_init(&r.wire, 1 << 20);
	buf_init(&r.owners, 1 << 20);
	buf_init(&r.completed, 1 << 20);
	buf_init(&r.states, 1 << 20);
	r.s = imap_session_new(&l);
	return &r;
}

static void
teardown(struct recorder *r)
{
	imap_session_free(&r->s);
	assert_null(r->s);
	buf_free(&r->wire);
	buf_free(&r->owners);
	buf_free(&r->completed);
	buf_free(&r->states);
}

/* Feed server bytes; expect the whole string to be used. */
static enum imap_input_result
feed(struct recorder *r, const char *text, size_t *consumed_r)
{
	const char *err = NULL;
	size_t consumed;
	enum imap_input_result ir;

	ir = imap_session_input(r->s, (const unsigned char *)text,
	    strlen(text), &consumed, &err);
	if (consumed_r != NULL)
		*consumed_r = consumed;
	else
		assert_int_equal(consumed, strlen(text));
	return ir;
}

/* Feed server bytes one at a time: each is used, and nothing but the
 * last may complete a response (no command is sent before it). */
static void
feed_trickled(struct recorder *r, const char *text)
{
	const char *err = NULL;
	size_t i, used, len = strlen(text);

	for (i = 0; i < len; i++) {
		assert_int_equal(imap_session_input(r->s,
				     (const unsigned char *)text + i, 1, &used,
				     &err),
		    IMAP_INPUT_OK);
		assert_int_equal(used, 1);
		if (i + 1 < len)
			assert_int_equal(imap_session_output(r->s)->len, 0);
	}
}

/* Take the client's pending output as a string (and mark it written). */
static char *
take_output(struct recorder *r)
{
	const struct buf *out = imap_session_output(r->s);
	char *s = strndup(buf_str(out), out->len);

	imap_session_output_written(r->s, out->len);
	return s;
}

static void
expect_output(struct recorder *r, const char *want)
{
	char *got = take_output(r);

	assert_string_equal(got, want);
	free(got);
}

static const char *
tag_of(struct imap_session_command *sc)
{
	return imap_session_command_get(sc)->tag;
}

static void
test_greeting_and_capabilities(void **state)
{
	struct recorder *r = setup();

	assert_int_equal(imap_session_state(r->s), IMAP_STATE_GREETING);
	assert_int_equal(feed(r, "* OK [CAPABILITY IMAP4rev1 LITERAL+ "
				 "STARTTLS] ready\r\n", NULL),
	    IMAP_INPUT_OK);
	assert_string_equal(buf_str(&r->states),
	    "greeting>not authenticated;");
	assert_true(imap_session_capabilities_known(r->s));
	assert_true(imap_session_has_capability(r->s, "literal+"));
	assert_true(imap_session_has_capability(r->s, "STARTTLS"));
	assert_false(imap_session_has_capability(r->s, "IDLE"));
	assert_int_equal(imap_session_capability_count(r->s), 3);
	teardown(r);
}

static void
test_tags_are_prefixed_and_counted(void **state)
{
	struct recorder *r = setup();
	char first[32];
	const char *second;
	size_t plen;

	snprintf(first, sizeof(first), "%s", imap_session_next_tag(r->s));
	second = imap_session_next_tag(r->s);
	plen = strlen(first) - 1;
	assert_int_equal(plen, 3);
	assert_memory_equal(first, second, plen);
	assert_string_equal(first + plen, "1");
	assert_string_equal(second + plen, "2");
	teardown(r);
}

static void
test_pipelined_commands_complete_out_of_order(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *a, *b;
	const char *err;
	char want[128], reply[128];

	feed(r, "* OK hi\r\n", NULL);
	a = imap_session_command(r->s, 0, &err, "NOOP");
	b = imap_session_command(r->s, 0, &err, "CAPABILITY");
	snprintf(want, sizeof(want), "%s NOOP\r\n%s CAPABILITY\r\n", tag_of(a),
	    tag_of(b));
	expect_output(r, want);
	assert_int_equal(imap_session_in_flight(r->s), 2);
	snprintf(reply, sizeof(reply),
	    "* CAPABILITY IMAP4rev1 IDLE\r\n%s OK caps\r\n%s NO busy\r\n",
	    tag_of(b), tag_of(a));
	snprintf(want, sizeof(want), "%s CAPABILITY OK;%s NOOP NO;", tag_of(b),
	    tag_of(a));
	feed(r, reply, NULL);
	assert_string_equal(buf_str(&r->completed), want);
	assert_int_equal(imap_session_in_flight(r->s), 0);
	assert_true(imap_session_has_capability(r->s, "IDLE"));
	teardown(r);
}

static void
test_synchronising_literal_waits_for_plus(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *login, *noop;
	const char *err;
	char want[160];

	feed(r, "* OK [CAPABILITY IMAP4rev1] hi\r\n", NULL);
	login = imap_session_command(r->s, 0, &err, "LOGIN %s %s", "alice",
	    "two\r\nlines");
	noop = imap_session_command(r->s, 0, &err, "NOOP");
	/* Only up to the literal; NOOP waits behind it. */
	snprintf(want, sizeof(want), "%s LOGIN alice {10}\r\n", tag_of(login));
	expect_output(r, want);
	feed(r, "+ go ahead\r\n", NULL);
	snprintf(want, sizeof(want), "two\r\nlines\r\n%s NOOP\r\n",
	    tag_of(noop));
	expect_output(r, want);
	teardown(r);
}

static void
test_literal_plus_needs_no_wait(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *c;
	const char *err;
	char want[160];

	feed(r, "* OK [CAPABILITY IMAP4rev1 LITERAL+] hi\r\n", NULL);
	c = imap_session_command(r->s, 0, &err, "CREATE %s", "a\nb");
	snprintf(want, sizeof(want), "%s CREATE {3+}\r\na\nb\r\n", tag_of(c));
	expect_output(r, want);
	teardown(r);
}

static void
test_unrequested_continuation_is_an_error(void **state)
{
	struct recorder *r = setup();
	const char *err = NULL;
	size_t used;

	feed(r, "* OK hi\r\n", NULL);
	assert_int_equal(imap_session_input(r->s,
			     (const unsigned char *)"+ x\r\n", 5, &used, &err),
	    IMAP_INPUT_ERROR);
	assert_string_equal(err,
	    "the server sent a continuation (+) nobody asked for");
	teardown(r);
}

static void
test_secret_command_is_redacted(void **state)
{
	struct recorder *r = setup();
	struct imap_literal_caps caps = { false, false, false };
	struct imap_command *cmd;
	const char *err;
	char display[64];

	feed(r, "* OK hi\r\n", NULL);
	cmd = imap_command_build(imap_session_next_tag(r->s), &caps, &err,
	    "LOGIN %s %s", "alice", "Wonder\nland");
	imap_command_set_secret(cmd);
	snprintf(display, sizeof(display), "%s LOGIN alice <redacted>\r\n",
	    cmd->tag);
	imap_session_submit(r->s, cmd, 0, display);
	feed(r, "+ ok\r\n", NULL);
	assert_null(strstr(buf_str(&r->wire), "Wonder"));
	assert_non_null(strstr(buf_str(&r->wire), "C: <redacted>\r\n"));
	assert_non_null(strstr(buf_str(&r->wire), display));
	/* ... while the bytes for the server carry the password. */
	assert_non_null(strstr(buf_str(imap_session_output(r->s)), "Wonder"));
	teardown(r);
}

static void
test_authenticate_steps_go_to_the_listener(void **state)
{
	struct recorder *r = setup();
	struct imap_literal_caps caps = { false, false, false };
	struct imap_command *cmd;
	const char *err;
	char want[128], display[64];

	feed(r, "* OK hi\r\n", NULL);
	r->auth_reply = "AGFsaWNlAFdvbmRlcg==\r\n";
	cmd = imap_command_build(imap_session_next_tag(r->s), &caps, &err,
	    "AUTHENTICATE PLAIN");
	imap_command_set_secret(cmd);
	snprintf(display, sizeof(display), "%s AUTHENTICATE PLAIN\r\n",
	    cmd->tag);
	imap_session_submit(r->s, cmd,
	    IMAP_CMD_EXCLUSIVE | IMAP_CMD_OWN_CONTINUATIONS, display);
	expect_output(r, display);
	feed(r, "+ \r\n", NULL);
	expect_output(r, r->auth_reply);
	/* Every client line of AUTHENTICATE is a secret. */
	assert_null(strstr(buf_str(&r->wire), "AGFsaWNl"));
	assert_non_null(strstr(buf_str(&r->wire), "C: <redacted>\r\n"));
	snprintf(want, sizeof(want), "%s OK logged in\r\n", cmd->tag);
	feed(r, want, NULL);
	assert_int_equal(imap_session_state(r->s), IMAP_STATE_AUTHENTICATED);
	assert_int_equal(imap_session_in_flight(r->s), 0);
	teardown(r);
}

static void
test_bye_fails_commands_in_flight(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *a, *b;
	const char *err;
	char want[128];

	feed(r, "* OK hi\r\n", NULL);
	a = imap_session_command(r->s, 0, &err, "NOOP");
	b = imap_session_command(r->s, 0, &err, "NOOP");
	/* Commands are freed when they complete: name them first. */
	snprintf(want, sizeof(want), "%s NOOP FAILED;%s NOOP FAILED;",
	    tag_of(a), tag_of(b));
	feed(r, "* BYE going down\r\n", NULL);
	assert_int_equal(imap_session_state(r->s), IMAP_STATE_LOGOUT);
	assert_int_equal(imap_session_in_flight(r->s), 2);
	imap_session_disconnected(r->s, "connection closed by the server");
	assert_string_equal(buf_str(&r->completed), want);
	assert_int_equal(imap_session_in_flight(r->s), 0);
	teardown(r);
}

static void
test_starttls_stops_at_the_ok(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *c;
	const char *err;
	char in[160];
	size_t used, ok_len;

	feed(r, "* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n", NULL);
	c = imap_session_command(r->s, IMAP_CMD_EXCLUSIVE, &err, "STARTTLS");
	ok_len = (size_t)snprintf(in, sizeof(in), "%s OK Begin TLS\r\n",
	    tag_of(c));
	/* Bytes injected after the OK, in the same segment (CVE-2021-22947,
	 * CVE-2020-14954): they must not be used. */
	snprintf(in + ok_len, sizeof(in) - ok_len,
	    "* CAPABILITY IMAP4rev1 EVIL\r\n");
	assert_int_equal(feed(r, in, &used), IMAP_INPUT_STARTTLS);
	assert_int_equal(used, ok_len);
	assert_false(imap_session_capabilities_known(r->s));
	assert_false(imap_session_has_capability(r->s, "STARTTLS"));
	assert_false(imap_session_has_capability(r->s, "EVIL"));
	teardown(r);
}

static void
test_exclusive_command_waits_for_the_queue(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *noop, *idle, *after;
	const char *err;
	char want[128], reply[64];

	feed(r, "* OK hi\r\n", NULL);
	noop = imap_session_command(r->s, 0, &err, "NOOP");
	idle = imap_session_command(r->s, IMAP_CMD_EXCLUSIVE, &err, "IDLE");
	after = imap_session_command(r->s, 0, &err, "NOOP");
	snprintf(want, sizeof(want), "%s NOOP\r\n", tag_of(noop));
	expect_output(r, want);
	snprintf(reply, sizeof(reply), "%s OK done\r\n", tag_of(noop));
	feed(r, reply, NULL);
	snprintf(want, sizeof(want), "%s IDLE\r\n", tag_of(idle));
	expect_output(r, want);
	snprintf(reply, sizeof(reply), "%s OK idle done\r\n", tag_of(idle));
	feed(r, reply, NULL);
	snprintf(want, sizeof(want), "%s NOOP\r\n", tag_of(after));
	expect_output(r, want);
	teardown(r);
}

static void
test_select_tracks_mailbox_and_state(void **state)
{
	struct recorder *r = setup();
	struct imap_command *cmd;
	const char *tag;
	char reply[128];

	feed(r, "* PREAUTH ready\r\n", NULL);
	assert_int_equal(imap_session_state(r->s), IMAP_STATE_AUTHENTICATED);
	/* A typed command with a quoted name is understood too. */
	tag = imap_session_next_tag(r->s);
	cmd = imap_command_from_line(tag, "select \"Entw&APw-rfe\"");
	imap_session_submit(r->s, cmd, 0, NULL);
	snprintf(reply, sizeof(reply), "* 3 EXISTS\r\n%s OK [READ-WRITE] ok\r\n",
	    tag);
	feed(r, reply, NULL);
	assert_int_equal(imap_session_state(r->s), IMAP_STATE_SELECTED);
	assert_string_equal(imap_session_mailbox(r->s), "Entw&APw-rfe");
	assert_false(imap_session_read_only(r->s));

	tag = imap_session_next_tag(r->s);
	imap_session_submit(r->s, imap_command_from_line(tag, "EXAMINE INBOX"),
	    0, NULL);
	snprintf(reply, sizeof(reply), "%s OK [READ-ONLY] ok\r\n", tag);
	feed(r, reply, NULL);
	assert_string_equal(imap_session_mailbox(r->s), "INBOX");
	assert_true(imap_session_read_only(r->s));

	/* RFC 9051 6.3.2: a failed SELECT leaves nothing selected. */
	tag = imap_session_next_tag(r->s);
	imap_session_submit(r->s, imap_command_from_line(tag, "SELECT nope"),
	    0, NULL);
	snprintf(reply, sizeof(reply), "%s NO no such mailbox\r\n", tag);
	feed(r, reply, NULL);
	assert_int_equal(imap_session_state(r->s), IMAP_STATE_AUTHENTICATED);
	assert_null(imap_session_mailbox(r->s));
	assert_string_equal(buf_str(&r->states), "greeting>authenticated;"
	    "authenticated>selected;selected>authenticated;");
	teardown(r);
}

/* Submit a typed line with a fresh tag from the given origin. */
static struct imap_session_command *
typed(struct recorder *r, enum imap_origin_kind kind, const char *name,
    const char *line)
{
	struct imap_origin origin = { kind, name };
	const char *tag = imap_session_next_tag(r->s);

	return imap_session_submit_from(r->s, imap_command_from_line(tag, line),
	    0, NULL, &origin);
}

/* text with {N} replaced by the tag of command N (1-based); static. */
static const char *
apply_tag(const char *fmt, struct imap_session_command *const *cmds)
{
	static char out[1024];
	size_t n = 0;
	const char *p;

	for (p = fmt; *p != '\0' && n + 32 < sizeof(out); p++)
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s",
			    tag_of(cmds[p[1] - '1']));
			p += 2;
		} else
			out[n++] = *p;
	out[n] = '\0';
	return out;
}

/* Feed server text with {N} replaced by the tag of command N (1-based). */
static void
feed_tagged(struct recorder *r, struct imap_session_command *const *cmds,
    const char *fmt, bool trickle)
{
	struct buf b;
	const char *p;
	size_t i, used;
	const char *err;

	buf_init(&b, 1 << 16);
	for (p = fmt; *p != '\0'; p++)
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
			buf_append_str(&b, tag_of(cmds[p[1] - '1']));
			p += 2;
		} else
			buf_append(&b, p, 1);
	if (!trickle)
		assert_int_equal(feed(r, buf_str(&b), NULL), IMAP_INPUT_OK);
	for (i = 0; trickle && i < b.len; i++) {
		assert_int_equal(imap_session_input(r->s,
				     (const unsigned char *)b.data + i, 1, &used,
				     &err),
		    IMAP_INPUT_OK);
		assert_int_equal(used, 1);
	}
	buf_free(&b);
}

/* RFC 9051 7: untagged data names no command; the session gives it to
 * the oldest command in flight that draws such data, never to another
 * command just because it is in flight, and to nobody when the server
 * speaks unasked. Byte by byte it is the same. */
static void
routing(bool trickle)
{
	struct recorder *r = setup();
	struct imap_session_command *c[4];

	feed(r, "* PREAUTH [CAPABILITY IMAP4rev1 ESEARCH] ready\r\n", NULL);
	c[0] = typed(r, IMAP_ORIGIN_VIEW, "messages", "UID FETCH 1 (FLAGS)");
	c[1] = typed(r, IMAP_ORIGIN_JOB, "delete", "UID SEARCH DELETED");
	c[2] = typed(r, IMAP_ORIGIN_CONSOLE, NULL, "SELECT Other");
	c[3] = typed(r, IMAP_ORIGIN_JOB, "largest",
	    "UID SEARCH RETURN (ALL) LARGER 10");
	free(take_output(r));
	buf_reset(&r->owners);
	feed_tagged(r, c,
	    "* 1 FETCH (UID 1 FLAGS ())\r\n"
	    "* SEARCH 4 5\r\n"
	    "* ESEARCH (TAG \"{4}\") UID ALL 7:9\r\n"
	    "* 3 EXISTS\r\n"
	    "* OK [UIDVALIDITY 5] ok\r\n"
	    "{1} OK done\r\n{2} OK done\r\n{3} OK done\r\n{4} OK done\r\n"
	    "* 4 EXISTS\r\n"
	    "* 2 FETCH (FLAGS (\\Seen))\r\n", trickle);
	assert_string_equal(buf_str(&r->owners),
	    "FETCH>messages;SEARCH>delete;ESEARCH>largest;"
	    "EXISTS>console;OK>console;tagged>messages;tagged>delete;"
	    "tagged>console;tagged>largest;EXISTS>-;FETCH>-;");
	teardown(r);
}

static void
test_untagged_data_is_routed_to_its_command(void **state)
{
	routing(false);
}

static void
test_untagged_routing_byte_by_byte(void **state)
{
	routing(true);
}

/* Pipelined FETCHes whose data the server sends before any tagged reply
 * (Dovecot does): each response goes to the command whose set names the
 * message, a UID command's by the UID; one no set names is unasked. */
static void
test_fetch_follows_the_set(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *c[4];

	feed(r, "* PREAUTH ready\r\n", NULL);
	c[0] = typed(r, IMAP_ORIGIN_VIEW, "chunk1", "FETCH 1:2 (FLAGS)");
	c[1] = typed(r, IMAP_ORIGIN_VIEW, "chunk2", "FETCH 3:4 (FLAGS)");
	c[2] = typed(r, IMAP_ORIGIN_JOB, "sizes", "UID FETCH 100:200 (UID)");
	c[3] = typed(r, IMAP_ORIGIN_CONSOLE, "typed", "UID STORE 7 +FLAGS (\\Seen)");
	free(take_output(r));
	buf_reset(&r->owners);
	feed_tagged(r, c,
	    "* 1 FETCH (FLAGS ())\r\n"
	    "* 3 FETCH (FLAGS ())\r\n"
	    "* 2 FETCH (FLAGS ())\r\n"
	    "* 40 FETCH (UID 150)\r\n"
	    "* 9 FETCH (FLAGS (\\Seen) UID 7)\r\n"
	    "* 5 FETCH (UID 300)\r\n"
	    "{1} OK\r\n{2} OK\r\n{3} OK\r\n{4} OK\r\n"
	    "* 2 FETCH (FLAGS (\\Flagged))\r\n", true);
	assert_string_equal(buf_str(&r->owners),
	    "FETCH>chunk1;FETCH>chunk2;FETCH>chunk1;FETCH>sizes;FETCH>typed;"
	    "FETCH>-;tagged>chunk1;tagged>chunk2;tagged>sizes;"
	    "tagged>typed;FETCH>-;");
	teardown(r);
}

/* The ESEARCH with TAG "x" goes to command x even when an older SEARCH
 * is in flight (RFC 4731 3.1). */
static void
test_esearch_follows_its_tag(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *c[2];

	feed(r, "* PREAUTH ready\r\n", NULL);
	c[0] = typed(r, IMAP_ORIGIN_CONSOLE, "first", "UID SEARCH ALL");
	c[1] = typed(r, IMAP_ORIGIN_JOB, "second", "UID SEARCH RETURN (ALL) 1:*");
	free(take_output(r));
	buf_reset(&r->owners);
	feed_tagged(r, c, "* ESEARCH (TAG \"{2}\") UID ALL 1:3\r\n"
			  "* SEARCH 1 2 3\r\n", false);
	assert_string_equal(buf_str(&r->owners), "ESEARCH>second;SEARCH>first;");
	buf_reset(&r->owners);
	feed_tagged(r, c, "{2} OK done\r\n* SEARCH 9\r\n{1} OK done\r\n",
	    false);
	assert_string_equal(buf_str(&r->owners),
	    "tagged>second;SEARCH>first;tagged>first;");
	teardown(r);
}

/* A command records who sent it, its table row, and the mailbox it
 * names, parsed once from its own bytes (typed forms too). */
static void
test_command_origin_entry_and_mailbox(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *sc;
	const struct imap_origin *o;

	feed(r, "* PREAUTH ready\r\n", NULL);
	sc = typed(r, IMAP_ORIGIN_VIEW, "Mailboxes", "select \"Entw&APw-rfe\"");
	o = imap_session_command_origin(sc);
	assert_int_equal(o->kind, IMAP_ORIGIN_VIEW);
	assert_string_equal(o->name, "Mailboxes");
	assert_string_equal(imap_session_command_entry(sc)->name, "SELECT");
	assert_true(imap_session_command_entry(sc)->flags & IMAP_CMDF_SELECTS);
	assert_string_equal(imap_session_command_mailbox(sc), "Entw&APw-rfe");

	sc = typed(r, IMAP_ORIGIN_CONSOLE, NULL, "XYZZY INBOX");
	assert_null(imap_session_command_entry(sc));
	assert_null(imap_session_command_mailbox(sc));
	/* plain submission: the client's own */
	sc = imap_session_submit(r->s, imap_command_from_line(
	    imap_session_next_tag(r->s), "NOOP"), 0, NULL);
	assert_int_equal(imap_session_command_origin(sc)->kind,
	    IMAP_ORIGIN_CLIENT);
	assert_null(imap_session_find_in_flight(r->s, IMAP_CMDF_LEAVES));
	assert_non_null(imap_session_find_in_flight(r->s, IMAP_CMDF_SELECTS));
	teardown(r);
}

/* A typed "* NOOP" or "+ NOOP" carries a tag the server cannot read: its
 * untagged BAD ends that command (no tagged reply will ever come), and
 * an untagged BAD with no such command in flight ends nothing. */
static void
test_untagged_bad_ends_an_unreadable_tag(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *c[2];
	char want[1024];

	feed(r, "* PREAUTH ready\r\n", NULL);
	c[0] = imap_session_submit(r->s, imap_command_from_line("*", "NOOP"),
	    0, NULL);
	c[1] = typed(r, IMAP_ORIGIN_CONSOLE, NULL, "NOOP");
	free(take_output(r));
	buf_reset(&r->owners);
	/* (the tags, before the commands end and are freed) */
	snprintf(want, sizeof(want), "%s", apply_tag("* NOOP BAD;{2} NOOP OK;",
	    c));
	feed_tagged(r, c, "* BAD Invalid tag\r\n{2} OK done\r\n"
			  "* BAD Error in IMAP command\r\n", false);
	assert_string_equal(buf_str(&r->completed), want);
	assert_int_equal(imap_session_in_flight(r->s), 0);
	teardown(r);
}

/* Each change of the selected mailbox counts once; other commands and a
 * failed CLOSE do not. */
static void
test_selection_generation_counts_changes(void **state)
{
	static const struct {
		const char *line, *status;
		uint64_t generation;
	} steps[] = {
		{ "NOOP", "OK", 0 },
		{ "SELECT INBOX", "OK", 1 },
		{ "UID FETCH 1 (UID)", "OK", 1 },
		{ "EXAMINE INBOX", "OK", 2 },
		{ "SELECT nope", "NO", 3 },
		{ "CLOSE", "BAD", 3 },
		{ "SELECT Sent", "OK", 4 },
		{ "UNSELECT", "OK", 5 },
		{ "SELECT Sent", "OK", 6 },
		{ "CLOSE", "OK", 7 },
	};
	struct recorder *r = setup();
	const char *tag;
	char reply[128];
	size_t i;

	feed(r, "* PREAUTH ready\r\n", NULL);
	assert_int_equal(imap_session_selection_generation(r->s), 0);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		tag = imap_session_next_tag(r->s);
		imap_session_submit(r->s,
		    imap_command_from_line(tag, steps[i].line), 0, NULL);
		/* in flight: nothing has changed yet */
		assert_int_equal(imap_session_selection_generation(r->s),
		    i == 0 ? 0 : steps[i - 1].generation);
		snprintf(reply, sizeof(reply), "%s %s done\r\n", tag,
		    steps[i].status);
		feed(r, reply, NULL);
		assert_int_equal(imap_session_selection_generation(r->s),
		    steps[i].generation);
	}
	teardown(r);
}

static void
test_login_forgets_capabilities_unless_told(void **state)
{
	struct recorder *r = setup();
	struct imap_session_command *c;
	const char *err;
	char reply[128];

	feed(r, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n", NULL);
	c = imap_session_command(r->s, 0, &err, "LOGIN a b");
	snprintf(reply, sizeof(reply), "%s OK done\r\n", tag_of(c));
	feed(r, reply, NULL);
	assert_int_equal(imap_session_state(r->s), IMAP_STATE_AUTHENTICATED);
	assert_false(imap_session_capabilities_known(r->s));
	teardown(r);

	r = setup();
	feed(r, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n", NULL);
	c = imap_session_command(r->s, 0, &err, "LOGIN a b");
	snprintf(reply, sizeof(reply),
	    "%s OK [CAPABILITY IMAP4rev1 MOVE] done\r\n", tag_of(c));
	feed(r, reply, NULL);
	assert_true(imap_session_has_capability(r->s, "MOVE"));
	assert_false(imap_session_has_capability(r->s, "AUTH=PLAIN"));
	teardown(r);
}

/* A session at "selected" with IDLE offered, nothing in flight. */
static struct recorder *
setup_selected(void)
{
	struct recorder *r = setup();
	struct imap_session_command *c;
	const char *err;
	char reply[128];

	feed(r, "* PREAUTH [CAPABILITY IMAP4rev1 IDLE] hi\r\n", NULL);
	c = imap_session_command(r->s, 0, &err, "SELECT INBOX");
	snprintf(reply, sizeof(reply),
	    "* 2 EXISTS\r\n%s OK [READ-WRITE] ok\r\n", tag_of(c));
	feed(r, reply, NULL);
	assert_int_equal(imap_session_state(r->s), IMAP_STATE_SELECTED);
	free(take_output(r));
	buf_reset(&r->wire);
	buf_reset(&r->completed);
	return r;
}

/* What the server owes, for --timeout: the greeting, the rest of a
 * response, a "+" and a reply; never an IDLE it granted, a command still
 * being typed or an AUTHENTICATE step that is the client's to send. */
static void
test_awaits_what_the_server_owes(void **state)
{
	struct recorder *r = setup();
	struct imap_literal_caps caps = { false, false, false };
	const struct imap_session_command *owed;
	struct imap_session_command *noop, *idle, *typed;
	struct imap_command *cmd;
	const char *err;
	char reply[128];

	(void)state;
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_GREETING);
	assert_null(owed);
	feed(r, "* PREAUTH [CAPABILITY IMAP4rev1 IDLE] hi\r\n", NULL);
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_NONE);

	noop = imap_session_command(r->s, 0, &err, "NOOP");
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_REPLY);
	assert_ptr_equal(owed, noop);
	feed(r, "* OK half a li", NULL);
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_RESPONSE);
	assert_null(owed);
	feed(r, "ne\r\n", NULL);
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_REPLY);
	snprintf(reply, sizeof(reply), "%s OK done\r\n", tag_of(noop));
	feed(r, reply, NULL);
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_NONE);

	/* an AUTHENTICATE step after its "+" is ours to send */
	cmd = imap_command_build(imap_session_next_tag(r->s), &caps, &err,
	    "AUTHENTICATE PLAIN");
	imap_session_submit(r->s, cmd,
	    IMAP_CMD_EXCLUSIVE | IMAP_CMD_OWN_CONTINUATIONS, NULL);
	assert_int_equal(imap_session_awaits(r->s, &owed),
	    IMAP_WAIT_CONTINUATION);
	feed(r, "+ \r\n", NULL);
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_NONE);
	teardown(r);

	/* an IDLE the server granted owes nothing until DONE */
	r = setup_selected();
	idle = imap_session_auto_idle(r->s, &err);
	assert_int_equal(imap_session_awaits(r->s, &owed),
	    IMAP_WAIT_CONTINUATION);
	assert_ptr_equal(owed, idle);
	feed(r, "+ idling\r\n", NULL);
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_NONE);
	imap_session_auto_idle_end(r->s);
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_REPLY);
	assert_ptr_equal(owed, idle);
	snprintf(reply, sizeof(reply), "%s OK idled\r\n", tag_of(idle));
	feed(r, reply, NULL);

	/* a typed command whose literal is still being typed */
	cmd = imap_command_build(imap_session_next_tag(r->s), &caps, &err,
	    "NOOP");
	typed = imap_session_submit(r->s, cmd, IMAP_CMD_OPEN, NULL);
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_NONE);
	imap_session_command_close(r->s, typed);
	assert_int_equal(imap_session_awaits(r->s, &owed), IMAP_WAIT_REPLY);
	assert_ptr_equal(owed, typed);
	teardown(r);
}

/* RFC 9051 6.3.13: a command submitted while the automatic IDLE runs
 * sends DONE (once "+" has come) and goes only after IDLE's tagged OK;
 * nothing at all goes before. Server bytes are trickled. */
static void
test_auto_idle_ends_before_a_command(void **state)
{
	struct recorder *r = setup_selected();
	struct imap_session_command *idle, *noop;
	const char *err = NULL;
	char want[128], idle_tag[32], wire[256];

	idle = imap_session_auto_idle(r->s, &err);
	assert_non_null(idle);
	assert_ptr_equal(imap_session_auto_idle_command(r->s), idle);
	snprintf(idle_tag, sizeof(idle_tag), "%s", tag_of(idle));
	snprintf(want, sizeof(want), "%s IDLE\r\n", idle_tag);
	expect_output(r, want);
	/* a view's command, before the server's "+": nothing goes yet */
	noop = imap_session_command(r->s, 0, &err, "NOOP");
	assert_non_null(noop);
	assert_int_equal(imap_session_output(r->s)->len, 0);
	assert_int_equal(imap_session_in_flight(r->s), 2);
	feed_trickled(r, "+ idling\r\n");
	expect_output(r, "DONE\r\n");
	/* the automatic IDLE's "+" is the session's own */
	assert_int_equal(r->continuations, 0);
	/* news while it ends, then its tagged OK: only now the NOOP */
	feed_trickled(r, "* 3 EXISTS\r\n");
	assert_int_equal(imap_session_output(r->s)->len, 0);
	snprintf(want, sizeof(want), "%s OK Idle completed\r\n", idle_tag);
	feed_trickled(r, want);
	snprintf(want, sizeof(want), "%s NOOP\r\n", tag_of(noop));
	expect_output(r, want);
	assert_null(imap_session_auto_idle_command(r->s));
	snprintf(want, sizeof(want), "%s IDLE OK;", idle_tag);
	assert_string_equal(buf_str(&r->completed), want);
	snprintf(wire, sizeof(wire),
	    "C: %s IDLE\r\nS: + idling\r\nC: DONE\r\nS: * 3 EXISTS\r\n"
	    "S: %s OK Idle completed\r\nC: %s NOOP\r\n",
	    idle_tag, idle_tag, tag_of(noop));
	assert_string_equal(buf_str(&r->wire), wire);
	teardown(r);
}

/* The "+" came long ago: DONE goes at once, once for two commands, and
 * both follow the tagged OK, pipelined. */
static void
test_auto_idle_done_goes_at_once_after_plus(void **state)
{
	struct recorder *r = setup_selected();
	struct imap_session_command *idle, *a, *b;
	const char *err = NULL;
	char want[128], idle_tag[32];

	idle = imap_session_auto_idle(r->s, &err);
	snprintf(idle_tag, sizeof(idle_tag), "%s", tag_of(idle));
	free(take_output(r));
	feed_trickled(r, "+ idling\r\n");
	feed_trickled(r, "* 1 EXPUNGE\r\n");
	assert_int_equal(imap_session_output(r->s)->len, 0);
	a = imap_session_command(r->s, 0, &err, "NOOP");
	b = imap_session_command(r->s, 0, &err, "CHECK");
	expect_output(r, "DONE\r\n");
	snprintf(want, sizeof(want), "%s OK done\r\n", idle_tag);
	feed_trickled(r, want);
	snprintf(want, sizeof(want), "%s NOOP\r\n%s CHECK\r\n", tag_of(a),
	    tag_of(b));
	expect_output(r, want);
	teardown(r);
}

/* A server that refuses IDLE never gets DONE; the command goes after
 * the refusal. */
static void
test_auto_idle_refused(void **state)
{
	struct recorder *r = setup_selected();
	struct imap_session_command *idle, *noop;
	const char *err = NULL;
	char want[128], idle_tag[32];

	idle = imap_session_auto_idle(r->s, &err);
	snprintf(idle_tag, sizeof(idle_tag), "%s", tag_of(idle));
	free(take_output(r));
	noop = imap_session_command(r->s, 0, &err, "NOOP");
	snprintf(want, sizeof(want), "%s NO not now\r\n", idle_tag);
	feed_trickled(r, want);
	snprintf(want, sizeof(want), "%s NOOP\r\n", tag_of(noop));
	expect_output(r, want);
	assert_null(strstr(buf_str(&r->wire), "DONE"));
	snprintf(want, sizeof(want), "%s IDLE NO;", idle_tag);
	assert_string_equal(buf_str(&r->completed), want);
	teardown(r);
}

/* Re-issuing (RFC 2177: at least every 29 minutes) ends it on request;
 * a second request sends nothing more. */
static void
test_auto_idle_end_on_request(void **state)
{
	struct recorder *r = setup_selected();
	struct imap_session_command *idle;
	const char *err = NULL;
	char want[128];

	idle = imap_session_auto_idle(r->s, &err);
	free(take_output(r));
	imap_session_auto_idle_end(r->s);
	assert_int_equal(imap_session_output(r->s)->len, 0);
	feed_trickled(r, "+ idling\r\n");
	expect_output(r, "DONE\r\n");
	imap_session_auto_idle_end(r->s);
	(void)imap_session_command(r->s, 0, &err, "NOOP");
	assert_int_equal(imap_session_output(r->s)->len, 0);
	snprintf(want, sizeof(want), "%s OK done\r\n", tag_of(idle));
	feed(r, want, NULL);
	assert_null(imap_session_auto_idle_command(r->s));
	imap_session_auto_idle_end(r->s); /* none runs: nothing */
	assert_null(strstr(buf_str(imap_session_output(r->s)), "DONE"));
	teardown(r);
}

/* Only with IDLE offered, when authenticated, with nothing in flight. */
static void
test_auto_idle_needs_capability_and_quiet(void **state)
{
	struct recorder *r = setup();
	const char *err = NULL;

	feed(r, "* OK [CAPABILITY IMAP4rev1 IDLE] hi\r\n", NULL);
	assert_null(imap_session_auto_idle(r->s, &err));
	assert_string_equal(err, "IDLE needs an authenticated session");
	teardown(r);

	r = setup();
	feed(r, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n", NULL);
	assert_null(imap_session_auto_idle(r->s, &err));
	assert_string_equal(err, "the server does not offer IDLE");
	teardown(r);

	r = setup_selected();
	(void)imap_session_command(r->s, 0, &err, "NOOP");
	assert_null(imap_session_auto_idle(r->s, &err));
	assert_string_equal(err, "commands are in flight");
	assert_int_equal(imap_session_in_flight(r->s), 1);
	teardown(r);
}

/* A typed IDLE is its typist's: another command does not end it. */
static void
test_typed_idle_is_not_ended(void **state)
{
	struct recorder *r = setup_selected();
	struct imap_session_command *idle;
	const char *err = NULL;

	idle = imap_session_command(r->s,
	    IMAP_CMD_EXCLUSIVE | IMAP_CMD_OWN_CONTINUATIONS, &err, "IDLE");
	assert_null(imap_session_auto_idle_command(r->s));
	free(take_output(r));
	feed_trickled(r, "+ idling\r\n");
	assert_int_equal(r->continuations, 1);
	(void)imap_session_command(r->s, 0, &err, "NOOP");
	assert_int_equal(imap_session_output(r->s)->len, 0);
	assert_true(imap_session_command_waits_for_continuation(idle) ==
	    false);
	teardown(r);
}

/* BYE during the automatic IDLE: the state is logout, no new IDLE
 * starts, and the connection's end fails it like any command. */
static void
test_auto_idle_bye_and_disconnect(void **state)
{
	struct recorder *r = setup_selected();
	struct imap_session_command *idle;
	const char *err = NULL;
	char want[128];

	idle = imap_session_auto_idle(r->s, &err);
	snprintf(want, sizeof(want), "%s IDLE FAILED;", tag_of(idle));
	free(take_output(r));
	feed_trickled(r, "+ idling\r\n");
	feed_trickled(r, "* BYE shutting down\r\n");
	assert_int_equal(imap_session_state(r->s), IMAP_STATE_LOGOUT);
	assert_int_equal(imap_session_output(r->s)->len, 0);
	assert_ptr_equal(imap_session_auto_idle_command(r->s), idle);
	imap_session_disconnected(r->s, "the server closed the connection");
	assert_string_equal(buf_str(&r->completed), want);
	assert_null(imap_session_auto_idle_command(r->s));
	assert_int_equal(imap_session_in_flight(r->s), 0);
	assert_null(imap_session_auto_idle(r->s, &err));
	assert_string_equal(err, "IDLE needs an authenticated session");
	teardown(r);

	/* cut before the "+": no DONE, the IDLE fails */
	r = setup_selected();
	idle = imap_session_auto_idle(r->s, &err);
	snprintf(want, sizeof(want), "%s IDLE FAILED;", tag_of(idle));
	free(take_output(r));
	(void)imap_session_command(r->s, 0, &err, "NOOP");
	imap_session_disconnected(r->s, "connection reset");
	assert_int_equal(imap_session_output(r->s)->len, 0);
	assert_non_null(strstr(buf_str(&r->completed), want));
	assert_null(imap_session_auto_idle_command(r->s));
	teardown(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greeting_and_capabilities),
		cmocka_unit_test(test_tags_are_prefixed_and_counted),
		cmocka_unit_test(test_pipelined_commands_complete_out_of_order),
		cmocka_unit_test(test_synchronising_literal_waits_for_plus),
		cmocka_unit_test(test_literal_plus_needs_no_wait),
		cmocka_unit_test(test_unrequested_continuation_is_an_error),
		cmocka_unit_test(test_secret_command_is_redacted),
		cmocka_unit_test(test_authenticate_steps_go_to_the_listener),
		cmocka_unit_test(test_bye_fails_commands_in_flight),
		cmocka_unit_test(test_starttls_stops_at_the_ok),
		cmocka_unit_test(test_exclusive_command_waits_for_the_queue),
		cmocka_unit_test(test_select_tracks_mailbox_and_state),
		cmocka_unit_test(test_selection_generation_counts_changes),
		cmocka_unit_test(test_login_forgets_capabilities_unless_told),
		cmocka_unit_test(test_untagged_data_is_routed_to_its_command),
		cmocka_unit_test(test_untagged_routing_byte_by_byte),
		cmocka_unit_test(test_esearch_follows_its_tag),
		cmocka_unit_test(test_fetch_follows_the_set),
		cmocka_unit_test(test_untagged_bad_ends_an_unreadable_tag),
		cmocka_unit_test(test_command_origin_entry_and_mailbox),
		cmocka_unit_test(test_awaits_what_the_server_owes),
		cmocka_unit_test(test_auto_idle_ends_before_a_command),
		cmocka_unit_test(test_auto_idle_done_goes_at_once_after_plus),
		cmocka_unit_test(test_auto_idle_refused),
		cmocka_unit_test(test_auto_idle_end_on_request),
		cmocka_unit_test(test_auto_idle_needs_capability_and_quiet),
		cmocka_unit_test(test_typed_idle_is_not_ended),
		cmocka_unit_test(test_auto_idle_bye_and_disconnect),
	};

	return cmocka_run_group_tests_name("imap-session", tests, NULL, NULL);
}
