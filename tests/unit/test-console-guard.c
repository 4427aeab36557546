/* Unit tests for console-guard: a typed plain EXPUNGE or CLOSE is held
 * until the server has said which messages are \Deleted, and goes out
 * without a question only when every one of them was marked by this
 * session. A real session, model and console-input are wired as the
 * front ends wire them (the model first, then the guard); server bytes
 * come in the shapes Dovecot 2.3 and Cyrus 3.6 send. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client-console-guard.h"
#include "client-console-input.h"
#include "imap-session.h"
#include "model.h"
#include "util-buf.h"

struct fixture {
	struct imap_session *s;
	struct model *m;
	struct console_input *in;
	struct console_guard *g;
	struct response_decoder decoder; /* as src/client.c has it */
	char tag[32];          /* of the line expected last */
	struct buf questions;  /* each question, then "\n--\n" */
	struct buf notices;    /* "kind:text\n--\n" */
};

static void
on_response(void *ctx, const struct imap_response *resp,
    const struct imap_session_command *cmd)
{
	struct fixture *f = ctx;
	const struct decoded_response *d =
	    response_decoder_take(&f->decoder, resp, cmd);

	model_response(f->m, d);
	if (f->g != NULL)
		console_guard_response(f->g, d);
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double ms)
{
	struct fixture *f = ctx;

	const struct decoded_response *d =
	    response_decoder_last(&f->decoder, tagged);

	(void)ms;
	model_completed(f->m, cmd, result, d);
	console_input_command_done(f->in, cmd);
	if (f->g != NULL)
		console_guard_completed(f->g, cmd, result, d);
}

static void
on_ask(void *ctx, const char *question)
{
	struct fixture *f = ctx;

	buf_printf(&f->questions, "%s\n--\n", question);
}

static void
on_notice(void *ctx, enum console_guard_notice kind, const char *text)
{
	static const char *const kinds[] = { "warned", "refused", "declined" };
	struct fixture *f = ctx;

	buf_printf(&f->notices, "%s:%s\n--\n", kinds[kind], text);
}

static void reply(struct fixture *f, const char *text);

static struct fixture *
start(enum console_guard_policy policy, const char *caps)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct imap_session_listener l = {
		.response = on_response, .completed = on_completed, .ctx = f,
	};
	struct console_guard_callbacks cb = {
		.ask = on_ask, .notice = on_notice, .ctx = f,
	};
	char greeting[512];

	assert_non_null(f);
	buf_init(&f->questions, 1 << 20);
	buf_init(&f->notices, 1 << 20);
	response_decoder_init(&f->decoder);
	f->s = imap_session_new(&l);
	f->m = model_new(0);
	f->in = console_input_new(f->s);
	f->g = console_guard_new(f->s, f->m, policy, &cb);
	console_input_set_guard(f->in, f->g);
	snprintf(greeting, sizeof(greeting),
	    "* PREAUTH [CAPABILITY IMAP4rev1 %s] ready\r\n", caps);
	reply(f, greeting);
	assert_int_equal(imap_session_state(f->s), IMAP_STATE_AUTHENTICATED);
	return f;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f == NULL)
		return 0;
	console_input_set_guard(f->in, NULL);
	console_guard_free(&f->g);
	console_input_free(&f->in);
	imap_session_free(&f->s);
	response_decoder_free(&f->decoder);
	model_free(&f->m);
	buf_free(&f->questions);
	buf_free(&f->notices);
	free(f);
	return 0;
}

static void
type(struct fixture *f, const char *line)
{
	const char *err = NULL;

	if (console_input_line(f->in, line, &err) != 0)
		fail_msg("typing '%s' failed: %s", line, err);
}

/* The next line the client sent must be "<tag> line" (any tag when the
 * line starts without one). */
