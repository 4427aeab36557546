/* Unit tests for teach-explain: a session fed scripted server bytes, its
 * events decoded once and explained; the exact lines are checked. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client-console-input.h"
#include "decode-response.h"
#include "imap-command.h"
#include "imap-session.h"
#include "teach-explain.h"
#include "util-buf.h"

struct fixture {
	struct imap_session *s;
	struct response_decoder dec;
	struct explainer *ex;
	struct buf said; /* every wire line and explanation, "\n" after each */
	unsigned kinds[3]; /* explanation lines of each explain_kind */
};

static struct fixture fx;

/* An explanation line, with any latency ("after 0.4 ms") made "after T
 * ms" so the lines compare. */
static void
on_line(void *ctx, enum explain_kind kind, const char *text)
{
	const char *after = strstr(text, " after ");
	size_t digits;

	(void)ctx;
	fx.kinds[kind]++;
	if (after != NULL) {
		digits = strspn(after + 7, "0123456789.");
		if (digits > 0 && strncmp(after + 7 + digits, " ms", 3) == 0) {
			buf_printf(&fx.said, "# %.*s after T%s\n",
			    (int)(after - text), text, after + 7 + digits);
			return;
		}
	}
	buf_printf(&fx.said, "# %s\n", text);
}

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	size_t shown = len >= 2 && text[len - 2] == '\r' &&
	    text[len - 1] == '\n' ? len - 2 : len;

	(void)ctx;
	/* one line a wire event here; CRLF written as a line end */
	buf_printf(&fx.said, "%s%.*s\n", out ? "C: " : "S: ", (int)shown,
	    text);
	if (out)
		explain_sent(fx.ex, cmd, text, len);
}

static void
on_response(void *ctx, const struct imap_response *resp,
    const struct imap_session_command *cmd)
{
	(void)ctx;
	explain_response(fx.ex, response_decoder_take(&fx.dec, resp, cmd));
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double ms)
{
	(void)ctx;
	(void)ms;
	explain_completed(fx.ex, cmd, result,
	    response_decoder_last(&fx.dec, tagged));
}

static int
setup(void **state)
{
	struct imap_session_listener l = {
		.wire = on_wire,
		.response = on_response,
		.completed = on_completed,
	};

	(void)state;
	memset(&fx, 0, sizeof(fx));
	buf_init(&fx.said, 1 << 20);
	response_decoder_init(&fx.dec);
	fx.ex = explainer_new(on_line, NULL);
	fx.s = imap_session_new(&l);
	imap_session_set_tag_prefix(fx.s, "t");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	imap_session_free(&fx.s);
	explainer_free(&fx.ex);
	assert_null(fx.ex);
	response_decoder_free(&fx.dec);
	buf_free(&fx.said);
	return 0;
}

static void
feed(const char *text)
{
	const char *err = NULL;
	size_t used;

	assert_int_equal(imap_session_input(fx.s, (const unsigned char *)text,
			     strlen(text), &used, &err),
	    IMAP_INPUT_OK);
	assert_int_equal(used, strlen(text));
}

/* A typed line: "tag rest" as the console sends it. */
static struct imap_session_command *
send_line(const char *tag, const char *rest)
{
	struct imap_command *cmd = imap_command_from_line(tag, rest);
	struct imap_session_command *sc;

	assert_non_null(cmd);
	sc = imap_session_submit(fx.s, cmd, 0, NULL);
	assert_non_null(sc);
	return sc;
}

/* What was said since the last call, and forget it. */
static char *
said(void)
{
	char *text = strdup(buf_str(&fx.said));

	buf_reset(&fx.said);
	return text;
}

static void
expect_said(const char *want)
{
	char *got = said();
	size_t at = 0;

	while (got[at] != '\0' && got[at] == want[at])
		at++;
	if (got[at] != want[at] && getenv("TEACH_EXPLAIN_DUMP") != NULL)
		fprintf(stderr, "=== got\n%s=== end\n", got);
	if (got[at] != want[at]) {
		/* cmocka cuts long messages: show where they part */
		while (at > 0 && got[at - 1] != '\n')
			at--;
		fail_msg("they differ at byte %zu:\ngot:  %.200s\nwant: %.200s",
		    at, got + at, want + at);
	}
	free(got);
}

static void
greet(void)
{
	feed("* PREAUTH [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n");
	buf_reset(&fx.said);
	memset(fx.kinds, 0, sizeof(fx.kinds));
}

static void
test_select_and_its_data(void **state)
{
	(void)state;
	greet();
	send_line("a1", "SELECT INBOX");
	feed("* 3 EXISTS\r\n* OK [UIDNEXT 9] next\r\n"
	     "* FLAGS (\\Seen $Junk)\r\n"
	     "a1 OK [READ-WRITE] done\r\n");
	expect_said(
	    "C: a1 SELECT INBOX\n"
	    "# SELECT: open a mailbox read-write (RFC 9051 \xc2\xa7" "6.3.2)\n"
	    "S: * 3 EXISTS\n"
	    "# * EXISTS: the number of messages in the mailbox now (RFC 905"
	    "1 \xc2\xa7" "7.4.1); answers a1 SELECT\n"
	    "#   the mailbox now holds 3 messages\n"
	    "S: * OK [UIDNEXT 9] next\n"
	    "# * OK: information from the server (RFC 9051 \xc2\xa7" "7.1.1"
	    "); answers a1 SELECT\n"
	    "#   [UIDNEXT] the UID the next message will get (RFC 9051 \xc2\xa7" ""
	    "7.1)\n"
	    "S: * FLAGS (\\Seen $Junk)\n"
	    "# * FLAGS: the flags defined in the selected mailbox (RFC 9051"
	    " \xc2\xa7" "7.3.5); answers a1 SELECT\n"
	    "#   \\Seen: the message has been read (RFC 9051 \xc2\xa7" "2.3"
	    ".2)\n"
	    "#   $Junk: the message is junk (spam) (RFC 9051 \xc2\xa7" "2.3"
	    ".2)\n"
	    "S: a1 OK [READ-WRITE] done\n"
	    "# a1 OK: completes SELECT after T ms: the command worked (RF"
	    "C 9051 \xc2\xa7" "7.1.1)\n"
	    "#   [READ-WRITE] the mailbox is open read-write (RFC 9051 \xc2\xa7" ""
	    "7.1)\n");
	/* [UIDNEXT] and [READ-WRITE] are codes; \Seen, $Junk and the count
	 * details */
	assert_int_equal(fx.kinds[EXPLAIN_CODE], 2);
	assert_int_equal(fx.kinds[EXPLAIN_DETAIL], 3);
	assert_int_equal(fx.kinds[EXPLAIN_MAIN], 5);
}

