/* SMM on a model CPU: the platform interface the firmware's decision code
 * (firmware/shared/smm_session.c, smm_monarch.c) runs against, the two
 * SMI entry stubs as C, and the I/O ports SMM and the OS reach (APM,
 * SMI_EN, the CPU hotplug register block). */
#include <stdarg.h>
#include <string.h>

#include "debug.h"
#include "hw/cpuhp.h"
#include "hw/q35.h"
#include "model.h"
#include "smm_nmi.h"
#include "smm_session.h"

uint32_t model_slot_smbase(uint32_t slot)
{
	return MODEL_TILES + slot * SMM_TILE_SIZE - SMM_ENTRY_OFFSET;
}

/* Every SMI goes through here, where the SMI faults apply. One sent
 * through a local APIC is pending at once, in order with the INIT and
 * SIPI sent after it (KVM and TCG deliver IPIs as the ICR is written).
 * QEMU's broadcast (broadcast true) sets each vCPU's interrupt and kicks
 * it: the writer's own is pending at once (its OUT exits to QEMU), but
 * another vCPU may notice late, running on meanwhile. */
void send_smi_to(struct mcpu *t, bool broadcast)
{
	struct model *m = M;

	if (broadcast && t != self() && fault(F_SMI_DELAY, 20) &&
	    m->nr_delayed < 64) {
		m->delayed[m->nr_delayed++] = (struct delayed){
			m->now + 1 + rng_below(m, 5 * MODEL_MS), t->idx,
			DELAYED_SMI, 0 };
		return;
	}
	apic_smi(t);
	if (fault(F_SMI_DUP, 20) && m->nr_delayed < 64)
		m->delayed[m->nr_delayed++] = (struct delayed){
			m->now + 1 + rng_below(m, 5 * MODEL_MS), t->idx,
			DELAYED_SMI, 0 };
}

/* ICH9 APM_CNT (lpc_ich9.c ich9_apm_ctrl_changed): 2 and 3 switch ACPI
 * mode; anything else raises an SMI if SMI_EN.APMC is set, broadcast to
 * every vCPU that exists at that instant. */
void apm_write(struct mcpu *c, uint8_t v)
{
	struct model *m = M;

	m->apm_cnt = v;
	if (v == 2 || v == 3 || !(m->smi_en & ICH9_SMI_EN_APMC)) {
		trace(c ? c->idx : -1, "writes 0x%x to APM_CNT: no SMI", v);
		return;
	}
	trace(c ? c->idx : -1, "writes 0x%x to APM_CNT: broadcast SMI", v);
	for (uint32_t i = 0; i < m->o->max_cpus; i++) {
		struct mcpu *t = &m->cpu[i];

		if (!t->exists)
			continue;
		/* A CPU plugged at this instant can miss it (thread 004). */
		if (t != c && t->hotplugged && !t->os_callin &&
		    m->now - t->created_at < 2 * MODEL_MS &&
		    fault(F_SMI_MISS, 300)) {
			trace(t->idx, "misses the broadcast SMI");
			continue;
		}
		send_smi_to(t, true);
	}
}

/* QEMU's re-entrancy guard (system/memory.c, access_with_adjusted_size):
 * while an access to a region of a device runs, an access to any region
 * of the same device is refused ("Blocked re-entrant IO"). APM_CNT,
 * APM_STS, the PM block and the CPU hotplug block all belong to the
 * ICH9-LPC device. Only an eject runs long enough for another vCPU to
 * get in: QEMU's unplug (cpu_remove_sync()) drops the big lock inside
 * the write while it joins the vCPU's thread. A refused read returns 0
 * under TCG (memory_region_dispatch_read1() zeroes it) and whatever
 * was in the exit buffer under KVM; a refused write is lost. */
static bool lpc_blocks(const struct mcpu *c, uint16_t port)
{
	struct model *m = M;

	if (!m->lpc_busy || !c || m->lpc_busy == (uint32_t)c->idx + 1)
		return false;
	if (port != APM_CNT_PORT && port != APM_STS_PORT &&
	    (port < Q35_PMBASE || port >= Q35_PMBASE + 0x80) &&
	    (port < CPUHP_BASE_Q35 || port >= CPUHP_BASE_Q35 + CPUHP_LEN))
		return false;
	m->lpc_blocked++;
	trace(c->idx, "port 0x%x: blocked re-entrant IO (an eject runs)",
	      port);
	return true;
}

