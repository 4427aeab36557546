/* fuzz-list: LIST, LSUB and STATUS responses (RFC 9051, RFC 5258, RFC
 * 6154) through the parser and decode-mailbox, and their mailbox names
 * through text-mutf7 (modified UTF-7, RFC 3501 5.1.3).
 *
 * Checks: a value or a reason; every attribute bit and the special use
 * agree with the attributes as sent; the round trips (the decoded value
 * written back decodes to the same value; a valid modified UTF-7 name
 * decodes to valid UTF-8 that encodes back to the very same name, since
 * a name that does not is another mailbox on the server; an invalid one
 * is shown byte for byte; any UTF-8 name encodes and decodes back). */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode-mailbox.h"
#include "fuzz-check.h"
#include "text-mutf7.h"
#include "text-utf8.h"

#define LIST_TEXT_MAX ((size_t)1 << 24)

static const struct {
	const char *name;
	unsigned bit;
} attr_bits[] = {
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

/* RFC 6154 2, and \Important (RFC 8457). */
static const char *const special_uses[] = {
	"\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent",
	"\\Trash", "\\Important",
};

/* UTF-8 through modified UTF-7 and back. */
static void
check_utf8_name(const char *utf8, size_t len)
{
	struct buf wire, back;
	const char *err = NULL;
	bool invalid = false;

	buf_init(&wire, LIST_TEXT_MAX);
	buf_init(&back, LIST_TEXT_MAX);
	if (text_mutf7_encode(utf8, len, &wire, &err) == 0) {
		FUZZ_ASSERT(text_mutf7_decode(wire.data, wire.len, &back,
		    &invalid) == 0 && !invalid &&
		    fuzz_mem_equal(back.data, back.len, utf8, len),
		    "\"%.100s\" encodes to \"%.100s\", which does not decode "
		    "back", utf8, buf_str(&wire));
		for (size_t i = 0; i < wire.len; i++)
			FUZZ_ASSERT(wire.data[i] >= 0x20 && wire.data[i] < 0x7f,
			    "modified UTF-7 with byte 0x%02x",
			    (unsigned char)wire.data[i]);
	} else
		FUZZ_ASSERT(!text_utf8_is_valid(utf8, len) ||
		    memchr(utf8, '\0', len) != NULL,
		    "valid UTF-8 \"%.100s\" does not encode: %s", utf8, err);
	buf_free(&wire);
	buf_free(&back);
}

/* A raw name through modified UTF-7 to UTF-8 and back. */
static void
check_name(const char *raw)
{
	size_t len = strlen(raw);
	struct buf utf8, wire;
	const char *err = NULL;
	bool invalid = false;
	char *shown, *again;

	buf_init(&utf8, LIST_TEXT_MAX);
	buf_init(&wire, LIST_TEXT_MAX);
	FUZZ_ASSERT(text_mutf7_decode(raw, len, &utf8, &invalid) == 0,
	    "a name over the cap");
	shown = text_mutf7_display(raw);
	if (invalid) {
		FUZZ_ASSERT(fuzz_mem_equal(utf8.data, utf8.len, raw, len) &&
		    strcmp(shown, raw) == 0,
		    "invalid name \"%.100s\" is not shown as it is", raw);
	} else {
		fuzz_check_utf8("a decoded name", utf8.data, utf8.len);
		FUZZ_ASSERT(text_mutf7_encode(utf8.data, utf8.len, &wire,
		    &err) == 0 && fuzz_mem_equal(wire.data, wire.len, raw, len),
		    "name \"%.100s\" decodes to \"%.100s\", which encodes to "
		    "\"%.100s\": another mailbox", raw, buf_str(&utf8),
		    buf_str(&wire));
		again = text_mutf7_wire(shown, &err);
		FUZZ_ASSERT(again != NULL && strcmp(again, raw) == 0,
		    "name \"%.100s\" is shown as \"%.100s\", whose wire form "
		    "differs", raw, shown);
		free(again);
	}
	free(shown);
	buf_free(&utf8);
	buf_free(&wire);
	check_utf8_name(raw, len);
}

static void
check_attrs(const struct list_response *l)
{
	unsigned bits = 0;
	const char *use = NULL;
	size_t i, k;

	for (i = 0; i < l->attribute_count; i++) {
		const char *a = l->attributes[i];
		bool known = false;

		for (k = 0; k < sizeof(attr_bits) / sizeof(attr_bits[0]); k++)
			if (strcasecmp(a, attr_bits[k].name) == 0) {
				bits |= attr_bits[k].bit;
				known = true;
			}
		for (k = 0; !known && use == NULL &&
		     k < sizeof(special_uses) / sizeof(special_uses[0]); k++)
			if (strcasecmp(a, special_uses[k]) == 0)
				use = special_uses[k];
	}
	FUZZ_ASSERT(bits == l->attrs, "LIST: attribute bits %#x, the "
	    "attributes say %#x", l->attrs, bits);
	FUZZ_ASSERT(fuzz_str_equal(use, l->special_use), "LIST: special use "
	    "%s, the attributes say %s", l->special_use != NULL ?
	    l->special_use : "none", use != NULL ? use : "none");
}

static void
write_list(struct buf *out, const struct list_response *l)
{
	size_t i;

	buf_printf(out, "* %s (", l->lsub ? "LSUB" : "LIST");
	for (i = 0; i < l->attribute_count; i++)
		buf_printf(out, "%s%s", i > 0 ? " " : "", l->attributes[i]);
	buf_append_str(out, ") ");
	if (l->delimiter == '\0')
		buf_append_str(out, "NIL ");
	else
		fuzz_write_nstring(out, &l->delimiter, 1);
	if (l->delimiter != '\0')
		buf_append_byte(out, ' ');
	fuzz_write_cstring(out, l->name);
	if (l->childinfo_subscribed)
		buf_append_str(out, " (\"CHILDINFO\" (\"SUBSCRIBED\"))");
	buf_append_str(out, "\r\n");
}

static bool
list_equal(const struct list_response *a, const struct list_response *b)
{
	size_t i;

	if (a->lsub != b->lsub || !fuzz_str_equal(a->name, b->name) ||
	    a->delimiter != b->delimiter || a->attrs != b->attrs ||
	    !fuzz_str_equal(a->special_use, b->special_use) ||
	    a->attribute_count != b->attribute_count ||
	    a->childinfo_subscribed != b->childinfo_subscribed)
		return false;
	for (i = 0; i < a->attribute_count; i++)
		if (!fuzz_str_equal(a->attributes[i], b->attributes[i]))
			return false;
	return true;
}

static void
check_list(const struct imap_response *resp)
{
	struct list_response l, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	bool ok = decode_list(resp, &l, &err);

	fuzz_strict_ok(ok, "LIST", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && l.attributes == NULL,
		    "LIST failed without a reason, or kept attributes");
		return;
	}
	FUZZ_ASSERT(l.name != NULL, "LIST without a name");
	check_attrs(&l);
	check_name(l.name);
	buf_init(&out, LIST_TEXT_MAX);
	write_list(&out, &l);
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_list(fuzz_parse_one(p, &out), &again, &err) &&
	    list_equal(&l, &again), "LIST round trip differs: %.200s",
	    buf_str(&out));
	list_response_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	list_response_free(&l);
}

