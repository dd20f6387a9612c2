/* Linux 64-bit boot protocol (Documentation/arch/x86/boot.rst). */
#include "debug.h"
#include "e820.h"
#include "layout.h"
#include "lib.h"
#include "linux.h"

static void copy_version(struct linux_image *img, const uint8_t *setup,
			 uint32_t setup_size)
{
	/* kernel_version is an offset from 0x200 to a NUL-terminated
	 * string inside the setup sectors. */
	uint32_t off = img->hdr.kernel_version + 0x200u;
	unsigned n = 0;

	img->version[0] = '\0';
	if (!img->hdr.kernel_version || off >= setup_size)
		return;
	while (off + n < setup_size && n < sizeof(img->version) - 1 &&
	       setup[off + n] && setup[off + n] != ' ') {
		img->version[n] = (char)setup[off + n];
		n++;
	}
	img->version[n] = '\0';
}

int linux_parse(struct linux_image *img, const uint8_t *setup,
		uint32_t setup_size, uint32_t kernel_size)
{
	struct linux_setup_header *h = &img->hdr;
	uint32_t hdr_end, sects, expect;

	memset(img, 0, sizeof(*img));
	if (setup_size < 0x202 + 4 + 2) {
		dprintf(DBG_ERR, "linux: setup is %u bytes, too short for a "
			"bzImage header\n", setup_size);
		return -1;
	}
	if (le_read(setup + 0x202, 4) != LINUX_HDR_MAGIC) {
		dprintf(DBG_ERR, "linux: not a bzImage: no \"HdrS\" at "
			"0x202\n");
		return -1;
	}
	/* The header ends at 0x202 plus the byte at 0x201. */
	hdr_end = MIN(0x202u + setup[0x201], (uint32_t)(LINUX_HDR_OFFSET +
							sizeof(*h)));
	if (hdr_end > setup_size)
		hdr_end = setup_size;
	memcpy(h, setup + LINUX_HDR_OFFSET, hdr_end - LINUX_HDR_OFFSET);
	if (h->version < LINUX_MIN_PROTOCOL) {
		dprintf(DBG_ERR, "linux: boot protocol %u.%02u, need 2.12 "
			"for the 64-bit entry\n", h->version >> 8,
			h->version & 0xff);
		return -1;
	}
	if (!(h->xloadflags & LINUX_XLF_KERNEL_64)) {
		dprintf(DBG_ERR, "linux: kernel has no 64-bit entry point "
			"(xloadflags 0x%x)\n", h->xloadflags);
		return -1;
	}
	if (!(h->loadflags & LINUX_LOADFLAGS_LOADED_HIGH)) {
		dprintf(DBG_ERR, "linux: not a bzImage: loads low\n");
		return -1;
	}
	sects = h->setup_sects ? h->setup_sects : 4;
	expect = (sects + 1) * 512;
	if (setup_size != expect) {
		dprintf(DBG_ERR, "linux: setup is %u bytes, header says %u "
			"sectors (%u bytes)\n", setup_size, sects, expect);
		return -1;
	}
	if (!kernel_size || (uint64_t)h->syssize * 16 > kernel_size) {
		dprintf(DBG_ERR, "linux: truncated kernel: %u bytes after the "
			"setup, header says %llu\n", kernel_size,
			(unsigned long long)h->syssize * 16);
		return -1;
	}
	img->setup_size = setup_size;
	img->kernel_size = kernel_size;
	img->kernel_need = MAX((uint64_t)h->init_size, (uint64_t)kernel_size);
	copy_version(img, setup, setup_size);
	return 0;
}

int linux_check_cmdline(const struct linux_image *img, uint32_t size)
{
	if (size > CMDLINE_MAX || (size && size - 1 > img->hdr.cmdline_size)) {
		dprintf(DBG_ERR, "linux: command line is %u bytes, the kernel "
			"takes %u\n", size ? size - 1 : 0,
			img->hdr.cmdline_size);
		return -1;
	}
	return 0;
}

