/* Zones for OS-visible firmware memory. */
#include "debug.h"
#include "e820.h"
#include "layout.h"
#include "lib.h"
#include "memory.h"

/* Created lazily: the top of low RAM is final only after SMRAM setup. */
static struct zone high, fseg;
static int high_ready, fseg_ready;
/* Low end of the high zone already reserved in e820. */
static uint64_t high_reserved_lo;

struct zone *mem_high(void)
{
	if (!high_ready) {
		uint64_t top = e820_low_ram_top(&e820);

		if (top < MIN_RAM_TOP)
			panic("memory: low RAM ends at 0x%llx\n",
			      (unsigned long long)top);
		zone_init(&high, "high", top - MIN(MEM_HIGH_MAX, top / 4), top,
			  1);
		high_reserved_lo = top;
		high_ready = 1;
	}
	return &high;
}

struct zone *mem_fseg(void)
{
	if (!fseg_ready) {
		zone_init(&fseg, "fseg", FSEG_BASE, FSEG_END, 0);
		fseg_ready = 1;
	}
	return &fseg;
}

void mem_reserve_high(uint32_t type)
{
	uint64_t lo, hi;

	zone_used(mem_high(), &lo, &hi);
	lo = ALIGN_DOWN(lo, 4096);
	if (lo >= high_reserved_lo)
		return;
	if (e820_set(&e820, lo, high_reserved_lo - lo, type))
		panic("memory: e820 map full\n");
	high_reserved_lo = lo;
}
