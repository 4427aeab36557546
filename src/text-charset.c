/* text-charset: convert bytes in a MIME charset to UTF-8 with iconv. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "text-charset.h"
#include "text-utf8.h"

#define CHARSET_CACHE_SIZE 4
#define CHARSET_CHUNK 512

/* Labels that mail software uses but glibc's iconv does not know, mapped
 * to the charset they mean in practice (as the WHATWG Encoding Standard
 * maps them). */
static const struct charset_alias {
	const char *label;
	const char *iconv_name;
} charset_aliases[] = {
	{ "ks_c_5601-1987", "CP949" }, /* Outlook's name for Korean */
	{ "iso-8859-8-i", "ISO-8859-8" }, /* same bytes, logical order */
	{ "x-sjis", "SHIFT_JIS" },
	{ "x-gbk", "GBK" },
	{ "unicode-1-1-utf-7", "UTF-7" },
	{ "x-mac-roman", "MACINTOSH" },
};

struct charset_entry {
	char name[TEXT_CHARSET_NAME_MAX + 1]; /* normalized; "" if unused */
	iconv_t cd;
};

static struct charset_entry charset_cache[CHARSET_CACHE_SIZE];
static size_t charset_cache_next;

/* The characters of IANA charset names ("ISO_8859-1:1987"). Everything
 * else is refused, which keeps iconv's own syntax ("//IGNORE",
 * "//TRANSLIT") and anything path-like away from it. */
static bool
charset_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '_' || c == '.' || c == ':' || c == '+';
}

/* Lower-case the name into norm; false if it cannot be a charset name. */
static bool
charset_normalize(const char *name, size_t len,
    char norm[TEXT_CHARSET_NAME_MAX + 1])
{
	size_t i;
	char c;

	if (len == 0 || len > TEXT_CHARSET_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		c = name[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!charset_name_char(c))
			return false;
		norm[i] = c;
	}
	norm[len] = '\0';
	return true;
}

/* UTF-8 is checked by hand: it is the common case and needs no iconv. */
static bool
charset_is_utf8(const char *norm)
{
	return strcmp(norm, "utf-8") == 0 || strcmp(norm, "utf8") == 0;
}

static const char *
charset_iconv_name(const char *norm)
{
	size_t i;

	for (i = 0; i < sizeof(charset_aliases) / sizeof(charset_aliases[0]);
	    i++)
		if (strcmp(norm, charset_aliases[i].label) == 0)
			return charset_aliases[i].iconv_name;
	return norm;
}

/* A converter from the charset to UTF-8, from the cache or freshly opened
 * (evicting the oldest entry); (iconv_t)-1 if iconv does not know it. */
static iconv_t
charset_open(const char *norm)
{
	struct charset_entry *e;
	iconv_t cd;
	size_t i;

	for (i = 0; i < CHARSET_CACHE_SIZE; i++)
		if (strcmp(charset_cache[i].name, norm) == 0)
			return charset_cache[i].cd;
	cd = iconv_open("UTF-8", charset_iconv_name(norm));
	if (cd == (iconv_t)-1)
		return cd;
	e = &charset_cache[charset_cache_next];
	charset_cache_next = (charset_cache_next + 1) % CHARSET_CACHE_SIZE;
	if (e->name[0] != '\0')
		iconv_close(e->cd);
	memcpy(e->name, norm, strlen(norm) + 1);
	e->cd = cd;
	return cd;
}

void
text_charset_cache_clear(void)
{
	size_t i;

	for (i = 0; i < CHARSET_CACHE_SIZE; i++) {
		if (charset_cache[i].name[0] != '\0')
			iconv_close(charset_cache[i].cd);
		charset_cache[i].name[0] = '\0';
	}
	charset_cache_next = 0;
}

bool
text_charset_known(const char *name, size_t len)
{
	char norm[TEXT_CHARSET_NAME_MAX + 1];

	if (!charset_normalize(name, len, norm))
		return false;
	return charset_is_utf8(norm) || charset_open(norm) != (iconv_t)-1;
}

/* One iconv call into a chunk, appended to out; E2BIG just means the
 * chunk is full. A byte the charset does not allow (EILSEQ) becomes
 * U+FFFD and is skipped; a sequence cut off at the end (EINVAL) becomes
 * one U+FFFD. With ip NULL, it flushes a stateful charset's shift state
 * (ISO-2022-JP). What iconv writes is checked again: glibc's UTF-8
 * decoder passes code points above U+10FFFF (F4 9C 9C 9C) through. */
static int
charset_step(iconv_t cd, char **ip, size_t *il, struct buf *out)
{
	char chunk[CHARSET_CHUNK], *op = chunk;
	size_t ol = sizeof(chunk), rc;
	int err;

	rc = iconv(cd, ip, il, &op, &ol);
	err = errno;
	if (text_utf8_append_sanitized(out, chunk, (size_t)(op - chunk)) != 0)
		return -1;
	if (rc != (size_t)-1 || err == E2BIG || ip == NULL)
		return 0;
	if (text_utf8_append_cp(out, TEXT_UTF8_REPLACEMENT) != 0)
		return -1;
	if (err == EINVAL)
		*il = 0;
	else {
		(*ip)++;
		(*il)--;
	}
	return 0;
}

static int
charset_convert(iconv_t cd, const char *in, size_t len, struct buf *out)
{
	char *ip = (char *)in; /* iconv's prototype lacks the const */
	size_t il = len;

	iconv(cd, NULL, NULL, NULL, NULL);
	while (il > 0)
		if (charset_step(cd, &ip, &il, out) != 0)
			return -1;
	return charset_step(cd, NULL, NULL, out);
}

int
text_charset_to_utf8(const char *name, size_t name_len, const void *in,
    size_t len, struct buf *out, const char **error_r)
{
	char norm[TEXT_CHARSET_NAME_MAX + 1];
	iconv_t cd;

	if (!charset_normalize(name, name_len, norm)) {
		*error_r = "invalid charset name";
		return -1;
	}
	if (charset_is_utf8(norm)) {
		if (text_utf8_append_sanitized(out, in, len) == 0)
			return 0;
	} else if ((cd = charset_open(norm)) == (iconv_t)-1) {
		*error_r = "unknown charset";
		return -1;
	} else if (charset_convert(cd, in, len, out) == 0)
		return 0;
	*error_r = "decoded text too long";
	return -1;
}
