/* The monarch's side of an SMI session (docs/smm-cpu-hotplug.md,
 * "Sessions"; the protocol is described in smm_session.c): it takes the
 * APM command, serves asks, admits new CPUs, ejects the CPUs the OS asked
 * to eject and closes the session. */
#include <stdbool.h>

#include "cpuhp.h"
#include "cpuhp_plan.h"
#include "debug.h"
#include "hw/cpuhp.h"
#include "hw/q35.h"
#include "layout.h"
#include "mutation.h"
#include "smm_monarch.h"
#include "smm_nmi.h"
#include "smm_phase.h"
#include "smm_sync.h"

/* A new CPU left the register block while the monarch waited for it (an
 * eject the firmware did not do): forget it. */
static bool gone(const struct smm_ctx *c, struct cpuhp *hp, uint32_t n)
{
	return !(cpuhp_status(hp, n) & CPUHP_STAT_ENABLED) &&
	       c->st->slots[n].state != SLOT_RELOCATED;
}

/* Waits for a new CPU's relocation. It is in SMM, or takes the directed
 * SMI before anything else, so this only ends when it relocated or left
 * the register block: returning to the OS first would let the OS send
 * INIT or SIPI to a CPU in the first-SMI stub. */
static void wait_relocated(const struct smm_ctx *c, struct cpuhp *hp,
			   uint32_t n, uint64_t t0)
{
	struct smm_state *st = c->st;
	struct smm_slot *sl = &st->slots[n];
	uint64_t t = t0;

	while (load_acquire(&sl->state) != SLOT_RELOCATED) {
		if (MUTATION(NO_RELOCATE_WAIT) &&
		    now(c) - t0 > SMM_RELOCATE_US)
			break;
		if (now(c) - t > SMM_RECHECK_US) {
			if (gone(c, hp, n)) {
				st->admit[n].apic_id = SMM_ADMIT_EMPTY;
				sl->state = SLOT_ABSENT;
				dprintf(DBG_ERR, "smm: hot-add CPU %u (APIC ID "
					"%u) left before it relocated\n", n,
					sl->apic_id);
				return;
			}
			c->p->send_smi(c->p->ctx, sl->apic_id);
			st->stats.resent_smis++;
			t = now(c);
		}
		relax(c);
	}
	if (sl->state == SLOT_RELOCATED)
		dprintf(DBG_INFO, "smm: hot-add CPU %u (APIC ID %u) admitted "
			"and relocated in %u us\n", n, sl->apic_id,
			(unsigned)(now(c) - t0));
	else
		dprintf(DBG_ERR, "smm: hot-add CPU %u (APIC ID %u) admitted, "
			"not relocated yet\n", n, sl->apic_id);
}

static void admit(const struct smm_ctx *c, struct cpuhp *hp,
		  const struct cpuhp_plan *plan)
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
	/* Only an OS that starts CPUs with INIT-SIPI could meet a new CPU
	 * before its relocation is done, and only under TCG's rules, where
	 * it is in SMM now: wait for it then. Under KVM's rules it relocates
	 * at that INIT-SIPI; with the mailbox it reaches the park loop only
	 * after its relocation, and the OS waits for the park loop's
	 * acknowledgement. Either way the session need not wait. */
	if (st->rules == SMM_RULES_TAKEN && !st->park) {
		for (uint32_t i = 0; i < plan->nr_add; i++)
			wait_relocated(c, hp, plan->add[i], t0);
		return;
	}
	for (uint32_t i = 0; i < plan->nr_add; i++)
		dprintf(DBG_INFO, "smm: hot-add CPU %u (APIC ID %u) admitted, "
			"relocates %s\n", plan->add[i],
			st->slots[plan->add[i]].apic_id,
			st->park ? "on its way to the park loop" :
				   "on its first SIPI");
}

/* Takes CPU n out of SMM's hands for good: it parked in session s, or it
 * runs no SMM code and the claimed door keeps it from starting. */
