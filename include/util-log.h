/* util-log: diagnostics on stderr, and fatal() for broken invariants. */
#ifndef IMAPWB_UTIL_LOG_H
#define IMAPWB_UTIL_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Where messages go instead of stderr (the TUI shows them in its console
 * pane while curses owns the terminal); NULL: back to stderr. */
typedef void log_sink_t(void *ctx, enum log_level level, const char *text);
void log_set_sink(log_sink_t *sink, void *ctx);
/* "error", "warning", ...: the word stderr lines carry. */
const char *log_level_name(enum log_level level);

/* Messages are prefixed with "imapwb: " and the level, and never contain
 * secrets: callers pass redacted text only. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether lines written to f must reach it one by one (fflush after each):
 * f is a terminal, or the same file or pipe as stderr, whose unbuffered
 * lines would otherwise overtake f's (for stderr itself: the same as
 * stdout's). Else f may go in large blocks, and is flushed when the loop
 * waits (client_turn). */
bool log_stream_wants_line_flush(FILE *f);

/* A broken invariant: print and abort. Never for bad input. */
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
