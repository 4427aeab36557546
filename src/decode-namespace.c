/* decode-namespace: NAMESPACE and ID responses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode-namespace.h"
#include "util-mem.h"

static bool
is_response(const struct imap_response *resp, const char *name,
    size_t count, const char **error_r)
{
	if (resp->kind == IMAP_RESPONSE_UNTAGGED && resp->count == count &&
	    imap_arg_atom_equals(&resp->args[0], name))
		return true;
	*error_r = "not the response this decoder reads";
	return false;
}

/* RFC 2342 6: SP string SP "(" string *(SP string) ")" */
static bool
decode_ext(const struct imap_arg *name, const struct imap_arg *values,
    struct namespace_ext *ext)
{
	const struct imap_arg *list;
	size_t i, n;

	if (!imap_arg_get_string(name, &ext->name, NULL) ||
	    !imap_arg_get_list(values, &list, &n) || n == 0)
		return false;
	ext->values = xcalloc(n, sizeof(*ext->values));
	ext->count = n;
	for (i = 0; i < n; i++)
		if (!imap_arg_get_string(&list[i], &ext->values[i], NULL))
			return false;
	return true;
}

/* "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) *(extension) ")" */
static bool
decode_desc(const struct imap_arg *arg, struct namespace_desc *d,
    const char **error_r)
{
	const struct imap_arg *list;
	size_t i, n, len;

	*error_r = "NAMESPACE: a namespace is not (prefix delimiter "
		   "[extensions])";
	if (!imap_arg_get_list(arg, &list, &n) || n < 2 || n % 2 != 0 ||
	    !imap_arg_get_string(&list[0], &d->prefix, NULL) ||
	    !imap_arg_get_nstring(&list[1], &d->delimiter, &len))
		return false;
	if (d->delimiter != NULL && len != 1) {
		*error_r = "NAMESPACE: a delimiter is not one character";
		return false;
	}
	d->ext_count = (n - 2) / 2;
	d->exts = xcalloc(d->ext_count + 1, sizeof(*d->exts));
	for (i = 0; i < d->ext_count; i++)
		if (!decode_ext(&list[2 + 2 * i], &list[3 + 2 * i],
			&d->exts[i]))
			return false;
	return true;
}

/* RFC 9051 9: Namespace = nil / "(" 1*Namespace-Descr ")" */
static bool
decode_list(const struct imap_arg *arg, struct namespace_list *l,
    const char **error_r)
{
	const struct imap_arg *list;
	size_t i, n;

	if (imap_arg_is_nil(arg)) {
		l->nil = true;
		return true;
	}
	if (!imap_arg_get_list(arg, &list, &n) || n == 0) {
		*error_r = "NAMESPACE: a namespace group is neither NIL nor "
			   "a list";
		return false;
	}
	l->descs = xcalloc(n, sizeof(*l->descs));
	l->count = n;
	for (i = 0; i < n; i++)
		if (!decode_desc(&list[i], &l->descs[i], error_r))
			return false;
	return true;
}

bool
decode_namespace(const struct imap_response *resp,
    struct namespace_response *ns, const char **error_r)
{
	memset(ns, 0, sizeof(*ns));
	if (!is_response(resp, "NAMESPACE", 4, error_r))
		return false;
	if (!decode_list(&resp->args[1], &ns->personal, error_r) ||
	    !decode_list(&resp->args[2], &ns->other, error_r) ||
	    !decode_list(&resp->args[3], &ns->shared, error_r)) {
		namespace_response_free(ns);
		return false;
	}
	return true;
}

static void
namespace_list_free(struct namespace_list *l)
{
	size_t i, j;

	for (i = 0; i < l->count; i++) {
		for (j = 0; j < l->descs[i].ext_count; j++)
			free(l->descs[i].exts[j].values);
		free(l->descs[i].exts);
	}
	free(l->descs);
	memset(l, 0, sizeof(*l));
}

void
namespace_response_free(struct namespace_response *ns)
{
	namespace_list_free(&ns->personal);
	namespace_list_free(&ns->other);
	namespace_list_free(&ns->shared);
}

/* RFC 2971 4: id_params_list ::= "(" #(string SPACE nstring) ")" / nil */
bool
decode_id(const struct imap_response *resp, struct id_response *id,
    const char **error_r)
{
	const struct imap_arg *list;
	size_t i, n;

	memset(id, 0, sizeof(*id));
	if (!is_response(resp, "ID", 2, error_r))
		return false;
	if (imap_arg_is_nil(&resp->args[1])) {
		id->nil = true;
		return true;
	}
	if (!imap_arg_get_list(&resp->args[1], &list, &n) || n % 2 != 0) {
		*error_r = "ID: not NIL or a list of keys and values";
		return false;
	}
	id->pairs = xcalloc(n / 2 + 1, sizeof(*id->pairs));
	id->count = n / 2;
	for (i = 0; i < id->count; i++)
		if (!imap_arg_get_string(&list[2 * i], &id->pairs[i].key,
			NULL) ||
		    !imap_arg_get_nstring(&list[2 * i + 1],
			&id->pairs[i].value, NULL)) {
			*error_r = "ID: a key is not a string or a value not "
				   "a string or NIL";
			id_response_free(id);
			return false;
		}
	return true;
}

void
id_response_free(struct id_response *id)
{
	free(id->pairs);
	memset(id, 0, sizeof(*id));
}

const char *
id_response_get(const struct id_response *id, const char *key)
{
	size_t i;

	for (i = 0; i < id->count; i++)
		if (strcasecmp(id->pairs[i].key, key) == 0)
			return id->pairs[i].value;
	return NULL;
}
