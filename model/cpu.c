/* A vCPU: its local APIC's INIT, SIPI and SMI under KVM's or TCG's rules,
 * SMM entry and RSM through save states, and what a (re)started vCPU
 * runs.
 *
 * KVM (arch/x86/kvm/lapic.c kvm_apic_accept_events(), x86.c
 * kvm_vcpu_reset(); thread 004): an SMI that reaches a CPU in
 * wait-for-SIPI stays a request until the CPU runs, and survives INIT;
 * INIT is held while the CPU is in SMM and clears an SMI already pending;
 * a SIPI that does not find the CPU in wait-for-SIPI (and out of SMM) is
 * dropped.
 *
 * TCG (QEMU 10.0, measured: ../shared/research/qemu-hotplug.md): an SMI
 * is taken even in wait-for-SIPI, from the reset state; INIT is honoured
 * in SMM (the CPU leaves SMM); INIT stays pending on a halted CPU until
 * something else wakes it, and then swallows a pending SMI; a SIPI is
 * processed whenever the APIC still waits for one, in SMM too.
 *
 * NMIs, alike under both (SDM vol. 3 34.8; QEMU target/i386/tcg/system/
 * smm_helper.c, KVM arch/x86/kvm/smm.c): one pending bit, so an NMI sent
 * while one is pending merges with it; blocked from SMM entry until an
 * IRET, and from an NMI's delivery until the handler's IRET; at RSM
 * unblocked, unless they were blocked when the SMI came: then RSM leaves
 * the mask as SMM left it. SMIs go first; INIT drops a pending NMI. A pending NMI is taken at the
 * CPU's next scheduling point in SMM or OS code; elsewhere (firmware
 * outside SMM, wait-for-SIPI) it waits: nobody sends one there. */
#include <string.h>

#include "layout.h"
#include "model.h"

static bool kvm(void)
{
	return M->o->rules == RULES_KVM;
}

struct mcpu *cpu_by_apic(uint32_t apic_id)
{
	for (uint32_t i = 0; i < M->o->max_cpus; i++)
		if (M->cpu[i].exists && M->cpu[i].apic_id == apic_id)
			return &M->cpu[i];
	return NULL;
}

void apic_smi(struct mcpu *c)
{
	if (!c->exists)
		return;
	if (kvm())
		c->smi_req = true;
	else
		c->smi_pending = true;
}

void apic_init(struct mcpu *c)
{
	if (c->exists)
		c->init_pending = true;
}

void apic_sipi(struct mcpu *c, uint64_t vector)
{
	if (!c->exists)
		return;
	c->sipi_pending = true;
	c->sipi_vector = vector;
}

static void reset_to_wfs(struct mcpu *c)
{
	if (c->in_smm) {
		trace(c->idx, "INIT in SMM: leaves SMM for wait-for-SIPI (TCG)");
		c->smm_torn = true;
	}
	else
		trace(c->idx, "INIT: wait-for-SIPI");
	c->in_smm = false;
	c->smm_parked = false;
	c->smi_pending = false;
	/* INIT drops a pending NMI and clears the NMI mask (QEMU's
	 * do_cpu_init() keeps only a SIPI; KVM's kvm_vcpu_reset()). */
	c->nmi_n = 0;
	c->nmi_os_out = c->nmi_smm_ate = 0;
	c->nmi_merged = false;
	c->nmi_blocked = c->nmi_inside = false;
	c->sleep_window = c->sleep_halted = false;
	c->timer_period = 0;	/* INIT resets the local APIC */
	c->tcg_wait_for_sipi = true;
	c->mode = M_WFS;
	trace_mode(c);
	cpu_restart(c, START_WFS, 0);
}

/* INIT and SIPI, which restart the vCPU: the scheduler runs this before
 * it switches to the CPU. SMIs are taken in the CPU's own context
 * (cpu_deliver), on top of the code they interrupt. */
void cpu_before_run(struct mcpu *c)
{
	if (kvm()) {
		if (c->smi_req && c->mode != M_WFS) {
			c->smi_pending = true;
			c->smi_req = false;
		}
		if (c->init_pending && !c->in_smm) {
			c->init_pending = false;
			reset_to_wfs(c);
		}
		if (c->sipi_pending) {
			c->sipi_pending = false;
			if (c->mode == M_WFS && !c->in_smm)
				cpu_restart(c, START_VECTOR, c->sipi_vector);
			else
				trace(c->idx, "SIPI dropped: not in wait-for-SIPI");
		}
		return;
	}
	if (c->init_pending) {
		c->init_pending = false;
		reset_to_wfs(c);
	}
	if (c->sipi_pending) {
		c->sipi_pending = false;
		if (c->tcg_wait_for_sipi) {
			c->tcg_wait_for_sipi = false;
			if (c->in_smm) {
				trace(c->idx, "SIPI processed in SMM (TCG)");
				c->smm_torn = true;
			}
			cpu_restart(c, START_VECTOR, c->sipi_vector);
		} else {
			trace(c->idx, "SIPI dropped: APIC not waiting for one");
		}
	}
}

