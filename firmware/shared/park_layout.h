/* The park area in ACPI NVS, where APs wait on the MP wakeup mailbox:
 * written by firmware/boot/mp_wakeup.c, used by the park module
 * (firmware/park/). If you change it, update firmware/park/entry.S,
 * which uses the PARK_CFG_* offsets. */
#ifndef FW_PARK_LAYOUT_H
#define FW_PARK_LAYOUT_H

#define PARK_STACK_SIZE		512
/* A parked CPU halts between looks at the mailbox, woken by its local
 * APIC timer every PARK_TICK_US (and by any NMI or SMI): the OS's
 * command waits half a tick on average, and the vCPU costs its host
 * nothing in between. The timer interrupts on PARK_TIMER_VECTOR, the
 * highest priority class, so a stale OS interrupt cannot hold it off. */
#define PARK_TICK_US		1000
#define PARK_TIMER_VECTOR	0xf0
#define PARK_SPURIOUS_VECTOR	0xff
#define PARK_IDT_GATES		256
/* The module's IDT stubs, 16 bytes apart: 32 exceptions, then one for
 * every external interrupt (EOI, return) and one for the spurious
 * vector (return). */
#define PARK_STUB_IRQ		32
#define PARK_STUB_SPURIOUS	33
#define PARK_NR_STUBS		34
#define PARK_MTRR_FIXED		11
#define PARK_MTRR_VAR_MAX	16
#define PARK_SLOT_FREE		0
#define PARK_SLOT_PARKED	1	/* polling the mailbox */
#define PARK_SLOT_WOKEN		2	/* jumped to the OS's vector */
#define PARK_INFO_MAGIC		0x4b524150	/* "PARK" */
#define PARK_MODULE_MAGIC	0x4b524148	/* "HPRK" */

/* struct park_config offsets, for assembly. */
#define PARK_CFG_CR3		0x00
#define PARK_CFG_SLOTS		0x08
#define PARK_CFG_NR_SLOTS	0x10
#define PARK_CFG_GDT_DESC	0x18	/* limit (2), base (8) */
#define PARK_CFG_IDT_DESC	0x28
#define PARK_CFG_MAILBOX	0x38
#define PARK_CFG_SIZE		0x48	/* firmware/park/entry.S reserves it */
#define PARK_SLOT_SIZE		32
#define PARK_SLOT_STACK		0x18	/* offset of stack_top in a slot */

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "hw/x86.h"

/* Filled in by the boot firmware; in the module's first page, next to
 * the reset vector, because the OS maps only that page for it. */
struct park_config {
	uint64_t cr3;		/* the park area's page tables */
	uint64_t slots;		/* struct park_slot[nr_slots] */
	uint32_t nr_slots;
	/* Local APIC timer initial count, divide by 1, for PARK_TICK_US
	 * (measured on the BSP); 0: no timer, parked CPUs spin. */
	uint32_t tick_count;
	uint8_t gdt_desc[16];	/* lgdt operand */
	uint8_t idt_desc[16];	/* lidt operand */
	uint64_t mailbox;
	uint64_t mtrrs;		/* struct park_mtrrs, the BSP's */
} __attribute__((packed));
_Static_assert(sizeof(struct park_config) == PARK_CFG_SIZE, "park cfg size");
_Static_assert(__builtin_offsetof(struct park_config, slots) ==
		       PARK_CFG_SLOTS, "park cfg slots");
_Static_assert(__builtin_offsetof(struct park_config, gdt_desc) ==
		       PARK_CFG_GDT_DESC, "park cfg gdt");
_Static_assert(__builtin_offsetof(struct park_config, idt_desc) ==
		       PARK_CFG_IDT_DESC, "park cfg idt");
_Static_assert(__builtin_offsetof(struct park_config, mailbox) ==
		       PARK_CFG_MAILBOX, "park cfg mailbox");

struct park_slot {
	uint32_t apic_id;	/* 0xffffffff: no CPU */
	uint32_t state;		/* PARK_SLOT_*, written by the CPU */
	uint32_t wakeups, tests, resets;
	uint32_t spins;		/* 1: parked without its timer, spinning */
	uint64_t stack_top;
};
_Static_assert(sizeof(struct park_slot) == PARK_SLOT_SIZE, "park slot");
_Static_assert(__builtin_offsetof(struct park_slot, stack_top) ==
		       PARK_SLOT_STACK, "park slot stack");

/* Totals in the firmware half of the mailbox, for tests and debuggers;
 * the OS must not rely on them. */
struct park_info {
	uint32_t magic;
	uint32_t nr_slots;
	uint32_t wakeups, tests, resets, parked;
	/* Parked CPUs that spin: no timer (calibration failed, the OS left
	 * the local APIC disabled or out of the park area's map). */
	uint32_t spinning;
};

/* The BSP's MTRRs (firmware/boot/mtrr.c), which the park module copies
 * into every CPU that comes from the AP trampoline: QEMU resets a new
 * vCPU's MTRRs, and Linux, which wakes it through the mailbox without
 * INIT, finds them inconsistent ("mtrr: your CPUs had inconsistent fixed
 * MTRR settings"). */
struct park_mtrrs {
	uint32_t valid;		/* 0: the BSP has no MTRRs */
	uint32_t nr_var;	/* variable ranges below */
	uint64_t def_type;
	uint64_t fixed[PARK_MTRR_FIXED];	/* park_mtrr_fixed_msr() */
	uint64_t var[PARK_MTRR_VAR_MAX][2];	/* base, mask */
};

/* The fixed-range MTRR in fixed[i]: 64K_00000, 16K_80000, 16K_A0000,
 * then 4K_C0000 to 4K_F8000. */
static inline uint32_t park_mtrr_fixed_msr(unsigned i)
{
	return i == 0 ? MSR_MTRR_FIX64K_00000 :
	       i < 3 ? MSR_MTRR_FIX16K_80000 + i - 1 :
		       MSR_MTRR_FIX4K_C0000 + i - 3;
}

/* At offset 0 of the park module image (firmware/park/park.lds). */
struct park_module_header {
	uint32_t magic;		/* PARK_MODULE_MAGIC */
	uint32_t image_size;
	uint32_t mem_size;
	uint32_t reset_vector;	/* offset: the OS's offlined CPUs come here */
	uint32_t entry64;	/* offset: CPUs from the AP trampoline */
	uint32_t config;	/* offset of struct park_config */
	uint32_t idt_stubs;	/* offset of PARK_NR_STUBS, 16 bytes apart */
} __attribute__((packed));
#endif

#endif
