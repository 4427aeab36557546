/* tui-keys: key tables, key names and the help screen's rows. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <curses.h>

#include "tui-keys.h"

/* The help screen's key column. */
#define LABEL_WIDTH 18

static bool
entry_has(const struct tui_key *k, int key)
{
	size_t i;

	if (k->last != 0 && key >= k->keys[0] && key <= k->last)
		return true;
	for (i = 0; i < TUI_KEY_ALTERNATIVES && k->keys[i] != 0; i++)
		if (k->keys[i] == key)
			return true;
	return false;
}

static bool
in_mode(const struct tui_key *k, unsigned mode)
{
	return k->modes == 0 || (k->modes & mode) != 0;
}

const struct tui_key *
tui_keys_find(const struct tui_keymap *map, unsigned mode, int prefix,
    int key)
{
	size_t i;

	if (map == NULL)
		return NULL;
	for (i = 0; i < map->count; i++) {
		const struct tui_key *k = &map->keys[i];

		if (k->prefix == prefix && in_mode(k, mode) &&
		    entry_has(k, key))
			return k;
	}
	return NULL;
}

bool
tui_key_printable(int key)
{
	return key >= ' ' && key < 0x110000 && key != 127 &&
	    iswprint((wint_t)key);
}

bool
tui_key_typable(int key)
{
	/* RFC 9051 9: a tag is ASTRING-CHARs except "+", so it never
	 * begins with an atom-special; command names are letters */
	return tui_key_printable(key) && key != ' ' &&
	    (key > 127 || strchr("(){%*\"\\+", key) == NULL);
}

void
tui_key_name(int key, char *out, size_t size)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ ' ', "Space" }, { '\t', "Tab" }, { '\r', "Enter" },
		{ TUI_ESC, "Esc" }, { TUI_KEY(KEY_UP), "Up" },
		{ TUI_KEY(KEY_DOWN), "Down" }, { TUI_KEY(KEY_LEFT), "Left" },
		{ TUI_KEY(KEY_RIGHT), "Right" }, { TUI_KEY(KEY_PPAGE), "PgUp" },
		{ TUI_KEY(KEY_NPAGE), "PgDn" }, { TUI_KEY(KEY_HOME), "Home" },
		{ TUI_KEY(KEY_END), "End" }, { TUI_KEY(KEY_DC), "Del" },
		{ TUI_KEY(KEY_IC), "Ins" }, { TUI_KEY(KEY_BACKSPACE), "Bksp" },
	};
	char mb[MB_LEN_MAX + 1];
	mbstate_t st;
	size_t i, n;

	if (key >= TUI_ALT(0)) {
		char base[32];

		tui_key_name(key - TUI_ALT(0), base, sizeof(base));
		snprintf(out, size, "Alt-%s", base);
		return;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key) {
			snprintf(out, size, "%s", names[i].name);
			return;
		}
	if (key >= TUI_KEY(KEY_F(0)) && key <= TUI_KEY(KEY_F(63))) {
		snprintf(out, size, "F%d", key - TUI_KEY(KEY_F(0)));
		return;
	}
	if (key > 0 && key < ' ') {
		snprintf(out, size, "Ctrl-%c", key + '@');
		return;
	}
	if (key >= TUI_KEY(0)) {
		snprintf(out, size, "key %d", key - TUI_KEY(0));
		return;
	}
	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)key, &st);
	if (n == (size_t)-1 || !tui_key_printable(key))
		snprintf(out, size, "U+%04X", (unsigned)key);
	else {
		mb[n] = '\0';
		snprintf(out, size, "%s", mb);
	}
}

void
tui_keys_label(const struct tui_key *k, char *out, size_t size)
{
	char name[32], last[32];
	size_t i, len = 0;

	out[0] = '\0';
	if (k->prefix != 0) {
		tui_key_name(k->prefix, name, sizeof(name));
		len = (size_t)snprintf(out, size, "%s ", name);
	}
	for (i = 0; i < TUI_KEY_ALTERNATIVES && k->keys[i] != 0 && len < size;
	     i++) {
		tui_key_name(k->keys[i], name, sizeof(name));
		if (i == 0 && k->last != 0) {
			/* "Alt-1..8", "F2..F9", "1..7" */
			tui_key_name(k->last >= TUI_ALT(0)
				? k->last - TUI_ALT(0)
				: k->last,
			    last, sizeof(last));
			len += (size_t)snprintf(out + len, size - len, "%s..%s",
			    name, last);
		} else
			len += (size_t)snprintf(out + len, size - len, "%s%s",
			    i > 0 ? ", " : "", name);
	}
}

