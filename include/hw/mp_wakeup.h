/* ACPI Multiprocessor Wakeup mailbox (ACPI 6.4 5.2.12.19; TEST and the
 * reset vector in 6.6), as Linux arch/x86/kernel/acpi/madt_wakeup.c uses
 * it. A 4 KiB-aligned 4 KiB block in ACPI NVS; little-endian. The MADT
 * entry that points at it is struct acpi_madt_mp_wakeup (hw/acpi.h). */
#ifndef HW_MP_WAKEUP_H
#define HW_MP_WAKEUP_H

#define MP_WAKEUP_CMD_NOOP	0
#define MP_WAKEUP_CMD_WAKEUP	1	/* AP jumps to wakeup_vector */
#define MP_WAKEUP_CMD_TEST	2	/* firmware has the CPU back */

#define MP_WAKEUP_MAILBOX_SIZE	4096
#define MP_WAKEUP_OS_SIZE	2048	/* OS half; the rest is firmware's */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct mp_wakeup_mailbox {
	uint16_t command;		/* written by the OS, cleared by an AP */
	uint16_t reserved;
	uint32_t apic_id;
	uint64_t wakeup_vector;
	uint8_t reserved_os[2032];
	uint8_t reserved_firmware[2048];
};
_Static_assert(sizeof(struct mp_wakeup_mailbox) == MP_WAKEUP_MAILBOX_SIZE,
	       "mailbox");
_Static_assert(__builtin_offsetof(struct mp_wakeup_mailbox, apic_id) == 4,
	       "mailbox apic_id");
_Static_assert(__builtin_offsetof(struct mp_wakeup_mailbox, wakeup_vector) ==
		       8, "mailbox vector");
_Static_assert(__builtin_offsetof(struct mp_wakeup_mailbox,
				  reserved_firmware) == MP_WAKEUP_OS_SIZE,
	       "mailbox firmware half");
#endif

#endif
