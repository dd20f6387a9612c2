/* Unit tests: the model's CPU hotplug block against what QEMU 10.0.2's
 * source does, register by register (model/cpuhp_dev.c cites it). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "cpuhp_dev.h"
#include "hw/cpuhp.h"
#include "hw/smi_features.h"

#define NR 6

/* APIC IDs of -smp 2,sockets=2,cores=3,maxcpus=6: 2 core bits. */
static const uint64_t ids[NR] = { 0, 1, 2, 4, 5, 6 };

static struct cpuhp_dev d;
static uint32_t ejected[NR], nr_ejected, nr_sci, nr_ost;
static uint32_t ost_idx, ost_ev, ost_st;

static void on_eject(void *ctx, uint32_t idx)
{
	assert_ptr_equal(ctx, &d);
	/* The device says the CPU is gone before the model destroys it. */
	assert_false(d.cpu[idx].present);
	ejected[nr_ejected++] = idx;
}

static void on_ost(void *ctx, uint32_t idx, uint32_t event, uint32_t status)
{
	(void)ctx;
	nr_ost++;
	ost_idx = idx;
	ost_ev = event;
	ost_st = status;
}

static void on_sci(void *ctx)
{
	(void)ctx;
	nr_sci++;
}

static const struct cpuhp_dev_host host = {
	.ctx = &d, .eject = on_eject, .ost = on_ost, .sci = on_sci,
};

/* 6 possible CPUs, 2 at boot, still legacy as QEMU starts. */
static int setup_legacy(void **state)
{
	(void)state;
	cpuhp_dev_init(&d, NR, ids, 2, &host);
	nr_ejected = nr_sci = nr_ost = 0;
	return 0;
}

/* The same after the firmware's switch to the modern block. */
static int setup(void **state)
{
	setup_legacy(state);
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 0);
	assert_false(d.legacy);
	return 0;
}

static uint8_t stat(uint32_t sel)
{
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, sel);
	return (uint8_t)cpuhp_dev_read(&d, CPUHP_R_CPU_STAT, 1);
}

static void cmd(uint32_t c)
{
	cpuhp_dev_write(&d, CPUHP_W_CMD, 1, c);
}

static void ctl(uint32_t sel, uint32_t bits)
{
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, sel);
	cpuhp_dev_write(&d, CPUHP_W_CPU_CTL, 1, bits);
}

static void test_legacy_bitmap_by_apic_id(void **state)
{
	(void)state;
	assert_true(d.legacy);
	/* Boot CPUs are APIC IDs 0 and 1; byte-wide, little-endian. */
	assert_int_equal(cpuhp_dev_read(&d, 0, 4), 0x3);
	assert_int_equal(cpuhp_dev_read(&d, 0, 1), 0x3);
	assert_int_equal(cpuhp_dev_read(&d, 1, 1), 0);
	/* Slot 4 has APIC ID 5: bit 5 of byte 0, no insert event. */
	assert_int_equal(cpuhp_dev_plug(&d, 4), 0);
	assert_int_equal(nr_sci, 1);
	assert_int_equal(cpuhp_dev_read(&d, 0, 2), 0x23);
	/* The legacy block spans 32 bytes; past it nothing decodes. */
	assert_int_equal(cpuhp_dev_read(&d, 0x1e, 4), 0xffff0000);
	assert_int_equal(cpuhp_dev_read(&d, 0xc, 4), 0);
	assert_false(d.cpu[4].is_inserting);
}

static void test_legacy_switch_on_zero_byte_at_offset_0(void **state)
{
	(void)state;
	/* Nonzero low byte: no switch. Writes elsewhere: none either. */
	cpuhp_dev_write(&d, 0, 4, 0x1);
	cpuhp_dev_write(&d, 1, 1, 0);
	cpuhp_dev_write(&d, 4, 4, 0);
	assert_true(d.legacy);
	assert_int_equal(cpuhp_dev_read(&d, 0, 1), 0x3);
	/* The low byte alone decides: 0x100 switches. */
	cpuhp_dev_write(&d, 0, 4, 0x100);
	assert_false(d.legacy);
	/* Modern now: data2 reads 0 with GET_NEXT, 0xce4 on is empty. */
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 0);
	cmd(CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_R_CMD_DATA2, 4), 0);
	assert_int_equal(cpuhp_dev_read(&d, 12, 4), 0xffffffff);
	assert_int_equal(cpuhp_dev_read(&d, 10, 4), 0xffff0000);
}

static void test_legacy_switch_keeps_plugged_cpus_without_events(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_dev_plug(&d, 3), 0);
	cpuhp_dev_write(&d, 0, 1, 0);
	assert_int_equal(stat(3), CPUHP_STAT_ENABLED);
	assert_int_equal(stat(2), 0);
	assert_int_equal(stat(0), CPUHP_STAT_ENABLED);
}

