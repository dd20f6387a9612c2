/* The hypervisor's user: device_add and device_del over "QMP", as hotcpu
 * plug and unplug issue them, in cycles; with OVERLAP, a device_del right
 * after its device_add or a device_add while an unplug is in flight; with
 * DOUBLE_DEL, a second client's device_del of a CPU being unplugged; with
 * BOOT_ADD, a device_add while the firmware boots; with USER_ONLINE and
 * JUNK, the guest userspace's actions, which the host times. */
#include <string.h>

#include "model.h"

#define HOST_WAIT_US	(30 * MODEL_S)	/* hotcpu's --timeout */

/* QEMU's device_add: a new vCPU in wait-for-SIPI, then the device's plug
 * callback (insert event, GPE). */
static int plug(int idx)
{
	struct model *m = M;
	struct mcpu *c = &m->cpu[idx];

	if (c->exists)
		return -1;
	cpu_create(c, START_WFS);
	c->hotplugged = true;
	trace(-1, "QMP: device_add CPU %d (APIC ID %u)", idx, c->apic_id);
	trace_mode(c);
	return cpuhp_dev_plug(&m->dev, (uint32_t)idx);
}

static int unplug(int idx)
{
	int err;

	trace(-1, "QMP: device_del CPU %d", idx);
	err = cpuhp_dev_unplug_request(&M->dev, (uint32_t)idx);
	if (err)
		trace(-1, "QMP: device_del CPU %d: refused (%d)", idx, err);
	else
		M->host_unplugging[idx] = true;
	return err;
}

/* hotcpu's plug first waits, two seconds at most, until the guest's last
 * _OST for the slot is no longer "eject pending" (0x84): a
 * second client's unplug of the slot may still be in the guest's eject
 * (tools/hotcpu/probe.c, probe__ejects_settled()). */
static void settle_eject(int idx)
{
	const struct cpuhp_dev_cpu *d = &M->dev.cpu[idx];
	uint64_t end = M->now + 2 * MODEL_S;

	if (MUTATION(PLUG_NO_SETTLE))
		return;
	while (d->ost_event == 3 && d->ost_status == 0x84 && M->now < end)
		host_wait_us(20 * MODEL_MS);
}

/* A second QMP client's device_del of a CPU this one is unplugging, a
 * little later: QEMU sets the remove event again, and when the guest's
 * CSCN had already cleared the first, the guest gets a second eject
 * request. If it comes after the eject, QEMU keeps it for whatever CPU
 * is plugged into the slot next, and the guest ejects that one
 * (docs/smm-cpu-hotplug.md, "What SMM does not trust"). */
static void second_client(const int *idx, int n)
{
	int i;

	if (!fault(F_DOUBLE_DEL, 300))
		return;
	host_wait_us(rng_below(M, 3 * MODEL_MS));
	trace(-1, "QMP: a second client unplugs too");
	i = idx[rng_below(M, (uint32_t)n)];
	if (!unplug(i))
		M->foreign_armed[i] = true;
}

/* Another client's device_add, which QEMU handles while the guest is in
 * its eject of the slot's absent CPU, after its "eject pending" _OST and
 * before its _EJ0: the eject meets a CPU no SMI has admitted yet (soak
 * fault 3). hotcpu itself waits for that eject (settle_eject()); a
 * script of the user's need not. Plugged between _EJ0 and the guest's
 * _STA check instead, the new CPU makes the guest log "Eject incomplete"
 * whatever the firmware does: not modelled (docs/model.md). */
void host_foreign_plug(int idx)
{
	trace(-1, "QMP: another client plugs the slot during the eject");
	plug(idx);
}

static void user_actions(void)
{
	struct model *m = M;

	if (fault(F_JUNK, 300))
		os_queue(W_JUNK, -1);
	if (!(m->o->faults & (1ull << F_USER_ONLINE)))
		return;
	for (uint32_t i = 1; i < m->o->max_cpus; i++) {
		struct mcpu *c = &m->cpu[i];

		if (c->exists && c->os_present && !c->os_online &&
		    fault(F_USER_ONLINE, 500))
			os_queue(W_UP, (int)i);
		else if (c->exists && c->os_online &&
			 fault(F_USER_ONLINE, 50))
			os_queue(W_DOWN, (int)i);
	}
}

