/* Boot-time IPIs. Before the OS runs the BSP's local APIC is where reset
 * left it, in xAPIC mode at 0xfee00000; anything else is a broken
 * invariant. */
#include "apic.h"
#include "debug.h"
#include "hw/apic.h"
#include "hw/x86.h"
#include "io.h"

uint32_t apic_self_id(void)
{
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 0xb) {
		cpuid(0xb, 0, &a, &b, &c, &d);
		if (b)
			return d;
	}
	cpuid(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

static void apic_send(uint32_t apic_id, uint32_t icr_lo)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	if ((base & ~0xfffull) != LAPIC_DEFAULT_BASE ||
	    (base & MSR_APIC_BASE_EXTD) || !(base & MSR_APIC_BASE_EN) ||
	    apic_id > 0xff)
		panic("apic: local APIC base 0x%llx cannot reach APIC ID %u\n",
		      (unsigned long long)base, apic_id);
	while (mmio_readl(LAPIC_DEFAULT_BASE + LAPIC_ICR_LO) &
	       ICR_DELIVERY_PENDING)
		cpu_relax();
	mmio_writel(LAPIC_DEFAULT_BASE + LAPIC_ICR_HI, apic_id << LAPIC_ID_SHIFT);
	mmio_writel(LAPIC_DEFAULT_BASE + LAPIC_ICR_LO, icr_lo);
}

void apic_send_smi(uint32_t apic_id)
{
	apic_send(apic_id, ICR_DM_SMI);
}

void apic_send_init(uint32_t apic_id)
{
	apic_send(apic_id, ICR_DM_INIT | ICR_LEVEL_ASSERT);
}

void apic_send_sipi(uint32_t apic_id, uint64_t page)
{
	apic_send(apic_id, ICR_DM_STARTUP | ICR_VECTOR(page >> 12));
}
