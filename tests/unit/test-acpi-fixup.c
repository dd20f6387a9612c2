/* Unit tests: the ACPI 6.3 upgrade that lets Linux keep absent CPUs. */
#include <string.h>

#include "acpi_fixture.h"
#include "acpi_fixup.h"
#include "hw/acpi.h"
#include "lib.h"
#include "support.h"
#include "table_loader.h"

static struct acpi_fixture fx;
static uint64_t rsdp, tables;

static int setup(void **state)
{
	(void)state;
	support_reset();
	fixture_build(&fx);
	fixture_install(&fx);
	assert_int_equal(table_loader_run(&fx.high, &fx.fseg, &rsdp), 0);
	tables = ((struct acpi_rsdp *)phys_ptr(rsdp))->rsdt_address - FIX_RSDT;
	return 0;
}

static uint32_t rsdt_entry(unsigned i)
{
	uint32_t v;

	memcpy(&v, (uint8_t *)phys_ptr(tables + FIX_RSDT) + 36 + 4 * i, 4);
	return v;
}

static uint32_t madt_flags(const struct acpi_madt *madt, unsigned off)
{
	return (uint32_t)le_read((const uint8_t *)madt + 44 + off, 4);
}

static void test_fadt_grows_to_6_3(void **state)
{
	struct acpi_hotplug_fixup out;
	uint8_t before[244];
	struct acpi_fadt *fadt;

	(void)state;
	memcpy(before, phys_ptr(tables + FIX_FADT), 244);
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), 0);
	fadt = (void *)acpi_find_table(rsdp, &fx.high, ACPI_SIG_FADT);
	assert_non_null(fadt);
	/* A new 276-byte copy, linked from the RSDT with fixed sums. */
	assert_int_not_equal((uintptr_t)fadt, tables + FIX_FADT);
	assert_int_equal(rsdt_entry(0), (uintptr_t)fadt);
	assert_int_equal(byte_sum(phys_ptr(tables + FIX_RSDT), FIX_RSDT_LEN), 0);
	assert_int_equal(fadt->header.length, 276);
	assert_int_equal(fadt->header.revision, 6);
	assert_int_equal(fadt->minor_revision, 3);
	assert_int_equal(byte_sum(fadt, 276), 0);
	/* Every field QEMU wrote is kept: compare all but length,
	 * revision, checksum and the minor revision. */
	assert_memory_equal(fadt, before, 4);
	assert_memory_equal((uint8_t *)fadt + 10, before + 10, 131 - 10);
	assert_memory_equal((uint8_t *)fadt + 132, before + 132, 244 - 132);
	for (unsigned i = 244; i < 276; i++)
		assert_int_equal(((uint8_t *)fadt)[i], 0);
	assert_int_equal(out.fadt_rev_old, 3);
	assert_int_equal(out.fadt_len_old, 244);
}

static void test_madt_marks_absent_cpus_online_capable(void **state)
{
	struct acpi_hotplug_fixup out;
	struct acpi_madt *madt = phys_ptr(tables + FIX_MADT);

	(void)state;
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), 0);
	assert_ptr_equal(acpi_find_table(rsdp, &fx.high, ACPI_SIG_MADT), madt);
	assert_int_equal(madt->header.revision, 5);
	assert_int_equal(byte_sum(madt, FIX_MADT_LEN), 0);
	/* IOAPIC untouched; CPU 0 stays Enabled only (Online Capable is
	 * reserved then); CPUs 1-3 and the x2APIC entry gain bit 1. */
	assert_int_equal(madt_flags(madt, 12 + 4), ACPI_MADT_ENABLED);
	for (unsigned i = 1; i < 4; i++)
		assert_int_equal(madt_flags(madt, 12 + 8 * i + 4),
				 ACPI_MADT_ONLINE_CAPABLE);
	assert_int_equal(madt_flags(madt, 12 + 32 + 8),
			 ACPI_MADT_ONLINE_CAPABLE);
	assert_int_equal(madt_flags(madt, 0), 12 << 8 | ACPI_MADT_IOAPIC);
	assert_int_equal(out.cpus, 5);
	assert_int_equal(out.online_capable, 4);
	assert_int_equal(out.madt_rev_old, 3);
}

