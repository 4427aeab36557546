/* Unit tests for -c (imtest's "challenge prompt callbacks"): a mechanism
 * that prompts, registered with the real Cyrus SASL library, asks through
 * SASL_CB_ECHOPROMPT and SASL_CB_NOECHOPROMPT; auth answers on a pty as
 * on a terminal, echoing only the first, and the answers reach the
 * mechanism but never the transcript. Without -c the mechanism fails. */
#include "config.h"

#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <sasl/sasl.h>
#include <sasl/saslplug.h>
#include <sasl/saslutil.h>

#include "auth.h"
#include "imap-session.h"
#include "util-buf.h"
#include "util-mem.h"

#define MECH "X-IMAPWB-PROMPT"
#define CHALLENGE "otp-md5 499 ke1234 ext"

/* --- a mechanism that prompts, as OTP does ----------------------------- */

static int
prompt_mech_new(void *glob, sasl_client_params_t *params, void **context)
{
	(void)glob;
	(void)params;
	*context = NULL;
	return SASL_OK;
}

static int
ask(sasl_client_params_t *params, unsigned long id, const char *challenge,
    const char *prompt, const char **answer_r)
{
	sasl_chalprompt_t *proc;
	void *ctx;
	unsigned len;

	if (params->utils->getcallback(params->utils->conn, id,
		(sasl_callback_ft *)&proc, &ctx) != SASL_OK || proc == NULL) {
		params->utils->seterror(params->utils->conn, 0,
		    "no prompt callback");
		return SASL_FAIL;
	}
	return proc(ctx, (int)id, challenge, prompt, NULL, answer_r, &len);
}

/* The one response: "ECHOED|HIDDEN". */
static int
prompt_mech_step(void *context, sasl_client_params_t *params,
    const char *in, unsigned inlen, sasl_interact_t **prompt_need,
    const char **out, unsigned *outlen, sasl_out_params_t *oparams)
{
	static char response[512];
	const char *echoed, *hidden;
	int r;

	(void)context;
	(void)in;
	(void)inlen;
	(void)prompt_need;
	if ((r = ask(params, SASL_CB_ECHOPROMPT, CHALLENGE,
		 "One-time password", &echoed)) != SASL_OK ||
	    (r = ask(params, SASL_CB_NOECHOPROMPT, NULL, "Pass phrase",
		 &hidden)) != SASL_OK)
		return r;
	snprintf(response, sizeof(response), "%s|%s", echoed, hidden);
	*out = response;
	*outlen = (unsigned)strlen(response);
	r = params->canon_user(params->utils->conn, "alice", 0,
	    SASL_CU_AUTHID | SASL_CU_AUTHZID, oparams);
	oparams->doneflag = 1;
	return r;
}

static void
prompt_mech_dispose(void *context, const sasl_utils_t *utils)
{
	(void)context;
	(void)utils;
}

static sasl_client_plug_t prompt_plugins[] = { {
	.mech_name = MECH,
	.security_flags = SASL_SEC_NOPLAINTEXT | SASL_SEC_NOANONYMOUS |
	    SASL_SEC_NOACTIVE | SASL_SEC_NODICTIONARY,
	.features = SASL_FEAT_WANT_CLIENT_FIRST,
	.mech_new = prompt_mech_new,
	.mech_step = prompt_mech_step,
	.mech_dispose = prompt_mech_dispose,
} };

static int
prompt_plug_init(const sasl_utils_t *utils, int max_version, int *out_version,
    sasl_client_plug_t **pluglist, int *plugcount)
{
	(void)utils;
	(void)max_version;
	*out_version = SASL_CLIENT_PLUG_VERSION;
	*pluglist = prompt_plugins;
	*plugcount = 1;
	return SASL_OK;
}

static void
register_mechanism(void)
{
	static bool done;
	const char *err = NULL;

	if (done)
		return;
	assert_int_equal(auth_library_init(NULL, &err), 0);
	assert_int_equal(sasl_client_add_plugin(MECH, prompt_plug_init),
	    SASL_OK);
	done = true;
}

/* --- a session that offers it -------------------------------------------- */

struct harness {
	struct imap_session *s;
	struct auth_options o;
	struct auth_password_source pw;
	struct buf wire;
};

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct harness *h = ctx;

	(void)cmd;
	buf_append_str(&h->wire, out ? "C: " : "S: ");
	buf_append(&h->wire, text, len);
}

static void
on_done(void *ctx, const struct auth_result *r)
{
	(void)ctx;
	(void)r;
}

static void
harness_init(struct harness *h, bool prompts, const char *tty)
{
	struct imap_session_listener l = { .wire = on_wire, .ctx = h };
	static const char greeting[] = "* OK [CAPABILITY IMAP4rev1 SASL-IR "
	    "AUTH=" MECH "] hi\r\n";
	const char *err = NULL;
	size_t used;

	memset(h, 0, sizeof(*h));
	buf_init(&h->wire, 1 << 20);
	h->s = imap_session_new(&l);
	auth_options_init(&h->o);
	h->o.server_host = "imap.example.org";
	h->o.authname = "alice";
	h->o.mech = MECH;
	h->o.challenge_prompts = prompts;
	auth_password_source_init(&h->pw);
	h->pw.tty_path = tty;
	h->o.password = &h->pw;
	assert_int_equal(imap_session_input(h->s,
			     (const unsigned char *)greeting, strlen(greeting),
			     &used, &err),
	    IMAP_INPUT_OK);
}

