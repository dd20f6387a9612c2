/* firmware/park/park.c park_loop() and the slot lookup of
 * firmware/park/entry.S, step by step, with the firmware's own
 * mbox_decide() (firmware/shared/mbox.c) deciding. */
#include "hw/mp_wakeup.h"
#include "mbox.h"
#include "model.h"
#include "park_layout.h"

/* The acknowledgement: command = NOOP (release), after the vector was
 * cached. The OS may write its next command once it sees it. */
static void ack(struct mcpu *c)
{
	struct mbox_model *mb = &M->mbox;

	if (mb->acks++)
		violation(INV_MAILBOX_ACK, "CPU %d acknowledges command %u, "
			  "acknowledged already", c->idx, mb->seq);
	else if (mb->cur_apic != c->apic_id)
		violation(INV_MAILBOX_ACK, "CPU %d (APIC ID %u) acknowledges "
			  "a command for APIC ID %u", c->idx, c->apic_id,
			  mb->cur_apic);
	__atomic_store_n(&mb->mb.command, MP_WAKEUP_CMD_NOOP,
			 __ATOMIC_RELEASE);
	trace(c->idx, "park: acknowledges command %u", mb->seq);
}

void park_main(struct mcpu *c, bool from_reset)
{
	struct mp_wakeup_mailbox *mb = &M->mbox.mb;

	c->mode = M_PARK;
	trace_mode(c);
	trace(c->idx, "park loop%s", from_reset ? " (from the reset vector)" :
						   "");
	/* park_loop(): state = PARK_SLOT_PARKED (release). */
	c->park_slot_state = PARK_SLOT_PARKED;
	for (;;) {
		struct mbox_snapshot s;

		/* s.command = load_acquire16(&mb->command) */
		relax_point(c);
		s.command = __atomic_load_n(&mb->command, __ATOMIC_ACQUIRE);
		c->idle_spin = s.command == MP_WAKEUP_CMD_NOOP;
		if (c->idle_spin)
			continue;
		/* s.apic_id = mb->apic_id; s.wakeup_vector = ... */
		s.apic_id = mb->apic_id;
		s.wakeup_vector = MUTATION(MBOX_ACK_EARLY) ? 1 :
							     mb->wakeup_vector;
		switch (mbox_decide(&s, c->apic_id)) {
		case MBOX_WAKEUP:
			c->idle_spin = false;
			c->park_slot_state = PARK_SLOT_WOKEN;
			ack(c);
			if (MUTATION(MBOX_ACK_EARLY)) {
				point(c);
				s.wakeup_vector = mb->wakeup_vector;
			}
			/* park_jump(s.wakeup_vector) */
			point(c);
			os_ap_entry(c, s.wakeup_vector);
			return;
		case MBOX_TEST:
			ack(c);
			break;
		case MBOX_IDLE:
			break;
		}
	}
}
