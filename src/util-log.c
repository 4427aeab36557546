/* util-log: diagnostics on stderr, and fatal() for broken invariants. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util-log.h"

static enum log_level current_level = LOG_LEVEL_WARN;
static log_sink_t *sink;
static void *sink_ctx;

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARN] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

void
log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level
log_get_level(void)
{
	return current_level;
}

void
log_set_sink(log_sink_t *new_sink, void *ctx)
{
	sink = new_sink;
	sink_ctx = ctx;
}

const char *
log_level_name(enum log_level level)
{
	return level_names[level];
}

static void __attribute__((format(printf, 2, 0)))
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	char text[1024];

	if (level > current_level)
		return;
	if (sink != NULL) {
		vsnprintf(text, sizeof(text), fmt, ap);
		sink(sink_ctx, level, text);
		return;
	}
	fprintf(stderr, "imapwb: %s: ", level_names[level]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FUNCTION(name, level)                \
	void name(const char *fmt, ...)          \
	{                                        \
		va_list ap;                      \
		va_start(ap, fmt);               \
		log_vwrite(level, fmt, ap);      \
		va_end(ap);                      \
	}

LOG_FUNCTION(log_error, LOG_LEVEL_ERROR)
LOG_FUNCTION(log_warn, LOG_LEVEL_WARN)
LOG_FUNCTION(log_info, LOG_LEVEL_INFO)
LOG_FUNCTION(log_debug, LOG_LEVEL_DEBUG)

void
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("imapwb: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr); /* it may go in blocks (--json into a file) */
	abort();
}

bool
log_stream_wants_line_flush(FILE *f)
{
	struct stat st, other;
	int fd = fileno(f);
	/* stderr itself (the transcript with --json) against stdout */
	int other_fd = f == stderr ? STDOUT_FILENO : STDERR_FILENO;

	if (fd < 0 || isatty(fd) || fstat(fd, &st) != 0)
		return true;
	return fstat(other_fd, &other) == 0 && st.st_dev == other.st_dev &&
	    st.st_ino == other.st_ino;
}