/* In the CPU's context at a scheduling point: takes an SMI if one may be
 * taken now. at: what it interrupts, CTX_CONT for the code running (the
 * reset state in wait-for-SIPI), or the first instruction of the
 * trampoline or of the ROM hlt loop, right after a restart there. */
static bool cpu_deliver_at(struct mcpu *c, enum ctx_kind at)
{
	bool took = false;

	/* A loop, not recursion: an SMI pending at RSM (a relocation's
	 * self-SMI, one latched in SMM) is taken right after it. */
	for (;;) {
		if (c->in_smm || c->restart)
			return took;
		if (kvm()) {
			if (c->mode == M_WFS)
				return took;
			if (c->smi_req) {
				c->smi_req = false;
				c->smi_pending = true;
			}
		}
		if (!c->smi_pending)
			return took;
		c->smi_pending = false;
		took = true;
		smm_enter(c, c->mode == M_WFS ? CTX_RESET : at, 0);
	}
}

/* KVM (arch/x86/kvm/x86.c process_nmi()) keeps two pending while NMIs
 * are open and one while they are blocked; TCG one bit. An NMI beyond
 * that merges with the last one pending. */
static unsigned nmi_limit(const struct mcpu *c)
{
	return M->o->rules == RULES_KVM && !c->nmi_blocked ? 2 : 1;
}

void nmi_send(struct mcpu *t, bool from_os)
{
	uint8_t from = from_os ? NMI_FROM_OS : NMI_FROM_FW;

	if (!t->exists)
		return;
	/* Merging with the OS's own is the hardware's rule; with the
	 * firmware's (nmi_take()), SMM takes both: smm_nmi.c's limit,
	 * counted apart. */
	if (t->nmi_n < nmi_limit(t)) {
		t->nmiq[t->nmi_n++] = from;
	} else {
		if (from_os && !(t->nmiq[t->nmi_n - 1] & NMI_FROM_OS))
			t->nmi_os_out++;
		t->nmiq[t->nmi_n - 1] |= from;
		return;
	}
	if (from_os)
		t->nmi_os_out++;
}

/* Takes the first pending NMI; NMIs are blocked from here, and KVM keeps
 * one more at most. */
uint8_t nmi_pop(struct mcpu *c)
{
	uint8_t from = c->nmiq[0];

	c->nmiq[0] = c->nmiq[1];
	c->nmi_n--;
	c->nmi_blocked = true;
	return from;
}

/* The CPU's own local APIC write (an exit under KVM) or its hlt: KVM
 * makes the NMIs queued for it pending. */
void nmi_land_delayed(struct mcpu *c)
{
	struct model *m = M;

	for (int i = 0; i < m->nr_delayed;) {
		struct delayed *d = &m->delayed[i];

		if (d->what != DELAYED_NMI || d->cpu != c->idx) {
			i++;
			continue;
		}
		m->delayed[i] = m->delayed[--m->nr_delayed];
		trace(c->idx, "the firmware's NMI lands");
		nmi_send(c, false);
	}
}

/* The OS takes a pending NMI: one it sent, or one the firmware left
 * pending for it. Its handler runs with NMIs blocked until its IRET. */
static void nmi_os(struct mcpu *c)
{
	struct model *m = M;

	uint8_t from = c->nmiq[0];
	uint32_t queued_os = c->nmi_n > 1 && (c->nmiq[1] & NMI_FROM_OS);

	/* Its own, or one the firmware left pending for one of its own
	 * that SMM took. After TCG's INIT or SIPI in SMM ended an SMI of a
	 * sleeping AP, the monarch's NMI may reach the OS
	 * (smm_nmi_enter()): counted apart, with TCG's os-in-smm limit. */
	if ((from & NMI_FROM_OS) || c->nmi_os_out > queued_os)
		c->nmi_os_out -= c->nmi_os_out > 0;
	else if (c->smm_torn)
		m->nmi_torn++;
	else
		violation(INV_NMI_SPURIOUS, "CPU %d takes an NMI in OS code "
			  "that the OS did not send", c->idx);
	trace(c->idx, "takes an NMI in OS code");
	nmi_pop(c);
	c->os_nmi_until = m->now + 1 + rng_below(m, 2 * MODEL_MS);
}

