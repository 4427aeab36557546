/* client-cli-options: the command line, described by one table. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth-oauth.h"
#include "client-cli-options.h"
#include "client-config-file.h"
#include "client-known-hosts.h"
#include "client-transcript.h"
#include "client-url.h"
#include "conn-tls.h"
#include "decode-search.h"
#include "job-save.h"

struct cli_option_entry {
	int letter; /* short option, or a value above 255 for long-only */
	const char *name;
	int has_arg;
	const char *arg_name;
	const char *help;
};

/* Long-only options. */
enum {
	OPT_PLAINTEXT = 256,
	OPT_CAFILE,
	OPT_CAPATH,
	OPT_PIN,
	OPT_INSECURE,
	OPT_CONNECT_TIMEOUT,
	OPT_TIMEOUT,
	OPT_PASSWORD_FILE,
	OPT_PASSWORD_CMD,
	OPT_PLAIN,
	OPT_TRANSCRIPT,
	OPT_SHOW_LITERAL,
	OPT_JSON,
	OPT_LARGEST,
	OPT_MIN_SIZE,
	OPT_MAILBOX,
	OPT_DELETE,
	OPT_UIDVALIDITY,
	OPT_UIDS,
	OPT_MOVE_TO,
	OPT_MOVE_TO_TRASH,
	OPT_DRY_RUN,
	OPT_YES,
	OPT_SAVE,
	OPT_UID,
	OPT_PART,
	OPT_DECODE,
	OPT_OUTPUT,
	OPT_MAX_RESPONSE,
	OPT_MAX_LINE,
	OPT_MAX_DEPTH,
	OPT_MAX_ITEMS,
	OPT_MAX_LITERALS,
	OPT_MAX_LITERAL,
	OPT_MAX_MESSAGES,
	OPT_EXPLAIN,
	OPT_TOUR,
	OPT_TAGS,
	OPT_TOKEN_CMD,
	OPT_TOFU,
	OPT_TIMING, /* --timing, -z's long form */
	OPT_CONFIG,
	OPT_NO_MOUSE,
};

/* The table that drives getopt and --help. Letters follow Cyrus imtest
 * where they overlap, so `imtest -s -a admin -u alice host` works the
 * same with imapwb. */
