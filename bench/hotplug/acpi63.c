/* Benchmark-only aid: rewrites QEMU's FADT and MADT as an ACPI 6.3 FADT
 * and a revision-5 MADT whose absent CPUs are Online Capable, for the
 * kernel's initrd table upgrade. Linux 6.12 under TCG believes it runs
 * on bare metal and then drops Local APIC entries that are neither
 * Enabled nor Online Capable, so on QEMU's own tables it refuses every
 * hot-added CPU (../shared/research/qemu-hotplug.md).
 * Usage: acpi63 FACP.in APIC.in FACP.out APIC.out */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ACPI 6.5 table 5.4 (header) and 5.9 (FADT), 5.43 (MADT). */
#define HDR_LENGTH		4
#define HDR_REVISION		8
#define HDR_CHECKSUM		9
#define HDR_OEM_REVISION	24
#define HDR_SIZE		36
#define FADT_MINOR_VERSION	131
#define FADT_63_LENGTH		276	/* through Hypervisor Vendor Id */
#define MADT_ENTRIES		(HDR_SIZE + 8)
#define MADT_LAPIC		0	/* flags: u32 at +4 */
#define MADT_X2APIC		9	/* flags: u32 at +8 */
#define MADT_ENABLED		(1u << 0)
#define MADT_ONLINE_CAPABLE	(1u << 1)

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static void checksum(uint8_t *t)
{
	uint8_t sum = 0;
	uint32_t len = get32(t + HDR_LENGTH);

	t[HDR_CHECKSUM] = 0;
	for (uint32_t i = 0; i < len; i++)
		sum += t[i];
	t[HDR_CHECKSUM] = -sum;
}

/* The kernel takes an upgrade only with a newer OEM revision. */
static void bump_oem_revision(uint8_t *t)
{
	put32(t + HDR_OEM_REVISION, get32(t + HDR_OEM_REVISION) + 1);
}

static int load(const char *path, const char *sig, uint8_t **out,
		size_t *len, size_t room)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = calloc(1, 65536 + room);
	size_t n;

	if (!f || !buf) {
		fprintf(stderr, "acpi63: %s: %s\n", path, strerror(errno));
		free(buf);
		if (f)
			fclose(f);
		return -1;
	}
	n = fread(buf, 1, 65536, f);
	fclose(f);
	if (n < HDR_SIZE || memcmp(buf, sig, 4) ||
	    get32(buf + HDR_LENGTH) != n) {
		fprintf(stderr, "acpi63: %s is not a whole %s table\n", path,
			sig);
		free(buf);
		return -1;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int save(const char *path, const uint8_t *t)
{
	FILE *f = fopen(path, "wb");
	size_t len = get32(t + HDR_LENGTH);

	if (!f || fwrite(t, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "acpi63: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static void upgrade_fadt(uint8_t *t, size_t len)
{
	/* The 6.3 fields past QEMU's revision-3 length (sleep control and
	 * status registers, hypervisor vendor) stay zero: not used. */
	if (len < FADT_63_LENGTH)
		put32(t + HDR_LENGTH, FADT_63_LENGTH);
	t[HDR_REVISION] = 6;
	t[FADT_MINOR_VERSION] = 3;
	bump_oem_revision(t);
	checksum(t);
}

static int upgrade_madt(uint8_t *t, size_t len)
{
	size_t off = MADT_ENTRIES;
	int marked = 0;

	while (off + 2 <= len) {
		uint8_t type = t[off], elen = t[off + 1];
		/* Offset of the flags in the entries that have them. */
		size_t flags = type == MADT_LAPIC ? 4 :
			       type == MADT_X2APIC ? 8 : 0;

		if (elen < 2 || off + elen > len)
			return -1;
		if (flags && flags + 4 <= elen &&
		    !(get32(t + off + flags) & MADT_ENABLED)) {
			put32(t + off + flags, get32(t + off + flags) |
					       MADT_ONLINE_CAPABLE);
			marked++;
		}
		off += elen;
	}
	t[HDR_REVISION] = 5;
	bump_oem_revision(t);
	checksum(t);
	return marked;
}

int main(int argc, char **argv)
{
	uint8_t *fadt, *madt;
	size_t flen, mlen;
	int marked;

	if (argc != 5) {
		fprintf(stderr, "usage: acpi63 FACP.in APIC.in FACP.out "
			"APIC.out\n");
		return 2;
	}
	if (load(argv[1], "FACP", &fadt, &flen, FADT_63_LENGTH) ||
	    load(argv[2], "APIC", &madt, &mlen, 0))
		return 1;
	upgrade_fadt(fadt, flen);
	marked = upgrade_madt(madt, mlen);
	if (marked < 0) {
		fprintf(stderr, "acpi63: %s: malformed MADT entry\n", argv[2]);
		return 1;
	}
	if (save(argv[3], fadt) || save(argv[4], madt))
		return 1;
	printf("acpi63: FADT 6.3 (%u bytes), MADT rev 5 with %d Online "
	       "Capable CPU%s\n", get32(fadt + HDR_LENGTH), marked,
	       marked == 1 ? "" : "s");
	free(fadt);
	free(madt);
	return 0;
}
