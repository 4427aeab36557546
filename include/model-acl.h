/* model-acl: what GETACL, MYRIGHTS and LISTRIGHTS said, per mailbox, for
 * the ACL view. Entries are copied out of the responses; names are raw. */
#ifndef IMAPWB_MODEL_ACL_H
#define IMAPWB_MODEL_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode-acl.h"

struct model_acl_entry {
	char *identifier;
	bool negative;
	char *rights;
	/* LISTRIGHTS for this identifier, when asked */
	char *required;     /* NULL until LISTRIGHTS answered */
	char **optional;
	size_t optional_count;
};

struct model_acl_mailbox {
	char *mailbox;
	bool acl_known;     /* a GETACL answered */
	struct model_acl_entry *entries;
	size_t count;
	char *myrights;     /* NULL until MYRIGHTS answered */
};

struct model_acl;

struct model_acl *model_acl_new(void);
void model_acl_free(struct model_acl **acl);
void model_acl_clear(struct model_acl *acl);
uint64_t model_acl_generation(const struct model_acl *acl);

/* An ACL response replaces the mailbox's entries (GETACL lists all). */
void model_acl_set(struct model_acl *acl, const struct acl_response *r);
void model_acl_set_myrights(struct model_acl *acl,
    const struct acl_myrights *r);
void model_acl_set_listrights(struct model_acl *acl,
    const struct acl_listrights *r);

/* NULL if nothing is known about the mailbox. */
const struct model_acl_mailbox *model_acl_get(const struct model_acl *acl,
    const char *mailbox);

#endif
