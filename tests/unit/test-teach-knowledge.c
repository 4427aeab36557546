/* Unit tests for teach-knowledge: every name the decoders, the command
 * table and the test bed's servers use has a row, and every command its
 * grammar; every row cites an RFC the table lists; lookups find what a
 * server sends. */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "decode-code.h"
#include "decode-fetch.h"
#include "decode-mailbox.h"
#include "decode-response.h"
#include "imap-command-table.h"
#include "model-index.h"
#include "teach-knowledge.h"
#include "teach-suggest.h"
#include "teach-syntax.h"

/* A name with no row of its kind fails, saying which. */
static void
must_know(enum knowledge_kind kind, const char *name, size_t len)
{
	const struct knowledge_row *r = knowledge_find_n(kind, name, len);

	if (r == NULL)
		fail_msg("no %s row for \"%.*s\"", knowledge_kind_name(kind),
		    (int)len, name);
	/* a grammar may be just the name: "NOOP" */
	if (kind != KNOW_SYNTAX && strlen(r->meaning) < 8)
		fail_msg("the %s row for \"%.*s\" has no meaning",
		    knowledge_kind_name(kind), (int)len, name);
}

static void
must_know_s(enum knowledge_kind kind, const char *name)
{
	must_know(kind, name, strlen(name));
}

static void
test_every_row_is_well_formed(void **state)
{
	const struct knowledge_row *r, *other;
	size_t i, j;

	(void)state;
	assert_true(knowledge_count() > 300);
	for (i = 0; (r = knowledge_at(i)) != NULL; i++) {
		if (r->name[0] == '\0' || r->meaning[0] == '\0')
			fail_msg("row %zu is empty", i);
		/* one line, lower case first (names quoted may be upper),
		 * no final stop ("criterion ..." is no stop) */
		if (strchr(r->meaning, '\n') != NULL ||
		    (r->meaning[strlen(r->meaning) - 1] == '.' &&
			r->kind != KNOW_SYNTAX))
			fail_msg("the meaning of %s %s is not one line without "
			    "a stop", knowledge_kind_name(r->kind), r->name);
		/* but a title is a title, and a grammar starts with the
		 * command's name */
		if (r->kind != KNOW_RFC && r->kind != KNOW_SYNTAX &&
		    isupper((unsigned char)r->meaning[0]))
			fail_msg("the meaning of %s %s starts in upper case",
			    knowledge_kind_name(r->kind), r->name);
		if (r->kind == KNOW_SYNTAX &&
		    (strncmp(r->meaning, r->name, strlen(r->name)) != 0 ||
			(r->meaning[strlen(r->name)] != ' ' &&
			    r->meaning[strlen(r->name)] != '\0')))
			fail_msg("the grammar of %s does not start with its "
			    "name", r->name);
		if (r->kind != KNOW_RFC && r->rfc != 0 &&
		    knowledge_rfc_title(r->rfc) == NULL)
			fail_msg("%s %s cites RFC %u, which the table does not "
			    "list", knowledge_kind_name(r->kind), r->name,
			    r->rfc);
		if (r->kind == KNOW_RIGHT &&
		    (strlen(r->name) != 1 ||
			knowledge_right_name_len(r) ==
			    (int)strlen(r->meaning)))
			fail_msg("right %s: one letter, and a meaning that "
			    "starts \"name: \"", r->name);
		other = knowledge_find(r->kind, r->name);
		if (other != r && r->kind != KNOW_RIGHT)
			fail_msg("%s %s has two rows",
			    knowledge_kind_name(r->kind), r->name);
		for (j = 0; r->kind == KNOW_RIGHT &&
		     (other = knowledge_at(j)) != NULL; j++)
			if (other != r && other->kind == KNOW_RIGHT &&
			    strcmp(other->name, r->name) == 0)
				fail_msg("right %s has two rows", r->name);
	}
}