static void
expect(struct fixture *f, const char *line)
{
	const struct buf *out = imap_session_output(f->s);
	const char *nl, *sp;
	char got[4096];
	size_t len;

	nl = memchr(out->data, '\n', out->len);
	if (nl == NULL)
		fail_msg("nothing sent; expected '%s'", line);
	len = (size_t)(nl - out->data) + 1;
	assert_true(len < sizeof(got));
	memcpy(got, out->data, len - 2);
	got[len - 2] = '\0';
	imap_session_output_written(f->s, len);
	sp = strchr(got, ' ');
	assert_non_null(sp);
	snprintf(f->tag, sizeof(f->tag), "%.*s", (int)(sp - got), got);
	assert_string_equal(sp + 1, line);
}

/* ... with this exact tag. */
static void
expect_tagged(struct fixture *f, const char *tag, const char *line)
{
	expect(f, line);
	assert_string_equal(f->tag, tag);
}

static void
expect_nothing(struct fixture *f)
{
	assert_string_equal(buf_str(imap_session_output(f->s)), "");
}

/* Server bytes, "{tag}" standing for the tag of the line expected last. */
static void
reply(struct fixture *f, const char *text)
{
	struct buf b;
	const char *p = text, *q, *err = NULL;
	size_t used;

	buf_init(&b, 1 << 20);
	while ((q = strstr(p, "{tag}")) != NULL) {
		buf_append(&b, p, (size_t)(q - p));
		buf_append_str(&b, f->tag);
		p = q + 5;
	}
	buf_append_str(&b, p);
	assert_int_equal(imap_session_input(f->s,
			     (const unsigned char *)b.data, b.len, &used, &err),
	    IMAP_INPUT_OK);
	assert_int_equal(used, b.len);
	buf_free(&b);
}

/* SELECT INBOX: 5 messages, UIDs 10..14 known when uids is true. */
static void
select_inbox(struct fixture *f, bool uids)
{
	type(f, "SELECT INBOX");
	expect(f, "SELECT INBOX");
	reply(f, "* 5 EXISTS\r\n* 0 RECENT\r\n"
		 "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
		 "* OK [UIDVALIDITY 7] UIDs valid\r\n"
		 "* OK [UIDNEXT 15] Predicted next UID\r\n"
		 "{tag} OK [READ-WRITE] Select completed\r\n");
	if (!uids)
		return;
	type(f, "FETCH 1:* (UID)");
	expect(f, "FETCH 1:* (UID)");
	reply(f, "* 1 FETCH (UID 10)\r\n* 2 FETCH (UID 11)\r\n"
		 "* 3 FETCH (UID 12)\r\n* 4 FETCH (UID 13)\r\n"
		 "* 5 FETCH (UID 14)\r\n{tag} OK Fetch completed\r\n");
}

/* Type a STORE and end it OK with `untagged` before the tagged reply. */
static void
store(struct fixture *f, const char *line, const char *untagged)
{
	char text[1024];

	type(f, line);
	expect(f, line);
	snprintf(text, sizeof(text), "%s{tag} OK Store completed\r\n",
	    untagged);
	reply(f, text);
}

static void
assert_marks(struct fixture *f, const char *want)
{
	char got[64] = "";
	size_t len = 0;
	uint32_t uid;

	for (uid = 1; uid <= 20; uid++)
		if (console_guard_marked(f->g, uid))
			len += (size_t)snprintf(got + len, sizeof(got) - len,
			    "%s%u", len > 0 ? " " : "", uid);
	assert_string_equal(got, want);
}

/* A front end's automatic IDLE (the TUI idles when nothing is in flight)
 * is ended when a typed EXPUNGE is held: the command that would end it
 * is not submitted, so without this the check would wait forever. */
