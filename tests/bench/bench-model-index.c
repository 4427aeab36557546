/* Benchmark for model-index: build an index of N messages with realistic
 * summaries, look UIDs up, sort by subject and by size, expunge 100k
 * messages one by one, and read every row of the sorted view after.
 *
 * The "generate-only" phase makes the same strings without an index: its
 * time is the generator's share of "build".
 *
 * Usage: bench-model-index N...   (one line per phase on stdout:
 * "N<TAB>phase<TAB>seconds<TAB>heap bytes<TAB>peak RSS KiB").
 * tests/bench/run runs it and prints a table. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-measure.h"
#include "fake-summary.h"
#include "model-index.h"

#define EXPUNGES 100000u

static void
report(uint32_t n, const char *phase, double start)
{
	printf("%" PRIu32 "\t%s\t%.3f\t%zu\t%ld\n", n, phase,
	    bench_wall() - start, bench_heap_bytes(), bench_peak_rss_kib());
	fflush(stdout);
}

static void
die(const char *what, const char *error)
{
	fprintf(stderr, "bench-model-index: %s: %s\n", what, error);
	exit(1);
}

/* The same strings without the index, to tell the generator's share of
 * the build time. */
static void
generate_only(uint32_t n)
{
	char from[80], subject[200];
	uint32_t msn;
	size_t sum = 0;

	for (msn = 1; msn <= n; msn++) {
		fake_summary(msn, 2000, from, sizeof(from), subject, sizeof(subject));
		sum += strlen(from) + strlen(subject) + fake_rng(10) + fake_rng(300000) +
		    fake_rng(3600);
	}
	if (sum == 0)
		die("generate", "no strings");
}

static void
lookups(struct model_index *idx, uint32_t n)
{
	uint32_t i, msn;
	uint64_t sum = 0;

	for (i = 0; i < n; i++) {
		msn = 1 + fake_rng(n);
		sum += model_index_uid_to_msn(idx,
		    model_index_msn_to_uid(idx, msn)) == msn;
	}
	if (sum != n)
		die("lookups", "a UID did not map back to its MSN");
}

static void
expunges(struct model_index *idx)
{
	const char *error;
	uint32_t i, count;

	for (i = 0; i < EXPUNGES && (count = model_index_count(idx)) > 0;
	    i++)
		if (model_index_expunge(idx, 1 + fake_rng(count), &error) < 0)
			die("expunge", error);
}

static void
read_rows(struct model_index *idx)
{
	uint32_t row, n = model_index_count(idx);
	uint64_t sum = 0;

	for (row = 1; row <= n; row++)
		sum += model_index_row_to_msn(idx, row);
	if (sum != (uint64_t)n * (n + 1) / 2)
		die("rows", "the rows are not a permutation");
}

static void
run(uint32_t n)
{
	struct model_index *idx;
	struct model_index_stats st;
	const char *error;
	double t;

	/* the same strings for the generator alone and for the build */
	fake_rng_seed(n);
	t = bench_wall();
	generate_only(n);
	report(n, "generate-only", t);
	fake_rng_seed(n);
	t = bench_wall();
	idx = model_index_new(0);
	if (fake_index_fill(idx, n, 2000, &error) < 0)
		die("fill", error);
	report(n, "build", t);
	t = bench_wall();
	lookups(idx, n);
	report(n, "lookup", t);
	t = bench_wall();
	model_index_sort(idx, MODEL_INDEX_COL_SUBJECT, false);
	report(n, "sort-subject", t);
	t = bench_wall();
	model_index_sort(idx, MODEL_INDEX_COL_SIZE, true);
	report(n, "sort-size", t);
	t = bench_wall();
	expunges(idx);
	report(n, "expunge-100k", t);
	t = bench_wall();
	read_rows(idx);
	report(n, "rows-after", t);
	model_index_get_stats(idx, &st);
	printf("%" PRIu32 "\tstats\tsorts=%" PRIu64 " compactions=%" PRIu64
	    " strings=%" PRIu32 "\n", n, st.sorts, st.compactions,
	    st.strings);
	model_index_free(&idx);
}

int
main(int argc, char **argv)
{
	unsigned long n;
	char *end;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-model-index N...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		errno = 0;
		n = strtoul(argv[i], &end, 10);
		if (errno != 0 || *end != '\0' || n == 0 || n > 10000000) {
			fprintf(stderr, "bench-model-index: bad count %s\n",
			    argv[i]);
			return 2;
		}
		run((uint32_t)n);
	}
	return 0;
}
