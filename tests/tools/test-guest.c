/* Unit tests for the guest console parser (tools/hotcpu/guest.c): the
 * online set, refusals and possible CPUs read from a growing log. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest.h"

static struct guest_console c;

static int setup(void **state)
{
	(void)state;
	memset(&c, 0, sizeof(c));
	c.notify_fd = -1;
	c.fd = memfd_create("serial.log", MFD_CLOEXEC);
	assert_true(c.fd >= 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	guest__close(&c);
	return 0;
}

/* Appends text to the log as QEMU would and polls it. */
static int feed(const char *text)
{
	assert_int_equal(write(c.fd, text, strlen(text)), strlen(text));
	return guest__poll(&c);
}

static void test_online_set(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(feed("GUEST-CPUS-POSSIBLE 0-3\r\n"), 0);
	assert_string_equal(c.possible, "0-3");
	assert_int_equal(feed("GUEST-CPUS-ONLINE [0 2] t=2.5\r\n"), 1);
	assert_true(c.agent);
	assert_int_equal(c.n_online, 2);
	guest__format_online(&c, buf, sizeof(buf));
	assert_string_equal(buf, "0 2");
	/* The same set again is no change. */
	assert_int_equal(feed("GUEST-CPUS-ONLINE [0 2] t=2.6\n"), 0);
}

/* A line split across writes counts once, when it ends. */
static void test_line_in_pieces(void **state)
{
	(void)state;
	assert_int_equal(feed("GUEST-CPUS-ONL"), 0);
	assert_int_equal(c.n_online, 0);
	assert_int_equal(feed("INE [0 1 3] t=4"), 0);
	assert_int_equal(feed(".0\n"), 1);
	assert_int_equal(c.n_online, 3);
	assert_true(c.online[3]);
}

/* The count is of CPUs, not of numbers: "[0 0]" is one CPU online.
 * Found by tests/fuzz/fuzz-guest-console.c ("n_online 3, 2 CPUs
 * online"); plug and unplug compare it with QEMU's count. */
static void test_repeated_cpu_counts_once(void **state)
{
	(void)state;
	assert_int_equal(feed("GUEST-CPUS-ONLINE [0 1 1 0 1] t=1\n"), 1);
	assert_int_equal(c.n_online, 2);
	assert_int_equal(feed("GUEST-CPUS-ONLINE [0 1] t=2\n"), 0);
}

static void test_refusal(void **state)
{
	(void)state;
	feed("[    2.610000] ACPI: Unable to map lapic to logical cpu number\n");
	assert_int_equal(c.refusals, 1);
	assert_string_equal(c.refusal,
			    "ACPI: Unable to map lapic to logical cpu number");
	assert_false(c.agent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_online_set),
		T(test_line_in_pieces),
		T(test_repeated_cpu_counts_once),
		T(test_refusal),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("guest", tests, NULL, NULL);
}
