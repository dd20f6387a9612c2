/* Unit tests: the firmware's vsnprintf. */
#include <stdio.h>
#include <string.h>

#include "debug.h"
#include "support.h"

static void check(const char *expect, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_string_equal(buf, expect);
	assert_int_equal(n, strlen(expect));
}

static void test_conversions(void **state)
{
	(void)state;
	check("a 42 -7 ff FF", "%c %d %i %x %X", 'a', 42, -7, 255, 255);
	check("[  5.007 ms]", "[%3u.%03u ms]", 5u, 7u);
	check("0x00ff|ab   |  -3|-0003", "0x%04x|%-5s|%4d|%05d", 255, "ab", -3,
	      -3);
	check("18446744073709551615 ffffffffffffffff",
	      "%llu %llx", ~0ull, ~0ull);
	check("(null) 100% 0x1000", "%s 100%% %p", (char *)NULL,
	      (void *)0x1000);
	check("4096", "%zu", (size_t)4096);
}

static void test_truncates(void **state)
{
	char buf[6];

	(void)state;
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "hello world"), 11);
	assert_string_equal(buf, "hello");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_truncates),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
