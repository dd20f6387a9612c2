/* Unit tests: the hotplug register protocol and the admission/eject
 * plan, against a fake register block that can answer junk. */
#include <string.h>

#include "cpuhp.h"
#include "cpuhp_plan.h"
#include "fake_cpuhp.h"
#include "hw/cpuhp.h"
#include "support.h"

#define NR 8

static struct fake_cpuhp f;
static struct platform p;
static struct cpuhp c;
static struct smm_slot slots[SMM_MAX_CPUS], before[SMM_MAX_CPUS];
static struct cpuhp_plan plan;

/* 8 possible CPUs, 2 present and relocated (0 is the BSP). */
static int setup(void **state)
{
	(void)state;
	support_reset();
	fake_cpuhp_init(&f, NR, 2);
	fake_cpuhp_platform(&f, &p);
	cpuhp_init(&c, &p, CPUHP_BASE_Q35);
	assert_int_equal(cpuhp_probe(&c, SMM_MAX_CPUS), 0);
	memset(slots, 0, sizeof(slots));
	for (uint32_t i = 0; i < NR; i++) {
		slots[i].apic_id = i;
		slots[i].state = i < 2 ? SLOT_RELOCATED : SLOT_ABSENT;
	}
	memcpy(before, slots, sizeof(slots));
	return 0;
}

static void plug(uint32_t sel)
{
	f.cpu[sel].present = f.cpu[sel].inserting = true;
}

static int collect(uint32_t max_add)
{
	return cpuhp_collect(&c, slots, 0, max_add, &plan);
}

/* Whatever the block says, collecting never writes the slot table. */
static void assert_slots_untouched(void)
{
	assert_memory_equal(slots, before, sizeof(slots));
}

static void test_probe_counts_possible_cpus(void **state)
{
	(void)state;
	assert_int_equal(c.nr, NR);
	assert_true(f.modern);
	assert_int_equal(f.selector, 0);
}

static void test_probe_refuses_legacy_block(void **state)
{
	struct cpuhp c2;

	(void)state;
	/* A block that stays legacy answers its bitmap where data2 is. */
	fake_cpuhp_init(&f, NR, 2);
	f.stay_legacy = true;
	cpuhp_init(&c2, &p, CPUHP_BASE_Q35);
	assert_int_equal(cpuhp_probe(&c2, SMM_MAX_CPUS), -1);
	assert_int_equal(c2.nr, 0);
}

static void test_collect_inserted_cpus(void **state)
{
	(void)state;
	plug(2);
	plug(5);
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_add, 2);
	assert_int_equal(plan.add[0], 2);
	assert_int_equal(plan.add[1], 5);
	assert_int_equal(plan.nr_eject, 0);
	assert_int_equal(plan.nr_refused, 0);
	/* Events stay for the AML to clear after the SMI. */
	assert_true(f.cpu[2].inserting && f.cpu[5].inserting);
	assert_slots_untouched();
}

static void test_collect_eject(void **state)
{
	(void)state;
	f.cpu[1].fw_remove = true;
	f.cpu[7].removing = true;	/* OSPM's own event: ignored */
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_eject, 1);
	assert_int_equal(plan.eject[0], 1);
	assert_int_equal(plan.nr_add, 0);
	assert_int_equal(plan.nr_refused, 0);
}

static void test_refuse_selector_that_does_not_exist(void **state)
{
	(void)state;
	plug(3);
	f.junk_next = 99;
	assert_int_equal(collect(NR), -1);
	assert_int_equal(plan.nr_add, 0);
	assert_log("selector 99: GET_NEXT_CPU_WITH_EVENT answered a selector "
		   "past the 8 possible CPUs; refused");
	assert_slots_untouched();
}

/* QEMU's CSCN clears insert events only after its SMI, so the next
 * CSCN's SMI sees a CPU the last one admitted: nothing to do, no error. */
static void test_insert_event_of_admitted_cpu_is_pending(void **state)
{
	(void)state;
	plug(1);
	slots[2].state = SLOT_ADMITTED;
	plug(2);
	memcpy(before, slots, sizeof(slots));
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_add, 0);
	assert_int_equal(plan.nr_refused, 0);
	assert_int_equal(plan.nr_pending, 2);
	assert_string_equal(support_log, "");
	assert_slots_untouched();
}

