/* job-uidset: UIDs a job still has to send, kept as ranges and handed out
 * as command-line-sized pieces ("1:5,9,12", about 8 KB each). */
#ifndef IMAPWB_JOB_UIDSET_H
#define IMAPWB_JOB_UIDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode-search.h"

struct job_uidset {
	struct seqset set;
	size_t next; /* the first range not handed out yet */
};

void job_uidset_init(struct job_uidset *u);
void job_uidset_reset(struct job_uidset *u);
void job_uidset_free(struct job_uidset *u);
void job_uidset_add(struct job_uidset *u, uint32_t uid);
/* Every range of set but those with '*' (a UID set has none). */
void job_uidset_add_set(struct job_uidset *u, const struct seqset *set);
/* Order the ranges by their first UID (ranges stay as they are). */
void job_uidset_sort(struct job_uidset *u);
bool job_uidset_empty(const struct job_uidset *u);
/* Write the next ranges into out (size bytes), stopping before the text
 * would pass target bytes (one range always goes). False when nothing is
 * left. */
bool job_uidset_next_chunk(struct job_uidset *u, char *out, size_t size,
    size_t target);

#endif
