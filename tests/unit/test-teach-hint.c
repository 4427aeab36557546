/* Unit tests for teach-hint: the grammar and the argument under the
 * cursor, and each warning's exact text and suggested line; nothing for
 * correct lines, and nothing of a LOGIN's arguments in any text. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "teach-hint.h"

#define SECTION "\xc2\xa7"

static void
hint_at(const char *line, size_t cursor,
    const struct teach_hint_context *ctx, struct teach_hint *h)
{
	teach_hint(line, strlen(line), cursor, ctx, h);
}

static void
hint_of(const char *line, const struct teach_hint_context *ctx,
    struct teach_hint *h)
{
	hint_at(line, strlen(line), ctx, h);
}

/* Warning i: its kind, text and suggested line (NULL: none). */
static void
expect_warning(const struct teach_hint *h, size_t i,
    enum teach_hint_kind kind, const char *text, const char *suggestion)
{
	const struct teach_hint_warning *w;

	if (i >= h->warning_count)
		fail_msg("no warning %zu (%zu in all)", i, h->warning_count);
	w = &h->warnings[i];
	assert_int_equal(w->kind, kind);
	assert_non_null(w->cited);
	assert_string_equal(w->text, text);
	if (suggestion == NULL)
		assert_null(w->suggestion);
	else
		assert_string_equal(w->suggestion, suggestion);
}

/* The argument highlighted: its index and its text in the grammar. */
static void
expect_arg(const struct teach_hint *h, int arg, const char *text)
{
	assert_non_null(h->syntax);
	assert_int_equal(h->arg, arg);
	if (text == NULL) {
		assert_int_equal(h->arg_start, 0);
		assert_int_equal(h->arg_end, 0);
		return;
	}
	assert_int_equal(h->arg_end - h->arg_start, strlen(text));
	assert_memory_equal(h->syntax->meaning + h->arg_start, text,
	    strlen(text));
}

static void
expect_no_warning(const char *line, const struct teach_hint_context *ctx)
{
	struct teach_hint h;

	hint_of(line, ctx, &h);
	if (h.warning_count != 0)
		fail_msg("\"%s\": %s", line, h.warnings[0].text);
	teach_hint_free(&h);
}

