/* The firmware's physical memory layout; docs/memory-map.md draws it.
 * FW_RAM_BASE and FW_RAM_END are repeated in firmware/boot/firmware.lds: if
 * you change them, update it. */
#ifndef FW_LAYOUT_H
#define FW_LAYOUT_H

#define LOW_RAM_END		0xa0000		/* conventional memory */
#define FSEG_BASE		0xe0000		/* PAM shadow RAM, RSDP */
#define FSEG_END		0x100000
#define MIN_RAM_TOP		0x4000000	/* 64 MiB: kernel + initrd */

#define BOOT_PARAMS_ADDR	0x10000		/* Linux zero page */
#define CMDLINE_ADDR		0x11000		/* up to CMDLINE_MAX bytes */
#define CMDLINE_MAX		0xf000

#define AP_TRAMPOLINE		0x20000		/* boot-time AP start page */
#define FW_RAM_BASE		0x50000		/* firmware code, data, bss */
#define FW_RAM_END		0x9f000

#define KERNEL_MIN_ADDR		0x100000	/* protocol minimum */

/* PCI resources handed out to the default devices: q35's 32-bit window
 * starts above MMCONFIG, its IO window where SeaBIOS and OVMF start. */
#define PCI_MMIO_BASE		0xc0000000u
#define PCI_MMIO_END		0xfec00000u
#define PCI_IO_BASE		0xc000u
#define PCI_IO_END		0x10000u

#endif