/* Items and flags are explained for the first FETCH of a command only. */
static void
test_fetch_details_once(void **state)
{
	(void)state;
	greet();
	send_line("a2", "FETCH 1:2 (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
	feed("* 1 FETCH (UID 7 FLAGS (\\Seen))\r\n"
	     "* 2 FETCH (UID 8 FLAGS (\\Deleted))\r\n"
	     "a2 OK done\r\n");
	expect_said(
	    "C: a2 FETCH 1:2 (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])"
	    "\n"
	    "# FETCH: read message data by sequence number (RFC 9051 \xc2\xa7" ""
	    "6.4.5)\n"
	    "#   UID: the message's unique identifier (RFC 9051 \xc2\xa7" ""
	    "6.4.5)\n"
	    "#   FLAGS: the flags set on the message (RFC 9051 \xc2\xa7" "6"
	    ".4.5)\n"
	    "#   BODY.PEEK[]: the message text, without setting \\Seen (RFC"
	    " 9051 \xc2\xa7" "6.4.5)\n"
	    "#   HEADER.FIELDS: section part: only the named header fields "
	    "(RFC 9051 \xc2\xa7" "6.4.5.1)\n"
	    "S: * 1 FETCH (UID 7 FLAGS (\\Seen))\n"
	    "# * FETCH: data about one message (RFC 9051 \xc2\xa7" "7.5.2);"
	    " answers a2 FETCH\n"
	    "#   UID: the message's unique identifier (RFC 9051 \xc2\xa7" ""
	    "6.4.5)\n"
	    "#   FLAGS: the flags set on the message (RFC 9051 \xc2\xa7" "6"
	    ".4.5)\n"
	    "#   \\Seen: the message has been read (RFC 9051 \xc2\xa7" "2.3"
	    ".2)\n"
	    "S: * 2 FETCH (UID 8 FLAGS (\\Deleted))\n"
	    "# * FETCH: data about one message (RFC 9051 \xc2\xa7" "7.5.2);"
	    " answers a2 FETCH\n"
	    "#   \\Deleted: the message is marked for removal by the next E"
	    "XPUNGE (RFC 9051 \xc2\xa7" "2.3.2)\n"
	    "S: a2 OK done\n"
	    "# a2 OK: completes FETCH after T ms: the command worked (RFC 9"
	    "051 \xc2\xa7" "7.1.1)\n");
}

static void
test_slips(void **state)
{
	(void)state;
	greet();
	send_line(".", "fecth 1 flags");
	feed(". BAD unknown command\r\n");
	send_line("SELEC", "INBOX");
	feed("SELEC BAD unknown command\r\n");
	send_line("a3", "COPY 1 Nowhere");
	feed("a3 NO [TRYCREATE] no such mailbox\r\n");
	send_line("+", "NOOP");
	feed("* BAD Invalid tag\r\n");
	expect_said(
	    "C: . fecth 1 flags\n"
	    "# FECTH is not an IMAP command: did you mean FETCH? The server"
	    " will answer BAD (RFC 9051 \xc2\xa7" "7.1.3)\n"
	    "S: . BAD unknown command\n"
	    "# . BAD: completes FECTH after T ms: protocol error: unknown c"
	    "ommand or bad syntax (RFC 9051 \xc2\xa7" "7.1.3)\n"
	    "C: SELEC INBOX\n"
	    "# SELEC is the tag here, so INBOX was sent as the command; did"
	    " you mean \"a1 SELECT INBOX\"? A line starts with a tag, then "
	    "the command (RFC 9051 \xc2\xa7" "2.2.1)\n"
	    "# INBOX is a mailbox name, not a command: the server will answ"
	    "er BAD (RFC 9051 \xc2\xa7" "5.1)\n"
	    "S: SELEC BAD unknown command\n"
	    "# SELEC BAD: completes INBOX after T ms: protocol error: unkno"
	    "wn command or bad syntax (RFC 9051 \xc2\xa7" "7.1.3)\n"
	    "C: a3 COPY 1 Nowhere\n"
	    "# COPY: copy messages to another mailbox (RFC 9051 \xc2\xa7" ""
	    "6.4.7)\n"
	    "S: a3 NO [TRYCREATE] no such mailbox\n"
	    "# a3 NO: completes COPY after T ms: the command failed (RFC 90"
	    "51 \xc2\xa7" "7.1.2)\n"
	    "#   [TRYCREATE] the target mailbox does not exist; CREATE may "
	    "make it (RFC 9051 \xc2\xa7" "7.1)\n"
	    "C: + NOOP\n"
	    "# \"+\" cannot be a tag: it marks the server's continuations, "
	    "so the server cannot answer it and says BAD without a tag (RFC"
	    " 9051 \xc2\xa7" "2.2.1)\n"
	    "# NOOP: do nothing, and hear the server's news (RFC 9051 \xc2\xa7" ""
	    "6.1.2)\n"
	    "S: * BAD Invalid tag\n"
	    "# * BAD: protocol error: unknown command or bad syntax (RFC 90"
	    "51 \xc2\xa7" "7.1.3); answers + NOOP\n"
	    "# that untagged BAD ends + NOOP: the server could not read its"
	    " tag, so no tagged reply will come (RFC 9051 \xc2\xa7" "7.1.3)"
	    "\n");
}

/* A line typed as the console types it (client-console-input). */
static void
type_line(struct console_input *in, const char *line)
{
	const char *err = NULL;

	if (console_input_line(in, line, &err) != 0)
		fail_msg("%s: %s", line, err);
}

static void
test_idle_and_unasked(void **state)
{
	struct console_input *in;

	(void)state;
	greet();
	in = console_input_new(fx.s);
	type_line(in, "a4 IDLE");
	feed("+ idling\r\n");
	type_line(in, "DONE");
	feed("a4 OK done\r\n");
	feed("* 4 EXISTS\r\n* XYZZY 1 2\r\n* OK [SHINY 1] new\r\n");
	console_input_free(&in);
	expect_said(
	    "C: a4 IDLE\n"
	    "# IDLE: wait for the server's news until DONE (RFC 9051 \xc2\xa7" ""
	    "6.3.13)\n"
	    "S: + idling\n"
	    "# +: the server is idling and will report changes as they happ"
	    "en; type DONE to end IDLE (RFC 9051 \xc2\xa7" "6.3.13)\n"
	    "C: DONE\n"
	    "# DONE ends IDLE; the server answers with IDLE's tagged OK (RF"
	    "C 9051 \xc2\xa7" "6.3.13)\n"
	    "S: a4 OK done\n"
	    "# a4 OK: completes IDLE after T ms: the command worked (RFC "
	    "9051 \xc2\xa7" "7.1.1)\n"
	    "S: * 4 EXISTS\n"
	    "# * EXISTS: the number of messages in the mailbox now (RFC 905"
	    "1 \xc2\xa7" "7.4.1); unasked: the server tells what changed\n"
	    "#   the mailbox now holds 4 messages\n"
	    "S: * XYZZY 1 2\n"
	    "# * XYZZY: data imapwb does not know (RFC 9051 \xc2\xa7" "2.2."
	    "2); unasked: the server tells what changed\n"
	    "S: * OK [SHINY 1] new\n"
	    "# * OK: information from the server (RFC 9051 \xc2\xa7" "7.1.1)\n"
	    "#   [SHINY] a response code imapwb does not know; a client ign"
	    "ores codes it does not know (RFC 9051 \xc2\xa7" "7.1)\n");
}

/* A typed synchronising literal: the "+" is explained before the bytes
 * it releases; a command the connection loses gets no reply. */
static void
test_literal_and_lost_reply(void **state)
{
	struct console_input *in;

	(void)state;
	greet();
	in = console_input_new(fx.s);
	type_line(in, "a5 CREATE {3}");
	type_line(in, "abc");
	feed("+ go on\r\n");
	imap_session_disconnected(fx.s, "test");
	console_input_free(&in);
	expect_said(
	    "C: a5 CREATE {3}\n"
	    "# CREATE: create a mailbox (RFC 9051 \xc2\xa7" "6.3.4)\n"
	    "S: + go on\n"
	    "# +: the server is ready for the rest of the command (a litera"
	    "l's bytes) (RFC 9051 \xc2\xa7" "7.6)\n"
	    "C: abc\n"
	    "# the rest of CREATE, sent after the server's \"+\": a literal"
	    "'s bytes and what follows them (RFC 9051 \xc2\xa7" "4.3)\n"
	    "C: \n"
	    "# the line end that finishes CREATE after its literal (RFC 905"
	    "1 \xc2\xa7" "4.3)\n"
	    "# a5 CREATE got no reply: the connection ended first (RFC 9051"
	    " \xc2\xa7" "2.2.2)\n");
}

/* Tags imapwb added are said to be added: in full the first time, then
 * in a detail line; a typed tag is not. A word alone, sent as typed
 * (--tags manual), is the tag of a line without a command. */
static void
test_added_tags_and_a_tag_alone(void **state)
{
	struct imap_command *cmd;

	(void)state;
	greet();
	cmd = imap_command_from_line("a001", "NOOP");
	assert_non_null(imap_session_submit(fx.s, cmd, IMAP_CMD_TAG_ADDED,
	    NULL));
	feed("a001 OK done\r\n");
	send_line("x1", "NOOP");
	feed("x1 OK done\r\n");
	cmd = imap_command_from_line("a002", "NOOP");
	assert_non_null(imap_session_submit(fx.s, cmd, IMAP_CMD_TAG_ADDED,
	    NULL));
	feed("a002 OK done\r\n");
	send_line("NOOP", "");
	feed("NOOP BAD no command\r\n");
	expect_said(
	    "C: a001 NOOP\n"
	    "# NOOP: do nothing, and hear the server's news (RFC 9051 \xc2\xa7"
	    "6.1.2)\n"
	    "# a001 is a tag imapwb added: every command starts with a tag "
	    "the server repeats in its reply; type your own, e.g. x1 NOOP, "
	    "or use --tags manual (RFC 9051 \xc2\xa7" "2.2.1)\n"
	    "S: a001 OK done\n"
	    "# a001 OK: completes NOOP after T ms: the command worked "
	    "(RFC 9051 \xc2\xa7" "7.1.1)\n"
	    "C: x1 NOOP\n"
	    "# NOOP: do nothing, and hear the server's news (RFC 9051 \xc2\xa7"
	    "6.1.2)\n"
	    "S: x1 OK done\n"
	    "# x1 OK: completes NOOP after T ms: the command worked "
	    "(RFC 9051 \xc2\xa7" "7.1.1)\n"
	    "C: a002 NOOP\n"
	    "# NOOP: do nothing, and hear the server's news (RFC 9051 \xc2\xa7"
	    "6.1.2)\n"
	    "#   a002: a tag imapwb added (RFC 9051 \xc2\xa7" "2.2.1)\n"
	    "S: a002 OK done\n"
	    "# a002 OK: completes NOOP after T ms: the command worked "
	    "(RFC 9051 \xc2\xa7" "7.1.1)\n"
	    "C: NOOP\n"
	    "# NOOP was taken as the tag: the line has no command, so the "
	    "server will answer BAD; a line starts with a tag, then the "
	    "command, e.g. \"a1 NOOP\" (RFC 9051 \xc2\xa7" "2.2.1)\n"
	    "S: NOOP BAD no command\n"
	    "# NOOP BAD: completes the line without a command after T ms: "
	    "protocol error: unknown "
	    "command or bad syntax (RFC 9051 \xc2\xa7" "7.1.3)\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_select_and_its_data,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_fetch_details_once,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_slips, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_added_tags_and_a_tag_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_and_unasked,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_literal_and_lost_reply,
		    setup, teardown),
	};

	return cmocka_run_group_tests_name("teach-explain", tests, NULL,
	    NULL);
}
