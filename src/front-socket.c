/* front-socket: the interactive part on a unix-domain socket (imtest's
 * -x FILE and -X FILE), one client at a time, through the same session,
 * console rules and guard as --plain. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "client.h"
#include "client-console-guard.h"
#include "client-console-input.h"
#include "client-transcript.h"
#include "file-pidfile.h"
#include "front-socket.h"
#include "text-display.h"
#include "util-buf.h"
#include "util-log.h"
#include "util-mem.h"

/* A typed line, and what the server sends a client that does not read. */
#define SOCKET_MAX_LINE (64u * 1024 * 1024)
#define SOCKET_MAX_OUTPUT (64u * 1024 * 1024)

struct sockfront {
	const struct cli_options *opts;
	struct client *client;
	struct transcript *transcript;
	struct console_input *input;
	struct console_guard *guard;
	int listen_fd;
	int peer_fd;          /* the connected client, or -1 */
	struct buf in;        /* its bytes, not yet a whole line */
	struct buf out;       /* the server's, not yet written to it */
	const char *broken;   /* why the session cannot go on, or NULL */
	bool overflow;        /* the client does not read: drop it */
};

/* What the exit handler and the signal handler need. */
static char *socket_path;
static pid_t socket_owner;
static int signal_pipe[2] = { -1, -1 };

static void
remove_socket(void)
{
	if (socket_path == NULL || getpid() != socket_owner)
		return;
	(void)unlink(socket_path);
	free(socket_path);
	socket_path = NULL;
}

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (write(signal_pipe[1], &c, 1) < 0) {
		/* the pipe is full: a signal is already waiting */
	}
	errno = saved;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* a client that leaves while we write must not kill us */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* --- to the connected client ---------------------------------------- */

/* A client that leaves may leave a command half typed: finish it for
 * the next one (console_input_abandon), or, for a literal, give up the
 * session. */
static void
drop_peer(struct sockfront *f, const char *why)
{
	const char *err;

	if (f->peer_fd < 0)
		return;
	/* our last words (a "* BAD imapwb:"), if the socket takes them */
	if (f->out.len > 0)
		(void)!write(f->peer_fd, f->out.data, f->out.len);
	close(f->peer_fd);
	f->peer_fd = -1;
	buf_reset(&f->in);
	buf_reset(&f->out);
	f->overflow = false;
	if (why != NULL)
		transcript_note(f->transcript, why);
	if (f->input != NULL && why != NULL &&
	    console_input_abandon(f->input, &err) != 0)
		f->broken = "the socket client left in the middle of a "
			    "literal: the session cannot go on";
}

static void
peer_send(struct sockfront *f, const char *data, size_t len)
{
	/* called from the session's events: the loop drops it */
	if (f->peer_fd < 0 || f->overflow)
		return;
	if (buf_append(&f->out, data, len) != 0)
		f->overflow = true;
}

/* Our own words to the client, as an untagged IMAP line. */
static void
peer_say(struct sockfront *f, const char *kind, const char *text)
{
	char *line = xasprintf("* %s imapwb: %s\r\n", kind, text);
	char *nl;

	/* one line: the guard's text has several */
	while ((nl = strchr(line, '\n')) != NULL && nl[1] != '\0')
		*nl = ' ';
	peer_send(f, line, strlen(line));
	free(line);
}

static int
flush_peer(struct sockfront *f)
{
	ssize_t n;

	while (f->peer_fd >= 0 && f->out.len > 0) {
		n = write(f->peer_fd, f->out.data, f->out.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			drop_peer(f, "socket client gone");
			return -1;
		}
		buf_consume(&f->out, (size_t)n);
	}
	return 0;
}

/* --- the client's events --------------------------------------------- */

static void
on_wire(void *ctx, bool out, const char *text, size_t len,
    const struct imap_session_command *cmd)
{
	struct sockfront *f = ctx;

	(void)cmd;
	transcript_wire(f->transcript, out, text, len);
	if (!out)
		peer_send(f, text, len);
}

static void
on_response(void *ctx, const struct decoded_response *resp)
{
	struct sockfront *f = ctx;

	if (f->guard != NULL)
		console_guard_response(f->guard, resp);
}

static void
on_completed(void *ctx, const struct imap_session_command *cmd,
    enum imap_command_result result, const struct decoded_response *tagged,
    double ms)
{
	struct sockfront *f = ctx;

	(void)ms;
	if (f->input != NULL)
		console_input_command_done(f->input, cmd);
	if (f->guard != NULL)
		console_guard_completed(f->guard, cmd, result, tagged);
}

