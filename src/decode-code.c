/* decode-code: response codes, FLAGS, message counts and VANISHED. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode-code.h"
#include "util-mem.h"

typedef bool code_decode_fn(const struct imap_arg *args, size_t count,
    struct response_code *c, const char **error_r);

static code_decode_fn decode_flag_list, decode_number, decode_modseq,
    decode_appenduid, decode_copyuid, decode_modified, decode_capability,
    decode_badcharset;

struct code_row {
	struct response_code_info info;
	code_decode_fn *decode; /* NULL: the code takes no arguments */
};

static const struct code_row code_rows[] = {
	{ { RESP_CODE_UNKNOWN, NULL }, NULL },
	{ { RESP_CODE_ALERT, "ALERT" }, NULL },
	{ { RESP_CODE_PERMANENTFLAGS, "PERMANENTFLAGS" }, decode_flag_list },
	{ { RESP_CODE_UIDNEXT, "UIDNEXT" }, decode_number },
	{ { RESP_CODE_UIDVALIDITY, "UIDVALIDITY" }, decode_number },
	{ { RESP_CODE_UNSEEN, "UNSEEN" }, decode_number },
	{ { RESP_CODE_READ_ONLY, "READ-ONLY" }, NULL },
	{ { RESP_CODE_READ_WRITE, "READ-WRITE" }, NULL },
	{ { RESP_CODE_TRYCREATE, "TRYCREATE" }, NULL },
	{ { RESP_CODE_PARSE, "PARSE" }, NULL },
	{ { RESP_CODE_UIDNOTSTICKY, "UIDNOTSTICKY" }, NULL },
	{ { RESP_CODE_APPENDUID, "APPENDUID" }, decode_appenduid },
	{ { RESP_CODE_COPYUID, "COPYUID" }, decode_copyuid },
	{ { RESP_CODE_HIGHESTMODSEQ, "HIGHESTMODSEQ" }, decode_modseq },
	{ { RESP_CODE_NOMODSEQ, "NOMODSEQ" }, NULL },
	{ { RESP_CODE_MODIFIED, "MODIFIED" }, decode_modified },
	{ { RESP_CODE_CLOSED, "CLOSED" }, NULL },
	{ { RESP_CODE_CAPABILITY, "CAPABILITY" }, decode_capability },
	{ { RESP_CODE_BADCHARSET, "BADCHARSET" }, decode_badcharset },
	{ { RESP_CODE_HASCHILDREN, "HASCHILDREN" }, NULL },
	{ { RESP_CODE_UNAVAILABLE, "UNAVAILABLE" }, NULL },
	{ { RESP_CODE_AUTHENTICATIONFAILED, "AUTHENTICATIONFAILED" }, NULL },
	{ { RESP_CODE_AUTHORIZATIONFAILED, "AUTHORIZATIONFAILED" }, NULL },
	{ { RESP_CODE_EXPIRED, "EXPIRED" }, NULL },
	{ { RESP_CODE_PRIVACYREQUIRED, "PRIVACYREQUIRED" }, NULL },
	{ { RESP_CODE_CONTACTADMIN, "CONTACTADMIN" }, NULL },
	{ { RESP_CODE_NOPERM, "NOPERM" }, NULL },
	{ { RESP_CODE_INUSE, "INUSE" }, NULL },
	{ { RESP_CODE_EXPUNGEISSUED, "EXPUNGEISSUED" }, NULL },
	{ { RESP_CODE_CORRUPTION, "CORRUPTION" }, NULL },
	{ { RESP_CODE_SERVERBUG, "SERVERBUG" }, NULL },
	{ { RESP_CODE_CLIENTBUG, "CLIENTBUG" }, NULL },
	{ { RESP_CODE_CANNOT, "CANNOT" }, NULL },
	{ { RESP_CODE_LIMIT, "LIMIT" }, NULL },
	{ { RESP_CODE_OVERQUOTA, "OVERQUOTA" }, NULL },
	{ { RESP_CODE_ALREADYEXISTS, "ALREADYEXISTS" }, NULL },
	{ { RESP_CODE_NONEXISTENT, "NONEXISTENT" }, NULL },
};

#define CODE_ROW_COUNT (sizeof(code_rows) / sizeof(code_rows[0]))

static const struct code_row *
row_by_name(const char *name)
{
	size_t i;

	for (i = 1; i < CODE_ROW_COUNT; i++)
		if (strcasecmp(code_rows[i].info.name, name) == 0)
			return &code_rows[i];
	return NULL;
}

const struct response_code_info *
response_code_lookup(const char *name)
{
	const struct code_row *row = row_by_name(name);

	return row != NULL ? &row->info : NULL;
}

const struct response_code_info *
response_code_info(enum response_code_kind kind)
{
	size_t i;

	for (i = 0; i < CODE_ROW_COUNT; i++)
		if (code_rows[i].info.kind == kind)
			return &code_rows[i].info;
	return &code_rows[0].info;
}

/* --- argument decoders ---------------------------------------------- */

/* The argument decoders' errors are constant strings; the caller shows
 * them beside the code's name. */
