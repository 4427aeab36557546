/* file-pidfile: -I FILE, written atomically, removed at exit. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file-atomic.h"
#include "file-pidfile.h"
#include "util-mem.h"

static char *pidfile_path;
static pid_t pidfile_owner;

/* Only the process that wrote it removes it: a child that exits (the
 * parent half of a fork) must not. */
void
pidfile_remove(void)
{
	if (pidfile_path == NULL || getpid() != pidfile_owner)
		return;
	(void)unlink(pidfile_path);
	free(pidfile_path);
	pidfile_path = NULL;
}

int
pidfile_write(const char *path, const char **error_r)
{
	static bool registered;
	struct file_atomic *f;
	char text[32];
	int len;

	if ((f = file_atomic_open(path, error_r)) == NULL)
		return -1;
	len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (file_atomic_write(f, text, (size_t)len, error_r) != 0) {
		file_atomic_abort(&f);
		return -1;
	}
	if (file_atomic_commit(&f, error_r) != 0)
		return -1;
	free(pidfile_path);
	pidfile_path = xstrdup(path);
	pidfile_owner = getpid();
	if (!registered)
		registered = atexit(pidfile_remove) == 0;
	return 0;
}
