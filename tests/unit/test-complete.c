/* Unit tests for client-complete: what Tab offers for each word of a
 * typed line, the same for the TUI and --plain. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client-complete.h"
#include "decode-code.h"
#include "decode-mailbox.h"
#include "model.h"
#include "util-buf.h"

/* The candidates for the last word of `line` joined by spaces. */
static char *
offered(struct model *m, const char *line)
{
	const char *sp = strrchr(line, ' '), *paren = strrchr(line, '(');
	const char *word = line;
	char **c;
	struct buf out;
	size_t i;
	char *s;

	if (sp != NULL)
		word = sp + 1;
	if (paren != NULL && paren + 1 > word)
		word = paren + 1;
	c = complete_candidates(m, line, (size_t)(word - line), word, false);
	buf_init(&out, 1 << 16);
	for (i = 0; c[i] != NULL; i++)
		buf_printf(&out, "%s%s", i > 0 ? " " : "", c[i]);
	s = strdup(buf_str(&out));
	buf_free(&out);
	complete_free(&c);
	assert_null(c);
	return s;
}

static void
assert_offers(struct model *m, const char *line, const char *expect)
{
	char *got = offered(m, line);

	assert_string_equal(got, expect);
	free(got);
}

static void
add_mailbox(struct model *m, const char *name, uint64_t serial)
{
	struct list_response l = { .name = name, .delimiter = '/' };

	model_mailboxes_list(model_mailboxes(m), &l, serial, false);
}

static struct model *
model_with_data(void)
{
	struct model *m = model_new(1000);
	const char *flags[] = { "\\Seen", "\\Deleted", "$Todo", "Work" };
	const char *perm[] = { "\\Seen", "$Later", "\\*" };
	struct atom_list fl = { flags, 4 };
	struct response_code code = { .kind = RESP_CODE_PERMANENTFLAGS };
	struct model_selected *sel = model_selected(m);

	add_mailbox(m, "INBOX", 1);
	add_mailbox(m, "Sent Items", 1);
	add_mailbox(m, "Say \"hi\"", 1);
	add_mailbox(m, "Archive", 1);
	model_selected_opening(sel, "INBOX", false);
	model_selected_flags(sel, &fl);
	code.atoms.items = perm;
	code.atoms.count = 3;
	code.any_keyword = true;
	model_selected_code(sel, &code);
	return m;
}

static void
test_context(void **state)
{
	(void)state;
	assert_int_equal(complete_context("", 0), COMPLETE_COMMAND);
	assert_int_equal(complete_context("SEL", 0), COMPLETE_COMMAND);
	assert_int_equal(complete_context("a1 SEL", 3), COMPLETE_COMMAND);
	assert_int_equal(complete_context("UID FE", 4), COMPLETE_UID_COMMAND);
	assert_int_equal(complete_context("t UID FE", 6),
	    COMPLETE_UID_COMMAND);
	assert_int_equal(complete_context("uid fetch 1:* (UID FL", 19),
	    COMPLETE_FETCH_ITEM);
	assert_int_equal(complete_context("FETCH 1 (", 9),
	    COMPLETE_FETCH_ITEM);
	assert_int_equal(complete_context("FETCH 1", 6), COMPLETE_NOTHING);
	assert_int_equal(complete_context("UID STORE 5 +F", 12),
	    COMPLETE_STORE_OP);
	assert_int_equal(complete_context("UID STORE 5 +FLAGS ($T", 20),
	    COMPLETE_FLAG);
	assert_int_equal(complete_context("SELECT I", 7), COMPLETE_MAILBOX);
	assert_int_equal(complete_context("x EXAMINE I", 10),
	    COMPLETE_MAILBOX);
	assert_int_equal(complete_context("STATUS INBOX (M", 14),
	    COMPLETE_STATUS_ITEM);
	assert_int_equal(complete_context("RENAME a b", 9), COMPLETE_MAILBOX);
	assert_int_equal(complete_context("UID MOVE 1:3 T", 13),
	    COMPLETE_MAILBOX);
	assert_int_equal(complete_context("UID MOVE 1", 9), COMPLETE_NOTHING);
	assert_int_equal(complete_context("SEARCH KEYWORD $", 15),
	    COMPLETE_FLAG);
	assert_int_equal(complete_context("SEARCH UNS", 7),
	    COMPLETE_SEARCH_KEY);
	/* LOGIN's arguments are no mailbox: nothing, never a file name */
	assert_int_equal(complete_context("LOGIN al", 6), COMPLETE_NOTHING);
	assert_int_equal(complete_context("LIST \"\" I", 8),
	    COMPLETE_MAILBOX);
	assert_int_equal(complete_context("SELECT \"Sent", 8),
	    COMPLETE_MAILBOX);
	assert_int_equal(complete_context("t NOSUCH x", 9), COMPLETE_NOTHING);
}

static void
test_commands(void **state)
{
	(void)state;
	assert_offers(NULL, "SEL", "SELECT");
	assert_offers(NULL, "sel", "SELECT");
	assert_offers(NULL, "a1 EXAM", "EXAMINE");
	/* every UID command behind one "UID" */
	assert_offers(NULL, "UI", "UID");
	assert_offers(NULL, "UID FE", "FETCH");
	assert_offers(NULL, "UID ", "COPY EXPUNGE FETCH MOVE SEARCH SORT STORE THREAD");
	assert_offers(NULL, "UID FETCH 1:* (UID BODY.P",
	    "BODY.PEEK[] BODY.PEEK[HEADER] BODY.PEEK[TEXT]");
	assert_offers(NULL, "FETCH 1 (RFC", "RFC822.SIZE");
	assert_offers(NULL, "FETCH 1", "");
	assert_offers(NULL, "UID STORE 1 -F", "-FLAGS -FLAGS.SILENT");
	assert_offers(NULL, "STATUS INBOX (UID",
	    "UIDNEXT UIDVALIDITY");
	assert_offers(NULL, "LOGIN al", "");
}

static void
test_model(void **state)
{
	struct model *m = model_with_data();

	(void)state;
	/* keywords from FLAGS and PERMANENTFLAGS, never \* */
	assert_offers(m, "UID STORE 4 +FLAGS ($T", "$Todo");
	assert_offers(m, "STORE 1 FLAGS (\\Seen $L", "$Later");
	assert_offers(m, "UID STORE 4 +FLAGS (W", "Work");
	assert_offers(m, "UID STORE 4 +FLAGS (\\", "\\Seen \\Answered "
	    "\\Flagged \\Deleted \\Draft");
	assert_offers(m, "SEARCH KEYWORD $T", "$Todo");
	/* mailboxes, quoted when they are not atoms */
	assert_offers(m, "SELECT I", "INBOX");
	assert_offers(m, "a EXAMINE S", "\"Say \\\"hi\\\"\" \"Sent Items\"");
	assert_offers(m, "UID COPY 1:2 Ar", "Archive");
	assert_offers(m, "RENAME Archive Ar", "Archive");
	model_free(&m);
}

/* Inside a quote the typist opened, the name comes bare. */
static void
test_in_quotes(void **state)
{
	struct model *m = model_with_data();
	char **c = complete_candidates(m, "SELECT \"Sent", 8, "Sent", true);

	(void)state;
	assert_string_equal(c[0], "Sent Items");
	assert_null(c[1]);
	complete_free(&c);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_in_quotes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
