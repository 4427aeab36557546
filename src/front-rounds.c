/* front-rounds: imtest's -z (timing test) and -n (reauthentication with
 * TLS session resumption), on the client's own connection code. */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "auth-password.h"
#include "client.h"
#include "client-console-input.h"
#include "client-transcript.h"
#include "front-rounds.h"
#include "text-display.h"
#include "text-json.h"
#include "util-buf.h"
#include "util-clock.h"
#include "util-log.h"
#include "util-mem.h"

#define JSON_EVENT_MAX 4096

const char *const rounds_phase_names[ROUNDS_PHASE_COUNT] = {
	[ROUNDS_CONNECT] = "connect",
	[ROUNDS_GREETING] = "greeting",
	[ROUNDS_TLS] = "tls",
	[ROUNDS_AUTH] = "auth",
	[ROUNDS_COMMAND] = "command",
	[ROUNDS_LOGOUT] = "logout",
	[ROUNDS_TOTAL] = "total",
};

struct rounds {
	const struct cli_options *opts;
	struct client_config config;
	struct transcript *transcript; /* --transcript only, else NULL */
	const char *command;           /* -z: NOOP or -f's first line */
	char *command_line;            /* its copy, when from -f */
	char *password;                /* asked once for every round */
	struct conn_tls_session *session; /* -n: to resume next */
	/* the round in progress */
	struct client *client;
	struct console_input *input;
	bool command_failed;
	char command_reply[256];
	/* every round's phases, for the table */
	double *samples[ROUNDS_PHASE_COUNT];
	size_t ok_count;
};

/* --- statistics ------------------------------------------------------ */

static int
compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void
rounds_stats(double *v, size_t n, struct rounds_stats *st)
{
	size_t rank;

	qsort(v, n, sizeof(*v), compare_doubles);
	st->min = v[0];
	st->max = v[n - 1];
	st->median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	rank = (99 * n + 99) / 100; /* ceil(0.99 n) */
	st->p99 = v[rank > 0 ? rank - 1 : 0];
}

/* --- the client's events ------------------------------------------- */

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct rounds *r = ctx;

	(void)cmd;
	if (r->transcript != NULL)
		transcript_wire(r->transcript, out, text, len);
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged,
    double ms)
{
	struct rounds *r = ctx;

	(void)ms;
	if (r->input == NULL)
		return;
	console_input_command_done(r->input, cmd);
	if (result != IMAP_RESULT_OK && !r->command_failed) {
		r->command_failed = true;
		if (tagged != NULL)
			snprintf(r->command_reply, sizeof(r->command_reply),
			    "%s %s %s", tagged->raw->tag != NULL ?
			    tagged->raw->tag : "", result == IMAP_RESULT_NO ?
			    "NO" : "BAD", tagged->raw->text);
		else
			snprintf(r->command_reply, sizeof(r->command_reply),
			    "the command failed without a reply");
	}
}

static void
on_notice(void *ctx, const char *text)
{
	struct rounds *r = ctx;

	if (r->transcript != NULL)
		transcript_note(r->transcript, text);
	if (r->opts->verbose > 1)
		display_error_line(stderr, text);
}

/* --- one round ------------------------------------------------------- */

/* Send the round's command as the plain console would, and wait for
 * its tagged reply (and any other in flight). */
static enum exit_status
run_command(struct rounds *r, const char **error_r)
{
	struct imap_session *s = client_session(r->client);
	bool unused;

	r->input = console_input_new(s);
	r->command_failed = false;
	if (console_input_line(r->input, r->command, error_r) != 0)
		return EXIT_STATUS_USAGE;
	if (console_input_wants_more(r->input)) {
		*error_r = "the command (the first line of -f) is not whole: "
			   "a literal or an IDLE cannot be timed";
		return EXIT_STATUS_USAGE;
	}
	while (imap_session_in_flight(s) > 0)
		if (client_turn(r->client, -1, -1, &unused) != 0) {
			*error_r = client_error(r->client);
			return client_error_status(r->client);
		}
	if (r->command_failed) {
		*error_r = r->command_reply;
		return EXIT_STATUS_COMMAND_FAILED;
	}
	return EXIT_STATUS_OK;
}

/* LOGOUT and the server's close: anything else is a failure. */
static enum exit_status
run_logout(struct rounds *r, const char **error_r)
{
	client_logout(r->client);
	if (client_error_status(r->client) != EXIT_STATUS_OK) {
		*error_r = client_error(r->client);
		return client_error_status(r->client);
	}
	if (client_connected(r->client)) {
		*error_r = "the server did not close the connection after "
			   "LOGOUT";
		return EXIT_STATUS_PROTOCOL;
	}
	return EXIT_STATUS_OK;
}

