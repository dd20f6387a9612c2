/* Unit tests: bzImage checks, load placement and the zero page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e820.h"
#include "layout.h"
#include "lib.h"
#include "linux.h"
#include "support.h"

#define SETUP_SECTS	4
#define SETUP_SIZE	((SETUP_SECTS + 1) * 512)
#define KERNEL_SIZE	(8 * MiB)

static uint8_t setup_buf[SETUP_SIZE];
static struct linux_image img;
static struct e820_map m;

static struct linux_setup_header *hdr(void)
{
	return (void *)(setup_buf + LINUX_HDR_OFFSET);
}

/* A bzImage header like Debian's 6.12 kernel has. */
static int setup(void **state)
{
	struct linux_setup_header *h = hdr();

	(void)state;
	support_reset();
	memset(setup_buf, 0, sizeof(setup_buf));
	h->setup_sects = SETUP_SECTS;
	h->syssize = KERNEL_SIZE / 16;
	h->boot_flag = LINUX_BOOT_FLAG;
	h->jump = 0x6aeb;	/* jmp over the header: ends at 0x26c */
	h->header = LINUX_HDR_MAGIC;
	h->version = 0x020f;
	h->kernel_version = 0x400 - 0x200;
	h->loadflags = LINUX_LOADFLAGS_LOADED_HIGH;
	h->initrd_addr_max = 0x7fffffff;
	h->kernel_alignment = 2 * MiB;
	h->relocatable_kernel = 1;
	h->xloadflags = 0x7f;
	h->cmdline_size = 2047;
	h->pref_address = 16 * MiB;
	h->init_size = 56 * MiB;
	strcpy((char *)setup_buf + 0x400, "6.12.95+deb12-cloud-amd64 (debian)");
	memset(&m, 0, sizeof(m));
	e820_set(&m, 0, LOW_RAM_END, E820_RAM);
	e820_set(&m, 1 * MiB, 511 * MiB, E820_RAM);
	return 0;
}

static int parse(void)
{
	return linux_parse(&img, setup_buf, SETUP_SIZE, KERNEL_SIZE);
}

static void test_parse_good_header(void **state)
{
	(void)state;
	assert_int_equal(parse(), 0);
	assert_string_equal(img.version, "6.12.95+deb12-cloud-amd64");
	assert_int_equal(img.kernel_need, 56 * MiB);
	assert_int_equal(img.hdr.version, 0x020f);
}

static void test_not_a_bzimage(void **state)
{
	(void)state;
	memcpy(setup_buf + 0x202, "ELF!", 4);
	assert_int_equal(parse(), -1);
	assert_log("not a bzImage: no \"HdrS\"");
}

static void test_old_protocol(void **state)
{
	(void)state;
	hdr()->version = 0x020b;
	assert_int_equal(parse(), -1);
	assert_log("boot protocol 2.11, need 2.12");
}

static void test_no_64bit_entry(void **state)
{
	(void)state;
	hdr()->xloadflags = 0;
	assert_int_equal(parse(), -1);
	assert_log("no 64-bit entry point");
}

static void test_setup_size_mismatch(void **state)
{
	(void)state;
	hdr()->setup_sects = 30;
	assert_int_equal(parse(), -1);
	assert_log("header says 30 sectors");
}

static void test_truncated_kernel(void **state)
{
	(void)state;
	assert_int_equal(linux_parse(&img, setup_buf, SETUP_SIZE,
				     KERNEL_SIZE - 4096), -1);
	assert_log("truncated kernel");
	assert_int_equal(linux_parse(&img, setup_buf, SETUP_SIZE, 0), -1);
}

static void test_setup_too_short(void **state)
{
	(void)state;
	assert_int_equal(linux_parse(&img, setup_buf, 300, KERNEL_SIZE), -1);
	assert_log("too short");
}

static void test_cmdline_limits(void **state)
{
	(void)state;
	assert_int_equal(parse(), 0);
	/* QEMU counts the NUL; cmdline_size does not. */
	assert_int_equal(linux_check_cmdline(&img, 0), 0);
	assert_int_equal(linux_check_cmdline(&img, 2048), 0);
	assert_int_equal(linux_check_cmdline(&img, 2049), -1);
	assert_log("linux: command line is 2048 bytes, the kernel takes 2047");
	/* The room at CMDLINE_ADDR bounds a kernel that takes more. */
	hdr()->cmdline_size = 0xffffffff;
	assert_int_equal(parse(), 0);
	assert_int_equal(linux_check_cmdline(&img, CMDLINE_MAX), 0);
	assert_int_equal(linux_check_cmdline(&img, CMDLINE_MAX + 1), -1);
}

static void test_place_at_pref_address(void **state)
{
	(void)state;
	assert_int_equal(parse(), 0);
	img.initrd_size = 3 * MiB + 5;
	assert_int_equal(linux_place(&img, &m), 0);
	assert_int_equal(img.kernel_addr, 16 * MiB);
	/* The initrd goes to the top of RAM, page aligned. */
	assert_int_equal(img.initrd_addr, ALIGN_DOWN(512 * MiB - img.initrd_size,
						     4096));
}

static void test_place_respects_initrd_limit(void **state)
{
	(void)state;
	hdr()->initrd_addr_max = 200 * MiB - 1;
	assert_int_equal(parse(), 0);
	img.initrd_size = MiB;
	assert_int_equal(linux_place(&img, &m), 0);
	assert_int_equal(img.initrd_addr, 199 * MiB);
}

static void test_place_moves_kernel_past_reserved(void **state)
{
	(void)state;
	e820_set(&m, 20 * MiB, 1 * MiB, E820_RESERVED);
	assert_int_equal(parse(), 0);
	assert_int_equal(linux_place(&img, &m), 0);
	assert_int_equal(img.kernel_addr, 22 * MiB);
}

