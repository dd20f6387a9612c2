/* Plugging and unplugging vCPUs in batches and waiting until each
 * change is confirmed: for an add, the guest's _OST success and the CPU
 * online; for a remove, QEMU's DEVICE_DELETED and the slot empty. */
#define _GNU_SOURCE	/* struct ucred */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "events.h"
#include "hotcpu.h"
#include "hotplug.h"
#include "probe.h"
#include "util.h"

/* A non-agent guest is asked every so often whether it started the
 * CPU, a booting one whether its ACPI is up. */
#define STARTED_POLL_MS		10
#define ACPI_POLL_MS		50
/* How long a guest's refusal on the console waits for its _OST. */
#define OST_GRACE_MS		1000

int hotplug__open(struct hotplug *h, struct vm *vm, struct qmp *q)
{
	h->vm = vm;
	h->q = q;
	memset(&h->acpi, 0, sizeof(h->acpi));
	return guest__open(vm, &h->con);
}

void hotplug__close(struct hotplug *h)
{
	guest__close(&h->con);
}

int hotplug__agent(const struct hotplug *h)
{
	return h->vm->cfg.agent || h->con.agent;
}

static void result_init(struct hp_result *r, const struct cpu_slot *slot,
			int add, const struct vm *vm)
{
	memset(r, 0, sizeof(*r));
	r->add = add;
	r->slot = *slot;
	/* A plugged CPU is cpuN, N its slot. */
	if (add) {
		snprintf(r->slot.id, sizeof(r->slot.id), "cpu%d", slot->index);
		snprintf(r->slot.qom_path, sizeof(r->slot.qom_path),
			 "/machine/peripheral/%s", r->slot.id);
	}
	r->t = util__wall_s() - vm->started;
	r->ost_ms = r->online_ms = r->offline_ms = r->deleted_ms = -1;
	r->latency_ms = -1;
	r->ost_source = r->ost_status = -1;
}

static int cpu_matches(const struct hp_result *r, json_t *info)
{
	const char *dev = json_string_value(json_object_get(info, "device"));
	const char *slot = json_string_value(json_object_get(info, "slot"));
	char index[16];

	snprintf(index, sizeof(index), "%d", r->slot.index);
	if (dev && *dev)
		return r->slot.id[0] && !strcmp(dev, r->slot.id);
	return slot && !strcmp(slot, index);
}

/* Takes what the events say about this CPU into *r. */
static void take_event(struct hp_result *r, json_t *ev, double t0)
{
	const char *name = json_string_value(json_object_get(ev, "event"));
	json_t *data = json_object_get(ev, "data");
	double at = json_number_value(json_object_get(ev, "hotcpu-rx-ms")) -
		    t0;

	if (!name)
		return;
	if (!strcmp(name, "ACPI_DEVICE_OST")) {
		json_t *info = json_object_get(data, "info");
		int source, status;

		source = json_integer_value(json_object_get(info, "source"));
		status = json_integer_value(json_object_get(info, "status"));

		if (!cpu_matches(r, info))
			return;
		if (source != (r->add ? OST_DEVICE_CHECK : OST_EJECT_REQUEST))
			return;
		/* A device check the guest already succeeded on may come
		 * again (an event pending across its ACPI's start-up) and
		 * fail as a duplicate: the first answer stands. */
		if (r->add && r->ost_status == 0)
			return;
		/* The guest reports an eject as pending first. */
		if (!r->add && status == OST_EJECT_PENDING &&
		    r->ost_status >= 0)
			return;
		r->ost_source = source;
		r->ost_status = status;
		r->ost_ms = at;
	} else if (!strcmp(name, "DEVICE_DELETED")) {
		const char *dev =
			json_string_value(json_object_get(data, "device"));
		const char *path =
			json_string_value(json_object_get(data, "path"));
		char lapic[160];

		/* QEMU 10.0 reports only the CPU's child lapic. */
		snprintf(lapic, sizeof(lapic), "%s/lapic", r->slot.qom_path);
		if ((dev && r->slot.id[0] && !strcmp(dev, r->slot.id)) ||
		    (path && (!strcmp(path, r->slot.qom_path) ||
			      !strcmp(path, lapic))))
			if (r->deleted_ms < 0)
				r->deleted_ms = at;
	}
}