static void
test_held_command_ends_the_automatic_idle(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS IDLE");
	const char *err = NULL;

	select_inbox(f, true);
	assert_non_null(imap_session_auto_idle(f->s, &err));
	expect(f, "IDLE");
	reply(f, "+ idling\r\n");
	expect_nothing(f);
	type(f, "EXPUNGE");
	assert_true(console_guard_busy(f->g));
	assert_string_equal(buf_str(imap_session_output(f->s)), "DONE\r\n");
	imap_session_output_written(f->s, 6);
	reply(f, "{tag} OK Idle completed\r\n");
	expect(f, "UID SEARCH DELETED");
	reply(f, "* SEARCH 11\r\n{tag} OK done\r\n");
	assert_string_not_equal(buf_str(&f->questions), "");
}

/* --- what counts as this session's marks ----------------------------- */

static void
test_store_forms(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	select_inbox(f, true);
	store(f, "STORE 1:3 +FLAGS (\\Deleted)",
	    "* 1 FETCH (FLAGS (\\Deleted))\r\n* 2 FETCH (FLAGS (\\Deleted))\r\n"
	    "* 3 FETCH (FLAGS (\\Deleted))\r\n");
	assert_marks(f, "10 11 12");
	store(f, "UID STORE 14 +FLAGS.SILENT \\Deleted", "");
	assert_marks(f, "10 11 12 14");
	/* FLAGS replaces: with \Deleted in it, the mark stays */
	store(f, "STORE 2 FLAGS (\\Seen \\Deleted)",
	    "* 2 FETCH (FLAGS (\\Seen \\Deleted))\r\n");
	assert_marks(f, "10 11 12 14");
	/* -FLAGS clears it, and so does FLAGS without \Deleted */
	store(f, "STORE 2 -FLAGS (\\Deleted)",
	    "* 2 FETCH (FLAGS (\\Seen))\r\n");
	assert_marks(f, "10 12 14");
	store(f, "store 3 flags.silent (\\seen)", "");
	assert_marks(f, "10 14");
	/* other flags change nothing */
	store(f, "UID STORE 10:14 +FLAGS (\\Flagged)", "");
	store(f, "UID STORE 10:14 -FLAGS (\\Seen)", "");
	assert_marks(f, "10 14");
	type(f, "a7 UID STORE 14 -FLAGS.SILENT (\\Deleted \\Seen)");
	expect_tagged(f, "a7",
	    "UID STORE 14 -FLAGS.SILENT (\\Deleted \\Seen)");
	reply(f, "a7 OK Store completed\r\n");
	assert_marks(f, "10");
	assert_int_equal(console_guard_pending_numbers(f->g), 0);
}

static void
test_failed_store_marks_nothing(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	select_inbox(f, true);
	type(f, "STORE 1 +FLAGS (\\Deleted)");
	expect(f, "STORE 1 +FLAGS (\\Deleted)");
	reply(f, "{tag} NO Mailbox is read-only\r\n");
	assert_marks(f, "");
}

/* The index knows no UIDs: the STORE's own FETCH replies may say them;
 * otherwise the message numbers are kept, and moved by EXPUNGE. */
static void
test_msn_to_uid(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	select_inbox(f, false);
	store(f, "STORE 1 +FLAGS (\\Deleted)",
	    "* 1 FETCH (FLAGS (\\Deleted) UID 10)\r\n");
	assert_marks(f, "10");
	assert_int_equal(console_guard_pending_numbers(f->g), 0);
	store(f, "STORE 3:4 +FLAGS (\\Deleted)",
	    "* 3 FETCH (FLAGS (\\Deleted))\r\n"
	    "* 4 FETCH (FLAGS (\\Deleted))\r\n");
	assert_marks(f, "10");
	assert_int_equal(console_guard_pending_numbers(f->g), 2);
	/* message 2 goes: 3 and 4 are 2 and 3 now */
	type(f, "NOOP");
	expect(f, "NOOP");
	reply(f, "* 2 EXPUNGE\r\n{tag} OK NOOP completed\r\n");
	type(f, "EXPUNGE");
	expect(f, "UID SEARCH 2:3 DELETED");
	expect_nothing(f); /* exclusive: the next waits */
	reply(f, "* SEARCH 12 13\r\n{tag} OK Search completed\r\n");
	expect(f, "UID SEARCH DELETED");
	reply(f, "* SEARCH 10 12 13\r\n{tag} OK Search completed\r\n");
	expect(f, "EXPUNGE");
	assert_string_equal(buf_str(&f->questions), "");
	assert_false(console_guard_busy(f->g));
}

