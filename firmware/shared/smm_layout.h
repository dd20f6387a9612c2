/* SMRAM layout and the shared data in it: written by the boot firmware
 * (firmware/boot/smm_setup.c), used by the SMM module (firmware/smm/), the
 * first-SMI stub (firmware/boot/first_smi.S) and the unit tests.
 * docs/smm-cpu-hotplug.md draws it. */
#ifndef FW_SMM_LAYOUT_H
#define FW_SMM_LAYOUT_H

#include "hw/q35.h"
#include "hw/smm.h"

/* Possible CPUs the firmware can protect; QEMU's q35 allows 288 today.
 * Each costs a 4 KiB tile (entry stub, GDT, a save state) and a stack. */
#define SMM_MAX_CPUS		512
#define SMM_STACK_SIZE		8192
#define SMM_TILE_SIZE		0x1000
/* Entry stubs share pages with save states: the stub of slot k and the
 * save state of slot k-7 live in the same tile, so a stub, its data and
 * its GDT must end before the save state at tile offset 0xe00. */
#define SMM_STUB_MAX		0xe00
#define SMM_TILES_EXTRA		8	/* save states of the last 7 slots */

/* First-SMI area: SMRAM at the default SMBASE (0x30000-0x4ffff) once
 * MCH_F_SMBASE is locked. Data page at 0x30000, stub at 0x38000, the
 * shared default save state at 0x3fe00. If you change the data layout,
 * update firmware/boot/first_smi.S, which uses these offsets. */
#define FIRST_SMI_DATA		SMRAM_DEFAULT_BASE
#define FIRST_SMI_STUB		(SMM_DEFAULT_SMBASE + SMM_ENTRY_OFFSET)
#define FIRST_SMI_LOCK		0x00	/* u32: owner APIC ID + 1, 0 free */
#define FIRST_SMI_ADMIT		0x04	/* u32: linear address of admit[] */
#define FIRST_SMI_NR_ADMIT	0x08	/* u32: entries in admit[] */
#define FIRST_SMI_XAPIC		0x0c	/* u32: the only xAPIC base used */
/* Where a CPU that entered from the reset state resumes: real mode at
 * this CS selector, base and IP. */
#define FIRST_SMI_RESUME_SEL	0x10	/* u32 */
#define FIRST_SMI_RESUME_BASE	0x14	/* u32 */
#define FIRST_SMI_RESUME_IP	0x18	/* u32 */

/* Slot states. A slot is a possible CPU, indexed by its hotplug
 * register-block selector; its SMBASE never changes. */
#define SLOT_ABSENT		0	/* not present, nothing admitted */
#define SLOT_ADMITTED		1	/* may relocate at its next SMI */
#define SLOT_RELOCATED		2	/* runs at its SMBASE: takes part in sessions */

/* What delivering an SMI to a CPU in wait-for-SIPI does, measured at
 * boot: TCG takes it at once, KVM (like hardware) latches it until the
 * CPU leaves wait-for-SIPI. */
#define SMM_RULES_TAKEN		1
#define SMM_RULES_LATCHED	2
/* Where RSM resumes a CPU that SMM takes out of the reset state: the AP
 * trampoline at AP_TRAMPOLINE (the MP wakeup park loop at run time), or
 * the ROM's hlt loop, where a SIPI finds it as in wait-for-SIPI. */
#define SMM_RESUME_TRAMPOLINE	1
#define SMM_RESUME_ROM_HLT	2

#define SMM_ADMIT_EMPTY		0xffffffffu
#define SMM_STATE_MAGIC		0x534d4d53	/* "SMMS" */
#define SMM_MODULE_MAGIC	0x4d4d5348	/* "HSMM" */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Read by the first-SMI stub: an admitted APIC ID and its new SMBASE. */
struct smm_admit {
	uint32_t apic_id;
	uint32_t smbase;
};
_Static_assert(sizeof(struct smm_admit) == 8, "admit entry");

struct first_smi_data {
	uint32_t lock;
	uint32_t admit;
	uint32_t nr_admit;
	uint32_t xapic_base;
	uint32_t resume_cs_sel;
	uint32_t resume_cs_base;
	uint32_t resume_ip;
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct first_smi_data, admit) ==
		       FIRST_SMI_ADMIT, "first-SMI admit");
_Static_assert(__builtin_offsetof(struct first_smi_data, xapic_base) ==
		       FIRST_SMI_XAPIC, "first-SMI xapic");
_Static_assert(__builtin_offsetof(struct first_smi_data, resume_ip) ==
		       FIRST_SMI_RESUME_IP, "first-SMI resume");

/* A slot's door (smm_slot.door): who may run SMM code for it. */
#define DOOR_OUT		0	/* the CPU runs no SMM C code */
#define DOOR_IN			1	/* the CPU runs SMM C code */
#define DOOR_CLAIMED		2	/* the monarch ejects it: it must not */

