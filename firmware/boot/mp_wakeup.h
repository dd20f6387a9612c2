/* ACPI MADT Multiprocessor Wakeup, version 1: APs parked on a mailbox
 * the OS wakes them through, and a reset vector it offlines them to. */
#ifndef FW_MP_WAKEUP_H
#define FW_MP_WAKEUP_H

#include <stdbool.h>
#include <stdint.h>

/* The user's switch, -fw_cfg name=opt/hotcpu/mp-wakeup,string=off: on
 * unless it says off. */
bool mp_wakeup_requested(void);

/* Decides, installs the park area and parks every AP. smm_hotplug says
 * whether hot-added CPUs pass through SMM, which is the only way they
 * can join the mailbox. */
void mp_wakeup_setup(bool smm_hotplug);

/* Mailbox and reset vector for the MADT entry; false if off. */
bool mp_wakeup_info(uint64_t *mailbox, uint64_t *reset_vector);
/* Whether the CPU with this APIC ID runs the park loop now. */
bool mp_wakeup_parked(uint32_t apic_id);

#endif
