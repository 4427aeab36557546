/* fuzz-imap-parser: libFuzzer target for the response parser.
 *
 *   ./configure CC=clang --enable-fuzzing && make
 *   ./fuzz/fuzz-imap-parser -max_total_time=120 NEW_DIR fuzz/corpus/imap-parser
 *
 * Every input goes through imap_roundtrip_check() (parse, write back,
 * parse again, compare; chunked against one-shot delivery; the literal
 * sink; the tree's invariants). A broken promise is printed and abort()ed,
 * which is what libFuzzer reports as a crash. The same check replays the
 * corpus in `make check` (tests/fuzz/replay-imap-parser, fuzz-replay.c),
 * where a response recorded from a real server must moreover parse
 * cleanly, as exactly one response. */
#include "config.h"

#include <stdint.h>

#include "fuzz-check.h"
#include "imap-roundtrip.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *error;

	if (imap_roundtrip_check(data, size, &error) != 0)
		fuzz_fail("imap-roundtrip: %s", error);
	if (fuzz_strict && imap_roundtrip_expect_one(data, size, &error) != 0)
		fuzz_fail("a real server's response: %s", error);
	return 0;
}
