/* front-jobs: --largest, --delete and --save from the command line. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "decode-search.h"
#include "text-display.h"
#include "front-jobs.h"
#include "job-delete.h"
#include "job-largest.h"
#include "job-save.h"
#include "text-json.h"
#include "client-transcript.h"
#include "util-buf.h"
#include "util-mem.h"

#define LINE_MAX_TEXT (64u * 1024)

struct runner {
	const struct cli_options *opts;
	struct client *client;
	struct transcript *transcript;
	FILE *notes;       /* where the job's notices go */
	struct job *job;
	int tty;           /* /dev/tty for the delete question, or -1 */
	char *question;
	bool progress_shown;
	bool progress_tty; /* stderr is a terminal: asked once, not per read */
	int last_percent;
	size_t rows;
};

/* Server text made safe for a terminal; malloc'd. */
static char *
escaped(const char *text)
{
	struct buf b;

	buf_init(&b, LINE_MAX_TEXT);
	if (text != NULL && display_escape(&b, text, strlen(text)) != 0) {
		buf_reset(&b);
		buf_append_str(&b, "(too long to show)");
	}
	return buf_steal(&b);
}

/* --- the session's events ------------------------------------------------ */

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct runner *r = ctx;

	(void)cmd;
	transcript_wire(r->transcript, out, text, len);
}

static void
on_response(void *ctx, const struct decoded_response *resp)
{
	struct runner *r = ctx;

	if (r->job != NULL)
		job_on_response(r->job, resp);
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged,
    double ms)
{
	struct runner *r = ctx;

	if (r->job != NULL)
		job_on_completed(r->job, cmd, result, tagged);
}

static void
on_client_notice(void *ctx, const char *text)
{
	struct runner *r = ctx;

	transcript_note(r->transcript, text);
}

/* --- the job's callbacks -------------------------------------------------- */

static void
end_progress(struct runner *r)
{
	if (r->progress_shown) {
		fputc('\n', stderr);
		r->progress_shown = false;
	}
}

static void
on_job_notice(void *ctx, const char *text)
{
	struct runner *r = ctx;
	char *safe = escaped(text);

	end_progress(r);
	if (r->notes == stdout)
		transcript_note(r->transcript, safe);
	else
		fprintf(r->notes, "imapwb: %s\n", safe);
	free(safe);
}

/* A line on a terminal that rewrites itself; nothing on a pipe. */
static void
on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct runner *r = ctx;
	int percent;

	if (total == 0 || !r->progress_tty)
		return;
	percent = (int)(done * 100 / total);
	if (percent == r->last_percent && done != total)
		return;
	r->last_percent = percent;
	fprintf(stderr, "\r%s: %3d%% (%llu of %llu %s)",
	    r->opts->job == CLI_JOB_SAVE ? "saving" : "scanning", percent,
	    (unsigned long long)done, (unsigned long long)total,
	    r->opts->job == CLI_JOB_SAVE ? "bytes" : "mailboxes");
	fflush(stderr);
	r->progress_shown = true;
}

static void
on_confirm(void *ctx, const char *question)
{
	struct runner *r = ctx;

	free(r->question);
	r->question = escaped(question);
}

/* --- --largest output ------------------------------------------------------ */

static void
print_row_json(const struct largest_row *row)
{
	struct json_writer w;
	struct buf out;

	buf_init(&out, 4 * LINE_MAX_TEXT);
	json_writer_init(&w, &out);
	json_object_begin(&w);
	json_key(&w, "mailbox");
	json_cstring(&w, row->mailbox);
	json_key(&w, "uidvalidity");
	json_uint(&w, row->uidvalidity);
	json_key(&w, "uid");
	json_uint(&w, row->uid);
	json_key(&w, "size");
	json_uint(&w, row->size);
	json_key(&w, "date");
	json_cstring(&w, row->date);
	json_key(&w, "from");
	json_cstring(&w, row->from);
	json_key(&w, "subject");
	json_cstring(&w, row->subject);
	json_key(&w, "largest_part");
	if (row->part == NULL)
		json_null(&w);
	else {
		json_object_begin(&w);
		json_key(&w, "part");
		json_cstring(&w, row->part);
		json_key(&w, "type");
		json_cstring(&w, row->part_type);
		json_key(&w, "size");
		json_uint(&w, row->part_size);
		json_object_end(&w);
	}
	json_object_end(&w);
	if (json_writer_status(&w) == 0)
		printf("%s\n", buf_str(&out));
	buf_free(&out);
}

