/* Page tables and IDTs the firmware leaves behind for code that runs
 * after boot: SMM and the park loop. */
#ifndef FW_X86_TABLES_H
#define FW_X86_TABLES_H

#include <stdint.h>

#define X86_IDENTITY_4G_PAGES	6	/* PML4, PDPT, 4 PDs */
#define X86_IDT_GATES		32

/* Identity map of 0-4 GiB with 2 MiB pages at base (6 pages). */
void x86_identity_map_4g(uint64_t base);
/* One interrupt gate at idt to handler, 64-bit code. */
void x86_idt_gate(uint64_t idt, unsigned vector, uint64_t handler);
/* 32 interrupt gates at idt to stubs 16 bytes apart, 64-bit code. */
void x86_idt_fill(uint64_t idt, uint64_t stubs);
/* A 10-byte lgdt/lidt operand. */
void x86_desc(uint8_t *desc, uint16_t limit, uint64_t base);

#endif
