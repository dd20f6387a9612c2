/* One SMI, as each CPU lives it (docs/smm-cpu-hotplug.md, "Sessions").
 *
 * The monarch (the BSP, never ejected) opens session s (odd) on every SMI
 * it takes and takes the APM command: if the OS asked for hotplug work
 * (the AML wrote 4 to port 0xb2), it reads the plan, admits new CPUs and
 * marks CPUs to eject, begins the exit phase (exit = s), ejects, and
 * closes the session (s + 1).
 *
 * The guarantee: no CPU returns to the OS while the hotplug work the OS
 * asked for before its SMI is undone, so the CPU that ran _EJ0 reads
 * _STA = 0 (edk2 121af960e2, "delay SMM exit") and the one that ran CSCN
 * notifies a relocated CPU. An AP that finds a session open joins it and
 * leaves when it closes. One that finds none leaves at once unless the
 * command is still 4, that is, asked and not yet taken: then it waits
 * for the session that will take it (the AML's write of 4 raised an SMI
 * on every CPU, the BSP too), however long the host deschedules the
 * BSP. No timeout returns a CPU to the OS early, and nobody waits for
 * CPUs that have nothing to do: an SMI costs an uninvolved CPU one port
 * read, whatever the number of CPUs.
 *
 * Ejects take a CPU that parked in the session, or one the monarch shut
 * out of SMM by claiming its door: it need not come.
 *
 * Another write to APM_CNT can overwrite the AML's 4 before the monarch
 * reads it (guest userspace with I/O permission, say): the monarch would
 * then take the SMI for not the AML's and the CPU that ran _EJ0 would
 * read _STA = 0xF. So the CPU whose save state shows it had just written
 * the 4 (c->asked) records an ask in its slot, and the next session the
 * monarch opens serves it: a scan, whatever the port reads. The asker
 * holds the AML's lock (it is right after the AML's OUT) and stays in
 * SMM until that session closes, so no OS CPU is inside a CPU hotplug
 * AML method while the scan changes the selector. */
#include <stdbool.h>

#include "debug.h"
#include "hw/q35.h"
#include "mutation.h"
#include "smm_monarch.h"
#include "smm_nmi.h"
#include "smm_phase.h"
#include "smm_session.h"
#include "smm_sync.h"

/* The CPU may run SMM code for its slot unless the monarch claimed the
 * door to eject it. Finding it DOOR_IN means the last SMM entry ended
 * without door_leave(): only TCG's INIT in SMM does that. */