/* Without the agent: the guest started the CPU once QEMU shows it
 * running in the kernel (probe.h). */
static int cpu_started(struct hotplug *h, int index)
{
	int in_kernel;

	return !probe__in_kernel(h->q, index, &in_kernel) && in_kernel;
}

int hotplug__wait_acpi(struct hotplug *h, double deadline)
{
	int up, r;

	for (;;) {
		r = probe__acpi_up(h->q, &h->acpi, &up);
		if (r == -ENOTSUP || (!r && up))
			return 0;
		if (r)
			return r;
		if (util__now_ms() >= deadline)
			return -ETIMEDOUT;
		util__sleep_ms(ACPI_POLL_MS);
	}
}

/* Waits for QMP input or console output, up to ms. */
static int wait_input(struct hotplug *h, int ms)
{
	struct pollfd pfd[2] = {
		{ .fd = h->q->fd, .events = POLLIN },
		{ .fd = h->con.notify_fd, .events = POLLIN },
	};
	int r;

	/* Without inotify the console is polled. */
	if (h->con.notify_fd < 0 && ms > STARTED_POLL_MS)
		ms = STARTED_POLL_MS;
	r = poll(pfd, h->con.notify_fd >= 0 ? 2 : 1, ms);
	if (r < 0 && errno != EINTR)
		return -errno;
	if (r > 0 && pfd[0].revents)
		return qmp__read(h->q, 0);
	return 0;
}

static void lost(struct hotplug *h, struct hp_result *r, int err)
{
	char log[PATH_MAX + 16], *text = NULL;

	r->outcome = HP_LOST;
	util__sleep_ms(200);
	VM_PATH(h->vm, "qemu.log", log);
	util__read_file(log, &text, NULL);
	snprintf(r->why, sizeof(r->why), "lost QMP (%.150s)%s%.300s",
		 h->q->error[0] ? h->q->error : strerror(-err),
		 text && *text ? "; qemu.log: " : "", text ?: "");
	free(text);
}

static void log_action(struct hotplug *h, const struct hp_result *r)
{
	static const char *const names[] = {
		[HP_OK] = "ok", [HP_REFUSED] = "refused",
		[HP_OST_FAILED] = "ost-failed",
		[HP_GUEST_REFUSED] = "guest-refused", [HP_TIMEOUT] = "timeout",
		[HP_BUDGET] = "budget", [HP_LOST] = "lost",
		[HP_REMOVED] = "removed", [HP_TAKEN] = "taken",
	};
	json_t *ev = json_pack("{s:s, s:s, s:i, s:s, s:f, s:s}", "event",
			       r->add ? "HOTCPU_PLUG" : "HOTCPU_UNPLUG",
			       "id", r->slot.id, "index", r->slot.index,
			       "outcome", names[r->outcome],
			       "latency-ms", r->latency_ms, "why", r->why);

	events__append(h->vm, ev);
	json_decref(ev);
}

/* One CPU of a batch while hotcpu waits for its confirmation. */
struct hp_wait {
	struct hp_result *r;
	double t0;		/* host ms of its request */
	unsigned int refusals;	/* the console's count at the request */
	double refused_ms;	/* when the console refused a CPU, or 0 */
	double probed_ms;	/* last probe__in_kernel() (no agent) */
	int done;
};

/* A batch: the requests sent, and the last confirmation, from which
 * every CPU still waiting gets timeout_ms. */
struct hp_batch {
	struct hotplug *h;
	int add, agent, timeout_ms;
	struct hp_wait *w;
	size_t n;		/* requests sent */
	size_t left;		/* of them not done */
	double progress_ms;
	double next_probe;	/* next probe__in_kernel() (no agent) */
};

static void batch_done(struct hp_batch *b, struct hp_wait *w)
{
	w->done = 1;
	b->left--;
	b->progress_ms = util__now_ms();
	log_action(b->h, w->r);
}

/* Every queued QMP event to every CPU of the batch it names. */
static void take_events(struct hp_batch *b)
{
	json_t *ev;

	while ((ev = qmp__pop_event(b->h->q))) {
		for (size_t i = 0; i < b->n; i++)
			if (!b->w[i].done)
				take_event(b->w[i].r, ev, b->w[i].t0);
		json_decref(ev);
	}
}

