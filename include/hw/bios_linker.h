/* QEMU's ACPI table loader script, fw_cfg file "etc/table-loader"
 * (hw/acpi/bios-linker-loader.c). All fields little-endian. */
#ifndef HW_BIOS_LINKER_H
#define HW_BIOS_LINKER_H

#include "hw/fw_cfg.h"

/* QEMU pads the script to 4 KiB with zeroed entries. */
#define BIOS_LINKER_CMD_PAD		0x0
#define BIOS_LINKER_CMD_ALLOCATE	0x1
#define BIOS_LINKER_CMD_ADD_POINTER	0x2
#define BIOS_LINKER_CMD_ADD_CHECKSUM	0x3
#define BIOS_LINKER_CMD_WRITE_POINTER	0x4

#define BIOS_LINKER_ZONE_HIGH		0x1
#define BIOS_LINKER_ZONE_FSEG		0x2

#define BIOS_LINKER_ENTRY_SIZE		128

#ifndef __ASSEMBLER__
#include <stdint.h>

struct bios_linker_entry {
	uint32_t command;
	union {
		struct {
			char file[FW_CFG_MAX_FILE_PATH];
			uint32_t align;
			uint8_t zone;
		} __attribute__((packed)) alloc;
		struct {
			char dest_file[FW_CFG_MAX_FILE_PATH];
			char src_file[FW_CFG_MAX_FILE_PATH];
			uint32_t offset;
			uint8_t size;
		} __attribute__((packed)) pointer;
		struct {
			char file[FW_CFG_MAX_FILE_PATH];
			uint32_t offset;
			uint32_t start;
			uint32_t length;
		} __attribute__((packed)) cksum;
		struct {
			char dest_file[FW_CFG_MAX_FILE_PATH];
			char src_file[FW_CFG_MAX_FILE_PATH];
			uint32_t dst_offset;
			uint32_t src_offset;
			uint8_t size;
		} __attribute__((packed)) wr_pointer;
		uint8_t pad[124];
	};
} __attribute__((packed));
_Static_assert(sizeof(struct bios_linker_entry) == BIOS_LINKER_ENTRY_SIZE,
	       "table-loader entry");
_Static_assert(__builtin_offsetof(struct bios_linker_entry, pointer.offset) ==
		       4 + 2 * FW_CFG_MAX_FILE_PATH,
	       "ADD_POINTER offset");
_Static_assert(__builtin_offsetof(struct bios_linker_entry,
				  wr_pointer.size) == 4 + 112 + 8,
	       "WRITE_POINTER size");
#endif

#endif
