/* decode-search: SEARCH, SORT and ESEARCH responses. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode-search.h"
#include "util-mem.h"

/* --- SEARCH and SORT ------------------------------------------------- */

static bool
is_response(const struct imap_response *resp, const char *name,
    const char **error_r)
{
	if (resp->kind == IMAP_RESPONSE_UNTAGGED && resp->count >= 1 &&
	    imap_arg_atom_equals(&resp->args[0], name))
		return true;
	*error_r = "not the response this decoder reads";
	return false;
}

/* RFC 7162 3.1.5: search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value
 * ")", only after at least one number */
static bool
decode_modseq_trailer(const struct imap_arg *arg, struct search_result *r,
    const char **error_r)
{
	const struct imap_arg *list;
	size_t n;

	if (!imap_arg_get_list(arg, &list, &n) || n != 2 ||
	    !imap_arg_atom_equals(&list[0], "MODSEQ") ||
	    !imap_arg_get_number(&list[1], &r->modseq) || r->modseq == 0 ||
	    r->count == 0) {
		*error_r = "SEARCH: the trailer is not (MODSEQ n) after "
			   "numbers";
		return false;
	}
	r->has_modseq = true;
	return true;
}

static bool
decode_numbers(const struct imap_response *resp, const char *name,
    struct search_result *r, const char **error_r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	if (!is_response(resp, name, error_r))
		return false;
	r->numbers = xcalloc(resp->count, sizeof(*r->numbers));
	for (i = 1; i < resp->count; i++) {
		if (resp->args[i].type == IMAP_ARG_LIST &&
		    i + 1 == resp->count) {
			if (!decode_modseq_trailer(&resp->args[i], r,
				error_r))
				goto fail;
			break;
		}
		if (!imap_arg_get_nz_number32(&resp->args[i],
			&r->numbers[r->count])) {
			*error_r = "SEARCH/SORT: not a 32-bit number above 0";
			goto fail;
		}
		r->count++;
	}
	return true;
fail:
	search_result_free(r);
	return false;
}

bool
decode_search(const struct imap_response *resp, struct search_result *r,
    const char **error_r)
{
	return decode_numbers(resp, "SEARCH", r, error_r);
}

/* RFC 5256 4: sort-data = "SORT" *(SP nz-number); RFC 7162 adds MODSEQ */
bool
decode_sort(const struct imap_response *resp, struct search_result *r,
    const char **error_r)
{
	return decode_numbers(resp, "SORT", r, error_r);
}

void
search_result_free(struct search_result *r)
{
	free(r->numbers);
	memset(r, 0, sizeof(*r));
}

/* --- ESEARCH ----------------------------------------------------------- */

/* RFC 4731 4 search-correlator = "(" "TAG" SP tag-string ")"; RFC 7377
 * adds MAILBOX and UIDVALIDITY pairs */
static bool
decode_correlator(const struct imap_arg *arg, struct esearch_result *r,
    const char **error_r)
{
	const struct imap_arg *list;
	size_t i, n;
	bool ok = true;

	if (!imap_arg_get_list(arg, &list, &n) || n % 2 != 0 || n == 0) {
		*error_r = "ESEARCH: the correlator is not (TAG \"tag\")";
		return false;
	}
	for (i = 0; i < n && ok; i += 2) {
		if (imap_arg_atom_equals(&list[i], "TAG"))
			ok = imap_arg_get_string(&list[i + 1], &r->tag, NULL);
		else if (imap_arg_atom_equals(&list[i], "MAILBOX"))
			ok = imap_arg_get_astring(&list[i + 1], &r->mailbox,
			    NULL);
		else if (imap_arg_atom_equals(&list[i], "UIDVALIDITY"))
			ok = imap_arg_get_nz_number32(&list[i + 1],
			    &r->uidvalidity);
		else
			ok = false;
	}
	if (!ok || r->tag == NULL) {
		*error_r = "ESEARCH: the correlator is not (TAG \"tag\")";
		return false;
	}
	return true;
}

/* Which has_ flag a known return item sets, or NULL for an unknown one. */
static bool *
esearch_seen(const struct imap_arg *name, struct esearch_result *r)
{
	if (imap_arg_atom_equals(name, "MIN"))
		return &r->has_min;
	if (imap_arg_atom_equals(name, "MAX"))
		return &r->has_max;
	if (imap_arg_atom_equals(name, "COUNT"))
		return &r->has_count;
	if (imap_arg_atom_equals(name, "MODSEQ"))
		return &r->has_modseq;
	if (imap_arg_atom_equals(name, "ALL"))
		return &r->has_all;
	return NULL;
}

static bool
esearch_item(const struct imap_arg *name, const struct imap_arg *value,
    struct esearch_result *r, const char **error_r)
{
	bool *seen = esearch_seen(name, r);
	const char *text;
	uint64_t n;
	bool ok;

	if (seen == NULL) {
		/* RFC 4466 2.6.2: search-modifier-name SP
		 * search-return-value; the raw response shows it */
		if (!imap_arg_get_atom(name, &text)) {
			*error_r = "ESEARCH: a return item name is not an atom";
			return false;
		}
		r->unknown_count++;
		return true;
	}
	if (*seen) {
		*error_r = "ESEARCH: a return item comes twice";
		return false;
	}
	if (seen == &r->has_min)
		ok = imap_arg_get_nz_number32(value, &r->min);
	else if (seen == &r->has_max)
		ok = imap_arg_get_nz_number32(value, &r->max);
	else if (seen == &r->has_count) {
		ok = imap_arg_get_number(value, &n) && n <= UINT32_MAX;
		r->count = ok ? (uint32_t)n : 0;
	} else if (seen == &r->has_modseq)
		ok = imap_arg_get_number(value, &r->modseq) && r->modseq != 0;
	else if (!imap_arg_get_atom(value, &text))
		ok = false;
	else if (!seqset_parse(text, SEQSET_ALLOW_STAR, &r->all, error_r))
		return false;
	else
		ok = true;
	if (!ok) {
		*error_r = "ESEARCH: a return item has a bad value";
		return false;
	}
	*seen = true;
	return true;
}

/* RFC 4731 4: esearch-response = "ESEARCH" [search-correlator] [SP "UID"]
 * *(SP search-return-data) */
bool
decode_esearch(const struct imap_response *resp, struct esearch_result *r,
    const char **error_r)
{
	size_t i = 1;

	memset(r, 0, sizeof(*r));
	if (!is_response(resp, "ESEARCH", error_r))
		return false;
	if (i < resp->count && resp->args[i].type == IMAP_ARG_LIST) {
		if (!decode_correlator(&resp->args[i], r, error_r))
			return false;
		i++;
	}
	if (i < resp->count && imap_arg_atom_equals(&resp->args[i], "UID")) {
		r->uid = true;
		i++;
	}
	if ((resp->count - i) % 2 != 0) {
		*error_r = "ESEARCH: a return item without its value";
		return false;
	}
	for (; i < resp->count; i += 2)
		if (!esearch_item(&resp->args[i], &resp->args[i + 1], r,
			error_r)) {
			esearch_result_free(r);
			return false;
		}
	return true;
}

void
esearch_result_free(struct esearch_result *r)
{
	seqset_free(&r->all);
	memset(r, 0, sizeof(*r));
}
