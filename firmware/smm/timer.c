/* Debug timestamps in SMM: the TSC, scaled with the rate the boot
 * firmware measured against the PM timer. */
#include "io.h"
#include "smm_layout.h"
#include "timer.h"

extern struct smm_state smm_state;

uint64_t timer_us(void)
{
	if (!smm_state.tsc_per_us)
		return 0;
	return (rdtsc() - smm_state.tsc_at_t0) / smm_state.tsc_per_us +
	       smm_state.t0_us;
}
