/* Fuzz target: QEMU's table-loader script run by
 * firmware/boot/table_loader.c over fw_cfg files from the input, then the
 * ACPI fix-up (firmware/boot/acpi_fixup.c) on whatever tables the script
 * built, as firmware/boot/acpi.c does. Checks: a failure said why; the
 * script never wrote outside the zones' allocations; the RSDP it found
 * sums to 0; after a successful fix-up the FADT is 6.3, the MADT is
 * revision 5 with Online Capable on every CPU that is not Enabled, and
 * every table the fix-up touched sums to 0 (a FADT already 6.3 or newer
 * is not touched: its checksum is the script's business).
 *
 * Input: flags (u8), then fw_cfg files to the end: a NUL-terminated name,
 * a u32 length, the bytes. "etc/table-loader" is the script. */
#include <stdio.h>
#include <string.h>

#include "acpi_fixup.h"
#include "fuzz.h"
#include "hw/fw_cfg.h"
#include "hw/acpi.h"
#include "lib.h"
#include "support.h"
#include "table_loader.h"

#define F_NO_DMA	(1u << 0)	/* WRITE_POINTER cannot reach QEMU */
#define F_MP_WAKEUP	(1u << 1)	/* also add the MP wakeup structure */
#define MAX_FILES	60
#define HIGH_SIZE	(256u << 10)
#define FSEG_SIZE	(128u << 10)

static struct zone high, fseg;

static void parse_files(struct fuzz_in *in)
{
	for (int n = 0; in->left && n < MAX_FILES; n++) {
		const uint8_t *name = in->p, *data;
		size_t len = strnlen((const char *)name, in->left);
		char buf[FW_CFG_MAX_FILE_PATH];

		if (len == in->left)
			return;
		snprintf(buf, sizeof(buf), "%.*s", (int)len, name);
		in->p += len + 1;
		in->left -= len + 1;
		len = fuzz_take(in, (uint32_t)fuzz_u(in, 4), &data);
		fake_fw_cfg_add_file(buf, data, (uint32_t)len);
	}
}

/* Not instrumented: a traced comparison per byte would make this scan
 * most of the run time. */
__attribute__((no_sanitize("coverage"))) static const uint8_t *
nonzero(const uint8_t *p, const uint8_t *end)
{
	for (; p < end; p++)
		if (*p)
			return p;
	return NULL;
}

/* Bytes of a zone outside what it handed out must still be zero. */
static void check_zone(const struct zone *z, const uint8_t *base, size_t size)
{
	const uint8_t *bad;
	uint64_t lo, hi;

	zone_used(z, &lo, &hi);
	bad = nonzero(base, phys_ptr(lo));
	if (!bad)
		bad = nonzero(phys_ptr(hi), base + size);
	fuzz_check(!bad, "%s zone: byte at +0x%zx written outside its "
		   "allocations", z->name, (size_t)(bad - base));
}

static void clear_zone(const struct zone *z)
{
	uint64_t lo, hi;

	zone_used(z, &lo, &hi);
	memset(phys_ptr(lo), 0, hi - lo);
}

static int in_zones(uint64_t addr, uint64_t len)
{
	const struct zone *zs[] = { &high, &fseg };

	for (int i = 0; i < 2; i++) {
		uint64_t lo, hi;

		zone_used(zs[i], &lo, &hi);
		if (addr >= lo && addr <= hi && len <= hi - addr)
			return 1;
	}
	return 0;
}

static void check_sum(const struct acpi_header *t, const char *what)
{
	fuzz_check(in_zones((uintptr_t)t, sizeof(*t)) &&
			   in_zones((uintptr_t)t, t->length),
		   "%s outside the loader's memory", what);
	fuzz_check(!byte_sum(t, t->length), "%s: checksum is wrong after the "
		   "fix-up", what);
}

static void check_roots(uint64_t rsdp)
{
	const struct acpi_rsdp *r = phys_ptr(rsdp);

	if (r->rsdt_address)
		check_sum(phys_ptr(r->rsdt_address), "RSDT");
	if (r->revision >= 2 && r->xsdt_address)
		check_sum(phys_ptr(r->xsdt_address), "XSDT");
}

