/* What one hotplug SMI must do: the CPUs to admit and to eject, read
 * from the register block and checked against the slot table before
 * anything in SMRAM changes. */
#ifndef FW_CPUHP_PLAN_H
#define FW_CPUHP_PLAN_H

#include <stdint.h>

#include "cpuhp.h"
#include "smm_layout.h"

struct cpuhp_plan {
	uint32_t nr_add, nr_eject, nr_refused;
	uint32_t nr_pending;	/* insert events of CPUs already admitted */
	uint32_t add[SMM_MAX_CPUS];	/* slots (selectors) to admit */
	uint32_t eject[SMM_MAX_CPUS];	/* slots to eject */
};

/* Scans every pending event once. A CPU is ejected if the OS handed the
 * eject to firmware, it is present, its APIC ID is the one recorded for
 * its selector at boot, and it is not the BSP, whether relocated,
 * admitted, or plugged since the OS's remove event and never admitted
 * (QEMU keeps a remove event past its CPU's eject). Otherwise a CPU is
 * admitted only if QEMU says it was inserted and is present, its APIC ID
 * is the one recorded for its selector at boot, no other slot holds that
 * ID, its slot is absent, and fewer than max_add CPUs were taken
 * already. An insert event on a slot already admitted under the same
 * APIC ID is one the OS has not cleared yet: counted in nr_pending,
 * nothing else; one of an absent CPU (plugged and ejected before the
 * SMI) is nothing to do. Anything else is refused with a DBG_ERR line
 * and counted. Reads the block and
 * the slots only: the caller applies the plan. Returns 0, or -1 if the
 * block answered a selector that does not exist (the plan holds what
 * came before). */
int cpuhp_collect(struct cpuhp *c, const struct smm_slot *slots,
		  uint32_t bsp_slot, uint32_t max_add,
		  struct cpuhp_plan *plan);

#endif
