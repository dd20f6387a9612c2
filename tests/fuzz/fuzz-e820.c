/* Fuzz target: the e820 builder, firmware/boot/e820.c: e820_setup() on
 * QEMU's etc/e820 (or the RAM size) from the input, then e820_set()
 * overlays as the firmware's later phases make them. Checks, against a
 * reference that replays every accepted range in order (last one wins):
 * the map is sorted, disjoint, merged, within E820_MAX_ENTRIES, and
 * gives each address the type of the last range that covered it; a
 * refused overlay leaves the map as it was.
 *
 * Input: flags (u8); with F_RAM_SIZE a u64 RAM size, else etc/e820 as a
 * u16 length and bytes; then overlays to the end: address (u64), size
 * (u64), type (u8, E820_REMOVE..E820_UNUSABLE). */
#include <string.h>

#include "e820.h"
#include "fw_cfg.h"
#include "fuzz.h"
#include "layout.h"
#include "lib.h"
#include "support.h"

#define F_RAM_SIZE	(1u << 0)	/* no etc/e820: QEMU before 1.7 */
#define MAX_OPS		256

struct op {
	uint64_t addr, size;
	uint32_t type;
};

/* Every accepted range in order, base map first. */
static struct op ops[MAX_OPS + E820_MAX_ENTRIES + 2];
static unsigned nr_ops;

static void add_op(uint64_t addr, uint64_t size, uint32_t type)
{
	if (size)
		ops[nr_ops++] = (struct op){ addr, size, type };
}

static uint32_t want_type(uint64_t x)
{
	uint32_t t = E820_REMOVE;

	for (unsigned i = 0; i < nr_ops; i++)
		if (x >= ops[i].addr && x - ops[i].addr < ops[i].size)
			t = ops[i].type;
	return t;
}

static uint32_t map_type(const struct e820_map *m, uint64_t x)
{
	uint32_t t = E820_REMOVE;
	int hits = 0;

	for (uint32_t i = 0; i < m->n; i++)
		if (x >= m->e[i].addr && x - m->e[i].addr < m->e[i].size) {
			t = m->e[i].type;
			hits++;
		}
	fuzz_check(hits <= 1, "0x%llx is in %d entries",
		   (unsigned long long)x, hits);
	return t;
}

static void probe(const struct e820_map *m, uint64_t x)
{
	fuzz_check(map_type(m, x) == want_type(x),
		   "0x%llx has type %u, the ranges say %u",
		   (unsigned long long)x, map_type(m, x), want_type(x));
}

static void check_map(const struct e820_map *m)
{
	fuzz_check(m->n <= E820_MAX_ENTRIES, "%u entries", m->n);
	for (uint32_t i = 0; i < m->n; i++) {
		const struct e820_entry *e = &m->e[i];

		fuzz_check(e->size && e->addr + e->size > e->addr,
			   "entry %u is empty or wraps", i);
		fuzz_check(e->type >= E820_RAM && e->type <= E820_UNUSABLE,
			   "entry %u has type %u", i, e->type);
		if (i + 1 < m->n) {
			const struct e820_entry *f = &m->e[i + 1];

			fuzz_check(e->addr + e->size <= f->addr,
				   "entries %u and %u overlap or are unsorted",
				   i, i + 1);
			fuzz_check(e->addr + e->size < f->addr ||
					   e->type != f->type,
				   "entries %u and %u are not merged", i,
				   i + 1);
		}
	}
	for (unsigned i = 0; i < nr_ops; i++) {
		uint64_t a = ops[i].addr, end = a + ops[i].size;

		probe(m, a);
		probe(m, end - 1);
		if (a)
			probe(m, a - 1);
		if (end)
			probe(m, end);
	}
	for (uint32_t i = 0; i < m->n; i++)
		probe(m, m->e[i].addr);
}

static void base_ops(const struct e820_entry *q, uint32_t n)
{
	nr_ops = 0;
	for (uint32_t i = 0; i < n; i++)
		add_op(q[i].addr, q[i].size, q[i].type);
	add_op(LOW_RAM_END, FSEG_BASE - LOW_RAM_END, E820_REMOVE);
	add_op(FSEG_BASE, FSEG_END - FSEG_BASE, E820_RESERVED);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct e820_entry qemu[E820_MAX_ENTRIES];
	const uint8_t *file;
	struct fuzz_in in;
	uint32_t n = 0;
	size_t len;
	jmp_buf jb;
	uint8_t flags;

	fuzz_reset();
	fake_fw_cfg_reset();
	fuzz_in_init(&in, data, size);
	flags = (uint8_t)fuzz_u(&in, 1);
	if (flags & F_RAM_SIZE) {
		uint64_t ram = fuzz_u(&in, 8);

		fake_fw_cfg_set_item(FW_CFG_RAM_SIZE, &ram, sizeof(ram));
		qemu[0] = (struct e820_entry){ 0, MIN(ram, 0xb0000000ull),
					       E820_RAM };
		n = 1;
	} else {
		len = fuzz_take(&in, fuzz_u(&in, 2), &file);
		fake_fw_cfg_add_file("etc/e820", file, (uint32_t)len);
		if (len % sizeof(qemu[0]) == 0 && len <= sizeof(qemu)) {
			n = (uint32_t)(len / sizeof(qemu[0]));
			memcpy(qemu, file, len);
		}
	}
	memset(&e820, 0, sizeof(e820));
	if (!fuzz_try(jb)) {
		fuzz_untry();
		fuzz_check(strstr(fuzz_last_msg, "PANIC") &&
				   strstr(fuzz_last_msg, "e820"),
			   "panic without an e820 message");
		return 0;
	}
	e820_setup();
	fuzz_untry();
	base_ops(qemu, n);
	check_map(&e820);
	while (in.left && nr_ops < MAX_OPS) {
		struct e820_map before = e820;
		uint64_t addr = fuzz_u(&in, 8), sz = fuzz_u(&in, 8);
		uint32_t type = (uint32_t)(fuzz_u(&in, 1) % (E820_UNUSABLE + 1));

		if (e820_set(&e820, addr, sz, type)) {
			fuzz_check(!memcmp(&before, &e820, sizeof(e820)),
				   "a refused overlay changed the map");
			continue;
		}
		fuzz_check(addr + sz >= addr, "an overlay that wraps was taken");
		add_op(addr, sz, type);
		check_map(&e820);
	}
	return 0;
}
