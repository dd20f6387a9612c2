/* The times of an SMI session's phases, for its debugcon lines: how long
 * CPUs waited in SMM before the monarch opened the session (arrival) and
 * how long after it closed the last of them left (exit). */
#ifndef FW_SMM_PHASE_H
#define FW_SMM_PHASE_H

#include <stdint.h>

#include "smm_layout.h"

/* A CPU that entered SMM at entry_us waits for session s to open. */
void smm_phase_wait(struct smm_phase *ph, uint64_t entry_us, uint32_t s);

/* The monarch opens session s at now_us: returns how long the first CPU
 * that waited for s had waited, 0 if none did. */
uint32_t smm_phase_open(struct smm_phase *ph, uint32_t s, uint64_t now_us);

/* The monarch closes a session at now_us (before its release). */
void smm_phase_close(struct smm_phase *ph, uint64_t now_us);

/* An AP joins the open session / leaves it: parked for good, or back to
 * the OS at now_us after session s closed. The last to leave prints how
 * many waited, how many of them halted, and how long after the close it
 * left. */
void smm_phase_join(struct smm_phase *ph);
void smm_phase_park(struct smm_phase *ph);
/* A joined AP halts in the session for the first time. */
void smm_phase_halted(struct smm_phase *ph);
void smm_phase_leave(struct smm_phase *ph, uint32_t s, uint64_t now_us);

#endif
