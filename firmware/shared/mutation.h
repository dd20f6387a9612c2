/* Deliberate protocol breaks, one run-time switch each, for the platform
 * model (model/, docs/model.md): every one must make the model report the
 * invariant named next to it. MUTATION(x) is 0 unless the code is
 * compiled into the model (HOTCPU_MODEL), so none of them can reach the
 * firmware image. */
#ifndef FW_MUTATION_H
#define FW_MUTATION_H

/* X(ENUM, name, invariant it breaks, what it does) */
#define MUTATIONS(X)                                                         \
	X(AP_EARLY_EXIT, "ap-early-exit", "exit-before-eject",               \
	  "an AP leaves SMM when no session opened within 1 ms (the old "    \
	  "code had 20 ms)")                                                 \
	X(KEEP_COMMAND, "keep-command", "aml-clobbered",                     \
	  "the monarch leaves APM_CNT at 4, so every later SMI scans the "   \
	  "register block")                                                  \
	X(NO_DOOR, "no-door", "eject-in-smm",                                \
	  "the monarch ejects a CPU that did not park without claiming its " \
	  "door")                                                            \
	X(RSM_BEFORE_EJECT, "rsm-before-eject", "exit-before-eject",         \
	  "the monarch closes the session before the ejects")                \
	X(LOCK_BEFORE_RSM, "lock-before-rsm", "smbase-shared",               \
	  "the first-SMI stub releases its lock before RSM, not from the "   \
	  "new SMBASE")                                                      \
	X(NO_APIC_CHECK, "no-apic-check", "smbase-shared",                   \
	  "the first-SMI stub takes the first admitted entry, whatever its " \
	  "APIC ID")                                                         \
	X(MBOX_ACK_EARLY, "mbox-ack-early", "mailbox-ack",                   \
	  "a parked CPU acknowledges WAKEUP before it reads the vector")     \
	X(PARK_NO_TICK, "park-no-tick", "mailbox-unanswered",                \
	  "a parked CPU halts without its local APIC timer: only an SMI "    \
	  "ends the hlt")                                                    \
	X(NO_RELOCATE_WAIT, "no-relocate-wait", "os-unrelocated",            \
	  "the monarch gives up on a new CPU's relocation after 10 ms")      \
	X(NO_ASK, "no-ask", "exit-before-eject",                             \
	  "a CPU that had just written 4 to APM_CNT records no ask: junk "   \
	  "written over the 4 loses the AML's request")                      \
	X(ASK_CLOSED_TAKE, "ask-closed-take", "exit-before-eject",           \
	  "a CPU that had just written 4 takes a closed session that took " \
	  "a 4 for the one that took its own")                               \
	X(REFUSE_PENDING, "refuse-pending", "refused",                       \
	  "the plan refuses an insert event the AML has not cleared yet, "   \
	  "of a CPU the last session admitted")                              \
	X(RESET_ROM_HLT, "reset-rom-hlt", "mailbox-unanswered",              \
	  "a relocated CPU found in the reset state resumes in the ROM's "   \
	  "hlt loop also with the MP wakeup mailbox (the old stub)")         \
	X(EJECT_ADMITTED_ONLY, "eject-admitted-only", "exit-before-eject",   \
	  "the plan refuses the OS's eject of a CPU no SMI admitted yet "    \
	  "(the plan before 40a2c04)")                                       \
	X(EJECT_KEEPS_EVENTS, "eject-keeps-events", "os-unrelocated",        \
	  "the monarch ejects a CPU without clearing its slot's insert and " \
	  "remove events, which QEMU keeps for the CPU plugged next")         \
	X(PLUG_NO_SETTLE, "plug-no-settle", "sta-after-ej0",                 \
	  "the model's QMP client plugs a slot whose eject the guest has "   \
	  "not ended (hotcpu before 3c1e6c7; not firmware code)")            \
	X(EJECT_KEEPS_ASK, "eject-keeps-ask", "aml-clobbered",               \
	  "the monarch ejects a CPU that parked in ask() without dropping "  \
	  "its ask, which a later session then serves")                      \
	X(SLEEP_NO_RECHECK, "sleep-no-recheck", "deadlock",                  \
	  "an AP that says it may sleep halts without looking again at the " \
	  "session: a close between its look and its word wakes nobody")     \
	X(NMI_NO_SKIP, "nmi-no-skip", "deadlock",                            \
	  "the SMM NMI handler returns to the hlt of a sleep whose look it "  \
	  "interrupted (the model's nmi_entry.S): the AP halts for good")    \
	X(WAKE_NOT_TAKEN, "wake-not-taken", "nmi-spurious",                  \
	  "an AP whose sleep the monarch claimed goes on without waiting "   \
	  "for the NMI, which then reaches the OS")                          \
	X(NMI_NO_RERAISE, "nmi-no-reraise", "nmi-lost",                      \
	  "an AP leaves SMM without leaving pending an OS NMI its handler "  \
	  "took")                                                            \
	X(NMI_NO_BLOCK, "nmi-no-block", "nmi-unblocked",                     \
	  "an AP leaves SMM without blocking NMIs again: an OS NMI handler " \
	  "the SMI interrupted resumes with NMIs open")

enum mutation {
#define MUTATION_ENUM(e, name, inv, what) MUT_##e,
	MUTATIONS(MUTATION_ENUM)
#undef MUTATION_ENUM
	MUT_COUNT
};

#ifdef HOTCPU_MODEL
#include <stdbool.h>
bool model_mutation(enum mutation m);
#define MUTATION(e) model_mutation(MUT_##e)
#else
#define MUTATION(e) 0
#endif

#endif
