/* Unit tests for job-largest: each strategy's exact commands, ranking
 * across mailboxes, details for the winners only, hostile sizes. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "job-harness.h"
#include "job-largest.h"

static void
start(struct harness *h, const char *caps, struct largest_params *p)
{
	struct largest_callbacks cb;
	const char *err = NULL;

	harness_init(h, caps);
	cb = harness_largest_callbacks(h);
	h->job = job_largest_start(h->s, p, &cb, &err);
	assert_non_null(h->job);
}

static void
examined(struct harness *h, unsigned uidvalidity, unsigned exists,
    unsigned uidnext)
{
	char text[256];

	snprintf(text, sizeof(text), "* %u EXISTS\r\n* OK [UIDVALIDITY %u] x\r\n"
	    "* OK [UIDNEXT %u] x\r\n{tag} OK [READ-ONLY] done\r\n", exists,
	    uidvalidity, uidnext);
	harness_reply(h, text);
}

#define DETAILS "(UID RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)"
#define ENVELOPE "ENVELOPE (\"Fri, 22 Dec 2023 17:30:00 +0100\" " \
	"\"=?UTF-8?Q?Video_der_Weihnachtsfeier?=\" " \
	"((\"Carol\" NIL \"carol\" \"example.net\")) NIL NIL NIL NIL NIL NIL NIL)"
#define BODY "BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL " \
	"NIL \"8bit\" 40 1 NIL NIL NIL NIL)(\"video\" \"mp4\" NIL NIL NIL " \
	"\"base64\" 9000 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"b\") NIL " \
	"NIL NIL)"

/* SORT in two mailboxes; the winners' details come from a second EXAMINE
 * of the first one, whose UIDVALIDITY is checked again. */
static void
test_sort_across_mailboxes(void **state)
{
	const char *boxes[] = { "INBOX", "Archiv/2023" };
	struct largest_params p = { .count = 2, .mailboxes = boxes,
		.mailbox_count = 2 };
	struct harness h;

	start(&h, "IMAP4rev1 SORT UNSELECT", &p);
	harness_expect(&h, "EXAMINE INBOX");
	examined(&h, 5, 3, 4);
	harness_expect(&h, "UID SORT (REVERSE SIZE) US-ASCII ALL");
	harness_reply(&h, "* SORT 3 1 2\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID FETCH 3,1 (UID RFC822.SIZE)");
	harness_reply(&h, "* 3 FETCH (UID 3 RFC822.SIZE 10000)\r\n"
	    "* 1 FETCH (UID 1 RFC822.SIZE 500)\r\n"
	    "* 2 FETCH (FLAGS (\\Seen))\r\n{tag} OK done\r\n");
	harness_expect(&h, "EXAMINE Archiv/2023");
	examined(&h, 6, 1, 2);
	harness_expect(&h, "UID SORT (REVERSE SIZE) US-ASCII ALL");
	harness_reply(&h, "* SORT 1\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID FETCH 1 (UID RFC822.SIZE)");
	harness_reply(&h, "* 1 FETCH (UID 1 RFC822.SIZE 700)\r\n{tag} OK done\r\n");
	harness_expect(&h, "EXAMINE INBOX");
	examined(&h, 5, 3, 4);
	harness_expect(&h, "UID FETCH 3 " DETAILS);
	harness_reply(&h, "* 3 FETCH (UID 3 RFC822.SIZE 10000 INTERNALDATE "
	    "\"22-Dec-2023 17:30:00 +0100\" " ENVELOPE " " BODY ")\r\n"
	    "{tag} OK done\r\n");
	harness_expect(&h, "EXAMINE Archiv/2023");
	examined(&h, 6, 1, 2);
	harness_expect(&h, "UID FETCH 1 " DETAILS);
	harness_reply(&h, "* 1 FETCH (UID 1 RFC822.SIZE 700)\r\n{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	assert_string_equal(buf_str(&h.rows), "");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_string_equal(buf_str(&h.rows),
	    "INBOX|5|3|10000|2023-12-22T17:30:00+01:00|Carol <carol@example.net>|"
	    "Video der Weihnachtsfeier|2|video/mp4|9000\n"
	    "Archiv/2023|6|1|700|-|-|-|-|-|0\n");
	harness_free(&h);
}