/* Lowest address >= want, aligned, where need bytes of RAM start. */
static uint64_t find_kernel_slot(const struct e820_map *m, uint64_t want,
				 uint64_t align, uint64_t need)
{
	for (uint32_t i = 0; i < m->n; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t a = ALIGN_UP(MAX(e->addr, want), align);
		uint64_t end = e->addr + e->size;

		/* a + need may wrap near 2^64: compare what is left. */
		if (e->type == E820_RAM && a >= e->addr && a <= end &&
		    need <= end - a)
			return a;
	}
	return 0;
}

int linux_place(struct linux_image *img, const struct e820_map *m)
{
	const struct linux_setup_header *h = &img->hdr;
	uint64_t kend, limit;

	img->kernel_addr = 0;
	img->initrd_addr = 0;
	if (h->relocatable_kernel) {
		uint64_t align = IS_POWER_OF_2(h->kernel_alignment) ?
					 h->kernel_alignment :
					 2 * MiB;
		uint64_t want = MAX(h->pref_address, (uint64_t)KERNEL_MIN_ADDR);

		img->kernel_addr = find_kernel_slot(m, want, align,
						    img->kernel_need);
		if (!img->kernel_addr)
			img->kernel_addr = find_kernel_slot(
				m, KERNEL_MIN_ADDR, align, img->kernel_need);
	} else if (e820_is_ram(m, KERNEL_MIN_ADDR, img->kernel_need)) {
		img->kernel_addr = KERNEL_MIN_ADDR;
	}
	if (!img->kernel_addr) {
		dprintf(DBG_ERR, "linux: no RAM for the kernel: it needs "
			"%llu KiB%s\n",
			(unsigned long long)img->kernel_need / 1024,
			h->relocatable_kernel ? "" : " at 1 MiB");
		return -1;
	}
	kend = img->kernel_addr + img->kernel_need;
	if (!img->initrd_size)
		return 0;

	/* Highest fit under the kernel's limit and 4 GiB, above the
	 * kernel's decompression area. */
	limit = MIN((uint64_t)h->initrd_addr_max + 1, 4 * GiB);
	for (uint32_t i = m->n; i-- > 0;) {
		const struct e820_entry *e = &m->e[i];
		uint64_t lo = MAX(e->addr, kend);
		uint64_t hi = MIN(e->addr + e->size, limit);

		if (e->type != E820_RAM || hi <= lo || hi - lo < img->initrd_size)
			continue;
		img->initrd_addr = ALIGN_DOWN(hi - img->initrd_size, 4096);
		if (img->initrd_addr >= lo)
			return 0;
	}
	dprintf(DBG_ERR, "linux: no RAM for a %u KiB initrd between 0x%llx "
		"and 0x%llx\n", img->initrd_size / 1024,
		(unsigned long long)kend, (unsigned long long)limit);
	return -1;
}

void linux_fill_boot_params(struct linux_boot_params *bp,
			    const struct linux_image *img,
			    const struct e820_map *m, uint64_t cmdline,
			    uint64_t rsdp)
{
	struct linux_setup_header *h = &bp->hdr;

	memset(bp, 0, sizeof(*bp));
	*h = img->hdr;
	h->type_of_loader = LINUX_LOADER_UNDEFINED;
	h->code32_start = (uint32_t)img->kernel_addr;
	h->cmd_line_ptr = (uint32_t)cmdline;
	bp->ext_cmd_line_ptr = (uint32_t)(cmdline >> 32);
	h->ramdisk_image = (uint32_t)img->initrd_addr;
	h->ramdisk_size = img->initrd_size;
	bp->ext_ramdisk_image = (uint32_t)(img->initrd_addr >> 32);
	bp->ext_ramdisk_size = 0;
	/* QEMU appends setup_data (a -dtb) to the kernel blob and points at
	 * it as if the kernel sat at QEMU's address; follow the move. */
	if (h->setup_data) {
		if (h->setup_data >= img->qemu_kernel_addr &&
		    h->setup_data < img->qemu_kernel_addr + img->kernel_size)
			h->setup_data += img->kernel_addr -
					 img->qemu_kernel_addr;
		else
			h->setup_data = 0;
	}
	bp->acpi_rsdp_addr = rsdp;
	bp->e820_entries = (uint8_t)MIN(m->n, (uint32_t)LINUX_E820_MAX_ZEROPAGE);
	memcpy(bp->e820_table, m->e, bp->e820_entries * sizeof(m->e[0]));
}