static void
test_correct_lines(void **state)
{
	static const char *const lines[] = {
		"a1 FETCH 1:* (FLAGS)",
		"SELECT INBOX",
		"UID FETCH 1,3:5 BODY.PEEK[HEADER.FIELDS (SUBJECT)]",
		"LOGIN alice \"pass word\"",
		"APPEND INBOX {12}",
		"APPEND INBOX (\\Seen) \"1-Jan-2024 10:00:00 +0000\" {12+}",
		"SEARCH UNSEEN",
		"STATUS \"Entw&APw-rfe\" (MESSAGES)",
		"SEARCH (SUBJECT {5}",
		"SEARCH CHARSET UTF-8 SUBJECT \"Gr\xc3\xbc\xc3\x9f" "e\"",
		"STORE 1 +FLAGS (\\Seen)",
		"UID STORE 1:* +FLAGS.SILENT (\\Deleted)",
		"UID EXPUNGE 1:3",
		"UID FETCH $ (FLAGS)",
		"FETCH 1,$ FLAGS",
		"LIST \"\" *",
		"LIST (SUBSCRIBED) \"\" \"%\" RETURN (CHILDREN)",
		"SELECT \"a\\\"b\"",
		"SELECT \"\"",
		"CREATE \"\" \"\"",
		"GETMETADATA \"\" /shared/comment",
		"AUTHENTICATE PLAIN dGVzdA==",
		"ID (\"name\" \"imapwb\")",
		"SETACL INBOX bob lr",
		"a1 uid fetch 1 flags",
		"   NOOP  ",
		"",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		expect_no_warning(lines[i], NULL);
}

/* DONE for a running IDLE, a SASL response, a literal's bytes: no hint,
 * whatever the line holds. */
static void
test_steps_get_no_hint(void **state)
{
	const struct teach_hint_context step = { .step = true };
	struct teach_hint h;

	(void)state;
	hint_of("DONE", &step, &h);
	assert_null(h.syntax);
	assert_int_equal(h.arg, -1);
	assert_int_equal(h.warning_count, 0);
	hint_of("FETCH 1: (FLAGS", &step, &h);
	assert_null(h.syntax);
	assert_int_equal(h.warning_count, 0);
	/* and DONE typed as a command is no slip for one */
	hint_of("DONE", NULL, &h);
	assert_null(h.syntax);
	assert_int_equal(h.warning_count, 0);
}

/* The argument under the cursor at byte offset cursor of line. */
static void
expect_arg_at(const char *line, size_t cursor, int arg, const char *text)
{
	struct teach_hint h;

	hint_at(line, cursor, NULL, &h);
	expect_arg(&h, arg, text);
	teach_hint_free(&h);
}

static void
test_cursor_argument(void **state)
{
	static const char *const tagged = "a1 FETCH 1:* (FLAGS)";
	struct teach_hint h;

	(void)state;
	hint_at(tagged, 0, NULL, &h); /* in the tag */
	assert_string_equal(h.syntax->name, "FETCH");
	assert_string_equal(h.syntax->meaning,
	    "FETCH sequence-set (item ...) [(CHANGEDSINCE mod-sequence)]");
	expect_arg(&h, -1, NULL);
	expect_arg_at(tagged, 2, -1, NULL); /* at the tag's end */
	expect_arg_at(tagged, 3, 0, "FETCH");
	expect_arg_at(tagged, 8, 0, "FETCH");
	expect_arg_at(tagged, 9, 1, "sequence-set");
	expect_arg_at(tagged, 12, 1, "sequence-set");
	expect_arg_at(tagged, 14, 2, "(item ...)");
	expect_arg_at(tagged, 999, 2, "(item ...)"); /* past the end */

	/* no tag; after a space, the next argument, optional or not */
	expect_arg_at("FETCH 1:* (FLAGS) ", 18, 3,
	    "[(CHANGEDSINCE mod-sequence)]");
	expect_arg_at("FETCH ", 6, 1, "sequence-set");
	expect_arg_at("SELECT INBOX ", 13, 2, "[(CONDSTORE)]");
	expect_arg_at("FETCH 1 (FLAGS", 14, 2, "(item ...)"); /* list open */
	expect_arg_at("NOOP x", 6, -1, NULL); /* past the grammar */
	expect_arg_at("a1  FETCH 1", 3, -1, NULL); /* tag, then command */

	/* "UID FETCH" is one element; "UID" alone has its own grammar */
	expect_arg_at("UID FETCH 1:5 FLAGS", 1, 0, "UID FETCH");
	expect_arg_at("UID FETCH 1:5 FLAGS", 7, 0, "UID FETCH");
	expect_arg_at("UID FETCH 1:5 FLAGS", 11, 1, "uid-set");
	hint_of("UID ", NULL, &h);
	assert_string_equal(h.syntax->name, "UID");
	expect_arg(&h, 1, "command");
	expect_arg_at("a1 uid fe", 9, 1, "command");

	/* optional keywords take their words; "..." repeats */
	expect_arg_at("SEARCH CHARSET UTF-8 FROM x SUBJECT y", 17, 2,
	    "[CHARSET name]");
	expect_arg_at("SEARCH CHARSET UTF-8 FROM x SUBJECT y", 30, 3,
	    "criterion");
	expect_arg_at("APPEND INBOX {12}", 17, 4, "{size}");
	expect_arg_at("STORE 1 -FLAGS.SILENT", 21, 3, "[+|-]FLAGS[.SILENT]");
	expect_arg_at("LIST \"\" \"*\"", 6, 2, "reference");

	/* UTF-8: the cursor is a byte offset, inside "\xc3\xbc" too */
	expect_arg_at("SELECT Entw\xc3\xbcrfe (CONDSTORE)", 12, 1, "mailbox");
	expect_arg_at("SELECT Entw\xc3\xbcrfe (CONDSTORE)", 16, 1, "mailbox");
	expect_arg_at("SELECT Entw\xc3\xbcrfe (CONDSTORE)", 17, 2,
	    "[(CONDSTORE)]");
}

/* A slip for a command as the first word: the console sends it as the
 * tag and the next word as the command. */
static void
test_tag_slip(void **state)
{
	struct teach_hint h;

	(void)state;
	hint_of("SELEC INBOX", NULL, &h);
	assert_int_equal(h.warning_count, 2);
	expect_warning(&h, 0, TEACH_HINT_TAG_SLIP,
	    "SELEC is taken as the tag and INBOX as the command: did you "
	    "mean SELECT INBOX? (RFC 9051 " SECTION "2.2.1)",
	    "SELECT INBOX");
	expect_warning(&h, 1, TEACH_HINT_MAILBOX,
	    "INBOX is a mailbox, not a command (RFC 9051 " SECTION "5.1)",
	    NULL);
	assert_string_equal(h.warnings[1].cited->name, "INBOX");
	assert_null(h.syntax); /* INBOX has no grammar */
	teach_hint_free(&h);

	hint_of("fecth 1:* (FLAGS)", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	expect_warning(&h, 0, TEACH_HINT_TAG_SLIP,
	    "fecth is taken as the tag and 1:* as the command: did you mean "
	    "FETCH 1:* ...? (RFC 9051 " SECTION "2.2.1)",
	    "FETCH 1:* (FLAGS)");
	teach_hint_free(&h);

	/* a tag that looks like a command before a real command is a tag */
	expect_no_warning("fecth FETCH 1 FLAGS", NULL);
}

static void
test_misspelled(void **state)
{
	struct teach_hint h;

	(void)state;
	hint_of("a1 fecth 1:* (FLAGS)", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	expect_warning(&h, 0, TEACH_HINT_MISSPELLED,
	    "fecth is not an IMAP command: did you mean FETCH? (RFC 9051 "
	    SECTION "6.4.5)",
	    "a1 FETCH 1:* (FLAGS)");
	teach_hint_free(&h);

	/* a word alone is the command being typed */
	hint_of("fecth", NULL, &h);
	expect_warning(&h, 0, TEACH_HINT_MISSPELLED,
	    "fecth is not an IMAP command: did you mean FETCH? (RFC 9051 "
	    SECTION "6.4.5)",
	    "FETCH");
	teach_hint_free(&h);

	hint_of("a1 uid fecth 1 FLAGS", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	expect_warning(&h, 0, TEACH_HINT_MISSPELLED,
	    "UID fecth is not an IMAP command: did you mean UID FETCH? (RFC "
	    "9051 " SECTION "6.4.9)",
	    "a1 uid FETCH 1 FLAGS");
	teach_hint_free(&h);

	/* no command near, or none the console would know after UID */
	expect_no_warning("a1 XYZZY", NULL);
	expect_no_warning("UID SELEC INBOX", NULL);
}

static bool
known_mailbox(void *arg, const char *name, size_t len)
{
	assert_string_equal(arg, "tree");
	return len == 4 && memcmp(name, "Sent", 4) == 0;
}

static void
test_mailbox_as_command(void **state)
{
	const struct teach_hint_context tree = {
		.is_mailbox = known_mailbox,
		.is_mailbox_arg = "tree",
	};
	struct teach_hint h;

	(void)state;
	hint_of("a1 INBOX", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	expect_warning(&h, 0, TEACH_HINT_MAILBOX,
	    "INBOX is a mailbox, not a command (RFC 9051 " SECTION "5.1)",
	    NULL);
	teach_hint_free(&h);

	hint_of("a1 inbox/Drafts", NULL, &h);
	expect_warning(&h, 0, TEACH_HINT_MAILBOX,
	    "inbox/Drafts is a mailbox, not a command (RFC 9051 " SECTION
	    "5.1)",
	    NULL);
	assert_string_equal(h.warnings[0].cited->name, "mailbox name");
	teach_hint_free(&h);

	hint_of("a1 Sent", &tree, &h);
	expect_warning(&h, 0, TEACH_HINT_MAILBOX,
	    "Sent is a mailbox, not a command (RFC 9051 " SECTION "5.1)",
	    NULL);
	teach_hint_free(&h);
	expect_no_warning("a1 Sent", NULL);
	expect_no_warning("a1 Trash", &tree);
}

static void
test_unbalanced(void **state)
{
	struct teach_hint h;

	(void)state;
	hint_of("STATUS \"INBOX (MESSAGES", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	expect_warning(&h, 0, TEACH_HINT_QUOTE,
	    "a quoted string is left open: end it with \" (RFC 9051 " SECTION
	    "4.3)",
	    "STATUS \"INBOX (MESSAGES\"");
	teach_hint_free(&h);

	hint_of("a1 FETCH 1 (FLAGS", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	expect_warning(&h, 0, TEACH_HINT_PARENTHESIS,
	    "a list is left open: end it with \")\" (RFC 9051 " SECTION
	    "4.4)",
	    "a1 FETCH 1 (FLAGS)");
	teach_hint_free(&h);

	hint_of("FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT", NULL, &h);
	expect_warning(&h, 0, TEACH_HINT_PARENTHESIS,
	    "2 lists are left open: end them with \")\" (RFC 9051 " SECTION
	    "4.4)",
	    "FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT))");
	teach_hint_free(&h);

	/* both open: each offers the line with both closed */
	hint_of("SEARCH (SUBJECT \"hi", NULL, &h);
	assert_int_equal(h.warning_count, 2);
	expect_warning(&h, 0, TEACH_HINT_QUOTE,
	    "a quoted string is left open: end it with \" (RFC 9051 " SECTION
	    "4.3)",
	    "SEARCH (SUBJECT \"hi\")");
	expect_warning(&h, 1, TEACH_HINT_PARENTHESIS,
	    "a list is left open: end it with \")\" (RFC 9051 " SECTION
	    "4.4)",
	    "SEARCH (SUBJECT \"hi\")");
	teach_hint_free(&h);

	hint_of("FETCH 1 FLAGS)", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	expect_warning(&h, 0, TEACH_HINT_PARENTHESIS,
	    "a \")\" closes a list that was never opened (RFC 9051 " SECTION
	    "4.4)",
	    NULL);
	teach_hint_free(&h);

	/* parentheses in a quoted string are text; an escaped quote does
	 * not end it; a list may close after the literal's bytes */
	expect_no_warning("SEARCH SUBJECT \"(a\\\")\"", NULL);
	expect_no_warning("APPEND INBOX (\\Seen {12}", NULL);
}

static void
test_mailbox_names(void **state)
{
	const struct teach_hint_context utf8 = { .utf8_accept = true };
	struct teach_hint h;

	(void)state;
	hint_of("SELECT Entw\xc3\xbcrfe", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	expect_warning(&h, 0, TEACH_HINT_MUTF7,
	    "Entw\xc3\xbcrfe has 8-bit characters: without UTF8=ACCEPT the "
	    "server expects modified UTF-7: Entw&APw-rfe (RFC 9051 " SECTION
	    "A.1)",
	    "SELECT Entw&APw-rfe");
	teach_hint_free(&h);

	/* quoted stays quoted, escapes kept */
	hint_of("a1 STATUS \"Entw\\\"\xc3\xbcrfe\" (MESSAGES)", NULL, &h);
	expect_warning(&h, 0, TEACH_HINT_MUTF7,
	    "\"Entw\\\"\xc3\xbcrfe\" has 8-bit characters: without "
	    "UTF8=ACCEPT the server expects modified UTF-7: "
	    "\"Entw\\\"&APw-rfe\" (RFC 9051 " SECTION "A.1)",
	    "a1 STATUS \"Entw\\\"&APw-rfe\" (MESSAGES)");
	teach_hint_free(&h);

	/* COPY's and MOVE's target is their last argument */
	hint_of("UID MOVE 1:3 \xc3\x9c" "bersicht", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	assert_string_equal(h.warnings[0].suggestion,
	    "UID MOVE 1:3 &ANw-bersicht");
	teach_hint_free(&h);
	hint_of("COPY 1 Entw\xc3\xbcrfe", NULL, &h);
	assert_string_equal(h.warnings[0].suggestion, "COPY 1 Entw&APw-rfe");
	teach_hint_free(&h);

	/* both of RENAME's, and LIST's pattern with its wildcard */
	hint_of("RENAME \xc3\xa9t\xc3\xa9 \xc3\xa9t\xc3\xa9-2024", NULL, &h);
	assert_int_equal(h.warning_count, 2);
	assert_string_equal(h.warnings[0].suggestion,
	    "RENAME &AOk-t&AOk- \xc3\xa9t\xc3\xa9-2024");
	assert_string_equal(h.warnings[1].suggestion,
	    "RENAME \xc3\xa9t\xc3\xa9 &AOk-t&AOk--2024");
	teach_hint_free(&h);
	hint_of("LIST \"\" Entw\xc3\xbcrfe*", NULL, &h);
	assert_string_equal(h.warnings[0].suggestion,
	    "LIST \"\" Entw&APw-rfe*");
	teach_hint_free(&h);

	/* an "&" that starts no encoded run */
	hint_of("CREATE R&D", NULL, &h);
	expect_warning(&h, 0, TEACH_HINT_MUTF7,
	    "R&D is not modified UTF-7, where \"&\" starts an encoded run "
	    "and a plain \"&\" is \"&-\": R&-D (RFC 9051 " SECTION "A.1)",
	    "CREATE R&-D");
	teach_hint_free(&h);

	hint_of("SELECT Entw\xfcrfe", NULL, &h);
	expect_warning(&h, 0, TEACH_HINT_MUTF7,
	    "this mailbox name is not valid UTF-8, so it has no modified "
	    "UTF-7 form (RFC 9051 " SECTION "5.1)",
	    NULL);
	teach_hint_free(&h);

	/* UTF8=ACCEPT: names travel as UTF-8; a literal is not looked at */
	expect_no_warning("SELECT Entw\xc3\xbcrfe", &utf8);
	expect_no_warning("CREATE R&D", &utf8);
	expect_no_warning("SELECT {9}", NULL);
	/* search text is no mailbox name */
	expect_no_warning("SEARCH SUBJECT \xc3\xbc", NULL);
}

static void
test_sets(void **state)
{
	static const struct {
		const char *line, *text;
	} bad[] = {
		{ "FETCH 1: FLAGS", "1: is not a valid sequence set: a range "
				    "needs a number after \":\"" },
		{ "FETCH 0 FLAGS", "0 is not a valid sequence set: message "
				   "numbers start at 1, and no number starts "
				   "with 0" },
		{ "FETCH 1,,2 FLAGS", "1,,2 is not a valid sequence set: two "
				      "commas have nothing between them" },
		{ "FETCH a FLAGS", "a is not a valid sequence set: a set "
				   "holds numbers, \"*\", ranges such as 2:4, "
				   "and commas between them" },
		{ "STORE 1, +FLAGS (\\Seen)", "1, is not a valid sequence "
					      "set: nothing follows the last "
					      "comma" },
		{ "COPY :5 INBOX", ":5 is not a valid sequence set: a range "
				   "needs a number before \":\"" },
		{ "MOVE 1:2:3 INBOX", "1:2:3 is not a valid sequence set: a "
				      "range has one \":\", as in 2:4" },
		{ "a1 UID FETCH 4294967296 FLAGS", "4294967296 is not a valid "
						   "UID set: a number is "
						   "larger than 4294967295" },
		{ "UID EXPUNGE $,1", "$,1 is not a valid UID set: \"$\" (the "
				     "saved search result) can only come "
				     "last" },
		{ "UID COPY 1:$ INBOX", "1:$ is not a valid UID set: \"$\" "
					"(the saved search result) cannot be "
					"part of a range" },
	};
	struct teach_hint h;
	char want[TEACH_HINT_TEXT_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hint_of(bad[i].line, NULL, &h);
		assert_int_equal(h.warning_count, 1);
		snprintf(want, sizeof(want), "%s (RFC 9051 " SECTION "4.1.1)",
		    bad[i].text);
		expect_warning(&h, 0, TEACH_HINT_SET, want, NULL);
		teach_hint_free(&h);
	}
	expect_no_warning("FETCH * FLAGS", NULL);
	expect_no_warning("UID FETCH 1:* FLAGS", NULL);
	expect_no_warning("UID COPY $ INBOX", NULL);
	expect_no_warning("FETCH 5:2,7,9:* FLAGS", NULL);
	expect_no_warning("FETCH 4294967295 FLAGS", NULL);
}

/* No LOGIN or AUTHENTICATE argument in any text or suggestion, even
 * when a slip makes the console send them as a command. */
static void
expect_nothing_of(const struct teach_hint *h, const char *secret)
{
	size_t i;

	for (i = 0; i < h->warning_count; i++) {
		assert_null(strstr(h->warnings[i].text, secret));
		assert_null(h->warnings[i].suggestion);
	}
}

static void
test_secrets(void **state)
{
	struct teach_hint h;

	(void)state;
	hint_of("LOGN alice \"pass word", NULL, &h);
	assert_int_equal(h.warning_count, 2);
	expect_warning(&h, 0, TEACH_HINT_TAG_SLIP,
	    "LOGN is taken as the tag and the next word as the command: "
	    "did you mean LOGIN? (RFC 9051 " SECTION "2.2.1)",
	    NULL);
	expect_warning(&h, 1, TEACH_HINT_QUOTE,
	    "a quoted string is left open: end it with \" (RFC 9051 " SECTION
	    "4.3)",
	    NULL);
	expect_nothing_of(&h, "alice");
	expect_nothing_of(&h, "pass");
	teach_hint_free(&h);

	hint_of("a1 LOGN alice (secret", NULL, &h);
	assert_int_equal(h.warning_count, 2);
	expect_warning(&h, 0, TEACH_HINT_MISSPELLED,
	    "LOGN is not an IMAP command: did you mean LOGIN? (RFC 9051 "
	    SECTION "6.2.3)",
	    NULL);
	expect_nothing_of(&h, "alice");
	expect_nothing_of(&h, "secret");
	teach_hint_free(&h);

	hint_of("AUTHENTICAT PLAIN AGFsaWNlAHNlY3JldA==", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	expect_nothing_of(&h, "PLAIN");
	expect_nothing_of(&h, "AGFs");
	teach_hint_free(&h);

	/* a LOGIN line: its quotes are checked, its words never copied,
	 * and an 8-bit password is no mailbox */
	hint_of("LOGIN alice \"pass word", NULL, &h);
	assert_int_equal(h.warning_count, 1);
	assert_int_equal(h.warnings[0].kind, TEACH_HINT_QUOTE);
	expect_nothing_of(&h, "pass");
	teach_hint_free(&h);
	expect_no_warning("LOGIN alice p\xc3\xa4ss&", NULL);
	hint_of("AUTHENTICATE PLAIN (x", NULL, &h);
	expect_nothing_of(&h, "(x");
	teach_hint_free(&h);
}

/* Long words are quoted cut at a character, the line need not end in a
 * NUL, and a line too long for a hint gets none. */
static void
test_bounds(void **state)
{
	char line[TEACH_HINT_LINE_MAX + 2], want[TEACH_HINT_TEXT_MAX];
	struct teach_hint h;
	size_t i, n;

	(void)state;
	n = (size_t)snprintf(line, sizeof(line), "SELECT ");
	for (i = 0; i < 30; i++, n += 2)
		memcpy(line + n, "\xc3\xbc", 2);
	line[n] = '\0';
	hint_of(line, NULL, &h);
	assert_int_equal(h.warning_count, 1);
	n = (size_t)snprintf(want, sizeof(want), "%s", "");
	for (i = 0; i < 24; i++, n += 2)
		memcpy(want + n, "\xc3\xbc", 2);
	snprintf(want + n, sizeof(want) - n, "... has 8-bit characters");
	assert_memory_equal(h.warnings[0].text, want, strlen(want));
	teach_hint_free(&h);

	/* the bytes after len are not the line's */
	memcpy(line, "FETCH 1:5 FLAGS 1: (", 20);
	teach_hint(line, 15, 15, NULL, &h);
	assert_int_equal(h.warning_count, 0);
	expect_arg(&h, 2, "(item ...)");
	teach_hint_free(&h);

	/* more words than are looked at */
	n = (size_t)snprintf(line, sizeof(line), "SEARCH");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " ALL");
	hint_of(line, NULL, &h);
	assert_int_equal(h.warning_count, 0);
	expect_arg(&h, -1, NULL);
	hint_at(line, 10, NULL, &h);
	expect_arg(&h, 3, "criterion");
	teach_hint_free(&h);

	memset(line, 'a', sizeof(line) - 1);
	memcpy(line, "FETCH 0 (", 9);
	line[sizeof(line) - 1] = '\0';
	hint_of(line, NULL, &h);
	assert_null(h.syntax);
	assert_int_equal(h.warning_count, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_correct_lines),
		cmocka_unit_test(test_steps_get_no_hint),
		cmocka_unit_test(test_cursor_argument),
		cmocka_unit_test(test_tag_slip),
		cmocka_unit_test(test_misspelled),
		cmocka_unit_test(test_mailbox_as_command),
		cmocka_unit_test(test_unbalanced),
		cmocka_unit_test(test_mailbox_names),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests_name("teach-hint", tests, NULL, NULL);
}