/* QMP broke: every CPU still waiting is lost, with the same reason. */
static void batch_lost(struct hp_batch *b, int err)
{
	struct hp_wait *first = NULL;

	for (size_t i = 0; i < b->n; i++) {
		struct hp_wait *w = &b->w[i];

		if (w->done)
			continue;
		if (!first) {
			lost(b->h, w->r, err);
			first = w;
		} else {
			w->r->outcome = HP_LOST;
			memcpy(w->r->why, first->r->why, sizeof(w->r->why));
		}
		batch_done(b, w);
	}
}

/* Before the guest's ACPI is up the plugs are pending in QEMU: the guest
 * boots with the CPUs (the firmware and the MADT count them: no _OST),
 * or handles the events once it enables the GPE (_OST). Either way a
 * CPU is confirmed by the guest starting it, once its ACPI is up. */
static void wait_boot(struct hp_batch *b, double t0)
{
	int err = hotplug__wait_acpi(b->h, t0 + b->timeout_ms);
	double now = util__now_ms();

	if (err && err != -ETIMEDOUT) {
		batch_lost(b, err);
		return;
	}
	for (size_t i = 0; i < b->n; i++) {
		struct hp_result *r = b->w[i].r;

		if (b->w[i].done || !r->at_boot)
			continue;
		if (!err) {
			r->boot_wait_ms = now - b->w[i].t0;
			continue;
		}
		r->outcome = HP_TIMEOUT;
		snprintf(r->why, sizeof(r->why), "QEMU has the CPU, but the "
			 "guest's ACPI did not come up within %d s of the plug "
			 "(it is still booting, stuck, or runs without ACPI; "
			 "see serial.log)", b->timeout_ms / 1000);
		batch_done(b, &b->w[i]);
	}
	b->progress_ms = now;
}

static void add_timed_out(struct hp_batch *b, struct hp_result *r)
{
	r->outcome = HP_TIMEOUT;
	if (r->ost_status < 0 && r->at_boot)
		snprintf(r->why, sizeof(r->why), "plugged while the guest "
			 "booted; its ACPI is up but it neither started the "
			 "CPU nor sent an _OST for it (%s; see serial.log)",
			 b->agent ? "its agent does not list it" :
			 "does the guest online hot-added CPUs? "
			 "echo 1 > /sys/devices/system/cpu/cpuN/online");
	else if (r->ost_status < 0)
		snprintf(r->why, sizeof(r->why), "no _OST from the guest for "
			 "the add although its ACPI handles CPU hotplug: the "
			 "firmware's SMI handler may be stuck (see serial.log "
			 "and debugcon.log)");
	else
		snprintf(r->why, sizeof(r->why), "_OST success after %.1f ms "
			 "but the guest %s", r->ost_ms, b->agent ?
			 "did not online the CPU (see serial.log)" :
			 "did not start the CPU (does it online hot-added "
			 "CPUs? a udev rule, or echo 1 > "
			 "/sys/devices/system/cpu/cpuN/online)");
}

