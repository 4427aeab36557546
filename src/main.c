/* imapwb: a terminal IMAP workbench. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "auth.h"
#include "client-cli-options.h"
#include "front-console.h"
#include "front-jobs.h"
#include "front-rounds.h"
#include "front-socket.h"
#include "front-tui.h"
#include "file-pidfile.h"
#include "text-display.h"
#include "util-mem.h"

int
main(int argc, char **argv)
{
	struct cli_options opts;
	enum exit_status status;
	const char *error;

	mem_watch_exhaustion();
	if (cli_options_parse(argc, argv, &opts, &error) != 0) {
		fprintf(stderr, "imapwb: %s\n", error);
		fprintf(stderr, "Try 'imapwb --help' for more information.\n");
		return EXIT_STATUS_USAGE;
	}
	/* warnings may quote the server: never raw on the terminal (the TUI
	 * takes them into its console while it runs) */
	log_set_sink(display_log_sink, NULL);
	switch (opts.action) {
	case CLI_ACTION_SESSION:
		/* -I: the daemon of -X writes its own, once it is one */
		if (opts.pid_file != NULL && !opts.socket_daemon &&
		    pidfile_write(opts.pid_file, &error) != 0) {
			fprintf(stderr, "imapwb: -I %s: %s\n", opts.pid_file,
			    error);
			return EXIT_STATUS_USAGE;
		}
		/* jobs run without a screen; the TUI is the default on a
		 * terminal */
		if (opts.job != CLI_JOB_NONE)
			status = front_jobs_run(&opts);
		/* imtest's modes */
		else if (opts.timing_rounds > 0 || opts.reauth_count > 0)
			status = front_rounds_run(&opts);
		else if (opts.socket_path != NULL)
			status = front_socket_run(&opts);
		else if (opts.tour && !(isatty(STDIN_FILENO) &&
		    isatty(STDOUT_FILENO))) {
			fprintf(stderr, "imapwb: --tour needs a terminal "
			    "(it runs in the full screen)\n");
			status = EXIT_STATUS_USAGE;
		}
		else if (!opts.plain_console && opts.batch_file == NULL &&
		    !opts.json && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			status = front_tui_run(&opts);
		else
			status = front_console_run(&opts);
		auth_library_done();
		return status;
	case CLI_ACTION_HELP:
		cli_options_print_help(stdout, "imapwb");
		break;
	case CLI_ACTION_VERSION:
		cli_options_print_version(stdout);
		break;
	case CLI_ACTION_NONE:
		break;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("imapwb: stdout");
		return EXIT_FAILURE;
	}
	return EXIT_STATUS_OK;
}
