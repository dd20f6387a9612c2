/* Loading the kernel QEMU put in fw_cfg and jumping to it. */
#include "acpi.h"
#include "debug.h"
#include "e820.h"
#include "fw_cfg.h"
#include "heap.h"
#include "layout.h"
#include "lib.h"
#include "linux.h"

#define SETUP_MAX	(64 * 1024)	/* real-mode part is at most 32 KiB */

static void load_cmdline(const struct linux_image *img)
{
	uint32_t size = fw_cfg_read_u32(FW_CFG_CMDLINE_SIZE);
	char *cmdline = phys_ptr(CMDLINE_ADDR);

	if (linux_check_cmdline(img, size))
		panic("linux: cannot pass the command line\n");
	if (size)
		fw_cfg_read(FW_CFG_CMDLINE_DATA, 0, cmdline, size);
	cmdline[size ? size - 1 : 0] = '\0';
}

void linux_boot(void)
{
	struct linux_boot_params *bp = phys_ptr(BOOT_PARAMS_ADDR);
	struct linux_image img;
	uint32_t setup_size = fw_cfg_read_u32(FW_CFG_SETUP_SIZE);
	uint32_t kernel_size = fw_cfg_read_u32(FW_CFG_KERNEL_SIZE);
	uint8_t *setup;

	if (!setup_size && !kernel_size)
		panic("linux: no kernel in fw_cfg; start QEMU with -kernel\n");
	if (setup_size > SETUP_MAX)
		panic("linux: setup is %u bytes, more than %u\n", setup_size,
		      SETUP_MAX);
	setup = heap_alloc(setup_size, 16);
	fw_cfg_read(FW_CFG_SETUP_DATA, 0, setup, setup_size);
	if (linux_parse(&img, setup, setup_size, kernel_size))
		panic("linux: cannot boot this kernel\n");
	img.initrd_size = fw_cfg_read_u32(FW_CFG_INITRD_SIZE);
	img.qemu_kernel_addr = fw_cfg_read_u32(FW_CFG_KERNEL_ADDR);
	if (linux_place(&img, &e820))
		panic("linux: cannot place the kernel\n");

	fw_cfg_read(FW_CFG_KERNEL_DATA, 0, phys_ptr(img.kernel_addr),
		    kernel_size);
	dprintf(DBG_VERBOSE, "linux: kernel loaded\n");
	if (img.initrd_size)
		fw_cfg_read(FW_CFG_INITRD_DATA, 0, phys_ptr(img.initrd_addr),
			    img.initrd_size);
	load_cmdline(&img);
	linux_fill_boot_params(bp, &img, &e820, CMDLINE_ADDR, acpi_rsdp);
	dprintf(DBG_INFO, "linux: %s, protocol %u.%02u, kernel 0x%llx (%u "
		"KiB), initrd 0x%llx (%u KiB)\n",
		img.version[0] ? img.version : "unknown version",
		img.hdr.version >> 8, img.hdr.version & 0xff,
		(unsigned long long)img.kernel_addr, kernel_size / 1024,
		(unsigned long long)img.initrd_addr, img.initrd_size / 1024);
	dprintf(DBG_INFO, "linux: entering the 64-bit entry point at 0x%llx\n",
		(unsigned long long)img.kernel_addr + LINUX_ENTRY64_OFFSET);
	linux_jump(img.kernel_addr + LINUX_ENTRY64_OFFSET, BOOT_PARAMS_ADDR);
}
