/* Local APIC IPIs from the boot firmware (xAPIC at its reset base). */
#ifndef FW_APIC_H
#define FW_APIC_H

#include <stdint.h>

/* APIC ID of the calling CPU, from CPUID (leaf 0xb, else leaf 1). */
uint32_t apic_self_id(void);
void apic_send_smi(uint32_t apic_id);
void apic_send_init(uint32_t apic_id);
void apic_send_sipi(uint32_t apic_id, uint64_t page);

#endif
