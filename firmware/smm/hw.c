/* The platform interface on real (virtual) hardware, for SMM. Nothing
 * the OS controls is trusted: the local APIC is used only at the base
 * recorded at boot, or through x2APIC MSRs. */
#include "hw/apic.h"
#include "hw/smm.h"
#include "hw/x86.h"
#include "debug.h"
#include "io.h"
#include "layout.h"
#include "smm_layout.h"
#include "smm_session.h"

void smm_hw_platform(struct platform *p, struct smm_state *st);
struct smm_save_state_64 *smm_save_state(struct smm_state *st, uint32_t slot);

static void xapic_wait_idle(uint64_t base)
{
	for (int i = 0; i < 100000; i++) {
		if (!(mmio_readl(base + LAPIC_ICR_LO) & ICR_DELIVERY_PENDING))
			return;
		cpu_relax();
	}
}

/* This CPU's local APIC, if SMM may use it: on, and in x2APIC mode or
 * at the xAPIC base boot recorded (an OS-moved xAPIC could point the
 * MMIO writes into SMRAM). Returns the MSR, or 0. */
static uint64_t usable_apic(const struct smm_state *st)
{
	uint64_t apic_base = rdmsr(MSR_IA32_APIC_BASE);

	if (!(apic_base & MSR_APIC_BASE_EN))
		return 0;
	if (!(apic_base & MSR_APIC_BASE_EXTD) &&
	    (apic_base & ~0xfffull) != st->xapic_base)
		return 0;
	return apic_base;
}

static int hw_ipi(struct smm_state *st, uint32_t apic_id, uint32_t icr)
{
	uint64_t apic_base = usable_apic(st);
	uint64_t base = apic_base & ~0xfffull;
	uint32_t saved_hi;

	if (!apic_base)
		return -1;
	if (apic_base & MSR_APIC_BASE_EXTD) {
		wrmsr(X2APIC_MSR_ICR, (uint64_t)apic_id << 32 | icr);
		return 0;
	}
	if (apic_id > 0xff)
		return -1;
	/* The OS may have been interrupted between its own ICR_HI and
	 * ICR_LO writes: put its destination back afterwards. */
	saved_hi = mmio_readl(base + LAPIC_ICR_HI);
	xapic_wait_idle(base);
	mmio_writel(base + LAPIC_ICR_HI, apic_id << LAPIC_ID_SHIFT);
	mmio_writel(base + LAPIC_ICR_LO, icr);
	xapic_wait_idle(base);
	mmio_writel(base + LAPIC_ICR_HI, saved_hi);
	return 0;
}

static int hw_send_smi(void *ctx, uint32_t apic_id)
{
	return hw_ipi(ctx, apic_id, ICR_DM_SMI);
}

static int hw_start_cpu(void *ctx, uint32_t apic_id, uint32_t page)
{
	if (hw_ipi(ctx, apic_id, ICR_DM_INIT | ICR_LEVEL_ASSERT))
		return -1;
	return hw_ipi(ctx, apic_id, ICR_DM_STARTUP | ICR_VECTOR(page >> 12));
}

static int hw_send_init(void *ctx, uint32_t apic_id)
{
	return hw_ipi(ctx, apic_id, ICR_DM_INIT | ICR_LEVEL_ASSERT);
}

void smm_nmi_unblock(void);
void smm_sleep(volatile uint32_t *w, uint32_t v);

static int hw_can_send(void *ctx)
{
	return usable_apic(ctx) ? 0 : -1;
}

/* The monarch's NMI must find this CPU: its APIC on, under the APIC ID
 * the slot recorded at boot. */
static int hw_nmi_open(void *ctx, uint32_t slot)
{
	struct smm_state *st = ctx;
	uint64_t apic_base = usable_apic(st);
	uint32_t id;

	if (!apic_base || slot >= st->nr_slots)
		return -1;
	if (apic_base & MSR_APIC_BASE_EXTD)
		id = (uint32_t)rdmsr(X2APIC_MSR_BASE + (LAPIC_ID >> 4));
	else
		id = mmio_readl((apic_base & ~0xfffull) + LAPIC_ID) >>
		     LAPIC_ID_SHIFT;
	if (id != st->slots[slot].apic_id)
		return -1;
	smm_nmi_unblock();
	return 0;
}

static void hw_sleep(void *ctx, volatile uint32_t *w, uint32_t v)
{
	(void)ctx;
	smm_sleep(w, v);
}

static int hw_send_nmi(void *ctx, uint32_t apic_id)
{
	return hw_ipi(ctx, apic_id, ICR_DM_NMI);
}

static uint64_t hw_now_us(void *ctx)
{
	struct smm_state *st = ctx;

	return (rdtsc() - st->tsc_at_t0) / st->tsc_per_us + st->t0_us;
}

static void hw_relax(void *ctx)
{
	(void)ctx;
	cpu_relax();
}

/* The save state of the CPU in slot, at its SMBASE + 0xfe00: the calling
 * CPU's own (handle_smi's slot). */
struct smm_save_state_64 *smm_save_state(struct smm_state *st, uint32_t slot)
{
	return (struct smm_save_state_64 *)(uintptr_t)(
		st->slots[slot].smbase + SMM_SAVE_STATE_OFFSET);
}

static int hw_saved_context(void *ctx, uint32_t slot)
{
	const struct smm_save_state_64 *ss = smm_save_state(ctx, slot);

	if (ss->cr0 & X86_CR0_PE)
		return PLATFORM_SAVED_OTHER;
	if (ss->cs.base == 0xffff0000u && ss->rip == 0xfff0)
		return PLATFORM_SAVED_RESET;
	if (ss->cs.base == AP_TRAMPOLINE && ss->rip == 0)
		return PLATFORM_SAVED_TRAMPOLINE;
	return PLATFORM_SAVED_REAL;
}

static void hw_set_resume(void *ctx, uint32_t slot, int where)
{
	struct smm_state *st = ctx;
	struct smm_save_state_64 *ss = smm_save_state(st, slot);

	dprintf(DBG_INFO, "smm: CPU %u was at CS base 0x%llx RIP 0x%llx\n",
		slot, (unsigned long long)ss->cs.base,
		(unsigned long long)ss->rip);
	/* Only ever a real-mode context (saved_context()): the rest of it
	 * (64 KiB limits, interrupts off, EFER and CR4 clear) stays. */
	if (where == SMM_RESUME_TRAMPOLINE) {
		ss->cs.selector = AP_TRAMPOLINE >> 4;
		ss->cs.base = AP_TRAMPOLINE;
		ss->rip = 0;
	} else {
		ss->cs.selector = 0xf000;
		ss->cs.base = 0xffff0000u;
		ss->rip = st->rom_hlt_ip;
	}
}

void smm_hw_platform(struct platform *p, struct smm_state *st)
{
	p->ctx = st;
	p->io_read = port_io_read;
	p->io_write = port_io_write;
	p->send_smi = hw_send_smi;
	p->start_cpu = hw_start_cpu;
	p->send_init = hw_send_init;
	p->now_us = hw_now_us;
	p->relax = hw_relax;
	p->can_send = hw_can_send;
	p->nmi_open = hw_nmi_open;
	p->sleep = hw_sleep;
	p->send_nmi = hw_send_nmi;
	p->saved_context = hw_saved_context;
	p->set_resume = hw_set_resume;
}

void smm_park(void)
{
	cpu_halt_forever();
}
