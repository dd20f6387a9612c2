/* The park module image (build/fw/park.bin), carried in the firmware and
 * copied into the park area by firmware/boot/mp_wakeup.c. */
	.section .rodata.park_module, "a"
	.balign 16
	.globl park_module_image, park_module_image_end
park_module_image:
	.incbin PARK_BIN
park_module_image_end:
