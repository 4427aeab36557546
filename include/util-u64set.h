/* util-u64set: a set of 64-bit keys with O(1) add, remove and lookup,
 * for keys a server chooses (UIDs): the hash is seeded per set from
 * getrandom(2), so no server can line its keys up on one probe chain.
 * Open addressing with linear probing, at most half full; removal
 * shifts the chain back, so no tombstones pile up. */
#ifndef IMAPWB_UTIL_U64SET_H
#define IMAPWB_UTIL_U64SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct u64set {
	uint64_t *slots; /* key + 1; 0 is a free slot */
	size_t mask;     /* slots - 1 (a power of two) */
	size_t count;
	uint64_t seed;
};

/* The splitmix64 finisher: every bit of h moves about half the bits of
 * the result. Also the model index's string hash step. */
static inline uint64_t
u64_mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

/* Room for `expected` keys before the first growth. A zeroed set is an
 * empty one too: the first add makes its room. */
void u64set_init(struct u64set *set, size_t expected);
void u64set_free(struct u64set *set);

/* Keys are anything but UINT64_MAX. add returns false when the key was
 * there already; remove, when it was not. */
bool u64set_add(struct u64set *set, uint64_t key);
bool u64set_remove(struct u64set *set, uint64_t key);
bool u64set_contains(const struct u64set *set, uint64_t key);

#endif
