/* client-cli-options: the command line, described by one table. */
#ifndef IMAPWB_CLIENT_CLI_OPTIONS_H
#define IMAPWB_CLIENT_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "client.h"
#include "exit-status.h"

enum cli_action {
	CLI_ACTION_NONE,
	CLI_ACTION_HELP,
	CLI_ACTION_VERSION,
	CLI_ACTION_SESSION, /* connect to HOST */
};

#define CLI_MAX_SASL_OPTIONS 16
#define CLI_MAX_MAILBOXES 64
/* --show-literal's bound: only a command's own literals can be larger
 * than the 64 KiB the parser keeps of a server's. */
#define CLI_MAX_SHOW_LITERAL ((uint64_t)1 << 30)

/* A job to run instead of the console (front-jobs.h). */
enum cli_job {
	CLI_JOB_NONE,
	CLI_JOB_LARGEST, /* --largest N */
	CLI_JOB_DELETE,  /* --delete */
	CLI_JOB_SAVE,    /* --save */
};

struct cli_options {
	enum cli_action action;
	int verbose;
	const char *host;
	const char *port; /* NULL: 143, or 993 with -s */

	/* TLS */
	enum client_tls_mode tls; /* STARTTLS; -s implicit; --plaintext none */
	const char *cafile;
	const char *capath;
	const char *pin;
	const char *client_cert; /* -t FILE (cert and key, PEM) */
	bool insecure;
	bool tofu; /* --tofu: trust on first use (client-trust.h) */
	unsigned proxy_version; /* -H 1|2: HAProxy PROXY header, 0: none */
	unsigned connect_timeout_ms;
	unsigned timeout_ms; /* --timeout: a stalled server, 0: never */

	/* authentication */
	const char *mech;
	const char *authname;
	const char *authzid;
	const char *realm;
	unsigned min_ssf;
	unsigned max_ssf;
	bool max_ssf_set; /* -l given: 0 is a real value (no layer) */
	bool no_initial_response;
	const char *sasl_options[CLI_MAX_SASL_OPTIONS + 1];
	const char *password; /* -w */
	const char *password_file;
	const char *password_cmd;
	const char *token_cmd; /* --token-cmd: OAUTHBEARER, XOAUTH2 */

	/* what to do once connected */
	bool compress;
	bool plain_console;
	const char *batch_file; /* -f */
	const char *transcript_file;
	uint64_t show_literal; /* --show-literal: bytes of a literal shown */
	bool json; /* JSON events on stdout, the transcript on stderr */
	bool explain; /* --explain: "# " lines after each command, response */
	bool tour;    /* --tour: the guided tour in the TUI (tui-tour.h) */
	bool manual_tags; /* --tags manual: typed lines go as typed */
	bool no_mouse;    /* --no-mouse: the TUI leaves the mouse alone */

	/* jobs */
	enum cli_job job;
	unsigned largest_count;   /* --largest N */
	uint64_t min_size;        /* --min-size SIZE */
	const char *mailboxes[CLI_MAX_MAILBOXES + 1]; /* --mailbox, UTF-8 */
	unsigned mailbox_count;
	uint32_t uidvalidity;     /* --uidvalidity V (0: not given) */
	const char *uids;         /* --uids SET */
	uint32_t uid;             /* --uid N */
	const char *part;         /* --part SECTION */
	bool decode;              /* --decode */
	const char *output;       /* -o FILE (with --save), --output FILE */
	const char *move_to;      /* --move-to NAME */
	bool move_to_trash;       /* --move-to-trash */
	bool dry_run;             /* --dry-run */
	bool yes;                 /* --yes */
	unsigned job_options;     /* which job options were given (internal) */

	/* imtest's modes: -z, -n, -c, -x, -X, -I */
	unsigned timing_rounds;   /* -z [N], --timing [N]: 0 off */
	unsigned reauth_count;    /* -n N, --reauth N: 0 off */
	bool challenge_prompts;   /* -c: SASL echo/noecho prompt callbacks */
	const char *socket_path;  /* -x FILE or -X FILE */
	bool socket_daemon;       /* -X */
	const char *pid_file;     /* -I FILE */

	/* --max-line and its kin; zero fields are the parser's defaults */
	struct imap_parser_limits limits;
	uint32_t max_messages; /* --max-messages (0: the client's default) */

	/* accounts: @NAME from a config file, or an IMAP URL */
	const char *config_file;  /* --config FILE, or NULL: the default */
	const char *account;      /* NAME of @NAME, or NULL */
	const char *open_mailbox; /* the URL's mailbox (UTF-8), or NULL */
	uint32_t open_uidvalidity; /* the URL's ;UIDVALIDITY= (0: none) */
	uint32_t open_uid;        /* the URL's /;UID= (0: none) */
};

/* -z without a number: imtest runs its timing test once; imapwb runs
 * enough rounds for a median to mean something. */
#define CLI_DEFAULT_TIMING_ROUNDS 10
#define CLI_MAX_ROUNDS 100000

/* "10M", "500K", "2G", "1T" (powers of 1024) or plain bytes into *size_r: 0, or
 * -1 for anything else (and on overflow). */
int cli_parse_size(const char *text, uint64_t *size_r);

/* Parse argv into opts. The operand is a HOST, an @NAME account of the
 * config file (client-config-file.h) or an IMAP URL (client-url.h); the
 * options on the command line override what the account or the URL
 * says. Returns 0, or -1 with *error_r set to a message a user can read
 * (a usage error, exit status 2). */
int cli_options_parse(int argc, char **argv, struct cli_options *opts,
    const char **error_r);

void cli_options_print_help(FILE *out, const char *argv0);
void cli_options_print_version(FILE *out);

/* What the client needs of the options (client.h); it points into opts. */
void cli_options_client_config(const struct cli_options *opts,
    struct client_config *config_r);

#endif