static const struct cli_option_entry option_table[] = {
	{ 'p', "port", required_argument, "PORT",
	    "port (default 143, or 993 with -s)" },
	{ 's', "tls", no_argument, NULL,
	    "implicit TLS (IMAPS) instead of STARTTLS" },
	{ OPT_PLAINTEXT, "plaintext", no_argument, NULL,
	    "no TLS at all (STARTTLS is otherwise required)" },
	{ OPT_CAFILE, "cafile", required_argument, "FILE",
	    "trust the CA certificates in FILE (PEM)" },
	{ OPT_CAPATH, "capath", required_argument, "DIR",
	    "trust the hashed CA certificates in DIR" },
	{ OPT_PIN, "pin", required_argument, "sha256/BASE64",
	    "require this server public key (SPKI SHA-256)" },
	{ OPT_INSECURE, "insecure", no_argument, NULL,
	    "do not verify the server certificate (dangerous)" },
	{ OPT_TOFU, "tofu", no_argument, NULL,
	    "trust on first use: remember the server's key in known_hosts, "
	    "refuse a changed one" },
	{ 't', "tls-cert", required_argument, "FILE",
	    "client certificate and key (PEM); \"\" for none" },
	{ 'H', "proxy", required_argument, "1|2",
	    "send a HAProxy PROXY protocol header, version 1 or 2" },
	{ OPT_CONNECT_TIMEOUT, "connect-timeout", required_argument, "SECS",
	    "give up connecting after SECS seconds (default 15)" },
	{ OPT_TIMEOUT, "timeout", required_argument, "SECS",
	    "give up when the server owes a reply and sends nothing for "
	    "SECS seconds (default 120, 0: never)" },
	{ 'm', "mech", required_argument, "MECH",
	    "SASL mechanism, or \"login\" for the LOGIN command" },
	{ 'a', "authname", required_argument, "USER",
	    "authentication name (default: your login name)" },
	{ 'u', "authzid", required_argument, "USER",
	    "authorization name: act as USER (proxy authorization)" },
	{ 'r', "realm", required_argument, "REALM", "SASL realm" },
	{ 'k', "min-ssf", required_argument, "N",
	    "minimum SASL security strength factor" },
	{ 'l', "max-ssf", required_argument, "N",
	    "maximum SASL security strength factor (0: no layer)" },
	{ 'i', "no-initial-response", no_argument, NULL,
	    "do not send a SASL initial response (no SASL-IR)" },
	{ 'o', "sasl-option", required_argument, "NAME=VALUE",
	    "pass an option to the SASL library (repeatable)" },
	{ 'w', "password", required_argument, "PASS",
	    "the password (visible to other users: avoid)" },
	{ OPT_PASSWORD_FILE, "password-file", required_argument, "FILE",
	    "read the password from the first line of FILE" },
	{ OPT_PASSWORD_CMD, "password-cmd", required_argument, "CMD",
	    "run CMD and read the password from its output" },
	{ OPT_TOKEN_CMD, "token-cmd", required_argument, "CMD",
	    "run CMD for an OAuth token (OAUTHBEARER, XOAUTH2), once per "
	    "connection" },
	{ 'q', "compress", no_argument, NULL,
	    "COMPRESS=DEFLATE after authentication" },
	{ OPT_PLAIN, "plain", no_argument, NULL,
	    "a plain line console (like imtest)" },
	{ 'f', "file", required_argument, "FILE",
	    "batch: send each command in FILE, wait for each reply" },
	{ OPT_TRANSCRIPT, "transcript", required_argument, "FILE",
	    "append the redacted, timestamped transcript to FILE" },
	{ OPT_SHOW_LITERAL, "show-literal", required_argument, "SIZE",
	    "show SIZE bytes of each literal (default 64K, 0: none)" },
	{ OPT_JSON, "json", no_argument, NULL,
	    "JSON events on stdout (doc/json-events.md), transcript on stderr" },
	{ OPT_EXPLAIN, "explain", no_argument, NULL,
	    "with --plain or -f: explain every command and response in "
	    "\"# \" lines naming its RFC section" },
	{ OPT_TOUR, "tour", no_argument, NULL,
	    "a guided tour of IMAP in the full screen: each step explained "
	    "and its command pre-typed" },
	{ OPT_NO_MOUSE, "no-mouse", no_argument, NULL,
	    "the full screen takes no mouse clicks: the terminal's own "
	    "selection works" },
	{ OPT_TAGS, "tags", required_argument, "auto|manual",
	    "auto: a line that starts with a command gets a tag (a001, ...);"
	    " manual: every line is sent as typed, its first word the tag" },
	{ OPT_LARGEST, "largest", required_argument, "N",
	    "job: list the N largest messages (all mailboxes, or --mailbox)" },
	{ OPT_MIN_SIZE, "min-size", required_argument, "SIZE",
	    "with --largest: only messages of SIZE or more (10M, 500K, bytes)" },
	{ OPT_MAILBOX, "mailbox", required_argument, "NAME",
	    "the mailbox of a job (UTF-8; repeatable for --largest)" },
	{ OPT_DELETE, "delete", no_argument, NULL,
	    "job: delete exactly --uids from --mailbox (safe: UID EXPUNGE)" },
	{ OPT_UIDVALIDITY, "uidvalidity", required_argument, "V",
	    "the UIDVALIDITY the UIDs belong to; refuse (exit 6) if changed" },
	{ OPT_UIDS, "uids", required_argument, "SET",
	    "with --delete: the UIDs, e.g. 7 or 3:5,9" },
	{ OPT_MOVE_TO, "move-to", required_argument, "NAME",
	    "with --delete: UID MOVE to NAME instead of expunging" },
	{ OPT_MOVE_TO_TRASH, "move-to-trash", no_argument, NULL,
	    "with --delete: UID MOVE to the \\Trash mailbox (SPECIAL-USE)" },
	{ OPT_DRY_RUN, "dry-run", no_argument, NULL,
	    "with --delete: check, and show what would be sent; change nothing" },
	{ OPT_YES, "yes", no_argument, NULL,
	    "never ask: --delete, and a typed EXPUNGE or CLOSE (it warns)" },
	{ OPT_SAVE, "save", no_argument, NULL,
	    "job: save message --uid (or its --part) to -o FILE" },
	{ OPT_UID, "uid", required_argument, "N", "with --save: the UID" },
	{ OPT_PART, "part", required_argument, "SECTION",
	    "with --save: the part, e.g. 2 or 1.3 (BODY[SECTION])" },
	{ OPT_DECODE, "decode", no_argument, NULL,
	    "with --save --part: undo base64 or quoted-printable" },
	{ OPT_OUTPUT, "output", required_argument, "FILE",
	    "with --save: the file to write (also -o FILE with --save)" },
	{ OPT_MAX_LINE, "max-line", required_argument, "SIZE",
	    "refuse a server line longer than SIZE (default 2M)" },
	{ OPT_MAX_RESPONSE, "max-response", required_argument, "SIZE",
	    "refuse a response that keeps more than SIZE (default 8M)" },
	{ OPT_MAX_DEPTH, "max-depth", required_argument, "N",
	    "refuse lists nested deeper than N (default 100)" },
	{ OPT_MAX_ITEMS, "max-items", required_argument, "N",
	    "refuse a response of more than N items (default 262144)" },
	{ OPT_MAX_LITERALS, "max-literals", required_argument, "N",
	    "refuse a response of more than N literals (default 10000)" },
	{ OPT_MAX_LITERAL, "max-literal", required_argument, "SIZE",
	    "refuse a literal larger than SIZE (default 1T)" },
	{ OPT_MAX_MESSAGES, "max-messages", required_argument, "N",
	    "index at most N messages of a mailbox (default 500000)" },
	/* imtest's modes, each in place of the console */
	{ 'z', "timing", optional_argument, "[N]",
	    "timing test: N rounds (default 10) of connect, TLS, login, a "
	    "command (NOOP, or -f's first line), LOGOUT; a table per phase" },
	{ 'n', "reauth", required_argument, "N",
	    "authenticate N times on fresh connections, resuming the TLS "
	    "session, and say whether each was resumed" },
	{ 'c', "challenge-prompts", no_argument, NULL,
	    "let SASL mechanisms ask on the terminal (e.g. OTP)" },
	{ 'x', "socket", required_argument, "FILE",
	    "after login, serve the session on the unix socket FILE" },
	{ 'X', "daemon-socket", required_argument, "FILE",
	    "as -x, in the background (daemonized)" },
	{ 'I', "pid-file", required_argument, "FILE",
	    "write the process id to FILE (removed at exit)" },
	{ OPT_CONFIG, "config", required_argument, "FILE",
	    "the file of the @NAME accounts (default "
	    "$XDG_CONFIG_HOME/imapwb/config)" },
	{ 'v', "verbose", no_argument, NULL,
	    "more diagnostics on stderr (repeat for more)" },
	{ 'h', "help", no_argument, NULL, "show this help and exit" },
	{ 'V', "version", no_argument, NULL, "show the version and exit" },
};

#define OPTION_COUNT (sizeof(option_table) / sizeof(option_table[0]))

static void
build_getopt_tables(char *shortopts, size_t shortopts_size,
    struct option *longopts)
{
	size_t i, n = 0;

	/* '+' stops at the first operand; ':' reports missing arguments. */
	shortopts[n++] = '+';
	shortopts[n++] = ':';
	for (i = 0; i < OPTION_COUNT; i++) {
		const struct cli_option_entry *e = &option_table[i];

		longopts[i] = (struct option){ e->name, e->has_arg, NULL,
			e->letter };
		if (e->letter > 255 || n + 3 >= shortopts_size)
			continue;
		shortopts[n++] = (char)e->letter;
		if (e->has_arg != no_argument)
			shortopts[n++] = ':';
		if (e->has_arg == optional_argument)
			shortopts[n++] = ':';
	}
	shortopts[n] = '\0';
	longopts[OPTION_COUNT] = (struct option){ NULL, 0, NULL, 0 };
}

static char usage_error[256];

