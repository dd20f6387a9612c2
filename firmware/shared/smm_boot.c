/* Boot-time SMBASE relocation (docs/smm-cpu-hotplug.md, "At boot"): every
 * present CPU goes through the first-SMI stub like a hot-added CPU, and
 * every AP ends in wait-for-SIPI for the OS, never in SMM. */
#include "debug.h"
#include "hw/cpuhp.h"
#include "layout.h"
#include "smm_boot.h"

#define RELOCATE_BSP_US		100000
#define RELOCATE_APS_US		1000000
#define RELOCATE_RESEND_US	10000

static uint64_t now(const struct smm_boot *b)
{
	return b->p->now_us(b->p->ctx);
}

/* Waits until slot is relocated (its confirmation ran in SMM). With
 * resend, the SMI goes again now and then: under TCG's rules an INIT
 * still pending on the CPU (a SIPI it has not taken yet) swallows it. */
static int wait_relocated_resend(const struct smm_boot *b, uint32_t slot,
				 uint64_t us, bool resend)
{
	uint64_t end = now(b) + us, next = now(b) + RELOCATE_RESEND_US;

	while (__atomic_load_n(&b->st->slots[slot].state, __ATOMIC_ACQUIRE) !=
	       SLOT_RELOCATED) {
		if (now(b) > end)
			return -1;
		if (resend && now(b) > next) {
			b->p->send_smi(b->p->ctx, b->st->slots[slot].apic_id);
			next = now(b) + RELOCATE_RESEND_US;
		}
		b->p->relax(b->p->ctx);
	}
	return 0;
}

static int wait_relocated(const struct smm_boot *b, uint32_t slot,
			  uint64_t us)
{
	return wait_relocated_resend(b, slot, us, false);
}

/* Waits until n APs ran the trampoline; 0 when they did. */
static int wait_trampoline(const struct smm_boot *b, unsigned n, uint64_t us)
{
	uint64_t end = now(b) + us;

	while (*b->trampoline_count < n) {
		if (now(b) > end)
			return -1;
		b->p->relax(b->p->ctx);
	}
	return 0;
}

/* Latched rules: the AP waits for SIPI; an SMI sent now stays latched
 * (INIT does not clear it there), and the SIPI lets the AP take it
 * before the trampoline's first instruction. It relocates, reports in
 * from the trampoline, and INIT puts it back into wait-for-SIPI. Only
 * ever sent to a CPU that never entered SMM, so never to one in SMM. */
static int relocate_by_sipi(const struct smm_boot *b, uint32_t slot)
{
	uint32_t id = b->st->slots[slot].apic_id;

	*b->trampoline_count = 0;
	b->p->send_smi(b->p->ctx, id);
	b->p->start_cpu(b->p->ctx, id, AP_TRAMPOLINE);
	if (wait_trampoline(b, 1, RELOCATE_APS_US) ||
	    wait_relocated(b, slot, RELOCATE_APS_US))
		return -1;
	b->p->send_init(b->p->ctx, id);
	return 0;
}

/* TCG's rules: every AP takes the SMI in wait-for-SIPI, relocates, and
 * resumes from the reset state at the trampoline (first-SMI stub), which
 * counts it and spins it. Once all relocated APs are counted, none is in
 * SMM, and INIT puts them back into wait-for-SIPI for the OS. Returns
 * how many relocated. */
static unsigned relocate_by_smi(const struct smm_boot *b)
{
	struct smm_state *st = b->st;
	unsigned relocated = 0;

	*b->trampoline_count = 0;
	for (uint32_t i = 0; i < st->nr_slots; i++)
		if (i != st->bsp_slot && st->slots[i].state == SLOT_ADMITTED)
			b->p->send_smi(b->p->ctx, st->slots[i].apic_id);
	for (uint32_t i = 0; i < st->nr_slots; i++)
		if (i != st->bsp_slot && st->slots[i].state != SLOT_ABSENT &&
		    !wait_relocated(b, i, RELOCATE_APS_US))
			relocated++;
	if (!relocated)
		return 0;
	if (wait_trampoline(b, relocated, RELOCATE_APS_US)) {
		/* Leave them alone: the OS's INIT-SIPI-SIPI comes much
		 * later, and the mailbox is off when an AP does not park. */
		dprintf(DBG_ERR, "smm: %u of %u relocated APs did not leave "
			"SMM in time\n", relocated - *b->trampoline_count,
			relocated);
		return relocated;
	}
	for (uint32_t i = 0; i < st->nr_slots; i++)
		if (i != st->bsp_slot && st->slots[i].state == SLOT_RELOCATED)
			b->p->send_init(b->p->ctx, st->slots[i].apic_id);
	return relocated;
}

