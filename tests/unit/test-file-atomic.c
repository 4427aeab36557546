/* Unit tests for file-atomic: a file appears complete or not at all,
 * across the write-behind chunks too; a write that fails in the middle
 * (a file size limit here, as a full disk would) leaves nothing. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "file-atomic.h"
#include "util-mem.h"

#define MIB (1024u * 1024)

struct fixture {
	char dir[64];
	char *path;
	unsigned char *data;
	size_t size;
};

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	size_t i;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test-file-atomic.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	fx->path = xasprintf("%s/out.eml", fx->dir);
	/* more than two write-behind chunks and not a multiple of one */
	fx->size = 21 * MIB + 12345;
	fx->data = xmalloc(fx->size);
	for (i = 0; i < fx->size; i++)
		fx->data[i] = (unsigned char)(i * 131 + i / 4093);
	*state = fx;
	return 0;
}

static size_t
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	(void)unlink(fx->path);
	(void)rmdir(fx->dir);
	free(fx->path);
	free(fx->data);
	free(fx);
	return 0;
}

/* Pieces of uneven sizes, as a socket gives them. */
static int
write_all(struct file_atomic *f, const struct fixture *fx, size_t upto,
    const char **err)
{
	size_t off = 0, n, piece = 1;

	while (off < upto) {
		n = piece < upto - off ? piece : upto - off;
		if (file_atomic_write(f, fx->data + off, n, err) != 0)
			return -1;
		off += n;
		piece = piece * 3 % 200003 + 1;
	}
	return 0;
}

static void
test_commit_is_exact(void **state)
{
	struct fixture *fx = *state;
	const char *err = NULL;
	struct file_atomic *f = file_atomic_open(fx->path, &err);
	unsigned char *back;
	FILE *in;
	struct stat st;

	assert_non_null(f);
	assert_int_equal(write_all(f, fx, fx->size, &err), 0);
	assert_int_equal(file_atomic_written(f), fx->size);
	assert_int_equal(stat(fx->path, &st), -1); /* not there before commit */
	assert_int_equal(file_atomic_commit(&f, &err), 0);
	assert_null(f);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_size, fx->size);
	assert_int_equal(st.st_mode & 0777, 0600);
	back = xmalloc(fx->size);
	assert_non_null(in = fopen(fx->path, "rb"));
	assert_int_equal(fread(back, 1, fx->size, in), fx->size);
	fclose(in);
	assert_memory_equal(back, fx->data, fx->size);
	free(back);
	assert_int_equal(entries(fx->dir), 1); /* no temporary left */
}

static void
test_abort_leaves_nothing(void **state)
{
	struct fixture *fx = *state;
	const char *err = NULL;
	struct file_atomic *f = file_atomic_open(fx->path, &err);

	assert_non_null(f);
	assert_int_equal(write_all(f, fx, 17 * MIB, &err), 0);
	assert_int_equal(entries(fx->dir), 1);
	file_atomic_abort(&f);
	assert_null(f);
	assert_int_equal(entries(fx->dir), 0);
}

/* A limit on file sizes makes write(2) fail with EFBIG after 9 MiB, past
 * the first write-behind chunk: the error names the temporary file and
 * the cause, and aborting removes it. */
static void
test_write_error_mid_file(void **state)
{
	struct fixture *fx = *state;
	const char *err = NULL;
	struct file_atomic *f;
	struct rlimit old, lim;
	void (*old_handler)(int);
	char *want;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	old_handler = signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = 9 * MIB;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	f = file_atomic_open(fx->path, &err);
	assert_non_null(f);
	assert_int_equal(write_all(f, fx, fx->size, &err), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	(void)signal(SIGXFSZ, old_handler);
	assert_int_equal(file_atomic_written(f), 9 * MIB);
	want = xasprintf("cannot write %s: File too large",
	    file_atomic_temp_path(f));
	assert_string_equal(err, want);
	free(want);
	file_atomic_abort(&f);
	assert_int_equal(entries(fx->dir), 0);
}

static void
test_open_in_missing_folder(void **state)
{
	struct fixture *fx = *state;
	const char *err = NULL;
	char *path = xasprintf("%s/no/such/file", fx->dir);

	assert_null(file_atomic_open(path, &err));
	assert_non_null(strstr(err, "cannot create a file in"));
	assert_non_null(strstr(err, "No such file or directory"));
	free(path);
	assert_null(file_atomic_open("/tmp/", &err));
	assert_string_equal(err, "the output path names a folder, not a file");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_is_exact, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_abort_leaves_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error_mid_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_in_missing_folder,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
