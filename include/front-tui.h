/* front-tui: the split-screen TUI, the default on a terminal. */
#ifndef IMAPWB_FRONT_TUI_H
#define IMAPWB_FRONT_TUI_H

#include "client-cli-options.h"

enum exit_status front_tui_run(const struct cli_options *opts);

#endif