static bool door_enter(struct smm_slot *me)
{
	uint32_t d = __atomic_load_n(&me->door, __ATOMIC_ACQUIRE);

	while (d != DOOR_CLAIMED)
		/* Acquire: pairs with door_leave() and the monarch's claim. */
		if (__atomic_compare_exchange_n(&me->door, &d, DOOR_IN, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return true;
	return false;
}

static void door_leave(struct smm_slot *me)
{
	/* Release: once the monarch sees DOOR_OUT, this CPU touches no
	 * SMRAM state until its next door_enter(). */
	store_release(&me->door, DOOR_OUT);
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

/* Whether session s is in its exit phase with this CPU marked for eject. */
static bool marked(struct smm_state *st, const struct smm_slot *me,
		   uint32_t s)
{
	/* Acquire: pairs with the monarch's start of the exit phase; its
	 * eject marks are visible after this. */
	return load_acquire(&st->exit) == s && me->eject == s;
}

/* Parks the CPU if session s is open, in its exit phase, and marked
 * the CPU for eject. */
static void park_if_ejected(struct smm_state *st, struct smm_slot *me,
			    uint32_t s, bool joined)
{
	if ((s & 1) && marked(st, me, s)) {
		if (joined)
			smm_phase_park(&st->phase);
		/* Release: the monarch ejects only after seeing this. */
		store_release(&me->parked, s);
		smm_park();
	}
}

/* The CPU had just written 4: returns a session that scans after that
 * write. One that serves its ask does; so does an open session that took
 * a 4: the CPU holds the AML's lock, so that 4 was its own (a CPU whose
 * 4 an earlier session took holds the lock until that session closes).
 * Otherwise the monarch may be in a session that began before the ask,
 * or out of SMM with nothing pending if another value overwrote the 4:
 * then an SMI to it opens the next session. */
static uint32_t ask(const struct smm_ctx *c, struct smm_slot *me)
{
	struct smm_state *st = c->st;
	uint32_t bsp = st->slots[st->bsp_slot].apic_id, a, s;
	uint64_t t = 0;
	bool sent = false;

	/* Release: pairs with the acquire in serve_asks(). */
	store_release(&me->ask, SMM_ASK_WAITING);
	while ((a = load_acquire(&me->ask)) == SMM_ASK_WAITING) {
		s = load_acquire(&st->session);
		/* The mutation also trusts a closed session's 4: the last
		 * lock holder's, perhaps. */
		if (!(s & 1) && MUTATION(ASK_CLOSED_TAKE))
			s--;
		if ((s & 1) && load_acquire(&st->took4) == s) {
			/* Withdraw the ask; if a session served it
			 * meanwhile, stay through that one (its scan must
			 * not run with this CPU back in the OS). */
			if (__atomic_compare_exchange_n(&me->ask, &a, 0, false,
							__ATOMIC_ACQUIRE,
							__ATOMIC_ACQUIRE))
				return s;
			return a;
		}
		/* A hostile OS may eject the CPU that runs its _EJ0. */
		park_if_ejected(st, me, s, false);
		if (!(s & 1) && apm_command(c) != APM_CNT_CPU_HOTPLUG &&
		    (!sent || now(c) - t > SMM_RECHECK_US)) {
			c->p->send_smi(c->p->ctx, bsp);
			sent = true;
			t = now(c);
		}
		relax(c);
	}
	return a;
}

static void ap_wait(const struct smm_ctx *c, uint32_t slot)
{
	struct smm_state *st = c->st;
	struct smm_slot *me = &st->slots[slot];
	uint64_t t0 = now(c);
	uint32_t s;
	bool waited = false;

	if (c->asked && !MUTATION(NO_ASK))
		s = ask(c, me);
	else for (;;) {
		/* The command first, then the session: a command the monarch
		 * took (it set it to 0) was taken in a session that is open
		 * when this reads it, or has closed, its work done. */
		uint8_t cmd = apm_command(c);

		if ((s = load_acquire(&st->session)) & 1)
			break;
		if (cmd != APM_CNT_CPU_HOTPLUG && !MUTATION(KEEP_COMMAND))
			return;
		if (MUTATION(AP_EARLY_EXIT) && now(c) - t0 > SMM_EARLY_US)
			return;
		if (!waited)
			smm_phase_wait(&st->phase, t0, s + 1);
		waited = true;
		/* Asked, not taken yet: the AML's write raised an SMI on
		 * every CPU, the BSP too, so a session is coming, however
		 * late the host runs the BSP. */
		relax(c);
	}
	/* Until the session closes. The monarch may open the next one
	 * before this CPU looks again, so look for the close too, not only
	 * for this session's exit phase: a CPU marked for eject in s keeps
	 * s open (it is inside its door), so seeing it closed means this
	 * CPU was not marked. */
	smm_phase_join(&st->phase);
	for (bool halted = false;;) {
		uint32_t h0;
		bool still;

		park_if_ejected(st, me, s, true);
		if (load_acquire(&st->session) != s) {
			smm_phase_leave(&st->phase, s, now(c));
			return;
		}
		/* Halted, not spinning, until the monarch's NMI: it wakes
		 * sleepers after it marks ejects and after the close. */
		if (!smm_sleep_begin(c, me, slot, s, &h0)) {
			relax(c);
			continue;
		}
		still = MUTATION(SLEEP_NO_RECHECK) ||
			(load_acquire(&st->session) == s && !marked(st, me, s));
		if (still && !halted) {
			smm_phase_halted(&st->phase);
			halted = true;
		}
		smm_sleep_end(c, me, h0, still);
	}
}

static void ap(const struct smm_ctx *c, uint32_t slot)
{
	ap_wait(c, slot);
	smm_nmi_close(c, &c->st->slots[slot]);
}

/* Where RSM takes this CPU back to, when the SMI did not interrupt code
 * it can go on with:
 *  - the reset state. INIT put the CPU back in wait-for-SIPI (the OS may
 *    send one; TCG honours it even in SMM), and TCG takes SMIs there:
 *    RSM would run the reset vector. It goes where a hot-added CPU goes
 *    after its relocation: the park loop when APs wait on the MP wakeup
 *    mailbox, where the OS's WAKEUP finds it (the ROM's hlt loop answers
 *    only a SIPI, which such an OS never sends, and Linux waits for the
 *    mailbox forever); else the ROM's hlt loop, where TCG's APIC still
 *    waits for the SIPI;
 *  - under TCG's rules, the relocation's own SMI finding real-mode code
 *    other than the trampoline with the mailbox on: the default save
 *    state is shared, and TCG writes and reads it field by field, so
 *    another new CPU's SMI entry during this CPU's RSM can leave it the
 *    new SMBASE with a mix of that CPU's reset state and the stub's
 *    trampoline (first_smi.S). Under KVM's rules the relocation's SMI
 *    may find an OS's SIPI vector, where the CPU must go. */
static void resume(const struct smm_ctx *c, uint32_t slot, bool relocated)
{
	const struct smm_state *st = c->st;
	bool park = st->park && !MUTATION(RESET_ROM_HLT);
	int k = c->p->saved_context(c->p->ctx, slot);
	int where = park ? SMM_RESUME_TRAMPOLINE : SMM_RESUME_ROM_HLT;

	if (k == PLATFORM_SAVED_REAL && relocated && park &&
	    st->rules == SMM_RULES_TAKEN)
		dprintf(DBG_INFO, "smm: CPU %u (APIC ID %u) relocated into "
			"real-mode code that is not the trampoline (another "
			"CPU's SMI entry changed the default save state): "
			"resumes in the park loop\n", slot,
			st->slots[slot].apic_id);
	else if (k == PLATFORM_SAVED_RESET)
		dprintf(DBG_INFO, "smm: CPU %u (APIC ID %u) was in the reset "
			"state: resumes in the %s\n", slot,
			st->slots[slot].apic_id,
			park ? "park loop" : "ROM's hlt loop");
	else
		return;
	c->p->set_resume(c->p->ctx, slot, where);
	c->st->stats.reset_resumes++;
}

void smm_session(const struct smm_ctx *c, uint32_t slot)
{
	struct smm_slot *me;
	bool relocated;

	if (slot >= c->st->nr_slots || c->st->magic != SMM_STATE_MAGIC)
		smm_park();
	me = &c->st->slots[slot];
	/* Claimed for eject: park before touching anything shared. */
	if (!door_enter(me))
		smm_park();
	/* Before the OS runs nothing can be asked of SMM but relocations:
	 * an SMI then (a duplicate, a late one) just returns. */
	smm_nmi_enter(c, me);
	relocated = confirm_relocation(c, slot);
	if (!relocated && c->st->boot_done) {
		if (slot == c->st->bsp_slot)
			smm_monarch(c);
		else
			ap(c, slot);
	}
	resume(c, slot, relocated);
	door_leave(me);
}
