/* The guest, as far as CPU hotplug goes: Linux 6.12 running QEMU 10.0's
 * CPU AML (model/aml.c) on its GPE, adding and removing processors
 * (drivers/acpi/scan.c acpi_scan_device_check(), acpi_scan_hot_remove()
 * with its _STA check after _EJ0), bringing CPUs up with INIT-SIPI-SIPI
 * (arch/x86/kernel/smpboot.c) or the MP wakeup mailbox
 * (arch/x86/kernel/acpi/madt_wakeup.c: WAKEUP without a timeout, TEST
 * after an offline with 1 s), offlining them (play_dead: a hlt loop, or
 * the mailbox's reset vector), and userspace that onlines new CPUs (the
 * bundled agent) or every offline CPU it sees (USER_ONLINE). */
#include <string.h>

#include "hw/cpuhp.h"
#include "hw/mp_wakeup.h"
#include "model.h"
#include "os.h"
#include "os_aml.h"


bool os_has_work(void)
{
	return M->work_head != M->work_tail;
}

static void queue(enum work_kind k, int cpu)
{
	struct model *m = M;

	for (uint32_t i = m->work_head; i != m->work_tail; i++) {
		struct work *w = &m->work[i % MODEL_WORK_MAX];

		if (w->kind == k && w->cpu == cpu)
			return;
	}
	if (m->work_tail - m->work_head == MODEL_WORK_MAX)
		return;
	m->work[m->work_tail++ % MODEL_WORK_MAX] = (struct work){ k, cpu };
}

void os_queue(enum work_kind k, int cpu)
{
	queue(k, cpu);
}

/* The GPE: QEMU raised it for a plug or an unplug request. */
void os_sci(void)
{
	if (M->os_up)
		queue(W_SCAN, -1);
	else
		M->sci_pending = true;
}

/* device_hotplug_lock. A CPU being taken offline while it waits for it
 * gives the work up (Linux migrates the worker to another CPU). */
static bool lock_hotplug(struct mcpu *c)
{
	while (M->hotplug_lock != -1 && M->hotplug_lock != c->idx) {
		if (c->os_dying)
			return false;
		relax_point(c);
	}
	M->hotplug_lock = c->idx;
	return true;
}

static void unlock_hotplug(struct mcpu *c)
{
	(void)c;
	M->hotplug_lock = -1;
}

/* acpi_scan_device_check() and acpi_processor_add(). */
static void linux_add(struct mcpu *c, struct mcpu *x)
{
	if (!(os_sta(c, (uint32_t)x->idx) & 1))
		return;
	if (x->os_added)
		return;	/* "Already enumerated" */
	x->os_added = true;
	x->os_present = true;
	trace(c->idx, "OS: CPU %d hot-added", x->idx);
	os_ost(c, (uint32_t)x->idx, 1, 0);
	/* The bundled agent onlines every new CPU (guest/cpuwatch.c). */
	queue(W_UP, x->idx);
}

/* acpi_device_hotplug() -> acpi_generic_hotplug_event(): "ejection in
 * progress" (ACPI_OST_SC_EJECT_IN_PROGRESS), then acpi_scan_hot_remove(). */
static void linux_remove(struct mcpu *c, struct mcpu *x)
{
	uint32_t sta;

	os_ost(c, (uint32_t)x->idx, 3, 0x84);
	if (!x->exists && M->foreign_armed[x->idx]) {
		M->foreign_armed[x->idx] = false;
		if (fault(F_DOUBLE_DEL, 500))
			host_foreign_plug(x->idx);
	}
	cpu_down(c, x);
	x->os_added = false;		/* acpi_bus_trim() */
	x->os_ejected_req = true;
	os_ej0(c, (uint32_t)x->idx);
	sta = os_sta(c, (uint32_t)x->idx);
	if (sta & 1) {
		/* No acpi_bus_post_eject(): the CPU stays present. */
		violation(INV_STA_AFTER_EJ0, "ACPI: \\_SB_.CPUS.C%03X: Eject "
			  "incomplete - status 0x%x", x->idx, sta);
		return;
	}
	x->os_present = false;
	os_ost(c, (uint32_t)x->idx, 3, 0);
}

