/* front-socket: imtest's -x FILE and -X FILE. After connecting and
 * logging in, the interactive part is served on a unix-domain socket
 * instead of the terminal: one client at a time types lines as in
 * --plain (same tags, literals, secrets and guard, with nobody to ask:
 * a plain EXPUNGE or CLOSE is refused unless --yes) and reads every line
 * the server sends, as it sent it. When a client leaves, what it left
 * half typed is finished (console_input_abandon; a half-sent literal
 * ends the session, exit 5) and the next may come, until the server
 * closes the connection or a signal (TERM, INT, HUP) ends imapwb, which
 * then logs out. The socket is created 0600 and
 * removed at exit; a FILE that exists is refused unless it is a socket
 * nobody listens on (a stale one, removed). -X daemonizes once the
 * socket listens, so a script can connect as soon as imapwb returns;
 * -I FILE then holds the daemon's process id. */
#ifndef IMAPWB_FRONT_SOCKET_H
#define IMAPWB_FRONT_SOCKET_H

#include "client-cli-options.h"

enum exit_status front_socket_run(const struct cli_options *opts);

#endif