/* RFC 7162 3.1.3: what [MODIFIED] names was not changed. */
static void
test_modified_is_not_marked(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK,
	    "UIDPLUS CONDSTORE");

	select_inbox(f, true);
	type(f, "UID STORE 10:12 (UNCHANGEDSINCE 5) +FLAGS.SILENT (\\Deleted)");
	expect(f, "UID STORE 10:12 (UNCHANGEDSINCE 5) +FLAGS.SILENT "
		  "(\\Deleted)");
	reply(f, "{tag} OK [MODIFIED 11] Conditional store completed\r\n");
	assert_marks(f, "10 12");
}

/* A UID range is cut at the largest UID there is: "12:*" and
 * "12:99" do not claim messages that arrive later. */
static void
test_uid_range_is_cut_at_the_last_uid(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	select_inbox(f, false);
	store(f, "UID STORE 13:* +FLAGS.SILENT (\\Deleted)", "");
	assert_marks(f, "13 14");
	store(f, "UID STORE 12:99 +FLAGS.SILENT (\\Deleted)", "");
	assert_marks(f, "12 13 14");
	/* clearing needs no cut */
	store(f, "UID STORE 1:99 -FLAGS.SILENT (\\Deleted)", "");
	assert_marks(f, "");
}

static void
test_select_forgets_marks(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	select_inbox(f, true);
	store(f, "UID STORE 11 +FLAGS.SILENT (\\Deleted)", "");
	assert_marks(f, "11");
	select_inbox(f, false);
	assert_marks(f, "");
}

/* --- which commands are held ---------------------------------------- */

static void
test_only_own_deleted_goes_without_question(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	select_inbox(f, true);
	store(f, "UID STORE 12 +FLAGS.SILENT (\\Deleted)", "");
	type(f, "t1 expunge");
	expect(f, "UID SEARCH DELETED");
	expect_nothing(f);
	assert_true(console_guard_busy(f->g));
	reply(f, "* SEARCH 12\r\n{tag} OK Search completed\r\n");
	expect_tagged(f, "t1", "expunge");
	assert_string_equal(buf_str(&f->questions), "");
	assert_string_equal(buf_str(&f->notices), "");
}

static void
test_others_deleted_asks(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK,
	    "UIDPLUS ESEARCH");

	select_inbox(f, true);
	store(f, "UID STORE 12 +FLAGS.SILENT (\\Deleted)", "");
	type(f, "x9 EXPUNGE");
	expect(f, "UID SEARCH RETURN (ALL) DELETED");
	reply(f, "* ESEARCH (TAG \"{tag}\") UID ALL 10,12:13\r\n"
		 "{tag} OK Search completed\r\n");
	assert_true(console_guard_asking(f->g));
	assert_string_equal(buf_str(&f->questions),
	    "EXPUNGE would also remove 2 \\Deleted messages that this "
	    "session did\n"
	    "not mark (another client or an earlier session did): UIDs 10,13\n"
	    "This session marked 1 of the 3: UID 12\n"
	    "Only this session's: UID EXPUNGE 12\n"
	    "Send EXPUNGE anyway?\n--\n");
	/* nothing overtakes it */
	{
		const char *err = NULL;

		assert_int_equal(console_input_line(f->in, "NOOP", &err), -1);
		assert_string_equal(err,
		    "answer the question about the typed command first");
	}
	expect_nothing(f);
	console_guard_answer(f->g, false);
	expect_nothing(f);
	assert_false(console_guard_busy(f->g));
	assert_string_equal(buf_str(&f->notices),
	    "declined:EXPUNGE not sent: every message stays in place.\n--\n");

	/* again, and yes: the command as typed, with its tag */
	type(f, "x10 EXPUNGE");
	expect(f, "UID SEARCH RETURN (ALL) DELETED");
	reply(f, "* ESEARCH (TAG \"{tag}\") UID ALL 10,12:13\r\n"
		 "{tag} OK Search completed\r\n");
	console_guard_answer(f->g, true);
	expect_tagged(f, "x10", "EXPUNGE");
	assert_int_equal(console_guard_refused(f->g), 0);
}

