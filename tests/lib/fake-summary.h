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

#endif
