/* q35 chipset bring-up: the minimum Linux and QEMU's ACPI tables expect. */
#include "debug.h"
#include "hw/q35.h"
#include "io.h"
#include "layout.h"
#include "lib.h"
#include "q35.h"
#include "timer.h"

void q35_setup(void)
{
	uint32_t id = pci_config_readl(Q35_MCH_BDF, 0);

	/* PM IO first: the PM timer stamps every debug line after this. */
	if (id == ((uint32_t)Q35_MCH_DEVICE_ID << 16 | 0x8086)) {
		pci_config_writel(Q35_LPC_BDF, ICH9_LPC_PMBASE,
				  Q35_PMBASE | ICH9_LPC_PMBASE_RTE);
		/* ACPI_EN turns on the PM IO decode; SCI stays on IRQ 9. */
		pci_config_writeb(Q35_LPC_BDF, ICH9_LPC_ACPI_CTRL,
				  ICH9_LPC_ACPI_CTRL_EN);
		timer_init(Q35_PMBASE);
	}
	dprintf(DBG_INFO, "hotcpu firmware\n");
	if (id != ((uint32_t)Q35_MCH_DEVICE_ID << 16 | 0x8086))
		panic("q35: host bridge is %04x:%04x, not the q35 MCH "
		      "(8086:%04x); start QEMU with -M q35\n", id & 0xffff,
		      id >> 16, Q35_MCH_DEVICE_ID);

	/* MMCONFIG where QEMU's MCFG table and DSDT expect it; high half
	 * first so the BAR never points anywhere odd while enabled. */
	pci_config_writel(Q35_MCH_BDF, MCH_PCIEXBAR + 4, 0);
	pci_config_writel(Q35_MCH_BDF, MCH_PCIEXBAR,
			  MCH_PCIEXBAR_BASE | MCH_PCIEXBAR_256M |
				  MCH_PCIEXBAR_EN);

	/* 0xe0000-0xfffff becomes RAM for the RSDP: PAM0 bits 5:4 map
	 * 0xf0000, PAM5 and PAM6 the four 16 KiB pieces of 0xe0000. RAM
	 * keeps its contents across a reset, so clear it. */
	pci_config_writeb(Q35_MCH_BDF, MCH_PAM0, MCH_PAM_RW << 4);
	pci_config_writeb(Q35_MCH_BDF, MCH_PAM0 + 5,
			  MCH_PAM_RW << 4 | MCH_PAM_RW);
	pci_config_writeb(Q35_MCH_BDF, MCH_PAM0 + 6,
			  MCH_PAM_RW << 4 | MCH_PAM_RW);
	memset(phys_ptr(FSEG_BASE), 0, FSEG_END - FSEG_BASE);

	dprintf(DBG_INFO, "q35: PMBASE 0x%x, MMCONFIG 0x%x, F segment RAM\n",
		Q35_PMBASE, MCH_PCIEXBAR_BASE);
}