/* Say what was wrong with the option getopt_long() just rejected. */
static const char *
describe_bad_option(int c, char **argv)
{
	const char *arg = argv[optind - 1];
	size_t name_len;

	if (strncmp(arg, "--", 2) == 0) {
		name_len = strcspn(arg, "=");
		if (c == ':')
			snprintf(usage_error, sizeof(usage_error),
			    "option %.*s needs an argument", (int)name_len, arg);
		else if (optopt != 0 && arg[name_len] == '=')
			snprintf(usage_error, sizeof(usage_error),
			    "option %.*s takes no argument", (int)name_len, arg);
		else
			snprintf(usage_error, sizeof(usage_error),
			    "unknown option %.*s", (int)name_len, arg);
	} else if (c == ':')
		snprintf(usage_error, sizeof(usage_error),
		    "option -%c needs an argument", optopt);
	else if (optopt > 32 && optopt < 127)
		snprintf(usage_error, sizeof(usage_error),
		    "unknown option -%c", optopt);
	else
		snprintf(usage_error, sizeof(usage_error),
		    "unknown option");
	return usage_error;
}

/* A decimal number in [min, max], with nothing else around it. */
static int
parse_uint(const char *text, unsigned min, unsigned max, unsigned *value_r)
{
	unsigned long v;
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*value_r = (unsigned)v;
	return 0;
}

static int
bad_value(const char *option, const char *value, const char *want,
    const char **error_r)
{
	snprintf(usage_error, sizeof(usage_error),
	    "option %s: '%s' is not %s", option, value, want);
	*error_r = usage_error;
	return -1;
}

/* The job options, as bits of cli_options.job_options. */
enum {
	JOPT_MAILBOX = 1u << 0,
	JOPT_MIN_SIZE = 1u << 1,
	JOPT_UIDVALIDITY = 1u << 2,
	JOPT_UIDS = 1u << 3,
	JOPT_UID = 1u << 4,
	JOPT_PART = 1u << 5,
	JOPT_DECODE = 1u << 6,
	JOPT_OUTPUT = 1u << 7,
	JOPT_MOVE_TO = 1u << 8,
	JOPT_MOVE_TO_TRASH = 1u << 9,
	JOPT_DRY_RUN = 1u << 10,
	JOPT_YES = 1u << 11,
	JOPT_JSON = 1u << 12,
};

static const char *const job_option_names[] = {
	"--mailbox", "--min-size", "--uidvalidity", "--uids", "--uid",
	"--part", "--decode", "-o/--output", "--move-to", "--move-to-trash",
	"--dry-run", "--yes", "--json",
};

/* What each job allows and needs. */
static const struct {
	enum cli_job job;
	const char *name;
	unsigned allowed;
	unsigned required;
} job_table[] = {
	{ CLI_JOB_NONE, NULL, JOPT_JSON | JOPT_YES, 0 },
	{ CLI_JOB_LARGEST, "--largest", JOPT_MAILBOX | JOPT_MIN_SIZE |
	    JOPT_JSON, 0 },
	{ CLI_JOB_DELETE, "--delete", JOPT_MAILBOX | JOPT_UIDVALIDITY |
	    JOPT_UIDS | JOPT_MOVE_TO | JOPT_MOVE_TO_TRASH | JOPT_DRY_RUN |
	    JOPT_YES, JOPT_MAILBOX | JOPT_UIDVALIDITY | JOPT_UIDS },
	{ CLI_JOB_SAVE, "--save", JOPT_MAILBOX | JOPT_UIDVALIDITY | JOPT_UID |
	    JOPT_PART | JOPT_DECODE | JOPT_OUTPUT, JOPT_MAILBOX |
	    JOPT_UIDVALIDITY | JOPT_UID | JOPT_OUTPUT },
};

/* The parser's limits (imap-parser.h), each with its option. The bounds
 * only stop nonsense: the depth limit costs memory up front. */
static const struct {
	int opt;
	const char *name;
	const char *want;
	bool size;   /* "10M", "500K" or bytes; otherwise a count */
	uint64_t min, max;
	size_t offset; /* of the field in struct imap_parser_limits */
	bool wide;     /* that field is a uint64_t, not a size_t */
} limit_table[] = {
	{ OPT_MAX_RESPONSE, "--max-response", "a size (1K to 1G)", true,
	    1024, 1u << 30, offsetof(struct imap_parser_limits, max_response),
	    false },
	{ OPT_MAX_LINE, "--max-line", "a size (1K to 1G)", true, 1024,
	    1u << 30, offsetof(struct imap_parser_limits, max_line), false },
	{ OPT_MAX_DEPTH, "--max-depth", "a depth (1-10000)", false, 1, 10000,
	    offsetof(struct imap_parser_limits, max_depth), false },
	{ OPT_MAX_ITEMS, "--max-items", "a count (1-67108864)", false, 1,
	    1u << 26, offsetof(struct imap_parser_limits, max_items), false },
	{ OPT_MAX_LITERALS, "--max-literals", "a count (1-1048576)", false,
	    1, 1u << 20, offsetof(struct imap_parser_limits, max_literals),
	    false },
	{ OPT_MAX_LITERAL, "--max-literal", "a size (1 byte to 4096T)", true,
	    1, (uint64_t)1 << 52,
	    offsetof(struct imap_parser_limits, max_literal), true },
};

#define LIMIT_COUNT (sizeof(limit_table) / sizeof(limit_table[0]))

/* Apply a limit option; 1 if c is none of them. */
static int
apply_limit_option(struct cli_options *o, int c, const char *arg,
    const char **error_r)
{
	char *field;
	uint64_t v = 0;
	size_t i, n;
	unsigned u;

	for (i = 0; i < LIMIT_COUNT && limit_table[i].opt != c; i++)
		;
	if (i == LIMIT_COUNT)
		return 1;
	if (limit_table[i].size ? cli_parse_size(arg, &v) != 0 :
	    parse_uint(arg, 1, UINT32_MAX, &u) != 0)
		v = 0; /* below every minimum */
	else if (!limit_table[i].size)
		v = u;
	if (v < limit_table[i].min || v > limit_table[i].max)
		return bad_value(limit_table[i].name, arg, limit_table[i].want,
		    error_r);
	field = (char *)&o->limits + limit_table[i].offset;
	n = (size_t)v;
	if (limit_table[i].wide)
		memcpy(field, &v, sizeof(v));
	else
		memcpy(field, &n, sizeof(n));
	return 0;
}

int
cli_parse_size(const char *text, uint64_t *size_r)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	default: return -1;
	}
	if (*end != '\0' || (shift > 0 && v > (UINT64_MAX >> shift)))
		return -1;
	*size_r = (uint64_t)v << shift;
	return 0;
}

