/* Unit tests for the models (model.h): a real imap_session whose listener
 * feeds model_response/model_completed, as src/client.c does. Commands go
 * in through the session (built or typed), server bytes come in through
 * imap_session_input with the tags the session made, in the shapes
 * Dovecot 2.3 and Cyrus 3.6 send (fuzz/corpus/imap-parser). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "decode-fetch.h"
#include "imap-command.h"
#include "imap-session.h"
#include "model.h"
#include "util-buf.h"

/* --- a session wired to a model --------------------------------------- */

struct fixture {
	struct imap_session *s;
	struct model *m;
	struct response_decoder decoder; /* as src/client.c has it */
	unsigned changed; /* MODEL_CHANGED_* told since the last take */
	unsigned tells;
	unsigned completions;
	bool trickle; /* feed server bytes one at a time */
};

/* Decode once and feed the model, as src/client.c does. */
static void
on_response(void *ctx, const struct imap_response *resp,
    const struct imap_session_command *cmd)
{
	struct fixture *f = ctx;

	model_response(f->m, response_decoder_take(&f->decoder, resp, cmd));
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct imap_response *tagged,
    double ms)
{
	struct fixture *f = ctx;

	(void)ms;
	f->completions++;
	model_completed(f->m, cmd, result,
	    response_decoder_last(&f->decoder, tagged));
}

static void
on_state(void *ctx, enum imap_session_state old, enum imap_session_state new)
{
	struct fixture *f = ctx;

	(void)old;
	(void)new;
	model_session_changed(f->m);
}

static void
on_change(void *ctx, unsigned changed)
{
	struct fixture *f = ctx;

	assert_int_not_equal(changed, 0);
	f->changed |= changed;
	f->tells++;
}

static unsigned
take_changes(struct fixture *f)
{
	unsigned c = f->changed;

	f->changed = 0;
	f->tells = 0;
	return c;
}

/* Send every byte the session has queued (the test plays the server and
 * does not look at them here: test-imap-session.c does). */
static void
drain(struct fixture *f)
{
	const struct buf *out = imap_session_output(f->s);

	imap_session_output_written(f->s, out->len);
}

static void
feed(struct fixture *f, const char *text)
{
	const char *err = NULL;
	size_t len = strlen(text), used, i;

	if (!f->trickle) {
		assert_int_equal(imap_session_input(f->s,
				     (const unsigned char *)text, len, &used,
				     &err),
		    IMAP_INPUT_OK);
		assert_int_equal(used, len);
		return;
	}
	for (i = 0; i < len; i++) {
		assert_int_equal(imap_session_input(f->s,
				     (const unsigned char *)text + i, 1, &used,
				     &err),
		    IMAP_INPUT_OK);
		assert_int_equal(used, 1);
	}
}

/* Server text with the tags filled in by printf. */
static void
feedf(struct fixture *f, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b, 1 << 20);
	va_start(ap, fmt);
	assert_int_equal(buf_vprintf(&b, fmt, ap), 0);
	va_end(ap);
	feed(f, buf_str(&b));
	buf_free(&b);
}

static struct fixture *
setup(void)
{
	static struct fixture f;
	struct imap_session_listener l = {
		.response = on_response,
		.completed = on_completed,
		.state_changed = on_state,
		.ctx = &f,
	};

	memset(&f, 0, sizeof(f));
	f.s = imap_session_new(&l);
	f.m = model_new(0);
	response_decoder_init(&f.decoder);
	model_set_listener(f.m, on_change, &f);
	feed(&f, "* PREAUTH [CAPABILITY IMAP4rev1 LITERAL+ CONDSTORE "
		 "QRESYNC ACL QUOTA SPECIAL-USE LIST-EXTENDED] ready\r\n");
	assert_int_equal(imap_session_state(f.s), IMAP_STATE_AUTHENTICATED);
	take_changes(&f);
	return &f;
}

static void
teardown(struct fixture *f)
{
	imap_session_free(&f->s);
	model_free(&f->m);
	response_decoder_free(&f->decoder);
	assert_null(f->m);
}

/* Build and send a command (fmt takes up to two %s); its tag, valid
 * while it is in flight. */
static const char *
send_cmd(struct fixture *f, const char *fmt, ...)
{
	struct imap_session_command *sc;
	const char *err = NULL, *arg[2] = { NULL, NULL }, *p;
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	for (p = fmt; (p = strstr(p, "%s")) != NULL && n < 2; p += 2)
		arg[n++] = va_arg(ap, const char *);
	va_end(ap);
	sc = imap_session_command(f->s, 0, &err, fmt, arg[0], arg[1]);
	if (sc == NULL)
		fail_msg("%s: %s", fmt, err);
	drain(f);
	return imap_session_command_get(sc)->tag;
}

/* The tag is copied: the command is gone once its reply is fed. */
#define TAG(var, f, ...)                                                   \
	char var[32];                                                      \
	snprintf(var, sizeof(var), "%s", send_cmd(f, __VA_ARGS__))

static struct model_selected *
sel(struct fixture *f)
{
	return model_selected(f->m);
}

/* Dovecot 2.3's answer to SELECT INBOX with CONDSTORE (22 messages). */
static const char dovecot_select_inbox[] =
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)\r\n"
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft "
    "$Label1 \\*)] Flags permitted.\r\n"
    "* 22 EXISTS\r\n"
    "* 2 RECENT\r\n"
    "* OK [UNSEEN 3] First unseen.\r\n"
    "* OK [UIDVALIDITY 1795443617] UIDs valid\r\n"
    "* OK [UIDNEXT 23] Predicted next UID\r\n"
    "* OK [HIGHESTMODSEQ 41] Highest\r\n"
    "%s OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n";

static void
select_inbox(struct fixture *f)
{
	TAG(t, f, "SELECT INBOX");
	feedf(f, dovecot_select_inbox, t);
}

/* --- the selected mailbox ---------------------------------------------- */

static void
check_inbox(struct fixture *f)
{
	struct model_selected *s = sel(f);

	assert_int_equal(s->state, MODEL_SELECTED_OPEN);
	assert_string_equal(s->mailbox, "INBOX");
	assert_false(s->examine);
	assert_false(s->read_only);
	assert_int_equal(s->known,
	    MODEL_SEL_EXISTS | MODEL_SEL_RECENT | MODEL_SEL_UNSEEN |
		MODEL_SEL_UIDVALIDITY | MODEL_SEL_UIDNEXT |
		MODEL_SEL_HIGHESTMODSEQ | MODEL_SEL_FLAGS |
		MODEL_SEL_PERMANENTFLAGS | MODEL_SEL_ACCESS);
	assert_int_equal(s->exists, 22);
	assert_int_equal(s->recent, 2);
	assert_int_equal(s->unseen, 3);
	assert_int_equal(s->uidvalidity, 1795443617u);
	assert_int_equal(s->uidnext, 23);
	assert_int_equal(s->highestmodseq, 41);
	assert_int_equal(s->flag_count, 6);
	assert_string_equal(s->flags[0], "\\Answered");
	assert_string_equal(s->flags[5], "$Label1");
	/* as sent, \* included; any_keyword says what it means */
	assert_int_equal(s->permanentflag_count, 7);
	assert_string_equal(s->permanentflags[3], "\\Seen");
	assert_string_equal(s->permanentflags[5], "$Label1");
	assert_string_equal(s->permanentflags[6], "\\*");
	assert_true(s->any_keyword);
	assert_int_equal(model_index_count(s->index), 22);
	assert_int_equal(s->protocol_errors, 0);
}

static void
test_select_inbox(void **state)
{
	struct fixture *f = setup();

	(void)state;
	TAG(t, f, "SELECT INBOX");
	assert_int_equal(sel(f)->state, MODEL_SELECTED_NONE);
	feed(f, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft "
		"$Label1)\r\n");
	/* the first data switches the model to the mailbox being opened */
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPENING);
	assert_string_equal(sel(f)->mailbox, "INBOX");
	assert_int_equal(take_changes(f), MODEL_CHANGED_SELECTED);
	/* the rest, without the FLAGS line already fed */
	feedf(f, strchr(dovecot_select_inbox, '\n') + 1, t);
	check_inbox(f);
	assert_int_equal(take_changes(f),
	    MODEL_CHANGED_SELECTED | MODEL_CHANGED_SESSION);
	assert_int_equal(imap_session_state(f->s), IMAP_STATE_SELECTED);
	teardown(f);
}

/* The same bytes one at a time: the same model. */
static void
test_select_inbox_trickled(void **state)
{
	struct fixture *f = setup();

	(void)state;
	f->trickle = true;
	select_inbox(f);
	check_inbox(f);
	teardown(f);
}

