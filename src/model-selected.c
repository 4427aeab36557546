/* model-selected: the selected mailbox's state and its index. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model-selected.h"
#include "text-mime.h"
#include "util-buf.h"
#include "util-log.h"
#include "util-mem.h"

#define SUMMARY_MAX (64u * 1024)

struct model_selected *
model_selected_new(uint32_t max_messages)
{
	struct model_selected *sel = xcalloc(1, sizeof(*sel));

	sel->index = model_index_new(max_messages);
	return sel;
}

static void
free_list(char ***list, size_t *count)
{
	size_t i;

	for (i = 0; i < *count; i++)
		free((*list)[i]);
	free(*list);
	*list = NULL;
	*count = 0;
}

static void
copy_list(char ***list, size_t *count, const char *const *items, size_t n)
{
	size_t i;

	free_list(list, count);
	if (n == 0)
		return;
	*list = xcalloc(n, sizeof(**list));
	for (i = 0; i < n; i++)
		(*list)[i] = xstrdup(items[i]);
	*count = n;
}

/* Back to "nothing selected", keeping the index object. */
static void
forget(struct model_selected *sel)
{
	free(sel->mailbox);
	sel->mailbox = NULL;
	free_list(&sel->flags, &sel->flag_count);
	free_list(&sel->permanentflags, &sel->permanentflag_count);
	sel->state = MODEL_SELECTED_NONE;
	sel->examine = sel->read_only = sel->any_keyword = false;
	sel->known = 0;
	sel->exists = sel->recent = sel->unseen = 0;
	sel->uidvalidity = sel->uidnext = 0;
	sel->highestmodseq = 0;
	sel->protocol_errors = 0;
	model_index_reset(sel->index);
	sel->generation++;
}

void
model_selected_free(struct model_selected **selp)
{
	struct model_selected *sel = *selp;

	if (sel == NULL)
		return;
	forget(sel);
	model_index_free(&sel->index);
	free(sel);
	*selp = NULL;
}

void
model_selected_opening(struct model_selected *sel, const char *mailbox,
    bool examine)
{
	forget(sel);
	sel->state = MODEL_SELECTED_OPENING;
	sel->mailbox = xstrdup(mailbox != NULL ? mailbox : "");
	sel->examine = examine;
}

void
model_selected_opened(struct model_selected *sel, bool ok, bool read_only)
{
	if (!ok) {
		forget(sel);
		return;
	}
	sel->state = MODEL_SELECTED_OPEN;
	sel->read_only = read_only || sel->examine;
	sel->known |= MODEL_SEL_ACCESS;
	sel->generation++;
}

void
model_selected_closed(struct model_selected *sel)
{
	if (sel->state != MODEL_SELECTED_NONE)
		forget(sel);
}

static bool
active(const struct model_selected *sel)
{
	return sel->state != MODEL_SELECTED_NONE;
}

/* A response that contradicts the index: count it and say so once per
 * mailbox; the views show what the server said. */
static void
protocol_error(struct model_selected *sel, const char *what,
    const char *error)
{
	if (sel->protocol_errors++ == 0)
		log_warn("the server's %s does not fit the mailbox: %s", what,
		    error);
}

void
model_selected_exists(struct model_selected *sel, uint32_t n)
{
	uint32_t have;
	const char *error;

	if (!active(sel))
		return;
	sel->exists = n;
	sel->known |= MODEL_SEL_EXISTS;
	have = model_index_count(sel->index);
	/* RFC 9051 7.4.1: EXISTS never shrinks without EXPUNGE */
	if (n > have) {
		if (model_index_append(sel->index, n - have, &error) != 0)
			protocol_error(sel, "EXISTS", error);
	} else if (n < have)
		protocol_error(sel, "EXISTS", "fewer messages than before");
	sel->generation++;
}

void
model_selected_recent(struct model_selected *sel, uint32_t n)
{
	if (!active(sel))
		return;
	sel->recent = n;
	sel->known |= MODEL_SEL_RECENT;
	sel->generation++;
}

void
model_selected_expunge(struct model_selected *sel, uint32_t msn)
{
	const char *error;

	if (!active(sel))
		return;
	if (model_index_expunge(sel->index, msn, &error) != 0)
		protocol_error(sel, "EXPUNGE", error);
	if (sel->exists > 0)
		sel->exists--;
	sel->generation++;
}

void
model_selected_vanished(struct model_selected *sel, const struct vanished *v)
{
	struct model_index_uid_range *ranges;
	uint32_t removed, ambiguous = 0;
	size_t i;

	/* VANISHED (EARLIER) reports the past: the MSNs did not move. */
	if (!active(sel) || v->earlier || v->uids.count == 0)
		return;
	ranges = xcalloc(v->uids.count, sizeof(*ranges));
	for (i = 0; i < v->uids.count; i++) {
		ranges[i].lo = v->uids.ranges[i].lo;
		ranges[i].hi = v->uids.ranges[i].hi;
	}
	removed = model_index_vanished(sel->index, ranges, v->uids.count,
	    &ambiguous);
	free(ranges);
	sel->exists = sel->exists > removed ? sel->exists - removed : 0;
	if (ambiguous > 0)
		protocol_error(sel, "VANISHED",
		    "messages without a known UID may be gone");
	sel->generation++;
}

