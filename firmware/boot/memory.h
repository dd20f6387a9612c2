/* Memory the firmware leaves to the OS: the high zone under the top of
 * low RAM and the F segment, each reserved in e820 as it is used. */
#ifndef FW_MEMORY_H
#define FW_MEMORY_H

#include <stdint.h>

#include "zone.h"

#define MEM_HIGH_MAX	(16ull << 20)	/* ACPI tables, mailbox */

/* The zones, created on first use below the top of low RAM as e820 says
 * then, so that SMRAM carved out earlier stays out of them. */
struct zone *mem_high(void);
struct zone *mem_fseg(void);

/* Marks everything allocated from the high zone so far as type in e820,
 * unless a more specific type already covers it. */
void mem_reserve_high(uint32_t type);

#endif
