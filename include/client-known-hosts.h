/* client-known-hosts: the server keys trusted on first use (--tofu).
 *
 * One line per server, "HOST:PORT sha256/BASE64" (an IPv6 address in
 * brackets: "[::1]:993"), in $XDG_DATA_HOME/imapwb/known_hosts (default
 * ~/.local/share/imapwb/known_hosts). Lines starting with '#' and blank
 * lines are comments. Anything else that is not such a line, or a second
 * line for the same server, is an error naming FILE:LINE: a key store
 * that cannot be read exactly is not trusted in part. The folder is made
 * 0700, the file is written 0600 through file-atomic.h, and a file that
 * others may write is refused. */
#ifndef IMAPWB_CLIENT_KNOWN_HOSTS_H
#define IMAPWB_CLIENT_KNOWN_HOSTS_H

/* The file's path, malloc'd: $XDG_DATA_HOME/imapwb/known_hosts when
 * XDG_DATA_HOME is an absolute path, else $HOME/.local/share/imapwb/...;
 * NULL with *error_r when neither is set. */
char *known_hosts_default_path(const char **error_r);

/* How a server is named in the file, malloc'd: "host:port" with the host
 * in lower case, "[v6addr]:port" for an IPv6 address. */
char *known_hosts_name(const char *host, const char *port);

/* Look name up in path. 1: found, *pin_r (malloc'd) and *line_r set;
 * 0: not there (also when the file does not exist yet); -1 with *error_r
 * (valid until the next call): unreadable, unsafe or corrupt. */
int known_hosts_lookup(const char *path, const char *name, char **pin_r,
    unsigned *line_r, const char **error_r);

/* Add "name pin" as a new last line, creating the folder and file as
 * needed; the file is checked as known_hosts_lookup() does and must not
 * hold name yet. 0, or -1 with *error_r. */
int known_hosts_add(const char *path, const char *name, const char *pin,
    const char **error_r);

#endif
