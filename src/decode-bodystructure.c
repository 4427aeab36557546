/* decode-bodystructure: BODYSTRUCTURE and BODY (RFC 9051 7.5.2). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode-bodystructure.h"
#include "text-mime.h"
#include "util-buf.h"
#include "util-mem.h"

/* A file name longer than this is not shown but left out. */
#define FILENAME_MAX_LEN 4096

/* The fields of body-type-1part before the type-specific ones. */
enum {
	F_TYPE, F_SUBTYPE, F_PARAMS, F_ID, F_DESC, F_ENC, F_SIZE, F_FIELDS
};

static bool decode_body(const struct imap_arg *arg,
    struct bodystructure_part *p, const char *number, unsigned depth,
    const char **error_r);

/* --- small helpers -------------------------------------------------------- */

static bool
fail(const char **error_r, const char *msg)
{
	*error_r = msg;
	return false;
}

/* The copy stops at a NUL, which a literal may hold: lower-case only what
 * was copied (len is the string's, not the copy's). */
static char *
lower_dup(const char *s, size_t len)
{
	char *r = xstrndup(s, len);
	size_t i;

	for (i = 0; r[i] != '\0'; i++)
		r[i] = (char)tolower((unsigned char)r[i]);
	return r;
}

/* A string (servers send quoted strings; accept atoms too). */
static bool
get_string(const struct imap_arg *arg, bool lower, char **s_r)
{
	const char *s;
	size_t len;

	if (!imap_arg_get_astring(arg, &s, &len))
		return false;
	*s_r = lower ? lower_dup(s, len) : xstrndup(s, len);
	return true;
}

/* A string or NIL (NULL). */
static bool
get_nstring(const struct imap_arg *arg, bool lower, char **s_r)
{
	*s_r = NULL;
	return imap_arg_is_nil(arg) || get_string(arg, lower, s_r);
}

static bool
is_multipart_arg(const struct imap_arg *arg)
{
	const struct imap_arg *items;
	size_t n;

	return imap_arg_get_list(arg, &items, &n) && n > 0 &&
	    items[0].type == IMAP_ARG_LIST;
}

static char *
child_number(const char *prefix, size_t index)
{
	return *prefix == '\0' ? xasprintf("%zu", index + 1) :
	    xasprintf("%s.%zu", prefix, index + 1);
}

static const char *
param_value(const struct bodystructure_param *params, size_t count,
    const char *name)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strcasecmp(params[i].name, name) == 0)
			return params[i].value;
	return NULL;
}

/* --- the fields ----------------------------------------------------------- */

/* RFC 9051 body-fld-param: ("name" "value" ...) or NIL. A pair whose
 * value is NIL, which some servers send, is dropped. */
static bool
decode_params(const struct imap_arg *arg,
    struct bodystructure_param **params_r, size_t *count_r)
{
	const struct imap_arg *items;
	struct bodystructure_param *params;
	size_t n, i, count = 0;

	*params_r = NULL;
	*count_r = 0;
	if (imap_arg_is_nil(arg))
		return true;
	if (!imap_arg_get_list(arg, &items, &n) || n % 2 != 0)
		return false;
	params = xcalloc(n / 2 + 1, sizeof(*params));
	*params_r = params;
	for (i = 0; i < n; i += 2) {
		if (imap_arg_is_nil(&items[i + 1]))
			continue;
		if (!get_string(&items[i], false, &params[count].name))
			return false;
		*count_r = ++count;
		if (!get_string(&items[i + 1], false, &params[count - 1].value))
			return false;
	}
	return true;
}

/* body-fld-dsp: ("attachment" body-fld-param) or NIL. */
static bool
decode_disposition(const struct imap_arg *arg, struct bodystructure_part *p)
{
	const struct imap_arg *items;
	size_t n;

	if (imap_arg_is_nil(arg))
		return true;
	return imap_arg_get_list(arg, &items, &n) && n == 2 &&
	    get_string(&items[0], true, &p->disposition) &&
	    decode_params(&items[1], &p->disposition_params,
		&p->disposition_param_count);
}

