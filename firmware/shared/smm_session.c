/* One SMI, as each CPU lives it.
 *
 * Sessions: the monarch (the BSP, never ejected) opens session s (odd)
 * when it enters, waits a bounded time for every relocated CPU to report
 * arrived == s (re-sending the SMI to stragglers, thread 004) and does
 * the hotplug work. It then starts the exit phase (exit = s): a CPU
 * marked for eject parks, the monarch ejects it, and only then closes
 * the session (s + 1) and lets the other APs leave. No CPU returns to
 * the OS before the ejects are done: the CPU that ran the OS's _EJ0 must
 * see the CPU gone when it evaluates _STA next (edk2 121af960e2, "delay
 * SMM exit"). All waits are bounded except the APs' waits for the exit
 * and the close, which depend only on the monarch's bounded work. */
#include "cpuhp.h"
#include "cpuhp_plan.h"
#include "debug.h"
#include "hw/cpuhp.h"
#include "hw/q35.h"
#include "layout.h"
#include "smm_session.h"

static inline uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static uint64_t now(const struct smm_ctx *c)
{
	return c->p->now_us(c->p->ctx);
}

/* The CPU entered its relocated stub because the first-SMI stub sent it
 * a self-SMI right before RSM: it is proof that RSM loaded the new
 * SMBASE, so the default save state is free for the next CPU. */
static int confirm_relocation(const struct smm_ctx *c, uint32_t slot)
{
	struct smm_slot *me = &c->st->slots[slot];

	if (__atomic_load_n(c->first_smi_lock, __ATOMIC_ACQUIRE) !=
	    me->apic_id + 1)
		return 0;
	/* Release: the monarch's acquire of state sees a relocated CPU
	 * only after the lock below can no longer be ours. */
	store_release(&me->state, SLOT_RELOCATED);
	c->st->stats.relocated++;
	/* Pairs with the lock cmpxchg (acquire) in first_smi.S. */
	__atomic_store_n(c->first_smi_lock, 0, __ATOMIC_RELEASE);
	dprintf(DBG_INFO, "smm: CPU %u (APIC ID %u) relocated to SMBASE 0x%x\n",
		slot, me->apic_id, me->smbase);
	return 1;
}

/* Waits until every expected CPU arrived in session s. Returns how many
 * are still missing after the SMI was re-sent to them. */
static unsigned wait_arrivals(const struct smm_ctx *c, uint32_t s)
{
	struct smm_state *st = c->st;
	uint64_t start = now(c), limit = SMM_ARRIVE_US;
	int resent = 0;

	for (;;) {
		unsigned missing = 0;

		for (uint32_t i = 0; i < st->nr_slots; i++)
			if (i != st->bsp_slot &&
			    st->slots[i].state == SLOT_RELOCATED &&
			    load_acquire(&st->slots[i].arrived) != s)
				missing++;
		if (!missing)
			return 0;
		if (now(c) - start < limit) {
			c->p->relax(c->p->ctx);
			continue;
		}
		if (resent) {
			for (uint32_t i = 0; i < st->nr_slots; i++) {
				struct smm_slot *sl = &st->slots[i];

				if (i == st->bsp_slot ||
				    sl->state != SLOT_RELOCATED ||
				    load_acquire(&sl->arrived) == s)
					continue;
				sl->missed++;
				dprintf(DBG_ERR, "smm: CPU %u (APIC ID %u) missed "
					"session %u (%u in a row)\n", i,
					sl->apic_id, s, sl->missed);
			}
			return missing;
		}
		/* An SMI can be lost for a CPU that was just plugged or is
		 * busy in the hypervisor: send it again, directed. */
		for (uint32_t i = 0; i < st->nr_slots; i++) {
			struct smm_slot *sl = &st->slots[i];

			if (i != st->bsp_slot && sl->state == SLOT_RELOCATED &&
			    load_acquire(&sl->arrived) != s) {
				c->p->send_smi(c->p->ctx, sl->apic_id);
				st->stats.resent_smis++;
			}
		}
		resent = 1;
		start = now(c);
		limit = SMM_ARRIVE_RESENT_US;
	}
}

static void admit(const struct smm_ctx *c, const struct cpuhp_plan *plan)
{
	struct smm_state *st = c->st;
	uint64_t t0 = now(c);

	for (uint32_t i = 0; i < plan->nr_add; i++) {
		uint32_t n = plan->add[i];
		struct smm_slot *sl = &st->slots[n];

		sl->state = SLOT_ADMITTED;
		st->admit[n].smbase = sl->smbase;
		/* Release: the first-SMI stub matches the APIC ID, then
		 * reads the SMBASE written above. */
		store_release(&st->admit[n].apic_id, sl->apic_id);
		st->stats.admitted++;
		/* Latched until its SIPI under KVM's rules; taken now under
		 * TCG's. Either way the CPU relocates on its own. */
		c->p->send_smi(c->p->ctx, sl->apic_id);
		/* An OS on the MP wakeup mailbox sends no SIPI, so under
		 * KVM's rules the CPU is started here, into the park
		 * trampoline: it waits for SIPI, so it is not in SMM, and it
		 * takes its SMI before the trampoline's first instruction.
		 * Under TCG's rules it is, or will be, in SMM: no SIPI. */
		if (st->park && st->rules == SMM_RULES_LATCHED)
			c->p->start_cpu(c->p->ctx, sl->apic_id, AP_TRAMPOLINE);
	}
	if (st->rules != SMM_RULES_TAKEN && !st->park) {
		for (uint32_t i = 0; i < plan->nr_add; i++)
			dprintf(DBG_INFO, "smm: hot-add CPU %u (APIC ID %u) "
				"admitted, relocates on its first SIPI\n",
				plan->add[i], st->slots[plan->add[i]].apic_id);
		return;
	}
	for (uint32_t i = 0; i < plan->nr_add; i++) {
		struct smm_slot *sl = &st->slots[plan->add[i]];

		while (load_acquire(&sl->state) != SLOT_RELOCATED &&
		       now(c) - t0 < SMM_RELOCATE_US)
			c->p->relax(c->p->ctx);
		if (sl->state == SLOT_RELOCATED)
			dprintf(DBG_INFO, "smm: hot-add CPU %u (APIC ID %u) "
				"admitted and relocated in %u us\n",
				plan->add[i], sl->apic_id,
				(unsigned)(now(c) - t0));
		else
			dprintf(DBG_ERR, "smm: hot-add CPU %u (APIC ID %u) "
				"admitted, not relocated yet\n", plan->add[i],
				sl->apic_id);
	}
}