static void
check_status(const struct imap_response *resp)
{
	struct status_response st, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	size_t k, n = 0;
	bool ok = decode_status(resp, &st, &err);

	fuzz_strict_ok(ok, "STATUS", err);
	if (!ok)
		return;
	check_name(st.mailbox);
	buf_init(&out, LIST_TEXT_MAX);
	buf_append_str(&out, "* STATUS ");
	fuzz_write_cstring(&out, st.mailbox);
	buf_append_str(&out, " (");
	for (k = 0; k < STATUS_ITEM_COUNT; k++)
		if (st.present & (1u << k))
			buf_printf(&out, "%s%s %" PRIu64, n++ > 0 ? " " : "",
			    status_item_name((enum status_item)k),
			    st.values[k]);
	buf_append_str(&out, ")\r\n");
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_status(fuzz_parse_one(p, &out), &again, &err) &&
	    fuzz_str_equal(st.mailbox, again.mailbox) &&
	    st.present == again.present &&
	    memcmp(st.values, again.values, sizeof(st.values)) == 0,
	    "STATUS round trip differs: %.200s", buf_str(&out));
	imap_parser_free(&p);
	buf_free(&out);
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
	if (strcmp(name, "LIST") == 0 || strcmp(name, "LSUB") == 0)
		check_list(resp);
	else if (strcmp(name, "STATUS") == 0)
		check_status(resp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_response(data, size, check_response, NULL);
	return 0;
}
