/* The SMM NMI handler's C half (firmware/smm/nmi_entry.S): the CPU's
 * slot, from the stack it runs on, and smm_nmi_taken()'s decision. */
#include "smm_nmi.h"

extern struct smm_state smm_state;	/* firmware/smm/handler.c */

int smm_nmi(uint64_t rsp);

int smm_nmi(uint64_t rsp)
{
	const struct smm_state *st = &smm_state;
	uint64_t slot = (rsp - st->stacks) / SMM_STACK_SIZE;

	/* Only on the slots' stacks: SMM code runs nowhere else. */
	if (rsp < st->stacks || slot >= st->nr_slots)
		return SMM_NMI_IRET;
	return smm_nmi_taken(&smm_state.slots[slot]);
}
