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
#include "smm_install.h"
#include "smm_setup.h"
#include "smram.h"
#include "timer.h"

#define ICH9_LPC_GEN_PMCON_1		0xa0
#define ICH9_GEN_PMCON_1_SMI_LOCK	(1u << 4)
#define RELOCATE_BSP_US			100000
#define RELOCATE_APS_US			1000000

extern const char ap_trampoline_start[], ap_trampoline_end[],
	ap_trampoline_count[];

/* Whether CPU hotplug with SMI was negotiated and SMM is installed. */
static bool hotplug_on;

bool smm_hotplug_on(void)
{
	return hotplug_on;
}

static const struct platform boot_io = { .io_read = port_io_read,
					 .io_write = port_io_write };

static int kvm_signature(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & CPUID_1_ECX_HYPERVISOR))
		return 0;
	cpuid(0x40000000, 0, &a, &b, &c, &d);
	return b == 0x4b4d564b && c == 0x564b4d56 && d == 0x4d;
}

/* Waits until slot is relocated (its confirmation ran in SMM). */
static int wait_relocated(struct smm_state *st, uint32_t slot, uint64_t us)
{
	uint64_t end = timer_us() + us;

	while (__atomic_load_n(&st->slots[slot].state, __ATOMIC_ACQUIRE) !=
	       SLOT_RELOCATED) {
		if (timer_us() > end)
			return -1;
		cpu_relax();
	}
	return 0;
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

/* Waits until n APs ran the trampoline; 0 when they did. */
static int wait_trampoline(unsigned n, uint64_t us)
{
	uint64_t end = timer_us() + us;

	while (*trampoline_count() < n) {
		if (timer_us() > end)
			return -1;
		cpu_relax();
	}
	return 0;
}

/* Latched rules: the AP waits for SIPI with its SMI pending. One SIPI to
 * the trampoline releases it; it takes the SMI at once, relocates, then
 * reports in, and INIT puts it back into wait-for-SIPI for the OS. Only
 * ever sent to a CPU that never entered SMM, so never to one in SMM. */
static int relocate_by_sipi(struct smm_state *st, uint32_t slot)
{
	*trampoline_count() = 0;
	apic_send_init(st->slots[slot].apic_id);
	apic_send_sipi(st->slots[slot].apic_id, AP_TRAMPOLINE);
	if (wait_trampoline(1, RELOCATE_APS_US) ||
	    wait_relocated(st, slot, RELOCATE_APS_US))
		return -1;
	apic_send_init(st->slots[slot].apic_id);
	return 0;
}

/* TCG's rules: every AP takes the SMI in wait-for-SIPI, relocates, and
 * resumes from the reset state at the trampoline (first-SMI stub), which
 * counts it and spins it. Once all relocated APs are counted, none is in
 * SMM, and INIT puts them back into wait-for-SIPI for the OS. Returns
 * how many relocated. */
static unsigned relocate_by_smi(struct smm_state *st)
{
	unsigned relocated = 0;

	*trampoline_count() = 0;
	for (uint32_t i = 0; i < st->nr_slots; i++)
		if (i != st->bsp_slot && st->slots[i].state == SLOT_ADMITTED)
			apic_send_smi(st->slots[i].apic_id);
	for (uint32_t i = 0; i < st->nr_slots; i++)
		if (i != st->bsp_slot && st->slots[i].state != SLOT_ABSENT &&
		    !wait_relocated(st, i, RELOCATE_APS_US))
			relocated++;
	if (!relocated)
		return 0;
	if (wait_trampoline(relocated, RELOCATE_APS_US)) {
		/* Leave them alone: the OS's INIT-SIPI-SIPI comes much
		 * later, and the mailbox is off when an AP does not park. */
		dprintf(DBG_ERR, "smm: %u of %u relocated APs did not leave "
			"SMM in time\n", relocated - *trampoline_count(),
			relocated);
		return relocated;
	}
	for (uint32_t i = 0; i < st->nr_slots; i++)
		if (i != st->bsp_slot && st->slots[i].state == SLOT_RELOCATED)
			apic_send_init(st->slots[i].apic_id);
	return relocated;
}

/* Relocates every boot CPU; returns how many are relocated. */
static unsigned relocate_boot_cpus(struct smm_state *st, struct cpuhp *hp,
				   const struct smram_plan *plan)
{
	uint32_t self = apic_self_id(), present = 0, relocated = 0;

	st->bsp_slot = ~0u;
	for (uint32_t i = 0; i < st->nr_slots; i++) {
		struct smm_slot *sl = &st->slots[i];

		if (cpuhp_apic_id(hp, i, &sl->apic_id))
			panic("smm: CPU %u has APIC ID above 32 bits\n", i);
		sl->smbase = smm_slot_smbase(plan, i);
		for (uint32_t j = 0; j < i; j++)
			if (st->slots[j].apic_id == sl->apic_id)
				panic("smm: CPUs %u and %u share APIC ID %u\n",
				      j, i, sl->apic_id);
		if (!(cpuhp_status(hp, i) & CPUHP_STAT_ENABLED))
			continue;
		present++;
		if (sl->apic_id == self)
			st->bsp_slot = i;
		st->admit[i].smbase = sl->smbase;
		st->admit[i].apic_id = sl->apic_id;
		sl->state = SLOT_ADMITTED;
	}
	cpuhp_select(hp, 0);
	if (st->bsp_slot == ~0u)
		panic("smm: the BSP (APIC ID %u) is not a present CPU\n", self);

	install_wait_trampoline();
	smm_first_smi_resume(SMM_RESUME_TRAMPOLINE);
	/* The BSP first: a self-SMI, taken at the next instruction. */
	apic_send_smi(self);
	if (wait_relocated(st, st->bsp_slot, RELOCATE_BSP_US))
		panic("smm: the BSP did not relocate its SMBASE\n");

	/* KVM holds an SMI while a CPU waits for SIPI, as hardware does;
	 * TCG delivers it at once. Without KVM's signature, try TCG's
	 * rules first: an AP that relocates proves them. */
	st->rules = kvm_signature() ? SMM_RULES_LATCHED : SMM_RULES_TAKEN;
	if (st->rules == SMM_RULES_TAKEN && present > 1) {
		relocated = relocate_by_smi(st);
		if (!relocated)
			st->rules = SMM_RULES_LATCHED;
	}
	if (st->rules == SMM_RULES_LATCHED)
		for (uint32_t i = 0; i < st->nr_slots; i++)
			if (i != st->bsp_slot &&
			    st->slots[i].state == SLOT_ADMITTED &&
			    !relocate_by_sipi(st, i))
				relocated++;
	for (uint32_t i = 0; i < st->nr_slots; i++)
		if (st->slots[i].state == SLOT_ADMITTED)
			dprintf(DBG_ERR, "smm: CPU %u (APIC ID %u) did not "
				"relocate at boot; it will at its first SMI\n",
				i, st->slots[i].apic_id);
	return relocated + 1;
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
	st->boot_done = 1;
	hotplug_on = true;
	/* Last look at TSEG: once locked, this code reads 0xff there. */
	rules = st->rules;

	enable_apm_smi();
	smram_lock(mb, ext_mb != 0, true);
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
