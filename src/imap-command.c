/* imap-command: outgoing commands, built so that quoting is never done by
 * hand. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap-command.h"
#include "imap-parser.h"
#include "util-mem.h"

/* RFC 7888 section 5: LITERAL- allows non-synchronising literals of at
 * most 4096 octets. */
#define LITERAL_MINUS_MAX 4096
/* Longer strings go as literals: quoted strings this long are unkind to
 * servers' line limits. */
#define QUOTED_MAX 1024

/* RFC 9051 ATOM-CHAR: any CHAR except atom-specials. */
static bool
is_atom_char(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	return strchr("(){%*\"\\]", c) == NULL;
}

enum imap_string_form
imap_string_form(const char *s, size_t len, bool allow_atom,
    const struct imap_literal_caps *caps)
{
	bool atom = allow_atom && len > 0, quoted = len <= QUOTED_MAX;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			return IMAP_FORM_IMPOSSIBLE;
		if (!is_atom_char(c))
			atom = false;
		if (c == '\r' || c == '\n' || (c >= 0x80 && !caps->utf8))
			quoted = false;
	}
	/* "NIL" as an atom would read back as NIL, not as a string. */
	if (atom && len == 3 && strncasecmp(s, "NIL", 3) == 0)
		atom = false;
	if (atom)
		return IMAP_FORM_ATOM;
	return quoted ? IMAP_FORM_QUOTED : IMAP_FORM_LITERAL;
}

static struct imap_command_chunk *
last_chunk(struct imap_command *cmd)
{
	return &cmd->chunks[cmd->chunk_count - 1];
}

int
imap_command_append_chunk(struct imap_command *cmd, const void *data,
    size_t len, bool wait_continuation)
{
	struct imap_command_chunk *c;

	cmd->chunks = xreallocarray(cmd->chunks, cmd->chunk_count + 1,
	    sizeof(*cmd->chunks));
	c = &cmd->chunks[cmd->chunk_count++];
	/* Any chunk may hold a password before the command is marked
	 * secret: zero every one when its memory is released. */
	buf_init_secret(&c->data, IMAP_COMMAND_MAX_CHUNK);
	c->wait_continuation = wait_continuation;
	return len > 0 ? buf_append(&c->data, data, len) : 0;
}

void
imap_command_set_secret(struct imap_command *cmd)
{
	cmd->secret = true;
}

static struct imap_command *
command_new(const char *tag)
{
	struct imap_command *cmd = xcalloc(1, sizeof(*cmd));

	snprintf(cmd->tag, sizeof(cmd->tag), "%s", tag);
	(void)imap_command_append_chunk(cmd, NULL, 0, false);
	return cmd;
}

int
imap_quote_append(struct buf *out, const char *s, size_t len)
{
	size_t i;

	if (buf_append_byte(out, '"') != 0)
		return -1;
	for (i = 0; i < len; i++) {
		if ((s[i] == '"' || s[i] == '\\') &&
		    buf_append_byte(out, '\\') != 0)
			return -1;
		if (buf_append_byte(out, (unsigned char)s[i]) != 0)
			return -1;
	}
	return buf_append_byte(out, '"');
}

/* A literal header ends the current chunk; a synchronising one makes the
 * rest wait for "+". The literal's bytes start the next chunk. */
static int
append_literal(struct imap_command *cmd, const char *s, size_t len,
    const struct imap_literal_caps *caps)
{
	bool plus = caps->literal_plus ||
	    (caps->literal_minus && len <= LITERAL_MINUS_MAX);

	if (buf_printf(&last_chunk(cmd)->data, "{%zu%s}\r\n", len,
		plus ? "+" : "") != 0)
		return -1;
	if (!plus) {
		last_chunk(cmd)->wait_continuation = true;
		(void)imap_command_append_chunk(cmd, NULL, 0, false);
	}
	return buf_append(&last_chunk(cmd)->data, s, len);
}

static int
append_string(struct imap_command *cmd, const char *s, size_t len,
    bool allow_atom, const struct imap_literal_caps *caps,
    const char **error_r)
{
	switch (imap_string_form(s, len, allow_atom, caps)) {
	case IMAP_FORM_ATOM:
		return buf_append(&last_chunk(cmd)->data, s, len);
	case IMAP_FORM_QUOTED:
		return imap_quote_append(&last_chunk(cmd)->data, s, len);
	case IMAP_FORM_LITERAL:
		return append_literal(cmd, s, len, caps);
	case IMAP_FORM_IMPOSSIBLE:
		break;
	}
	*error_r = "a string with a NUL byte cannot be sent";
	return -1;
}

/* The command name is the first word of the command, or two words for
 * UID commands ("UID FETCH"). */
static void
set_name(struct imap_command *cmd, const char *fmt)
{
	size_t i, words = 1;

	for (i = 0; i < sizeof(cmd->name) - 1 && fmt[i] != '\0' &&
	     fmt[i] != '\r' && fmt[i] != '{';
	     i++) {
		if (fmt[i] == ' ') {
			if (words == 2 || strcmp(cmd->name, "UID") != 0)
				break;
			words++;
		}
		cmd->name[i] = (char)toupper((unsigned char)fmt[i]);
		cmd->name[i + 1] = '\0';
	}
	cmd->name[i] = '\0';
}

