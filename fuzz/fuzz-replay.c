/* fuzz-replay: run a fuzz target's corpus without libFuzzer, in `make check`.
 *
 *   replay-NAME [FILE_OR_DIR...]
 *
 * Linked with one target (fuzz/fuzz-NAME.c), it calls the target's own
 * LLVMFuzzerTestOneInput() on every file, by default those in
 * $top_srcdir/fuzz/corpus/NAME (FUZZ_CORPUS), so the normal gcc build,
 * and the ASan one, replay the recorded server traffic, the hand-written
 * hostile inputs and every crash the fuzzer ever found. Files recorded
 * from a real server (dovecot-*, cyrus-*) are replayed with fuzz_strict
 * set: what a real server sends must decode. Speaks TAP, one test per
 * file; a failed check aborts, after a "# fuzz check failed" line. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-check.h"
#include "util-buf.h"
#include "util-mem.h"

#ifndef FUZZ_CORPUS
#error "FUZZ_CORPUS names the corpus folder under fuzz/corpus"
#endif

/* Recorded inputs are under 64 KiB; anything larger is a mistake. */
#define REPLAY_FILE_MAX ((size_t)16 << 20)

static const char *const recorded_prefixes[] = { "dovecot-", "cyrus-" };

struct file_list {
	char **paths;
	size_t count;
	size_t alloc;
};

static void
list_add(struct file_list *l, char *path)
{
	if (l->count == l->alloc) {
		l->alloc = l->alloc == 0 ? 64 : l->alloc * 2;
		l->paths = xreallocarray(l->paths, l->alloc,
		    sizeof(*l->paths));
	}
	l->paths[l->count++] = path;
}

static int
not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* A folder adds its files in name order, so the numbering is stable. */
static int
list_path(struct file_list *l, const char *path)
{
	struct dirent **names;
	int i, n;

	n = scandir(path, &names, not_hidden, alphasort);
	if (n < 0) {
		if (errno != ENOTDIR)
			return -1;
		list_add(l, xstrdup(path));
		return 0;
	}
	for (i = 0; i < n; i++) {
		list_add(l, xasprintf("%s/%s", path, names[i]->d_name));
		free(names[i]);
	}
	free(names);
	return 0;
}

static int
read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	int r = 0;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_append(out, chunk, n) != 0) {
			r = -1;
			break;
		}
	if (ferror(f))
		r = -1;
	fclose(f);
	return r;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static bool
is_recorded(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(recorded_prefixes) /
		 sizeof(recorded_prefixes[0]); i++)
		if (strncmp(name, recorded_prefixes[i],
			strlen(recorded_prefixes[i])) == 0)
			return true;
	return false;
}

/* One TAP line for one file; a failed check aborts inside the target,
 * so the name is printed (as a comment) before it runs. */
static int
replay(size_t num, const char *path)
{
	struct buf data;
	const char *name = base_name(path);

	buf_init(&data, REPLAY_FILE_MAX);
	if (read_file(path, &data) != 0) {
		printf("not ok %zu - %s: cannot read it\n", num, path);
		buf_free(&data);
		return 1;
	}
	printf("# %s\n", name);
	fflush(stdout);
	fuzz_strict = is_recorded(name);
	LLVMFuzzerTestOneInput((const uint8_t *)data.data, data.len);
	printf("ok %zu - %s (%zu bytes)\n", num, name, data.len);
	buf_free(&data);
	return 0;
}

int
main(int argc, char **argv)
{
	struct file_list files = { NULL, 0, 0 };
	const char *top = getenv("top_srcdir");
	char *dir = NULL;
	size_t i;
	int failed = 0;

	if (argc > 1) {
		for (i = 1; i < (size_t)argc; i++)
			if (list_path(&files, argv[i]) != 0) {
				printf("Bail out! cannot read %s\n", argv[i]);
				return 99;
			}
	} else {
		dir = xasprintf("%s/fuzz/corpus/%s", top != NULL ? top : ".",
		    FUZZ_CORPUS);
		if (list_path(&files, dir) != 0) {
			printf("Bail out! cannot read %s\n", dir);
			return 99;
		}
	}
	/* An empty corpus means it was not shipped (EXTRA_DIST). */
	if (files.count == 0) {
		printf("Bail out! no corpus files in %s\n",
		    dir != NULL ? dir : "the arguments");
		return 99;
	}
	printf("1..%zu\n", files.count);
	for (i = 0; i < files.count; i++) {
		failed |= replay(i + 1, files.paths[i]);
		free(files.paths[i]);
	}
	free(files.paths);
	free(dir);
	return failed;
}
