/* file-pidfile: -I FILE, the process id for scripts (imtest's -I). The
 * file appears whole or not at all (file-atomic) and is removed when the
 * process that wrote it exits normally (exit() or a return from main;
 * the front ends turn SIGTERM into one). */
#ifndef IMAPWB_FILE_PIDFILE_H
#define IMAPWB_FILE_PIDFILE_H

/* Write getpid() and a newline to path. 0, or -1 with *error_r. */
int pidfile_write(const char *path, const char **error_r);
/* Remove it now (the exit handler does it too; twice is harmless). */
void pidfile_remove(void);

#endif
