/* Local APIC registers and interrupt command encoding (Intel SDM vol. 3,
 * chapter 11), xAPIC MMIO and x2APIC MSR forms. */
#ifndef HW_APIC_H
#define HW_APIC_H

#define LAPIC_DEFAULT_BASE	0xfee00000u
#define LAPIC_ID		0x020	/* xAPIC: id in bits 31:24 */
#define LAPIC_ID_SHIFT		24
#define LAPIC_VERSION		0x030
#define LAPIC_TPR		0x080
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define LAPIC_SVR_ENABLE	(1u << 8)
#define LAPIC_ISR		0x100	/* 8 registers, 0x10 apart */
#define LAPIC_IRR		0x200	/* 8 registers, 0x10 apart */
#define LAPIC_ESR		0x280
#define LAPIC_ICR_LO		0x300
#define LAPIC_ICR_HI		0x310	/* xAPIC: destination in bits 31:24 */
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
#define LAPIC_TIMER_ICR		0x380	/* initial count */
#define LAPIC_TIMER_CCR		0x390	/* current count */
#define LAPIC_TIMER_DCR		0x3e0	/* divide configuration */
#define LAPIC_TIMER_DIV_1	0xb

#define X2APIC_MSR_BASE		0x800	/* MSR = base + (mmio offset >> 4) */
#define X2APIC_MSR_ICR		0x830	/* 64-bit: destination in 63:32 */

/* ICR low word */
#define ICR_VECTOR(v)		((v) & 0xffu)
#define ICR_DM_FIXED		(0u << 8)
#define ICR_DM_SMI		(2u << 8)
#define ICR_DM_NMI		(4u << 8)
#define ICR_DM_INIT		(5u << 8)
#define ICR_DM_STARTUP		(6u << 8)
#define ICR_DELIVERY_PENDING	(1u << 12)	/* xAPIC only */
#define ICR_LEVEL_ASSERT	(1u << 14)
#define ICR_TRIGGER_LEVEL	(1u << 15)
#define ICR_DEST_NOSHORTHAND	(0u << 18)
#define ICR_DEST_SELF		(1u << 18)
#define ICR_DEST_ALL_BUT_SELF	(3u << 18)

#define LVT_DM_EXTINT		(7u << 8)
#define LVT_DM_NMI		(4u << 8)
#define LVT_MASKED		(1u << 16)
#define LVT_TIMER_PERIODIC	(1u << 17)

#endif