static enum exit_status
run_round(struct rounds *r, double *phase)
{
	struct client_listener l = {
		.wire = on_wire,
		.completed = on_completed,
		.notice = on_notice,
		.ctx = r,
	};
	struct client_open_times open_times;
	enum exit_status status;
	const char *err = NULL;
	double start = clock_now_ms_precise(), t;

	memset(phase, 0, ROUNDS_PHASE_COUNT * sizeof(*phase));
	r->config.tls_resume = r->session;
	r->client = client_new(&r->config, &l);
	status = client_open(r->client, &err);
	client_open_times(r->client, &open_times);
	phase[ROUNDS_CONNECT] = open_times.connect_ms;
	phase[ROUNDS_GREETING] = open_times.greeting_ms;
	phase[ROUNDS_TLS] = open_times.tls_ms;
	t = clock_now_ms_precise();
	if (status == EXIT_STATUS_OK)
		status = client_authenticate(r->client, &err);
	phase[ROUNDS_AUTH] = clock_now_ms_precise() - t;
	t = clock_now_ms_precise();
	if (status == EXIT_STATUS_OK && r->command != NULL)
		status = run_command(r, &err);
	phase[ROUNDS_COMMAND] = clock_now_ms_precise() - t;
	t = clock_now_ms_precise();
	if (status == EXIT_STATUS_OK)
		status = run_logout(r, &err);
	phase[ROUNDS_LOGOUT] = clock_now_ms_precise() - t;
	/* TLS 1.3 tickets come after the handshake: take the session now */
	if (status == EXIT_STATUS_OK && r->opts->reauth_count > 0) {
		client_tls_session_free(&r->session);
		r->session = client_tls_session(r->client);
	}
	phase[ROUNDS_TOTAL] = clock_now_ms_precise() - start;
	if (status != EXIT_STATUS_OK) {
		char *line = xasprintf("round failed: %s",
		    err != NULL ? err : "unknown error");

		/* it may quote the server */
		display_error_line(stderr, line);
		free(line);
	}
	return status;
}

/* --- output ---------------------------------------------------------- */

static void
json_line(struct json_writer *w, struct buf *out)
{
	json_object_end(w);
	if (json_writer_status(w) == 0)
		printf("%s\n", buf_str(out));
	fflush(stdout);
	buf_free(out);
}

static void
json_begin(struct json_writer *w, struct buf *out, const char *event)
{
	buf_init(out, JSON_EVENT_MAX);
	json_writer_init(w, out);
	json_object_begin(w);
	json_key(w, "event");
	json_cstring(w, event);
}

static void
print_round_json(unsigned round, enum exit_status status,
    const double *phase)
{
	struct json_writer w;
	struct buf out;
	size_t i;

	json_begin(&w, &out, "timing_round");
	json_key(&w, "round");
	json_uint(&w, round);
	json_key(&w, "ok");
	json_bool(&w, status == EXIT_STATUS_OK);
	for (i = 0; i < ROUNDS_PHASE_COUNT; i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s_ms", rounds_phase_names[i]);
		json_key(&w, key);
		json_double(&w, phase[i], 3);
	}
	json_line(&w, &out);
}

static void
print_table(struct rounds *r, unsigned rounds)
{
	struct rounds_stats st;
	struct json_writer w;
	struct buf out;
	size_t i;

	if (!r->opts->json)
		printf("%-9s %10s %10s %10s %10s   (ms, %zu of %u rounds)"
		    "\n", "phase", "min", "median", "p99", "max", r->ok_count,
		    rounds);
	for (i = 0; i < ROUNDS_PHASE_COUNT; i++) {
		rounds_stats(r->samples[i], r->ok_count, &st);
		if (!r->opts->json) {
			printf("%-9s %10.3f %10.3f %10.3f %10.3f\n",
			    rounds_phase_names[i], st.min, st.median, st.p99,
			    st.max);
			continue;
		}
		json_begin(&w, &out, "timing");
		json_key(&w, "phase");
		json_cstring(&w, rounds_phase_names[i]);
		json_key(&w, "rounds");
		json_uint(&w, r->ok_count);
		json_key(&w, "min_ms");
		json_double(&w, st.min, 3);
		json_key(&w, "median_ms");
		json_double(&w, st.median, 3);
		json_key(&w, "p99_ms");
		json_double(&w, st.p99, 3);
		json_key(&w, "max_ms");
		json_double(&w, st.max, 3);
		json_line(&w, &out);
	}
}

static void
print_reauth(struct rounds *r, unsigned round, enum exit_status status)
{
	struct client_tls_info tls;
	const char *mech = client_auth_mechanism(r->client);
	struct json_writer w;
	struct buf out;
	bool have_tls = client_tls_info(r->client, &tls);
	const char *resumed = !have_tls ? "no TLS" : round == 1 ? "new" :
	    tls.resumed ? "resumed" : "not resumed";

	if (r->opts->json) {
		json_begin(&w, &out, "reauth");
		json_key(&w, "round");
		json_uint(&w, round);
		json_key(&w, "ok");
		json_bool(&w, status == EXIT_STATUS_OK);
		json_key(&w, "tls_session");
		json_cstring(&w, resumed);
		json_key(&w, "mechanism");
		json_cstring(&w, mech);
		json_line(&w, &out);
		return;
	}
	if (status == EXIT_STATUS_OK)
		printf("round %u: TLS session %s (%s), authenticated with %s\n",
		    round, resumed, have_tls ? tls.protocol : "-",
		    mech != NULL ? mech : "-");
	else
		printf("round %u: TLS session %s, failed\n", round, resumed);
	fflush(stdout);
}