static void take(const struct smm_ctx *c, struct smm_slot *sl, uint32_t s)
{
	uint64_t t = now(c);

	for (;;) {
		uint32_t out = DOOR_OUT;

		if (load_acquire(&sl->parked) == s)
			return;
		/* Acquire: pairs with door_leave(). */
		if (MUTATION(NO_DOOR) ||
		    __atomic_compare_exchange_n(&sl->door, &out, DOOR_CLAIMED,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return;
		/* Inside SMM code: it sees its eject mark and parks. A door
		 * left DOOR_IN by TCG's INIT in SMM needs an SMI to reopen. */
		if (now(c) - t > SMM_RECHECK_US) {
			c->p->send_smi(c->p->ctx, sl->apic_id);
			t = now(c);
		}
		relax(c);
	}
}

static void eject(const struct smm_ctx *c, struct cpuhp *hp,
		  const struct cpuhp_plan *plan, uint32_t s)
{
	struct smm_state *st = c->st;

	for (uint32_t i = 0; i < plan->nr_eject; i++) {
		uint32_t n = plan->eject[i];
		struct smm_slot *sl = &st->slots[n];
		uint32_t owner = sl->apic_id + 1;
		uint64_t t0 = now(c), t1;

		/* An unrelocated CPU can no longer take the first-SMI lock
		 * for this slot. */
		store_release(&st->admit[n].apic_id, SMM_ADMIT_EMPTY);
		take(c, sl, s);
		/* An ask it made goes with it: it parked in ask(), marked for
		 * eject, after a wrong hint (its registers read as if it had
		 * just written 4). Left waiting, it would have a later
		 * session scan the register block for nobody, under the AML
		 * of an OS CPU. */
		if (!MUTATION(EJECT_KEEPS_ASK))
			sl->ask = 0;
		t1 = now(c);
		/* QEMU destroys the vCPU before this returns. */
		cpuhp_eject(hp, n);
		/* It may have died holding the first-SMI lock (admitted,
		 * between its lock and its confirmation). */
		__atomic_compare_exchange_n(c->first_smi_lock, &owner, 0,
					    false, __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED);
		sl->state = SLOT_ABSENT;
		store_release(&sl->door, DOOR_OUT);
		st->stats.ejected++;
		dprintf(DBG_INFO, "smm: hot-remove CPU %u (APIC ID %u) "
			"ejected: %u us to take it, %u us to eject it\n", n,
			sl->apic_id, (unsigned)(t1 - t0),
			(unsigned)(now(c) - t1));
	}
}

/* Reads the APM command and, if it asks for hotplug work, sets it back to
 * 0 with APM SMIs off for the one write, so that it raises no SMI. Only
 * the SMI of the AML's own write of 4 may then scan the register block:
 * any other SMI (a directed one, a duplicate) can interrupt an OS CPU in the
 * middle of a CPU hotplug AML method, whose selector and command a scan
 * would change under it. Nobody can write the port meanwhile: every OS
 * CPU is in SMM or has this session's SMI pending. */
static uint8_t take_command(const struct smm_ctx *c)
{
	const struct platform *p = c->p;
	uint8_t cmd = apm_command(c);
	uint32_t en;

	if (cmd != APM_CNT_CPU_HOTPLUG)
		return cmd;
	en = p->io_read(p->ctx, Q35_PMBASE + ICH9_SMI_EN, 4);
	p->io_write(p->ctx, Q35_PMBASE + ICH9_SMI_EN, 4, en & ~ICH9_SMI_EN_APMC);
	p->io_write(p->ctx, APM_CNT_PORT, 1, 0);
	p->io_write(p->ctx, Q35_PMBASE + ICH9_SMI_EN, 4, en);
	return cmd;
}

/* Marks every waiting ask served by session s; returns how many. */
static uint32_t serve_asks(struct smm_state *st, uint32_t s)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < st->nr_slots; i++) {
		uint32_t w = SMM_ASK_WAITING;

		/* Every SMI runs this: a plain load per slot, a locked
		 * exchange only for a waiting ask. Acquire: the asker's AML
		 * writes before its 4 are seen by the scan after this.
		 * Release: the asker joins s. */
		if (__atomic_load_n(&st->slots[i].ask, __ATOMIC_RELAXED) == w &&
		    __atomic_compare_exchange_n(&st->slots[i].ask, &w, s,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			n++;
	}
	return n;
}

void smm_monarch(const struct smm_ctx *c)
{
	struct smm_state *st = c->st;
	static struct cpuhp_plan plan;	/* too big for an SMM stack */
	struct cpuhp hp;
	uint32_t s = (st->session + 1) | 1;
	uint64_t t0 = now(c), t_plan, t_admit, t_eject;
	uint32_t asks, arrival;
	uint8_t cmd;

	smm_wake_open(c, s);
	/* Release: opens the session for APs waiting in ap(). */
	store_release(&st->session, s);
	arrival = smm_phase_open(&st->phase, s, t0);
	st->stats.sessions++;
	plan.nr_add = plan.nr_eject = 0;
	cpuhp_init(&hp, c->p, CPUHP_BASE_Q35);
	hp.nr = st->nr_slots;
	cmd = MUTATION(KEEP_COMMAND) ? apm_command(c) : take_command(c);
	if (cmd == APM_CNT_CPU_HOTPLUG)
		/* Release: an asker that sees it open sees this after. */
		store_release(&st->took4, s);
	asks = MUTATION(NO_ASK) ? 0 : serve_asks(st, s) + c->asked;
	if (asks && cmd != APM_CNT_CPU_HOTPLUG) {
		st->stats.asks++;
		dprintf(DBG_INFO, "smm: session %u: scans for %u CPUs that wrote "
			"4 to APM_CNT (it reads 0x%x)\n", s, asks, cmd);
	}
	if (cmd != APM_CNT_CPU_HOTPLUG && !asks) {
		/* Not the AML's: nothing to do, nobody to wait for. */
		store_release(&st->exit, s);
		smm_phase_close(&st->phase, now(c));
		store_release(&st->session, s + 1);
		smm_wake_sleepers(c);
		return;
	}
	cpuhp_collect(&hp, st->slots, st->bsp_slot, st->nr_slots, &plan);
	st->stats.refused += plan.nr_refused;
	t_plan = now(c);
	admit(c, &hp, &plan);
	t_admit = now(c);
	for (uint32_t i = 0; i < plan.nr_eject; i++)
		st->slots[plan.eject[i]].eject = s;
	if (MUTATION(RSM_BEFORE_EJECT))
		store_release(&st->session, s + 1);
	/* Release: every eject mark above is visible to an AP that sees
	 * the exit phase (acquire in ap()). */
	store_release(&st->exit, s);
	/* A CPU to eject may sleep: it parks once awake. */
	if (plan.nr_eject)
		smm_wake_sleepers(c);
	eject(c, &hp, &plan, s);
	cpuhp_handover(&hp);
	t_eject = now(c);
	smm_phase_close(&st->phase, t_eject);
	/* Release: closes the session; the APs may RSM. */
	store_release(&st->session, s + 1);
	smm_wake_sleepers(c);
	/* Refusals were logged, each with its reason, by the plan. Arrival:
	 * from the first waiting CPU's SMM entry to the open. */
	dprintf(DBG_INFO, "smm: session %u: %u admitted, %u ejected; arrival "
		"%u us, plan %u us, relocation %u us, ejects %u us\n", s,
		plan.nr_add, plan.nr_eject, arrival, (unsigned)(t_plan - t0),
		(unsigned)(t_admit - t_plan), (unsigned)(t_eject - t_admit));
}
