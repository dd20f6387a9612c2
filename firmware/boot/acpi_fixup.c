/* ACPI table edits on top of QEMU's tables. */
#include "acpi_fixup.h"
#include "debug.h"
#include "lib.h"

static struct acpi_rsdp *rsdp_ptr(uint64_t rsdp)
{
	return phys_ptr(rsdp);
}

/* A table the loader put in the zone: its header and its whole length
 * inside what the zone handed out. QEMU's pointers are followed only
 * there; anything else is refused, never read or rewritten. */
static struct acpi_header *table_at(const struct zone *z, uint64_t addr)
{
	struct acpi_header *t;
	uint64_t lo, hi;

	zone_used(z, &lo, &hi);
	if (addr < lo || addr > hi || hi - addr < sizeof(*t))
		return 0;
	t = phys_ptr(addr);
	if (t->length < sizeof(*t) || t->length > hi - addr)
		return 0;
	return t;
}

/* The root tables: RSDT (4-byte entries) and, for revision 2 RSDPs, the
 * XSDT (8-byte entries). Either may be absent. */
static struct acpi_header *root_table(uint64_t rsdp, const struct zone *z,
				      int xsdt)
{
	struct acpi_rsdp *r = rsdp_ptr(rsdp);
	uint64_t addr = xsdt ? (r->revision >= 2 ? r->xsdt_address : 0) :
			       r->rsdt_address;
	struct acpi_header *t;

	if (!addr)
		return 0;
	t = table_at(z, addr);
	if (!t)
		dprintf(DBG_ERR, "acpi: %s at 0x%llx is not inside the ACPI "
			"tables; ignored\n", xsdt ? "XSDT" : "RSDT",
			(unsigned long long)addr);
	return t;
}

static uint32_t root_entries(const struct acpi_header *root, unsigned esize)
{
	return (root->length - sizeof(*root)) / esize;
}

static uint64_t root_entry(const struct acpi_header *root, unsigned esize,
			   uint32_t i)
{
	return le_read((const uint8_t *)(root + 1) + i * esize, esize);
}

struct acpi_header *acpi_find_table(uint64_t rsdp, const struct zone *z,
				    const char *sig)
{
	for (int x = 1; x >= 0; x--) {
		struct acpi_header *root = root_table(rsdp, z, x);
		unsigned esize = x ? 8 : 4;

		if (!root)
			continue;
		for (uint32_t i = 0; i < root_entries(root, esize); i++) {
			uint64_t addr = root_entry(root, esize, i);
			struct acpi_header *t = table_at(z, addr);

			if (!t) {
				dprintf(DBG_ERR, "acpi: %s entry %u (0x%llx) is "
					"not inside the ACPI tables; ignored\n",
					x ? "XSDT" : "RSDT", i,
					(unsigned long long)addr);
				continue;
			}
			if (!memcmp(t->signature, sig, 4))
				return t;
		}
	}
	return 0;
}

void acpi_table_checksum(struct acpi_header *t)
{
	t->checksum = 0;
	t->checksum = (uint8_t)-byte_sum(t, t->length);
}

struct acpi_header *acpi_table_resize(uint64_t rsdp, struct acpi_header *old,
				      uint32_t new_len, struct zone *z)
{
	uint64_t addr = zone_alloc(z, new_len, 16);
	struct acpi_header *t;

	if (!addr)
		return 0;
	t = phys_ptr(addr);
	memset(t, 0, new_len);
	memcpy(t, old, MIN(old->length, new_len));
	t->length = new_len;
	for (int x = 0; x <= 1; x++) {
		struct acpi_header *root = root_table(rsdp, z, x);
		unsigned esize = x ? 8 : 4;

		if (!root)
			continue;
		for (uint32_t i = 0; i < root_entries(root, esize); i++)
			if (root_entry(root, esize, i) == (uintptr_t)old)
				le_write((uint8_t *)(root + 1) + i * esize,
					 esize, addr);
		acpi_table_checksum(root);
	}
	return t;
}

static int fixup_fadt(uint64_t rsdp, struct zone *z,
		      struct acpi_hotplug_fixup *out)
{
	struct acpi_fadt *fadt = (void *)acpi_find_table(rsdp, z,
							 ACPI_SIG_FADT);

	if (!fadt) {
		dprintf(DBG_ERR, "acpi: no FADT\n");
		return -1;
	}
	out->fadt_len_old = fadt->header.length;
	out->fadt_rev_old = fadt->header.revision;
	out->fadt_minor_old = fadt->header.length > 131 ?
				      fadt->minor_revision : 0;
	if (fadt->header.length < ACPI_FADT_V3_LEN) {
		dprintf(DBG_ERR, "acpi: FADT is %u bytes, shorter than "
			"revision 3's %u\n", fadt->header.length,
			ACPI_FADT_V3_LEN);
		return -1;
	}
	if (fadt->header.revision > ACPI_FADT_REV_6 ||
	    (fadt->header.revision == ACPI_FADT_REV_6 &&
	     fadt->minor_revision >= ACPI_FADT_MINOR_3))
		return 0;
	if (fadt->header.length < ACPI_FADT_V6_LEN) {
		fadt = (void *)acpi_table_resize(rsdp, &fadt->header,
						 ACPI_FADT_V6_LEN, z);
		if (!fadt) {
			dprintf(DBG_ERR, "acpi: no room for a %u-byte FADT\n",
				ACPI_FADT_V6_LEN);
			return -1;
		}
	}
	fadt->header.revision = ACPI_FADT_REV_6;
	fadt->minor_revision = ACPI_FADT_MINOR_3;
	acpi_table_checksum(&fadt->header);
	return 0;
}

