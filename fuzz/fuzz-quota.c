/* fuzz-quota: QUOTA and QUOTAROOT responses (RFC 9208, RFC 2087) through
 * the parser and decode-quota.
 *
 * Checks: a value or a reason, never both; counts bounded by the tokens;
 * and the round trip: the decoded value written back as a response
 * decodes to the same value. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "decode-quota.h"
#include "fuzz-check.h"

#define QUOTA_TEXT_MAX ((size_t)1 << 24)

static bool
quota_equal(const struct quota_response *a, const struct quota_response *b)
{
	size_t i;

	if (!fuzz_str_equal(a->root, b->root) || a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (!fuzz_str_equal(a->resources[i].name,
			b->resources[i].name) ||
		    a->resources[i].usage != b->resources[i].usage ||
		    a->resources[i].limit != b->resources[i].limit)
			return false;
	return true;
}

static void
check_quota(const struct imap_response *resp)
{
	struct quota_response q, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	size_t i;
	bool ok = decode_quota(resp, &q, &err);

	fuzz_strict_ok(ok, "QUOTA", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && q.resources == NULL,
		    "QUOTA failed without a reason, or kept resources");
		return;
	}
	FUZZ_ASSERT(q.root != NULL && resp->count == 3 &&
	    resp->args[2].u.list.count == 3 * q.count,
	    "QUOTA: %zu resources from %zu tokens", q.count,
	    resp->args[2].u.list.count);
	buf_init(&out, QUOTA_TEXT_MAX);
	buf_append_str(&out, "* QUOTA ");
	fuzz_write_cstring(&out, q.root);
	buf_append_str(&out, " (");
	for (i = 0; i < q.count; i++)
		buf_printf(&out, "%s%s %" PRIu64 " %" PRIu64, i > 0 ? " " : "",
		    q.resources[i].name, q.resources[i].usage,
		    q.resources[i].limit);
	buf_append_str(&out, ")\r\n");
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_quota(fuzz_parse_one(p, &out), &again, &err) &&
	    quota_equal(&q, &again), "QUOTA round trip differs: %.200s",
	    buf_str(&out));
	quota_response_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	quota_response_free(&q);
}

static void
check_quotaroot(const struct imap_response *resp)
{
	struct quota_roots r, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	size_t i;
	bool ok = decode_quotaroot(resp, &r, &err), same;

	fuzz_strict_ok(ok, "QUOTAROOT", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && r.roots == NULL,
		    "QUOTAROOT failed without a reason, or kept roots");
		return;
	}
	FUZZ_ASSERT(r.mailbox != NULL && r.count + 2 == resp->count,
	    "QUOTAROOT: %zu roots from %zu tokens", r.count, resp->count);
	buf_init(&out, QUOTA_TEXT_MAX);
	buf_append_str(&out, "* QUOTAROOT ");
	fuzz_write_cstring(&out, r.mailbox);
	for (i = 0; i < r.count; i++) {
		buf_append_byte(&out, ' ');
		fuzz_write_cstring(&out, r.roots[i]);
	}
	buf_append_str(&out, "\r\n");
	p = imap_parser_new(NULL);
	same = decode_quotaroot(fuzz_parse_one(p, &out), &again, &err) &&
	    fuzz_str_equal(r.mailbox, again.mailbox) && r.count == again.count;
	for (i = 0; same && i < r.count; i++)
		same = fuzz_str_equal(r.roots[i], again.roots[i]);
	FUZZ_ASSERT(same, "QUOTAROOT round trip differs: %.200s",
	    buf_str(&out));
	quota_roots_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	quota_roots_free(&r);
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
	if (strcmp(name, "QUOTA") == 0)
		check_quota(resp);
	else if (strcmp(name, "QUOTAROOT") == 0)
		check_quotaroot(resp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_response(data, size, check_response, NULL);
	return 0;
}
