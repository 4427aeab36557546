/* fuzz-namespace: NAMESPACE (RFC 2342) and ID (RFC 2971) responses
 * through the parser and decode-namespace.
 *
 * Checks: a value or a reason; counts bounded by the tokens; a delimiter
 * is one character (never NUL); id_response_get() finds the first pair of
 * a key, whatever its case; and the round trip: the decoded value written
 * back as a response decodes to the same value. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "decode-namespace.h"
#include "fuzz-check.h"

#define NS_TEXT_MAX ((size_t)1 << 24)

static void
write_desc(struct buf *out, const struct namespace_desc *d)
{
	size_t i, j;

	buf_append_byte(out, '(');
	fuzz_write_cstring(out, d->prefix);
	buf_append_byte(out, ' ');
	fuzz_write_cstring(out, d->delimiter);
	for (i = 0; i < d->ext_count; i++) {
		buf_append_byte(out, ' ');
		fuzz_write_cstring(out, d->exts[i].name);
		buf_append_str(out, " (");
		for (j = 0; j < d->exts[i].count; j++) {
			if (j > 0)
				buf_append_byte(out, ' ');
			fuzz_write_cstring(out, d->exts[i].values[j]);
		}
		buf_append_byte(out, ')');
	}
	buf_append_byte(out, ')');
}

static void
write_list(struct buf *out, const struct namespace_list *l)
{
	size_t i;

	buf_append_byte(out, ' ');
	if (l->nil) {
		buf_append_str(out, "NIL");
		return;
	}
	buf_append_byte(out, '(');
	for (i = 0; i < l->count; i++) {
		FUZZ_ASSERT(l->descs[i].delimiter == NULL ||
		    strlen(l->descs[i].delimiter) == 1,
		    "NAMESPACE: a delimiter of %zu characters",
		    strlen(l->descs[i].delimiter));
		write_desc(out, &l->descs[i]);
	}
	buf_append_byte(out, ')');
}

static bool
desc_equal(const struct namespace_desc *a, const struct namespace_desc *b)
{
	size_t i, j;

	if (!fuzz_str_equal(a->prefix, b->prefix) ||
	    !fuzz_str_equal(a->delimiter, b->delimiter) ||
	    a->ext_count != b->ext_count)
		return false;
	for (i = 0; i < a->ext_count; i++) {
		if (!fuzz_str_equal(a->exts[i].name, b->exts[i].name) ||
		    a->exts[i].count != b->exts[i].count)
			return false;
		for (j = 0; j < a->exts[i].count; j++)
			if (!fuzz_str_equal(a->exts[i].values[j],
				b->exts[i].values[j]))
				return false;
	}
	return true;
}

static bool
list_equal(const struct namespace_list *a, const struct namespace_list *b)
{
	size_t i;

	if (a->nil != b->nil || a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (!desc_equal(&a->descs[i], &b->descs[i]))
			return false;
	return true;
}

static void
check_namespace(const struct imap_response *resp)
{
	struct namespace_response ns, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	bool ok = decode_namespace(resp, &ns, &err);

	fuzz_strict_ok(ok, "NAMESPACE", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && ns.personal.descs == NULL &&
		    ns.other.descs == NULL && ns.shared.descs == NULL,
		    "NAMESPACE failed without a reason, or kept values");
		return;
	}
	buf_init(&out, NS_TEXT_MAX);
	buf_append_str(&out, "* NAMESPACE");
	write_list(&out, &ns.personal);
	write_list(&out, &ns.other);
	write_list(&out, &ns.shared);
	buf_append_str(&out, "\r\n");
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_namespace(fuzz_parse_one(p, &out), &again, &err) &&
	    list_equal(&ns.personal, &again.personal) &&
	    list_equal(&ns.other, &again.other) &&
	    list_equal(&ns.shared, &again.shared),
	    "NAMESPACE round trip differs: %.200s", buf_str(&out));
	namespace_response_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	namespace_response_free(&ns);
}

/* id_response_get(key) is the value of the first pair with that key. */
static void
check_id_get(const struct id_response *id)
{
	size_t i, j;

	for (i = 0; i < id->count; i++) {
		for (j = 0; j < i; j++)
			if (strcasecmp(id->pairs[j].key, id->pairs[i].key) == 0)
				break;
		FUZZ_ASSERT(id_response_get(id, id->pairs[i].key) ==
		    id->pairs[j].value, "ID: get(\"%s\") is not the first "
		    "such pair's value", id->pairs[i].key);
	}
}

static void
check_id(const struct imap_response *resp)
{
	struct id_response id, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	size_t i;
	bool ok = decode_id(resp, &id, &err), same;

	fuzz_strict_ok(ok, "ID", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && id.pairs == NULL,
		    "ID failed without a reason, or kept pairs");
		return;
	}
	FUZZ_ASSERT(!id.nil || id.count == 0, "ID NIL with pairs");
	check_id_get(&id);
	buf_init(&out, NS_TEXT_MAX);
	buf_append_str(&out, id.nil ? "* ID NIL" : "* ID (");
	for (i = 0; i < id.count; i++) {
		if (i > 0)
			buf_append_byte(&out, ' ');
		fuzz_write_cstring(&out, id.pairs[i].key);
		buf_append_byte(&out, ' ');
		fuzz_write_cstring(&out, id.pairs[i].value);
	}
	buf_append_str(&out, id.nil ? "\r\n" : ")\r\n");
	p = imap_parser_new(NULL);
	same = decode_id(fuzz_parse_one(p, &out), &again, &err) &&
	    again.nil == id.nil && again.count == id.count;
	for (i = 0; same && i < id.count; i++)
		same = fuzz_str_equal(id.pairs[i].key, again.pairs[i].key) &&
		    fuzz_str_equal(id.pairs[i].value, again.pairs[i].value);
	FUZZ_ASSERT(same, "ID round trip differs: %.200s", buf_str(&out));
	id_response_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	id_response_free(&id);
}

static void
check_response(void *ctx, const struct imap_response *resp,
    struct imap_parser *scratch)
{
	char name[16];

	(void)ctx;
	(void)scratch;
	if (resp->kind != IMAP_RESPONSE_UNTAGGED ||
	    resp->status != IMAP_STATUS_NONE)
		return;
	fuzz_response_name(resp, name, sizeof(name));
	if (strcmp(name, "NAMESPACE") == 0)
		check_namespace(resp);
	else if (strcmp(name, "ID") == 0)
		check_id(resp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_response(data, size, check_response, NULL);
	return 0;
}
