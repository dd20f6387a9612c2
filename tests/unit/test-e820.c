/* Unit tests: the e820 map the firmware builds and hands to Linux. */
#include <string.h>

#include "e820.h"
#include "hw/fw_cfg.h"
#include "layout.h"
#include "lib.h"
#include "support.h"

static struct e820_map m;

static int setup(void **state)
{
	(void)state;
	support_reset();
	memset(&m, 0, sizeof(m));
	return 0;
}

static void expect(const struct e820_map *map, unsigned i, uint64_t addr,
		   uint64_t size, uint32_t type)
{
	assert_true(i < map->n);
	assert_int_equal(map->e[i].addr, addr);
	assert_int_equal(map->e[i].size, size);
	assert_int_equal(map->e[i].type, type);
}

static void test_overlay_splits_and_merges(void **state)
{
	(void)state;
	assert_int_equal(e820_set(&m, 0, 512 * MiB, E820_RAM), 0);
	assert_int_equal(e820_set(&m, 16 * MiB, 4 * MiB, E820_RESERVED), 0);
	assert_int_equal(m.n, 3);
	expect(&m, 0, 0, 16 * MiB, E820_RAM);
	expect(&m, 1, 16 * MiB, 4 * MiB, E820_RESERVED);
	expect(&m, 2, 20 * MiB, 492 * MiB, E820_RAM);
	/* Adjacent reserved ranges merge; a hole removes. */
	assert_int_equal(e820_set(&m, 20 * MiB, 1 * MiB, E820_RESERVED), 0);
	expect(&m, 1, 16 * MiB, 5 * MiB, E820_RESERVED);
	assert_int_equal(e820_set(&m, 100 * MiB, 1 * MiB, E820_REMOVE), 0);
	assert_int_equal(m.n, 4);
	expect(&m, 3, 101 * MiB, 411 * MiB, E820_RAM);
	/* Turning it back into RAM merges everything again. */
	assert_int_equal(e820_set(&m, 16 * MiB, 85 * MiB, E820_RAM), 0);
	assert_int_equal(m.n, 1);
	expect(&m, 0, 0, 512 * MiB, E820_RAM);
}

static void test_overlay_spanning_entries(void **state)
{
	(void)state;
	e820_set(&m, 0, 1 * MiB, E820_RAM);
	e820_set(&m, 1 * MiB, 1 * MiB, E820_ACPI);
	e820_set(&m, 2 * MiB, 1 * MiB, E820_RAM);
	assert_int_equal(e820_set(&m, 512 * KiB, 2 * MiB, E820_NVS), 0);
	assert_int_equal(m.n, 3);
	expect(&m, 0, 0, 512 * KiB, E820_RAM);
	expect(&m, 1, 512 * KiB, 2 * MiB, E820_NVS);
	expect(&m, 2, 2560 * KiB, 512 * KiB, E820_RAM);
}

static void test_overflow_is_refused(void **state)
{
	(void)state;
	for (unsigned i = 0; i < E820_MAX_ENTRIES; i++)
		assert_int_equal(e820_set(&m, i * 2 * MiB, MiB, E820_RAM), 0);
	assert_int_equal(e820_set(&m, 1000 * MiB, MiB, E820_RAM), -1);
	assert_int_equal(m.n, E820_MAX_ENTRIES);
	assert_int_equal(e820_set(&m, ~0ull - 10, 100, E820_RAM), -1);
}

static void test_is_ram_and_top(void **state)
{
	(void)state;
	e820_set(&m, 0, 512 * MiB, E820_RAM);
	e820_set(&m, 4 * GiB, 1 * GiB, E820_RAM);
	e820_set(&m, 500 * MiB, 12 * MiB, E820_RESERVED);
	assert_true(e820_is_ram(&m, 1 * MiB, 100 * MiB));
	assert_false(e820_is_ram(&m, 499 * MiB, 2 * MiB));
	assert_false(e820_is_ram(&m, 600 * MiB, 1));
	assert_true(e820_is_ram(&m, 4 * GiB, 1 * GiB));
	assert_false(e820_is_ram(&m, ~0ull, 2));
	assert_int_equal(e820_low_ram_top(&m), 500 * MiB);
}

/* QEMU 10.0's etc/e820 for -m 512 on q35: low RAM plus the reserved
 * HyperTransport window. */
static const struct e820_entry qemu_512m[] = {
	{ 0, 0x20000000, E820_RAM },
	{ 0xfd00000000ull, 0x300000000ull, E820_RESERVED },
};

static void test_build_from_qemu(void **state)
{
	(void)state;
	assert_int_equal(e820_build(&m, qemu_512m, 2), 0);
	assert_int_equal(m.n, 4);
	expect(&m, 0, 0, LOW_RAM_END, E820_RAM);
	expect(&m, 1, FSEG_BASE, FSEG_END - FSEG_BASE, E820_RESERVED);
	expect(&m, 2, 1 * MiB, 0x20000000 - 1 * MiB, E820_RAM);
	expect(&m, 3, 0xfd00000000ull, 0x300000000ull, E820_RESERVED);
	assert_int_equal(e820_low_ram_top(&m), 0x20000000);
}

static void test_build_refuses_bad_entries(void **state)
{
	const struct e820_entry zero[] = { { 0, 0, E820_RAM } };
	const struct e820_entry type[] = { { 0, 0x20000000, 9 } };
	const struct e820_entry wrap[] = { { ~0ull - 5, 100, E820_RAM } };
	const struct e820_entry tiny[] = { { 0, 32 * MiB, E820_RAM } };

	(void)state;
	assert_int_equal(e820_build(&m, zero, 1), -1);
	assert_log("e820: QEMU entry 0 is invalid");
	assert_int_equal(e820_build(&m, type, 1), -1);
	assert_int_equal(e820_build(&m, wrap, 1), -1);
	assert_int_equal(e820_build(&m, tiny, 1), -1);
	assert_log("e820: need RAM");
}

static void test_setup_reads_fw_cfg(void **state)
{
	(void)state;
	fake_fw_cfg_add_file("etc/e820", qemu_512m, sizeof(qemu_512m));
	e820_setup();
	assert_int_equal(e820.n, 4);
	assert_int_equal(e820_low_ram_top(&e820), 0x20000000);
	assert_log("e820: 4 ranges from etc/e820");
}

static void test_setup_falls_back_to_ram_size(void **state)
{
	uint64_t ram = 256 * MiB;

	(void)state;
	fake_fw_cfg_set_item(FW_CFG_RAM_SIZE, &ram, sizeof(ram));
	e820_setup();
	assert_int_equal(e820_low_ram_top(&e820), 256 * MiB);
	assert_log("from RAM size");
}

static void test_setup_halts_on_partial_entry(void **state)
{
	(void)state;
	fake_fw_cfg_add_file("etc/e820", qemu_512m, sizeof(qemu_512m) - 1);
	expect_assert_failure(e820_setup());
	assert_log("PANIC");
	assert_log("not a whole number of entries");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup(fn, setup)
		T(test_overlay_splits_and_merges),
		T(test_overlay_spanning_entries),
		T(test_overflow_is_refused),
		T(test_is_ram_and_top),
		T(test_build_from_qemu),
		T(test_build_refuses_bad_entries),
		T(test_setup_reads_fw_cfg),
		T(test_setup_falls_back_to_ram_size),
		T(test_setup_halts_on_partial_entry),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("e820", tests, NULL, NULL);
}
