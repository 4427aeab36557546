/* front-console: the plain line console (--plain, like imtest) and the
 * batch runner (-f FILE). Both print the wire as "C:"/"S:" lines and use
 * the raw console rules of console-input, and its guard for a typed plain
 * EXPUNGE or CLOSE (console-guard): on a terminal it asks y/N, from a
 * pipe it refuses (unless --yes), and in a batch it warns on stderr and
 * sends, since a script means what it says. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "client.h"
#include "client-complete.h"
#include "client-console-guard.h"
#include "client-console-input.h"
#include "client-events-json.h"
#include "client-url.h"
#include "front-console.h"
#include "model.h"
#include "client-transcript.h"
#include "teach-explain.h"
#include "text-display.h"
#include "util-buf.h"
#include "util-log.h"
#include "util-mem.h"

#define MAX_TYPED_LINE (64u * 1024 * 1024)
/* stdout's buffer when it is a file or a pipe of its own */
#define STDOUT_BLOCK (256u * 1024)

/* The blocks themselves: glibc ignores setvbuf's size without a buffer
 * (and keeps its 4 KiB); they live until exit flushes them. */
static char stdout_block[STDOUT_BLOCK];
static char stderr_block[STDOUT_BLOCK];

struct console {
	const struct cli_options *opts;
	struct client *client;
	struct transcript *transcript;
	struct console_input *input;
	struct console_guard *guard;
	struct explainer *explainer; /* --explain, else NULL */
	bool any_failed;      /* a command got NO or BAD */
	bool input_done;      /* stdin or the batch file ended */
	bool tty;
	char *history_path;
	struct buf pending;   /* bytes read from a pipe, not yet a line */
};

/* --- events -------------------------------------------------------------- */

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct console *c = ctx;

	transcript_wire(c->transcript, out, text, len);
	if (out && c->explainer != NULL)
		explain_sent(c->explainer, cmd, text, len);
}

static void
on_explain_line(void *ctx, enum explain_kind kind, const char *text)
{
	struct console *c = ctx;

	(void)kind;
	transcript_explain(c->transcript, text);
}

static void
on_response(void *ctx, const struct decoded_response *resp)
{
	struct console *c = ctx;

	if (c->explainer != NULL)
		explain_response(c->explainer, resp);
	if (c->guard != NULL)
		console_guard_response(c->guard, resp);
	if (c->opts->json)
		events_json_response(stdout, resp);
}

static const char *const result_words[] = { "OK", "NO", "BAD", "failed" };

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged,
    double ms)
{
	struct console *c = ctx;
	const struct imap_command *ic = imap_session_command_get(cmd);
	const struct imap_command_entry *e = imap_session_command_entry(cmd);
	char note[160];

	if (c->explainer != NULL)
		explain_completed(c->explainer, cmd, result, tagged);
	if (c->input != NULL)
		console_input_command_done(c->input, cmd);
	if (result != IMAP_RESULT_OK)
		c->any_failed = true;
	if (c->opts->json && result == IMAP_RESULT_OK && e != NULL &&
	    (e->flags & IMAP_CMDF_SELECTS))
		events_json_select(stdout,
		    model_selected(client_model(c->client)));
	if (c->opts->json)
		events_json_tagged(stdout, cmd, result,
		    tagged != NULL ? tagged->raw : NULL, ms);
	if (c->opts->verbose > 0 || result == IMAP_RESULT_FAILED) {
		snprintf(note, sizeof(note), "%s %s %s in %.1f ms", ic->tag,
		    ic->name, result_words[result], ms);
		transcript_note(c->transcript, note);
	}
	/* last: it may send the command it holds */
	if (c->guard != NULL)
		console_guard_completed(c->guard, cmd, result, tagged);
}

static void
on_notice(void *ctx, const char *text)
{
	struct console *c = ctx;

	transcript_note(c->transcript, text);
}

/* --- the guard's question ------------------------------------------------ */

/* Lines of our own text ("\n"-separated) for the user: on the console's
 * terminal as notes, else on stderr. */
static void
say_lines(struct console *c, bool to_stderr, const char *prefix,
    const char *text)
{
	const char *p = text, *nl;

	for (; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		char *line;

		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		line = xasprintf("%s%.*s", p == text ? prefix : "",
		    (int)(nl - p), p);
		if (to_stderr)
			display_error_line(stderr, line);
		else
			transcript_note(c->transcript, line);
		free(line);
	}
}