static void test_fixup_is_idempotent(void **state)
{
	struct acpi_hotplug_fixup out;
	struct acpi_header *fadt;

	(void)state;
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), 0);
	fadt = acpi_find_table(rsdp, &fx.high, ACPI_SIG_FADT);
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), 0);
	assert_ptr_equal(acpi_find_table(rsdp, &fx.high, ACPI_SIG_FADT), fadt);
	assert_int_equal(out.online_capable, 0);
	assert_int_equal(out.fadt_rev_old, 6);
}

static void test_xsdt_is_updated_too(void **state)
{
	struct acpi_hotplug_fixup out;
	struct acpi_rsdp *r = phys_ptr(rsdp);
	uint8_t *x = phys_ptr(zone_alloc(&fx.high, 36 + 16, 16));
	struct acpi_header *xsdt = (void *)x;
	struct acpi_header *fadt;

	(void)state;
	/* Make it an ACPI 2.0 RSDP with an XSDT beside the RSDT. */
	memcpy(xsdt->signature, "XSDT", 4);
	xsdt->length = 36 + 16;
	le_write(x + 36, 8, tables + FIX_FADT);
	le_write(x + 44, 8, tables + FIX_MADT);
	acpi_table_checksum(xsdt);
	r->revision = 2;
	r->length = 36;
	r->xsdt_address = (uintptr_t)x;
	r->checksum = 0;
	r->checksum = -byte_sum(r, 20);

	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), 0);
	fadt = acpi_find_table(rsdp, &fx.high, ACPI_SIG_FADT);
	assert_int_equal(le_read(x + 36, 8), (uintptr_t)fadt);
	assert_int_equal(rsdt_entry(0), (uintptr_t)fadt);
	assert_int_equal(byte_sum(xsdt, xsdt->length), 0);
}

static void test_fadt_already_6_3_stays(void **state)
{
	struct acpi_hotplug_fixup out;
	struct acpi_header *fadt = acpi_table_resize(
		rsdp, phys_ptr(tables + FIX_FADT), 276, &fx.high);

	(void)state;
	fadt->revision = 6;
	((struct acpi_fadt *)fadt)->minor_revision = 5;
	acpi_table_checksum(fadt);
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), 0);
	assert_ptr_equal(acpi_find_table(rsdp, &fx.high, ACPI_SIG_FADT), fadt);
	assert_int_equal(((struct acpi_fadt *)fadt)->minor_revision, 5);
}

/* Found by fuzz-table-loader: a FADT newer than 6 (here 253) whose
 * checksum the script never set. The fix-up leaves a FADT it need not
 * upgrade byte for byte, checksum too: it only vouches for what it
 * changed. */
static void test_newer_fadt_with_bad_checksum_untouched(void **state)
{
	struct acpi_hotplug_fixup out;
	struct acpi_header *fadt = phys_ptr(tables + FIX_FADT);
	uint8_t before[244];

	(void)state;
	fadt->revision = 253;
	fadt->checksum += 1;
	memcpy(before, fadt, sizeof(before));
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), 0);
	assert_ptr_equal(acpi_find_table(rsdp, &fx.high, ACPI_SIG_FADT), fadt);
	assert_memory_equal(fadt, before, sizeof(before));
	assert_int_not_equal(byte_sum(fadt, fadt->length), 0);
	assert_int_equal(out.fadt_rev_old, 253);
}

static void test_missing_fadt(void **state)
{
	struct acpi_hotplug_fixup out;

	(void)state;
	memcpy(phys_ptr(tables + FIX_FADT), "XXXX", 4);
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), -1);
	assert_log("acpi: no FADT");
}

/* QEMU's pointers are followed only into what the loader allocated: an
 * entry elsewhere (unmapped here, firmware or OS memory on a VM) is
 * never read. Found by tests/fuzz/fuzz-table-loader.c. */
static void test_entry_outside_tables(void **state)
{
	struct acpi_hotplug_fixup out;
	uint32_t outside = (uint32_t)(fx.high.lo - 0x10000);

	(void)state;
	memcpy((uint8_t *)phys_ptr(tables + FIX_RSDT) + 36, &outside, 4);
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), -1);
	assert_log("acpi: RSDT entry 0 (0x");
	assert_log("is not inside the ACPI tables; ignored");
	assert_log("acpi: no FADT");
}

static void test_table_longer_than_tables(void **state)
{
	struct acpi_hotplug_fixup out;
	struct acpi_header *madt = phys_ptr(tables + FIX_MADT);

	(void)state;
	madt->length = 1 << 20;
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), -1);
	assert_log("acpi: RSDT entry 1");
	assert_log("acpi: no MADT");
	assert_int_equal(madt->length, 1 << 20);
}