static void
test_close_question_and_no_uidplus(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UNSELECT");

	select_inbox(f, true);
	type(f, "CLOSE");
	expect(f, "UID SEARCH DELETED");
	reply(f, "* SEARCH 11\r\n{tag} OK Search completed\r\n");
	assert_string_equal(buf_str(&f->questions),
	    "CLOSE would also remove 1 \\Deleted message that this session "
	    "did\n"
	    "not mark (another client or an earlier session did): UID 11\n"
	    "This session marked none of the \\Deleted messages.\n"
	    "To leave without expunging: UNSELECT\n"
	    "Send CLOSE anyway?\n--\n");
	console_guard_answer(f->g, false);
	buf_reset(&f->questions);

	store(f, "UID STORE 10 +FLAGS.SILENT (\\Deleted)", "");
	type(f, "CLOSE");
	expect(f, "UID SEARCH DELETED");
	reply(f, "* SEARCH 10 11\r\n{tag} OK Search completed\r\n");
	assert_string_equal(buf_str(&f->questions),
	    "CLOSE would also remove 1 \\Deleted message that this session "
	    "did\n"
	    "not mark (another client or an earlier session did): UID 11\n"
	    "This session marked 1 of the 2: UID 10\n"
	    "The server has no UIDPLUS: no command removes only this "
	    "session's.\n"
	    "Send CLOSE anyway?\n--\n");
	console_guard_answer(f->g, true);
	expect(f, "CLOSE");
	reply(f, "{tag} OK Close completed\r\n");
	assert_int_equal(imap_session_state(f->s), IMAP_STATE_AUTHENTICATED);
}

static void
test_uid_expunge_is_not_held(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	select_inbox(f, true);
	type(f, "UID EXPUNGE 12");
	expect(f, "UID EXPUNGE 12");
	assert_false(console_guard_busy(f->g));
	type(f, "a1 uid expunge 13");
	expect_tagged(f, "a1", "uid expunge 13");
}

/* CLOSE on an EXAMINEd mailbox expunges nothing (RFC 9051 6.4.2), and
 * nothing selected means nothing to remove. */
static void
test_read_only_and_nothing_selected(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	type(f, "EXPUNGE");
	expect(f, "EXPUNGE");
	reply(f, "{tag} BAD No mailbox selected\r\n");
	type(f, "EXAMINE INBOX");
	expect(f, "EXAMINE INBOX");
	reply(f, "* 5 EXISTS\r\n{tag} OK [READ-ONLY] Examine completed\r\n");
	type(f, "CLOSE");
	expect(f, "CLOSE");
	expect_nothing(f);
	assert_false(console_guard_busy(f->g));
	reply(f, "{tag} OK Close completed\r\n");
	/* a SELECT that the server made read-only */
	type(f, "SELECT INBOX");
	expect(f, "SELECT INBOX");
	reply(f, "* 5 EXISTS\r\n{tag} OK [READ-ONLY] Select completed\r\n");
	type(f, "EXPUNGE");
	expect(f, "EXPUNGE");
	assert_string_equal(buf_str(&f->questions), "");
}

/* Pipelined: the check starts when everything before it has ended, and
 * then sees the mailbox the EXPUNGE would meet. */
