/* What each CPU does in one SMI, written against the platform interface:
 * confirming its own relocation, the monarch's session (the APM command,
 * hot-add admission, eject planning, ejects at exit) and an AP's part. */
#ifndef FW_SMM_SESSION_H
#define FW_SMM_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"
#include "smm_layout.h"

/* Waits in SMM, in microseconds. None of them lets a CPU return to the
 * OS early: they only decide when to send an SMI again
 * (docs/smm-cpu-hotplug.md, "Sessions"). */
#define SMM_EARLY_US		1000	/* only the ap-early-exit mutation */
#define SMM_RECHECK_US		10000	/* open-ended waits re-check */
#define SMM_RELOCATE_US		10000	/* only the no-relocate-wait mutation */

struct smm_ctx {
	struct smm_state *st;
	const struct platform *p;
	volatile uint32_t *first_smi_lock;	/* FIRST_SMI_DATA + LOCK */
	/* The interrupted code had just written 4 to APM_CNT: its save
	 * state holds AL = 4 and DX = 0xb2, as right after the OUT of the
	 * AML's SMI upcall (firmware/smm/handler.c). */
	bool asked;
};

/* Entry of every SMI on a relocated CPU. Returns to the stub, which
 * executes RSM; a CPU being ejected never returns. */
void smm_session(const struct smm_ctx *c, uint32_t slot);

/* Parks the calling CPU in SMM for good (firmware/smm/hw.c: cli; hlt). */
__attribute__((noreturn)) void smm_park(void);

#endif
