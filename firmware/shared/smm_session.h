/* What each CPU does in one SMI, written against the platform interface:
 * confirming its own relocation, the monarch's session (rendezvous,
 * hot-add admission, eject planning, ejects at exit) and an AP's part. */
#ifndef FW_SMM_SESSION_H
#define FW_SMM_SESSION_H

#include <stdint.h>

#include "platform.h"
#include "smm_layout.h"

/* Bounds of every wait, in microseconds. */
#define SMM_ARRIVE_US		10000	/* all CPUs in, before re-sending */
#define SMM_ARRIVE_RESENT_US	200000	/* after re-sending: give up */
#define SMM_MONARCH_WAIT_US	20000	/* AP waiting for a session */
#define SMM_RELOCATE_US		500000	/* new CPU, SMI taken in WFS */
#define SMM_PARK_US		200000	/* CPU to eject, parking */

struct smm_ctx {
	struct smm_state *st;
	const struct platform *p;
	volatile uint32_t *first_smi_lock;	/* FIRST_SMI_DATA + LOCK */
};

/* Entry of every SMI on a relocated CPU. Returns to the stub, which
 * executes RSM; a CPU being ejected never returns. */
void smm_session(const struct smm_ctx *c, uint32_t slot);

/* Parks the calling CPU in SMM for good (firmware/smm/hw.c: cli; hlt). */
__attribute__((noreturn)) void smm_park(void);

#endif
