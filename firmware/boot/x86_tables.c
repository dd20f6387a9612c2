/* Descriptor tables and page tables for firmware code that outlives
 * boot. */
#include "hw/x86.h"
#include "lib.h"
#include "x86_tables.h"

void x86_identity_map_4g(uint64_t base)
{
	uint64_t *pml4 = phys_ptr(base), *pdpt = phys_ptr(base + 4096);
	uint64_t *pd = phys_ptr(base + 2 * 4096);

	memset(pml4, 0, X86_IDENTITY_4G_PAGES * 4096);
	pml4[0] = (base + 4096) | PTE_P | PTE_RW;
	for (int i = 0; i < 4; i++)
		pdpt[i] = (base + (2 + i) * 4096) | PTE_P | PTE_RW;
	for (int i = 0; i < 2048; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS;
}

void x86_idt_gate(uint64_t idt, unsigned vector, uint64_t handler)
{
	uint64_t *gate = (uint64_t *)phys_ptr(idt) + 2 * vector;

	/* Interrupt gate, present, DPL 0, 64-bit code selector. */
	gate[0] = (handler & 0xffff) | (uint64_t)GDT_SEL_CODE64 << 16 |
		  0x8e00ull << 32 | (handler & 0xffff0000ull) << 32;
	gate[1] = handler >> 32;
}

void x86_idt_fill(uint64_t idt, uint64_t stubs)
{
	for (int i = 0; i < X86_IDT_GATES; i++)
		x86_idt_gate(idt, i, stubs + i * 16);
}

void x86_desc(uint8_t *desc, uint16_t limit, uint64_t base)
{
	memcpy(desc, &limit, 2);
	memcpy(desc + 2, &base, 8);
}
