/* fake-summary: realistic made-up message summaries for tests and bench. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fake-summary.h"
#include "model-index.h"

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

int
fake_index_fill(struct model_index *idx, uint32_t n, uint32_t senders,
    const char **error_r)
{
	static const char *const seen[] = { "\\Seen", "$Junk" };
	char from[80], subject[200];
	struct model_index_fetch f;
	uint32_t msn;

	if (model_index_append(idx, n, error_r) < 0)
		return -1;
	for (msn = 1; msn <= n; msn++) {
		fake_summary(msn, senders, from, sizeof(from), subject,
		    sizeof(subject));
		memset(&f, 0, sizeof(f));
		f.fields = MODEL_INDEX_FIELD_UID | MODEL_INDEX_FIELD_FLAGS |
		    MODEL_INDEX_FIELD_SIZE | MODEL_INDEX_FIELD_INTERNALDATE |
		    MODEL_INDEX_FIELD_MODSEQ | MODEL_INDEX_FIELD_ENVELOPE;
		f.uid = msn * 2 + 100;
		f.flags = seen;
		f.n_flags = fake_rng(3) == 0 ? 0 : 1 + (fake_rng(10) == 0);
		f.size = 1000 + fake_rng(300000);
		f.internaldate = 1500000000 + (int64_t)msn * 300;
		f.modseq = msn;
		f.date_valid = true;
		f.date = f.internaldate - fake_rng(3600);
		f.from = from;
		f.from_len = strlen(from);
		f.subject = subject;
		f.subject_len = strlen(subject);
		if (model_index_update(idx, msn, &f, error_r) < 0)
			return -1;
	}
	return 0;
}
