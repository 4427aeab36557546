/* Unit tests for live: a real session fed scripted server bytes (one at
 * a time), the clock given by the test. What the console would show is
 * recorded as it would be: live's own lines left out, notes in. */
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
#include "client-live.h"
#include "util-buf.h"

struct fixture {
	struct imap_session *s;
	struct live *live;
	struct buf console;  /* what the console pane would show in full */
	struct buf folded;   /* the automatic commands' lines, folded */
	struct buf all;      /* every wire line (the transcript) */
	unsigned live_completions;
};

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct fixture *f = ctx;
	const char *note;

	buf_append_str(&f->all, out ? "C: " : "S: ");
	buf_append(&f->all, text, len);
	/* the console folds the automatic commands' lines (origin auto,
	 * tui-console): they are not shown in full */
	if (cmd != NULL &&
	    imap_session_command_origin(cmd)->kind == IMAP_ORIGIN_AUTO) {
		buf_append_str(&f->folded, out ? "C: " : "S: ");
		buf_append(&f->folded, text, len);
		return;
	}
	if (live_wire(f->live, out, text, len, cmd, &note))
		return;
	if (note != NULL)
		buf_printf(&f->console, "* %s\n", note);
	buf_append_str(&f->console, out ? "C: " : "S: ");
	buf_append(&f->console, text, len);
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double ms)
{
	struct fixture *f = ctx;

	(void)tagged;
	(void)ms;
	if (live_owns(f->live, cmd))
		f->live_completions++;
	live_completed(f->live, cmd, result);
}

static char *
take_output(struct fixture *f)
{
	const struct buf *out = imap_session_output(f->s);
	char *s = strndup(buf_str(out), out->len);

	imap_session_output_written(f->s, out->len);
	return s;
}

static void
expect_output(struct fixture *f, const char *want)
{
	char *got = take_output(f);

	assert_string_equal(got, want);
	free(got);
}

static void
expect_nothing(struct fixture *f)
{
	assert_int_equal(imap_session_output(f->s)->len, 0);
}

static void
feed(struct fixture *f, const char *text)
{
	const char *err = NULL;
	size_t i, used;

	for (i = 0; text[i] != '\0'; i++) {
		assert_int_equal(imap_session_input(f->s,
				     (const unsigned char *)text + i, 1, &used,
				     &err),
		    IMAP_INPUT_OK);
		assert_int_equal(used, 1);
	}
}

static void __attribute__((format(printf, 2, 3)))
feedf(struct fixture *f, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	feed(f, line);
}

static const char *
tag_of(const struct imap_session_command *sc)
{
	return imap_session_command_get(sc)->tag;
}

/* A session with INBOX selected; caps are the server's capabilities. */
static struct fixture *
setup(const char *caps)
{
	static struct fixture f;
	struct imap_session_listener l = {
		.wire = on_wire,
		.completed = on_completed,
		.ctx = &f,
	};
	struct imap_session_command *c;
	const char *err;
	char line[256];

	memset(&f, 0, sizeof(f));
	buf_init(&f.console, 1 << 20);
	buf_init(&f.folded, 1 << 20);
	buf_init(&f.all, 1 << 20);
	f.live = live_new();
	f.s = imap_session_new(&l);
	live_set_session(f.live, f.s);
	snprintf(line, sizeof(line), "* PREAUTH [CAPABILITY %s] hi\r\n", caps);
	feed(&f, line);
	assert_int_equal(live_run(f.live, 0), -1); /* not selected */
	c = imap_session_command(f.s, 0, &err, "SELECT INBOX");
	assert_int_equal(live_run(f.live, 10), -1); /* not yet selected */
	feedf(&f, "* 2 EXISTS\r\n%s OK [READ-WRITE] done\r\n", tag_of(c));
	free(take_output(&f));
	buf_reset(&f.console);
	buf_reset(&f.all);
	return &f;
}

static void
teardown(struct fixture *f)
{
	imap_session_free(&f->s);
	live_free(&f->live);
	assert_null(f->live);
	buf_free(&f->console);
	buf_free(&f->folded);
	buf_free(&f->all);
}

/* IDLE starts after LIVE_QUIET_MS of quiet, and only then. */
static struct imap_session_command *
start_idle(struct fixture *f, uint64_t t)
{
	const struct imap_session_command *idle;
	char want[64];

	assert_int_equal(live_run(f->live, t), LIVE_QUIET_MS);
	assert_int_equal(live_run(f->live, t + LIVE_QUIET_MS - 1), 1);
	expect_nothing(f);
	assert_int_equal(live_mode(f->live), LIVE_WAITING);
	assert_int_equal(live_run(f->live, t + LIVE_QUIET_MS),
	    (int)LIVE_REIDLE_MS);
	idle = imap_session_auto_idle_command(f->s);
	assert_non_null(idle);
	assert_true(live_owns(f->live, idle));
	assert_int_equal(live_mode(f->live), LIVE_IDLE);
	snprintf(want, sizeof(want), "%s IDLE\r\n", tag_of(idle));
	expect_output(f, want);
	return (struct imap_session_command *)idle;
}

