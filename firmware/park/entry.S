/* Park module entry points: the MP wakeup reset vector, where the OS
 * sends a CPU it takes offline, and entry64, where the AP trampoline
 * sends a CPU at boot or after a hot-add. Both end in park_loop() on the
 * CPU's own stack. Position independent: the module is copied, never
 * relocated. All of the first page is mapped by the OS for the reset
 * vector; nothing before the CR3 switch touches anything outside it. */
#include "hw/apic.h"
#include "hw/x86.h"
#include "park_layout.h"

	.section .text.park_first, "ax"
	.code64
	.globl park_reset_vector
park_reset_vector:
	/* State on entry (Linux asm_acpi_mp_play_dead): 64-bit mode, CS
	 * the OS's, interrupts off, CR3 an identity map of the OS's that
	 * covers all RAM and this page, CR4.PGE clear; GDTR, IDTR and the
	 * stack are the OS's virtual addresses, unusable here. Paging may
	 * be 5-level. Registers are the OS's. */
	cli
	lgdt (park_config + PARK_CFG_GDT_DESC)(%rip)
	movl (park_config + PARK_CFG_CR3)(%rip), %ebx
	/* No stack: far jumps go through pointers in this page, filled in
	 * here (every CPU writes the same values). */
	leaq 1f(%rip), %rax
	movl %eax, park_far32(%rip)
	leaq 2f(%rip), %rax
	movl %eax, park_far64(%rip)
	leaq park_far64(%rip), %rsi
	ljmpl *park_far32(%rip)
	.code32
1:	/* Compatibility mode: paging off, then back on with our 4-level
	 * tables; EFER.LME stays set, so it is long mode again. */
	movl $GDT_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %cr0, %eax
	andl $~X86_CR0_PG, %eax
	movl %eax, %cr0
	movl $X86_CR4_PAE, %eax
	movl %eax, %cr4
	movl %ebx, %cr3
	movl %cr0, %eax
	orl $X86_CR0_PG, %eax
	movl %eax, %cr0
	ljmpl *(%esi)
	.code64
2:	movl $1, %r12d		/* came through the reset vector */
	jmp park_common

	.globl park_entry64
park_entry64:
	/* From the AP trampoline: long mode on the park area's page
	 * tables, CS GDT_SEL_CODE64 from the trampoline's GDT, which has
	 * the same descriptors as ours; interrupts off, no stack. */
	lgdt (park_config + PARK_CFG_GDT_DESC)(%rip)
	xorl %r12d, %r12d

park_common:
	movl $GDT_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	lidt (park_config + PARK_CFG_IDT_DESC)(%rip)
	/* This CPU's APIC ID from CPUID, then its slot. */
	xorl %eax, %eax
	cpuid
	cmpl $0xb, %eax
	jb 3f
	movl $0xb, %eax
	xorl %ecx, %ecx
	cpuid
	testl %ebx, %ebx
	jz 3f
	movl %edx, %esi
	jmp 4f
3:	movl $1, %eax
	cpuid
	shrl $24, %ebx
	movl %ebx, %esi
4:	movq (park_config + PARK_CFG_SLOTS)(%rip), %rdi
	movl (park_config + PARK_CFG_NR_SLOTS)(%rip), %ecx
	testl %ecx, %ecx
	jz 6f
5:	cmpl %esi, (%rdi)
	je 7f
	addq $PARK_SLOT_SIZE, %rdi
	decl %ecx
	jnz 5b
6:	/* A CPU the firmware does not know: nothing to hand it back. */
	cli
	hlt
	jmp 6b
7:	movq PARK_SLOT_STACK(%rdi), %rsp
	leaq park_config(%rip), %rsi
	movl %r12d, %edx
	call park_loop
	jmp 6b

	.balign 16
	.globl park_config
park_config:
	.skip PARK_CFG_SIZE
park_far32:
	.long 0
	.word GDT_SEL_CODE32
park_far64:
	.long 0
	.word GDT_SEL_CODE64

	/* void park_jump(uint64_t vector): into the OS, interrupts off,
	 * on the park area's identity map, flat 64-bit segments, and with
	 * EFER.NXE set where the CPU has NX: Linux's trampoline_start64
	 * switches to page tables with NX bits without setting it. */
	.globl park_jump
park_jump:
	cli
	movq %rdi, %r8
	movl $0x80000001, %eax
	cpuid
	testl $CPUID_80000001_EDX_NX, %edx
	jz 8f
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_NXE, %eax
	wrmsr
8:	jmp *%r8

	/* IDT stubs, 16 bytes apart: an NMI returns to the loop, any other
	 * exception halts; every external interrupt (the park timer's, or
	 * one the OS left pending) is acknowledged; a spurious one returns. */
	.text
	.balign 16
	.globl park_idt_stubs
park_idt_stubs:
	vector = 0
	.rept 32
	.balign 16
	.if vector == 2
	iretq
	.else
	cli
	hlt
	jmp . - 2
	.endif
	vector = vector + 1
	.endr
	.balign 16		/* PARK_STUB_IRQ */
	jmp park_irq
	.balign 16		/* PARK_STUB_SPURIOUS */
	iretq
	.balign 16

park_irq:
	/* State: interrupts off (interrupt gate), on the CPU's park stack,
	 * interrupted in park_loop()'s sti; hlt. EOI in the APIC's current
	 * mode (the OS's, on the reset-vector path), so that the next tick
	 * can come; park_loop() checked that an xAPIC is below 4 GiB. */
	pushq %rax
	pushq %rcx
	pushq %rdx
	movl $MSR_IA32_APIC_BASE, %ecx
	rdmsr
	testl $MSR_APIC_BASE_EXTD, %eax
	jnz 1f
	andl $0xfffff000, %eax
	movl $0, LAPIC_EOI(%rax)
	jmp 2f
1:	movl $(X2APIC_MSR_BASE + (LAPIC_EOI >> 4)), %ecx
	xorl %eax, %eax
	xorl %edx, %edx
	wrmsr
2:	popq %rdx
	popq %rcx
	popq %rax
	iretq
