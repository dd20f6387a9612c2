/* ACPI PM timer clock: 3.579545 MHz, 24 bits on QEMU's ICH9. */
#include "timer.h"
#include "io.h"
#include "hw/q35.h"

/* PM timer port, 0 until PMBASE is programmed (reads would hit the DMA
 * controller at port 8). */
static uint16_t pm_tmr_port;
/* Extension of the 24-bit counter to 64 bits. */
static uint64_t pm_ticks_high;
static uint32_t pm_last;
/* TSC and guest time at timer_init(): one end of the TSC rate. */
static uint64_t tsc_init, us_init;

void timer_init(uint16_t pmbase)
{
	pm_tmr_port = pmbase + ICH9_PM1_TMR;
	pm_last = inl(pm_tmr_port) & ICH9_PM_TIMER_MASK;
	pm_ticks_high = 0;
	tsc_init = rdtsc();
	us_init = timer_us();
}

static uint64_t timer_ticks(void)
{
	uint32_t now;

	if (!pm_tmr_port)
		return 0;
	now = inl(pm_tmr_port) & ICH9_PM_TIMER_MASK;
	if (now < pm_last)
		pm_ticks_high += ICH9_PM_TIMER_MASK + 1ull;
	pm_last = now;
	return pm_ticks_high + now;
}

uint64_t timer_us(void)
{
	return timer_ticks() * 1000000ull / ICH9_PM_TIMER_HZ;
}

uint64_t timer_tsc_rate(uint64_t *tsc, uint64_t *us)
{
	uint64_t rate;

	*us = timer_us();
	*tsc = rdtsc();
	/* A few milliseconds of boot give a rate good to a fraction of a
	 * percent, plenty for timeouts and log stamps. */
	rate = (*tsc - tsc_init) / (*us > us_init ? *us - us_init : 1);
	return rate ? rate : 1;
}

void timer_udelay(uint32_t us)
{
	uint64_t end = timer_ticks() + (uint64_t)us * ICH9_PM_TIMER_HZ / 1000000;

	if (!pm_tmr_port)
		return;
	while (timer_ticks() < end)
		cpu_relax();
}
