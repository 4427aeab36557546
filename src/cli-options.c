/* cli-options: the command line, described by one table. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli-options.h"

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
	OPT_PASSWORD_FILE,
	OPT_PASSWORD_CMD,
	OPT_PLAIN,
	OPT_TRANSCRIPT,
	OPT_JSON,
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
	{ 't', "tls-cert", required_argument, "FILE",
	    "client certificate and key (PEM); \"\" for none" },
	{ 'H', "proxy", required_argument, "1|2",
	    "send a HAProxy PROXY protocol header, version 1 or 2" },
	{ OPT_CONNECT_TIMEOUT, "connect-timeout", required_argument, "SECS",
	    "give up connecting after SECS seconds (default 15)" },
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
	{ 'q', "compress", no_argument, NULL,
	    "COMPRESS=DEFLATE after authentication" },
	{ OPT_PLAIN, "plain", no_argument, NULL,
	    "a plain line console (like imtest)" },
	{ 'f', "file", required_argument, "FILE",
	    "batch: send each command in FILE, wait for each reply" },
	{ OPT_TRANSCRIPT, "transcript", required_argument, "FILE",
	    "append the redacted, timestamped transcript to FILE" },
	{ OPT_JSON, "json", no_argument, NULL,
	    "JSON events on stdout (doc/json-events.md), transcript on stderr" },
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
		if (e->has_arg == required_argument)
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

/* Apply one option with its argument (NULL for flags). */
static int
apply_option(struct cli_options *o, int c, const char *arg,
    const char **error_r)
{
	unsigned n, i;

	switch (c) {
	case 'p':
		if (parse_uint(arg, 1, 65535, &n) != 0)
			return bad_value("-p", arg, "a port (1-65535)", error_r);
		o->port = arg;
		break;
	case 's': o->tls = CLI_TLS_IMPLICIT; break;
	case OPT_PLAINTEXT: o->tls = CLI_TLS_NONE; break;
	case OPT_CAFILE: o->cafile = arg; break;
	case OPT_CAPATH: o->capath = arg; break;
	case OPT_PIN:
		if (strncmp(arg, "sha256/", 7) != 0 || arg[7] == '\0')
			return bad_value("--pin", arg, "sha256/BASE64", error_r);
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
	case 'o':
		if (strchr(arg, '=') == NULL)
			return bad_value("-o", arg, "NAME=VALUE", error_r);
		for (i = 0; o->sasl_options[i] != NULL; i++)
			;
		if (i == CLI_MAX_SASL_OPTIONS) {
			*error_r = "too many -o options";
			return -1;
		}
		o->sasl_options[i] = arg;
		break;
	case 'w': o->password = arg; break;
	case OPT_PASSWORD_FILE: o->password_file = arg; break;
	case OPT_PASSWORD_CMD: o->password_cmd = arg; break;
	case 'q': o->compress = true; break;
	case OPT_PLAIN: o->plain_console = true; break;
	case 'f': o->batch_file = arg; break;
	case OPT_TRANSCRIPT: o->transcript_file = arg; break;
	case OPT_JSON: o->json = true; break;
	case 'v': o->verbose++; break;
	case 'h': o->action = CLI_ACTION_HELP; break;
	case 'V': o->action = CLI_ACTION_VERSION; break;
	default:
		return -1;
	}
	return 0;
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
	else if (o->tls == CLI_TLS_NONE && (o->cafile || o->capath ||
		     o->pin || o->insecure || o->client_cert))
		*error_r = "--plaintext cannot be combined with TLS options";
	else if (o->plain_console && o->batch_file != NULL)
		*error_r = "--plain and -f are different modes: choose one";
	else if (o->max_ssf_set && o->min_ssf > o->max_ssf)
		*error_r = "-k (minimum SSF) is larger than -l (maximum SSF)";
	else
		return 0;
	return -1;
}

int
cli_options_parse(int argc, char **argv, struct cli_options *opts,
    const char **error_r)
{
	char shortopts[2 * OPTION_COUNT + 3];
	struct option longopts[OPTION_COUNT + 1];
	int c;

	memset(opts, 0, sizeof(*opts));
	opts->connect_timeout_ms = 15000;
	build_getopt_tables(shortopts, sizeof(shortopts), longopts);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			*error_r = describe_bad_option(c, argv);
			return -1;
		}
		if (apply_option(opts, c, optarg, error_r) != 0)
			return -1;
		if (opts->action != CLI_ACTION_NONE)
			return 0; /* --help and --version win */
	}
	if (optind == argc) {
		*error_r = "no server given: imapwb [options] HOST";
		return -1;
	}
	if (optind + 1 < argc) {
		snprintf(usage_error, sizeof(usage_error),
		    "unexpected argument '%s' after the server", argv[optind + 1]);
		*error_r = usage_error;
		return -1;
	}
	opts->host = argv[optind];
	opts->action = CLI_ACTION_SESSION;
	return check_combinations(opts, error_r);
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
	    "\n"
	    "imapwb is a terminal IMAP workbench: a raw protocol console and\n"
	    "decoded views on one authenticated session.\n"
	    "\n"
	    "Options:\n",
	    argv0);
	for (i = 0; i < OPTION_COUNT; i++)
		print_option(out, &option_table[i]);
	fputs("\n"
	      "Exit status: 0 every command OK, 1 a command got NO or BAD,\n"
	      "2 usage error, 3 connection or TLS failure, 4 authentication\n"
	      "failed, 5 connection lost or protocol error.\n"
	      "Documentation: doc/ARCHITECTURE.md and the README.\n",
	    out);
}

void
cli_options_print_version(FILE *out)
{
	fprintf(out, "%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
}