static void
on_notice(void *ctx, const char *text)
{
	struct sockfront *f = ctx;

	transcript_note(f->transcript, text);
}

static void
on_guard_ask(void *ctx, const char *question)
{
	struct sockfront *f = ctx;

	/* REFUSE and WARN never ask; say no if it ever does */
	(void)question;
	console_guard_answer(f->guard, false);
}

static void
on_guard_notice(void *ctx, enum console_guard_notice kind, const char *text)
{
	struct sockfront *f = ctx;

	display_error_line(stderr, text);
	if (kind == CONSOLE_GUARD_REFUSED)
		peer_say(f, "NO", "not sent: nobody can confirm it here "
		    "(imapwb -x ... --yes sends it)");
	else if (kind == CONSOLE_GUARD_WARNED)
		peer_say(f, "OK", "warning: it removes every \\Deleted "
		    "message, whoever marked it");
}

/* --- lines from the client ------------------------------------------- */

static bool
guard_busy(const struct sockfront *f)
{
	return console_guard_busy(f->guard) && !console_guard_asking(f->guard);
}

static void
submit_line(struct sockfront *f, const char *line)
{
	const char *err = NULL;

	if (console_input_line(f->input, line, &err) != 0)
		peer_say(f, "BAD", err);
}

static void
drain_lines(struct sockfront *f)
{
	char *nl;

	while (!guard_busy(f) && f->in.len > 0 &&
	    (nl = memchr(f->in.data, '\n', f->in.len)) != NULL) {
		size_t len = (size_t)(nl - f->in.data);

		*nl = '\0';
		if (len > 0 && f->in.data[len - 1] == '\r')
			f->in.data[len - 1] = '\0';
		submit_line(f, f->in.data);
		buf_consume(&f->in, len + 1);
	}
}

static void
read_peer(struct sockfront *f)
{
	char chunk[4096];
	ssize_t n = read(f->peer_fd, chunk, sizeof(chunk));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* a last line without its newline still counts */
		if (f->in.len > 0 && !guard_busy(f))
			submit_line(f, buf_str(&f->in));
		drop_peer(f, "socket client left; waiting for the next");
		return;
	}
	if (buf_append(&f->in, chunk, (size_t)n) != 0) {
		peer_say(f, "BAD", "line too long");
		drop_peer(f, "socket client dropped: a line too long");
		return;
	}
	drain_lines(f);
}

static void
accept_peer(struct sockfront *f)
{
	int fd = accept4(f->listen_fd, NULL, NULL, SOCK_CLOEXEC |
	    SOCK_NONBLOCK);

	if (fd < 0)
		return;
	f->peer_fd = fd;
	transcript_note(f->transcript, "socket client connected");
}

/* --- the socket ------------------------------------------------------ */

/* An absolute path: -X leaves the working folder. */
static char *
absolute_path(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return xstrdup(path);
	return xasprintf("%s/%s", cwd, path);
}

static int
fill_address(struct sockaddr_un *sun, const char *path, const char **error_r)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		*error_r = "the socket path is too long (at most 107 bytes)";
		return -1;
	}
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

/* A FILE that exists is ours to replace only if it is a socket nobody
 * listens on any more. */
static int
check_path(const char *path, const char **error_r)
{
	static char error[PATH_MAX + 128];
	struct sockaddr_un sun;
	struct stat st;
	int fd, rc;

	if (fill_address(&sun, path, error_r) != 0)
		return -1;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(error, sizeof(error), "%s: %s", path,
		    strerror(errno));
		*error_r = error;
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(error, sizeof(error), "%s exists and is not a socket: "
		    "refusing to replace it", path);
		*error_r = error;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		*error_r = strerror(errno);
		return -1;
	}
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	if (rc == 0) {
		snprintf(error, sizeof(error), "%s is in use: another process "
		    "listens on it", path);
		*error_r = error;
		return -1;
	}
	if (errno != ECONNREFUSED || unlink(path) != 0) {
		snprintf(error, sizeof(error), "%s: cannot replace the stale "
		    "socket: %s", path, strerror(errno));
		*error_r = error;
		return -1;
	}
	return 0;
}