/* Cyrus 3.6: EXAMINE, READ-ONLY in the tagged reply. */
static void
test_examine_read_only(void **state)
{
	struct fixture *f = setup();

	(void)state;
	TAG(t, f, "EXAMINE %s", "INBOX.Archiv.2023.Q4");
	feedf(f, "* 2 EXISTS\r\n"
		 "* 0 RECENT\r\n"
		 "* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)\r\n"
		 "* OK [PERMANENTFLAGS ()] Ok\r\n"
		 "* OK [UIDVALIDITY 1700000001] Ok\r\n"
		 "* OK [UIDNEXT 3] Ok\r\n"
		 "* OK [HIGHESTMODSEQ 5] Ok\r\n"
		 "* OK [MAILBOXID (loiv3oig8md897rl6yzo87by)] Ok\r\n"
		 "%s OK [READ-ONLY] Completed\r\n",
	    t);
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPEN);
	assert_string_equal(sel(f)->mailbox, "INBOX.Archiv.2023.Q4");
	assert_true(sel(f)->examine);
	assert_true(sel(f)->read_only);
	assert_int_equal(sel(f)->exists, 2);
	assert_int_equal(sel(f)->recent, 0);
	assert_int_equal(sel(f)->permanentflag_count, 0);
	assert_false(sel(f)->any_keyword);
	assert_int_equal(sel(f)->known & MODEL_SEL_UNSEEN, 0);
	assert_int_equal(sel(f)->highestmodseq, 5);
	assert_int_equal(model_index_count(sel(f)->index), 2);
	teardown(f);
}

/* SELECT whose tagged OK says READ-ONLY (a shared mailbox without the
 * right to write). */
static void
test_select_tagged_read_only(void **state)
{
	struct fixture *f = setup();

	(void)state;
	TAG(t, f, "SELECT %s", "shared/bob");
	feedf(f, "* 1 EXISTS\r\n"
		 "* OK [UIDVALIDITY 7] Ok\r\n"
		 "%s OK [READ-ONLY] Select completed.\r\n",
	    t);
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPEN);
	assert_false(sel(f)->examine);
	assert_true(sel(f)->read_only);
	assert_true(sel(f)->known & MODEL_SEL_ACCESS);
	teardown(f);
}

/* RFC 9051 6.3.2: a failed SELECT leaves no mailbox selected. */
static void
test_select_fails(void **state)
{
	struct fixture *f = setup();

	(void)state;
	select_inbox(f);
	take_changes(f);
	{
		TAG(t, f, "SELECT %s", "Nonexistent");
		feedf(f, "%s NO [NONEXISTENT] Mailbox doesn't exist: "
			 "Nonexistent (0.001 + 0.000 secs).\r\n",
		    t);
	}
	assert_int_equal(sel(f)->state, MODEL_SELECTED_NONE);
	assert_null(sel(f)->mailbox);
	assert_int_equal(sel(f)->exists, 0);
	assert_int_equal(sel(f)->known, 0);
	assert_int_equal(sel(f)->flag_count, 0);
	assert_int_equal(model_index_count(sel(f)->index), 0);
	assert_true(take_changes(f) & MODEL_CHANGED_SELECTED);

	/* a failed SELECT with nothing open before */
	{
		TAG(t, f, "EXAMINE %s", "Nope");
		feedf(f, "%s NO Mailbox doesn't exist: Nope\r\n", t);
	}
	assert_int_equal(sel(f)->state, MODEL_SELECTED_NONE);
	assert_null(sel(f)->mailbox);
	teardown(f);
}

static void
test_close_and_unselect(void **state)
{
	static const char *const closers[] = { "CLOSE", "UNSELECT" };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct fixture *f = setup();

		select_inbox(f);
		take_changes(f);
		{
			TAG(t, f, closers[i]);
			feedf(f, "%s OK Completed\r\n", t);
		}
		assert_int_equal(sel(f)->state, MODEL_SELECTED_NONE);
		assert_null(sel(f)->mailbox);
		assert_int_equal(model_index_count(sel(f)->index), 0);
		assert_true(take_changes(f) & MODEL_CHANGED_SELECTED);
		/* EXISTS with nothing selected is not ours */
		feed(f, "* 5 EXISTS\r\n");
		assert_int_equal(sel(f)->exists, 0);
		assert_int_equal(model_index_count(sel(f)->index), 0);
		teardown(f);
	}
}

/* A CLOSE that fails leaves the mailbox open. */
static void
test_close_refused(void **state)
{
	struct fixture *f = setup();

	(void)state;
	select_inbox(f);
	{
		TAG(t, f, "CLOSE");
		feedf(f, "%s BAD Unknown command\r\n", t);
	}
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPEN);
	assert_int_equal(model_index_count(sel(f)->index), 22);
	teardown(f);
}

static void
test_disconnect(void **state)
{
	struct fixture *f = setup();
	const char *err;

	(void)state;
	select_inbox(f);
	/* a FETCH in flight fails with the connection */
	assert_non_null(imap_session_command(f->s, 0, &err, "NOOP"));
	take_changes(f);
	imap_session_disconnected(f->s, "connection reset");
	model_disconnected(f->m);
	assert_int_equal(f->completions, 2);
	assert_int_equal(sel(f)->state, MODEL_SELECTED_NONE);
	assert_null(sel(f)->mailbox);
	assert_int_equal(model_index_count(sel(f)->index), 0);
	assert_int_equal(take_changes(f),
	    MODEL_CHANGED_SELECTED | MODEL_CHANGED_SESSION);
	teardown(f);
}

/* Also: a SELECT cut by the connection's end does not open anything. */
static void
test_disconnect_during_select(void **state)
{
	struct fixture *f = setup();

	(void)state;
	(void)send_cmd(f, "SELECT INBOX");
	feed(f, "* 3 EXISTS\r\n");
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPENING);
	imap_session_disconnected(f->s, "EOF");
	model_disconnected(f->m);
	assert_int_equal(sel(f)->state, MODEL_SELECTED_NONE);
	assert_int_equal(model_index_count(sel(f)->index), 0);
	teardown(f);
}

static void
test_nomodseq(void **state)
{
	struct fixture *f = setup();

	(void)state;
	{
		TAG(t, f, "SELECT %s", "Mbox");
		feedf(f, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen "
			 "\\Draft)\r\n"
			 "* 0 EXISTS\r\n"
			 "* 0 RECENT\r\n"
			 "* OK [UIDVALIDITY 1] UIDs valid\r\n"
			 "* OK [UIDNEXT 1] Predicted next UID\r\n"
			 "* OK [NOMODSEQ] No permanent modsequences\r\n"
			 "%s OK [READ-WRITE] Select completed.\r\n",
		    t);
	}
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPEN);
	assert_true(sel(f)->known & MODEL_SEL_NOMODSEQ);
	assert_false(sel(f)->known & MODEL_SEL_HIGHESTMODSEQ);
	assert_int_equal(sel(f)->highestmodseq, 0);
	assert_int_equal(sel(f)->exists, 0);
	assert_int_equal(model_index_count(sel(f)->index), 0);
	/* a MODSEQ in a FETCH does not invent a HIGHESTMODSEQ */
	feed(f, "* 1 EXISTS\r\n* 1 FETCH (UID 1 MODSEQ (9))\r\n");
	assert_int_equal(sel(f)->highestmodseq, 0);
	teardown(f);
}

/* --- live updates ------------------------------------------------------- */

/* Three messages as Dovecot 2.3 sends FETCH (UID FLAGS RFC822.SIZE
 * INTERNALDATE ENVELOPE) for the test bed's corpus. */
