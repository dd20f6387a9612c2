/* The invariants, checked where the model can see them break
 * (docs/model.md, "Invariants"). */
#include "layout.h"
#include "model.h"
#include "smm_layout.h"

const char *invariant_name(enum invariant inv)
{
	static const char *const names[] = {
#define INV_NAME(e, name, what) name,
		INVARIANTS(INV_NAME)
#undef INV_NAME
	};

	return names[inv];
}

/* A CPU begins running OS code. */
void check_os_code(struct mcpu *c)
{
	if (c->in_smm)
		violation(INV_OS_IN_SMM, "CPU %d runs OS code in SMM", c->idx);
	else if (c->smbase != model_slot_smbase((uint32_t)c->idx))
		violation(INV_OS_UNRELOCATED, "CPU %d runs OS code with SMBASE "
			  "0x%x; the firmware gives it 0x%x", c->idx, c->smbase,
			  model_slot_smbase((uint32_t)c->idx));
}

static bool back_to_os(const struct mcpu *c, const struct save_state *s)
{
	if (s->kind == CTX_CONT)
		return c->mode_before_smm == M_OS;
	return s->kind == CTX_VECTOR && s->vector != AP_TRAMPOLINE;
}

/* At RSM: what the CPU leaves SMM with. */
static bool fixed_entry(enum ctx_kind k)
{
	return k == CTX_RESET || k == CTX_TRAMPOLINE || k == CTX_ROM_HLT;
}

void check_rsm(struct mcpu *c, const struct save_state *s)
{
	struct model *m = M;

	/* Another CPU's entry may have rewritten the shared default save
	 * state; harmless while it saved the same context (two CPUs from
	 * one SIPI vector), or one that takes nothing from its registers:
	 * the reset state, or the first instruction of the trampoline or of
	 * the ROM hlt loop, where the stub sends a CPU from the reset state
	 * anyway (the first-SMI stub's own redirection, or a relocation's
	 * SMI taken right after RSM had loaded it). */
	if (s->owner != c->idx && !(fixed_entry(s->entry_kind) &&
				    fixed_entry(c->saved_kind)) &&
	    (s->entry_kind != c->saved_kind ||
	     s->entry_vector != c->saved_vector ||
	     s->entry_kind == CTX_CONT))
		violation(INV_SMBASE_SHARED, "CPU %d resumes the state CPU %d "
			  "saved at SMBASE 0x%x", c->idx, s->owner, c->smbase);
	if (s->smbase != SMM_DEFAULT_SMBASE &&
	    s->smbase != model_slot_smbase((uint32_t)c->idx)) {
		int other = -1;

		for (uint32_t i = 0; i < m->o->max_cpus; i++)
			if (model_slot_smbase(i) == s->smbase)
				other = (int)i;
		violation(INV_SMBASE_SHARED, "CPU %d leaves SMM with SMBASE "
			  "0x%x, CPU %d's", c->idx, s->smbase, other);
	}
	if (!back_to_os(c, s))
		return;
	/* Once junk overwrote the 4, a CPU that read the junk cannot know
	 * of the request; the asker holds the AML's lock, so no other CPU
	 * can read _STA before the eject. */
	for (uint32_t i = 0; i < m->o->max_cpus; i++)
		if (m->eject_pending[i] && m->cpu[i].exists &&
		    m->eject_asked[i] < c->smm_entry_step &&
		    (!m->eject_junked[i] || m->eject_asker[i] == c->idx))
			violation(INV_EXIT_BEFORE_EJECT, "CPU %d returns to the "
				  "OS before the eject of CPU %u that the OS "
				  "asked for before its SMI", c->idx, i);
}

/* At RSM, for NMIs: an OS NMI handler the SMI interrupted must resume
 * with NMIs blocked (RSM leaves the mask alone then), and an NMI the OS
 * sent must still be pending or on its way, unless it merged with the
 * firmware's. */
void check_rsm_nmi(struct mcpu *c)
{
	uint32_t coming = c->nmi_n;

	if (c->nmi_inside && !c->nmi_blocked)
		violation(INV_NMI_UNBLOCKED, "CPU %d returns to its OS NMI "
			  "handler with NMIs open", c->idx);
	/* One on its way counts: the OS takes it once it lands. */
	for (int i = 0; i < M->nr_delayed; i++)
		coming += M->delayed[i].what == DELAYED_NMI &&
			  M->delayed[i].cpu == c->idx;
	if (c->nmi_smm_ate && !coming) {
		if (c->nmi_merged) {
			M->nmi_merged++;
			trace(c->idx, "leaves SMM; the OS's NMI merged with the "
			      "firmware's and is gone");
		} else {
			violation(INV_NMI_LOST, "CPU %d leaves SMM without an "
				  "NMI pending for the OS's that SMM took",
				  c->idx);
		}
	}
	/* The OS gets what is pending: NMIs merge. */
	if (c->nmi_os_out > coming)
		c->nmi_os_out = coming;
	c->nmi_smm_ate = 0;
	c->nmi_merged = false;
}

/* QEMU is about to destroy c (an eject). */
void check_eject(struct mcpu *c)
{
	struct model *m = M;

	if (c->in_smm && !c->smm_parked &&
	    m->st.slots[c->idx].door == DOOR_IN)
		violation(INV_EJECT_IN_SMM, "CPU %d is ejected while it runs "
			  "SMM code", c->idx);
	if (!m->eject_pending[c->idx])
		violation(INV_CPU_VANISHED, "QEMU unplugs CPU %d, which the OS "
			  "did not eject", c->idx);
}

void check_step(void)
{
}

/* Everything sleeps: nobody may be left in SMM, and every CPU QEMU has
 * must have reached the OS, unless the firmware refused it. */
void check_end(void)
{
	struct model *m = M;

	/* Only junk in the register block or on APM_CNT may look like a
	 * broken device model. */
	if (m->st.stats.refused && !(m->o->faults & (1ULL << F_JUNK)))
		violation(INV_REFUSED, "the firmware refused %u events",
			  m->st.stats.refused);
	for (uint32_t i = 0; i < m->o->max_cpus; i++) {
		struct mcpu *c = &m->cpu[i];

		if (!c->exists)
			continue;
		if (c->in_smm) {
			violation(INV_DEADLOCK, "CPU %u is still in SMM at the "
				  "end%s", i,
				  c->smm_parked ? " (parked for an eject)" :
						  "");
			return;
		}
		if (!c->os_added && !m->eject_pending[i] &&
		    m->st.slots[i].state != SLOT_ABSENT)
			violation(INV_SIPI_LOST, "CPU %u is present, admitted, "
				  "and the OS never added it", i);
	}
}