static void check_fixup(uint64_t rsdp, const struct acpi_hotplug_fixup *fx)
{
	struct acpi_fadt *fadt = (void *)acpi_find_table(rsdp, &high, ACPI_SIG_FADT);
	struct acpi_header *madt = acpi_find_table(rsdp, &high, ACPI_SIG_MADT);
	int fadt_fixed = fx->fadt_rev_old < ACPI_FADT_REV_6 ||
			 (fx->fadt_rev_old == ACPI_FADT_REV_6 &&
			  fx->fadt_minor_old < ACPI_FADT_MINOR_3);
	unsigned cpus = 0;

	fuzz_check(fadt && madt, "fix-up passed without a FADT or a MADT");
	if (fadt_fixed)
		check_sum(&fadt->header, "FADT");
	else
		fuzz_check(fadt->header.revision == fx->fadt_rev_old &&
				   fadt->header.length == fx->fadt_len_old,
			   "FADT %u, %u bytes, changed although it was new "
			   "enough", fadt->header.revision,
			   fadt->header.length);
	check_sum(madt, "MADT");
	fuzz_check(fadt->header.revision > ACPI_FADT_REV_6 ||
			   (fadt->header.revision == ACPI_FADT_REV_6 &&
			    fadt->header.length >= ACPI_FADT_V6_LEN &&
			    fadt->minor_revision >= ACPI_FADT_MINOR_3),
		   "FADT %u.%u, %u bytes after the fix-up",
		   fadt->header.revision, fadt->minor_revision,
		   fadt->header.length);
	fuzz_check(madt->revision >= ACPI_MADT_REV_6_3, "MADT revision %u",
		   madt->revision);
	for (uint8_t *p = (uint8_t *)madt + sizeof(struct acpi_madt),
		     *end = (uint8_t *)madt + madt->length;
	     p < end; p += p[1]) {
		uint32_t flags;

		fuzz_check(p[1] >= 2 && p[1] <= end - p, "MADT entry overruns");
		if (p[0] == ACPI_MADT_LAPIC && p[1] >= 8)
			flags = (uint32_t)le_read(p + 4, 4);
		else if (p[0] == ACPI_MADT_X2APIC && p[1] >= 16)
			flags = (uint32_t)le_read(p + 8, 4);
		else
			continue;
		cpus++;
		fuzz_check(flags & (ACPI_MADT_ENABLED |
				    ACPI_MADT_ONLINE_CAPABLE),
			   "a CPU entry is neither Enabled nor Online Capable");
	}
	fuzz_check(cpus == fx->cpus, "%u CPU entries, fix-up counted %u", cpus,
		   fx->cpus);
	if (fx->fadt_len_old < ACPI_FADT_V6_LEN && fadt_fixed)
		check_roots(rsdp);
}

static void check_mp_wakeup(uint64_t rsdp)
{
	struct acpi_header *madt = acpi_find_table(rsdp, &high, ACPI_SIG_MADT);
	const struct acpi_madt_mp_wakeup *w;

	fuzz_check(madt, "MP wakeup added, MADT gone");
	check_sum(madt, "MADT with MP wakeup");
	check_roots(rsdp);
	w = (const void *)((uint8_t *)madt + madt->length - sizeof(*w));
	fuzz_check(w->type == ACPI_MADT_MP_WAKEUP && w->length == sizeof(*w) &&
			   w->mailbox_address == 0x1234000 &&
			   w->reset_vector == 0x5678000,
		   "MP wakeup structure is not the MADT's last entry");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *hi_mem = fuzz_arena(HIGH_SIZE), *fs_mem = fuzz_arena(FSEG_SIZE);
	struct acpi_hotplug_fixup fx;
	struct fuzz_in in;
	uint64_t rsdp;
	uint8_t flags;
	int r;

	fuzz_reset();
	fake_fw_cfg_reset();
	fuzz_in_init(&in, data, size);
	flags = (uint8_t)fuzz_u(&in, 1);
	fake_fw_cfg_dma = !(flags & F_NO_DMA);
	parse_files(&in);
	zone_init(&high, "high", (uintptr_t)hi_mem, (uintptr_t)hi_mem + HIGH_SIZE,
		  1);
	zone_init(&fseg, "fseg", (uintptr_t)fs_mem, (uintptr_t)fs_mem + FSEG_SIZE,
		  0);

	r = table_loader_run(&high, &fseg, &rsdp);
	check_zone(&high, hi_mem, HIGH_SIZE);
	check_zone(&fseg, fs_mem, FSEG_SIZE);
	fuzz_check(r == 0 || fuzz_errors, "table loader failed silently");
	if (r == 0 && rsdp) {
		const struct acpi_rsdp *p = phys_ptr(rsdp);

		fuzz_check(in_zones(rsdp, ACPI_RSDP_V1_LEN) &&
				   !byte_sum(p, ACPI_RSDP_V1_LEN) &&
				   (p->revision < 2 ||
				    (in_zones(rsdp, ACPI_RSDP_V2_LEN) &&
				     !byte_sum(p, ACPI_RSDP_V2_LEN))),
			   "RSDP accepted with a bad checksum");
		fuzz_errors = 0;
		r = acpi_fixup_hotplug(rsdp, &high, &fx);
		fuzz_check(r == 0 || fuzz_errors, "fix-up failed silently");
		if (r == 0)
			check_fixup(rsdp, &fx);
		if (r == 0 && flags & F_MP_WAKEUP) {
			r = acpi_madt_add_mp_wakeup(rsdp, &high, 0x1234000,
						    0x5678000);
			fuzz_check(r == 0 || fuzz_errors,
				   "MP wakeup failed silently");
			if (r == 0)
				check_mp_wakeup(rsdp);
		}
		check_zone(&high, hi_mem, HIGH_SIZE);
	}
	clear_zone(&high);
	clear_zone(&fseg);
	return 0;
}
