/* client-transcript: the wire as "C: " and "S: " lines. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "text-display.h"
#include "imap-command.h"
#include "imap-parser.h"
#include "client-transcript.h"
#include "util-buf.h"
#include "util-clock.h"
#include "util-log.h"
#include "util-mem.h"

struct transcript {
	FILE *out;
	FILE *file;
	const char *prefix; /* for the line being written */
	char origin_prefix[48];
	void (*before)(void *);
	void (*after)(void *);
	void *hook_ctx;
	uint64_t show_literal;
	bool flush_each_line; /* else out goes in blocks (util-log.h) */
	struct buf line;      /* the line being written to out */
	/* the file: its time stamp, formatted once a second, and when its
	 * block last went out */
	time_t stamp_sec;
	char stamp[32];
	uint64_t file_flushed_ms;
};

/* The file's lines go out in stdio's blocks: before imapwb waits (every
 * front end's loop flushes then: client_turn, front-socket, the TUI by
 * transcript_flush()) and at least this often within a long burst, so
 * `tail -f` follows it and a crash loses at most this much. A write(2)
 * per line made the TUI's load of a 100k index with --transcript FILE
 * several times slower. */
#define TRANSCRIPT_FLUSH_MS 100

/* Above any line display_wire_lines makes (64 KiB, escaped). */
#define TRANSCRIPT_LINE_MAX (2u * 1024 * 1024)

struct transcript *
transcript_new(FILE *out, const char *file, const char **error_r)
{
	struct transcript *t = xcalloc(1, sizeof(*t));

	t->out = out;
	t->flush_each_line = out == NULL || log_stream_wants_line_flush(out);
	buf_init(&t->line, TRANSCRIPT_LINE_MAX);
	t->show_literal = TRANSCRIPT_SHOW_LITERAL;
	if (file != NULL && (t->file = fopen(file, "ae")) == NULL) {
		*error_r = "cannot open the transcript file for appending";
		free(t);
		return NULL;
	}
	return t;
}

void
transcript_free(struct transcript **tp)
{
	struct transcript *t = *tp;

	if (t == NULL)
		return;
	if (t->file != NULL && fclose(t->file) != 0)
		log_error("writing the transcript file failed");
	buf_free(&t->line);
	free(t);
	*tp = NULL;
}

void
transcript_set_show_literal(struct transcript *t, uint64_t show_bytes)
{
	t->show_literal = show_bytes;
}

void
transcript_literals(bool client, uint64_t show_bytes, size_t show_lines,
    struct display_literals *literals_r)
{
	literals_r->show_bytes = show_bytes;
	literals_r->show_lines = show_lines;
	literals_r->streamed_above = client ? IMAP_COMMAND_MAX_CHUNK :
	    IMAP_PARSER_DEFAULT_MAX_INLINE_LITERAL;
}

void
transcript_set_line_hooks(struct transcript *t, void (*before)(void *),
    void (*after)(void *), void *ctx)
{
	t->before = before;
	t->after = after;
	t->hook_ctx = ctx;
}

/* The line in one fwrite: on an unbuffered stream (stderr with --json)
 * each stdio call is a write(2). */
static void
write_whole(struct transcript *t, const char *prefix, const char *text,
    size_t len)
{
	buf_reset(&t->line);
	if (buf_append_str(&t->line, prefix) == 0 &&
	    buf_append(&t->line, text, len) == 0 &&
	    buf_append_byte(&t->line, '\n') == 0)
		fwrite(t->line.data, 1, t->line.len, t->out);
	else
		fprintf(t->out, "%s%.*s\n", prefix, (int)len, text);
}

/* "2026-12-06T14:02:11.123 S: * 1 EXISTS": local time to the ms. */
static void
write_file_line(struct transcript *t, const char *prefix, const char *text,
    size_t len)
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	if (tv.tv_sec != t->stamp_sec || t->stamp[0] == '\0') {
		localtime_r(&tv.tv_sec, &tm);
		strftime(t->stamp, sizeof(t->stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		t->stamp_sec = tv.tv_sec;
	}
	fprintf(t->file, "%s.%03ld %s", t->stamp, (long)(tv.tv_usec / 1000),
	    prefix);
	fwrite(text, 1, len, t->file);
	putc('\n', t->file);
	if (clock_now_ms() - t->file_flushed_ms >= TRANSCRIPT_FLUSH_MS)
		transcript_flush(t);
}

void
transcript_flush(struct transcript *t)
{
	if (t == NULL || t->file == NULL)
		return;
	fflush(t->file);
	t->file_flushed_ms = clock_now_ms();
}

static void
write_line(struct transcript *t, const char *prefix, const char *text,
    size_t len)
{
	if (t->out != NULL) {
		if (t->before != NULL)
			t->before(t->hook_ctx);
		/* No format to interpret: a FETCH of 100k messages is 100k
		 * lines. Into a buffered stream the pieces go as they are. */
		if (t->flush_each_line) {
			write_whole(t, prefix, text, len);
			fflush(t->out);
		} else {
			fputs(prefix, t->out);
			fwrite(text, 1, len, t->out);
			putc('\n', t->out);
		}
		if (t->after != NULL)
			t->after(t->hook_ctx);
	}
	if (t->file != NULL)
		write_file_line(t, prefix, text, len);
}

static void
wire_line(void *ctx, const char *text, size_t len)
{
	struct transcript *t = ctx;

	write_line(t, t->prefix, text, len);
}

static void
wire_lines(struct transcript *t, bool client, const char *text, size_t len)
{
	struct display_literals literals;

	/* a transcript that writes nowhere (a job without -v or a file)
	 * cuts and escapes nothing: 100k FETCH lines for nobody */
	if (t->out == NULL && t->file == NULL)
		return;
	transcript_literals(client, t->show_literal, 0, &literals);
	display_wire_lines(text, len, &literals, wire_line, t);
}

void
transcript_wire(struct transcript *t, bool client, const char *text,
    size_t len)
{
	t->prefix = client ? "C: " : "S: ";
	wire_lines(t, client, text, len);
}

void
transcript_wire_from(struct transcript *t, const char *origin, bool client,
    const char *text, size_t len)
{
	if (origin == NULL) {
		transcript_wire(t, client, text, len);
		return;
	}
	snprintf(t->origin_prefix, sizeof(t->origin_prefix), "%c [%s]: ",
	    client ? 'C' : 'S', origin);
	t->prefix = t->origin_prefix;
	wire_lines(t, client, text, len);
}

/* Notes are imapwb's words, but may quote the server (a NO's text, a
 * mailbox name): escaped like the wire. */
static void
own_line(struct transcript *t, const char *prefix, const char *text)
{
	struct buf esc;

	buf_init(&esc, 1 << 20);
	if (display_escape(&esc, text, strlen(text)) != 0) {
		buf_reset(&esc);
		buf_append_str(&esc, "(a note too long to show)");
	}
	write_line(t, prefix, esc.data != NULL ? esc.data : "", esc.len);
	buf_free(&esc);
}

void
transcript_note(struct transcript *t, const char *text)
{
	own_line(t, "* ", text);
}

void
transcript_explain(struct transcript *t, const char *text)
{
	own_line(t, "# ", text);
}
