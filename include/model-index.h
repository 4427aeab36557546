/* model-index: the selected mailbox's message index, without I/O.
 *
 * Decoders feed it (EXISTS, EXPUNGE, VANISHED, FETCH) and views read it:
 * the MSN<->UID map, a compact per-message summary (UID, flags, size,
 * dates, modseq, from, subject) and a sort order for display.
 *
 * How it is built, and what it costs (n = messages):
 *  - Messages live in "slots" in mailbox order. An expunged message
 *    leaves a tombstone, so no array is shifted. A Fenwick tree (binary
 *    indexed tree) of live counts over the slots turns MSN -> slot and
 *    slot -> MSN into O(log n) walks: RFC 9051 7.5.1 renumbering comes
 *    for free. Tombstones are compacted away, in O(n), once they
 *    outnumber the live messages, so expunge is O(log n) amortized and
 *    100k expunges are O(n log n), not O(n^2).
 *  - UIDs ascend with the MSN (RFC 9051 2.3.1.1), so the slots are sorted
 *    by UID; a message whose UID is not known yet has UID 0. A second
 *    Fenwick tree keeps the largest known UID of each node's range,
 *    which finds the first slot with a UID >= u in O(log n), even with
 *    unknown UIDs anywhere. uid_to_msn is O(log n), and set_uid checks in
 *    O(log n) that a UID keeps the order.
 *  - Strings are interned in 256 KiB arena chunks (one copy of each
 *    sender or subject), keyword sets are interned too, and a message
 *    record is 56 bytes. With realistic strings that is about 125 bytes
 *    per message, 137 with a sort order (tests/unit/test-model-index.c
 *    asserts <= 250).
 *  - A sort order is an array of slots plus a Fenwick tree of live
 *    positions: an expunge marks its position dead in O(log n), without
 *    a re-sort. Appends, and changes to the sorted column, mark the order
 *    stale; it is re-sorted on the next read. The sort is an LSD radix
 *    sort on 64-bit keys, a byte at a time, skipping the bytes all keys
 *    share (a merge sort below 512 items); it is stable and the items
 *    come in slot order, so ties keep MSN order. Strings are keyed 8
 *    case-folded bytes at a time (one load: the arena's chunks are
 *    padded), and only ties are re-keyed with their next 8 bytes (MSD),
 *    a level at a time, with prefetching. Sorting by sequence or UID
 *    needs no array at all. 1M messages sort by subject in about 0.14 s
 *    of CPU, by size in 0.02 s (tests/bench/bench-view-messages).
 *  - Search (model_index_find) walks the display order near the cursor,
 *    then scans the string arena once and the messages in slot order. */
#ifndef IMAPWB_MODEL_INDEX_H
#define IMAPWB_MODEL_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Display caps for the summary strings, in bytes. A longer string is cut
 * at a UTF-8 character boundary and flagged as truncated. */
#define MODEL_INDEX_MAX_FROM 64
#define MODEL_INDEX_MAX_SUBJECT 160
/* Keywords (non-system flags): distinct names per mailbox, names per
 * message and bytes per name. More are dropped and flagged. */
#define MODEL_INDEX_MAX_KEYWORDS 4096
#define MODEL_INDEX_MAX_MESSAGE_KEYWORDS 64
#define MODEL_INDEX_MAX_KEYWORD_LEN 255
/* EXISTS is server input: beyond this many messages append() fails
 * instead of allocating whatever the server announces. */
#define MODEL_INDEX_DEFAULT_MAX_MESSAGES 10000000u

/* System flags (RFC 9051 2.3.2) as bits. */
#define MODEL_INDEX_FLAG_SEEN 0x01
#define MODEL_INDEX_FLAG_ANSWERED 0x02
#define MODEL_INDEX_FLAG_FLAGGED 0x04
#define MODEL_INDEX_FLAG_DELETED 0x08
#define MODEL_INDEX_FLAG_DRAFT 0x10
#define MODEL_INDEX_FLAG_RECENT 0x20

/* Which fields a FETCH carried, and which a message has. */
#define MODEL_INDEX_FIELD_UID 0x01
#define MODEL_INDEX_FIELD_FLAGS 0x02
#define MODEL_INDEX_FIELD_SIZE 0x04	    /* RFC822.SIZE */
#define MODEL_INDEX_FIELD_INTERNALDATE 0x08
#define MODEL_INDEX_FIELD_MODSEQ 0x10
#define MODEL_INDEX_FIELD_ENVELOPE 0x20 /* date, from, subject */
#define MODEL_INDEX_FIELD_DATE 0x40	    /* read only: a valid Date: */

