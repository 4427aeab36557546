/* Unit tests for console-input: typed lines become exact bytes for the
 * server, literals are counted, secrets never reach the transcript. */
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
#include "client-console-tags.h"
#include "util-buf.h"

struct fixture {
	struct imap_session *s;
	struct console_input *in;
	struct buf wire;
	const struct imap_session_command *last_out; /* its bytes went */
};

static struct fixture *current_fixture;

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct fixture *f = ctx;

	if (out) {
		buf_append(&f->wire, text, len);
		f->last_out = cmd;
	}
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double ms)
{
	struct fixture *f = ctx;

	console_input_command_done(f->in, cmd);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct imap_session_listener l = {
		.wire = on_wire, .completed = on_completed, .ctx = f };
	const char *err;
	size_t used;

	buf_init(&f->wire, 1 << 20);
	f->s = imap_session_new(&l);
	f->in = console_input_new(f->s);
	assert_int_equal(imap_session_input(f->s,
			     (const unsigned char *)"* OK hi\r\n", 9, &used, &err),
	    IMAP_INPUT_OK);
	current_fixture = f;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	console_input_free(&f->in);
	imap_session_free(&f->s);
	buf_free(&f->wire);
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

static void
server(struct fixture *f, const char *text)
{
	const char *err = NULL;
	size_t used;

	assert_int_equal(imap_session_input(f->s, (const unsigned char *)text,
			     strlen(text), &used, &err),
	    IMAP_INPUT_OK);
}

/* The bytes for the server since the last call, with the session's tag
 * prefix replaced by "T" so expectations can be written down. */
static char *
sent(struct fixture *f)
{
	const struct buf *out = imap_session_output(f->s);
	char prefix[8], *s = strndup(buf_str(out), out->len), *p;

	snprintf(prefix, sizeof(prefix), "%s", imap_session_tag_prefix(f->s));
	while ((p = strstr(s, prefix)) != NULL) {
		*p = 'T';
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
	}
	imap_session_output_written(f->s, out->len);
	return s;
}

static void
expect_sent(struct fixture *f, const char *want)
{
	char *got = sent(f);

	assert_string_equal(got, want);
	free(got);
}

static void
test_auto_tag_and_own_tag(void **state)
{
	struct fixture *f = *state;
	const char *err;

	type(f, "noop");
	assert_true(console_input_last_line_for_history(f->in));
	type(f, "  a1 CAPABILITY");
	expect_sent(f, "a001 noop\r\na1 CAPABILITY\r\n");
	type(f, "");
	expect_sent(f, "");
	assert_int_equal(console_input_line(f->in, "zz9", &err), -1);
	assert_string_equal(err, "a tag alone is not a command");
	assert_int_equal(console_input_line(f->in, "NOOP\rX", &err), -1);
	/* a longer tag would be cut, and its reply never matched (found
	 * by fuzz/fuzz-console-input.c) */
	type(f, "t234567890123456789012345678901 NOOP");
	expect_sent(f, "t234567890123456789012345678901 NOOP\r\n");
	assert_int_equal(console_input_line(f->in,
			     "t2345678901234567890123456789012 NOOP", &err), -1);
	assert_string_equal(err, "a tag can have at most 31 characters");
	expect_sent(f, "");
}

static void
test_login_is_secret(void **state)
{
	struct fixture *f = *state;

	type(f, "LOGIN alice Wonder-land-7q");
	assert_false(console_input_last_line_for_history(f->in));
	expect_sent(f, "a001 LOGIN alice Wonder-land-7q\r\n");
	assert_null(strstr(buf_str(&f->wire), "Wonder"));
	assert_null(strstr(buf_str(&f->wire), "alice"));
	assert_non_null(strstr(buf_str(&f->wire), " LOGIN <redacted>\r\n"));
}

static void
test_synchronising_literal_is_counted(void **state)
{
	struct fixture *f = *state;

	type(f, "APPEND INBOX {7}");
	expect_sent(f, "a001 APPEND INBOX {7}\r\n");
	assert_non_null(console_input_status(f->in));
	/* "hello" + CRLF is the literal's 7 bytes; it waits for "+". */
	type(f, "hello");
	type(f, "NOOP"); /* continues the APPEND line, not a new command */
	expect_sent(f, "");
	server(f, "+ Ready\r\n");
	expect_sent(f, "hello\r\nNOOP\r\n");
	assert_int_equal(imap_session_in_flight(f->s), 1);
	type(f, "CAPABILITY");
	expect_sent(f, "a002 CAPABILITY\r\n");
}

static void
test_literal_bytes_never_become_commands(void **state)
{
	struct fixture *f = *state;

	type(f, "a LOGIN alice {9}");
	type(f, "A1 LOGOUT");
	server(f, "+ go\r\n");
	/* The literal's bytes, then the CRLF that ends the LOGIN line. */
	expect_sent(f, "a LOGIN alice {9}\r\nA1 LOGOUT\r\n");
	assert_int_equal(imap_session_in_flight(f->s), 1);
	assert_null(strstr(buf_str(&f->wire), "A1 LOGOUT"));
	assert_non_null(strstr(buf_str(&f->wire), "<redacted literal>"));
	server(f, "a OK done\r\n");
	assert_null(console_input_status(f->in));
}

static void
test_literal_with_the_rest_of_the_line(void **state)
{
	struct fixture *f = *state;

	type(f, "a1 APPEND INBOX {5+}");
	type(f, "hello (\\Seen) {2+}");
	type(f, "ab");
	expect_sent(f, "a1 APPEND INBOX {5+}\r\nhello (\\Seen) {2+}\r\nab\r\n");
	type(f, "NOOP");
	expect_sent(f, "a001 NOOP\r\n");
}

static void
test_refused_literal_is_dropped(void **state)
{
	struct fixture *f = *state;

	type(f, "b1 APPEND INBOX {10}");
	server(f, "b1 BAD too big\r\n");
	assert_non_null(strstr(console_input_status(f->in), "dropped"));
	type(f, "0123456789"); /* meant as the literal: dropped */
	type(f, "NOOP");
	expect_sent(f, "b1 APPEND INBOX {10}\r\na001 NOOP\r\n");
}

static void
test_typed_idle_takes_done(void **state)
{
	struct fixture *f = *state;
	const char *err;
	char reply[64];

	type(f, "IDLE");
	expect_sent(f, "a001 IDLE\r\n");
	server(f, "+ idling\r\n");
	assert_int_equal(console_input_line(f->in, "NOOP", &err), -1);
	assert_string_equal(err, "IDLE is running: type DONE to end it");
	type(f, "done");
	expect_sent(f, "done\r\n");
	server(f, "* 3 EXISTS\r\n");
	type(f, "NOOP"); /* queued behind IDLE until it ends */
	expect_sent(f, "");
	snprintf(reply, sizeof(reply), "a001 OK idle done\r\n");
	server(f, reply);
	expect_sent(f, "a002 NOOP\r\n");
}

/* A -x socket client that leaves: what it left half typed is finished
 * for the next one, or refused for a literal (issue #14, "imtest"). */
static void
test_abandon_finishes_what_was_left(void **state)
{
	struct fixture *f = *state;
	const char *err = NULL;

	assert_int_equal(console_input_abandon(f->in, &err), 0);
	expect_sent(f, "");
	type(f, "IDLE");
	server(f, "+ idling\r\n");
	assert_int_equal(console_input_abandon(f->in, &err), 0);
	expect_sent(f, "a001 IDLE\r\nDONE\r\n");
	server(f, "a001 OK idle done\r\n");
	type(f, "AUTHENTICATE PLAIN");
	server(f, "+ \r\n");
	assert_int_equal(console_input_abandon(f->in, &err), 0);
	expect_sent(f, "a002 AUTHENTICATE PLAIN\r\n*\r\n");
	server(f, "a002 BAD cancelled\r\n");
	type(f, "a1 APPEND INBOX {5+}");
	type(f, "hello");
	assert_int_equal(console_input_abandon(f->in, &err), 0);
	expect_sent(f, "a1 APPEND INBOX {5+}\r\nhello\r\n");
	server(f, "a1 OK appended\r\n");
	type(f, "a2 APPEND INBOX {5+}");
	type(f, "he");
	assert_int_equal(console_input_abandon(f->in, &err), -1);
	assert_string_equal(err, "a literal was left half sent");
}

static void
test_typed_authenticate_is_secret(void **state)
{
	struct fixture *f = *state;

	type(f, "AUTHENTICATE PLAIN");
	assert_false(console_input_last_line_for_history(f->in));
	server(f, "+ \r\n");
	type(f, "AGFsaWNlAFdvbmRlcg==");
	assert_false(console_input_last_line_for_history(f->in));
	expect_sent(f, "a001 AUTHENTICATE PLAIN\r\nAGFsaWNlAFdvbmRlcg==\r\n");
	assert_null(strstr(buf_str(&f->wire), "AGFsaWNl"));
	assert_non_null(strstr(buf_str(&f->wire), " AUTHENTICATE PLAIN\r\n"));

	/* With an initial response (SASL-IR), only the mechanism shows. */
	buf_reset(&f->wire);
	type(f, "c1 AUTHENTICATE PLAIN AGFsaWNlAFdvbmRlcg==");
	assert_null(strstr(buf_str(&f->wire), "AGFsaWNl"));
}

static void
test_secret_part_of_a_typed_line(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(console_input_secret_from(f->in, "NOOP"), 4);
	assert_int_equal(console_input_secret_from(f->in, "LOGIN bob pw"), 6);
	assert_int_equal(console_input_secret_from(f->in, "a1 login bob pw"),
	    9);
	assert_int_equal(console_input_secret_from(f->in, "LOGIN"), 5);
	assert_int_equal(console_input_secret_from(f->in,
			     "AUTHENTICATE PLAIN AGJv"),
	    19);
	assert_int_equal(console_input_secret_from(f->in,
			     "x AUTHENTICATE PLAIN"),
	    20);
	/* every line typed for a running AUTHENTICATE is secret */
	type(f, "AUTHENTICATE PLAIN");
	assert_int_equal(console_input_secret_from(f->in, "AGJvYg=="), 0);
}

/* Added tags read as a lesson: a001, a002... in typing order, marked as
 * added; a typed tag is kept and never repeated by a later added one. */
static void
test_added_tags_are_readable_and_marked(void **state)
{
	struct fixture *f = *state;
	const struct imap_session_command *sc;

	type(f, "NOOP");
	sc = f->last_out;
	assert_non_null(sc);
	assert_true(imap_session_command_tag_added(sc));
	type(f, "a002 NOOP"); /* the next added tag's own form */
	type(f, "x1 NOOP");
	type(f, "a3 NOOP");   /* not the added form: no clash with a003 */
	type(f, "CAPABILITY");
	type(f, "a004 NOOP");
	type(f, "a005 NOOP");
	type(f, "NOOP");
	expect_sent(f, "a001 NOOP\r\na002 NOOP\r\nx1 NOOP\r\na3 NOOP\r\n"
		       "a003 CAPABILITY\r\na004 NOOP\r\na005 NOOP\r\n"
		       "a006 NOOP\r\n");
}

static void
test_typed_tag_is_not_marked_added(void **state)
{
	struct fixture *f = *state;
	const struct imap_session_command *sc;

	type(f, "x1 NOOP");
	sc = f->last_out;
	assert_non_null(sc);
	assert_false(imap_session_command_tag_added(sc));
	assert_string_equal(imap_session_command_get(sc)->tag, "x1");
}

/* --tags manual: every line goes as typed, its first word the tag. */
static void
test_manual_tags_send_lines_as_typed(void **state)
{
	struct fixture *f = *state;
	const struct imap_session_command *sc;

	console_input_set_manual_tags(f->in, true);
	type(f, "NOOP");
	sc = f->last_out;
	assert_non_null(sc);
	assert_false(imap_session_command_tag_added(sc));
	assert_string_equal(imap_session_command_get(sc)->tag, "NOOP");
	type(f, "SELECT INBOX");
	type(f, "x1 NOOP");
	type(f, "x2  NOOP");
	expect_sent(f, "NOOP\r\nSELECT INBOX\r\nx1 NOOP\r\n"
		       "x2  NOOP\r\n");
	/* back to auto: the added tags start at a001 */
	console_input_set_manual_tags(f->in, false);
	type(f, "NOOP");
	expect_sent(f, "a001 NOOP\r\n");
}

/* A LOGIN typed first under --tags manual is the tag, and the rest of
 * the line (the user and the password) stays secret anyway. */
static void
test_manual_tags_keep_login_secret(void **state)
{
	struct fixture *f = *state;

	console_input_set_manual_tags(f->in, true);
	assert_int_equal(console_input_secret_from(f->in, "LOGIN bob pw"), 6);
	assert_int_equal(console_input_secret_from(f->in, "a1 LOGIN bob pw"),
	    9);
	assert_int_equal(console_input_secret_from(f->in, "NOOP"), 4);
	type(f, "LOGIN bob Wonder-land-7q");
	assert_false(console_input_last_line_for_history(f->in));
	expect_sent(f, "LOGIN bob Wonder-land-7q\r\n");
	assert_null(strstr(buf_str(&f->wire), "Wonder"));
	assert_null(strstr(buf_str(&f->wire), "bob"));
	assert_non_null(strstr(buf_str(&f->wire), "LOGIN <redacted>"));
}

/* The tag module alone: the form, the order, skipping typed tags. */
static void
test_console_tags_form_and_uniqueness(void **state)
{
	struct console_tags *t = console_tags_new();
	char seen[64][16];
	size_t i, j;

	(void)state;
	assert_true(console_tags_is_added_form("a001"));
	assert_true(console_tags_is_added_form("a1000"));
	assert_false(console_tags_is_added_form("a1"));
	assert_false(console_tags_is_added_form("a0001"));
	assert_false(console_tags_is_added_form("A001"));
	assert_false(console_tags_is_added_form("abc1"));
	assert_false(console_tags_is_added_form("a001x"));
	console_tags_typed(t, "a003");
	console_tags_typed(t, "a003");
	console_tags_typed(t, "a004");
	console_tags_typed(t, "a9");  /* another form: no clash */
	console_tags_typed(t, "a040");
	for (i = 0; i < 64; i++)
		snprintf(seen[i], sizeof(seen[i]), "%s", console_tags_next(t));
	assert_string_equal(seen[0], "a001");
	assert_string_equal(seen[1], "a002");
	assert_string_equal(seen[2], "a005");
	for (i = 0; i < 64; i++) {
		assert_true(console_tags_is_added_form(seen[i]));
		assert_string_not_equal(seen[i], "a040");
		for (j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
	}
	/* a typed tag the counter has passed cannot clash any more */
	console_tags_typed(t, "a010");
	assert_string_equal(console_tags_next(t), "a068");
	console_tags_free(&t);
	assert_null(t);
	t = console_tags_new();
	for (i = 0; i < 1000; i++)
		(void)console_tags_next(t);
	assert_string_equal(console_tags_next(t), "a1001");
	console_tags_free(&t);
}

static void
test_command_names(void **state)
{
	assert_true(console_input_is_command_name("uid", 3));
	assert_true(console_input_is_command_name("GETQUOTAROOT", 12));
	assert_false(console_input_is_command_name("a1", 2));
	assert_false(console_input_is_command_name("NOOPX", 5));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_auto_tag_and_own_tag,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_is_secret, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_synchronising_literal_is_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_literal_bytes_never_become_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_literal_with_the_rest_of_the_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_literal_is_dropped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_typed_idle_takes_done,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_abandon_finishes_what_was_left, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_typed_authenticate_is_secret, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_secret_part_of_a_typed_line, setup, teardown),
		cmocka_unit_test(test_command_names),
		cmocka_unit_test_setup_teardown(
		    test_added_tags_are_readable_and_marked, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_typed_tag_is_not_marked_added, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_manual_tags_send_lines_as_typed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_manual_tags_keep_login_secret, setup, teardown),
		cmocka_unit_test(test_console_tags_form_and_uniqueness),
	};

	return cmocka_run_group_tests_name("console-input", tests, NULL, NULL);
}
