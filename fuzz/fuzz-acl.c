/* fuzz-acl: ACL, MYRIGHTS and LISTRIGHTS responses (RFC 4314) through the
 * parser and decode-acl.
 *
 * Checks: a value or a reason, never both; counts bounded by the tokens;
 * `negative` is exactly a leading "-"; every right letter the table knows
 * is explained by its own row; and the round trip: the decoded value
 * written back as a response decodes to the same value. */
#include "config.h"

#include <string.h>

#include "decode-acl.h"
#include "fuzz-check.h"
#include "teach-knowledge.h"

#define ACL_TEXT_MAX ((size_t)1 << 24)

/* Every letter a right lookup names must be its own row. */
static void
check_rights(const char *rights)
{
	const struct knowledge_row *r;
	const char *p;

	FUZZ_ASSERT(rights != NULL, "rights are NULL");
	for (p = rights; *p != '\0'; p++) {
		r = knowledge_right(*p);
		FUZZ_ASSERT(r == NULL || (r->name[0] == *p &&
		    r->name[1] == '\0' && r->meaning != NULL &&
		    knowledge_right_name_len(r) > 0),
		    "the row for right '%c' is wrong", *p);
	}
}

static bool
acl_equal(const struct acl_response *a, const struct acl_response *b)
{
	size_t i;

	if (!fuzz_str_equal(a->mailbox, b->mailbox) || a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (!fuzz_str_equal(a->entries[i].identifier,
			b->entries[i].identifier) ||
		    !fuzz_str_equal(a->entries[i].rights,
			b->entries[i].rights) ||
		    a->entries[i].negative != b->entries[i].negative)
			return false;
	return true;
}

static void
check_acl(const struct imap_response *resp)
{
	struct acl_response acl, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	size_t i;
	bool ok = decode_acl(resp, &acl, &err);

	fuzz_strict_ok(ok, "ACL", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && acl.entries == NULL,
		    "ACL failed without a reason, or kept entries");
		return;
	}
	FUZZ_ASSERT(acl.mailbox != NULL && 2 + 2 * acl.count == resp->count,
	    "ACL: %zu entries from %zu tokens", acl.count, resp->count);
	buf_init(&out, ACL_TEXT_MAX);
	buf_append_str(&out, "* ACL ");
	fuzz_write_cstring(&out, acl.mailbox);
	for (i = 0; i < acl.count; i++) {
		FUZZ_ASSERT(acl.entries[i].negative ==
		    (acl.entries[i].identifier[0] == '-'),
		    "ACL: negative is not the leading '-'");
		check_rights(acl.entries[i].rights);
		buf_append_byte(&out, ' ');
		fuzz_write_cstring(&out, acl.entries[i].identifier);
		buf_append_byte(&out, ' ');
		fuzz_write_cstring(&out, acl.entries[i].rights);
	}
	buf_append_str(&out, "\r\n");
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_acl(fuzz_parse_one(p, &out), &again, &err) &&
	    acl_equal(&acl, &again), "ACL round trip differs: %.200s",
	    buf_str(&out));
	acl_response_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	acl_response_free(&acl);
}

static void
check_myrights(const struct imap_response *resp)
{
	struct acl_myrights r, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	bool ok = decode_myrights(resp, &r, &err);

	fuzz_strict_ok(ok, "MYRIGHTS", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL, "MYRIGHTS failed without a reason");
		return;
	}
	FUZZ_ASSERT(r.mailbox != NULL && resp->count == 3,
	    "MYRIGHTS decoded from %zu tokens", resp->count);
	check_rights(r.rights);
	buf_init(&out, ACL_TEXT_MAX);
	buf_append_str(&out, "* MYRIGHTS ");
	fuzz_write_cstring(&out, r.mailbox);
	buf_append_byte(&out, ' ');
	fuzz_write_cstring(&out, r.rights);
	buf_append_str(&out, "\r\n");
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_myrights(fuzz_parse_one(p, &out), &again, &err) &&
	    fuzz_str_equal(r.mailbox, again.mailbox) &&
	    fuzz_str_equal(r.rights, again.rights),
	    "MYRIGHTS round trip differs: %.200s", buf_str(&out));
	imap_parser_free(&p);
	buf_free(&out);
}

static bool
listrights_equal(const struct acl_listrights *a,
    const struct acl_listrights *b)
{
	size_t i;

	if (!fuzz_str_equal(a->mailbox, b->mailbox) ||
	    !fuzz_str_equal(a->identifier, b->identifier) ||
	    !fuzz_str_equal(a->required, b->required) ||
	    a->optional_count != b->optional_count)
		return false;
	for (i = 0; i < a->optional_count; i++)
		if (!fuzz_str_equal(a->optional[i], b->optional[i]))
			return false;
	return true;
}

static void
check_listrights(const struct imap_response *resp)
{
	struct acl_listrights r, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	size_t i;
	bool ok = decode_listrights(resp, &r, &err);

	fuzz_strict_ok(ok, "LISTRIGHTS", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && r.optional == NULL,
		    "LISTRIGHTS failed without a reason, or kept rights");
		return;
	}
	FUZZ_ASSERT(r.optional_count + 4 == resp->count,
	    "LISTRIGHTS: %zu optional from %zu tokens", r.optional_count,
	    resp->count);
	check_rights(r.required);
	buf_init(&out, ACL_TEXT_MAX);
	buf_append_str(&out, "* LISTRIGHTS ");
	fuzz_write_cstring(&out, r.mailbox);
	buf_append_byte(&out, ' ');
	fuzz_write_cstring(&out, r.identifier);
	buf_append_byte(&out, ' ');
	fuzz_write_cstring(&out, r.required);
	for (i = 0; i < r.optional_count; i++) {
		check_rights(r.optional[i]);
		buf_append_byte(&out, ' ');
		fuzz_write_cstring(&out, r.optional[i]);
	}
	buf_append_str(&out, "\r\n");
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_listrights(fuzz_parse_one(p, &out), &again, &err) &&
	    listrights_equal(&r, &again),
	    "LISTRIGHTS round trip differs: %.200s", buf_str(&out));
	acl_listrights_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	acl_listrights_free(&r);
}

static void
check_response(void *ctx, const struct imap_response *resp,
    struct imap_parser *scratch)
{
	char name[16];

	(void)ctx;
	(void)scratch;
	fuzz_response_name(resp, name, sizeof(name));
	if (resp->kind != IMAP_RESPONSE_UNTAGGED ||
	    resp->status != IMAP_STATUS_NONE)
		return;
	if (strcmp(name, "ACL") == 0)
		check_acl(resp);
	else if (strcmp(name, "MYRIGHTS") == 0)
		check_myrights(resp);
	else if (strcmp(name, "LISTRIGHTS") == 0)
		check_listrights(resp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_response(data, size, check_response, NULL);
	return 0;
}
