/* client-trust: trust on first use, and advice after a trust failure. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "client-known-hosts.h"
#include "client-trust.h"
#include "text-display.h"
#include "util-buf.h"
#include "util-mem.h"
#include "util-io.h"

#define ANSWER_MAX 64

static void __attribute__((format(printf, 3, 4)))
say(char *out, size_t outlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, outlen, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
notice(const struct client_trust *t, const char *fmt, ...)
{
	char *text;
	va_list ap;

	if (t->notice == NULL)
		return;
	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	t->notice(t->ctx, text);
	free(text);
}

/* The leaf as a user decides on it: names, dates, key, and the chain. */
static char *
describe_certificate(const struct client_trust *t, const char *name,
    const char *path)
{
	const char *subject = "?", *issuer = "?", *not_after = "?";
	const char *not_before = "?", *sans = "";
	struct buf b;

	(void)conn_tls_facts_cert(t->facts, 0, &subject, &issuer, &not_after);
	(void)conn_tls_facts_cert_detail(t->facts, 0, &not_before, &sans);
	buf_init(&b, 16384);
	(void)buf_printf(&b, "%s is not in %s yet; its certificate:\n"
	    "  subject: %s\n"
	    "  issuer:  %s\n"
	    "  valid:   %s to %s\n"
	    "  names:   %s\n"
	    "  key pin: %s\n"
	    "  chain:   %s%s", name, path, subject, issuer, not_before,
	    not_after, sans[0] != '\0' ? sans : "(none)",
	    conn_tls_facts_pin(t->facts),
	    t->chain_error != NULL ? "does not verify: " : "verifies",
	    t->chain_error != NULL ? t->chain_error : "");
	return buf_steal(&b);
}

/* Read one answer line from fd; true for y or yes. */
static bool
read_yes(int fd)
{
	char answer[ANSWER_MAX];
	size_t len = 0;
	ssize_t n;
	char ch;

	for (;;) {
		n = read(fd, &ch, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || ch == '\n')
			break;
		if (len < sizeof(answer) - 1)
			answer[len++] = ch;
	}
	while (len > 0 && (answer[len - 1] == '\r' || answer[len - 1] == ' '))
		len--;
	answer[len] = '\0';
	return strcasecmp(answer, "y") == 0 || strcasecmp(answer, "yes") == 0;
}

/* Lines of text on the terminal, each escaped: the certificate's names
 * are the server's words. */
static void
write_escaped_lines(int fd, const char *text)
{
	const char *nl;
	struct buf esc;
	size_t len;

	buf_init(&esc, 1 << 16);
	do {
		nl = strchr(text, '\n');
		len = nl != NULL ? (size_t)(nl - text) : strlen(text);
		buf_reset(&esc);
		if (display_escape(&esc, text, len) == 0) {
			(void)fd_write_all(fd, buf_str(&esc));
			(void)fd_write_all(fd, "\n");
		}
		text = nl + 1;
	} while (nl != NULL);
	buf_free(&esc);
}

/* Ask on the terminal: 1 yes, 0 no, -1 no terminal (errno). */
static int
ask(const struct client_trust *t, const char *info)
{
	const char *tty = t->tty_path != NULL ? t->tty_path : "/dev/tty";
	int fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
	bool yes;

	if (fd < 0)
		return -1;
	write_escaped_lines(fd, info);
	(void)fd_write_all(fd, "trust this key? [y/N] ");
	yes = read_yes(fd);
	close(fd);
	return yes ? 1 : 0;
}

static int
record(const struct client_trust *t, const char *path, const char *name,
    const char *why, char *err, size_t errlen)
{
	const char *pin = conn_tls_facts_pin(t->facts), *error;

	if (known_hosts_add(path, name, pin, &error) != 0) {
		say(err, errlen, "TLS: cannot record the key: %s", error);
		return -1;
	}
	notice(t, "TLS: trusted on first use (%s): %s %s, recorded in %s",
	    why, name, pin, path);
	return 0;
}

static int
first_use(const struct client_trust *t, const char *path, const char *name,
    char *err, size_t errlen)
{
	const char *pin = conn_tls_facts_pin(t->facts);
	char *info;
	int answer, saved_errno;

	if (t->chain_error == NULL)
		return record(t, path, name, "the chain verifies", err, errlen);
	info = describe_certificate(t, name, path);
	answer = ask(t, info);
	saved_errno = errno;
	if (answer < 0)
		say(err, errlen, "TLS: %s\n"
		    "refusing a new key with no terminal to ask on (%s: %s).\n"
		    "To trust it: run imapwb --tofu once on a terminal and "
		    "answer y, or give --pin %s (this key only, nothing "
		    "recorded), or add the line \"%s %s\" to %s",
		    info, t->tty_path != NULL ? t->tty_path : "/dev/tty",
		    strerror(saved_errno), pin, name, pin, path);
	else if (answer == 0)
		say(err, errlen, "TLS: the key of %s was not trusted (the "
		    "answer was not y): nothing recorded", name);
	free(info);
	if (answer <= 0)
		return -1;
	return record(t, path, name, "accepted on the terminal", err, errlen);
}

int
client_trust_on_first_use(const struct client_trust *t, char *err,
    size_t errlen)
{
	const char *pin = conn_tls_facts_pin(t->facts), *error;
	char *path, *name, *known = NULL;
	unsigned line;
	int rc;

	if (pin[0] == '\0') {
		say(err, errlen, "TLS: the server showed no certificate to "
		    "trust");
		return -1;
	}
	path = t->known_hosts != NULL ? xstrdup(t->known_hosts) :
	    known_hosts_default_path(&error);
	if (path == NULL) {
		say(err, errlen, "--tofu: %s", error);
		return -1;
	}
	name = known_hosts_name(t->host, t->port);
	rc = known_hosts_lookup(path, name, &known, &line, &error);
	if (rc < 0)
		say(err, errlen, "--tofu: %s", error);
	else if (rc == 0)
		rc = first_use(t, path, name, err, errlen);
	else if (strcmp(known, pin) == 0) {
		notice(t, "TLS: the key matches %s:%u (trusted on first use)%s%s",
		    path, line, t->chain_error != NULL ? "; the chain does "
		    "not verify, the known key is trusted instead: " : "",
		    t->chain_error != NULL ? t->chain_error : "");
		rc = 0;
	} else {
		say(err, errlen, "TLS: the server's key has CHANGED since it was "
		    "trusted on first use: refusing\n"
		    "  known key: %s (%s:%u)\n"
		    "  new key:   %s\n"
		    "Someone may be between you and the server, or the server "
		    "has a new key. Only if you know the change is right, "
		    "delete line %u of %s:\n"
		    "  %s %s\n"
		    "and connect again with --tofu", known, path, line, pin,
		    line, path, name, known);
		rc = -1;
	}
	free(known);
	free(name);
	free(path);
	return rc < 0 ? -1 : 0;
}

void
client_trust_failure_advice(enum conn_tls_failure failure,
    const struct conn_tls_facts *facts, char *out, size_t outlen)
{
	const char *pin = conn_tls_facts_pin(facts);
	const char *subject = "?", *issuer = "?", *not_after = "?";
	const char *not_before = "?", *sans = "";

	out[0] = '\0';
	if (pin[0] == '\0' || (failure != CONN_TLS_FAILED_CHAIN &&
	    failure != CONN_TLS_FAILED_NAME && failure != CONN_TLS_FAILED_PIN))
		return;
	(void)conn_tls_facts_cert(facts, 0, &subject, &issuer, &not_after);
	(void)conn_tls_facts_cert_detail(facts, 0, &not_before, &sans);
	say(out, outlen, "the server's certificate: subject %s, issuer %s, "
	    "valid %s to %s, names %s\n"
	    "the server's key: %s\n"
	    "if you trust this server, one of:\n"
	    "  --cafile FILE: trust the CA that issued it (PEM)\n"
	    "  --pin %s: trust exactly this key\n"
	    "  --tofu: trust it on first use and remember its key\n"
	    "  --insecure: check nothing (dangerous: anyone on the path "
	    "can read and change the session)",
	    subject, issuer, not_before, not_after,
	    sans[0] != '\0' ? sans : "(none)", pin, pin);
}

bool
client_trust_head_is_imap(const unsigned char *head, size_t len)
{
	static const char *const greetings[] = { "* OK", "* PREAUTH",
		"* BYE" };
	size_t i, n;

	for (i = 0; i < sizeof(greetings) / sizeof(greetings[0]); i++) {
		n = strlen(greetings[i]);
		if (len >= n && strncasecmp((const char *)head, greetings[i],
		    n) == 0)
			return true;
	}
	return false;
}
