/* The platform interface the hotplug decision logic is written against:
 * firmware/smm/hw.c implements it on the hardware, the unit tests on a
 * fake register block, the platform model on its simulated devices. */
#ifndef FW_PLATFORM_H
#define FW_PLATFORM_H

#include <stdint.h>

struct platform {
	void *ctx;
	uint32_t (*io_read)(void *ctx, uint16_t port, unsigned size);
	void (*io_write)(void *ctx, uint16_t port, unsigned size, uint32_t v);
	/* Directed SMI to a local APIC ID; -1 if it cannot be sent. */
	int (*send_smi)(void *ctx, uint32_t apic_id);
	/* INIT, then one SIPI to the 4 KiB page at page (below 1 MiB). Only
	 * for a CPU known not to be in SMM. -1 if it cannot be sent. */
	int (*start_cpu)(void *ctx, uint32_t apic_id, uint32_t page);
	/* INIT alone: back to wait-for-SIPI. Same rule. */
	int (*send_init)(void *ctx, uint32_t apic_id);
	uint64_t (*now_us)(void *ctx);
	/* Called in every wait loop: pause on hardware, a scheduling point
	 * in the model. */
	void (*relax)(void *ctx);
	/* Sleeping in SMM (firmware/shared/smm_nmi.c); all four may be
	 * NULL: then nobody sleeps. can_send: whether this CPU can send
	 * NMIs (its local APIC is on, where boot found it), 0 or -1.
	 * nmi_open: the same for taking them, then lets NMIs in (SMM
	 * entry blocks them until an IRET), 0 or -1. sleep: halts while
	 * *w == v, until an NMI; the look and the halt are one step for an
	 * NMI (it skips the halt). send_nmi: an NMI to a local APIC ID, the
	 * caller's own too; -1 if it cannot be sent. */
	int (*can_send)(void *ctx);
	int (*nmi_open)(void *ctx, uint32_t slot);
	void (*sleep)(void *ctx, volatile uint32_t *w, uint32_t v);
	int (*send_nmi)(void *ctx, uint32_t apic_id);
	/* What this SMI interrupted on the CPU of slot, from that CPU's own
	 * save state: PLATFORM_SAVED_* below. */
	int (*saved_context)(void *ctx, uint32_t slot);
	/* RSM resumes the CPU of slot in real mode at where
	 * (SMM_RESUME_*, smm_layout.h). */
	void (*set_resume)(void *ctx, uint32_t slot, int where);
};

/* Real mode at 0xffff:fff0 with CR0.PE clear: where INIT leaves a CPU,
 * and where a new vCPU waits for SIPI; TCG takes SMIs there. */
#define PLATFORM_SAVED_RESET		1
/* Real mode at the AP trampoline's first instruction. */
#define PLATFORM_SAVED_TRAMPOLINE	2
/* Other real-mode code. */
#define PLATFORM_SAVED_REAL		3
#define PLATFORM_SAVED_OTHER		4

#endif
