/* Unit tests for util-buf: caps, growth, consume and secret buffers. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util-buf.h"

static void
test_append_and_str(void **state)
{
	struct buf b;

	buf_init(&b, 1024);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_append_str(&b, "A1 "), 0);
	assert_int_equal(buf_append(&b, "OK\0x", 4), 0);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "A1 OK\0x", 7);
	assert_int_equal(b.data[7], '\0');
	buf_free(&b);
	assert_null(b.data);
}

static void
test_cap_is_exact_and_atomic(void **state)
{
	struct buf b;

	buf_init(&b, 8);
	assert_int_equal(buf_append_str(&b, "12345678"), 0);
	/* One byte over the cap fails and leaves the contents unchanged. */
	assert_int_equal(buf_append_byte(&b, '9'), -1);
	assert_int_equal(b.len, 8);
	assert_string_equal(buf_str(&b), "12345678");
	buf_reset(&b);
	assert_int_equal(buf_append_str(&b, "123456789"), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_huge_length_does_not_overflow(void **state)
{
	struct buf b;

	buf_init(&b, SIZE_MAX);
	assert_int_equal(buf_append_str(&b, "ab"), 0);
	/* len + SIZE_MAX would wrap; the check must catch it. */
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), -1);
	assert_int_equal(b.len, 2);
	buf_free(&b);
}

static void
test_printf_respects_cap(void **state)
{
	struct buf b;

	buf_init(&b, 10);
	assert_int_equal(buf_printf(&b, "%s-%d", "tag", 42), 0);
	assert_string_equal(buf_str(&b), "tag-42");
	assert_int_equal(buf_printf(&b, "%05d", 1), -1);
	assert_string_equal(buf_str(&b), "tag-42");
	buf_free(&b);
}

static void
test_growth_keeps_contents(void **state)
{
	struct buf b;
	size_t i;

	buf_init(&b, 1 << 20);
	for (i = 0; i < 100000; i++)
		assert_int_equal(buf_append_byte(&b, (unsigned char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 100000);
	for (i = 0; i < 100000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	buf_free(&b);
}

static void
test_consume(void **state)
{
	struct buf b;

	buf_init(&b, 64);
	buf_append_str(&b, "* OK hello\r\nA1 OK");
	buf_consume(&b, 12);
	assert_string_equal(buf_str(&b), "A1 OK");
	buf_consume(&b, 100);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

static void
test_secret_growth_and_steal(void **state)
{
	struct buf b;
	char *s;
	int i;

	buf_init_secret(&b, 4096);
	for (i = 0; i < 200; i++)
		assert_int_equal(buf_append_str(&b, "pw"), 0);
	assert_int_equal(b.len, 400);
	assert_memory_equal(b.data, "pwpwpw", 6);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	buf_append_str(&b, "secret");
	s = buf_steal(&b);
	assert_string_equal(s, "secret");
	assert_null(b.data);
	free(s);
}

/* buf_reset_keep: memory kept up to the limit, given back above it; the
 * cap stays, so the buffer is usable either way. */
static void
test_reset_keep(void **state)
{
	struct buf b;
	char big[5000];

	(void)state;
	memset(big, 'x', sizeof(big));
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_append(&b, "abc", 3), 0);
	buf_reset_keep(&b, 4096);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_append(&b, big, sizeof(big)), 0);
	buf_reset_keep(&b, 4096);
	assert_null(b.data);
	assert_int_equal(b.alloc, 0);
	assert_int_equal(b.max, 1 << 20);
	assert_int_equal(buf_append(&b, "de", 2), 0);
	assert_string_equal(buf_str(&b), "de");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_str),
		cmocka_unit_test(test_cap_is_exact_and_atomic),
		cmocka_unit_test(test_huge_length_does_not_overflow),
		cmocka_unit_test(test_printf_respects_cap),
		cmocka_unit_test(test_growth_keeps_contents),
		cmocka_unit_test(test_consume),
		cmocka_unit_test(test_secret_growth_and_steal),
		cmocka_unit_test(test_reset_keep),
	};

	return cmocka_run_group_tests_name("util-buf", tests, NULL, NULL);
}