static int
append_directive(struct imap_command *cmd, char d, va_list *ap,
    const struct imap_literal_caps *caps, const char **error_r)
{
	struct buf *out = &last_chunk(cmd)->data;
	const char *s;
	size_t len;

	switch (d) {
	case 'a':
		return buf_append_str(out, va_arg(*ap, const char *));
	case 's':
		s = va_arg(*ap, const char *);
		return append_string(cmd, s, strlen(s), true, caps, error_r);
	case 'b':
		s = va_arg(*ap, const char *);
		len = va_arg(*ap, size_t);
		return append_string(cmd, s, len, true, caps, error_r);
	case 'q':
		s = va_arg(*ap, const char *);
		return append_string(cmd, s, strlen(s), false, caps, error_r);
	case 'u':
		return buf_printf(out, "%u", va_arg(*ap, unsigned int));
	case 'U':
		return buf_printf(out, "%" PRIu64, va_arg(*ap, uint64_t));
	case '%':
		return buf_append_byte(out, '%');
	default:
		*error_r = "unknown directive in a command format";
		return -1;
	}
}

struct imap_command *
imap_command_vbuild(const char *tag, const struct imap_literal_caps *caps,
    const char **error_r, const char *fmt, va_list ap)
{
	struct imap_command *cmd = command_new(tag);
	const char *p;
	va_list ap2;

	*error_r = NULL;
	va_copy(ap2, ap);
	buf_printf(&last_chunk(cmd)->data, "%s ", cmd->tag);
	for (p = fmt; *p != '\0'; p++) {
		int rc;

		if (*p != '%')
			rc = buf_append_byte(&last_chunk(cmd)->data,
			    (unsigned char)*p);
		else if (p[1] == '\0') {
			*error_r = "a command format ends in '%'";
			rc = -1;
		} else
			rc = append_directive(cmd, *++p, &ap2, caps, error_r);
		if (rc != 0) {
			if (*error_r == NULL)
				*error_r = "a command is too long";
			va_end(ap2);
			imap_command_free(&cmd);
			return NULL;
		}
	}
	va_end(ap2);
	buf_append_str(&last_chunk(cmd)->data, "\r\n");
	/* Named from what is sent, not from the format ("%a" names nothing). */
	set_name(cmd, cmd->chunks[0].data.data + strlen(cmd->tag) + 1);
	return cmd;
}

struct imap_command *
imap_command_build(const char *tag, const struct imap_literal_caps *caps,
    const char **error_r, const char *fmt, ...)
{
	struct imap_command *cmd;
	va_list ap;

	va_start(ap, fmt);
	cmd = imap_command_vbuild(tag, caps, error_r, fmt, ap);
	va_end(ap);
	return cmd;
}

struct imap_command *
imap_command_from_line(const char *tag, const char *line_after_tag)
{
	struct imap_command *cmd;

	/* A bare CR or LF would end the line early: an injection. A tag
	 * cut to fit cmd->tag would never match its reply. */
	if (strpbrk(line_after_tag, "\r\n") != NULL ||
	    strlen(tag) > IMAP_COMMAND_TAG_MAX)
		return NULL;
	cmd = command_new(tag);

	set_name(cmd, line_after_tag);
	/* a tag alone ("NOOP" sent as typed) gets no space after it */
	buf_printf(&last_chunk(cmd)->data, "%s%s%s\r\n", tag,
	    line_after_tag[0] != '\0' ? " " : "", line_after_tag);
	return cmd;
}

int
imap_command_parse_args(const struct imap_command *cmd,
    struct imap_parser *scratch, const struct imap_arg **args_r,
    size_t *count_r)
{
	const struct imap_arg *args;
	const char *error;
	struct buf all;
	size_t i, count, skip;
	int ret = -1;

	if (cmd->secret)
		return -1;
	buf_init(&all, IMAP_COMMAND_MAX_CHUNK);
	for (i = 0; i < cmd->chunk_count; i++)
		if (buf_append(&all, cmd->chunks[i].data.data,
			cmd->chunks[i].data.len) != 0)
			break;
	/* "tag NAME args\r\n": tokenise without the final CRLF, then skip
	 * the tag and the one or two words of the name. */
	skip = strcmp(cmd->name, "UID") == 0 || strncmp(cmd->name, "UID ", 4) == 0
	    ? 3 : 2;
	if (i == cmd->chunk_count && all.len >= 2 &&
	    imap_parser_parse_args(scratch, all.data, all.len - 2, &args,
		&count, &error) == 0 && count >= skip) {
		*args_r = args + skip;
		*count_r = count - skip;
		ret = 0;
	}
	buf_free(&all);
	return ret;
}

void
imap_command_free(struct imap_command **cmdp)
{
	struct imap_command *cmd = *cmdp;
	size_t i;

	if (cmd == NULL)
		return;
	for (i = 0; i < cmd->chunk_count; i++)
		buf_free(&cmd->chunks[i].data);
	free(cmd->chunks);
	free(cmd);
	*cmdp = NULL;
}