/* A view's command while idle: DONE first, the command after the OK;
 * the console shows the command and the news, not IDLE's lines. */
static void
test_idle_then_a_command(void **state)
{
	struct fixture *f = setup("IMAP4rev1 IDLE");
	struct imap_session_command *idle, *fetch;
	const char *err;
	char want[512], itag[32], ftag[32];

	(void)state;
	idle = start_idle(f, 1000);
	snprintf(itag, sizeof(itag), "%s", tag_of(idle));
	feed(f, "+ idling\r\n");
	feed(f, "* 3 EXISTS\r\n* 1 RECENT\r\n");
	feed(f, "* OK Still here\r\n");
	/* what the Messages view does on EXISTS */
	fetch = imap_session_command(f->s, 0, &err, "FETCH 3 (UID)");
	expect_output(f, "DONE\r\n");
	assert_true(live_run(f->live, 1300) > 0);
	expect_nothing(f);
	feedf(f, "%s OK Idle completed\r\n", itag);
	snprintf(want, sizeof(want), "%s FETCH 3 (UID)\r\n", tag_of(fetch));
	expect_output(f, want);
	assert_int_equal(f->live_completions, 1);
	assert_int_equal(live_mode(f->live), LIVE_WAITING);
	assert_int_equal(live_run(f->live, 1400), -1); /* FETCH in flight */
	snprintf(ftag, sizeof(ftag), "%s", tag_of(fetch));
	feedf(f, "* 3 FETCH (UID 9)\r\n%s OK done\r\n", ftag);
	snprintf(want, sizeof(want),
	    "* idle: news from the server\nS: * 3 EXISTS\r\nS: * 1 RECENT\r\n"
	    "C: %s FETCH 3 (UID)\r\nS: * 3 FETCH (UID 9)\r\n"
	    "S: %s OK done\r\n",
	    ftag, ftag);
	assert_string_equal(buf_str(&f->console), want);
	/* IDLE, its "+" (routed to it), DONE and its tagged reply are the
	 * automatic IDLE's own: the console folds them */
	snprintf(want, sizeof(want), "C: %s IDLE\r\nS: + idling\r\nC: DONE\r\n"
	    "S: %s OK Idle completed\r\n", itag, itag);
	assert_string_equal(buf_str(&f->folded), want);
	/* the transcript has every line */
	snprintf(want, sizeof(want),
	    "C: %s IDLE\r\nS: + idling\r\nS: * 3 EXISTS\r\nS: * 1 RECENT\r\n"
	    "S: * OK Still here\r\nC: DONE\r\nS: %s OK Idle completed\r\n",
	    itag, itag);
	assert_memory_equal(buf_str(&f->all), want, strlen(want));
	/* quiet again: a new IDLE */
	idle = start_idle(f, 2000);
	assert_non_null(idle);
	teardown(f);
}

/* RFC 2177: re-issued before 29 minutes; an IDLE with nothing said
 * leaves the console untouched. */
static void
test_reidle(void **state)
{
	struct fixture *f = setup("IMAP4rev1 IDLE");
	struct imap_session_command *idle;
	uint64_t t = 5000 + LIVE_QUIET_MS;
	char itag[32];

	(void)state;
	idle = start_idle(f, 5000);
	snprintf(itag, sizeof(itag), "%s", tag_of(idle));
	feed(f, "+ idling\r\n");
	assert_int_equal(live_run(f->live, t + LIVE_REIDLE_MS - 1), 1);
	expect_nothing(f);
	assert_int_equal(live_run(f->live, t + LIVE_REIDLE_MS), -1);
	expect_output(f, "DONE\r\n");
	assert_int_equal(live_run(f->live, t + LIVE_REIDLE_MS + 1), -1);
	expect_nothing(f);
	feedf(f, "%s OK Idle completed\r\n", itag);
	assert_int_equal(live_mode(f->live), LIVE_WAITING);
	idle = start_idle(f, t + LIVE_REIDLE_MS + 10);
	assert_string_equal(buf_str(&f->console), "");
	teardown(f);
}

/* No IDLE offered: NOOP after LIVE_POLL_MS of quiet; its lines are not
 * shown, its news are. */
