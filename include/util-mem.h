/* util-mem: allocation that never returns NULL, and secure zeroing. */
#ifndef IMAPWB_UTIL_MEM_H
#define IMAPWB_UTIL_MEM_H

#include <stdarg.h>
#include <stddef.h>

/* On exhaustion these end the program in order (exit status 7, the
 * atexit handlers run: the terminal is restored, half-written files are
 * removed), since there is no sane recovery for a 40-byte malloc failing.
 * Network-sized data goes through struct buf, whose caps make such
 * failures impossible to trigger from outside. */
void *xmalloc(size_t size);
/* Call first thing in main(): the out-of-memory message is then printed
 * after every later atexit handler, on a terminal given back. */
void mem_watch_exhaustion(void);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* Zero memory that held a secret; the compiler may not elide it. */
void secure_zero(void *ptr, size_t len);

/* Zero and free a NUL-terminated secret, and set the pointer to NULL. */
void secure_free_str(char **secret);

#endif
