/* q35 SMRAM controls: TSEG, SMRAM at the default SMBASE, D_LCK. */
#ifndef FW_SMRAM_H
#define FW_SMRAM_H

#include <stdbool.h>
#include <stdint.h>

/* True if QEMU can make 0x30000-0x4ffff SMRAM (MCH_F_SMBASE). */
bool smram_default_smbase_supported(void);
/* TSEG size QEMU offers through the extended-TSEG register, in MiB, or
 * 0 without it. */
uint32_t smram_ext_tseg_mb(void);
/* True if TSEG really becomes SMRAM: with TSEG enabled, non-SMM reads
 * of [base, base + size) hit QEMU's blackhole. Without SMM (smm=off)
 * they still read RAM. Leaves TSEG disabled. */
bool smram_tseg_works(uint64_t base, uint32_t size_mb, bool ext);
/* Enables TSEG of size_mb (from then on only SMM reaches it; 0 keeps it
 * off), locks the default-SMBASE window if smbase_window, and sets D_LCK
 * so the OS can change none of it. */
void smram_lock(uint32_t size_mb, bool ext, bool smbase_window);

#endif