static void test_legacy_refuses_device_del(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_dev_unplug_request(&d, 1), -EOPNOTSUPP);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 0), -EINVAL);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 2), -ENODEV);
	assert_int_equal(nr_sci, 0);
}

static void test_legacy_apic_id_past_bitmap_switches(void **state)
{
	uint64_t big[2] = { 0, 256 };

	(void)state;
	cpuhp_dev_init(&d, 2, big, 1, &host);
	assert_true(d.legacy);
	assert_int_equal(cpuhp_dev_plug(&d, 1), 0);
	assert_false(d.legacy);
	assert_int_equal(nr_sci, 1);
	assert_int_equal(stat(1), CPUHP_STAT_ENABLED | CPUHP_STAT_INSERT);
	/* A boot CPU past the bitmap switches at init. */
	cpuhp_dev_init(&d, 2, big, 2, &host);
	assert_false(d.legacy);
}

static void test_status_flags(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	assert_int_equal(nr_sci, 1);
	assert_int_equal(stat(2), CPUHP_STAT_ENABLED | CPUHP_STAT_INSERT);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 1), 0);
	assert_int_equal(nr_sci, 2);
	assert_int_equal(stat(1), CPUHP_STAT_ENABLED | CPUHP_STAT_REMOVE);
	ctl(1, CPUHP_CTL_FW_REMOVE);
	assert_int_equal(stat(1), CPUHP_STAT_ENABLED | CPUHP_STAT_REMOVE |
				  CPUHP_STAT_FW_REMOVE);
	assert_int_equal(stat(5), 0);
}

static void test_invalid_selector_reads_0_and_ignores_writes(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	cmd(CPUHP_CMD_GET_CPU_ID);
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, NR);
	for (uint32_t off = 0; off < CPUHP_LEN; off++)
		assert_int_equal(cpuhp_dev_read(&d, off, 1), 0);
	assert_int_equal(cpuhp_dev_read(&d, 0, 4), 0);
	assert_int_equal(cpuhp_dev_read(&d, 8, 4), 0);
	/* A command write is ignored too. */
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 0xffffffff);
	cmd(CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	assert_int_equal(d.command, CPUHP_CMD_GET_CPU_ID);
	assert_int_equal(d.selector, 0xffffffff);
	/* Even GET_NEXT's data, which would be the selector. */
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 0);
	cmd(CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, NR);
	assert_int_equal(cpuhp_dev_read(&d, 8, 4), 0);
	cpuhp_dev_write(&d, CPUHP_W_CPU_CTL, 1, CPUHP_CTL_CLEAR_INSERT);
	assert_true(d.cpu[2].is_inserting);
	/* A valid selector makes the block answer again. */
	assert_int_equal(stat(2), CPUHP_STAT_ENABLED | CPUHP_STAT_INSERT);
}

static void test_one_control_action_per_write(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 2), 0);
	/* Clear-insert wins over everything. */
	ctl(2, 0x1e);
	assert_int_equal(stat(2), CPUHP_STAT_ENABLED | CPUHP_STAT_REMOVE);
	/* Then clear-remove over eject and fw_remove. */
	ctl(2, 0x1c);
	assert_int_equal(stat(2), CPUHP_STAT_ENABLED);
	/* Then eject over fw_remove. */
	ctl(2, 0x18);
	assert_int_equal(stat(2), 0);
	assert_int_equal(nr_ejected, 1);
	/* Bit 0 and bits 5-7 do nothing. */
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	ctl(2, 0xe1);
	assert_int_equal(stat(2), CPUHP_STAT_ENABLED | CPUHP_STAT_INSERT);
}

static void test_eject_refused_for_bsp_and_absent(void **state)
{
	(void)state;
	ctl(0, CPUHP_CTL_EJECT);
	ctl(3, CPUHP_CTL_EJECT);
	ctl(0, CPUHP_CTL_FW_REMOVE);
	ctl(3, CPUHP_CTL_FW_REMOVE);
	assert_int_equal(nr_ejected, 0);
	assert_int_equal(stat(0), CPUHP_STAT_ENABLED);
	assert_int_equal(stat(3), 0);
	/* The BSP is first_cpu, wherever QEMU put it. */
	d.bsp = 1;
	ctl(1, CPUHP_CTL_EJECT);
	assert_int_equal(stat(1), CPUHP_STAT_ENABLED);
	d.bsp = 0;
	ctl(1, CPUHP_CTL_EJECT);
	assert_int_equal(nr_ejected, 1);
	assert_int_equal(ejected[0], 1);
}