/* Why a summary is incomplete. */
#define MODEL_INDEX_TRUNC_FROM 0x01
#define MODEL_INDEX_TRUNC_SUBJECT 0x02
#define MODEL_INDEX_TRUNC_KEYWORDS 0x04

/* What one FETCH response told about one message. Only the fields named
 * in `fields` are read. Strings need not be NUL-terminated; NULL is NIL
 * (an empty string). */
struct model_index_fetch {
	unsigned int fields; /* MODEL_INDEX_FIELD_* */
	uint32_t uid;
	const char *const *flags; /* flag names as sent, "\Seen" or "$Junk" */
	size_t n_flags;
	uint64_t size;
	int64_t internaldate;	  /* seconds since the epoch, UTC */
	int internaldate_tz;	  /* its zone, minutes east of UTC */
	uint64_t modseq;
	bool date_valid;	  /* the envelope's date parsed */
	int64_t date;		  /* the envelope's date, as internaldate */
	int date_tz;
	const char *from;	  /* display form of the first From */
	size_t from_len;
	const char *subject;	  /* decoded subject */
	size_t subject_len;
};

/* One message as the views see it. The pointers are valid until the next
 * call that changes the index. */
struct model_index_entry {
	uint32_t msn;
	uint32_t uid;	      /* 0 while unknown */
	unsigned int fields;  /* MODEL_INDEX_FIELD_* known */
	unsigned int truncated; /* MODEL_INDEX_TRUNC_* */
	unsigned int flags;   /* MODEL_INDEX_FLAG_* */
	const uint16_t *keywords; /* ids, ascending: model_index_keyword_name */
	size_t n_keywords;
	uint64_t size;
	uint64_t modseq;
	int64_t internaldate;
	int internaldate_tz;
	int64_t date;
	int date_tz;
	const char *from;     /* never NULL */
	const char *subject;  /* never NULL */
};

/* Sortable columns. DATE is the Date: header, falling back to the
 * INTERNALDATE when it is missing (RFC 5256 3, SORT DATE); ARRIVAL is the
 * INTERNALDATE. SUBJECT compares the base subject ("Re: ", "Fwd: " and
 * "[list]" prefixes removed, RFC 5256 2.1) and FROM the display string,
 * both with i;ascii-casemap. FLAGS compares the MODEL_INDEX_FLAG_* bits as
 * a number, then the number of keywords. A missing value sorts first.
 * SEQ and UID are the same order (UIDs ascend with MSNs). */
enum model_index_column {
	MODEL_INDEX_COL_SEQ,
	MODEL_INDEX_COL_UID,
	MODEL_INDEX_COL_SIZE,
	MODEL_INDEX_COL_DATE,
	MODEL_INDEX_COL_ARRIVAL,
	MODEL_INDEX_COL_FROM,
	MODEL_INDEX_COL_SUBJECT,
	MODEL_INDEX_COL_FLAGS,
	MODEL_INDEX_COL_MODSEQ,
};

const char *model_index_column_name(enum model_index_column col);

/* How the views hear about changes. The listener must not change the
 * index from inside the callback. */
enum model_index_change_type {
	MODEL_INDEX_CHANGE_RESET,    /* all of it: another mailbox, or none */
	MODEL_INDEX_CHANGE_APPENDED, /* msn .. msn + count - 1 are new */
	MODEL_INDEX_CHANGE_UPDATED,  /* msn's `fields` were (re)set */
	MODEL_INDEX_CHANGE_REMOVED,  /* msn (uid, 0 if unknown) is gone, and
					later messages moved down by one */
};

struct model_index_change {
	enum model_index_change_type type;
	uint32_t msn;
	uint32_t count;
	uint32_t uid;
	unsigned int fields;
};

typedef void model_index_listener_t(void *ctx,
    const struct model_index_change *change);

/* A UID range lo:hi of a VANISHED response. */
struct model_index_uid_range {
	uint32_t lo;
	uint32_t hi;
};

/* Internal counters, for tests, benchmarks and a debug view. */
struct model_index_stats {
	uint32_t messages;
	uint32_t unknown_uids; /* messages whose UID is not known yet */
	uint32_t slots;	       /* messages plus tombstones */
	uint32_t strings;      /* distinct interned strings */
	uint64_t string_bytes; /* arena bytes in use */
	uint32_t keywords;
	uint32_t keyword_sets;
	uint64_t sorts;	       /* full sorts done so far */
	uint64_t compactions;
};

struct model_index;

/* max_messages 0 means MODEL_INDEX_DEFAULT_MAX_MESSAGES. */
struct model_index *model_index_new(uint32_t max_messages);
void model_index_free(struct model_index **idx);