static uint8_t junk_apm_value(void)
{
	uint8_t v;

	do
		v = (uint8_t)rng_below(M, 256);
	while (v == APM_CNT_CPU_HOTPLUG || v == 2 || v == 3);
	return v;
}

/* Junk to APM_CNT. Over a 4 not taken yet, a CPU that reads the junk
 * cannot know of the request (check_rsm()). */
static void junk_apm_write(struct mcpu *j, uint8_t v)
{
	struct model *m = M;

	if (m->apm_cnt == APM_CNT_CPU_HOTPLUG)
		for (uint32_t i = 0; i < m->o->max_cpus; i++)
			if (m->eject_pending[i])
				m->eject_junked[i] = true;
	port_write(j, APM_CNT_PORT, 1, v);
}

/* Right after c's AML wrote 4: another vCPU's junk OUT to APM_CNT, which
 * QEMU handles next, before that vCPU takes the broadcast SMI (under KVM
 * the SMI waits for its next entry; the soak's junk writer met it). */
void junk_over_apm(struct mcpu *c)
{
	struct model *m = M;
	uint32_t from = rng_below(m, m->o->max_cpus);

	for (uint32_t k = 0; k < m->o->max_cpus; k++) {
		struct mcpu *j = &m->cpu[(from + k) % m->o->max_cpus];
		uint8_t v;

		if (j == c || !j->exists || j->mode != M_OS || j->in_smm)
			continue;
		v = junk_apm_value();
		trace(j->idx, "junk: 0x%x to port 0xb2, right after CPU %d's 4",
		      v, c->idx);
		junk_apm_write(j, v);
		return;
	}
}

static void junk(struct mcpu *c)
{
	struct model *m = M;
	uint8_t v;

	wait_us(c, 2);
	/* The register block never inside an AML method: a guest that
	 * races its own AML there corrupts its own hotplug state, whatever
	 * the firmware does. The check and the access are one step. Junk
	 * on APM_CNT (never 4) may come at any time, also over the AML's
	 * own 4 before the monarch reads it. */
	switch (m->cplk != -1 ? 0 : rng_below(m, 4)) {
	case 0:
		v = junk_apm_value();
		trace(c->idx, "junk: 0x%x to port 0xb2", v);
		junk_apm_write(c, v);
		break;
	case 1:
		port_write(c, CPUHP_BASE_Q35 + CPUHP_W_CPU_SEL, 4,
			   rng_below(m, m->o->max_cpus + 4));
		break;
	case 2:
		port_write(c, CPUHP_BASE_Q35 + CPUHP_W_CMD, 1,
			   rng_below(m, 6));
		break;
	default:
		port_read(c, CPUHP_BASE_Q35 + rng_below(m, CPUHP_LEN), 1);
		break;
	}
}

static void run_work(struct mcpu *c, struct work w)
{
	static const char *const names[] = { "scan", "add", "remove", "up",
					     "down", "junk" };
	struct mcpu *x = w.cpu >= 0 ? &M->cpu[w.cpu] : NULL;

	trace(c->idx, "OS: work %s %d", names[w.kind], w.cpu);
	switch (w.kind) {
	case W_SCAN:
		os_cscn(c);
		return;
	case W_JUNK:
		junk(c);
		return;
	default:
		break;
	}
	if (!lock_hotplug(c)) {
		queue(w.kind, w.cpu);
		return;
	}
	switch (w.kind) {
	case W_ADD:
		linux_add(c, x);
		break;
	case W_REMOVE:
		linux_remove(c, x);
		break;
	case W_UP:
		cpu_up(c, x);
		break;
	case W_DOWN:
		cpu_down(c, x);
		break;
	default:
		break;
	}
	unlock_hotplug(c);
}

/* Linux runs the GPE handler on kacpid and the hotplug work on
 * kacpi_hotplug, each ordered (one item at a time, in order); userspace
 * (sysfs online/offline, junk) runs in parallel. */
static int wq_class(enum work_kind k)
{
	return k == W_SCAN ? 1 : (k == W_ADD || k == W_REMOVE) ? 2 : 0;
}

