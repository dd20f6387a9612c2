/* The platform model: a deterministic simulation of QEMU's side of CPU
 * hotplug (register block, APM SMI broadcast, local APICs under KVM's or
 * TCG's INIT/SIPI/SMI rules, SMRAM and save states, vCPU preemption) and
 * of a Linux 6.12 guest, running the firmware's own hotplug decision
 * code (firmware/shared/) under seeded schedules. docs/model.md. */
#ifndef MODEL_MODEL_H
#define MODEL_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "coro.h"
#include "cpuhp_dev.h"
#include "hw/mp_wakeup.h"
#include "mutation.h"
#include "smm_layout.h"

#define MODEL_MAX_CPUS		64
#define MODEL_STACK		(64 * 1024)
#define MODEL_US		1ull	/* virtual time unit */
#define MODEL_MS		1000ull
#define MODEL_S			1000000ull

/* SMRAM: TSEG, and the tiles of relocated SMBASEs in it (the layout of
 * firmware/boot/smm_install.c: a CPU's SMBASE is tiles + slot * 4 KiB -
 * 0x8000). */
#define MODEL_TSEG_BASE		0x1f000000u
#define MODEL_TSEG_SIZE		0x01000000u
#define MODEL_TILES		(MODEL_TSEG_BASE + 0x40000u)
#define MODEL_SAVE_STATES	(MODEL_MAX_CPUS + 8)

enum model_rules { RULES_KVM, RULES_TCG };
enum model_bringup { BRINGUP_MAILBOX, BRINGUP_SIPI };

/* X(ENUM, name, what it means) */
#define INVARIANTS(X)                                                        \
	X(OS_UNRELOCATED, "os-unrelocated",                                  \
	  "a CPU runs OS code with an SMBASE the firmware did not give it")  \
	X(OS_IN_SMM, "os-in-smm",                                            \
	  "a CPU runs OS code in SMM (TCG processes a SIPI in SMM)")          \
	X(SMBASE_SHARED, "smbase-shared",                                    \
	  "two CPUs share an SMBASE, or one resumes another's saved state")  \
	X(EXIT_BEFORE_EJECT, "exit-before-eject",                            \
	  "a CPU returns to the OS while an eject the OS asked for before "  \
	  "its SMI is not done")                                             \
	X(STA_AFTER_EJ0, "sta-after-ej0",                                    \
	  "_STA after _EJ0 reads present (Linux: Eject incomplete)")         \
	X(SIPI_LOST, "sipi-lost",                                            \
	  "a CPU the OS started never ran (Linux: failed to report alive "   \
	  "state)")                                                          \
	X(MAILBOX_UNANSWERED, "mailbox-unanswered",                          \
	  "nobody acknowledged a mailbox command (Linux spins forever on "   \
	  "WAKEUP, gives up TEST after 1 s)")                                \
	X(MAILBOX_ACK, "mailbox-ack",                                        \
	  "a mailbox command acknowledged twice, by a CPU it did not name, " \
	  "or the woken CPU went to another command's vector")               \
	X(DEADLOCK, "deadlock",                                              \
	  "a CPU stays in SMM, or the VM stops making progress")             \
	X(EJECT_IN_SMM, "eject-in-smm",                                      \
	  "QEMU destroyed a CPU while it ran SMM code")                      \
	X(AML_CLOBBERED, "aml-clobbered",                                    \
	  "SMM changed the register block's selector or command under an "  \
	  "OS CPU inside a CPU hotplug AML method")                          \
	X(RESET_RERUN, "reset-rerun",                                        \
	  "a CPU left SMM into the reset vector")                            \
	X(CPU_VANISHED, "cpu-vanished",                                      \
	  "QEMU unplugged a CPU the OS had not asked to eject")             \
	X(REFUSED, "refused",                                                \
	  "the firmware refused an event of an honest QEMU and AML (no "    \
	  "junk written by the guest)")                                      \
	X(NMI_LOST, "nmi-lost",                                              \
	  "an NMI the OS sent to a CPU in SMM is not pending when it leaves " \
	  "SMM (and did not merge with the firmware's own)")                 \
	X(NMI_SPURIOUS, "nmi-spurious",                                      \
	  "the OS takes an NMI nobody sent it (Linux: NMI received for "     \
	  "unknown reason)")                                                 \
	X(NMI_UNBLOCKED, "nmi-unblocked",                                    \
	  "an SMI that interrupted the OS's NMI handler returns to it with " \
	  "NMIs open")

