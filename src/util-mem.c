/* util-mem: allocation that never returns NULL, and secure zeroing. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit-status.h"
#include "util-log.h"
#include "util-mem.h"

/* Out of memory: nothing is retried (a 40-byte allocation failing leaves
 * nothing sane to do), but the end is orderly, never an abort: exit()
 * flushes what was written, and the atexit handlers restore the terminal
 * (tui, front-console) and remove half-written files (file-atomic). The
 * message is printed by a handler registered before all of those, so it
 * runs after them: on the restored terminal, not under curses. */
static char exhausted[96];
static bool exhaustion_watched;

static void
say_exhausted(void)
{
	if (exhausted[0] != '\0')
		fputs(exhausted, stderr);
}

void
mem_watch_exhaustion(void)
{
	if (!exhaustion_watched)
		exhaustion_watched = atexit(say_exhausted) == 0;
}

static void __attribute__((noreturn))
out_of_memory(size_t nmemb, size_t size)
{
	fflush(stdout);
	if (nmemb * size > 0)
		snprintf(exhausted, sizeof(exhausted), "imapwb: out of memory "
		    "(allocating %zu bytes); giving up\n", nmemb * size);
	else
		snprintf(exhausted, sizeof(exhausted),
		    "imapwb: out of memory; giving up\n");
	if (!exhaustion_watched)
		say_exhausted();
	exit(EXIT_STATUS_NO_MEMORY);
}

#ifdef IMAPWB_TORTURE
/* --enable-torture: IMAPWB_TORTURE=N fails the Nth allocation (from 1)
 * as if memory had run out; IMAPWB_TORTURE=0 fails none. Either way the
 * number of allocations is printed at exit, so a test knows every N to
 * try (tests/integration/torture.sh). */
static unsigned long torture_count;
static unsigned long torture_fail_at;
static bool torture_started;

static void
torture_report(void)
{
	fprintf(stderr, "imapwb: torture: %lu allocations\n", torture_count);
}

static bool
allocation_fails(void)
{
	const char *n;

	if (!torture_started) {
		torture_started = true;
		if ((n = getenv("IMAPWB_TORTURE")) != NULL) {
			torture_fail_at = strtoul(n, NULL, 10);
			atexit(torture_report);
		}
	}
	return ++torture_count == torture_fail_at;
}
#else
static bool
allocation_fails(void)
{
	return false;
}
#endif

void *
xmalloc(size_t size)
{
	void *p;

	if (size == 0)
		size = 1;
	if (allocation_fails() || (p = malloc(size)) == NULL)
		out_of_memory(1, size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (size != 0 && nmemb > SIZE_MAX / size)
		fatal("allocation overflow: %zu x %zu bytes", nmemb, size);
	if (allocation_fails() || (p = calloc(nmemb, size)) == NULL)
		out_of_memory(nmemb, size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (size != 0 && nmemb > SIZE_MAX / size)
		fatal("allocation overflow: %zu x %zu bytes", nmemb, size);
	if (allocation_fails() || (p = realloc(ptr, nmemb * size)) == NULL)
		out_of_memory(nmemb, size);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *p;

	if (allocation_fails() || vasprintf(&p, fmt, ap) < 0)
		out_of_memory(1, 0);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
secure_zero(void *ptr, size_t len)
{
	if (ptr == NULL || len == 0)
		return;
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(ptr, len);
#else
	/* A volatile function pointer keeps the compiler from eliding it. */
	static void *(*const volatile memset_v)(void *, int, size_t) = memset;
	memset_v(ptr, 0, len);
#endif
}

void
secure_free_str(char **secret)
{
	if (*secret == NULL)
		return;
	secure_zero(*secret, strlen(*secret));
	free(*secret);
	*secret = NULL;
}