static const char dovecot_fetch_three[] =
    "* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent) RFC822.SIZE 328 "
    "INTERNALDATE \"02-Oct-2023 08:01:37 +0000\" ENVELOPE (\"Mon, 02 Oct "
    "2023 08:00:00 +0000\" \"Welcome to your new mailbox\" ((\"Postmaster\" "
    "NIL \"postmaster\" \"example.org\")) ((\"Postmaster\" NIL \"postmaster\" "
    "\"example.org\")) ((\"Postmaster\" NIL \"postmaster\" \"example.org\")) "
    "((\"Alice Liddell\" NIL \"alice\" \"example.org\")) NIL NIL NIL "
    "\"<legacy-ascii.0001@imapwb.example>\"))\r\n"
    "* 2 FETCH (UID 2 FLAGS (\\Answered \\Seen $Label1) RFC822.SIZE 483 "
    "INTERNALDATE \"14-Nov-2023 08:14:07 +0000\" ENVELOPE (\"Tue, 14 Nov "
    "2023 09:12:30 +0100\" \"=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=\" "
    "((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"juergen.mueller\" "
    "\"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL "
    "\"juergen.mueller\" \"example.de\")) ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3="
    "BCller?=\" NIL \"juergen.mueller\" \"example.de\")) ((\"Alice Liddell\" "
    "NIL \"alice\" \"example.org\")) NIL NIL NIL "
    "\"<utf8-8bit.0002@imapwb.example>\"))\r\n"
    "* 3 FETCH (UID 5 FLAGS (\\Flagged) RFC822.SIZE 654 INTERNALDATE "
    "\"15-Nov-2023 16:46:37 +0000\" ENVELOPE (\"Wed, 15 Nov 2023 17:45:00 "
    "+0100 (CET)\" \"=?ISO-8859-1?Q?R=E9union_du_comit=E9=3A_ordre_du_jour?=\" "
    "((NIL NIL \"helene.dupre\" \"example.fr\")) ((NIL NIL \"helene.dupre\" "
    "\"example.fr\")) ((NIL NIL \"helene.dupre\" \"example.fr\")) "
    "((\"Alice Liddell\" NIL \"alice\" \"example.org\")) NIL NIL NIL "
    "\"<latin1-qp.0003@imapwb.example>\"))\r\n";

static void
select_three(struct fixture *f)
{
	TAG(t, f, "SELECT INBOX");
	feedf(f, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft "
		 "$Label1)\r\n"
		 "* 3 EXISTS\r\n"
		 "* 0 RECENT\r\n"
		 "* OK [UIDVALIDITY 1795443617] UIDs valid\r\n"
		 "* OK [UIDNEXT 6] Predicted next UID\r\n"
		 "* OK [HIGHESTMODSEQ 10] Highest\r\n"
		 "%s OK [READ-WRITE] Select completed.\r\n",
	    t);
	take_changes(f);
}

static void
fetch_three(struct fixture *f)
{
	TAG(t, f, "FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)");
	feedf(f, "%s%s OK Fetch completed (0.001 + 0.000 secs).\r\n",
	    dovecot_fetch_three, t);
}

static void
test_fetch_fills_index(void **state)
{
	struct fixture *f = setup();
	struct model_index *idx;
	struct model_index_entry e;

	(void)state;
	select_three(f);
	fetch_three(f);
	assert_int_equal(take_changes(f), MODEL_CHANGED_SELECTED);
	idx = sel(f)->index;
	assert_int_equal(sel(f)->protocol_errors, 0);

	assert_true(model_index_get(idx, 1, &e));
	assert_int_equal(e.uid, 1);
	assert_int_equal(e.flags, MODEL_INDEX_FLAG_SEEN |
		MODEL_INDEX_FLAG_RECENT);
	assert_int_equal(e.size, 328);
	assert_int_equal(e.internaldate, 1696233697);
	assert_int_equal(e.internaldate_tz, 0);
	assert_int_equal(e.date, 1696233600);
	assert_string_equal(e.from, "Postmaster");
	assert_string_equal(e.subject, "Welcome to your new mailbox");
	assert_int_equal(e.fields,
	    MODEL_INDEX_FIELD_UID | MODEL_INDEX_FIELD_FLAGS |
		MODEL_INDEX_FIELD_SIZE | MODEL_INDEX_FIELD_INTERNALDATE |
		MODEL_INDEX_FIELD_ENVELOPE | MODEL_INDEX_FIELD_DATE);

	assert_true(model_index_get(idx, 2, &e));
	assert_int_equal(e.uid, 2);
	assert_int_equal(e.flags, MODEL_INDEX_FLAG_SEEN |
		MODEL_INDEX_FLAG_ANSWERED);
	assert_int_equal(e.n_keywords, 1);
	assert_string_equal(model_index_keyword_name(idx, e.keywords[0]),
	    "$Label1");
	assert_int_equal(e.size, 483);
	assert_int_equal(e.internaldate, 1699949647);
	/* the Date: header, 09:12:30 +0100 */
	assert_int_equal(e.date, 1699949550);
	assert_int_equal(e.date_tz, 60);
	assert_string_equal(e.from, "J\xc3\xbcrgen M\xc3\xbcller");
	assert_string_equal(e.subject,
	    "Gr\xc3\xbc\xc3\x9f" "e aus M\xc3\xbcnchen");

	assert_true(model_index_get(idx, 3, &e));
	assert_int_equal(e.uid, 5);
	assert_int_equal(e.flags, MODEL_INDEX_FLAG_FLAGGED);
	assert_int_equal(e.date, 1700066700);
	assert_int_equal(e.date_tz, 60);
	/* no display name: local@host */
	assert_string_equal(e.from, "helene.dupre@example.fr");
	assert_string_equal(e.subject,
	    "R\xc3\xa9union du comit\xc3\xa9: ordre du jour");

	assert_int_equal(model_index_uid_to_msn(idx, 5), 3);
	assert_int_equal(model_index_msn_to_uid(idx, 3), 5);
	teardown(f);
}

static void
test_exists_expunge_vanished(void **state)
{
	struct fixture *f = setup();
	struct model_index *idx;
	struct model_index_entry e;

	(void)state;
	select_three(f);
	fetch_three(f);
	idx = sel(f)->index;
	take_changes(f);

	/* EXISTS growth appends messages whose UIDs are not known yet */
	feed(f, "* 5 EXISTS\r\n");
	assert_int_equal(take_changes(f), MODEL_CHANGED_SELECTED);
	assert_int_equal(sel(f)->exists, 5);
	assert_int_equal(model_index_count(idx), 5);
	assert_true(model_index_get(idx, 5, &e));
	assert_int_equal(e.uid, 0);
	feed(f, "* 4 FETCH (UID 7 FLAGS ())\r\n* 5 FETCH (UID 9 FLAGS ())\r\n");
	assert_int_equal(model_index_msn_to_uid(idx, 5), 9);

	/* RFC 9051 7.5.1: later messages move down */
	feed(f, "* 2 EXPUNGE\r\n");
	assert_int_equal(sel(f)->exists, 4);
	assert_int_equal(model_index_count(idx), 4);
	assert_int_equal(model_index_msn_to_uid(idx, 1), 1);
	assert_int_equal(model_index_msn_to_uid(idx, 2), 5);
	assert_int_equal(model_index_msn_to_uid(idx, 3), 7);
	assert_int_equal(model_index_uid_to_msn(idx, 9), 4);
	assert_int_equal(model_index_uid_to_msn(idx, 2), 0);
	assert_true(model_index_get(idx, 2, &e));
	assert_string_equal(e.from, "helene.dupre@example.fr");

	/* RFC 7162 3.2.10: VANISHED by UID, ranges and UIDs not there */
	feed(f, "* VANISHED 5,8:9,100\r\n");
	assert_int_equal(take_changes(f), MODEL_CHANGED_SELECTED);
	assert_int_equal(sel(f)->exists, 2);
	assert_int_equal(model_index_count(idx), 2);
	assert_int_equal(model_index_msn_to_uid(idx, 1), 1);
	assert_int_equal(model_index_msn_to_uid(idx, 2), 7);

	/* VANISHED (EARLIER) tells the past: nothing moves */
	feed(f, "* VANISHED (EARLIER) 1:7\r\n");
	assert_int_equal(sel(f)->exists, 2);
	assert_int_equal(model_index_count(idx), 2);
	assert_int_equal(model_index_msn_to_uid(idx, 1), 1);
	assert_int_equal(sel(f)->protocol_errors, 0);
	teardown(f);
}

static void
test_unsolicited_fetch(void **state)
{
	struct fixture *f = setup();
	struct model_index_entry e;

	(void)state;
	select_three(f);
	fetch_three(f);
	take_changes(f);
	/* another client's STORE, seen through NOOP or IDLE */
	feed(f, "* 1 FETCH (FLAGS (\\Seen \\Flagged \\Deleted) MODSEQ (12))\r\n");
	assert_int_equal(take_changes(f), MODEL_CHANGED_SELECTED);
	assert_true(model_index_get(sel(f)->index, 1, &e));
	assert_int_equal(e.flags, MODEL_INDEX_FLAG_SEEN |
		MODEL_INDEX_FLAG_FLAGGED | MODEL_INDEX_FLAG_DELETED);
	assert_int_equal(e.modseq, 12);
	/* the rest of the summary stays */
	assert_int_equal(e.uid, 1);
	assert_string_equal(e.subject, "Welcome to your new mailbox");
	/* RFC 7162 3.1.2: HIGHESTMODSEQ follows the largest MODSEQ */
	assert_int_equal(sel(f)->highestmodseq, 12);
	feed(f, "* 2 FETCH (UID 2 MODSEQ (11))\r\n");
	assert_int_equal(sel(f)->highestmodseq, 12);
	feed(f, "* 3 FETCH (MODSEQ (4000000000) UID 5)\r\n");
	assert_int_equal(sel(f)->highestmodseq, 4000000000u);
	/* a FETCH beyond EXISTS does not fit: counted, not applied */
	feed(f, "* 9 FETCH (FLAGS (\\Seen))\r\n");
	assert_int_equal(sel(f)->protocol_errors, 1);
	assert_int_equal(model_index_count(sel(f)->index), 3);
	teardown(f);
}

