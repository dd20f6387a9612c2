/* QEMU CPU hotplug register block protocol (hw/cpuhp.h) on top of the
 * platform interface. Every access selects first: nothing is assumed
 * about what the OS or an earlier command left in the block. */
#ifndef FW_CPUHP_H
#define FW_CPUHP_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

struct cpuhp {
	const struct platform *p;
	uint16_t base;
	uint32_t nr;		/* possible CPUs (valid selectors) */
};

void cpuhp_init(struct cpuhp *c, const struct platform *p, uint16_t base);
void cpuhp_select(struct cpuhp *c, uint32_t sel);
/* Status byte of a CPU (CPUHP_STAT_*). */
uint8_t cpuhp_status(struct cpuhp *c, uint32_t sel);
/* Architectural (APIC) ID of a possible CPU; -1 if the upper half is
 * set, which no x86 APIC ID has. */
int cpuhp_apic_id(struct cpuhp *c, uint32_t sel, uint32_t *apic_id);
/* First CPU at or after from with a pending event, without wrapping.
 * Returns 0 with *sel, 1 when there is none, -1 if the block answered a
 * selector that does not exist. */
int cpuhp_next_event(struct cpuhp *c, uint32_t from, uint32_t *sel);
/* Leaves the block as QEMU resets it, command GET_NEXT_CPU_WITH_EVENT
 * and selector 0, for the OS: the data register then reads back the
 * selector that the OS's _STA evaluations move, which is how a host
 * tool sees the OS's ACPI scan reach the last CPU (hotcpu's probe.h). */
void cpuhp_handover(struct cpuhp *c);
/* Tells QEMU to unplug an ejected CPU (QEMU refuses the BSP). */
void cpuhp_eject(struct cpuhp *c, uint32_t sel);

/* Switches the block to the modern interface and counts the possible
 * CPUs into c->nr. Returns -1 if the modern interface does not answer
 * or max is exceeded. */
int cpuhp_probe(struct cpuhp *c, uint32_t max);

#endif