static void test_eject_unplugs_and_leaves_events(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 2), 0);
	ctl(2, CPUHP_CTL_FW_REMOVE);
	ctl(2, CPUHP_CTL_EJECT);
	assert_int_equal(nr_ejected, 1);
	/* fw_remove is cleared, insert and remove events are not: _STA
	 * (CPEN) reads 0 while the flags still say insert, remove. */
	assert_int_equal(stat(2), CPUHP_STAT_INSERT | CPUHP_STAT_REMOVE);
	/* A second eject of the now absent CPU is refused. */
	ctl(2, CPUHP_CTL_EJECT);
	assert_int_equal(nr_ejected, 1);
	/* device_add again: present, events as they were. */
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	assert_int_equal(stat(2), CPUHP_STAT_ENABLED | CPUHP_STAT_INSERT |
				  CPUHP_STAT_REMOVE);
}

static void test_get_next_cpu_with_event(void **state)
{
	(void)state;
	/* None: the selector stays. */
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 3);
	cmd(CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_RW_CMD_DATA, 4), 3);
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_R_CMD_DATA2, 4), 0);
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	assert_int_equal(cpuhp_dev_plug(&d, 4), 0);
	/* From 3: finds 4; from 5: wraps to 2; the start counts. */
	cmd(CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_RW_CMD_DATA, 4), 4);
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 5);
	cmd(CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	assert_int_equal(d.selector, 2);
	cmd(CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	assert_int_equal(d.selector, 2);
	/* fw_remove alone is an event for GET_NEXT. */
	ctl(2, CPUHP_CTL_CLEAR_INSERT);
	ctl(4, CPUHP_CTL_CLEAR_INSERT);
	ctl(1, CPUHP_CTL_FW_REMOVE);
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 2);
	cmd(CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	assert_int_equal(d.selector, 1);
}

static void test_ost_commands(void **state)
{
	(void)state;
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 1);
	cmd(CPUHP_CMD_OST_EVENT);
	cpuhp_dev_write(&d, CPUHP_RW_CMD_DATA, 4, 3);
	assert_int_equal(nr_ost, 0);
	/* Data reads 0 for OST commands, in both data registers. */
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_RW_CMD_DATA, 4), 0);
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_R_CMD_DATA2, 4), 0);
	cmd(CPUHP_CMD_OST_STATUS);
	cpuhp_dev_write(&d, CPUHP_RW_CMD_DATA, 4, 0x84);
	assert_int_equal(nr_ost, 1);
	assert_int_equal(ost_idx, 1);
	assert_int_equal(ost_ev, 3);
	assert_int_equal(ost_st, 0x84);
	/* Every status write sends one; a byte write stores a byte. */
	cpuhp_dev_write(&d, CPUHP_RW_CMD_DATA, 1, 0x1ff);
	assert_int_equal(nr_ost, 2);
	assert_int_equal(ost_st, 0xff);
	/* Works on absent CPUs too. */
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 5);
	cpuhp_dev_write(&d, CPUHP_RW_CMD_DATA, 4, 0);
	assert_int_equal(ost_idx, 5);
	assert_int_equal(ost_ev, 0);
}

static void test_get_cpu_id(void **state)
{
	(void)state;
	d.cpu[5].arch_id = 0x100000006ull;	/* not x86, but QEMU shows it */
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 5);
	cmd(CPUHP_CMD_GET_CPU_ID);
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_RW_CMD_DATA, 4), 6);
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_R_CMD_DATA2, 4), 1);
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 3);
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_RW_CMD_DATA, 4), 4);
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_R_CMD_DATA2, 4), 0);
	/* Commands 4 and up leave the command latched. */
	cmd(4);
	cmd(0xff);
	assert_int_equal(d.command, CPUHP_CMD_GET_CPU_ID);
	assert_int_equal(cpuhp_dev_read(&d, CPUHP_RW_CMD_DATA, 4), 4);
}

