/* fuzz-bodystructure: the BODYSTRUCTURE and BODY items of FETCH (RFC 9051
 * 7.5.2) through the parser and decode-bodystructure, with the file names
 * decoded on the way (RFC 2231, RFC 2047: text-mime).
 *
 * Checks: a tree or a reason; part numbers as decode-bodystructure.h
 * promises (RFC 9051 6.4.5); lower-cased names; a charset from the
 * parameters (or us-ascii for text); file names valid UTF-8 and bounded;
 * bodystructure_find() and bodystructure_largest_leaf() against a walk
 * of the tree; a copy equal to the tree; and the round trip (after
 * Dovecot's fuzz-imap-bodystructure.c): the tree written back as a
 * BODYSTRUCTURE decodes to the same tree. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "decode-bodystructure.h"
#include "decode-fetch.h"
#include "fuzz-check.h"
#include "imap-roundtrip.h"
#include "util-mem.h"

#define BS_TEXT_MAX ((size_t)1 << 24)
/* decode-bodystructure.c shows no file name longer than this. */
#define BS_FILENAME_MAX 4096

/* A multipart as decode_multi() made it (a part that only says its type
 * is "multipart" has no parts). */
static bool
is_multi(const struct bodystructure_part *p)
{
	return strcmp(p->type, "multipart") == 0 && p->part_count > 0;
}

static void
check_lower(const char *what, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		FUZZ_ASSERT(!isupper((unsigned char)*s), "%s is not "
		    "lower-cased", what);
}

/* The number child i of p must have (decode-bodystructure.h). */
static char *
expected_number(const struct bodystructure_part *p, size_t i)
{
	if (is_multi(p))
		return p->part[0] == '\0' ? xasprintf("%zu", i + 1)
					  : xasprintf("%s.%zu", p->part, i + 1);
	return is_multi(&p->parts[0]) ? xstrdup(p->part)
				       : xasprintf("%s.1", p->part);
}

static bool
charset_from_params(const struct bodystructure_part *p)
{
	size_t i;

	for (i = 0; i < p->param_count; i++)
		if (p->charset == p->params[i].value)
			return true;
	return strcmp(p->type, "text") == 0 &&
	    strcmp(p->charset, "us-ascii") == 0;
}

/* Every part, recursively; counts the leaves' largest size. */
static void
check_part(const struct bodystructure_part *p, unsigned depth,
    uint64_t *largest_r)
{
	size_t i;
	char *want;

	FUZZ_ASSERT(depth < BODYSTRUCTURE_MAX_DEPTH && p->part != NULL &&
	    p->type != NULL && p->subtype != NULL, "a part without its "
	    "number or type, or too deep");
	check_lower("a type", p->type);
	check_lower("a subtype", p->subtype);
	check_lower("an encoding", p->encoding);
	check_lower("a disposition", p->disposition);
	FUZZ_ASSERT(p->charset == NULL || charset_from_params(p),
	    "part %s: charset %s is not from its parameters", p->part,
	    p->charset);
	if (p->filename != NULL) {
		FUZZ_ASSERT(strlen(p->filename) <= BS_FILENAME_MAX,
		    "a file name of %zu bytes", strlen(p->filename));
		fuzz_check_utf8("a file name", p->filename,
		    strlen(p->filename));
	}
	FUZZ_ASSERT(is_multi(p) || p->part_count <= 1, "part %s is no "
	    "multipart but has %zu parts", p->part, p->part_count);
	if (p->part_count == 0 && p->size > *largest_r)
		*largest_r = p->size;
	for (i = 0; i < p->part_count; i++) {
		want = expected_number(p, i);
		FUZZ_ASSERT(strcmp(p->parts[i].part, want) == 0, "part %s's "
		    "child %zu is numbered %s, not %s", p->part, i,
		    p->parts[i].part, want);
		free(want);
		check_part(&p->parts[i], depth + 1, largest_r);
	}
}

/* The first part of that number in the order find() searches. */
static void
check_find(const struct bodystructure_part *root,
    const struct bodystructure_part *p)
{
	const struct bodystructure_part *found = bodystructure_find(root,
	    p->part);
	size_t i;

	FUZZ_ASSERT(found != NULL && strcmp(found->part, p->part) == 0,
	    "find(\"%s\") does not find it", p->part);
	for (i = 0; i < p->part_count; i++)
		check_find(root, &p->parts[i]);
}

