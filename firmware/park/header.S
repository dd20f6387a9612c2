/* Park module header at offset 0 (struct park_module_header); linked at
 * 0, so these absolute values are offsets. */
#include "park_layout.h"

	.section .park_header, "a"
	.long PARK_MODULE_MAGIC
	.long __image_end
	.long __bss_end
	.long park_reset_vector
	.long park_entry64
	.long park_config
	.long park_idt_stubs
