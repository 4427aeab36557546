/* Unit tests for imap-command: the builder picks atom, quoted string or
 * literal by itself, and splits commands at synchronising literals. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "imap-command.h"

static const struct imap_literal_caps no_caps = { false, false, false };
static const struct imap_literal_caps plus_caps = { true, false, false };
static const struct imap_literal_caps minus_caps = { false, true, false };
static const struct imap_literal_caps utf8_caps = { false, false, true };

static void
assert_chunk(const struct imap_command *cmd, size_t i, const char *want,
    bool wait)
{
	assert_true(i < cmd->chunk_count);
	assert_int_equal(cmd->chunks[i].data.len, strlen(want));
	assert_memory_equal(cmd->chunks[i].data.data, want, strlen(want));
	assert_int_equal(cmd->chunks[i].wait_continuation, wait);
}

static void
test_forms(void **state)
{
	assert_int_equal(imap_string_form("INBOX", 5, true, &no_caps),
	    IMAP_FORM_ATOM);
	assert_int_equal(imap_string_form("", 0, true, &no_caps),
	    IMAP_FORM_QUOTED);
	assert_int_equal(imap_string_form("nil", 3, true, &no_caps),
	    IMAP_FORM_QUOTED);
	assert_int_equal(imap_string_form("a b", 3, true, &no_caps),
	    IMAP_FORM_QUOTED);
	assert_int_equal(imap_string_form("a]", 2, true, &no_caps),
	    IMAP_FORM_QUOTED);
	assert_int_equal(imap_string_form("INBOX", 5, false, &no_caps),
	    IMAP_FORM_QUOTED);
	assert_int_equal(imap_string_form("a\r\nb", 4, true, &no_caps),
	    IMAP_FORM_LITERAL);
	assert_int_equal(imap_string_form("M\xc3\xbc", 3, true, &no_caps),
	    IMAP_FORM_LITERAL);
	assert_int_equal(imap_string_form("M\xc3\xbc", 3, true, &utf8_caps),
	    IMAP_FORM_QUOTED);
	assert_int_equal(imap_string_form("a\0b", 3, true, &no_caps),
	    IMAP_FORM_IMPOSSIBLE);
}

static void
test_simple_command(void **state)
{
	const char *err;
	struct imap_command *cmd = imap_command_build("x1", &no_caps, &err,
	    "SELECT %s", "INBOX");

	assert_non_null(cmd);
	assert_string_equal(cmd->name, "SELECT");
	assert_int_equal(cmd->chunk_count, 1);
	assert_chunk(cmd, 0, "x1 SELECT INBOX\r\n", false);
	imap_command_free(&cmd);
	assert_null(cmd);
}

static void
test_quoting(void **state)
{
	const char *err;
	struct imap_command *cmd = imap_command_build("x2", &no_caps, &err,
	    "LOGIN %s %s", "alice", "pa\"ss\\word here");

	assert_chunk(cmd, 0, "x2 LOGIN alice \"pa\\\"ss\\\\word here\"\r\n",
	    false);
	imap_command_free(&cmd);
}

static void
test_synchronising_literal_splits(void **state)
{
	const char *err;
	struct imap_command *cmd = imap_command_build("x3", &no_caps, &err,
	    "LOGIN %s %s", "alice", "line1\r\nline2");

	assert_int_equal(cmd->chunk_count, 2);
	assert_chunk(cmd, 0, "x3 LOGIN alice {12}\r\n", true);
	assert_chunk(cmd, 1, "line1\r\nline2\r\n", false);
	imap_command_free(&cmd);
}

static void
test_literal_plus_and_minus(void **state)
{
	char big[5000];
	const char *err;
	struct imap_command *cmd;

	cmd = imap_command_build("x4", &plus_caps, &err, "CREATE %s",
	    "Entw\xc3\xbcrfe");
	assert_int_equal(cmd->chunk_count, 1);
	assert_chunk(cmd, 0, "x4 CREATE {9+}\r\nEntw\xc3\xbcrfe\r\n", false);
	imap_command_free(&cmd);

	cmd = imap_command_build("x5", &minus_caps, &err, "CREATE %s",
	    "a\nb");
	assert_chunk(cmd, 0, "x5 CREATE {3+}\r\na\nb\r\n", false);
	imap_command_free(&cmd);

	/* LITERAL- stops at 4096 octets: then it must synchronise. */
	memset(big, 'x', sizeof(big));
	big[0] = '\n';
	cmd = imap_command_build("x6", &minus_caps, &err, "APPEND %a %b",
	    "INBOX", big, sizeof(big));
	assert_int_equal(cmd->chunk_count, 2);
	assert_chunk(cmd, 0, "x6 APPEND INBOX {5000}\r\n", true);
	assert_int_equal(cmd->chunks[1].data.len, 5002);
	imap_command_free(&cmd);
}

static void
test_numbers_atoms_and_uid_names(void **state)
{
	const char *err;
	struct imap_command *cmd = imap_command_build("x7", &no_caps, &err,
	    "UID FETCH %U:%u (%a)", (uint64_t)4294967295u, 7u, "RFC822.SIZE");

	assert_string_equal(cmd->name, "UID FETCH");
	assert_chunk(cmd, 0, "x7 UID FETCH 4294967295:7 (RFC822.SIZE)\r\n",
	    false);
	imap_command_free(&cmd);
}

static void
test_errors(void **state)
{
	const char *err;

	assert_null(imap_command_build("x8", &no_caps, &err, "X %b", "a\0b",
	    (size_t)3));
	assert_string_equal(err, "a string with a NUL byte cannot be sent");
	assert_null(imap_command_build("x9", &no_caps, &err, "X %z"));
	assert_string_equal(err, "unknown directive in a command format");
	assert_null(imap_command_build("x9", &no_caps, &err, "X %"));
	assert_string_equal(err, "a command format ends in '%'");
}

static void
test_from_line_refuses_line_breaks(void **state)
{
	struct imap_command *cmd = imap_command_from_line("a1", "noop");

	assert_string_equal(cmd->name, "NOOP");
	assert_chunk(cmd, 0, "a1 noop\r\n", false);
	imap_command_free(&cmd);
	assert_null(imap_command_from_line("a1", "NOOP\r\na2 LOGOUT"));
	assert_null(imap_command_from_line("a1", "NOOP\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_simple_command),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_synchronising_literal_splits),
		cmocka_unit_test(test_literal_plus_and_minus),
		cmocka_unit_test(test_numbers_atoms_and_uid_names),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_from_line_refuses_line_breaks),
	};

	return cmocka_run_group_tests_name("imap-command", tests, NULL, NULL);
}
