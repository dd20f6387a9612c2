/* In-memory ACPI tables and loader script shaped like QEMU's q35 ones. */
#include <string.h>

#include "acpi_fixture.h"
#include "hw/acpi.h"
#include "lib.h"
#include "support.h"

static void header(uint8_t *p, const char *sig, uint32_t len, uint8_t rev)
{
	struct acpi_header *h = (void *)p;

	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, "BOCHS ", 6);
	memcpy(h->oem_table_id, "BXPC    ", 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, "BXPC", 4);
	h->creator_revision = 1;
}

static struct bios_linker_entry *cmd(struct acpi_fixture *f, uint32_t c)
{
	struct bios_linker_entry *e = &f->script[f->n++];

	memset(e, 0, sizeof(*e));
	e->command = c;
	return e;
}

static void alloc(struct acpi_fixture *f, const char *file, uint32_t align,
		  uint8_t zone)
{
	struct bios_linker_entry *e = cmd(f, BIOS_LINKER_CMD_ALLOCATE);

	strcpy(e->alloc.file, file);
	e->alloc.align = align;
	e->alloc.zone = zone;
}

static void pointer(struct acpi_fixture *f, const char *dst, const char *src,
		    uint32_t off, uint8_t size)
{
	struct bios_linker_entry *e = cmd(f, BIOS_LINKER_CMD_ADD_POINTER);

	strcpy(e->pointer.dest_file, dst);
	strcpy(e->pointer.src_file, src);
	e->pointer.offset = off;
	e->pointer.size = size;
}

static void checksum(struct acpi_fixture *f, const char *file, uint32_t start,
		     uint32_t len)
{
	struct bios_linker_entry *e = cmd(f, BIOS_LINKER_CMD_ADD_CHECKSUM);

	strcpy(e->cksum.file, file);
	e->cksum.offset = start + 9;
	e->cksum.start = start;
	e->cksum.length = len;
}

void fixture_build(struct acpi_fixture *f)
{
	static const char tables[] = "etc/acpi/tables";
	static const char rsdp[] = "etc/acpi/rsdp";
	uint8_t t[FIX_TABLES_LEN] = { 0 }, r[20] = { 0 }, vmgenid[8] = { 0 };
	struct acpi_fadt *fadt = (void *)(t + FIX_FADT);
	uint8_t *m = t + FIX_MADT + 44;
	struct bios_linker_entry *e;

	memset(f, 0, sizeof(*f));
	memcpy(t + FIX_FACS, "FACS", 4);
	t[FIX_FACS + 4] = 64;
	header(t + FIX_DSDT, "DSDT", 48, 1);
	header(t + FIX_FADT, "FACP", 244, 3);
	/* Offsets within the blob; ADD_POINTER turns them into addresses. */
	fadt->firmware_ctrl = FIX_FACS;
	fadt->dsdt = FIX_DSDT;
	fadt->x_dsdt = FIX_DSDT;
	fadt->smi_cmd = 0xb2;
	fadt->acpi_enable = 2;
	fadt->pm1a_evt_blk = 0x600;
	fadt->pm_tmr_blk = 0x608;
	fadt->flags = 0x84a5;
	header(t + FIX_MADT, "APIC", FIX_MADT_LEN, 3);
	((struct acpi_madt *)(t + FIX_MADT))->lapic_address = 0xfee00000;
	m[0] = ACPI_MADT_IOAPIC;
	m[1] = 12;
	m += 12;
	for (int i = 0; i < 4; i++, m += 8) {
		m[0] = ACPI_MADT_LAPIC;
		m[1] = 8;
		m[2] = i;
		m[3] = i;
		m[4] = i == 0 ? ACPI_MADT_ENABLED : 0;
	}
	m[0] = ACPI_MADT_X2APIC;
	m[1] = 16;
	m[4] = 0x1;	/* x2APIC id 0x101, absent */
	m[5] = 0x1;
	header(t + FIX_RSDT, "RSDT", FIX_RSDT_LEN, 1);
	memcpy(t + FIX_RSDT + 36, &(uint32_t){ FIX_FADT }, 4);
	memcpy(t + FIX_RSDT + 40, &(uint32_t){ FIX_MADT }, 4);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BOCHS ", 6);
	memcpy(r + 16, &(uint32_t){ FIX_RSDT }, 4);

	fake_fw_cfg_add_file(rsdp, r, sizeof(r));
	fake_fw_cfg_add_file(tables, t, sizeof(t));
	fake_fw_cfg_add_file("etc/vmgenid_addr", vmgenid, sizeof(vmgenid));

	alloc(f, rsdp, 16, BIOS_LINKER_ZONE_FSEG);
	alloc(f, tables, 64, BIOS_LINKER_ZONE_HIGH);
	pointer(f, tables, tables, FIX_FADT + 36, 4);
	pointer(f, tables, tables, FIX_FADT + 40, 4);
	pointer(f, tables, tables, FIX_FADT + 140, 8);
	checksum(f, tables, FIX_FADT, 244);
	checksum(f, tables, FIX_DSDT, 48);
	checksum(f, tables, FIX_MADT, FIX_MADT_LEN);
	pointer(f, tables, tables, FIX_RSDT + 36, 4);
	pointer(f, tables, tables, FIX_RSDT + 40, 4);
	checksum(f, tables, FIX_RSDT, FIX_RSDT_LEN);
	pointer(f, rsdp, tables, 16, 4);
	e = cmd(f, BIOS_LINKER_CMD_ADD_CHECKSUM);
	strcpy(e->cksum.file, rsdp);
	e->cksum.offset = 8;
	e->cksum.length = 20;
	e = cmd(f, BIOS_LINKER_CMD_WRITE_POINTER);
	strcpy(e->wr_pointer.dest_file, "etc/vmgenid_addr");
	strcpy(e->wr_pointer.src_file, tables);
	e->wr_pointer.src_offset = FIX_VMGENID_OFF;
	e->wr_pointer.size = 8;

	zone_init(&f->high, "high",
		  (uintptr_t)arena_alloc(1 << 20), 0, 1);
	f->high.hi = f->high.lo + (1 << 20);
	f->high.cur = f->high.hi;
	zone_init(&f->fseg, "fseg", (uintptr_t)arena_alloc(128 << 10), 0, 0);
	f->fseg.hi = f->fseg.lo + (128 << 10);
}

void fixture_install(struct acpi_fixture *f)
{
	/* Four zeroed padding entries follow, as in QEMU's 4 KiB script. */
	fake_fw_cfg_add_file("etc/table-loader", f->script,
			     (f->n + 4) * sizeof(f->script[0]));
}

unsigned fixture_find(const struct acpi_fixture *f, uint32_t command)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->script[i].command == command)
			return i;
	return ~0u;
}