/* Forget every message (SELECT, EXAMINE, UNSELECT, CLOSE). The sort column
 * is kept: it is the view's choice, not the mailbox's. */
void model_index_reset(struct model_index *idx);

void model_index_set_listener(struct model_index *idx,
    model_index_listener_t *listener, void *ctx);
/* Bumped by every change the listener hears about. */
uint64_t model_index_generation(const struct model_index *idx);

uint32_t model_index_count(const struct model_index *idx);
/* How many messages lack \Seen, kept as FETCH FLAGS and expunges come
 * (O(1)); false while some message's flags are not known yet. */
bool model_index_unseen(const struct model_index *idx, uint32_t *unseen_r);

/* EXISTS growth: count new messages at the end, UIDs unknown. O(count
 * log n). Fails beyond max_messages. */
int model_index_append(struct model_index *idx, uint32_t count,
    const char **error_r);

/* A UID learnt from FETCH. Fails (and changes nothing) if msn is out of
 * range, uid is 0, the message already has another UID, or uid would not
 * ascend with the MSNs. O(log n). */
int model_index_set_uid(struct model_index *idx, uint32_t msn, uint32_t uid,
    const char **error_r);

/* Both O(log n); 0 when there is no such message (or UID unknown). */
uint32_t model_index_msn_to_uid(const struct model_index *idx, uint32_t msn);
uint32_t model_index_uid_to_msn(const struct model_index *idx, uint32_t uid);

/* EXPUNGE (RFC 9051 7.5.1): remove msn; later MSNs move down by one.
 * O(log n) amortized. */
int model_index_expunge(struct model_index *idx, uint32_t msn,
    const char **error_r);

/* VANISHED without EARLIER (RFC 7162 3.2.10.2): remove the live messages
 * whose UID is in the ranges, which may overlap and come in any order.
 * UIDs that are not in the index are ignored (RFC 7162 allows them).
 * A message whose UID is unknown is removed when the known UIDs around it
 * prove its UID is in the set; when they only say it might be, it is
 * kept and counted in *ambiguous_r (may be NULL): the caller should ask
 * for UIDs (the MSNs may be off). Returns the number removed.
 * O((k + u) log n) for k removed and u unknown-UID messages in the span.
 * VANISHED (EARLIER) does not change the MSNs: do not pass it here. */
uint32_t model_index_vanished(struct model_index *idx,
    const struct model_index_uid_range *ranges, size_t n_ranges,
    uint32_t *ambiguous_r);

/* One FETCH response for msn. With MODEL_INDEX_FIELD_UID it fails like
 * model_index_set_uid, and then changes nothing. O(log n), plus the
 * strings and flags. */
int model_index_update(struct model_index *idx, uint32_t msn,
    const struct model_index_fetch *fetch, const char **error_r);

/* Fill *entry_r for msn; false if there is no such message. O(log n). */
bool model_index_get(const struct model_index *idx, uint32_t msn,
    struct model_index_entry *entry_r);

/* The name of a keyword id from an entry. */
const char *model_index_keyword_name(const struct model_index *idx,
    uint16_t id);
/* "\Seen" for MODEL_INDEX_FLAG_SEEN, and so on; NULL for anything else. */
const char *model_index_flag_name(unsigned int flag);

/* Choose the display order and sort now: O(n log n), stable (ties keep
 * MSN order); descending is the exact reverse of ascending. */
void model_index_sort(struct model_index *idx, enum model_index_column col,
    bool descending);
enum model_index_column model_index_sort_column(const struct model_index *idx,
    bool *descending_r);
/* Rows are 1 .. count in display order. Both re-sort first if appends or
 * changes made the order stale; otherwise O(log n). 0 when out of
 * range. */
uint32_t model_index_row_to_msn(struct model_index *idx, uint32_t row);
uint32_t model_index_msn_to_row(struct model_index *idx, uint32_t msn);

/* Search, in display order: the first row after row `after` (0: from
 * the first row; it wraps around, `after` itself last) whose sender or
 * subject contains text, ASCII case-insensitively (as strcasestr); 0 if
 * none does. Re-sorts first if the order is stale. O(n) at worst, but
 * a walk of the order with one word-at-a-time scan per string, and a
 * string many messages share (a sender) mostly scanned once. */
uint32_t model_index_find(struct model_index *idx, uint32_t after,
    const char *text);

/* Drop tombstones and unused strings now (the index also does it by
 * itself when they outnumber the live data). O(n + string bytes). */
void model_index_compact(struct model_index *idx);

void model_index_get_stats(const struct model_index *idx,
    struct model_index_stats *stats_r);

#endif
