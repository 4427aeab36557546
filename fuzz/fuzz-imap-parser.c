/* fuzz-imap-parser: libFuzzer target for the response parser.
 *
 *   ./configure CC=clang --enable-fuzzing && make
 *   ./fuzz/fuzz-imap-parser -max_total_time=120 NEW_DIR fuzz/corpus/imap-parser
 *
 * Every input goes through imap_roundtrip_check() (parse, write back,
 * parse again, compare; chunked against one-shot delivery; the literal
 * sink; the tree's invariants). A broken promise is printed and abort()ed,
 * which is what libFuzzer reports as a crash. The same check replays the
 * corpus in `make check` (tests/unit/test-fuzz-corpus.c). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "imap-roundtrip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *error;

	if (imap_roundtrip_check(data, size, &error) != 0) {
		fprintf(stderr, "imap-roundtrip: %s\n", error);
		abort();
	}
	return 0;
}
