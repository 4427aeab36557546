/* cli-options: the command line, described by one table. */
#ifndef IMAPWB_CLI_OPTIONS_H
#define IMAPWB_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses are an interface: scripts and tests rely on them. */
enum exit_status {
	EXIT_STATUS_OK = 0,
	EXIT_STATUS_COMMAND_FAILED = 1,
	EXIT_STATUS_USAGE = 2,
	EXIT_STATUS_CONNECT = 3,
	EXIT_STATUS_AUTH = 4,
	EXIT_STATUS_PROTOCOL = 5,
	EXIT_STATUS_REFUSED = 6,
};

enum cli_action {
	CLI_ACTION_NONE,
	CLI_ACTION_HELP,
	CLI_ACTION_VERSION,
};

struct cli_options {
	enum cli_action action;
	int verbose;
	const char *host;
};

/* Parse argv into opts. Returns 0, or -1 with *error_r set to a message
 * a user can read (a usage error, exit status 2). */
int cli_options_parse(int argc, char **argv, struct cli_options *opts,
    const char **error_r);

void cli_options_print_help(FILE *out, const char *argv0);
void cli_options_print_version(FILE *out);

#endif
