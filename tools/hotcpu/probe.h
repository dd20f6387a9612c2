/* What QEMU shows of a guest's progress, for any Linux guest, with no
 * agent in it: whether its ACPI handles CPU hotplug events yet, and
 * whether it runs a vCPU. */
#ifndef HOTCPU_PROBE_H
#define HOTCPU_PROBE_H

#include "qmp.h"

/* QEMU's q35 and pc machines signal CPU hotplug on GPE0 bit 2, whose
 * handler (_E02) is in QEMU's DSDT. */
#define PROBE_CPU_HOTPLUG_GPE	2

/* *up = 1 once the guest's ACPI enabled the CPU hotplug GPE: Linux does
 * so in acpi_scan_init(), after its processor driver is registered, so
 * from then on a plug or unplug is handled. Before, QEMU keeps the event
 * pending and the guest handles it when it enables the GPE. Read with
 * qom-get of /machine/acpi-device's gpe0_blk and HMP `i` of its enable
 * register. -ENOTSUP: the machine has no such ACPI device. */
int probe__acpi_up(struct qmp *q, int *up);

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

#endif
