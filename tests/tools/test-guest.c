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

/* The supervisor reads the console in chunks: the agent's marker is
 * found wherever a chunk boundary cuts it, once and only once it is
 * whole. */
static void test_marker_across_reads(void **state)
{
	const char log[] = "Run /init\nGUEST-CPUS-ONLINE [0] t=2.7\n$ ";
	const char *m = strstr(log, "GUEST");
	size_t end = (size_t)(m - log) + strlen("GUEST-CPUS-ONLINE [");

	(void)state;
	/* Two reads, cut at every byte. */
	for (size_t cut = 0; cut <= sizeof(log) - 1; cut++) {
		struct guest_marker_scan s = { 0 };
		int a = guest__marker_seen(&s, log, cut);
		int b = guest__marker_seen(&s, log + cut,
					   sizeof(log) - 1 - cut);

		assert_int_equal(a, cut >= end);
		assert_true(a || b);
	}
	/* A byte a read, as QEMU writes the console. */
	{
		struct guest_marker_scan s = { 0 };
		size_t first = 0, times = 0;

		for (size_t i = 0; i < sizeof(log) - 1; i++)
			if (guest__marker_seen(&s, log + i, 1) && !times++)
				first = i + 1;
		assert_int_equal(first, end);
		assert_int_equal(times, 1);
	}
	/* Not in text that only looks like it. */
	{
		struct guest_marker_scan s = { 0 };

		assert_false(guest__marker_seen(&s, "GUEST-CPUS-ONL", 14));
		assert_false(guest__marker_seen(&s, "Y [0]\n", 6));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_online_set),
		T(test_line_in_pieces),
		T(test_repeated_cpu_counts_once),
		T(test_refusal),
		T(test_marker_across_reads),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("guest", tests, NULL, NULL);
}
