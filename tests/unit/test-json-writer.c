/* Unit tests for json-writer: exact output, escaping, invalid UTF-8. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "text-json.h"

static void
test_event_shape(void **state)
{
	struct buf out;
	struct json_writer w;

	buf_init(&out, 4096);
	json_writer_init(&w, &out);
	json_object_begin(&w);
	json_key(&w, "event");
	json_cstring(&w, "list");
	json_key(&w, "mailbox");
	json_cstring(&w, "Entw\xc3\xbcrfe");
	json_key(&w, "attributes");
	json_array_begin(&w);
	json_cstring(&w, "\\HasNoChildren");
	json_cstring(&w, "\\Drafts");
	json_array_end(&w);
	json_key(&w, "special_use");
	json_cstring(&w, NULL);
	json_key(&w, "subscribed");
	json_bool(&w, true);
	json_key(&w, "exists");
	json_uint(&w, UINT64_MAX);
	json_key(&w, "ms");
	json_double(&w, 2.4, 1);
	json_key(&w, "empty");
	json_array_begin(&w);
	json_array_end(&w);
	json_object_end(&w);
	assert_int_equal(json_writer_status(&w), 0);
	assert_string_equal(buf_str(&out),
	    "{\"event\":\"list\",\"mailbox\":\"Entw\xc3\xbcrfe\","
	    "\"attributes\":[\"\\\\HasNoChildren\",\"\\\\Drafts\"],"
	    "\"special_use\":null,\"subscribed\":true,"
	    "\"exists\":18446744073709551615,\"ms\":2.4,\"empty\":[]}");
	buf_free(&out);
}

static void
test_escaping(void **state)
{
	struct buf out;
	struct json_writer w;

	buf_init(&out, 4096);
	json_writer_init(&w, &out);
	json_array_begin(&w);
	json_string(&w, "a\"b\\c\n\x01\x1b", 8);
	/* invalid UTF-8 and a NUL become U+FFFD and \u0000 */
	json_string(&w, "x\xff" "y\0z", 5);
	json_array_end(&w);
	assert_int_equal(json_writer_status(&w), 0);
	assert_string_equal(buf_str(&out),
	    "[\"a\\\"b\\\\c\\u000a\\u0001\\u001b\",\"x\xef\xbf\xbdy\\u0000z\"]");
	buf_free(&out);
}

/* What a terminal would act on is never written raw: DEL, C1 (CSI
 * U+009B), bidi overrides (U+202E), isolates, marks and line separators;
 * other characters, wide ones included, stay UTF-8. */
static void
test_terminal_hazards_escaped(void **state)
{
	static const char in[] =
	    "a\x7f" "b\xc2\x9b" "31m" "c\xe2\x80\xae" "d\xe2\x81\xa6"
	    "e\xe2\x80\x8f" "f\xe2\x80\xa8" "g\xd8\x9c" "h\xc2\x85"
	    "\xe6\x97\xa5\xc3\xa9\xe2\x82\xac\xf0\x9f\x93\xa7";
	struct buf out;
	struct json_writer w;

	(void)state;
	buf_init(&out, 4096);
	json_writer_init(&w, &out);
	json_string(&w, in, sizeof(in) - 1);
	assert_int_equal(json_writer_status(&w), 0);
	assert_string_equal(buf_str(&out),
	    "\"a\\u007fb\\u009b31mc\\u202ed\\u2066e\\u200ff\\u2028"
	    "g\\u061ch\\u0085\xe6\x97\xa5\xc3\xa9\xe2\x82\xac\xf0\x9f\x93\xa7\"");
	/* every byte of the output is printable ASCII or UTF-8 text */
	assert_null(memchr(out.data, 0x1b, out.len));
	assert_null(strstr(out.data, "\xc2\x9b"));
	assert_null(strstr(out.data, "\xe2\x80\xae"));
	buf_free(&out);
}

static void
test_failures(void **state)
{
	struct buf out;
	struct json_writer w;
	int i;

	buf_init(&out, 8);
	json_writer_init(&w, &out);
	json_cstring(&w, "far too long for eight bytes");
	assert_int_equal(json_writer_status(&w), -1);
	buf_free(&out);

	buf_init(&out, 4096);
	json_writer_init(&w, &out);
	for (i = 0; i < JSON_MAX_DEPTH + 1; i++)
		json_array_begin(&w);
	assert_int_equal(json_writer_status(&w), -1);
	buf_free(&out);

	buf_init(&out, 4096);
	json_writer_init(&w, &out);
	json_object_begin(&w); /* never closed */
	assert_int_equal(json_writer_status(&w), -1);
	buf_free(&out);
}

/* The fast paths take eight bytes at a time: a byte to escape, or an
 * ill-formed one, at every position of a long string comes out as the
 * one-byte-at-a-time rules say. */
static void
test_long_strings(void **state)
{
	static const struct {
		const char *in;
		const char *out;
	} odd[] = {
		{ "\"", "\\\"" },
		{ "\\", "\\\\" },
		{ "\x1f", "\\u001f" },
		{ "\x7f", "\\u007f" },
		{ "\xff", "\xef\xbf\xbd" },
		{ "\xc3\xa9", "\xc3\xa9" },
	};
	char in[40], want[80];
	struct buf out;
	struct json_writer w;
	size_t i, pos;

	(void)state;
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		for (pos = 0; pos < 20; pos++) {
			memset(in, 'a', 24);
			in[24] = '\0';
			memcpy(in + pos, odd[i].in, strlen(odd[i].in));
			snprintf(want, sizeof(want), "\"%.*s%s%s\"", (int)pos,
			    in, odd[i].out, in + pos + strlen(odd[i].in));
			buf_init(&out, 4096);
			json_writer_init(&w, &out);
			json_cstring(&w, in);
			assert_int_equal(json_writer_status(&w), 0);
			assert_string_equal(buf_str(&out), want);
			buf_free(&out);
		}
}

/* A value marked after its key is written again, byte for byte. */
static void
test_repeat(void **state)
{
	struct buf out;
	struct json_writer w;
	size_t from, to;

	(void)state;
	buf_init(&out, 4096);
	json_writer_init(&w, &out);
	json_object_begin(&w);
	json_key(&w, "from");
	from = json_value_mark(&w);
	json_array_begin(&w);
	json_cstring(&w, "H\xc3\xa9l\xc3\xa8ne");
	json_array_end(&w);
	to = json_value_mark(&w);
	json_key(&w, "sender");
	json_repeat(&w, from, to);
	json_key(&w, "list");
	json_array_begin(&w);
	json_uint(&w, 7);
	json_repeat(&w, from, to);
	json_array_end(&w);
	json_object_end(&w);
	assert_int_equal(json_writer_status(&w), 0);
	assert_string_equal(buf_str(&out),
	    "{\"from\":[\"H\xc3\xa9l\xc3\xa8ne\"],"
	    "\"sender\":[\"H\xc3\xa9l\xc3\xa8ne\"],"
	    "\"list\":[7,[\"H\xc3\xa9l\xc3\xa8ne\"]]}");
	/* marks past the end are refused */
	json_repeat(&w, 0, out.len + 100);
	assert_int_equal(json_writer_status(&w), -1);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_shape),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_terminal_hazards_escaped),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_repeat),
	};

	return cmocka_run_group_tests_name("json-writer", tests, NULL, NULL);
}