/* --- deep comparison ---------------------------------------------------- */

static bool
params_equal(const struct bodystructure_param *a, size_t na,
    const struct bodystructure_param *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!fuzz_str_equal(a[i].name, b[i].name) ||
		    !fuzz_str_equal(a[i].value, b[i].value))
			return false;
	return true;
}

static bool
fields_equal(const struct bodystructure_part *a,
    const struct bodystructure_part *b)
{
	size_t i;

	if (!fuzz_str_equal(a->part, b->part) ||
	    !fuzz_str_equal(a->type, b->type) ||
	    !fuzz_str_equal(a->subtype, b->subtype) ||
	    !params_equal(a->params, a->param_count, b->params,
		b->param_count) ||
	    !fuzz_str_equal(a->charset, b->charset) ||
	    !fuzz_str_equal(a->id, b->id) ||
	    !fuzz_str_equal(a->description, b->description) ||
	    !fuzz_str_equal(a->encoding, b->encoding) || a->size != b->size ||
	    a->has_lines != b->has_lines || a->lines != b->lines ||
	    !fuzz_str_equal(a->md5, b->md5) ||
	    !fuzz_str_equal(a->disposition, b->disposition) ||
	    !params_equal(a->disposition_params, a->disposition_param_count,
		b->disposition_params, b->disposition_param_count) ||
	    a->language_count != b->language_count ||
	    !fuzz_str_equal(a->location, b->location) ||
	    !fuzz_str_equal(a->filename, b->filename) ||
	    a->part_count != b->part_count)
		return false;
	for (i = 0; i < a->language_count; i++)
		if (!fuzz_str_equal(a->languages[i], b->languages[i]))
			return false;
	return true;
}

/* Equal trees; with envelopes, their args must write the same text. */
static bool
tree_equal(const struct bodystructure_part *a,
    const struct bodystructure_part *b, bool envelopes)
{
	struct buf ea, eb;
	bool same;
	size_t i;

	if (!fields_equal(a, b))
		return false;
	if (envelopes) {
		if ((a->envelope == NULL) != (b->envelope == NULL))
			return false;
		if (a->envelope != NULL) {
			buf_init(&ea, BS_TEXT_MAX);
			buf_init(&eb, BS_TEXT_MAX);
			imap_roundtrip_write_args(&ea, a->envelope, 1);
			imap_roundtrip_write_args(&eb, b->envelope, 1);
			same = fuzz_mem_equal(ea.data, ea.len, eb.data,
			    eb.len);
			buf_free(&ea);
			buf_free(&eb);
			if (!same)
				return false;
		}
	} else if (b->envelope != NULL)
		return false;
	for (i = 0; i < a->part_count; i++)
		if (!tree_equal(&a->parts[i], &b->parts[i], envelopes))
			return false;
	return true;
}

/* --- writing a tree back ------------------------------------------------ */

static void
write_params(struct buf *out, const struct bodystructure_param *params,
    size_t count)
{
	size_t i;

	if (count == 0) {
		buf_append_str(out, " NIL");
		return;
	}
	buf_append_str(out, " (");
	for (i = 0; i < count; i++) {
		if (i > 0)
			buf_append_byte(out, ' ');
		fuzz_write_cstring(out, params[i].name);
		buf_append_byte(out, ' ');
		fuzz_write_cstring(out, params[i].value);
	}
	buf_append_byte(out, ')');
}

/* body-fld-dsp SP body-fld-lang SP body-fld-loc */
static void
write_ext_tail(struct buf *out, const struct bodystructure_part *p)
{
	size_t i;

	if (p->disposition == NULL)
		buf_append_str(out, " NIL");
	else {
		buf_append_str(out, " (");
		fuzz_write_cstring(out, p->disposition);
		write_params(out, p->disposition_params,
		    p->disposition_param_count);
		buf_append_byte(out, ')');
	}
	if (p->language_count == 0)
		buf_append_str(out, " NIL");
	else {
		buf_append_str(out, " (");
		for (i = 0; i < p->language_count; i++) {
			if (i > 0)
				buf_append_byte(out, ' ');
			fuzz_write_cstring(out, p->languages[i]);
		}
		buf_append_byte(out, ')');
	}
	buf_append_byte(out, ' ');
	fuzz_write_cstring(out, p->location);
}

static void write_part(struct buf *out, const struct bodystructure_part *p);