static void
test_commands_are_known(void **state)
{
	const struct imap_command_entry *e;
	size_t i;

	(void)state;
	for (i = 0; (e = imap_command_entry_at(i)) != NULL; i++)
		must_know_s(KNOW_COMMAND, e->name);
}

/* Every command of the table has its grammar, and every grammar is of a
 * command the table explains. */
static void
test_commands_have_grammar(void **state)
{
	const struct imap_command_entry *e;
	const struct knowledge_row *r;
	size_t i;

	(void)state;
	for (i = 0; (e = imap_command_entry_at(i)) != NULL; i++)
		must_know_s(KNOW_SYNTAX, e->name);
	for (i = 0; (r = knowledge_at(i)) != NULL; i++)
		if (r->kind == KNOW_SYNTAX)
			must_know_s(KNOW_COMMAND, r->name);
	r = knowledge_find(KNOW_SYNTAX, "uid fetch");
	assert_string_equal(r->meaning,
	    "UID FETCH uid-set (item ...) [(CHANGEDSINCE mod-sequence)]");
	assert_string_equal(knowledge_kind_name(r->kind), "syntax");
}

/* The response names the decoders read, the status responses, and every
 * name a command "draws" (imap-command-table.h). */
/* Every grammar splits, and agrees with the command table: a mailbox or
 * a set first where its flags say so, a set nowhere else, and COPY and
 * MOVE end with their target mailbox. */
static void
test_grammar_agrees_with_table(void **state)
{
	const struct imap_command_entry *e;
	const struct knowledge_row *r;
	struct teach_syntax s;
	size_t i, j;
	bool uid;

	(void)state;
	for (i = 0; (r = knowledge_at(i)) != NULL; i++)
		if (r->kind == KNOW_SYNTAX && !teach_syntax_parse(r, &s))
			fail_msg("the grammar of %s does not split", r->name);
	for (i = 0; (e = imap_command_entry_at(i)) != NULL; i++) {
		uid = strncmp(e->name, "UID ", 4) == 0;
		assert_true(teach_syntax_find(e->name, strlen(e->name), &s));
		if ((e->flags & IMAP_CMDF_MAILBOX) &&
		    !teach_syntax_element_is(&s, 1, "mailbox"))
			fail_msg("%s: the first argument is no mailbox",
			    e->name);
		if ((e->flags & IMAP_CMDF_SET) &&
		    !teach_syntax_element_is(&s, 1,
			uid ? "uid-set" : "sequence-set"))
			fail_msg("%s: the first argument is no set", e->name);
		for (j = 2; j < s.count; j++)
			if (teach_syntax_element_is(&s, j, "sequence-set") ||
			    teach_syntax_element_is(&s, j, "uid-set"))
				fail_msg("%s: a set after the first argument",
				    e->name);
		if ((strstr(e->name, "COPY") != NULL ||
			strstr(e->name, "MOVE") != NULL) &&
		    !teach_syntax_element_is(&s, s.count - 1, "mailbox"))
			fail_msg("%s does not end with a mailbox", e->name);
	}
}

