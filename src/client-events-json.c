/* client-events-json: decoded responses as JSON lines for scripts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client-events-json.h"
#include "text-json.h"
#include "model-selected.h"
#include "teach-knowledge.h"
#include "text-mime.h"
#include "text-mutf7.h"
#include "util-log.h"
#include "util-mem.h"

#define EVENT_MAX (8u * 1024 * 1024)
/* What a reused buffer keeps for the next event; a bigger one is freed. */
#define EVENT_KEEP (64u * 1024)

/* Where json_header_text decodes, kept from one name to the next (one
 * event is built at a time). */
static struct buf header_text;

/* A decoded RFC 2047 string, or null. */
static void
json_header_text(struct json_writer *w, const char *raw)
{
	struct buf *text = &header_text;
	size_t len;

	if (raw == NULL) {
		json_null(w);
		return;
	}
	len = strlen(raw);
	/* most names and subjects decode to themselves: no copy */
	if (text_mime_header_is_plain(raw, len)) {
		json_string(w, raw, len);
		return;
	}
	if (text->max == 0)
		buf_init(text, EVENT_MAX);
	buf_reset(text);
	if (text_mime_decode_header(raw, len, text) == 0)
		json_string(w, text->data != NULL ? text->data : "",
		    text->len);
	else
		json_cstring(w, raw);
	buf_reset_keep(text, EVENT_KEEP);
}

/* A mailbox name for display: modified UTF-7 decoded, or raw if it is
 * not valid modified UTF-7. */
static void
json_mailbox(struct json_writer *w, const char *raw)
{
	char *name = text_mutf7_display(raw);

	json_cstring(w, name);
	free(name);
}

/* One event is built at a time: its buffer is lent out by begin_event
 * and given back by end_event, so a FETCH of 100k messages does not
 * allocate and grow 100k buffers. */
static struct buf event_storage;


static void
begin_event(struct json_writer *w, struct buf *out, const char *name)
{
	if (event_storage.max == 0)
		buf_init(&event_storage, EVENT_MAX);
	*out = event_storage;
	memset(&event_storage, 0, sizeof(event_storage));
	buf_reset(out);
	json_writer_init(w, out);
	json_object_begin(w);
	json_key(w, "event");
	json_cstring(w, name);
}

/* Whether events to f go out one by one; asked once per stream (three
 * system calls). */
static bool
line_flush(FILE *f)
{
	static FILE *known;
	static bool wants;

	if (f != known) {
		known = f;
		wants = log_stream_wants_line_flush(f);
	}
	return wants;
}

static void
end_event(FILE *f, struct json_writer *w, struct buf *out)
{
	json_object_end(w);
	/* one fwrite: on an unbuffered stream each call is a write(2) */
	if (json_writer_status(w) == 0 && buf_append_byte(out, '\n') == 0)
		fwrite(out->data, 1, out->len, f);
	else
		log_warn("an event was too large for JSON and was left out");
	if (line_flush(f))
		fflush(f);
	buf_reset_keep(out, EVENT_KEEP);
	event_storage = *out;
}

/* What --json calls each origin (doc/json-events.md): the session's own
 * commands (login, IDLE, polling) are one kind to a script. */
static const char *const answer_origins[] = {
	[IMAP_ORIGIN_CLIENT] = "session",
	[IMAP_ORIGIN_CONSOLE] = "typed",
	[IMAP_ORIGIN_VIEW] = "view",
	[IMAP_ORIGIN_JOB] = "job",
	[IMAP_ORIGIN_AUTO] = "session",
};

/* "origin": who sent the command an event answers, or null for what the
 * server said unasked (an EXISTS during IDLE). */
static void
json_origin(struct json_writer *w, const struct imap_session_command *owner)
{
	json_key(w, "origin");
	json_cstring(w, owner != NULL
		? answer_origins[imap_session_command_origin(owner)->kind]
		: NULL);
}

