/* job-harness: a session fed by a scripted server, for the job tests. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "job-harness.h"

static void
on_response(void *ctx, const struct imap_response *resp,
    const struct imap_session_command *cmd)
{
	struct harness *h = ctx;

	const struct decoded_response *d =
	    response_decoder_take(&h->decoder, resp, cmd);

	if (h->job != NULL)
		job_on_response(h->job, d);
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double ms)
{
	struct harness *h = ctx;

	if (h->job != NULL)
		job_on_completed(h->job, cmd, result,
		    response_decoder_last(&h->decoder, tagged));
}

static void
on_notice(void *ctx, const char *text)
{
	struct harness *h = ctx;

	buf_printf(&h->notices, "%s\n", text);
}

static void
on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct harness *h = ctx;

	buf_printf(&h->progress, "%llu/%llu;", (unsigned long long)done,
	    (unsigned long long)total);
}

static void
on_confirm(void *ctx, const char *question)
{
	struct harness *h = ctx;

	snprintf(h->question, sizeof(h->question), "%s", question);
}

static void
on_row(void *ctx, const struct largest_row *r)
{
	struct harness *h = ctx;

	buf_printf(&h->rows, "%s|%lu|%lu|%llu|%s|%s|%s|%s|%s|%llu\n",
	    r->mailbox, (unsigned long)r->uidvalidity, (unsigned long)r->uid,
	    (unsigned long long)r->size, r->date ? r->date : "-",
	    r->from ? r->from : "-", r->subject ? r->subject : "-",
	    r->part ? r->part : "-", r->part_type ? r->part_type : "-",
	    (unsigned long long)r->part_size);
}

struct job_callbacks
harness_callbacks(struct harness *h)
{
	return (struct job_callbacks){ .notice = on_notice,
		.progress = on_progress, .confirm = on_confirm, .ctx = h };
}

struct largest_callbacks
harness_largest_callbacks(struct harness *h)
{
	return (struct largest_callbacks){ .job = harness_callbacks(h),
		.row = on_row };
}

void
harness_init(struct harness *h, const char *capabilities)
{
	struct imap_session_listener l = {
		.response = on_response, .completed = on_completed, .ctx = h,
	};
	char greeting[1024];

	memset(h, 0, sizeof(*h));
	buf_init(&h->notices, 1 << 20);
	buf_init(&h->rows, 1 << 20);
	buf_init(&h->progress, 1 << 24);
	response_decoder_init(&h->decoder);
	h->s = imap_session_new(&l);
	snprintf(greeting, sizeof(greeting),
	    "* PREAUTH [CAPABILITY %s] ready\r\n", capabilities);
	assert_int_equal(harness_reply(h, greeting), IMAP_INPUT_OK);
	assert_int_equal(imap_session_state(h->s), IMAP_STATE_AUTHENTICATED);
}

void
harness_free(struct harness *h)
{
	job_free(&h->job);
	imap_session_free(&h->s);
	response_decoder_free(&h->decoder);
	buf_free(&h->notices);
	buf_free(&h->rows);
	buf_free(&h->progress);
}

void
harness_expect(struct harness *h, const char *line)
{
	const struct buf *out = imap_session_output(h->s);
	const char *sp;
	char *want;

	sp = memchr(out->data, ' ', out->len);
	assert_non_null(sp);
	assert_true((size_t)(sp - out->data) < sizeof(h->tag));
	memcpy(h->tag, out->data, (size_t)(sp - out->data));
	h->tag[sp - out->data] = '\0';
	want = malloc(strlen(h->tag) + strlen(line) + 4);
	assert_non_null(want);
	snprintf(want, strlen(h->tag) + strlen(line) + 4, "%s %s\r\n", h->tag,
	    line);
	assert_string_equal(buf_str(out), want);
	free(want);
	imap_session_output_written(h->s, out->len);
}

void
harness_expect_nothing(struct harness *h)
{
	assert_string_equal(buf_str(imap_session_output(h->s)), "");
}

static char *
with_tag(const struct harness *h, const char *text, size_t *len_r)
{
	struct buf b;
	const char *p = text, *q;

	buf_init(&b, 1u << 30);
	while ((q = strstr(p, "{tag}")) != NULL) {
		buf_append(&b, p, (size_t)(q - p));
		buf_append_str(&b, h->tag);
		p = q + 5;
	}
	buf_append_str(&b, p);
	*len_r = b.len;
	return buf_steal(&b);
}

enum imap_input_result
harness_reply_in_steps(struct harness *h, const char *text, size_t len,
    size_t step)
{
	enum imap_input_result ir = IMAP_INPUT_OK;
	const char *err = NULL;
	size_t off = 0, n, used;

	while (off < len) {
		n = len - off < step ? len - off : step;
		ir = imap_session_input(h->s, (const unsigned char *)text + off,
		    n, &used, &err);
		if (ir != IMAP_INPUT_OK)
			return ir;
		assert_int_equal(used, n);
		off += n;
	}
	return ir;
}

enum imap_input_result
harness_reply(struct harness *h, const char *text)
{
	enum imap_input_result ir;
	size_t len;
	char *t = with_tag(h, text, &len);

	ir = harness_reply_in_steps(h, t, len, len);
	free(t);
	return ir;
}
