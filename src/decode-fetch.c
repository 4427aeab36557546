/* decode-fetch: FETCH responses. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "decode-fetch.h"
#include "util-mem.h"

static const char *const field_names[ENVELOPE_ADDRESS_FIELDS] = {
	[ENVELOPE_FROM] = "from",
	[ENVELOPE_SENDER] = "sender",
	[ENVELOPE_REPLY_TO] = "reply_to",
	[ENVELOPE_TO] = "to",
	[ENVELOPE_CC] = "cc",
	[ENVELOPE_BCC] = "bcc",
};

const char *
envelope_field_name(enum envelope_field field)
{
	return field_names[field];
}

/* --- dates -------------------------------------------------------------- */

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), so no time zone of this machine gets involved. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool
digits(const char *s, size_t n, unsigned *v_r)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*v_r = v;
	return true;
}

/* RFC 9051 date-time: DD-Mon-YYYY SP HH:MM:SS SP zone, where the day may
 * be " 5" (date-day-fixed). */
bool
fetch_parse_date_time(const char *s, struct fetch_date *d)
{
	unsigned day, mon, year, hh, mm, ss, zh, zm;
	const char *p = s;

	if (strlen(s) != 26 || p[2] != '-' || p[6] != '-' || p[11] != ' ' ||
	    p[14] != ':' || p[17] != ':' || p[20] != ' ' ||
	    (p[21] != '+' && p[21] != '-'))
		return false;
	if (!digits(p[0] == ' ' ? p + 1 : p, p[0] == ' ' ? 1 : 2, &day) ||
	    !digits(p + 7, 4, &year) || !digits(p + 12, 2, &hh) ||
	    !digits(p + 15, 2, &mm) || !digits(p + 18, 2, &ss) ||
	    !digits(p + 22, 2, &zh) || !digits(p + 24, 2, &zm))
		return false;
	for (mon = 0; mon < 12; mon++)
		if (strncasecmp(p + 3, months[mon], 3) == 0)
			break;
	if (mon == 12 || day < 1 || day > 31 || hh > 23 || mm > 59 ||
	    ss > 60 || zm > 59)
		return false;
	d->tz_minutes = (int)(zh * 60 + zm) * (p[21] == '-' ? -1 : 1);
	d->epoch = days_from_civil(year, mon + 1, day) * 86400 +
	    hh * 3600 + mm * 60 + ss - (int64_t)d->tz_minutes * 60;
	return true;
}

/* --- RFC 5322 Date: ------------------------------------------------------ */

struct date_scan {
	const char *p;
};

/* Skip white space and comments ("(CET)"), which RFC 5322 CFWS allows
 * between every token. */
static void
scan_cfws(struct date_scan *sc)
{
	unsigned depth = 0;

	for (; *sc->p != '\0'; sc->p++) {
		if (*sc->p == '(')
			depth++;
		else if (*sc->p == ')' && depth > 0)
			depth--;
		else if (depth == 0 && *sc->p != ' ' && *sc->p != '\t' &&
		    *sc->p != '\r' && *sc->p != '\n')
			break;
	}
}

static bool
scan_number(struct date_scan *sc, unsigned min_digits, unsigned max_digits,
    unsigned *v_r, unsigned *n_digits_r)
{
	unsigned v = 0, n = 0;

	scan_cfws(sc);
	while (n < max_digits && *sc->p >= '0' && *sc->p <= '9') {
		v = v * 10 + (unsigned)(*sc->p++ - '0');
		n++;
	}
	if (n_digits_r != NULL)
		*n_digits_r = n;
	*v_r = v;
	return n >= min_digits;
}

static bool
scan_char(struct date_scan *sc, char c)
{
	scan_cfws(sc);
	if (*sc->p != c)
		return false;
	sc->p++;
	return true;
}

/* RFC 5322 4.3 obsolete zone names; military letters and unknown names
 * mean -0000. */