void
model_selected_flags(struct model_selected *sel, const struct atom_list *flags)
{
	if (!active(sel))
		return;
	copy_list(&sel->flags, &sel->flag_count, flags->items, flags->count);
	sel->known |= MODEL_SEL_FLAGS;
	sel->generation++;
}

void
model_selected_code(struct model_selected *sel,
    const struct response_code *code)
{
	if (!active(sel))
		return;
	switch (code->kind) {
	case RESP_CODE_UIDVALIDITY:
		sel->uidvalidity = code->number;
		sel->known |= MODEL_SEL_UIDVALIDITY;
		break;
	case RESP_CODE_UIDNEXT:
		sel->uidnext = code->number;
		sel->known |= MODEL_SEL_UIDNEXT;
		break;
	case RESP_CODE_UNSEEN:
		sel->unseen = code->number;
		sel->known |= MODEL_SEL_UNSEEN;
		break;
	case RESP_CODE_HIGHESTMODSEQ:
		sel->highestmodseq = code->modseq;
		sel->known |= MODEL_SEL_HIGHESTMODSEQ;
		sel->known &= ~(unsigned)MODEL_SEL_NOMODSEQ;
		break;
	case RESP_CODE_NOMODSEQ:
		sel->known |= MODEL_SEL_NOMODSEQ;
		sel->known &= ~(unsigned)MODEL_SEL_HIGHESTMODSEQ;
		break;
	case RESP_CODE_PERMANENTFLAGS:
		copy_list(&sel->permanentflags, &sel->permanentflag_count,
		    code->atoms.items, code->atoms.count);
		sel->any_keyword = code->any_keyword;
		sel->known |= MODEL_SEL_PERMANENTFLAGS;
		break;
	case RESP_CODE_READ_ONLY:
	case RESP_CODE_READ_WRITE:
		sel->read_only = code->kind == RESP_CODE_READ_ONLY;
		sel->known |= MODEL_SEL_ACCESS;
		break;
	default:
		return;
	}
	sel->generation++;
}

/* The first From as one display string: the decoded name, else
 * local@host, else a group's name. */
static void
summary_from(const struct envelope *e, struct buf *out)
{
	const struct envelope_address *a;

	if (e->address_count[ENVELOPE_FROM] == 0)
		return;
	a = &e->addresses[ENVELOPE_FROM][0];
	if (a->name != NULL && a->name[0] != '\0' &&
	    text_mime_decode_header(a->name, strlen(a->name), out) == 0 &&
	    out->len > 0)
		return;
	buf_reset(out);
	if (a->mailbox != NULL)
		buf_append_str(out, a->mailbox);
	if (a->host != NULL) {
		buf_append_byte(out, '@');
		buf_append_str(out, a->host);
	}
}

void
model_selected_summary(const struct fetch_response *f,
    struct model_index_fetch *out, struct buf *from, struct buf *subject)
{
	struct fetch_date date;

	memset(out, 0, sizeof(*out));
	buf_reset(from);
	buf_reset(subject);
	if (f->present & FETCH_UID) {
		out->fields |= MODEL_INDEX_FIELD_UID;
		out->uid = f->uid;
	}
	if (f->present & FETCH_FLAGS) {
		out->fields |= MODEL_INDEX_FIELD_FLAGS;
		out->flags = f->flags;
		out->n_flags = f->flag_count;
	}
	if (f->present & FETCH_SIZE) {
		out->fields |= MODEL_INDEX_FIELD_SIZE;
		out->size = f->size;
	}
	if (f->present & FETCH_INTERNALDATE) {
		out->fields |= MODEL_INDEX_FIELD_INTERNALDATE;
		out->internaldate = f->internaldate.epoch;
		out->internaldate_tz = f->internaldate.tz_minutes;
	}
	if (f->present & FETCH_MODSEQ) {
		out->fields |= MODEL_INDEX_FIELD_MODSEQ;
		out->modseq = f->modseq;
	}
	if (!(f->present & FETCH_ENVELOPE))
		return;
	out->fields |= MODEL_INDEX_FIELD_ENVELOPE;
	if (envelope_parse_date(f->envelope.date, &date)) {
		out->date_valid = true;
		out->date = date.epoch;
		out->date_tz = date.tz_minutes;
	}
	summary_from(&f->envelope, from);
	if (f->envelope.subject != NULL &&
	    text_mime_decode_header(f->envelope.subject,
		strlen(f->envelope.subject), subject) != 0) {
		buf_reset(subject);
		buf_append_str(subject, f->envelope.subject);
	}
	out->from = from->data;
	out->from_len = from->len;
	out->subject = subject->data;
	out->subject_len = subject->len;
}

void
model_selected_fetch(struct model_selected *sel, const struct fetch_response *f)
{
	struct model_index_fetch summary;
	struct buf from, subject;
	const char *error;

	if (!active(sel))
		return;
	buf_init(&from, SUMMARY_MAX);
	buf_init(&subject, SUMMARY_MAX);
	model_selected_summary(f, &summary, &from, &subject);
	if (summary.fields != 0 &&
	    model_index_update(sel->index, f->seq, &summary, &error) != 0)
		protocol_error(sel, "FETCH", error);
	buf_free(&from);
	buf_free(&subject);
	if ((f->present & FETCH_MODSEQ) &&
	    (sel->known & MODEL_SEL_HIGHESTMODSEQ) &&
	    f->modseq > sel->highestmodseq)
		sel->highestmodseq = f->modseq;
	sel->generation++;
}
