/* Rewrites of QEMU's ACPI tables that the firmware owns: table lookup,
 * replacement, and the ACPI 6.3 upgrade Linux needs for CPU hotplug. */
#ifndef FW_ACPI_FIXUP_H
#define FW_ACPI_FIXUP_H

#include <stdint.h>

#include "hw/acpi.h"
#include "zone.h"

/* First table with this signature reachable from the RSDP (XSDT when
 * present, RSDT otherwise), or 0. Only tables that lie wholly inside
 * what zone z handed out (QEMU's loader put them there) are seen: a
 * root table or an entry that points elsewhere is ignored with a DBG_ERR
 * line. Every function below follows QEMU's pointers the same way. */
struct acpi_header *acpi_find_table(uint64_t rsdp, const struct zone *z,
				    const char *sig);

/* Copies table old into a new allocation of new_len bytes (zero-filled
 * past the old length), points every RSDT and XSDT entry at the copy and
 * fixes their checksums. The caller fixes the copy's own checksum.
 * Returns the copy, or 0 when the zone is full. */
struct acpi_header *acpi_table_resize(uint64_t rsdp, struct acpi_header *old,
				      uint32_t new_len, struct zone *z);

void acpi_table_checksum(struct acpi_header *t);

struct acpi_hotplug_fixup {
	uint8_t fadt_rev_old, fadt_minor_old;
	uint32_t fadt_len_old;
	uint8_t madt_rev_old;
	unsigned cpus, online_capable;	/* MADT CPU entries, newly marked */
};

/* Makes Linux accept hot-added CPUs without a hypervisor signature: a
 * 6.3 FADT (grown to 276 bytes when shorter), MADT revision 5, and the
 * Online Capable flag on every CPU entry that is not Enabled. Every
 * other field stays as QEMU wrote it. Returns 0, or -1 after a DBG_ERR
 * line if a table is missing or malformed, or if the RSDT, XSDT, FADT
 * and MADT overlap (then nothing was changed). */
int acpi_fixup_hotplug(uint64_t rsdp, struct zone *z,
		       struct acpi_hotplug_fixup *out);

/* Appends a version 1 Multiprocessor Wakeup structure to the MADT
 * (moving it to a larger copy) and fixes the checksums. Returns 0, or -1
 * after a DBG_ERR line. */
int acpi_madt_add_mp_wakeup(uint64_t rsdp, struct zone *z, uint64_t mailbox,
			    uint64_t reset_vector);

#endif
