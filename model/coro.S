/* Coroutine switch for the platform model's CPUs (x86-64 System V):
 * saves the callee-saved registers and the stack pointer of the running
 * context and loads another's. One host thread runs every model CPU. */
	.text
	.globl coro_switch
	.type coro_switch, @function
/* void coro_switch(void **save_sp, void *load_sp) */
coro_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size coro_switch, . - coro_switch

/* First instruction of a new coroutine: coro_start() left the entry
 * function in %r12 and its argument in %r13 on the initial stack. */
	.globl coro_trampoline
	.type coro_trampoline, @function
coro_trampoline:
	movq %r13, %rdi
	call *%r12
	ud2
	.size coro_trampoline, . - coro_trampoline
	.section .note.GNU-stack, "", @progbits
