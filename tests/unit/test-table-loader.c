/* Unit tests: QEMU's table-loader script, good and broken. */
#include <string.h>

#include "acpi_fixture.h"
#include "hw/acpi.h"
#include "lib.h"
#include "support.h"
#include "table_loader.h"

static struct acpi_fixture fx;

static int setup(void **state)
{
	(void)state;
	support_reset();
	fixture_build(&fx);
	return 0;
}

static int run(uint64_t *rsdp)
{
	fixture_install(&fx);
	return table_loader_run(&fx.high, &fx.fseg, rsdp);
}

static void test_installs_and_links_tables(void **state)
{
	uint64_t rsdp, tables;
	struct acpi_rsdp *r;
	struct acpi_fadt *fadt;
	struct acpi_header *rsdt;
	uint32_t entry;

	(void)state;
	assert_int_equal(run(&rsdp), 0);
	/* The RSDP went to the F segment zone, the tables to high. */
	assert_true(rsdp >= fx.fseg.lo && rsdp < fx.fseg.hi);
	r = phys_ptr(rsdp);
	assert_memory_equal(r->signature, "RSD PTR ", 8);
	assert_int_equal(byte_sum(r, 20), 0);
	tables = r->rsdt_address - FIX_RSDT;
	assert_true(tables >= fx.high.lo && tables < fx.high.hi);
	assert_int_equal(tables % 64, 0);

	rsdt = phys_ptr(tables + FIX_RSDT);
	assert_int_equal(byte_sum(rsdt, rsdt->length), 0);
	memcpy(&entry, (uint8_t *)rsdt + 36, 4);
	assert_int_equal(entry, tables + FIX_FADT);
	fadt = phys_ptr(entry);
	assert_int_equal(byte_sum(fadt, 244), 0);
	assert_int_equal(fadt->firmware_ctrl, tables + FIX_FACS);
	assert_int_equal(fadt->dsdt, tables + FIX_DSDT);
	assert_int_equal(fadt->x_dsdt, tables + FIX_DSDT);
	/* WRITE_POINTER told QEMU where the blob landed, plus the offset. */
	assert_int_equal(le_read(fake_fw_cfg_file_data("etc/vmgenid_addr"), 8),
			 tables + FIX_VMGENID_OFF);
	assert_log("2 blobs");
}

static void test_no_script_means_no_acpi(void **state)
{
	uint64_t rsdp = 1;

	(void)state;
	assert_int_equal(table_loader_run(&fx.high, &fx.fseg, &rsdp), 0);
	assert_int_equal(rsdp, 0);
	assert_log("offers no ACPI");
}

static void test_write_pointer_without_dma_is_skipped(void **state)
{
	uint64_t rsdp;

	(void)state;
	fake_fw_cfg_dma = false;
	assert_int_equal(run(&rsdp), 0);
	assert_int_equal(le_read(fake_fw_cfg_file_data("etc/vmgenid_addr"), 8),
			 0);
	assert_log("without fw_cfg DMA");
}

/* Each broken script must fail with a message naming the entry, and
 * must not have written outside the blobs it allocated. */
static void expect_failure(const char *message)
{
	uint64_t rsdp = 1;

	assert_int_equal(run(&rsdp), -1);
	assert_log("table-loader: ");
	assert_log(message);
}

static void test_pointer_outside_blob(void **state)
{
	(void)state;
	fx.script[fixture_find(&fx, BIOS_LINKER_CMD_ADD_POINTER)]
		.pointer.offset = FIX_TABLES_LEN - 2;
	expect_failure("outside \"etc/acpi/tables\"");
}

static void test_pointer_offset_overflow(void **state)
{
	(void)state;
	fx.script[fixture_find(&fx, BIOS_LINKER_CMD_ADD_POINTER)]
		.pointer.offset = 0xfffffffe;
	expect_failure("outside");
}

static void test_pointer_bad_size(void **state)
{
	(void)state;
	fx.script[fixture_find(&fx, BIOS_LINKER_CMD_ADD_POINTER)]
		.pointer.size = 3;
	expect_failure("pointer size 3");
}

static void test_pointer_addition_wraps(void **state)
{
	uint64_t rsdp, tables;
	uint32_t v;

	(void)state;
	/* 0xffffffff + blob address in 32 bits, as SeaBIOS computes it. */
	memcpy((uint8_t *)fake_fw_cfg_file_data("etc/acpi/tables") +
		       FIX_FADT + 36,
	       &(uint32_t){ 0xffffffff }, 4);
	assert_int_equal(run(&rsdp), 0);
	tables = ((struct acpi_rsdp *)phys_ptr(rsdp))->rsdt_address - FIX_RSDT;
	memcpy(&v, phys_ptr(tables + FIX_FADT + 36), 4);
	assert_int_equal(v, (uint32_t)(tables - 1));
}

