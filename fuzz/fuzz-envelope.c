/* fuzz-envelope: FETCH responses (RFC 9051 7.5.2) through the parser and
 * decode-fetch: ENVELOPE with its addresses, both date forms, UID, FLAGS,
 * RFC822.SIZE and MODSEQ, and the header text shown from them (RFC 2047,
 * text-mime).
 *
 * Checks: a value or a reason; bounded counts; every date that parses
 * (INTERNALDATE, and the envelope's RFC 5322 Date:) written back through
 * fetch_format_iso8601() parses to the same instant and zone; subjects and
 * names shown as valid UTF-8; and the round trip: the decoded FETCH
 * written back decodes to the same value. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "decode-fetch.h"
#include "fuzz-check.h"
#include "text-mime.h"

#define FETCH_TEXT_MAX ((size_t)1 << 24)

static const char *const month_names[] = { "Jan", "Feb", "Mar", "Apr",
	"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* "2023-12-05T10:00:00+01:00" to "05-Dec-2023 10:00:00 +0100"; false
 * for a year of five digits. */
static bool
iso_to_imap(const char *iso, char *out, size_t size)
{
	unsigned mon;

	if (strlen(iso) != 25 || iso[4] != '-' || iso[10] != 'T')
		return false;
	mon = (unsigned)(iso[5] - '0') * 10 + (unsigned)(iso[6] - '0');
	FUZZ_ASSERT(mon >= 1 && mon <= 12, "ISO 8601 date %s", iso);
	snprintf(out, size, "%.2s-%s-%.4s %.8s %c%.2s%.2s", iso + 8,
	    month_names[mon - 1], iso, iso + 11, iso[19], iso + 20, iso + 23);
	return true;
}

/* A parsed date, formatted and parsed again, is the same. */
static void
check_date(const char *what, const struct fetch_date *d)
{
	struct fetch_date again;
	char iso[64], imap[64];

	fetch_format_iso8601(d, iso, sizeof(iso));
	if (!iso_to_imap(iso, imap, sizeof(imap)))
		return;
	FUZZ_ASSERT(fetch_parse_date_time(imap, &again) &&
	    again.epoch == d->epoch && again.tz_minutes == d->tz_minutes,
	    "%s: %" PRId64 " %+d formats as %s, which reads back as %s",
	    what, d->epoch, d->tz_minutes, iso, imap);
}

/* Header text shown to the user is valid UTF-8. */
static void
check_shown(const char *s)
{
	struct buf out;

	if (s == NULL)
		return;
	buf_init(&out, FETCH_TEXT_MAX);
	FUZZ_ASSERT(text_mime_decode_header(s, strlen(s), &out) == 0,
	    "a header over the cap");
	fuzz_check_utf8("a decoded header", out.data, out.len);
	buf_free(&out);
}

static void
write_envelope(struct buf *out, const struct envelope *e)
{
	size_t i, j;

	buf_append_str(out, " ENVELOPE (");
	fuzz_write_cstring(out, e->date);
	buf_append_byte(out, ' ');
	fuzz_write_cstring(out, e->subject);
	for (i = 0; i < ENVELOPE_ADDRESS_FIELDS; i++) {
		if (e->addresses[i] == NULL) {
			buf_append_str(out, " NIL");
			continue;
		}
		buf_append_str(out, " (");
		for (j = 0; j < e->address_count[i]; j++) {
			const struct envelope_address *a = &e->addresses[i][j];

			buf_append_byte(out, '(');
			fuzz_write_cstring(out, a->name);
			buf_append_byte(out, ' ');
			fuzz_write_cstring(out, a->adl);
			buf_append_byte(out, ' ');
			fuzz_write_cstring(out, a->mailbox);
			buf_append_byte(out, ' ');
			fuzz_write_cstring(out, a->host);
			buf_append_byte(out, ')');
		}
		buf_append_byte(out, ')');
	}
	buf_append_byte(out, ' ');
	fuzz_write_cstring(out, e->in_reply_to);
	buf_append_byte(out, ' ');
	fuzz_write_cstring(out, e->message_id);
	buf_append_byte(out, ')');
}

