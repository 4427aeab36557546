/* decode-fetch: FETCH responses (RFC 9051 7.5.2): UID, FLAGS,
 * RFC822.SIZE, MODSEQ (RFC 7162), INTERNALDATE in both servers' forms,
 * and ENVELOPE with its addresses and groups. Strings stay raw (RFC 2047
 * is decoded for display by text-mime); they point into the response. */
#ifndef IMAPWB_DECODE_FETCH_H
#define IMAPWB_DECODE_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap-parser.h"

#define FETCH_UID           0x0001
#define FETCH_FLAGS         0x0002
#define FETCH_SIZE          0x0004
#define FETCH_INTERNALDATE  0x0008
#define FETCH_MODSEQ        0x0010
#define FETCH_ENVELOPE      0x0020
#define FETCH_BODYSTRUCTURE 0x0040

/* RFC 9051 date-time, as seconds since the epoch and the zone's offset. */
struct fetch_date {
	int64_t epoch;
	int tz_minutes; /* +0100 is 60 */
};

/* One address of an ENVELOPE list. A group (RFC 5322 3.4) shows as a
 * start (mailbox = the group's name, host NULL) then its members, then an
 * end (mailbox and host NULL). */
struct envelope_address {
	const char *name;    /* display name, raw; NULL if NIL */
	const char *adl;     /* source route, obsolete */
	const char *mailbox; /* local part, or the group name */
	const char *host;    /* NULL marks a group start or end */
};

enum envelope_field {
	ENVELOPE_FROM,
	ENVELOPE_SENDER,
	ENVELOPE_REPLY_TO,
	ENVELOPE_TO,
	ENVELOPE_CC,
	ENVELOPE_BCC,
	ENVELOPE_ADDRESS_FIELDS,
};

struct envelope {
	const char *date;       /* the Date header, raw; NULL if NIL */
	const char *subject;    /* raw */
	struct envelope_address *addresses[ENVELOPE_ADDRESS_FIELDS];
	size_t address_count[ENVELOPE_ADDRESS_FIELDS];
	const char *in_reply_to;
	const char *message_id;
};

struct fetch_response {
	uint32_t seq;
	unsigned present; /* FETCH_* */
	uint32_t uid;
	uint64_t size;
	uint64_t modseq;
	const char **flags;
	size_t flag_count;
	const char *internaldate_raw;
	struct fetch_date internaldate;
	struct envelope envelope;
	const struct imap_arg *bodystructure; /* for decode-bodystructure */
};

bool decode_fetch(const struct imap_response *resp,
    struct fetch_response *f, const char **error_r);
void fetch_response_free(struct fetch_response *f);

/* "05-Dec-2023 10:00:00 +0100", or Cyrus's " 5-Dec-2023 ...". */
bool fetch_parse_date_time(const char *s, struct fetch_date *d_r);
/* An RFC 5322 Date: header as ENVELOPE gives it ("Tue, 5 Dec 2023
 * 10:00:00 +0100"), with the obsolete forms of RFC 5322 4.3 (two-digit
 * years, zone names, comments). */
bool envelope_parse_date(const char *s, struct fetch_date *d_r);
/* ISO 8601 in the date's own zone: "2023-12-05T10:00:00+01:00". */
void fetch_format_iso8601(const struct fetch_date *d, char *out,
    size_t size);

const char *envelope_field_name(enum envelope_field field);
/* The i-th FETCH item name decode_fetch() reads ("ENVELOPE"); NULL past
 * the last. */
const char *fetch_item_known_name(size_t i);

#endif
