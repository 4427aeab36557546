/* util-u64set: a seeded open-addressing set of 64-bit keys. */
#include "config.h"

#include <stdlib.h>
#include <sys/random.h>

#include "util-mem.h"
#include "util-u64set.h"

static size_t
home(const struct u64set *set, uint64_t key)
{
	return (size_t)u64_mix(key ^ set->seed) & set->mask;
}

static void
alloc_slots(struct u64set *set, size_t size)
{
	set->slots = xcalloc(size, sizeof(*set->slots));
	set->mask = size - 1;
}

void
u64set_init(struct u64set *set, size_t expected)
{
	size_t size = 16;

	while (size / 2 < expected)
		size *= 2;
	alloc_slots(set, size);
	set->count = 0;
	if (getrandom(&set->seed, sizeof(set->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(set->seed))
		set->seed = u64_mix((uint64_t)(uintptr_t)set->slots);
}

void
u64set_free(struct u64set *set)
{
	free(set->slots);
	set->slots = NULL;
	set->mask = 0;
	set->count = 0;
}

/* The slot holding key, or the free slot that ends its chain. */
static size_t
find(const struct u64set *set, uint64_t key)
{
	size_t i = home(set, key);

	while (set->slots[i] != 0 && set->slots[i] != key + 1)
		i = (i + 1) & set->mask;
	return i;
}

static void
grow(struct u64set *set)
{
	uint64_t *old = set->slots;
	size_t old_size = set->mask + 1, i;

	alloc_slots(set, old_size * 2);
	for (i = 0; i < old_size; i++)
		if (old[i] != 0)
			set->slots[find(set, old[i] - 1)] = old[i];
	free(old);
}

bool
u64set_add(struct u64set *set, uint64_t key)
{
	size_t i;

	if (set->slots == NULL)
		u64set_init(set, 0);
	else if ((set->count + 1) * 2 > set->mask + 1)
		grow(set);
	i = find(set, key);
	if (set->slots[i] != 0)
		return false;
	set->slots[i] = key + 1;
	set->count++;
	return true;
}

bool
u64set_contains(const struct u64set *set, uint64_t key)
{
	return set->slots != NULL && set->slots[find(set, key)] != 0;
}

/* Backward-shift deletion: each key after the hole in the chain moves
 * into it if the hole lies between the key's home and its slot, so every
 * chain stays unbroken without markers. */
bool
u64set_remove(struct u64set *set, uint64_t key)
{
	size_t hole, i, want;

	if (set->slots == NULL)
		return false;
	hole = find(set, key);
	if (set->slots[hole] == 0)
		return false;
	set->slots[hole] = 0;
	set->count--;
	for (i = (hole + 1) & set->mask; set->slots[i] != 0;
	    i = (i + 1) & set->mask) {
		want = home(set, set->slots[i] - 1);
		/* does the hole lie cyclically in [want, i)? */
		if (((i - want) & set->mask) >= ((i - hole) & set->mask)) {
			set->slots[hole] = set->slots[i];
			set->slots[i] = 0;
			hole = i;
		}
	}
	return true;
}