/* The oldest work item this CPU may run, or -1: never one that takes
 * this very CPU offline (Linux migrates the work off a dying CPU), and
 * never an ordered one while another of its queue runs or waits ahead of
 * it. */
static int64_t find_work(const struct mcpu *c)
{
	struct model *m = M;
	bool seen[3] = { false, false, false };

	for (uint32_t i = m->work_head; i != m->work_tail; i++) {
		struct work *e = &m->work[i % MODEL_WORK_MAX];
		int cls = wq_class(e->kind);

		if (cls && (seen[cls] || m->wq_busy[cls])) {
			seen[cls] = true;
			continue;
		}
		seen[cls] = true;
		if (e->cpu == c->idx &&
		    (e->kind == W_DOWN || e->kind == W_REMOVE))
			continue;
		return i;
	}
	return -1;
}

/* Whether c has work it may take: a halted OS CPU wakes for nothing
 * else (the others it would look at and leave, one step each). */
bool os_has_work_for(const struct mcpu *c)
{
	return os_has_work() && find_work(c) >= 0;
}

static bool take_work(struct mcpu *c, struct work *w)
{
	struct model *m = M;
	int64_t found = find_work(c);
	uint32_t i = (uint32_t)found;

	if (found < 0)
		return false;
	*w = m->work[i % MODEL_WORK_MAX];
	for (uint32_t j = i; j != m->work_head; j--)
		m->work[j % MODEL_WORK_MAX] = m->work[(j - 1) % MODEL_WORK_MAX];
	m->work_head++;
	m->wq_busy[wq_class(w->kind)] = wq_class(w->kind) != 0;
	return true;
}

static void os_cpu_loop(struct mcpu *c)
{
	struct model *m = M;
	struct work w;

	for (;;) {
		if (c->os_dying)
			play_dead(c);
		if (!c->os_dying && take_work(c, &w)) {
			run_work(c, w);
			m->wq_busy[wq_class(w.kind)] = false;
			point(c);
			continue;
		}
		block_point(c);
	}
}

/* An AP arrives at an OS vector: a SIPI's, or its WAKEUP's. */
void os_ap_entry(struct mcpu *c, uint64_t vector)
{
	check_os_code(c);
	if (!c->os_expect_start) {
		/* A start the OS did not ask for (a late extra SIPI): the
		 * trampoline finds no CPU to bring up and the AP halts. */
		trace(c->idx, "OS: stray start at 0x%llx, halts",
		      (unsigned long long)vector);
		c->mode = M_OS;
		c->os_dead = true;
		trace_mode(c);
		for (;;)
			block_point(c);
	}
	if (M->mbox_on && vector != c->woken_vector)
		violation(INV_MAILBOX_ACK, "CPU %d woke at 0x%llx, its WAKEUP "
			  "said 0x%llx", c->idx, (unsigned long long)vector,
			  (unsigned long long)c->woken_vector);
	c->mode = M_OS;
	trace_mode(c);
	c->os_dying = c->os_dead = false;
	c->os_online = true;
	c->os_callin = true;
	c->ever_online = true;
	trace(c->idx, "OS: CPU %d online", c->idx);
	os_cpu_loop(c);
}

/* After the firmware: Linux starts the boot APs, then enables ACPI's
 * GPEs (a plug during boot is handled then). */
void os_bsp_main(struct mcpu *c)
{
	struct model *m = M;

	c->mode = M_OS;
	trace_mode(c);
	check_os_code(c);
	c->os_present = c->os_online = c->os_callin = c->os_added = true;
	/* Linux 6.12 brings the boot APs up in parallel: kick them all,
	 * then wait for each to report alive. */
	for (uint32_t i = 1; i < m->o->max_cpus; i++)
		if (m->cpu[i].os_present) {
			m->cpu[i].os_added = true;
			if (!kick_ap(c, &m->cpu[i]))
				return;
		}
	for (uint32_t i = 1; i < m->o->max_cpus; i++)
		if (m->cpu[i].os_present)
			wait_alive(c, &m->cpu[i]);
	m->os_up = true;
	trace(c->idx, "OS: up");
	if (m->sci_pending)
		queue(W_SCAN, -1);
	os_cpu_loop(c);
}
