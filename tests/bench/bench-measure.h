/* bench-measure: what the benchmarks read of themselves (a clock, the
 * heap in use, the peak RSS), shared by tests/bench/bench-*.c. */
#ifndef IMAPWB_BENCH_MEASURE_H
#define IMAPWB_BENCH_MEASURE_H

#include <malloc.h>
#include <stddef.h>
#include <sys/resource.h>
#include <time.h>

/* A clock in seconds: CLOCK_MONOTONIC for wall time,
 * CLOCK_PROCESS_CPUTIME_ID for CPU. */
static inline double
bench_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline double
bench_wall(void)
{
	return bench_clock(CLOCK_MONOTONIC);
}

/* Bytes malloc has handed out and not had back (0 without glibc 2.33's
 * mallinfo2). */
static inline size_t
bench_heap_bytes(void)
{
#if defined(__GLIBC__) && __GLIBC__ == 2 && __GLIBC_MINOR__ >= 33
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
#else
	return 0;
#endif
}

/* The process's peak resident size in KiB (Linux's unit), -1 on error. */
static inline long
bench_peak_rss_kib(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return -1;
	return ru.ru_maxrss;
}

#endif
