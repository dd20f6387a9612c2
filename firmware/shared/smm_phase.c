/* The times of an SMI session's phases (smm_phase.h). Statistics only:
 * no decision reads them, and a race between two sessions can at worst
 * misreport one of them. Times are the low 32 bits of microseconds since
 * VM start: differences stay right across the wrap. */
#include <stdbool.h>

#include "debug.h"
#include "smm_phase.h"

void smm_phase_wait(struct smm_phase *ph, uint64_t entry_us, uint32_t s)
{
	uint64_t want = (uint64_t)s << 32 | (uint32_t)entry_us;
	uint64_t old = __atomic_load_n(&ph->first_wait, __ATOMIC_RELAXED);

	/* Keep the earliest entry among the waiters for s; a value for
	 * another session is stale. */
	while ((uint32_t)(old >> 32) != s ||
	       (int32_t)((uint32_t)entry_us - (uint32_t)old) < 0)
		if (__atomic_compare_exchange_n(&ph->first_wait, &old, want,
						false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			break;
}

uint32_t smm_phase_open(struct smm_phase *ph, uint32_t s, uint64_t now_us)
{
	uint64_t w = __atomic_exchange_n(&ph->first_wait, 0, __ATOMIC_RELAXED);
	int32_t d = (int32_t)((uint32_t)now_us - (uint32_t)w);

	return (uint32_t)(w >> 32) == s && d > 0 ? (uint32_t)d : 0;
}

void smm_phase_close(struct smm_phase *ph, uint64_t now_us)
{
	__atomic_store_n(&ph->closed_us, (uint32_t)now_us, __ATOMIC_RELAXED);
}

void smm_phase_join(struct smm_phase *ph)
{
	__atomic_add_fetch(&ph->in, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&ph->held, 1, __ATOMIC_RELAXED);
}

void smm_phase_halted(struct smm_phase *ph)
{
	__atomic_add_fetch(&ph->halted, 1, __ATOMIC_RELAXED);
}

void smm_phase_park(struct smm_phase *ph)
{
	__atomic_sub_fetch(&ph->in, 1, __ATOMIC_RELAXED);
}

void smm_phase_leave(struct smm_phase *ph, uint32_t s, uint64_t now_us)
{
	/* The caller saw the close with an acquire of the session, which
	 * pairs with the monarch's release after smm_phase_close(). */
	int32_t d = (int32_t)((uint32_t)now_us -
			      __atomic_load_n(&ph->closed_us, __ATOMIC_RELAXED));

	if (__atomic_sub_fetch(&ph->in, 1, __ATOMIC_RELAXED))
		return;
	dprintf(DBG_INFO, "smm: session %u: %u APs waited in it (%u halted), "
		"the last left %u us after it closed\n", s,
		__atomic_exchange_n(&ph->held, 0, __ATOMIC_RELAXED),
		__atomic_exchange_n(&ph->halted, 0, __ATOMIC_RELAXED),
		d > 0 ? (unsigned)d : 0);
}
