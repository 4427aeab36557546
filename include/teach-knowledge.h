/* teach-knowledge: what every name of the protocol means, and where it
 * is defined: one table, kept as data in src/teach-knowledge.def, for
 * the explanations (teach-explain), the views (capabilities, ACL rights)
 * and the JSON events.
 *
 * A row names a command, a response, a response code, a STATUS item, a
 * FETCH item, a message flag, a mailbox attribute, a capability, an ACL
 * right, a protocol state or a concept of the protocol (a tag, "+", a
 * literal); it says what it means in a line, more in a note, and the RFC
 * and section that define it. Every RFC a row names is itself a row of
 * kind KNOW_RFC, so the list of RFCs the project cites is in the table
 * too (a unit test holds both to it).
 *
 * A command also has a row of kind KNOW_SYNTAX whose meaning is its
 * grammar instead ("FETCH sequence-set (item ...)"): the one meaning that
 * does not start in lower case, since it starts with the command's name
 * (teach-syntax.h reads it). */
#ifndef IMAPWB_TEACH_KNOWLEDGE_H
#define IMAPWB_TEACH_KNOWLEDGE_H

#include <stdbool.h>
#include <stddef.h>

enum knowledge_kind {
	KNOW_RFC,        /* name: the number as text, "9051" */
	KNOW_COMMAND,    /* "SELECT", "UID FETCH" */
	KNOW_RESPONSE,   /* "OK", "EXISTS", "FETCH" (untagged data) */
	KNOW_CODE,       /* "TRYCREATE" (without brackets) */
	KNOW_STATUS_ITEM,/* "UIDNEXT" in STATUS */
	KNOW_FETCH_ITEM, /* "ENVELOPE", "BODY[]" (a section is "[]") */
	KNOW_FLAG,       /* "\\Seen", "$Junk" */
	KNOW_ATTRIBUTE,  /* "\\Noselect", "\\Sent" (LIST) */
	KNOW_CAPABILITY, /* "IDLE", or a prefix ending in '*': "AUTH=*" */
	KNOW_RIGHT,      /* one letter: "l" */
	KNOW_STATE,      /* "not authenticated", "selected" */
	KNOW_CONCEPT,    /* "tag", "literal", "sequence set" */
	KNOW_SYNTAX,     /* "FETCH": the meaning is the grammar */
	KNOW_KIND_COUNT,
};

struct knowledge_row {
	enum knowledge_kind kind;
	const char *name;
	unsigned rfc;        /* 9051; 0 for a vendor's name no RFC defines */
	const char *section; /* "7.1", "" for the whole RFC */
	const char *meaning; /* one line, lower case, no final stop; for
				KNOW_SYNTAX the grammar, name first */
	const char *note;    /* a few sentences, or "" */
};

/* The kind's name, as the tests and --knowledge print it ("code"). */
const char *knowledge_kind_name(enum knowledge_kind kind);

/* The row of this kind and name (case-insensitive; for capabilities a
 * row "AUTH=*" answers "AUTH=PLAIN"), or NULL. */
const struct knowledge_row *knowledge_find(enum knowledge_kind kind,
    const char *name);
/* The same for a name that is not NUL-terminated. */
const struct knowledge_row *knowledge_find_n(enum knowledge_kind kind,
    const char *name, size_t len);
/* The ACL right a letter stands for, or NULL. A right's meaning starts
 * with its name and a colon ("lookup: see the mailbox in LIST"):
 * knowledge_right_name_len() is the length of that name. */
const struct knowledge_row *knowledge_right(char letter);
int knowledge_right_name_len(const struct knowledge_row *row);

/* The i-th row of the whole table; NULL past the last. */
const struct knowledge_row *knowledge_at(size_t i);
size_t knowledge_count(void);

/* "RFC 9051 §7.1", "RFC 4314", or "a vendor extension" (rfc 0), into buf
 * (at least KNOWLEDGE_CITE_MAX bytes). */
#define KNOWLEDGE_CITE_MAX 48
const char *knowledge_cite(const struct knowledge_row *row, char *buf,
    size_t size);
/* The RFC's title ("IMAP4rev2"), or NULL when the table does not list
 * that RFC. */
const char *knowledge_rfc_title(unsigned rfc);

#endif