static void
on_guard_ask(void *ctx, const char *question)
{
	struct console *c = ctx;
	const char *last = strrchr(question, '\n');
	char *body = xstrndup(question,
	    last != NULL ? (size_t)(last - question) : 0);
	char *prompt = xasprintf("%s [y/N] ",
	    last != NULL ? last + 1 : question);

	say_lines(c, !c->tty, "", body);
	if (c->tty) {
		rl_clear_visible_line();
		rl_set_prompt(prompt);
		rl_forced_update_display();
	} else {
		fputs(prompt, stderr);
		fflush(stderr);
	}
	free(body);
	free(prompt);
}

static void
on_guard_notice(void *ctx, enum console_guard_notice kind, const char *text)
{
	struct console *c = ctx;

	switch (kind) {
	case CONSOLE_GUARD_WARNED:
		say_lines(c, true, "warning: ", text);
		break;
	case CONSOLE_GUARD_REFUSED:
		say_lines(c, true, "", text);
		fprintf(stderr, "imapwb: stdin is not a terminal, so nobody "
				"can confirm it: --yes sends it anyway\n");
		break;
	case CONSOLE_GUARD_DECLINED:
		say_lines(c, !c->tty, "", text);
		break;
	}
}

/* The line typed at the y/N question. */
static void
answer_guard(struct console *c, const char *line)
{
	bool yes = strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;

	if (c->tty)
		rl_set_prompt("imapwb> ");
	console_guard_answer(c->guard, yes);
}

/* --- readline -------------------------------------------------------------- */

/* One console per process: readline's callbacks carry no context. */
static struct console *active_console;

static void
hide_prompt(void *ctx)
{
	(void)ctx;
	rl_save_prompt();
	rl_clear_visible_line();
}

static void
show_prompt(void *ctx)
{
	(void)ctx;
	rl_restore_prompt();
	rl_forced_update_display();
}

/* Redisplay with the secret part of the line masked: readline draws
 * rl_line_buffer, so draw a masked copy of the same length instead. */
static void
masked_redisplay(void)
{
	struct console *c = active_console;
	char *saved = rl_line_buffer, *masked;
	size_t from;

	if (c == NULL || c->input == NULL ||
	    (from = console_input_secret_from(c->input, rl_line_buffer)) >=
		(size_t)rl_end) {
		rl_redisplay();
		return;
	}
	masked = xstrdup(saved);
	memset(masked + from, '*', (size_t)rl_end - from);
	rl_line_buffer = masked;
	rl_redisplay();
	rl_line_buffer = saved;
	secure_free_str(&masked);
}

static void
submit_line(struct console *c, const char *line)
{
	const char *err = NULL;
	const char *status;

	if (c->guard != NULL && console_guard_asking(c->guard)) {
		answer_guard(c, line);
		return;
	}
	if (console_input_line(c->input, line, &err) != 0) {
		fprintf(stderr, "imapwb: %s\n", err);
		/* a script's line that cannot be sent is a failure; on a
		 * terminal the typist sees it and types again */
		if (!c->tty)
			c->any_failed = true;
		return;
	}
	if (c->tty && console_input_last_line_for_history(c->input)) {
		add_history(line);
		if (c->history_path != NULL)
			(void)append_history(1, c->history_path);
	}
	status = console_input_status(c->input);
	if (status != NULL && c->tty)
		transcript_note(c->transcript, status);
}

static void
on_readline(char *line)
{
	struct console *c = active_console;

	if (line == NULL) {
		/* end of input (Ctrl-D): end the prompt's line, as shells do;
		 * at the y/N question it is a no */
		if (c->guard != NULL && console_guard_asking(c->guard))
			answer_guard(c, "");
		c->input_done = true;
		rl_callback_handler_remove();
		transcript_set_line_hooks(c->transcript, NULL, NULL, NULL);
		fputc('\n', stdout);
		return;
	}
	submit_line(c, line);
	/* the typed line may hold a secret */
	secure_free_str(&line);
}

/* Whatever ends the program while readline holds the terminal (out of
 * memory exits from anywhere), the terminal gets its modes back. */
static void
readline_restore_terminal(void)
{
	if (active_console != NULL && !active_console->input_done)
		rl_callback_handler_remove();
}

static void
readline_start(struct console *c)
{
	static bool registered;

	if (!registered)
		registered = atexit(readline_restore_terminal) == 0;
	active_console = c;
	c->history_path = console_input_history_path();
	if (c->history_path != NULL) {
		int fd = open(c->history_path, O_WRONLY | O_CREAT | O_APPEND |
			O_CLOEXEC, 0600);

		if (fd >= 0)
			close(fd);
		(void)read_history(c->history_path);
	}
	transcript_set_line_hooks(c->transcript, hide_prompt, show_prompt, c);
	rl_redisplay_function = masked_redisplay;
	/* IMAP words, as the TUI completes them, never file names */
	complete_readline_install(client_model(c->client));
	rl_callback_handler_install("imapwb> ", on_readline);
}