/* --- setup ----------------------------------------------------------- */

/* The first line of -f, or NOOP. */
static int
load_command(struct rounds *r, const char **error_r)
{
	FILE *f;
	size_t cap = 0;
	ssize_t n;

	r->command = "NOOP";
	if (r->opts->reauth_count > 0) {
		r->command = NULL;
		return 0;
	}
	if (r->opts->batch_file == NULL)
		return 0;
	if ((f = fopen(r->opts->batch_file, "re")) == NULL) {
		*error_r = strerror(errno);
		return -1;
	}
	n = getline(&r->command_line, &cap, f);
	fclose(f);
	while (n > 0 && (r->command_line[n - 1] == '\n' ||
	    r->command_line[n - 1] == '\r'))
		r->command_line[--n] = '\0';
	if (n > 0)
		r->command = r->command_line;
	return 0;
}

static bool
mech_needs_no_password(const char *mech)
{
	return mech != NULL && (strcasecmp(mech, "EXTERNAL") == 0 ||
	    strcasecmp(mech, "ANONYMOUS") == 0);
}

/* Ask (or take -w) once, not every round: -w's warning comes once, and
 * nobody types a password twenty times. --password-file and
 * --password-cmd are read each round, as for any new connection. */
static int
keep_password(struct rounds *r, const char **error_r)
{
	const struct cli_options *o = r->opts;
	struct auth_password_source src;
	const struct passwd *pw = getpwuid(getuid());
	const char *user = o->authname != NULL ? o->authname :
	    pw != NULL ? pw->pw_name : NULL;
	int rc;

	if (o->password_file != NULL || o->password_cmd != NULL ||
	    mech_needs_no_password(o->mech))
		return 0;
	auth_password_source_init(&src);
	if (o->password != NULL)
		auth_password_source_set_arg(&src, o->password);
	rc = auth_password_get(&src, user != NULL ? user : "you", o->host,
	    &r->password, error_r);
	auth_password_source_clear(&src);
	if (rc != 0)
		return -1;
	r->config.password = NULL;
	r->config.password_kept = r->password;
	return 0;
}

static void
rounds_free(struct rounds *r)
{
	size_t i;

	for (i = 0; i < ROUNDS_PHASE_COUNT; i++)
		free(r->samples[i]);
	client_tls_session_free(&r->session);
	secure_free_str(&r->password);
	free(r->command_line);
	transcript_free(&r->transcript);
}

enum exit_status
front_rounds_run(const struct cli_options *o)
{
	struct rounds r = { .opts = o };
	unsigned rounds = o->timing_rounds > 0 ? o->timing_rounds :
	    o->reauth_count, i, done = 0;
	enum exit_status status, first = EXIT_STATUS_OK;
	double phase[ROUNDS_PHASE_COUNT];
	const char *err = NULL;
	size_t p;

	cli_options_client_config(o, &r.config);
	if (o->transcript_file != NULL &&
	    (r.transcript = transcript_new(NULL, o->transcript_file, &err)) ==
		NULL) {
		fprintf(stderr, "imapwb: %s: %s\n", o->transcript_file, err);
		return EXIT_STATUS_USAGE;
	}
	if (load_command(&r, &err) != 0) {
		fprintf(stderr, "imapwb: %s: %s\n", o->batch_file, err);
		rounds_free(&r);
		return EXIT_STATUS_USAGE;
	}
	if (keep_password(&r, &err) != 0) {
		fprintf(stderr, "imapwb: %s\n", err);
		rounds_free(&r);
		return EXIT_STATUS_AUTH;
	}
	for (p = 0; p < ROUNDS_PHASE_COUNT; p++)
		r.samples[p] = xcalloc(rounds, sizeof(double));
	for (i = 1; i <= rounds; i++) {
		status = run_round(&r, phase);
		done++;
		if (o->reauth_count > 0)
			print_reauth(&r, i, status);
		else if (o->json)
			print_round_json(i, status, phase);
		else if (o->verbose > 0)
			fprintf(stderr, "round %u: %s, %.3f ms\n", i,
			    status == EXIT_STATUS_OK ? "ok" : "failed",
			    phase[ROUNDS_TOTAL]);
		console_input_free(&r.input);
		client_free(&r.client);
		if (status == EXIT_STATUS_OK) {
			for (p = 0; p < ROUNDS_PHASE_COUNT; p++)
				r.samples[p][r.ok_count] = phase[p];
			r.ok_count++;
		} else if (first == EXIT_STATUS_OK)
			first = status;
		/* a usage error (the command cannot be sent) fails alike
		 * every round */
		if (status == EXIT_STATUS_USAGE)
			break;
	}
	if (o->timing_rounds > 0 && r.ok_count > 0)
		print_table(&r, rounds);
	if (first != EXIT_STATUS_OK)
		fprintf(stderr, "imapwb: %u of %u rounds failed\n",
		    done - (unsigned)r.ok_count, done);
	rounds_free(&r);
	return first;
}