static int
set_job(struct cli_options *o, enum cli_job job, const char **error_r)
{
	if (o->job != CLI_JOB_NONE && o->job != job) {
		*error_r = "choose one of --largest, --delete and --save";
		return -1;
	}
	o->job = job;
	return 0;
}

/* Apply a job's option; -1 if c is none of them. */
static int
apply_job_option(struct cli_options *o, int c, const char *arg,
    const char **error_r)
{
	struct seqset set;
	const char *err;
	unsigned n;

	switch (c) {
	case OPT_LARGEST:
		if (parse_uint(arg, 1, 100000, &n) != 0)
			return bad_value("--largest", arg, "a count (1-100000)",
			    error_r);
		o->largest_count = n;
		return set_job(o, CLI_JOB_LARGEST, error_r);
	case OPT_DELETE: return set_job(o, CLI_JOB_DELETE, error_r);
	case OPT_SAVE: return set_job(o, CLI_JOB_SAVE, error_r);
	case OPT_MIN_SIZE:
		if (cli_parse_size(arg, &o->min_size) != 0)
			return bad_value("--min-size", arg,
			    "a size (10M, 500K, 2G or bytes)", error_r);
		o->job_options |= JOPT_MIN_SIZE;
		return 0;
	case OPT_MAILBOX:
		if (o->mailbox_count == CLI_MAX_MAILBOXES) {
			*error_r = "too many --mailbox options";
			return -1;
		}
		o->mailboxes[o->mailbox_count++] = arg;
		o->job_options |= JOPT_MAILBOX;
		return 0;
	case OPT_UIDVALIDITY:
		if (parse_uint(arg, 1, UINT32_MAX, &n) != 0)
			return bad_value("--uidvalidity", arg,
			    "a UIDVALIDITY (1-4294967295)", error_r);
		o->uidvalidity = n;
		o->job_options |= JOPT_UIDVALIDITY;
		return 0;
	case OPT_UIDS:
		if (!seqset_parse(arg, 0, &set, &err))
			return bad_value("--uids", arg,
			    "a UID set such as 7 or 3:5,9", error_r);
		seqset_free(&set);
		o->uids = arg;
		o->job_options |= JOPT_UIDS;
		return 0;
	case OPT_UID:
		if (parse_uint(arg, 1, UINT32_MAX, &n) != 0)
			return bad_value("--uid", arg, "a UID (1-4294967295)",
			    error_r);
		o->uid = n;
		o->job_options |= JOPT_UID;
		return 0;
	case OPT_PART:
		if (!job_save_part_valid(arg))
			return bad_value("--part", arg,
			    "a part number such as 2 or 1.3", error_r);
		o->part = arg;
		o->job_options |= JOPT_PART;
		return 0;
	case OPT_DECODE: o->decode = true; o->job_options |= JOPT_DECODE; return 0;
	case OPT_OUTPUT:
		if (o->output != NULL) {
			*error_r = "give the output file once";
			return -1;
		}
		o->output = arg;
		o->job_options |= JOPT_OUTPUT;
		return 0;
	case OPT_MOVE_TO: o->move_to = arg; o->job_options |= JOPT_MOVE_TO; return 0;
	case OPT_MOVE_TO_TRASH:
		o->move_to_trash = true;
		o->job_options |= JOPT_MOVE_TO_TRASH;
		return 0;
	case OPT_DRY_RUN: o->dry_run = true; o->job_options |= JOPT_DRY_RUN; return 0;
	case OPT_YES: o->yes = true; o->job_options |= JOPT_YES; return 0;
	default:
		return -1;
	}
}

/* -o is imtest's SASL option (NAME=VALUE); with --save, a value without
 * '=' is the output file, which no SASL option can be. Which one it is is
 * known once every option is read. */
static int
apply_o(struct cli_options *o, const char *arg, const char **o_file_r,
    const char **error_r)
{
	unsigned i;

	if (strchr(arg, '=') == NULL) {
		if (*o_file_r != NULL) {
			*error_r = "give the output file once";
			return -1;
		}
		*o_file_r = arg;
		return 0;
	}
	for (i = 0; o->sasl_options[i] != NULL; i++)
		;
	if (i == CLI_MAX_SASL_OPTIONS) {
		*error_r = "too many -o options";
		return -1;
	}
	o->sasl_options[i] = arg;
	return 0;
}

