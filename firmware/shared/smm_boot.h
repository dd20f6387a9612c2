/* Boot-time SMBASE relocation of every present CPU, written against the
 * platform interface so the platform model runs it as well
 * (docs/smm-cpu-hotplug.md, "At boot"). */
#ifndef FW_SMM_BOOT_H
#define FW_SMM_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "cpuhp.h"
#include "platform.h"
#include "smm_layout.h"

struct smm_boot {
	struct smm_state *st;
	const struct platform *p;
	struct cpuhp *hp;
	/* APs that ran the wait-mode AP trampoline since it was installed
	 * (firmware/boot/ap_trampoline.S), which the caller installed and
	 * made the first-SMI stub's resume point. */
	volatile uint16_t *trampoline_count;
	uint32_t self_apic_id;
	bool kvm;		/* KVM's CPUID signature: latched rules */
	uint32_t *smbase_of;	/* SMBASE of each slot */
	/* Whether a CPU runs the MP wakeup park loop (not waiting for
	 * SIPI), for smm_boot_admit_late(); may be NULL. */
	bool (*parked)(uint32_t apic_id);
};

/* Admits every present CPU, relocates the BSP, then every AP, under
 * TCG's rules (an SMI taken in wait-for-SIPI) or KVM's (latched until a
 * SIPI), and leaves each relocated AP in wait-for-SIPI for the OS. Sets
 * st->bsp_slot and st->rules. Returns how many CPUs relocated, the BSP
 * included; panics if the BSP does not. */
unsigned smm_boot_relocate(const struct smm_boot *b);

/* CPUs plugged while the firmware booted, after smm_boot_relocate()'s
 * scan: the MADT the OS reads may list them as boot CPUs, so before the
 * OS runs they are admitted and relocated like the others, and parked
 * when park is set (the MP wakeup mailbox's trampoline is installed).
 * Call it after QEMU's ACPI tables were read and before SMRAM is
 * locked. Returns how many it found. */
unsigned smm_boot_admit_late(const struct smm_boot *b, bool park);

#endif
