/* APs that sleep in a session instead of spinning.
 *
 * With dozens of vCPUs on a few host cores, an SMI's cost is the host's
 * scheduling of the vCPU threads that spin in SMM: the monarch, the CPU
 * an eject waits for, and QEMU's eject itself wait their turn behind
 * every spinning AP (docs/smm-cpu-hotplug.md, "What an SMI costs with
 * many vCPUs"). An AP that has joined a session halts instead, and the
 * monarch wakes it with an NMI when what it waits for changes (the exit
 * phase, the close). A halted vCPU costs the host nothing.
 *
 * SMM entry blocks NMIs until an IRET. A sleeping AP lets them in with
 * an IRET to itself (platform nmi_open), so its SMM NMI handler also
 * takes the OS's NMIs meant for after RSM. Three rules keep the OS's
 * view what it would be had the AP spun with NMIs blocked:
 *  - every NMI the monarch sends is taken in SMM: one per sleep, claimed
 *    by a CAS on the slot's sleep word, and the AP waits for it before
 *    it goes on (smm_sleep_end());
 *  - an NMI the handler took beyond the monarch's is the OS's: the AP
 *    leaves one pending for the OS at RSM (smm_nmi_close());
 *  - NMIs are blocked again before RSM, by an NMI to itself that the
 *    handler returns from without IRET: KVM and TCG leave the NMI mask
 *    alone at RSM when the SMI interrupted an NMI handler, which must
 *    not resume with NMIs open.
 * An OS NMI that reaches the AP while the monarch's is still pending
 * merges with it, as any two pending NMIs do, and the OS never sees it
 * (docs/smm-cpu-hotplug.md lists this limit).
 *
 * The halt itself (firmware/smm/nmi_entry.S): the look at the sleep
 * word and the hlt are one window for the NMI handler, which moves an
 * NMI taken there past the hlt. So the monarch's NMI, claimed after the AP said
 * it may sleep, cannot be lost between the look and the hlt. */
#include "debug.h"
#include "mutation.h"
#include "smm_nmi.h"
#include "smm_sync.h"

int smm_nmi_taken(struct smm_slot *me)
{
	if (me->nmi_block == SMM_NMI_BLOCK_ARMED && !MUTATION(NMI_NO_BLOCK)) {
		me->nmi_block = SMM_NMI_BLOCK_DONE;
		return SMM_NMI_KEEP_BLOCKED;
	}
	me->nmis++;
	return SMM_NMI_IRET;
}

static uint32_t nmis(const struct smm_slot *me)
{
	/* Written by this CPU's NMI handler, between any two instructions. */
	return __atomic_load_n(&me->nmis, __ATOMIC_RELAXED);
}

/* Takes the monarch's NMI for a sleep it claimed: it is sent, or will
 * be, and NMIs are open. h0: the handler's count before the sleep. */
static void take_wake(const struct smm_ctx *c, struct smm_slot *me,
		      uint32_t h0)
{
	while (load_acquire(&me->sleep) != SMM_SLEEP_SENT)
		relax(c);
	while (nmis(me) == h0 && !MUTATION(WAKE_NOT_TAKEN))
		relax(c);
	me->wakes++;
	store_release(&me->sleep, SMM_SLEEP_AWAKE);
}

void smm_nmi_enter(const struct smm_ctx *c, struct smm_slot *me)
{
	uint32_t ready = SMM_SLEEP_READY;

	me->nmis = me->wakes = me->nmi_block = me->nmi_open = 0;
	if (load_acquire(&me->sleep) == SMM_SLEEP_AWAKE ||
	    __atomic_compare_exchange_n(&me->sleep, &ready, SMM_SLEEP_AWAKE,
					false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		return;
	/* TCG's INIT in SMM ended the SMI of a sleep the monarch claimed.
	 * INIT drops a pending NMI; one sent after it is pending now and
	 * reaches the OS after RSM. Which of the two happened cannot be
	 * told: the send is only let finish (docs/smm-cpu-hotplug.md,
	 * "Sleeping APs"). */
	while (load_acquire(&me->sleep) != SMM_SLEEP_SENT)
		relax(c);
	store_release(&me->sleep, SMM_SLEEP_AWAKE);
}

bool smm_sleep_begin(const struct smm_ctx *c, struct smm_slot *me,
		     uint32_t slot, uint32_t s, uint32_t *h0)
{
	const struct platform *p = c->p;

	if (!p->sleep || load_acquire(&c->st->wake_ok) != s)
		return false;
	if (!me->nmi_open) {
		if (p->nmi_open(p->ctx, slot))
			return false;
		me->nmi_open = 1;
	}
	*h0 = nmis(me);
	__atomic_store_n(&me->sleep, SMM_SLEEP_READY, __ATOMIC_SEQ_CST);
	/* Pairs with the fence in smm_wake_sleepers(): the monarch sees
	 * READY after its change, or this CPU's look sees the change. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return true;
}

void smm_sleep_end(const struct smm_ctx *c, struct smm_slot *me, uint32_t h0,
		   bool still)
{
	uint32_t ready = SMM_SLEEP_READY;

	if (still)
		c->p->sleep(c->p->ctx, &me->sleep, SMM_SLEEP_READY);
	if (__atomic_compare_exchange_n(&me->sleep, &ready, SMM_SLEEP_AWAKE,
					false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		return;
	take_wake(c, me, h0);
}

void smm_nmi_close(const struct smm_ctx *c, struct smm_slot *me)
{
	const struct platform *p = c->p;

	if (!me->nmi_open)
		return;
	__atomic_store_n(&me->nmi_block, SMM_NMI_BLOCK_ARMED, __ATOMIC_SEQ_CST);
	if (p->send_nmi(p->ctx, me->apic_id)) {
		/* nmi_open() checked this APIC, and SMM cannot change it. */
		dprintf(DBG_INFO, "smm: APIC ID %u: cannot send itself an "
			"NMI: leaves SMM with NMIs open\n", me->apic_id);
	} else {
		while (load_acquire(&me->nmi_block) != SMM_NMI_BLOCK_DONE &&
		       !MUTATION(NMI_NO_BLOCK))
			relax(c);
		/* Pending through RSM: the OS takes it once it can. */
		if (nmis(me) > me->wakes && !MUTATION(NMI_NO_RERAISE))
			p->send_nmi(p->ctx, me->apic_id);
	}
	me->nmis = me->wakes = me->nmi_block = me->nmi_open = 0;
}

void smm_wake_open(const struct smm_ctx *c, uint32_t s)
{
	const struct platform *p = c->p;

	store_release(&c->st->wake_ok, p->can_send && p->sleep &&
					       !p->can_send(p->ctx) ? s : 0);
}

void smm_wake_sleepers(const struct smm_ctx *c)
{
	struct smm_state *st = c->st;

	if (!c->p->send_nmi)
		return;
	/* Pairs with the fence in smm_sleep_begin(). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (uint32_t i = 0; i < st->nr_slots; i++) {
		struct smm_slot *sl = &st->slots[i];
		uint32_t ready = SMM_SLEEP_READY;

		if (__atomic_load_n(&sl->sleep, __ATOMIC_RELAXED) != ready ||
		    !__atomic_compare_exchange_n(&sl->sleep, &ready,
						 SMM_SLEEP_CLAIMED, false,
						 __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST))
			continue;
		c->p->send_nmi(c->p->ctx, sl->apic_id);
		store_release(&sl->sleep, SMM_SLEEP_SENT);
	}
}