/* Apply one option with its argument (NULL for flags). */
static int
apply_option(struct cli_options *o, int c, const char *arg,
    const char **error_r)
{
	unsigned n;
	int rc;

	switch (c) {
	case 'p':
		if (parse_uint(arg, 1, 65535, &n) != 0)
			return bad_value("-p", arg, "a port (1-65535)", error_r);
		o->port = arg;
		break;
	case 's': o->tls = CLIENT_TLS_IMPLICIT; break;
	case OPT_PLAINTEXT: o->tls = CLIENT_TLS_NONE; break;
	case OPT_CAFILE: o->cafile = arg; break;
	case OPT_CAPATH: o->capath = arg; break;
	case OPT_PIN:
		if (!conn_tls_pin_well_formed(arg))
			return bad_value("--pin", arg, "sha256/ and the 44 "
			    "base64 characters of a SHA-256", error_r);
		o->pin = arg;
		break;
	case OPT_INSECURE: o->insecure = true; break;
	case 't': o->client_cert = arg[0] != '\0' ? arg : NULL; break;
	case 'H':
		if (parse_uint(arg, 1, 2, &n) != 0)
			return bad_value("-H", arg, "1 or 2", error_r);
		o->proxy_version = n;
		break;
	case OPT_CONNECT_TIMEOUT:
		if (parse_uint(arg, 1, 3600, &n) != 0)
			return bad_value("--connect-timeout", arg,
			    "a number of seconds (1-3600)", error_r);
		o->connect_timeout_ms = n * 1000;
		break;
	case OPT_TIMEOUT:
		if (parse_uint(arg, 0, 86400, &n) != 0)
			return bad_value("--timeout", arg,
			    "a number of seconds (0-86400; 0: never)", error_r);
		o->timeout_ms = n * 1000;
		break;
	case 'm': o->mech = arg; break;
	case 'a': o->authname = arg; break;
	case 'u': o->authzid = arg; break;
	case 'r': o->realm = arg; break;
	case 'k':
	case 'l':
		if (parse_uint(arg, 0, 65535, &n) != 0)
			return bad_value(c == 'k' ? "-k" : "-l", arg,
			    "a security strength factor (0-65535)", error_r);
		*(c == 'k' ? &o->min_ssf : &o->max_ssf) = n;
		if (c == 'l')
			o->max_ssf_set = true;
		break;
	case 'i': o->no_initial_response = true; break;
	case 'w': o->password = arg; break;
	case OPT_PASSWORD_FILE: o->password_file = arg; break;
	case OPT_PASSWORD_CMD: o->password_cmd = arg; break;
	case OPT_TOKEN_CMD: o->token_cmd = arg; break;
	case 'q': o->compress = true; break;
	case OPT_PLAIN: o->plain_console = true; break;
	case 'f': o->batch_file = arg; break;
	case OPT_TRANSCRIPT: o->transcript_file = arg; break;
	case OPT_SHOW_LITERAL:
		if (cli_parse_size(arg, &o->show_literal) != 0 ||
		    o->show_literal > CLI_MAX_SHOW_LITERAL)
			return bad_value("--show-literal", arg,
			    "a size (64K, 1M, 0 or bytes; at most 1G)", error_r);
		break;
	case OPT_JSON: o->json = true; o->job_options |= JOPT_JSON; break;
	case OPT_EXPLAIN: o->explain = true; break;
	case OPT_TOUR: o->tour = true; break;
	case OPT_NO_MOUSE: o->no_mouse = true; break;
	case OPT_TAGS:
		if (strcmp(arg, "auto") != 0 && strcmp(arg, "manual") != 0)
			return bad_value("--tags", arg, "auto or manual",
			    error_r);
		o->manual_tags = strcmp(arg, "manual") == 0;
		break;
	case OPT_MAX_MESSAGES:
		if (parse_uint(arg, 1, 10000000, &n) != 0)
			return bad_value("--max-messages", arg,
			    "a count (1-10000000)", error_r);
		o->max_messages = n;
		break;
	case OPT_TOFU: o->tofu = true; break; /* part "trust" */
	case 'n':
		if (parse_uint(arg, 1, CLI_MAX_ROUNDS, &n) != 0)
			return bad_value("-n", arg, "a count (1-100000)",
			    error_r);
		o->reauth_count = n;
		break;
	case 'c': o->challenge_prompts = true; break;
	case 'x':
	case 'X':
		if (o->socket_path != NULL) {
			*error_r = "give one of -x and -X, once";
			return -1;
		}
		o->socket_path = arg;
		o->socket_daemon = c == 'X';
		break;
	case 'I': o->pid_file = arg; break;
	case 'v': o->verbose++; break;
	case OPT_CONFIG: o->config_file = arg; break;
	case 'h': o->action = CLI_ACTION_HELP; break;
	case 'V': o->action = CLI_ACTION_VERSION; break;
	default:
		rc = apply_limit_option(o, c, arg, error_r);
		return rc <= 0 ? rc : apply_job_option(o, c, arg, error_r);
	}
	return 0;
}

/* The job options given fit the job (or the console, without one). */
static int
check_job(struct cli_options *o, const char *o_file, const char **error_r)
{
	unsigned i, bit, extra, missing;
	const char *name = NULL;

	if (o_file != NULL) {
		if (o->job != CLI_JOB_SAVE)
			return bad_value("-o", o_file, "NAME=VALUE", error_r);
		if (o->output != NULL) {
			*error_r = "give the output file once";
			return -1;
		}
		o->output = o_file;
		o->job_options |= JOPT_OUTPUT;
	}
	for (i = 0; i < sizeof(job_table) / sizeof(job_table[0]); i++) {
		if (job_table[i].job != o->job)
			continue;
		name = job_table[i].name;
		extra = o->job_options & ~job_table[i].allowed;
		missing = job_table[i].required & ~o->job_options;
		for (bit = 0; bit < 13; bit++) {
			if (extra & (1u << bit)) {
				snprintf(usage_error, sizeof(usage_error),
				    name == NULL ? "%s needs --largest, --delete "
				    "or --save" : "%s does not go with %s",
				    job_option_names[bit], name);
				*error_r = usage_error;
				return -1;
			}
			if (missing & (1u << bit)) {
				snprintf(usage_error, sizeof(usage_error),
				    "%s needs %s", name, job_option_names[bit]);
				*error_r = usage_error;
				return -1;
			}
		}
	}
	if (o->job == CLI_JOB_NONE)
		return 0;
	if (o->batch_file != NULL || o->plain_console)
		*error_r = "a job runs without the console: drop -f and --plain";
	else if (o->job != CLI_JOB_LARGEST && o->mailbox_count != 1)
		*error_r = "give exactly one --mailbox";
	else if (o->move_to != NULL && o->move_to_trash)
		*error_r = "give --move-to or --move-to-trash, not both";
	else if (o->decode && o->part == NULL)
		*error_r = "--decode needs --part";
	else
		return 0;
	return -1;
}

/* Every file the options name is read later, some only after connecting
 * and logging in: a typo must stop us before, with exit 2. */
static int
check_input_files(const struct cli_options *o, const char **error_r)
{
	static const struct {
		const char *option;
		size_t offset;
		bool folder;
	} files[] = {
		{ "-f", offsetof(struct cli_options, batch_file), false },
		{ "--password-file", offsetof(struct cli_options, password_file),
		    false },
		{ "--cafile", offsetof(struct cli_options, cafile), false },
		{ "--capath", offsetof(struct cli_options, capath), true },
		{ "-t", offsetof(struct cli_options, client_cert), false },
	};
	struct stat st;
	const char *path;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path = *(const char *const *)(const void *)((const char *)o +
		    files[i].offset);
		if (path == NULL)
			continue;
		if (stat(path, &st) != 0 || access(path, R_OK) != 0) {
			snprintf(usage_error, sizeof(usage_error),
			    "%s %s: %s", files[i].option, path,
			    strerror(errno));
			*error_r = usage_error;
			return -1;
		}
		if (S_ISDIR(st.st_mode) != files[i].folder) {
			snprintf(usage_error, sizeof(usage_error),
			    "%s %s: %s", files[i].option, path,
			    files[i].folder ? "not a folder" : "a folder");
			*error_r = usage_error;
			return -1;
		}
	}
	return 0;
}

