/* MP wakeup mailbox, boot side: the park area in ACPI NVS (mailbox, park
 * module, page tables, IDT, GDT, the BSP's MTRRs, per-CPU slots and
 * stacks), the park loop's timer tick measured, and every AP parked in
 * it before the OS runs (docs/mp-wakeup.md). */
#include "apic.h"
#include "cpuhp.h"
#include "debug.h"
#include "e820.h"
#include "fw_cfg.h"
#include "hw/apic.h"
#include "hw/cpuhp.h"
#include "hw/mp_wakeup.h"
#include "hw/x86.h"
#include "io.h"
#include "layout.h"
#include "lib.h"
#include "memory.h"
#include "mp_wakeup.h"
#include "mtrr.h"
#include "park_layout.h"
#include "smm_layout.h"
#include "timer.h"
#include "x86_tables.h"

#define PARK_WAIT_US 1000000
#define PARK_RETRY_US 50000
/* The BSP's local APIC timer runs against the PM timer at least this
 * long (before the APs park) to measure the park tick. */
#define TICK_MEASURE_US 500

/* Templates and the module, assembled into the firmware image. */
extern const char park_module_image[], park_module_image_end[];
extern const char ap_trampoline_start[], ap_trampoline_end[];
extern const char ap_tramp_off_mode[], ap_tramp_off_far32[],
	ap_tramp_off_gdt_desc[], ap_tramp_off_gdt[], ap_tramp_off_code32[],
	ap_tramp_off_cr3[], ap_tramp_off_far64[], ap_tramp_off_code64[],
	ap_tramp_off_entry[];

#define OFF(sym) ((uintptr_t)(sym))

/* Set by mp_wakeup_setup() for the MADT entry; 0 while off. */
static uint64_t mailbox_addr, reset_vector_addr;
/* The park slots, for mp_wakeup_parked(); NULL until laid out. */
static struct park_slot *park_slots;
static uint32_t nr_park_slots;

static const uint64_t park_gdt[] = {
	0, 0x00cf9b000000ffff, 0x00af9b000000ffff, 0x00cf93000000ffff,
};
/* The GDT and the BSP's MTRRs share a page of the park area. */
_Static_assert(sizeof(park_gdt) + sizeof(struct park_mtrrs) <= 4096,
	       "park gdt + mtrrs");

bool mp_wakeup_requested(void)
{
	const struct fw_cfg_file *f = fw_cfg_find("opt/hotcpu/mp-wakeup");
	char v[8] = { 0 };

	if (!f)
		return true;
	fw_cfg_read(f->select, 0, v, MIN(f->size, (uint32_t)sizeof(v) - 1));
	if (!strcmp(v, "off"))
		return false;
	if (strcmp(v, "on"))
		dprintf(DBG_ERR, "mp-wakeup: opt/hotcpu/mp-wakeup is \"%s\", "
			"not on or off; keeping it on\n", v);
	return true;
}

static void put32(uint8_t *p, const char *off, uint32_t v)
{
	memcpy(p + OFF(off), &v, 4);
}

/* The AP trampoline in park mode: real mode to long mode on the park
 * area's page tables, then the park module's entry64. */
static void install_trampoline(uint64_t cr3, uint64_t entry64)
{
	uint8_t *t = phys_ptr(AP_TRAMPOLINE);

	memcpy(t, ap_trampoline_start, ap_trampoline_end - ap_trampoline_start);
	t[OFF(ap_tramp_off_mode)] = 1;
	put32(t, ap_tramp_off_far32, AP_TRAMPOLINE + OFF(ap_tramp_off_code32));
	put32(t, (const char *)(OFF(ap_tramp_off_gdt_desc) + 2),
	      AP_TRAMPOLINE + OFF(ap_tramp_off_gdt));
	put32(t, ap_tramp_off_cr3, (uint32_t)cr3);
	put32(t, ap_tramp_off_far64, AP_TRAMPOLINE + OFF(ap_tramp_off_code64));
	memcpy(t + OFF(ap_tramp_off_entry), &entry64, 8);
}

