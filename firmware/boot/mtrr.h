/* MTRR setup: write-back RAM, uncached MMIO below 4 GiB; a snapshot for
 * the APs. */
#ifndef FW_MTRR_H
#define FW_MTRR_H

struct park_mtrrs;

void mtrr_setup(void);
/* This CPU's MTRRs (the BSP's, after mtrr_setup()), for the park module
 * to copy into the APs; valid = 0 without MTRRs. Ranges past
 * PARK_MTRR_VAR_MAX are left out: mtrr_setup() uses only the first
 * few. */
void mtrr_snapshot(struct park_mtrrs *m);

#endif