/* --token-cmd goes with OAUTHBEARER and XOAUTH2 only, and they with it. */
static int
check_token(const struct cli_options *o, int password_sources,
    const char **error_r)
{
	bool oauth_mech = o->mech != NULL && auth_oauth_find(o->mech) != NULL;

	if (o->token_cmd != NULL && password_sources > 0)
		*error_r = "--token-cmd replaces the password: drop -w, "
			   "--password-file and --password-cmd";
	else if (o->token_cmd != NULL && o->mech != NULL && !oauth_mech)
		*error_r = "--token-cmd works with -m OAUTHBEARER or -m "
			   "XOAUTH2 (or no -m)";
	else if (oauth_mech && o->token_cmd == NULL)
		*error_r = "-m OAUTHBEARER and -m XOAUTH2 need --token-cmd CMD";
	else
		return 0;
	return -1;
}

/* --tofu's key store is read after the handshake; a corrupt or unsafe
 * one is the user's file to mend, so say so before connecting (exit 2),
 * as for every other file. */
static int
check_known_hosts(const struct cli_options *o, const char **error_r)
{
	const char *err = NULL;
	char *path, *pin = NULL;
	unsigned line;
	int rc;

	if (!o->tofu)
		return 0;
	if ((path = known_hosts_default_path(&err)) == NULL) {
		snprintf(usage_error, sizeof(usage_error), "--tofu: %s", err);
		*error_r = usage_error;
		return -1;
	}
	/* no server is named "": this reads and checks the whole file */
	rc = known_hosts_lookup(path, "", &pin, &line, &err);
	free(pin);
	free(path);
	if (rc >= 0)
		return 0;
	snprintf(usage_error, sizeof(usage_error), "--tofu: %s", err);
	*error_r = usage_error;
	return -1;
}

/* Options that make no sense together. */
static int
check_combinations(const struct cli_options *o, const char **error_r)
{
	int sources = (o->password != NULL) + (o->password_file != NULL) +
	    (o->password_cmd != NULL);

	if (sources > 1)
		*error_r = "give only one of -w, --password-file and "
			   "--password-cmd";
	else if (check_token(o, sources, error_r) != 0)
		return -1;
	else if (o->tls == CLIENT_TLS_NONE && (o->cafile || o->capath ||
		     o->pin || o->insecure || o->client_cert || o->tofu))
		*error_r = "--plaintext cannot be combined with TLS options";
	else if (o->tofu && (o->insecure || o->pin != NULL))
		*error_r = "--tofu decides by the key it remembers: drop "
			   "--insecure and --pin";
	else if (o->explain && !o->plain_console && o->batch_file == NULL)
		*error_r = "--explain works with --plain or -f";
	else if (o->max_ssf_set && o->min_ssf > o->max_ssf)
		*error_r = "-k (minimum SSF) is larger than -l (maximum SSF)";
	else
		return 0;
	return -1;
}

/* -z [N] and --timing [N]: the count may be attached (-z20,
 * --timing=20) or the next word (-z 20), but only when a HOST still
 * follows it: `imapwb -z 20` leaves 20 the host, as imtest would. */
static int
apply_timing(struct cli_options *o, int argc, char **argv,
    const char **error_r)
{
	const char *arg = optarg;
	unsigned n;

	if (arg == NULL && optind + 1 < argc && argv[optind][0] >= '0' &&
	    argv[optind][0] <= '9' &&
	    strspn(argv[optind], "0123456789") == strlen(argv[optind]))
		arg = argv[optind++];
	if (arg == NULL) {
		o->timing_rounds = CLI_DEFAULT_TIMING_ROUNDS;
		return 0;
	}
	if (parse_uint(arg, 1, CLI_MAX_ROUNDS, &n) != 0)
		return bad_value("-z", arg, "a number of rounds (1-100000)",
		    error_r);
	o->timing_rounds = n;
	return 0;
}

/* imtest's modes each replace the console: one at a time. */
static int
check_imtest_modes(const struct cli_options *o, const char **error_r)
{
	bool rounds = o->timing_rounds > 0 || o->reauth_count > 0;

	if (o->timing_rounds > 0 && o->reauth_count > 0)
		*error_r = "choose -z (timing) or -n (reauthentication)";
	else if ((rounds || o->socket_path != NULL) &&
	    (o->job != CLI_JOB_NONE || o->tour || o->plain_console))
		*error_r = "-z, -n, -x and -X replace the console: drop "
			   "--plain, --tour and the jobs";
	else if (rounds && o->socket_path != NULL)
		*error_r = "-x and -X do not go with -z or -n";
	else if (o->reauth_count > 0 && o->batch_file != NULL)
		*error_r = "-n does not go with -f";
	else if (o->socket_path != NULL && (o->batch_file != NULL ||
	    o->json || o->explain))
		*error_r = "-x and -X serve the socket: drop -f, --json and "
			   "--explain";
	else if (o->reauth_count > 0 && o->tls == CLIENT_TLS_NONE)
		*error_r = "-n resumes TLS sessions: drop --plaintext";
	else
		return 0;
	return -1;
}

/* The tour runs in the full screen, so nothing that leaves it. */
static int
check_tour(const struct cli_options *o, const char **error_r)
{
	if (!o->tour)
		return 0;
	if (o->plain_console || o->batch_file != NULL || o->json)
		*error_r = "--tour runs in the full screen: drop --plain, -f "
			   "and --json";
	else if (o->job != CLI_JOB_NONE)
		*error_r = "--tour runs in the full screen, not with a job "
			   "(--largest, --delete, --save)";
	else
		return 0;
	return -1;
}

static void
reset_options(struct cli_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->connect_timeout_ms = 15000;
	opts->timeout_ms = CLIENT_DEFAULT_TIMEOUT_MS;
	opts->show_literal = TRANSCRIPT_SHOW_LITERAL;
}

/* The options of argv onto opts; *operand_r is the index of the first
 * operand (argc: none). */
static int
parse_argv(int argc, char **argv, struct cli_options *opts,
    const char **o_file_r, int *operand_r, const char **error_r)
{
	char shortopts[3 * OPTION_COUNT + 3];
	struct option longopts[OPTION_COUNT + 1];
	int c;

	build_getopt_tables(shortopts, sizeof(shortopts), longopts);
	opterr = 0;
	optind = 1;
	*o_file_r = NULL;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			*error_r = describe_bad_option(c, argv);
			return -1;
		}
		if (c == 'z' || c == OPT_TIMING) {
			if (apply_timing(opts, argc, argv, error_r) != 0)
				return -1;
			continue;
		}
		if (c == 'o' ? apply_o(opts, optarg, o_file_r, error_r) != 0 :
		    apply_option(opts, c, optarg, error_r) != 0)
			return -1;
		if (opts->action != CLI_ACTION_NONE)
			break; /* --help and --version win */
	}
	*operand_r = optind;
	return 0;
}

