/* MTRRs as Linux expects a BIOS to leave them: without them Linux
 * disables PAT and treats all memory as uncached under KVM. */
#include "debug.h"
#include "e820.h"
#include "hw/x86.h"
#include "io.h"
#include "lib.h"
#include "mtrr.h"
#include "park_layout.h"

#define WB8 0x0606060606060606ull	/* eight fixed ranges, write-back */

void mtrr_setup(void)
{
	uint32_t a, b, c, d, vcnt, used = 0;
	uint64_t addr, phys_mask;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & CPUID_1_EDX_MTRR)) {
		dprintf(DBG_INFO, "mtrr: none on this CPU\n");
		return;
	}
	cpuid(0x80000000, 0, &a, &b, &c, &d);
	phys_mask = 0xfffffffffull;	/* 36 bits unless CPUID says */
	if (a >= 0x80000008) {
		cpuid(0x80000008, 0, &a, &b, &c, &d);
		phys_mask = (1ull << (a & 0xff)) - 1;
	}
	vcnt = rdmsr(MSR_MTRR_CAP) & MTRR_CAP_VCNT_MASK;

	wrmsr(MSR_MTRR_DEF_TYPE, 0);
	/* Fixed ranges: RAM below 640 KiB and the F segment write-back,
	 * the VGA window and option-ROM space uncached. */
	wrmsr(MSR_MTRR_FIX64K_00000, WB8);
	wrmsr(MSR_MTRR_FIX16K_80000, WB8);
	wrmsr(MSR_MTRR_FIX16K_A0000, 0);
	for (int i = 0; i < 8; i++)
		wrmsr(MSR_MTRR_FIX4K_C0000 + i, i < 4 ? 0 : WB8);

	/* Uncached from the end of low RAM to 4 GiB, in aligned powers of
	 * two; the space between RAM and the first block has nothing. */
	addr = ALIGN_UP(e820_low_ram_top(&e820), 16 * MiB);
	for (uint32_t i = 0; i < vcnt; i++) {
		wrmsr(MSR_MTRR_PHYS_BASE(i), 0);
		wrmsr(MSR_MTRR_PHYS_MASK(i), 0);
	}
	while (addr < 4 * GiB && used < vcnt) {
		uint64_t size = addr ? addr & -addr : 4 * GiB;

		while (addr + size > 4 * GiB)
			size >>= 1;
		wrmsr(MSR_MTRR_PHYS_BASE(used), addr | MTRR_TYPE_UC);
		wrmsr(MSR_MTRR_PHYS_MASK(used),
		      (~(size - 1) & phys_mask) | MTRR_PHYS_MASK_VALID);
		used++;
		addr += size;
	}
	wrmsr(MSR_MTRR_DEF_TYPE,
	      MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | MTRR_TYPE_WB);
	dprintf(DBG_INFO, "mtrr: default write-back, %u of %u variable "
		"ranges uncached up to 4 GiB%s\n", used, vcnt,
		addr < 4 * GiB ? " (ran out)" : "");
}

void mtrr_snapshot(struct park_mtrrs *m)
{
	uint32_t a, b, c, d, vcnt;

	memset(m, 0, sizeof(*m));
	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & CPUID_1_EDX_MTRR))
		return;
	vcnt = rdmsr(MSR_MTRR_CAP) & MTRR_CAP_VCNT_MASK;
	m->nr_var = MIN(vcnt, (uint32_t)PARK_MTRR_VAR_MAX);
	m->def_type = rdmsr(MSR_MTRR_DEF_TYPE);
	for (unsigned i = 0; i < PARK_MTRR_FIXED; i++)
		m->fixed[i] = rdmsr(park_mtrr_fixed_msr(i));
	for (uint32_t i = 0; i < m->nr_var; i++) {
		m->var[i][0] = rdmsr(MSR_MTRR_PHYS_BASE(i));
		m->var[i][1] = rdmsr(MSR_MTRR_PHYS_MASK(i));
	}
	m->valid = 1;
}
