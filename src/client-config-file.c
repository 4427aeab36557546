/* client-config-file: named accounts in $XDG_CONFIG_HOME/imapwb/config. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client-config-file.h"
#include "util-io.h"
#include "util-mem.h"

static char config_error[1024];
/* The text of the file loaded last: the values point into it. */
static char *loaded_text;

static int
config_fail(const char **error_r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
config_fail(const char **error_r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(config_error, sizeof(config_error), fmt, ap);
	va_end(ap);
	*error_r = config_error;
	return -1;
}

char *
client_config_file_default_path(const char **error_r)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	/* XDG Base Directory: a relative path is to be ignored */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/imapwb/config", xdg);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.config/imapwb/config", home);
	*error_r = "neither XDG_CONFIG_HOME nor HOME is set: give --config FILE";
	return NULL;
}

/* The file says which commands run (password-cmd) and where a password
 * goes: whoever can change it can take the password. */
static int
check_owner_and_mode(const char *path, const struct stat *st, bool folder,
    const char **error_r)
{
	if (st->st_uid != getuid() && !(folder && st->st_uid == 0))
		return config_fail(error_r, "%s: owned by uid %lu, not by you "
		    "(uid %lu): refused, since it says which commands run; "
		    "fix: make it yours and chmod %s %s", path,
		    (unsigned long)st->st_uid, (unsigned long)getuid(),
		    folder ? "700" : "600", path);
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
	    !(folder && (st->st_mode & S_ISVTX)))
		return config_fail(error_r, "%s: writable by %s: refused, "
		    "since it says which commands run; fix: chmod %s %s",
		    path, (st->st_mode & S_IWOTH) ? "others" : "its group",
		    folder ? "700" : "600", path);
	return 0;
}

static int
check_folder(const char *path, const char **error_r)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".") :
	    xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	struct stat st;
	int rc;

	if (stat(dir, &st) != 0)
		rc = config_fail(error_r, "%s: %s", dir, strerror(errno));
	else
		rc = check_owner_and_mode(dir, &st, true, error_r);
	free(dir);
	return rc;
}

/* The whole file, refused as the header says. */
static char *
read_config(const char *path, const char **error_r)
{
	struct stat st;
	struct buf b;
	char *text;
	size_t len;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		config_fail(error_r, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		config_fail(error_r, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (check_owner_and_mode(path, &st, false, error_r) != 0 ||
	    check_folder(path, error_r) != 0) {
		close(fd);
		return NULL;
	}
	if (st.st_size > CONFIG_FILE_MAX_SIZE) {
		config_fail(error_r, "%s: larger than %d bytes", path,
		    CONFIG_FILE_MAX_SIZE);
		close(fd);
		return NULL;
	}
	buf_init(&b, CONFIG_FILE_MAX_SIZE);
	if ((rc = fd_read_all(fd, &b)) != 0) {
		if (rc < 0)
			config_fail(error_r, "%s: %s", path, strerror(errno));
		else
			config_fail(error_r, "%s: larger than %d bytes", path,
			    CONFIG_FILE_MAX_SIZE);
		buf_free(&b);
		close(fd);
		return NULL;
	}
	close(fd);
	len = b.len;
	text = buf_steal(&b);
	if (strlen(text) != len) {
		config_fail(error_r, "%s: holds a NUL byte", path);
		free(text);
		return NULL;
	}
	return text;
}

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static bool
valid_account_name(const char *name)
{
	return name[0] != '\0' && strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == strlen(name);
}

struct config_parse {
	const char *path;
	const char *account;
	client_config_key_fn *key;
	void *ctx;
	char *section;     /* the account whose lines these are, or NULL */
	unsigned found_at; /* the line of [account], or 0 */
};

/* One line of the file (trimmed, not empty, no comment). */
static int
parse_line(struct config_parse *p, char *line, unsigned lineno,
    const char **error_r)
{
	const char *err = NULL;
	char *eq, *key, *value;

	if (line[0] == '[') {
		if (line[strlen(line) - 1] != ']')
			return config_fail(error_r, "%s:%u: '[' without ']'",
			    p->path, lineno);
		line[strlen(line) - 1] = '\0';
		p->section = trim(line + 1);
		if (!valid_account_name(p->section))
			return config_fail(error_r, "%s:%u: '%s' is no account "
			    "name (letters, digits, '.', '_' and '-')",
			    p->path, lineno, p->section);
		if (strcmp(p->section, p->account) == 0) {
			if (p->found_at != 0)
				return config_fail(error_r, "%s:%u: account "
				    "[%s] again (first at line %u)", p->path,
				    lineno, p->section, p->found_at);
			p->found_at = lineno;
		}
		return 0;
	}
	if ((eq = strchr(line, '=')) == NULL)
		return config_fail(error_r, "%s:%u: not 'key = value', "
		    "'[account]' or a '#' comment", p->path, lineno);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (p->section == NULL)
		return config_fail(error_r, "%s:%u: '%s' before any [account]",
		    p->path, lineno, key);
	if (strcmp(key, "password") == 0 || strcmp(key, "w") == 0)
		return config_fail(error_r, "%s:%u: a password is never "
		    "taken from the config file: use password-cmd (a command "
		    "that prints it, such as 'pass show imap')", p->path,
		    lineno);
	if (p->key(p->ctx, key, value, strcmp(p->section, p->account) == 0,
	    &err) != 0)
		return config_fail(error_r, "%s:%u: %s", p->path, lineno,
		    err != NULL ? err : "bad value");
	return 0;
}

int
client_config_file_load(const char *path, const char *account,
    client_config_key_fn *key, void *ctx, const char **error_r)
{
	struct config_parse p = { .path = path, .account = account,
		.key = key, .ctx = ctx };
	char *text, *line, *next, *t;
	unsigned lineno = 0;

	if ((text = read_config(path, error_r)) == NULL)
		return -1;
	free(loaded_text);
	loaded_text = text;
	for (line = text; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		t = trim(line);
		if (t[0] == '\0' || t[0] == '#')
			continue;
		if (parse_line(&p, t, lineno, error_r) != 0)
			return -1;
	}
	if (p.found_at == 0)
		return config_fail(error_r, "%s: no account [%s]", path,
		    account);
	return 0;
}
