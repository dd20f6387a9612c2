/* What plug, unplug, resize and stress share: an open VM with its QMP
 * connection, console and CPU list, and running a batch of adds or
 * removes with one line per CPU. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotcpu.h"
#include "launch.h"
#include "opts.h"
#include "report.h"
#include "session.h"

int session__refresh(struct session *s)
{
	cpus__free(&s->cpus);
	return cpus__query(&s->q, &s->cpus);
}

int session__open(struct session *s, const char *name, const char *qmp)
{
	int r;

	memset(s, 0, sizeof(*s));
	r = qmp ? vm__attach(qmp, name, &s->vm, &s->q) :
		  vm__open(name, &s->vm, &s->q);
	if (r && qmp)
		return opts__attach_error(qmp, r);
	if (r)
		return opts__vm_error(name, r);
	name = s->vm.cfg.name;
	r = hotplug__open(&s->hp, &s->vm, &s->q);
	if (r) {
		vm__close(&s->vm, &s->q);
		return opts__fail(HOTCPU_EXIT_ERROR, "VM %s: cannot read its "
				  "console log %s/serial.log", name, s->vm.dir);
	}
	r = session__refresh(s);
	if (r) {
		session__close(s);
		return opts__fail(HOTCPU_EXIT_ERROR, "VM %s: cannot query its "
				  "CPUs over QMP: %s", name, s->q.error);
	}
	return 0;
}

void session__close(struct session *s)
{
	cpus__free(&s->cpus);
	hotplug__close(&s->hp);
	vm__close(&s->vm, &s->q);
}

int session__check_budget(struct session *s, size_t n)
{
	int left;

	if (vm__tcg_vcpus_left(&s->vm, &left) || (size_t)left >= n)
		return 0;
	return opts__fail(HOTCPU_EXIT_NO_CPU, "VM %s: %zu more vCPU%s would "
			  "abort QEMU: under TCG a VM can create only "
			  "--max-cpus (%u) vCPUs over its life and %d %s left "
			  "(QEMU never frees an unplugged vCPU's TCG "
			  "context). Restart it with a larger --max-cpus, or "
			  "use 'hotcpu stress', which does",
			  s->vm.cfg.name, n, n == 1 ? "" : "s",
			  VM_TCG_VCPU_LIMIT(&s->vm), left,
			  left == 1 ? "is" : "are");
}

void session__libvirt_note(struct session *s, const char *id)
{
	unsigned int n;
	char end;

	/* libvirt names its vCPU devices vcpuN and waits for their own
	 * DEVICE_DELETED, which QEMU under TCG never sends. */
	if (!s->vm.attached || strcmp(s->vm.accel, "tcg") ||
	    sscanf(id, "vcpu%u%c", &n, &end) != 1 || s->libvirt_noted++)
		return;
	fprintf(stderr, "hotcpu: VM %s: QEMU removed %s; if libvirt manages "
		"this VM it still counts that vCPU: under TCG QEMU never sends "
		"DEVICE_DELETED for a vCPU device, which libvirt waits for. "
		"Run the same virsh setvcpus again, or restart libvirtd (or "
		"virtqemud), to make it re-read QEMU's vCPUs (see "
		"docs/libvirt.md)\n", s->vm.cfg.name, id);
}

int session__apply(struct session *s, int add, struct cpu_slot **slots,
		   size_t n, int timeout_ms)
{
	struct hp_result *res;
	int r, rc = HOTCPU_EXIT_OK;
	size_t sent;

	if (!n)
		return HOTCPU_EXIT_OK;
	res = calloc(n, sizeof(*res));
	if (!res)
		return opts__fail(HOTCPU_EXIT_ERROR, "VM %s: out of memory",
				  s->vm.cfg.name);
	r = hotplug__batch(&s->hp, add, slots, n, timeout_ms, res, &sent);
	if (r) {
		free(res);
		return opts__fail(HOTCPU_EXIT_ERROR, "VM %s: %s",
				  s->vm.cfg.name, s->q.error);
	}
	for (size_t i = 0; i < sent; i++)
		report__step(stdout, &res[i]);
	fflush(stdout);
	for (size_t i = 0; i < sent; i++) {
		if (res[i].outcome == HP_OK) {
			if (!add)
				session__libvirt_note(s, res[i].slot.id);
			continue;
		}
		fprintf(stderr, "hotcpu: VM %s: %s %s failed: %s\n",
			s->vm.cfg.name, add ? "plugging" : "unplugging",
			res[i].slot.id, res[i].why);
		if (rc == HOTCPU_EXIT_OK) {
			rc = report__exit_code(res[i].outcome);
			if ((res[i].outcome == HP_LOST ||
			     res[i].outcome == HP_TIMEOUT) && !s->vm.attached)
				fprintf(stderr, "hotcpu: logs in %s (serial.log, "
					"qemu.log, events.jsonl, "
					"debugcon.log)\n", s->vm.dir);
		}
	}
	free(res);
	return rc;
}