/* SELECT B while A is open: B's data replaces A's, from its first
 * response ([CLOSED] included, RFC 7162 3.2.11). */
static void
test_select_replaces(void **state)
{
	struct fixture *f = setup();

	(void)state;
	select_three(f);
	fetch_three(f);
	{
		TAG(t, f, "SELECT %s", "Archiv");
		feed(f, "* OK [CLOSED] Previous mailbox closed.\r\n");
		assert_int_equal(sel(f)->state, MODEL_SELECTED_OPENING);
		assert_string_equal(sel(f)->mailbox, "Archiv");
		assert_int_equal(model_index_count(sel(f)->index), 0);
		assert_int_equal(sel(f)->known, 0);
		feedf(f, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen "
			 "\\Draft)\r\n"
			 "* 2 EXISTS\r\n"
			 "* 0 RECENT\r\n"
			 "* OK [UIDVALIDITY 1795443700] UIDs valid\r\n"
			 "* OK [UIDNEXT 3] Predicted next UID\r\n"
			 "%s OK [READ-WRITE] Select completed.\r\n",
		    t);
	}
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPEN);
	assert_string_equal(sel(f)->mailbox, "Archiv");
	assert_int_equal(sel(f)->exists, 2);
	assert_int_equal(sel(f)->uidvalidity, 1795443700u);
	assert_int_equal(sel(f)->uidnext, 3);
	assert_int_equal(sel(f)->flag_count, 5);
	/* nothing of A is left */
	assert_false(sel(f)->known & MODEL_SEL_HIGHESTMODSEQ);
	assert_int_equal(sel(f)->highestmodseq, 0);
	assert_int_equal(model_index_count(sel(f)->index), 2);
	assert_int_equal(model_index_msn_to_uid(sel(f)->index, 1), 0);
	teardown(f);
}

/* A line typed in the raw console ("a1 select ...") reaches the model
 * the same way as a built command. */
static void
test_typed_select(void **state)
{
	struct fixture *f = setup();
	struct imap_command *cmd;

	(void)state;
	cmd = imap_command_from_line("a1", "select \"Entw&APw-rfe\"");
	assert_non_null(cmd);
	assert_string_equal(cmd->name, "SELECT");
	assert_non_null(imap_session_submit(f->s, cmd, 0, NULL));
	drain(f);
	feed(f, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
		"* 4 EXISTS\r\n"
		"* 0 RECENT\r\n"
		"* OK [UIDVALIDITY 1795443800] UIDs valid\r\n"
		"* OK [UIDNEXT 5] Predicted next UID\r\n"
		"a1 OK [READ-WRITE] Select completed.\r\n");
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPEN);
	assert_string_equal(sel(f)->mailbox, "Entw&APw-rfe");
	assert_false(sel(f)->read_only);
	assert_int_equal(model_index_count(sel(f)->index), 4);

	/* a typed examine with no untagged data at all still opens */
	cmd = imap_command_from_line("a2", "examine Drafts");
	assert_non_null(imap_session_submit(f->s, cmd, 0, NULL));
	drain(f);
	feed(f, "a2 OK [READ-ONLY] Examine completed.\r\n");
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPEN);
	assert_string_equal(sel(f)->mailbox, "Drafts");
	assert_true(sel(f)->examine);
	assert_true(sel(f)->read_only);
	assert_int_equal(model_index_count(sel(f)->index), 0);

	/* and a typed unselect closes it */
	cmd = imap_command_from_line("a3", "unselect");
	assert_non_null(imap_session_submit(f->s, cmd, 0, NULL));
	drain(f);
	feed(f, "a3 OK Unselect completed.\r\n");
	assert_int_equal(sel(f)->state, MODEL_SELECTED_NONE);
	teardown(f);
}

/* An UNSELECT pipelined behind a SELECT whose data has begun, answered
 * first (fuzz-session found it): the model never shows a selection
 * without a mailbox; the SELECT's OK after it opens its mailbox again,
 * as the session's state says. */
static void
test_unselect_cuts_an_opening_select(void **state)
{
	struct fixture *f = setup();
	struct imap_command *cmd;

	(void)state;
	cmd = imap_command_from_line("a1", "SELECT INBOX");
	assert_non_null(imap_session_submit(f->s, cmd, 0, NULL));
	cmd = imap_command_from_line("a2", "UNSELECT");
	assert_non_null(imap_session_submit(f->s, cmd, 0, NULL));
	drain(f);
	feed(f, "* OK [UNSEEN 3] Ok\r\n");
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPENING);
	feed(f, "a2 OK Unselect completed.\r\n");
	assert_int_equal(sel(f)->state, MODEL_SELECTED_NONE);
	assert_null(sel(f)->mailbox);
	feed(f, "a1 OK [READ-WRITE] Select completed.\r\n");
	assert_int_equal(sel(f)->state, MODEL_SELECTED_OPEN);
	assert_non_null(sel(f)->mailbox);
	assert_string_equal(sel(f)->mailbox, "INBOX");
	teardown(f);
}

/* --- the mailbox tree --------------------------------------------------- */

static struct model_mailboxes *
boxes(struct fixture *f)
{
	return model_mailboxes(f->m);
}

/* The rows' raw names, joined by " | ". */
static char *
rows_text(struct fixture *f)
{
	struct buf b;
	size_t i, n = model_mailboxes_count(boxes(f));

	buf_init(&b, 1 << 16);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i > 0 ? " | " : "",
		    model_mailboxes_row(boxes(f), i)->raw);
	return buf_steal(&b);
}

static void
expect_rows(struct fixture *f, const char *want)
{
	char *got = rows_text(f);

	assert_string_equal(got, want);
	free(got);
}

/* LIST "" "*" on the test bed's Dovecot account (fuzz corpus
 * dovecot-list-*), plus two names that are not modified UTF-7 and a
 * flat one. */
static const char dovecot_list[] =
    "* LIST (\\HasNoChildren \\Junk) \"/\" Junk\r\n"
    "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
    "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"
    "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts\r\n"
    "* LIST (\\HasChildren) \"/\" Archiv\r\n"
    "* LIST (\\HasChildren) \"/\" Archiv/2023\r\n"
    "* LIST (\\HasNoChildren) \"/\" Archiv/2023/Q4\r\n"
    "* LIST (\\HasChildren) \"/\" Projekte\r\n"
    "* LIST (\\HasNoChildren) \"/\" Projekte/&ANw-berpr&APw-fung\r\n"
    "* LIST (\\HasNoChildren) \"/\" &ZeVnLIqe-\r\n"
    "* LIST (\\HasNoChildren) \"/\" Entw&APw-rfe\r\n"
    "* LIST (\\HasNoChildren) \"/\" \"&Jjo\"\r\n"
    "* LIST (\\HasNoChildren) \"/\" \"a&b\"\r\n"
    "* LIST (\\Noselect) NIL Public\r\n"
    "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
    "%s OK List completed (0.001 + 0.000 secs).\r\n";

static void
list_all(struct fixture *f)
{
	TAG(t, f, "LIST \"\" *");
	feedf(f, dovecot_list, t);
}

