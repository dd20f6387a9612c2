/* The guest's CPU bring-up and offlining, Linux 6.12: INIT-SIPI-SIPI
 * (arch/x86/kernel/smpboot.c, the 10 s alive wait), the MP wakeup mailbox
 * (arch/x86/kernel/acpi/madt_wakeup.c: WAKEUP without a timeout, TEST
 * for 1 s after an offline), and play_dead (hlt, or the mailbox's reset
 * vector). */
#include "hw/mp_wakeup.h"
#include "model.h"
#include "os.h"

static void mbox_write(struct mcpu *c, uint16_t cmd, struct mcpu *x,
		       uint64_t vector)
{
	struct mbox_model *mb = &M->mbox;

	mb->mb.apic_id = x->apic_id;
	mb->mb.wakeup_vector = vector;
	mb->seq++;
	mb->acks = 0;
	mb->cur_cmd = cmd;
	mb->cur_apic = x->apic_id;
	mb->cur_vector = vector;
	/* smp_store_release(&mailbox->command, ...) */
	__atomic_store_n(&mb->mb.command, cmd, __ATOMIC_RELEASE);
	trace(c->idx, "mailbox: %s for APIC ID %u (vector 0x%llx)",
	      cmd == MP_WAKEUP_CMD_WAKEUP ? "WAKEUP" : "TEST", x->apic_id,
	      (unsigned long long)vector);
	point(c);
}

/* Waits until the command is 0 again; false after us. */
static bool mbox_acked(struct mcpu *c, uint64_t us)
{
	uint64_t end = M->now + us;

	while (__atomic_load_n(&M->mbox.mb.command, __ATOMIC_ACQUIRE)) {
		if (M->now > end || !M->cpu[c->idx].exists)
			return false;
		relax_point(c);
	}
	return true;
}

/* Whether the firmware refused this CPU, so that an OS error is the
 * expected outcome (a refusal is not a lost CPU). */
static bool refused(struct mcpu *x)
{
	return !x->exists || M->st.slots[x->idx].state == SLOT_ABSENT;
}

/* native_kick_ap(): start x (WAKEUP, or INIT-SIPI-SIPI). False if the
 * mailbox never answered. */
bool kick_ap(struct mcpu *c, struct mcpu *x)
{
	struct model *m = M;

	trace(c->idx, "OS: brings CPU %d up (%s)", x->idx,
	      m->mbox_on ? "mailbox" : "INIT-SIPI-SIPI");
	x->os_callin = false;
	x->os_expect_start = true;
	if (m->mbox_on) {
		uint64_t vec = OS_SIPI_VECTOR + 0x10 * (m->mbox.seq + 1);

		x->woken_vector = vec;
		mbox_write(c, MP_WAKEUP_CMD_WAKEUP, x, vec);
		if (!mbox_acked(c, OS_WAKEUP_US) && x->exists) {
			violation(INV_MAILBOX_UNANSWERED, "nobody acknowledged "
				  "WAKEUP for CPU %d (APIC ID %u); Linux spins "
				  "in acpi_wakeup_cpu() forever", x->idx,
				  x->apic_id);
			return false;
		}
		return true;
	}
	/* wakeup_secondary_cpu_via_init(), at a bad moment: an SMI
	 * (someone's hotplug, a re-send) reaches x just before. */
	if (fault(F_INIT_BAD, 100))
		send_smi_to(x, true);
	apic_init(x);
	wait_us(c, m->o->rules == RULES_TCG ? 10 * MODEL_MS : 1);
	apic_sipi(x, OS_SIPI_VECTOR);
	wait_us(c, 200);
	apic_sipi(x, OS_SIPI_VECTOR);
	if (fault(F_SIPI_SPURIOUS, 100) && m->nr_delayed < 64)
		m->delayed[m->nr_delayed++] = (struct delayed){
			m->now + rng_below(m, 300), x->idx, DELAYED_SIPI,
			OS_SIPI_VECTOR };
	return true;
}

/* cpuhp_bp_sync_alive(): wait for x to report alive. */
void wait_alive(struct mcpu *c, struct mcpu *x)
{
	struct model *m = M;
	uint64_t end = m->now + OS_ALIVE_US;

	while (!x->os_callin && m->now < end && x->exists)
		relax_point(c);
	x->os_expect_start = false;
	if (x->os_callin || refused(x))
		return;
	violation(INV_SIPI_LOST, "CPU %d (APIC ID %u) did not come up after "
		  "%s (Linux: CPU%d failed to report alive state); it is %s",
		  x->idx, x->apic_id,
		  m->mbox_on ? "WAKEUP" : "INIT-SIPI-SIPI", x->idx,
		  x->mode == M_WFS ? "in wait-for-SIPI" :
		  x->in_smm ? "in SMM" : "elsewhere");
}

/* cpu_up(): start x and wait for it to report alive. */
void cpu_up(struct mcpu *c, struct mcpu *x)
{
	if (!x->exists || !x->os_present || x->os_online)
		return;
	if (kick_ap(c, x))
		wait_alive(c, x);
}

/* cpu_down(): x runs play_dead, then (mailbox) the TEST hand-over. */
void cpu_down(struct mcpu *c, struct mcpu *x)
{
	struct model *m = M;
	uint64_t end;

	if (!x->exists || !x->os_online || x->idx == 0)
		return;
	trace(c->idx, "OS: takes CPU %d offline", x->idx);
	x->os_dying = true;
	end = m->now + OS_DEAD_US;
	while (!x->os_dead && m->now < end && x->exists)
		relax_point(c);
	x->os_online = false;
	if (!x->exists || !m->mbox_on)
		return;
	mbox_write(c, MP_WAKEUP_CMD_TEST, x, 0);
	if (!mbox_acked(c, OS_TEST_US) && x->exists)
		violation(INV_MAILBOX_UNANSWERED, "TEST for CPU %d unanswered "
			  "(Linux: Failed to hand over CPU %d to BIOS)", x->idx,
			  x->idx);
}

/* Linux's play_dead(): the mailbox's reset vector, or hlt for good. */
void play_dead(struct mcpu *c)
{
	trace(c->idx, "OS: play_dead (%s)",
	      M->mbox_on ? "to the reset vector" : "hlt");
	c->os_dead = true;
	if (M->mbox_on) {
		cpu_restart(c, START_PARK_RESET, 0);
		point(c);
	}
	for (;;)
		block_point(c);
}