/* Whether an add is settled, one way or the other. */
static int step_add(struct hp_batch *b, struct hp_wait *w, double now)
{
	struct hotplug *h = b->h;
	struct hp_result *r = w->r;

	if (h->con.online[r->slot.index] && r->online_ms < 0 && b->agent)
		r->online_ms = h->con.online_ms - w->t0;
	/* Another QMP client unplugged the CPU before the guest had it up:
	 * its eject fails the agent's online, and nothing will start it.
	 * Neither a refusal nor a timeout. */
	if (r->deleted_ms >= 0 && r->online_ms < 0) {
		r->outcome = HP_REMOVED;
		snprintf(r->why, sizeof(r->why), "another QMP client unplugged "
			 "it (device_del) before the guest had it online: "
			 "QEMU's DEVICE_DELETED %.1f ms after the plug",
			 r->deleted_ms);
		return 1;
	}
	if (r->ost_status > 0) {
		r->outcome = HP_OST_FAILED;
		snprintf(r->why, sizeof(r->why), "the guest's _OST reported "
			 "status 0x%x (%s) for the add", r->ost_status,
			 events__ost_name(r->ost_source, r->ost_status));
		return 1;
	}
	/* The refusal comes before the _OST: give the _OST a moment to
	 * arrive, to report both, and another client's unplug, whose eject
	 * may be what failed the agent's online, a moment to show. A
	 * refusal names no CPU: it counts for every add of the batch the
	 * guest has not started. */
	if (h->con.refusals != w->refusals && !w->refused_ms)
		w->refused_ms = now;
	if (w->refused_ms && r->online_ms < 0 &&
	    now - w->refused_ms > OST_GRACE_MS) {
		r->outcome = HP_GUEST_REFUSED;
		snprintf(r->why, sizeof(r->why), "the guest refused the CPU: "
			 "\"%.200s\" (its _OST %s%s%.20s%s)", h->con.refusal,
			 r->ost_status == 0 ? "said success" : "has not come",
			 h->con.possible[0] ? "; it booted with possible CPUs " :
			 "", h->con.possible,
			 h->con.possible[0] ? ", see docs/cli.md" : "");
		return 1;
	}
	if ((r->ost_status == 0 || r->at_boot) && r->online_ms >= 0) {
		r->latency_ms = r->online_ms > r->ost_ms ? r->online_ms :
							   r->ost_ms;
		return 1;
	}
	if (now >= b->progress_ms + b->timeout_ms) {
		add_timed_out(b, r);
		return 1;
	}
	return 0;
}

/* Without the agent: one vCPU asked per STARTED_POLL_MS, in turn, so
 * that a large batch does not flood the monitor. */
static void probe_started(struct hp_batch *b, double now)
{
	struct hp_wait *pick = NULL;

	if (now < b->next_probe)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct hp_wait *w = &b->w[i];
		struct hp_result *r = w->r;

		if (w->done || r->online_ms >= 0 ||
		    !(r->ost_status == 0 || r->at_boot))
			continue;
		if (!pick || w->probed_ms < pick->probed_ms)
			pick = w;
	}
	if (!pick)
		return;
	if (cpu_started(b->h, pick->r->slot.index))
		pick->r->online_ms = util__now_ms() - pick->t0;
	pick->probed_ms = now;
	b->next_probe = now + STARTED_POLL_MS;
}

/* QEMU lists the slot empty again (1), or with another vCPU in it (2):
 * another client plugged it once this one was deleted, perhaps under
 * the same id. 0: the CPU is still listed. */
static int slot_empty(struct hotplug *h, const struct cpu_slot *slot)
{
	struct cpu_list l;
	struct cpu_slot *s;
	int r = cpus__query(h->q, &l);

	if (r)
		return r;
	s = cpus__by_index(&l, slot->index);
	r = !s ? 0 : !s->present ? 1 : cpus__replugged(slot, s) ? 2 : 0;
	cpus__free(&l);
	return r;
}

/* Whether a remove is settled, one way or the other. */
static int step_remove(struct hp_batch *b, struct hp_wait *w, double now)
{
	struct hotplug *h = b->h;
	struct hp_result *r = w->r;
	int err;

	if (!h->con.online[r->slot.index] && r->offline_ms < 0 &&
	    h->con.agent)
		r->offline_ms = h->con.online_ms - w->t0;
	if (r->ost_status > 0 && r->ost_status != OST_EJECT_PENDING) {
		r->outcome = HP_OST_FAILED;
		snprintf(r->why, sizeof(r->why), "the guest's _OST reported "
			 "status 0x%x (%s) for the eject", r->ost_status,
			 events__ost_name(r->ost_source, r->ost_status));
		return 1;
	}
	/* The guest's final _OST (status 0, after the pending 0x84) ends
	 * its eject: plugging the slot again before it races the guest's
	 * _STA check ("Eject incomplete") and the new CPU never comes
	 * online. A guest that never sends it gets two seconds. */
	if (r->deleted_ms >= 0 &&
	    (r->ost_status == 0 ||
	     now - w->t0 > r->deleted_ms + PROBE_EJECT_SETTLE_MS)) {
		r->latency_ms = r->deleted_ms;
		err = slot_empty(h, &r->slot);
		if (err < 0) {
			lost(h, r, err);
		} else if (err == 2) {
			r->replugged = 1;
			snprintf(r->why, sizeof(r->why), "removed; another QMP "
				 "client has plugged the slot again since");
		} else if (!err) {
			r->outcome = HP_LOST;
			snprintf(r->why, sizeof(r->why), "DEVICE_DELETED arrived "
				 "but query-hotpluggable-cpus still lists the "
				 "CPU");
		}
		return 1;
	}
	if (now >= b->progress_ms + b->timeout_ms) {
		r->outcome = HP_TIMEOUT;
		snprintf(r->why, sizeof(r->why), "no DEVICE_DELETED from QEMU "
			 "(last _OST: %s)", r->ost_status < 0 ? "none" :
			 events__ost_name(r->ost_source, r->ost_status));
		return 1;
	}
	return 0;
}

