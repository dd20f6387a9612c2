/* Linux boot: the bzImage QEMU's -kernel, -initrd and -append put in
 * fw_cfg, started through the 64-bit boot protocol. */
#ifndef FW_LINUX_H
#define FW_LINUX_H

#include <stdint.h>

#include "e820.h"
#include "hw/linux_boot.h"

struct linux_image {
	struct linux_setup_header hdr;	/* as QEMU patched it */
	char version[64];		/* kernel version string, or "" */
	uint32_t setup_size, kernel_size, initrd_size;
	uint64_t kernel_addr;		/* where we load the pm kernel */
	uint64_t kernel_need;		/* bytes it may use from there */
	uint64_t initrd_addr;
	uint64_t qemu_kernel_addr;	/* where QEMU assumed it would be */
};

/* Checks the setup sectors of a bzImage and the size of the rest.
 * Returns 0, or -1 after a DBG_ERR line naming what is wrong. */
int linux_parse(struct linux_image *img, const uint8_t *setup,
		uint32_t setup_size, uint32_t kernel_size);
/* Checks the command line QEMU passes, size bytes with its NUL (0: none),
 * against the kernel's cmdline_size and the room at CMDLINE_ADDR.
 * Returns 0, or -1 after a DBG_ERR line. */
int linux_check_cmdline(const struct linux_image *img, uint32_t size);
/* Picks load addresses for the kernel and the initrd from RAM in the
 * map. Returns 0, or -1 after a DBG_ERR line. */
int linux_place(struct linux_image *img, const struct e820_map *m);
/* Fills the zero page for the 64-bit entry point. */
void linux_fill_boot_params(struct linux_boot_params *bp,
			    const struct linux_image *img,
			    const struct e820_map *m, uint64_t cmdline,
			    uint64_t rsdp);

/* Loads everything and jumps; never returns. */
__attribute__((noreturn)) void linux_boot(void);

/* firmware/boot/entry.S: enter the kernel at entry with %rsi = boot_params. */
__attribute__((noreturn)) void linux_jump(uint64_t entry, uint64_t bp);

#endif
