/* SMM-protected CPU hotplug, boot side. QEMU refuses CPU device_add and
 * device_del on an SMM machine unless the firmware negotiated SMI on
 * hotplug; once negotiated, every hot-added CPU passes through SMM before
 * it can run OS code safely (docs/smm-cpu-hotplug.md). */
#include "apic.h"
#include "cpuhp.h"
#include "debug.h"
#include "e820.h"
#include "fw_cfg.h"
#include "hw/apic.h"
#include "hw/cpuhp.h"
#include "hw/q35.h"
#include "hw/smi_features.h"
#include "hw/x86.h"
#include "io.h"
#include "layout.h"
#include "lib.h"
#include "mp_wakeup.h"
#include "smi_features.h"
#include "smm_boot.h"
#include "smm_install.h"
#include "smm_setup.h"
#include "smram.h"
#include "timer.h"

#define ICH9_LPC_GEN_PMCON_1		0xa0
#define ICH9_GEN_PMCON_1_SMI_LOCK	(1u << 4)

extern const char ap_trampoline_start[], ap_trampoline_end[],
	ap_trampoline_count[];

/* Whether CPU hotplug with SMI was negotiated and SMM is installed. */
static bool hotplug_on;

bool smm_hotplug_on(void)
{
	return hotplug_on;
}

static int boot_send_smi(void *ctx, uint32_t apic_id)
{
	(void)ctx;
	apic_send_smi(apic_id);
	return 0;
}

static int boot_start_cpu(void *ctx, uint32_t apic_id, uint32_t page)
{
	(void)ctx;
	apic_send_init(apic_id);
	apic_send_sipi(apic_id, page);
	return 0;
}

static int boot_send_init(void *ctx, uint32_t apic_id)
{
	(void)ctx;
	apic_send_init(apic_id);
	return 0;
}

static uint64_t boot_now_us(void *ctx)
{
	(void)ctx;
	return timer_us();
}

static void boot_relax(void *ctx)
{
	(void)ctx;
	cpu_relax();
}

/* The platform interface for the boot firmware: port I/O, and IPIs
 * through the xAPIC at its reset base (firmware/boot/apic.c). */
static const struct platform boot_io = {
	.io_read = port_io_read,
	.io_write = port_io_write,
	.send_smi = boot_send_smi,
	.start_cpu = boot_start_cpu,
	.send_init = boot_send_init,
	.now_us = boot_now_us,
	.relax = boot_relax,
};

static int kvm_signature(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & CPUID_1_ECX_HYPERVISOR))
		return 0;
	cpuid(0x40000000, 0, &a, &b, &c, &d);
	return b == 0x4b4d564b && c == 0x564b4d56 && d == 0x4d;
}

/* APs that have run the wait-mode trampoline since it was installed. */
static volatile uint16_t *trampoline_count(void)
{
	return phys_ptr(AP_TRAMPOLINE +
			(ap_trampoline_count - ap_trampoline_start));
}

/* Boot relocation sends every AP through the trampoline in wait mode:
 * reaching it proves the AP left SMM, so INIT can no longer meet it
 * there (docs/smm-cpu-hotplug.md). */
static void install_wait_trampoline(void)
{
	memcpy(phys_ptr(AP_TRAMPOLINE), ap_trampoline_start,
	       ap_trampoline_end - ap_trampoline_start);
}

/* Boot relocation state, kept for smm_finish(). */
static uint32_t smbase_of[SMM_MAX_CPUS];
static struct cpuhp boot_hp;
static struct smm_boot boot;
static uint32_t lock_mb;
static bool lock_ext;

/* Relocates every boot CPU (firmware/shared/smm_boot.c); returns how many
 * are relocated. */
static unsigned relocate_boot_cpus(struct smm_state *st, struct cpuhp *hp,
				   const struct smram_plan *plan)
{
	boot_hp = *hp;
	boot = (struct smm_boot){
		.st = st,
		.p = &boot_io,
		.hp = &boot_hp,
		.trampoline_count = trampoline_count(),
		.self_apic_id = apic_self_id(),
		.kvm = kvm_signature(),
		.smbase_of = smbase_of,
		.parked = mp_wakeup_parked,
	};
	for (uint32_t i = 0; i < st->nr_slots; i++)
		smbase_of[i] = smm_slot_smbase(plan, i);
	install_wait_trampoline();
	smm_first_smi_resume(SMM_RESUME_TRAMPOLINE);
	return smm_boot_relocate(&boot);
}

static void enable_apm_smi(void)
{
	uint32_t en = inl(Q35_PMBASE + ICH9_SMI_EN);

	/* The AML's write of 4 to 0xb2 now raises the broadcast SMI;
	 * SMI_LOCK keeps GBL_SMI_EN set until reset. */
	outl(Q35_PMBASE + ICH9_SMI_EN,
	     en | ICH9_SMI_EN_APMC | ICH9_SMI_EN_GBL_SMI);
	pci_config_writew(Q35_LPC_BDF, ICH9_LPC_GEN_PMCON_1,
			  pci_config_readw(Q35_LPC_BDF, ICH9_LPC_GEN_PMCON_1) |
				  ICH9_GEN_PMCON_1_SMI_LOCK);
}