/* device_add of r's slot as cpuN; 0 when QEMU took it, else r says
 * why (or -errno: it could not tell). */
static int send_add(struct hotplug *h, struct hp_result *r)
{
	const struct cpu_slot *slot = &r->slot;
	unsigned int created;
	json_t *args;
	int left, err;

	err = vm__tcg_vcpus_left(h->vm, &left);
	if (err)
		return err;
	if (left <= 0) {
		r->outcome = HP_BUDGET;
		snprintf(r->why, sizeof(r->why), "QEMU's TCG can create only "
			 "%u vCPUs (--max-cpus) over a VM's life and this VM "
			 "has used them all: another device_add would abort "
			 "QEMU (tcg_register_thread). Restart the VM with a "
			 "larger --max-cpus",
			 VM_TCG_VCPU_LIMIT(h->vm));
		return 1;
	}
	args = json_pack("{s:s, s:s}", "driver", slot->type, "id", r->slot.id);
	if (slot->socket >= 0)
		json_object_set_new(args, "socket-id",
				    json_integer(slot->socket));
	if (slot->die >= 0)
		json_object_set_new(args, "die-id", json_integer(slot->die));
	if (slot->module >= 0)
		json_object_set_new(args, "module-id",
				    json_integer(slot->module));
	if (slot->core >= 0)
		json_object_set_new(args, "core-id", json_integer(slot->core));
	if (slot->thread >= 0)
		json_object_set_new(args, "thread-id",
				    json_integer(slot->thread));
	err = qmp__execute(h->q, "device_add", args, NULL, 10000);
	if (err == -EREMOTEIO) {
		r->outcome = HP_REFUSED;
		snprintf(r->why, sizeof(r->why), "QEMU refused device_add: %.400s",
			 h->q->error);
		return 1;
	}
	if (err) {
		lost(h, r, err);
		return 1;
	}
	if (!vm__vcpus_created(h->vm, &created))
		vm__set_vcpus_created(h->vm, created + 1);
	return 0;
}

/* Our own unplug waits for the guest's final _OST before it returns, but
 * a slot another client unplugged may still be in the guest's eject:
 * plugging it then makes the guest's _STA check read present ("Eject
 * incomplete") and the new CPU is never onlined. So each device_add
 * waits for its slot's eject, as long as after an unplug of our own at
 * most, and follows the look at once. QEMU shows no remove event to QMP:
 * an eject the guest begins between the look and the device_add (a QMP
 * round trip) is not seen. */
static int settle_and_add(struct hotplug *h, struct hp_result *r)
{
	int pending = 0;

	probe__ejects_settled(h->q, &r->slot.index, 1, PROBE_EJECT_SETTLE_MS,
			      &pending);
	return send_add(h, r);
}

/* device_del of r's slot; 0 when QEMU took it, else r says why. */
static int send_remove(struct hotplug *h, struct hp_result *r)
{
	const struct cpu_slot *slot = &r->slot;
	int err;

	err = qmp__execute(h->q, "device_del", json_pack("{s:s}", "id",
			   slot->id[0] ? slot->id : slot->qom_path), NULL,
			   10000);
	/* Another client (libvirt) asked for this unplug moments ago:
	 * finish it rather than fail. */
	if (err == -EREMOTEIO &&
	    strstr(h->q->error, "already in the process of unplug")) {
		r->pending = 1;
		err = 0;
	}
	if (err == -EREMOTEIO) {
		r->outcome = HP_REFUSED;
		snprintf(r->why, sizeof(r->why), "QEMU refused device_del: %.400s",
			 h->q->error);
		return 1;
	}
	if (err) {
		lost(h, r, err);
		return 1;
	}
	return 0;
}