/* Free slots, lowest first, up to n. */
static int free_slots(int *out, int n)
{
	int k = 0;

	for (uint32_t i = 1; i < M->o->max_cpus && k < n; i++)
		if (!M->cpu[i].exists && !M->host_unplugging[i])
			out[k++] = (int)i;
	return k;
}

static bool all(const int *idx, int n, bool (*done)(int))
{
	for (int i = 0; i < n; i++)
		if (!done(idx[i]))
			return false;
	return true;
}

/* hotcpu plug waits for the guest's _OST and the CPU online once;
 * userspace may take it offline again at any time. */
static bool online(int i)
{
	return M->cpu[i].ever_online || M->failed;
}

static bool gone(int i)
{
	return (!M->cpu[i].exists && !M->host_unplugging[i]) || M->failed;
}

/* Rounds of: plug 1-3 CPUs back to back (as `hotcpu plug N` and resize
 * do, so the guest may take them in one CSCN pass), wait until the guest
 * has them online, unplug them back to back, wait until they are gone.
 * Each CPU plugged and unplugged is a cycle. */
void host_main(void *arg)
{
	struct model *m = M;
	int boot_add = -1;

	(void)arg;
	if (fault(F_BOOT_ADD, 500)) {
		host_wait_us(rng_below(m, 3 * MODEL_MS));
		if (free_slots(&boot_add, 1))
			plug(boot_add);
	}
	while (!m->os_up)
		host_wait_us(200);
	m->cycles_done = 0;
	while (m->cycles_done < m->o->cycles && !m->failed) {
		int idx[3], n, want = 1 + (int)rng_below(m, 3);
		uint64_t end;

		if (want > (int)(m->o->cycles - m->cycles_done))
			want = (int)(m->o->cycles - m->cycles_done);
		n = free_slots(idx, want);
		if (!n)
			break;
		if (boot_add > 0 && n) {
			idx[0] = boot_add;
			boot_add = -1;
		}
		trace(-1, "QMP: cycle %u", m->cycles_done + 1);
		for (int i = 0; i < n; i++) {
			/* The look and the device_add in one step: the QMP
			 * round trip between them is not modelled. */
			settle_eject(idx[i]);
			if (!m->cpu[idx[i]].exists)
				plug(idx[i]);
			host_wait_us(rng_below(m, 300));
		}
		if (fault(F_OVERLAP, 200)) {
			host_wait_us(rng_below(m, 2 * MODEL_MS));
		} else {
			end = m->now + HOST_WAIT_US;
			while (!all(idx, n, online) && m->now < end)
				host_wait_us(500);
			user_actions();
			host_wait_us(rng_below(m, 5 * MODEL_MS));
		}
		for (int i = 0; i < n; i++) {
			unplug(idx[i]);
			host_wait_us(rng_below(m, 300));
		}
		second_client(idx, n);
		if (fault(F_OVERLAP, 200)) {
			int other[4], k;

			/* A device_add into another slot while the unplugs
			 * are under way. */
			host_wait_us(rng_below(m, 2 * MODEL_MS));
			k = free_slots(other, n + 1);
			for (int i = 0; i < k; i++) {
				bool ours = false;

				for (int j = 0; j < n; j++)
					ours |= other[i] == idx[j];
				if (!ours) {
					settle_eject(other[i]);
					plug(other[i]);
					break;
				}
			}
		}
		user_actions();
		end = m->now + HOST_WAIT_US;
		while (!all(idx, n, gone) && m->now < end)
			host_wait_us(500);
		m->cycles_done += (uint32_t)n;
		host_wait_us(rng_below(m, 2 * MODEL_MS));
	}
	m->host_done = true;
	coro_switch(&m->host_co.sp, m->sched_co.sp);
}