static void
test_list_tree(void **state)
{
	struct fixture *f = setup();
	const struct model_mailbox *b;

	(void)state;
	list_all(f);
	assert_int_equal(take_changes(f), MODEL_CHANGED_MAILBOXES);
	/* siblings sort by display name: the invalid "&Jjo" shows raw,
	 * and 日本語 (&ZeVnLIqe-) sorts after the Latin names */
	expect_rows(f, "INBOX | &Jjo | Archiv | Archiv/2023 | "
		       "Archiv/2023/Q4 | Drafts | Entw&APw-rfe | Junk | "
		       "Projekte | Projekte/&ANw-berpr&APw-fung | Public | "
		       "Sent | Trash | a&b | &ZeVnLIqe-");

	b = model_mailboxes_find(boxes(f), "Entw&APw-rfe");
	assert_non_null(b);
	assert_string_equal(b->display, "Entw\xc3\xbcrfe");
	assert_string_equal(b->leaf, "Entw\xc3\xbcrfe");
	assert_false(b->name_invalid);
	assert_int_equal(b->depth, 0);
	assert_int_equal(b->delimiter, '/');
	assert_true(b->listed);

	b = model_mailboxes_find(boxes(f), "Projekte/&ANw-berpr&APw-fung");
	assert_string_equal(b->display,
	    "Projekte/\xc3\x9c" "berpr\xc3\xbc" "fung");
	assert_string_equal(b->leaf, "\xc3\x9c" "berpr\xc3\xbc" "fung");
	assert_int_equal(b->depth, 1);

	b = model_mailboxes_find(boxes(f), "&ZeVnLIqe-");
	assert_string_equal(b->display, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");

	b = model_mailboxes_find(boxes(f), "Archiv/2023/Q4");
	assert_string_equal(b->leaf, "Q4");
	assert_int_equal(b->depth, 2);
	assert_int_equal(b->attrs, LIST_ATTR_HASNOCHILDREN);
	assert_int_equal(b->attribute_count, 1);
	assert_string_equal(b->attributes[0], "\\HasNoChildren");

	/* not modified UTF-7: shown raw and flagged */
	b = model_mailboxes_find(boxes(f), "&Jjo");
	assert_true(b->name_invalid);
	assert_string_equal(b->display, "&Jjo");
	b = model_mailboxes_find(boxes(f), "a&b");
	assert_true(b->name_invalid);
	assert_string_equal(b->display, "a&b");

	b = model_mailboxes_find(boxes(f), "Public");
	assert_int_equal(b->delimiter, '\0');
	assert_int_equal(b->depth, 0);
	assert_string_equal(b->leaf, "Public");
	assert_int_equal(b->attrs, LIST_ATTR_NOSELECT);

	b = model_mailboxes_special(boxes(f), "\\Trash");
	assert_non_null(b);
	assert_string_equal(b->raw, "Trash");
	assert_string_equal(b->special_use, "\\Trash");
	assert_string_equal(model_mailboxes_special(boxes(f), "\\junk")->raw,
	    "Junk");
	assert_null(model_mailboxes_special(boxes(f), "\\All"));
	assert_int_equal(model_mailboxes_row_of(boxes(f), "INBOX"), 0);
	assert_int_equal(model_mailboxes_row_of(boxes(f), "Nope"), (size_t)-1);
	teardown(f);
}

/* Children whose parents were not listed get implied parent rows. */
static void
test_implied_parents(void **state)
{
	struct fixture *f = setup();
	const struct model_mailbox *b;

	(void)state;
	{
		TAG(t, f, "LIST \"\" %s", "%/%/%");
		feedf(f, "* LIST () \"/\" a/b/c\r\n"
			 "* LIST () \"/\" m/n\r\n"
			 "* LIST () \"/\" x/y\r\n"
			 "%s OK List completed.\r\n",
		    t);
	}
	expect_rows(f, "a | a/b | a/b/c | m | m/n | x | x/y");
	b = model_mailboxes_find(boxes(f), "a/b");
	assert_non_null(b);
	assert_false(b->listed);
	assert_int_equal(b->attrs, LIST_ATTR_NONEXISTENT |
		LIST_ATTR_NOSELECT | LIST_ATTR_HASCHILDREN);
	assert_int_equal(b->depth, 1);
	assert_string_equal(b->leaf, "b");
	b = model_mailboxes_find(boxes(f), "x");
	assert_non_null(b);
	assert_false(b->listed);
	assert_true(model_mailboxes_find(boxes(f), "a/b/c")->listed);

	/* once the parent is listed, it is a real row */
	{
		TAG(t, f, "LIST \"\" %s", "a");
		feedf(f, "* LIST (\\HasChildren) \"/\" a\r\n%s OK done\r\n",
		    t);
	}
	assert_true(model_mailboxes_find(boxes(f), "a")->listed);
	expect_rows(f, "a | a/b | a/b/c | m | m/n | x | x/y");
	teardown(f);
}

/* A new LIST "" "*" that no longer names a mailbox forgets it; a
 * partial LIST (%) does not. */
static void
test_list_prunes(void **state)
{
	struct fixture *f = setup();

	(void)state;
	list_all(f);
	{
		TAG(t, f, "LIST \"\" %s", "%");
		feedf(f, "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
			 "* LIST (\\HasNoChildren) \"/\" Trash\r\n"
			 "%s OK List completed.\r\n",
		    t);
	}
	assert_int_equal(model_mailboxes_count(boxes(f)), 15);
	{
		TAG(t, f, "LIST \"\" *");
		feedf(f, "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
			 "* LIST (\\HasChildren) \"/\" Archiv\r\n"
			 "* LIST (\\HasNoChildren) \"/\" Archiv/2023/Q4\r\n"
			 "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
			 "%s OK List completed.\r\n",
		    t);
	}
	assert_true(take_changes(f) & MODEL_CHANGED_MAILBOXES);
	/* Archiv/2023 is gone, but Q4 below it keeps an implied row */
	expect_rows(f, "INBOX | Archiv | Archiv/2023 | Archiv/2023/Q4 | Trash");
	assert_false(model_mailboxes_find(boxes(f), "Archiv/2023")->listed);
	assert_null(model_mailboxes_special(boxes(f), "\\Junk"));

	/* a LIST "" "*" that fails prunes nothing */
	{
		TAG(t, f, "LIST \"\" *");
		feedf(f, "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
			 "%s NO [SERVERBUG] Internal error\r\n",
		    t);
	}
	assert_int_equal(model_mailboxes_count(boxes(f)), 5);
	/* one that names nothing says there is nothing */
	{
		TAG(t, f, "LIST \"\" *");
		feedf(f, "%s OK List completed.\r\n", t);
	}
	assert_int_equal(model_mailboxes_count(boxes(f)), 0);
	teardown(f);
}

static void
test_subscriptions(void **state)
{
	struct fixture *f = setup();
	const struct model_mailbox *b;

	(void)state;
	list_all(f);
	{
		TAG(t, f, "LSUB \"\" *");
		feedf(f, "* LSUB () \"/\" INBOX\r\n"
			 "* LSUB () \"/\" Trash\r\n"
			 "* LSUB () \"/\" Sent\r\n"
			 "* LSUB (\\Noselect) \"/\" Gone\r\n"
			 "%s OK Lsub completed.\r\n",
		    t);
	}
	assert_true(model_mailboxes_find(boxes(f), "Trash")->subscribed);
	assert_false(model_mailboxes_find(boxes(f), "Junk")->subscribed);
	/* a subscription to a mailbox that does not exist: a row, unlisted */
	b = model_mailboxes_find(boxes(f), "Gone");
	assert_non_null(b);
	assert_true(b->subscribed);
	assert_false(b->listed);
	/* LSUB's \Noselect is about the subscription: LIST's attrs stay */
	assert_int_equal(model_mailboxes_find(boxes(f), "Trash")->attrs,
	    LIST_ATTR_HASNOCHILDREN);

	/* RFC 5258: RETURN (SUBSCRIBED) tells it for every name listed */
	{
		TAG(t, f, "LIST \"\" %s RETURN (SUBSCRIBED)", "%");
		feedf(f, "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX\r\n"
			 "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
			 "* LIST (\\HasNoChildren \\Subscribed \\Junk) \"/\" "
			 "Junk\r\n"
			 "%s OK List completed.\r\n",
		    t);
	}
	assert_true(model_mailboxes_find(boxes(f), "INBOX")->subscribed);
	assert_false(model_mailboxes_find(boxes(f), "Trash")->subscribed);
	assert_true(model_mailboxes_find(boxes(f), "Junk")->subscribed);
	/* not named: unchanged */
	assert_true(model_mailboxes_find(boxes(f), "Sent")->subscribed);

	/* a plain LIST without \Subscribed says nothing about it */
	{
		TAG(t, f, "LIST \"\" %s", "Junk");
		feedf(f, "* LIST (\\HasNoChildren \\Junk) \"/\" Junk\r\n"
			 "%s OK List completed.\r\n",
		    t);
	}
	assert_true(model_mailboxes_find(boxes(f), "Junk")->subscribed);

	/* a pattern that merely contains the word is a plain LIST */
	{
		TAG(t, f, "LIST \"\" %s", "Sent*");
		feedf(f, "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"
			 "%s OK List completed.\r\n",
		    t);
	}
	assert_true(model_mailboxes_find(boxes(f), "Sent")->subscribed);
	{
		TAG(t, f, "LIST \"\" %s", "Unsubscribed*");
		feedf(f, "* LIST (\\HasNoChildren) \"/\" Unsubscribed-Sent\r\n"
			 "%s OK List completed.\r\n",
		    t);
	}
	{
		TAG(t, f, "SUBSCRIBE %s", "Unsubscribed-Sent");
		feedf(f, "%s OK Subscribe completed.\r\n", t);
	}
	{
		TAG(t, f, "LIST \"\" %s", "Unsubscribed*");
		feedf(f, "* LIST (\\HasNoChildren) \"/\" Unsubscribed-Sent\r\n"
			 "%s OK List completed.\r\n",
		    t);
	}
	assert_true(model_mailboxes_find(boxes(f), "Unsubscribed-Sent")
			->subscribed);
	/* the SUBSCRIBED selection option (RFC 5258 3.1) */
	{
		TAG(t, f, "LIST (SUBSCRIBED) \"\" %s", "Unsubscribed*");
		feedf(f, "* LIST (\\HasNoChildren) \"/\" Unsubscribed-Sent\r\n"
			 "%s OK List completed.\r\n",
		    t);
	}
	assert_false(model_mailboxes_find(boxes(f), "Unsubscribed-Sent")
			 ->subscribed);
	{
		TAG(t, f, "DELETE %s", "Unsubscribed-Sent");
		feedf(f, "%s OK Delete completed.\r\n", t);
	}

	/* LSUB "" "*" clears the subscriptions it does not name */
	{
		TAG(t, f, "LSUB \"\" *");
		feedf(f, "* LSUB () \"/\" Sent\r\n%s OK Lsub completed.\r\n",
		    t);
	}
	assert_true(model_mailboxes_find(boxes(f), "Sent")->subscribed);
	assert_false(model_mailboxes_find(boxes(f), "INBOX")->subscribed);
	assert_false(model_mailboxes_find(boxes(f), "Junk")->subscribed);
	/* the unlisted subscription is gone altogether */
	assert_null(model_mailboxes_find(boxes(f), "Gone"));
	assert_int_equal(model_mailboxes_count(boxes(f)), 15);
	teardown(f);
}

static void
test_tree_commands(void **state)
{
	struct fixture *f = setup();
	const struct model_mailbox *b;

	(void)state;
	list_all(f);
	take_changes(f);
	{
		TAG(t, f, "CREATE %s", "Projekte/Neu");
		feedf(f, "%s OK Create completed.\r\n", t);
	}
	assert_int_equal(take_changes(f), MODEL_CHANGED_MAILBOXES);
	b = model_mailboxes_find(boxes(f), "Projekte/Neu");
	assert_non_null(b);
	assert_true(b->listed);
	assert_int_equal(b->delimiter, '/');
	assert_string_equal(b->leaf, "Neu");
	assert_int_equal(model_mailboxes_row_of(boxes(f), "Projekte/Neu"), 9);
	/* a failed CREATE adds nothing and tells nothing */
	{
		TAG(t, f, "CREATE %s", "Trash");
		feedf(f, "%s NO [ALREADYEXISTS] Mailbox already exists\r\n",
		    t);
	}
	assert_int_equal(take_changes(f), 0);
	assert_int_equal(model_mailboxes_count(boxes(f)), 16);

	{
		TAG(t, f, "DELETE %s", "Projekte/Neu");
		feedf(f, "%s OK Delete completed.\r\n", t);
	}
	assert_null(model_mailboxes_find(boxes(f), "Projekte/Neu"));
	assert_int_equal(model_mailboxes_count(boxes(f)), 15);

	/* RFC 9051 6.3.6: inferiors are renamed too; a sibling with the
	 * same prefix ("Archiv2") is not */
	{
		TAG(t, f, "CREATE %s", "Archiv2");
		feedf(f, "%s OK Create completed.\r\n", t);
	}
	{
		TAG(t, f, "RENAME %s %s", "Archiv", "Alt/Archiv");
		feedf(f, "%s OK Rename completed.\r\n", t);
	}
	assert_null(model_mailboxes_find(boxes(f), "Archiv"));
	assert_null(model_mailboxes_find(boxes(f), "Archiv/2023/Q4"));
	assert_non_null(model_mailboxes_find(boxes(f), "Archiv2"));
	b = model_mailboxes_find(boxes(f), "Alt/Archiv/2023/Q4");
	assert_non_null(b);
	assert_true(b->listed);
	assert_int_equal(b->depth, 3);
	assert_string_equal(b->leaf, "Q4");
	expect_rows(f, "INBOX | &Jjo | Alt | Alt/Archiv | "
		       "Alt/Archiv/2023 | Alt/Archiv/2023/Q4 | Archiv2 | "
		       "Drafts | Entw&APw-rfe | Junk | Projekte | "
		       "Projekte/&ANw-berpr&APw-fung | Public | Sent | Trash | "
		       "a&b | &ZeVnLIqe-");
	assert_false(model_mailboxes_find(boxes(f), "Alt")->listed);

	/* the special-use travels with the mailbox */
	{
		TAG(t, f, "RENAME %s %s", "Trash", "Papierkorb");
		feedf(f, "%s OK Rename completed.\r\n", t);
	}
	assert_string_equal(model_mailboxes_special(boxes(f), "\\Trash")->raw,
	    "Papierkorb");

	{
		TAG(t, f, "SUBSCRIBE %s", "Alt/Archiv");
		feedf(f, "%s OK Subscribe completed.\r\n", t);
	}
	assert_int_equal(take_changes(f), MODEL_CHANGED_MAILBOXES);
	assert_true(model_mailboxes_find(boxes(f), "Alt/Archiv")->subscribed);
	{
		TAG(t, f, "UNSUBSCRIBE %s", "Alt/Archiv");
		feedf(f, "%s OK Unsubscribe completed.\r\n", t);
	}
	assert_false(model_mailboxes_find(boxes(f), "Alt/Archiv")->subscribed);
	assert_true(model_mailboxes_find(boxes(f), "Alt/Archiv")->listed);

	/* RFC 9051 6.3.6: RENAME INBOX moves the messages; INBOX stays */
	{
		TAG(t, f, "RENAME %s %s", "INBOX", "Old-INBOX");
		feedf(f, "%s OK Rename completed.\r\n", t);
	}
	b = model_mailboxes_find(boxes(f), "INBOX");
	assert_non_null(b);
	assert_true(b->listed);
	assert_int_equal(model_mailboxes_row_of(boxes(f), "INBOX"), 0);
	b = model_mailboxes_find(boxes(f), "Old-INBOX");
	assert_non_null(b);
	assert_true(b->listed);
	assert_int_equal(b->delimiter, '/');
	teardown(f);
}

static void
test_status(void **state)
{
	struct fixture *f = setup();
	const struct model_mailbox *b;

	(void)state;
	list_all(f);
	take_changes(f);
	{
		TAG(t, f, "STATUS %s (MESSAGES UNSEEN UIDNEXT SIZE)", "Junk");
		feedf(f, "* STATUS Junk (MESSAGES 1 UNSEEN 1 UIDNEXT 2 "
			 "SIZE 333)\r\n%s OK Status completed.\r\n",
		    t);
	}
	assert_int_equal(take_changes(f), MODEL_CHANGED_MAILBOXES);
	b = model_mailboxes_find(boxes(f), "Junk");
	assert_int_equal(b->status_present,
	    1u << STATUS_MESSAGES | 1u << STATUS_UNSEEN | 1u << STATUS_UIDNEXT |
		1u << STATUS_SIZE);
	assert_int_equal(b->status[STATUS_MESSAGES], 1);
	assert_int_equal(b->status[STATUS_UNSEEN], 1);
	assert_int_equal(b->status[STATUS_UIDNEXT], 2);
	assert_int_equal(b->status[STATUS_SIZE], 333);
	/* a later STATUS updates what it names and keeps the rest */
	feed(f, "* STATUS Junk (MESSAGES 4)\r\n");
	assert_int_equal(b->status[STATUS_MESSAGES], 4);
	assert_int_equal(b->status[STATUS_SIZE], 333);
	/* Cyrus quotes names; a modified UTF-7 one */
	feed(f, "* STATUS \"Entw&APw-rfe\" (MESSAGES 2 HIGHESTMODSEQ 7)\r\n");
	b = model_mailboxes_find(boxes(f), "Entw&APw-rfe");
	assert_int_equal(b->status[STATUS_MESSAGES], 2);
	assert_int_equal(b->status[STATUS_HIGHESTMODSEQ], 7);
	/* a name the tree does not have is ignored */
	feed(f, "* STATUS Unknown (MESSAGES 9)\r\n");
	assert_null(model_mailboxes_find(boxes(f), "Unknown"));
	teardown(f);
}

/* The selected mailbox's counts in the tree follow EXISTS, EXPUNGE and
 * flag changes (another client's, told during IDLE); UNSEEN only once
 * every message's flags are known. */
static void
test_selected_counts(void **state)
{
	struct fixture *f = setup();
	const struct model_mailbox *b;
	struct buf flags;
	unsigned i;

	(void)state;
	list_all(f);
	feed(f, "* STATUS INBOX (MESSAGES 22 UNSEEN 5)\r\n");
	b = model_mailboxes_find(boxes(f), "INBOX");
	{
		TAG(t, f, "SELECT %s", "inbox");
		feedf(f, dovecot_select_inbox, t);
	}
	assert_int_equal(b->status[STATUS_MESSAGES], 22);
	assert_int_equal(b->status[STATUS_UNSEEN], 5); /* not known yet */
	buf_init(&flags, 1 << 16);
	for (i = 1; i <= 22; i++)
		buf_printf(&flags, "* %u FETCH (UID %u FLAGS (%s))\r\n", i, i,
		    i <= 3 ? "" : "\\Seen");
	feed(f, buf_str(&flags));
	buf_free(&flags);
	assert_int_equal(b->status[STATUS_UNSEEN], 3);
	take_changes(f);
	/* another client appends one: MESSAGES at once, UNSEEN once its
	 * flags come */
	feed(f, "* 23 EXISTS\r\n");
	assert_int_equal(take_changes(f),
	    MODEL_CHANGED_SELECTED | MODEL_CHANGED_MAILBOXES);
	assert_int_equal(b->status[STATUS_MESSAGES], 23);
	assert_int_equal(b->status[STATUS_UNSEEN], 3);
	feed(f, "* 23 FETCH (UID 30 FLAGS ())\r\n");
	assert_int_equal(b->status[STATUS_UNSEEN], 4);
	/* ... reads one, expunges one */
	feed(f, "* 1 FETCH (FLAGS (\\Seen))\r\n");
	assert_int_equal(b->status[STATUS_UNSEEN], 3);
	feed(f, "* 5 EXPUNGE\r\n");
	assert_int_equal(b->status[STATUS_MESSAGES], 22);
	assert_int_equal(b->status[STATUS_UNSEEN], 3);
	/* a FETCH that changes nothing changes no counts */
	take_changes(f);
	feed(f, "* 2 FETCH (FLAGS ())\r\n");
	assert_int_equal(take_changes(f), MODEL_CHANGED_SELECTED);
	teardown(f);
}

/* --- ACL and quota -------------------------------------------------------- */

static void
test_acl(void **state)
{
	struct fixture *f = setup();
	const struct model_acl_mailbox *b;

	(void)state;
	{
		TAG(t, f, "GETACL %s", "INBOX");
		/* Cyrus 3.6 */
		feedf(f, "* ACL INBOX alice lrswipkxtecdan -bob lr "
			 "anyone p\r\n%s OK Completed\r\n",
		    t);
	}
	assert_int_equal(take_changes(f), MODEL_CHANGED_ACL);
	b = model_acl_get(model_acl(f->m), "INBOX");
	assert_non_null(b);
	assert_true(b->acl_known);
	assert_int_equal(b->count, 3);
	assert_string_equal(b->entries[0].identifier, "alice");
	assert_false(b->entries[0].negative);
	assert_string_equal(b->entries[0].rights, "lrswipkxtecdan");
	assert_string_equal(b->entries[1].identifier, "-bob");
	assert_true(b->entries[1].negative);
	assert_string_equal(b->entries[1].rights, "lr");
	assert_string_equal(b->entries[2].identifier, "anyone");
	assert_null(b->entries[0].required);
	assert_null(b->myrights);

	{
		TAG(t, f, "MYRIGHTS %s", "INBOX");
		feedf(f, "* MYRIGHTS INBOX lrwstipekxacd\r\n%s OK done\r\n",
		    t);
	}
	assert_int_equal(take_changes(f), MODEL_CHANGED_ACL);
	assert_string_equal(b->myrights, "lrwstipekxacd");

	/* Dovecot's LISTRIGHTS for an identifier with an entry */
	feed(f, "* LISTRIGHTS INBOX alice \"\" l r w s t p i e k x a c d\r\n");
	b = model_acl_get(model_acl(f->m), "INBOX");
	assert_string_equal(b->entries[0].required, "");
	assert_int_equal(b->entries[0].optional_count, 13);
	assert_string_equal(b->entries[0].optional[0], "l");
	assert_string_equal(b->entries[0].optional[12], "d");
	/* for a negative identifier that has an entry */
	feed(f, "* LISTRIGHTS INBOX -bob \"\" l r s w\r\n");
	b = model_acl_get(model_acl(f->m), "INBOX");
	assert_int_equal(b->count, 3);
	assert_int_equal(b->entries[1].optional_count, 4);
	assert_string_equal(b->entries[1].rights, "lr");
	/* Cyrus's for someone without an entry: added, no rights */
	feed(f, "* LISTRIGHTS INBOX carol lr s w i p k x t e c d a n "
		"\"0 1 2\"\r\n");
	b = model_acl_get(model_acl(f->m), "INBOX");
	assert_int_equal(b->count, 4);
	assert_string_equal(b->entries[3].identifier, "carol");
	assert_false(b->entries[3].negative);
	assert_string_equal(b->entries[3].rights, "");
	assert_string_equal(b->entries[3].required, "lr");
	assert_int_equal(b->entries[3].optional_count, 13);
	assert_string_equal(b->entries[3].optional[12], "0 1 2");

	/* a new GETACL replaces the entries */
	feed(f, "* ACL INBOX alice lrswipkxtecdan\r\n");
	b = model_acl_get(model_acl(f->m), "INBOX");
	assert_int_equal(b->count, 1);
	assert_string_equal(b->myrights, "lrwstipekxacd");
	assert_null(model_acl_get(model_acl(f->m), "Trash"));
	teardown(f);
}

static void
test_quota(void **state)
{
	struct fixture *f = setup();
	const struct model_quota_root *r;
	const char *const *roots;
	size_t n;

	(void)state;
	{
		TAG(t, f, "GETQUOTAROOT %s", "INBOX");
		/* Dovecot 2.3 */
		feedf(f, "* QUOTAROOT INBOX \"User quota\"\r\n"
			 "* QUOTA \"User quota\" (STORAGE 44 1048576 MESSAGE "
			 "22 50000)\r\n"
			 "%s OK Getquotaroot completed.\r\n",
		    t);
	}
	assert_int_equal(take_changes(f), MODEL_CHANGED_QUOTA);
	roots = model_quota_roots_of(model_quota(f->m), "INBOX", &n);
	assert_int_equal(n, 1);
	assert_string_equal(roots[0], "User quota");
	assert_int_equal(model_quota_root_count(model_quota(f->m)), 1);
	r = model_quota_root(model_quota(f->m), 0);
	assert_string_equal(r->root, "User quota");
	assert_int_equal(r->count, 2);
	assert_string_equal(r->resources[0].name, "STORAGE");
	assert_int_equal(r->resources[0].usage, 44);
	assert_int_equal(r->resources[0].limit, 1048576);
	assert_string_equal(r->resources[1].name, "MESSAGE");
	assert_int_equal(r->resources[1].usage, 22);
	assert_int_equal(r->resources[1].limit, 50000);

	/* Cyrus 3.6: the root is named after the mailbox; a mailbox with
	 * no root at all */
	feed(f, "* QUOTAROOT INBOX.Sent INBOX\r\n"
		"* QUOTA INBOX (STORAGE 12 51200)\r\n"
		"* QUOTAROOT Other\r\n");
	roots = model_quota_roots_of(model_quota(f->m), "INBOX.Sent", &n);
	assert_int_equal(n, 1);
	assert_string_equal(roots[0], "INBOX");
	(void)model_quota_roots_of(model_quota(f->m), "Other", &n);
	assert_int_equal(n, 0);
	assert_int_equal(model_quota_root_count(model_quota(f->m)), 2);
	r = model_quota_root(model_quota(f->m), 1);
	assert_string_equal(r->root, "INBOX");
	assert_int_equal(r->resources[0].limit, 51200);
	/* a new QUOTA replaces the root's resources */
	feed(f, "* QUOTA \"User quota\" (STORAGE 50 1048576)\r\n");
	r = model_quota_root(model_quota(f->m), 0);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->resources[0].usage, 50);
	(void)model_quota_roots_of(model_quota(f->m), "Never", &n);
	assert_int_equal(n, 0);
	teardown(f);
}