static void
test_waits_for_commands_in_flight(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	type(f, "SELECT INBOX");
	type(f, "CLOSE");
	expect(f, "SELECT INBOX");
	expect_nothing(f);
	assert_true(console_guard_busy(f->g));
	reply(f, "* 5 EXISTS\r\n{tag} OK [READ-WRITE] Select completed\r\n");
	expect(f, "UID SEARCH DELETED");
	reply(f, "* SEARCH\r\n{tag} OK Search completed\r\n");
	expect(f, "CLOSE");

	/* the same, for a mailbox that ends up read-only: no search */
	reply(f, "{tag} OK Close completed\r\n");
	type(f, "EXAMINE INBOX");
	type(f, "EXPUNGE");
	expect(f, "EXAMINE INBOX");
	reply(f, "{tag} OK [READ-ONLY] Examine completed\r\n");
	expect(f, "EXPUNGE");
}

static void
test_literal_after_expunge_is_refused(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");
	const char *err = NULL;

	select_inbox(f, true);
	assert_int_equal(console_input_line(f->in, "EXPUNGE {3}", &err), -1);
	assert_string_equal(err, "EXPUNGE and CLOSE take no arguments: a "
	    "literal after them is not sent");
	expect_nothing(f);
	/* Dovecot runs "EXPUNGE x" as EXPUNGE: still held */
	type(f, "EXPUNGE x");
	expect(f, "UID SEARCH DELETED");
}

/* --- the policies ----------------------------------------------------- */

static void
test_refuse_policy(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_REFUSE, "UIDPLUS");

	select_inbox(f, true);
	type(f, "EXPUNGE");
	expect(f, "UID SEARCH DELETED");
	reply(f, "* SEARCH 13\r\n{tag} OK Search completed\r\n");
	expect_nothing(f);
	assert_false(console_guard_busy(f->g));
	assert_int_equal(console_guard_refused(f->g), 1);
	assert_string_equal(buf_str(&f->notices),
	    "refused:EXPUNGE not sent; every message stays in place.\n"
	    "EXPUNGE would also remove 1 \\Deleted message that this session "
	    "did\n"
	    "not mark (another client or an earlier session did): UID 13\n"
	    "This session marked none of the \\Deleted messages.\n--\n");
	assert_string_equal(buf_str(&f->questions), "");
	/* the next line goes on */
	type(f, "NOOP");
	expect(f, "NOOP");
}

static void
test_warn_policy(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_WARN, "UIDPLUS");

	select_inbox(f, true);
	store(f, "STORE 2 +FLAGS.SILENT (\\Deleted)", "");
	type(f, "EXPUNGE");
	expect(f, "UID SEARCH DELETED");
	reply(f, "* SEARCH 11 13\r\n{tag} OK Search completed\r\n");
	expect(f, "EXPUNGE");
	assert_string_equal(buf_str(&f->notices),
	    "warned:EXPUNGE would also remove 1 \\Deleted message that this "
	    "session did\n"
	    "not mark (another client or an earlier session did): UID 13\n"
	    "This session marked 1 of the 2: UID 11\n"
	    "Only this session's: UID EXPUNGE 11\n"
	    "EXPUNGE is sent as typed anyway.\n--\n");
}

/* The check cannot be made: say so, and ask. */
static void
test_failed_search_asks(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	select_inbox(f, true);
	type(f, "EXPUNGE");
	expect(f, "UID SEARCH DELETED");
	reply(f, "{tag} NO Server busy\r\n");
	assert_string_equal(buf_str(&f->questions),
	    "EXPUNGE would remove every \\Deleted message, and which ones "
	    "are is not known:\n"
	    "the server refused UID SEARCH (NO).\n"
	    "Send EXPUNGE anyway?\n--\n");
	console_guard_answer(f->g, true);
	expect(f, "EXPUNGE");
}

/* The connection ends during the check: nothing is ever sent. */
static void
test_disconnect_drops_the_held_command(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");

	select_inbox(f, true);
	type(f, "EXPUNGE");
	expect(f, "UID SEARCH DELETED");
	imap_session_disconnected(f->s, "gone");
	assert_false(console_guard_busy(f->g));
	expect_nothing(f);
}

