/* Linux x86 boot protocol (Documentation/arch/x86/boot.rst,
 * arch/x86/include/uapi/asm/bootparam.h): setup header and zero page. */
#ifndef HW_LINUX_BOOT_H
#define HW_LINUX_BOOT_H

#define LINUX_HDR_OFFSET	0x1f1	/* setup header inside the image */
#define LINUX_HDR_MAGIC		0x53726448u	/* "HdrS" */
#define LINUX_BOOT_FLAG		0xaa55
#define LINUX_MIN_PROTOCOL	0x020c	/* 2.12: XLF_KERNEL_64 */
#define LINUX_ENTRY64_OFFSET	0x200	/* startup_64 from the pm kernel */
#define LINUX_BOOT_CS		0x10	/* __BOOT_CS */
#define LINUX_BOOT_DS		0x18	/* __BOOT_DS */

#define LINUX_LOADFLAGS_LOADED_HIGH	(1u << 0)
#define LINUX_LOADFLAGS_CAN_USE_HEAP	(1u << 7)
#define LINUX_XLF_KERNEL_64		(1u << 0)
#define LINUX_XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)
#define LINUX_LOADER_UNDEFINED		0xff
#define LINUX_VID_MODE_NORMAL		0xffff

#define LINUX_E820_MAX_ZEROPAGE	128

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "hw/e820.h"

struct linux_setup_header {
	uint8_t setup_sects;		/* 0x1f1 */
	uint16_t root_flags;
	uint32_t syssize;		/* pm kernel size, 16-byte units */
	uint16_t ram_size;
	uint16_t vid_mode;		/* 0x1fa */
	uint16_t root_dev;
	uint16_t boot_flag;		/* 0x1fe */
	uint16_t jump;			/* 0x200 */
	uint32_t header;		/* 0x202 */
	uint16_t version;		/* 0x206 */
	uint32_t realmode_swtch;
	uint16_t start_sys_seg;
	uint16_t kernel_version;
	uint8_t type_of_loader;		/* 0x210 */
	uint8_t loadflags;		/* 0x211 */
	uint16_t setup_move_size;
	uint32_t code32_start;		/* 0x214 */
	uint32_t ramdisk_image;		/* 0x218 */
	uint32_t ramdisk_size;		/* 0x21c */
	uint32_t bootsect_kludge;
	uint16_t heap_end_ptr;		/* 0x224 */
	uint8_t ext_loader_ver;
	uint8_t ext_loader_type;
	uint32_t cmd_line_ptr;		/* 0x228 */
	uint32_t initrd_addr_max;	/* 0x22c */
	uint32_t kernel_alignment;	/* 0x230 */
	uint8_t relocatable_kernel;	/* 0x234 */
	uint8_t min_alignment;
	uint16_t xloadflags;		/* 0x236 */
	uint32_t cmdline_size;		/* 0x238 */
	uint32_t hardware_subarch;
	uint64_t hardware_subarch_data;
	uint32_t payload_offset;
	uint32_t payload_length;
	uint64_t setup_data;		/* 0x250 */
	uint64_t pref_address;		/* 0x258 */
	uint32_t init_size;		/* 0x260 */
	uint32_t handover_offset;
	uint32_t kernel_info_offset;	/* 0x268 */
} __attribute__((packed));
_Static_assert(sizeof(struct linux_setup_header) == 0x26c - 0x1f1, "hdr");

#define LINUX_HDR_AT(field, off)                                               \
	_Static_assert(__builtin_offsetof(struct linux_setup_header, field) == \
			       (off) - LINUX_HDR_OFFSET,                       \
		       #field)
LINUX_HDR_AT(header, 0x202);
LINUX_HDR_AT(version, 0x206);
LINUX_HDR_AT(loadflags, 0x211);
LINUX_HDR_AT(ramdisk_image, 0x218);
LINUX_HDR_AT(cmd_line_ptr, 0x228);
LINUX_HDR_AT(xloadflags, 0x236);
LINUX_HDR_AT(setup_data, 0x250);
LINUX_HDR_AT(init_size, 0x260);

/* struct setup_data: a linked list the kernel reads at boot */
struct linux_setup_data {
	uint64_t next;
	uint32_t type;
	uint32_t len;
	uint8_t data[];
} __attribute__((packed));

/* The zero page handed to the kernel in %rsi. */
struct linux_boot_params {
	uint8_t screen_info[0x40];	/* 0x000 */
	uint8_t apm_bios_info[0x14];	/* 0x040 */
	uint8_t pad_054[4];
	uint64_t tboot_addr;		/* 0x058 */
	uint8_t ist_info[0x10];		/* 0x060 */
	uint64_t acpi_rsdp_addr;	/* 0x070 */
	uint8_t pad_078[8];
	uint8_t hd0_info[16];		/* 0x080 */
	uint8_t hd1_info[16];
	uint8_t sys_desc_table[16];	/* 0x0a0 */
	uint8_t olpc_ofw_header[16];
	uint32_t ext_ramdisk_image;	/* 0x0c0 */
	uint32_t ext_ramdisk_size;
	uint32_t ext_cmd_line_ptr;	/* 0x0c8 */
	uint8_t pad_0cc[112];
	uint32_t cc_blob_address;	/* 0x13c */
	uint8_t edid_info[0x80];	/* 0x140 */
	uint8_t efi_info[0x20];		/* 0x1c0 */
	uint32_t alt_mem_k;		/* 0x1e0 */
	uint32_t scratch;
	uint8_t e820_entries;		/* 0x1e8 */
	uint8_t eddbuf_entries;
	uint8_t edd_mbr_sig_buf_entries;
	uint8_t kbd_status;
	uint8_t secure_boot;		/* 0x1ec */
	uint8_t pad_1ed[2];
	uint8_t sentinel;		/* 0x1ef */
	uint8_t pad_1f0[1];
	struct linux_setup_header hdr;	/* 0x1f1 */
	uint8_t pad_26c[0x290 - 0x26c];
	uint32_t edd_mbr_sig_buffer[16]; /* 0x290 */
	struct e820_entry e820_table[LINUX_E820_MAX_ZEROPAGE]; /* 0x2d0 */
	uint8_t pad_cd0[48];
	uint8_t eddbuf[0x1ec];		/* 0xd00 */
	uint8_t pad_eec[276];
} __attribute__((packed));
_Static_assert(sizeof(struct linux_boot_params) == 4096, "zero page");
_Static_assert(__builtin_offsetof(struct linux_boot_params, acpi_rsdp_addr) ==
		       0x070, "acpi_rsdp_addr");
_Static_assert(__builtin_offsetof(struct linux_boot_params, ext_cmd_line_ptr) ==
		       0x0c8, "ext_cmd_line_ptr");
_Static_assert(__builtin_offsetof(struct linux_boot_params, e820_entries) ==
		       0x1e8, "e820_entries");
_Static_assert(__builtin_offsetof(struct linux_boot_params, hdr) == 0x1f1,
	       "hdr");
_Static_assert(__builtin_offsetof(struct linux_boot_params, e820_table) ==
		       0x2d0, "e820_table");
_Static_assert(__builtin_offsetof(struct linux_boot_params, eddbuf) == 0xd00,
	       "eddbuf");
#endif

#endif
