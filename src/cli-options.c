/* cli-options: the command line, described by one table. */
#include "config.h"

#include <getopt.h>
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

/* The table that drives getopt, --help and (later) completion and the man
 * page check. Letters follow imtest where they overlap. */
static const struct cli_option_entry option_table[] = {
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

int
cli_options_parse(int argc, char **argv, struct cli_options *opts,
    const char **error_r)
{
	char shortopts[2 * OPTION_COUNT + 3];
	struct option longopts[OPTION_COUNT + 1];
	int c;

	memset(opts, 0, sizeof(*opts));
	build_getopt_tables(shortopts, sizeof(shortopts), longopts);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			opts->verbose++;
			break;
		case 'h':
			opts->action = CLI_ACTION_HELP;
			return 0;
		case 'V':
			opts->action = CLI_ACTION_VERSION;
			return 0;
		default:
			*error_r = describe_bad_option(c, argv);
			return -1;
		}
	}
	if (optind < argc) {
		/* The session core (connecting to HOST) is not built yet. */
		snprintf(usage_error, sizeof(usage_error),
		    "unexpected argument '%s': connecting to a server is not "
		    "implemented in this version", argv[optind]);
		*error_r = usage_error;
		return -1;
	}
	*error_r = "nothing to do";
	return -1;
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
	    "Usage: %s [options]\n"
	    "\n"
	    "imapwb is a terminal IMAP workbench: a raw protocol console and\n"
	    "decoded views on one authenticated session.\n"
	    "\n"
	    "Options:\n",
	    argv0);
	for (i = 0; i < OPTION_COUNT; i++)
		print_option(out, &option_table[i]);
	fputs("\n"
	      "Exit status: 0 success, 2 usage error.\n"
	      "Documentation: doc/ARCHITECTURE.md and the README.\n",
	    out);
}

void
cli_options_print_version(FILE *out)
{
	fprintf(out, "%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
}
