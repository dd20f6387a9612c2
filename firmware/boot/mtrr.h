/* MTRR setup: write-back RAM, uncached MMIO below 4 GiB. */
#ifndef FW_MTRR_H
#define FW_MTRR_H

void mtrr_setup(void);

#endif
