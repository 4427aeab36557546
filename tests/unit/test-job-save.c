/* Unit tests for job-save: inline and streamed bodies to a file, decoded
 * or not; a lying size (a message's or a part's), a missing UID, a cut
 * connection and a wrong UIDVALIDITY leave no file at all. */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "job-harness.h"
#include "job-save.h"
#include "util-buf.h"

static char dir[64];
static char path[128];

static int
make_dir(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/imapwb-save-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.bin", dir);
	return 0;
}

static int
remove_dir(void **state)
{
	unlink(path);
	return rmdir(dir);
}

/* Files in the folder (the result, and any temporary one). */
static int
files_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' || strlen(e->d_name) > 2)
			n += strcmp(e->d_name, ".") != 0 &&
			    strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void
read_file(struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	fclose(f);
}

static void
start_ending(struct harness *h, const char *part, bool decode,
    bool session_ends)
{
	struct save_params p = { .mailbox = "INBOX", .uidvalidity = 9,
		.uid = 5, .part = part, .decode = decode, .path = path };
	struct job_callbacks cb;
	const char *err = NULL;

	harness_init(h, "IMAP4rev1 UNSELECT");
	cb = harness_callbacks(h);
	cb.session_ends = session_ends;
	h->job = job_save_start(h->s, &p, &cb, &err);
	assert_non_null(h->job);
	harness_expect(h, "EXAMINE INBOX");
	harness_reply(h, "* OK [UIDVALIDITY 9] x\r\n{tag} OK done\r\n");
	/* a part's size and encoding first; a whole message in one FETCH
	 * with the size it must have */
	harness_expect(h, part != NULL
	    ? "UID FETCH 5 (UID RFC822.SIZE BODYSTRUCTURE)"
	    : "UID FETCH 5 (UID RFC822.SIZE BODY.PEEK[])");
}

static void
start(struct harness *h, const char *part, bool decode)
{
	start_ending(h, part, decode, false);
}

/* The FETCH reply `head`, `fill` `count` times, `tail`, ")" and the tagged
 * OK, fed in pieces of `step` bytes; then the job's UNSELECT, answered. */
static void
reply_body(struct harness *h, const char *head, const char *fill,
    size_t count, const char *tail, size_t step)
{
	struct buf reply;
	size_t i;

	buf_init(&reply, 1 << 20);
	buf_append_str(&reply, head);
	for (i = 0; i < count; i++)
		buf_append_str(&reply, fill);
	buf_printf(&reply, "%s)\r\n%s OK done\r\n", tail, h->tag);
	assert_int_equal(harness_reply_in_steps(h, reply.data, reply.len,
	    step), IMAP_INPUT_OK);
	buf_free(&reply);
	harness_expect(h, "UNSELECT");
	harness_reply(h, "{tag} OK done\r\n");
}

#define STRUCTURE(size) "BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL " \
	"\"7bit\" 3 1 NIL NIL NIL NIL)(\"application\" \"octet-stream\" NIL " \
	"NIL NIL \"base64\" " #size " NIL NIL NIL NIL) \"mixed\" NIL NIL NIL " \
	"NIL)"

