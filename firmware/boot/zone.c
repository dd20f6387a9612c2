/* Bump allocators over physical address ranges. */
#include "lib.h"
#include "zone.h"

void zone_init(struct zone *z, const char *name, uint64_t lo, uint64_t hi,
	       int down)
{
	z->name = name;
	z->lo = lo;
	z->hi = hi;
	z->down = down;
	z->cur = down ? hi : lo;
}

uint64_t zone_alloc(struct zone *z, uint64_t size, uint64_t align)
{
	uint64_t addr;

	if (!IS_POWER_OF_2(align))
		return 0;
	if (z->down) {
		if (size > z->cur - z->lo)
			return 0;
		addr = ALIGN_DOWN(z->cur - size, align);
		if (addr < z->lo)
			return 0;
		z->cur = addr;
	} else {
		addr = ALIGN_UP(z->cur, align);
		if (addr < z->cur || addr > z->hi || size > z->hi - addr)
			return 0;
		z->cur = addr + size;
	}
	return addr;
}

void zone_used(const struct zone *z, uint64_t *lo, uint64_t *hi)
{
	*lo = z->down ? z->cur : z->lo;
	*hi = z->down ? z->hi : z->cur;
}