static void nmi_deliver(struct mcpu *c)
{
	struct model *m = M;

	if (c->restart)
		return;
	if (!c->in_smm && c->mode == M_OS && c->nmi_blocked &&
	    c->os_nmi_until && m->now >= c->os_nmi_until) {
		c->os_nmi_until = 0;
		c->nmi_blocked = false;	/* the OS handler's IRET */
	}
	if (!c->nmi_n || c->nmi_blocked)
		return;
	if (c->in_smm)
		nmi_take(c);
	else if (c->mode == M_OS)
		nmi_os(c);
}

bool cpu_deliver(struct mcpu *c)
{
	bool took = cpu_deliver_at(c, CTX_CONT);

	nmi_deliver(c);
	return took;
}

/* Fault os-nmi: an NMI from the OS or the platform to one of the OS's
 * CPUs, which may be in SMM. */
void os_nmi_random(void)
{
	struct model *m = M;
	int cand[MODEL_MAX_CPUS], n = 0;

	for (uint32_t i = 0; i < m->o->max_cpus; i++) {
		struct mcpu *c = &m->cpu[i];

		if (c->exists && c->os_online && !c->os_dying &&
		    (c->mode == M_OS ||
		     (c->in_smm && c->mode_before_smm == M_OS)))
			cand[n++] = (int)i;
	}
	if (!n)
		return;
	n = cand[rng_below(m, (uint32_t)n)];
	trace(n, "the OS sends it an NMI%s",
	      m->cpu[n].in_smm ? " (in SMM)" : "");
	nmi_send(&m->cpu[n], true);
}

static struct save_state *save_at(uint32_t smbase)
{
	if (smbase == SMM_DEFAULT_SMBASE)
		return &M->save[0];
	if (smbase >= model_slot_smbase(0) &&
	    smbase < model_slot_smbase(M->o->max_cpus) &&
	    !((smbase - model_slot_smbase(0)) & 0xfff))
		return &M->save[1 + (smbase - model_slot_smbase(0)) / 0x1000];
	return NULL;
}

static const char *ctx_name(enum ctx_kind k)
{
	static const char *const n[] = { "its code", "the reset state",
					 "a SIPI vector", "the trampoline",
					 "the ROM hlt loop" };

	return n[k];
}

/* SMI: the CPU saves its state at SMBASE + 0xfe00 and runs the stub at
 * SMBASE + 0x8000; RSM reloads the state and the SMBASE field. */
void smm_enter(struct mcpu *c, enum ctx_kind kind, uint64_t vector)
{
	struct model *m = M;
	enum cpu_mode was = c->mode;
	struct save_state *s = save_at(c->smbase), seen;

	if (!s) {
		violation(INV_OS_UNRELOCATED, "CPU %d takes an SMI with SMBASE "
			  "0x%x, outside SMRAM", c->idx, c->smbase);
		return;
	}
	c->mode_before_smm = was;
	c->saved_kind = kind;
	c->saved_vector = vector;
	s->kind = kind;
	s->vector = vector;
	s->owner = c->idx;
	s->entry_kind = kind;
	s->entry_vector = vector;
	c->in_smm = true;
	c->mode = M_SMM;
	c->nmi_inside = c->nmi_blocked;
	c->nmi_blocked = true;
	c->nmi_smm_ate = 0;
	c->nmi_merged = false;
	if (c->nmi_n > 1) {		/* KVM keeps one while blocked */
		c->nmiq[0] |= c->nmiq[1];
		c->nmi_n = 1;
	}
	c->idle_was = c->idle_spin;
	c->idle_spin = false;
	c->smm_since = m->now;
	c->smm_entry_step = m->step;
	c->smm_entries++;
	trace(c->idx, "SMI: enters SMM at SMBASE 0x%x from %s", c->smbase,
	      ctx_name(kind));
	trace_mode(c);
	/* QEMU's do_smm_enter() writes the save state one field at a time,
	 * the segments and RIP first and the SMBASE field last; helper_rsm()
	 * reads it the same way. Another CPU's RSM from the shared default
	 * save state can fall between the two. */
	wait_us(c, 10);
	s->smbase = c->smbase;
	if (c->smbase == SMM_DEFAULT_SMBASE)
		first_smi_stub(c);
	else
		smm_run_stub(c);
	/* RSM: the context, then (after a scheduling point when the save
	 * state is shared) the SMBASE field. */
	s = save_at(c->smbase);
	seen = *s;
	if (c->smbase == SMM_DEFAULT_SMBASE)
		point(c);
	seen.smbase = s->smbase;
	check_rsm(c, &seen);
	check_rsm_nmi(c);
	if (!c->nmi_inside)
		c->nmi_blocked = false;
	c->nmi_inside = false;
	c->sleep_window = c->sleep_halted = false;
	c->smbase = seen.smbase;
	c->in_smm = false;
	c->mode = was;
	c->idle_spin = c->idle_was;
	trace(c->idx, "RSM to %s, SMBASE now 0x%x", ctx_name(seen.kind),
	      c->smbase);
	trace_mode(c);
	switch (seen.kind) {
	case CTX_CONT:
		return;
	case CTX_RESET:
		cpu_restart(c, START_RESET_VECTOR, 0);
		break;
	case CTX_VECTOR:
		if (kind == CTX_VECTOR && seen.vector == vector)
			return;
		cpu_restart(c, START_VECTOR, seen.vector);
		break;
	case CTX_TRAMPOLINE:
		cpu_restart(c, START_TRAMPOLINE, 0);
		break;
	case CTX_ROM_HLT:
		cpu_restart(c, START_ROM_HLT, 0);
		break;
	}
	/* The scheduler drops this stack and starts the CPU anew. */
	point(c);
}

