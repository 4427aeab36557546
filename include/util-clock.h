/* util-clock: the monotonic clock in milliseconds, for timeouts and
 * deadlines (never the wall clock, which can jump). */
#ifndef IMAPWB_UTIL_CLOCK_H
#define IMAPWB_UTIL_CLOCK_H

#include <stdint.h>

uint64_t clock_now_ms(void);
/* The same clock in fractional milliseconds, for measuring (-z). */
double clock_now_ms_precise(void);

#endif