/* RFC 7162 3.2.10.2: VANISHED names UIDs only, so marks kept by message
 * number can no longer be followed and are not counted. */
static void
test_vanished_drops_numbers(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK,
	    "UIDPLUS QRESYNC");

	select_inbox(f, false);
	store(f, "STORE 4 +FLAGS.SILENT (\\Deleted)", "");
	assert_int_equal(console_guard_pending_numbers(f->g), 1);
	type(f, "NOOP");
	expect(f, "NOOP");
	reply(f, "* VANISHED (EARLIER) 3\r\n{tag} OK NOOP completed\r\n");
	assert_int_equal(console_guard_pending_numbers(f->g), 1);
	type(f, "NOOP");
	expect(f, "NOOP");
	reply(f, "* VANISHED 11\r\n{tag} OK NOOP completed\r\n");
	assert_int_equal(console_guard_pending_numbers(f->g), 0);
	type(f, "EXPUNGE");
	expect(f, "UID SEARCH DELETED");
	reply(f, "* SEARCH 13\r\n{tag} OK Search completed\r\n");
	assert_non_null(strstr(buf_str(&f->questions),
	    "(Marks made by message number before a VANISHED are not "
	    "counted.)\n"));
}

/* Many UIDs: the question shows the count and a cut set. */
static void
test_long_sets_are_cut(void **state)
{
	struct fixture *f = *state = start(CONSOLE_GUARD_ASK, "UIDPLUS");
	struct buf text;
	unsigned i;

	select_inbox(f, true);
	type(f, "EXPUNGE");
	expect(f, "UID SEARCH DELETED");
	buf_init(&text, 1 << 20);
	buf_append_str(&text, "* SEARCH");
	for (i = 100; i < 400; i += 2)
		buf_printf(&text, " %u", i);
	buf_append_str(&text, "\r\n{tag} OK Search completed\r\n");
	reply(f, buf_str(&text));
	buf_free(&text);
	assert_non_null(strstr(buf_str(&f->questions),
	    "did): UIDs 100,102,104,106,108,110,112,114,116,118,120,122,"
	    "124,...\n"));
	assert_non_null(strstr(buf_str(&f->questions),
	    "remove 150 \\Deleted messages"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_held_command_ends_the_automatic_idle,
		    teardown),
		cmocka_unit_test_teardown(test_store_forms, teardown),
		cmocka_unit_test_teardown(test_failed_store_marks_nothing,
		    teardown),
		cmocka_unit_test_teardown(test_msn_to_uid, teardown),
		cmocka_unit_test_teardown(test_modified_is_not_marked,
		    teardown),
		cmocka_unit_test_teardown(test_uid_range_is_cut_at_the_last_uid,
		    teardown),
		cmocka_unit_test_teardown(test_select_forgets_marks, teardown),
		cmocka_unit_test_teardown(
		    test_only_own_deleted_goes_without_question, teardown),
		cmocka_unit_test_teardown(test_others_deleted_asks, teardown),
		cmocka_unit_test_teardown(test_close_question_and_no_uidplus,
		    teardown),
		cmocka_unit_test_teardown(test_uid_expunge_is_not_held,
		    teardown),
		cmocka_unit_test_teardown(test_read_only_and_nothing_selected,
		    teardown),
		cmocka_unit_test_teardown(test_waits_for_commands_in_flight,
		    teardown),
		cmocka_unit_test_teardown(test_literal_after_expunge_is_refused,
		    teardown),
		cmocka_unit_test_teardown(test_refuse_policy, teardown),
		cmocka_unit_test_teardown(test_warn_policy, teardown),
		cmocka_unit_test_teardown(test_failed_search_asks, teardown),
		cmocka_unit_test_teardown(
		    test_disconnect_drops_the_held_command, teardown),
		cmocka_unit_test_teardown(test_vanished_drops_numbers,
		    teardown),
		cmocka_unit_test_teardown(test_long_sets_are_cut, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