static void
test_noop_poll_without_idle(void **state)
{
	struct fixture *f = setup("IMAP4rev1");
	struct imap_session_command *user;
	const char *err;
	char want[256], ntag[32];

	(void)state;
	assert_int_equal(live_run(f->live, 100), LIVE_QUIET_MS);
	assert_int_equal(live_mode(f->live), LIVE_POLL);
	assert_int_equal(live_run(f->live, 100 + LIVE_QUIET_MS),
	    LIVE_POLL_MS - LIVE_QUIET_MS);
	expect_nothing(f);
	assert_int_equal(live_run(f->live, 100 + LIVE_POLL_MS), -1);
	assert_null(imap_session_auto_idle_command(f->s));
	assert_int_equal(imap_session_in_flight(f->s), 1);
	/* the NOOP's tag, from its line */
	snprintf(want, sizeof(want), "%s", buf_str(imap_session_output(f->s)));
	assert_non_null(strstr(want, " NOOP\r\n"));
	free(take_output(f));
	snprintf(ntag, sizeof(ntag), "%.*s", (int)strcspn(want, " "), want);
	feed(f, "* 4 EXPUNGE\r\n");
	feedf(f, "%s OK NOOP completed\r\n", ntag);
	assert_int_equal(f->live_completions, 1);
	assert_string_equal(buf_str(&f->console),
	    "* poll: news from the server\nS: * 4 EXPUNGE\r\n");
	/* a user's command restarts the quiet period */
	user = imap_session_command(f->s, 0, &err, "CHECK");
	assert_int_equal(live_run(f->live, 100 + LIVE_POLL_MS + 5), -1);
	feedf(f, "%s OK done\r\n", tag_of(user));
	assert_int_equal(live_run(f->live, 200 + LIVE_POLL_MS), LIVE_QUIET_MS);
	assert_int_equal(live_run(f->live, 200 + 2 * LIVE_POLL_MS - 1), 1);
	free(take_output(f));
	assert_int_equal(live_run(f->live, 200 + 2 * LIVE_POLL_MS), -1);
	assert_non_null(strstr(buf_str(imap_session_output(f->s)), " NOOP"));
	teardown(f);
}

/* A server that refuses IDLE gets NOOP polls from then on. */
static void
test_refused_idle_falls_back_to_polls(void **state)
{
	struct fixture *f = setup("IMAP4rev1 IDLE");
	struct imap_session_command *idle;

	(void)state;
	idle = start_idle(f, 0);
	feedf(f, "%s NO not now\r\n", tag_of(idle));
	assert_int_equal(live_mode(f->live), LIVE_POLL);
	assert_int_equal(live_run(f->live, 1000), LIVE_QUIET_MS);
	assert_int_equal(live_run(f->live, 1000 + LIVE_POLL_MS), -1);
	assert_null(imap_session_auto_idle_command(f->s));
	assert_non_null(strstr(buf_str(imap_session_output(f->s)), " NOOP"));
	teardown(f);
}

/* A server that ends IDLE unasked, at once, three times: NOOP polls. */
static void
test_short_idles_fall_back_to_polls(void **state)
{
	struct fixture *f = setup("IMAP4rev1 IDLE");
	struct imap_session_command *idle;
	uint64_t t = 0;
	int i;

	(void)state;
	for (i = 0; i < LIVE_MAX_SHORT_IDLES; i++) {
		assert_int_equal(live_mode(f->live), LIVE_WAITING);
		idle = start_idle(f, t);
		feed(f, "+ idling\r\n");
		feedf(f, "%s OK bored\r\n", tag_of(idle));
		t += 1000;
	}
	assert_int_equal(live_mode(f->live), LIVE_POLL);
	/* a new session tries IDLE again */
	live_set_session(f->live, f->s);
	assert_int_equal(live_mode(f->live), LIVE_WAITING);
	teardown(f);
}

/* A dialog holds IDLE back; so does a command in flight. */
static void
test_busy_holds_idle_back(void **state)
{
	struct fixture *f = setup("IMAP4rev1 IDLE");
	struct imap_session_command *c;
	const char *err;

	(void)state;
	live_set_busy(f->live, true);
	assert_int_equal(live_run(f->live, 0), -1);
	assert_int_equal(live_run(f->live, 60000), -1);
	expect_nothing(f);
	live_set_busy(f->live, false);
	c = imap_session_command(f->s, 0, &err, "NOOP");
	free(take_output(f));
	assert_int_equal(live_run(f->live, 70000), -1);
	feedf(f, "%s OK done\r\n", tag_of(c));
	(void)start_idle(f, 80000);
	teardown(f);
}

/* The connection ends during IDLE: nothing more is tried. */
static void
test_disconnect_during_idle(void **state)
{
	struct fixture *f = setup("IMAP4rev1 IDLE");

	(void)state;
	(void)start_idle(f, 0);
	feed(f, "+ idling\r\n");
	feed(f, "* BYE going down\r\n");
	assert_int_equal(live_mode(f->live), LIVE_OFF);
	assert_int_equal(live_run(f->live, 5000), -1);
	imap_session_disconnected(f->s, "closed");
	assert_int_equal(f->live_completions, 1);
	live_set_session(f->live, NULL);
	assert_int_equal(live_run(f->live, 6000), -1);
	assert_int_equal(live_mode(f->live), LIVE_OFF);
	expect_nothing(f);
	teardown(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_then_a_command),
		cmocka_unit_test(test_reidle),
		cmocka_unit_test(test_noop_poll_without_idle),
		cmocka_unit_test(test_refused_idle_falls_back_to_polls),
		cmocka_unit_test(test_short_idles_fall_back_to_polls),
		cmocka_unit_test(test_busy_holds_idle_back),
		cmocka_unit_test(test_disconnect_during_idle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
