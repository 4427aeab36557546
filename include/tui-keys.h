/* tui-keys: the TUI's keys as tables.
 *
 * Every view declares its keys in one table of struct tui_key (its
 * tui_view_ops points at it), and the TUI has one for the keys every
 * pane shares. The TUI looks each key up in the tables before anything
 * acts on it: a view's handler only ever gets a key its table names, a
 * printable key that no table names is typing (it goes to the console),
 * and the help screen (F1) is drawn from the same tables. So a key
 * cannot be bound without being in the help, nor be in the help without
 * being bound.
 *
 * The typing rule (tui_keys_check): what changes the server, selects a
 * mailbox, writes a file or opens a dialog for one of those is never a
 * key that can begin a typed command line (a letter, a digit or another
 * character of a tag, RFC 9051 9: tag). Such actions sit on Enter, Del,
 * Alt+letter, or after a prefix that no command line begins with (*),
 * or after a letter prefix that only an Enter completes (u Enter). */
#ifndef IMAPWB_TUI_KEYS_H
#define IMAPWB_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "util-buf.h"

/* Keys as the TUI passes them: a Unicode character as itself, a curses
 * function key (KEY_UP, KEY_F(1), ...) as TUI_KEY(code), and either of
 * them typed with Alt (ESC first) as TUI_ALT(key), so none collide.
 * Enter is always '\r' and Backspace always TUI_KEY(KEY_BACKSPACE). */
#define TUI_KEY(code) (0x110000 + (code))
#define TUI_ALT(key) (0x200000 + (key))
#define TUI_CTRL(c) ((c) & 0x1f)
#define TUI_ESC 27

enum tui_key_flag {
	TUI_KEY_SERVER = 1 << 0, /* sends a command that changes the server */
	TUI_KEY_SELECT = 1 << 1, /* selects another mailbox */
	TUI_KEY_FILE = 1 << 2,   /* writes a file */
	TUI_KEY_ASKS = 1 << 3,   /* opens a prompt or a confirmation for one
				  * of those (the dialog takes the keys after
				  * it) */
	TUI_KEY_PREFIX = 1 << 4, /* only arms: the key after it says what */
};
/* What a key that can begin a typed line must never do. */
#define TUI_KEY_ACTS \
	(TUI_KEY_SERVER | TUI_KEY_SELECT | TUI_KEY_FILE | TUI_KEY_ASKS)

#define TUI_KEY_ALTERNATIVES 4

struct tui_key {
	int keys[TUI_KEY_ALTERNATIVES]; /* the key and others that do the
					 * same; 0 ends the list */
	int last;         /* not 0: keys[0]..last is a range ('1'..'7') */
	int prefix;       /* the key that must come first, or 0 */
	unsigned modes;   /* the view's modes (bits) it works in; 0: all */
	int action;       /* what to do, in the table owner's numbers */
	unsigned flags;   /* TUI_KEY_* */
	const char *help; /* the help screen's text; NULL only for a prefix */
};

struct tui_keymap {
	const char *name;              /* the help screen's heading */
	const struct tui_key *keys;
	size_t count;
	/* The heading of mode bit i's keys ("a message"), mode_count of
	 * them; keys for every mode (modes 0) come first, under name. */
	const char *const *mode_names;
	size_t mode_count;
};

/* A keymap from a table, and from a table and its mode names. */
#define TUI_KEYMAP(name, keys) \
	{ (name), (keys), sizeof(keys) / sizeof((keys)[0]), NULL, 0 }
#define TUI_KEYMAP_MODES(name, keys, mode_names)                      \
	{ (name), (keys), sizeof(keys) / sizeof((keys)[0]), (mode_names), \
		sizeof(mode_names) / sizeof((mode_names)[0]) }

/* The entry that binds key after prefix (0: none) in mode, or NULL. */
const struct tui_key *tui_keys_find(const struct tui_keymap *map,
    unsigned mode, int prefix, int key);

/* Is key a character a user types (not a function key, not a control
 * character, not Alt+something)? Space is. */
bool tui_key_printable(int key);
/* Can key begin a typed command line: a printable character other than
 * space and the ones no tag or command name may begin with? */
bool tui_key_typable(int key);

/* A key's name as the help screen writes it: "Enter", "PgDn", "Alt-1",
 * "Ctrl-L", "F5", "Space", "x". */
void tui_key_name(int key, char *out, size_t size);
/* An entry's keys: "Up, k", "1..7", "Alt-1..8", "* f", "u Enter". */
void tui_keys_label(const struct tui_key *k, char *out, size_t size);

/* The help screen's lines for the keys of map that work in any mode of
 * `want` (TUI_KEYS_COMMON: the keys for every mode): the heading (NULL:
 * the map's name), then "  KEYS  what it does" a key; nothing at all if
 * no key is shown. Lines end in '\n'. */
#define TUI_KEYS_COMMON (1u << 31)
void tui_keys_help(const struct tui_keymap *map, const char *heading,
    unsigned want, struct buf *out);

/* Check a table: the typing rule above, a help text for every key but
 * a prefix, a prefix entry for every prefix used, and no key bound twice
 * in one mode. 0, or -1 with the reason in a static buffer. */
int tui_keys_check(const struct tui_keymap *map, const char **error_r);

#endif