/* A device_add that fails makes QEMU 10 wait for an RCU grace period
 * (drain_call_rcu()), and under multi-threaded TCG that wait can stop
 * QEMU for good (docs/smm-cpu-hotplug.md, Limits). So two hotcpu
 * processes plugging the same QEMU, one by name and one with --qmp say,
 * must never race for a slot: each holds a lock of that QEMU process's
 * own while it checks its slots against QEMU's list and sends its
 * device_adds. Negative if there is no such lock (no peer pid, no
 * runtime directory, held for 10 s): the check alone then narrows the
 * race. */
static int send_lock(struct hotplug *h)
{
	char path[PATH_MAX];
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(h->q->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    cred.pid <= 0 || vm__base_dir(path, sizeof(path) - 32))
		return -1;
	snprintf(path + strlen(path), 32, "/qemu-%d.plug.lock", (int)cred.pid);
	return util__lock_file(path, 10000);
}

static void send_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Whether QEMU lists the slot of r as taken now. */
static int slot_taken(const struct cpu_list *now, struct hp_result *r)
{
	for (size_t i = 0; i < now->n; i++) {
		const struct cpu_slot *s = &now->slot[i];

		if (s->index != r->slot.index || !s->present)
			continue;
		r->outcome = HP_TAKEN;
		snprintf(r->why, sizeof(r->why), "another QMP client plugged "
			 "this slot first (%s); nothing was sent",
			 *s->id ? s->id : s->qom_path);
		return 1;
	}
	return 0;
}

/* Sends every request, up to the first QEMU does not take. */
static int batch_send(struct hp_batch *b, struct cpu_slot **slots, size_t n,
		      struct hp_result *res)
{
	struct hotplug *h = b->h;
	int up = 1, at_boot = 0, prelaunch = 0, err = 0, lock = -1;
	int have_now = 0;
	struct cpu_list now;
	double t0, boot_wait_ms = 0;

	guest__poll(&h->con);
	if (b->add) {
		err = probe__acpi_up(h->q, &h->acpi, &up);
		if (err && err != -ENOTSUP) {
			result_init(&res[0], slots[0], 1, h->vm);
			b->w[0] = (struct hp_wait){ .r = &res[0] };
			b->n = b->left = 1;
			batch_lost(b, err);
			return 0;
		}
		at_boot = !err && !up;
		/* Before the firmware's first instruction a CPU is one the
		 * guest boots with: the firmware admits it in SMM and QEMU's
		 * tables list it. Once the guest runs, a CPU plugged after
		 * the firmware admitted the boot CPUs and before the OS
		 * enabled the hotplug GPE is found by the OS's ACPI scan
		 * (_STA) with no SMI for it: Linux then wakes a CPU the
		 * firmware never admitted and spins in acpi_wakeup_cpu()
		 * forever. So such a plug waits for the guest's ACPI and is
		 * an ordinary hot-add (docs/cli.md). */
		if (at_boot && !probe__prelaunch(h->q, &prelaunch) &&
		    !prelaunch)
			at_boot = 0;
	}
	if (!b->add || (!up && !at_boot)) {
		/* Before its ACPI is up the guest could not eject a CPU:
		 * QEMU would keep the request pending for a CPU the guest
		 * boots with. */
		t0 = util__now_ms();
		err = hotplug__wait_acpi(h, t0 + b->timeout_ms);
		if (err) {
			result_init(&res[0], slots[0], b->add, h->vm);
			b->w[0] = (struct hp_wait){ .r = &res[0] };
			b->n = b->left = 1;
			if (err != -ETIMEDOUT) {
				batch_lost(b, err);
				return 0;
			}
			res[0].outcome = HP_TIMEOUT;
			snprintf(res[0].why, sizeof(res[0].why), "the guest's "
				 "ACPI did not come up within %d s; nothing was "
				 "%s", b->timeout_ms / 1000,
				 b->add ? "plugged" : "unplugged");
			batch_done(b, &b->w[0]);
			return 0;
		}
		if (util__now_ms() - t0 > ACPI_POLL_MS / 2)
			boot_wait_ms = util__now_ms() - t0;
		guest__poll(&h->con);
	}
	if (b->add) {
		lock = send_lock(h);
		have_now = !cpus__query_slots(h->q, &now);
	}
	for (size_t i = 0; i < n; i++) {
		struct hp_wait *w = &b->w[i];

		result_init(&res[i], slots[i], b->add, h->vm);
		res[i].boot_wait_ms = boot_wait_ms;
		res[i].at_boot = at_boot;
		res[i].agent = b->agent;
		*w = (struct hp_wait){ .r = &res[i], .t0 = util__now_ms(),
				       .refusals = h->con.refusals };
		b->n++;
		b->left++;
		if (b->add && have_now && slot_taken(&now, &res[i]))
			err = 1;
		else
			err = b->add ? settle_and_add(h, &res[i]) :
				       send_remove(h, &res[i]);
		if (err < 0)
			break;
		if (err) {
			batch_done(b, w);
			/* QMP is gone: nothing more can be sent. */
			if (res[i].outcome == HP_LOST)
				batch_lost(b, -ECONNRESET);
			err = 0;
			break;
		}
	}
	send_unlock(lock);
	if (have_now)
		cpus__free(&now);
	return err < 0 ? err : 0;
}

