/* ACPI: QEMU's tables, installed by its loader script and upgraded so
 * Linux keeps absent CPUs for hot-add. */
#include "acpi.h"
#include "acpi_fixup.h"
#include "debug.h"
#include "e820.h"
#include "memory.h"
#include "mp_wakeup.h"
#include "table_loader.h"

uint64_t acpi_rsdp;

void acpi_setup(void)
{
	struct acpi_hotplug_fixup fx;
	uint64_t mailbox, reset_vector;

	if (table_loader_run(mem_high(), mem_fseg(), &acpi_rsdp))
		panic("acpi: cannot install QEMU's tables\n");
	if (!acpi_rsdp) {
		dprintf(DBG_INFO, "acpi: none; Linux boots without ACPI\n");
		return;
	}
	if (acpi_fixup_hotplug(acpi_rsdp, mem_high(), &fx))
		panic("acpi: cannot upgrade the tables for CPU hotplug\n");
	if (mp_wakeup_info(&mailbox, &reset_vector) &&
	    acpi_madt_add_mp_wakeup(acpi_rsdp, mem_high(), mailbox,
				    reset_vector))
		panic("acpi: cannot add the MP wakeup structure\n");
	mem_reserve_high(E820_RESERVED);
	dprintf(DBG_INFO, "acpi: RSDP 0x%llx; FADT %u.%u -> 6.3 (%u -> %u "
		"bytes), MADT rev %u -> 5, %u of %u CPUs online capable%s\n",
		(unsigned long long)acpi_rsdp, fx.fadt_rev_old,
		fx.fadt_minor_old, fx.fadt_len_old,
		acpi_find_table(acpi_rsdp, mem_high(), ACPI_SIG_FADT)->length,
		fx.madt_rev_old, fx.online_capable, fx.cpus,
		mailbox ? ", MP wakeup v1" : "");
}
