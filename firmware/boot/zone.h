/* Address-range allocators for memory the OS inherits (ACPI tables, the
 * RSDP in the F segment, the MP wakeup mailbox). */
#ifndef FW_ZONE_H
#define FW_ZONE_H

#include <stdint.h>

struct zone {
	const char *name;
	uint64_t lo, hi;	/* [lo, hi) */
	uint64_t cur;		/* next free boundary */
	int down;		/* 1: allocates from hi downwards */
};

void zone_init(struct zone *z, const char *name, uint64_t lo, uint64_t hi,
	       int down);
/* Returns the address of size bytes aligned to align (a power of two),
 * or 0 when the zone is exhausted or align is invalid. */
uint64_t zone_alloc(struct zone *z, uint64_t size, uint64_t align);
/* The part of the zone handed out so far, [*lo, *hi). */
void zone_used(const struct zone *z, uint64_t *lo, uint64_t *hi);

#endif
