/* util-word: eight bytes at a time (SWAR). The hot scans (the parser's
 * fallback, the JSON writer, the display, RFC 2047's plain check, the
 * index's sort keys and search) test a word of eight bytes with integer
 * arithmetic instead of a loop; these are the tricks they share, each
 * with what it promises. A "flag" is bit 7 of a byte of the result. */
#ifndef IMAPWB_UTIL_WORD_H
#define IMAPWB_UTIL_WORD_H

#include <stdint.h>
#include <string.h>

#define WORD_ONES  0x0101010101010101ULL /* 0x01 in every byte */
#define WORD_HIGHS 0x8080808080808080ULL /* 0x80 in every byte */

/* Eight bytes, the first one lowest (one load on a little-endian CPU):
 * the lowest flag of a result is then the first byte from p. */
static inline uint64_t
word_load(const void *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	return x;
}

/* Flags the bytes of x that are 0. The lowest flag is always right; a
 * flag above a real one may be false (a borrow), none is missed. */
static inline uint64_t
word_zero_bytes(uint64_t x)
{
	return (x - WORD_ONES) & ~x & WORD_HIGHS;
}

/* Flags the bytes of x equal to c, as word_zero_bytes(). */
static inline uint64_t
word_bytes_equal(uint64_t x, unsigned char c)
{
	return word_zero_bytes(x ^ (WORD_ONES * c));
}

/* Non-zero if some byte of x is below n (n <= 128): exact as a yes or
 * no for the word. */
static inline uint64_t
word_has_below(uint64_t x, unsigned char n)
{
	return (x - WORD_ONES * n) & ~x & WORD_HIGHS;
}

/* Non-zero if some byte of x is not printable ASCII (below 0x20, or
 * 0x7f and above): exact as a yes or no for the word. */
static inline uint64_t
word_has_unprintable(uint64_t x)
{
	return word_has_below(x, 0x20) | ((x | (x + WORD_ONES)) & WORD_HIGHS);
}

#endif