/* --- what the listener hears -------------------------------------------- */

static void
test_change_bits(void **state)
{
	static const struct {
		const char *server;
		unsigned want;
	} cases[] = {
		{ "* LIST () \"/\" X\r\n", MODEL_CHANGED_MAILBOXES },
		{ "* LSUB () \"/\" X\r\n", MODEL_CHANGED_MAILBOXES },
		{ "* STATUS X (MESSAGES 1)\r\n", MODEL_CHANGED_MAILBOXES },
		{ "* ACL X alice lr\r\n", MODEL_CHANGED_ACL },
		{ "* MYRIGHTS X lr\r\n", MODEL_CHANGED_ACL },
		{ "* LISTRIGHTS X bob \"\" l r\r\n", MODEL_CHANGED_ACL },
		{ "* QUOTA R (STORAGE 1 2)\r\n", MODEL_CHANGED_QUOTA },
		{ "* QUOTAROOT X R\r\n", MODEL_CHANGED_QUOTA },
		{ "* 23 EXISTS\r\n", MODEL_CHANGED_SELECTED },
		{ "* 1 RECENT\r\n", MODEL_CHANGED_SELECTED },
		{ "* 1 FETCH (FLAGS (\\Seen))\r\n", MODEL_CHANGED_SELECTED },
		{ "* 23 EXPUNGE\r\n", MODEL_CHANGED_SELECTED },
		{ "* VANISHED 99\r\n", MODEL_CHANGED_SELECTED },
		{ "* FLAGS (\\Seen)\r\n", MODEL_CHANGED_SELECTED },
		{ "* OK [UIDNEXT 30] x\r\n", MODEL_CHANGED_SELECTED },
		/* not about any model */
		{ "* OK [ALERT] maintenance at noon\r\n", 0 },
		{ "* SEARCH 1 2\r\n", 0 },
		{ "* CAPABILITY IMAP4rev1\r\n", 0 },
		{ "* OK still here\r\n", 0 },
	};
	struct fixture *f = setup();
	size_t i;

	(void)state;
	select_inbox(f);
	take_changes(f);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		feed(f, cases[i].server);
		if (f->changed != cases[i].want)
			fail_msg("%s: changed %#x, want %#x", cases[i].server,
			    f->changed, cases[i].want);
		/* one call per response at most */
		assert_true(f->tells <= 1);
		take_changes(f);
	}
	/* session state: LOGOUT */
	{
		TAG(t, f, "LOGOUT");
		feedf(f, "* BYE Logging out\r\n%s OK Logout completed.\r\n",
		    t);
	}
	assert_true(take_changes(f) & MODEL_CHANGED_SESSION);
	teardown(f);
}

