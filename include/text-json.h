/* text-json: one JSON value at a time into a buffer, for --json events.
 *
 * Strings are always valid UTF-8 in the output: ill-formed input bytes
 * become U+FFFD, and control characters are escaped. Commas and nesting
 * are tracked, so callers only say what comes next. */
#ifndef IMAPWB_TEXT_JSON_H
#define IMAPWB_TEXT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util-buf.h"

#define JSON_MAX_DEPTH 32

struct json_writer {
	struct buf *out;
	unsigned depth;
	bool first[JSON_MAX_DEPTH + 1]; /* nothing written yet at a level */
	bool after_key;
	bool failed; /* out filled up or nesting went too deep */
};

void json_writer_init(struct json_writer *w, struct buf *out);

void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);
/* An object member's name; the next value is its value. */
void json_key_len(struct json_writer *w, const char *key, size_t len);

/* Inline, so the length of a literal name is known when compiled. */
static inline void
json_key(struct json_writer *w, const char *key)
{
	json_key_len(w, key, strlen(key));
}

void json_string(struct json_writer *w, const char *s, size_t len);
void json_cstring(struct json_writer *w, const char *s); /* NULL: null */
void json_uint(struct json_writer *w, uint64_t v);
void json_double(struct json_writer *w, double v, int decimals);
void json_bool(struct json_writer *w, bool v);
void json_null(struct json_writer *w);

/* Where the output ends now. Taken right after json_key() and again
 * after the member's value, it brackets the value, which json_repeat()
 * can write again later in the same output. */
size_t json_value_mark(const struct json_writer *w);
/* The bytes between two marks of this writer's output, written again as
 * the next value: a value repeated without being made twice. */
void json_repeat(struct json_writer *w, size_t from, size_t to);

/* 0 if everything fit, -1 if the buffer filled up or nesting was too
 * deep (the output is then incomplete and must not be used). */
int json_writer_status(const struct json_writer *w);

#endif
