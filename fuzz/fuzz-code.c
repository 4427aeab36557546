/* fuzz-code: response codes (RFC 9051 7.1, RFC 4315, RFC 7162, RFC 5530)
 * and the untagged mailbox responses that go with them (FLAGS, EXISTS,
 * RECENT, EXPUNGE, VANISHED), through the parser and decode-code.
 *
 * Checks: a value or a reason; the table row matches the name and the
 * kind; an unknown code keeps its raw arguments; COPYUID's sets pair up;
 * no UID set holds '*'; and the round trip: every decoded value written
 * back as a response decodes to the same value. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "decode-code.h"
#include "fuzz-check.h"

#define CODE_TEXT_MAX ((size_t)1 << 24)

static bool
sets_equal(const struct seqset *a, const struct seqset *b)
{
	return a->count == b->count && (a->count == 0 ||
	    memcmp(a->ranges, b->ranges, a->count * sizeof(*a->ranges)) == 0);
}

static bool
atoms_equal(const struct atom_list *a, const struct atom_list *b)
{
	size_t i;

	if (a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (!fuzz_str_equal(a->items[i], b->items[i]))
			return false;
	return true;
}

static void
write_atoms(struct buf *out, const struct atom_list *l, bool quoted)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		if (i > 0)
			buf_append_byte(out, ' ');
		if (quoted)
			fuzz_write_cstring(out, l->items[i]);
		else
			buf_append_str(out, l->items[i]);
	}
}

static void
write_set(struct buf *out, const struct seqset *set)
{
	buf_append_byte(out, ' ');
	FUZZ_ASSERT(seqset_format(set, out) == 0, "a set over the cap");
}

/* The arguments of a decoded code, as a server would write them. */
static void
write_code_args(struct buf *out, const struct response_code *c)
{
	switch (c->kind) {
	case RESP_CODE_PERMANENTFLAGS:
		buf_append_str(out, " (");
		write_atoms(out, &c->atoms, false);
		buf_append_byte(out, ')');
		break;
	case RESP_CODE_UIDNEXT:
	case RESP_CODE_UIDVALIDITY:
	case RESP_CODE_UNSEEN:
		buf_printf(out, " %" PRIu32, c->number);
		break;
	case RESP_CODE_HIGHESTMODSEQ:
		buf_printf(out, " %" PRIu64, c->modseq);
		break;
	case RESP_CODE_APPENDUID:
	case RESP_CODE_COPYUID:
		buf_printf(out, " %" PRIu32, c->number);
		write_set(out, &c->set);
		if (c->kind == RESP_CODE_COPYUID)
			write_set(out, &c->dest);
		break;
	case RESP_CODE_MODIFIED:
		write_set(out, &c->set);
		break;
	case RESP_CODE_CAPABILITY:
		buf_append_byte(out, ' ');
		write_atoms(out, &c->atoms, false);
		break;
	case RESP_CODE_BADCHARSET:
		if (c->atoms.count > 0) {
			buf_append_str(out, " (");
			write_atoms(out, &c->atoms, true);
			buf_append_byte(out, ')');
		}
		break;
	default:
		break;
	}
}

static bool
code_equal(const struct response_code *a, const struct response_code *b)
{
	return a->kind == b->kind && a->info == b->info &&
	    a->number == b->number && a->modseq == b->modseq &&
	    a->any_keyword == b->any_keyword && sets_equal(&a->set, &b->set) &&
	    sets_equal(&a->dest, &b->dest) && atoms_equal(&a->atoms, &b->atoms);
}

static void
check_known_code(const struct response_code *c)
{
	struct response_code again;
	struct imap_parser *p, *scratch;
	struct buf out;
	const char *err = NULL;

	FUZZ_ASSERT(c->info == response_code_lookup(c->name) &&
	    c->info->kind == c->kind && response_code_info(c->kind) == c->info,
	    "the row for code %s is not its own", c->name);
	FUZZ_ASSERT(c->kind != RESP_CODE_COPYUID ||
	    seqset_count(&c->set, 0) == seqset_count(&c->dest, 0),
	    "COPYUID: sets of different sizes");
	buf_init(&out, CODE_TEXT_MAX);
	buf_printf(&out, "* OK [%s", c->info->name);
	write_code_args(&out, c);
	buf_append_str(&out, "] x\r\n");
	p = imap_parser_new(NULL);
	scratch = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_code(fuzz_parse_one(p, &out), scratch, &again,
	    &err) && code_equal(c, &again), "code round trip differs: %.200s",
	    buf_str(&out));
	response_code_free(&again);
	imap_parser_free(&scratch);
	imap_parser_free(&p);
	buf_free(&out);
}

