/* fake-summary: realistic made-up message summaries for tests and bench. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "fake-summary.h"

static uint64_t rng_state = 88172645463325252ULL;

void
fake_rng_seed(uint64_t seed)
{
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
}

uint32_t
fake_rng(uint32_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32) % n;
}

static const char *const first_names[] = { "Alice", "Bob", "Carol", "Dave",
	"Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory",
	"Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor",
	"Walter", "Yolanda" };
static const char *const last_names[] = { "Anderson", "Brown", "Clark",
	"Davis", "Evans", "Garcia", "Harris", "Jackson", "Johnson", "King",
	"Lee", "Martin", "Miller", "Moore", "Nguyen", "Robinson",
	"Smith", "Taylor", "Thomas", "Thompson", "Walker", "White",
	"Williams", "Wilson", "Young" };
static const char *const words[] = { "quarterly", "report", "meeting",
	"project", "update", "invoice", "review", "budget", "plan",
	"release", "notes", "minutes", "draft", "proposal", "schedule",
	"server", "migration", "backup", "failed", "weekly", "team",
	"lunch", "the", "for", "and", "of", "new", "urgent", "status" };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

void
fake_summary(uint32_t i, uint32_t senders, char *from, size_t from_size,
    char *subject, size_t subject_size)
{
	uint32_t sender = fake_rng(senders), n_words = 3 + fake_rng(7), w;
	size_t len;

	snprintf(from, from_size, sender % 2 == 0 ? "%s %s" :
	    "%s.%s@example.org", first_names[sender % N_OF(first_names)],
	    last_names[sender / 20 % N_OF(last_names)]);
	len = (size_t)snprintf(subject, subject_size, "%s",
	    fake_rng(3) == 0 ? "Re: " : "");
	for (w = 0; w < n_words && len < subject_size - 20; w++)
		len += (size_t)snprintf(subject + len, subject_size - len,
		    "%s%s", w > 0 ? " " : "", words[fake_rng(N_OF(words))]);
	snprintf(subject + len, subject_size - len, " #%" PRIu32, i);
}
