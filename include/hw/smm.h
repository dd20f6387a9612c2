/* x86-64 SMM state save map (AMD64 APM vol. 2 10.2.3, as QEMU TCG and KVM
 * write it: QEMU target/i386/tcg/system/smm_helper.c, Linux
 * arch/x86/kvm/smm.h struct kvm_smram_state_64). */
#ifndef HW_SMM_H
#define HW_SMM_H

#define SMM_DEFAULT_SMBASE	0x30000u
#define SMM_ENTRY_OFFSET	0x8000u	/* first instruction at SMBASE+0x8000 */
#define SMM_SAVE_STATE_OFFSET	0xfe00u	/* save map at SMBASE+0xfe00 */
#define SMM_SAVE_STATE_SIZE	0x200u
#define SMM_REVISION_OFFSET	0xfefcu
#define SMM_SMBASE_OFFSET_64	0xff00u	/* SMBASE field, 64-bit map */
#define SMM_SMBASE_OFFSET_32	0xfef8u	/* SMBASE field, 32-bit map */
#define SMM_REVISION_64		0x00020064u
#define SMM_REVISION_32		0x00020000u
#define SMM_REV_SMBASE_RELOC	(1u << 17)	/* SMBASE relocation supported */
#define SMM_AUTO_HALT_OFFSET	0xfec9u

#ifndef __ASSEMBLER__
#include <stdint.h>

struct smm_seg_64 {
	uint16_t selector;
	uint16_t attributes;
	uint32_t limit;
	uint64_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct smm_seg_64) == 16, "smm segment");

/* Lives at SMBASE + SMM_SAVE_STATE_OFFSET; offsets below are from there. */
struct smm_save_state_64 {
	struct smm_seg_64 es, cs, ss, ds, fs, gs;	/* 0x000 */
	struct smm_seg_64 gdtr, ldtr, idtr, tr;		/* 0x060 */
	uint64_t io_restart_rip;			/* 0x0a0 */
	uint64_t io_restart_rcx;
	uint64_t io_restart_rsi;
	uint64_t io_restart_rdi;
	uint32_t io_restart_dword;			/* 0x0c0 */
	uint32_t pad_0c4;
	uint8_t io_inst_restart;			/* 0x0c8 */
	uint8_t auto_halt_restart;			/* 0x0c9 */
	uint8_t nmi_mask;
	uint8_t int_shadow;
	uint32_t pad_0cc;
	uint64_t efer;					/* 0x0d0 */
	uint64_t svm_guest_flag;
	uint64_t svm_guest_vmcb_gpa;
	uint64_t svm_guest_virtual_int;
	uint32_t pad_0f0[3];
	uint32_t revision;				/* 0x0fc */
	uint32_t smbase;				/* 0x100 */
	uint32_t pad_104[5];
	uint64_t ssp;					/* 0x118 */
	uint64_t svm_guest_pat;
	uint64_t svm_host_efer;
	uint64_t svm_host_cr4;
	uint64_t svm_host_cr3;
	uint64_t svm_host_cr0;
	uint64_t cr4;					/* 0x148 */
	uint64_t cr3;					/* 0x150 */
	uint64_t cr0;					/* 0x158 */
	uint64_t dr7;
	uint64_t dr6;
	uint64_t rflags;				/* 0x170 */
	uint64_t rip;					/* 0x178 */
	uint64_t gprs[16];	/* 0x180: r15, r14, ..., rcx, rax */
} __attribute__((packed));
_Static_assert(sizeof(struct smm_save_state_64) == SMM_SAVE_STATE_SIZE,
	       "smm save state");
_Static_assert(__builtin_offsetof(struct smm_save_state_64, revision) ==
		       SMM_REVISION_OFFSET - SMM_SAVE_STATE_OFFSET,
	       "smm revision");
_Static_assert(__builtin_offsetof(struct smm_save_state_64, smbase) ==
		       SMM_SMBASE_OFFSET_64 - SMM_SAVE_STATE_OFFSET,
	       "smm smbase");
_Static_assert(__builtin_offsetof(struct smm_save_state_64,
				  auto_halt_restart) ==
		       SMM_AUTO_HALT_OFFSET - SMM_SAVE_STATE_OFFSET,
	       "smm auto halt");
_Static_assert(__builtin_offsetof(struct smm_save_state_64, rip) == 0x178,
	       "smm rip");
_Static_assert(__builtin_offsetof(struct smm_save_state_64, efer) == 0x0d0,
	       "smm efer");
#endif

#endif