/* body-fld-lang: nstring or ("en" "de" ...). */
static bool
decode_languages(const struct imap_arg *arg, struct bodystructure_part *p)
{
	const struct imap_arg *items;
	size_t n, i;

	if (imap_arg_is_nil(arg))
		return true;
	if (arg->type != IMAP_ARG_LIST) {
		items = arg;
		n = 1;
	} else if (!imap_arg_get_list(arg, &items, &n))
		return false;
	p->languages = xcalloc(n + 1, sizeof(*p->languages));
	for (i = 0; i < n; i++) {
		if (!get_string(&items[i], false, &p->languages[i]))
			return false;
		p->language_count = i + 1;
	}
	return true;
}

/* What both kinds of part share after their first extension field:
 * body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]],
 * any of which may be missing; further extensions are ignored. */
static bool
decode_ext_tail(const struct imap_arg *ext, size_t n,
    struct bodystructure_part *p, const char **error_r)
{
	if (n > 0 && !decode_disposition(&ext[0], p))
		return fail(error_r, "BODYSTRUCTURE: malformed disposition");
	if (n > 1 && !decode_languages(&ext[1], p))
		return fail(error_r, "BODYSTRUCTURE: malformed language");
	if (n > 2 && !get_nstring(&ext[2], false, &p->location))
		return fail(error_r, "BODYSTRUCTURE: malformed location");
	return true;
}

/* The decoded file name: the disposition's filename, else the type's
 * name (RFC 2183 2.3 over the older RFC 2046 4.5.1 "name"). */
static void
decode_filename(struct bodystructure_part *p)
{
	static const char *const names[] = { "filename", "name" };
	const struct bodystructure_param *src[] = {
		p->disposition_params, p->params };
	size_t counts[] = { p->disposition_param_count, p->param_count };
	struct text_mime_param *tmp;
	struct buf out;
	size_t i, j;
	int ret = 0;

	buf_init(&out, FILENAME_MAX_LEN);
	for (i = 0; i < 2 && ret == 0; i++) {
		tmp = xcalloc(counts[i] + 1, sizeof(*tmp));
		for (j = 0; j < counts[i]; j++) {
			tmp[j].name = src[i][j].name;
			tmp[j].value = src[i][j].value;
		}
		ret = text_mime_decode_param(names[i], tmp, counts[i], &out);
		free(tmp);
	}
	if (ret == 1)
		p->filename = buf_steal(&out);
	buf_free(&out);
}

/* --- the parts ------------------------------------------------------------ */

/* body-type-msg: ... SP envelope SP body SP body-fld-lines, at
 * items[F_FIELDS]. Return how many fields it took, 0 if it is not there
 * (some servers send a broken message/rfc822 as body-type-basic). */
static size_t
decode_message(const struct imap_arg *items, size_t n,
    struct bodystructure_part *p, unsigned depth, const char **error_r,
    bool *ok_r)
{
	const struct imap_arg *env;
	size_t env_n;
	char *number;

	*ok_r = true;
	if (n < F_FIELDS + 3 ||
	    !imap_arg_get_list(&items[F_FIELDS], &env, &env_n) || env_n != 10 ||
	    items[F_FIELDS + 1].type != IMAP_ARG_LIST ||
	    !imap_arg_get_number(&items[F_FIELDS + 2], &p->lines))
		return 0;
	p->has_lines = true;
	p->envelope = &items[F_FIELDS];
	p->parts = xcalloc(1, sizeof(*p->parts));
	p->part_count = 1;
	number = is_multipart_arg(&items[F_FIELDS + 1]) ? xstrdup(p->part) :
	    xasprintf("%s.1", p->part);
	*ok_r = decode_body(&items[F_FIELDS + 1], &p->parts[0], number,
	    depth + 1, error_r);
	free(number);
	return 3;
}

/* RFC 9051 body-type-1part. */
static bool
decode_single(const struct imap_arg *items, size_t n,
    struct bodystructure_part *p, unsigned depth, const char **error_r)
{
	size_t i = F_FIELDS;
	bool ok;

