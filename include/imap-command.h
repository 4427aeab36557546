/* imap-command: outgoing commands, built so that quoting is never done by
 * hand (after Dovecot's imapc_command_sendf).
 *
 * A command is a list of chunks. Each chunk but the last ends in a
 * synchronising literal's "{n}\r\n" and must wait for the server's "+"
 * before the next chunk is sent; with LITERAL+ (or LITERAL- for small
 * literals) everything is one chunk. */
#ifndef IMAPWB_IMAP_COMMAND_H
#define IMAPWB_IMAP_COMMAND_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util-buf.h"

/* What the server lets the builder use. */
struct imap_literal_caps {
	bool literal_plus;  /* RFC 7888 LITERAL+: {n+} for any size */
	bool literal_minus; /* RFC 7888 LITERAL-: {n+} up to 4096 bytes */
	bool utf8;          /* RFC 6855 UTF8=ACCEPT enabled: 8-bit quoted */
};

#define IMAP_COMMAND_MAX_CHUNK (64u * 1024 * 1024)

struct imap_command_chunk {
	struct buf data;
	bool wait_continuation; /* wait for "+" after sending this chunk */
};

/* The longest tag a command keeps (a longer one could never be matched
 * to its reply). */
#define IMAP_COMMAND_TAG_MAX 31

struct imap_command {
	char tag[IMAP_COMMAND_TAG_MAX + 1];
	char name[32];      /* upper-cased command name, for matching */
	bool secret;        /* arguments never reach a screen or a log */
	struct imap_command_chunk *chunks;
	size_t chunk_count;
};

/* Build a command. The format's directives:
 *   %a  an atom, written as is (the caller guarantees it is one)
 *   %s  a NUL-terminated astring: atom, quoted string or literal
 *   %b  a (const char *, size_t) astring that may hold any byte
 *   %q  a NUL-terminated string, quoted or literal, never an atom
 *   %u  an unsigned int;  %U  a uint64_t
 *   %%  a percent sign
 * Everything else is copied as is. Returns NULL and *error_r for a bad
 * format or an argument that cannot be sent (NUL without LITERAL8). */
struct imap_command *imap_command_build(const char *tag,
    const struct imap_literal_caps *caps, const char **error_r,
    const char *fmt, ...);
struct imap_command *imap_command_vbuild(const char *tag,
    const struct imap_literal_caps *caps, const char **error_r,
    const char *fmt, va_list ap);

/* A command from a line typed verbatim (the raw console); NULL if the
 * line holds CR or LF, or the tag is longer than IMAP_COMMAND_TAG_MAX.
 * Literals in it are the typist's business. */
struct imap_command *imap_command_from_line(const char *tag,
    const char *line_after_tag);

/* Append a further chunk that is sent after the server's "+" (the
 * contents of a typed synchronising literal, an AUTHENTICATE step).
 * Returns -1 if it is larger than IMAP_COMMAND_MAX_CHUNK. */
int imap_command_append_chunk(struct imap_command *cmd, const void *data,
    size_t len, bool wait_continuation);

/* Mark the command as carrying a secret: its chunks are zeroed when freed
 * and its arguments are never shown or logged. */
void imap_command_set_secret(struct imap_command *cmd);

void imap_command_free(struct imap_command **cmd);

struct imap_arg;
struct imap_parser;
/* Tokenise the arguments after the command name ("UID FETCH" is two
 * words), with scratch's text parser: the tree lives until scratch parses
 * text again. -1 for a secret command or bytes that do not tokenise. */
int imap_command_parse_args(const struct imap_command *cmd,
    struct imap_parser *scratch, const struct imap_arg **args_r,
    size_t *count_r);

/* Append s as an IMAP quoted string ('"' and '\\' escaped); the caller
 * has checked it may be one (imap_string_form). -1 if out is full. */
int imap_quote_append(struct buf *out, const char *s, size_t len);

/* How an astring value must be sent. */
enum imap_string_form {
	IMAP_FORM_ATOM,
	IMAP_FORM_QUOTED,
	IMAP_FORM_LITERAL,
	IMAP_FORM_IMPOSSIBLE, /* holds NUL */
};
enum imap_string_form imap_string_form(const char *s, size_t len,
    bool allow_atom, const struct imap_literal_caps *caps);

#endif