void
tui_keys_help(const struct tui_keymap *map, const char *heading,
    unsigned want, struct buf *out)
{
	char label[128];
	size_t i;
	bool any = false;

	for (i = 0; i < map->count; i++) {
		const struct tui_key *k = &map->keys[i];
		bool shown = k->modes == 0 ? (want & TUI_KEYS_COMMON) != 0
					   : (k->modes & want) != 0;

		if (!shown || k->help == NULL)
			continue;
		if (!any)
			buf_printf(out, "%s\n", heading != NULL ? heading
								: map->name);
		any = true;
		tui_keys_label(k, label, sizeof(label));
		buf_printf(out, "  %-*s  %s\n", LABEL_WIDTH, label, k->help);
	}
}

/* --- the check ------------------------------------------------------------ */

static bool
modes_meet(const struct tui_key *a, const struct tui_key *b)
{
	return a->modes == 0 || b->modes == 0 || (a->modes & b->modes) != 0;
}

/* Every key an entry binds, one at a time: false after the last. */
static bool
entry_key(const struct tui_key *k, size_t *pos, int *key_r)
{
	size_t range = k->last != 0 ? (size_t)(k->last - k->keys[0]) : 0;

	if (*pos <= range) {
		*key_r = k->keys[0] + (int)*pos;
		(*pos)++;
		return k->keys[0] != 0;
	}
	if (*pos - range >= TUI_KEY_ALTERNATIVES ||
	    k->keys[*pos - range] == 0)
		return false;
	*key_r = k->keys[*pos - range];
	(*pos)++;
	return true;
}

static int
fail(const char **error_r, const struct tui_keymap *map,
    const struct tui_key *k, int key, const char *why)
{
	static char text[256];
	char name[32], prefix[32] = "";

	tui_key_name(key, name, sizeof(name));
	if (k->prefix != 0)
		tui_key_name(k->prefix, prefix, sizeof(prefix));
	snprintf(text, sizeof(text), "%s: %s%s%s: %s", map->name, prefix,
	    k->prefix != 0 ? " " : "", name, why);
	*error_r = text;
	return -1;
}

int
tui_keys_check(const struct tui_keymap *map, const char **error_r)
{
	size_t i, j, pos;
	int key;

	for (i = 0; i < map->count; i++) {
		const struct tui_key *k = &map->keys[i];

		if ((k->flags & TUI_KEY_PREFIX) != 0 &&
		    (k->prefix != 0 || (k->flags & ~TUI_KEY_PREFIX) != 0))
			return fail(error_r, map, k, k->keys[0],
			    "a prefix only arms");
		if ((k->flags & TUI_KEY_PREFIX) == 0 && k->help == NULL)
			return fail(error_r, map, k, k->keys[0],
			    "no help text");
		if (k->prefix != 0) {
			for (j = 0; j < map->count; j++)
				if ((map->keys[j].flags & TUI_KEY_PREFIX) &&
				    entry_has(&map->keys[j], k->prefix) &&
				    modes_meet(k, &map->keys[j]))
					break;
			if (j == map->count)
				return fail(error_r, map, k, k->keys[0],
				    "its prefix is not a prefix key");
		}
		for (pos = 0; entry_key(k, &pos, &key);) {
			if ((k->flags & TUI_KEY_ACTS) != 0 &&
			    tui_key_typable(key) &&
			    (k->prefix == 0 || tui_key_typable(k->prefix)))
				return fail(error_r, map, k, key,
				    "acts, but can begin a typed line");
			for (j = i + 1; j < map->count; j++)
				if (map->keys[j].prefix == k->prefix &&
				    modes_meet(k, &map->keys[j]) &&
				    entry_has(&map->keys[j], key))
					return fail(error_r, map, k, key,
					    "bound twice");
		}
	}
	return 0;
}