/* End an event made from a response with the command it answers, its
 * "tag" and "origin" (both null when the server spoke unasked): last, so
 * what matched an event's beginning still does. */
static void
end_answer_event(FILE *f, struct json_writer *w, struct buf *out,
    const struct imap_session_command *owner)
{
	json_key(w, "tag");
	json_cstring(w, owner != NULL ? imap_session_command_get(owner)->tag
				      : NULL);
	json_origin(w, owner);
	end_event(f, w, out);
}

static void
json_string_list(struct json_writer *w, const char *const *items,
    size_t count)
{
	size_t i;

	json_array_begin(w);
	for (i = 0; i < count; i++)
		json_cstring(w, items[i]);
	json_array_end(w);
}

/* --- one function per event --------------------------------------------- */

static void
event_capability(FILE *f, const struct decoded_response *d)
{
	const struct imap_response *r = d->raw;
	struct json_writer w;
	struct buf out;
	const char *atom;
	size_t i;

	begin_event(&w, &out, "capability");
	json_key(&w, "caps");
	json_array_begin(&w);
	for (i = 1; i < r->count; i++)
		if (imap_arg_get_atom(&r->args[i], &atom))
			json_cstring(&w, atom);
	json_array_end(&w);
	end_answer_event(f, &w, &out, d->owner);
}

/* [CAPABILITY ...] in a greeting or a tagged OK (RFC 9051 7.1) */
static void
event_capability_code(FILE *f, const struct response_code *code,
    const struct imap_session_command *owner)
{
	struct json_writer w;
	struct buf out;

	begin_event(&w, &out, "capability");
	json_key(&w, "caps");
	json_string_list(&w, code->atoms.items, code->atoms.count);
	end_answer_event(f, &w, &out, owner);
}

static void
event_list(FILE *f, const struct decoded_response *d)
{
	const struct list_response *l = &d->u.list;
	struct json_writer w;
	struct buf out;
	char delim[2];

	begin_event(&w, &out, "list");
	json_key(&w, "mailbox");
	json_mailbox(&w, l->name);
	json_key(&w, "raw");
	json_cstring(&w, l->name);
	json_key(&w, "delimiter");
	delim[0] = l->delimiter;
	delim[1] = '\0';
	json_cstring(&w, l->delimiter != '\0' ? delim : NULL);
	json_key(&w, "attributes");
	json_string_list(&w, l->attributes, l->attribute_count);
	json_key(&w, "special_use");
	json_cstring(&w, l->special_use);
	json_key(&w, "subscribed");
	json_bool(&w, l->lsub || (l->attrs & LIST_ATTR_SUBSCRIBED));
	end_answer_event(f, &w, &out, d->owner);
}

static void
event_status(FILE *f, const struct decoded_response *d)
{
	const struct status_response *st = &d->u.status;
	struct json_writer w;
	struct buf out;
	unsigned i;

	begin_event(&w, &out, "status");
	json_key(&w, "mailbox");
	json_mailbox(&w, st->mailbox);
	json_key(&w, "items");
	json_object_begin(&w);
	for (i = 0; i < STATUS_ITEM_COUNT; i++)
		if (st->present & (1u << i)) {
			json_key(&w, status_item_name(i));
			json_uint(&w, st->values[i]);
		}
	json_object_end(&w);
	end_answer_event(f, &w, &out, d->owner);
}

static void
json_address(struct json_writer *w, const struct envelope_address *a)
{
	char addr[1024];
	size_t n, m;

	json_object_begin(w);
	json_key(w, "name");
	json_header_text(w, a->name);
	json_key(w, "addr");
	/* "mailbox@host", cut at 1023 bytes (as snprintf would) */
	n = strlen(a->mailbox);
	if (n > sizeof(addr) - 1)
		n = sizeof(addr) - 1;
	memcpy(addr, a->mailbox, n);
	if (n < sizeof(addr) - 1)
		addr[n++] = '@';
	m = strlen(a->host);
	if (m > sizeof(addr) - 1 - n)
		m = sizeof(addr) - 1 - n;
	memcpy(addr + n, a->host, m);
	json_string(w, addr, n + m);
	json_object_end(w);
}