enum invariant {
#define INV_ENUM(e, name, what) INV_##e,
	INVARIANTS(INV_ENUM)
#undef INV_ENUM
	INV_COUNT
};

/* X(ENUM, name, what it injects) */
#define FAULTS(X)                                                            \
	X(SMI_MISS, "smi-miss",                                              \
	  "a broadcast SMI misses a CPU that is being plugged (thread 004)") \
	X(SMI_DELAY, "smi-delay",                                            \
	  "an SMI (or the firmware's NMI) reaches another CPU up to 5 ms "   \
	  "late; it runs meanwhile")                                          \
	X(SMI_DUP, "smi-dup", "an SMI arrives twice")                        \
	X(SIPI_SPURIOUS, "sipi-spurious",                                    \
	  "a third SIPI right after the OS's INIT-SIPI-SIPI")                \
	X(INIT_BAD, "init-bad",                                              \
	  "the OS's INIT-SIPI-SIPI races an SMI to the same CPU")           \
	X(JUNK, "junk",                                                      \
	  "guest userspace writes junk to port 0xB2 (also right over the "   \
	  "AML's 4) and to the register block's selector, command and data") \
	X(OVERLAP, "overlap",                                                \
	  "device_add and device_del back to back, or overlapping")          \
	X(DOUBLE_DEL, "double-del",                                          \
	  "a second QMP client sends a device_del of a CPU being unplugged") \
	X(BOOT_ADD, "boot-add", "a CPU is plugged while the firmware boots") \
	X(PREEMPT, "preempt",                                                \
	  "any vCPU thread is descheduled for up to 40 ms at any point")     \
	X(PREEMPT_BSP, "preempt-bsp",                                        \
	  "the BSP's thread is descheduled for up to 250 ms")                \
	X(USER_ONLINE, "user-online",                                        \
	  "guest userspace onlines every offline CPU it sees and offlines "  \
	  "CPUs at random, also during an eject")                              \
	X(OS_NMI, "os-nmi",                                                  \
	  "the OS (or the platform) sends NMIs to its CPUs at any moment, "  \
	  "also while they are in SMM; its NMI handler runs up to 2 ms")     \
	X(HINT_WRONG, "hint-wrong",                                          \
	  "a CPU the OS is ejecting takes an SMI with AL = 4 and DX = 0xb2 " \
	  "in its save state, as if it had just written 4: it may lead the " \
	  "session that ejects it")

enum fault {
#define FAULT_ENUM(e, name, what) F_##e,
	FAULTS(FAULT_ENUM)
#undef FAULT_ENUM
	F_COUNT
};

/* What a vCPU runs. */
enum cpu_mode {
	M_ABSENT,	/* no vCPU in this slot */
	M_WFS,		/* wait-for-SIPI (reset state) */
	M_FW,		/* firmware outside SMM: trampoline, ROM hlt loop */
	M_PARK,		/* the MP wakeup park loop */
	M_OS,		/* OS code */
	M_SMM,		/* SMM */
};

/* A saved context, as the save state holds it. CONT is the code the CPU
 * was running (its coroutine resumes); the others start the CPU anew. */
enum ctx_kind {
	CTX_CONT,	/* the interrupted code, on this CPU's stack */
	CTX_RESET,	/* the reset state (an SMI taken in wait-for-SIPI) */
	CTX_VECTOR,	/* a SIPI's vector, before its first instruction */
	CTX_TRAMPOLINE,	/* the AP trampoline (first-SMI stub's resume) */
	CTX_ROM_HLT,	/* the ROM's hlt loop (first-SMI stub's resume) */
};

