/* teach-suggest: "did you mean" for a word that is not a command. */
#ifndef IMAPWB_TEACH_SUGGEST_H
#define IMAPWB_TEACH_SUGGEST_H

#include <stddef.h>

/* The command (a knowledge table row's name, upper case) closest to the
 * word typed, when it is near enough to be a slip of the keys (one edit
 * for a short word, two for a longer one, a swap of two letters counting
 * as one) and no other command is as near; NULL otherwise, and NULL for
 * a word that is a command already. */
const char *teach_suggest_command(const char *word, size_t len);

#endif
