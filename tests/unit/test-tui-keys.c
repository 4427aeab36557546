/* Unit tests for tui-keys: every view's key table and the shared one keep
 * the typing rule (no key that can begin a typed line changes anything),
 * command lines typed into any view reach no acting key, the check can
 * fail, and keys have the names the help screen shows. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tui.h"
#include "tui-keys.h"

static const struct tui_view_ops *const views[] = {
	&tui_view_mailboxes, &tui_view_status, &tui_view_messages,
	&tui_view_acl, &tui_view_quota, &tui_view_capabilities,
	&tui_view_connection, &tui_view_large,
};
#define VIEW_COUNT (sizeof(views) / sizeof(views[0]))

static void
test_tables_keep_the_rule(void **state)
{
	const char *error = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < VIEW_COUNT; i++) {
		assert_non_null(views[i]->keymap);
		if (tui_keys_check(views[i]->keymap, &error) != 0)
			fail_msg("%s", error);
	}
	if (tui_keys_check(tui_global_keymap(), &error) != 0)
		fail_msg("%s", error);
}

/* The key a character of a typed line arrives as. */
static int
key_of(char c)
{
	return c == '\n' ? '\r' : (unsigned char)c;
}

/* Feed a typed line to the tables as the TUI does with a view focused
 * (the view's table first, then the shared one; a prefix takes the key
 * after it): true if a key that acts would run before the first key
 * that is typing. */
static bool
line_acts(const struct tui_keymap *map, unsigned mode, const char *line)
{
	const struct tui_keymap *global = tui_global_keymap();
	const struct tui_key *k;
	int prefix = 0;
	size_t i;

	for (i = 0; line[i] != '\0'; i++) {
		int key = key_of(line[i]);

		k = tui_keys_find(map, mode, prefix, key);
		if (k == NULL)
			k = tui_keys_find(global, 1, prefix, key);
		if (k == NULL)
			return false; /* typing: to the console, held */
		if (k->flags & TUI_KEY_ACTS)
			return true;
		prefix = (k->flags & TUI_KEY_PREFIX) ? key : 0;
	}
	return false;
}

static void
test_typed_lines_do_nothing(void **state)
{
	static const char *const lines[] = {
		"select inbox\n", "SELECT INBOX\n",
		"store 1 +flags \\Deleted\n",
		"fetch 1 flags\n", "expunge\n", "uid expunge 1\n",
		"delete Trash\n", "setacl INBOX bob lr\n", "logout\n",
		"a1 store 1 +flags (\\Deleted)\n", "1 uid store 1 +flags x\n",
		"getacl INBOX\n", "noop\n", "unselect\n", "rename a b\n",
		"create x\n", "move 1 Trash\n", "copy 1 Trash\n",
		"append INBOX {3}\n", "idle\n", "u\tx\n", "uu\n",
	};
	size_t i, j;
	unsigned mode;

	(void)state;
	for (i = 0; i < VIEW_COUNT; i++)
		for (mode = 1; mode <= 2; mode++)
			for (j = 0; j < sizeof(lines) / sizeof(lines[0]); j++)
				if (line_acts(views[i]->keymap, mode, lines[j]))
					fail_msg("%s (mode %u): typing \"%s\" "
					    "acts", views[i]->name, mode,
					    lines[j]);
}

static void
test_check_fails(void **state)
{
	static const struct tui_key bare_letter[] = {
		{ .keys = { 'x' }, .flags = TUI_KEY_SERVER, .help = "x" },
	};
	static const struct tui_key digit_asks[] = {
		{ .keys = { '0' }, .last = '9', .flags = TUI_KEY_ASKS,
		    .help = "x" },
	};
	static const struct tui_key letter_prefix[] = {
		{ .keys = { 'u' }, .flags = TUI_KEY_PREFIX },
		{ .keys = { 'i' }, .prefix = 'u', .flags = TUI_KEY_SERVER,
		    .help = "x" },
	};
	static const struct tui_key no_prefix[] = {
		{ .keys = { 'f' }, .prefix = '*', .flags = TUI_KEY_SERVER,
		    .help = "x" },
	};
	static const struct tui_key twice[] = {
		{ .keys = { TUI_KEY(KEY_UP), 'k' }, .modes = 1, .help = "x" },
		{ .keys = { 'k' }, .modes = 3, .help = "y" },
	};
	static const struct tui_key no_help[] = {
		{ .keys = { 'k' } },
	};
	static const struct tui_key good[] = {
		{ .keys = { '*' }, .flags = TUI_KEY_PREFIX },
		{ .keys = { 'f' }, .prefix = '*', .flags = TUI_KEY_SERVER,
		    .help = "x" },
		{ .keys = { 'u' }, .flags = TUI_KEY_PREFIX },
		{ .keys = { '\r' }, .prefix = 'u', .flags = TUI_KEY_SERVER,
		    .help = "x" },
		{ .keys = { TUI_KEY(KEY_DC), TUI_ALT('d') },
		    .flags = TUI_KEY_SERVER | TUI_KEY_ASKS, .help = "x" },
		{ .keys = { 'k' }, .modes = 1, .help = "x" },
		{ .keys = { 'k' }, .modes = 2, .help = "y" },
	};
	static const struct {
		struct tui_keymap map;
		const char *why;
	} cases[] = {
		{ TUI_KEYMAP("a", bare_letter), "a: x: acts" },
		{ TUI_KEYMAP("b", digit_asks), "b: 0: acts" },
		{ TUI_KEYMAP("c", letter_prefix), "c: u i: acts" },
		{ TUI_KEYMAP("d", no_prefix), "d: * f: its prefix" },
		{ TUI_KEYMAP("e", twice), "e: k: bound twice" },
		{ TUI_KEYMAP("f", no_help), "f: k: no help" },
	};
	const struct tui_keymap ok = TUI_KEYMAP("good", good);
	const char *error = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		error = NULL;
		assert_int_equal(tui_keys_check(&cases[i].map, &error), -1);
		assert_non_null(error);
		if (strncmp(error, cases[i].why, strlen(cases[i].why)) != 0)
			fail_msg("got \"%s\", want \"%s...\"", error,
			    cases[i].why);
	}
	assert_int_equal(tui_keys_check(&ok, &error), 0);
}