static bool
scan_zone(struct date_scan *sc, int *tz_r)
{
	static const struct {
		const char *name;
		int minutes;
	} names[] = { { "UT", 0 }, { "GMT", 0 }, { "EST", -300 },
		{ "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
		{ "MST", -420 }, { "MDT", -360 }, { "PST", -480 },
		{ "PDT", -420 } };
	unsigned hhmm, n, i;
	char sign;
	size_t len;

	scan_cfws(sc);
	sign = *sc->p;
	if (sign == '+' || sign == '-') {
		sc->p++;
		if (!scan_number(sc, 4, 4, &hhmm, &n) || hhmm % 100 > 59)
			return false;
		*tz_r = (int)(hhmm / 100 * 60 + hhmm % 100) *
		    (sign == '-' ? -1 : 1);
		return true;
	}
	for (len = 0; (sc->p[len] | 0x20) >= 'a' && (sc->p[len] | 0x20) <= 'z';
	     len++)
		;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == len &&
		    strncasecmp(sc->p, names[i].name, len) == 0) {
			*tz_r = names[i].minutes;
			return true;
		}
	/* RFC 5322 4.3: military letters, and any other alphabetic zone
	 * whose meaning is not known ("CET", usually 3 to 5 letters), SHOULD
	 * be taken as -0000. Only the single letters were accepted before,
	 * so a Date: ending in "CET" or "MEZ" had no date at all. */
	*tz_r = 0;
	return len >= 1 && len <= 5;
}

bool
envelope_parse_date(const char *s, struct fetch_date *d_r)
{
	struct date_scan sc = { s };
	unsigned day, year, year_digits, hh, mm, ss = 0, mon;
	int tz;

	if (s == NULL)
		return false;
	scan_cfws(&sc);
	/* an optional day of the week: "Tue," */
	if (((unsigned char)*sc.p | 0x20) >= 'a' &&
	    ((unsigned char)*sc.p | 0x20) <= 'z') {
		while (((unsigned char)*sc.p | 0x20) >= 'a' &&
		    ((unsigned char)*sc.p | 0x20) <= 'z')
			sc.p++;
		if (!scan_char(&sc, ','))
			return false;
	}
	if (!scan_number(&sc, 1, 2, &day, NULL))
		return false;
	scan_cfws(&sc);
	for (mon = 0; mon < 12; mon++)
		if (strncasecmp(sc.p, months[mon], 3) == 0)
			break;
	if (mon == 12)
		return false;
	sc.p += 3;
	if (!scan_number(&sc, 2, 4, &year, &year_digits) ||
	    !scan_number(&sc, 1, 2, &hh, NULL) || !scan_char(&sc, ':') ||
	    !scan_number(&sc, 2, 2, &mm, NULL))
		return false;
	if (scan_char(&sc, ':') && !scan_number(&sc, 2, 2, &ss, NULL))
		return false;
	if (!scan_zone(&sc, &tz))
		return false;
	/* RFC 5322 4.3: two-digit years below 50 are 20xx, three-digit
	 * years add 1900 */
	if (year_digits == 2)
		year += year < 50 ? 2000 : 1900;
	else if (year_digits == 3)
		year += 1900;
	if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
		return false;
	d_r->tz_minutes = tz;
	d_r->epoch = days_from_civil(year, mon + 1, day) * 86400 +
	    hh * 3600 + mm * 60 + ss - (int64_t)tz * 60;
	return true;
}

void
fetch_format_iso8601(const struct fetch_date *d, char *out, size_t size)
{
	int64_t local = d->epoch + (int64_t)d->tz_minutes * 60;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t secs = local - days * 86400;
	time_t t = (time_t)(days * 86400);
	struct tm tm;
	int tz = d->tz_minutes < 0 ? -d->tz_minutes : d->tz_minutes;

	gmtime_r(&t, &tm);
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, (int)(secs / 3600),
	    (int)(secs / 60 % 60), (int)(secs % 60),
	    d->tz_minutes < 0 ? '-' : '+', tz / 60, tz % 60);
}