/* --- accounts: @NAME and IMAP URLs ----------------------------------------- */

struct config_apply {
	struct cli_options *opts;
	struct cli_options scratch; /* where other accounts' keys are checked */
};

/* A key of the config file: the long option of that name, checked and
 * applied exactly as on the command line; a flag takes yes or no. */
static int
apply_config_key(void *ctx, const char *key, const char *value, bool chosen,
    const char **error_r)
{
	struct config_apply *a = ctx;
	struct cli_options *o = chosen ? a->opts : &a->scratch;
	const struct cli_option_entry *e = NULL;
	const char *o_file = NULL;
	size_t i;

	if (!chosen)
		reset_options(o);
	if (strcmp(key, "host") == 0) {
		if (value[0] == '\0' || strpbrk(value, " \t/") != NULL)
			return bad_value("host", value, "a host name or address",
			    error_r);
		o->host = value;
		return 0;
	}
	for (i = 0; i < OPTION_COUNT && e == NULL; i++)
		if (strcmp(option_table[i].name, key) == 0)
			e = &option_table[i];
	if (e == NULL || e->letter == 'h' || e->letter == 'V' ||
	    e->letter == OPT_CONFIG) {
		snprintf(usage_error, sizeof(usage_error), "unknown key '%s' "
		    "(the keys are host and the long options of imapwb "
		    "--help)", key);
		*error_r = usage_error;
		return -1;
	}
	if (e->has_arg == no_argument) {
		if (strcmp(value, "no") == 0)
			return 0;
		if (strcmp(value, "yes") != 0) {
			snprintf(usage_error, sizeof(usage_error),
			    "%s: '%s' is not yes or no", key, value);
			*error_r = usage_error;
			return -1;
		}
		return apply_option(o, e->letter, NULL, error_r);
	}
	if (e->letter == 'o') {
		if (strchr(value, '=') == NULL)
			return bad_value("-o", value, "NAME=VALUE", error_r);
		return apply_o(o, value, &o_file, error_r);
	}
	return apply_option(o, e->letter, value, error_r);
}

static int
load_account(const struct cli_options *cmdline, struct cli_options *opts,
    const char **error_r)
{
	static char *default_path;
	struct config_apply a = { .opts = opts };
	const char *path = cmdline->config_file;

	if (path == NULL) {
		free(default_path);
		if ((default_path = client_config_file_default_path(error_r)) ==
		    NULL)
			return -1;
		path = default_path;
	}
	if (client_config_file_load(path, cmdline->account, apply_config_key,
	    &a, error_r) != 0)
		return -1;
	if (opts->host == NULL) {
		snprintf(usage_error, sizeof(usage_error), "%s: account [%s] "
		    "has no 'host = ...'", path, cmdline->account);
		*error_r = usage_error;
		return -1;
	}
	return 0;
}

/* The URL's parts as defaults, before the command line. */
static int
apply_url(struct cli_options *o, const char *text, const char **error_r)
{
	/* kept for the whole run: the options point into it */
	static struct client_url url;
	const char *err;

	client_url_free(&url);
	if (client_url_parse(text, &url, &err) != 0) {
		snprintf(usage_error, sizeof(usage_error), "bad IMAP URL: %s",
		    err);
		*error_r = usage_error;
		return -1;
	}
	o->host = url.host;
	o->port = url.port;
	/* imap:// is STARTTLS, required unless --plaintext */
	o->tls = url.implicit_tls ? CLIENT_TLS_IMPLICIT : CLIENT_TLS_STARTTLS;
	o->authname = url.user;
	o->mech = url.auth;
	o->open_mailbox = url.mailbox;
	o->open_uidvalidity = url.uidvalidity;
	o->open_uid = url.uid;
	return 0;
}

/* What the command line gives replaces what the account said, where
 * the two could not stand together (one password source, one job). */
static void
drop_overridden(struct cli_options *o, const struct cli_options *cmdline)
{
	bool cmd_password = cmdline->password != NULL ||
	    cmdline->password_file != NULL || cmdline->password_cmd != NULL;
	bool file_token = o->token_cmd != NULL;

	/* one credential: a password source or --token-cmd; the account's
	 * mechanism goes with its kind of credential */
	if (cmd_password || cmdline->token_cmd != NULL) {
		o->password = o->password_file = o->password_cmd = NULL;
		o->token_cmd = NULL;
		if (cmdline->mech == NULL &&
		    file_token != (cmdline->token_cmd != NULL))
			o->mech = NULL;
	}
	if (cmdline->tls == CLIENT_TLS_NONE) {
		o->cafile = o->capath = o->pin = o->client_cert = NULL;
		o->insecure = o->tofu = false;
	}
	if (cmdline->tofu) {
		o->insecure = false;
		o->pin = NULL;
	}
	if (cmdline->insecure || cmdline->pin != NULL)
		o->tofu = false;
	if (cmdline->sasl_options[0] != NULL)
		memset(o->sasl_options, 0, sizeof(o->sasl_options));
	if (cmdline->mailbox_count > 0)
		o->mailbox_count = 0;
	if (cmdline->job != CLI_JOB_NONE)
		o->job = CLI_JOB_NONE;
	if (cmdline->batch_file != NULL || cmdline->plain_console)
		o->tour = false;
}

/* A job takes the URL's mailbox (and UIDVALIDITY, UID) unless its own
 * options give them. */
static void
url_to_job(struct cli_options *o)
{
	if (o->job == CLI_JOB_NONE || o->open_mailbox == NULL)
		return;
	if (o->mailbox_count == 0) {
		o->mailboxes[o->mailbox_count++] = o->open_mailbox;
		o->job_options |= JOPT_MAILBOX;
	}
	if (o->job != CLI_JOB_LARGEST && o->open_uidvalidity != 0 &&
	    !(o->job_options & JOPT_UIDVALIDITY)) {
		o->uidvalidity = o->open_uidvalidity;
		o->job_options |= JOPT_UIDVALIDITY;
	}
	if (o->job == CLI_JOB_SAVE && o->open_uid != 0 &&
	    !(o->job_options & JOPT_UID)) {
		o->uid = o->open_uid;
		o->job_options |= JOPT_UID;
	}
}

