/* Unit tests: the phase times of an SMI session's debugcon lines
 * (firmware/shared/smm_phase.c): arrival is counted only for the session
 * the waiters waited for, from the earliest of them, across the wrap of
 * the 32-bit microsecond clock, and the exit line comes once, from the
 * last AP to leave, with how many waited. */
#include <string.h>

#include "smm_phase.h"
#include "support.h"

static void test_arrival_from_the_earliest_waiter(void **state)
{
	struct smm_phase ph;

	(void)state;
	memset(&ph, 0, sizeof(ph));
	smm_phase_wait(&ph, 1500, 7);
	smm_phase_wait(&ph, 1200, 7);
	smm_phase_wait(&ph, 1900, 7);
	assert_int_equal(smm_phase_open(&ph, 7, 2000), 800);
	/* Taken: the next session starts from nothing. */
	assert_int_equal(smm_phase_open(&ph, 9, 3000), 0);
}

static void test_a_stale_wait_is_not_counted(void **state)
{
	struct smm_phase ph;

	(void)state;
	memset(&ph, 0, sizeof(ph));
	/* A CPU that waited for session 5 after it had opened. */
	smm_phase_wait(&ph, 100, 5);
	assert_int_equal(smm_phase_open(&ph, 7, 5000), 0);
	/* A wait for the right session replaces a stale one. */
	smm_phase_wait(&ph, 100, 5);
	smm_phase_wait(&ph, 4000, 9);
	assert_int_equal(smm_phase_open(&ph, 9, 4250), 250);
}

static void test_arrival_across_the_clock_wrap(void **state)
{
	struct smm_phase ph;
	uint64_t t = 0x100000000ull;

	(void)state;
	memset(&ph, 0, sizeof(ph));
	smm_phase_wait(&ph, t - 30, 11);
	smm_phase_wait(&ph, t - 10, 11);
	assert_int_equal(smm_phase_open(&ph, 11, t + 70), 100);
}

static void test_the_last_ap_out_prints_once(void **state)
{
	struct smm_phase ph;

	(void)state;
	memset(&ph, 0, sizeof(ph));
	support_reset();
	smm_phase_join(&ph);
	smm_phase_join(&ph);
	smm_phase_halted(&ph);
	smm_phase_join(&ph);
	/* One parks for an eject: it never leaves. */
	smm_phase_park(&ph);
	smm_phase_close(&ph, 10000);
	smm_phase_leave(&ph, 13, 10040);
	assert_false(support_log_has("session 13"));
	smm_phase_leave(&ph, 13, 10250);
	assert_log("smm: session 13: 3 APs waited in it (1 halted), the last "
		   "left 250 us after it closed");
	support_reset();
	smm_phase_join(&ph);
	smm_phase_close(&ph, 20000);
	smm_phase_leave(&ph, 15, 20005);
	assert_log("smm: session 15: 1 APs waited in it (0 halted)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arrival_from_the_earliest_waiter),
		cmocka_unit_test(test_a_stale_wait_is_not_counted),
		cmocka_unit_test(test_arrival_across_the_clock_wrap),
		cmocka_unit_test(test_the_last_ap_out_prints_once),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("smm-phase", tests, NULL, NULL);
}
