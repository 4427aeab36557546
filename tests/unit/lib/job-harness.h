/* job-harness: a session fed by a scripted server, for the job tests.
 *
 *	harness_init(&h, "IMAP4rev1 UIDPLUS");   PREAUTH with these caps
 *	h.job = job_..._start(h.s, ...);
 *	harness_expect(&h, "EXAMINE INBOX");     the exact line sent
 *	harness_reply(&h, "* OK [UIDVALIDITY 5] x\r\n{tag} OK done\r\n");
 * {tag} stands for the tag of the line expected last. */
#ifndef IMAPWB_TEST_JOB_HARNESS_H
#define IMAPWB_TEST_JOB_HARNESS_H

#include "decode-response.h"
#include "imap-session.h"
#include "job-largest.h"
#include "job.h"
#include "util-buf.h"

struct harness {
	struct imap_session *s;
	struct response_decoder decoder; /* as src/client.c has it */
	struct job *job;
	struct buf notices;  /* each notice, then "\n" */
	struct buf rows;     /* --largest rows, one a line */
	struct buf progress; /* "done/total;" */
	char question[256];
	char tag[32];
};

void harness_init(struct harness *h, const char *capabilities);
void harness_free(struct harness *h);
/* The callbacks that record into h. */
struct job_callbacks harness_callbacks(struct harness *h);
struct largest_callbacks harness_largest_callbacks(struct harness *h);
/* The client's output must be exactly "<tag> line\r\n". */
void harness_expect(struct harness *h, const char *line);
/* The client has sent nothing. */
void harness_expect_nothing(struct harness *h);
/* Feed server text ({tag} replaced); every byte must be used. Returns
 * what imap_session_input returned. */
enum imap_input_result harness_reply(struct harness *h, const char *text);
/* As harness_reply, in pieces of `step` bytes. */
enum imap_input_result harness_reply_in_steps(struct harness *h,
    const char *text, size_t len, size_t step);

#endif
