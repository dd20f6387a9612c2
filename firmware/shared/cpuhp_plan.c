/* Collecting and validating hotplug events. The register block is QEMU's
 * and trusted to follow its spec, but a broken or hostile device model
 * must never make SMM admit a CPU twice, eject the BSP or loop. */
#include "cpuhp_plan.h"
#include "debug.h"
#include "hw/cpuhp.h"
#include "mutation.h"

#define refuse(plan, sel, fmt, ...)                                          \
	do {                                                                 \
		dprintf(DBG_ERR, "smm: selector %u: " fmt "; refused\n",     \
			(unsigned)(sel), ##__VA_ARGS__);                     \
		(plan)->nr_refused++;                                        \
	} while (0)

static int id_ok(struct cpuhp *c, const struct smm_slot *slots, uint32_t sel,
		 struct cpuhp_plan *plan)
{
	uint32_t id;

	if (cpuhp_apic_id(c, sel, &id)) {
		refuse(plan, sel, "GET_CPU_ID has a nonzero upper half");
		return 0;
	}
	if (id != slots[sel].apic_id) {
		refuse(plan, sel, "GET_CPU_ID says APIC ID 0x%x, boot said 0x%x",
		       id, slots[sel].apic_id);
		return 0;
	}
	for (uint32_t i = 0; i < c->nr; i++) {
		if (i != sel && slots[i].apic_id == id &&
		    slots[i].state != SLOT_ABSENT) {
			refuse(plan, sel, "APIC ID 0x%x is already admitted "
			       "in slot %u", id, i);
			return 0;
		}
	}
	return 1;
}

static void consider(struct cpuhp *c, const struct smm_slot *slots,
		     uint32_t bsp_slot, uint32_t max_add, uint32_t sel,
		     uint8_t st, struct cpuhp_plan *plan)
{
	const struct smm_slot *s = &slots[sel];

	/* The OS's eject first: QEMU applies it to whatever CPU the slot
	 * holds now. A second device_del of a CPU being ejected sets the
	 * remove event again, QEMU keeps it past that CPU's eject, and the
	 * OS ejects the CPU plugged into the slot since, perhaps before any
	 * SMI admitted it. */
	if (st & CPUHP_STAT_FW_REMOVE) {
		if (sel == bsp_slot) {
			refuse(plan, sel, "the BSP is never ejected");
			return;
		}
		if (!(st & CPUHP_STAT_ENABLED)) {
			refuse(plan, sel, "eject of an absent CPU");
			return;
		}
		/* Never admitted: it never ran OS code and holds nothing in
		 * SMM (the first-SMI stub waits for admission before its
		 * lock), so it goes as it is. Admitted under KVM's rules and
		 * never started by the OS: its SMI waits for a SIPI that will
		 * not come. Either is ejected like a relocated CPU. */
		if (s->state == SLOT_ABSENT && MUTATION(EJECT_ADMITTED_ONLY)) {
			refuse(plan, sel, "not present and admitted");
			return;
		}
		if (s->state == SLOT_ABSENT)
			dprintf(DBG_INFO, "smm: selector %u: the OS ejects a "
				"CPU no SMI admitted yet\n", sel);
		if (id_ok(c, slots, sel, plan))
			plan->eject[plan->nr_eject++] = sel;
		return;
	}
	if (st & CPUHP_STAT_INSERT) {
		/* Plugged and ejected before this SMI: QEMU clears the insert
		 * event only in the AML's next scan. Nothing to admit. */
		if (!(st & CPUHP_STAT_ENABLED))
			return;
		if (s->state != SLOT_ABSENT) {
			/* QEMU's CSCN raises its SMI after its scan and clears
			 * each insert event only after that SMI: a CPU plugged
			 * during one CSCN is admitted by its SMI and seen again
			 * by the next CSCN's. Its ID must still be the one
			 * admitted; then there is nothing to do. */
			if (MUTATION(REFUSE_PENDING)) {
				refuse(plan, sel, "APIC ID 0x%x is already "
				       "admitted", s->apic_id);
				return;
			}
			if (id_ok(c, slots, sel, plan))
				plan->nr_pending++;
			return;
		}
		if (plan->nr_add >= max_add) {
			refuse(plan, sel, "more than %u new CPUs", max_add);
			return;
		}
		if (id_ok(c, slots, sel, plan))
			plan->add[plan->nr_add++] = sel;
		return;
	}
	/* A bare remove event is the OS's own business (its _EJ0 follows
	 * with fw-remove). */
}

int cpuhp_collect(struct cpuhp *c, const struct smm_slot *slots,
		  uint32_t bsp_slot, uint32_t max_add,
		  struct cpuhp_plan *plan)
{
	uint32_t from = 0, sel;
	int r;

	plan->nr_add = plan->nr_eject = plan->nr_refused = 0;
	plan->nr_pending = 0;
	if (max_add > SMM_MAX_CPUS)
		max_add = SMM_MAX_CPUS;
	/* Each iteration moves from forward, so at most nr scans. */
	while ((r = cpuhp_next_event(c, from, &sel)) == 0) {
		consider(c, slots, bsp_slot, max_add, sel,
			 cpuhp_status(c, sel), plan);
		from = sel + 1;
	}
	if (r < 0) {
		refuse(plan, sel, "GET_NEXT_CPU_WITH_EVENT answered a "
		       "selector past the %u possible CPUs", c->nr);
		return -1;
	}
	return 0;
}
