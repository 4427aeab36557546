/* Unit tests for teach-tour: every step's command is one the command
 * table knows (with the tour's mailboxes filled in for both servers'
 * namespaces), none removes other \Deleted messages than its own (no
 * plain EXPUNGE or CLOSE), every step names a view that exists and a
 * knowledge row that exists, and the placeholders expand. */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "imap-command-table.h"
#include "teach-knowledge.h"
#include "teach-tour.h"
#include "tui-host.h"

static const struct teach_tour_names dovecot = { "", '/' };
static const struct teach_tour_names cyrus = { "INBOX.", '.' };

/* The command table's name of a line: its first word in upper case, and
 * the second with it after UID. */
static void
command_name(const char *line, char *out, size_t size)
{
	size_t n = strcspn(line, " "), i;

	if (n == 3 && strncasecmp(line, "UID", 3) == 0)
		n += 1 + strcspn(line + 4, " ");
	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)toupper((unsigned char)line[i]);
	out[n] = '\0';
}

static void
test_commands_are_known(void **state)
{
	const struct teach_tour_step *step;
	const struct imap_command_entry *entry;
	const struct teach_tour_names *names[] = { &dovecot, &cyrus };
	char name[64];
	size_t i, j, sent = 0;

	(void)state;
	for (i = 0; (step = teach_tour_step(i)) != NULL; i++) {
		if (step->command == NULL)
			continue;
		sent++;
		for (j = 0; j < 2; j++) {
			char *line = teach_tour_expand(step->command, names[j]);

			assert_null(strchr(line, '%'));
			command_name(line, name, sizeof(name));
			entry = imap_command_entry_find(name);
			if (entry == NULL)
				fail_msg("step %zu: '%s' is no command the "
				    "table knows", i + 1, line);
			if (entry->flags & IMAP_CMDF_EXPUNGES_ALL)
				fail_msg("step %zu: '%s' removes every "
				    "\\Deleted message", i + 1, line);
			free(line);
		}
	}
	assert_true(sent > 20);
	assert_null(teach_tour_step(teach_tour_count()));
}

static void
test_views_exist(void **state)
{
	const struct teach_tour_step *step;
	size_t i, v;

	(void)state;
	for (i = 0; (step = teach_tour_step(i)) != NULL; i++) {
		for (v = 0; v < VIEW_COUNT; v++)
			if (strcmp(view_table[v]->name, step->view) == 0)
				break;
		if (v == VIEW_COUNT)
			fail_msg("step %zu names no view: %s", i + 1,
			    step->view);
		assert_non_null(step->title);
		assert_non_null(step->text);
		assert_non_null(step->look);
	}
}

static void
test_knowledge_rows_exist(void **state)
{
	const struct teach_tour_step *step;
	size_t i;

	(void)state;
	for (i = 0; (step = teach_tour_step(i)) != NULL; i++)
		if (step->know_name != NULL &&
		    knowledge_find(step->know_kind, step->know_name) == NULL)
			fail_msg("step %zu: no knowledge row %s", i + 1,
			    step->know_name);
}

static void
test_expand(void **state)
{
	char *s;

	(void)state;
	s = teach_tour_expand("MOVE 3 %M (from %T, 100%%)", &dovecot);
	assert_string_equal(s, "MOVE 3 Tour/Moved (from Tour, 100%)");
	free(s);
	s = teach_tour_expand("MOVE 3 %M", &cyrus);
	assert_string_equal(s, "MOVE 3 INBOX.Tour.Moved");
	free(s);
	s = teach_tour_expand("a % at the end %", &cyrus);
	assert_string_equal(s, "a % at the end %");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands_are_known),
		cmocka_unit_test(test_views_exist),
		cmocka_unit_test(test_knowledge_rows_exist),
		cmocka_unit_test(test_expand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
