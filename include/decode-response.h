/* decode-response: one response decoded once, for every consumer.
 *
 * The client decodes each response here, one time, and hands the value
 * beside the raw tree to the model, the JSON events, the jobs and the
 * views (DESIGN.md, "Decode once"), so none of them decodes the same
 * bytes again with a parser of its own. The kind is found through one
 * table keyed by the response's name; the response code, when there is
 * one, is decoded too. Strings point into the response (or the scratch
 * parser's tree for code arguments): the value lives as long as the
 * response, and is freed with decoded_response_free(). */
#ifndef IMAPWB_DECODE_RESPONSE_H
#define IMAPWB_DECODE_RESPONSE_H

#include <stdbool.h>

#include "decode-acl.h"
#include "decode-bodystructure.h"
#include "decode-code.h"
#include "decode-fetch.h"
#include "decode-mailbox.h"
#include "decode-namespace.h"
#include "decode-quota.h"
#include "decode-search.h"
#include "imap-parser.h"

struct imap_session_command;

enum decoded_kind {
	DECODED_NONE,        /* no data the decoders know (or a status) */
	DECODED_CAPABILITY,  /* * CAPABILITY: read resp->args[1..] */
	DECODED_LIST,        /* LIST, LSUB, XLIST */
	DECODED_STATUS,
	DECODED_FLAGS,
	DECODED_COUNT,       /* EXISTS, RECENT, EXPUNGE */
	DECODED_VANISHED,
	DECODED_FETCH,
	DECODED_SEARCH,
	DECODED_SORT,
	DECODED_ESEARCH,
	DECODED_ACL,
	DECODED_MYRIGHTS,
	DECODED_LISTRIGHTS,
	DECODED_QUOTA,
	DECODED_QUOTAROOT,
	DECODED_NAMESPACE,
	DECODED_ID,
	DECODED_KIND_COUNT,
};

struct decoded_response {
	const struct imap_response *raw;
	/* The command the response answers (imap-session.h), or NULL. */
	const struct imap_session_command *owner;
	enum decoded_kind kind;
	/* A response of a known kind that did not decode: kind is NONE and
	 * this says why. */
	const char *error;
	bool has_code; /* resp->code decoded into `code` */
	struct response_code code;
	union {
		struct list_response list;
		struct status_response status;
		struct atom_list flags;
		struct message_count count;
		struct vanished vanished;
		struct search_result search; /* SEARCH and SORT */
		struct esearch_result esearch;
		struct acl_response acl;
		struct acl_myrights myrights;
		struct acl_listrights listrights;
		struct quota_response quota;
		struct quota_roots quotaroot;
		struct namespace_response namespace_;
		struct id_response id;
		struct {
			struct fetch_response f;
			/* the BODYSTRUCTURE tree when the FETCH has one,
			 * NULL otherwise (or when it is malformed) */
			struct bodystructure_part *structure;
		} fetch;
	} u;
};

const char *decoded_kind_name(enum decoded_kind kind);

/* The name of untagged data ("FETCH" in "* 5 FETCH (...)"), not
 * NUL-terminated, with its length in *len_r; NULL for a status response,
 * a continuation, a tagged reply or a name that is not an atom. */
const char *response_data_name(const struct imap_response *r, size_t *len_r);
/* The i-th response name the decoders read ("LIST"); NULL past the
 * last. */
const char *decoded_known_name(size_t i);

/* Decode resp (answering owner, which may be NULL), using scratch for
 * the code's arguments. Never fails: what does not decode is kind NONE
 * with error set. */
void decoded_response_init(struct decoded_response *d,
    const struct imap_response *resp,
    const struct imap_session_command *owner, struct imap_parser *scratch);
void decoded_response_free(struct decoded_response *d);

/* The numbers a tagged reply's [MODIFIED set] says were not changed
 * (RFC 7162 3.1.3), added to *out range by range ('*' never appears in
 * it); nothing if d is NULL or has no MODIFIED code. */
void decoded_modified_set(const struct decoded_response *d,
    void (*add)(void *out, uint32_t lo, uint32_t hi), void *out);

/* What a listener of the session keeps to decode each response once:
 * the value of the last response stays valid until the next one is
 * decoded, which covers the command completion the session raises right
 * after a tagged reply. */
struct response_decoder {
	struct imap_parser *scratch;
	struct decoded_response last;
	bool have_last;
};

void response_decoder_init(struct response_decoder *dec);
void response_decoder_free(struct response_decoder *dec);
/* Decode resp (answering owner); valid until the next call. */
const struct decoded_response *response_decoder_take(
    struct response_decoder *dec, const struct imap_response *resp,
    const struct imap_session_command *owner);
/* The decoded value of `raw` if it was the last response decoded (the
 * tagged reply a completion carries), else NULL. */
const struct decoded_response *response_decoder_last(
    const struct response_decoder *dec, const struct imap_response *raw);

#endif
