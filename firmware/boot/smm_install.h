/* Building SMRAM: the SMM module, page tables, IDT, per-CPU entry stubs
 * and stacks in TSEG, the first-SMI stub at the default SMBASE. */
#ifndef FW_SMM_INSTALL_H
#define FW_SMM_INSTALL_H

#include <stdint.h>

#include "smm_layout.h"

struct smram_plan {
	uint64_t tseg_base, tseg_size;
	uint32_t nr_slots;
	/* Computed by smram_plan(): addresses inside TSEG. */
	uint64_t module, page_tables, idt, tiles, stacks, end;
};

/* Lays out nr_slots CPUs in TSEG; -1 if TSEG is too small. */
int smram_plan(struct smram_plan *p);
/* Writes everything while TSEG and the default SMBASE window are still
 * plain RAM; returns the SMM module's state for the caller to fill. */
struct smm_state *smm_install(const struct smram_plan *p);
/* Where a CPU that entered SMM from the reset state (TCG's rules) goes
 * after its first SMI: SMM_RESUME_TRAMPOLINE or SMM_RESUME_ROM_HLT
 * (smm_layout.h). Written into the default SMBASE window, so only
 * before the SMRAM lock. */
void smm_first_smi_resume(int where);
/* SMBASE of a slot: its entry stub is at tiles + slot * 4 KiB. */
static inline uint32_t smm_slot_smbase(const struct smram_plan *p,
				       uint32_t slot)
{
	return (uint32_t)(p->tiles + slot * SMM_TILE_SIZE - SMM_ENTRY_OFFSET);
}

#endif