uint32_t port_read(struct mcpu *c, uint16_t port, unsigned size)
{
	struct model *m = M;

	if (lpc_blocks(c, port))
		return rng_below(m, 2) ? 0 : (uint32_t)rng_next(m);
	if (port == APM_CNT_PORT)
		return m->apm_cnt;
	if (port == APM_STS_PORT)
		return m->apm_sts;
	if (port == Q35_PMBASE + ICH9_SMI_EN)
		return m->smi_en;
	if (port >= CPUHP_BASE_Q35 && port < CPUHP_BASE_Q35 + CPUHP_LEN)
		return cpuhp_dev_read(&m->dev, port - CPUHP_BASE_Q35, size);
	(void)c;
	return size == 1 ? 0xff : size == 2 ? 0xffff : 0xffffffffu;
}

void port_write(struct mcpu *c, uint16_t port, unsigned size, uint32_t v)
{
	struct model *m = M;

	if (lpc_blocks(c, port))
		return;
	if (port == APM_CNT_PORT) {
		apm_write(c, (uint8_t)v);
	} else if (port == APM_STS_PORT) {
		m->apm_sts = (uint8_t)v;
	} else if (port == Q35_PMBASE + ICH9_SMI_EN) {
		/* GBL_SMI_EN is locked by SMI_LOCK once the firmware set
		 * it. */
		m->smi_en = (v & ~ICH9_SMI_EN_GBL_SMI) |
			    (m->smi_en & ICH9_SMI_EN_GBL_SMI);
	} else if (port >= CPUHP_BASE_Q35 &&
		   port < CPUHP_BASE_Q35 + CPUHP_LEN) {
		uint32_t off = port - CPUHP_BASE_Q35;

		if (c && c->in_smm &&
		    (off == CPUHP_W_CPU_SEL || off == CPUHP_W_CMD))
			m->block_changed_by_smm = true;
		cpuhp_dev_write(&m->dev, off, size, v);
	}
}

/* The platform interface for firmware code on the running model CPU.
 * Every call but now_us() is a scheduling point. */
static uint32_t m_io_read(void *ctx, uint16_t port, unsigned size)
{
	struct mcpu *c = self();

	(void)ctx;
	wait_us(c, 2);
	return port_read(c, port, size);
}

static void m_io_write(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	struct mcpu *c = self();

	(void)ctx;
	c->backoff = 1;
	wait_us(c, 2);
	if (port == CPUHP_BASE_Q35 + CPUHP_W_CPU_CTL &&
	    (v & CPUHP_CTL_EJECT) && !M->lpc_busy) {
		/* The join inside the write: others run meanwhile. */
		M->lpc_busy = (uint32_t)c->idx + 1;
		wait_us(c, 100 + rng_below(M, 400));
		M->lpc_busy = 0;
		port_write(c, port, size, v);
		return;
	}
	port_write(c, port, size, v);
}

/* A local APIC write of the calling CPU: a scheduling point, then the
 * CPU it names, or NULL for none. */
static struct mcpu *ipi_target(uint32_t apic_id)
{
	point(self());
	return cpu_by_apic(apic_id);
}

static int m_send_smi(void *ctx, uint32_t apic_id)
{
	struct mcpu *c = self(), *t = ipi_target(apic_id);

	(void)ctx;
	if (!t)
		return -1;
	trace(c->idx, "sends an SMI to APIC ID %u", apic_id);
	send_smi_to(t, false);
	return 0;
}

static int m_start_cpu(void *ctx, uint32_t apic_id, uint32_t page)
{
	struct mcpu *c = self(), *t = ipi_target(apic_id);

	(void)ctx;
	if (!t)
		return -1;
	trace(c->idx, "sends INIT and SIPI(0x%x) to APIC ID %u", page,
	      apic_id);
	apic_init(t);
	point(c);
	apic_sipi(t, page);
	return 0;
}

static int m_send_init(void *ctx, uint32_t apic_id)
{
	struct mcpu *c = self(), *t = ipi_target(apic_id);

	(void)ctx;
	if (!t)
		return -1;
	trace(c->idx, "sends INIT to APIC ID %u", apic_id);
	apic_init(t);
	return 0;
}

static uint64_t m_now_us(void *ctx)
{
	(void)ctx;
	return M->now;
}

static void m_relax(void *ctx)
{
	(void)ctx;
	relax_point(self());
}

/* firmware/smm/hw.c: the calling CPU's own save state. Its ROM hlt loop
 * and SIPI vectors are real-mode code; "its code" stands for any. */
static int m_saved_context(void *ctx, uint32_t slot)
{
	(void)ctx;
	switch (M->save[1 + slot].kind) {
	case CTX_RESET:
		return PLATFORM_SAVED_RESET;
	case CTX_TRAMPOLINE:
		return PLATFORM_SAVED_TRAMPOLINE;
	case CTX_VECTOR:
	case CTX_ROM_HLT:
		return PLATFORM_SAVED_REAL;
	case CTX_CONT:
		break;
	}
	return PLATFORM_SAVED_OTHER;
}

