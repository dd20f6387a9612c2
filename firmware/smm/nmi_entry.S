/* SMM's NMI entry and the sleep it ends (firmware/shared/smm_nmi.c). The
 * model mirrors smm_sleep_window..smm_sleep_hlt and smm_nmi_entry's
 * decision in model/smm.c m_sleep() and nmi_take(): keep them side by
 * side in review. The module runs at the address it was copied to:
 * RIP-relative only. */
	.text
	.globl smm_nmi_unblock, smm_sleep, smm_nmi_entry
	.hidden smm_nmi_unblock, smm_sleep, smm_nmi_entry

/* void smm_nmi_unblock(void): an IRET to the next instruction. SMM entry
 * blocks NMIs until the first IRET. */
smm_nmi_unblock:
	movq %ss, %rax
	pushq %rax
	leaq 8(%rsp), %rax
	pushq %rax
	pushfq
	movq %cs, %rax
	pushq %rax
	leaq 1f(%rip), %rax
	pushq %rax
	iretq
1:	ret

/* void smm_sleep(volatile uint32_t *w, uint32_t v): halts while *w == v.
 * An NMI taken from smm_sleep_window to smm_sleep_hlt, the hlt included,
 * returns to smm_sleep_out: the look and the hlt are one step for it. */
smm_sleep:
smm_sleep_window:
	cmpl %esi, (%rdi)
	jne smm_sleep_out
smm_sleep_hlt:
	hlt
smm_sleep_out:
	ret

/* Vector 2 of SMRAM's IDT while a CPU has NMIs open. Same stack (no
 * IST): the SMM module is built with -mno-red-zone. */
smm_nmi_entry:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	/* 80 bytes of registers above the frame: RIP, CS, RFLAGS, RSP, SS. */
	movq 80(%rsp), %rax
	leaq smm_sleep_window(%rip), %rcx
	cmpq %rcx, %rax
	jb 1f
	leaq smm_sleep_hlt(%rip), %rcx
	cmpq %rcx, %rax
	ja 1f
	leaq smm_sleep_out(%rip), %rax
	movq %rax, 80(%rsp)
1:	movq %rsp, %rdi
	movq %rsp, %rbx
	andq $-16, %rsp
	call smm_nmi
	movq %rbx, %rsp
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	testl %eax, %eax
	jnz 2f
	popq %rbx
	popq %rax
	iretq
2:	/* Return without IRET, so that NMIs stay blocked. Now RBX and RAX
	 * as interrupted, then the frame. RIP, RFLAGS, RAX and RBX go under
	 * the interrupted RSP (no red zone there); each frame slot those
	 * writes can reach is read before. */
	movq 16(%rsp), %rax		/* RIP */
	movq 40(%rsp), %rbx		/* RSP */
	movq %rax, -8(%rbx)
	movq 32(%rsp), %rax		/* RFLAGS */
	movq %rax, -16(%rbx)
	movq 8(%rsp), %rax		/* RAX */
	movq %rax, -24(%rbx)
	movq (%rsp), %rax		/* RBX */
	movq %rax, -32(%rbx)
	leaq -32(%rbx), %rsp
	popq %rbx
	popq %rax
	popfq
	ret
