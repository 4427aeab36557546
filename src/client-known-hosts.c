/* client-known-hosts: the server keys trusted on first use. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client-known-hosts.h"
#include "conn-tls.h"
#include "file-atomic.h"
#include "util-buf.h"
#include "util-io.h"
#include "util-mem.h"

/* A file of this size holds thousands of servers; a larger one is not
 * ours. */
#define KNOWN_HOSTS_MAX (1024 * 1024)
#define KNOWN_HOSTS_LINE_MAX 1024

static char error_text[1024];

static const char * __attribute__((format(printf, 1, 2)))
set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error_text, sizeof(error_text), fmt, ap);
	va_end(ap);
	return error_text;
}

char *
known_hosts_default_path(const char **error_r)
{
	const char *data = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	/* XDG: a relative path is to be ignored */
	if (data != NULL && data[0] == '/')
		return xasprintf("%s/imapwb/known_hosts", data);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.local/share/imapwb/known_hosts", home);
	*error_r = "neither XDG_DATA_HOME nor HOME is set: there is no place "
		   "for the known_hosts file";
	return NULL;
}

char *
known_hosts_name(const char *host, const char *port)
{
	char *lower = xstrdup(host), *name;
	size_t i;

	for (i = 0; lower[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	name = strchr(lower, ':') != NULL ?
	    xasprintf("[%s]:%s", lower, port) : xasprintf("%s:%s", lower, port);
	free(lower);
	return name;
}

/* --- reading ----------------------------------------------------------- */

/* Only the owner may change what we trust. */
static int
check_file_safe(const char *path, const struct stat *st, const char **error_r)
{
	if (!S_ISREG(st->st_mode))
		*error_r = set_error("%s: not a regular file", path);
	else if (st->st_uid != getuid())
		*error_r = set_error("%s: owned by another user (uid %lu): "
		    "refusing to trust its keys", path,
		    (unsigned long)st->st_uid);
	else if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
		*error_r = set_error("%s: others may write it (mode %03o): "
		    "refusing to trust its keys; chmod 600 %s", path,
		    (unsigned)(st->st_mode & 0777), path);
	else
		return 0;
	return -1;
}

/* The whole file into text; 0 and an empty text when it does not exist. */
static int
read_file(const char *path, struct buf *text, const char **error_r)
{
	struct stat st;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		*error_r = set_error("cannot open %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		*error_r = set_error("cannot stat %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (check_file_safe(path, &st, error_r) != 0) {
		close(fd);
		return -1;
	}
	rc = fd_read_all(fd, text);
	if (rc > 0)
		*error_r = set_error("%s: larger than %d bytes", path,
		    KNOWN_HOSTS_MAX);
	else if (rc < 0)
		*error_r = set_error("cannot read %s: %s", path,
		    strerror(errno));
	close(fd);
	return rc != 0 ? -1 : 0;
}

/* HOST:PORT as known_hosts_name() writes it: a DNS name or IPv4 address
 * (letters, digits, '.', '-', '_'), or an IPv6 address in brackets, then
 * a port of 1 to 65535. */
static bool
name_well_formed(const char *name, size_t len)
{
	const char *colon;
	size_t hostlen, i;
	unsigned long port = 0;

	if (len > 0 && name[0] == '[') {
		const char *close = memchr(name, ']', len);

		if (close == NULL || close == name + 1 || close[1] != ':')
			return false;
		colon = close + 1;
		for (i = 1; name + i < close; i++)
			if (!isxdigit((unsigned char)name[i]) &&
			    name[i] != ':' && name[i] != '.')
				return false;
	} else {
		colon = memchr(name, ':', len);
		if (colon == NULL || colon == name)
			return false;
		hostlen = (size_t)(colon - name);
		for (i = 0; i < hostlen; i++)
			if (!isalnum((unsigned char)name[i]) &&
			    strchr(".-_", name[i]) == NULL)
				return false;
	}
	if (colon + 1 == name + len || colon[1] == '0')
		return false;
	for (i = (size_t)(colon + 1 - name); i < len; i++) {
		if (!isdigit((unsigned char)name[i]))
			return false;
		port = port * 10 + (unsigned long)(name[i] - '0');
		if (port > 65535)
			return false;
	}
	return true;
}

/* Split one line into name and pin; false when it is not "NAME PIN". */
static bool
parse_line(char *line, char **name_r, char **pin_r)
{
	size_t n = strcspn(line, " \t");
	char *pin;

	if (line[n] == '\0' || !name_well_formed(line, n))
		return false;
	line[n] = '\0';
	pin = line + n + 1;
	pin += strspn(pin, " \t");
	/* trailing blanks (and a CR from another system's editor) are
	 * fine, anything after them is not */
	n = strcspn(pin, " \t\r");
	if (pin[n] != '\0') {
		if (pin[n + strspn(pin + n, " \t\r")] != '\0')
			return false;
		pin[n] = '\0';
	}
	if (!conn_tls_pin_well_formed(pin))
		return false;
	*name_r = line;
	*pin_r = pin;
	return true;
}

/* Check every line of text; find name (NULL: none) in it. 1 found, 0
 * not, -1 corrupt. */
static int
scan(const char *path, struct buf *text, const char *name, char **pin_r,
    unsigned *line_r, const char **error_r)
{
	char *p, *end, *nl, *lname, *lpin;
	char **names = NULL;
	unsigned lineno = 0, *linenos = NULL, count = 0, i;
	int found = 0, rc = 0;

	if (text->len == 0) /* a new file, or an empty one */
		return 0;
	p = text->data;
	end = p + text->len;
	if (memchr(p, '\0', text->len) != NULL) {
		*error_r = set_error("%s: holds a NUL byte: not a known_hosts "
		    "file", path);
		return -1;
	}
	for (; p < end && rc == 0; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*nl = '\0';
		if ((size_t)(nl - p) > KNOWN_HOSTS_LINE_MAX) {
			*error_r = set_error("%s:%u: line longer than %d bytes",
			    path, lineno, KNOWN_HOSTS_LINE_MAX);
			rc = -1;
			break;
		}
		if (p[strspn(p, " \t\r")] == '\0' || p[strspn(p, " \t")] == '#')
			continue;
		if (!parse_line(p, &lname, &lpin)) {
			*error_r = set_error("%s:%u: not a known_hosts line "
			    "(expected HOST:PORT sha256/BASE64, or # and a "
			    "comment)", path, lineno);
			rc = -1;
			break;
		}
		for (i = 0; i < count; i++)
			if (strcmp(names[i], lname) == 0)
				break;
		if (i < count) {
			*error_r = set_error("%s:%u: a second line for %s "
			    "(the first is line %u): delete one", path, lineno,
			    lname, linenos[i]);
			rc = -1;
			break;
		}
		names = xreallocarray(names, count + 1, sizeof(*names));
		linenos = xreallocarray(linenos, count + 1, sizeof(*linenos));
		names[count] = lname;
		linenos[count++] = lineno;
		if (name != NULL && strcmp(lname, name) == 0) {
			free(*pin_r);
			*pin_r = xstrdup(lpin);
			*line_r = lineno;
			found = 1;
		}
	}
	free(names);
	free(linenos);
	if (rc != 0) {
		free(*pin_r);
		*pin_r = NULL;
		return -1;
	}
	return found;
}

int
known_hosts_lookup(const char *path, const char *name, char **pin_r,
    unsigned *line_r, const char **error_r)
{
	struct buf text;
	int rc;

	*pin_r = NULL;
	*line_r = 0;
	buf_init(&text, KNOWN_HOSTS_MAX);
	rc = read_file(path, &text, error_r);
	if (rc == 0)
		rc = scan(path, &text, name, pin_r, line_r, error_r);
	buf_free(&text);
	return rc;
}

/* --- writing ----------------------------------------------------------- */

/* mkdir -p with mode 0700 for every folder it makes (XDG: "should be
 * created with permissions 0700"). */
static int
make_folders(const char *path, const char **error_r)
{
	char *dir = xstrdup(path), *p, saved;
	int rc = 0;

	if ((p = strrchr(dir, '/')) != NULL)
		*p = '\0';
	for (p = dir + 1; rc == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		saved = *p;
		*p = '\0';
		if (dir[0] != '\0' && mkdir(dir, 0700) != 0 &&
		    errno != EEXIST) {
			*error_r = set_error("cannot create the folder %s: %s",
			    dir, strerror(errno));
			rc = -1;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(dir);
	return rc;
}

int
known_hosts_add(const char *path, const char *name, const char *pin,
    const char **error_r)
{
	struct file_atomic *f;
	struct buf text, out;
	char *old_pin = NULL;
	unsigned line;
	int rc;

	if (!conn_tls_pin_well_formed(pin)) {
		*error_r = set_error("not a pin: %s", pin);
		return -1;
	}
	if (make_folders(path, error_r) != 0)
		return -1;
	buf_init(&text, KNOWN_HOSTS_MAX);
	/* scan() cuts the text into lines: keep a copy to write back */
	buf_init(&out, KNOWN_HOSTS_MAX + KNOWN_HOSTS_LINE_MAX);
	rc = read_file(path, &text, error_r);
	if (rc == 0 && (buf_append(&out, text.data, text.len) != 0 ||
	    (out.len > 0 && out.data[out.len - 1] != '\n' &&
	    buf_append_byte(&out, '\n') != 0) ||
	    buf_printf(&out, "%s %s\n", name, pin) != 0)) {
		*error_r = set_error("%s: too large to add to", path);
		rc = -1;
	}
	if (rc == 0 && (rc = scan(path, &text, name, &old_pin, &line,
	    error_r)) > 0) {
		*error_r = set_error("%s:%u: already holds %s", path, line,
		    name);
		rc = -1;
	}
	free(old_pin);
	buf_free(&text);
	if (rc == 0 && (f = file_atomic_open(path, error_r)) != NULL) {
		rc = file_atomic_write(f, out.data, out.len, error_r);
		if (rc == 0)
			rc = file_atomic_commit(&f, error_r);
		else
			file_atomic_abort(&f);
	} else if (rc == 0)
		rc = -1;
	buf_free(&out);
	return rc;
}
