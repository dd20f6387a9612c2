/* QEMU's BIOS linker/loader interpreter. The script comes from the host,
 * but a broken one must stop the boot with a message, never corrupt
 * memory: every offset, size and name is bounds-checked first. */
#include "debug.h"
#include "fw_cfg.h"
#include "heap.h"
#include "hw/acpi.h"
#include "hw/bios_linker.h"
#include "lib.h"
#include "table_loader.h"

struct blob {
	const struct fw_cfg_file *file;
	uint64_t addr;
};

struct loader {
	struct zone *high, *fseg;
	struct blob blobs[TABLE_LOADER_MAX_BLOBS];
	unsigned nr_blobs;
	unsigned idx;		/* entry being executed, for messages */
};

#define loader_err(l, fmt, ...)                                              \
	dprintf(DBG_ERR, "table-loader: entry %u: " fmt "\n", (l)->idx,      \
		##__VA_ARGS__)

static int name_ok(struct loader *l, const char *name, const char *what)
{
	if (strnlen(name, FW_CFG_MAX_FILE_PATH) == FW_CFG_MAX_FILE_PATH) {
		loader_err(l, "%s name is not NUL-terminated", what);
		return 0;
	}
	return 1;
}

static struct blob *find_blob(struct loader *l, const char *name,
			      const char *what)
{
	if (!name_ok(l, name, what))
		return 0;
	for (unsigned i = 0; i < l->nr_blobs; i++)
		if (!strcmp(l->blobs[i].file->name, name))
			return &l->blobs[i];
	loader_err(l, "%s \"%s\" was never allocated", what, name);
	return 0;
}

static int size_ok(struct loader *l, unsigned size)
{
	if (size == 1 || size == 2 || size == 4 || size == 8)
		return 1;
	loader_err(l, "pointer size %u is not 1, 2, 4 or 8", size);
	return 0;
}

/* True if [off, off+len) lies within total, without overflow. */
static int range_ok(uint64_t off, uint64_t len, uint64_t total)
{
	return off <= total && len <= total - off;
}

static int cmd_allocate(struct loader *l, const struct bios_linker_entry *e)
{
	const struct fw_cfg_file *f;
	struct zone *z;
	struct blob *b;
	uint64_t addr;

	if (!name_ok(l, e->alloc.file, "file"))
		return -1;
	for (unsigned i = 0; i < l->nr_blobs; i++)
		if (!strcmp(l->blobs[i].file->name, e->alloc.file)) {
			loader_err(l, "\"%s\" allocated twice", e->alloc.file);
			return -1;
		}
	if (l->nr_blobs == TABLE_LOADER_MAX_BLOBS) {
		loader_err(l, "more than %u blobs", TABLE_LOADER_MAX_BLOBS);
		return -1;
	}
	f = fw_cfg_find(e->alloc.file);
	if (!f) {
		loader_err(l, "no fw_cfg file \"%s\"", e->alloc.file);
		return -1;
	}
	if (e->alloc.zone == BIOS_LINKER_ZONE_HIGH) {
		z = l->high;
	} else if (e->alloc.zone == BIOS_LINKER_ZONE_FSEG) {
		z = l->fseg;
	} else {
		loader_err(l, "\"%s\": unknown zone %u", e->alloc.file,
			   e->alloc.zone);
		return -1;
	}
	if (!IS_POWER_OF_2(e->alloc.align)) {
		loader_err(l, "\"%s\": alignment %u is not a power of 2",
			   e->alloc.file, e->alloc.align);
		return -1;
	}
	addr = zone_alloc(z, f->size, e->alloc.align);
	if (!addr) {
		loader_err(l, "\"%s\": %u bytes do not fit in the %s zone",
			   e->alloc.file, f->size, z->name);
		return -1;
	}
	fw_cfg_read(f->select, 0, phys_ptr(addr), f->size);
	b = &l->blobs[l->nr_blobs++];
	b->file = f;
	b->addr = addr;
	dprintf(DBG_VERBOSE, "table-loader: %s: %u bytes at 0x%llx\n", f->name,
		f->size, (unsigned long long)addr);
	return 0;
}

static int cmd_add_pointer(struct loader *l, const struct bios_linker_entry *e)
{
	struct blob *dst = find_blob(l, e->pointer.dest_file, "destination");
	struct blob *src = find_blob(l, e->pointer.src_file, "source");
	unsigned size = e->pointer.size;
	uint8_t *p;
	uint64_t v;

	if (!dst || !src || !size_ok(l, size))
		return -1;
	if (!range_ok(e->pointer.offset, size, dst->file->size)) {
		loader_err(l, "pointer at %u+%u outside \"%s\" (%u bytes)",
			   e->pointer.offset, size, dst->file->name,
			   dst->file->size);
		return -1;
	}
	p = (uint8_t *)phys_ptr(dst->addr) + e->pointer.offset;
	/* An unsigned addition of the pointer's width, as QEMU specifies
	 * (hw/acpi/bios-linker-loader.c): it wraps, as in SeaBIOS. Where
	 * it writes is checked above; what it writes is QEMU's business. */
	v = le_read(p, size) + src->addr;
	le_write(p, size, v);
	return 0;
}

static int cmd_add_checksum(struct loader *l,
			    const struct bios_linker_entry *e)
{
	struct blob *b = find_blob(l, e->cksum.file, "file");
	uint8_t *base;

	if (!b)
		return -1;
	if (e->cksum.offset >= b->file->size ||
	    !range_ok(e->cksum.start, e->cksum.length, b->file->size)) {
		loader_err(l, "checksum %u over %u+%u outside \"%s\" "
			   "(%u bytes)", e->cksum.offset, e->cksum.start,
			   e->cksum.length, b->file->name, b->file->size);
		return -1;
	}
	base = phys_ptr(b->addr);
	base[e->cksum.offset] -= byte_sum(base + e->cksum.start,
					  e->cksum.length);
	return 0;
}

static int cmd_write_pointer(struct loader *l,
			     const struct bios_linker_entry *e)
{
	struct blob *src = find_blob(l, e->wr_pointer.src_file, "source");
	const struct fw_cfg_file *dst;
	unsigned size = e->wr_pointer.size;
	uint8_t buf[8];

	if (!src || !size_ok(l, size) ||
	    !name_ok(l, e->wr_pointer.dest_file, "destination"))
		return -1;
	dst = fw_cfg_find(e->wr_pointer.dest_file);
	if (!dst) {
		loader_err(l, "no fw_cfg file \"%s\"", e->wr_pointer.dest_file);
		return -1;
	}
	if (!range_ok(e->wr_pointer.dst_offset, size, dst->size) ||
	    e->wr_pointer.src_offset >= src->file->size) {
		loader_err(l, "write pointer %u+%u into \"%s\" (%u bytes) "
			   "or source offset %u outside \"%s\"",
			   e->wr_pointer.dst_offset, size, dst->name,
			   dst->size, e->wr_pointer.src_offset,
			   src->file->name);
		return -1;
	}
	le_write(buf, size, src->addr + e->wr_pointer.src_offset);
	if (fw_cfg_write(dst->select, e->wr_pointer.dst_offset, buf, size)) {
		/* Only devices that ask for it (vmgenid, ...) miss out. */
		dprintf(DBG_INFO, "table-loader: cannot tell QEMU about "
			"\"%s\" without fw_cfg DMA\n", dst->name);
	}
	return 0;
}

static int find_rsdp(struct loader *l, uint64_t *rsdp)
{
	for (unsigned i = 0; i < l->nr_blobs; i++) {
		const struct acpi_rsdp *r = phys_ptr(l->blobs[i].addr);
		uint32_t size = l->blobs[i].file->size;

		if (size < ACPI_RSDP_V1_LEN ||
		    memcmp(r->signature, ACPI_SIG_RSDP, 8))
			continue;
		if (byte_sum(r, ACPI_RSDP_V1_LEN) ||
		    (r->revision >= 2 &&
		     (size < ACPI_RSDP_V2_LEN ||
		      byte_sum(r, ACPI_RSDP_V2_LEN)))) {
			dprintf(DBG_ERR, "table-loader: RSDP in \"%s\" has "
				"a bad checksum\n", l->blobs[i].file->name);
			return -1;
		}
		*rsdp = l->blobs[i].addr;
		return 0;
	}
	dprintf(DBG_ERR, "table-loader: no blob holds an RSDP\n");
	return -1;
}

int table_loader_run(struct zone *high, struct zone *fseg, uint64_t *rsdp)
{
	struct loader l;
	const struct fw_cfg_file *f = fw_cfg_find("etc/table-loader");
	const struct bios_linker_entry *script;
	unsigned n;

	*rsdp = 0;
	if (!f) {
		dprintf(DBG_INFO, "table-loader: QEMU offers no ACPI tables\n");
		return 0;
	}
	if (f->size % sizeof(*script)) {
		dprintf(DBG_ERR, "table-loader: script is %u bytes, not a "
			"multiple of %u\n", f->size,
			(unsigned)sizeof(*script));
		return -1;
	}
	memset(&l, 0, sizeof(l));
	l.high = high;
	l.fseg = fseg;
	n = f->size / sizeof(*script);
	script = heap_alloc(f->size, 8);
	fw_cfg_read(f->select, 0, (void *)script, f->size);
	for (l.idx = 0; l.idx < n; l.idx++) {
		const struct bios_linker_entry *e = &script[l.idx];
		int r;

		switch (e->command) {
		case BIOS_LINKER_CMD_PAD:
			r = 0;
			break;
		case BIOS_LINKER_CMD_ALLOCATE:
			r = cmd_allocate(&l, e);
			break;
		case BIOS_LINKER_CMD_ADD_POINTER:
			r = cmd_add_pointer(&l, e);
			break;
		case BIOS_LINKER_CMD_ADD_CHECKSUM:
			r = cmd_add_checksum(&l, e);
			break;
		case BIOS_LINKER_CMD_WRITE_POINTER:
			r = cmd_write_pointer(&l, e);
			break;
		default:
			loader_err(&l, "unknown command 0x%x", e->command);
			r = -1;
			break;
		}
		if (r)
			return -1;
	}
	if (find_rsdp(&l, rsdp))
		return -1;
	dprintf(DBG_INFO, "table-loader: %u commands, %u blobs, RSDP at "
		"0x%llx\n", n, l.nr_blobs, (unsigned long long)*rsdp);
	return 0;
}