static void m_set_resume(void *ctx, uint32_t slot, int where)
{
	(void)ctx;
	M->save[1 + slot].kind = where == SMM_RESUME_TRAMPOLINE ?
					 CTX_TRAMPOLINE : CTX_ROM_HLT;
}

static uint32_t slot_of(const struct mcpu *c)
{
	return (c->smbase + SMM_ENTRY_OFFSET - MODEL_TILES) / SMM_TILE_SIZE;
}

/* firmware/smm/hw.c: the local APICs are always usable here. */
static int m_can_send(void *ctx)
{
	(void)ctx;
	return 0;
}

/* firmware/smm/hw.c hw_nmi_open(): the IRET of smm_nmi_unblock. */
static int m_nmi_open(void *ctx, uint32_t slot)
{
	struct mcpu *c = self();

	(void)ctx;
	(void)slot;
	point(c);
	trace(c->idx, "lets NMIs in (IRET in SMM)");
	c->nmi_blocked = false;
	point(c);
	return 0;
}

/* firmware/smm/nmi_entry.S smm_sleep_window..smm_sleep_out: the look,
 * then the hlt; an NMI taken at either (sleep_window) returns past the
 * hlt, one taken in it ends it. */
static void m_sleep(void *ctx, volatile uint32_t *w, uint32_t v)
{
	struct mcpu *c = self();

	(void)ctx;
	c->sleep_window = true;
	point(c);			/* an NMI here skips the look */
	if (!c->sleep_window)
		return;
	if (*w != v) {
		c->sleep_window = false;
		return;
	}
	point(c);			/* an NMI here skips the hlt */
	if (!c->sleep_window)
		return;
	c->sleep_window = false;
	c->sleep_halted = true;
	nmi_land_delayed(c);		/* hlt exits to KVM */
	trace(c->idx, "sleeps in SMM");
	while (c->sleep_halted)
		block_point(c);
}

static int m_send_nmi(void *ctx, uint32_t apic_id)
{
	struct mcpu *c = self(), *t = ipi_target(apic_id);

	(void)ctx;
	if (!t)
		return -1;
	trace(c->idx, "sends an NMI to APIC ID %u", apic_id);
	/* Its own APIC write: what KVM queued for it is pending first. */
	nmi_land_delayed(c);
	/* KVM queues it and kicks the vCPU, which may run on a while
	 * before it exits; TCG sets it pending at once. */
	if (t != c && M->o->rules == RULES_KVM && fault(F_SMI_DELAY, 20) &&
	    M->nr_delayed < 64)
		M->delayed[M->nr_delayed++] = (struct delayed){
			M->now + 1 + rng_below(M, 5 * MODEL_MS), t->idx,
			DELAYED_NMI, 0 };
	else
		nmi_send(t, false);
	return 0;
}

/* The CPU takes a pending NMI in SMM: firmware/smm/nmi_entry.S
 * smm_nmi_entry, its RIP check, then smm_nmi_taken(); IRET unblocks. */
void nmi_take(struct mcpu *c)
{
	uint8_t from = nmi_pop(c);
	const char *who = from == (NMI_FROM_OS | NMI_FROM_FW) ?
				  " (the OS's and the firmware's, merged)" :
			  from == NMI_FROM_OS ? " (the OS's)" : "";
	int r;

	/* The OS's and the firmware's NMI, pending together, are one. */
	if (from == (NMI_FROM_OS | NMI_FROM_FW))
		c->nmi_merged = true;
	if (from & NMI_FROM_OS)
		c->nmi_smm_ate++;
	if (c->sleep_halted) {
		c->sleep_halted = false;
		trace(c->idx, "an NMI%s ends its sleep", who);
	} else if (c->sleep_window && !MUTATION(NMI_NO_SKIP)) {
		c->sleep_window = false;
		trace(c->idx, "takes an NMI%s before its hlt: skips it", who);
	} else {
		trace(c->idx, "takes an NMI%s in SMM", who);
	}
	r = smm_nmi_taken(&M->st.slots[slot_of(c)]);
	if (r == SMM_NMI_IRET)
		c->nmi_blocked = false;
	else
		trace(c->idx, "returns from the NMI without IRET: NMIs blocked");
}

const struct platform model_platform = {
	.io_read = m_io_read,
	.io_write = m_io_write,
	.send_smi = m_send_smi,
	.start_cpu = m_start_cpu,
	.send_init = m_send_init,
	.now_us = m_now_us,
	.relax = m_relax,
	.saved_context = m_saved_context,
	.set_resume = m_set_resume,
	.can_send = m_can_send,
	.nmi_open = m_nmi_open,
	.sleep = m_sleep,
	.send_nmi = m_send_nmi,
};