struct smm_slot {
	uint32_t apic_id;	/* recorded at boot from the register block */
	uint32_t smbase;
	uint32_t state;		/* SLOT_* */
	uint32_t door;		/* DOOR_*; CAS by the CPU and the monarch */
	/* Rendezvous bookkeeping in session numbers
	 * (firmware/shared/smm_session.c). */
	uint32_t eject;		/* written by the monarch */
	uint32_t parked;	/* written by the CPU */
	/* SMM_ASK_WAITING, set by the CPU after its own write of 4; the
	 * monarch replaces it with the session that scans for it. */
	uint32_t ask;
	/* An AP asleep in a session (firmware/shared/smm_nmi.c): SMM_SLEEP_*,
	 * CAS by the CPU and the monarch. */
	uint32_t sleep;
	/* The CPU's own, for one SMI: NMIs its SMM handler returned from,
	 * wakes among them, the re-block's state (SMM_NMI_BLOCK_*), and
	 * whether it unblocked NMIs. */
	uint32_t nmis;
	uint32_t wakes;
	uint32_t nmi_block;
	uint32_t nmi_open;
};

#define SMM_SLEEP_AWAKE		0
#define SMM_SLEEP_READY		1	/* may halt; wake it with an NMI */
#define SMM_SLEEP_CLAIMED	2	/* the monarch sends the NMI */
#define SMM_SLEEP_SENT		3	/* the NMI is pending or taken */

#define SMM_NMI_BLOCK_ARMED	1	/* the next NMI returns without IRET */
#define SMM_NMI_BLOCK_DONE	2

#define SMM_ASK_WAITING		2	/* even: never a session number */

struct smm_stats {
	uint32_t sessions;
	uint32_t admitted, relocated, ejected, refused;
	uint32_t resent_smis;
	uint32_t asks;		/* scans for a CPU whose 4 was overwritten */
	/* Relocated CPUs that took an SMI in the reset state (after an
	 * INIT), or whose relocation's RSM loaded another CPU's entry. */
	uint32_t reset_resumes;
};

/* Times of the sessions' phases (firmware/shared/smm_phase.c). */
struct smm_phase {
	/* The session the earliest waiter waits for (high half) and its
	 * SMM entry in us (low half). */
	uint64_t first_wait;
	uint32_t closed_us;	/* the last close, low 32 bits of us */
	uint32_t in;		/* APs in a session, joined and not left */
	uint32_t held;		/* APs that joined since the last exit line */
	uint32_t halted;	/* of them, APs that slept (smm_nmi.c) */
};

/* The SMM module's state, at a fixed offset in its image
 * (smm_module_header.state), filled in by the boot firmware. */
struct smm_state {
	uint32_t magic;		/* SMM_STATE_MAGIC once installed */
	uint32_t nr_slots;	/* possible CPUs */
	uint32_t bsp_slot;
	uint32_t rules;		/* SMM_RULES_* */
	uint64_t features;	/* negotiated SMI features */
	uint64_t tsc_per_us;	/* for timeouts and timestamps */
	uint64_t tsc_at_t0;
	uint64_t t0_us;		/* guest time (PM timer) at tsc_at_t0 */
	uint32_t xapic_base;	/* the only local APIC base SMM will use */
	uint32_t boot_done;	/* set right before the OS runs */
	uint32_t park;		/* new CPUs go to the MP wakeup park loop */
	uint32_t rom_hlt_ip;	/* rom_hlt_loop - 0xffff0000 */
	/* Rendezvous session number: odd while the monarch holds one. */
	uint32_t session;
	/* Session whose exit phase began: ejects marked, the rest wait. */
	uint32_t exit;
	/* Last session that took a 4 from APM_CNT. */
	uint32_t took4;
	/* Session whose monarch can send NMIs: its APs may sleep. */
	uint32_t wake_ok;
	/* The slots' SMM stacks, SMM_STACK_SIZE each: the NMI handler finds
	 * its CPU's slot from its stack pointer. */
	uint64_t stacks;
	struct smm_stats stats;
	struct smm_phase phase;
	struct smm_admit admit[SMM_MAX_CPUS];
	struct smm_slot slots[SMM_MAX_CPUS];
};


/* At offset 0 of the SMM module image (firmware/smm/smm.lds). */
struct smm_module_header {
	uint32_t magic;		/* SMM_MODULE_MAGIC */
	uint32_t image_size;	/* bytes stored in the firmware */
	uint32_t mem_size;	/* with bss */
	uint32_t entry;		/* offset of handle_smi(slot) */
	uint32_t state;		/* offset of struct smm_state */
	uint32_t exception_stubs; /* offset of 32 stubs, 16 bytes apart */
	uint32_t nmi_entry;	/* offset of smm_nmi_entry, IDT vector 2 */
} __attribute__((packed));


#endif /* __ASSEMBLER__ */

#endif