/* The elements of a grammar, and which of them typed words fill. */
static void
test_grammar_elements(void **state)
{
	struct teach_syntax s;
	struct teach_syntax_walk w;

	(void)state;
	assert_true(teach_syntax_find("search", 6, &s));
	assert_int_equal(s.count, 5);
	assert_int_equal(s.elements[0].end, 6);
	assert_true(s.elements[1].optional);
	assert_int_equal(s.elements[1].words, 2);
	assert_true(teach_syntax_element_is(&s, 3, "criterion"));
	assert_true(s.elements[4].repeat);
	teach_syntax_walk_init(&w, &s);
	assert_int_equal(teach_syntax_walk_next(&w, "charset", 7), 2);
	assert_int_equal(teach_syntax_walk_next(&w, "UTF-8", 5), 2);
	assert_int_equal(teach_syntax_walk_next(&w, "UNSEEN", 6), 3);
	assert_int_equal(teach_syntax_walk_next(&w, "FROM", 4), 3);
	assert_int_equal(teach_syntax_walk_next(&w, "\"x\"", 3), 3);

	/* "[+|-]FLAGS[.SILENT]" is not optional, only parts of it */
	assert_true(teach_syntax_find("UID STORE", 9, &s));
	assert_int_equal(s.count, 5);
	assert_true(s.elements[2].optional);
	assert_false(s.elements[3].optional);
	teach_syntax_walk_init(&w, &s);
	assert_int_equal(teach_syntax_walk_next(&w, "1:*", 3), 1);
	assert_int_equal(teach_syntax_walk_next(&w, "+FLAGS", 6), 3);
	assert_int_equal(teach_syntax_walk_next(&w, "(\\Seen)", 7), 4);
	assert_int_equal(teach_syntax_walk_next(&w, "x", 1), -1);

	/* a placeholder leaves "{12}" to "{size}" */
	assert_true(teach_syntax_find("APPEND", 6, &s));
	teach_syntax_walk_init(&w, &s);
	assert_int_equal(teach_syntax_walk_next(&w, "INBOX", 5), 1);
	assert_int_equal(teach_syntax_walk_next(&w, "{12}", 4), 4);
	teach_syntax_walk_init(&w, &s);
	assert_int_equal(teach_syntax_walk_next(&w, "INBOX", 5), 1);
	assert_int_equal(teach_syntax_walk_next(&w, "(\\Seen)", 7), 2);
	assert_int_equal(teach_syntax_walk_next(&w, "\"1-Jan-2024\"", 13),
	    3);
	assert_int_equal(teach_syntax_walk_next(&w, "{5+}", 4), 4);

	/* an argument not typed yet is the next element, optional or not */
	assert_true(teach_syntax_find("SELECT", 6, &s));
	teach_syntax_walk_init(&w, &s);
	assert_int_equal(teach_syntax_walk_next(&w, "INBOX", 5), 1);
	assert_int_equal(teach_syntax_walk_next(&w, "", 0), 2);
	teach_syntax_walk_init(&w, &s);
	assert_int_equal(teach_syntax_walk_next(&w, "INBOX", 5), 1);
	assert_int_equal(teach_syntax_walk_next(&w, "x", 1), -1);

	/* a list where an optional keyword could be */
	assert_true(teach_syntax_find("LIST", 4, &s));
	teach_syntax_walk_init(&w, &s);
	assert_int_equal(teach_syntax_walk_next(&w, "\"\"", 2), 2);
	assert_int_equal(teach_syntax_walk_next(&w, "*", 1), 3);
	assert_int_equal(teach_syntax_walk_next(&w, "RETURN", 6), 4);
	assert_int_equal(teach_syntax_walk_next(&w, "(CHILDREN)", 10), 4);
	assert_int_equal(teach_syntax_walk_next(&w, "x", 1), -1);
	teach_syntax_walk_init(&w, &s);
	assert_int_equal(teach_syntax_walk_next(&w, "(SUBSCRIBED)", 12), 1);

	/* alternatives: "NIL|(field value ...)" */
	assert_true(teach_syntax_find("ID", 2, &s));
	assert_int_equal(s.count, 2);
	assert_false(teach_syntax_find("FECTH", 5, &s));
}

static void
test_responses_are_known(void **state)
{
	static const char *const statuses[] = {
		"OK", "NO", "BAD", "BYE", "PREAUTH",
	};
	const struct imap_command_entry *e;
	const char *name, *p;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		must_know_s(KNOW_RESPONSE, statuses[i]);
	for (i = 0; (name = decoded_known_name(i)) != NULL; i++)
		must_know_s(KNOW_RESPONSE, name);
	for (i = 0; (e = imap_command_entry_at(i)) != NULL; i++)
		for (p = e->draws; *p != '\0'; p += len) {
			while (*p == ' ')
				p++;
			len = strcspn(p, " ");
			if (len > 0)
				must_know(KNOW_RESPONSE, p, len);
		}
}

