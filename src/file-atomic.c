/* file-atomic: complete files or none, through a temporary and rename. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file-atomic.h"
#include "util-mem.h"

/* Write-behind: every WRITE_BEHIND_CHUNK bytes, the kernel is asked to
 * start writing the chunk just written (sync_file_range WRITE), and the
 * chunk before it, whose write-out has had a chunk's time to run, is
 * waited for. So the disk works while the network does, the final fsync
 * has at most two chunks left to write, and no more than two chunks are
 * ever dirty: a disk slower than the network paces the save. The pages
 * are not dropped (posix_fadvise DONTNEED): clean pages cost little to
 * reclaim, and dropping them cost a third of what write-behind saved
 * (ARCHITECTURE.md, Benchmarks). 2 MiB measured best: with 8 MiB the
 * final fsync waited for up to 16 MiB after the last byte; 256 KiB cost
 * more in calls than it saved. */
#define WRITE_BEHIND_CHUNK (2u << 20)

struct file_atomic {
	char *path;
	char *dir;
	char *temp;
	int fd;
	uint64_t written;
	uint64_t started;  /* bytes whose write-out was started */
	uint64_t settled;  /* bytes known to be written out */
	bool no_write_behind; /* the file system cannot (or it is not built) */
	struct file_atomic *prev, *next; /* the files not yet done */
};

static char error_text[512];

/* Every file opened and neither committed nor aborted: should the program
 * end on the way (out of memory ends it with exit()), an atexit handler
 * removes their temporaries, so no half file is ever left behind. */
static struct file_atomic *unfinished;

static void
remove_unfinished(void)
{
	struct file_atomic *f;

	for (f = unfinished; f != NULL; f = f->next)
		(void)unlink(f->temp);
}

static void
track(struct file_atomic *f)
{
	static bool registered;

	if (!registered) {
		registered = atexit(remove_unfinished) == 0;
		if (!registered)
			return;
	}
	f->next = unfinished;
	if (unfinished != NULL)
		unfinished->prev = f;
	unfinished = f;
}

static void
untrack(struct file_atomic *f)
{
	if (f->prev != NULL)
		f->prev->next = f->next;
	else if (unfinished == f)
		unfinished = f->next;
	if (f->next != NULL)
		f->next->prev = f->prev;
	f->prev = f->next = NULL;
}

static const char *
errno_error(const char *what, const char *path)
{
	snprintf(error_text, sizeof(error_text), "%s %s: %s", what, path,
	    strerror(errno));
	return error_text;
}

/* The folder part of path ("." for a bare name). */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

struct file_atomic *
file_atomic_open(const char *path, const char **error_r)
{
	struct file_atomic *f;
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	if (base[0] == '\0') {
		*error_r = "the output path names a folder, not a file";
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	f->dir = dir_of(path);
	f->temp = xasprintf("%s/.%s.imapwb-XXXXXX", f->dir, base);
	f->fd = mkostemp(f->temp, O_CLOEXEC);
	if (f->fd < 0) {
		*error_r = errno_error("cannot create a file in", f->dir);
		free(f->path);
		free(f->dir);
		free(f->temp);
		free(f);
		return NULL;
	}
	track(f);
	return f;
}

#ifdef HAVE_SYNC_FILE_RANGE
/* A write-behind call failed: an I/O error or a full disk is the save's
 * failure, reported as the write's; a file system that does not do it
 * (EINVAL, ESPIPE, ENOSYS) is only left to the final fsync. */
static int
write_behind_failed(struct file_atomic *f, const char **error_r)
{
	if (errno == EIO || errno == ENOSPC || errno == EDQUOT) {
		*error_r = errno_error("cannot write", f->temp);
		return -1;
	}
	f->no_write_behind = true;
	return 0;
}

static int
write_behind(struct file_atomic *f, const char **error_r)
{
	const unsigned wait_flags = SYNC_FILE_RANGE_WAIT_BEFORE |
	    SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
	uint64_t end = f->written - f->written % WRITE_BEHIND_CHUNK;

	if (f->no_write_behind || end <= f->started)
		return 0;
	if (sync_file_range(f->fd, (off_t)f->started,
	    (off_t)(end - f->started), SYNC_FILE_RANGE_WRITE) != 0)
		return write_behind_failed(f, error_r);
	/* the chunk before the one just started */
	if (f->started > f->settled) {
		if (sync_file_range(f->fd, (off_t)f->settled,
		    (off_t)(f->started - f->settled), wait_flags) != 0)
			return write_behind_failed(f, error_r);
		f->settled = f->started;
	}
	f->started = end;
	return 0;
}
#else
static int
write_behind(struct file_atomic *f, const char **error_r)
{
	(void)f;
	(void)error_r;
	return 0;
}
#endif

int
file_atomic_write(struct file_atomic *f, const void *data, size_t len,
    const char **error_r)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(f->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*error_r = errno_error("cannot write", f->temp);
			return -1;
		}
		p += n;
		len -= (size_t)n;
		f->written += (uint64_t)n;
	}
	return write_behind(f, error_r);
}

uint64_t
file_atomic_written(const struct file_atomic *f)
{
	return f->written;
}

const char *
file_atomic_temp_path(const struct file_atomic *f)
{
	return f->temp;
}

static void
file_free(struct file_atomic *f)
{
	untrack(f);
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f->dir);
	free(f->temp);
	free(f);
}

void
file_atomic_abort(struct file_atomic **fp)
{
	struct file_atomic *f = *fp;

	if (f == NULL)
		return;
	(void)unlink(f->temp);
	file_free(f);
	*fp = NULL;
}

/* Make the rename itself durable. */
static int
sync_dir(const char *dir, const char **error_r)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0) {
		*error_r = errno_error("cannot open", dir);
		return -1;
	}
	rc = fsync(fd);
	if (rc != 0)
		*error_r = errno_error("cannot fsync", dir);
	close(fd);
	return rc;
}

int
file_atomic_commit(struct file_atomic **fp, const char **error_r)
{
	struct file_atomic *f = *fp;
	int rc = -1;

	if (fsync(f->fd) != 0)
		*error_r = errno_error("cannot fsync", f->temp);
	else if (close(f->fd) != 0) {
		f->fd = -1;
		*error_r = errno_error("cannot close", f->temp);
	} else if ((f->fd = -1, rename(f->temp, f->path)) != 0)
		*error_r = errno_error("cannot rename to", f->path);
	else
		rc = 0;
	if (rc != 0) {
		file_atomic_abort(fp);
		return -1;
	}
	/* The file is complete under its name now; a folder that cannot be
	 * synced only makes the rename less durable, not the file wrong. */
	(void)sync_dir(f->dir, error_r);
	file_free(f);
	*fp = NULL;
	return 0;
}