/* Starts the BSP's local APIC timer counting down from ~0 (masked,
 * one-shot, divide by 1), to measure its rate against the PM timer
 * while the APs park. False where the APIC is not where reset left
 * it. */
static bool tick_measure_start(uint64_t *t0)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	if ((base & ~0xfffull) != LAPIC_DEFAULT_BASE ||
	    (base & MSR_APIC_BASE_EXTD) || !(base & MSR_APIC_BASE_EN))
		return false;
	mmio_writel(LAPIC_DEFAULT_BASE + LAPIC_LVT_TIMER, LVT_MASKED);
	mmio_writel(LAPIC_DEFAULT_BASE + LAPIC_TIMER_DCR, LAPIC_TIMER_DIV_1);
	*t0 = timer_us();
	mmio_writel(LAPIC_DEFAULT_BASE + LAPIC_TIMER_ICR, ~0u);
	return true;
}

/* The initial count of one PARK_TICK_US tick, with the timer stopped
 * again; 0 if no reading makes sense (the APs then spin). */
static uint32_t tick_measure_end(uint64_t t0)
{
	uint64_t t1, t2, count = 0;
	uint32_t cur;

	for (int round = 0; round < 2 && !count; round++) {
		while (timer_us() < t0 + TICK_MEASURE_US)
			cpu_relax();
		/* PM timer reads close together around the count: the vCPU
		 * was not descheduled in between. */
		for (int i = 0; i < 8 && !count; i++) {
			t1 = timer_us();
			cur = mmio_readl(LAPIC_DEFAULT_BASE + LAPIC_TIMER_CCR);
			t2 = timer_us();
			if (cur && t2 - t1 <= 20 && t1 > t0)
				count = (~0u - (uint64_t)cur) * PARK_TICK_US /
					(t1 - t0);
		}
		/* Counted down to 0 (parking took seconds) or descheduled:
		 * once more, for the minimum time. */
		t0 = timer_us();
		mmio_writel(LAPIC_DEFAULT_BASE + LAPIC_TIMER_ICR, ~0u);
	}
	mmio_writel(LAPIC_DEFAULT_BASE + LAPIC_TIMER_ICR, 0);
	/* At least 1 MHz, and a tick that fits the count register. */
	return count >= PARK_TICK_US && count <= ~0u ? (uint32_t)count : 0;
}

/* Sends INIT and SIPI again until the AP parks: a SIPI is dropped when
 * it finds the AP in SMM (KVM; an SMI can reach it there at any time),
 * and only INIT is held for later. */
static bool park_ap(struct park_slot *slot)
{
	uint64_t end = timer_us() + PARK_WAIT_US, next = 0;

	while (__atomic_load_n(&slot->state, __ATOMIC_ACQUIRE) !=
	       PARK_SLOT_PARKED) {
		uint64_t now = timer_us();

		if (now > end)
			return false;
		if (now >= next) {
			apic_send_init(slot->apic_id);
			apic_send_sipi(slot->apic_id, AP_TRAMPOLINE);
			next = now + PARK_RETRY_US;
		}
		cpu_relax();
	}
	return true;
}

static unsigned park_aps(struct park_slot *slots, uint32_t nr,
			 uint32_t self, struct cpuhp *c)
{
	unsigned parked = 0;

	for (uint32_t i = 0; i < nr; i++) {
		if (slots[i].apic_id == self ||
		    !(cpuhp_status(c, i) & CPUHP_STAT_ENABLED))
			continue;
		/* The AP waits for SIPI, or sits in the ROM hlt loop after
		 * its SMBASE relocation, or (rarely) in SMM. */
		if (park_ap(&slots[i]))
			parked++;
		else
			dprintf(DBG_ERR, "mp-wakeup: CPU %u (APIC ID %u) did "
				"not reach the park loop\n", i,
				slots[i].apic_id);
	}
	cpuhp_handover(c);
	return parked;
}