/* The top 2 of INBOX on a server without SORT (UIDVALIDITY 5): one UID
 * FETCH 1:* answered by `sizes`, then the details of `winners` answered
 * by `details`; the rows must be `rows`. */
static void
top2_without_sort(uint32_t exists, uint32_t uidnext, const char *sizes,
    const char *winners, const char *details, const char *rows)
{
	const char *boxes[] = { "INBOX" };
	struct largest_params p = { .count = 2, .mailboxes = boxes,
		.mailbox_count = 1 };
	struct harness h;
	char want[128];

	start(&h, "IMAP4rev1", &p);
	harness_expect(&h, "EXAMINE INBOX");
	examined(&h, 5, exists, uidnext);
	harness_expect(&h, "UID FETCH 1:* (UID RFC822.SIZE)");
	harness_reply(&h, sizes);
	snprintf(want, sizeof(want), "UID FETCH %s " DETAILS, winners);
	harness_expect(&h, want);
	harness_reply(&h, details);
	harness_expect_nothing(&h);
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_string_equal(buf_str(&h.rows), rows);
	harness_free(&h);
}

/* No SORT, no minimum: one UID FETCH 1:*, whatever UIDNEXT says. A size
 * of 2^64-1 is just a number. */
static void
test_fetch_all_and_a_huge_size(void **state)
{
	top2_without_sort(3, 60001,
	    "* 1 FETCH (UID 7 RFC822.SIZE 18446744073709551615)\r\n"
	    "* 2 FETCH (UID 8 RFC822.SIZE 3)\r\n"
	    "* 3 FETCH (UID 50001 RFC822.SIZE 5)\r\n{tag} OK done\r\n",
	    "7,50001",
	    "* 1 FETCH (UID 7 RFC822.SIZE 18446744073709551615)\r\n"
	    "* 3 FETCH (UID 50001 RFC822.SIZE 5)\r\n{tag} OK done\r\n",
	    "INBOX|5|7|18446744073709551615|-|-|-|-|-|0\n"
	    "INBOX|5|50001|5|-|-|-|-|-|0\n");
}

/* A server that sends a UID twice: a repeat of a candidate in the top N
 * takes no second place; one pushed out earlier is a candidate again
 * (here with a larger size, as a server might say after a change). */
static void
test_repeats_and_evicted_candidates(void **state)
{
	top2_without_sort(4, 100,
	    "* 1 FETCH (UID 1 RFC822.SIZE 10)\r\n"
	    "* 2 FETCH (UID 2 RFC822.SIZE 20)\r\n"
	    "* 3 FETCH (UID 3 RFC822.SIZE 30)\r\n"  /* pushes UID 1 out */
	    "* 3 FETCH (UID 3 RFC822.SIZE 30)\r\n"  /* in the top: once */
	    "* 1 FETCH (UID 1 RFC822.SIZE 40)\r\n"  /* out: back in */
	    "{tag} OK done\r\n",
	    "1,3",
	    "* 1 FETCH (UID 1 RFC822.SIZE 40)\r\n"
	    "* 3 FETCH (UID 3 RFC822.SIZE 30)\r\n{tag} OK done\r\n",
	    "INBOX|5|1|40|-|-|-|-|-|0\n"
	    "INBOX|5|3|30|-|-|-|-|-|0\n");
}

/* Ties rank as SORT (REVERSE SIZE) ranks them: equal sizes by mailbox in
 * scan order, then by ascending UID, whatever order the FETCH replies come
 * in; at the cut, the lower UIDs stay. A size seen twice for one UID
 * counts once. */
