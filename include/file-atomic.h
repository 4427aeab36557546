/* file-atomic: write a file so that it appears under its name complete or
 * not at all: a private temporary file in the same folder (so rename is
 * atomic), fsync, rename over the name, fsync the folder. Whatever fails,
 * the temporary file is removed and nothing is left under the name. */
#ifndef IMAPWB_FILE_ATOMIC_H
#define IMAPWB_FILE_ATOMIC_H

#include <stddef.h>
#include <stdint.h>

struct file_atomic;

/* Create the temporary file beside path (mode 0600). NULL with *error_r
 * (valid until the next call) if the folder is not writable. */
struct file_atomic *file_atomic_open(const char *path, const char **error_r);
/* 0, or -1 with *error_r (the disk is full, ...). */
int file_atomic_write(struct file_atomic *f, const void *data, size_t len,
    const char **error_r);
uint64_t file_atomic_written(const struct file_atomic *f);
/* The temporary file's path, for messages and tests. */
const char *file_atomic_temp_path(const struct file_atomic *f);
/* fsync, rename into place, fsync the folder, free. On failure the
 * temporary file is removed, *error_r set, -1 returned; f is freed. */
int file_atomic_commit(struct file_atomic **f, const char **error_r);
/* Remove the temporary file and free (NULL is fine). */
void file_atomic_abort(struct file_atomic **f);

#endif
