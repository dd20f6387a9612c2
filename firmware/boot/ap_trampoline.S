/* AP start-up page, a template copied to AP_TRAMPOLINE (firmware/
 * layout.h), below 1 MiB so a SIPI can start an AP here (vector
 * AP_TRAMPOLINE >> 12), and where SMM resumes a hot-added CPU that left
 * the first-SMI stub in the reset state. Two modes, set by the copier:
 *  - wait: report in and spin until INIT puts the AP back into
 *    wait-for-SIPI (boot-time SMBASE relocation). It spins rather than
 *    halts because QEMU's TCG leaves INIT pending on a halted CPU until
 *    something else (a SIPI, an SMI) wakes it;
 *  - park: go to long mode on the park area's page tables and into the
 *    park module (firmware/park/entry.S) to wait on the MP wakeup
 *    mailbox. */
#include "hw/x86.h"

	.section .rodata.ap_trampoline, "a"
	.code16
	.globl ap_trampoline_start
ap_trampoline_start:
	/* State: real mode, CS = AP_TRAMPOLINE >> 4, IP 0, interrupts
	 * off; no stack. */
	/* Report in: every AP that runs this is out of SMM. */
	lock incw %cs:(ap_trampoline_count - ap_trampoline_start)
	cmpb $0, %cs:(d_mode - ap_trampoline_start)
	je wait
	lgdtl %cs:(d_gdt_desc - ap_trampoline_start)
	/* Caches on (reset leaves CD and NW set), protected mode. */
	movl %cr0, %eax
	andl $~(X86_CR0_CD | X86_CR0_NW), %eax
	orl $X86_CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *%cs:(d_far32 - ap_trampoline_start)

	.code32
code32:
	movl $GDT_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %cr4, %eax
	orl $X86_CR4_PAE, %eax
	movl %eax, %cr4
code32_cr3:
	movl $0, %ebx			/* patched: park page tables */
	movl %ebx, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $X86_CR0_PG, %eax
	movl %eax, %cr0
	ljmpl $GDT_SEL_CODE64, $0	/* patched: code64, linear */
code32_far64:

	.code64
code64:
	movabsq $0, %rax		/* patched: park_entry64 */
code64_entry:
	jmp *%rax

	.code16
wait:	cli
1:	pause
	jmp 1b

	.balign 8
d_mode:		.byte 0		/* 0 wait, 1 park */
		.byte 0
	.globl ap_trampoline_count
ap_trampoline_count:
		.word 0		/* APs that started here */
d_far32:	.long 0		/* code32, linear */
		.word GDT_SEL_CODE32
		.word 0
d_gdt_desc:	.word gdt_end - gdt - 1
		.long 0		/* linear address of gdt */
		.word 0
	.balign 8
gdt:	/* Same selectors as firmware/boot/entry.S (hw/x86.h). */
	.quad 0
	.quad 0x00cf9b000000ffff	/* code32 */
	.quad 0x00af9b000000ffff	/* code64 */
	.quad 0x00cf93000000ffff	/* data */
gdt_end:
	.globl ap_trampoline_end
ap_trampoline_end:

	.globl ap_tramp_off_mode, ap_tramp_off_far32, ap_tramp_off_gdt_desc
	.globl ap_tramp_off_gdt, ap_tramp_off_code32, ap_tramp_off_cr3
	.globl ap_tramp_off_far64, ap_tramp_off_code64, ap_tramp_off_entry
	.set ap_tramp_off_mode, d_mode - ap_trampoline_start
	.set ap_tramp_off_far32, d_far32 - ap_trampoline_start
	.set ap_tramp_off_gdt_desc, d_gdt_desc - ap_trampoline_start
	.set ap_tramp_off_gdt, gdt - ap_trampoline_start
	.set ap_tramp_off_code32, code32 - ap_trampoline_start
	/* imm32 of "movl $0, %ebx" and of the far jump's offset */
	.set ap_tramp_off_cr3, code32_cr3 + 1 - ap_trampoline_start
	.set ap_tramp_off_far64, code32_far64 - 6 - ap_trampoline_start
	.set ap_tramp_off_code64, code64 - ap_trampoline_start
	.set ap_tramp_off_entry, code64_entry - 8 - ap_trampoline_start
