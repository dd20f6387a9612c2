/* QEMU 10.0's CPU hotplug AML for q35 as C: the methods
 * hw/acpi/cpu.c build_cpus_aml() generates, run by the model's OS over
 * the firmware's platform interface, one port access per AML field
 * access, in the AML's order (Linux's ACPICA reads and writes these
 * fields with exactly one access each: ByteAcc/WriteAsZeros for
 * CPEN..CCMD, DWordAcc with a full mask for CSEL and CDAT). */
#ifndef MODEL_AML_H
#define MODEL_AML_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

/* Notify() values CSCN passes (ACPI 6.5 table 5.185) */
#define AML_NOTIFY_DEVICE_CHECK		1
#define AML_NOTIFY_EJECT_REQUEST	3

/* CNEW and CEJL are ACPI 1.0 packages of this many elements. */
#define AML_CSCN_PER_PASS		255

/* _STA of a CPU: QEMU answers 0xf (present, enabled, shown,
 * functioning) or 0. */
#define AML_STA_PRESENT			0xfu

/* The AML's mutex \_SB.PCI0.PRES.CPLK is the caller's: acquire and
 * release bracket every method that takes it (Acquire(CPLK, 0xFFFF):
 * wait for ever), so the model's OS decides what contention means and
 * makes both scheduling points. NULL: no lock (one OS thread). */
struct aml_cpus {
	const struct platform *p;
	uint16_t base;		/* PRST: CPUHP_BASE_Q35 */
	/* SMIC: the FADT's SMI_CMD, APM_CNT_PORT (0xb2); QEMU puts 0 there
	 * with SMM off, and the write then goes to port 0. */
	uint16_t smi_port;
	uint32_t nr;		/* possible CPUs: objects C000..C(nr-1) */
	uint32_t bsp;		/* first_cpu: the one CPU without _EJ0 */
	/* What the firmware had negotiated when QEMU built the tables
	 * (SMI_F_CPU_HOTPLUG, SMI_F_CPU_HOT_UNPLUG); QEMU never offers the
	 * second without the first. */
	bool smi_on_cpuhp;
	bool fw_unplugs_cpu;
	void *ctx;
	/* Notify(C%03X, event), from CTFY. ACPICA queues it: Linux runs
	 * its handler after CSCN returns. */
	void (*notify)(void *ctx, uint32_t idx, uint32_t event);
	void (*acquire)(void *ctx);
	void (*release)(void *ctx);
};

/* \_SB.PCI0.PRES._INI: CSEL = 0, which leaves the legacy interface. */
void aml_ini(const struct aml_cpus *a);
/* \_GPE._E02 -> \_SB.CPUS.CSCN: notifies inserted CPUs (device check)
 * and CPUs to remove (eject request), and clears their events. */
void aml_cscn(const struct aml_cpus *a);
/* C%03X._STA -> CSTA: *sta = 0xf or 0. -ENOENT if idx >= nr. */
int aml_sta(const struct aml_cpus *a, uint32_t idx, uint32_t *sta);
/* C%03X._EJ0 -> CEJ0. -ENOENT (no access) for the BSP, which has no
 * _EJ0, and for idx >= nr. */
int aml_ej0(const struct aml_cpus *a, uint32_t idx);
/* C%03X._OST(event, status, buffer) -> COST. -ENOENT if idx >= nr. */
int aml_ost(const struct aml_cpus *a, uint32_t idx, uint32_t event,
	    uint32_t status);

#endif
