/* The boot firmware's part, in the order firmware/boot/main.c runs it:
 * smm_setup() (with the firmware's own firmware/shared/smm_boot.c),
 * mp_wakeup_setup(), acpi_setup() (the moment QEMU's MADT is fixed), and
 * the AP trampoline and ROM hlt loop that CPUs leaving the first-SMI stub
 * resume in. */
#include "cpuhp.h"
#include "debug.h"
#include "hw/cpuhp.h"
#include "hw/q35.h"
#include "layout.h"
#include "model.h"
#include "smm_boot.h"

#define PARK_WAIT_US	1000000	/* firmware/boot/mp_wakeup.c */
#define PARK_RETRY_US	50000

/* firmware/boot/mp_wakeup.c mp_wakeup_parked() */
static bool parked(uint32_t apic_id)
{
	struct mcpu *c = cpu_by_apic(apic_id);

	return c && c->park_slot_state == 1;
}

/* firmware/boot/mp_wakeup.c park_aps() and park_ap(): INIT and SIPI to
 * the trampoline in park mode, again every PARK_RETRY_US, until each
 * present AP reaches the park loop. */
static bool park_aps(struct mcpu *bsp, struct cpuhp *hp)
{
	struct model *m = M;
	unsigned want = 0, parked = 0;

	for (uint32_t i = 0; i < m->o->max_cpus; i++) {
		struct mcpu *c = &m->cpu[i];
		uint64_t end, next = 0;

		if (i == (uint32_t)bsp->idx ||
		    !(cpuhp_status(hp, i) & CPUHP_STAT_ENABLED))
			continue;
		want++;
		end = m->now + PARK_WAIT_US;
		while (c->park_slot_state != 1 && m->now < end) {
			if (m->now >= next) {
				model_platform.start_cpu(NULL, c->apic_id,
							 AP_TRAMPOLINE);
				next = m->now + PARK_RETRY_US;
			}
			relax_point(bsp);
		}
		parked += c->park_slot_state == 1;
	}
	cpuhp_select(hp, 0);
	return parked == want;
}

void fw_boot(struct mcpu *bsp)
{
	struct model *m = M;
	struct smm_state *st = &m->st;
	static uint32_t smbase_of[MODEL_MAX_CPUS];
	struct cpuhp hp;
	struct smm_boot b = {
		.st = st,
		.p = &model_platform,
		.hp = &hp,
		.trampoline_count = &m->trampoline_count,
		.self_apic_id = bsp->apic_id,
		.kvm = m->o->rules == RULES_KVM,
		.smbase_of = smbase_of,
		.parked = parked,
	};

	trace(bsp->idx, "firmware boots");
	/* smm_install(): SMRAM, admit[] empty, the first-SMI window. */
	st->nr_slots = m->o->max_cpus;
	for (uint32_t i = 0; i < SMM_MAX_CPUS; i++)
		st->admit[i].apic_id = SMM_ADMIT_EMPTY;
	for (uint32_t i = 0; i < m->o->max_cpus; i++)
		smbase_of[i] = model_slot_smbase(i);
	cpuhp_init(&hp, &model_platform, CPUHP_BASE_Q35);
	if (cpuhp_probe(&hp, SMM_MAX_CPUS))
		panic("model: the register block does not answer\n");
	st->park = m->o->bringup == BRINGUP_MAILBOX;
	st->xapic_base = 0xfee00000;
	__atomic_store_n(&st->magic, SMM_STATE_MAGIC, __ATOMIC_RELEASE);
	/* relocate_boot_cpus(): wait-mode trampoline, resumed into from
	 * the first-SMI stub. */
	m->trampoline_park = false;
	m->first_smi_resume_trampoline = true;
	smm_boot_relocate(&b);
	m->first_smi_resume_trampoline = st->park;
	/* smi_negotiate(): broadcast, hot-add, hot-unplug (QEMU then
	 * refuses no device_add or device_del). */
	m->dev.smi_negotiated = 7;
	/* enable_apm_smi() */
	m->smi_en |= ICH9_SMI_EN_APMC | ICH9_SMI_EN_GBL_SMI;
	/* mp_wakeup_setup() */
	if (st->park) {
		m->trampoline_park = true;
		m->mbox_on = park_aps(bsp, &hp);
		if (!m->mbox_on)
			trace(bsp->idx, "an AP did not park: no MP wakeup "
			      "mailbox, the OS uses INIT-SIPI-SIPI");
	}
	/* acpi_setup(): QEMU's tables are built now. CPUs present now are
	 * boot CPUs in the MADT; the rest come as hot-adds. */
	for (uint32_t i = 0; i < m->o->max_cpus; i++)
		m->cpu[i].os_present = m->cpu[i].exists;
	/* smm_finish(): CPUs plugged during boot. */
	smm_boot_admit_late(&b, st->park);
	__atomic_store_n(&st->boot_done, 1, __ATOMIC_RELEASE);
	trace(bsp->idx, "firmware done: the OS starts");
}

/* firmware/boot/ap_trampoline.S: report in, then spin (wait mode) or go
 * on to the park module (park mode). */
void ap_trampoline(struct mcpu *c)
{
	c->mode = M_FW;
	trace_mode(c);
	point(c);
	M->trampoline_count++;
	if (M->trampoline_park) {
		park_main(c, false);
		return;
	}
	c->idle_spin = true;
	for (;;)
		relax_point(c);
}

/* firmware/boot/entry.S rom_hlt_loop: cli; hlt, where a SIPI finds the
 * CPU as in wait-for-SIPI. */
void rom_hlt(struct mcpu *c)
{
	c->mode = M_FW;
	trace_mode(c);
	for (;;)
		block_point(c);
}