static void test_refuse_apic_id_already_admitted(void **state)
{
	(void)state;
	/* An admitted slot whose CPU now answers another APIC ID... */
	plug(1);
	f.cpu[1].arch_id = 5;
	/* ...and a new CPU whose APIC ID collides with slot 1's. */
	plug(4);
	slots[4].apic_id = 1;
	f.cpu[4].arch_id = 1;
	memcpy(before, slots, sizeof(slots));
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_add, 0);
	assert_int_equal(plan.nr_pending, 0);
	assert_int_equal(plan.nr_refused, 2);
	assert_log("selector 1: GET_CPU_ID says APIC ID 0x5, boot said 0x1; "
		   "refused");
	assert_log("selector 4: APIC ID 0x1 is already admitted in slot 1");
	assert_slots_untouched();
}

static void test_refuse_more_new_cpus_than_the_maximum(void **state)
{
	(void)state;
	for (uint32_t i = 2; i < NR; i++)
		plug(i);
	assert_int_equal(collect(3), 0);
	assert_int_equal(plan.nr_add, 3);
	assert_int_equal(plan.nr_refused, 3);
	assert_log("more than 3 new CPUs; refused");
	assert_slots_untouched();
}

/* A second device_del of a CPU being ejected leaves QEMU's remove event
 * set past that CPU's eject; the OS then ejects the CPU plugged into the
 * slot since (the chaos soak: refused before, so never admitted either,
 * and Linux hung waking it). QEMU's fw-remove applies to the new CPU. */
static void test_eject_cpu_plugged_since_remove_event(void **state)
{
	(void)state;
	plug(3);
	f.cpu[3].fw_remove = true;
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_add, 0);
	assert_int_equal(plan.nr_refused, 0);
	assert_int_equal(plan.nr_eject, 1);
	assert_int_equal(plan.eject[0], 3);
	assert_log("selector 3: the OS ejects a CPU no SMI admitted yet");
	/* Its insert event already cleared by the AML's scan: the same. */
	f.cpu[3].inserting = false;
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_eject, 1);
	assert_int_equal(plan.nr_refused, 0);
	assert_slots_untouched();
}

static void test_refuse_junk_cpu_id(void **state)
{
	(void)state;
	plug(2);
	f.junk_id_delta = 1ull << 32;	/* upper half set */
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_add, 0);
	assert_log("GET_CPU_ID has a nonzero upper half");
	f.junk_id_delta = 0x40;		/* another CPU's ID than at boot */
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_add, 0);
	assert_log("GET_CPU_ID says APIC ID 0x42, boot said 0x2");
	assert_slots_untouched();
}

static void test_refuse_bsp_and_unadmitted_ejects(void **state)
{
	(void)state;
	/* QEMU itself refuses fw_remove on the BSP; a broken block might
	 * not. */
	f.cpu[0].fw_remove = true;
	f.cpu[6].fw_remove = true;	/* not present */
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_eject, 0);
	assert_log("selector 0: the BSP is never ejected; refused");
	assert_log("selector 6: eject of an absent CPU; refused");
	assert_slots_untouched();
}

static void test_eject_admitted_cpu(void **state)
{
	(void)state;
	/* Admitted under KVM's rules, never started by the OS: its SMI
	 * waits for a SIPI that will not come, and the OS ejects it. */
	slots[6].state = SLOT_ADMITTED;
	f.cpu[6].present = f.cpu[6].fw_remove = true;
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_eject, 1);
	assert_int_equal(plan.eject[0], 6);
}

/* Plugged and ejected before the SMI: QEMU clears the insert event only
 * in the AML's next scan. Nothing to admit, nothing to refuse. */
static void test_insert_event_of_absent_cpu(void **state)
{
	(void)state;
	f.cpu[5].inserting = true;	/* not present */
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_add, 0);
	assert_int_equal(plan.nr_refused, 0);
}

