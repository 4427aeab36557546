/* Unit tests for auth-password: files, commands, and the prompt on a
 * real pseudo-terminal (echo off while typing, restored afterwards, even
 * when a signal comes). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

#include "auth-password.h"
#include "util-buf.h"
#include "util-mem.h"

static char dir[] = "/tmp/imapwb-pw-XXXXXX";
static char path[128];

static int
group_setup(void **state)
{
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/password", dir);
	return 0;
}

static int
group_teardown(void **state)
{
	unlink(path);
	rmdir(dir);
	return 0;
}

static void
write_file(const char *data, size_t len, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void
expect_password(const struct auth_password_source *src, const char *want)
{
	char *pw = NULL;
	const char *err = NULL;

	if (auth_password_get(src, "alice", "imap.example.org", &pw, &err) !=
	    0)
		fail_msg("auth_password_get: %s", err);
	assert_string_equal(pw, want);
	secure_free_str(&pw);
	assert_null(pw);
}

static void
expect_error(const struct auth_password_source *src, const char *want)
{
	char *pw = NULL;
	const char *err = NULL;

	assert_int_equal(auth_password_get(src, "alice", "imap.example.org",
			     &pw, &err),
	    -1);
	assert_null(pw);
	assert_string_equal(err, want);
}

/* --- -w -------------------------------------------------------------- */

static void
test_arg_is_copied_and_cleared(void **state)
{
	struct auth_password_source src;
	char arg[] = "from-argv";

	auth_password_source_init(&src);
	auth_password_source_set_arg(&src, arg);
	assert_int_equal(src.kind, AUTH_PASSWORD_ARG);
	assert_ptr_not_equal(src.arg, arg);
	expect_password(&src, "from-argv");
	auth_password_source_clear(&src);
	assert_null(src.arg);
	assert_int_equal(src.kind, AUTH_PASSWORD_PROMPT);
}

/* --- --password-file ------------------------------------------------- */

static void
test_file_first_line_without_newline(void **state)
{
	struct auth_password_source src;
	char big[AUTH_PASSWORD_MAX + 10];
	char want[300];

	auth_password_source_init(&src);
	auth_password_source_set_file(&src, path);
	write_file("s3cret\r\nsecond line\n", 20, 0600);
	expect_password(&src, "s3cret");
	write_file("no newline", 10, 0600);
	expect_password(&src, "no newline");
	/* Readable by others: a warning, not a refusal. */
	write_file("shared\n", 7, 0644);
	expect_password(&src, "shared");

	write_file("\n", 1, 0600);
	snprintf(want, sizeof(want), "the password file %s gave an empty "
	    "password", path);
	expect_error(&src, want);
	memset(big, 'x', sizeof(big));
	write_file(big, sizeof(big), 0600);
	snprintf(want, sizeof(want), "the first line of %s is longer than "
	    "4096 bytes", path);
	expect_error(&src, want);

	auth_password_source_set_file(&src, "/nonexistent/pw");
	expect_error(&src, "cannot open the password file /nonexistent/pw: "
	    "No such file or directory");
	auth_password_source_clear(&src);
}

/* --- --password-cmd -------------------------------------------------- */

static void
test_command_output_and_status(void **state)
{
	struct auth_password_source src;

	auth_password_source_init(&src);
	auth_password_source_set_command(&src, "printf 'pw\\n'");
	expect_password(&src, "pw");
	/* Only the first line counts; the rest is read and dropped, so a
	 * chatty command is not killed by SIGPIPE. */
	auth_password_source_set_command(&src,
	    "printf 'pw two\\r\\nmore\\n'; head -c 300000 /dev/zero");
	expect_password(&src, "pw two");

	auth_password_source_set_command(&src, "printf 'pw\\n'; exit 3");
	expect_error(&src, "the password command failed (exit status 3)");
	auth_password_source_set_command(&src, "/nonexistent/pass show x");
	expect_error(&src, "the password command failed (exit status 127: "
	    "command not found?)");
	auth_password_source_set_command(&src, "kill -KILL $$");
	expect_error(&src, "the password command was killed by signal 9");
	auth_password_source_set_command(&src, "true");
	expect_error(&src, "the password command gave an empty password");
	auth_password_source_clear(&src);
}

/* --- the prompt ------------------------------------------------------ */

static void
test_prompt_without_a_terminal(void **state)
{
	struct auth_password_source src;
	const char *err = NULL;
	char *pw = NULL;
	int status;
	pid_t pid;

	auth_password_source_init(&src);
	src.tty_path = "/nonexistent/tty";
	expect_error(&src, "no terminal to ask for the password on "
	    "(/nonexistent/tty: No such file or directory); use "
	    "--password-file, --password-cmd or -w");

	/* A process without a controlling terminal, asking /dev/tty. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		auth_password_source_init(&src);
		if (setsid() < 0)
			_exit(2);
		if (auth_password_get(&src, "alice", "h", &pw, &err) == 0)
			_exit(3);
		_exit(strncmp(err, "no terminal to ask for the password on "
		    "(/dev/tty: ", 39) == 0 ? 0 : 4);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

struct pty_child {
	int master, slave;
	pid_t pid;
	int result; /* the child's password or error comes out here */
};

