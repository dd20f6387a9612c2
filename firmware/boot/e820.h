/* The memory map the firmware hands to Linux, built from QEMU's
 * "etc/e820" and the ranges the firmware claims. */
#ifndef FW_E820_H
#define FW_E820_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/e820.h"

#define E820_MAX_ENTRIES	64
#define E820_REMOVE		0	/* e820_set() type: punch a hole */

struct e820_map {
	uint32_t n;
	struct e820_entry e[E820_MAX_ENTRIES];	/* sorted, merged */
};

/* The firmware's map; Linux gets a copy in the zero page. */
extern struct e820_map e820;

/* Marks [addr, addr+size) as type, replacing what was there, or removes
 * it with E820_REMOVE. Returns -1 if the map would overflow. */
int e820_set(struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type);
/* True if all of [addr, addr+size) is RAM. */
bool e820_is_ram(const struct e820_map *m, uint64_t addr, uint64_t size);
/* End of the RAM range that contains 1 MiB, i.e. top of low memory. */
uint64_t e820_low_ram_top(const struct e820_map *m);

/* Builds the base map from QEMU's entries: validates them, punches the
 * legacy VGA and option-ROM hole and reserves the F segment. Returns -1
 * with a DBG_ERR line on bad input. */
int e820_build(struct e820_map *m, const struct e820_entry *qemu, uint32_t n);
/* Reads etc/e820 (or the RAM size) over fw_cfg into the global map. */
void e820_setup(void);
void e820_print(const struct e820_map *m);

#endif
