/* SMM module header at offset 0: the boot firmware finds the entry, the
 * state and the exception stubs through it (struct smm_module_header).
 * The module is linked at 0, so these absolute values are offsets. */
#include "smm_layout.h"

	.section .smm_header, "a"
	.long SMM_MODULE_MAGIC
	.long __image_end
	.long __bss_end
	.long handle_smi
	.long smm_state
	.long exception_stubs
	.long smm_nmi_entry
