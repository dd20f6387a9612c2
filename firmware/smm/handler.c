/* SMM module entry: every relocated CPU's stub calls handle_smi(). */
#include "debug.h"
#include "smm_layout.h"
#include "smm_session.h"

void handle_smi(uint32_t slot);
void smm_hw_platform(struct platform *p, struct smm_state *st);

/* Filled in by the boot firmware through smm_module_header.state; the
 * only state SMM keeps. */
struct smm_state smm_state __attribute__((aligned(64)));

void handle_smi(uint32_t slot)
{
	struct platform hw;
	struct smm_ctx c = {
		.st = &smm_state,
		.p = &hw,
		.first_smi_lock = (volatile uint32_t *)(uintptr_t)(
			FIRST_SMI_DATA + FIRST_SMI_LOCK),
	};

	/* Built per entry, on this CPU's stack: function addresses come
	 * from RIP-relative leas, so the module needs no relocation. */
	smm_hw_platform(&hw, &smm_state);
	smm_session(&c, slot);
}
