/* Fuzz target: the MP wakeup mailbox decision, mbox_decide() in
 * firmware/shared/mbox.c, for a set of parked APs polling a sequence of
 * mailbox contents the OS (or anyone) wrote. Checks, per ACPI 6.6
 * 5.2.12.19 and mbox.h: only the AP whose APIC ID the mailbox names
 * acts; it wakes only on WAKEUP with a nonzero vector, acknowledges
 * TEST, and ignores every other command; a woken AP leaves the park, so
 * a repeated WAKEUP finds nobody.
 *
 * Input: AP count - 1 (u8, up to 16), their APIC IDs (u32 each), then
 * mailbox contents to the end: command (u16), APIC ID (u32), wakeup
 * vector (u64). */
#include <string.h>

#include "fuzz.h"
#include "mbox.h"

#define MAX_APS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t ids[MAX_APS];
	int parked[MAX_APS];
	unsigned n, acts;
	struct fuzz_in in;

	fuzz_in_init(&in, data, size);
	n = (unsigned)fuzz_u(&in, 1) % MAX_APS + 1;
	for (unsigned i = 0; i < n; i++) {
		ids[i] = (uint32_t)fuzz_u(&in, 4);
		parked[i] = 1;
		/* APIC IDs are unique; a repeated one is not parked twice. */
		for (unsigned j = 0; j < i; j++)
			if (ids[j] == ids[i])
				parked[i] = 0;
	}
	while (in.left) {
		struct mbox_snapshot s;

		s.command = (uint16_t)fuzz_u(&in, 2);
		s.apic_id = (uint32_t)fuzz_u(&in, 4);
		s.wakeup_vector = fuzz_u(&in, 8);
		acts = 0;
		for (unsigned i = 0; i < n; i++) {
			enum mbox_action a;

			if (!parked[i])
				continue;
			a = mbox_decide(&s, ids[i]);
			if (a == MBOX_IDLE)
				continue;
			acts++;
			fuzz_check(s.apic_id == ids[i],
				   "AP 0x%x acts on a command for 0x%x", ids[i],
				   s.apic_id);
			if (a == MBOX_WAKEUP) {
				fuzz_check(s.command == MP_WAKEUP_CMD_WAKEUP &&
						   s.wakeup_vector,
					   "wakes on command %u, vector 0x%llx",
					   s.command,
					   (unsigned long long)s.wakeup_vector);
				parked[i] = 0;
			} else {
				fuzz_check(a == MBOX_TEST &&
						   s.command == MP_WAKEUP_CMD_TEST,
					   "action %d on command %u", a,
					   s.command);
			}
		}
		fuzz_check(acts <= 1, "%u APs act on one command", acts);
		/* The named AP, still parked, acts on WAKEUP and TEST. */
		for (unsigned i = 0; i < n; i++)
			if (parked[i] && ids[i] == s.apic_id &&
			    (s.command == MP_WAKEUP_CMD_TEST ||
			     (s.command == MP_WAKEUP_CMD_WAKEUP &&
			      s.wakeup_vector)))
				fuzz_check(acts == 1, "AP 0x%x ignores command %u",
					   ids[i], s.command);
	}
	return 0;
}