/* Fork a child that asks for the password on a fresh pty, saying why
 * when reason is not NULL. */
static void
start_prompt(struct pty_child *pc, const char *reason)
{
	struct auth_password_source src;
	char name[128], *pw = NULL;
	const char *err = NULL;
	int res[2], rc;

	assert_int_equal(openpty(&pc->master, &pc->slave, name, NULL, NULL),
	    0);
	assert_int_equal(pipe(res), 0);
	pc->pid = fork();
	assert_true(pc->pid >= 0);
	if (pc->pid == 0) {
		/* Never outlive a failed test: without the master, a hung
		 * read sees the hangup; the alarm covers the rest. */
		alarm(10);
		close(pc->master);
		close(res[0]);
		auth_password_source_init(&src);
		src.tty_path = name;
		src.reason = reason;
		rc = auth_password_get(&src, "alice", "imap.example.org", &pw,
		    &err);
		if (rc == 0)
			(void)!write(res[1], pw, strlen(pw));
		else
			(void)!write(res[1], err, strlen(err));
		_exit(rc == 0 ? 0 : 1);
	}
	close(res[1]);
	pc->result = res[0];
}

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

static bool
echo_is_on(int fd)
{
	struct termios t;

	assert_int_equal(tcgetattr(fd, &t), 0);
	return (t.c_lflag & ECHO) != 0;
}

static void
test_prompt_reads_without_echo(void **state)
{
	struct pty_child pc;
	struct buf screen;
	char result[64];
	ssize_t n;
	int status;

	buf_init(&screen, 1 << 16);
	start_prompt(&pc, NULL);
	read_screen(pc.master, &screen,
	    "Password for alice@imap.example.org: ");
	assert_false(echo_is_on(pc.slave));
	assert_int_equal(write(pc.master, "hunter2\n", 8), 8);
	assert_int_equal(waitpid(pc.pid, &status, 0), pc.pid);
	assert_true(WIFEXITED(status));
	n = read(pc.result, result, sizeof(result) - 1);
	assert_true(n >= 0);
	result[n] = '\0';
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(result, "hunter2");
	/* Only the newline is echoed, and echo is back on. */
	read_screen(pc.master, &screen, "\n");
	assert_string_equal(buf_str(&screen),
	    "Password for alice@imap.example.org: \r\n");
	assert_true(echo_is_on(pc.slave));
	buf_free(&screen);
	close(pc.master);
	close(pc.slave);
	close(pc.result);
}

/* A second connection's prompt says why it asks again. */
static void
test_prompt_says_why(void **state)
{
	struct pty_child pc;
	struct buf screen;
	char result[64];
	ssize_t n;
	int status;

	buf_init(&screen, 1 << 16);
	start_prompt(&pc, "a second connection");
	read_screen(pc.master, &screen, ": ");
	assert_string_equal(buf_str(&screen), "Password for "
	    "alice@imap.example.org (a second connection): ");
	assert_int_equal(write(pc.master, "hunter2\n", 8), 8);
	assert_int_equal(waitpid(pc.pid, &status, 0), pc.pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	n = read(pc.result, result, sizeof(result) - 1);
	assert_true(n >= 0);
	result[n] = '\0';
	assert_string_equal(result, "hunter2");
	buf_free(&screen);
	close(pc.master);
	close(pc.slave);
	close(pc.result);
}

/* ^C at the prompt: the terminal gets its echo back, and the signal
 * still does what it would have done. */
static void
test_prompt_restores_the_terminal_on_a_signal(void **state)
{
	struct pty_child pc;
	struct buf screen;
	int status;

	buf_init(&screen, 1 << 16);
	start_prompt(&pc, NULL);
	read_screen(pc.master, &screen, "Password for ");
	read_screen(pc.master, &screen, ": ");
	assert_false(echo_is_on(pc.slave));
	assert_int_equal(kill(pc.pid, SIGTERM), 0);
	assert_int_equal(waitpid(pc.pid, &status, 0), pc.pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_true(echo_is_on(pc.slave));
	buf_free(&screen);
	close(pc.master);
	close(pc.slave);
	close(pc.result);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arg_is_copied_and_cleared),
		cmocka_unit_test(test_file_first_line_without_newline),
		cmocka_unit_test(test_command_output_and_status),
		cmocka_unit_test(test_prompt_without_a_terminal),
		cmocka_unit_test(test_prompt_reads_without_echo),
		cmocka_unit_test(test_prompt_says_why),
		cmocka_unit_test(test_prompt_restores_the_terminal_on_a_signal),
	};

	return cmocka_run_group_tests_name("auth-password", tests,
	    group_setup, group_teardown);
}
