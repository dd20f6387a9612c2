/* First-SMI stub, a template copied to 0x38000 (SMBASE 0x30000 + 0x8000)
 * inside SMRAM at the default SMBASE, which the OS can neither read nor
 * write once MCH_F_SMBASE is locked. Every CPU that was never relocated
 * enters here: hot-added CPUs, and boot CPUs once at boot.
 *
 * Several such CPUs may enter at once (a broadcast SMI reaches every new
 * CPU in wait-for-SIPI under TCG) and they all share the save state at
 * 0x3fe00 (thread 001). So: everything before the lock lives in
 * registers, and a CPU may execute RSM only while it holds the lock,
 * after writing its own new SMBASE. The lock is released by the same CPU
 * on its next SMI, a self-SMI sent just before RSM that lands at the new
 * SMBASE (firmware/shared/smm_session.c:confirm_relocation): that is proof the
 * save state was consumed, so no two CPUs can leave with one SMBASE.
 * Another CPU's entry can still rewrite the context here between the
 * resume point written below and RSM (entries and RSM go field by
 * field): the relocated handler sends a CPU that RSM brought back in the
 * reset state to the same resume point (smm_session.c:resume()). */
#include "hw/apic.h"
#include "hw/smm.h"
#include "hw/x86.h"
#include "smm_layout.h"

#define SAVE		(SMM_DEFAULT_SMBASE + SMM_SAVE_STATE_OFFSET)
#define SAVE_CS_SEL	(SAVE + 0x10)	/* cs.selector, struct smm_seg_64 */
#define SAVE_CS_BASE	(SAVE + 0x18)	/* cs.base */
#define SAVE_CR0	(SAVE + 0x158)
#define SAVE_RIP	(SAVE + 0x178)
#define SAVE_SMBASE	(SAVE + 0x100)

	.section .rodata.first_smi, "a"
	.code16
	.globl first_smi_start
first_smi_start:
	/* State on entry: SMM, CS base 0x30000, IP 0x8000, DS/ES/SS base 0
	 * limit 4 GiB, CR0.PE clear, interrupts blocked, no stack. The
	 * interrupted context is the reset state (TCG delivered the SMI in
	 * wait-for-SIPI), a SIPI vector (KVM latched it until the SIPI), or
	 * firmware or OS code. */

	/* APIC ID from CPUID, which the OS cannot change: leaf 0xb, else
	 * the initial APIC ID of leaf 1. */
	xorl %eax, %eax
	cpuid
	cmpl $0xb, %eax
	jb 1f
	movl $0xb, %eax
	xorl %ecx, %ecx
	cpuid
	testl %ebx, %ebx
	jz 1f
	movl %edx, %esi
	jmp 2f
1:	movl $1, %eax
	cpuid
	shrl $24, %ebx
	movl %ebx, %esi

	/* Wait until the monarch admits this APIC ID: admit[] holds its
	 * new SMBASE. The admit entry's APIC ID is written last (release
	 * in smm_session.c:admit), so the SMBASE read after it is good. */
2:	movl $FIRST_SMI_DATA, %ebp
3:	movl FIRST_SMI_ADMIT(%ebp), %ebx
	movl FIRST_SMI_NR_ADMIT(%ebp), %ecx
	testl %ecx, %ecx
	jz 5f
4:	cmpl %esi, (%ebx)
	je 6f
	addl $8, %ebx
	decl %ecx
	jnz 4b
5:	pause
	jmp 3b
6:	movl 4(%ebx), %edi

	/* Lock the default save state: owner is APIC ID + 1. Finding it
	 * already ours means an earlier relocation did not stick (another
	 * CPU's entry rewrote the SMBASE field): do it again. */
	leal 1(%esi), %edx
7:	xorl %eax, %eax
	lock cmpxchgl %edx, FIRST_SMI_LOCK(%ebp)
	je 8f
	cmpl %edx, %eax
	je 8f
	pause
	jmp 7b

	/* Reset state (real mode at 0xffff:fff0): RSM would run the reset
	 * vector. Resume where the boot firmware said instead: the ROM's
	 * hlt loop, where a SIPI finds the CPU as in wait-for-SIPI, or the
	 * park trampoline when APs wait on the MP wakeup mailbox. */
8:	movl $SAVE, %ebx
	cmpl $0xffff0000, SAVE_CS_BASE - SAVE(%ebx)
	jne 9f
	cmpl $0xfff0, SAVE_RIP - SAVE(%ebx)
	jne 9f
	testl $X86_CR0_PE, SAVE_CR0 - SAVE(%ebx)
	jnz 9f
	movl FIRST_SMI_RESUME_SEL(%ebp), %eax
	movw %ax, SAVE_CS_SEL - SAVE(%ebx)
	movl FIRST_SMI_RESUME_BASE(%ebp), %eax
	movl %eax, SAVE_CS_BASE - SAVE(%ebx)
	movl FIRST_SMI_RESUME_IP(%ebp), %eax
	movl %eax, SAVE_RIP - SAVE(%ebx)
9:	movl %edi, SAVE_SMBASE - SAVE(%ebx)

	/* Self-SMI, pending until RSM, taken at the new SMBASE. */
	movl $MSR_IA32_APIC_BASE, %ecx
	rdmsr
	testl $MSR_APIC_BASE_EXTD, %eax
	jz 10f
	movl $X2APIC_MSR_ICR, %ecx
	movl %esi, %edx
	movl $ICR_DM_SMI, %eax
	wrmsr
	rsm
10:	andl $0xfffff000, %eax
	testl %edx, %edx
	jnz 11f
	cmpl FIRST_SMI_XAPIC(%ebp), %eax
	jne 11f
	movl %eax, %ebx
	movl LAPIC_ICR_HI(%ebx), %edx	/* the interrupted code's */
	movl %esi, %ecx
	shll $LAPIC_ID_SHIFT, %ecx
	movl %ecx, LAPIC_ICR_HI(%ebx)
	movl $ICR_DM_SMI, LAPIC_ICR_LO(%ebx)
	movl %edx, LAPIC_ICR_HI(%ebx)
	rsm

	/* The OS moved the local APIC: no self-SMI, so the lock could
	 * never be released safely. Keep this CPU here. */
11:	cli
	hlt
	jmp 11b
	.globl first_smi_end
first_smi_end:
