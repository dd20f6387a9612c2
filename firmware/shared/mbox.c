/* MP wakeup mailbox decisions (ACPI 6.6 5.2.12.19). */
#include "mbox.h"

enum mbox_action mbox_decide(const struct mbox_snapshot *s, uint32_t apic_id)
{
	if (s->apic_id != apic_id)
		return MBOX_IDLE;
	switch (s->command) {
	case MP_WAKEUP_CMD_WAKEUP:
		/* Linux always passes its trampoline; 0 cannot be code. */
		return s->wakeup_vector ? MBOX_WAKEUP : MBOX_IDLE;
	case MP_WAKEUP_CMD_TEST:
		return MBOX_TEST;
	default:
		return MBOX_IDLE;
	}
}
