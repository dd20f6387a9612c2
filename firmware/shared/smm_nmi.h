/* APs that sleep in a session instead of spinning, woken by the monarch's
 * NMI (firmware/shared/smm_nmi.c, docs/smm-cpu-hotplug.md "Sleeping
 * APs"). */
#ifndef FW_SMM_NMI_H
#define FW_SMM_NMI_H

#include <stdbool.h>
#include <stdint.h>

#include "smm_session.h"

/* What the SMM NMI handler does with the NMI it took. */
#define SMM_NMI_IRET		0
#define SMM_NMI_KEEP_BLOCKED	1	/* return without IRET */

/* The NMI handler's decision for the CPU of slot me
 * (firmware/smm/nmi_entry.S calls it, so does the model). */
int smm_nmi_taken(struct smm_slot *me);

/* At SMM entry: clears what an SMI that ended without smm_nmi_close()
 * (TCG's INIT in SMM) left in the slot. */
void smm_nmi_enter(const struct smm_ctx *c, struct smm_slot *me);

/* One wait of an AP in session s. smm_sleep_begin() returns false when
 * the CPU cannot sleep (then it relaxes); else the caller looks at what
 * it waits for and calls smm_sleep_end() with still = whether to sleep. */
bool smm_sleep_begin(const struct smm_ctx *c, struct smm_slot *me,
		     uint32_t slot, uint32_t s, uint32_t *h0);
void smm_sleep_end(const struct smm_ctx *c, struct smm_slot *me, uint32_t h0,
		   bool still);

/* Before RSM: NMIs blocked again, and one left pending for the OS if
 * the handler took one of the OS's. */
void smm_nmi_close(const struct smm_ctx *c, struct smm_slot *me);

/* The monarch, after a change the sleeping APs wait for. */
void smm_wake_sleepers(const struct smm_ctx *c);

/* The monarch, before it opens session s: whether its APs may sleep. */
void smm_wake_open(const struct smm_ctx *c, uint32_t s);

#endif
