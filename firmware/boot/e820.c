/* e820 map construction: an overlay of typed ranges, kept sorted and
 * merged so the zero page never sees overlaps. */
#include "debug.h"
#include "e820.h"
#include "fw_cfg.h"
#include "layout.h"
#include "lib.h"

struct e820_map e820;

static void e820_sort_merge(struct e820_map *m)
{
	uint32_t i, j, out;

	for (i = 1; i < m->n; i++) {
		struct e820_entry t = m->e[i];

		for (j = i; j > 0 && m->e[j - 1].addr > t.addr; j--)
			m->e[j] = m->e[j - 1];
		m->e[j] = t;
	}
	for (i = 0, out = 0; i < m->n; i++) {
		struct e820_entry *prev = out ? &m->e[out - 1] : 0;

		if (prev && prev->type == m->e[i].type &&
		    prev->addr + prev->size == m->e[i].addr)
			prev->size += m->e[i].size;
		else
			m->e[out++] = m->e[i];
	}
	m->n = out;
}

int e820_set(struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type)
{
	struct e820_entry keep[E820_MAX_ENTRIES + 2];
	uint64_t end = addr + size;
	uint32_t n = 0;

	if (!size)
		return 0;
	if (end < addr)
		return -1;
	for (uint32_t i = 0; i < m->n; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t e_end = e->addr + e->size;

		if (e_end <= addr || e->addr >= end) {
			keep[n++] = *e;
			continue;
		}
		if (e->addr < addr)
			keep[n++] = (struct e820_entry){ e->addr,
							 addr - e->addr,
							 e->type };
		if (e_end > end)
			keep[n++] = (struct e820_entry){ end, e_end - end,
							 e->type };
		if (n > E820_MAX_ENTRIES)
			return -1;
	}
	if (type != E820_REMOVE)
		keep[n++] = (struct e820_entry){ addr, size, type };
	if (n > E820_MAX_ENTRIES)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		m->e[i] = keep[i];
	m->n = n;
	e820_sort_merge(m);
	return 0;
}

bool e820_is_ram(const struct e820_map *m, uint64_t addr, uint64_t size)
{
	uint64_t end = addr + size;

	if (end < addr)
		return false;
	/* The map is merged, so a RAM range lies within one entry. */
	for (uint32_t i = 0; i < m->n; i++)
		if (m->e[i].type == E820_RAM && m->e[i].addr <= addr &&
		    m->e[i].addr + m->e[i].size >= end)
			return true;
	return false;
}

uint64_t e820_low_ram_top(const struct e820_map *m)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (m->e[i].type == E820_RAM && m->e[i].addr <= 1 * MiB &&
		    m->e[i].addr + m->e[i].size > 1 * MiB)
			return m->e[i].addr + m->e[i].size;
	return 0;
}

int e820_build(struct e820_map *m, const struct e820_entry *qemu, uint32_t n)
{
	m->n = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct e820_entry *q = &qemu[i];

		if (!q->size || q->addr + q->size < q->addr ||
		    q->type < E820_RAM || q->type > E820_UNUSABLE) {
			dprintf(DBG_ERR, "e820: QEMU entry %u is invalid: "
				"0x%llx+0x%llx type %u\n", i,
				(unsigned long long)q->addr,
				(unsigned long long)q->size, q->type);
			return -1;
		}
		if (e820_set(m, q->addr, q->size, q->type) < 0)
			goto full;
	}
	if (!e820_is_ram(m, 0, LOW_RAM_END) ||
	    e820_low_ram_top(m) < MIN_RAM_TOP) {
		dprintf(DBG_ERR, "e820: need RAM at 0-0x%x and 1 MiB-0x%llx\n",
			LOW_RAM_END, (unsigned long long)MIN_RAM_TOP);
		return -1;
	}
	/* VGA window and option-ROM space are not RAM; the F segment holds
	 * the RSDP and is shadow RAM that the OS must leave alone. */
	if (e820_set(m, LOW_RAM_END, FSEG_BASE - LOW_RAM_END, E820_REMOVE) ||
	    e820_set(m, FSEG_BASE, FSEG_END - FSEG_BASE, E820_RESERVED))
		goto full;
	return 0;
full:
	dprintf(DBG_ERR, "e820: more than %u ranges\n", E820_MAX_ENTRIES);
	return -1;
}

void e820_print(const struct e820_map *m)
{
	for (uint32_t i = 0; i < m->n; i++)
		dprintf(DBG_VERBOSE, "e820:   0x%012llx-0x%012llx type %u\n",
			(unsigned long long)m->e[i].addr,
			(unsigned long long)(m->e[i].addr + m->e[i].size - 1),
			m->e[i].type);
}

void e820_setup(void)
{
	struct e820_entry qemu[E820_MAX_ENTRIES];
	const struct fw_cfg_file *f = fw_cfg_find("etc/e820");
	uint32_t n;

	if (f) {
		if (f->size % sizeof(qemu[0]) ||
		    f->size > sizeof(qemu))
			panic("e820: etc/e820 is %u bytes, not a whole number "
			      "of entries up to %u\n", f->size,
			      (unsigned)ARRAY_SIZE(qemu));
		n = f->size / sizeof(qemu[0]);
		fw_cfg_read(f->select, 0, qemu, f->size);
	} else {
		/* Pre-2.? QEMU: everything up to the RAM size, below 4G. */
		uint64_t ram = 0;

		fw_cfg_read(FW_CFG_RAM_SIZE, 0, &ram, sizeof(ram));
		qemu[0] = (struct e820_entry){ 0, MIN(ram, 0xb0000000ull),
					       E820_RAM };
		n = 1;
	}
	if (e820_build(&e820, qemu, n) < 0)
		panic("e820: cannot build the memory map\n");
	dprintf(DBG_INFO, "e820: %u ranges from %s, low RAM top 0x%llx\n",
		e820.n, f ? "etc/e820" : "RAM size",
		(unsigned long long)e820_low_ram_top(&e820));
	e820_print(&e820);
}
