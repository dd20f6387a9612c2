/* The SMM module image (build/fw/smm.bin), carried in the firmware and
 * copied into TSEG by firmware/boot/smm_install.c. */
	.section .rodata.smm_module, "a"
	.balign 16
	.globl smm_module_image, smm_module_image_end
smm_module_image:
	.incbin SMM_BIN
smm_module_image_end:
