/* front-rounds: imtest's -z (timing test) and -n (reauthentication with
 * TLS session resumption). Both run the same connection over and over
 * through the client (client.h): connect, TLS, authenticate, (for -z) one
 * command, LOGOUT, with every reply checked. */
#ifndef IMAPWB_FRONT_ROUNDS_H
#define IMAPWB_FRONT_ROUNDS_H

#include <stddef.h>

#include "client-cli-options.h"

/* Run -z or -n as opts say. Returns the exit status: that of the first
 * round that failed, or EXIT_STATUS_OK. */
enum exit_status front_rounds_run(const struct cli_options *opts);

/* The phases a -z round measures, in table order. */
enum rounds_phase {
	ROUNDS_CONNECT,
	ROUNDS_GREETING,
	ROUNDS_TLS,
	ROUNDS_AUTH,
	ROUNDS_COMMAND,
	ROUNDS_LOGOUT,
	ROUNDS_TOTAL,
	ROUNDS_PHASE_COUNT,
};
extern const char *const rounds_phase_names[ROUNDS_PHASE_COUNT];

/* Summary of n samples (sorted in place): min, median (the mean of the
 * middle two for even n), p99 (nearest rank: the ceil(0.99 n)-th
 * smallest) and max. n must be at least 1. */
struct rounds_stats {
	double min, median, p99, max;
};
void rounds_stats(double *samples, size_t n, struct rounds_stats *stats_r);

#endif
