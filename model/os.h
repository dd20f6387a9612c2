/* The guest model's parts: its ACPI hotplug work (model/os.c) and its
 * CPU bring-up and offlining (model/os_smp.c). */
#ifndef MODEL_OS_H
#define MODEL_OS_H

#include <stdbool.h>
#include <stdint.h>

struct mcpu;

#define OS_SIPI_VECTOR		0x9a000		/* Linux's trampoline page */
#define OS_ALIVE_US		(10 * MODEL_S)	/* cpuhp_bp_sync_alive() */
#define OS_DEAD_US		(10 * MODEL_S)
#define OS_TEST_US		MODEL_S		/* acpi_mp_cpu_die() */
#define OS_WAKEUP_US		(20 * MODEL_S)	/* Linux: forever */

/* native_kick_ap(): WAKEUP, or INIT-SIPI-SIPI; false if the mailbox never
 * answered (a violation is reported). */
bool kick_ap(struct mcpu *c, struct mcpu *x);
/* cpuhp_bp_sync_alive(): waits for x to report alive. */
void wait_alive(struct mcpu *c, struct mcpu *x);
void cpu_up(struct mcpu *c, struct mcpu *x);
void cpu_down(struct mcpu *c, struct mcpu *x);
/* On the dying CPU itself; does not return. */
void play_dead(struct mcpu *c);
/* Another OS CPU's junk write to APM_CNT right after c's 4 (fault junk). */
void junk_over_apm(struct mcpu *c);

#endif