/* --- envelope_parse_date ------------------------------------------------ */

static void
test_envelope_dates(void **state)
{
	static const struct {
		const char *date;
		bool ok;
		int64_t epoch;
		int tz;
	} cases[] = {
		{ "Tue, 5 Dec 2023 10:00:00 +0100", true, 1701766800, 60 },
		{ "Tue, 05 Dec 2023 10:00:00 +0100", true, 1701766800, 60 },
		{ "5 Dec 2023 10:00:00 +0100", true, 1701766800, 60 },
		{ "Tue, 5 Dec 2023 10:00 +0100", true, 1701766800, 60 },
		{ "Tue, 5 Dec 2023 10:00:00 -0500", true, 1701788400, -300 },
		{ "Tue, 5 Dec 2023 10:00:00 +0530", true, 1701750600, 330 },
		{ "Tue, 5 Dec 2023 10:00:00 +0000", true, 1701770400, 0 },
		{ "Tue, 5 dec 2023 10:00:00 +0000", true, 1701770400, 0 },
		/* RFC 5322 4.3: two-digit years */
		{ "Sun, 5 Dec 49 10:00:00 +0000", true, 2522311200, 0 },
		{ "Tue, 5 Dec 50 10:00:00 +0000", true, -601912800, 0 },
		/* zone names */
		{ "Tue, 5 Dec 2023 10:00:00 GMT", true, 1701770400, 0 },
		{ "Tue, 5 Dec 2023 10:00:00 UT", true, 1701770400, 0 },
		{ "Tue, 5 Dec 2023 10:00:00 EST", true, 1701788400, -300 },
		{ "Tue, 5 Dec 2023 10:00:00 EDT", true, 1701784800, -240 },
		{ "Tue, 5 Dec 2023 10:00:00 pst", true, 1701770400 + 8 * 3600,
		    -480 },
		/* military letters: -0000 */
		{ "Tue, 5 Dec 2023 10:00:00 Z", true, 1701770400, 0 },
		{ "Tue, 5 Dec 2023 10:00:00 A", true, 1701770400, 0 },
		/* RFC 5322 4.3: unknown alphabetic zones: -0000 */
		{ "Tue, 5 Dec 2023 10:00:00 CET", true, 1701770400, 0 },
		{ "Tue, 5 Dec 2023 10:00:00 MESZ", true, 1701770400, 0 },
		{ "Tue, 5 Dec 2023 10:00:00 ABCDEF", false, 0, 0 },
		/* comments and folded white space */
		{ "Tue, 5 Dec 2023 10:00:00 +0100 (CET)", true, 1701766800, 60 },
		{ "(sent) Tue, 5 Dec 2023 (x (nested)) 10:00:00 +0100", true,
		    1701766800, 60 },
		{ "Tue,\r\n 5 Dec 2023\r\n\t10:00:00\r\n +0100", true,
		    1701766800, 60 },
		{ "  Tue,  5  Dec  2023  10:00:00  +0100  ", true, 1701766800,
		    60 },
		/* a leap second */
		{ "Thu, 31 Dec 1998 23:59:60 +0000", true, 915148800, 0 },
		/* invalid */
		{ "Tue, 5 Dex 2023 10:00:00 +0100", false, 0, 0 },
		{ "Tue, 5 Dec 2023 24:00:00 +0100", false, 0, 0 },
		{ "Tue, 5 Dec 2023 10:60:00 +0100", false, 0, 0 },
		{ "Tue, 5 Dec 2023 10:00:00", false, 0, 0 },
		{ "Tue, 5 Dec 2023 10:00:00 +01", false, 0, 0 },
		{ "Tue, 5 Dec 2023 10:00:00 +0160", false, 0, 0 },
		{ "Tue, 0 Dec 2023 10:00:00 +0100", false, 0, 0 },
		{ "Tue, 32 Dec 2023 10:00:00 +0100", false, 0, 0 },
		{ "Tue 5 Dec 2023 10:00:00 +0100", false, 0, 0 },
		{ "Tue, Dec 2023 10:00:00 +0100", false, 0, 0 },
		{ "Tue, 5 Dec 2023", false, 0, 0 },
		{ "", false, 0, 0 },
		{ "yesterday", false, 0, 0 },
	};
	struct fetch_date d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok;

		memset(&d, 0x55, sizeof(d));
		ok = envelope_parse_date(cases[i].date, &d);
		if (ok != cases[i].ok)
			fail_msg("\"%s\": %s, want %s", cases[i].date,
			    ok ? "valid" : "invalid",
			    cases[i].ok ? "valid" : "invalid");
		if (!ok)
			continue;
		if (d.epoch != cases[i].epoch || d.tz_minutes != cases[i].tz)
			fail_msg("\"%s\": %lld %d, want %lld %d", cases[i].date,
			    (long long)d.epoch, d.tz_minutes,
			    (long long)cases[i].epoch, cases[i].tz);
	}
	/* RFC 5322 4.3: a three-digit year adds 1900: 123 is 2023 */
	assert_true(envelope_parse_date("5 Dec 123 10:00:00 +0000", &d));
	assert_int_equal(d.epoch, 1701770400);
	assert_false(envelope_parse_date(NULL, &d));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select_inbox),
		cmocka_unit_test(test_select_inbox_trickled),
		cmocka_unit_test(test_examine_read_only),
		cmocka_unit_test(test_select_tagged_read_only),
		cmocka_unit_test(test_select_fails),
		cmocka_unit_test(test_close_and_unselect),
		cmocka_unit_test(test_close_refused),
		cmocka_unit_test(test_disconnect),
		cmocka_unit_test(test_disconnect_during_select),
		cmocka_unit_test(test_nomodseq),
		cmocka_unit_test(test_fetch_fills_index),
		cmocka_unit_test(test_exists_expunge_vanished),
		cmocka_unit_test(test_unsolicited_fetch),
		cmocka_unit_test(test_select_replaces),
		cmocka_unit_test(test_typed_select),
		cmocka_unit_test(test_unselect_cuts_an_opening_select),
		cmocka_unit_test(test_list_tree),
		cmocka_unit_test(test_implied_parents),
		cmocka_unit_test(test_list_prunes),
		cmocka_unit_test(test_subscriptions),
		cmocka_unit_test(test_tree_commands),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_selected_counts),
		cmocka_unit_test(test_acl),
		cmocka_unit_test(test_quota),
		cmocka_unit_test(test_change_bits),
		cmocka_unit_test(test_envelope_dates),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
