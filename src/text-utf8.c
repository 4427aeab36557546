/* text-utf8: the small UTF-8 primitives the text decoders share. */
#include "config.h"

#include <string.h>

#include "text-utf8.h"

/* The range the second byte of a sequence must fall in, by lead byte:
 * this is what rules out overlongs, surrogates and values past U+10FFFF
 * (Unicode 15, table 3-7). */
static bool
utf8_second_ok(unsigned char lead, unsigned char c)
{
	unsigned char lo = 0x80, hi = 0xbf;

	if (lead == 0xe0)
		lo = 0xa0;
	else if (lead == 0xed)
		hi = 0x9f;
	else if (lead == 0xf0)
		lo = 0x90;
	else if (lead == 0xf4)
		hi = 0x8f;
	return c >= lo && c <= hi;
}

/* The sequence length a lead byte announces, or 0 for a byte that can
 * never start one. */
static size_t
utf8_lead_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* How many bytes at s form the longest valid prefix of a sequence
 * ("maximal subpart"); equals the announced length when it is whole. */
static size_t
utf8_prefix_len(const unsigned char *s, size_t len, size_t need)
{
	size_t i;

	if (need <= 1)
		return need;
	if (len < 2 || !utf8_second_ok(s[0], s[1]))
		return 1;
	for (i = 2; i < need && i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			break;
	return i;
}

size_t
text_utf8_sequence(const unsigned char *s, size_t len, uint32_t *cp_r)
{
	size_t need, i;
	uint32_t cp;

	if (len == 0)
		return 0;
	need = utf8_lead_len(s[0]);
	if (need == 0 || utf8_prefix_len(s, len, need) != need)
		return 0;
	if (need == 1) {
		*cp_r = s[0];
		return 1;
	}
	cp = s[0] & (0x7f >> need);
	for (i = 1; i < need; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	*cp_r = cp;
	return need;
}

size_t
text_utf8_ill_formed_len(const unsigned char *s, size_t len)
{
	size_t bad;

	if (len == 0)
		return 0;
	bad = utf8_prefix_len(s, len, utf8_lead_len(s[0]));
	return bad == 0 ? 1 : bad;
}

bool
text_utf8_is_valid(const void *s, size_t len)
{
	const unsigned char *p = s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = text_utf8_sequence(p + i, len - i, &cp)) == 0)
			return false;
		i += n;
	}
	return true;
}

int
text_utf8_append_cp(struct buf *out, uint32_t cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_append(out, b, n);
}

int
text_utf8_append_sanitized(struct buf *out, const void *s, size_t len)
{
	const unsigned char *p = s;
	size_t i = 0, run = 0, n;
	uint32_t cp;

	/* Copy valid runs in one piece; replace each broken subpart. */
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = text_utf8_sequence(p + i, len - i, &cp)) != 0) {
			i += n;
			continue;
		}
		if (buf_append(out, p + run, i - run) != 0 ||
		    text_utf8_append_cp(out, TEXT_UTF8_REPLACEMENT) != 0)
			return -1;
		i += text_utf8_ill_formed_len(p + i, len - i);
		run = i;
	}
	return buf_append(out, p + run, len - run);
}
