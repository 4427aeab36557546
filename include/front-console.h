/* front-console: the plain line console and the batch runner. */
#ifndef IMAPWB_FRONT_CONSOLE_H
#define IMAPWB_FRONT_CONSOLE_H

#include "client-cli-options.h"

/* Connect, authenticate and run the console (or the -f batch) until the
 * input ends or the connection does. Returns the exit status. */
enum exit_status front_console_run(const struct cli_options *opts);

#endif