static void
harness_free(struct harness *h)
{
	imap_session_free(&h->s);
	buf_free(&h->wire);
	auth_password_source_clear(&h->pw);
}

/* --- the tests ------------------------------------------------------------ */

/* What the terminal shows, until `want` has appeared (or 5 s). */
static void
read_screen(int master, struct buf *screen, const char *want)
{
	struct pollfd pfd = { .fd = master, .events = POLLIN };
	char chunk[256];
	ssize_t n;

	while (strstr(buf_str(screen), want) == NULL) {
		assert_int_equal(poll(&pfd, 1, 5000), 1);
		n = read(master, chunk, sizeof(chunk));
		assert_true(n > 0);
		buf_append(screen, chunk, (size_t)n);
	}
}

/* In a child on a pty: start the exchange, then report the line sent
 * and the transcript on `result`. */
static void
child_authenticates(const char *tty, int result)
{
	struct harness h;
	struct auth_state *a;
	const struct buf *out;
	const char *err = NULL;

	alarm(10);
	register_mechanism();
	harness_init(&h, true, tty);
	a = auth_start(h.s, &h.o, on_done, &h, &err);
	if (a == NULL) {
		(void)!write(result, err, strlen(err));
		_exit(1);
	}
	out = imap_session_output(h.s);
	(void)!write(result, out->data, out->len);
	(void)!write(result, "\n--\n", 4);
	(void)!write(result, h.wire.data, h.wire.len);
	auth_free(&a);
	harness_free(&h);
	_exit(0);
}

static void
test_prompts_are_asked_on_the_terminal(void **state)
{
	struct buf screen, got;
	char name[128], chunk[512], b64[256], want[512];
	int master, slave, res[2], status;
	unsigned b64len;
	ssize_t n;
	pid_t pid;

	(void)state;
	assert_int_equal(openpty(&master, &slave, name, NULL, NULL), 0);
	assert_int_equal(pipe(res), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(master);
		close(res[0]);
		child_authenticates(name, res[1]);
	}
	close(res[1]);
	buf_init(&screen, 1 << 16);
	buf_init(&got, 1 << 20);
	read_screen(master, &screen, "One-time password: ");
	assert_non_null(strstr(buf_str(&screen), "Challenge: " CHALLENGE));
	assert_int_equal(write(master, "echoed-answer\n", 14), 14);
	read_screen(master, &screen, "Pass phrase: ");
	assert_int_equal(write(master, "hidden-answer\n", 14), 14);
	while ((n = read(res[0], chunk, sizeof(chunk))) > 0)
		buf_append(&got, chunk, (size_t)n);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* the echo prompt echoed, the other did not */
	assert_non_null(strstr(buf_str(&screen), "echoed-answer"));
	assert_null(strstr(buf_str(&screen), "hidden-answer"));
	/* both reached the mechanism: its initial response */
	assert_int_equal(sasl_encode64("echoed-answer|hidden-answer", 27, b64,
			     sizeof(b64), &b64len),
	    SASL_OK);
	snprintf(want, sizeof(want), " AUTHENTICATE " MECH " %s\r\n\n--\n",
	    b64);
	assert_non_null(strstr(buf_str(&got), want));
	/* and the transcript has neither */
	assert_non_null(strstr(buf_str(&got), "AUTHENTICATE " MECH
	    " <redacted>"));
	assert_null(strstr(strstr(buf_str(&got), "\n--\n"), b64));
	assert_null(strstr(buf_str(&got), "hidden-answer"));
	assert_null(strstr(buf_str(&got), "echoed-answer"));
	buf_free(&screen);
	buf_free(&got);
	close(master);
	close(slave);
	close(res[0]);
}

/* imtest without -c: a mechanism that must prompt cannot run. */
static void
test_without_c_the_mechanism_cannot_prompt(void **state)
{
	struct harness h;
	struct auth_state *a;
	const char *err = NULL;

	(void)state;
	register_mechanism();
	harness_init(&h, false, "/nonexistent/tty");
	a = auth_start(h.s, &h.o, on_done, &h, &err);
	assert_null(a);
	assert_non_null(err);
	assert_int_equal(imap_session_output(h.s)->len, 0);
	harness_free(&h);
}

/* -c with no terminal: the prompt fails with a reason, nothing is sent. */
static void
test_c_without_a_terminal_fails_clearly(void **state)
{
	struct harness h;
	struct auth_state *a;
	const char *err = NULL;

	(void)state;
	register_mechanism();
	harness_init(&h, true, "/nonexistent/tty");
	a = auth_start(h.s, &h.o, on_done, &h, &err);
	assert_null(a);
	assert_non_null(strstr(err, "no terminal to answer the mechanism's "
	    "prompt on (/nonexistent/tty"));
	assert_int_equal(imap_session_output(h.s)->len, 0);
	harness_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prompts_are_asked_on_the_terminal),
		cmocka_unit_test(test_without_c_the_mechanism_cannot_prompt),
		cmocka_unit_test(test_c_without_a_terminal_fails_clearly),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	auth_library_done();
	return rc;
}