static void
test_find(void **state)
{
	static const struct tui_key keys[] = {
		{ .keys = { '*' }, .flags = TUI_KEY_PREFIX, .action = 1 },
		{ .keys = { 'f' }, .prefix = '*', .action = 2, .help = "x" },
		{ .keys = { '1' }, .last = '7', .modes = 1, .action = 3,
		    .help = "x" },
		{ .keys = { TUI_KEY(KEY_UP), 'k' }, .modes = 2, .action = 4,
		    .help = "x" },
	};
	const struct tui_keymap map = TUI_KEYMAP("m", keys);

	(void)state;
	assert_int_equal(tui_keys_find(&map, 1, 0, '*')->action, 1);
	assert_int_equal(tui_keys_find(&map, 1, '*', 'f')->action, 2);
	assert_null(tui_keys_find(&map, 1, 0, 'f'));
	assert_int_equal(tui_keys_find(&map, 1, 0, '1')->action, 3);
	assert_int_equal(tui_keys_find(&map, 1, 0, '7')->action, 3);
	assert_null(tui_keys_find(&map, 1, 0, '8'));
	assert_null(tui_keys_find(&map, 2, 0, '4'));
	assert_int_equal(tui_keys_find(&map, 2, 0, 'k')->action, 4);
	assert_null(tui_keys_find(&map, 1, 0, 'k'));
}

static void
test_names(void **state)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ '\r', "Enter" }, { ' ', "Space" }, { '\t', "Tab" },
		{ TUI_ESC, "Esc" }, { 'x', "x" }, { '*', "*" },
		{ TUI_KEY(KEY_NPAGE), "PgDn" }, { TUI_KEY(KEY_DC), "Del" },
		{ TUI_KEY(KEY_F(5)), "F5" }, { TUI_CTRL('l'), "Ctrl-L" },
		{ TUI_ALT('m'), "Alt-m" }, { TUI_ALT('/'), "Alt-/" },
		{ TUI_KEY(KEY_BACKSPACE), "Bksp" }, { 0xfc, "\xc3\xbc" },
	};
	static const struct {
		struct tui_key k;
		const char *label;
	} labels[] = {
		{ { .keys = { '1' }, .last = '7' }, "1..7" },
		{ { .keys = { TUI_ALT('1') }, .last = TUI_ALT('8') },
		    "Alt-1..8" },
		{ { .keys = { TUI_KEY(KEY_F(2)) }, .last = TUI_KEY(KEY_F(9)) },
		    "F2..F9" },
		{ { .keys = { 'f' }, .prefix = '*' }, "* f" },
		{ { .keys = { '\r' }, .prefix = 'u' }, "u Enter" },
		{ { .keys = { TUI_KEY(KEY_UP), 'k' } }, "Up, k" },
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		tui_key_name(names[i].key, out, sizeof(out));
		assert_string_equal(out, names[i].name);
	}
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		tui_keys_label(&labels[i].k, out, sizeof(out));
		assert_string_equal(out, labels[i].label);
	}
	assert_true(tui_key_typable('a'));
	assert_true(tui_key_typable('7'));
	assert_true(tui_key_typable('/'));
	assert_false(tui_key_typable('*'));
	assert_false(tui_key_typable(' '));
	assert_false(tui_key_typable('('));
	assert_false(tui_key_typable('\r'));
	assert_false(tui_key_typable(TUI_KEY(KEY_DC)));
	assert_false(tui_key_typable(TUI_ALT('m')));
	assert_true(tui_key_printable(' '));
	assert_false(tui_key_printable(TUI_ALT('m')));
}

static void
test_help_rows(void **state)
{
	static const struct tui_key keys[] = {
		{ .keys = { '*' }, .flags = TUI_KEY_PREFIX },
		{ .keys = { 'f' }, .prefix = '*', .help = "set \\Flagged" },
		{ .keys = { '\r' }, .modes = 1, .help = "open" },
		{ .keys = { TUI_ESC, 'q' }, .modes = 2, .help = "back" },
	};
	const struct tui_keymap map = TUI_KEYMAP("V", keys);
	struct buf out;

	(void)state;
	buf_init(&out, 4096);
	tui_keys_help(&map, NULL, TUI_KEYS_COMMON, &out);
	assert_string_equal(buf_str(&out),
	    "V\n  * f                 set \\Flagged\n");
	buf_reset(&out);
	tui_keys_help(&map, "V, b:", 2, &out);
	assert_string_equal(buf_str(&out),
	    "V, b:\n  Esc, q              back\n");
	buf_reset(&out);
	tui_keys_help(&map, "none", 4, &out);
	assert_string_equal(buf_str(&out), "");
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_keep_the_rule),
		cmocka_unit_test(test_typed_lines_do_nothing),
		cmocka_unit_test(test_check_fails),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_help_rows),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
