/* imap-arg: typed getters over the token tree of one response. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "imap-arg.h"

static const char *const arg_type_names[] = {
	[IMAP_ARG_ATOM] = "atom",
	[IMAP_ARG_NUMBER] = "number",
	[IMAP_ARG_STRING] = "string",
	[IMAP_ARG_LITERAL] = "literal",
	[IMAP_ARG_LITERAL8] = "literal8",
	[IMAP_ARG_STREAMED] = "streamed literal",
	[IMAP_ARG_NIL] = "NIL",
	[IMAP_ARG_LIST] = "list",
};

const char *
imap_arg_type_name(enum imap_arg_type type)
{
	if ((size_t)type >= sizeof(arg_type_names) / sizeof(arg_type_names[0]))
		return "?";
	return arg_type_names[type];
}

bool
imap_arg_is_nil(const struct imap_arg *arg)
{
	return arg->type == IMAP_ARG_NIL;
}

bool
imap_arg_get_atom(const struct imap_arg *arg, const char **atom_r)
{
	if (arg->type != IMAP_ARG_ATOM && arg->type != IMAP_ARG_NUMBER)
		return false;
	*atom_r = arg->text;
	return true;
}

bool
imap_arg_get_string(const struct imap_arg *arg, const char **str_r,
    size_t *len_r)
{
	if (arg->type != IMAP_ARG_STRING && arg->type != IMAP_ARG_LITERAL)
		return false;
	/* Without a length the caller reads a C string: a literal with a NUL
	 * in it would be cut short there ("INBOX\0evil" read as INBOX). */
	if (len_r == NULL &&
	    memchr(arg->u.str.data, '\0', arg->u.str.len) != NULL)
		return false;
	*str_r = arg->u.str.data;
	if (len_r != NULL)
		*len_r = arg->u.str.len;
	return true;
}

bool
imap_arg_get_astring(const struct imap_arg *arg, const char **str_r,
    size_t *len_r)
{
	if (imap_arg_get_string(arg, str_r, len_r))
		return true;
	if (arg->type != IMAP_ARG_ATOM && arg->type != IMAP_ARG_NUMBER)
		return false;
	*str_r = arg->text;
	if (len_r != NULL)
		*len_r = arg->text_len;
	return true;
}

bool
imap_arg_get_nstring(const struct imap_arg *arg, const char **str_r,
    size_t *len_r)
{
	if (arg->type == IMAP_ARG_NIL) {
		*str_r = NULL;
		if (len_r != NULL)
			*len_r = 0;
		return true;
	}
	return imap_arg_get_string(arg, str_r, len_r);
}

bool
imap_arg_get_number(const struct imap_arg *arg, uint64_t *num_r)
{
	if (arg->type != IMAP_ARG_NUMBER)
		return false;
	*num_r = arg->u.number;
	return true;
}

bool
imap_arg_get_nz_number32(const struct imap_arg *arg, uint32_t *num_r)
{
	uint64_t n;

	if (!imap_arg_get_number(arg, &n) || n == 0 || n > UINT32_MAX)
		return false;
	*num_r = (uint32_t)n;
	return true;
}

bool
imap_arg_get_list(const struct imap_arg *arg, const struct imap_arg **args_r,
    size_t *count_r)
{
	if (arg->type != IMAP_ARG_LIST)
		return false;
	*args_r = arg->u.list.args;
	*count_r = arg->u.list.count;
	return true;
}
