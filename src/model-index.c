/* model-index: the selected mailbox's message index (see model-index.h for
 * the data structure and its costs). */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "model-index.h"
#include "util-log.h"
#include "util-mem.h"
#include "util-u64set.h"
#include "util-word.h"

/* Tombstones and dropped strings are compacted once they outnumber the
 * live messages, but not for fewer than this many: small mailboxes would
 * otherwise compact on every expunge. */
#define COMPACT_MIN 1024

/* Strings live in fixed chunks, so growing never moves them and a string
 * is named by a 32-bit offset: chunk << CHUNK_SHIFT | position. Offset 0
 * is the empty string. */
#define CHUNK_SHIFT 18
#define CHUNK_SIZE ((uint32_t)1 << CHUNK_SHIFT)
#define MAX_CHUNKS ((uint32_t)1 << (32 - CHUNK_SHIFT))
/* Zero bytes after each chunk, so the sort may read any string 8 bytes
 * at a time (prefix_key), and the search a chunk 16 bytes at a time
 * plus one (find_chunk). */
#define CHUNK_PAD 32

#define TABLE_MIN 256 /* initial size of the hash tables, a power of 2 */

/* msg.have: MODEL_INDEX_FIELD_* bits (UID aside: it is uid != 0), the
 * MODEL_INDEX_TRUNC_* bits shifted up, and a tombstone bit. */
#define HAVE_FIELDS 0x7e
#define HAVE_TRUNC_SHIFT 8
#define HAVE_TRUNC_BITS 0x07
#define HAVE_DEAD 0x8000
/* The fields a FETCH may carry. */
#define FETCH_FIELDS 0x3f

/* One message in 56 bytes. Strings are arena offsets, keywords an
 * interned keyword set. */
struct msg {
	uint64_t size;
	uint64_t modseq;
	int64_t internaldate;
	int64_t date;
	uint32_t uid;	  /* 0 while unknown */
	uint32_t from;	  /* arena offset */
	uint32_t subject; /* arena offset */
	uint32_t kwset;	  /* 0 is the empty set */
	int16_t internaldate_tz;
	int16_t date_tz;
	uint16_t have;
	uint8_t sysflags;
	uint8_t subject_base; /* where the RFC 5256 base subject starts */
};

struct strtab {
	char **chunks;
	uint32_t n_chunks;
	uint32_t used;	   /* bytes used in the last chunk */
	uint32_t *table;   /* open addressing, arena offsets, 0 = free */
	uint32_t mask;	   /* table size - 1 */
	uint32_t count;	   /* distinct strings */
	uint64_t bytes;
};

struct kwset {
	uint32_t start; /* in set_pool */
	uint32_t n;
};

/* An item being sorted: the column's key, or for strings 8 case-folded
 * bytes of the string (str) at the depth being sorted. */
struct sort_item {
	uint64_t key;
	uint32_t slot;
	uint32_t str;
};

struct model_index {
	uint32_t max_messages;
	uint64_t seed; /* hash seed, so a server cannot aim at collisions */

	/* Slots are 1-based (index 0 is unused), as the Fenwick trees. */
	struct msg *msgs;
	uint32_t *live;	  /* Fenwick tree: live messages per range */
	uint32_t *uidmax; /* Fenwick tree: largest known UID per range */
	uint32_t n_slots;
	uint32_t alloc_slots;
	uint32_t n_live;
	uint32_t n_dead;
	uint32_t n_unknown; /* live messages with UID 0 */
	uint32_t n_flagged; /* live messages whose flags are known */
	uint32_t n_unseen;  /* ... of those, the ones without \Seen */
	uint32_t garbage;   /* strings replaced on live messages since the
			       last compaction (a tombstone's are counted
			       by the tombstone) */

	struct strtab strings;

	char **kw_names;
	uint32_t n_kw;
	uint16_t *kw_table; /* keyword id + 1, 0 = free */
	uint32_t kw_mask;

	struct kwset *sets; /* sets[0] is the empty set */
	uint32_t n_sets;
	uint32_t alloc_sets;
	uint16_t *set_pool;
	uint32_t pool_len;
	uint32_t pool_alloc;
	uint32_t *set_table; /* set id, 0 = free */
	uint32_t set_mask;

	/* The display order: order[1..order_len] are slots, order_live a
	 * Fenwick tree of the positions still alive, order_pos[slot] the
	 * position of a slot (0 = none). Unused for SEQ and UID. */
	enum model_index_column sort_col;
	bool sort_desc;
	bool sort_stale;
	uint32_t *order;
	uint32_t *order_live;
	uint32_t *order_pos;
	uint32_t order_len;

	model_index_listener_t *listener;
	void *listener_ctx;
	uint64_t generation;
	uint64_t sorts;
	uint64_t compactions;
	char error[200];
};

static const char *const column_names[] = {
	[MODEL_INDEX_COL_SEQ] = "seq",
	[MODEL_INDEX_COL_UID] = "uid",
	[MODEL_INDEX_COL_SIZE] = "size",
	[MODEL_INDEX_COL_DATE] = "date",
	[MODEL_INDEX_COL_ARRIVAL] = "arrival",
	[MODEL_INDEX_COL_FROM] = "from",
	[MODEL_INDEX_COL_SUBJECT] = "subject",
	[MODEL_INDEX_COL_FLAGS] = "flags",
	[MODEL_INDEX_COL_MODSEQ] = "modseq",
};

/* The FETCH fields each column's key depends on: a change to one of them
 * makes that sort order stale. 0 means the column needs no order array. */
static const unsigned int column_fields[] = {
	[MODEL_INDEX_COL_SEQ] = 0,
	[MODEL_INDEX_COL_UID] = 0,
	[MODEL_INDEX_COL_SIZE] = MODEL_INDEX_FIELD_SIZE,
	[MODEL_INDEX_COL_DATE] = MODEL_INDEX_FIELD_ENVELOPE |
	    MODEL_INDEX_FIELD_INTERNALDATE,
	[MODEL_INDEX_COL_ARRIVAL] = MODEL_INDEX_FIELD_INTERNALDATE,
	[MODEL_INDEX_COL_FROM] = MODEL_INDEX_FIELD_ENVELOPE,
	[MODEL_INDEX_COL_SUBJECT] = MODEL_INDEX_FIELD_ENVELOPE,
	[MODEL_INDEX_COL_FLAGS] = MODEL_INDEX_FIELD_FLAGS,
	[MODEL_INDEX_COL_MODSEQ] = MODEL_INDEX_FIELD_MODSEQ,
};

static const struct {
	const char *name;
	unsigned int bit;
} system_flags[] = {
	{ "\\Seen", MODEL_INDEX_FLAG_SEEN },
	{ "\\Answered", MODEL_INDEX_FLAG_ANSWERED },
	{ "\\Flagged", MODEL_INDEX_FLAG_FLAGGED },
	{ "\\Deleted", MODEL_INDEX_FLAG_DELETED },
	{ "\\Draft", MODEL_INDEX_FLAG_DRAFT },
	{ "\\Recent", MODEL_INDEX_FLAG_RECENT },
};

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

static const char *__attribute__((format(printf, 2, 3)))
set_error(struct model_index *idx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(idx->error, sizeof(idx->error), fmt, ap);
	va_end(ap);
	return idx->error;
}

/* --- Fenwick trees ---------------------------------------------------- */

static inline uint32_t
lowbit(uint32_t i)
{
	return i & (~i + 1);
}

/* The largest power of 2 <= n: where a Fenwick descent starts. */
static inline uint32_t
highbit(uint32_t n)
{
	if (n == 0)
		return 0;
	return (uint32_t)1 << (31 - __builtin_clz(n));
}

static void
fen_add(uint32_t *t, uint32_t n, uint32_t i, uint32_t delta)
{
	/* Index 0 would loop forever (lowbit(0) == 0). */
	if (i == 0)
		fatal("model-index: Fenwick update at index 0");
	for (; i <= n; i += lowbit(i))
		t[i] += delta; /* delta (uint32_t)-1 subtracts, mod 2^32 */
}

static uint32_t
fen_prefix(const uint32_t *t, uint32_t i)
{
	uint32_t sum = 0;

	for (; i > 0; i -= lowbit(i))
		sum += t[i];
	return sum;
}

/* The smallest i with prefix(i) >= k, for 1 <= k <= prefix(n). */
static uint32_t
fen_find(const uint32_t *t, uint32_t n, uint32_t k)
{
	uint32_t pos = 0, step;

	for (step = highbit(n); step != 0; step >>= 1) {
		if (pos + step <= n && t[pos + step] < k) {
			pos += step;
			k -= t[pos];
		}
	}
	return pos + 1;
}

/* Node n covers (n - lowbit(n), n]: itself plus the nodes below it. Used
 * to grow a tree by one element in O(log n). */
static void
fen_push(uint32_t *t, uint32_t n, uint32_t value)
{
	uint32_t j, sum = value;

	for (j = n - 1; j > n - lowbit(n); j -= lowbit(j))
		sum += t[j];
	t[n] = sum;
}

/* All n elements are 1: each node holds the size of its range. */
static void
fen_fill_ones(uint32_t *t, uint32_t n)
{
	uint32_t i;

	for (i = 1; i <= n; i++)
		t[i] = lowbit(i);
}

/* The max trees hold, per node, the largest known UID in its range. UIDs
 * only ever go from 0 to their value, so max is updatable in place. */
static void
max_raise(uint32_t *t, uint32_t n, uint32_t i, uint32_t value)
{
	if (i == 0)
		fatal("model-index: Fenwick update at index 0");
	for (; i <= n; i += lowbit(i))
		if (t[i] < value)
			t[i] = value;
}

static uint32_t
max_prefix(const uint32_t *t, uint32_t i)
{
	uint32_t m = 0;

	for (; i > 0; i -= lowbit(i))
		if (t[i] > m)
			m = t[i];
	return m;
}