/* firmware/smm/hw.c smm_park(): cli; hlt in SMM until QEMU destroys the
 * CPU. */
void smm_park(void)
{
	struct mcpu *c = self();

	c->smm_parked = true;
	trace(c->idx, "parks in SMM");
	for (;;)
		block_point(c);
}

/* firmware/boot/smm_stub.S: real mode to long mode on the slot's stack,
 * call handle_smi(slot) (firmware/smm/handler.c: smm_session() with
 * the hardware platform, which also picks the resume point of a CPU
 * found in the reset state), RSM. The mode switch touches nothing
 * shared: one scheduling point. */
void smm_run_stub(struct mcpu *c)
{
	struct smm_ctx ctx = {
		.st = &M->st,
		.p = &model_platform,
		.first_smi_lock = &M->first_smi_lock,
		/* firmware/smm/handler.c os_wrote_apm_cpuhp(): AL and DX in
		 * the save state of an entry from OS code. */
		.asked = (c->out_apm4 && c->saved_kind == CTX_CONT &&
			  c->mode_before_smm == M_OS) ||
			 (M->eject_pending[c->idx] &&
			  fault(F_HINT_WRONG, 1000)),
	};
	uint32_t slot = slot_of(c);

	point(c);
	smm_session(&ctx, slot);
}

/* firmware/boot/first_smi.S, step by step; each step names the
 * instructions it stands for. */
void first_smi_stub(struct mcpu *c)
{
	struct model *m = M;
	struct save_state *save = &m->save[0];
	uint32_t apic = c->apic_id, smbase = 0;

	/* "xorl %eax..cpuid..": the APIC ID from CPUID. */
	point(c);
	/* "2:..5: pause; jmp 3b": look for the APIC ID in admit[]. */
	for (;;) {
		bool found = false;

		for (uint32_t i = 0; i < m->st.nr_slots; i++) {
			uint32_t id = __atomic_load_n(&m->st.admit[i].apic_id,
						      __ATOMIC_ACQUIRE);

			if (id == apic ||
			    (MUTATION(NO_APIC_CHECK) && id != SMM_ADMIT_EMPTY)) {
				smbase = m->st.admit[i].smbase;
				found = true;
				break;
			}
		}
		if (found)
			break;
		relax_point(c);
	}
	/* "7: lock cmpxchgl %edx, FIRST_SMI_LOCK": owner APIC ID + 1, or
	 * already ours after an earlier entry whose SMBASE did not stick. */
	for (;;) {
		uint32_t want = 0;

		point(c);
		if (__atomic_compare_exchange_n(&m->first_smi_lock, &want,
						apic + 1, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED) ||
		    want == apic + 1)
			break;
		relax_point(c);
	}
	/* "8:..9:": the reset state resumes at the boot firmware's choice
	 * instead of the reset vector. */
	if (save->kind == CTX_RESET)
		save->kind = m->first_smi_resume_trampoline ? CTX_TRAMPOLINE :
							      CTX_ROM_HLT;
	/* "9: movl %edi, SAVE_SMBASE". */
	save->smbase = smbase;
	point(c);
	if (MUTATION(LOCK_BEFORE_RSM)) {
		/* The naive stub: done once the SMBASE is written. */
		for (uint32_t i = 0; i < m->st.nr_slots; i++)
			if (m->st.slots[i].apic_id == apic)
				__atomic_store_n(&m->st.slots[i].state,
						 SLOT_RELOCATED, __ATOMIC_RELEASE);
		__atomic_store_n(&m->first_smi_lock, 0, __ATOMIC_RELEASE);
		point(c);
	}
	/* "wrmsr X2APIC_MSR_ICR" / "movl $ICR_DM_SMI, LAPIC_ICR_LO": the
	 * self-SMI, held until RSM and taken at the new SMBASE. */
	trace(c->idx, "first-SMI stub: SMBASE 0x%x written, self-SMI, RSM",
	      smbase);
	apic_smi(c);
	point(c);
}

/* Host builds of the firmware's debug output: the model keeps it in the
 * trace. */
void dprintf(int level, const char *fmt, ...)
{
	va_list ap;
	char buf[200];

	(void)level;
	if (!M->o->trace)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	buf[strcspn(buf, "\n")] = 0;
	trace(M->cur, "fw: %s", buf);
}

void panic_at(const char *func, int line, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	violation(INV_DEADLOCK, "firmware panic %s:%d: %s", func, line, buf);
	for (;;)
		block_point(self());
}