static int
listen_on(struct sockfront *f, const char *path, const char **error_r)
{
	struct sockaddr_un sun;
	mode_t old_mask;
	int rc;

	if (check_path(path, error_r) != 0 ||
	    fill_address(&sun, path, error_r) != 0)
		return -1;
	f->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0);
	if (f->listen_fd < 0) {
		*error_r = strerror(errno);
		return -1;
	}
	/* 0600 from the start: no moment when others could connect */
	old_mask = umask(0177);
	rc = bind(f->listen_fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old_mask);
	if (rc != 0 || listen(f->listen_fd, 4) != 0) {
		*error_r = strerror(errno);
		return -1;
	}
	socket_path = xstrdup(path);
	socket_owner = getpid();
	return 0;
}

/* --- -X -------------------------------------------------------------- */

static void
to_dev_null(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/* Fork twice (the daemon is no session leader, so it never gets a
 * terminal), setsid, stdio to /dev/null, the folder "/". The first
 * process returns only once the daemon has written its pid file and the
 * socket listens: a script may connect as soon as imapwb returns. Returns
 * 0 in the daemon; the other processes exit here. */
static int
daemonize(const char *pid_file, const char **error_r)
{
	int ready[2];
	pid_t pid;
	char c = 0;

	fflush(NULL);
	if (pipe2(ready, O_CLOEXEC) != 0 || (pid = fork()) < 0) {
		*error_r = strerror(errno);
		return -1;
	}
	if (pid > 0) {
		close(ready[1]);
		/* EOF without a byte: the daemon failed (it said why) */
		while (read(ready[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(c == 1 ? EXIT_STATUS_OK : EXIT_STATUS_USAGE);
	}
	close(ready[0]);
	if (setsid() < 0 || (pid = fork()) < 0)
		_exit(EXIT_STATUS_USAGE);
	if (pid > 0)
		_exit(EXIT_STATUS_OK);
	socket_owner = getpid();
	if (pid_file != NULL && pidfile_write(pid_file, error_r) != 0) {
		display_error_line(stderr, *error_r);
		remove_socket();
		_exit(EXIT_STATUS_USAGE);
	}
	if (chdir("/") != 0) {
		/* "/" is always there */
	}
	to_dev_null();
	c = 1;
	if (write(ready[1], &c, 1) != 1) {
		/* the parent is gone: nobody waits */
	}
	close(ready[1]);
	return 0;
}

/* imtest closes every descriptor before it daemonizes; imapwb closes
 * those it inherited (before it opens its own), so a caller's pipe does
 * not stay open in the daemon. */
static void
close_inherited_fds(void)
{
	long max = sysconf(_SC_OPEN_MAX);
	int fd;

	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = STDERR_FILENO + 1; fd < max; fd++)
		(void)close(fd);
}

/* --- the loop -------------------------------------------------------- */

enum { FD_SERVER, FD_SIGNAL, FD_LISTEN, FD_PEER, FD_COUNT };

static bool
serve(struct sockfront *f)
{
	struct pollfd fds[FD_COUNT];
	int ready;

	for (;;) {
		if (f->overflow) {
			f->overflow = false;
			drop_peer(f, "socket client dropped: it does not read "
			    "what the server sends");
		}
		if (f->broken != NULL)
			return false;
		if (f->peer_fd >= 0 && !guard_busy(f))
			drain_lines(f);
		(void)flush_peer(f);
		ready = client_poll_prepare(f->client, &fds[FD_SERVER]);
		if (ready < 0)
			return false;
		fds[FD_SIGNAL] = (struct pollfd){ .fd = signal_pipe[0],
			.events = POLLIN };
		fds[FD_LISTEN] = (struct pollfd){ .fd = f->peer_fd < 0 ?
			f->listen_fd : -1, .events = POLLIN };
		fds[FD_PEER] = (struct pollfd){ .fd = f->peer_fd,
			.events = (short)((guard_busy(f) ? 0 : POLLIN) |
			(f->out.len > 0 ? POLLOUT : 0)) };
		/* The transcript to a file goes in blocks (util-log.h):
		 * out before the wait, as client_turn does. */
		if (ready == 0)
			fflush(NULL);
		if (poll(fds, FD_COUNT, ready > 0 ? 0 :
			client_poll_limit(f->client, -1)) < 0) {
			if (errno != EINTR)
				return false;
			continue;
		}
		if (fds[FD_SIGNAL].revents & POLLIN)
			return true;
		if (client_poll_handle(f->client, &fds[FD_SERVER]) != 0) {
			(void)flush_peer(f);
			return false;
		}
		if (fds[FD_LISTEN].revents & POLLIN)
			accept_peer(f);
		else if (f->peer_fd >= 0 &&
		    (fds[FD_PEER].revents & (POLLIN | POLLHUP | POLLERR)))
			read_peer(f);
	}
}

static void
sockfront_free(struct sockfront *f)
{
	drop_peer(f, NULL);
	if (f->listen_fd >= 0)
		close(f->listen_fd);
	f->listen_fd = -1;
	remove_socket();
	if (f->input != NULL)
		console_input_set_guard(f->input, NULL);
	console_guard_free(&f->guard);
	console_input_free(&f->input);
	client_free(&f->client);
	transcript_free(&f->transcript);
	buf_free(&f->in);
	buf_free(&f->out);
}

enum exit_status
front_socket_run(const struct cli_options *o)
{
	struct sockfront f = { .opts = o, .listen_fd = -1, .peer_fd = -1 };
	struct client_listener l = {
		.wire = on_wire,
		.response = on_response,
		.completed = on_completed,
		.notice = on_notice,
		.ctx = &f,
	};
	struct console_guard_callbacks guard_cb = {
		.ask = on_guard_ask, .notice = on_guard_notice, .ctx = &f,
	};
	struct client_config config;
	enum exit_status status;
	char *path = absolute_path(o->socket_path);
	char *pid_file = o->pid_file != NULL ? absolute_path(o->pid_file) :
	    NULL;
	const char *err = NULL;
	bool signalled;
	static bool registered;

	if (o->socket_daemon)
		close_inherited_fds();
	buf_init(&f.in, SOCKET_MAX_LINE);
	buf_init(&f.out, SOCKET_MAX_OUTPUT);
	/* refuse a FILE in the way before the password is asked */
	if (check_path(path, &err) != 0) {
		display_error_line(stderr, err);
		free(path);
		free(pid_file);
		sockfront_free(&f);
		return EXIT_STATUS_USAGE;
	}
	if (!registered)
		registered = atexit(remove_socket) == 0;
	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		perror("imapwb: pipe");
		free(path);
		free(pid_file);
		sockfront_free(&f);
		return EXIT_STATUS_USAGE;
	}
	catch_signals();
	f.transcript = transcript_new(stdout, o->transcript_file, &err);
	if (f.transcript == NULL) {
		fprintf(stderr, "imapwb: %s: %s\n", o->transcript_file, err);
		free(path);
		free(pid_file);
		sockfront_free(&f);
		return EXIT_STATUS_USAGE;
	}
	transcript_set_show_literal(f.transcript, o->show_literal);
	cli_options_client_config(o, &config);
	f.client = client_new(&config, &l);
	status = client_open(f.client, &err);
	if (status == EXIT_STATUS_OK)
		status = client_authenticate(f.client, &err);
	if (status == EXIT_STATUS_OK && listen_on(&f, path, &err) != 0)
		status = EXIT_STATUS_USAGE;
	if (status == EXIT_STATUS_OK && o->socket_daemon &&
	    daemonize(pid_file, &err) != 0)
		status = EXIT_STATUS_USAGE;
	if (status == EXIT_STATUS_OK) {
		if (!o->socket_daemon) {
			char *note = xasprintf("serving the session on %s",
			    path);

			transcript_note(f.transcript, note);
			free(note);
		}
		f.input = console_input_new(client_session(f.client));
		console_input_set_manual_tags(f.input, o->manual_tags);
		f.guard = console_guard_new(client_session(f.client),
		    client_model(f.client), o->yes ? CONSOLE_GUARD_WARN :
		    CONSOLE_GUARD_REFUSE, &guard_cb);
		console_input_set_guard(f.input, f.guard);
		signalled = serve(&f);
		drop_peer(&f, signalled ? "imapwb was asked to stop" : NULL);
		/* a LOGOUT now would be sent as the literal's bytes */
		if (f.broken == NULL)
			client_logout(f.client);
		/* the replies to the clients' commands are theirs to read;
		 * ours is how the session ended */
		if (f.broken != NULL) {
			status = EXIT_STATUS_PROTOCOL;
			err = f.broken;
		} else if (!signalled && client_error_status(f.client) !=
		    EXIT_STATUS_OK) {
			status = client_error_status(f.client);
			err = client_error(f.client);
		}
	}
	if (err != NULL && status != EXIT_STATUS_OK &&
	    status != EXIT_STATUS_COMMAND_FAILED)
		display_error_line(stderr, err);
	sockfront_free(&f);
	pidfile_remove();
	free(path);
	free(pid_file);
	return status;
}
