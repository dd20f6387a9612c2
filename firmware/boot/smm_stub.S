/* Per-CPU SMI entry stub, a template: firmware/boot/smm_install.c copies it
 * to SMBASE + 0x8000 of every slot and fills in the data block. It takes
 * the CPU from SMM's real-address-like entry state to long mode on the
 * slot's own GDT and stack and SMRAM's page tables, calls the SMM
 * module's handle_smi(slot), then resumes with RSM. */
#include "hw/smm.h"
#include "hw/x86.h"

	.section .rodata.smm_stub, "a"
	.code16
	.globl smm_stub_start
smm_stub_start:
	/* State on entry: SMM; CS selector SMBASE >> 4, CS base SMBASE,
	 * IP 0x8000; DS/ES/SS base 0, limit 4 GiB; CR0.PE and PG clear,
	 * EFER clear; interrupts and NMIs blocked; the interrupted context
	 * is in the save state at SMBASE + 0xfe00. No stack yet. */
	movl %cs:(0x8000 + d_linear - smm_stub_start), %ebx
	lgdtl %cs:(0x8000 + d_gdt_desc - smm_stub_start)
	movl %cr0, %eax
	orl $X86_CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *%cs:(0x8000 + d_far32 - smm_stub_start)

	.code32
code32:
	/* Flat protected mode; %ebx = linear address of this stub. */
	movl $GDT_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %cr4, %eax
	orl $X86_CR4_PAE, %eax
	movl %eax, %cr4
	movl (d_cr3 - smm_stub_start)(%ebx), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $X86_CR0_PG, %eax
	movl %eax, %cr0
	ljmpl *(d_far64 - smm_stub_start)(%ebx)

	.code64
code64:
	/* Long mode on SMRAM's identity map; the slot's stack and IDT. */
	lidt (d_idt_desc - smm_stub_start)(%rbx)
	movq (d_stack - smm_stub_start)(%rbx), %rsp
	movl (d_slot - smm_stub_start)(%rbx), %edi
	call *(d_handler - smm_stub_start)(%rbx)
	/* RSM restores the interrupted context (mode, EFER, CR0/3/4) from
	 * this slot's save state, where handle_smi() has replaced the reset
	 * state by a resume point (firmware/shared/smm_session.c). */
	rsm

	.balign 8
d_linear:	.long 0		/* linear address of this copy */
d_far32:	.long 0		/* code32, linear */
		.word GDT_SEL_CODE32
		.word 0
d_far64:	.long 0		/* code64, linear */
		.word GDT_SEL_CODE64
		.word 0
d_cr3:		.long 0
		.long 0
d_stack:	.quad 0		/* top of the slot's stack */
d_handler:	.quad 0		/* handle_smi in the module */
d_slot:		.long 0
d_gdt_desc:	.word gdt_end - gdt - 1
		.long 0		/* linear address of gdt below */
		.word 0
d_idt_desc:	.word 0		/* limit */
		.quad 0		/* SMRAM IDT */
		.word 0, 0, 0
	.balign 8
gdt:	/* Same selectors as firmware/boot/entry.S (hw/x86.h). */
	.quad 0
	.quad 0x00cf9b000000ffff	/* code32 */
	.quad 0x00af9b000000ffff	/* code64 */
	.quad 0x00cf93000000ffff	/* data */
gdt_end:
	.globl smm_stub_end
smm_stub_end:

/* Offsets of the code entry points and the data fields, for the
 * installer. */
	.globl smm_stub_off_code32, smm_stub_off_code64, smm_stub_off_linear
	.globl smm_stub_off_far32, smm_stub_off_far64, smm_stub_off_cr3
	.globl smm_stub_off_stack, smm_stub_off_handler, smm_stub_off_slot
	.globl smm_stub_off_gdt_desc, smm_stub_off_gdt, smm_stub_off_idt_desc
	.set smm_stub_off_code32, code32 - smm_stub_start
	.set smm_stub_off_code64, code64 - smm_stub_start
	.set smm_stub_off_linear, d_linear - smm_stub_start
	.set smm_stub_off_far32, d_far32 - smm_stub_start
	.set smm_stub_off_far64, d_far64 - smm_stub_start
	.set smm_stub_off_cr3, d_cr3 - smm_stub_start
	.set smm_stub_off_stack, d_stack - smm_stub_start
	.set smm_stub_off_handler, d_handler - smm_stub_start
	.set smm_stub_off_slot, d_slot - smm_stub_start
	.set smm_stub_off_gdt_desc, d_gdt_desc - smm_stub_start
	.set smm_stub_off_gdt, gdt - smm_stub_start
	.set smm_stub_off_idt_desc, d_idt_desc - smm_stub_start