static void
print_row_text(struct runner *r, const struct largest_row *row)
{
	char *mailbox = escaped(row->mailbox), *from = escaped(row->from);
	char *subject = escaped(row->subject), *type = escaped(row->part_type);

	if (r->rows == 0)
		printf("%12s  %-24s %11s %8s  %-25s  %s\n", "SIZE", "MAILBOX",
		    "UIDVALIDITY", "UID", "DATE", "FROM | SUBJECT | LARGEST PART");
	printf("%12llu  %-24s %11lu %8lu  %-25s  %s | %s | ",
	    (unsigned long long)row->size, mailbox,
	    (unsigned long)row->uidvalidity, (unsigned long)row->uid,
	    row->date != NULL ? row->date : "-", from, subject);
	if (row->part != NULL)
		printf("part %s %s %llu bytes\n", row->part, type,
		    (unsigned long long)row->part_size);
	else
		printf("-\n");
	free(mailbox);
	free(from);
	free(subject);
	free(type);
}

static void
on_row(void *ctx, const struct largest_row *row)
{
	struct runner *r = ctx;

	end_progress(r);
	if (r->opts->json)
		print_row_json(row);
	else
		print_row_text(r, row);
	r->rows++;
}

/* --- starting the job ---------------------------------------------------- */

static struct job *
start_job(struct runner *r, const char **error_r)
{
	const struct cli_options *o = r->opts;
	struct imap_session *s = client_session(r->client);
	struct job_callbacks cb = {
		.notice = on_job_notice, .progress = on_progress,
		.confirm = on_confirm, .ctx = r,
		.session_ends = true, /* a batch run logs out after its job */
	};
	struct job *job = NULL;
	struct seqset uids;

	switch (o->job) {
	case CLI_JOB_LARGEST: {
		struct largest_params p = {
			.count = o->largest_count, .min_size = o->min_size,
			.mailboxes = o->mailboxes,
			.mailbox_count = o->mailbox_count,
		};
		struct largest_callbacks lcb = { .job = cb, .row = on_row };

		return job_largest_start(s, &p, &lcb, error_r);
	}
	case CLI_JOB_DELETE: {
		struct delete_params p = {
			.mailbox = o->mailboxes[0], .uidvalidity = o->uidvalidity,
			.uids = &uids, .move_to = o->move_to,
			.move_to_trash = o->move_to_trash, .dry_run = o->dry_run,
			.confirm = !o->yes,
		};

		if (!seqset_parse(o->uids, 0, &uids, error_r))
			return NULL;
		job = job_delete_start(s, &p, &cb, error_r);
		seqset_free(&uids);
		return job;
	}
	case CLI_JOB_SAVE: {
		struct save_params p = {
			.mailbox = o->mailboxes[0], .uidvalidity = o->uidvalidity,
			.uid = o->uid, .part = o->part, .decode = o->decode,
			.path = o->output,
		};

		return job_save_start(s, &p, &cb, error_r);
	}
	case CLI_JOB_NONE:
		break;
	}
	*error_r = "no job";
	return NULL;
}

/* --- the question before deleting ---------------------------------------- */

static bool
ask(struct runner *r)
{
	char answer[16];
	ssize_t n;
	char *prompt = xasprintf("%s [y/N] ", r->question);

	fflush(NULL); /* the transcript so far, before a wait for the user */
	(void)!write(r->tty, prompt, strlen(prompt));
	free(prompt);
	n = read(r->tty, answer, sizeof(answer) - 1);
	if (n <= 0)
		return false;
	return answer[0] == 'y' || answer[0] == 'Y';
}

static enum exit_status
status_of(struct runner *r)
{
	switch (job_status(r->job)) {
	case JOB_OK:
		return EXIT_STATUS_OK;
	case JOB_REFUSED:
		return EXIT_STATUS_REFUSED;
	case JOB_FAILED:
		return EXIT_STATUS_COMMAND_FAILED;
	case JOB_LOST:
	case JOB_RUNNING:
		break;
	}
	return client_error_status(r->client) != EXIT_STATUS_OK ?
	    client_error_status(r->client) : EXIT_STATUS_PROTOCOL;
}

static enum exit_status
run_job(struct runner *r, const char **error_r)
{
	enum exit_status status;
	bool unused;

	if ((r->job = start_job(r, error_r)) == NULL)
		return EXIT_STATUS_USAGE;
	while (!job_done(r->job)) {
		if (job_delete_awaits_confirmation(r->job)) {
			job_delete_confirm(r->job, r->tty >= 0 && ask(r));
			continue;
		}
		if (client_turn(r->client, -1, -1, &unused) != 0)
			break;
	}
	end_progress(r);
	status = status_of(r);
	*error_r = job_status(r->job) == JOB_LOST && client_error(r->client)[0] ?
	    client_error(r->client) : job_error(r->job);
	return status;
}

/* Without --yes, --delete asks on the terminal; without one it refuses
 * before connecting. */
static int
open_tty(struct runner *r)
{
	const struct cli_options *o = r->opts;

	r->tty = -1;
	if (o->job != CLI_JOB_DELETE || o->yes || o->dry_run)
		return 0;
	r->tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	return r->tty >= 0 ? 0 : -1;
}

enum exit_status
front_jobs_run(const struct cli_options *o)
{
	struct client_config config;
	struct runner r = { .opts = o, .last_percent = -1,
		.progress_tty = isatty(STDERR_FILENO) != 0 };
	struct client_listener l = {
		.wire = on_wire,
		.response = on_response,
		.completed = on_completed,
		.notice = on_client_notice,
		.ctx = &r,
	};
	enum exit_status status;
	const char *err = NULL;

	if (open_tty(&r) != 0) {
		fprintf(stderr, "imapwb: refusing to delete: there is no "
		    "terminal to ask on (give --yes, or try --dry-run)\n");
		return EXIT_STATUS_REFUSED;
	}
	/* --delete shows every command it sends on stdout; the others show
	 * the wire on stderr with -v (always in a --transcript file). */
	r.notes = o->job == CLI_JOB_DELETE ? stdout : stderr;
	r.transcript = transcript_new(o->job == CLI_JOB_DELETE ? stdout :
	    o->verbose > 0 ? stderr : NULL, o->transcript_file, &err);
	if (r.transcript == NULL) {
		fprintf(stderr, "imapwb: %s: %s\n", o->transcript_file, err);
		if (r.tty >= 0)
			close(r.tty);
		return EXIT_STATUS_USAGE;
	}
	transcript_set_show_literal(r.transcript, o->show_literal);
	cli_options_client_config(o, &config);
	r.client = client_new(&config, &l);
	status = client_open(r.client, &err);
	if (status == EXIT_STATUS_OK)
		status = client_authenticate(r.client, &err);
	if (status == EXIT_STATUS_OK) {
		status = run_job(&r, &err);
		client_logout(r.client);
	}
	if (err != NULL && err[0] != '\0' && status != EXIT_STATUS_OK)
		display_error_line(stderr, err);
	job_free(&r.job);
	client_free(&r.client);
	transcript_free(&r.transcript);
	free(r.question);
	if (r.tty >= 0)
		close(r.tty);
	if (fflush(stdout) != 0 && status == EXIT_STATUS_OK)
		status = EXIT_STATUS_COMMAND_FAILED;
	return status;
}