/* QEMU's eject: the vCPU is gone, whatever it was doing. */
void cpu_destroy(struct mcpu *c)
{
	check_eject(c);
	trace(c->idx, "ejected: QEMU destroys the vCPU");
	c->exists = false;
	c->mode = M_ABSENT;
	trace_mode(c);
	c->in_smm = c->halted = c->smm_parked = false;
	c->smi_req = c->smi_pending = c->init_pending = c->sipi_pending = false;
	c->nmi_n = 0;
	c->nmi_os_out = c->nmi_smm_ate = 0;
	c->nmi_merged = false;
	c->sleep_window = c->sleep_halted = false;
	c->os_present = c->os_online = c->os_callin = false;
	c->os_dying = c->os_dead = false;
	M->eject_pending[c->idx] = false;
}

/* What a vCPU runs from a (re)start; its stack is fresh each time. */
void cpu_main(void *arg)
{
	struct mcpu *c = arg;

	c->mode = c->start == START_WFS ? M_WFS : M_FW;
	c->idle_spin = false;
	trace_mode(c);
	switch (c->start) {
	case START_OS_BSP:
		fw_boot(c);
		os_bsp_main(c);
		break;
	case START_WFS:
		break;
	case START_VECTOR:
		/* An SMI latched in wait-for-SIPI is taken before the
		 * vector's first instruction, with that vector saved. */
		while ((c->smi_req || c->smi_pending) && !c->restart) {
			c->smi_req = c->smi_pending = false;
			smm_enter(c, CTX_VECTOR, c->start_vector);
		}
		if (c->start_vector == AP_TRAMPOLINE)
			ap_trampoline(c);
		else
			os_ap_entry(c, c->start_vector);
		break;
	case START_TRAMPOLINE:
		cpu_deliver_at(c, CTX_TRAMPOLINE);
		ap_trampoline(c);
		break;
	case START_ROM_HLT:
		cpu_deliver_at(c, CTX_ROM_HLT);
		rom_hlt(c);
		break;
	case START_RESET_VECTOR:
		/* An SMI pending at RSM (a relocation's self-SMI) is taken
		 * before the reset vector's first instruction, with the
		 * reset state saved. */
		if (c->smi_req || c->smi_pending) {
			c->smi_req = c->smi_pending = false;
			smm_enter(c, CTX_RESET, 0);
		}
		violation(INV_RESET_RERUN, "CPU %d left SMM into the reset "
			  "vector", c->idx);
		break;
	case START_PARK_RESET:
		cpu_deliver(c);
		park_main(c, true);
		break;
	}
	for (;;)
		block_point(c);
}

/* A new vCPU, as QEMU creates it: reset state, default SMBASE, its APIC
 * waiting for a SIPI. */
void cpu_create(struct mcpu *c, enum cpu_start start)
{
	int idx = c->idx;
	uint32_t apic_id = c->apic_id;
	struct coro co = c->co;

	memset(c, 0, sizeof(*c));
	c->idx = idx;
	c->apic_id = apic_id;
	c->co = co;
	c->exists = true;
	c->smbase = SMM_DEFAULT_SMBASE;
	c->tcg_wait_for_sipi = start == START_WFS;
	c->created_at = M->now;
	c->ready_at = M->now;
	c->mode = start == START_WFS ? M_WFS : M_FW;
	c->backoff = 1;
	c->ej0_target = -1;
	cpu_restart(c, start, 0);
}
