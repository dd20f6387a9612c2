/* SMM phase: SMI negotiation, SMRAM, SMBASE relocation of boot CPUs. */
#ifndef FW_SMM_SETUP_H
#define FW_SMM_SETUP_H

#include <stdbool.h>

void smm_setup(void);
/* After the ACPI tables are read: admits CPUs plugged during boot, then
 * locks SMRAM. */
void smm_finish(void);
/* True once hot-added CPUs pass through SMM (CPU hotplug negotiated). */
bool smm_hotplug_on(void);

#endif