static void
test_codes_items_flags_are_known(void **state)
{
	const char *name;
	size_t i;
	unsigned bit;

	(void)state;
	for (i = RESP_CODE_UNKNOWN + 1; i < RESP_CODE_KIND_COUNT; i++)
		must_know_s(KNOW_CODE, response_code_info(i)->name);
	for (i = 0; i < STATUS_ITEM_COUNT; i++)
		must_know_s(KNOW_STATUS_ITEM, status_item_name(i));
	for (i = 0; (name = fetch_item_known_name(i)) != NULL; i++)
		must_know_s(KNOW_FETCH_ITEM, name);
	for (i = 0; (name = list_attribute_known_name(i)) != NULL; i++)
		must_know_s(KNOW_ATTRIBUTE, name);
	for (bit = 1; (name = model_index_flag_name(bit)) != NULL; bit <<= 1)
		must_know_s(KNOW_FLAG, name);
	assert_true(bit > MODEL_INDEX_FLAG_RECENT);
	/* the sections a FETCH names, and the protocol's four states */
	must_know_s(KNOW_FETCH_ITEM, "BODY[]");
	must_know_s(KNOW_FETCH_ITEM, "BODY.PEEK[]");
	must_know_s(KNOW_FETCH_ITEM, "HEADER.FIELDS");
	must_know_s(KNOW_STATE, "not authenticated");
	must_know_s(KNOW_STATE, "authenticated");
	must_know_s(KNOW_STATE, "selected");
	must_know_s(KNOW_STATE, "logout");
}

