/* teach-suggest: the nearest command to a mistyped word. */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "teach-knowledge.h"
#include "teach-suggest.h"

/* Longer words are not commands anyone meant: "FETCH" is 5 letters,
 * "GETQUOTAROOT" 12. */
#define SUGGEST_MAX_WORD 24

/* Optimal string alignment distance (Levenshtein with adjacent swaps),
 * case-insensitive, on words of at most SUGGEST_MAX_WORD bytes. */
static size_t
edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t d[SUGGEST_MAX_WORD + 1][SUGGEST_MAX_WORD + 1];
	size_t i, j;

	for (i = 0; i <= alen; i++)
		d[i][0] = i;
	for (j = 0; j <= blen; j++)
		d[0][j] = j;
	for (i = 1; i <= alen; i++)
		for (j = 1; j <= blen; j++) {
			size_t cost = toupper((unsigned char)a[i - 1]) !=
			    toupper((unsigned char)b[j - 1]);
			size_t best = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 &&
			    toupper((unsigned char)a[i - 1]) ==
				toupper((unsigned char)b[j - 2]) &&
			    toupper((unsigned char)a[i - 2]) ==
				toupper((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[alen][blen];
}

const char *
teach_suggest_command(const char *word, size_t len)
{
	const struct knowledge_row *r, *best = NULL;
	size_t i, dist, best_dist = SIZE_MAX, limit;
	bool tie = false;

	if (len == 0 || len > SUGGEST_MAX_WORD ||
	    knowledge_find_n(KNOW_COMMAND, word, len) != NULL)
		return NULL;
	limit = len <= 4 ? 1 : 2;
	for (i = 0; (r = knowledge_at(i)) != NULL; i++) {
		size_t rlen = strlen(r->name);

		if (r->kind != KNOW_COMMAND || rlen > SUGGEST_MAX_WORD ||
		    strchr(r->name, ' ') != NULL)
			continue;
		dist = edit_distance(word, len, r->name, rlen);
		if (dist < best_dist) {
			best = r;
			best_dist = dist;
			tie = false;
		} else if (dist == best_dist)
			tie = true;
	}
	return best != NULL && best_dist <= limit && !tie ? best->name : NULL;
}