static void test_access_widths(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 2);
	cmd(CPUHP_CMD_GET_CPU_ID);
	/* A piece starting at offset 4 is the status byte alone. */
	assert_int_equal(cpuhp_dev_read(&d, 4, 4), 0x3);
	assert_int_equal(cpuhp_dev_read(&d, 4, 2), 0x3);
	/* Misaligned: 1 byte at 1, 2 at 2, 1 at 4. */
	assert_int_equal(cpuhp_dev_read(&d, 1, 4), 0x03000000);
	assert_int_equal(cpuhp_dev_read(&d, 3, 2), 0x0300);
	/* Data: a byte at 8 is its low byte, a byte at 9 is nothing. */
	d.cpu[2].arch_id = 0x1234;
	assert_int_equal(cpuhp_dev_read(&d, 8, 1), 0x34);
	assert_int_equal(cpuhp_dev_read(&d, 8, 2), 0x1234);
	assert_int_equal(cpuhp_dev_read(&d, 9, 1), 0);
	assert_int_equal(cpuhp_dev_read(&d, 7, 2), 0x3400);
	/* A 4-byte write at 4 is a control write only: no command. */
	cpuhp_dev_write(&d, 4, 4, 0x00000302);
	assert_false(d.cpu[2].is_inserting);
	assert_int_equal(d.command, CPUHP_CMD_GET_CPU_ID);
	/* A 2-byte write at 5 is 1 byte at 5 (command), 1 at 6. */
	cpuhp_dev_write(&d, 5, 2, 0xff01);
	assert_int_equal(d.command, CPUHP_CMD_OST_EVENT);
	/* The selector takes the access's width: a byte clears the rest. */
	cpuhp_dev_write(&d, 0, 4, 0x12345678);
	cpuhp_dev_write(&d, 0, 1, 0x2);
	assert_int_equal(d.selector, 2);
	/* A 4-byte write at 1: control gets the top byte. */
	assert_int_equal(cpuhp_dev_unplug_request(&d, 2), 0);
	cpuhp_dev_write(&d, 1, 4, 0x04000000);
	assert_false(d.cpu[2].is_removing);
	/* Sizes port I/O does not have. */
	assert_int_equal(cpuhp_dev_read(&d, 4, 3), CPUHP_DEV_UNASSIGNED);
	assert_int_equal(cpuhp_dev_read(&d, 4, 8), CPUHP_DEV_UNASSIGNED);
	cpuhp_dev_write(&d, 0, 3, 0);
	assert_int_equal(d.selector, 2);
}

static void test_plug_and_unplug_refusals(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_dev_plug(&d, 1), -EEXIST);
	assert_int_equal(cpuhp_dev_plug(&d, NR), -EINVAL);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 0), -EINVAL);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 3), -ENODEV);
	assert_int_equal(cpuhp_dev_unplug_request(&d, NR), -ENODEV);
	assert_int_equal(nr_sci, 0);
	/* A repeated device_del raises the event again. */
	assert_int_equal(cpuhp_dev_unplug_request(&d, 1), 0);
	ctl(1, CPUHP_CTL_CLEAR_REMOVE);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 1), 0);
	assert_int_equal(nr_sci, 2);
	assert_true(d.cpu[1].is_removing);
}

static void test_smi_negotiation_refusals(void **state)
{
	(void)state;
	/* Broadcast alone: both refused, before any other check. */
	d.smi_negotiated = SMI_F_BROADCAST;
	assert_int_equal(cpuhp_dev_plug(&d, 2), -EPERM);
	assert_int_equal(cpuhp_dev_plug(&d, 1), -EPERM);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 1), -EPERM);
	/* Hot-add only (pc-q35-5.2): device_del still refused. */
	d.smi_negotiated = SMI_F_BROADCAST | SMI_F_CPU_HOTPLUG;
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 2), -EPERM);
	d.smi_negotiated |= SMI_F_CPU_HOT_UNPLUG;
	assert_int_equal(cpuhp_dev_unplug_request(&d, 2), 0);
	/* Nothing negotiated: QEMU requires nothing. */
	d.smi_negotiated = 0;
	assert_int_equal(cpuhp_dev_plug(&d, 3), 0);
	assert_int_equal(cpuhp_dev_unplug_request(&d, 3), 0);
}

static void test_devices_are_independent(void **state)
{
	static struct cpuhp_dev other;

	(void)state;
	cpuhp_dev_init(&other, 2, NULL, 1, NULL);
	assert_int_equal(cpuhp_dev_plug(&other, 1), 0);
	cpuhp_dev_write(&other, 0, 4, 0);
	cpuhp_dev_write(&other, 0, 4, 1);
	cpuhp_dev_write(&other, CPUHP_W_CPU_CTL, 1, CPUHP_CTL_EJECT);
	assert_false(other.cpu[1].present);
	assert_int_equal(nr_ejected, 0);
	assert_true(d.legacy);
	assert_int_equal(cpuhp_dev_read(&d, 0, 4), 0x3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define L(fn) cmocka_unit_test_setup(fn, setup_legacy)
#define T(fn) cmocka_unit_test_setup(fn, setup)
		L(test_legacy_bitmap_by_apic_id),
		L(test_legacy_switch_on_zero_byte_at_offset_0),
		L(test_legacy_switch_keeps_plugged_cpus_without_events),
		L(test_legacy_refuses_device_del),
		L(test_legacy_apic_id_past_bitmap_switches),
		T(test_status_flags),
		T(test_invalid_selector_reads_0_and_ignores_writes),
		T(test_one_control_action_per_write),
		T(test_eject_refused_for_bsp_and_absent),
		T(test_eject_unplugs_and_leaves_events),
		T(test_get_next_cpu_with_event),
		T(test_ost_commands),
		T(test_get_cpu_id),
		T(test_access_widths),
		T(test_plug_and_unplug_refusals),
		T(test_smi_negotiation_refusals),
		L(test_devices_are_independent),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("cpuhp_dev", tests, NULL, NULL);
}