static void test_pointer_to_unallocated_blob(void **state)
{
	(void)state;
	strcpy(fx.script[fixture_find(&fx, BIOS_LINKER_CMD_ADD_POINTER)]
		       .pointer.src_file,
	       "etc/acpi/nothere");
	expect_failure("\"etc/acpi/nothere\" was never allocated");
}

static void test_checksum_outside_blob(void **state)
{
	(void)state;
	fx.script[fixture_find(&fx, BIOS_LINKER_CMD_ADD_CHECKSUM)]
		.cksum.length = FIX_TABLES_LEN;
	expect_failure("checksum");
}

static void test_checksum_offset_outside_blob(void **state)
{
	(void)state;
	fx.script[fixture_find(&fx, BIOS_LINKER_CMD_ADD_CHECKSUM)]
		.cksum.offset = FIX_TABLES_LEN;
	expect_failure("checksum");
}

static void test_unknown_command(void **state)
{
	(void)state;
	fx.script[3].command = 0x7;
	expect_failure("entry 3: unknown command 0x7");
}

static void test_file_name_without_nul(void **state)
{
	struct bios_linker_entry *e = &fx.script[0];

	(void)state;
	memset(e->alloc.file, 'A', sizeof(e->alloc.file));
	expect_failure("entry 0: file name is not NUL-terminated");
}

static void test_pointer_name_without_nul(void **state)
{
	struct bios_linker_entry *e =
		&fx.script[fixture_find(&fx, BIOS_LINKER_CMD_ADD_POINTER)];

	(void)state;
	memset(e->pointer.dest_file, 'B', sizeof(e->pointer.dest_file));
	expect_failure("destination name is not NUL-terminated");
}

static void test_allocate_missing_file(void **state)
{
	(void)state;
	strcpy(fx.script[0].alloc.file, "etc/acpi/missing");
	expect_failure("no fw_cfg file \"etc/acpi/missing\"");
}

static void test_allocate_twice(void **state)
{
	(void)state;
	strcpy(fx.script[1].alloc.file, fx.script[0].alloc.file);
	expect_failure("allocated twice");
}

static void test_allocate_bad_zone(void **state)
{
	(void)state;
	fx.script[1].alloc.zone = 9;
	expect_failure("unknown zone 9");
}

static void test_allocate_bad_alignment(void **state)
{
	(void)state;
	fx.script[1].alloc.align = 48;
	expect_failure("alignment 48 is not a power of 2");
}

static void test_allocate_zone_full(void **state)
{
	(void)state;
	fx.high.lo = fx.high.hi - 256;
	expect_failure("do not fit in the high zone");
}

static void test_write_pointer_outside_file(void **state)
{
	(void)state;
	fx.script[fixture_find(&fx, BIOS_LINKER_CMD_WRITE_POINTER)]
		.wr_pointer.dst_offset = 4;
	expect_failure("write pointer 4+8");
}

static void test_script_not_whole_entries(void **state)
{
	uint64_t rsdp;

	(void)state;
	fake_fw_cfg_add_file("etc/table-loader", fx.script, 130);
	assert_int_equal(table_loader_run(&fx.high, &fx.fseg, &rsdp), -1);
	assert_log("not a multiple of 128");
}

static void test_bad_rsdp_checksum(void **state)
{
	(void)state;
	/* Drop the RSDP checksum command: the sum is left wrong. */
	fx.script[fixture_find(&fx, BIOS_LINKER_CMD_WRITE_POINTER) - 1]
		.command = 0;
	expect_failure("RSDP in \"etc/acpi/rsdp\" has a bad checksum");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup(fn, setup)
		T(test_installs_and_links_tables),
		T(test_no_script_means_no_acpi),
		T(test_write_pointer_without_dma_is_skipped),
		T(test_pointer_outside_blob),
		T(test_pointer_offset_overflow),
		T(test_pointer_bad_size),
		T(test_pointer_addition_wraps),
		T(test_pointer_to_unallocated_blob),
		T(test_checksum_outside_blob),
		T(test_checksum_offset_outside_blob),
		T(test_unknown_command),
		T(test_file_name_without_nul),
		T(test_pointer_name_without_nul),
		T(test_allocate_missing_file),
		T(test_allocate_twice),
		T(test_allocate_bad_zone),
		T(test_allocate_bad_alignment),
		T(test_allocate_zone_full),
		T(test_write_pointer_outside_file),
		T(test_script_not_whole_entries),
		T(test_bad_rsdp_checksum),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("table-loader", tests, NULL, NULL);
}
