/* Unit tests: what a parked AP does with each mailbox command, good and
 * bad. Only the named CPU ever acts; everything else is left for its
 * owner or for the OS to rewrite, so the mailbox stays usable. */
#include "mbox.h"
#include "support.h"

#define ME 3
#define VEC 0x9a100ull

static enum mbox_action decide(uint16_t cmd, uint32_t apic, uint64_t vec)
{
	struct mbox_snapshot s = { cmd, apic, vec };

	return mbox_decide(&s, ME);
}

static void test_wakeup_for_this_cpu(void **state)
{
	(void)state;
	assert_int_equal(decide(MP_WAKEUP_CMD_WAKEUP, ME, VEC), MBOX_WAKEUP);
}

static void test_test_for_this_cpu(void **state)
{
	(void)state;
	/* TEST ignores the vector. */
	assert_int_equal(decide(MP_WAKEUP_CMD_TEST, ME, 0), MBOX_TEST);
}

static void test_noop_is_idle(void **state)
{
	(void)state;
	assert_int_equal(decide(MP_WAKEUP_CMD_NOOP, ME, VEC), MBOX_IDLE);
}

static void test_other_cpu_is_left_alone(void **state)
{
	(void)state;
	assert_int_equal(decide(MP_WAKEUP_CMD_WAKEUP, ME + 1, VEC), MBOX_IDLE);
	assert_int_equal(decide(MP_WAKEUP_CMD_TEST, ME + 1, 0), MBOX_IDLE);
}

static void test_unknown_commands_are_ignored(void **state)
{
	(void)state;
	for (uint32_t cmd = 3; cmd <= 0xffff; cmd++)
		assert_int_equal(decide((uint16_t)cmd, ME, VEC), MBOX_IDLE);
}

static void test_apic_id_no_parked_cpu_has(void **state)
{
	(void)state;
	/* Every parked CPU compares with its own ID; an ID none has,
	 * including the broadcast-looking values, is acted on by none. */
	assert_int_equal(decide(MP_WAKEUP_CMD_WAKEUP, 0xffffffff, VEC),
			 MBOX_IDLE);
	assert_int_equal(decide(MP_WAKEUP_CMD_WAKEUP, 0xfffffffe, VEC),
			 MBOX_IDLE);
	assert_int_equal(decide(MP_WAKEUP_CMD_TEST, 0x12345678, 0), MBOX_IDLE);
}

static void test_wakeup_without_vector(void **state)
{
	(void)state;
	assert_int_equal(decide(MP_WAKEUP_CMD_WAKEUP, ME, 0), MBOX_IDLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wakeup_for_this_cpu),
		cmocka_unit_test(test_test_for_this_cpu),
		cmocka_unit_test(test_noop_is_idle),
		cmocka_unit_test(test_other_cpu_is_left_alone),
		cmocka_unit_test(test_unknown_commands_are_ignored),
		cmocka_unit_test(test_apic_id_no_parked_cpu_has),
		cmocka_unit_test(test_wakeup_without_vector),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("mbox", tests, NULL, NULL);
}
