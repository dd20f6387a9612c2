/* The park loop: an AP waits on the MP wakeup mailbox until the OS names
 * it, then acknowledges and goes where the OS said. Between looks it
 * halts, woken by its local APIC timer, so that a parked vCPU costs its
 * host nothing. */
#include <stdbool.h>

#include "hw/apic.h"
#include "hw/mp_wakeup.h"
#include "hw/x86.h"
#include "io.h"
#include "mbox.h"
#include "park_layout.h"

void park_loop(struct park_slot *me, const struct park_config *cfg,
	       uint32_t from_reset);
__attribute__((noreturn)) void park_jump(uint64_t vector);

/* The local APIC as park_loop() found it, and how to reach it. */
struct park_apic {
	uint64_t base;		/* xAPIC MMIO base */
	bool x2apic;
	bool ticking;		/* the timer runs: halt between looks */
	/* Put back before the OS runs: the reset state at boot, the OS's
	 * own on the reset-vector path. */
	uint32_t svr, tpr, lvt_timer, dcr;
};

static inline uint16_t load_acquire16(const uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static uint32_t apic_read(const struct park_apic *a, uint32_t reg)
{
	return a->x2apic ? (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4)) :
			   mmio_readl(a->base + reg);
}

static void apic_write(const struct park_apic *a, uint32_t reg, uint32_t v)
{
	if (a->x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
	else
		mmio_writel(a->base + reg, v);
}

static bool apic_isr_empty(const struct park_apic *a)
{
	for (uint32_t i = 0; i < 8; i++)
		if (apic_read(a, LAPIC_ISR + i * 0x10))
			return false;
	return true;
}

static bool apic_irr_has(const struct park_apic *a, uint32_t vector)
{
	return apic_read(a, LAPIC_IRR + (vector / 32) * 0x10) &
	       (1u << (vector % 32));
}

/* Starts the periodic tick on PARK_TIMER_VECTOR. False, and the loop
 * spins, without a measured tick or with an APIC the park loop cannot
 * use: disabled by the OS, or an xAPIC outside the park area's map. */
static bool timer_start(struct park_apic *a, uint32_t tick_count)
{
	uint64_t msr = rdmsr(MSR_IA32_APIC_BASE);

	a->ticking = false;
	if (!tick_count || !(msr & MSR_APIC_BASE_EN))
		return false;
	a->x2apic = msr & MSR_APIC_BASE_EXTD;
	a->base = msr & PTE_ADDR_MASK;
	if (!a->x2apic && a->base > 0xfffff000ull)
		return false;
	a->svr = apic_read(a, LAPIC_SVR);
	a->tpr = apic_read(a, LAPIC_TPR);
	a->lvt_timer = apic_read(a, LAPIC_LVT_TIMER);
	a->dcr = apic_read(a, LAPIC_TIMER_DCR);
	/* Software-enabled (Linux disables it before play_dead; reset
	 * leaves it disabled), accepting every priority. */
	apic_write(a, LAPIC_SVR, LAPIC_SVR_ENABLE | PARK_SPURIOUS_VECTOR);
	apic_write(a, LAPIC_TPR, 0);
	/* An interrupt the OS left in service (it stopped this CPU from a
	 * handler) would hold off the tick; the OS acknowledges stale ones
	 * at its next start-up anyway. */
	for (int i = 0; i < 256 && !apic_isr_empty(a); i++)
		apic_write(a, LAPIC_EOI, 0);
	apic_write(a, LAPIC_TIMER_DCR, LAPIC_TIMER_DIV_1);
	apic_write(a, LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | PARK_TIMER_VECTOR);
	apic_write(a, LAPIC_TIMER_ICR, tick_count);
	a->ticking = true;
	return true;
}

/* Stops the tick and puts the APIC back as it was found, before the OS
 * gets this CPU. */
static void timer_stop(struct park_apic *a)
{
	if (!a->ticking)
		return;
	apic_write(a, LAPIC_LVT_TIMER, LVT_MASKED);
	apic_write(a, LAPIC_TIMER_ICR, 0);
	/* A tick accepted just before the mask is taken here (park_irq
	 * acknowledges it): left in the IRR, the OS would find it with
	 * interrupts off and warn "APIC: Stale IRR". */
	for (int i = 0; i < 64 && apic_irr_has(a, PARK_TIMER_VECTOR); i++)
		__asm__ volatile("sti; nop; cli" ::: "memory");
	apic_write(a, LAPIC_TIMER_DCR, a->dcr);
	apic_write(a, LAPIC_LVT_TIMER, a->lvt_timer);
	apic_write(a, LAPIC_TPR, a->tpr);
	apic_write(a, LAPIC_SVR, a->svr);
	a->ticking = false;
}

/* Until the next look at the mailbox: the next tick, or an NMI or SMI,
 * whichever comes first. */
static void park_wait(const struct park_apic *a)
{
	if (a->ticking)
		/* A tick that came since the look is pending with interrupts
		 * off; sti's shadow covers hlt, so it wakes the hlt rather
		 * than being taken before it. */
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	else
		__builtin_ia32_pause();
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/* The BSP's MTRRs into this CPU (SDM vol. 3 12.11.7.2: caches off and
 * flushed, MTRRs off while they change). */
static void copy_mtrrs(const struct park_mtrrs *m)
{
	uint32_t a, b, c, d;
	uint64_t cr0;

	if (!m->valid)
		return;
	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & CPUID_1_EDX_MTRR) ||
	    (rdmsr(MSR_MTRR_CAP) & MTRR_CAP_VCNT_MASK) < m->nr_var)
		return;
	cr0 = read_cr0();
	write_cr0((cr0 | X86_CR0_CD) & ~(uint64_t)X86_CR0_NW);
	__asm__ volatile("wbinvd" ::: "memory");
	wrmsr(MSR_MTRR_DEF_TYPE, 0);
	for (unsigned i = 0; i < PARK_MTRR_FIXED; i++)
		wrmsr(park_mtrr_fixed_msr(i), m->fixed[i]);
	for (uint32_t i = 0; i < m->nr_var; i++) {
		wrmsr(MSR_MTRR_PHYS_BASE(i), m->var[i][0]);
		wrmsr(MSR_MTRR_PHYS_MASK(i), m->var[i][1]);
	}
	wrmsr(MSR_MTRR_DEF_TYPE, m->def_type);
	__asm__ volatile("wbinvd" ::: "memory");
	write_cr0(cr0);
}

