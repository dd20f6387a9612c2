/* What a parked AP does with what it finds in the MP wakeup mailbox: the
 * decision alone, so it can be tested on the host with any command. */
#ifndef FW_MBOX_H
#define FW_MBOX_H

#include <stdint.h>

#include "hw/mp_wakeup.h"

enum mbox_action {
	MBOX_IDLE,	/* nothing for this CPU: keep polling */
	MBOX_WAKEUP,	/* read the vector, acknowledge, jump */
	MBOX_TEST,	/* acknowledge: this CPU is in firmware hands */
};

/* The OS half of the mailbox as one AP read it: command first
 * (acquire), then the rest. */
struct mbox_snapshot {
	uint16_t command;
	uint32_t apic_id;
	uint64_t wakeup_vector;
};

/* Only a command naming this CPU's APIC ID is acted on; an unknown
 * command, another CPU's (or no parked CPU's) APIC ID, or a vector of 0
 * leaves the mailbox untouched for its owner, or for the OS to rewrite.
 * A WAKEUP for a CPU already woken finds no parked CPU with its APIC ID,
 * so nobody acts on it. */
enum mbox_action mbox_decide(const struct mbox_snapshot *s, uint32_t apic_id);

#endif