static void
test_ties_rank_by_mailbox_then_uid(void **state)
{
	const char *boxes[] = { "INBOX", "Old" };
	struct largest_params p = { .count = 4, .mailboxes = boxes,
		.mailbox_count = 2 };
	struct harness h;

	start(&h, "IMAP4rev1 UNSELECT", &p);
	harness_expect(&h, "EXAMINE INBOX");
	examined(&h, 5, 6, 100);
	harness_expect(&h, "UID FETCH 1:* (UID RFC822.SIZE)");
	harness_reply(&h, "* 6 FETCH (UID 60 RFC822.SIZE 500)\r\n"
	    "* 5 FETCH (UID 50 RFC822.SIZE 500)\r\n"
	    "* 1 FETCH (UID 10 RFC822.SIZE 100)\r\n"
	    "* 4 FETCH (UID 40 RFC822.SIZE 900)\r\n"
	    "* 2 FETCH (UID 20 RFC822.SIZE 500)\r\n"
	    "* 2 FETCH (UID 20 RFC822.SIZE 500)\r\n"
	    "* 3 FETCH (UID 30 RFC822.SIZE 500)\r\n{tag} OK done\r\n");
	harness_expect(&h, "EXAMINE Old");
	examined(&h, 6, 2, 10);
	harness_expect(&h, "UID FETCH 1:* (UID RFC822.SIZE)");
	harness_reply(&h, "* 1 FETCH (UID 1 RFC822.SIZE 900)\r\n"
	    "* 2 FETCH (UID 2 RFC822.SIZE 500)\r\n{tag} OK done\r\n");
	harness_expect(&h, "EXAMINE INBOX");
	examined(&h, 5, 6, 100);
	harness_expect(&h, "UID FETCH 20,30,40 " DETAILS);
	harness_reply(&h, "* 2 FETCH (UID 20 RFC822.SIZE 500)\r\n"
	    "* 3 FETCH (UID 30 RFC822.SIZE 500)\r\n"
	    "* 4 FETCH (UID 40 RFC822.SIZE 900)\r\n{tag} OK done\r\n");
	harness_expect(&h, "EXAMINE Old");
	examined(&h, 6, 2, 10);
	harness_expect(&h, "UID FETCH 1 " DETAILS);
	harness_reply(&h, "* 1 FETCH (UID 1 RFC822.SIZE 900)\r\n"
	    "{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	harness_expect_nothing(&h);
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_string_equal(buf_str(&h.rows),
	    "INBOX|5|40|900|-|-|-|-|-|0\n"
	    "Old|6|1|900|-|-|-|-|-|0\n"
	    "INBOX|5|20|500|-|-|-|-|-|0\n"
	    "INBOX|5|30|500|-|-|-|-|-|0\n");
	harness_free(&h);
}

/* A minimum size with ESEARCH: the ranges come back compact. */
static void
test_esearch_larger(void **state)
{
	const char *boxes[] = { "INBOX" };
	struct largest_params p = { .count = 5, .min_size = 1000,
		.mailboxes = boxes, .mailbox_count = 1 };
	struct harness h;

	start(&h, "IMAP4rev1 ESEARCH", &p);
	harness_expect(&h, "EXAMINE INBOX");
	examined(&h, 5, 9, 10);
	harness_expect(&h, "UID SEARCH RETURN (ALL) LARGER 999");
	harness_reply(&h, "* ESEARCH (TAG \"x\") UID ALL 2:3,7\r\n"
	    "{tag} OK done\r\n");
	harness_expect(&h, "UID FETCH 2:3,7 (UID RFC822.SIZE)");
	harness_reply(&h, "* 1 FETCH (UID 2 RFC822.SIZE 1000)\r\n"
	    "* 2 FETCH (UID 3 RFC822.SIZE 999)\r\n"
	    "* 3 FETCH (UID 7 RFC822.SIZE 2000)\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID FETCH 2,7 " DETAILS);
	harness_reply(&h, "* 1 FETCH (UID 2 RFC822.SIZE 1000)\r\n"
	    "* 3 FETCH (UID 7 RFC822.SIZE 2000)\r\n{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_string_equal(buf_str(&h.rows),
	    "INBOX|5|7|2000|-|-|-|-|-|0\nINBOX|5|2|1000|-|-|-|-|-|0\n");
	harness_free(&h);
}

/* SEARCH without ESEARCH finds 3000 scattered UIDs: the sizes are asked
 * in command lines of at most about 8 KB, which together name them all. */
static void
test_long_sets_are_chunked(void **state)
{
	const char *boxes[] = { "INBOX" };
	struct largest_params p = { .count = 1, .min_size = 10,
		.mailboxes = boxes, .mailbox_count = 1 };
	struct harness h;
	struct buf reply;
	const struct buf *out;
	unsigned i, lines = 0, named = 0;
	const char *q;

	start(&h, "IMAP4rev1", &p);
	harness_expect(&h, "EXAMINE INBOX");
	examined(&h, 5, 3000, 6001);
	harness_expect(&h, "UID SEARCH LARGER 9");
	buf_init(&reply, 1 << 20);
	buf_append_str(&reply, "* SEARCH");
	for (i = 1; i <= 3000; i++)
		buf_printf(&reply, " %u", 2 * i);
	buf_append_str(&reply, "\r\n{tag} OK done\r\n");
	harness_reply(&h, buf_str(&reply));
	buf_free(&reply);
	while ((out = imap_session_output(h.s))->len > 0) {
		const char *sp = memchr(out->data, ' ', out->len);

		assert_true(out->len <= JOB_LARGEST_LINE_TARGET + 64);
		assert_non_null(strstr(out->data, " UID FETCH "));
		assert_non_null(strstr(out->data, " (UID RFC822.SIZE)\r\n"));
		snprintf(h.tag, sizeof(h.tag), "%.*s", (int)(sp - out->data),
		    out->data);
		for (q = out->data; (q = strchr(q, ',')) != NULL; q++)
			named++;
		named++;
		lines++;
		imap_session_output_written(h.s, out->len);
		harness_reply(&h, "{tag} OK done\r\n");
	}
	assert_int_equal(named, 3000);
	assert_int_equal(lines, 2); /* 14447 bytes of set */
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_string_equal(buf_str(&h.rows), "");
	harness_free(&h);
}

/* The winners' mailbox changed its UIDVALIDITY during the scan: its
 * messages are left out, said so. */
static void
test_uidvalidity_change_drops_winners(void **state)
{
	const char *boxes[] = { "A", "B" };
	struct largest_params p = { .count = 1, .mailboxes = boxes,
		.mailbox_count = 2 };
	struct harness h;

	start(&h, "IMAP4rev1 SORT", &p);
	harness_expect(&h, "EXAMINE A");
	examined(&h, 5, 1, 2);
	harness_expect(&h, "UID SORT (REVERSE SIZE) US-ASCII ALL");
	harness_reply(&h, "* SORT 1\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID FETCH 1 (UID RFC822.SIZE)");
	harness_reply(&h, "* 1 FETCH (UID 1 RFC822.SIZE 700)\r\n{tag} OK done\r\n");
	harness_expect(&h, "EXAMINE B");
	examined(&h, 6, 0, 1);
	harness_expect(&h, "EXAMINE A");
	examined(&h, 99, 1, 2);
	harness_expect_nothing(&h);
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_string_equal(buf_str(&h.rows), "");
	assert_string_equal(buf_str(&h.notices), "UIDVALIDITY of A changed "
	    "during the scan: its messages are left out\n");
	harness_free(&h);
}

/* Without --mailbox: LIST, skipping what cannot be selected; mailbox names
 * are shown decoded from modified UTF-7. */
static void
test_list_skips_noselect(void **state)
{
	struct largest_params p = { .count = 1 };
	struct harness h;

	start(&h, "IMAP4rev1 SORT", &p);
	harness_expect(&h, "LIST \"\" *");
	harness_reply(&h, "* LIST (\\Noselect) \"/\" Archiv\r\n"
	    "* LIST () \"/\" Entw&APw-rfe\r\n{tag} OK done\r\n");
	harness_expect(&h, "EXAMINE Entw&APw-rfe");
	examined(&h, 5, 1, 2);
	harness_expect(&h, "UID SORT (REVERSE SIZE) US-ASCII ALL");
	harness_reply(&h, "* SORT 1\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID FETCH 1 (UID RFC822.SIZE)");
	harness_reply(&h, "* 1 FETCH (UID 1 RFC822.SIZE 7)\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID FETCH 1 " DETAILS);
	harness_reply(&h, "* 1 FETCH (UID 1 RFC822.SIZE 7)\r\n{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_string_equal(buf_str(&h.rows),
	    "Entwürfe|5|1|7|-|-|-|-|-|0\n");
	assert_string_equal(buf_str(&h.progress), "1/1;");
	harness_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_across_mailboxes),
		cmocka_unit_test(test_fetch_all_and_a_huge_size),
		cmocka_unit_test(test_repeats_and_evicted_candidates),
		cmocka_unit_test(test_ties_rank_by_mailbox_then_uid),
		cmocka_unit_test(test_esearch_larger),
		cmocka_unit_test(test_long_sets_are_chunked),
		cmocka_unit_test(test_uidvalidity_change_drops_winners),
		cmocka_unit_test(test_list_skips_noselect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
