/* decode-mailbox: LIST, LSUB and STATUS responses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode-mailbox.h"
#include "util-mem.h"

static const struct {
	const char *name;
	unsigned bit;
} list_attributes[] = {
	{ "\\Noinferiors", LIST_ATTR_NOINFERIORS },
	{ "\\Noselect", LIST_ATTR_NOSELECT },
	{ "\\Marked", LIST_ATTR_MARKED },
	{ "\\Unmarked", LIST_ATTR_UNMARKED },
	{ "\\NonExistent", LIST_ATTR_NONEXISTENT },
	{ "\\Subscribed", LIST_ATTR_SUBSCRIBED },
	{ "\\Remote", LIST_ATTR_REMOTE },
	{ "\\HasChildren", LIST_ATTR_HASCHILDREN },
	{ "\\HasNoChildren", LIST_ATTR_HASNOCHILDREN },
};

/* RFC 6154 2 (and \Important from RFC 8457). */
static const char *const special_uses[] = {
	"\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent",
	"\\Trash", "\\Important",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *
list_attribute_known_name(size_t i)
{
	if (i < COUNT(list_attributes))
		return list_attributes[i].name;
	i -= COUNT(list_attributes);
	return i < COUNT(special_uses) ? special_uses[i] : NULL;
}

static void
classify_attribute(struct list_response *l, const char *attr)
{
	size_t i;

	for (i = 0; i < COUNT(list_attributes); i++)
		if (strcasecmp(attr, list_attributes[i].name) == 0) {
			l->attrs |= list_attributes[i].bit;
			return;
		}
	for (i = 0; i < COUNT(special_uses); i++)
		if (strcasecmp(attr, special_uses[i]) == 0 &&
		    l->special_use == NULL) {
			l->special_use = special_uses[i];
			return;
		}
}

static bool
decode_attributes(struct list_response *l, const struct imap_arg *arg,
    const char **error_r)
{
	const struct imap_arg *list;
	size_t n, i;

	if (!imap_arg_get_list(arg, &list, &n)) {
		*error_r = "LIST: the attributes are not a list";
		return false;
	}
	l->attributes = xcalloc(n + 1, sizeof(*l->attributes));
	for (i = 0; i < n; i++) {
		if (!imap_arg_get_atom(&list[i], &l->attributes[i])) {
			*error_r = "LIST: an attribute is not an atom";
			return false;
		}
		classify_attribute(l, l->attributes[i]);
	}
	l->attribute_count = n;
	return true;
}

/* RFC 5258 mbox-list-extended: ("CHILDINFO" ("SUBSCRIBED")) and others
 * we skip. */
static void
decode_extended(struct list_response *l, const struct imap_arg *arg)
{
	const struct imap_arg *items, *tags;
	size_t n, i, m, j;
	const char *tag;

	if (!imap_arg_get_list(arg, &items, &n))
		return;
	for (i = 0; i + 1 < n; i += 2) {
		if (!imap_arg_get_astring(&items[i], &tag, NULL) ||
		    strcasecmp(tag, "CHILDINFO") != 0 ||
		    !imap_arg_get_list(&items[i + 1], &tags, &m))
			continue;
		for (j = 0; j < m; j++)
			if (imap_arg_get_astring(&tags[j], &tag, NULL) &&
			    strcasecmp(tag, "SUBSCRIBED") == 0)
				l->childinfo_subscribed = true;
	}
}

static bool
decode_delimiter(struct list_response *l, const struct imap_arg *arg,
    const char **error_r)
{
	const char *d;
	size_t len;

	if (imap_arg_is_nil(arg))
		return true;
	if (!imap_arg_get_string(arg, &d, &len) || len != 1) {
		*error_r = "LIST: the delimiter is not one character or NIL";
		return false;
	}
	l->delimiter = d[0];
	return true;
}

bool
decode_list(const struct imap_response *resp, struct list_response *l,
    const char **error_r)
{
	memset(l, 0, sizeof(*l));
	if (resp->kind != IMAP_RESPONSE_UNTAGGED || resp->count < 4 ||
	    (!imap_arg_atom_equals(&resp->args[0], "LIST") &&
		!(l->lsub = imap_arg_atom_equals(&resp->args[0], "LSUB")))) {
		*error_r = "not a LIST or LSUB response";
		return false;
	}
	if (!decode_attributes(l, &resp->args[1], error_r) ||
	    !decode_delimiter(l, &resp->args[2], error_r)) {
		list_response_free(l);
		return false;
	}
	if (!imap_arg_get_astring(&resp->args[3], &l->name, NULL)) {
		*error_r = "LIST: the mailbox name is not a string";
		list_response_free(l);
		return false;
	}
	if (resp->count > 4)
		decode_extended(l, &resp->args[4]);
	return true;
}

void
list_response_free(struct list_response *l)
{
	free(l->attributes);
	l->attributes = NULL;
	l->attribute_count = 0;
}

static const char *const status_names[STATUS_ITEM_COUNT] = {
	[STATUS_MESSAGES] = "MESSAGES",
	[STATUS_RECENT] = "RECENT",
	[STATUS_UIDNEXT] = "UIDNEXT",
	[STATUS_UIDVALIDITY] = "UIDVALIDITY",
	[STATUS_UNSEEN] = "UNSEEN",
	[STATUS_SIZE] = "SIZE",
	[STATUS_HIGHESTMODSEQ] = "HIGHESTMODSEQ",
	[STATUS_DELETED] = "DELETED",
};

const char *
status_item_name(enum status_item item)
{
	return status_names[item];
}

bool
decode_status(const struct imap_response *resp, struct status_response *st,
    const char **error_r)
{
	const struct imap_arg *items;
	const char *name;
	size_t n, i, k;
	uint64_t v;

	memset(st, 0, sizeof(*st));
	if (resp->kind != IMAP_RESPONSE_UNTAGGED || resp->count != 3 ||
	    !imap_arg_atom_equals(&resp->args[0], "STATUS") ||
	    !imap_arg_get_astring(&resp->args[1], &st->mailbox, NULL) ||
	    !imap_arg_get_list(&resp->args[2], &items, &n) || n % 2 != 0) {
		*error_r = "STATUS: not a mailbox and a list of items";
		return false;
	}
	for (i = 0; i < n; i += 2) {
		if (!imap_arg_get_atom(&items[i], &name) ||
		    !imap_arg_get_number(&items[i + 1], &v)) {
			*error_r = "STATUS: an item is not a name and a number";
			return false;
		}
		/* Unknown items are skipped: servers add their own. */
		for (k = 0; k < STATUS_ITEM_COUNT; k++)
			if (strcasecmp(name, status_names[k]) == 0) {
				st->present |= 1u << k;
				st->values[k] = v;
			}
	}
	return true;
}
