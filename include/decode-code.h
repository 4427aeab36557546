/* decode-code: the response codes of status responses ("* OK [UIDNEXT 5]"),
 * and the untagged mailbox
 * responses that go with them: FLAGS, n EXISTS, n RECENT, n EXPUNGE and
 * VANISHED. */
#ifndef IMAPWB_DECODE_CODE_H
#define IMAPWB_DECODE_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode-search.h"
#include "imap-parser.h"

enum response_code_kind {
	RESP_CODE_UNKNOWN, /* a code no table row knows; see args */
	RESP_CODE_ALERT,
	RESP_CODE_PERMANENTFLAGS,
	RESP_CODE_UIDNEXT,
	RESP_CODE_UIDVALIDITY,
	RESP_CODE_UNSEEN,
	RESP_CODE_READ_ONLY,
	RESP_CODE_READ_WRITE,
	RESP_CODE_TRYCREATE,
	RESP_CODE_PARSE,
	RESP_CODE_UIDNOTSTICKY,
	RESP_CODE_APPENDUID,
	RESP_CODE_COPYUID,
	RESP_CODE_HIGHESTMODSEQ,
	RESP_CODE_NOMODSEQ,
	RESP_CODE_MODIFIED,
	RESP_CODE_CLOSED,
	RESP_CODE_CAPABILITY,
	RESP_CODE_BADCHARSET,
	RESP_CODE_HASCHILDREN,
	RESP_CODE_UNAVAILABLE,
	RESP_CODE_AUTHENTICATIONFAILED,
	RESP_CODE_AUTHORIZATIONFAILED,
	RESP_CODE_EXPIRED,
	RESP_CODE_PRIVACYREQUIRED,
	RESP_CODE_CONTACTADMIN,
	RESP_CODE_NOPERM,
	RESP_CODE_INUSE,
	RESP_CODE_EXPUNGEISSUED,
	RESP_CODE_CORRUPTION,
	RESP_CODE_SERVERBUG,
	RESP_CODE_CLIENTBUG,
	RESP_CODE_CANNOT,
	RESP_CODE_LIMIT,
	RESP_CODE_OVERQUOTA,
	RESP_CODE_ALREADYEXISTS,
	RESP_CODE_NONEXISTENT,
	RESP_CODE_KIND_COUNT,
};

struct response_code_info {
	enum response_code_kind kind;
	const char *name;    /* "UIDNEXT"; what it means is in the
				knowledge table (teach-knowledge.h) */
};

/* The table row for a code name (without case), or NULL. */
const struct response_code_info *response_code_lookup(const char *name);
/* The table row for a kind; UNKNOWN gives a generic row. */
const struct response_code_info *response_code_info(
    enum response_code_kind kind);

/* A list of atoms: PERMANENTFLAGS and FLAGS flags, CAPABILITY names,
 * BADCHARSET charsets. */
struct atom_list {
	const char **items;
	size_t count;
};

struct response_code {
	enum response_code_kind kind;
	const struct response_code_info *info;
	const char *name;  /* as the server sent it */
	const char *args;  /* raw arguments, or NULL: for UNKNOWN codes */
	/* UIDNEXT, UIDVALIDITY, UNSEEN; APPENDUID, COPYUID: uidvalidity */
	uint32_t number;
	uint64_t modseq;    /* HIGHESTMODSEQ */
	struct seqset set;  /* APPENDUID: new UIDs; COPYUID: source UIDs;
			       MODIFIED: the messages not changed */
	struct seqset dest; /* COPYUID: destination UIDs */
	struct atom_list atoms;
	bool any_keyword;   /* PERMANENTFLAGS holds \* (RFC 9051 7.1) */
};

/* Decode resp->code and resp->code_args, tokenising the arguments with
 * scratch: true and *code_r (strings point into the response or into
 * scratch's tree, valid until scratch parses again), or false with
 * *error_r if the response has no code or its arguments are malformed.
 * A code that no row knows decodes as RESP_CODE_UNKNOWN with its raw
 * arguments. Free with response_code_free(). */
bool decode_code(const struct imap_response *resp,
    struct imap_parser *scratch, struct response_code *code_r,
    const char **error_r);
void response_code_free(struct response_code *code);

/* * FLAGS (flag...) */
bool decode_flags(const struct imap_response *resp, struct atom_list *r,
    const char **error_r);
void atom_list_free(struct atom_list *l);

enum message_count_kind {
	MESSAGE_COUNT_EXISTS,
	MESSAGE_COUNT_RECENT,
	MESSAGE_COUNT_EXPUNGE, /* n is the expunged sequence number */
};

/* * n EXISTS, * n RECENT, * n EXPUNGE */
struct message_count {
	enum message_count_kind kind;
	uint32_t n;
};

bool decode_message_count(const struct imap_response *resp,
    struct message_count *r, const char **error_r);

/* * VANISHED [(EARLIER)] known-uids (RFC 7162 3.2.10) */
struct vanished {
	bool earlier;
	struct seqset uids;
};

bool decode_vanished(const struct imap_response *resp, struct vanished *r,
    const char **error_r);
void vanished_free(struct vanished *r);

#endif