void smm_setup(void)
{
	uint64_t want = SMI_F_BROADCAST | SMI_F_CPU_HOTPLUG |
			SMI_F_CPU_HOT_UNPLUG;
	uint64_t supported, negotiated;
	struct smram_plan plan = { 0 };
	const char *why = NULL;
	struct smm_state *st;
	struct cpuhp hp;
	bool window;
	uint32_t ext_mb, mb, rules;
	unsigned relocated;

	if (!fw_cfg_find(SMI_FEATURES_SUPPORTED)) {
		dprintf(DBG_INFO, "smm: none (no SMM, or a machine type "
			"without SMI negotiation): CPU hotplug without SMI\n");
		return;
	}
	ext_mb = smram_ext_tseg_mb();
	mb = ext_mb ? ext_mb : 8;
	plan.tseg_size = (uint64_t)mb << 20;
	plan.tseg_base = e820_low_ram_top(&e820) - plan.tseg_size;
	/* QEMU offers the SMI features even with smm=off; then nothing
	 * can be protected and nothing must be negotiated, or QEMU would
	 * refuse every CPU hot-add. */
	if (!smram_tseg_works(plan.tseg_base, mb, ext_mb != 0)) {
		dprintf(DBG_INFO, "smm: none (TSEG is plain RAM: smm=off): "
			"CPU hotplug without SMI\n");
		return;
	}
	window = smram_default_smbase_supported();
	cpuhp_init(&hp, &boot_io, CPUHP_BASE_Q35);

	/* Without each of these, a hot-added CPU could run before SMM
	 * controls it: negotiate broadcast only, so QEMU refuses it. */
	if (!window) {
		why = "QEMU has no SMRAM at the default SMBASE (machine type "
		      "4.2 or older)";
	} else if (cpuhp_probe(&hp, SMM_MAX_CPUS)) {
		why = "the CPU hotplug register block does not answer, or "
		      "has more than 512 CPUs";
	} else {
		plan.nr_slots = hp.nr;
		if (smram_plan(&plan))
			why = "TSEG is too small for the possible CPUs";
	}
	if (why)
		want = SMI_F_BROADCAST;
	if (smi_negotiate(want, &supported, &negotiated, &why)) {
		dprintf(DBG_INFO, "smm: CPU hotplug off: %s\n", why);
		return;
	}
	if (!(negotiated & SMI_F_CPU_HOTPLUG)) {
		if (!why)
			why = "QEMU does not offer CPU hotplug with SMI "
			      "(machine type 5.1 or older)";
		dprintf(DBG_INFO, "smm: CPU hotplug off: %s; QEMU refuses "
			"device_add of CPUs (features 0x%llx of 0x%llx)\n", why,
			(unsigned long long)negotiated,
			(unsigned long long)supported);
		/* No SMM code: TSEG stays RAM, but locked off. */
		smram_lock(0, false, false);
		return;
	}

	st = smm_install(&plan);
	st->park = mp_wakeup_requested();
	st->features = negotiated;
	st->xapic_base = LAPIC_DEFAULT_BASE;
	st->tsc_per_us = timer_tsc_rate(&st->tsc_at_t0, &st->t0_us);
	/* Release: the SMM module checks the magic before anything. */
	__atomic_store_n(&st->magic, SMM_STATE_MAGIC, __ATOMIC_RELEASE);
	relocated = relocate_boot_cpus(st, &hp, &plan);
	/* From now on only hot-added CPUs enter from the reset state:
	 * into the park trampoline (mp_wakeup_setup() installs it before
	 * the OS runs) or the ROM's hlt loop, where INIT-SIPI-SIPI finds
	 * them. */
	smm_first_smi_resume(st->park ? SMM_RESUME_TRAMPOLINE :
					 SMM_RESUME_ROM_HLT);
	hotplug_on = true;
	rules = st->rules;

	enable_apm_smi();
	/* SMRAM stays plain RAM until smm_finish() has admitted the CPUs
	 * plugged while the firmware boots. */
	lock_mb = mb;
	lock_ext = ext_mb != 0;
	if (e820_set(&e820, plan.tseg_base, plan.tseg_size, E820_RESERVED) ||
	    e820_set(&e820, SMRAM_DEFAULT_BASE, SMRAM_DEFAULT_SIZE,
		     E820_RESERVED))
		panic("smm: e820 map full\n");
	dprintf(DBG_INFO, "smm: CPU hotplug on: features 0x%llx%s, TSEG "
		"0x%llx (%u MiB), %u possible CPUs, %u relocated, SMI in "
		"wait-for-SIPI %s\n", (unsigned long long)negotiated,
		negotiated & SMI_F_CPU_HOT_UNPLUG ? " (with unplug)" :
						    " (hot-add only)",
		(unsigned long long)plan.tseg_base, mb, plan.nr_slots,
		relocated,
		rules == SMM_RULES_TAKEN ? "taken at once (TCG rules)" :
					       "latched (KVM rules)");
}

void smm_finish(void)
{
	struct smm_state *st = boot.st;
	unsigned late;

	if (!hotplug_on)
		return;
	late = smm_boot_admit_late(&boot, st->park);
	if (late)
		dprintf(DBG_INFO, "smm: %u CPUs plugged during boot admitted\n",
			late);
	/* Release: from the next SMI on, sessions take hotplug work. */
	__atomic_store_n(&st->boot_done, 1, __ATOMIC_RELEASE);
	smram_lock(lock_mb, lock_ext, true);
}