static void test_scan_is_bounded(void **state)
{
	(void)state;
	/* Every CPU has an event: one pass, no more than a few accesses
	 * per CPU, whatever the block does. */
	for (uint32_t i = 2; i < NR; i++)
		plug(i);
	f.cpu[0].removing = f.cpu[1].removing = true;
	f.accesses = 0;
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_add, NR - 2);
	assert_true(f.accesses < 16 * NR);
	/* A block stuck answering the same selector cannot loop us. */
	f.junk_next = 3;
	f.accesses = 0;
	assert_int_equal(collect(NR), 0);
	assert_true(f.accesses < 16 * NR);
}

static void test_eject_goes_through_the_block(void **state)
{
	(void)state;
	f.cpu[1].fw_remove = true;
	cpuhp_eject(&c, 1);
	assert_int_equal(f.nr_ejected, 1);
	assert_false(f.cpu[1].present);
	assert_false(f.cpu[1].fw_remove);
}

/* QEMU keeps a slot's insert and remove events past an eject: left
 * there, the next CPU plugged into the slot would be ejected by the OS,
 * or be notified to the OS by a scan that collected the stale insert
 * event before it was plugged, with no SMI for it. The eject clears
 * both while the CPU is still there. */
static void test_eject_clears_the_slots_events(void **state)
{
	(void)state;
	plug(4);
	f.cpu[4].removing = f.cpu[4].fw_remove = true;
	cpuhp_eject(&c, 4);
	assert_int_equal(f.nr_ejected, 1);
	assert_false(f.cpu[4].present);
	assert_false(f.cpu[4].inserting);
	assert_false(f.cpu[4].removing);
	assert_false(f.cpu[4].fw_remove);
	/* The next CPU in the slot has only its own insert event. */
	plug(4);
	assert_int_equal(collect(NR), 0);
	assert_int_equal(plan.nr_add, 1);
	assert_int_equal(plan.nr_eject, 0);
	assert_int_equal(plan.nr_refused, 0);
}

/* After collecting (GET_CPU_ID latched, the selector on the last CPU
 * with an event), the handover leaves what QEMU's reset leaves: the
 * selector on CPU 0 and GET_NEXT latched, so that the data register
 * reads back the selector the OS's _STA moves (hotcpu's probe). Events
 * stay pending. */
static void test_handover_leaves_get_next_and_cpu_0(void **state)
{
	(void)state;
	plug(5);
	assert_int_equal(collect(NR), 0);
	cpuhp_apic_id(&c, 5, &(uint32_t){ 0 });
	assert_int_equal(f.command, CPUHP_CMD_GET_CPU_ID);
	cpuhp_handover(&c);
	assert_int_equal(f.command, CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	assert_int_equal(f.selector, 0);
	assert_true(f.cpu[5].inserting);
	/* The OS's walk: CSTA selects CPU 7, data reads 7. */
	p.io_write(p.ctx, CPUHP_BASE_Q35 + CPUHP_W_CPU_SEL, 4, NR - 1);
	assert_int_equal(p.io_read(p.ctx, CPUHP_BASE_Q35 + CPUHP_RW_CMD_DATA,
				   4), NR - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup(fn, setup)
		T(test_probe_counts_possible_cpus),
		T(test_eject_clears_the_slots_events),
		T(test_handover_leaves_get_next_and_cpu_0),
		T(test_probe_refuses_legacy_block),
		T(test_collect_inserted_cpus),
		T(test_collect_eject),
		T(test_refuse_selector_that_does_not_exist),
		T(test_insert_event_of_admitted_cpu_is_pending),
		T(test_refuse_apic_id_already_admitted),
		T(test_refuse_more_new_cpus_than_the_maximum),
		T(test_eject_cpu_plugged_since_remove_event),
		T(test_refuse_junk_cpu_id),
		T(test_refuse_bsp_and_unadmitted_ejects),
		T(test_eject_admitted_cpu),
		T(test_insert_event_of_absent_cpu),
		T(test_scan_is_bounded),
		T(test_eject_goes_through_the_block),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("cpuhp", tests, NULL, NULL);
}