static void test_place_non_relocatable_at_1m(void **state)
{
	(void)state;
	hdr()->relocatable_kernel = 0;
	assert_int_equal(parse(), 0);
	assert_int_equal(linux_place(&img, &m), 0);
	assert_int_equal(img.kernel_addr, 1 * MiB);
	e820_set(&m, 2 * MiB, 4096, E820_RESERVED);
	assert_int_equal(linux_place(&img, &m), -1);
	assert_log("at 1 MiB");
}

static void test_place_no_room(void **state)
{
	(void)state;
	e820_set(&m, 64 * MiB, 448 * MiB, E820_REMOVE);
	hdr()->init_size = 80 * MiB;
	assert_int_equal(parse(), 0);
	assert_int_equal(linux_place(&img, &m), -1);
	assert_log("no RAM for the kernel");
}

/* RAM that ends just under 2^64 (a broken etc/e820): the kernel's end
 * must not wrap to a low address that passes for inside it. Found by
 * tests/fuzz/fuzz-linux.c: "kernel at 0xfffffffff4000000+0xffffffff is
 * not all RAM". */
static void test_place_no_wrap_at_top(void **state)
{
	(void)state;
	e820_set(&m, 64 * MiB, 448 * MiB, E820_REMOVE);
	e820_set(&m, -64 * MiB, 64 * MiB - 1, E820_RAM);
	hdr()->init_size = 80 * MiB;
	assert_int_equal(parse(), 0);
	assert_int_equal(linux_place(&img, &m), -1);
	assert_log("no RAM for the kernel");
}

static void test_place_initrd_no_room(void **state)
{
	(void)state;
	assert_int_equal(parse(), 0);
	img.initrd_size = 500 * MiB;
	assert_int_equal(linux_place(&img, &m), -1);
	assert_log("no RAM for a 512000 KiB initrd");
}

static void test_boot_params(void **state)
{
	static struct linux_boot_params bp;

	(void)state;
	hdr()->setup_data = 1 * MiB + KERNEL_SIZE - 64; /* QEMU's -dtb */
	assert_int_equal(parse(), 0);
	img.initrd_size = 2 * MiB;
	img.qemu_kernel_addr = 1 * MiB;
	assert_int_equal(linux_place(&img, &m), 0);
	memset(&bp, 0xaa, sizeof(bp));
	linux_fill_boot_params(&bp, &img, &m, CMDLINE_ADDR, 0xe0000);
	assert_int_equal(bp.hdr.header, LINUX_HDR_MAGIC);
	assert_int_equal(bp.hdr.type_of_loader, LINUX_LOADER_UNDEFINED);
	assert_int_equal(bp.hdr.cmd_line_ptr, CMDLINE_ADDR);
	assert_int_equal(bp.ext_cmd_line_ptr, 0);
	assert_int_equal(bp.hdr.ramdisk_image, img.initrd_addr);
	assert_int_equal(bp.hdr.ramdisk_size, 2 * MiB);
	assert_int_equal(bp.hdr.code32_start, 16 * MiB);
	assert_int_equal(bp.acpi_rsdp_addr, 0xe0000);
	assert_int_equal(bp.hdr.setup_data, 16 * MiB + KERNEL_SIZE - 64);
	assert_int_equal(bp.e820_entries, m.n);
	assert_memory_equal(bp.e820_table, m.e, m.n * sizeof(m.e[0]));
	/* Everything else the kernel might read is zero. */
	assert_int_equal(bp.sentinel, 0);
	assert_int_equal(bp.screen_info[0], 0);
	assert_int_equal(bp.efi_info[0], 0);
}

static void test_boot_params_drop_bogus_setup_data(void **state)
{
	static struct linux_boot_params bp;

	(void)state;
	hdr()->setup_data = 0xdead0000;
	assert_int_equal(parse(), 0);
	img.qemu_kernel_addr = 1 * MiB;
	assert_int_equal(linux_place(&img, &m), 0);
	linux_fill_boot_params(&bp, &img, &m, CMDLINE_ADDR, 0);
	assert_int_equal(bp.hdr.setup_data, 0);
}

static void test_parse_bundled_kernel(void **state)
{
	static uint8_t buf[64 * 1024];
	FILE *f = fopen("build/guest/vmlinuz", "rb");
	size_t n, setup_size;
	long size;

	(void)state;
	if (!f) {
		print_message("# SKIP build/guest/vmlinuz is missing "
			      "(make guest)\n");
		skip();
	}
	n = fread(buf, 1, sizeof(buf), f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	assert_true(n > 0x300);
	setup_size = (buf[0x1f1] + 1) * 512;
	assert_int_equal(linux_parse(&img, buf, setup_size, size - setup_size),
			 0);
	assert_memory_equal(img.version, "6.12", 4);
	assert_true(img.hdr.xloadflags & LINUX_XLF_KERNEL_64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup(fn, setup)
		T(test_parse_good_header),
		T(test_not_a_bzimage),
		T(test_old_protocol),
		T(test_no_64bit_entry),
		T(test_setup_size_mismatch),
		T(test_truncated_kernel),
		T(test_setup_too_short),
		T(test_cmdline_limits),
		T(test_place_at_pref_address),
		T(test_place_respects_initrd_limit),
		T(test_place_moves_kernel_past_reserved),
		T(test_place_non_relocatable_at_1m),
		T(test_place_no_room),
		T(test_place_no_wrap_at_top),
		T(test_place_initrd_no_room),
		T(test_boot_params),
		T(test_boot_params_drop_bogus_setup_data),
		T(test_parse_bundled_kernel),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("linux", tests, NULL, NULL);
}