	if (n < F_FIELDS || !get_string(&items[F_TYPE], true, &p->type) ||
	    !get_string(&items[F_SUBTYPE], true, &p->subtype))
		return fail(error_r, "BODYSTRUCTURE: a part without a type");
	if (!decode_params(&items[F_PARAMS], &p->params, &p->param_count))
		return fail(error_r, "BODYSTRUCTURE: malformed parameters");
	if (!get_nstring(&items[F_ID], false, &p->id) ||
	    !get_nstring(&items[F_DESC], false, &p->description) ||
	    !get_nstring(&items[F_ENC], true, &p->encoding) ||
	    !imap_arg_get_number(&items[F_SIZE], &p->size))
		return fail(error_r, "BODYSTRUCTURE: malformed body fields");
	p->charset = param_value(p->params, p->param_count, "charset");
	if (p->charset == NULL && strcmp(p->type, "text") == 0)
		p->charset = "us-ascii";

	if (strcmp(p->type, "message") == 0 &&
	    (strcmp(p->subtype, "rfc822") == 0 ||
		strcmp(p->subtype, "global") == 0)) {
		i += decode_message(items, n, p, depth, error_r, &ok);
		if (!ok)
			return false;
	} else if (strcmp(p->type, "text") == 0 && n > i) {
		/* body-fld-lines */
		if (!imap_arg_get_number(&items[i], &p->lines))
			return fail(error_r,
			    "BODYSTRUCTURE: text without lines");
		p->has_lines = true;
		i++;
	}

	/* body-ext-1part: body-fld-md5 first */
	if (n > i && !get_nstring(&items[i], false, &p->md5))
		return fail(error_r, "BODYSTRUCTURE: malformed MD5");
	if (n > i + 1 && !decode_ext_tail(&items[i + 1], n - i - 1, p,
	    error_r))
		return false;
	decode_filename(p);
	return true;
}

/* RFC 9051 body-type-mpart: 1*body SP media-subtype [SP body-ext-mpart]. */
static bool
decode_multi(const struct imap_arg *items, size_t n,
    struct bodystructure_part *p, unsigned depth, const char **error_r)
{
	size_t count, i;
	char *number;

	for (count = 0; count < n && items[count].type == IMAP_ARG_LIST;
	    count++)
		;
	p->type = xstrdup("multipart");
	if (count == n || !get_string(&items[count], true, &p->subtype))
		return fail(error_r,
		    "BODYSTRUCTURE: multipart without subtype");
	p->parts = xcalloc(count, sizeof(*p->parts));
	p->part_count = count;
	for (i = 0; i < count; i++) {
		number = child_number(p->part, i);
		if (!decode_body(&items[i], &p->parts[i], number, depth + 1,
		    error_r)) {
			free(number);
			return false;
		}
		free(number);
	}
	/* body-ext-mpart: body-fld-param first */
	i = count + 1;
	if (n > i && !decode_params(&items[i], &p->params, &p->param_count))
		return fail(error_r, "BODYSTRUCTURE: malformed parameters");
	return n <= i + 1 || decode_ext_tail(&items[i + 1], n - i - 1, p,
	    error_r);
}

static bool
decode_body(const struct imap_arg *arg, struct bodystructure_part *p,
    const char *number, unsigned depth, const char **error_r)
{
	const struct imap_arg *items;
	size_t n;

	p->part = xstrdup(number);
	if (depth >= BODYSTRUCTURE_MAX_DEPTH)
		return fail(error_r, "BODYSTRUCTURE: nested too deep");
	if (!imap_arg_get_list(arg, &items, &n) || n == 0)
		return fail(error_r, "BODYSTRUCTURE: a body is not a list");
	if (items[0].type == IMAP_ARG_LIST)
		return decode_multi(items, n, p, depth, error_r);
	return decode_single(items, n, p, depth, error_r);
}

/* --- the tree ------------------------------------------------------------- */

static void
free_params(struct bodystructure_param *params, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		free(params[i].name);
		free(params[i].value);
	}
	free(params);
}

/* Recurses as deep as decode_body did, which is bounded. */
static void
part_clear(struct bodystructure_part *p)
{
	size_t i;

	for (i = 0; i < p->part_count; i++)
		part_clear(&p->parts[i]);
	free(p->parts);
	free(p->part);
	free(p->type);
	free(p->subtype);
	free_params(p->params, p->param_count);
	free(p->id);
	free(p->description);
	free(p->encoding);
	free(p->md5);
	free(p->disposition);
	free_params(p->disposition_params, p->disposition_param_count);
	for (i = 0; i < p->language_count; i++)
		free(p->languages[i]);
	free(p->languages);
	free(p->location);
	free(p->filename);
}