static void
max_push(uint32_t *t, uint32_t n, uint32_t value)
{
	uint32_t j, m = value;

	for (j = n - 1; j > n - lowbit(n); j -= lowbit(j))
		if (t[j] > m)
			m = t[j];
	t[n] = m;
}

/* t[i] holds element i; turn it into a max tree in O(n). */
static void
max_build(uint32_t *t, uint32_t n)
{
	uint32_t i, j;

	for (i = 1; i <= n; i++) {
		j = i + lowbit(i);
		if (j <= n && t[j] < t[i])
			t[j] = t[i];
	}
}

/* --- hashing ------------------------------------------------------------ */

static uint32_t
hash_bytes(uint64_t seed, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL), w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = u64_mix(h ^ w);
	}
	w = 0;
	memcpy(&w, p, len);
	return (uint32_t)u64_mix(h ^ w);
}

/* --- the string arena --------------------------------------------------- */

static const char *
strtab_get(const struct strtab *t, uint32_t off)
{
	if (off == 0)
		return "";
	return t->chunks[off >> CHUNK_SHIFT] + (off & (CHUNK_SIZE - 1));
}

static void
strtab_free(struct strtab *t)
{
	uint32_t i;

	for (i = 0; i < t->n_chunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	free(t->table);
	memset(t, 0, sizeof(*t));
}

/* Copy a string into the arena; 0 if the arena is full (4 GiB: beyond
 * what max_messages allows, so only a safety net). */
static uint32_t
strtab_store(struct strtab *t, const char *s, size_t len)
{
	uint32_t off;

	if (t->n_chunks == 0 || CHUNK_SIZE - t->used < len + 1) {
		if (t->n_chunks == MAX_CHUNKS)
			return 0;
		t->chunks = xreallocarray(t->chunks, t->n_chunks + 1,
		    sizeof(*t->chunks));
		t->chunks[t->n_chunks++] = xcalloc(1, CHUNK_SIZE + CHUNK_PAD);
		t->used = 0;
		if (t->n_chunks == 1) {
			/* Offset 0 is the empty string. */
			t->chunks[0][0] = '\0';
			t->used = 1;
		}
	}
	off = (t->n_chunks - 1) << CHUNK_SHIFT | t->used;
	memcpy(t->chunks[t->n_chunks - 1] + t->used, s, len);
	t->chunks[t->n_chunks - 1][t->used + len] = '\0';
	t->used += len + 1;
	t->bytes += len + 1;
	return off;
}

static void
strtab_grow(struct strtab *t, uint64_t seed)
{
	uint32_t size = t->table == NULL ? TABLE_MIN : (t->mask + 1) * 2;
	uint32_t *table = xcalloc(size, sizeof(*table));
	uint32_t i, j, off;
	const char *s;

	for (i = 0; t->table != NULL && i <= t->mask; i++) {
		if ((off = t->table[i]) == 0)
			continue;
		s = strtab_get(t, off);
		j = hash_bytes(seed, s, strlen(s)) & (size - 1);
		while (table[j] != 0)
			j = (j + 1) & (size - 1);
		table[j] = off;
	}
	free(t->table);
	t->table = table;
	t->mask = size - 1;
}

/* One copy of each distinct string: senders and thread subjects repeat. */
static uint32_t
strtab_intern(struct strtab *t, uint64_t seed, const char *s, size_t len)
{
	uint32_t i, off;
	const char *cur;

	if (len == 0)
		return 0;
	if (t->table == NULL || (t->count + 1) * 2 > t->mask + 1)
		strtab_grow(t, seed);
	for (i = hash_bytes(seed, s, len) & t->mask; t->table[i] != 0;
	    i = (i + 1) & t->mask) {
		/* strncmp stops at the stored string's end: a shorter one at
		 * the end of a chunk must not be read past. */
		cur = strtab_get(t, t->table[i]);
		if (strncmp(cur, s, len) == 0 && cur[len] == '\0')
			return t->table[i];
	}
	if ((off = strtab_store(t, s, len)) == 0)
		return 0;
	t->table[i] = off;
	t->count++;
	return off;
}

/* --- keywords and keyword sets ------------------------------------------- */

static void
kw_grow(struct model_index *idx)
{
	uint32_t size = idx->kw_table == NULL ? TABLE_MIN :
	    (idx->kw_mask + 1) * 2;
	uint16_t *table = xcalloc(size, sizeof(*table));
	uint32_t id, j;
	const char *name;

	for (id = 0; id < idx->n_kw; id++) {
		name = idx->kw_names[id];
		j = hash_bytes(idx->seed, name, strlen(name)) & (size - 1);
		while (table[j] != 0)
			j = (j + 1) & (size - 1);
		table[j] = (uint16_t)(id + 1);
	}
	free(idx->kw_table);
	idx->kw_table = table;
	idx->kw_mask = size - 1;
}

/* The id of a keyword, added if new; -1 beyond the caps. Keywords keep
 * the server's spelling: the workbench shows what was sent. */
static int
kw_intern(struct model_index *idx, const char *name)
{
	size_t len = strlen(name);
	uint32_t i;

	if (len == 0 || len > MODEL_INDEX_MAX_KEYWORD_LEN)
		return -1;
	if (idx->kw_table == NULL || (idx->n_kw + 1) * 2 > idx->kw_mask + 1)
		kw_grow(idx);
	for (i = hash_bytes(idx->seed, name, len) & idx->kw_mask;
	    idx->kw_table[i] != 0; i = (i + 1) & idx->kw_mask) {
		if (strcmp(idx->kw_names[idx->kw_table[i] - 1], name) == 0)
			return idx->kw_table[i] - 1;
	}
	if (idx->n_kw == MODEL_INDEX_MAX_KEYWORDS)
		return -1;
	idx->kw_names = xreallocarray(idx->kw_names, idx->n_kw + 1,
	    sizeof(*idx->kw_names));
	idx->kw_names[idx->n_kw] = xstrndup(name, len);
	idx->kw_table[i] = (uint16_t)(idx->n_kw + 1);
	return (int)idx->n_kw++;
}

static void
set_grow(struct model_index *idx)
{
	uint32_t size = idx->set_table == NULL ? TABLE_MIN :
	    (idx->set_mask + 1) * 2;
	uint32_t *table = xcalloc(size, sizeof(*table));
	uint32_t id, j;
	const struct kwset *set;

	for (id = 1; id < idx->n_sets; id++) {
		set = &idx->sets[id];
		j = hash_bytes(idx->seed, idx->set_pool + set->start,
		    set->n * sizeof(uint16_t)) & (size - 1);
		while (table[j] != 0)
			j = (j + 1) & (size - 1);
		table[j] = id;
	}
	free(idx->set_table);
	idx->set_table = table;
	idx->set_mask = size - 1;
}

/* Messages share few distinct keyword combinations, so each message holds
 * the id of one interned, sorted set. */
static uint32_t
set_intern(struct model_index *idx, const uint16_t *ids, uint32_t n)
{
	const struct kwset *set;
	uint32_t i, id;
	size_t bytes = n * sizeof(*ids);

	if (n == 0)
		return 0;
	if (idx->set_table == NULL || idx->n_sets * 2 > idx->set_mask + 1)
		set_grow(idx);
	for (i = hash_bytes(idx->seed, ids, bytes) & idx->set_mask;
	    idx->set_table[i] != 0; i = (i + 1) & idx->set_mask) {
		set = &idx->sets[idx->set_table[i]];
		if (set->n == n &&
		    memcmp(idx->set_pool + set->start, ids, bytes) == 0)
			return idx->set_table[i];
	}
	if (idx->pool_len + n > idx->pool_alloc) {
		idx->pool_alloc = idx->pool_alloc * 2 + n + 64;
		idx->set_pool = xreallocarray(idx->set_pool, idx->pool_alloc,
		    sizeof(*idx->set_pool));
	}
	if (idx->n_sets == idx->alloc_sets) {
		idx->alloc_sets = idx->alloc_sets * 2 + 16;
		idx->sets = xreallocarray(idx->sets, idx->alloc_sets,
		    sizeof(*idx->sets));
	}
	memcpy(idx->set_pool + idx->pool_len, ids, bytes);
	id = idx->n_sets++;
	idx->sets[id].start = idx->pool_len;
	idx->sets[id].n = n;
	idx->pool_len += n;
	idx->set_table[i] = id;
	return id;
}

static unsigned int
system_flag(const char *name)
{
	size_t i;

	for (i = 0; i < N_ELEMENTS(system_flags); i++)
		if (strcasecmp(name, system_flags[i].name) == 0)
			return system_flags[i].bit;
	return 0;
}

/* FETCH FLAGS replaces the whole set (RFC 9051 7.5.2). */
static void
apply_flags(struct model_index *idx, struct msg *m,
    const char *const *names, size_t n)
{
	uint16_t ids[MODEL_INDEX_MAX_MESSAGE_KEYWORDS], id;
	uint32_t n_ids = 0, i, j;
	unsigned int sys = 0, bit;
	bool trunc = false;
	int kw;

	for (i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		if ((bit = system_flag(names[i])) != 0) {
			sys |= bit;
			continue;
		}
		if ((kw = kw_intern(idx, names[i])) < 0 ||
		    n_ids == MODEL_INDEX_MAX_MESSAGE_KEYWORDS) {
			trunc = true;
			continue;
		}
		/* Insertion sort: at most 64 ids, mostly 0 to 3. */
		id = (uint16_t)kw;
		for (j = 0; j < n_ids && ids[j] != id; j++)
			;
		if (j < n_ids)
			continue; /* the server repeated it */
		for (j = n_ids; j > 0 && ids[j - 1] > id; j--)
			ids[j] = ids[j - 1];
		ids[j] = id;
		n_ids++;
	}
	m->sysflags = (uint8_t)sys;
	m->kwset = set_intern(idx, ids, n_ids);
	if (trunc)
		m->have |= MODEL_INDEX_TRUNC_KEYWORDS << HAVE_TRUNC_SHIFT;
	else
		m->have &= ~(MODEL_INDEX_TRUNC_KEYWORDS << HAVE_TRUNC_SHIFT);
}

/* --- summary strings ---------------------------------------------------- */

/* Cut at most max bytes without splitting a UTF-8 sequence (at most 3
 * continuation bytes are stepped back over; invalid text is cut anyway). */
static size_t
utf8_cut(const char *s, size_t max)
{
	size_t n = max;

	while (n > 0 && max - n < 3 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return ((unsigned char)s[n] & 0xc0) == 0x80 ? max : n;
}

static uint32_t
intern_summary(struct model_index *idx, const char *s, size_t len,
    size_t max, bool *trunc_r)
{
	const char *nul;

	*trunc_r = false;
	if (s == NULL)
		return 0;
	if ((nul = memchr(s, '\0', len)) != NULL)
		len = (size_t)(nul - s);
	if (len > max) {
		len = utf8_cut(s, max);
		*trunc_r = true;
	}
	return strtab_intern(&idx->strings, idx->seed, s, len);
}

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 5256 2.1 subj-blob: "[" *BLOBCHAR "]" *WSP; the length, or 0. */
static size_t
subject_blob(const char *s)
{
	size_t i;

	if (s[0] != '[')
		return 0;
	for (i = 1; s[i] != '\0' && s[i] != '[' && s[i] != ']'; i++)
		;
	if (s[i] != ']')
		return 0;
	for (i++; is_wsp(s[i]); i++)
		;
	return i;
}

/* RFC 5256 2.1 subj-refwd: ("re" / ("fw" ["d"])) *WSP [subj-blob] ":". */
static size_t
subject_refwd(const char *s)
{
	size_t i;

	if (strncasecmp(s, "re", 2) == 0)
		i = 2;
	else if (strncasecmp(s, "fwd", 3) == 0)
		i = 3;
	else if (strncasecmp(s, "fw", 2) == 0)
		i = 2;
	else
		return 0;
	for (; is_wsp(s[i]); i++)
		;
	i += subject_blob(s + i);
	return s[i] == ':' ? i + 1 : 0;
}

/* Where the base subject starts: the leading part of RFC 5256 2.1 (steps
 * 2 to 5; trailing "(fwd)" and "[fwd: ...]" wrapping are left alone). */
static uint8_t
subject_base(const char *s)
{
	size_t pos = 0, n;

	for (;;) {
		while (is_wsp(s[pos]))
			pos++;
		if ((n = subject_refwd(s + pos)) != 0) {
			pos += n;
			continue;
		}
		/* A blob is dropped only if something follows it. */
		n = subject_blob(s + pos);
		if (n != 0 && s[pos + n] != '\0') {
			pos += n;
			continue;
		}
		return (uint8_t)pos; /* <= MODEL_INDEX_MAX_SUBJECT */
	}
}

/* --- slots -------------------------------------------------------------- */

static void
reserve_slots(struct model_index *idx, uint32_t need)
{
	uint32_t alloc;

	if (need <= idx->alloc_slots)
		return;
	/* EXISTS usually announces the whole mailbox at once: take exactly
	 * that; grow by half for the trickle of new mail after. */
	alloc = idx->alloc_slots + idx->alloc_slots / 2;
	if (alloc < need)
		alloc = need;
	idx->msgs = xreallocarray(idx->msgs, (size_t)alloc + 1,
	    sizeof(*idx->msgs));
	idx->live = xreallocarray(idx->live, (size_t)alloc + 1,
	    sizeof(*idx->live));
	idx->uidmax = xreallocarray(idx->uidmax, (size_t)alloc + 1,
	    sizeof(*idx->uidmax));
	idx->alloc_slots = alloc;
}

/* The EXISTS after a SELECT: zeroed memory from calloc (for a large
 * mailbox, pages the kernel zeroes when a FETCH first writes them, while
 * the server is sending, not before the FETCH is sent), every slot
 * live, no UID known: the trees are built in one pass. */
static void
first_slots(struct model_index *idx, uint32_t count)
{
	idx->msgs = xcalloc((size_t)count + 1, sizeof(*idx->msgs));
	idx->live = xcalloc((size_t)count + 1, sizeof(*idx->live));
	idx->uidmax = xcalloc((size_t)count + 1, sizeof(*idx->uidmax));
	fen_fill_ones(idx->live, count);
	idx->alloc_slots = idx->n_slots = count;
}

/* Without tombstones (no expunge since the last compaction) slots are
 * MSNs, and the trees need not be walked. */
static uint32_t
msn_slot(const struct model_index *idx, uint32_t msn)
{
	if (idx->n_dead == 0)
		return msn;
	return fen_find(idx->live, idx->n_slots, msn);
}

static uint32_t
slot_msn(const struct model_index *idx, uint32_t slot)
{
	if (idx->n_dead == 0)
		return slot;
	return fen_prefix(idx->live, slot);
}

/* The first slot, live or not, whose known UID is >= uid; 0 if none.
 * Known UIDs ascend with the slots, so the prefix maximum is monotone and
 * a Fenwick descent finds the boundary. */
static uint32_t
first_known_ge(const struct model_index *idx, uint32_t uid)
{
	uint32_t pos = 0, step, n = idx->n_slots;

	for (step = highbit(n); step != 0; step >>= 1)
		if (pos + step <= n && idx->uidmax[pos + step] < uid)
			pos += step;
	return pos + 1 <= n ? pos + 1 : 0;
}

static void
notify(struct model_index *idx, enum model_index_change_type type,
    uint32_t msn, uint32_t count, uint32_t uid, unsigned int fields)
{
	struct model_index_change change = {
		.type = type,
		.msn = msn,
		.count = count,
		.uid = uid,
		.fields = fields,
	};

	idx->generation++;
	if (idx->listener != NULL)
		idx->listener(idx->listener_ctx, &change);
}

static bool
sort_uses_order(const struct model_index *idx)
{
	return column_fields[idx->sort_col] != 0;
}

/* Keep n_flagged and n_unseen: add (+1) or take away (-1) a message. */
static void
count_flags(struct model_index *idx, const struct msg *m, int sign)
{
	if ((m->have & MODEL_INDEX_FIELD_FLAGS) == 0)
		return;
	idx->n_flagged += (uint32_t)sign;
	if ((m->sysflags & MODEL_INDEX_FLAG_SEEN) == 0)
		idx->n_unseen += (uint32_t)sign;
}

static void
remove_slot(struct model_index *idx, uint32_t slot, uint32_t msn)
{
	struct msg *m = &idx->msgs[slot];

	m->have |= HAVE_DEAD;
	fen_add(idx->live, idx->n_slots, slot, (uint32_t)-1);
	idx->n_live--;
	idx->n_dead++;
	if (m->uid == 0)
		idx->n_unknown--;
	count_flags(idx, m, -1);
	if (sort_uses_order(idx) && !idx->sort_stale)
		fen_add(idx->order_live, idx->order_len,
		    idx->order_pos[slot], (uint32_t)-1);
	notify(idx, MODEL_INDEX_CHANGE_REMOVED, msn, 1, m->uid, 0);
}

/* --- compaction --------------------------------------------------------- */

/* Move the live slots down. A valid sort order follows: each order[]
 * entry gets its slot's new number, or 0 for a tombstone, for
 * compact_order() to drop. */
static void
compact_slots(struct model_index *idx, bool remap_order)
{
	uint32_t old, new = 0, pos;

	for (old = 1; old <= idx->n_slots; old++) {
		pos = remap_order ? idx->order_pos[old] : 0;
		if ((idx->msgs[old].have & HAVE_DEAD) != 0) {
			if (pos != 0)
				idx->order[pos] = 0;
			continue;
		}
		idx->msgs[++new] = idx->msgs[old];
		if (pos != 0)
			idx->order[pos] = new;
	}
	idx->n_slots = new;
	idx->n_dead = 0;
	fen_fill_ones(idx->live, new);
	for (old = 1; old <= new; old++)
		idx->uidmax[old] = idx->msgs[old].uid;
	max_build(idx->uidmax, new);
}

static void
compact_order(struct model_index *idx)
{
	uint32_t pos, len = 0;

	for (pos = 1; pos <= idx->order_len; pos++)
		if (idx->order[pos] != 0)
			idx->order[++len] = idx->order[pos];
	idx->order_len = len;
	memset(idx->order_pos, 0,
	    ((size_t)idx->n_slots + 1) * sizeof(*idx->order_pos));
	for (pos = 1; pos <= len; pos++)
		idx->order_pos[idx->order[pos]] = pos;
	fen_fill_ones(idx->order_live, len);
}

/* Re-intern the strings of the live messages into a fresh arena. */
static void
compact_strings(struct model_index *idx)
{
	struct strtab fresh;
	struct msg *m;
	const char *s;
	uint32_t slot;

	memset(&fresh, 0, sizeof(fresh));
	for (slot = 1; slot <= idx->n_slots; slot++) {
		m = &idx->msgs[slot];
		s = strtab_get(&idx->strings, m->from);
		m->from = strtab_intern(&fresh, idx->seed, s, strlen(s));
		s = strtab_get(&idx->strings, m->subject);
		m->subject = strtab_intern(&fresh, idx->seed, s, strlen(s));
	}
	strtab_free(&idx->strings);
	idx->strings = fresh;
	idx->garbage = 0;
}

static void
shrink_slots(struct model_index *idx)
{
	uint32_t alloc = idx->n_slots + idx->n_slots / 4 + 16;

	if (idx->alloc_slots <= alloc * 2)
		return;
	idx->msgs = xreallocarray(idx->msgs, (size_t)alloc + 1,
	    sizeof(*idx->msgs));
	idx->live = xreallocarray(idx->live, (size_t)alloc + 1,
	    sizeof(*idx->live));
	idx->uidmax = xreallocarray(idx->uidmax, (size_t)alloc + 1,
	    sizeof(*idx->uidmax));
	idx->alloc_slots = alloc;
}

void
model_index_compact(struct model_index *idx)
{
	bool remap = sort_uses_order(idx) && !idx->sort_stale &&
	    idx->order != NULL;

	if (idx->n_dead == 0 && idx->garbage == 0)
		return;
	compact_slots(idx, remap);
	if (remap)
		compact_order(idx);
	compact_strings(idx);
	shrink_slots(idx);
	idx->compactions++;
}

/* Compacting costs O(n), so wait until as many tombstones (or pairs of
 * replaced strings) as live messages have piled up: amortized O(1) per
 * removal. */
static void
maybe_compact(struct model_index *idx)
{
	uint32_t waste = idx->n_dead + idx->garbage / 2;

	if (waste >= COMPACT_MIN && waste >= idx->n_live)
		model_index_compact(idx);
}

/* --- life cycle --------------------------------------------------------- */

static void
free_contents(struct model_index *idx)
{
	uint32_t i;

	free(idx->msgs);
	free(idx->live);
	free(idx->uidmax);
	strtab_free(&idx->strings);
	for (i = 0; i < idx->n_kw; i++)
		free(idx->kw_names[i]);
	free(idx->kw_names);
	free(idx->kw_table);
	free(idx->sets);
	free(idx->set_pool);
	free(idx->set_table);
	free(idx->order);
	free(idx->order_live);
	free(idx->order_pos);
}

/* Empty state: set 0 is the empty keyword set. */
static void
init_contents(struct model_index *idx)
{
	idx->msgs = NULL;
	idx->live = idx->uidmax = NULL;
	idx->n_slots = idx->alloc_slots = 0;
	idx->n_live = idx->n_dead = idx->n_unknown = idx->garbage = 0;
	idx->n_flagged = idx->n_unseen = 0;
	memset(&idx->strings, 0, sizeof(idx->strings));
	idx->kw_names = NULL;
	idx->n_kw = 0;
	idx->kw_table = NULL;
	idx->kw_mask = 0;
	idx->alloc_sets = 16;
	idx->sets = xcalloc(idx->alloc_sets, sizeof(*idx->sets));
	idx->n_sets = 1;
	idx->set_pool = NULL;
	idx->pool_len = idx->pool_alloc = 0;
	idx->set_table = NULL;
	idx->set_mask = 0;
	idx->order = idx->order_live = idx->order_pos = NULL;
	idx->order_len = 0;
	idx->sort_stale = sort_uses_order(idx);
}

struct model_index *
model_index_new(uint32_t max_messages)
{
	struct model_index *idx = xcalloc(1, sizeof(*idx));

	/* The slots, tombstones included, must fit in 32 bits. */
	if (max_messages == 0)
		max_messages = MODEL_INDEX_DEFAULT_MAX_MESSAGES;
	if (max_messages > UINT32_MAX / 4)
		max_messages = UINT32_MAX / 4;
	idx->max_messages = max_messages;
	if (getrandom(&idx->seed, sizeof(idx->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(idx->seed))
		idx->seed = u64_mix((uint64_t)(uintptr_t)idx);
	idx->sort_col = MODEL_INDEX_COL_SEQ;
	init_contents(idx);
	return idx;
}

void
model_index_free(struct model_index **_idx)
{
	struct model_index *idx = *_idx;

	if (idx == NULL)
		return;
	free_contents(idx);
	free(idx);
	*_idx = NULL;
}

void
model_index_reset(struct model_index *idx)
{
	free_contents(idx);
	init_contents(idx);
	notify(idx, MODEL_INDEX_CHANGE_RESET, 0, 0, 0, 0);
}

void
model_index_set_listener(struct model_index *idx,
    model_index_listener_t *listener, void *ctx)
{
	idx->listener = listener;
	idx->listener_ctx = ctx;
}

uint64_t
model_index_generation(const struct model_index *idx)
{
	return idx->generation;
}

uint32_t
model_index_count(const struct model_index *idx)
{
	return idx->n_live;
}

const char *
model_index_column_name(enum model_index_column col)
{
	if ((size_t)col >= N_ELEMENTS(column_names))
		return "?";
	return column_names[col];
}

const char *
model_index_flag_name(unsigned int flag)
{
	size_t i;

	for (i = 0; i < N_ELEMENTS(system_flags); i++)
		if (system_flags[i].bit == flag)
			return system_flags[i].name;
	return NULL;
}

const char *
model_index_keyword_name(const struct model_index *idx, uint16_t id)
{
	return id < idx->n_kw ? idx->kw_names[id] : NULL;
}

/* --- the MSN <-> UID map ------------------------------------------------- */

int
model_index_append(struct model_index *idx, uint32_t count,
    const char **error_r)
{
	uint32_t i, slot;

	if (count == 0)
		return 0;
	if (count > idx->max_messages - idx->n_live) {
		*error_r = set_error(idx, "%u more messages would exceed the "
		    "index limit of %u (--max-messages raises it)", count,
		    idx->max_messages);
		return -1;
	}
	if (idx->n_dead > 0 && idx->n_slots + count > idx->alloc_slots)
		model_index_compact(idx); /* cheaper than growing past them */
	if (idx->alloc_slots == 0)
		first_slots(idx, count);
	else {
		reserve_slots(idx, idx->n_slots + count);
		for (i = 0; i < count; i++) {
			slot = ++idx->n_slots;
			memset(&idx->msgs[slot], 0, sizeof(idx->msgs[slot]));
			fen_push(idx->live, slot, 1);
			max_push(idx->uidmax, slot, 0);
		}
	}
	idx->n_live += count;
	idx->n_unknown += count;
	if (sort_uses_order(idx))
		idx->sort_stale = true;
	notify(idx, MODEL_INDEX_CHANGE_APPENDED, idx->n_live - count + 1,
	    count, 0, 0);
	return 0;
}

static int
check_msn(struct model_index *idx, uint32_t msn, const char *what,
    const char **error_r)
{
	if (msn != 0 && msn <= idx->n_live)
		return 0;
	*error_r = set_error(idx, "%s for message %u, but the mailbox has %u",
	    what, msn, idx->n_live);
	return -1;
}

/* The known UIDs around the slot must stay ascending, with room for the
 * slots between (each of which had its own UID). */
static int
check_uid(struct model_index *idx, uint32_t slot, uint32_t msn, uint32_t uid,
    const char **error_r)
{
	uint32_t cur = idx->msgs[slot].uid, prev, prev_slot, next_slot, next;

	if (uid == 0) {
		*error_r = set_error(idx, "UID 0 for message %u", msn);
		return -1;
	}
	if (cur == uid)
		return 0;
	if (cur != 0) {
		*error_r = set_error(idx, "message %u has UID %u, not %u",
		    msn, cur, uid);
		return -1;
	}
	/* The neighbours are usually known already (FETCH 1:* walks up):
	 * then no descent is needed. */
	prev = max_prefix(idx->uidmax, slot - 1);
	if (prev == 0)
		prev_slot = 0;
	else if (idx->msgs[slot - 1].uid == prev)
		prev_slot = slot - 1;
	else
		prev_slot = first_known_ge(idx, prev);
	if (prev >= uid) {
		*error_r = set_error(idx, "UID %u for message %u does not "
		    "ascend after UID %u", uid, msn, prev);
		return -1;
	}
	if (uid - prev < slot - prev_slot) {
		*error_r = set_error(idx, "UID %u for message %u leaves no "
		    "room for the %u messages before it", uid, msn,
		    slot - prev_slot - 1);
		return -1;
	}
	if (slot < idx->n_slots && idx->msgs[slot + 1].uid != 0)
		next_slot = slot + 1;
	else if ((next_slot = first_known_ge(idx, prev + 1)) == 0)
		return 0;
	next = idx->msgs[next_slot].uid;
	if (next <= uid) {
		*error_r = set_error(idx, "UID %u for message %u does not "
		    "ascend before UID %u", uid, msn, next);
		return -1;
	}
	if (next - uid < next_slot - slot) {
		*error_r = set_error(idx, "UID %u for message %u leaves no "
		    "room for the %u messages after it", uid, msn,
		    next_slot - slot - 1);
		return -1;
	}
	return 0;
}

static void
apply_uid(struct model_index *idx, uint32_t slot, uint32_t uid)
{
	if (idx->msgs[slot].uid == uid)
		return;
	idx->msgs[slot].uid = uid;
	idx->n_unknown--;
	max_raise(idx->uidmax, idx->n_slots, slot, uid);
}

int
model_index_set_uid(struct model_index *idx, uint32_t msn, uint32_t uid,
    const char **error_r)
{
	uint32_t slot;

	if (check_msn(idx, msn, "UID", error_r) < 0)
		return -1;
	slot = msn_slot(idx, msn);
	if (check_uid(idx, slot, msn, uid, error_r) < 0)
		return -1;
	if (idx->msgs[slot].uid == uid)
		return 0;
	apply_uid(idx, slot, uid);
	notify(idx, MODEL_INDEX_CHANGE_UPDATED, msn, 1, uid,
	    MODEL_INDEX_FIELD_UID);
	return 0;
}

bool
model_index_unseen(const struct model_index *idx, uint32_t *unseen_r)
{
	*unseen_r = idx->n_unseen;
	return idx->n_flagged == idx->n_live;
}

uint32_t
model_index_msn_to_uid(const struct model_index *idx, uint32_t msn)
{
	if (msn == 0 || msn > idx->n_live)
		return 0;
	return idx->msgs[msn_slot(idx, msn)].uid;
}

uint32_t
model_index_uid_to_msn(const struct model_index *idx, uint32_t uid)
{
	uint32_t slot;

	if (uid == 0 || (slot = first_known_ge(idx, uid)) == 0)
		return 0;
	if (idx->msgs[slot].uid != uid ||
	    (idx->msgs[slot].have & HAVE_DEAD) != 0)
		return 0;
	return slot_msn(idx, slot);
}

int
model_index_expunge(struct model_index *idx, uint32_t msn,
    const char **error_r)
{
	if (check_msn(idx, msn, "EXPUNGE", error_r) < 0)
		return -1;
	remove_slot(idx, msn_slot(idx, msn), msn);
	maybe_compact(idx);
	return 0;
}

/* --- VANISHED ----------------------------------------------------------- */

struct vanish {
	uint32_t lo, hi;
	uint32_t msn;	  /* the walk's position */
	uint32_t pending; /* unknown-UID messages just before msn */
	uint32_t removed;
	uint32_t ambiguous;
};

/* Decide the pending unknown-UID messages, whose UIDs lie strictly
 * between the known UIDs below and above (above may be 2^32). */
static void
vanish_settle(struct model_index *idx, struct vanish *v, uint64_t below,
    uint64_t above)
{
	uint64_t lo = below + 1, hi = above - 1;
	uint32_t msn = v->msn - v->pending, i;

	if (v->pending == 0)
		return;
	if (lo >= v->lo && hi <= v->hi && lo <= hi) {
		for (i = 0; i < v->pending; i++)
			remove_slot(idx, msn_slot(idx, msn), msn);
		v->msn = msn;
		v->removed += v->pending;
	} else if (lo <= hi && hi >= v->lo && lo <= v->hi) {
		v->ambiguous += v->pending;
	}
	v->pending = 0;
}

/* Walk the live messages from the last known UID below lo to the first
 * known UID above hi, removing the known ones in range and settling the
 * unknown ones in between. */
static void
vanish_range(struct model_index *idx, struct vanish *v)
{
	uint32_t first = first_known_ge(idx, v->lo), slot, uid = 0;
	uint64_t below = 0;

	v->msn = first == 0 ? idx->n_live + 1 : slot_msn(idx, first - 1) + 1;
	v->pending = 0;
	/* Unknown-UID messages just before might be in range too. */
	while (idx->n_unknown > 0 && v->msn > 1) {
		uid = idx->msgs[msn_slot(idx, v->msn - 1)].uid;
		if (uid != 0) {
			below = uid;
			break;
		}
		v->msn--;
	}
	for (; v->msn <= idx->n_live; v->msn++) {
		slot = msn_slot(idx, v->msn);
		if ((uid = idx->msgs[slot].uid) == 0) {
			v->pending++;
			continue;
		}
		if (uid > v->hi)
			break;
		vanish_settle(idx, v, below, uid);
		remove_slot(idx, slot, v->msn);
		v->removed++;
		v->msn--;
		below = uid;
	}
	vanish_settle(idx, v, below,
	    v->msn <= idx->n_live ? uid : (uint64_t)UINT32_MAX + 1);
}

static int
range_cmp(const void *a, const void *b)
{
	const struct model_index_uid_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sort and merge the ranges, so each UID is looked at once and the
 * result does not depend on the order the server listed them in. */
static size_t
normalize_ranges(const struct model_index_uid_range *in, size_t n,
    struct model_index_uid_range *out)
{
	size_t i, len = 0;
	uint32_t lo, hi;

	for (i = 0; i < n; i++) {
		lo = in[i].lo < in[i].hi ? in[i].lo : in[i].hi;
		hi = in[i].lo < in[i].hi ? in[i].hi : in[i].lo;
		out[i].lo = lo == 0 ? 1 : lo;
		out[i].hi = hi;
	}
	qsort(out, n, sizeof(*out), range_cmp);
	for (i = 0; i < n; i++) {
		if (out[i].hi == 0)
			continue;
		if (len > 0 && out[len - 1].hi >= out[i].lo - 1) {
			if (out[i].hi > out[len - 1].hi)
				out[len - 1].hi = out[i].hi;
			continue;
		}
		out[len++] = out[i];
	}
	return len;
}

uint32_t
model_index_vanished(struct model_index *idx,
    const struct model_index_uid_range *ranges, size_t n_ranges,
    uint32_t *ambiguous_r)
{
	struct model_index_uid_range *merged;
	struct vanish v;
	size_t i, n;

	memset(&v, 0, sizeof(v));
	merged = xreallocarray(NULL, n_ranges, sizeof(*merged));
	n = normalize_ranges(ranges, n_ranges, merged);
	for (i = 0; i < n && idx->n_live > 0; i++) {
		v.lo = merged[i].lo;
		v.hi = merged[i].hi;
		vanish_range(idx, &v);
	}
	free(merged);
	maybe_compact(idx);
	if (ambiguous_r != NULL)
		*ambiguous_r = v.ambiguous;
	return v.removed;
}

/* --- FETCH -------------------------------------------------------------- */

static uint64_t
saturating_inc(uint64_t v)
{
	return v == UINT64_MAX ? v : v + 1;
}

/* Signed to unsigned, keeping the order. */
static uint64_t
date_key(int64_t v)
{
	return (uint64_t)v ^ ((uint64_t)1 << 63);
}

/* The first 8 bytes of an arena string, up to its NUL (later bytes 0),
 * case-folded (i;ascii-casemap, RFC 4790 9.2: a-z only, bytes >= 0x80
 * untouched), big end first: comparing the keys compares the prefixes.
 * One 8-byte load and word arithmetic: the arena's chunks are padded
 * (CHUNK_PAD), so the load never leaves the chunk. */
static uint64_t
prefix_key(const char *s)
{
	uint64_t x = word_load(s), zero, low, lower;

	/* little end first: a borrow only runs to later bytes, so the
	 * lowest flagged byte is the first NUL */
	zero = word_zero_bytes(x);
	if (zero != 0)
		x &= ((uint64_t)1 << (__builtin_ctzll(zero) & ~7)) - 1;
	/* bit 7 of each byte of low + k says low >= 0x80 - k */
	low = x & ~WORD_HIGHS;
	lower = (low + 0x1f * WORD_ONES) & ~(low + 0x05 * WORD_ONES) & ~x &
	    WORD_HIGHS;
	x ^= lower >> 2;
	return __builtin_bswap64(x);
}

static void
make_item(const struct model_index *idx, uint32_t slot, struct sort_item *it)
{
	const struct msg *m = &idx->msgs[slot];
	unsigned int have = m->have;

	it->slot = slot;
	it->str = 0;
	it->key = 0;
	switch (idx->sort_col) {
	case MODEL_INDEX_COL_SEQ:
	case MODEL_INDEX_COL_UID:
		break;
	case MODEL_INDEX_COL_SIZE:
		if ((have & MODEL_INDEX_FIELD_SIZE) != 0)
			it->key = saturating_inc(m->size);
		break;
	case MODEL_INDEX_COL_DATE:
		if ((have & MODEL_INDEX_FIELD_DATE) != 0) {
			it->key = date_key(m->date);
			break;
		}
		/* FALLTHROUGH */
	case MODEL_INDEX_COL_ARRIVAL:
		if ((have & MODEL_INDEX_FIELD_INTERNALDATE) != 0)
			it->key = date_key(m->internaldate);
		break;
	case MODEL_INDEX_COL_FROM:
		it->str = m->from;
		break;
	case MODEL_INDEX_COL_SUBJECT:
		/* Base and string share a chunk: the offset stays valid. */
		it->str = m->subject == 0 ? 0 : m->subject + m->subject_base;
		break;
	case MODEL_INDEX_COL_FLAGS:
		if ((have & MODEL_INDEX_FIELD_FLAGS) != 0)
			it->key = (uint64_t)(m->sysflags + 1) << 32 |
			    idx->sets[m->kwset].n;
		break;
	case MODEL_INDEX_COL_MODSEQ:
		if ((have & MODEL_INDEX_FIELD_MODSEQ) != 0)
			it->key = saturating_inc(m->modseq);
		break;
	}
	if (it->str != 0)
		it->key = prefix_key(strtab_get(&idx->strings, it->str));
}

static int
validate_fetch(struct model_index *idx, uint32_t msn,
    const struct model_index_fetch *f, const char **error_r)
{
	/* RFC 9051 date-time zone: +HHMM, so at most 99:59 either way. */
	if ((f->fields & MODEL_INDEX_FIELD_INTERNALDATE) != 0 &&
	    (f->internaldate_tz < -5999 || f->internaldate_tz > 5999)) {
		*error_r = set_error(idx, "INTERNALDATE zone of message %u is "
		    "out of range", msn);
		return -1;
	}
	if ((f->fields & MODEL_INDEX_FIELD_ENVELOPE) != 0 && f->date_valid &&
	    (f->date_tz < -5999 || f->date_tz > 5999)) {
		*error_r = set_error(idx, "Date: zone of message %u is out of "
		    "range", msn);
		return -1;
	}
	return 0;
}

static void
apply_envelope(struct model_index *idx, struct msg *m,
    const struct model_index_fetch *f)
{
	uint32_t from, subject;
	bool from_trunc, subject_trunc;
	uint16_t trunc = (MODEL_INDEX_TRUNC_FROM | MODEL_INDEX_TRUNC_SUBJECT)
	    << HAVE_TRUNC_SHIFT;

	from = intern_summary(idx, f->from, f->from_len, MODEL_INDEX_MAX_FROM,
	    &from_trunc);
	subject = intern_summary(idx, f->subject, f->subject_len,
	    MODEL_INDEX_MAX_SUBJECT, &subject_trunc);
	if ((m->have & MODEL_INDEX_FIELD_ENVELOPE) != 0 &&
	    (m->from != from || m->subject != subject))
		idx->garbage += 2;
	m->from = from;
	m->subject = subject;
	m->subject_base = subject_base(strtab_get(&idx->strings, subject));
	m->have &= (uint16_t)~(trunc | MODEL_INDEX_FIELD_DATE);
	m->have |= MODEL_INDEX_FIELD_ENVELOPE;
	if (from_trunc)
		m->have |= MODEL_INDEX_TRUNC_FROM << HAVE_TRUNC_SHIFT;
	if (subject_trunc)
		m->have |= MODEL_INDEX_TRUNC_SUBJECT << HAVE_TRUNC_SHIFT;
	if (f->date_valid) {
		m->have |= MODEL_INDEX_FIELD_DATE;
		m->date = f->date;
		m->date_tz = (int16_t)f->date_tz;
	}
}

static void
apply_fetch(struct model_index *idx, uint32_t slot,
    const struct model_index_fetch *f)
{
	struct msg *m = &idx->msgs[slot];

	if ((f->fields & MODEL_INDEX_FIELD_UID) != 0)
		apply_uid(idx, slot, f->uid);
	if ((f->fields & MODEL_INDEX_FIELD_FLAGS) != 0) {
		count_flags(idx, m, -1);
		apply_flags(idx, m, f->flags, f->n_flags);
		m->have |= MODEL_INDEX_FIELD_FLAGS;
		count_flags(idx, m, 1);
	}
	if ((f->fields & MODEL_INDEX_FIELD_SIZE) != 0) {
		m->size = f->size;
		m->have |= MODEL_INDEX_FIELD_SIZE;
	}
	if ((f->fields & MODEL_INDEX_FIELD_INTERNALDATE) != 0) {
		m->internaldate = f->internaldate;
		m->internaldate_tz = (int16_t)f->internaldate_tz;
		m->have |= MODEL_INDEX_FIELD_INTERNALDATE;
	}
	if ((f->fields & MODEL_INDEX_FIELD_MODSEQ) != 0) {
		m->modseq = f->modseq;
		m->have |= MODEL_INDEX_FIELD_MODSEQ;
	}
	if ((f->fields & MODEL_INDEX_FIELD_ENVELOPE) != 0)
		apply_envelope(idx, m, f);
}

int
model_index_update(struct model_index *idx, uint32_t msn,
    const struct model_index_fetch *fetch, const char **error_r)
{
	struct sort_item before, after;
	uint32_t slot;
	bool track;

	if (check_msn(idx, msn, "FETCH", error_r) < 0 ||
	    validate_fetch(idx, msn, fetch, error_r) < 0)
		return -1;
	slot = msn_slot(idx, msn);
	if ((fetch->fields & MODEL_INDEX_FIELD_UID) != 0 &&
	    check_uid(idx, slot, msn, fetch->uid, error_r) < 0)
		return -1;
	/* Only a changed key makes the order stale: a FLAGS storm that
	 * changes nothing costs no re-sort. */
	track = sort_uses_order(idx) && !idx->sort_stale &&
	    (fetch->fields & column_fields[idx->sort_col]) != 0;
	if (track)
		make_item(idx, slot, &before);
	apply_fetch(idx, slot, fetch);
	if (track) {
		make_item(idx, slot, &after);
		if (before.key != after.key || before.str != after.str)
			idx->sort_stale = true;
	}
	notify(idx, MODEL_INDEX_CHANGE_UPDATED, msn, 1, idx->msgs[slot].uid,
	    fetch->fields & FETCH_FIELDS);
	maybe_compact(idx);
	return 0;
}

bool
model_index_get(const struct model_index *idx, uint32_t msn,
    struct model_index_entry *e)
{
	const struct msg *m;
	const struct kwset *set;

	if (msn == 0 || msn > idx->n_live)
		return false;
	m = &idx->msgs[msn_slot(idx, msn)];
	set = &idx->sets[m->kwset];
	e->msn = msn;
	e->uid = m->uid;
	e->fields = (m->have & HAVE_FIELDS) |
	    (m->uid != 0 ? MODEL_INDEX_FIELD_UID : 0);
	e->truncated = (m->have >> HAVE_TRUNC_SHIFT) & HAVE_TRUNC_BITS;
	e->flags = m->sysflags;
	e->keywords = set->n == 0 ? NULL : idx->set_pool + set->start;
	e->n_keywords = set->n;
	e->size = m->size;
	e->modseq = m->modseq;
	e->internaldate = m->internaldate;
	e->internaldate_tz = m->internaldate_tz;
	e->date = m->date;
	e->date_tz = m->date_tz;
	e->from = strtab_get(&idx->strings, m->from);
	e->subject = strtab_get(&idx->strings, m->subject);
	return true;
}

/* --- sorting ------------------------------------------------------------ */

/* Slots break ties, so the order is total and the sort stable. */
static inline int
item_cmp(const struct sort_item *a, const struct sort_item *b)
{
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->slot < b->slot ? -1 : a->slot > b->slot;
}

#define SORT_RUN 32

static void
insertion_sort(struct sort_item *a, size_t n)
{
	struct sort_item tmp;
	size_t i, j;

	for (i = 1; i < n; i++) {
		tmp = a[i];
		for (j = i; j > 0 && item_cmp(&a[j - 1], &tmp) > 0; j--)
			a[j] = a[j - 1];
		a[j] = tmp;
	}
}

static void
merge(const struct sort_item *a, size_t na, const struct sort_item *b,
    size_t nb, struct sort_item *out)
{
	size_t i = 0, j = 0, k = 0;

	while (i < na && j < nb)
		out[k++] = item_cmp(&b[j], &a[i]) < 0 ? b[j++] : a[i++];
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
}

/* Bottom-up merge sort into a (tmp is scratch of the same size): O(n log n)
 * worst case, sorted runs of 32 first. For short arrays. */
static void
merge_sort_items(struct sort_item *a, struct sort_item *tmp, size_t n)
{
	struct sort_item *src = a, *dst = tmp, *swap;
	size_t lo, mid, hi, width;

	for (lo = 0; lo < n; lo += SORT_RUN)
		insertion_sort(a + lo, n - lo < SORT_RUN ? n - lo : SORT_RUN);
	for (width = SORT_RUN; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			mid = lo + width < n ? lo + width : n;
			hi = lo + 2 * width < n ? lo + 2 * width : n;
			merge(src + lo, mid - lo, src + mid, hi - mid,
			    dst + lo);
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}

/* Below this many items the merge sort is faster than eight passes. */
#define RADIX_MIN 512

/* LSD radix sort on the 64-bit keys, a byte a time, skipping the bytes
 * every key shares (sizes, dates and flags vary in few of them): O(n)
 * per byte that varies. Each pass is stable, and the items come in slot
 * order (build_order makes them so, and sort_strings re-sorts tie runs
 * that a stable sort left in slot order), so the result is item_cmp's
 * order, ties in slot order. */
static void
radix_sort_items(struct sort_item *a, struct sort_item *tmp, size_t n)
{
	size_t (*count)[256] = xcalloc(8, sizeof(*count));
	struct sort_item *src = a, *dst = tmp, *swap;
	size_t i, sum, c;
	unsigned int d, shift;

	for (i = 0; i < n; i++)
		for (d = 0; d < 8; d++)
			count[d][(a[i].key >> (d * 8)) & 0xff]++;
	for (d = 0; d < 8; d++) {
		shift = d * 8;
		if (count[d][(a[0].key >> shift) & 0xff] == n)
			continue; /* every key has this byte */
		for (sum = 0, c = 0; c < 256; c++) {
			size_t k = count[d][c];

			count[d][c] = sum;
			sum += k;
		}
		for (i = 0; i < n; i++)
			dst[count[d][(src[i].key >> shift) & 0xff]++] = src[i];
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(count);
}

/* Sort by key then slot; the items must come in slot order (above). */
static void
sort_items(struct sort_item *a, struct sort_item *tmp, size_t n)
{
	if (n < RADIX_MIN)
		merge_sort_items(a, tmp, n);
	else
		radix_sort_items(a, tmp, n);
}

#define PREFETCH_AHEAD 16
/* The string keys after the first, kept per slot for this many levels:
 * made in slot order, where the strings lie in memory order, they save
 * the re-keying its cache misses (a lookup in 16 bytes a slot instead of
 * the string arena). */
#define STORED_LEVELS 2

/* All the same interned string: equal, and already in slot order. */
static bool
same_string(const struct sort_item *a, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (a[i].str != a[0].str)
			return false;
	return true;
}

/* A run of items whose keys tie at the depth being sorted. */
struct str_run {
	uint32_t start;
	uint32_t len;
};

struct str_runs {
	struct str_run *v;
	size_t n;
	size_t alloc;
};

/* Add the tie runs of a[start .. end) whose strings go on past the key
 * (its last byte is not their NUL) and are not all one interned string:
 * those need their next 8 bytes. */
static void
add_tie_runs(struct str_runs *runs, const struct sort_item *a, size_t start,
    size_t end)
{
	size_t i, j;

	for (i = start; i < end; i = j) {
		for (j = i + 1; j < end && a[j].key == a[i].key; j++)
			;
		if (j - i < 2 || (a[i].key & 0xff) == 0 ||
		    same_string(a + i, j - i))
			continue;
		if (runs->n == runs->alloc) {
			runs->alloc = runs->alloc == 0 ? 64 : runs->alloc * 2;
			runs->v = xreallocarray(runs->v, runs->alloc,
			    sizeof(*runs->v));
		}
		runs->v[runs->n].start = (uint32_t)i;
		runs->v[runs->n].len = (uint32_t)(j - i);
		runs->n++;
	}
}

/* Key the runs' items with their strings' bytes depth .. depth + 7. The
 * strings lie all over the arena once sorted: a cursor PREFETCH_AHEAD
 * items ahead (across runs, which are often short) asks for them early,
 * or each key would wait for a cache miss. */
static void
rekey_runs(const struct model_index *idx, struct sort_item *a,
    const struct str_runs *runs, uint32_t depth, const uint64_t *next_keys)
{
	size_t r, k, end, pr = 0, pk = runs->v[0].start, ahead = 0,
	    level = depth / 8 - 1;
	bool stored = next_keys != NULL && level < STORED_LEVELS;

	for (r = 0; r < runs->n; r++) {
		end = (size_t)runs->v[r].start + runs->v[r].len;
		for (k = runs->v[r].start; k < end; k++) {
			while (pr < runs->n && ahead < PREFETCH_AHEAD) {
				if (stored)
					__builtin_prefetch(&next_keys[(size_t)
					    a[pk].slot * STORED_LEVELS + level]);
				else
					__builtin_prefetch(strtab_get(
					    &idx->strings, a[pk].str) + depth);
				ahead++;
				if (++pk == (size_t)runs->v[pr].start +
				    runs->v[pr].len && ++pr < runs->n)
					pk = runs->v[pr].start;
			}
			a[k].key = stored ? next_keys[(size_t)a[k].slot *
			    STORED_LEVELS + level] : prefix_key(strtab_get(
			    &idx->strings, a[k].str) + depth);
			ahead--;
		}
	}
}

/* Strings sort 8 bytes at a time (MSD, as a radix sort with 64-bit
 * digits), a level at a time: the items whose keys tie are re-keyed with
 * their next 8 bytes, and each run sorted among itself. Comparing whole
 * strings instead would chase two arena pointers per comparison, and
 * subjects share long prefixes. A key whose last byte is 0 holds the
 * string's end: such ties are equal strings, left in slot order; so are
 * ties of one interned string. */
static void
sort_strings(const struct model_index *idx, struct sort_item *a,
    struct sort_item *tmp, size_t n, const uint64_t *next_keys)
{
	struct str_runs runs = { NULL, 0, 0 }, next = { NULL, 0, 0 }, swap;
	uint32_t depth;
	size_t r;

	sort_items(a, tmp, n);
	add_tie_runs(&runs, a, 0, n);
	for (depth = 8; runs.n > 0 && depth < MODEL_INDEX_MAX_SUBJECT;
	    depth += 8) {
		rekey_runs(idx, a, &runs, depth, next_keys);
		next.n = 0;
		for (r = 0; r < runs.n; r++) {
			sort_items(a + runs.v[r].start, tmp, runs.v[r].len);
			add_tie_runs(&next, a, runs.v[r].start,
			    (size_t)runs.v[r].start + runs.v[r].len);
		}
		swap = runs;
		runs = next;
		next = swap;
	}
	free(runs.v);
	free(next.v);
}

/* An item's string keys after the first, while the string goes on (a
 * key with the NUL ends it; the rest are never read). */
static void
store_next_keys(const struct model_index *idx, const struct sort_item *it,
    uint64_t *out)
{
	const char *s = strtab_get(&idx->strings, it->str);
	uint64_t key = it->key;
	int level;

	for (level = 0; level < STORED_LEVELS; level++) {
		if (it->str != 0 && (key & 0xff) != 0)
			key = prefix_key(s + 8 * (level + 1));
		else
			key = 0;
		out[level] = key;
	}
}

static void
free_order(struct model_index *idx)
{
	free(idx->order);
	free(idx->order_live);
	free(idx->order_pos);
	idx->order = idx->order_live = idx->order_pos = NULL;
	idx->order_len = 0;
}

static void
build_order(struct model_index *idx)
{
	struct sort_item *items, *tmp;
	uint64_t *next_keys = NULL;
	uint32_t slot, n = 0, pos;
	bool strings = idx->sort_col == MODEL_INDEX_COL_FROM ||
	    idx->sort_col == MODEL_INDEX_COL_SUBJECT;
	/* Senders repeat (far fewer than messages), so theirs stay in the
	 * cache: storing keys would cost more than it saves. */
	bool store = idx->sort_col == MODEL_INDEX_COL_SUBJECT;

	/* the old order goes first and the scratch before the new order
	 * comes, so the peak holds only one of them */
	free_order(idx);
	items = xreallocarray(NULL, idx->n_live, sizeof(*items));
	tmp = xreallocarray(NULL, idx->n_live, sizeof(*tmp));
	if (store)
		next_keys = xreallocarray(NULL, (size_t)idx->n_slots + 1,
		    STORED_LEVELS * sizeof(*next_keys));
	for (slot = 1; slot <= idx->n_slots; slot++) {
		if ((idx->msgs[slot].have & HAVE_DEAD) != 0)
			continue;
		make_item(idx, slot, &items[n++]);
		if (store)
			store_next_keys(idx, &items[n - 1],
			    &next_keys[(size_t)slot * STORED_LEVELS]);
	}
	if (strings)
		sort_strings(idx, items, tmp, n, next_keys);
	else
		sort_items(items, tmp, n);
	free(next_keys);
	free(tmp);

	idx->order = xreallocarray(idx->order, (size_t)n + 1,
	    sizeof(*idx->order));
	idx->order_live = xreallocarray(idx->order_live, (size_t)n + 1,
	    sizeof(*idx->order_live));
	idx->order_pos = xreallocarray(idx->order_pos,
	    (size_t)idx->n_slots + 1, sizeof(*idx->order_pos));
	memset(idx->order_pos, 0,
	    ((size_t)idx->n_slots + 1) * sizeof(*idx->order_pos));
	for (pos = 1; pos <= n; pos++) {
		idx->order[pos] = items[pos - 1].slot;
		idx->order_pos[items[pos - 1].slot] = pos;
	}
	fen_fill_ones(idx->order_live, n);
	idx->order_len = n;
	idx->sort_stale = false;
	idx->sorts++;
	free(items);
}

void
model_index_sort(struct model_index *idx, enum model_index_column col,
    bool descending)
{
	bool same = col == idx->sort_col;

	if ((size_t)col >= N_ELEMENTS(column_fields))
		col = MODEL_INDEX_COL_SEQ;
	idx->sort_col = col;
	idx->sort_desc = descending;
	if (!sort_uses_order(idx)) {
		free_order(idx);
		idx->sort_stale = false;
	} else if (!same || idx->sort_stale) {
		/* Descending reads the same order backwards. */
		build_order(idx);
	}
}

enum model_index_column
model_index_sort_column(const struct model_index *idx, bool *descending_r)
{
	if (descending_r != NULL)
		*descending_r = idx->sort_desc;
	return idx->sort_col;
}

uint32_t
model_index_row_to_msn(struct model_index *idx, uint32_t row)
{
	uint32_t rank, pos;

	if (row == 0 || row > idx->n_live)
		return 0;
	rank = idx->sort_desc ? idx->n_live + 1 - row : row;
	if (!sort_uses_order(idx))
		return rank;
	if (idx->sort_stale)
		build_order(idx);
	pos = fen_find(idx->order_live, idx->order_len, rank);
	return slot_msn(idx, idx->order[pos]);
}

uint32_t
model_index_msn_to_row(struct model_index *idx, uint32_t msn)
{
	uint32_t rank;

	if (msn == 0 || msn > idx->n_live)
		return 0;
	if (!sort_uses_order(idx)) {
		rank = msn;
	} else {
		if (idx->sort_stale)
			build_order(idx);
		rank = fen_prefix(idx->order_live,
		    idx->order_pos[msn_slot(idx, msn)]);
	}
	return idx->sort_desc ? idx->n_live + 1 - rank : rank;
}

/* --- search --------------------------------------------------------------- */

/* Remembered answers for strings already scanned, direct-mapped by arena
 * offset: senders repeat, so most are scanned once. */
#define FIND_MEMO_BITS 12
/* How far ahead the walk asks for messages, then for their strings. */
#define FIND_AHEAD 16

struct find_memo {
	uint32_t off;	/* 0: empty */
	bool match;
};

struct finder {
	const struct model_index *idx;
	const unsigned char *needle; /* folded to lower case */
	size_t len;
	uint64_t bit5;		/* 0x20 in every byte */
	uint64_t first;		/* its first byte | 0x20, in every byte */
	uint64_t second;	/* its second byte | 0x20 */
	struct find_memo *memo;
};

static unsigned char
fold_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool
match_at(const struct finder *f, const unsigned char *p)
{
	size_t k;

	for (k = 0; k < f->len; k++)
		if (p[k] == '\0' || fold_lower(p[k]) != f->needle[k])
			return false;
	return true;
}

/* Bytes of x equal to those of y (a byte repeated), as
 * word_zero_bytes() flags them. */
static inline uint64_t
bytes_equal(uint64_t x, uint64_t y)
{
	return word_zero_bytes(x ^ y);
}

/* Does the arena string s contain the needle? Eight bytes at a time: the
 * places where its first two bytes may start (compared with 0x20 set in
 * each byte, which makes a letter's cases equal and only adds false
 * candidates), and the NUL, are found with word arithmetic; match_at
 * checks each candidate, and the lowest NUL flag is always real. The
 * arena's chunks are padded, so the word with the NUL, and the byte
 * after it, are readable. */
static bool
string_contains(const struct finder *f, const unsigned char *s)
{
	uint64_t x, next, zero, cand;

	for (;; s += 8) {
		x = word_load((const char *)s);
		zero = bytes_equal(x, 0);
		cand = bytes_equal(x | f->bit5, f->first);
		if (f->len > 1) {
			next = x >> 8 | (uint64_t)s[8] << 56;
			cand &= bytes_equal(next | f->bit5, f->second);
		}
		if (zero != 0)
			cand &= ((uint64_t)1 << (__builtin_ctzll(zero) & ~7)) -
			    1;
		for (; cand != 0; cand &= cand - 1)
			if (match_at(f, s + (__builtin_ctzll(cand) >> 3)))
				return true;
		if (zero != 0)
			return false;
	}
}

static bool
finder_string(struct finder *f, uint32_t off)
{
	struct find_memo *e;

	if (off == 0)
		return false; /* the empty string: the needle is not */
	e = &f->memo[(off * 0x9e3779b1u) >> (32 - FIND_MEMO_BITS)];
	if (e->off != off) {
		e->off = off;
		e->match = string_contains(f, (const unsigned char *)
		    strtab_get(&f->idx->strings, off));
	}
	return e->match;
}

/* Where a search walk is: a position in the order (or a slot, for the
 * MSN order), and which way rows go. */
struct find_cursor {
	bool ordered;
	int step;
	uint32_t pos;
	uint32_t n_pos;
};

/* Rows searched one by one before the rest is searched in slot order. */
#define FIND_NEAR 4096
/* find_walk's per-slot states */
#define FIND_DEAD 0
#define FIND_LIVE 1
#define FIND_HIT 2

static void
find_advance(struct find_cursor *c)
{
	if (c->step > 0)
		c->pos = c->pos == c->n_pos ? 1 : c->pos + 1;
	else
		c->pos = c->pos == 1 ? c->n_pos : c->pos - 1;
}

static uint32_t
find_slot(const struct model_index *idx, const struct find_cursor *c)
{
	return c->ordered ? idx->order[c->pos] : c->pos;
}

/* Ask for the message FIND_AHEAD rows on, and for the subject of the one
 * half as far: each would be a cache miss in a sorted order. Inline
 * (GCC drops a call to a function that only prefetches), so a macro. */
#define FIND_PREFETCH(idx, c)						\
	do {								\
		int64_t a_ = (int64_t)(c)->pos + (c)->step * FIND_AHEAD; \
		int64_t h_ = (int64_t)(c)->pos +			\
		    (c)->step * (FIND_AHEAD / 2);			\
		uint32_t s_;						\
									\
		if ((c)->ordered && a_ >= 1 && a_ <= (c)->n_pos &&	\
		    (s_ = (idx)->order[a_]) != 0)			\
			__builtin_prefetch(&(idx)->msgs[s_]);		\
		if (h_ >= 1 && h_ <= (c)->n_pos && (s_ = (c)->ordered ? \
		    (idx)->order[h_] : (uint32_t)h_) != 0 &&		\
		    (idx)->msgs[s_].subject != 0)			\
			__builtin_prefetch(strtab_get(&(idx)->strings,	\
			    (idx)->msgs[s_].subject));			\
	} while (0)

/* Walk up to count rows from the cursor; the number of rows before the
 * first that matches, or count. With state (FIND_* per slot, from
 * find_slots) the strings are not looked at. */
static uint32_t
find_walk(struct finder *f, struct find_cursor *c, uint32_t count,
    const uint8_t *state)
{
	const struct model_index *idx = f->idx;
	uint32_t i, slot;

	for (i = 0; i < count; i++, find_advance(c)) {
		/* the next live position, wrapping around */
		for (;; find_advance(c)) {
			slot = find_slot(idx, c);
			if (slot != 0 && (state != NULL ? state[slot] !=
			    FIND_DEAD : (idx->msgs[slot].have & HAVE_DEAD) == 0))
				break;
		}
		if (state != NULL) {
			if (state[slot] == FIND_HIT)
				return i;
			continue;
		}
		FIND_PREFETCH(idx, c);
		if (finder_string(f, idx->msgs[slot].subject) ||
		    finder_string(f, idx->msgs[slot].from))
			return i;
	}
	return count;
}

/* A match of the needle at p: mark the start of its string in bits (one
 * per arena offset). */
static void
find_mark(const struct finder *f, const unsigned char *chunk, uint32_t c,
    const unsigned char *p, uint64_t *bits)
{
	const unsigned char *start;
	uint32_t off;

	if (*p == '\0' || !match_at(f, p))
		return;
	for (start = p; start > chunk && start[-1] != '\0'; start--)
		;
	off = c << CHUNK_SHIFT | (uint32_t)(start - chunk);
	bits[off / 64] |= (uint64_t)1 << (off % 64);
}

/* Mark every string in chunk c that contains the needle: one pass over
 * the chunk for the places where its first two bytes may start (0x20 set
 * in each byte, as string_contains), without a call, a memo look-up or a
 * restart per string; 16 bytes a step with SSE2, else 8. A chunk's
 * unused tail is zeros (calloc): it matches nothing, and the padding
 * makes the reads past the end safe. */
static void
find_chunk(const struct finder *f, uint32_t c, uint64_t *bits)
{
	const struct strtab *t = &f->idx->strings;
	const unsigned char *chunk = (const unsigned char *)t->chunks[c];
	uint32_t end = c + 1 == t->n_chunks ? t->used : CHUNK_SIZE, at;
#ifdef __SSE2__
	__m128i bit5 = _mm_set1_epi8(0x20), v, w,
	    first = _mm_set1_epi8((char)(f->needle[0] | 0x20)),
	    second = _mm_set1_epi8((char)(f->len > 1 ?
		f->needle[1] | 0x20 : 0));
	unsigned int mask;

	for (at = 0; at < end; at += 16) {
		v = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)
		    (chunk + at)), bit5);
		v = _mm_cmpeq_epi8(v, first);
		if (f->len > 1) {
			w = _mm_or_si128(_mm_loadu_si128((const __m128i *)
			    (const void *)(chunk + at + 1)), bit5);
			v = _mm_and_si128(v, _mm_cmpeq_epi8(w, second));
		}
		for (mask = (unsigned int)_mm_movemask_epi8(v); mask != 0;
		    mask &= mask - 1)
			if (at + (unsigned int)__builtin_ctz(mask) < end)
				find_mark(f, chunk, c, chunk + at +
				    __builtin_ctz(mask), bits);
	}
#else
	uint64_t x, next, cand;

	for (at = 0; at < end; at += 8) {
		x = word_load((const char *)chunk + at);
		cand = bytes_equal(x | f->bit5, f->first);
		if (f->len > 1) {
			next = x >> 8 | (uint64_t)chunk[at + 8] << 56;
			cand &= bytes_equal(next | f->bit5, f->second);
		}
		for (; cand != 0; cand &= cand - 1)
			if (at + (__builtin_ctzll(cand) >> 3) < end)
				find_mark(f, chunk, c, chunk + at +
				    (__builtin_ctzll(cand) >> 3), bits);
	}
#endif
}

static bool
find_bit(const uint64_t *bits, uint32_t off)
{
	return off != 0 && (bits[off / 64] >> (off % 64) & 1) != 0;
}

/* Every slot's state, whatever the sort: the arena is scanned once, in
 * memory order, then the messages are read in slot order. */
static uint8_t *
find_slots(struct finder *f)
{
	const struct model_index *idx = f->idx;
	const struct strtab *t = &idx->strings;
	uint8_t *state = xcalloc((size_t)idx->n_slots + 1, 1);
	uint64_t *bits = xcalloc(((size_t)t->n_chunks << CHUNK_SHIFT) / 64 + 1,
	    sizeof(*bits));
	const struct msg *m;
	uint32_t slot, c;

	for (c = 0; c < t->n_chunks; c++)
		find_chunk(f, c, bits);
	for (slot = 1; slot <= idx->n_slots; slot++) {
		m = &idx->msgs[slot];
		if ((m->have & HAVE_DEAD) == 0)
			state[slot] = find_bit(bits, m->subject) ||
			    find_bit(bits, m->from) ? FIND_HIT : FIND_LIVE;
	}
	free(bits);
	return state;
}

uint32_t
model_index_find(struct model_index *idx, uint32_t after, const char *text)
{
	struct finder f;
	struct find_cursor c;
	uint32_t n = idx->n_live, row, rank, near, i;
	uint8_t *state;
	size_t k;

	if (n == 0)
		return 0;
	row = after >= n ? 1 : after + 1;
	if (text[0] == '\0')
		return row; /* as strcasestr: "" is in every string */
	c.ordered = sort_uses_order(idx);
	if (c.ordered && idx->sort_stale)
		build_order(idx);
	memset(&f, 0, sizeof(f));
	f.idx = idx;
	f.len = strlen(text);
	f.needle = xmalloc(f.len);
	for (k = 0; k < f.len; k++)
		((unsigned char *)f.needle)[k] = fold_lower((unsigned char)text[k]);
	f.bit5 = 0x20 * WORD_ONES;
	f.first = (f.needle[0] | 0x20) * WORD_ONES;
	f.second = f.len > 1 ? (f.needle[1] | 0x20) * WORD_ONES : 0;
	f.memo = xcalloc((size_t)1 << FIND_MEMO_BITS, sizeof(*f.memo));

	c.step = idx->sort_desc ? -1 : 1;
	rank = idx->sort_desc ? n + 1 - row : row;
	c.pos = c.ordered ? fen_find(idx->order_live, idx->order_len, rank) :
	    msn_slot(idx, rank);
	c.n_pos = c.ordered ? idx->order_len : idx->n_slots;
	/* A match nearby is found row by row; the rest is searched in
	 * memory order first, then walked. */
	near = n < FIND_NEAR ? n : FIND_NEAR;
	i = find_walk(&f, &c, near, NULL);
	if (i == near && near < n) {
		state = find_slots(&f);
		i = near + find_walk(&f, &c, n - near, state);
		free(state);
	}
	free((void *)f.needle);
	free(f.memo);
	if (i == n)
		return 0;
	return (row - 1 + i) % n + 1;
}

void
model_index_get_stats(const struct model_index *idx,
    struct model_index_stats *stats_r)
{
	memset(stats_r, 0, sizeof(*stats_r));
	stats_r->messages = idx->n_live;
	stats_r->unknown_uids = idx->n_unknown;
	stats_r->slots = idx->n_slots;
	stats_r->strings = idx->strings.count;
	stats_r->string_bytes = idx->strings.bytes;
	stats_r->keywords = idx->n_kw;
	stats_r->keyword_sets = idx->n_sets - 1;
	stats_r->sorts = idx->sorts;
	stats_r->compactions = idx->compactions;
}
