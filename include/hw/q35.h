/* QEMU q35: Intel 3-series MCH and ICH9 registers as QEMU models them
 * (Intel 3 Series Express Chipset and ICH9 datasheets; QEMU
 * include/hw/pci-host/q35.h, include/hw/southbridge/ich9.h). */
#ifndef HW_Q35_H
#define HW_Q35_H

/* PCI configuration mechanism #1 */
#define PCI_CONFIG_ADDR		0xcf8
#define PCI_CONFIG_DATA		0xcfc
#define PCI_BDF(b, d, f)	(((b) << 8) | ((d) << 3) | (f))

/* MCH, host bridge 00:00.0 */
#define Q35_MCH_BDF		PCI_BDF(0, 0, 0)
#define Q35_MCH_DEVICE_ID	0x29c0
#define MCH_EXT_TSEG_MBYTES	0x50	/* 16-bit; QEMU extension */
#define MCH_EXT_TSEG_QUERY	0xffff
#define MCH_PCIEXBAR		0x60	/* 64-bit */
#define MCH_PCIEXBAR_EN		(1u << 0)
#define MCH_PCIEXBAR_256M	(0u << 1)
#define MCH_PCIEXBAR_BASE	0xb0000000u
#define MCH_PCIEXBAR_SIZE	0x10000000u
#define MCH_PAM0		0x90	/* 0xf0000-0xfffff in bits 5:4 */
#define MCH_PAM_COUNT		7
#define MCH_PAM_RE		0x1
#define MCH_PAM_WE		0x2
#define MCH_PAM_RW		0x3
#define MCH_F_SMBASE		0x9c	/* QEMU extension: SMRAM at 0x30000 */
#define MCH_F_SMBASE_QUERY	0xff
#define MCH_F_SMBASE_IN_RAM	0x01
#define MCH_F_SMBASE_LCK	0x02
#define MCH_SMRAM		0x9d
#define MCH_SMRAM_D_OPEN	(1u << 6)
#define MCH_SMRAM_D_CLS		(1u << 5)
#define MCH_SMRAM_D_LCK		(1u << 4)
#define MCH_SMRAM_G_SMRAME	(1u << 3)
#define MCH_SMRAM_C_BASE_SEG	0x2	/* 0xa0000, fixed */
#define MCH_ESMRAMC		0x9e
#define MCH_ESMRAMC_H_SMRAME	(1u << 7)
#define MCH_ESMRAMC_TSEG_1M	(0u << 1)
#define MCH_ESMRAMC_TSEG_2M	(1u << 1)
#define MCH_ESMRAMC_TSEG_8M	(2u << 1)
#define MCH_ESMRAMC_TSEG_EXT	(3u << 1)
#define MCH_ESMRAMC_TSEG_MASK	(3u << 1)
#define MCH_ESMRAMC_T_EN	(1u << 0)

/* Default SMBASE window that MCH_F_SMBASE turns into SMRAM */
#define SMRAM_DEFAULT_BASE	0x30000u
#define SMRAM_DEFAULT_SIZE	0x20000u

/* ICH9 LPC bridge 00:1f.0 */
#define Q35_LPC_BDF		PCI_BDF(0, 0x1f, 0)
#define ICH9_LPC_DEVICE_ID	0x2918
#define ICH9_LPC_PMBASE		0x40
#define ICH9_LPC_PMBASE_RTE	(1u << 0)
#define ICH9_LPC_ACPI_CTRL	0x44
#define ICH9_LPC_ACPI_CTRL_EN	(1u << 7)
#define ICH9_LPC_PIRQA_ROUT	0x60
#define ICH9_LPC_PIRQE_ROUT	0x68
#define ICH9_LPC_RCBA		0xf0

/* The PM IO base every QEMU q35 firmware uses; QEMU's FADT follows it. */
#define Q35_PMBASE		0x600

/* PM IO registers, offsets from PMBASE */
#define ICH9_PM1_STS		0x00
#define ICH9_PM1_CNT		0x04
#define ICH9_PM1_CNT_SCI_EN	(1u << 0)
#define ICH9_PM1_TMR		0x08	/* 3.579545 MHz, 24 bits on QEMU */
#define ICH9_PM_TIMER_HZ	3579545u
#define ICH9_PM_TIMER_MASK	0xffffffu
#define ICH9_GPE0_STS		0x20
#define ICH9_GPE0_EN		0x28
#define ICH9_SMI_EN		0x30
#define ICH9_SMI_EN_GBL_SMI	(1u << 0)
#define ICH9_SMI_EN_EOS		(1u << 1)
#define ICH9_SMI_EN_APMC	(1u << 5)
#define ICH9_SMI_STS		0x34
#define ICH9_SMI_STS_APM	(1u << 5)

/* APM control and status ports: a write to APM_CNT raises an SMI when
 * SMI_EN.APMC and GBL_SMI are set. */
#define APM_CNT_PORT		0xb2
#define APM_STS_PORT		0xb3
#define APM_CNT_ACPI_ENABLE	0x02
#define APM_CNT_ACPI_DISABLE	0x03
#define APM_CNT_CPU_HOTPLUG	0x04	/* QEMU's CPU hotplug AML writes it */

/* CMOS/RTC index and data, for the memory size fallback */
#define CMOS_INDEX_PORT		0x70
#define CMOS_DATA_PORT		0x71

/* Reset control register (ICH9 RST_CNT) */
#define ICH9_RST_CNT_PORT	0xcf9

#endif