/* --- ENVELOPE ------------------------------------------------------------ */

static bool
nstring(const struct imap_arg *arg, const char **s_r)
{
	return imap_arg_get_nstring(arg, s_r, NULL);
}

/* RFC 9051 address: (name adl mailbox host) */
static bool
decode_address(const struct imap_arg *arg, struct envelope_address *a)
{
	const struct imap_arg *parts;
	size_t n;

	return imap_arg_get_list(arg, &parts, &n) && n == 4 &&
	    nstring(&parts[0], &a->name) && nstring(&parts[1], &a->adl) &&
	    nstring(&parts[2], &a->mailbox) && nstring(&parts[3], &a->host);
}

/* An address list, or NIL for none. */
static bool
decode_address_list(const struct imap_arg *arg,
    struct envelope_address **list_r, size_t *count_r)
{
	const struct imap_arg *items;
	size_t n, i;

	*list_r = NULL;
	*count_r = 0;
	if (imap_arg_is_nil(arg))
		return true;
	if (!imap_arg_get_list(arg, &items, &n))
		return false;
	*list_r = xcalloc(n + 1, sizeof(**list_r));
	for (i = 0; i < n; i++)
		if (!decode_address(&items[i], &(*list_r)[i]))
			return false;
	*count_r = n;
	return true;
}

static void
envelope_clear(struct envelope *e)
{
	size_t i;

	for (i = 0; i < ENVELOPE_ADDRESS_FIELDS; i++)
		free(e->addresses[i]);
	memset(e, 0, sizeof(*e));
}

static bool
decode_envelope(const struct imap_arg *arg, struct envelope *e,
    const char **error_r)
{
	const struct imap_arg *f;
	size_t n, i;

	/* a FETCH that names ENVELOPE twice: the last one counts */
	envelope_clear(e);
	*error_r = "ENVELOPE: malformed";
	if (!imap_arg_get_list(arg, &f, &n) || n != 10 ||
	    !nstring(&f[0], &e->date) || !nstring(&f[1], &e->subject) ||
	    !nstring(&f[8], &e->in_reply_to) ||
	    !nstring(&f[9], &e->message_id))
		return false;
	for (i = 0; i < ENVELOPE_ADDRESS_FIELDS; i++)
		if (!decode_address_list(&f[2 + i], &e->addresses[i],
			&e->address_count[i])) {
			*error_r = "ENVELOPE: malformed address";
			return false;
		}
	return true;
}

/* --- the items ------------------------------------------------------------ */

static bool
decode_flags(const struct imap_arg *arg, struct fetch_response *f)
{
	const struct imap_arg *items;
	size_t n, i;

	if (!imap_arg_get_list(arg, &items, &n))
		return false;
	/* a FETCH that names FLAGS twice: the last one counts */
	free(f->flags);
	f->flag_count = 0;
	f->flags = xcalloc(n + 1, sizeof(*f->flags));
	for (i = 0; i < n; i++)
		if (!imap_arg_get_atom(&items[i], &f->flags[i]))
			return false;
	f->flag_count = n;
	return true;
}

/* RFC 7162 3.1.4.1: MODSEQ (n) */
static bool
decode_modseq(const struct imap_arg *arg, uint64_t *v_r)
{
	const struct imap_arg *items;
	size_t n;

	return imap_arg_get_list(arg, &items, &n) && n == 1 &&
	    imap_arg_get_number(&items[0], v_r);
}

/* --- one function per FETCH item ----------------------------------------- */

typedef bool fetch_item_fn(struct fetch_response *f,
    const struct imap_arg *value, const char **error_r);

static bool
item_uid(struct fetch_response *f, const struct imap_arg *value,
    const char **error_r)
{
	(void)error_r;
	return imap_arg_get_nz_number32(value, &f->uid);
}

static bool
item_flags(struct fetch_response *f, const struct imap_arg *value,
    const char **error_r)
{
	(void)error_r;
	return decode_flags(value, f);
}