/* The concepts teach-explain cites by name. */
static void
test_concepts_explain_uses(void **state)
{
	static const char *const names[] = {
		"tag", "tagged response", "untagged response",
		"continuation request", "literal", "response code", "keyword",
		"fetch item", "section", "status item", "mailbox name",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		must_know_s(KNOW_CONCEPT, names[i]);
}

static void
test_rights(void **state)
{
	const char *letters = "lrswipkxteacdn";
	const struct knowledge_row *r;
	size_t i;

	(void)state;
	for (i = 0; letters[i] != '\0'; i++) {
		r = knowledge_right(letters[i]);
		if (r == NULL)
			fail_msg("no row for right %c", letters[i]);
	}
	r = knowledge_right('l');
	assert_int_equal(knowledge_right_name_len(r), 6); /* "lookup" */
	assert_int_equal(knowledge_right('d')->rfc, 2086);
	/* ANNOTATE's right to write shared annotations */
	assert_int_equal(knowledge_right('n')->rfc, 5257);
	assert_null(knowledge_right('z'));
	assert_null(knowledge_right('L'));
}

static void
test_lookup(void **state)
{
	const struct knowledge_row *c;
	char cite[KNOWLEDGE_CITE_MAX];

	(void)state;
	c = knowledge_find(KNOW_CAPABILITY, "idle");
	assert_non_null(c);
	assert_int_equal(c->rfc, 2177);
	c = knowledge_find(KNOW_CAPABILITY, "AUTH=SCRAM-SHA-256");
	assert_string_equal(c->name, "AUTH=*");
	assert_int_equal(knowledge_find(KNOW_CAPABILITY, "STATUS=SIZE")->rfc,
	    8438);
	assert_int_equal(knowledge_find(KNOW_CAPABILITY, "LITERAL-")->rfc,
	    7888);
	c = knowledge_find(KNOW_CAPABILITY, "QUOTA=RES-STORAGE");
	assert_string_equal(c->name, "QUOTA=RES-*");
	assert_null(knowledge_find(KNOW_CAPABILITY, "AUTH="));
	assert_null(knowledge_find(KNOW_CAPABILITY, "X-NOT-A-THING"));
	c = knowledge_find(KNOW_CODE, "trycreate");
	assert_string_equal(knowledge_cite(c, cite, sizeof(cite)),
	    "RFC 9051 \xc2\xa7" "7.1");
	c = knowledge_find(KNOW_CODE, "OVERQUOTA");
	assert_int_equal(c->rfc, 5530);
	assert_string_equal(c->section, "3");
	c = knowledge_find(KNOW_COMMAND, "UID EXPUNGE");
	assert_int_equal(c->rfc, 4315);
	assert_string_equal(knowledge_rfc_title(9051) != NULL ? "y" : "n",
	    "y");
	assert_null(knowledge_rfc_title(1));
}

static void
test_both_servers_are_covered(void **state)
{
	/* CAPABILITY after login, as Dovecot 2.3.19 and Cyrus 3.6.1 send
	 * it in the test bed (tests/testbed/{dovecot,cyrus}.sh). */
	static const char *const seen[] = {
		"IMAP4rev1", "SASL-IR", "LOGIN-REFERRALS", "ID", "ENABLE",
		"IDLE", "SORT", "SORT=DISPLAY", "THREAD=REFERENCES",
		"THREAD=REFS", "THREAD=ORDEREDSUBJECT", "MULTIAPPEND",
		"URL-PARTIAL", "CATENATE", "UNSELECT", "CHILDREN", "NAMESPACE",
		"UIDPLUS", "LIST-EXTENDED", "I18NLEVEL=1", "CONDSTORE",
		"QRESYNC", "ESEARCH", "ESORT", "SEARCHRES", "WITHIN",
		"CONTEXT=SEARCH", "LIST-STATUS", "BINARY", "MOVE",
		"SNIPPET=FUZZY", "PREVIEW=FUZZY", "PREVIEW", "STATUS=SIZE",
		"SAVEDATE", "LITERAL+", "NOTIFY", "SPECIAL-USE",
		"COMPRESS=DEFLATE", "QUOTA", "ACL", "RIGHTS=texk", "STARTTLS",
		"LOGINDISABLED", "AUTH=PLAIN", "ANNOTATE-EXPERIMENT-1",
		"CREATE-SPECIAL-USE", "LIST-MYRIGHTS", "MAILBOX-REFERRALS",
		"METADATA", "OBJECTID", "SEARCH=FUZZY", "URLAUTH",
		"URLAUTH=BINARY", "DIGEST=SHA1", "LIST-METADATA",
		"NO_ATOMIC_RENAME", "SCAN", "SORT=MODSEQ", "SORT=UID",
		"X-CREATEDMODSEQ", "X-REPLICATION", "X-SIEVE-MAILBOX", "XLIST",
		"XMOVE", "X-QUOTA=STORAGE", "APPENDLIMIT=4294967295",
		"UNAUTHENTICATE", "RIGHTS=kxten",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
		must_know_s(KNOW_CAPABILITY, seen[i]);
}

static void
test_suggest(void **state)
{
	(void)state;
	assert_string_equal(teach_suggest_command("fecth", 5), "FETCH");
	assert_string_equal(teach_suggest_command("SELEC", 5), "SELECT");
	assert_string_equal(teach_suggest_command("examin", 6), "EXAMINE");
	assert_string_equal(teach_suggest_command("LOUGOT", 6), "LOGOUT");
	assert_null(teach_suggest_command("FETCH", 5));   /* a command */
	assert_null(teach_suggest_command("INBOX", 5));   /* nothing near */
	assert_null(teach_suggest_command("a1", 2));
	assert_null(teach_suggest_command("", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_is_well_formed),
		cmocka_unit_test(test_commands_are_known),
		cmocka_unit_test(test_commands_have_grammar),
		cmocka_unit_test(test_grammar_agrees_with_table),
		cmocka_unit_test(test_grammar_elements),
		cmocka_unit_test(test_responses_are_known),
		cmocka_unit_test(test_codes_items_flags_are_known),
		cmocka_unit_test(test_concepts_explain_uses),
		cmocka_unit_test(test_rights),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_both_servers_are_covered),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests_name("teach-knowledge", tests, NULL,
	    NULL);
}