struct save_state {
	uint32_t smbase;	/* the SMBASE field RSM loads */
	enum ctx_kind kind;	/* what RSM resumes (a stub may change it) */
	uint64_t vector;
	int owner;		/* CPU whose entry wrote it */
	enum ctx_kind entry_kind;	/* as that entry wrote it */
	uint64_t entry_vector;
};

/* Where a (re)started CPU begins. */
enum cpu_start {
	START_WFS,
	START_VECTOR,		/* OS AP entry at a SIPI or wakeup vector */
	START_TRAMPOLINE,	/* AP trampoline: wait mode (boot) or park */
	START_ROM_HLT,
	START_RESET_VECTOR,	/* the firmware's reset vector, as an AP */
	START_PARK_RESET,	/* OS offlined it through the reset vector */
	START_OS_BSP,		/* the BSP's boot, then its OS */
};

struct mcpu {
	int idx;
	uint32_t apic_id;
	bool exists;
	enum cpu_mode mode;
	bool in_smm, halted;
	bool halt_if;		/* halted with interrupts on (sti; hlt) */
	/* The local APIC timer's periodic tick (the park loop's): next due
	 * at timer_at; period 0 when it is stopped. */
	uint64_t timer_at, timer_period;
	bool park_halted;	/* halted in the park loop's park_wait() */
	uint32_t smbase;
	/* Local APIC state. KVM keeps an SMI that reached a CPU in
	 * wait-for-SIPI as a request (smi_req), which survives INIT, and
	 * turns it into a pending SMI once the CPU runs; INIT clears a
	 * pending one. TCG has one pending bit. */
	bool smi_req, smi_pending, init_pending, sipi_pending;
	uint64_t sipi_vector;
	bool tcg_wait_for_sipi;
	/* Execution */
	struct coro co;
	enum cpu_start start;
	uint64_t start_vector;
	bool restart;		/* drop the coroutine, begin at start */
	uint64_t ready_at;	/* virtual time it may run again */
	uint32_t backoff;	/* relax() cost, doubling while it spins */
	uint64_t smm_since;
	uint64_t smm_entry_step;
	bool smm_parked;	/* in smm_park() */
	int ej0_target;		/* the CPU its _EJ0 is for, or -1 */
	/* Its last instruction was the AML's "out %al, (%dx)" of 4 to
	 * APM_CNT: the registers an SMI taken now saves (smm_ctx.asked). */
	bool out_apm4;
	/* OS view */
	bool os_present, os_online, os_callin, os_dying, os_dead;
	bool os_ejected_req;	/* the OS asked the firmware to eject it */
	uint64_t woken_vector;	/* mailbox: vector of its WAKEUP */
	int park_slot_state;	/* PARK_SLOT_*, for the mailbox */
	bool os_expect_start;	/* the OS is bringing it up */
	bool os_added;		/* the OS has its processor device */
	bool ever_online;	/* online at least once since its plug */
	uint64_t created_at;
	bool hotplugged;	/* device_add'ed, not a boot CPU */
	bool idle_spin;		/* spins with nothing to do (park loop) */
	bool idle_was;
	/* What its last SMM entry saved, to tell its own state. */
	enum cpu_mode mode_before_smm;
	enum ctx_kind saved_kind;
	uint64_t saved_vector;
	uint32_t smm_entries;
	/* NMIs pending: up to two under KVM's rules, one under TCG's, each
	 * with who sent it (NMI_FROM_*; merged ones have both). Blocked
	 * from SMM entry (or the OS's NMI handler) until an IRET; blocked
	 * when the SMI came (nmi_inside: RSM then leaves the mask alone,
	 * KVM and TCG alike). nmi_os_out: the OS's NMIs not yet taken by
	 * the OS (SMM's included); nmi_smm_ate: the OS's NMIs SMM took in
	 * this stay; nmi_merged: one of them merged with the firmware's. */
	uint8_t nmiq[2], nmi_n;
	bool nmi_blocked, nmi_inside, nmi_merged;
	uint32_t nmi_os_out, nmi_smm_ate;
	uint64_t os_nmi_until;	/* the OS's NMI handler IRETs then */
	/* In firmware/smm/nmi_entry.S smm_sleep: between the look and the
	 * hlt (sleep_window), or halted (sleep_halted). */
	bool sleep_window, sleep_halted;
	bool smm_torn;		/* TCG's INIT or SIPI ended an SMI of it */
};