static bool
fail(const char *what, const char **error_r)
{
	*error_r = what;
	return false;
}

static bool
get_atoms(const struct imap_arg *args, size_t count, struct atom_list *l)
{
	size_t i;

	l->items = xcalloc(count + 1, sizeof(*l->items));
	l->count = count;
	for (i = 0; i < count; i++)
		if (!imap_arg_get_astring(&args[i], &l->items[i], NULL))
			return false;
	return true;
}

/* RFC 9051 7.1: "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" */
static bool
decode_flag_list(const struct imap_arg *args, size_t count,
    struct response_code *c, const char **error_r)
{
	const struct imap_arg *list;
	size_t i, n;

	if (count != 1 || !imap_arg_get_list(&args[0], &list, &n))
		return fail("code: not a list of flags", error_r);
	c->atoms.items = xcalloc(n + 1, sizeof(*c->atoms.items));
	c->atoms.count = n;
	for (i = 0; i < n; i++) {
		if (!imap_arg_get_atom(&list[i], &c->atoms.items[i]))
			return fail("code: a flag is not an atom", error_r);
		if (strcmp(c->atoms.items[i], "\\*") == 0)
			c->any_keyword = true;
	}
	return true;
}

static bool
decode_number(const struct imap_arg *args, size_t count,
    struct response_code *c, const char **error_r)
{
	if (count != 1 || !imap_arg_get_nz_number32(&args[0], &c->number))
		return fail("code: not a 32-bit number above 0", error_r);
	return true;
}

/* RFC 7162 7: mod-sequence-value = 1*DIGIT, up to 2^63 - 1 */
static bool
decode_modseq(const struct imap_arg *args, size_t count,
    struct response_code *c, const char **error_r)
{
	if (count != 1 || !imap_arg_get_number(&args[0], &c->modseq) ||
	    c->modseq > INT64_MAX)
		return fail("code: not a mod-sequence", error_r);
	return true;
}

static bool
get_set(const struct imap_arg *arg, enum seqset_flags flags,
    struct seqset *set, const char **error_r)
{
	const char *text, *why;

	if (!imap_arg_get_atom(arg, &text))
		return fail("code: a set is not an atom", error_r);
	if (!seqset_parse(text, flags, set, &why))
		return fail(why, error_r);
	return true;
}

/* RFC 4315 4: "APPENDUID" SP nz-number SP append-uid */
static bool
decode_appenduid(const struct imap_arg *args, size_t count,
    struct response_code *c, const char **error_r)
{
	if (count != 2 || !imap_arg_get_nz_number32(&args[0], &c->number))
		return fail("code: not a UIDVALIDITY and UIDs", error_r);
	return get_set(&args[1], 0, &c->set, error_r);
}

/* RFC 4315 4: "COPYUID" SP nz-number SP uid-set SP uid-set */
static bool
decode_copyuid(const struct imap_arg *args, size_t count,
    struct response_code *c, const char **error_r)
{
	if (count != 3 || !imap_arg_get_nz_number32(&args[0], &c->number))
		return fail("code: not a UIDVALIDITY and two UID sets",
		    error_r);
	if (!get_set(&args[1], 0, &c->set, error_r) ||
	    !get_set(&args[2], 0, &c->dest, error_r))
		return false;
	/* RFC 4315 3: the sets pair up one to one, in order */
	if (seqset_count(&c->set, 0) != seqset_count(&c->dest, 0))
		return fail("code: the source and target sets differ in "
		    "size", error_r);
	return true;
}

/* RFC 7162 7: "MODIFIED" SP sequence-set */
static bool
decode_modified(const struct imap_arg *args, size_t count,
    struct response_code *c, const char **error_r)
{
	if (count != 1)
		return fail("code: not one set", error_r);
	return get_set(&args[0], SEQSET_ALLOW_STAR, &c->set, error_r);
}

/* RFC 9051 7.2.2: capability-data, atoms */
static bool
decode_capability(const struct imap_arg *args, size_t count,
    struct response_code *c, const char **error_r)
{
	size_t i;

	c->atoms.items = xcalloc(count + 1, sizeof(*c->atoms.items));
	c->atoms.count = count;
	for (i = 0; i < count; i++)
		if (!imap_arg_get_atom(&args[i], &c->atoms.items[i]))
			return fail("code: a capability is not an atom",
			    error_r);
	if (count == 0)
		return fail("code: no capabilities", error_r);
	return true;
}

/* RFC 9051 7.1: "BADCHARSET" [SP "(" charset *(SP charset) ")"] */
static bool
decode_badcharset(const struct imap_arg *args, size_t count,
    struct response_code *c, const char **error_r)
{
	const struct imap_arg *list;
	size_t n;

	if (count == 0)
		return true;
	if (count != 1 || !imap_arg_get_list(&args[0], &list, &n) || n == 0 ||
	    !get_atoms(list, n, &c->atoms))
		return fail("code: not a list of charsets", error_r);
	return true;
}

/* --- decode_code ---------------------------------------------------- */