static void test_rsdt_outside_tables(void **state)
{
	struct acpi_hotplug_fixup out;
	struct acpi_rsdp *r = phys_ptr(rsdp);

	(void)state;
	r->rsdt_address = 0x1000;
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), -1);
	assert_log("acpi: RSDT at 0x1000 is not inside the ACPI tables");
	assert_null(acpi_find_table(rsdp, &fx.high, ACPI_SIG_MADT));
}

/* A FADT whose length reaches into the MADT: fixing the MADT would
 * break the FADT's checksum, so nothing is changed. Found by
 * tests/fuzz/fuzz-table-loader.c: "FADT: checksum is wrong after the
 * fix-up". */
static void test_overlapping_tables(void **state)
{
	struct acpi_hotplug_fixup out;
	struct acpi_header *fadt = phys_ptr(tables + FIX_FADT);
	uint8_t before[FIX_TABLES_LEN];

	(void)state;
	fadt->length = 300;
	acpi_table_checksum(fadt);
	memcpy(before, phys_ptr(tables), sizeof(before));
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), -1);
	assert_log("acpi: FADT at 0x");
	assert_log("(300 bytes) overlaps the MADT at 0x");
	assert_memory_equal(phys_ptr(tables), before, sizeof(before));
}

static void test_madt_entry_overrun(void **state)
{
	struct acpi_hotplug_fixup out;
	uint8_t *madt = phys_ptr(tables + FIX_MADT);

	(void)state;
	madt[44 + 12 + 8 + 1] = 0;	/* second LAPIC entry, length 0 */
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), -1);
	assert_log("MADT entry at +64 overruns");
}

static void test_no_room_for_fadt(void **state)
{
	struct acpi_hotplug_fixup out;

	(void)state;
	fx.high.lo = fx.high.cur - 100;
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), -1);
	assert_log("no room for a 276-byte FADT");
}

static void test_mp_wakeup_appended(void **state)
{
	struct acpi_hotplug_fixup out;
	struct acpi_madt *madt;
	struct acpi_madt_mp_wakeup w;

	(void)state;
	assert_int_equal(acpi_fixup_hotplug(rsdp, &fx.high, &out), 0);
	assert_int_equal(acpi_madt_add_mp_wakeup(rsdp, &fx.high, 0x1eff6000,
						 0x1eff7020), 0);
	madt = (void *)acpi_find_table(rsdp, &fx.high, ACPI_SIG_MADT);
	/* A new, longer copy linked from the RSDT; the old entries kept. */
	assert_int_not_equal((uintptr_t)madt, tables + FIX_MADT);
	assert_int_equal(rsdt_entry(1), (uintptr_t)madt);
	assert_int_equal(byte_sum(phys_ptr(tables + FIX_RSDT), FIX_RSDT_LEN), 0);
	assert_int_equal(madt->header.length, FIX_MADT_LEN + 24);
	assert_int_equal(byte_sum(madt, madt->header.length), 0);
	assert_int_equal(madt->header.revision, 5);
	assert_memory_equal((uint8_t *)madt + 44,
			    (uint8_t *)phys_ptr(tables + FIX_MADT) + 44,
			    FIX_MADT_LEN - 44);
	memcpy(&w, (uint8_t *)madt + FIX_MADT_LEN, sizeof(w));
	assert_int_equal(w.type, ACPI_MADT_MP_WAKEUP);
	assert_int_equal(w.length, 24);
	assert_int_equal(w.mailbox_version, 1);
	assert_int_equal(w.mailbox_address, 0x1eff6000);
	assert_int_equal(w.reset_vector, 0x1eff7020);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup(fn, setup)
		T(test_fadt_grows_to_6_3),
		T(test_madt_marks_absent_cpus_online_capable),
		T(test_fixup_is_idempotent),
		T(test_xsdt_is_updated_too),
		T(test_fadt_already_6_3_stays),
		T(test_newer_fadt_with_bad_checksum_untouched),
		T(test_missing_fadt),
		T(test_entry_outside_tables),
		T(test_table_longer_than_tables),
		T(test_rsdt_outside_tables),
		T(test_overlapping_tables),
		T(test_madt_entry_overrun),
		T(test_no_room_for_fadt),
		T(test_mp_wakeup_appended),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("acpi-fixup", tests, NULL, NULL);
}