/* The MP wakeup mailbox and what the invariant checks need. */
struct mbox_model {
	struct mp_wakeup_mailbox mb;
	uint32_t seq;		/* commands written */
	uint32_t acked_seq;	/* last command acknowledged */
	int acks;		/* acknowledgements of the current command */
	uint16_t cur_cmd;
	uint32_t cur_apic;
	uint64_t cur_vector;
};

/* One OS work item, run by whichever online CPU takes it. */
enum work_kind { W_SCAN, W_ADD, W_REMOVE, W_UP, W_DOWN, W_JUNK };

struct work {
	enum work_kind kind;
	int cpu;		/* target, for ADD/REMOVE/UP/DOWN */
};

#define MODEL_WORK_MAX	256

struct model_opts {
	enum model_rules rules;
	enum model_bringup bringup;
	uint32_t cpus, max_cpus, cycles;
	uint64_t faults;	/* 1 << F_* */
	bool mutation[MUT_COUNT];
	bool trace;		/* keep every step for --replay */
	const char *trace_json;	/* Chrome trace event file */
};

struct trace_ev;
struct shrink;

enum { DELAYED_SMI, DELAYED_SIPI, DELAYED_INIT, DELAYED_NMI };
#define NMI_FROM_OS	1
#define NMI_FROM_FW	2

/* The whole simulated VM: one per schedule, reset for the next. */
struct model {
	const struct model_opts *o;
	uint64_t seed, rng;
	uint64_t now, step;
	struct mcpu cpu[MODEL_MAX_CPUS];
	struct coro host_co, sched_co;
	uint64_t host_ready_at;
	bool host_done;
	int cur;		/* running CPU, -1 for the host */
	/* Devices */
	struct cpuhp_dev dev;
	uint8_t apm_cnt, apm_sts;
	uint32_t smi_en;
	bool sci_pending;
	/* SMM wrote the register block's selector or command since the
	 * last AML write of them (aml-clobbered). */
	bool block_changed_by_smm;
	/* 1 + the CPU whose eject write is under way (QEMU's re-entrancy
	 * guard on the ICH9-LPC device), or 0; accesses it refused. */
	uint32_t lpc_busy;
	uint64_t lpc_blocked;
	/* SMRAM */
	struct smm_state st;
	uint32_t first_smi_lock;
	bool first_smi_resume_trampoline;	/* else the ROM hlt loop */
	struct save_state save[MODEL_SAVE_STATES + 1];
	uint16_t trampoline_count;
	bool trampoline_park;
	/* MP wakeup */
	struct mbox_model mbox;
	bool mbox_on;
	/* OS */
	bool os_up;
	int cplk;		/* CPU holding the AML mutex, or -1 */
	int hotplug_lock;	/* device_hotplug_lock holder, or -1 */
	struct work work[MODEL_WORK_MAX];
	uint32_t work_head, work_tail;
	bool wq_busy[3];	/* an ordered workqueue runs an item */
	/* Pending ejects the OS asked for: the step of the SMI write. */
	uint64_t eject_asked[MODEL_MAX_CPUS];
	bool eject_pending[MODEL_MAX_CPUS];
	/* Junk overwrote that request's 4 (fault junk): only its asker,
	 * which holds the AML's lock, must wait for the eject. */
	bool eject_junked[MODEL_MAX_CPUS];
	int eject_asker[MODEL_MAX_CPUS];
	/* Host (QMP) */
	uint32_t cycles_done;
	uint32_t nmi_merged;	/* OS NMIs that merged with the firmware's */
	uint32_t nmi_torn;	/* firmware NMIs the OS took after smm_torn */
	bool host_unplugging[MODEL_MAX_CPUS];
	/* F_DOUBLE_DEL: a second client's device_del of this slot may have
	 * left QEMU's remove event set past the eject; a third client plugs
	 * the slot while the guest's eject of the absent CPU is under way. */
	bool foreign_armed[MODEL_MAX_CPUS];
	uint64_t time_limit;
	/* Result */
	enum invariant violated;
	bool failed;
	uint64_t fail_step, fail_time;
	char fail_msg[256];
	/* Faults: every decision numbered, for the shrinker. */
	uint32_t fault_seq;
	struct shrink *shrink;
	/* Delayed events (SMI_DELAY, SMI_DUP, SIPI_SPURIOUS, INIT_BAD) */
	struct delayed { uint64_t at; int cpu; int what; uint64_t vec; } delayed[64];
	int nr_delayed;
	/* Trace */
	struct trace_ev *tr;
	uint32_t nr_tr, cap_tr;
	uint64_t trace_from;
};

