/* firmware/park/park.c park_loop() and the slot lookup of
 * firmware/park/entry.S, step by step, with the firmware's own
 * mbox_decide() (firmware/shared/mbox.c) deciding. Between looks at the
 * mailbox the CPU halts with interrupts on, woken by its local APIC
 * timer's tick every PARK_TICK_US or by an SMI (the model has no
 * NMIs). */
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

/* park_wait(): sti; hlt; cli. A tick that came while the CPU looked is
 * pending and ends the hlt at once; park_irq takes it, and ticks missed
 * meanwhile were one pending interrupt. */
static void park_wait(struct mcpu *c)
{
	c->idle_spin = c->park_halted = true;
	halt_point(c);
	c->idle_spin = c->park_halted = false;
	while (c->timer_period && c->timer_at <= M->now)
		c->timer_at += c->timer_period;
}

void park_main(struct mcpu *c, bool from_reset)
{
	struct mp_wakeup_mailbox *mb = &M->mbox.mb;

	c->mode = M_PARK;
	trace_mode(c);
	trace(c->idx, "park loop%s", from_reset ? " (from the reset vector)" :
						   "");
	/* park_loop(): timer_start(), then state = PARK_SLOT_PARKED
	 * (release). */
	if (!MUTATION(PARK_NO_TICK)) {
		c->timer_period = PARK_TICK_US * MODEL_US;
		c->timer_at = M->now + c->timer_period;
	}
	c->park_slot_state = PARK_SLOT_PARKED;
	for (;;) {
		struct mbox_snapshot s;

		/* s.command = load_acquire16(&mb->command) */
		point(c);
		s.command = __atomic_load_n(&mb->command, __ATOMIC_ACQUIRE);
		if (s.command == MP_WAKEUP_CMD_NOOP) {
			park_wait(c);
			continue;
		}
		/* s.apic_id = mb->apic_id; s.wakeup_vector = ... */
		s.apic_id = mb->apic_id;
		s.wakeup_vector = MUTATION(MBOX_ACK_EARLY) ? 1 :
							     mb->wakeup_vector;
		switch (mbox_decide(&s, c->apic_id)) {
		case MBOX_WAKEUP:
			/* timer_stop(), before the acknowledgement */
			c->timer_period = 0;
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
			park_wait(c);
			break;
		}
	}
}
