/* x86-64 architectural constants (Intel SDM vol. 3): control registers,
 * MSRs, paging, and the firmware's GDT selectors. */
#ifndef HW_X86_H
#define HW_X86_H

#define X86_CR0_PE		(1u << 0)
#define X86_CR0_MP		(1u << 1)
#define X86_CR0_ET		(1u << 4)
#define X86_CR0_NE		(1u << 5)
#define X86_CR0_WP		(1u << 16)
#define X86_CR0_NW		(1u << 29)
#define X86_CR0_CD		(1u << 30)
#define X86_CR0_PG		(1u << 31)

#define X86_CR4_PAE		(1u << 5)
#define X86_CR4_PGE		(1u << 7)
#define X86_CR4_OSFXSR		(1u << 9)

#define MSR_IA32_APIC_BASE	0x0000001b
#define MSR_APIC_BASE_BSP	(1u << 8)
#define MSR_APIC_BASE_EXTD	(1u << 10)	/* x2APIC mode */
#define MSR_APIC_BASE_EN	(1u << 11)
#define MSR_IA32_FEATURE_CONTROL 0x0000003a
#define MSR_MTRR_CAP		0x000000fe
#define MSR_MTRR_PHYS_BASE(n)	(0x00000200 + 2 * (n))
#define MSR_MTRR_PHYS_MASK(n)	(0x00000201 + 2 * (n))
#define MSR_MTRR_FIX64K_00000	0x00000250
#define MSR_MTRR_FIX16K_80000	0x00000258
#define MSR_MTRR_FIX16K_A0000	0x00000259
#define MSR_MTRR_FIX4K_C0000	0x00000268	/* ..0x26f: C0000..FFFFF */
#define MSR_MTRR_DEF_TYPE	0x000002ff
#define MTRR_DEF_TYPE_E		(1u << 11)
#define MTRR_DEF_TYPE_FE	(1u << 10)
#define MTRR_CAP_VCNT_MASK	0xffu
#define MTRR_CAP_FIX		(1u << 8)
#define MTRR_PHYS_MASK_VALID	(1u << 11)
#define MTRR_TYPE_UC		0
#define MTRR_TYPE_WB		6
#define MSR_EFER		0xc0000080
#define EFER_SCE		(1u << 0)
#define EFER_LME		(1u << 8)
#define EFER_LMA		(1u << 10)
#define EFER_NXE		(1u << 11)

/* Page table entry bits */
#define PTE_P			(1u << 0)
#define PTE_RW			(1u << 1)
#define PTE_PS			(1u << 7)	/* 2 MiB page in a PD */
#define PTE_ADDR_MASK		0x000ffffffffff000ull

/* Firmware GDT (firmware/boot/entry.S). The 64-bit code and data selectors
 * are the ones the Linux 64-bit boot protocol requires (__BOOT_CS,
 * __BOOT_DS): if you change them, update hw/linux_boot.h. */
#define GDT_SEL_CODE32		0x08
#define GDT_SEL_CODE64		0x10
#define GDT_SEL_DATA		0x18
#define GDT_SEL_CODE16		0x20	/* used to leave long mode */
#define GDT_SEL_DATA16		0x28

/* CPUID leaves and bits the firmware uses */
#define CPUID_1_EDX_APIC	(1u << 9)
#define CPUID_1_EDX_MTRR	(1u << 12)
#define CPUID_1_ECX_X2APIC	(1u << 21)
#define CPUID_1_ECX_HYPERVISOR	(1u << 31)
#define CPUID_80000001_EDX_NX	(1u << 20)
#define CPUID_80000001_EDX_LM	(1u << 29)

#endif