static void
check_code(const struct imap_response *resp, struct imap_parser *scratch)
{
	struct response_code c;
	const char *err = NULL;
	bool ok = decode_code(resp, scratch, &c, &err);

	fuzz_strict_ok(ok, "response code", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && c.set.ranges == NULL &&
		    c.dest.ranges == NULL && c.atoms.items == NULL,
		    "a code failed without a reason, or kept values");
		return;
	}
	FUZZ_ASSERT(c.name == resp->code && c.info != NULL,
	    "a decoded code lost its name or row");
	if (c.kind == RESP_CODE_UNKNOWN)
		FUZZ_ASSERT(response_code_lookup(c.name) == NULL &&
		    c.args == resp->code_args,
		    "code %s is unknown, but has a row or lost its arguments",
		    c.name);
	else
		check_known_code(&c);
	response_code_free(&c);
}

static void
check_flags(const struct imap_response *resp)
{
	struct atom_list l, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	bool ok = decode_flags(resp, &l, &err);

	fuzz_strict_ok(ok, "FLAGS", err);
	if (!ok)
		return;
	buf_init(&out, CODE_TEXT_MAX);
	buf_append_str(&out, "* FLAGS (");
	write_atoms(&out, &l, false);
	buf_append_str(&out, ")\r\n");
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_flags(fuzz_parse_one(p, &out), &again, &err) &&
	    atoms_equal(&l, &again), "FLAGS round trip differs: %.200s",
	    buf_str(&out));
	atom_list_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	atom_list_free(&l);
}

static void
check_vanished(const struct imap_response *resp)
{
	struct vanished v, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	bool ok = decode_vanished(resp, &v, &err);

	fuzz_strict_ok(ok, "VANISHED", err);
	if (!ok) {
		FUZZ_ASSERT(v.uids.ranges == NULL, "VANISHED kept a set");
		return;
	}
	FUZZ_ASSERT(v.uids.count > 0, "VANISHED with no UIDs");
	for (size_t i = 0; i < v.uids.count; i++)
		FUZZ_ASSERT(v.uids.ranges[i].lo != SEQSET_STAR &&
		    v.uids.ranges[i].hi != SEQSET_STAR, "VANISHED holds '*'");
	buf_init(&out, CODE_TEXT_MAX);
	buf_append_str(&out, v.earlier ? "* VANISHED (EARLIER)"
				       : "* VANISHED");
	write_set(&out, &v.uids);
	buf_append_str(&out, "\r\n");
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_vanished(fuzz_parse_one(p, &out), &again, &err) &&
	    again.earlier == v.earlier && sets_equal(&v.uids, &again.uids),
	    "VANISHED round trip differs: %.200s", buf_str(&out));
	vanished_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	vanished_free(&v);
}

static void
check_count(const struct imap_response *resp, const char *name)
{
	struct message_count m, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	bool ok = decode_message_count(resp, &m, &err);

	fuzz_strict_ok(ok, name, err);
	if (!ok)
		return;
	FUZZ_ASSERT(m.kind != MESSAGE_COUNT_EXPUNGE || m.n != 0,
	    "EXPUNGE of message 0");
	buf_init(&out, CODE_TEXT_MAX);
	buf_printf(&out, "* %" PRIu32 " %s\r\n", m.n, name);
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_message_count(fuzz_parse_one(p, &out), &again,
	    &err) && again.kind == m.kind && again.n == m.n,
	    "%s round trip differs: %.200s", name, buf_str(&out));
	imap_parser_free(&p);
	buf_free(&out);
}

static void
check_response(void *ctx, const struct imap_response *resp,
    struct imap_parser *scratch)
{
	char name[16];

	(void)ctx;
	if (resp->code != NULL)
		check_code(resp, scratch);
	if (resp->kind != IMAP_RESPONSE_UNTAGGED ||
	    resp->status != IMAP_STATUS_NONE)
		return;
	fuzz_response_name(resp, name, sizeof(name));
	if (strcmp(name, "FLAGS") == 0)
		check_flags(resp);
	else if (strcmp(name, "VANISHED") == 0)
		check_vanished(resp);
	else if (resp->count == 2 && (strcmp(name, "EXISTS") == 0 ||
	    strcmp(name, "RECENT") == 0 || strcmp(name, "EXPUNGE") == 0))
		check_count(resp, name);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_response(data, size, check_response, NULL);
	return 0;
}
