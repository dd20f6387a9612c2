/* What QEMU shows of a guest's progress, for any Linux guest, with no
 * agent in it: whether its ACPI handles CPU hotplug events yet, and
 * whether it runs a vCPU. */
#ifndef HOTCPU_PROBE_H
#define HOTCPU_PROBE_H

#include "qmp.h"

/* QEMU's q35 and pc machines signal CPU hotplug on GPE0 bit 2, whose
 * handler (_E02) is in QEMU's DSDT. */
#define PROBE_CPU_HOTPLUG_GPE	2

/* How long after the guest enabled the GPE the probe takes its word
 * when it cannot see the guest's ACPI scan (a guest that never
 * evaluates every CPU's _STA, a firmware that leaves another command
 * latched in the register block). Linux's scan takes about 20 ms under
 * TCG. */
#define PROBE_SCAN_GRACE_MS	2000
#define PROBE_NO_BLOCK		1UL

/* What probe__acpi_up() remembers between calls: zero it first. */
struct probe_acpi {
	int up;			/* seen up: stays so while the GPE is on */
	double gpe_ms;		/* host ms the GPE was first seen on */
	unsigned long base;	/* register block, PROBE_NO_BLOCK, 0 unread */
	unsigned int nr;	/* possible CPUs, 0 unread */
};

/* *up = 1 once the guest's ACPI handles CPU hotplug events: it enabled
 * the CPU hotplug GPE and its ACPI scan has created a device for every
 * possible CPU. Linux 6.12 enables the GPEs in acpi_scan_init() before
 * its namespace walk creates the CPU devices: a notify in between finds
 * no device, Linux answers _OST 0x1 (non-specific failure), and its
 * scan then adds the CPU anyway. The walk evaluates each CPU's _STA in
 * order, and QEMU's CSTA writes the CPU's index to the selector, which
 * the register block's data register reads back (hw/acpi/cpu.c) under
 * the command our firmware leaves: scanned once it reads the last CPU's
 * index, or once the guest has evaluated a CPU's _OST
 * (query-acpi-ospm-status), or PROBE_SCAN_GRACE_MS after the GPE came
 * on. Before, QEMU keeps the event pending. Reads: qom-get of
 * /machine/acpi-device's gpe0_blk and type, HMP `i` of the GPE enable
 * register and of the hotplug block's data register. -ENOTSUP: the
 * machine has no such ACPI device. */
int probe__acpi_up(struct qmp *q, struct probe_acpi *st, int *up);

/* *prelaunch = 1 while QEMU has not run a guest instruction yet (started
 * with -S and not continued): query-status says "prelaunch". */
int probe__prelaunch(struct qmp *q, int *prelaunch);

/* *in_kernel = 1 when vCPU index runs with paging on at a kernel address
 * (64-bit: the upper half; 32-bit: at or above 3 GiB): only the guest's
 * own bring-up of that CPU gets it there. Firmware runs low (our parked
 * APs run with paging on, identity mapped), a CPU waiting for SIPI at
 * the reset vector. A started CPU that the guest later offlined may
 * stay in the kernel (hlt) or return to the firmware. HMP `info
 * registers`, which works under TCG and KVM. */
int probe__in_kernel(struct qmp *q, int index, int *in_kernel);

/* A CPU slot another QMP client unplugged may still be in the guest's
 * eject: QEMU has deleted the CPU, but the guest's last _OST for the slot
 * is "eject pending" (source 3, status 0x84) until Linux has read _STA
 * after _EJ0 and sent its final _OST. A CPU plugged into the slot in
 * between makes that _STA read present: Linux logs "Eject incomplete"
 * and the new CPU never comes online. Polls query-acpi-ospm-status until
 * none of the n slots (CPU indexes) reads so, or max_ms have passed;
 * *pending counts those that still do. A QEMU without the command has
 * none pending. */
#define PROBE_EJECT_SETTLE_MS	2000
int probe__ejects_settled(struct qmp *q, const int *index, size_t n,
			  int max_ms, int *pending);

#endif
