/* Unit tests: the bookkeeping of APs that sleep in a session
 * (firmware/shared/smm_nmi.c), on a fake platform whose NMIs reach the
 * handler's decision at once: the re-block before RSM and the NMI left
 * for the OS, the monarch's one NMI per sleep, and when APs may sleep. */
#include <string.h>

#include "smm_nmi.h"
#include "support.h"

static struct smm_state st;
static struct platform p;
static uint32_t sent_to[16], nr_sent;
/* Sends that stay pending: NMIs blocked (after the re-block). */
static uint32_t pending;
static int send_fails, can_send_fails;

static void fake_relax(void *ctx)
{
	(void)ctx;
}

/* An NMI to one of the slots: its handler runs at once, unless the
 * re-block already kept NMIs blocked. */
static int fake_send_nmi(void *ctx, uint32_t apic_id)
{
	struct smm_slot *sl = &st.slots[apic_id];

	(void)ctx;
	if (send_fails)
		return -1;
	sent_to[nr_sent++] = apic_id;
	if (sl->nmi_block == SMM_NMI_BLOCK_DONE)
		pending++;
	else
		smm_nmi_taken(sl);
	return 0;
}

static int fake_can_send(void *ctx)
{
	(void)ctx;
	return can_send_fails ? -1 : 0;
}

static void fake_sleep(void *ctx, volatile uint32_t *w, uint32_t v)
{
	(void)ctx;
	(void)w;
	(void)v;
}

static int fake_nmi_open(void *ctx, uint32_t slot)
{
	(void)ctx;
	(void)slot;
	return 0;
}

static const struct smm_ctx c = { .st = &st, .p = &p };

static int setup(void **state)
{
	(void)state;
	memset(&st, 0, sizeof(st));
	memset(&p, 0, sizeof(p));
	p.relax = fake_relax;
	p.send_nmi = fake_send_nmi;
	p.can_send = fake_can_send;
	p.sleep = fake_sleep;
	p.nmi_open = fake_nmi_open;
	st.nr_slots = 4;
	for (uint32_t i = 0; i < 4; i++)
		st.slots[i].apic_id = i;
	nr_sent = pending = 0;
	send_fails = can_send_fails = 0;
	return 0;
}

static void test_the_armed_nmi_keeps_nmis_blocked(void **state)
{
	struct smm_slot *me = &st.slots[1];

	(void)state;
	assert_int_equal(smm_nmi_taken(me), SMM_NMI_IRET);
	assert_int_equal(me->nmis, 1);
	me->nmi_block = SMM_NMI_BLOCK_ARMED;
	assert_int_equal(smm_nmi_taken(me), SMM_NMI_KEEP_BLOCKED);
	assert_int_equal(me->nmi_block, SMM_NMI_BLOCK_DONE);
	assert_int_equal(me->nmis, 1);
}

static void test_close_blocks_and_leaves_nothing_for_the_os(void **state)
{
	struct smm_slot *me = &st.slots[2];

	(void)state;
	/* One sleep, one wake from the monarch, taken. */
	me->nmi_open = 1;
	me->nmis = 1;
	me->wakes = 1;
	smm_nmi_close(&c, me);
	assert_int_equal(nr_sent, 1);
	assert_int_equal(sent_to[0], 2);
	assert_int_equal(pending, 0);
	assert_int_equal(me->nmi_open, 0);
	assert_int_equal(me->nmis, 0);
	assert_int_equal(me->nmi_block, 0);
}

static void test_close_leaves_one_for_the_os(void **state)
{
	struct smm_slot *me = &st.slots[2];

	(void)state;
	/* The handler took one NMI more than the monarch sent: the OS's. */
	me->nmi_open = 1;
	me->nmis = 2;
	me->wakes = 1;
	smm_nmi_close(&c, me);
	assert_int_equal(nr_sent, 2);
	assert_int_equal(pending, 1);
}

static void test_close_without_a_sleep_does_nothing(void **state)
{
	(void)state;
	smm_nmi_close(&c, &st.slots[3]);
	assert_int_equal(nr_sent, 0);
}

static void test_the_monarch_wakes_each_sleeper_once(void **state)
{
	(void)state;
	st.bsp_slot = 0;
	st.slots[1].sleep = SMM_SLEEP_READY;
	st.slots[2].sleep = SMM_SLEEP_AWAKE;
	st.slots[3].sleep = SMM_SLEEP_READY;
	smm_wake_sleepers(&c);
	assert_int_equal(nr_sent, 2);
	assert_int_equal(sent_to[0], 1);
	assert_int_equal(sent_to[1], 3);
	assert_int_equal(st.slots[1].sleep, SMM_SLEEP_SENT);
	assert_int_equal(st.slots[2].sleep, SMM_SLEEP_AWAKE);
	/* Claimed already: not again. */
	smm_wake_sleepers(&c);
	assert_int_equal(nr_sent, 2);
}

static void test_a_claimed_sleep_waits_for_its_nmi(void **state)
{
	struct smm_slot *me = &st.slots[1];
	uint32_t h0;

	(void)state;
	st.wake_ok = 5;
	assert_true(smm_sleep_begin(&c, me, 1, 5, &h0));
	assert_int_equal(me->sleep, SMM_SLEEP_READY);
	/* Not claimed: back awake, no wake counted. */
	smm_sleep_end(&c, me, h0, false);
	assert_int_equal(me->sleep, SMM_SLEEP_AWAKE);
	assert_int_equal(me->wakes, 0);
	/* Claimed and sent (its NMI taken at once here). */
	assert_true(smm_sleep_begin(&c, me, 1, 5, &h0));
	smm_wake_sleepers(&c);
	smm_sleep_end(&c, me, h0, true);
	assert_int_equal(me->sleep, SMM_SLEEP_AWAKE);
	assert_int_equal(me->wakes, 1);
	assert_int_equal(me->nmis, 1);
}

static void test_aps_sleep_only_if_the_monarch_can_wake_them(void **state)
{
	struct smm_slot *me = &st.slots[1];
	uint32_t h0;

	(void)state;
	smm_wake_open(&c, 7);
	assert_int_equal(st.wake_ok, 7);
	assert_true(smm_sleep_begin(&c, me, 1, 7, &h0));
	smm_sleep_end(&c, me, h0, false);
	/* Another session's word, or a monarch without a usable APIC. */
	assert_false(smm_sleep_begin(&c, me, 1, 9, &h0));
	can_send_fails = 1;
	smm_wake_open(&c, 9);
	assert_int_equal(st.wake_ok, 0);
	assert_false(smm_sleep_begin(&c, me, 1, 9, &h0));
	/* A platform that cannot sleep at all. */
	can_send_fails = 0;
	p.sleep = NULL;
	smm_wake_open(&c, 11);
	assert_int_equal(st.wake_ok, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_the_armed_nmi_keeps_nmis_blocked, setup),
		cmocka_unit_test_setup(test_close_blocks_and_leaves_nothing_for_the_os, setup),
		cmocka_unit_test_setup(test_close_leaves_one_for_the_os, setup),
		cmocka_unit_test_setup(test_close_without_a_sleep_does_nothing, setup),
		cmocka_unit_test_setup(test_the_monarch_wakes_each_sleeper_once, setup),
		cmocka_unit_test_setup(test_a_claimed_sleep_waits_for_its_nmi, setup),
		cmocka_unit_test_setup(test_aps_sleep_only_if_the_monarch_can_wake_them, setup),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("smm-nmi", tests, NULL, NULL);
}
