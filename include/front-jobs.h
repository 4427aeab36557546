/* front-jobs: the command-line runner of the jobs (--largest, --delete,
 * --save). It owns the client's listener, feeds the job, prints what the
 * job reports (a table or JSON rows, notices, progress), asks on the
 * terminal before deleting unless --yes, and maps the job's end to an
 * exit status (6: refused for safety, nothing changed). */
#ifndef IMAPWB_FRONT_JOBS_H
#define IMAPWB_FRONT_JOBS_H

#include "client-cli-options.h"

enum exit_status front_jobs_run(const struct cli_options *opts);

#endif
