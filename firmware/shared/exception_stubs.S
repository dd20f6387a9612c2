/* Exception entry stubs: push a uniform frame, call handle_exception. */
#include "hw/x86.h"

	.code64
	.text
	.balign 16
	.globl exception_stubs
exception_stubs:
	vector = 0
	.rept 32
	.balign 16
	/* Vectors 8, 10-14, 17 and 21 push an error code; fake one for
	 * the others so the frame has one shape. */
	.if vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21
	.else
	pushq $0
	.endif
	pushq $vector
	jmp exception_common
	vector = vector + 1
	.endr

exception_common:
	pushq %rbp
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rbx
	pushq %rax
	movq %rsp, %rdi
	andq $~15, %rsp
	call handle_exception
1:	cli
	hlt
	jmp 1b