static void
readline_stop(struct console *c)
{
	if (!c->input_done) {
		/* leave no prompt behind on the terminal */
		rl_clear_visible_line();
		rl_callback_handler_remove();
	}
	transcript_set_line_hooks(c->transcript, NULL, NULL, NULL);
	rl_redisplay_function = rl_redisplay;
	complete_readline_install(NULL);
	free(c->history_path);
	c->history_path = NULL;
	active_console = NULL;
}

/* --- lines from a pipe or a file ---------------------------------------- */

/* The guard holds a typed command: the next lines wait for its end. */
static bool
guard_busy(const struct console *c)
{
	return c->guard != NULL && console_guard_busy(c->guard) &&
	    !console_guard_asking(c->guard);
}

/* Submit every whole line read so far (and, at the end of input, the
 * last one), stopping while the guard holds a command. */
static void
drain_pipe_lines(struct console *c)
{
	char *nl;

	while (!guard_busy(c) && c->pending.len > 0 &&
	    (nl = memchr(c->pending.data, '\n', c->pending.len)) != NULL) {
		size_t len = (size_t)(nl - c->pending.data);

		*nl = '\0';
		if (len > 0 && c->pending.data[len - 1] == '\r')
			c->pending.data[len - 1] = '\0';
		submit_line(c, c->pending.data);
		buf_consume(&c->pending, len + 1);
	}
	if (!guard_busy(c) && c->input_done && c->pending.len > 0) {
		submit_line(c, buf_str(&c->pending));
		buf_reset(&c->pending);
	}
}

/* Read what is there; submit every whole line. */
static int
read_pipe_lines(struct console *c, int fd)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		c->input_done = true;
	else if (buf_append(&c->pending, chunk, (size_t)n) != 0) {
		fprintf(stderr, "imapwb: an input line is too long\n");
		return -1;
	}
	drain_pipe_lines(c);
	return 0;
}

/* --- the modes ------------------------------------------------------------ */

/* Plain console: lines go out as typed (pipelined), replies come as they
 * come. At the end of input, wait for what is in flight. */
static void
run_plain(struct console *c)
{
	struct imap_session *s = client_session(c->client);
	bool ready;

	if (c->tty)
		readline_start(c);
	for (;;) {
		/* lines read while the guard held a command */
		if (!c->tty)
			drain_pipe_lines(c);
		if (!client_connected(c->client) ||
		    (c->input_done && c->pending.len == 0 &&
			imap_session_in_flight(s) == 0 &&
			(c->guard == NULL || !console_guard_busy(c->guard))))
			break;
		/* the terminal is not read while a held command is checked,
		 * so what is typed meanwhile waits for its turn */
		if (client_turn(c->client,
			c->input_done || guard_busy(c) ? -1 : STDIN_FILENO, -1,
			&ready) != 0)
			break;
		if (!ready)
			continue;
		if (c->tty)
			rl_callback_read_char();
		else if (read_pipe_lines(c, STDIN_FILENO) != 0)
			c->input_done = true;
	}
	if (c->tty)
		readline_stop(c);
}

