/* SMRAM registers of QEMU's q35 MCH (hw/pci-host/q35.c). */
#include "debug.h"
#include "hw/q35.h"
#include "io.h"
#include "smram.h"

bool smram_default_smbase_supported(void)
{
	/* Writing QUERY reads back IN_RAM if the feature exists; the
	 * register stays writable until LCK. */
	pci_config_writeb(Q35_MCH_BDF, MCH_F_SMBASE, MCH_F_SMBASE_QUERY);
	return pci_config_readb(Q35_MCH_BDF, MCH_F_SMBASE) ==
	       MCH_F_SMBASE_IN_RAM;
}

uint32_t smram_ext_tseg_mb(void)
{
	uint16_t mb;

	pci_config_writew(Q35_MCH_BDF, MCH_EXT_TSEG_MBYTES, MCH_EXT_TSEG_QUERY);
	mb = pci_config_readw(Q35_MCH_BDF, MCH_EXT_TSEG_MBYTES);
	return mb == MCH_EXT_TSEG_QUERY ? 0 : mb;
}

static uint8_t tseg_size_bits(uint32_t size_mb, bool ext)
{
	return ext ? MCH_ESMRAMC_TSEG_EXT :
	       size_mb == 1 ? MCH_ESMRAMC_TSEG_1M :
	       size_mb == 2 ? MCH_ESMRAMC_TSEG_2M :
			      MCH_ESMRAMC_TSEG_8M;
}

bool smram_tseg_works(uint64_t base, uint32_t size_mb, bool ext)
{
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)base;
	uint32_t seen;

	*p = 0x5a5aa5a5;
	pci_config_writeb(Q35_MCH_BDF, MCH_ESMRAMC,
			  tseg_size_bits(size_mb, ext) | MCH_ESMRAMC_T_EN);
	pci_config_writeb(Q35_MCH_BDF, MCH_SMRAM,
			  MCH_SMRAM_G_SMRAME | MCH_SMRAM_C_BASE_SEG);
	seen = *p;
	pci_config_writeb(Q35_MCH_BDF, MCH_SMRAM, MCH_SMRAM_C_BASE_SEG);
	pci_config_writeb(Q35_MCH_BDF, MCH_ESMRAMC, 0);
	return seen != 0x5a5aa5a5 && *p == 0x5a5aa5a5;
}

void smram_lock(uint32_t size_mb, bool ext, bool smbase_window)
{
	uint8_t sz = tseg_size_bits(size_mb, ext);

	if (smbase_window)
		/* 0x30000-0x4ffff now exists in SMRAM only: non-SMM reads
		 * get 0xff, writes vanish. Read-only until reset. */
		pci_config_writeb(Q35_MCH_BDF, MCH_F_SMBASE, MCH_F_SMBASE_LCK);
	/* TSEG at the top of low RAM becomes SMRAM once G_SMRAME is set
	 * too; D_OPEN stays clear so non-SMM code never sees it. */
	pci_config_writeb(Q35_MCH_BDF, MCH_ESMRAMC,
			  size_mb ? sz | MCH_ESMRAMC_T_EN : 0);
	pci_config_writeb(Q35_MCH_BDF, MCH_SMRAM,
			  MCH_SMRAM_G_SMRAME | MCH_SMRAM_C_BASE_SEG);
	/* D_LCK: ESMRAMC read-only, D_OPEN stuck at 0, until reset. */
	pci_config_writeb(Q35_MCH_BDF, MCH_SMRAM,
			  MCH_SMRAM_G_SMRAME | MCH_SMRAM_C_BASE_SEG |
				  MCH_SMRAM_D_LCK);
	if (!(pci_config_readb(Q35_MCH_BDF, MCH_SMRAM) & MCH_SMRAM_D_LCK))
		panic("smram: D_LCK did not stick\n");
}
