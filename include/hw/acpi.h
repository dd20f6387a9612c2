/* ACPI table layouts the firmware reads or rewrites (ACPI 6.5: 5.2.5 RSDP,
 * 5.2.6 header, 5.2.9 FADT, 5.2.12 MADT, 5.2.12.19 MP Wakeup). LE. */
#ifndef HW_ACPI_H
#define HW_ACPI_H

#define ACPI_SIG_RSDP		"RSD PTR "
#define ACPI_SIG_RSDT		"RSDT"
#define ACPI_SIG_XSDT		"XSDT"
#define ACPI_SIG_FADT		"FACP"
#define ACPI_SIG_MADT		"APIC"

#define ACPI_RSDP_V1_LEN	20
#define ACPI_RSDP_V2_LEN	36

/* FADT: lengths by revision, and the 6.3 revision Linux needs before it
 * honours the MADT Online Capable flag (arch/x86/kernel/acpi/boot.c). */
#define ACPI_FADT_V3_LEN	244
#define ACPI_FADT_V6_LEN	276
#define ACPI_FADT_REV_6		6
#define ACPI_FADT_MINOR_3	3

/* MADT */
#define ACPI_MADT_REV_6_3	5
#define ACPI_MADT_LAPIC		0x00
#define ACPI_MADT_IOAPIC	0x01
#define ACPI_MADT_X2APIC	0x09
#define ACPI_MADT_MP_WAKEUP	0x10
#define ACPI_MADT_ENABLED	(1u << 0)
#define ACPI_MADT_ONLINE_CAPABLE (1u << 1)

/* Multiprocessor Wakeup structure (ACPI 6.4+, version 1 in 6.6) */
#define ACPI_MP_WAKEUP_V0_LEN	16
#define ACPI_MP_WAKEUP_V1_LEN	24
#define ACPI_MP_WAKEUP_VERSION_1 1

#ifndef __ASSEMBLER__
#include <stdint.h>

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;	/* first 20 bytes */
	char oem_id[6];
	uint8_t revision;	/* 0: ACPI 1.0, 2: has XSDT */
	uint32_t rsdt_address;
	uint32_t length;	/* revision >= 2 from here */
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == ACPI_RSDP_V2_LEN, "rsdp");
_Static_assert(__builtin_offsetof(struct acpi_rsdp, length) ==
		       ACPI_RSDP_V1_LEN, "rsdp v1 length");

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_header) == 36, "sdt header");

struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_width;
	uint64_t address;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_gas) == 12, "gas");

/* FADT, ACPI 6.x layout; older revisions are a prefix of it. */
struct acpi_fadt {
	struct acpi_header header;
	uint32_t firmware_ctrl;		/* 36 */
	uint32_t dsdt;			/* 40 */
	uint8_t reserved_44;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;		/* 46 */
	uint32_t smi_cmd;		/* 48 */
	uint8_t acpi_enable;		/* 52 */
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;		/* 56 */
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;		/* 64 */
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;		/* 76 */
	uint32_t gpe0_blk;		/* 80 */
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;		/* 88 */
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;		/* 96 */
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;		/* 104 */
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;	/* 109 */
	uint8_t reserved_111;
	uint32_t flags;			/* 112 */
	struct acpi_gas reset_reg;	/* 116 */
	uint8_t reset_value;		/* 128 */
	uint16_t arm_boot_arch;		/* 129 */
	uint8_t minor_revision;		/* 131 */
	uint64_t x_firmware_ctrl;	/* 132 */
	uint64_t x_dsdt;		/* 140 */
	struct acpi_gas x_pm1a_evt_blk;	/* 148 */
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;	/* 232 */
	struct acpi_gas sleep_control_reg; /* 244 */
	struct acpi_gas sleep_status_reg;
	uint64_t hypervisor_vendor_id;	/* 268 */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_fadt) == ACPI_FADT_V6_LEN, "fadt");
_Static_assert(__builtin_offsetof(struct acpi_fadt, minor_revision) == 131,
	       "fadt minor");
_Static_assert(__builtin_offsetof(struct acpi_fadt, sleep_control_reg) ==
		       ACPI_FADT_V3_LEN, "fadt v3 end");

struct acpi_madt {
	struct acpi_header header;
	uint32_t lapic_address;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt) == 44, "madt");

struct acpi_madt_sub {
	uint8_t type;
	uint8_t length;
} __attribute__((packed));

struct acpi_madt_lapic {
	uint8_t type;
	uint8_t length;		/* 8 */
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "madt lapic");

struct acpi_madt_x2apic {
	uint8_t type;
	uint8_t length;		/* 16 */
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t processor_uid;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "madt x2apic");

/* If you change this, update struct mp_wakeup_mailbox users in
 * firmware/boot/mp_wakeup.c: Linux reads exactly these offsets. */
struct acpi_madt_mp_wakeup {
	uint8_t type;
	uint8_t length;		/* 24 for version 1 */
	uint16_t mailbox_version;
	uint32_t reserved;
	uint64_t mailbox_address;
	uint64_t reset_vector;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt_mp_wakeup) == ACPI_MP_WAKEUP_V1_LEN,
	       "madt mp wakeup");
_Static_assert(__builtin_offsetof(struct acpi_madt_mp_wakeup, reset_vector) ==
		       16, "reset vector");
#endif

#endif
