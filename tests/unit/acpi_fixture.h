/* A QEMU-like ACPI table set and table-loader script, built in memory:
 * RSDP (FSEG), and one "etc/acpi/tables" blob with FACS, DSDT, FADT
 * revision 3, MADT revision 3 (one enabled and three absent CPUs), RSDT.
 * Offsets inside the tables blob are exported so tests can check the
 * loader's relocations and corrupt single commands. */
#ifndef TESTS_UNIT_ACPI_FIXTURE_H
#define TESTS_UNIT_ACPI_FIXTURE_H

#include <stdint.h>

#include "hw/bios_linker.h"
#include "zone.h"

#define FIX_FACS	0
#define FIX_DSDT	64
#define FIX_FADT	(FIX_DSDT + 48)
#define FIX_MADT	(FIX_FADT + 244)
#define FIX_MADT_LEN	(44 + 12 + 4 * 8 + 16)	/* IOAPIC, 4 LAPIC, x2APIC */
#define FIX_RSDT	(FIX_MADT + FIX_MADT_LEN)
#define FIX_RSDT_LEN	(36 + 2 * 4)
#define FIX_TABLES_LEN	(FIX_RSDT + FIX_RSDT_LEN)
#define FIX_VMGENID_OFF	8	/* offset the WRITE_POINTER reports */

struct acpi_fixture {
	struct bios_linker_entry script[32];
	unsigned n;		/* commands, before padding */
	struct zone high, fseg;
};

/* Registers the files with the fake fw_cfg and builds the script;
 * fixture_install() then publishes the script as etc/table-loader,
 * padded with zeroed entries as QEMU does. */
void fixture_build(struct acpi_fixture *f);
void fixture_install(struct acpi_fixture *f);
/* Index of the first command of a type, for tests that corrupt one. */
unsigned fixture_find(const struct acpi_fixture *f, uint32_t command);

#endif
