/* The park loop: an AP polls the MP wakeup mailbox until the OS names
 * it, then acknowledges and goes where the OS said. */
#include "hw/mp_wakeup.h"
#include "mbox.h"
#include "park_layout.h"

void park_loop(struct park_slot *me, const struct park_config *cfg,
	       uint32_t from_reset);
__attribute__((noreturn)) void park_jump(uint64_t vector);

static inline uint16_t load_acquire16(const uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

void park_loop(struct park_slot *me, const struct park_config *cfg,
	       uint32_t from_reset)
{
	struct mp_wakeup_mailbox *mb =
		(struct mp_wakeup_mailbox *)(uintptr_t)cfg->mailbox;
	struct park_info *info = (struct park_info *)mb->reserved_firmware;
	struct mbox_snapshot s;

	if (from_reset) {
		me->resets++;
		__atomic_add_fetch(&info->resets, 1, __ATOMIC_RELAXED);
	}
	/* Release: whoever sees PARKED may send this CPU commands. A CPU
	 * INIT put back into the park loop (park_aps() repeating its
	 * INIT-SIPI) was parked already: count it once. */
	if (__atomic_exchange_n(&me->state, PARK_SLOT_PARKED,
				__ATOMIC_RELEASE) != PARK_SLOT_PARKED)
		__atomic_add_fetch(&info->parked, 1, __ATOMIC_RELAXED);
	for (;;) {
		/* Acquire: pairs with the OS's smp_store_release() of the
		 * command; APIC ID and vector are read after it. */
		s.command = load_acquire16(&mb->command);
		if (s.command == MP_WAKEUP_CMD_NOOP) {
			__builtin_ia32_pause();
			continue;
		}
		s.apic_id = mb->apic_id;
		s.wakeup_vector = mb->wakeup_vector;
		switch (mbox_decide(&s, me->apic_id)) {
		case MBOX_WAKEUP:
			me->wakeups++;
			__atomic_add_fetch(&info->wakeups, 1,
					   __ATOMIC_RELAXED);
			__atomic_sub_fetch(&info->parked, 1, __ATOMIC_RELAXED);
			me->state = PARK_SLOT_WOKEN;
			/* Release: the vector is cached above before the
			 * acknowledgement lets the OS reuse the mailbox. */
			__atomic_store_n(&mb->command, MP_WAKEUP_CMD_NOOP,
					 __ATOMIC_RELEASE);
			park_jump(s.wakeup_vector);
		case MBOX_TEST:
			me->tests++;
			__atomic_add_fetch(&info->tests, 1, __ATOMIC_RELAXED);
			__atomic_store_n(&mb->command, MP_WAKEUP_CMD_NOOP,
					 __ATOMIC_RELEASE);
			break;
		case MBOX_IDLE:
			__builtin_ia32_pause();
			break;
		}
	}
}
