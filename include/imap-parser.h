/* imap-parser: a resumable pull parser for server responses.
 *
 * The parser reads only from the bytes it is given, never does I/O, and
 * returns DONE, NEED_MORE or ERROR (after Dovecot's imap-parser). It can be
 * fed one byte at a time or a whole buffer, with the same result. Every
 * length is capped: the response size, the list depth, inline literals,
 * and literal sizes, which are checked 64-bit numbers. Literals larger
 * than the inline cap are handed to a sink as they arrive, so memory never
 * follows the size the server announces. */
#ifndef IMAPWB_IMAP_PARSER_H
#define IMAPWB_IMAP_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imap-arg.h"

enum imap_parse_result {
	IMAP_PARSE_DONE,
	IMAP_PARSE_NEED_MORE,
	IMAP_PARSE_ERROR,
};

enum imap_response_kind {
	IMAP_RESPONSE_UNTAGGED,     /* "* ..." */
	IMAP_RESPONSE_TAGGED,       /* "tag OK|NO|BAD ..." */
	IMAP_RESPONSE_CONTINUATION, /* "+ ..." */
};

enum imap_status {
	IMAP_STATUS_NONE, /* not a status response ("* 3 EXISTS") */
	IMAP_STATUS_OK,
	IMAP_STATUS_NO,
	IMAP_STATUS_BAD,
	IMAP_STATUS_BYE,
	IMAP_STATUS_PREAUTH,
};

struct imap_response {
	enum imap_response_kind kind;
	const char *tag; /* tagged responses only */
	enum imap_status status;
	/* The tokens after the tag or "*", up to the resp-text of a status
	 * response (for "* 5 FETCH (..)": 5, FETCH and the list). */
	const struct imap_arg *args;
	size_t count;
	/* Status responses and continuations: RFC 9051 resp-text. */
	const char *code;      /* "PERMANENTFLAGS", or NULL */
	const char *code_args; /* raw text after the code name, or NULL */
	const char *text;      /* never NULL for status responses */
	/* The raw bytes of the response, streamed literals left out, for
	 * display. */
	const char *raw;
	size_t raw_len;
};

/* Where literals above the inline cap go. begin() is called with the
 * announced size before any byte; data() for each chunk; end() after the
 * last byte. A non-zero return is an error that stops the parse. */
struct imap_literal_sink {
	int (*begin)(void *ctx, uint64_t size, const char **error_r);
	int (*data)(void *ctx, const unsigned char *data, size_t len,
	    const char **error_r);
	int (*end)(void *ctx, const char **error_r);
	void *ctx;
};

/* Every limit bounds the memory one response can take. A zero field means
 * its default (imap_parser_limits_complete). The line limit counts the
 * bytes of one line, from the response's start or the end of a literal to
 * the next literal or the CRLF; the response limit counts every byte kept
 * (all lines and the inline literals). A long line costs twice its
 * length once parsed (its bytes for display and its tokens), so the
 * defaults keep one response under 48 MB of resident memory with room to
 * spare: see doc/imapwb.1, Limits. */
struct imap_parser_limits {
	size_t max_response;      /* buffered bytes of one response */
	size_t max_depth;         /* nested lists */
	size_t max_inline_literal;/* larger literals are streamed */
	uint64_t max_literal;     /* larger literals are an error */
	size_t max_items;         /* tokens in one response (list items,
				     strings, numbers...) */
	size_t max_line;          /* bytes of one line, literals left out */
	size_t max_literals;      /* literals in one response */
};

#define IMAP_PARSER_DEFAULT_MAX_RESPONSE (8u * 1024 * 1024)
#define IMAP_PARSER_DEFAULT_MAX_LINE (2u * 1024 * 1024)
#define IMAP_PARSER_DEFAULT_MAX_DEPTH 100
#define IMAP_PARSER_DEFAULT_MAX_INLINE_LITERAL (64u * 1024)
#define IMAP_PARSER_DEFAULT_MAX_LITERAL ((uint64_t)1 << 40)
#define IMAP_PARSER_DEFAULT_MAX_ITEMS (256u * 1024)
#define IMAP_PARSER_DEFAULT_MAX_LITERALS 10000

/* Which limit an error was (imap_parser_limit_hit). */
enum imap_parser_limit {
	IMAP_LIMIT_NONE, /* not a limit: the input is malformed */
	IMAP_LIMIT_RESPONSE,
	IMAP_LIMIT_LINE,
	IMAP_LIMIT_DEPTH,
	IMAP_LIMIT_LITERAL_SIZE,
	IMAP_LIMIT_ITEMS,
	IMAP_LIMIT_LITERALS,
};

/* limits (NULL: all defaults) with each zero field set to its default. */
void imap_parser_limits_complete(const struct imap_parser_limits *limits,
    struct imap_parser_limits *limits_r);

struct imap_parser;

/* limits may be NULL for the defaults. */
struct imap_parser *imap_parser_new(const struct imap_parser_limits *limits);
void imap_parser_free(struct imap_parser **parser);

/* The sink for streamed literals; NULL discards them (the default). */
void imap_parser_set_literal_sink(struct imap_parser *parser,
    const struct imap_literal_sink *sink);

/* Parse from data[0..len). *consumed_r says how many bytes were used; the
 * caller drops those and calls again with more (or the rest). On DONE,
 * *response_r, and every string and arg in it, is valid until the next
 * call (of imap_parser_parse, _reset or _free) and no longer: whoever
 * keeps a string copies it. None of it points into data, which the
 * caller may reuse as soon as the call returns. On ERROR, *error_r
 * explains, and the parser must be reset or freed: the stream is out of
 * sync. */
enum imap_parse_result imap_parser_parse(struct imap_parser *parser,
    const unsigned char *data, size_t len, size_t *consumed_r,
    const struct imap_response **response_r, const char **error_r);

/* After an ERROR: the limit it was, or IMAP_LIMIT_NONE. */
enum imap_parser_limit imap_parser_limit_hit(const struct imap_parser *parser);

/* Forget any partial response (for a new connection or after STARTTLS). */
void imap_parser_reset(struct imap_parser *parser);

/* Whether a response has begun and not ended (mid-line or mid-literal):
 * the server owes the rest of it. */
bool imap_parser_mid_response(const struct imap_parser *parser);

/* Bytes of the current streamed literal so far, and its announced size:
 * for progress display. Both 0 when no literal is streaming. */
void imap_parser_literal_progress(const struct imap_parser *parser,
    uint64_t *done_r, uint64_t *size_r);

/* Parse the arguments of a response code (code_args) or any text of IMAP
 * tokens, such as "(\Seen \Deleted \*)". Returns 0 and a tree that lives
 * until imap_parser_free() or the next parse; -1 with *error_r. */
int imap_parser_parse_text(struct imap_parser *parser, const char *text,
    const struct imap_arg **args_r, size_t *count_r, const char **error_r);

/* As imap_parser_parse_text, for len bytes that may hold literals
 * ("{5}\r\nhello"): the arguments of a command the client sends. */
int imap_parser_parse_args(struct imap_parser *parser, const char *text,
    size_t len, const struct imap_arg **args_r, size_t *count_r,
    const char **error_r);

const char *imap_status_name(enum imap_status status);

#endif