static int fixup_madt(uint64_t rsdp, const struct zone *z,
		      struct acpi_hotplug_fixup *out)
{
	struct acpi_madt *madt = (void *)acpi_find_table(rsdp, z,
							 ACPI_SIG_MADT);
	uint8_t *p, *end;

	if (!madt || madt->header.length < sizeof(*madt)) {
		dprintf(DBG_ERR, "acpi: no MADT\n");
		return -1;
	}
	out->madt_rev_old = madt->header.revision;
	p = (uint8_t *)(madt + 1);
	end = (uint8_t *)madt + madt->header.length;
	while (p < end) {
		struct acpi_madt_sub *s = (void *)p;
		uint8_t *flags = 0;

		if (end - p < 2 || s->length < 2 || s->length > end - p) {
			dprintf(DBG_ERR, "acpi: MADT entry at +%u overruns "
				"the table\n", (unsigned)(p - (uint8_t *)madt));
			return -1;
		}
		if (s->type == ACPI_MADT_LAPIC &&
		    s->length >= sizeof(struct acpi_madt_lapic))
			flags = p + __builtin_offsetof(struct acpi_madt_lapic,
						       flags);
		if (s->type == ACPI_MADT_X2APIC &&
		    s->length >= sizeof(struct acpi_madt_x2apic))
			flags = p + __builtin_offsetof(struct acpi_madt_x2apic,
						       flags);
		if (flags) {
			uint32_t f = (uint32_t)le_read(flags, 4);

			out->cpus++;
			/* Online Capable is reserved when Enabled is set. */
			if (!(f & (ACPI_MADT_ENABLED |
				   ACPI_MADT_ONLINE_CAPABLE))) {
				le_write(flags, 4, f | ACPI_MADT_ONLINE_CAPABLE);
				out->online_capable++;
			}
		}
		p += s->length;
	}
	if (madt->header.revision < ACPI_MADT_REV_6_3)
		madt->header.revision = ACPI_MADT_REV_6_3;
	acpi_table_checksum(&madt->header);
	return 0;
}

/* The fix-up rewrites the roots, the FADT and the MADT in place: if two
 * of them overlapped, fixing one's checksum would break the other's.
 * QEMU never builds such a set; refuse it before changing anything. */
static int tables_disjoint(uint64_t rsdp, const struct zone *z)
{
	static const char *const names[] = { "RSDT", "XSDT", "FADT", "MADT" };
	const struct acpi_header *t[] = {
		root_table(rsdp, z, 0), root_table(rsdp, z, 1),
		acpi_find_table(rsdp, z, ACPI_SIG_FADT),
		acpi_find_table(rsdp, z, ACPI_SIG_MADT),
	};

	for (unsigned i = 0; i < ARRAY_SIZE(t); i++)
		for (unsigned j = i + 1; j < ARRAY_SIZE(t); j++) {
			uintptr_t a = (uintptr_t)t[i], b = (uintptr_t)t[j];

			if (!t[i] || !t[j] || a >= b + t[j]->length ||
			    b >= a + t[i]->length)
				continue;
			dprintf(DBG_ERR, "acpi: %s at 0x%llx (%u bytes) "
				"overlaps the %s at 0x%llx (%u bytes)\n",
				names[i], (unsigned long long)a, t[i]->length,
				names[j], (unsigned long long)b, t[j]->length);
			return 0;
		}
	return 1;
}

int acpi_fixup_hotplug(uint64_t rsdp, struct zone *z,
		       struct acpi_hotplug_fixup *out)
{
	memset(out, 0, sizeof(*out));
	if (!tables_disjoint(rsdp, z) || fixup_fadt(rsdp, z, out) ||
	    fixup_madt(rsdp, z, out))
		return -1;
	return 0;
}

int acpi_madt_add_mp_wakeup(uint64_t rsdp, struct zone *z, uint64_t mailbox,
			    uint64_t reset_vector)
{
	struct acpi_header *madt = acpi_find_table(rsdp, z, ACPI_SIG_MADT);
	struct acpi_madt_mp_wakeup w = {
		.type = ACPI_MADT_MP_WAKEUP,
		.length = sizeof(w),
		.mailbox_version = ACPI_MP_WAKEUP_VERSION_1,
		.mailbox_address = mailbox,
		.reset_vector = reset_vector,
	};
	uint32_t len;

	if (!madt || madt->length < sizeof(struct acpi_madt)) {
		dprintf(DBG_ERR, "acpi: no MADT\n");
		return -1;
	}
	len = madt->length;
	madt = acpi_table_resize(rsdp, madt, len + sizeof(w), z);
	if (!madt) {
		dprintf(DBG_ERR, "acpi: no room for a %u-byte MADT\n",
			(unsigned)(len + sizeof(w)));
		return -1;
	}
	memcpy((uint8_t *)madt + len, &w, sizeof(w));
	acpi_table_checksum(madt);
	return 0;
}