static void
test_small_message_inline(void **state)
{
	struct harness h;
	struct buf got;

	start(&h, NULL, false);
	harness_reply(&h, "* 1 FETCH (UID 5 RFC822.SIZE 8 BODY[] {8}\r\n"
	    "ab\r\ncd\r\n)\r\n{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_OK);
	buf_init(&got, 1 << 20);
	read_file(&got);
	assert_int_equal(got.len, 8);
	assert_memory_equal(got.data, "ab\r\ncd\r\n", 8);
	assert_int_equal(files_in_dir(), 1);
	buf_free(&got);
	harness_free(&h);
}

/* A base64 part of 200000 encoded bytes, through the literal sink in
 * pieces of 1000 bytes, decoded on the way. */
static void
test_streamed_part_decoded(void **state)
{
	struct harness h;
	struct buf got;
	size_t i;

	start(&h, "2", true);
	harness_reply(&h, "* 1 FETCH (UID 5 RFC822.SIZE 300000 "
	    STRUCTURE(200000) ")\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID FETCH 5 (BODY.PEEK[2])");
	reply_body(&h, "* 1 FETCH (UID 5 BODY[2] {200000}\r\n",
	    "QUJD" /* "ABC" */, 200000 / 4, "", 1000);
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_int_equal(job_save_written(h.job), 150000);
	buf_init(&got, 1 << 20);
	read_file(&got);
	assert_int_equal(got.len, 150000);
	for (i = 0; i < got.len; i++)
		assert_int_equal(got.data[i], "ABC"[i % 3]);
	buf_free(&got);
	/* progress was told, ending at the literal's size */
	assert_non_null(strstr(buf_str(&h.progress), ";200000/200000;"));
	harness_free(&h);
}

/* A whole message's RFC822.SIZE, before or after its body in the same
 * FETCH, must be the body's length, held inline or streamed (over 64
 * KiB): else no file is kept. */
static void
lying_size(size_t len, const char *before, const char *after)
{
	struct harness h;
	char head[64], want[128];

	start(&h, NULL, false);
	snprintf(head, sizeof(head), "* 1 FETCH (UID 5 %sBODY[] {%zu}\r\n",
	    before, len);
	reply_body(&h, head, "x", len, after, 999);
	assert_int_equal(job_status(h.job), JOB_FAILED);
	snprintf(want, sizeof(want), "the server sent a body of %zu bytes, "
	    "not the 100 its RFC822.SIZE says", len);
	assert_string_equal(job_error(h.job), want);
	assert_int_equal(files_in_dir(), 0);
	harness_free(&h);
}

static void
test_lying_size_is_refused(void **state)
{
	lying_size(7000, "RFC822.SIZE 100 ", "");
	lying_size(7000, "", " RFC822.SIZE 100");
	lying_size(70000, "RFC822.SIZE 100 ", "");
	lying_size(70000, "", " RFC822.SIZE 100");
}

/* A part's size is known from BODYSTRUCTURE before its body: a literal of
 * another size is refused before a byte is written. */
static void
test_lying_part_size_is_refused_at_once(void **state)
{
	struct harness h;

	start(&h, "2", false);
	harness_reply(&h, "* 1 FETCH (UID 5 RFC822.SIZE 300 " STRUCTURE(100)
	    ")\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID FETCH 5 (BODY.PEEK[2])");
	assert_int_equal(harness_reply(&h,
	    "* 1 FETCH (UID 5 BODY[2] {70000}\r\nxxxx"), IMAP_INPUT_ERROR);
	imap_session_disconnected(h.s, "protocol error");
	assert_true(job_done(h.job));
	assert_int_equal(job_status(h.job), JOB_FAILED);
	assert_string_equal(job_error(h.job), "the server sent a body of 70000 "
	    "bytes, not the 100 it announced");
	assert_int_equal(files_in_dir(), 0);
	harness_free(&h);
}

/* No FETCH for the UID: the server has no such message (RFC 9051 6.4.9:
 * a UID FETCH of a missing UID is no error). */
static void
test_missing_uid(void **state)
{
	struct harness h;

	start(&h, NULL, false);
	harness_reply(&h, "{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_FAILED);
	assert_string_equal(job_error(h.job), "there is no UID 5 in INBOX");
	assert_int_equal(files_in_dir(), 0);
	harness_free(&h);
}

/* A batch run logs out after the job: no UNSELECT before it. */
static void
test_session_ends_without_unselect(void **state)
{
	struct harness h;

	start_ending(&h, NULL, false, true);
	harness_reply(&h, "* 1 FETCH (UID 5 RFC822.SIZE 2 BODY[] {2}\r\nab)"
	    "\r\n{tag} OK done\r\n");
	harness_expect_nothing(&h);
	assert_true(job_done(h.job));
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_int_equal(files_in_dir(), 1);
	harness_free(&h);
}

static void
test_cut_connection_leaves_no_file(void **state)
{
	struct harness h;
	struct buf reply;
	size_t i;

	start(&h, NULL, false);
	buf_init(&reply, 1 << 20);
	buf_append_str(&reply, "* 1 FETCH (UID 5 RFC822.SIZE 100000 BODY[] "
	    "{100000}\r\n");
	for (i = 0; i < 70000; i++)
		buf_append_byte(&reply, 'x');
	assert_int_equal(harness_reply(&h, reply.data), IMAP_INPUT_OK);
	buf_free(&reply);
	assert_int_equal(files_in_dir(), 1); /* the temporary file */
	imap_session_disconnected(h.s, "the server closed the connection");
	assert_true(job_done(h.job));
	assert_int_equal(job_status(h.job), JOB_LOST);
	assert_int_equal(files_in_dir(), 0);
	harness_free(&h);
}

static void
test_wrong_uidvalidity(void **state)
{
	struct save_params p = { .mailbox = "INBOX", .uidvalidity = 8,
		.uid = 5, .path = path };
	struct job_callbacks cb;
	struct harness h;
	const char *err = NULL;

	harness_init(&h, "IMAP4rev1");
	cb = harness_callbacks(&h);
	h.job = job_save_start(h.s, &p, &cb, &err);
	harness_expect(&h, "EXAMINE INBOX");
	harness_reply(&h, "* OK [UIDVALIDITY 9] x\r\n{tag} OK done\r\n");
	harness_expect_nothing(&h);
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_int_equal(files_in_dir(), 0);
	harness_free(&h);
}

static void
test_part_numbers(void **state)
{
	assert_true(job_save_part_valid("1"));
	assert_true(job_save_part_valid("2.10.3"));
	assert_false(job_save_part_valid(""));
	assert_false(job_save_part_valid("0"));
	assert_false(job_save_part_valid("1."));
	assert_false(job_save_part_valid(".1"));
	assert_false(job_save_part_valid("1..2"));
	assert_false(job_save_part_valid("1.02"));
	assert_false(job_save_part_valid("TEXT"));
	assert_false(job_save_part_valid("1 2"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_small_message_inline,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_streamed_part_decoded,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_lying_size_is_refused,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
		    test_lying_part_size_is_refused_at_once, make_dir,
		    remove_dir),
		cmocka_unit_test_setup_teardown(test_missing_uid, make_dir,
		    remove_dir),
		cmocka_unit_test_setup_teardown(
		    test_session_ends_without_unselect, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_cut_connection_leaves_no_file,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_wrong_uidvalidity,
		    make_dir, remove_dir),
		cmocka_unit_test(test_part_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