void mp_wakeup_setup(bool smm_hotplug)
{
	const struct park_module_header *h = (const void *)park_module_image;
	struct platform io = { .io_read = port_io_read,
				 .io_write = port_io_write };
	uint64_t area, module, pt, idt, gdt, slots_addr, stacks, size, t0;
	uint64_t tick_t0 = 0;
	struct park_config *cfg;
	struct park_slot *slots;
	struct park_info *info;
	uint32_t present = 0;
	struct cpuhp c;
	unsigned parked;
	bool tick;

	if (!mp_wakeup_requested()) {
		dprintf(DBG_INFO, "mp-wakeup: off (opt/hotcpu/mp-wakeup=off): "
			"APs wait for INIT-SIPI-SIPI\n");
		return;
	}
	/* Without SMM CPU hotplug this may be a machine whose AML drives the
	 * register block's legacy interface (pc-q35-2.6 and older): probing
	 * would switch the block to the modern one under the OS, and no
	 * hot-added CPU would ever show. Count from fw_cfg before touching
	 * it: boot CPUs and the APIC ID limit. */
	if (!smm_hotplug) {
		uint32_t boot = fw_cfg_read_u32(FW_CFG_NB_CPUS) & 0xffff;
		uint32_t ids = fw_cfg_read_u32(FW_CFG_MAX_CPUS) & 0xffff;

		if (boot < ids) {
			dprintf(DBG_INFO, "mp-wakeup: off: %u of %u CPUs can be "
				"hot-added without SMM, and only INIT-SIPI-SIPI "
				"starts those\n", ids - boot, ids);
			return;
		}
	}
	cpuhp_init(&c, &io, CPUHP_BASE_Q35);
	if (cpuhp_probe(&c, SMM_MAX_CPUS)) {
		dprintf(DBG_ERR, "mp-wakeup: off: the CPU hotplug register "
			"block does not answer\n");
		return;
	}
	for (uint32_t i = 0; i < c.nr; i++)
		present += !!(cpuhp_status(&c, i) & CPUHP_STAT_ENABLED);
	/* Without SMM nothing in the firmware runs when a CPU is plugged,
	 * so it could never reach the mailbox, and an OS that uses the
	 * mailbox sends no SIPI: keep INIT-SIPI-SIPI when CPUs can come. */
	if (!smm_hotplug && present < c.nr) {
		dprintf(DBG_INFO, "mp-wakeup: off: %u of %u CPUs can be "
			"hot-added without SMM, and only INIT-SIPI-SIPI starts "
			"those\n", c.nr - present, c.nr);
		return;
	}
	if (h->magic != PARK_MODULE_MAGIC ||
	    h->image_size < (uint32_t)(park_module_image_end -
				       park_module_image))
		panic("mp-wakeup: the park module in the image is corrupt\n");

	t0 = timer_us();
	tick = tick_measure_start(&tick_t0);
	/* mailbox | module | page tables | IDT | GDT + MTRRs | slots |
	 * stacks */
	module = MP_WAKEUP_MAILBOX_SIZE;
	pt = ALIGN_UP(module + h->mem_size, 4096);
	idt = pt + X86_IDENTITY_4G_PAGES * 4096;
	gdt = idt + PARK_IDT_GATES * 16;
	slots_addr = gdt + 4096;
	stacks = ALIGN_UP(slots_addr + c.nr * sizeof(struct park_slot), 16);
	size = ALIGN_UP(stacks + (uint64_t)c.nr * PARK_STACK_SIZE, 4096);
	area = zone_alloc(mem_high(), size, 4096);
	if (!area)
		panic("mp-wakeup: no room for a %llu KiB park area\n",
		      (unsigned long long)size / 1024);
	module += area;
	pt += area;
	idt += area;
	gdt += area;
	slots_addr += area;
	stacks += area;
	/* The mailbox lives in ACPI NVS, as the spec asks. */
	mem_reserve_high(E820_NVS);

	memset(phys_ptr(area), 0, size);
	memcpy(phys_ptr(module), park_module_image,
	       park_module_image_end - park_module_image);
	x86_identity_map_4g(pt);
	/* Exceptions, then every external interrupt to the stub that
	 * acknowledges it: the tick, and whatever the OS left pending. */
	x86_idt_fill(idt, module + h->idt_stubs);
	for (unsigned v = X86_IDT_GATES; v < PARK_IDT_GATES; v++)
		x86_idt_gate(idt, v, module + h->idt_stubs + 16 *
			     (v == PARK_SPURIOUS_VECTOR ? PARK_STUB_SPURIOUS :
							  PARK_STUB_IRQ));
	memcpy(phys_ptr(gdt), park_gdt, sizeof(park_gdt));
	mtrr_snapshot(phys_ptr(gdt + sizeof(park_gdt)));

	cfg = phys_ptr(module + h->config);
	cfg->cr3 = pt;
	cfg->slots = slots_addr;
	cfg->nr_slots = c.nr;
	cfg->mailbox = area;
	cfg->mtrrs = gdt + sizeof(park_gdt);
	x86_desc(cfg->gdt_desc, sizeof(park_gdt) - 1, gdt);
	x86_desc(cfg->idt_desc, PARK_IDT_GATES * 16 - 1, idt);

	/* A slot for every possible CPU: hot-added ones park too. */
	slots = phys_ptr(slots_addr);
	park_slots = slots;
	nr_park_slots = c.nr;
	for (uint32_t i = 0; i < c.nr; i++) {
		if (cpuhp_apic_id(&c, i, &slots[i].apic_id))
			slots[i].apic_id = ~0u;
		slots[i].stack_top = stacks + (uint64_t)(i + 1) * PARK_STACK_SIZE;
	}
	info = (void *)((struct mp_wakeup_mailbox *)phys_ptr(area))
		       ->reserved_firmware;
	info->magic = PARK_INFO_MAGIC;
	info->nr_slots = c.nr;

	install_trampoline(pt, module + h->entry64);
	if (e820_set(&e820, AP_TRAMPOLINE, 4096, E820_RESERVED))
		panic("mp-wakeup: e820 map full\n");

	cfg->tick_count = tick ? tick_measure_end(tick_t0) : 0;
	parked = park_aps(slots, c.nr, apic_self_id(), &c);
	/* An OS that uses the mailbox waits forever for an AP that does
	 * not answer it; without the MADT entry it starts every AP, parked
	 * or not, with INIT-SIPI-SIPI. */
	if (parked < present - 1) {
		dprintf(DBG_ERR, "mp-wakeup: off: %u of %u APs did not reach "
			"the park loop; the OS starts APs with "
			"INIT-SIPI-SIPI\n", present - 1 - parked, present - 1);
		return;
	}
	mailbox_addr = area;
	reset_vector_addr = module + h->reset_vector;
	dprintf(DBG_INFO, "mp-wakeup: mailbox 0x%llx, reset vector 0x%llx, %u "
		"of %u APs parked in %u us, ",
		(unsigned long long)mailbox_addr,
		(unsigned long long)reset_vector_addr, parked, present - 1,
		(unsigned)(timer_us() - t0));
	if (cfg->tick_count)
		dprintf(DBG_INFO, "halting between looks (tick %u us, %u "
			"APIC timer counts)", PARK_TICK_US, cfg->tick_count);
	else
		dprintf(DBG_INFO, "spinning (no local APIC timer tick)");
	dprintf(DBG_INFO, "%s\n",
		smm_hotplug ? "; hot-added CPUs park from SMM" : "");
}

bool mp_wakeup_info(uint64_t *mailbox, uint64_t *reset_vector)
{
	*mailbox = mailbox_addr;
	*reset_vector = reset_vector_addr;
	return mailbox_addr != 0;
}

bool mp_wakeup_parked(uint32_t apic_id)
{
	for (uint32_t i = 0; i < nr_park_slots; i++)
		if (park_slots[i].apic_id == apic_id)
			return __atomic_load_n(&park_slots[i].state,
					       __ATOMIC_ACQUIRE) ==
			       PARK_SLOT_PARKED;
	return false;
}
