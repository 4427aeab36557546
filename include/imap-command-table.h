/* imap-command-table: one row per IMAP command the workbench knows, with
 * the facts that the session, the model and the consoles act on (after
 * tmux's cmd_entry). Rows are found by the upper-cased name an
 * imap_command keeps: "UID FETCH" is a row of its own.
 *
 * Each row also says which untagged responses the command draws from the
 * server (RFC 9051 7: "* 3 EXISTS" is named EXISTS, "* OK [..]" OK), so
 * the session can route an untagged response to the command it answers
 * instead of to whoever happens to have something in flight.
 *
 * What each command means and where it is defined is in the knowledge
 * table (teach-knowledge.h), which has a row for every name here. */
#ifndef IMAPWB_IMAP_COMMAND_TABLE_H
#define IMAPWB_IMAP_COMMAND_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#define IMAP_CMDF_SELECTS     0x0001 /* opens a mailbox (SELECT, EXAMINE) */
#define IMAP_CMDF_READ_ONLY   0x0002 /* ... read-only (EXAMINE) */
#define IMAP_CMDF_LEAVES      0x0004 /* ends the selection (CLOSE, UNSELECT) */
#define IMAP_CMDF_DESTRUCTIVE 0x0008 /* can remove messages or mailboxes */
#define IMAP_CMDF_SECRET      0x0010 /* its arguments are credentials */
#define IMAP_CMDF_LITERAL     0x0020 /* carries a message literal */
#define IMAP_CMDF_TREE        0x0040 /* changes the mailbox tree */
#define IMAP_CMDF_SELECTED    0x0080 /* only in the selected state */
#define IMAP_CMDF_EXCLUSIVE   0x0100 /* never pipelined (RFC 9051 5.5) */
#define IMAP_CMDF_STEPS       0x0200 /* takes lines after a "+" */
#define IMAP_CMDF_LOGIN       0x0400 /* authenticates */
#define IMAP_CMDF_LOGOUT      0x0800 /* ends the session */
#define IMAP_CMDF_STREAM      0x1000 /* changes the byte stream (TLS, zlib) */
#define IMAP_CMDF_MAILBOX     0x2000 /* the first argument is a mailbox */
#define IMAP_CMDF_LISTING     0x4000 /* its replies describe the tree */
#define IMAP_CMDF_EXPUNGES_ALL 0x8000 /* removes every \Deleted message,
					 not just the caller's */
#define IMAP_CMDF_SET         0x10000 /* the first argument is a sequence
					 set (a UID set for UID commands) */

struct imap_command_entry {
	const char *name;    /* upper case, "UID FETCH" for UID commands */
	unsigned flags;      /* IMAP_CMDF_* */
	const char *draws;   /* untagged response names, space-separated */
};

/* The row for a command name (upper case, as imap_command keeps it), or
 * NULL for a command the table does not know. */
const struct imap_command_entry *imap_command_entry_find(const char *name);

/* The row for a word typed at the start of a line, any case: a command's
 * name, or "UID" (which starts the UID commands). NULL otherwise. */
bool imap_command_table_starts_command(const char *word, size_t len);

/* The i-th row, for completion and help; NULL past the last. */
const struct imap_command_entry *imap_command_entry_at(size_t i);

/* Whether the command draws untagged responses named `name` (upper
 * case, as in "* 3 EXISTS" -> "EXISTS"). */
bool imap_command_entry_draws(const struct imap_command_entry *entry,
    const char *name);

#endif