/* @NAME or a URL: its options first, then the command line's again on
 * top, so that they win in whatever order they were given. */
static int
apply_operand(int argc, char **argv, const char *operand,
    struct cli_options *opts, const char **o_file_r, const char **error_r)
{
	struct cli_options cmdline = *opts;
	int ignored;

	if (operand[0] == '@') {
		if (!operand[1] || strspn(operand + 1, "abcdefghijklmnopqrst"
		    "uvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
		    strlen(operand + 1))
			return bad_value("@NAME", operand, "@ and an account "
			    "name (letters, digits, '.', '_', '-')", error_r);
		cmdline.account = operand + 1;
		reset_options(opts);
		if (load_account(&cmdline, opts, error_r) != 0)
			return -1;
	} else {
		reset_options(opts);
		if (apply_url(opts, operand, error_r) != 0)
			return -1;
	}
	drop_overridden(opts, &cmdline);
	if (parse_argv(argc, argv, opts, o_file_r, &ignored, error_r) != 0)
		return -1;
	opts->account = cmdline.account;
	return 0;
}

int
cli_options_parse(int argc, char **argv, struct cli_options *opts,
    const char **error_r)
{
	const char *o_file = NULL, *operand;
	int operand_at;

	reset_options(opts);
	if (parse_argv(argc, argv, opts, &o_file, &operand_at, error_r) != 0)
		return -1;
	if (opts->action != CLI_ACTION_NONE)
		return 0;
	if (operand_at == argc) {
		*error_r = "no server given: imapwb [options] HOST";
		return -1;
	}
	if (operand_at + 1 < argc) {
		snprintf(usage_error, sizeof(usage_error),
		    "unexpected argument '%s' after the server",
		    argv[operand_at + 1]);
		*error_r = usage_error;
		return -1;
	}
	operand = argv[operand_at];
	if (operand[0] == '@' || client_url_is_url(operand)) {
		if (apply_operand(argc, argv, operand, opts, &o_file,
		    error_r) != 0)
			return -1;
		url_to_job(opts);
	} else if (opts->config_file != NULL) {
		*error_r = "--config names the file of the @NAME accounts: "
			   "give @NAME";
		return -1;
	} else
		opts->host = operand;
	opts->action = CLI_ACTION_SESSION;
	if (check_combinations(opts, error_r) != 0 ||
	    check_imtest_modes(opts, error_r) != 0 ||
	    check_tour(opts, error_r) != 0 ||
	    check_job(opts, o_file, error_r) != 0)
		return -1;
	if (check_input_files(opts, error_r) != 0)
		return -1;
	return check_known_hosts(opts, error_r);
}

static void
print_option(FILE *out, const struct cli_option_entry *e)
{
	char left[64];

	if (e->letter < 256)
		snprintf(left, sizeof(left), "-%c, --%s%s%s", e->letter,
		    e->name, e->arg_name ? " " : "",
		    e->arg_name ? e->arg_name : "");
	else
		snprintf(left, sizeof(left), "    --%s%s%s", e->name,
		    e->arg_name ? " " : "", e->arg_name ? e->arg_name : "");
	fprintf(out, "  %-26s %s\n", left, e->help);
}

void
cli_options_print_help(FILE *out, const char *argv0)
{
	size_t i;

	fprintf(out,
	    "Usage: %s [options] HOST\n"
	    "       %s [options] @NAME          (an account of the config file)\n"
	    "       %s [options] imap[s]://[USER[;AUTH=MECH]@]HOST[:PORT]"
	    "[/MAILBOX[;UIDVALIDITY=V][/;UID=N]]\n"
	    "\n"
	    "imapwb is a terminal IMAP workbench: a raw protocol console and\n"
	    "decoded views on one authenticated session.\n"
	    "\n"
	    "Options:\n",
	    argv0, argv0, argv0);
	for (i = 0; i < OPTION_COUNT; i++)
		print_option(out, &option_table[i]);
	fputs("\n"
	      "Exit status: 0 every command OK, 1 a command got NO or BAD,\n"
	      "2 usage error, 3 connection or TLS failure, 4 authentication\n"
	      "failed, 5 connection lost or protocol error, 6 a job refused\n"
	      "for safety (nothing was changed), or --plain from a pipe did\n"
	      "not send a plain EXPUNGE or CLOSE (see --yes).\n"
	      "Documentation: doc/ARCHITECTURE.md and the README.\n",
	    out);
}

void
cli_options_print_version(FILE *out)
{
	fprintf(out, "%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
#ifdef IMAPWB_TORTURE
	fputs("built with --enable-torture: IMAPWB_TORTURE=N fails the Nth "
	      "allocation\n", out);
#endif
}

void
cli_options_client_config(const struct cli_options *o,
    struct client_config *c)
{
	memset(c, 0, sizeof(*c));
	c->host = o->host;
	c->port = o->port;
	c->tls = o->tls;
	c->cafile = o->cafile;
	c->capath = o->capath;
	c->pin = o->pin;
	c->client_cert = o->client_cert;
	c->insecure = o->insecure;
	c->tofu = o->tofu;
	c->proxy_version = o->proxy_version;
	c->connect_timeout_ms = o->connect_timeout_ms;
	c->timeout_ms = o->timeout_ms;
	c->mech = o->mech;
	c->authname = o->authname;
	c->authzid = o->authzid;
	c->realm = o->realm;
	c->min_ssf = o->min_ssf;
	c->max_ssf = o->max_ssf;
	c->max_ssf_set = o->max_ssf_set;
	c->no_initial_response = o->no_initial_response;
	c->sasl_options = o->sasl_options;
	c->password = o->password;
	c->password_file = o->password_file;
	c->password_cmd = o->password_cmd;
	c->token_cmd = o->token_cmd;
	c->compress = o->compress;
	c->challenge_prompts = o->challenge_prompts;
	c->limits = o->limits;
	c->max_messages = o->max_messages;
	/* a line may be no longer than its response: raise that too */
	if (c->limits.max_response == 0 && c->limits.max_line >
	    IMAP_PARSER_DEFAULT_MAX_RESPONSE)
		c->limits.max_response = c->limits.max_line;
}