static void eject(const struct smm_ctx *c, struct cpuhp *hp,
		  const struct cpuhp_plan *plan, uint32_t s)
{
	struct smm_state *st = c->st;

	for (uint32_t i = 0; i < plan->nr_eject; i++) {
		uint32_t n = plan->eject[i];
		struct smm_slot *sl = &st->slots[n];
		uint64_t t0 = now(c);

		while (load_acquire(&sl->parked) != s &&
		       now(c) - t0 < SMM_PARK_US)
			c->p->relax(c->p->ctx);
		if (sl->parked != s) {
			dprintf(DBG_ERR, "smm: CPU %u (APIC ID %u) did not "
				"park; not ejected\n", n, sl->apic_id);
			continue;
		}
		/* Parked means it is in its hlt loop in SMM and will never
		 * touch SMRAM again: QEMU may destroy it now. */
		cpuhp_eject(hp, n);
		st->admit[n].apic_id = SMM_ADMIT_EMPTY;
		sl->state = SLOT_ABSENT;
		sl->missed = 0;
		st->stats.ejected++;
		dprintf(DBG_INFO, "smm: hot-remove CPU %u (APIC ID %u) "
			"ejected\n", n, sl->apic_id);
	}
}

static void monarch(const struct smm_ctx *c)
{
	struct smm_state *st = c->st;
	static struct cpuhp_plan plan;	/* too big for an SMM stack */
	struct cpuhp hp;
	uint32_t s = (st->session + 1) | 1;
	uint8_t cmd;

	/* Release: opens the session for APs waiting in smm_ap(). */
	store_release(&st->session, s);
	st->stats.sessions++;
	wait_arrivals(c, s);

	plan.nr_add = plan.nr_eject = 0;
	cmd = (uint8_t)c->p->io_read(c->p->ctx, APM_CNT_PORT, 1);
	if (cmd == APM_CNT_CPU_HOTPLUG && st->boot_done) {
		cpuhp_init(&hp, c->p, CPUHP_BASE_Q35);
		hp.nr = st->nr_slots;
		cpuhp_collect(&hp, st->slots, st->bsp_slot, st->nr_slots,
			      &plan);
		st->stats.refused += plan.nr_refused;
		admit(c, &plan);
		for (uint32_t i = 0; i < plan.nr_eject; i++) {
			struct smm_slot *sl = &st->slots[plan.eject[i]];

			if (load_acquire(&sl->arrived) == s)
				sl->eject = s;
			else
				dprintf(DBG_ERR, "smm: CPU %u to eject is not "
					"in SMM; not ejected\n", plan.eject[i]);
		}
	}
	/* Release: every eject mark above is visible to an AP that sees
	 * the exit phase (acquire in ap()). */
	store_release(&st->exit, s);
	if (plan.nr_eject)
		eject(c, &hp, &plan, s);
	/* Release: closes the session; the APs may RSM. */
	store_release(&st->session, s + 1);
}

static void ap(const struct smm_ctx *c, uint32_t slot)
{
	struct smm_state *st = c->st;
	struct smm_slot *me = &st->slots[slot];
	uint64_t t0 = now(c);
	uint32_t s;

	/* The monarch may enter a little later than us; a directed SMI
	 * outside any session just returns after the wait. */
	while (!((s = load_acquire(&st->session)) & 1)) {
		if (now(c) - t0 > SMM_MONARCH_WAIT_US)
			return;
		c->p->relax(c->p->ctx);
	}
	me->missed = 0;
	/* Release: pairs with wait_arrivals()'s acquire. */
	store_release(&me->arrived, s);
	/* Acquire: pairs with the monarch's start of the exit phase; its
	 * eject marks are visible after this. */
	while (load_acquire(&st->exit) != s)
		c->p->relax(c->p->ctx);
	if (me->eject == s) {
		/* Release: the monarch ejects only after seeing this. */
		store_release(&me->parked, s);
		smm_park();
	}
	while (load_acquire(&st->session) == s)
		c->p->relax(c->p->ctx);
}

void smm_session(const struct smm_ctx *c, uint32_t slot)
{
	if (slot >= c->st->nr_slots || c->st->magic != SMM_STATE_MAGIC)
		smm_park();
	if (confirm_relocation(c, slot))
		return;
	if (slot == c->st->bsp_slot)
		monarch(c);
	else
		ap(c, slot);
}
