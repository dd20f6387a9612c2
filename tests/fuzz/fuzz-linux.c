/* Fuzz target: the Linux boot protocol in firmware/boot/linux.c: the
 * bzImage setup header, the command line size, and the kernel and initrd
 * placement against an e820 map built by firmware/boot/e820.c, then the
 * zero page. Checks: a refusal said why; an accepted header is one the
 * firmware can enter (protocol 2.12+, 64-bit entry, sizes agree); the
 * kernel and the initrd lie in RAM, aligned, apart, the initrd below
 * initrd_addr_max and 4 GiB; the zero page copies the map and keeps
 * setup_data inside the kernel or drops it.
 *
 * Input: kernel size, initrd size, QEMU's kernel address, command line
 * size (u32 each), the number of e820 entries (u8) and the entries (20
 * bytes each), then the setup sectors to the end. */
#include <string.h>

#include "e820.h"
#include "fuzz.h"
#include "layout.h"
#include "lib.h"
#include "linux.h"

static struct linux_boot_params bp;

static void check_parse(const struct linux_image *img, uint32_t setup_size,
			uint32_t kernel_size)
{
	const struct linux_setup_header *h = &img->hdr;
	uint32_t sects = h->setup_sects ? h->setup_sects : 4;

	fuzz_check(h->header == LINUX_HDR_MAGIC, "accepted without HdrS");
	fuzz_check(h->version >= LINUX_MIN_PROTOCOL, "accepted protocol 0x%x",
		   h->version);
	fuzz_check(h->xloadflags & LINUX_XLF_KERNEL_64,
		   "accepted without a 64-bit entry");
	fuzz_check(setup_size == (sects + 1) * 512,
		   "accepted setup of %u bytes for %u sectors", setup_size,
		   sects);
	fuzz_check(kernel_size && (uint64_t)h->syssize * 16 <= kernel_size,
		   "accepted a truncated kernel");
	fuzz_check(img->kernel_need >= kernel_size &&
			   img->kernel_need >= h->init_size,
		   "kernel_need %llu is short",
		   (unsigned long long)img->kernel_need);
	fuzz_check(memchr(img->version, 0, sizeof(img->version)) &&
			   !strchr(img->version, ' '),
		   "version string is not one word");
}

static void check_place(const struct linux_image *img,
			const struct e820_map *m)
{
	const struct linux_setup_header *h = &img->hdr;
	uint64_t k = img->kernel_addr, kend = k + img->kernel_need;
	uint64_t i = img->initrd_addr;

	fuzz_check(kend >= k && e820_is_ram(m, k, img->kernel_need),
		   "kernel at 0x%llx+0x%llx is not all RAM",
		   (unsigned long long)k,
		   (unsigned long long)img->kernel_need);
	fuzz_check(k >= KERNEL_MIN_ADDR, "kernel below 1 MiB");
	if (h->relocatable_kernel)
		fuzz_check(!(k % (IS_POWER_OF_2(h->kernel_alignment) ?
					  h->kernel_alignment :
					  2 * MiB)),
			   "kernel at 0x%llx is not aligned",
			   (unsigned long long)k);
	else
		fuzz_check(k == KERNEL_MIN_ADDR, "fixed kernel moved");
	if (!img->initrd_size)
		return;
	fuzz_check(!(i % 4096), "initrd not page aligned");
	fuzz_check(e820_is_ram(m, i, img->initrd_size), "initrd not in RAM");
	fuzz_check(i >= kend, "initrd overlaps the kernel");
	fuzz_check(i + img->initrd_size - 1 <= h->initrd_addr_max &&
			   i + img->initrd_size <= 4 * GiB,
		   "initrd at 0x%llx above initrd_addr_max 0x%x",
		   (unsigned long long)i, h->initrd_addr_max);
}

static void check_boot_params(const struct linux_image *img,
			      const struct e820_map *m)
{
	uint64_t sd = bp.hdr.setup_data;

	fuzz_check(bp.e820_entries == MIN(m->n, 128u) &&
			   !memcmp(bp.e820_table, m->e,
				   bp.e820_entries * sizeof(m->e[0])),
		   "zero page e820 differs");
	fuzz_check(!sd || (sd >= img->kernel_addr &&
			   sd < img->kernel_addr + img->kernel_size),
		   "setup_data 0x%llx outside the kernel",
		   (unsigned long long)sd);
	fuzz_check(bp.hdr.ramdisk_size == img->initrd_size &&
			   bp.hdr.code32_start == (uint32_t)img->kernel_addr,
		   "zero page addresses differ");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct e820_entry qemu[E820_MAX_ENTRIES];
	uint32_t kernel_size, initrd_size, qemu_addr, cmdline, n;
	static struct linux_image img;
	static struct e820_map m;
	const uint8_t *setup;
	struct fuzz_in in;
	size_t setup_size;

	fuzz_reset();
	fuzz_in_init(&in, data, size);
	kernel_size = (uint32_t)fuzz_u(&in, 4);
	initrd_size = (uint32_t)fuzz_u(&in, 4);
	qemu_addr = (uint32_t)fuzz_u(&in, 4);
	cmdline = (uint32_t)fuzz_u(&in, 4);
	n = (uint32_t)fuzz_u(&in, 1) % (E820_MAX_ENTRIES + 1);
	for (uint32_t i = 0; i < n; i++) {
		qemu[i].addr = fuzz_u(&in, 8);
		qemu[i].size = fuzz_u(&in, 8);
		qemu[i].type = (uint32_t)fuzz_u(&in, 4);
	}
	setup_size = fuzz_take(&in, 64 * 1024, &setup);

	if (e820_build(&m, qemu, n)) {
		fuzz_check(fuzz_errors, "e820 refused silently");
		return 0;
	}
	fuzz_errors = 0;
	if (linux_parse(&img, setup, (uint32_t)setup_size, kernel_size)) {
		fuzz_check(fuzz_errors, "kernel refused silently");
		return 0;
	}
	check_parse(&img, (uint32_t)setup_size, kernel_size);
	if (linux_check_cmdline(&img, cmdline)) {
		fuzz_check(fuzz_errors, "command line refused silently");
		fuzz_check(cmdline > CMDLINE_MAX ||
				   cmdline - 1 > img.hdr.cmdline_size,
			   "command line of %u bytes refused", cmdline);
	} else {
		fuzz_check(cmdline <= CMDLINE_MAX &&
				   (!cmdline ||
				    cmdline - 1 <= img.hdr.cmdline_size),
			   "command line of %u bytes accepted", cmdline);
	}
	img.initrd_size = initrd_size;
	img.qemu_kernel_addr = qemu_addr;
	fuzz_errors = 0;
	if (linux_place(&img, &m)) {
		fuzz_check(fuzz_errors, "placement failed silently");
		return 0;
	}
	check_place(&img, &m);
	linux_fill_boot_params(&bp, &img, &m, CMDLINE_ADDR, 0xe0000);
	check_boot_params(&img, &m);
	return 0;
}