static void
write_fetch(struct buf *out, const struct fetch_response *f)
{
	size_t i;

	buf_printf(out, "* %" PRIu32 " FETCH (X 0", f->seq);
	if (f->present & FETCH_UID)
		buf_printf(out, " UID %" PRIu32, f->uid);
	if (f->present & FETCH_SIZE)
		buf_printf(out, " RFC822.SIZE %" PRIu64, f->size);
	if (f->present & FETCH_MODSEQ)
		buf_printf(out, " MODSEQ (%" PRIu64 ")", f->modseq);
	if (f->present & FETCH_INTERNALDATE) {
		buf_append_str(out, " INTERNALDATE ");
		fuzz_write_cstring(out, f->internaldate_raw);
	}
	if (f->present & FETCH_FLAGS) {
		buf_append_str(out, " FLAGS (");
		for (i = 0; i < f->flag_count; i++)
			buf_printf(out, "%s%s", i > 0 ? " " : "", f->flags[i]);
		buf_append_byte(out, ')');
	}
	if (f->present & FETCH_ENVELOPE)
		write_envelope(out, &f->envelope);
	buf_append_str(out, ")\r\n");
}

static bool
address_equal(const struct envelope_address *a,
    const struct envelope_address *b)
{
	return fuzz_str_equal(a->name, b->name) &&
	    fuzz_str_equal(a->adl, b->adl) &&
	    fuzz_str_equal(a->mailbox, b->mailbox) &&
	    fuzz_str_equal(a->host, b->host);
}

static bool
envelope_equal(const struct envelope *a, const struct envelope *b)
{
	size_t i, j;

	if (!fuzz_str_equal(a->date, b->date) ||
	    !fuzz_str_equal(a->subject, b->subject) ||
	    !fuzz_str_equal(a->in_reply_to, b->in_reply_to) ||
	    !fuzz_str_equal(a->message_id, b->message_id))
		return false;
	for (i = 0; i < ENVELOPE_ADDRESS_FIELDS; i++) {
		if (a->address_count[i] != b->address_count[i] ||
		    (a->addresses[i] == NULL) != (b->addresses[i] == NULL))
			return false;
		for (j = 0; j < a->address_count[i]; j++)
			if (!address_equal(&a->addresses[i][j],
				&b->addresses[i][j]))
				return false;
	}
	return true;
}

static bool
fetch_equal(const struct fetch_response *a, const struct fetch_response *b)
{
	size_t i;

	if (a->seq != b->seq || (a->present & ~(unsigned)FETCH_BODYSTRUCTURE)
	    != b->present || a->uid != b->uid || a->size != b->size ||
	    a->modseq != b->modseq || a->flag_count != b->flag_count ||
	    !fuzz_str_equal(a->internaldate_raw, b->internaldate_raw) ||
	    a->internaldate.epoch != b->internaldate.epoch ||
	    a->internaldate.tz_minutes != b->internaldate.tz_minutes)
		return false;
	for (i = 0; i < a->flag_count; i++)
		if (!fuzz_str_equal(a->flags[i], b->flags[i]))
			return false;
	return !(a->present & FETCH_ENVELOPE) ||
	    envelope_equal(&a->envelope, &b->envelope);
}

static void
check_envelope(const struct envelope *e)
{
	struct fetch_date d;
	size_t i, j;

	if (envelope_parse_date(e->date, &d))
		check_date("ENVELOPE date", &d);
	check_shown(e->subject);
	for (i = 0; i < ENVELOPE_ADDRESS_FIELDS; i++) {
		FUZZ_ASSERT(e->addresses[i] != NULL ||
		    e->address_count[i] == 0, "%s: addresses without a list",
		    envelope_field_name((enum envelope_field)i));
		for (j = 0; j < e->address_count[i]; j++)
			check_shown(e->addresses[i][j].name);
	}
}

static void
check_fetch(const struct imap_response *resp)
{
	struct fetch_response f, again;
	struct imap_parser *p;
	struct buf out;
	const char *err = NULL;
	bool ok = decode_fetch(resp, &f, &err);

	fuzz_strict_ok(ok, "FETCH", err);
	if (!ok) {
		FUZZ_ASSERT(err != NULL && f.flags == NULL,
		    "FETCH failed without a reason, or kept flags");
		return;
	}
	FUZZ_ASSERT(f.seq != 0 && (!(f.present & FETCH_UID) || f.uid != 0),
	    "FETCH: message or UID 0");
	if (f.present & FETCH_INTERNALDATE)
		check_date("INTERNALDATE", &f.internaldate);
	if (f.present & FETCH_ENVELOPE)
		check_envelope(&f.envelope);
	buf_init(&out, FETCH_TEXT_MAX);
	write_fetch(&out, &f);
	p = imap_parser_new(NULL);
	FUZZ_ASSERT(decode_fetch(fuzz_parse_one(p, &out), &again, &err) &&
	    fetch_equal(&f, &again), "FETCH round trip differs: %.300s",
	    buf_str(&out));
	fetch_response_free(&again);
	imap_parser_free(&p);
	buf_free(&out);
	fetch_response_free(&f);
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
	if (strcmp(name, "FETCH") == 0)
		check_fetch(resp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_each_response(data, size, check_response, NULL);
	return 0;
}
