/* imap-arg: the token tree of one parsed IMAP response, and typed getters.
 *
 * Decoders never touch raw bytes: they walk this tree through getters that
 * return bool and fill _r out-parameters (after Dovecot's imap-arg.h). */
#ifndef IMAPWB_IMAP_ARG_H
#define IMAPWB_IMAP_ARG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

enum imap_arg_type {
	IMAP_ARG_ATOM,
	IMAP_ARG_NUMBER,   /* an atom of digits that fits in 64 bits */
	IMAP_ARG_STRING,   /* a quoted string, escapes removed */
	IMAP_ARG_LITERAL,  /* {n}, kept inline */
	IMAP_ARG_LITERAL8, /* ~{n}, kept inline (may hold NUL) */
	IMAP_ARG_STREAMED, /* a literal larger than the inline cap: its bytes
			      went to the literal sink, only the size is kept */
	IMAP_ARG_NIL,
	IMAP_ARG_LIST,
};

struct imap_arg {
	enum imap_arg_type type;
	union {
		struct {
			const char *data; /* NUL-terminated; see len */
			size_t len;
		} str;
		uint64_t number;
		struct {
			const struct imap_arg *args;
			size_t count;
		} list;
		struct {
			uint64_t size;
			bool literal8;
		} streamed;
	} u;
	/* Numbers keep their text too, so any arg can be read as an atom. */
	const char *text;
	size_t text_len;
};

const char *imap_arg_type_name(enum imap_arg_type type);

bool imap_arg_is_nil(const struct imap_arg *arg);
/* An atom or a number (read as its text). */
bool imap_arg_get_atom(const struct imap_arg *arg, const char **atom_r);
/* A quoted string or an inline literal. With len_r NULL the caller
 * takes a C string, so a literal holding a NUL is refused (false). */
bool imap_arg_get_string(const struct imap_arg *arg, const char **str_r,
    size_t *len_r);
/* An atom, number, quoted string or inline literal (IMAP "astring"). */
bool imap_arg_get_astring(const struct imap_arg *arg, const char **str_r,
    size_t *len_r);
/* A string or NIL (IMAP "nstring"); NIL gives *str_r = NULL. */
bool imap_arg_get_nstring(const struct imap_arg *arg, const char **str_r,
    size_t *len_r);
bool imap_arg_get_number(const struct imap_arg *arg, uint64_t *num_r);
/* A number that fits in 32 bits and is not 0 (RFC 9051 nz-number). */
bool imap_arg_get_nz_number32(const struct imap_arg *arg, uint32_t *num_r);
bool imap_arg_get_list(const struct imap_arg *arg,
    const struct imap_arg **args_r, size_t *count_r);
/* An atom (or number) equal to atom, ignoring ASCII case. Inline, with
 * the lengths compared first: decoders ask it of every token they
 * dispatch on, and most answers are "no". */
static inline bool
imap_arg_atom_equals(const struct imap_arg *arg, const char *atom)
{
	size_t len = strlen(atom);

	return (arg->type == IMAP_ARG_ATOM || arg->type == IMAP_ARG_NUMBER) &&
	    arg->text_len == len && strncasecmp(arg->text, atom, len) == 0;
}

#endif
