/* BIOS e820 memory map entries (ACPI "System Address Map Interfaces"),
 * as QEMU's fw_cfg "etc/e820" and the Linux zero page store them. */
#ifndef HW_E820_H
#define HW_E820_H

#define E820_RAM	1
#define E820_RESERVED	2
#define E820_ACPI	3
#define E820_NVS	4
#define E820_UNUSABLE	5

#ifndef __ASSEMBLER__
#include <stdint.h>

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct e820_entry) == 20, "e820 entry");
#endif

#endif
