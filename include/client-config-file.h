/* client-config-file: named accounts in $XDG_CONFIG_HOME/imapwb/config,
 * used as `imapwb [options] @NAME`.
 *
 *   # comment
 *   [work]
 *   host = imap.example.org
 *   tls = yes
 *   authname = alice
 *   password-cmd = pass show imap/work
 *
 * `[NAME]` starts an account; `key = value` lines set a long option of
 * imapwb by its name (the caller checks each exactly as on the command
 * line), a flag taking yes or no. The file says which commands to run
 * (password-cmd), so one that others could write, or that is not the
 * user's, is refused; a password in it is refused too. */
#ifndef IMAPWB_CLIENT_CONFIG_FILE_H
#define IMAPWB_CLIENT_CONFIG_FILE_H

#include <stdbool.h>

/* The largest config file read. */
#define CONFIG_FILE_MAX_SIZE (1024 * 1024)

/* Called for every key of every account, in order: apply it if chosen
 * (the account asked for), else only check it. The value lives until the
 * next client_config_file_load(). Returns 0, or -1 with *error_r, which
 * the loader prefixes with "FILE:LINE: ". */
typedef int client_config_key_fn(void *ctx, const char *key,
    const char *value, bool chosen, const char **error_r);

/* $XDG_CONFIG_HOME/imapwb/config (when set and absolute), else
 * $HOME/.config/imapwb/config; NULL with *error_r when there is no HOME
 * either. The caller frees it. */
char *client_config_file_default_path(const char **error_r);

/* Read path (refusing it as above) and hand account's keys to key(ctx,
 * ...). Returns 0, or -1 with *error_r, a message naming the file (and
 * the line), valid until the next call. */
int client_config_file_load(const char *path, const char *account,
    client_config_key_fn *key, void *ctx, const char **error_r);

#endif