static void
write_single(struct buf *out, const struct bodystructure_part *p)
{
	fuzz_write_cstring(out, p->type);
	buf_append_byte(out, ' ');
	fuzz_write_cstring(out, p->subtype);
	write_params(out, p->params, p->param_count);
	buf_append_byte(out, ' ');
	fuzz_write_cstring(out, p->id);
	buf_append_byte(out, ' ');
	fuzz_write_cstring(out, p->description);
	buf_append_byte(out, ' ');
	fuzz_write_cstring(out, p->encoding);
	buf_printf(out, " %" PRIu64, p->size);
	if (p->envelope != NULL) {
		buf_append_byte(out, ' ');
		imap_roundtrip_write_args(out, p->envelope, 1);
		buf_append_byte(out, ' ');
		write_part(out, &p->parts[0]);
	}
	/* A text part that stops after its size has no lines, and nothing
	 * after them: writing more would be read as its lines. */
	if (!p->has_lines && strcmp(p->type, "text") == 0)
		return;
	if (p->has_lines)
		buf_printf(out, " %" PRIu64, p->lines);
	buf_append_byte(out, ' ');
	fuzz_write_cstring(out, p->md5);
	write_ext_tail(out, p);
}

static void
write_part(struct buf *out, const struct bodystructure_part *p)
{
	size_t i;

	buf_append_byte(out, '(');
	if (!is_multi(p))
		write_single(out, p);
	else {
		for (i = 0; i < p->part_count; i++)
			write_part(out, &p->parts[i]);
		buf_append_byte(out, ' ');
		fuzz_write_cstring(out, p->subtype);
		write_params(out, p->params, p->param_count);
		write_ext_tail(out, p);
	}
	buf_append_byte(out, ')');
}

static void
check_roundtrip(const struct bodystructure_part *root)
{
	struct bodystructure_part *again;
	struct fetch_response f;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;

	buf_init(&out, BS_TEXT_MAX);
	buf_append_str(&out, "* 1 FETCH (BODYSTRUCTURE ");
	write_part(&out, root);
	buf_append_str(&out, ")\r\n");
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_fetch(fuzz_parse_one(p, &out), &f, &err) &&
	    f.bodystructure != NULL, "BODYSTRUCTURE written back is no "
	    "FETCH: %.300s", buf_str(&out));
	again = decode_bodystructure(f.bodystructure, &err);
	FUZZ_ASSERT(again != NULL && tree_equal(root, again, true),
	    "BODYSTRUCTURE round trip differs (%s): %.300s",
	    again == NULL ? err : "another tree", buf_str(&out));
	bodystructure_free(&again);
	fetch_response_free(&f);
	imap_parser_free(&p);
	buf_free(&out);
}

static void
check_tree(const struct imap_arg *arg)
{
	const struct bodystructure_part *leaf;
	struct bodystructure_part *root, *copy;
	const char *err = NULL;
	uint64_t largest = 0;

	root = decode_bodystructure(arg, &err);
	fuzz_strict_ok(root != NULL, "BODYSTRUCTURE", err);
	if (root == NULL) {
		FUZZ_ASSERT(err != NULL, "BODYSTRUCTURE failed without a "
		    "reason");
		return;
	}
	check_part(root, 0, &largest);
	check_find(root, root);
	leaf = bodystructure_largest_leaf(root);
	FUZZ_ASSERT(leaf != NULL && leaf->part_count == 0 &&
	    leaf->size == largest, "the largest leaf is not the largest");
	copy = bodystructure_copy(root);
	FUZZ_ASSERT(tree_equal(root, copy, false), "the copy differs");
	bodystructure_free(&copy);
	check_roundtrip(root);
	bodystructure_free(&root);
}

static void
check_response(void *ctx, const struct imap_response *resp,
    struct imap_parser *scratch)
{
	struct fetch_response f;
	const char *err = NULL;
	char name[16];

	(void)ctx;
	(void)scratch;
	if (resp->kind != IMAP_RESPONSE_UNTAGGED ||
	    resp->status != IMAP_STATUS_NONE)
		return;
	fuzz_response_name(resp, name, sizeof(name));
	if (strcmp(name, "FETCH") != 0 || !decode_fetch(resp, &f, &err))
		return;
	if (f.bodystructure != NULL)
		check_tree(f.bodystructure);
	fetch_response_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_response(data, size, check_response, NULL);
	return 0;
}
