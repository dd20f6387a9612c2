/* From the reset vector to C: real mode -> 32-bit protected mode (copy
 * the image to RAM, build page tables) -> long mode -> main(). Also the
 * jump into Linux. */
#include "hw/x86.h"
#include "hw/linux_boot.h"
#include "layout.h"

#define DEBUGCON_PORT 0x402

/* ------------------------------------------------------------------ */
/* ROM-resident code: runs from the flash mapping below 4 GiB.        */

	.section .rom16, "ax"
	.code16
	/* State on entry: real mode, CS base 0xffff0000 (selector 0xf000),
	 * IP 0xfff0 -> jmp here; interrupts off, caches on, A20 open on
	 * QEMU. Only the BSP runs this; APs wait for SIPI. */
	.globl start16
start16:
	cli
	cld
	/* The GDT is addressed through CS, which is still based at the
	 * top 64 KiB of the ROM. */
	lgdtl %cs:(rom_gdt_desc - 0xffff0000)
	/* Caches on: reset leaves CR0.CD and NW set, which KVM honours
	 * with uncached guest memory. Protected mode. */
	movl %cr0, %eax
	andl $~(X86_CR0_CD | X86_CR0_NW), %eax
	orl $X86_CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $GDT_SEL_CODE32, $start32

	.code32
start32:
	movl $GDT_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs

	/* Long mode is required; say so on debugcon if missing. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $CPUID_80000001_EDX_LM, %edx
	jz no_long_mode

	/* Copy the RAM part of the image (code, data) from ROM. */
	movl $_fw_lma, %esi
	movl $_fw_start, %edi
	movl $_fw_load_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	rep movsl
	/* Clear bss: page tables, stack, heap, statics. */
	movl $_bss_start, %edi
	movl $_bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	/* Identity map 0-4 GiB with 2 MiB pages: one PML4 entry, four
	 * PDPT entries, 2048 PD entries. */
	movl $boot_pdpt, %eax
	orl $(PTE_P | PTE_RW), %eax
	movl %eax, boot_pml4
	movl $boot_pd, %eax
	orl $(PTE_P | PTE_RW), %eax
	movl $boot_pdpt, %edi
	movl $4, %ecx
1:	movl %eax, (%edi)
	addl $4096, %eax
	addl $8, %edi
	loop 1b
	movl $boot_pd, %edi
	movl $(PTE_P | PTE_RW | PTE_PS), %eax
	xorl %edx, %edx
	movl $2048, %ecx
2:	movl %eax, (%edi)
	movl %edx, 4(%edi)
	addl $0x200000, %eax
	adcl $0, %edx
	addl $8, %edi
	loop 2b

	/* PAE, EFER.LME, CR3, paging on: long mode, compatibility
	 * submode until the far jump loads the 64-bit CS. */
	movl %cr4, %eax
	orl $X86_CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $X86_CR0_PG, %eax
	movl %eax, %cr0
	ljmpl $GDT_SEL_CODE64, $start64

no_long_mode:
	movl $msg_no_lm, %esi
	movw $DEBUGCON_PORT, %dx
3:	lodsb
	testb %al, %al
	jz 4f
	outb %al, %dx
	jmp 3b
4:	hlt
	jmp 4b

	/* Parking place for CPUs that left SMM in the reset state
	 * (first_smi.S): read-only flash the OS cannot rewrite. Interrupts
	 * stay off; INIT and SIPI still work. */
	.globl rom_hlt_loop
rom_hlt_loop:
	cli
	hlt
	jmp rom_hlt_loop

msg_no_lm:
	.asciz "hotcpu: PANIC start32: the CPU has no long mode\nhotcpu: halted\n"

	.balign 8
rom_gdt_desc:
	.word gdt_end - gdt - 1
	.long _gdt_lma	/* the GDT's ROM copy (firmware.lds) */

	/* The last 16 bytes of the image. */
	.section .reset, "ax"
	.code16
	.globl reset_vector
reset_vector:
	jmp start16
	.balign 16, 0xcc

/* ------------------------------------------------------------------ */
/* RAM-resident part, linked at FW_RAM_BASE and copied there.          */

	.section .text.start64, "ax"
	.code64
start64:
	/* State: long mode, CS = GDT_SEL_CODE64 from the ROM GDT, paging
	 * on the boot identity map, interrupts off. Move to the RAM GDT:
	 * Linux and the APs must never depend on the ROM mapping. */
	lgdt gdt_desc(%rip)
	movl $GDT_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	leaq boot_stack_top(%rip), %rsp
	pushq $GDT_SEL_CODE64
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	call exception_setup
	call main
5:	cli
	hlt
	jmp 5b

	/* void linux_jump(uint64_t entry, uint64_t boot_params)
	 * Linux 64-bit boot protocol: CS = __BOOT_CS, DS/ES/SS = __BOOT_DS,
	 * interrupts off, identity map covering kernel, zero page and
	 * command line, %rsi = zero page. */
	.globl linux_jump
linux_jump:
	cli
	movl $LINUX_BOOT_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %ebp, %ebp
	jmp *%rdi

	.data
	.balign 16
	/* Flat GDT; selectors in hw/x86.h. GDT_SEL_CODE64 and GDT_SEL_DATA
	 * double as Linux's __BOOT_CS and __BOOT_DS. */
	.globl gdt
gdt:
	.quad 0					/* 0x00 null */
	.quad 0x00cf9b000000ffff		/* 0x08 code32, flat */
	.quad 0x00af9b000000ffff		/* 0x10 code64 */
	.quad 0x00cf93000000ffff		/* 0x18 data, flat */
	.quad 0x008f9b000000ffff		/* 0x20 code16, 4 GiB limit */
	.quad 0x008f93000000ffff		/* 0x28 data16, 4 GiB limit */
gdt_end:
	.balign 8
	.globl gdt_desc
gdt_desc:
	.word gdt_end - gdt - 1
	.quad gdt

	.bss
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pd:
	.skip 4 * 4096
	.balign 16
boot_stack:
	.skip 16384
	.globl boot_stack_top
boot_stack_top:
