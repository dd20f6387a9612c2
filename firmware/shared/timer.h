/* Time since the VM started, from the ACPI PM timer. */
#ifndef FW_TIMER_H
#define FW_TIMER_H

#include <stdint.h>

/* Starts the clock once PMBASE decodes; before that timer_us() is 0. */
void timer_init(uint16_t pmbase);

/* Microseconds of guest virtual time. QEMU's PM timer counts from VM
 * start and wraps every 4.7 s; callers must read it at least that often
 * for the 64-bit extension to hold, which the boot path does. */
uint64_t timer_us(void);

/* TSC ticks per microsecond, measured against the PM timer since
 * timer_init(); the SMM module keeps time with it. Sets *tsc and *us to
 * one simultaneous reading. */
uint64_t timer_tsc_rate(uint64_t *tsc, uint64_t *us);

/* Busy-waits; used only for bounded hardware timeouts. */
void timer_udelay(uint32_t us);

#endif
