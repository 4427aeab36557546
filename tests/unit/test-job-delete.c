/* Unit tests for job-delete: the safe-delete protocol, exact wire lines. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "job-delete.h"
#include "job-harness.h"

#define FULL_CAPS "IMAP4rev1 UIDPLUS MOVE CONDSTORE UNSELECT SPECIAL-USE"

static struct seqset uids;

static void
start(struct harness *h, const char *caps, const char *set,
    struct delete_params *p)
{
	struct job_callbacks cb;
	const char *err = NULL;

	harness_init(h, caps);
	cb = harness_callbacks(h);
	assert_true(seqset_parse(set, 0, &uids, &err));
	p->uids = &uids;
	if (p->mailbox == NULL)
		p->mailbox = "INBOX";
	if (p->uidvalidity == 0)
		p->uidvalidity = 9;
	h->job = job_delete_start(h->s, p, &cb, &err);
	assert_non_null(h->job);
	seqset_free(&uids);
}

static void
selected(struct harness *h, uint32_t uidvalidity)
{
	char text[512];

	snprintf(text, sizeof(text), "* 12 EXISTS\r\n"
	    "* OK [UIDVALIDITY %lu] x\r\n* OK [HIGHESTMODSEQ 50] x\r\n"
	    "{tag} OK [READ-WRITE] done\r\n", (unsigned long)uidvalidity);
	harness_reply(h, text);
}

/* UID 5 of INBOX, which has UIDVALIDITY 9 and HIGHESTMODSEQ 50: the job
 * has selected it and its check, "UID FETCH 5 (UID RFC822.SIZE)", is
 * on the wire. */
static void
start_at_check(struct harness *h, struct delete_params *p)
{
	start(h, FULL_CAPS, "5", p);
	harness_expect(h, "SELECT INBOX (CONDSTORE)");
	selected(h, 9);
	harness_expect(h, "UID FETCH 5 (UID RFC822.SIZE)");
}

/* The check's answer: UID 5 is there, 42 bytes. */
static void
check_finds_uid5(struct harness *h)
{
	harness_reply(h, "* 1 FETCH (UID 5 RFC822.SIZE 42)\r\n{tag} OK done\r\n");
}

