/* auth-password: the password from an argument, a file, a command or the
 * terminal. Every copy of it lives in a secret buffer and is zeroed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "auth-password.h"
#include "util-buf.h"
#include "util-log.h"
#include "util-mem.h"
#include "util-io.h"

extern char **environ;

/* Messages name files and commands, so they are formatted; one call's
 * message lives until the next call (the program has one thread). */
static char password_error[512];

static const char *__attribute__((format(printf, 1, 2)))
set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(password_error, sizeof(password_error), fmt, ap);
	va_end(ap);
	return password_error;
}

/* --- the source ------------------------------------------------------ */

void
auth_password_source_init(struct auth_password_source *src)
{
	memset(src, 0, sizeof(*src));
	src->kind = AUTH_PASSWORD_PROMPT;
}

void
auth_password_source_clear(struct auth_password_source *src)
{
	secure_free_str(&src->arg);
	auth_password_source_init(src);
}

void
auth_password_source_set_arg(struct auth_password_source *src,
    const char *password)
{
	auth_password_source_clear(src);
	src->kind = AUTH_PASSWORD_ARG;
	src->arg = xstrdup(password);
	/* argv cannot be wiped portably: other users may already have seen
	 * it in ps, and the shell keeps it in its history. */
	log_warn("-w puts the password where other users can see it (ps, "
	    "shell history); prefer --password-file or the prompt");
}

void
auth_password_source_set_kept(struct auth_password_source *src,
    const char *password)
{
	auth_password_source_clear(src);
	src->kind = AUTH_PASSWORD_ARG;
	src->arg = xstrdup(password);
}

void
auth_password_source_set_file(struct auth_password_source *src,
    const char *path)
{
	auth_password_source_clear(src);
	src->kind = AUTH_PASSWORD_FILE;
	src->path = path;
}

void
auth_password_source_set_command(struct auth_password_source *src,
    const char *command)
{
	auth_password_source_clear(src);
	src->kind = AUTH_PASSWORD_COMMAND;
	src->command = command;
}

/* --- reading one line ------------------------------------------------ */

enum line_result {
	LINE_OK,
	LINE_TOO_LONG,
	LINE_READ_ERROR,   /* errno says why */
	LINE_INTERRUPTED,  /* a signal came (the prompt) */
};

/* Signals that would leave the terminal without echo if they killed or
 * stopped us mid-prompt (after OpenBSD's readpassphrase). */
static const int prompt_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU,
};
#define PROMPT_SIGNAL_COUNT \
	(sizeof(prompt_signals) / sizeof(prompt_signals[0]))

static volatile sig_atomic_t prompt_signal;

/* The prompt's signals stay blocked except inside ppoll(): one that came
 * just before a plain read() would be handled and then leave the read
 * blocked for good. */
static enum line_result
wait_readable(int fd, const sigset_t *wait_mask)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	for (;;) {
		if (ppoll(&pfd, 1, NULL, wait_mask) >= 0)
			return LINE_OK;
		if (errno != EINTR)
			return LINE_READ_ERROR;
		if (prompt_signal != 0)
			return LINE_INTERRUPTED;
	}
}

/* Read up to the first LF or EOF into `line` (without the LF). With
 * `drain`, read on to EOF and throw the rest away, so that a command is
 * not killed by SIGPIPE for printing more than one line. With a
 * wait_mask, wait for input in wait_readable() first. */
static enum line_result
read_line(int fd, struct buf *line, bool drain, const sigset_t *wait_mask)
{
	enum line_result result = LINE_OK;
	char chunk[512];
	bool have_line = false;
	ssize_t n;

	for (;;) {
		if (wait_mask != NULL &&
		    (result = wait_readable(fd, wait_mask)) != LINE_OK)
			break;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			result = LINE_READ_ERROR;
			break;
		}
		if (n == 0)
			break;
		if (!have_line) {
			char *lf = memchr(chunk, '\n', (size_t)n);
			size_t take = lf != NULL ? (size_t)(lf - chunk) :
			    (size_t)n;

			if (buf_append(line, chunk, take) != 0)
				result = LINE_TOO_LONG;
			have_line = lf != NULL || result != LINE_OK;
		}
		if (have_line && !drain)
			break;
	}
	secure_zero(chunk, sizeof(chunk));
	return result;
}

/* The line as the password: CR/LF stripped, not empty. */
static int
finish_line(struct buf *line, const char *what, const char *noun,
    char **password_r, const char **error_r)
{
	while (line->len > 0 && (line->data[line->len - 1] == '\r' ||
	    line->data[line->len - 1] == '\n'))
		line->data[--line->len] = '\0';
	if (line->len == 0) {
		*error_r = set_error("%s gave an empty %s", what, noun);
		return -1;
	}
	if (memchr(line->data, '\0', line->len) != NULL) {
		*error_r = set_error("%s gave a %s with a NUL byte",
		    what, noun);
		return -1;
	}
	*password_r = buf_steal(line);
	return 0;
}

/* --- --password-file ------------------------------------------------- */

static void
warn_if_readable_by_others(int fd, const char *path)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & (S_IRGRP | S_IROTH)) != 0)
		log_warn("%s is readable by other users; chmod 600 it", path);
}

static int
password_from_file(const char *path, char **password_r,
    const char **error_r)
{
	struct buf line;
	enum line_result lr;
	char what[300];
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		*error_r = set_error("cannot open the password file %s: %s",
		    path, strerror(errno));
		return -1;
	}
	warn_if_readable_by_others(fd, path);
	buf_init_secret(&line, AUTH_PASSWORD_MAX);
	lr = read_line(fd, &line, false, NULL);
	if (lr == LINE_READ_ERROR)
		*error_r = set_error("cannot read the password file %s: %s",
		    path, strerror(errno));
	else if (lr == LINE_TOO_LONG)
		*error_r = set_error("the first line of %s is longer than %d "
		    "bytes", path, AUTH_PASSWORD_MAX);
	else {
		snprintf(what, sizeof(what), "the password file %s", path);
		rc = finish_line(&line, what, "password", password_r,
		    error_r);
	}
	buf_free(&line);
	close(fd);
	return rc;
}

/* --- --password-cmd -------------------------------------------------- */

/* fork and execve rather than popen(): no stdio buffer keeps a copy of
 * the password, and the exit status is ours to check. */
static pid_t
spawn_shell(const char *command, const char *noun, int *stdout_r,
    const char **error_r)
{
	char *argv[] = { "sh", "-c", (char *)command, NULL };
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) != 0) {
		*error_r = set_error("cannot run the %s command: %s", noun,
		    strerror(errno));
		return -1;
	}
	if ((pid = fork()) < 0) {
		*error_r = set_error("cannot run the %s command: %s", noun,
		    strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls between fork and exec. */
		if (dup2(pfd[1], STDOUT_FILENO) < 0)
			_exit(126);
		execve("/bin/sh", argv, environ);
		_exit(127);
	}
	close(pfd[1]);
	*stdout_r = pfd[0];
	return pid;
}

static int
wait_command(pid_t pid, const char *noun, const char **error_r)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			*error_r = set_error("cannot wait for the %s "
			    "command: %s", noun, strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		*error_r = set_error("the %s command failed (exit "
		    "status %d%s)", noun, WEXITSTATUS(status),
		    WEXITSTATUS(status) == 127 ? ": command not found?" : "");
	else
		*error_r = set_error("the %s command was killed by "
		    "signal %d", noun, WTERMSIG(status));
	return -1;
}

static int
password_from_command(const char *command, const char *noun, size_t max,
    char **password_r, const char **error_r)
{
	struct buf line;
	enum line_result lr;
	char what[64];
	int fd, rc;
	pid_t pid;

	if ((pid = spawn_shell(command, noun, &fd, error_r)) < 0)
		return -1;
	buf_init_secret(&line, max);
	lr = read_line(fd, &line, true, NULL);
	close(fd);
	rc = wait_command(pid, noun, error_r);
	if (rc == 0 && lr == LINE_READ_ERROR) {
		*error_r = set_error("cannot read the %s command's "
		    "output: %s", noun, strerror(errno));
		rc = -1;
	} else if (rc == 0 && lr == LINE_TOO_LONG) {
		*error_r = set_error("the %s command printed a line "
		    "longer than %zu bytes", noun, max);
		rc = -1;
	}
	snprintf(what, sizeof(what), "the %s command", noun);
	if (rc == 0)
		rc = finish_line(&line, what, noun, password_r, error_r);
	buf_free(&line);
	return rc;
}

/* --- the prompt ------------------------------------------------------ */

static void
prompt_on_signal(int sig)
{
	prompt_signal = sig;
}

/* No SA_RESTART: the signal must interrupt ppoll(). */
static void
catch_prompt_signals(struct sigaction *saved)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = prompt_on_signal;
	sigemptyset(&sa.sa_mask);
	prompt_signal = 0;
	for (i = 0; i < PROMPT_SIGNAL_COUNT; i++)
		sigaction(prompt_signals[i], &sa, &saved[i]);
}

static void
restore_prompt_signals(const struct sigaction *saved)
{
	size_t i;

	for (i = 0; i < PROMPT_SIGNAL_COUNT; i++)
		sigaction(prompt_signals[i], &saved[i], NULL);
}


/* Read a line with echo off (or on, for a SASL echo prompt). The
 * terminal is restored on every path, and a signal that came meanwhile
 * is delivered once it is. */
static enum line_result
read_from_terminal(int fd, const char *prompt, bool echo, struct buf *line)
{
	struct sigaction saved[PROMPT_SIGNAL_COUNT];
	struct termios old, quiet;
	sigset_t block, old_mask;
	enum line_result lr = LINE_READ_ERROR;
	size_t i;
	int sig;

	if (tcgetattr(fd, &old) != 0)
		return LINE_READ_ERROR;
	quiet = old;
	if (!echo) {
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
	}
	sigemptyset(&block);
	for (i = 0; i < PROMPT_SIGNAL_COUNT; i++)
		sigaddset(&block, prompt_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	catch_prompt_signals(saved);
	if (tcsetattr(fd, TCSAFLUSH, &quiet) == 0) {
		(void)fd_write_all(fd, prompt);
		lr = read_line(fd, line, false, &old_mask);
		(void)tcsetattr(fd, TCSAFLUSH, &old);
		if (lr == LINE_INTERRUPTED)
			(void)fd_write_all(fd, "\n");
	}
	sig = prompt_signal;
	restore_prompt_signals(saved);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	/* Now that the terminal is sane, let the signal do its work. */
	if (sig != 0)
		raise(sig);
	return lr;
}

static int
password_from_prompt(const char *tty_path, const char *reason,
    const char *user, const char *host, char **password_r,
    const char **error_r)
{
	const char *path = tty_path != NULL ? tty_path : "/dev/tty";
	struct buf line;
	enum line_result lr;
	char *prompt;
	int fd, rc = -1;

	if ((fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		*error_r = set_error("no terminal to ask for the password on "
		    "(%s: %s); use --password-file, --password-cmd or -w",
		    path, strerror(errno));
		return -1;
	}
	prompt = reason != NULL
	    ? xasprintf("Password for %s@%s (%s): ", user, host, reason)
	    : xasprintf("Password for %s@%s: ", user, host);
	buf_init_secret(&line, AUTH_PASSWORD_MAX);
	lr = read_from_terminal(fd, prompt, false, &line);
	if (lr == LINE_READ_ERROR)
		*error_r = set_error("cannot read the password from %s: %s",
		    path, strerror(errno));
	else if (lr == LINE_INTERRUPTED)
		*error_r = set_error("the password prompt was interrupted");
	else if (lr == LINE_TOO_LONG)
		*error_r = set_error("the password is longer than %d bytes",
		    AUTH_PASSWORD_MAX);
	else
		rc = finish_line(&line, "the prompt", "password", password_r,
		    error_r);
	buf_free(&line);
	free(prompt);
	close(fd);
	return rc;
}

/* --- dispatch -------------------------------------------------------- */

int
auth_password_get(const struct auth_password_source *src, const char *user,
    const char *host, char **password_r, const char **error_r)
{
	*password_r = NULL;
	switch (src->kind) {
	case AUTH_PASSWORD_ARG:
		*password_r = xstrdup(src->arg != NULL ? src->arg : "");
		return 0;
	case AUTH_PASSWORD_FILE:
		return password_from_file(src->path, password_r, error_r);
	case AUTH_PASSWORD_COMMAND:
		return password_from_command(src->command,
		    src->noun != NULL ? src->noun : "password",
		    src->max_len != 0 ? src->max_len : AUTH_PASSWORD_MAX,
		    password_r, error_r);
	case AUTH_PASSWORD_PROMPT:
		break;
	}
	return password_from_prompt(src->tty_path, src->reason, user, host,
	    password_r, error_r);
}

/* --- SASL's own prompts (-c) ----------------------------------------- */

int
auth_prompt_line(const char *tty_path, const char *prompt, bool echo,
    char **answer_r, const char **error_r)
{
	const char *path = tty_path != NULL ? tty_path : "/dev/tty";
	struct buf line;
	enum line_result lr;
	int fd, rc = -1;

	*answer_r = NULL;
	if ((fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		*error_r = set_error("no terminal to answer the mechanism's "
		    "prompt on (%s: %s)", path, strerror(errno));
		return -1;
	}
	buf_init_secret(&line, AUTH_PASSWORD_MAX);
	lr = read_from_terminal(fd, prompt, echo, &line);
	if (lr == LINE_READ_ERROR)
		*error_r = set_error("cannot read the answer from %s: %s",
		    path, strerror(errno));
	else if (lr == LINE_INTERRUPTED)
		*error_r = set_error("the prompt was interrupted");
	else if (lr == LINE_TOO_LONG)
		*error_r = set_error("the answer is longer than %d bytes",
		    AUTH_PASSWORD_MAX);
	else {
		while (line.len > 0 && line.data[line.len - 1] == '\r')
			line.data[--line.len] = '\0';
		*answer_r = line.len > 0 ? buf_steal(&line) : xstrdup("");
		rc = 0;
	}
	buf_free(&line);
	close(fd);
	return rc;
}