struct bodystructure_part *
decode_bodystructure(const struct imap_arg *arg, const char **error_r)
{
	struct bodystructure_part *root = xcalloc(1, sizeof(*root));

	/* RFC 9051 6.4.5: a message that is not multipart has a part 1 */
	if (!decode_body(arg, root, is_multipart_arg(arg) ? "" : "1", 0,
	    error_r))
		bodystructure_free(&root);
	return root;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static struct bodystructure_param *
copy_params(const struct bodystructure_param *src, size_t count)
{
	struct bodystructure_param *dst;
	size_t i;

	if (count == 0)
		return NULL;
	dst = xcalloc(count, sizeof(*dst));
	for (i = 0; i < count; i++) {
		dst[i].name = dup_or_null(src[i].name);
		dst[i].value = dup_or_null(src[i].value);
	}
	return dst;
}

/* Recurses as deep as the tree goes, which decode_body bounded. */
static void
part_copy(struct bodystructure_part *dst, const struct bodystructure_part *src)
{
	size_t i;

	*dst = *src;
	dst->part = dup_or_null(src->part);
	dst->type = dup_or_null(src->type);
	dst->subtype = dup_or_null(src->subtype);
	dst->params = copy_params(src->params, src->param_count);
	/* charset points into params, or at a constant; a multipart has
	 * none even with a "charset" parameter (decode_single sets it) */
	dst->charset = NULL;
	if (src->charset != NULL) {
		dst->charset = param_value(dst->params, dst->param_count,
		    "charset");
		if (dst->charset == NULL)
			dst->charset = "us-ascii";
	}
	dst->id = dup_or_null(src->id);
	dst->description = dup_or_null(src->description);
	dst->encoding = dup_or_null(src->encoding);
	dst->md5 = dup_or_null(src->md5);
	dst->disposition = dup_or_null(src->disposition);
	dst->disposition_params = copy_params(src->disposition_params,
	    src->disposition_param_count);
	dst->languages = src->language_count > 0
	    ? xcalloc(src->language_count, sizeof(*dst->languages)) : NULL;
	for (i = 0; i < src->language_count; i++)
		dst->languages[i] = xstrdup(src->languages[i]);
	dst->location = dup_or_null(src->location);
	dst->filename = dup_or_null(src->filename);
	dst->envelope = NULL; /* it lives in the response */
	dst->parts = src->part_count > 0
	    ? xcalloc(src->part_count, sizeof(*dst->parts)) : NULL;
	for (i = 0; i < src->part_count; i++)
		part_copy(&dst->parts[i], &src->parts[i]);
}

struct bodystructure_part *
bodystructure_copy(const struct bodystructure_part *root)
{
	struct bodystructure_part *copy;

	if (root == NULL)
		return NULL;
	copy = xcalloc(1, sizeof(*copy));
	part_copy(copy, root);
	return copy;
}

void
bodystructure_free(struct bodystructure_part **root)
{
	if (*root == NULL)
		return;
	part_clear(*root);
	free(*root);
	*root = NULL;
}

bool
bodystructure_is_multipart(const struct bodystructure_part *p)
{
	return strcmp(p->type, "multipart") == 0;
}

const struct bodystructure_part *
bodystructure_find(const struct bodystructure_part *root, const char *part)
{
	const struct bodystructure_part *found;
	size_t i;

	if (strcmp(root->part, part) == 0)
		return root;
	for (i = 0; i < root->part_count; i++)
		if ((found = bodystructure_find(&root->parts[i], part)) != NULL)
			return found;
	return NULL;
}

const struct bodystructure_part *
bodystructure_largest_leaf(const struct bodystructure_part *root)
{
	const struct bodystructure_part *best = NULL, *leaf;
	size_t i;

	if (root->part_count == 0)
		return root;
	for (i = 0; i < root->part_count; i++) {
		leaf = bodystructure_largest_leaf(&root->parts[i]);
		if (best == NULL || leaf->size > best->size)
			best = leaf;
	}
	return best;
}