static void
test_expunges_exactly_the_set(void **state)
{
	struct harness h;
	struct delete_params p = { 0 };

	start(&h, FULL_CAPS, "5,7", &p);
	harness_expect(&h, "SELECT INBOX (CONDSTORE)");
	selected(&h, 9);
	harness_expect(&h, "UID FETCH 5,7 (UID RFC822.SIZE)");
	harness_reply(&h, "* 3 FETCH (UID 5 RFC822.SIZE 100)\r\n"
	    "* 4 FETCH (UID 7 RFC822.SIZE 200)\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID STORE 5,7 (UNCHANGEDSINCE 50) +FLAGS.SILENT "
	    "(\\Deleted)");
	harness_reply(&h, "{tag} OK done\r\n");
	harness_expect(&h, "UID EXPUNGE 5,7");
	harness_reply(&h, "* 3 EXPUNGE\r\n* 3 EXPUNGE\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID SEARCH UID 5,7");
	harness_reply(&h, "* SEARCH\r\n{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	assert_false(job_done(h.job));
	harness_reply(&h, "{tag} OK done\r\n");
	assert_true(job_done(h.job));
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_int_equal(job_delete_removed(h.job), 2);
	assert_string_equal(buf_str(&h.notices),
	    "INBOX: UIDVALIDITY 9 as expected, CONDSTORE in use\n"
	    "UID 5: 100 bytes\nUID 7: 200 bytes\n"
	    "verified: none of the 2 UIDs expunged remain in INBOX\n");
	harness_free(&h);
}

static void
test_wrong_uidvalidity_is_refused(void **state)
{
	struct harness h;
	struct delete_params p = { 0 };

	start(&h, FULL_CAPS, "5", &p);
	harness_expect(&h, "SELECT INBOX (CONDSTORE)");
	selected(&h, 10);
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_string_equal(job_error(h.job), "UIDVALIDITY of INBOX is 10, not "
	    "9: the UIDs may name other messages now; nothing was changed");
	harness_free(&h);
}

static void
test_modified_are_dropped(void **state)
{
	struct harness h;
	struct delete_params p = { 0 };

	start(&h, FULL_CAPS, "5:7", &p);
	harness_expect(&h, "SELECT INBOX (CONDSTORE)");
	selected(&h, 9);
	harness_expect(&h, "UID FETCH 5:7 (UID RFC822.SIZE)");
	harness_reply(&h, "* 1 FETCH (UID 5 RFC822.SIZE 1)\r\n"
	    "* 2 FETCH (UID 6 RFC822.SIZE 1)\r\n"
	    "* 3 FETCH (UID 7 RFC822.SIZE 1)\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID STORE 5:7 (UNCHANGEDSINCE 50) +FLAGS.SILENT "
	    "(\\Deleted)");
	harness_reply(&h, "{tag} OK [MODIFIED 6] some changed\r\n");
	harness_expect(&h, "UID EXPUNGE 5,7");
	harness_reply(&h, "* 1 EXPUNGE\r\n* 2 EXPUNGE\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID SEARCH UID 5,7");
	harness_reply(&h, "* SEARCH\r\n{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_FAILED);
	assert_string_equal(job_error(h.job),
	    "1 candidate changed during the delete and was left alone");
	assert_non_null(strstr(buf_str(&h.notices), "UID 6 was changed by "
	    "another client since SELECT ([MODIFIED]): left alone\n"));
	harness_free(&h);
}

static void
test_without_uidplus_counts_and_refuses(void **state)
{
	struct harness h;
	struct delete_params p = { 0 };

	start(&h, "IMAP4rev1 UNSELECT", "5", &p);
	harness_expect(&h, "EXAMINE INBOX");
	selected(&h, 9);
	harness_expect(&h, "UID SEARCH DELETED");
	harness_reply(&h, "* SEARCH 3 5 9\r\n{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_string_equal(job_error(h.job), "the server offers no UIDPLUS "
	    "and no MOVE: a plain EXPUNGE would also remove 2 other messages "
	    "marked \\Deleted in INBOX; nothing was changed");
	harness_free(&h);
}

static void
test_move_to_trash(void **state)
{
	struct harness h;
	struct delete_params p = { .move_to_trash = true };

	start(&h, FULL_CAPS, "5", &p);
	harness_expect(&h, "LIST (SPECIAL-USE) \"\" *");
	harness_reply(&h, "* LIST (\\HasNoChildren \\Trash) \"/\" Papierkorb\r\n"
	    "{tag} OK done\r\n");
	harness_expect(&h, "SELECT INBOX (CONDSTORE)");
	selected(&h, 9);
	harness_expect(&h, "UID FETCH 5 (UID RFC822.SIZE)");
	harness_reply(&h, "* 1 FETCH (UID 5 RFC822.SIZE 1)\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID MOVE 5 Papierkorb");
	harness_reply(&h, "* OK [COPYUID 4 5 1] moved\r\n* 1 EXPUNGE\r\n"
	    "{tag} OK done\r\n");
	harness_expect(&h, "UID SEARCH UID 5");
	harness_reply(&h, "* SEARCH\r\n{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_int_equal(job_delete_removed(h.job), 1);
	harness_free(&h);
}

static void
test_missing_uid_is_refused(void **state)
{
	struct harness h;
	struct delete_params p = { 0 };

	start(&h, FULL_CAPS, "5,5,6", &p);
	harness_expect(&h, "SELECT INBOX (CONDSTORE)");
	selected(&h, 9);
	harness_expect(&h, "UID FETCH 5:6 (UID RFC822.SIZE)");
	harness_reply(&h, "* 1 FETCH (UID 5 RFC822.SIZE 1)\r\n"
	    "* 2 FETCH (UID 8 RFC822.SIZE 1)\r\n{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_string_equal(job_error(h.job), "1 of the 2 UIDs are not in the "
	    "mailbox: they changed since the scan; nothing was changed");
	harness_free(&h);
}

static void
test_changed_size_is_refused(void **state)
{
	struct harness h;
	struct delete_expected_size sizes[] = { { 5, 1000 } };
	struct delete_params p = { .sizes = sizes, .size_count = 1 };

	start_at_check(&h, &p);
	harness_reply(&h, "* 1 FETCH (UID 5 RFC822.SIZE 18446744073709551615)\r\n"
	    "{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_non_null(strstr(buf_str(&h.notices), "UID 5 is "
	    "18446744073709551615 bytes now, not 1000 as scanned"));
	harness_free(&h);
}

static void
test_confirmation_no_changes_nothing(void **state)
{
	struct harness h;
	struct delete_params p = { .confirm = true };

	start_at_check(&h, &p);
	check_finds_uid5(&h);
	harness_expect_nothing(&h);
	assert_true(job_delete_awaits_confirmation(h.job));
	assert_string_equal(h.question,
	    "Delete 1 message (42 bytes) from INBOX?");
	job_delete_confirm(h.job, false);
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_string_equal(job_error(h.job),
	    "not confirmed: nothing was changed");
	harness_free(&h);
}

static void
test_dry_run_sends_nothing_destructive(void **state)
{
	struct harness h;
	struct delete_params p = { .dry_run = true };

	start(&h, FULL_CAPS, "5", &p);
	harness_expect(&h, "EXAMINE INBOX (CONDSTORE)");
	selected(&h, 9);
	harness_expect(&h, "UID FETCH 5 (UID RFC822.SIZE)");
	harness_reply(&h, "* 1 FETCH (UID 5 RFC822.SIZE 42)\r\n{tag} OK done\r\n");
	harness_expect(&h, "UNSELECT");
	harness_reply(&h, "{tag} OK done\r\n");
	assert_int_equal(job_status(h.job), JOB_OK);
	assert_non_null(strstr(buf_str(&h.notices),
	    "dry run, not sent: UID STORE 5 (UNCHANGEDSINCE ...) +FLAGS.SILENT "
	    "(\\Deleted)\ndry run, not sent: UID EXPUNGE 5\n"));
	harness_free(&h);
}

/* Without CONDSTORE or UNSELECT: a plain STORE, and the job ends still
 * selected (the front end's LOGOUT leaves; never CLOSE). */
static void
test_without_condstore_or_unselect(void **state)
{
	struct harness h;
	struct delete_params p = { 0 };

	start(&h, "IMAP4rev1 UIDPLUS", "5", &p);
	harness_expect(&h, "SELECT INBOX");
	harness_reply(&h, "* OK [UIDVALIDITY 9] x\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID FETCH 5 (UID RFC822.SIZE)");
	harness_reply(&h, "* 1 FETCH (UID 5 RFC822.SIZE 42)\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID STORE 5 +FLAGS.SILENT (\\Deleted)");
	harness_reply(&h, "{tag} OK done\r\n");
	harness_expect(&h, "UID EXPUNGE 5");
	harness_reply(&h, "* 1 EXPUNGE\r\n{tag} OK done\r\n");
	harness_expect(&h, "UID SEARCH UID 5");
	harness_reply(&h, "* SEARCH 5\r\n{tag} OK done\r\n");
	harness_expect_nothing(&h);
	assert_true(job_done(h.job));
	assert_int_equal(job_status(h.job), JOB_FAILED);
	assert_string_equal(job_error(h.job), "1 of the UIDs are still in "
	    "INBOX after UID EXPUNGE");
	harness_free(&h);
}

/* Queue a command of someone else's on the job's session (a SELECT the
 * user typed) and take its line off the output; its tag goes to tag_r. */
static void
other_command(struct harness *h, const char *line, char *tag_r, size_t size)
{
	struct imap_command *cmd;
	const struct buf *out;
	char want[128];

	snprintf(tag_r, size, "%s", imap_session_next_tag(h->s));
	cmd = imap_command_from_line(tag_r, line);
	assert_non_null(cmd);
	imap_session_submit(h->s, cmd, 0, NULL);
	out = imap_session_output(h->s);
	snprintf(want, sizeof(want), "%s %s\r\n", tag_r, line);
	assert_string_equal(buf_str(out), want);
	imap_session_output_written(h->s, out->len);
}

/* No STORE, EXPUNGE or MOVE anywhere in what the client sent since. */
static void
expect_nothing_destructive(struct harness *h)
{
	const char *out = buf_str(imap_session_output(h->s));

	assert_null(strstr(out, "STORE"));
	assert_null(strstr(out, "EXPUNGE"));
	assert_null(strstr(out, "MOVE"));
	harness_expect_nothing(h);
}

/* The user's SELECT of another mailbox ends on the same session between
 * the check and the confirmation: a yes sends nothing, and the job does
 * not UNSELECT the user's mailbox either. */
static void
test_select_after_the_check_is_refused(void **state)
{
	struct harness h;
	struct delete_params p = { .confirm = true };
	char tag[32], reply[256];

	start_at_check(&h, &p);
	check_finds_uid5(&h);
	assert_true(job_delete_awaits_confirmation(h.job));
	other_command(&h, "SELECT Other", tag, sizeof(tag));
	snprintf(reply, sizeof(reply), "* 4 EXISTS\r\n* OK [CLOSED] x\r\n"
	    "* OK [UIDVALIDITY 9] x\r\n%s OK [READ-WRITE] done\r\n", tag);
	harness_reply(&h, reply);
	assert_string_equal(imap_session_mailbox(h.s), "Other");
	job_delete_confirm(h.job, true);
	expect_nothing_destructive(&h);
	assert_true(job_done(h.job));
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_string_equal(job_error(h.job), "another SELECT, EXAMINE, CLOSE "
	    "or UNSELECT has ended on the session since the job's SELECT, so "
	    "UID STORE was not sent; nothing was changed");
	harness_free(&h);
}

/* Even a SELECT of the same mailbox: the selection is not the checked
 * one any more. */
static void
test_reselect_of_the_same_mailbox_is_refused(void **state)
{
	struct harness h;
	struct delete_params p = { .confirm = true, .move_to = "Trash" };
	char tag[32], reply[256];

	start_at_check(&h, &p);
	check_finds_uid5(&h);
	other_command(&h, "EXAMINE INBOX", tag, sizeof(tag));
	snprintf(reply, sizeof(reply), "* OK [UIDVALIDITY 9] x\r\n"
	    "%s OK [READ-ONLY] done\r\n", tag);
	harness_reply(&h, reply);
	job_delete_confirm(h.job, true);
	expect_nothing_destructive(&h);
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_non_null(strstr(job_error(h.job), "so UID MOVE was not sent"));
	harness_free(&h);
}

/* A SELECT sent after the check but not yet answered: the STORE would
 * go after it, into the other mailbox. */
static void
test_select_in_flight_is_refused(void **state)
{
	struct harness h;
	struct delete_params p = { 0 };
	char check_tag[32], tag[32], reply[256];

	start_at_check(&h, &p);
	snprintf(check_tag, sizeof(check_tag), "%s", h.tag);
	other_command(&h, "SELECT Other", tag, sizeof(tag));
	snprintf(reply, sizeof(reply), "* 1 FETCH (UID 5 RFC822.SIZE 42)\r\n"
	    "%s OK done\r\n", check_tag);
	harness_reply(&h, reply);
	expect_nothing_destructive(&h);
	assert_true(job_done(h.job));
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_string_equal(job_error(h.job), "a SELECT, EXAMINE, CLOSE or "
	    "UNSELECT is on its way on the session, so UID STORE was not sent; "
	    "nothing was changed");
	snprintf(reply, sizeof(reply), "%s OK [READ-WRITE] done\r\n", tag);
	harness_reply(&h, reply);
	expect_nothing_destructive(&h);
	harness_free(&h);
}

/* Between STORE and EXPUNGE: the flags are set, so this is a failure,
 * and the EXPUNGE does not go to the other mailbox. */
static void
test_select_before_the_expunge_stops_it(void **state)
{
	struct harness h;
	struct delete_params p = { 0 };
	char store_tag[32], tag[32], reply[256];

	start_at_check(&h, &p);
	check_finds_uid5(&h);
	harness_expect(&h, "UID STORE 5 (UNCHANGEDSINCE 50) +FLAGS.SILENT "
	    "(\\Deleted)");
	snprintf(store_tag, sizeof(store_tag), "%s", h.tag);
	other_command(&h, "SELECT Other", tag, sizeof(tag));
	snprintf(reply, sizeof(reply), "%s OK done\r\n%s OK [READ-WRITE] "
	    "done\r\n", store_tag, tag);
	harness_reply(&h, reply);
	expect_nothing_destructive(&h);
	assert_int_equal(job_status(h.job), JOB_FAILED);
	assert_string_equal(job_error(h.job), "a SELECT, EXAMINE, CLOSE or "
	    "UNSELECT is on its way on the session, so UID EXPUNGE was not "
	    "sent; 1 message of INBOX stays flagged \\Deleted");
	harness_free(&h);
}

/* A new UIDVALIDITY heard after the SELECT: the UIDs name other
 * messages now. */
static void
test_new_uidvalidity_is_refused(void **state)
{
	struct harness h;
	struct delete_params p = { 0 };

	start_at_check(&h, &p);
	harness_reply(&h, "* OK [UIDVALIDITY 10] renamed under us\r\n"
	    "* 1 FETCH (UID 5 RFC822.SIZE 42)\r\n{tag} OK done\r\n");
	expect_nothing_destructive(&h);
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_string_equal(job_error(h.job), "the UIDVALIDITY of INBOX "
	    "changed, so UID STORE was not sent; nothing was changed");
	harness_free(&h);
}

/* The connection ends while the job waits for its yes: the yes sends
 * nothing. */
static void
test_lost_before_the_yes_is_refused(void **state)
{
	struct harness h;
	struct delete_params p = { .confirm = true };

	start_at_check(&h, &p);
	check_finds_uid5(&h);
	imap_session_disconnected(h.s, "test");
	job_delete_confirm(h.job, true);
	expect_nothing_destructive(&h);
	assert_true(job_done(h.job));
	assert_int_equal(job_status(h.job), JOB_REFUSED);
	assert_string_equal(job_error(h.job), "INBOX is no longer selected, so "
	    "UID STORE was not sent; nothing was changed");
	harness_free(&h);
}

static void
test_connection_lost(void **state)
{
	struct harness h;
	struct delete_params p = { 0 };

	start(&h, FULL_CAPS, "5", &p);
	harness_expect(&h, "SELECT INBOX (CONDSTORE)");
	imap_session_disconnected(h.s, "test");
	assert_true(job_done(h.job));
	assert_int_equal(job_status(h.job), JOB_LOST);
	harness_free(&h);
}

static void
test_bad_parameters(void **state)
{
	struct harness h;
	struct delete_params p = { .mailbox = "INBOX", .uidvalidity = 1 };
	const char *err = NULL;

	harness_init(&h, FULL_CAPS);
	assert_true(seqset_parse("1:*", SEQSET_ALLOW_STAR, &uids, &err));
	p.uids = &uids;
	assert_null(job_delete_start(h.s, &p, NULL, &err));
	assert_string_equal(err, "the UID set is empty or holds '*'");
	seqset_free(&uids);
	harness_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expunges_exactly_the_set),
		cmocka_unit_test(test_wrong_uidvalidity_is_refused),
		cmocka_unit_test(test_modified_are_dropped),
		cmocka_unit_test(test_without_uidplus_counts_and_refuses),
		cmocka_unit_test(test_move_to_trash),
		cmocka_unit_test(test_missing_uid_is_refused),
		cmocka_unit_test(test_changed_size_is_refused),
		cmocka_unit_test(test_confirmation_no_changes_nothing),
		cmocka_unit_test(test_dry_run_sends_nothing_destructive),
		cmocka_unit_test(test_without_condstore_or_unselect),
		cmocka_unit_test(test_select_after_the_check_is_refused),
		cmocka_unit_test(test_reselect_of_the_same_mailbox_is_refused),
		cmocka_unit_test(test_select_in_flight_is_refused),
		cmocka_unit_test(test_select_before_the_expunge_stops_it),
		cmocka_unit_test(test_new_uidvalidity_is_refused),
		cmocka_unit_test(test_lost_before_the_yes_is_refused),
		cmocka_unit_test(test_connection_lost),
		cmocka_unit_test(test_bad_parameters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
