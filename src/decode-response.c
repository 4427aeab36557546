/* decode-response: the one place a response is decoded. */
#include "config.h"

#include <string.h>

#include "decode-response.h"

static const char *const kind_names[DECODED_KIND_COUNT] = {
	[DECODED_NONE] = "none",
	[DECODED_CAPABILITY] = "capability",
	[DECODED_LIST] = "list",
	[DECODED_STATUS] = "status",
	[DECODED_FLAGS] = "flags",
	[DECODED_COUNT] = "count",
	[DECODED_VANISHED] = "vanished",
	[DECODED_FETCH] = "fetch",
	[DECODED_SEARCH] = "search",
	[DECODED_SORT] = "sort",
	[DECODED_ESEARCH] = "esearch",
	[DECODED_ACL] = "acl",
	[DECODED_MYRIGHTS] = "myrights",
	[DECODED_LISTRIGHTS] = "listrights",
	[DECODED_QUOTA] = "quota",
	[DECODED_QUOTAROOT] = "quotaroot",
	[DECODED_NAMESPACE] = "namespace",
	[DECODED_ID] = "id",
};

const char *
decoded_kind_name(enum decoded_kind kind)
{
	return kind_names[kind];
}

/* --- one decoder per kind ----------------------------------------------- */

static bool
dec_capability(const struct imap_response *r, struct decoded_response *d,
    const char **e)
{
	(void)r;
	(void)d;
	(void)e;
	return true; /* the atoms are read from the response as they are */
}

/* A decoder of the table: the response's own decode_* into the union. */
#define DECODER(name, decode, member)                                     \
	static bool name(const struct imap_response *r,                     \
	    struct decoded_response *d, const char **e)                     \
	{                                                                   \
		return decode(r, &d->u.member, e);                          \
	}

DECODER(dec_list, decode_list, list)
DECODER(dec_status, decode_status, status)
DECODER(dec_flags, decode_flags, flags)
DECODER(dec_count, decode_message_count, count)
DECODER(dec_vanished, decode_vanished, vanished)
DECODER(dec_search, decode_search, search)
DECODER(dec_sort, decode_sort, search)
DECODER(dec_esearch, decode_esearch, esearch)
DECODER(dec_acl, decode_acl, acl)
DECODER(dec_myrights, decode_myrights, myrights)
DECODER(dec_listrights, decode_listrights, listrights)
DECODER(dec_quota, decode_quota, quota)
DECODER(dec_quotaroot, decode_quotaroot, quotaroot)
DECODER(dec_namespace, decode_namespace, namespace_)
DECODER(dec_id, decode_id, id)

static bool
dec_fetch(const struct imap_response *r, struct decoded_response *d,
    const char **e)
{
	const char *structure_error;

	if (!decode_fetch(r, &d->u.fetch.f, e))
		return false;
	/* a malformed BODYSTRUCTURE leaves the rest of the FETCH usable */
	if (d->u.fetch.f.bodystructure != NULL)
		d->u.fetch.structure = decode_bodystructure(
		    d->u.fetch.f.bodystructure, &structure_error);
	return true;
}

/* The response names the decoders know: the first atom, or the second
 * after a number ("* 5 FETCH"). */
static const struct {
	const char *name;
	enum decoded_kind kind;
	bool (*decode)(const struct imap_response *r,
	    struct decoded_response *d, const char **error_r);
} decoders[] = {
	{ "CAPABILITY", DECODED_CAPABILITY, dec_capability },
	{ "LIST", DECODED_LIST, dec_list },
	{ "LSUB", DECODED_LIST, dec_list },
	{ "XLIST", DECODED_LIST, dec_list },
	{ "STATUS", DECODED_STATUS, dec_status },
	{ "FLAGS", DECODED_FLAGS, dec_flags },
	{ "EXISTS", DECODED_COUNT, dec_count },
	{ "RECENT", DECODED_COUNT, dec_count },
	{ "EXPUNGE", DECODED_COUNT, dec_count },
	{ "VANISHED", DECODED_VANISHED, dec_vanished },
	{ "FETCH", DECODED_FETCH, dec_fetch },
	{ "SEARCH", DECODED_SEARCH, dec_search },
	{ "SORT", DECODED_SORT, dec_sort },
	{ "ESEARCH", DECODED_ESEARCH, dec_esearch },
	{ "ACL", DECODED_ACL, dec_acl },
	{ "MYRIGHTS", DECODED_MYRIGHTS, dec_myrights },
	{ "LISTRIGHTS", DECODED_LISTRIGHTS, dec_listrights },
	{ "QUOTA", DECODED_QUOTA, dec_quota },
	{ "QUOTAROOT", DECODED_QUOTAROOT, dec_quotaroot },
	{ "NAMESPACE", DECODED_NAMESPACE, dec_namespace },
	{ "ID", DECODED_ID, dec_id },
};

static const struct imap_arg *
data_name_arg(const struct imap_response *r)
{
	if (r->kind != IMAP_RESPONSE_UNTAGGED ||
	    r->status != IMAP_STATUS_NONE || r->count == 0)
		return NULL;
	return r->args[0].type == IMAP_ARG_NUMBER && r->count > 1
	    ? &r->args[1] : &r->args[0];
}

const char *
response_data_name(const struct imap_response *r, size_t *len_r)
{
	const struct imap_arg *name_arg = data_name_arg(r);

	if (name_arg == NULL || name_arg->type != IMAP_ARG_ATOM)
		return NULL;
	*len_r = name_arg->text_len;
	return name_arg->text;
}

const char *
decoded_known_name(size_t i)
{
	return i < sizeof(decoders) / sizeof(decoders[0]) ? decoders[i].name
							   : NULL;
}

static void
decode_data(struct decoded_response *d, const struct imap_response *r)
{
	const struct imap_arg *name_arg = data_name_arg(r);
	size_t i;

	if (name_arg == NULL)
		return;
	for (i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++) {
		/* (it compares lengths first: most names fail at once) */
		if (!imap_arg_atom_equals(name_arg, decoders[i].name))
			continue;
		if (decoders[i].decode(r, d, &d->error)) {
			d->kind = decoders[i].kind;
			d->error = NULL;
		} else
			memset(&d->u, 0, sizeof(d->u));
		return;
	}
}

void
decoded_response_init(struct decoded_response *d,
    const struct imap_response *resp,
    const struct imap_session_command *owner, struct imap_parser *scratch)
{
	const char *code_error;

	memset(d, 0, sizeof(*d));
	d->raw = resp;
	d->owner = owner;
	d->kind = DECODED_NONE;
	if (resp->code != NULL)
		d->has_code = decode_code(resp, scratch, &d->code, &code_error);
	decode_data(d, resp);
}

void
decoded_modified_set(const struct decoded_response *d,
    void (*add)(void *out, uint32_t lo, uint32_t hi), void *out)
{
	const struct seqset *set;
	size_t i;

	if (d == NULL || !d->has_code || d->code.kind != RESP_CODE_MODIFIED)
		return;
	set = &d->code.set;
	for (i = 0; i < set->count; i++)
		if (set->ranges[i].lo != SEQSET_STAR &&
		    set->ranges[i].hi != SEQSET_STAR)
			add(out, set->ranges[i].lo, set->ranges[i].hi);
}

void
decoded_response_free(struct decoded_response *d)
{
	switch (d->kind) {
	case DECODED_LIST:
		list_response_free(&d->u.list);
		break;
	case DECODED_FLAGS:
		atom_list_free(&d->u.flags);
		break;
	case DECODED_VANISHED:
		vanished_free(&d->u.vanished);
		break;
	case DECODED_FETCH:
		bodystructure_free(&d->u.fetch.structure);
		fetch_response_free(&d->u.fetch.f);
		break;
	case DECODED_SEARCH:
	case DECODED_SORT:
		search_result_free(&d->u.search);
		break;
	case DECODED_ESEARCH:
		esearch_result_free(&d->u.esearch);
		break;
	case DECODED_ACL:
		acl_response_free(&d->u.acl);
		break;
	case DECODED_LISTRIGHTS:
		acl_listrights_free(&d->u.listrights);
		break;
	case DECODED_QUOTA:
		quota_response_free(&d->u.quota);
		break;
	case DECODED_QUOTAROOT:
		quota_roots_free(&d->u.quotaroot);
		break;
	case DECODED_NAMESPACE:
		namespace_response_free(&d->u.namespace_);
		break;
	case DECODED_ID:
		id_response_free(&d->u.id);
		break;
	case DECODED_NONE:
	case DECODED_CAPABILITY:
	case DECODED_STATUS:
	case DECODED_COUNT:
	case DECODED_MYRIGHTS:
	case DECODED_KIND_COUNT:
		break;
	}
	if (d->has_code)
		response_code_free(&d->code);
	memset(d, 0, sizeof(*d));
}

/* --- a listener's decoder ------------------------------------------------ */

void
response_decoder_init(struct response_decoder *dec)
{
	memset(dec, 0, sizeof(*dec));
	dec->scratch = imap_parser_new(NULL);
}

void
response_decoder_free(struct response_decoder *dec)
{
	if (dec->have_last)
		decoded_response_free(&dec->last);
	imap_parser_free(&dec->scratch);
	dec->have_last = false;
}

const struct decoded_response *
response_decoder_take(struct response_decoder *dec,
    const struct imap_response *resp, const struct imap_session_command *owner)
{
	if (dec->have_last)
		decoded_response_free(&dec->last);
	decoded_response_init(&dec->last, resp, owner, dec->scratch);
	dec->have_last = true;
	return &dec->last;
}

const struct decoded_response *
response_decoder_last(const struct response_decoder *dec,
    const struct imap_response *raw)
{
	return raw != NULL && dec->have_last && dec->last.raw == raw
	    ? &dec->last : NULL;
}
