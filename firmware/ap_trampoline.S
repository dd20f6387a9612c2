/* AP start-up code for boot-time SMBASE relocation under latched-SMI
 * rules (KVM): an AP leaves wait-for-SIPI here, takes its pending SMI
 * before the first instruction, and after RSM reports in and halts.
 * A template copied to AP_TRAMPOLINE (firmware/layout.h), a 4 KiB page
 * below 1 MiB, so the SIPI vector is AP_TRAMPOLINE >> 12. */
	.section .rodata.ap_trampoline, "a"
	.code16
	.globl ap_trampoline_start
ap_trampoline_start:
	/* State: real mode, CS = vector << 8, IP 0, interrupts off. */
	movb $1, %cs:(ap_trampoline_flag - ap_trampoline_start)
1:	cli
	hlt
	jmp 1b
	.globl ap_trampoline_flag
ap_trampoline_flag:
	.byte 0
	.globl ap_trampoline_end
ap_trampoline_end:
