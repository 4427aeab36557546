/* fake-summary: a seeded PRNG and made-up but realistic message summaries
 * (senders, subjects), shared by the index's unit test and its bench so
 * both measure the same kind of data. */
#ifndef IMAPWB_TEST_FAKE_SUMMARY_H
#define IMAPWB_TEST_FAKE_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

/* xorshift64*: the same sequence for the same seed, so failures replay. */
void fake_rng_seed(uint64_t seed);
uint32_t fake_rng(uint32_t n); /* 0 .. n-1 */

/* Message i's sender (one of `senders`, half as display names, half as
 * bare addresses) and subject (3 to 9 words and "#i", ~45 bytes, a third
 * of them replies). */
void fake_summary(uint32_t i, uint32_t senders, char *from, size_t from_size,
    char *subject, size_t subject_size);

struct model_index;

/* An index of n messages as after SELECT and FETCH 1:* (UID FLAGS
 * RFC822.SIZE INTERNALDATE MODSEQ ENVELOPE): UIDs with gaps, a third
 * without flags and a tenth also $Junk, sizes up to 300 kB, a Date a
 * little before the INTERNALDATE, senders from fake_summary(). The
 * index's unit test and both of its benchmarks fill it so. 0, or -1
 * with *error_r. */
int fake_index_fill(struct model_index *idx, uint32_t n, uint32_t senders,
    const char **error_r);

#endif
