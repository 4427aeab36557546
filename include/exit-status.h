/* exit-status: what imapwb's exit status says, an interface scripts rely
 * on (README, imapwb.1). The client reports its failures in these terms,
 * the front ends end with them. */
#ifndef IMAPWB_EXIT_STATUS_H
#define IMAPWB_EXIT_STATUS_H

/* Exit statuses are an interface: scripts and tests rely on them. */
enum exit_status {
	EXIT_STATUS_OK = 0,
	EXIT_STATUS_COMMAND_FAILED = 1,
	EXIT_STATUS_USAGE = 2,
	EXIT_STATUS_CONNECT = 3,
	EXIT_STATUS_AUTH = 4,
	EXIT_STATUS_PROTOCOL = 5,
	EXIT_STATUS_REFUSED = 6,
	EXIT_STATUS_NO_MEMORY = 7, /* util-mem: an allocation failed */
};

#endif