extern struct model *M;

/* vm.c */
void model_alloc(struct model *m);
void model_reset(struct model *m, uint64_t seed);

/* sched.c */
uint64_t rng_next(struct model *m);
uint32_t rng_below(struct model *m, uint32_t n);
bool fault(enum fault f, uint32_t per_mille);
void point(struct mcpu *c);		/* a scheduling point */
void relax_point(struct mcpu *c);	/* a spin-loop iteration */
void block_point(struct mcpu *c);	/* halted until an event */
void halt_point(struct mcpu *c);	/* sti; hlt: also a timer tick */
void wait_us(struct mcpu *c, uint64_t us);
struct mcpu *self(void);
void host_wait_us(uint64_t us);
int model_run_schedule(struct model *m, uint64_t seed);
void violation(enum invariant inv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cpu_restart(struct mcpu *c, enum cpu_start start, uint64_t vector);

/* cpu.c */
void apic_smi(struct mcpu *c);
void apic_init(struct mcpu *c);
void apic_sipi(struct mcpu *c, uint64_t vector);
bool cpu_deliver(struct mcpu *c);
void cpu_before_run(struct mcpu *c);
void cpu_create(struct mcpu *c, enum cpu_start start);
void cpu_main(void *arg);
struct mcpu *cpu_by_apic(uint32_t apic_id);
void smm_enter(struct mcpu *c, enum ctx_kind kind, uint64_t vector);
void nmi_send(struct mcpu *t, bool from_os);
uint8_t nmi_pop(struct mcpu *c);
void nmi_land_delayed(struct mcpu *c);
void os_nmi_random(void);
void cpu_destroy(struct mcpu *c);

/* smm.c: the firmware's SMM code on a model CPU */
extern const struct platform model_platform;
void smm_run_stub(struct mcpu *c);
void nmi_take(struct mcpu *c);
void first_smi_stub(struct mcpu *c);
uint32_t model_slot_smbase(uint32_t slot);
void apm_write(struct mcpu *c, uint8_t v);
void send_smi_to(struct mcpu *t, bool broadcast);
uint32_t port_read(struct mcpu *c, uint16_t port, unsigned size);
void port_write(struct mcpu *c, uint16_t port, unsigned size, uint32_t v);

/* boot.c */
void fw_boot(struct mcpu *bsp);
void ap_trampoline(struct mcpu *c);
void rom_hlt(struct mcpu *c);

/* park.c */
void park_main(struct mcpu *c, bool from_reset);

/* os.c */
void os_bsp_main(struct mcpu *c);
void os_ap_entry(struct mcpu *c, uint64_t vector);
void os_sci(void);
void os_queue(enum work_kind k, int cpu);
bool os_has_work(void);
bool os_has_work_for(const struct mcpu *c);

/* host.c */
void host_main(void *arg);
void host_foreign_plug(int idx);

/* check.c */
const char *invariant_name(enum invariant inv);
void check_os_code(struct mcpu *c);
struct save_state;
void check_rsm(struct mcpu *c, const struct save_state *s);
void check_rsm_nmi(struct mcpu *c);
void check_eject(struct mcpu *c);
void check_step(void);
void check_end(void);

/* trace.c */
void trace(int cpu, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void trace_mode(struct mcpu *c);
void trace_reset(struct model *m);
void trace_print(struct model *m, FILE *f, bool shrunk);
void trace_chrome(struct model *m, const char *path);

#endif