unsigned smm_boot_relocate(const struct smm_boot *b)
{
	struct smm_state *st = b->st;
	uint32_t present = 0, relocated = 0;

	st->bsp_slot = ~0u;
	for (uint32_t i = 0; i < st->nr_slots; i++) {
		struct smm_slot *sl = &st->slots[i];

		if (cpuhp_apic_id(b->hp, i, &sl->apic_id))
			panic("smm: CPU %u has APIC ID above 32 bits\n", i);
		sl->smbase = b->smbase_of[i];
		for (uint32_t j = 0; j < i; j++)
			if (st->slots[j].apic_id == sl->apic_id)
				panic("smm: CPUs %u and %u share APIC ID %u\n",
				      j, i, sl->apic_id);
		if (!(cpuhp_status(b->hp, i) & CPUHP_STAT_ENABLED))
			continue;
		present++;
		if (sl->apic_id == b->self_apic_id)
			st->bsp_slot = i;
		st->admit[i].smbase = sl->smbase;
		st->admit[i].apic_id = sl->apic_id;
		sl->state = SLOT_ADMITTED;
	}
	cpuhp_handover(b->hp);
	if (st->bsp_slot == ~0u)
		panic("smm: the BSP (APIC ID %u) is not a present CPU\n",
		      b->self_apic_id);

	/* The BSP first: a self-SMI, taken at the next instruction. */
	b->p->send_smi(b->p->ctx, b->self_apic_id);
	if (wait_relocated(b, st->bsp_slot, RELOCATE_BSP_US))
		panic("smm: the BSP did not relocate its SMBASE\n");

	/* KVM holds an SMI while a CPU waits for SIPI, as hardware does;
	 * TCG delivers it at once. Without KVM's signature, try TCG's
	 * rules first: an AP that relocates proves them. */
	st->rules = b->kvm ? SMM_RULES_LATCHED : SMM_RULES_TAKEN;
	if (st->rules == SMM_RULES_TAKEN && present > 1) {
		relocated = relocate_by_smi(b);
		if (!relocated)
			st->rules = SMM_RULES_LATCHED;
	}
	if (st->rules == SMM_RULES_LATCHED)
		for (uint32_t i = 0; i < st->nr_slots; i++)
			if (i != st->bsp_slot &&
			    st->slots[i].state == SLOT_ADMITTED &&
			    !relocate_by_sipi(b, i))
				relocated++;
	for (uint32_t i = 0; i < st->nr_slots; i++)
		if (st->slots[i].state == SLOT_ADMITTED)
			dprintf(DBG_ERR, "smm: CPU %u (APIC ID %u) did not "
				"relocate at boot; it will at its first SMI\n",
				i, st->slots[i].apic_id);
	return relocated + 1;
}

/* Relocates an admitted CPU plugged during boot. Under TCG's rules an SMI
 * reaches it wherever it is. Under KVM's, a CPU in the park loop (parked
 * before it was admitted) takes the SMI where it runs, and must get no
 * INIT: KVM's INIT drops an SMI the CPU already holds. One waiting for
 * SIPI gets SMI, INIT and SIPI, like at boot: there the SMI survives the
 * INIT. */
static int relocate_late(const struct smm_boot *b, uint32_t slot, bool park)
{
	uint32_t id = b->st->slots[slot].apic_id;

	if (b->st->rules == SMM_RULES_LATCHED &&
	    !(b->parked && b->parked(id))) {
		if (!park)
			return relocate_by_sipi(b, slot);
		/* The park trampoline parks it after its relocation. */
		b->p->send_smi(b->p->ctx, id);
		b->p->start_cpu(b->p->ctx, id, AP_TRAMPOLINE);
		return wait_relocated(b, slot, RELOCATE_APS_US);
	}
	b->p->send_smi(b->p->ctx, id);
	if (wait_relocated_resend(b, slot, RELOCATE_APS_US, true))
		return -1;
	/* TCG, not parked: it resumed at the wait-mode trampoline. */
	if (!park && !(b->parked && b->parked(id)) &&
	    !wait_trampoline(b, 1, RELOCATE_APS_US))
		b->p->send_init(b->p->ctx, id);
	return 0;
}

unsigned smm_boot_admit_late(const struct smm_boot *b, bool park)
{
	struct smm_state *st = b->st;
	unsigned late = 0;

	for (uint32_t i = 0; i < st->nr_slots; i++) {
		struct smm_slot *sl = &st->slots[i];

		if (sl->state != SLOT_ABSENT ||
		    !(cpuhp_status(b->hp, i) & CPUHP_STAT_ENABLED))
			continue;
		if (!park && b->st->rules == SMM_RULES_TAKEN)
			*b->trampoline_count = 0;
		st->admit[i].smbase = sl->smbase;
		/* Release: the first-SMI stub matches the APIC ID, then
		 * reads the SMBASE. */
		__atomic_store_n(&st->admit[i].apic_id, sl->apic_id,
				 __ATOMIC_RELEASE);
		sl->state = SLOT_ADMITTED;
		late++;
		if (relocate_late(b, i, park))
			dprintf(DBG_ERR, "smm: CPU %u (APIC ID %u), plugged "
				"during boot, did not relocate; it will at its "
				"first SMI\n", i, sl->apic_id);
		else
			dprintf(DBG_INFO, "smm: CPU %u (APIC ID %u), plugged "
				"during boot, relocated\n", i, sl->apic_id);
	}
	cpuhp_handover(b->hp);
	return late;
}
