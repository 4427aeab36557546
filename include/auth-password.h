/* auth-password: where the password comes from (-w, --password-file,
 * --password-cmd, or a prompt on the terminal).
 *
 * The password is fetched only when a mechanism asks for it, handed out
 * as a malloc'd string the caller zeroes with secure_free_str(), and never
 * logged. */
#ifndef IMAPWB_AUTH_PASSWORD_H
#define IMAPWB_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

enum auth_password_kind {
	AUTH_PASSWORD_PROMPT,  /* ask on the terminal (the default) */
	AUTH_PASSWORD_ARG,     /* -w PASS */
	AUTH_PASSWORD_FILE,    /* --password-file FILE: its first line */
	AUTH_PASSWORD_COMMAND, /* --password-cmd CMD: its first line out */
};

/* Longest password any source may give (bytes, without the newline). */
#define AUTH_PASSWORD_MAX 4096

struct auth_password_source {
	enum auth_password_kind kind;
	char *arg;           /* ARG: our copy, zeroed by _clear() */
	const char *path;    /* FILE */
	const char *command; /* COMMAND: run as /bin/sh -c COMMAND */
	/* COMMAND: what it prints, for messages ("the token command
	 * failed"); NULL: "password". */
	const char *noun;
	/* COMMAND: the longest line taken; 0: AUTH_PASSWORD_MAX. */
	size_t max_len;
	/* PROMPT: the terminal to ask on; NULL means /dev/tty. */
	const char *tty_path;
	/* PROMPT: why it asks, when not for the first connection; NULL for
	 * none ("Password for USER@HOST (REASON): "). */
	const char *reason;
};

/* A source that prompts on /dev/tty. */
void auth_password_source_init(struct auth_password_source *src);
/* -w: keep a copy, and warn on stderr that argv is visible to others. */
void auth_password_source_set_arg(struct auth_password_source *src,
    const char *password);
/* A password the program already holds (asked once, used for many
 * connections): like -w, without its warning. */
void auth_password_source_set_kept(struct auth_password_source *src,
    const char *password);
void auth_password_source_set_file(struct auth_password_source *src,
    const char *path);
void auth_password_source_set_command(struct auth_password_source *src,
    const char *command);
/* Zero and free what the source holds; it prompts again afterwards. */
void auth_password_source_clear(struct auth_password_source *src);

/* Get the password. `user` and `host` only make the prompt ("Password
 * for USER@HOST: "). Returns 0 and a malloc'd *password_r (zero it with
 * secure_free_str), or -1 with *error_r, which stays valid until the
 * next call. */
int auth_password_get(const struct auth_password_source *src,
    const char *user, const char *host, char **password_r,
    const char **error_r);

/* Ask on the terminal tty_path (NULL: /dev/tty) with `prompt`, echoing
 * what is typed or not, for what a SASL mechanism asks (-c). Returns 0
 * and a malloc'd *answer_r (zero it with secure_free_str; it may be
 * empty), or -1 with *error_r. */
int auth_prompt_line(const char *tty_path, const char *prompt, bool echo,
    char **answer_r, const char **error_r);

#endif