int hotplug__batch(struct hotplug *h, int add, struct cpu_slot **slots,
		   size_t n, int timeout_ms, struct hp_result *res,
		   size_t *sent)
{
	struct hp_batch b = { .h = h, .add = add, .agent = hotplug__agent(h),
			      .timeout_ms = timeout_ms };
	int err = 0;

	*sent = 0;
	if (!n)
		return 0;
	b.w = calloc(n, sizeof(*b.w));
	if (!b.w)
		return -ENOMEM;
	err = batch_send(&b, slots, n, res);
	if (err)
		goto out_free;
	b.progress_ms = util__now_ms();
	if (add && b.left && res[0].at_boot)
		wait_boot(&b, b.w[0].t0);
	while (b.left) {
		double now, next;

		take_events(&b);
		guest__poll(&h->con);
		now = util__now_ms();
		if (add && !b.agent)
			probe_started(&b, now);
		for (size_t i = 0; i < b.n; i++)
			if (!b.w[i].done &&
			    (add ? step_add(&b, &b.w[i], now) :
				   step_remove(&b, &b.w[i], now)))
				batch_done(&b, &b.w[i]);
		if (!b.left)
			break;
		/* Polled: a guest without the agent, a refusal waiting for
		 * its _OST, an eject waiting for its final _OST; else until
		 * the next input or the deadline. */
		next = b.progress_ms + timeout_ms - util__now_ms();
		if (add && (!b.agent || h->con.refusals != b.w[0].refusals))
			next = STARTED_POLL_MS;
		for (size_t i = 0; !add && i < b.n; i++)
			if (!b.w[i].done && b.w[i].r->deleted_ms >= 0)
				next = ACPI_POLL_MS;
		err = wait_input(h, next > 0 ? (int)next + 1 : 1);
		if (err && h->q->broken)
			batch_lost(&b, err);
		err = 0;
	}
out_free:
	*sent = b.n;
	free(b.w);
	return err;
}

int hotplug__add(struct hotplug *h, const struct cpu_slot *slot,
		 int timeout_ms, struct hp_result *r)
{
	struct cpu_slot *one = (struct cpu_slot *)slot;
	size_t sent;

	return hotplug__batch(h, 1, &one, 1, timeout_ms, r, &sent);
}

int hotplug__remove(struct hotplug *h, const struct cpu_slot *slot,
		    int timeout_ms, struct hp_result *r)
{
	struct cpu_slot *one = (struct cpu_slot *)slot;
	size_t sent;

	return hotplug__batch(h, 0, &one, 1, timeout_ms, r, &sent);
}