static bool
decode_args(const struct code_row *row, const struct imap_response *resp,
    struct imap_parser *scratch, struct response_code *c,
    const char **error_r)
{
	const struct imap_arg *args = NULL;
	size_t count = 0;
	const char *why;

	if (resp->code_args != NULL &&
	    imap_parser_parse_text(scratch, resp->code_args, &args, &count,
		&why) < 0)
		return fail(why, error_r);
	if (row->decode == NULL) {
		if (count != 0)
			return fail("code: takes no arguments", error_r);
		return true;
	}
	return row->decode(args, count, c, error_r);
}

bool
decode_code(const struct imap_response *resp, struct imap_parser *scratch,
    struct response_code *code_r, const char **error_r)
{
	const struct code_row *row;

	memset(code_r, 0, sizeof(*code_r));
	if (resp->code == NULL) {
		*error_r = "the response has no response code";
		return false;
	}
	code_r->name = resp->code;
	row = row_by_name(resp->code);
	if (row == NULL) {
		/* RFC 9051 7.1: atom [SP 1*<any TEXT-CHAR except "]">] */
		code_r->kind = RESP_CODE_UNKNOWN;
		code_r->info = &code_rows[0].info;
		code_r->args = resp->code_args;
		return true;
	}
	code_r->kind = row->info.kind;
	code_r->info = &row->info;
	if (!decode_args(row, resp, scratch, code_r, error_r)) {
		response_code_free(code_r);
		return false;
	}
	return true;
}

void
atom_list_free(struct atom_list *l)
{
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

void
response_code_free(struct response_code *code)
{
	seqset_free(&code->set);
	seqset_free(&code->dest);
	atom_list_free(&code->atoms);
}

/* --- untagged responses --------------------------------------------- */

/* RFC 9051 7.3.5: "FLAGS" SP flag-list */
bool
decode_flags(const struct imap_response *resp, struct atom_list *r,
    const char **error_r)
{
	const struct imap_arg *list;
	size_t i, n;

	memset(r, 0, sizeof(*r));
	if (resp->kind != IMAP_RESPONSE_UNTAGGED || resp->count != 2 ||
	    !imap_arg_atom_equals(&resp->args[0], "FLAGS") ||
	    !imap_arg_get_list(&resp->args[1], &list, &n)) {
		*error_r = "FLAGS: not a list of flags";
		return false;
	}
	r->items = xcalloc(n + 1, sizeof(*r->items));
	r->count = n;
	for (i = 0; i < n; i++)
		if (!imap_arg_get_atom(&list[i], &r->items[i])) {
			*error_r = "FLAGS: a flag is not an atom";
			atom_list_free(r);
			return false;
		}
	return true;
}

/* RFC 9051 7.4.1 / 7.5.1: number SP "EXISTS" / nz-number SP "EXPUNGE" */
bool
decode_message_count(const struct imap_response *resp,
    struct message_count *r, const char **error_r)
{
	static const char *const names[] = { "EXISTS", "RECENT", "EXPUNGE" };
	uint64_t n;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (resp->kind != IMAP_RESPONSE_UNTAGGED || resp->count != 2 ||
	    !imap_arg_get_number(&resp->args[0], &n)) {
		*error_r = "not the response this decoder reads";
		return false;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (imap_arg_atom_equals(&resp->args[1], names[i]))
			break;
	if (i == sizeof(names) / sizeof(names[0])) {
		*error_r = "not the response this decoder reads";
		return false;
	}
	r->kind = (enum message_count_kind)i;
	if (n > UINT32_MAX || (r->kind == MESSAGE_COUNT_EXPUNGE && n == 0)) {
		*error_r = r->kind == MESSAGE_COUNT_EXPUNGE ?
		    "EXPUNGE: not a 32-bit number above 0" :
		    "EXISTS/RECENT: not a 32-bit number";
		return false;
	}
	r->n = (uint32_t)n;
	return true;
}

/* RFC 7162 7: "VANISHED" [SP "(EARLIER)"] SP known-uids */
bool
decode_vanished(const struct imap_response *resp, struct vanished *r,
    const char **error_r)
{
	const struct imap_arg *list;
	const char *text;
	size_t i = 1, n;

	memset(r, 0, sizeof(*r));
	if (resp->kind != IMAP_RESPONSE_UNTAGGED || resp->count < 2 ||
	    !imap_arg_atom_equals(&resp->args[0], "VANISHED")) {
		*error_r = "not the response this decoder reads";
		return false;
	}
	if (imap_arg_get_list(&resp->args[1], &list, &n)) {
		if (n != 1 || !imap_arg_atom_equals(&list[0], "EARLIER")) {
			*error_r = "VANISHED: the tag is not (EARLIER)";
			return false;
		}
		r->earlier = true;
		i++;
	}
	if (resp->count != i + 1 ||
	    !imap_arg_get_atom(&resp->args[i], &text)) {
		*error_r = "VANISHED: not one set of UIDs";
		return false;
	}
	/* known-uids is a sequence-set, but '*' makes no sense for UIDs
	 * that are gone */
	return seqset_parse(text, 0, &r->uids, error_r);
}

void
vanished_free(struct vanished *r)
{
	seqset_free(&r->uids);
	r->earlier = false;
}
