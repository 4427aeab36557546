/* capability-info: what each IMAP capability means, and where it is
 * defined, for the Capabilities view and for learners. */
#ifndef IMAPWB_CAPABILITY_INFO_H
#define IMAPWB_CAPABILITY_INFO_H

struct capability_info {
	const char *name;    /* "IDLE", or a prefix ending in '*' ("AUTH=*") */
	const char *meaning; /* one line */
	const char *rfc;     /* "RFC 2177", or "" for vendor extensions */
};

/* The entry for a capability as a server sends it ("AUTH=PLAIN" finds
 * "AUTH=*"), case-insensitive; NULL for one this table does not know. */
const struct capability_info *capability_info_lookup(const char *name);

#endif
