/* SMM module entry: every relocated CPU's stub calls handle_smi(). */
#include "debug.h"
#include "hw/q35.h"
#include "hw/smm.h"
#include "smm_layout.h"
#include "smm_session.h"

void handle_smi(uint32_t slot);
void smm_hw_platform(struct platform *p, struct smm_state *st);
struct smm_save_state_64 *smm_save_state(struct smm_state *st, uint32_t slot);

/* Filled in by the boot firmware through smm_module_header.state; the
 * only state SMM keeps. */
struct smm_state smm_state __attribute__((aligned(64)));

/* Whether the code this SMI interrupted had just run the AML's SMI
 * upcall, "out %al, (%dx)" with AL = 4 and DX = 0xb2 (Linux's
 * acpi_os_write_port()): the SMI is taken at the next instruction
 * boundary, before the registers change. Only a hint: a wrong yes costs
 * one scan while that CPU waits in SMM, a wrong no is today's APM_CNT. */
static bool os_wrote_apm_cpuhp(uint32_t slot)
{
	const struct smm_save_state_64 *ss;

	if (slot >= smm_state.nr_slots)
		return false;
	ss = smm_save_state(&smm_state, slot);
	/* gprs[] runs r15..rax: rax is [15], rdx [13]. */
	return ss->revision == SMM_REVISION_64 &&
	       (uint8_t)ss->gprs[15] == APM_CNT_CPU_HOTPLUG &&
	       (uint16_t)ss->gprs[13] == APM_CNT_PORT;
}

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
	c.asked = os_wrote_apm_cpuhp(slot);
	smm_session(&c, slot);
}