/* RFC 9051 7.5.2: a group is a start marker (host NIL, mailbox = its
 * name), its members, and an end marker (mailbox NIL). */
static void
json_address_list(struct json_writer *w, const struct envelope_address *list,
    size_t count)
{
	size_t i;
	bool in_group = false;

	json_array_begin(w);
	for (i = 0; i < count; i++) {
		const struct envelope_address *a = &list[i];

		if (a->host == NULL && a->mailbox != NULL) {
			json_object_begin(w);
			json_key(w, "group");
			json_header_text(w, a->mailbox);
			json_key(w, "members");
			json_array_begin(w);
			in_group = true;
		} else if (a->host == NULL) {
			if (in_group) {
				json_array_end(w);
				json_object_end(w);
			}
			in_group = false;
		} else if (a->mailbox != NULL)
			json_address(w, a);
	}
	if (in_group) {
		json_array_end(w);
		json_object_end(w);
	}
	json_array_end(w);
}

static bool
same_text(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Whether two address fields make the same JSON (the adl is left out). */
static bool
same_addresses(const struct envelope *e, unsigned f1, unsigned f2)
{
	const struct envelope_address *a = e->addresses[f1];
	const struct envelope_address *b = e->addresses[f2];
	size_t i;

	if (e->address_count[f1] != e->address_count[f2])
		return false;
	for (i = 0; i < e->address_count[f1]; i++)
		if (!same_text(a[i].name, b[i].name) ||
		    !same_text(a[i].mailbox, b[i].mailbox) ||
		    !same_text(a[i].host, b[i].host))
			return false;
	return true;
}

static void
json_envelope(struct json_writer *w, const struct envelope *e)
{
	size_t from[ENVELOPE_ADDRESS_FIELDS], to[ENVELOPE_ADDRESS_FIELDS];
	unsigned i, j;

	json_object_begin(w);
	json_key(w, "date");
	json_cstring(w, e->date);
	json_key(w, "subject");
	json_header_text(w, e->subject);
	for (i = 0; i < ENVELOPE_ADDRESS_FIELDS; i++) {
		json_key(w, envelope_field_name(i));
		/* RFC 9051 7.5.2: the server gives From again for a
		 * missing Sender or Reply-To: decoded once, copied */
		for (j = 0; j < i && !same_addresses(e, i, j); j++)
			;
		from[i] = json_value_mark(w);
		if (j < i)
			json_repeat(w, from[j], to[j]);
		else
			json_address_list(w, e->addresses[i],
			    e->address_count[i]);
		to[i] = json_value_mark(w);
	}
	json_key(w, "in_reply_to");
	json_cstring(w, e->in_reply_to);
	json_key(w, "message_id");
	json_cstring(w, e->message_id);
	json_object_end(w);
}

/* One part of a BODYSTRUCTURE and, for a multipart or a message part,
 * its parts. */
static void
json_body_part(struct json_writer *w, const struct bodystructure_part *p)
{
	char *type = xasprintf("%s/%s", p->type, p->subtype);
	size_t i;

	json_object_begin(w);
	json_key(w, "part");
	json_cstring(w, p->part);
	json_key(w, "type");
	json_cstring(w, type);
	free(type);
	if (p->charset != NULL) {
		json_key(w, "charset");
		json_cstring(w, p->charset);
	}
	if (p->encoding != NULL) {
		json_key(w, "encoding");
		json_cstring(w, p->encoding);
	}
	if (strcmp(p->type, "multipart") != 0) {
		json_key(w, "size");
		json_uint(w, p->size);
	}
	if (p->disposition != NULL) {
		json_key(w, "disposition");
		json_cstring(w, p->disposition);
	}
	if (p->filename != NULL) {
		json_key(w, "filename");
		json_cstring(w, p->filename);
	}
	if (p->part_count > 0) {
		json_key(w, "parts");
		json_array_begin(w);
		for (i = 0; i < p->part_count; i++)
			json_body_part(w, &p->parts[i]);
		json_array_end(w);
	}
	json_object_end(w);
}


static void
event_fetch(FILE *f, const struct decoded_response *d)
{
	const struct fetch_response *fr = &d->u.fetch.f;
	struct json_writer w;
	struct buf out;
	char iso[40];

	begin_event(&w, &out, "fetch");
	json_key(&w, "seq");
	json_uint(&w, fr->seq);
	if (fr->present & FETCH_UID) {
		json_key(&w, "uid");
		json_uint(&w, fr->uid);
	}
	if (fr->present & FETCH_SIZE) {
		json_key(&w, "size");
		json_uint(&w, fr->size);
	}
	if (fr->present & FETCH_FLAGS) {
		json_key(&w, "flags");
		json_string_list(&w, fr->flags, fr->flag_count);
	}
	if (fr->present & FETCH_INTERNALDATE) {
		fetch_format_iso8601(&fr->internaldate, iso, sizeof(iso));
		json_key(&w, "internaldate");
		json_cstring(&w, iso);
	}
	if (fr->present & FETCH_MODSEQ) {
		json_key(&w, "modseq");
		json_uint(&w, fr->modseq);
	}
	if (fr->present & FETCH_ENVELOPE) {
		json_key(&w, "envelope");
		json_envelope(&w, &fr->envelope);
	}
	if (fr->present & FETCH_BODYSTRUCTURE) {
		json_key(&w, "bodystructure");
		if (d->u.fetch.structure != NULL)
			json_body_part(&w, d->u.fetch.structure);
		else
			json_null(&w);
	}
	end_answer_event(f, &w, &out, d->owner);
}

static void
json_rights_meaning(struct json_writer *w, const char *rights)
{
	const struct knowledge_row *right;
	size_t i;

	json_array_begin(w);
	for (i = 0; rights[i] != '\0'; i++) {
		right = knowledge_right(rights[i]);
		if (right != NULL)
			json_string(w, right->meaning,
			    (size_t)knowledge_right_name_len(right));
		else
			json_cstring(w, "unknown");
	}
	json_array_end(w);
}

static void
event_acl(FILE *f, const struct decoded_response *d)
{
	const struct acl_response *acl = &d->u.acl;
	struct json_writer w;
	struct buf out;
	size_t i;

	begin_event(&w, &out, "acl");
	json_key(&w, "mailbox");
	json_mailbox(&w, acl->mailbox);
	json_key(&w, "entries");
	json_array_begin(&w);
	for (i = 0; i < acl->count; i++) {
		json_object_begin(&w);
		json_key(&w, "id");
		json_cstring(&w, acl->entries[i].identifier);
		json_key(&w, "rights");
		json_cstring(&w, acl->entries[i].rights);
		json_key(&w, "meaning");
		json_rights_meaning(&w, acl->entries[i].rights);
		json_object_end(&w);
	}
	json_array_end(&w);
	end_answer_event(f, &w, &out, d->owner);
}

static void
event_myrights(FILE *f, const struct decoded_response *d)
{
	const struct acl_myrights *my = &d->u.myrights;
	struct json_writer w;
	struct buf out;

	begin_event(&w, &out, "myrights");
	json_key(&w, "mailbox");
	json_mailbox(&w, my->mailbox);
	json_key(&w, "rights");
	json_cstring(&w, my->rights);
	json_key(&w, "meaning");
	json_rights_meaning(&w, my->rights);
	end_answer_event(f, &w, &out, d->owner);
}

static void
event_listrights(FILE *f, const struct decoded_response *d)
{
	const struct acl_listrights *lr = &d->u.listrights;
	struct json_writer w;
	struct buf out;

	begin_event(&w, &out, "listrights");
	json_key(&w, "mailbox");
	json_mailbox(&w, lr->mailbox);
	json_key(&w, "id");
	json_cstring(&w, lr->identifier);
	json_key(&w, "required");
	json_cstring(&w, lr->required);
	json_key(&w, "optional");
	json_string_list(&w, lr->optional, lr->optional_count);
	end_answer_event(f, &w, &out, d->owner);
}

static void
event_quotaroot(FILE *f, const struct decoded_response *d)
{
	const struct quota_roots *qr = &d->u.quotaroot;
	struct json_writer w;
	struct buf out;

	begin_event(&w, &out, "quotaroot");
	json_key(&w, "mailbox");
	json_mailbox(&w, qr->mailbox);
	json_key(&w, "roots");
	json_string_list(&w, qr->roots, qr->count);
	end_answer_event(f, &w, &out, d->owner);
}

static void
event_quota(FILE *f, const struct decoded_response *d)
{
	const struct quota_response *q = &d->u.quota;
	struct json_writer w;
	struct buf out;
	size_t i;

	begin_event(&w, &out, "quota");
	json_key(&w, "root");
	json_cstring(&w, q->root);
	json_key(&w, "resources");
	json_array_begin(&w);
	for (i = 0; i < q->count; i++) {
		json_object_begin(&w);
		json_key(&w, "name");
		json_cstring(&w, q->resources[i].name);
		json_key(&w, "usage");
		json_uint(&w, q->resources[i].usage);
		json_key(&w, "limit");
		json_uint(&w, q->resources[i].limit);
		json_object_end(&w);
	}
	json_array_end(&w);
	end_answer_event(f, &w, &out, d->owner);
}

static void
event_alert(FILE *f, const struct imap_response *r,
    const struct imap_session_command *owner)
{
	struct json_writer w;
	struct buf out;

	begin_event(&w, &out, "alert");
	json_key(&w, "text");
	json_cstring(&w, r->text);
	end_answer_event(f, &w, &out, owner);
}

/* SEARCH and SORT: numbers in the order sent; "uid" from the command
 * they answer. */
static void
emit_numbers(FILE *f, const struct search_result *r, const char *event,
    const struct imap_session_command *owner)
{
	struct json_writer w;
	struct buf out;
	size_t i;

	begin_event(&w, &out, event);
	if (owner != NULL) {
		json_key(&w, "uid");
		json_bool(&w, strncmp(imap_session_command_get(owner)->name,
				  "UID ", 4) == 0);
	}
	json_key(&w, "ids");
	json_array_begin(&w);
	for (i = 0; i < r->count; i++)
		json_uint(&w, r->numbers[i]);
	json_array_end(&w);
	if (r->has_modseq) {
		json_key(&w, "modseq");
		json_uint(&w, r->modseq);
	}
	end_answer_event(f, &w, &out, owner);
}

static void
event_search(FILE *f, const struct decoded_response *d)
{
	emit_numbers(f, &d->u.search, d->kind == DECODED_SORT ? "sort"
								: "search",
	    d->owner);
}

static void
json_seqset(struct json_writer *w, const struct seqset *set)
{
	struct buf text;

	buf_init(&text, EVENT_MAX);
	if (seqset_format(set, &text) == 0)
		json_string(w, text.data != NULL ? text.data : "", text.len);
	else
		json_null(w);
	buf_free(&text);
}

static void
event_esearch(FILE *f, const struct decoded_response *d)
{
	const struct esearch_result *e = &d->u.esearch;
	struct json_writer w;
	struct buf out;

	begin_event(&w, &out, "search");
	json_key(&w, "uid");
	json_bool(&w, e->uid);
	/* the command it answers, found by this correlator (RFC 4731 3.1) */
	json_key(&w, "tag");
	json_cstring(&w, d->owner != NULL
		? imap_session_command_get(d->owner)->tag : e->tag);
	if (e->has_min) {
		json_key(&w, "min");
		json_uint(&w, e->min);
	}
	if (e->has_max) {
		json_key(&w, "max");
		json_uint(&w, e->max);
	}
	if (e->has_count) {
		json_key(&w, "count");
		json_uint(&w, e->count);
	}
	if (e->has_all) {
		json_key(&w, "all");
		json_seqset(&w, &e->all);
	}
	if (e->has_modseq) {
		json_key(&w, "modseq");
		json_uint(&w, e->modseq);
	}
	json_origin(&w, d->owner);
	end_event(f, &w, &out);
}

/* EXPUNGE and EXISTS; RECENT is left out (RFC 9051 drops it). An
 * EXISTS that answers SELECT is in the select event as well. */
static void
event_count(FILE *f, const struct decoded_response *d)
{
	const struct message_count *mc = &d->u.count;
	struct json_writer w;
	struct buf out;

	if (mc->kind == MESSAGE_COUNT_EXPUNGE) {
		begin_event(&w, &out, "expunge");
		json_key(&w, "seq");
	} else if (mc->kind == MESSAGE_COUNT_EXISTS) {
		begin_event(&w, &out, "exists");
		json_key(&w, "count");
	} else
		return;
	json_uint(&w, mc->n);
	end_answer_event(f, &w, &out, d->owner);
}

static void
event_vanished(FILE *f, const struct decoded_response *d)
{
	const struct vanished *v = &d->u.vanished;
	struct json_writer w;
	struct buf out;

	begin_event(&w, &out, "vanished");
	json_key(&w, "uids");
	json_seqset(&w, &v->uids);
	json_key(&w, "earlier");
	json_bool(&w, v->earlier);
	end_answer_event(f, &w, &out, d->owner);
}

static void
json_namespace_list(struct json_writer *w, const struct namespace_list *l)
{
	size_t i;

	json_array_begin(w);
	for (i = 0; i < l->count; i++) {
		json_object_begin(w);
		json_key(w, "prefix");
		json_mailbox(w, l->descs[i].prefix);
		json_key(w, "delimiter");
		json_cstring(w, l->descs[i].delimiter);
		json_object_end(w);
	}
	json_array_end(w);
}

static void
event_namespace(FILE *f, const struct decoded_response *d)
{
	const struct namespace_response *ns = &d->u.namespace_;
	struct json_writer w;
	struct buf out;

	begin_event(&w, &out, "namespace");
	json_key(&w, "personal");
	json_namespace_list(&w, &ns->personal);
	json_key(&w, "other");
	json_namespace_list(&w, &ns->other);
	json_key(&w, "shared");
	json_namespace_list(&w, &ns->shared);
	end_answer_event(f, &w, &out, d->owner);
}

static void
event_id(FILE *f, const struct decoded_response *d)
{
	const struct id_response *id = &d->u.id;
	struct json_writer w;
	struct buf out;
	size_t i;

	begin_event(&w, &out, "id");
	json_key(&w, "fields");
	if (id->nil)
		json_null(&w);
	else {
		json_object_begin(&w);
		for (i = 0; i < id->count; i++) {
			json_key(&w, id->pairs[i].key);
			json_cstring(&w, id->pairs[i].value);
		}
		json_object_end(&w);
	}
	end_answer_event(f, &w, &out, d->owner);
}

/* --- dispatch ---------------------------------------------------------------- */

/* The event each kind of decoded data makes (none for FLAGS and RECENT:
 * the select event carries them). */
static void (*const untagged_events[DECODED_KIND_COUNT])(FILE *f,
    const struct decoded_response *d) = {
	[DECODED_SEARCH] = event_search,
	[DECODED_SORT] = event_search,
	[DECODED_ESEARCH] = event_esearch,
	[DECODED_COUNT] = event_count,
	[DECODED_VANISHED] = event_vanished,
	[DECODED_NAMESPACE] = event_namespace,
	[DECODED_ID] = event_id,
	[DECODED_CAPABILITY] = event_capability,
	[DECODED_LIST] = event_list,
	[DECODED_STATUS] = event_status,
	[DECODED_FETCH] = event_fetch,
	[DECODED_ACL] = event_acl,
	[DECODED_MYRIGHTS] = event_myrights,
	[DECODED_LISTRIGHTS] = event_listrights,
	[DECODED_QUOTAROOT] = event_quotaroot,
	[DECODED_QUOTA] = event_quota,
};

void
events_json_response(FILE *f, const struct decoded_response *d)
{
	const struct imap_response *r = d->raw;

	if (r->code != NULL && strcasecmp(r->code, "ALERT") == 0)
		event_alert(f, r, d->owner);
	if (d->has_code && d->code.kind == RESP_CODE_CAPABILITY)
		event_capability_code(f, &d->code, d->owner);
	if (r->kind != IMAP_RESPONSE_UNTAGGED ||
	    r->status != IMAP_STATUS_NONE)
		return;
	if (d->error != NULL)
		log_warn("%s", d->error);
	else if (untagged_events[d->kind] != NULL)
		untagged_events[d->kind](f, d);
}

static const char *const result_names[] = { "OK", "NO", "BAD", "FAILED" };

void
events_json_tagged(FILE *f, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double ms)
{
	const struct imap_command *c = imap_session_command_get(cmd);
	struct json_writer w;
	struct buf out;

	begin_event(&w, &out, "tagged");
	json_key(&w, "tag");
	json_cstring(&w, c->tag);
	json_key(&w, "command");
	json_cstring(&w, c->name);
	json_key(&w, "status");
	json_cstring(&w, result_names[result]);
	json_key(&w, "code");
	json_cstring(&w, tagged != NULL ? tagged->code : NULL);
	json_key(&w, "text");
	json_cstring(&w, tagged != NULL ? tagged->text : NULL);
	json_key(&w, "ms");
	json_double(&w, ms, 1);
	end_event(f, &w, &out);
}

/* A uint32 key when the server told the value. */
static void
json_known_uint(struct json_writer *w, const struct model_selected *sel,
    unsigned bit, const char *key, uint64_t value)
{
	if ((sel->known & bit) == 0)
		return;
	json_key(w, key);
	json_uint(w, value);
}

void
events_json_select(FILE *f, const struct model_selected *sel)
{
	struct json_writer w;
	struct buf out;

	begin_event(&w, &out, "select");
	json_key(&w, "mailbox");
	json_mailbox(&w, sel->mailbox != NULL ? sel->mailbox : "");
	json_key(&w, "readonly");
	json_bool(&w, sel->read_only);
	json_known_uint(&w, sel, MODEL_SEL_EXISTS, "exists", sel->exists);
	json_known_uint(&w, sel, MODEL_SEL_RECENT, "recent", sel->recent);
	json_known_uint(&w, sel, MODEL_SEL_UNSEEN, "unseen", sel->unseen);
	json_known_uint(&w, sel, MODEL_SEL_UIDVALIDITY, "uidvalidity",
	    sel->uidvalidity);
	json_known_uint(&w, sel, MODEL_SEL_UIDNEXT, "uidnext", sel->uidnext);
	json_known_uint(&w, sel, MODEL_SEL_HIGHESTMODSEQ, "highestmodseq",
	    sel->highestmodseq);
	if (sel->known & MODEL_SEL_NOMODSEQ) {
		json_key(&w, "nomodseq");
		json_bool(&w, true);
	}
	if (sel->known & MODEL_SEL_FLAGS) {
		json_key(&w, "flags");
		json_string_list(&w, (const char *const *)sel->flags,
		    sel->flag_count);
	}
	if (sel->known & MODEL_SEL_PERMANENTFLAGS) {
		json_key(&w, "permanentflags");
		json_string_list(&w, (const char *const *)sel->permanentflags,
		    sel->permanentflag_count);
	}
	end_event(f, &w, &out);
}
