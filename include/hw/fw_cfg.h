/* QEMU firmware configuration device (docs/specs/fw_cfg.rst), x86 IO ports. */
#ifndef HW_FW_CFG_H
#define HW_FW_CFG_H

/* IO ports */
#define FW_CFG_PORT_SEL		0x510	/* 16-bit selector, write */
#define FW_CFG_PORT_DATA	0x511	/* 8-bit data, read */
#define FW_CFG_PORT_DMA_HI	0x514	/* DMA address, high 32 bits (BE) */
#define FW_CFG_PORT_DMA_LO	0x518	/* low 32 bits (BE); writing starts DMA */

/* Fixed selectors */
#define FW_CFG_SIGNATURE	0x0000	/* "QEMU" */
#define FW_CFG_ID		0x0001	/* feature bitmap, LE */
#define FW_CFG_ID_TRADITIONAL	(1u << 0)
#define FW_CFG_ID_DMA		(1u << 1)
#define FW_CFG_RAM_SIZE		0x0003
#define FW_CFG_NB_CPUS		0x0005	/* boot CPUs */
#define FW_CFG_MAX_CPUS		0x000f	/* APIC ID limit on x86 */
#define FW_CFG_KERNEL_ADDR	0x0007
#define FW_CFG_KERNEL_SIZE	0x0008
#define FW_CFG_KERNEL_CMDLINE	0x0009
#define FW_CFG_INITRD_ADDR	0x000a
#define FW_CFG_INITRD_SIZE	0x000b
#define FW_CFG_KERNEL_ENTRY	0x0010
#define FW_CFG_KERNEL_DATA	0x0011	/* bzImage after the setup sectors */
#define FW_CFG_INITRD_DATA	0x0012
#define FW_CFG_CMDLINE_ADDR	0x0013
#define FW_CFG_CMDLINE_SIZE	0x0014	/* includes the NUL */
#define FW_CFG_CMDLINE_DATA	0x0015
#define FW_CFG_SETUP_ADDR	0x0016
#define FW_CFG_SETUP_SIZE	0x0017
#define FW_CFG_SETUP_DATA	0x0018	/* setup sectors, header patched by QEMU */
#define FW_CFG_FILE_DIR		0x0019
#define FW_CFG_FILE_FIRST	0x0020

#define FW_CFG_SIGNATURE_VALUE	0x554d4551u	/* "QEMU" read as LE u32 */
#define FW_CFG_DMA_SIGNATURE	0x51454d5520434647ull /* "QEMU CFG" */
#define FW_CFG_MAX_FILE_PATH	56

/* DMA control bits (big-endian field) */
#define FW_CFG_DMA_CTL_ERROR	(1u << 0)
#define FW_CFG_DMA_CTL_READ	(1u << 1)
#define FW_CFG_DMA_CTL_SKIP	(1u << 2)
#define FW_CFG_DMA_CTL_SELECT	(1u << 3)
#define FW_CFG_DMA_CTL_WRITE	(1u << 4)
#define FW_CFG_DMA_SELECTOR_SHIFT 16

#ifndef __ASSEMBLER__
#include <stdint.h>

/* DMA descriptor; every field is big-endian. */
struct fw_cfg_dma_access {
	uint32_t control;
	uint32_t length;
	uint64_t address;
} __attribute__((packed));
_Static_assert(sizeof(struct fw_cfg_dma_access) == 16, "fw_cfg DMA access");

/* Entry of FW_CFG_FILE_DIR, after a big-endian u32 count. Big-endian. */
struct fw_cfg_dir_entry {
	uint32_t size;
	uint16_t select;
	uint16_t reserved;
	char name[FW_CFG_MAX_FILE_PATH];
} __attribute__((packed));
_Static_assert(sizeof(struct fw_cfg_dir_entry) == 64, "fw_cfg dir entry");
#endif

#endif