/* Batch: each command waits for its tagged reply before the next. */
static int
run_batch(struct console *c)
{
	struct imap_session *s = client_session(c->client);
	FILE *f = fopen(c->opts->batch_file, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	bool ready;

	if (f == NULL) {
		fprintf(stderr, "imapwb: %s: %s\n", c->opts->batch_file,
		    strerror(errno));
		return -1;
	}
	while (client_connected(c->client) &&
	    (n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		submit_line(c, line);
		/* A command still being assembled (a literal) takes the next
		 * line at once; a whole one is waited for, and so is one the
		 * guard holds (it sends it: the batch policy is to warn). */
		while (client_connected(c->client) &&
		    !console_input_wants_more(c->input) &&
		    (imap_session_in_flight(s) > 0 || guard_busy(c)))
			if (client_turn(c->client, -1, -1, &ready) != 0)
				break;
	}
	free(line);
	fclose(f);
	return 0;
}

/* imap://host/MAILBOX: SELECT it before the first typed or batch
 * command; a /;UID= is only named (nothing more is fetched). */
static enum exit_status
open_url_mailbox(struct console *c, const char **error_r)
{
	const struct cli_options *o = c->opts;
	enum exit_status status;
	bool found;
	char *note;

	status = client_url_open(c->client, o->open_mailbox,
	    o->open_uidvalidity, 0, &found, error_r);
	if (status == EXIT_STATUS_COMMAND_FAILED)
		display_error_line(stderr, *error_r);
	if (status != EXIT_STATUS_OK || o->open_uid == 0)
		return status;
	note = xasprintf("the URL names message UID %lu of this mailbox "
	    "(UID FETCH %lu ... shows it)", (unsigned long)o->open_uid,
	    (unsigned long)o->open_uid);
	transcript_note(c->transcript, note);
	free(note);
	return EXIT_STATUS_OK;
}

/* -f: a script means what it says; --yes: so does the typist; a pipe
 * has nobody to ask. */
static enum console_guard_policy
guard_policy(const struct cli_options *o)
{
	if (o->batch_file != NULL || o->yes)
		return CONSOLE_GUARD_WARN;
	return isatty(STDIN_FILENO) ? CONSOLE_GUARD_ASK : CONSOLE_GUARD_REFUSE;
}

enum exit_status
front_console_run(const struct cli_options *o)
{
	struct console c = { .opts = o };
	struct client_config config;
	struct client_listener l = {
		.wire = on_wire,
		.response = on_response,
		.completed = on_completed,
		.notice = on_notice,
		.ctx = &c,
	};
	struct console_guard_callbacks guard_cb = {
		.ask = on_guard_ask, .notice = on_guard_notice, .ctx = &c,
	};
	enum exit_status status;
	const char *err = NULL;

	buf_init(&c.pending, MAX_TYPED_LINE);
	/* Into a file or a pipe of its own, stdout goes in large blocks:
	 * per-line writes were the batch mode's main system cost. */
	if (!log_stream_wants_line_flush(stdout))
		setvbuf(stdout, stdout_block, _IOFBF, sizeof(stdout_block));
	/* So does stderr with --json (it carries the transcript: one
	 * write(2) a line unbuffered), unless it is stdout's file. */
	if (o->json && !log_stream_wants_line_flush(stderr))
		setvbuf(stderr, stderr_block, _IOFBF, sizeof(stderr_block));
	/* With --json, stdout carries only events. */
	c.transcript = transcript_new(o->json ? stderr : stdout,
	    o->transcript_file, &err);
	if (c.transcript == NULL) {
		fprintf(stderr, "imapwb: %s: %s\n", o->transcript_file, err);
		return EXIT_STATUS_USAGE;
	}
	transcript_set_show_literal(c.transcript, o->show_literal);
	if (o->explain)
		c.explainer = explainer_new(on_explain_line, &c);
	cli_options_client_config(o, &config);
	c.client = client_new(&config, &l);
	status = client_open(c.client, &err);
	if (status == EXIT_STATUS_OK)
		status = client_authenticate(c.client, &err);
	if (status == EXIT_STATUS_OK && o->open_mailbox != NULL &&
	    (status = open_url_mailbox(&c, &err)) != EXIT_STATUS_OK)
		client_logout(c.client);
	if (status == EXIT_STATUS_OK) {
		c.tty = o->batch_file == NULL && isatty(STDIN_FILENO) &&
		    isatty(STDOUT_FILENO);
		c.input = console_input_new(client_session(c.client));
		console_input_set_manual_tags(c.input, o->manual_tags);
		c.guard = console_guard_new(client_session(c.client),
		    client_model(c.client), guard_policy(o), &guard_cb);
		console_input_set_guard(c.input, c.guard);
		if (o->batch_file != NULL ? run_batch(&c) != 0 : (run_plain(&c), 0))
			status = EXIT_STATUS_USAGE;
		client_logout(c.client);
		if (status == EXIT_STATUS_OK && client_error_status(c.client) !=
		    EXIT_STATUS_OK) {
			status = client_error_status(c.client);
			err = client_error(c.client);
		}
		/* a refusal says more than a NO: what the script asked for
		 * was not done */
		if (status == EXIT_STATUS_OK &&
		    console_guard_refused(c.guard) > 0)
			status = EXIT_STATUS_REFUSED;
		if (status == EXIT_STATUS_OK && c.any_failed)
			status = EXIT_STATUS_COMMAND_FAILED;
		console_input_set_guard(c.input, NULL);
		console_guard_free(&c.guard);
		console_input_free(&c.input);
	}
	if (err != NULL && status != EXIT_STATUS_OK &&
	    status != EXIT_STATUS_COMMAND_FAILED)
		display_error_line(stderr, err);
	client_free(&c.client);
	explainer_free(&c.explainer);
	transcript_free(&c.transcript);
	buf_free(&c.pending);
	return status;
}