static bool
item_size(struct fetch_response *f, const struct imap_arg *value,
    const char **error_r)
{
	(void)error_r;
	return imap_arg_get_number(value, &f->size);
}

static bool
item_modseq(struct fetch_response *f, const struct imap_arg *value,
    const char **error_r)
{
	(void)error_r;
	return decode_modseq(value, &f->modseq);
}

static bool
item_internaldate(struct fetch_response *f, const struct imap_arg *value,
    const char **error_r)
{
	const char *s;

	(void)error_r;
	return imap_arg_get_string(value, &s, NULL) &&
	    fetch_parse_date_time((f->internaldate_raw = s), &f->internaldate);
}

static bool
item_envelope(struct fetch_response *f, const struct imap_arg *value,
    const char **error_r)
{
	return decode_envelope(value, &f->envelope, error_r);
}

/* BODY without a section is BODYSTRUCTURE without extension data. */
static bool
item_bodystructure(struct fetch_response *f, const struct imap_arg *value,
    const char **error_r)
{
	(void)error_r;
	f->bodystructure = value;
	return value->type == IMAP_ARG_LIST;
}

/* The items decoded here; BODY[...], BINARY[...], PREVIEW and the rest
 * are left to whoever asked for them. */
static const struct {
	const char *name;
	unsigned present; /* FETCH_* */
	fetch_item_fn *decode;
} fetch_items[] = {
	{ "UID", FETCH_UID, item_uid },
	{ "FLAGS", FETCH_FLAGS, item_flags },
	{ "RFC822.SIZE", FETCH_SIZE, item_size },
	{ "MODSEQ", FETCH_MODSEQ, item_modseq },
	{ "INTERNALDATE", FETCH_INTERNALDATE, item_internaldate },
	{ "ENVELOPE", FETCH_ENVELOPE, item_envelope },
	{ "BODYSTRUCTURE", FETCH_BODYSTRUCTURE, item_bodystructure },
	{ "BODY", FETCH_BODYSTRUCTURE, item_bodystructure },
};

const char *
fetch_item_known_name(size_t i)
{
	return i < sizeof(fetch_items) / sizeof(fetch_items[0])
	    ? fetch_items[i].name : NULL;
}

static bool
decode_item(struct fetch_response *f, const char *name,
    const struct imap_arg *value, const char **error_r)
{
	size_t i;

	/* the first letter, as a capital, before the whole name */
	for (i = 0; i < sizeof(fetch_items) / sizeof(fetch_items[0]); i++)
		if ((name[0] & ~0x20) == fetch_items[i].name[0] &&
		    strcasecmp(name, fetch_items[i].name) == 0) {
			f->present |= fetch_items[i].present;
			return fetch_items[i].decode(f, value, error_r);
		}
	return true;
}

bool
decode_fetch(const struct imap_response *resp, struct fetch_response *f,
    const char **error_r)
{
	const struct imap_arg *items;
	const char *name;
	size_t n, i;

	memset(f, 0, sizeof(*f));
	if (resp->kind != IMAP_RESPONSE_UNTAGGED || resp->count != 3 ||
	    !imap_arg_get_nz_number32(&resp->args[0], &f->seq) ||
	    !imap_arg_atom_equals(&resp->args[1], "FETCH") ||
	    !imap_arg_get_list(&resp->args[2], &items, &n) || n % 2 != 0) {
		*error_r = "FETCH: not a number and a list of items";
		return false;
	}
	for (i = 0; i < n; i += 2) {
		*error_r = NULL;
		if (!imap_arg_get_atom(&items[i], &name) ||
		    !decode_item(f, name, &items[i + 1], error_r)) {
			if (*error_r == NULL)
				*error_r = "FETCH: an item has a bad value";
			fetch_response_free(f);
			return false;
		}
	}
	return true;
}

void
fetch_response_free(struct fetch_response *f)
{
	free(f->flags);
	f->flags = NULL;
	f->flag_count = 0;
	envelope_clear(&f->envelope);
}