void park_loop(struct park_slot *me, const struct park_config *cfg,
	       uint32_t from_reset)
{
	struct mp_wakeup_mailbox *mb =
		(struct mp_wakeup_mailbox *)(uintptr_t)cfg->mailbox;
	struct park_info *info = (struct park_info *)mb->reserved_firmware;
	struct park_apic apic = { .ticking = false };
	struct mbox_snapshot s;
	uint32_t spins, was;

	if (from_reset) {
		me->resets++;
		__atomic_add_fetch(&info->resets, 1, __ATOMIC_RELAXED);
	} else if (cfg->mtrrs) {
		/* From the trampoline: at boot, or hot-added. The OS's own
		 * CPUs keep the OS's MTRRs. */
		copy_mtrrs((const struct park_mtrrs *)(uintptr_t)cfg->mtrrs);
	}
	spins = !timer_start(&apic, cfg->tick_count);
	/* Release: whoever sees PARKED may send this CPU commands. A CPU
	 * INIT put back into the park loop (park_aps() repeating its
	 * INIT-SIPI) was parked already: count it once. */
	was = __atomic_exchange_n(&me->state, PARK_SLOT_PARKED,
				  __ATOMIC_RELEASE);
	if (was != PARK_SLOT_PARKED)
		__atomic_add_fetch(&info->parked, 1, __ATOMIC_RELAXED);
	if (spins && !(was == PARK_SLOT_PARKED && me->spins))
		__atomic_add_fetch(&info->spinning, 1, __ATOMIC_RELAXED);
	else if (!spins && was == PARK_SLOT_PARKED && me->spins)
		__atomic_sub_fetch(&info->spinning, 1, __ATOMIC_RELAXED);
	me->spins = spins;
	for (;;) {
		/* Acquire: pairs with the OS's smp_store_release() of the
		 * command; APIC ID and vector are read after it. */
		s.command = load_acquire16(&mb->command);
		if (s.command == MP_WAKEUP_CMD_NOOP) {
			park_wait(&apic);
			continue;
		}
		s.apic_id = mb->apic_id;
		s.wakeup_vector = mb->wakeup_vector;
		switch (mbox_decide(&s, me->apic_id)) {
		case MBOX_WAKEUP:
			me->wakeups++;
			__atomic_add_fetch(&info->wakeups, 1,
					   __ATOMIC_RELAXED);
			__atomic_sub_fetch(&info->parked, 1, __ATOMIC_RELAXED);
			if (me->spins)
				__atomic_sub_fetch(&info->spinning, 1,
						   __ATOMIC_RELAXED);
			/* Before the acknowledgement: once the OS sees it, it
			 * waits for this CPU to call in, not for the timer. */
			timer_stop(&apic);
			me->state = PARK_SLOT_WOKEN;
			/* Release: the vector is cached above before the
			 * acknowledgement lets the OS reuse the mailbox. */
			__atomic_store_n(&mb->command, MP_WAKEUP_CMD_NOOP,
					 __ATOMIC_RELEASE);
			park_jump(s.wakeup_vector);
		case MBOX_TEST:
			me->tests++;
			__atomic_add_fetch(&info->tests, 1, __ATOMIC_RELAXED);
			__atomic_store_n(&mb->command, MP_WAKEUP_CMD_NOOP,
					 __ATOMIC_RELEASE);
			break;
		case MBOX_IDLE:
			park_wait(&apic);
			break;
		}
	}
}
