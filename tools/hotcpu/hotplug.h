/* Plugging and unplugging one vCPU and waiting until the change is
 * confirmed: for an add, the guest's _OST success and the CPU online;
 * for a remove, QEMU's DEVICE_DELETED and the slot empty. */
#ifndef HOTCPU_HOTPLUG_H
#define HOTCPU_HOTPLUG_H

#include <stdio.h>

#include "cpus.h"
#include "guest.h"
#include "qmp.h"
#include "vm.h"

enum hp_outcome {
	HP_OK,
	HP_REFUSED,	/* QEMU's error reply to device_add/device_del */
	HP_OST_FAILED,	/* the guest's _OST reported a failure */
	HP_GUEST_REFUSED, /* _OST success, but the guest's console says no */
	HP_TIMEOUT,	/* no confirmation before the deadline */
	HP_BUDGET,	/* refused by hotcpu: QEMU would abort (TCG) */
	HP_LOST,	/* QEMU exited, or QEMU and guest disagree */
};

struct hotplug {
	struct vm *vm;
	struct qmp *q;
	struct guest_console con;
};

struct hp_result {
	int add;
	struct cpu_slot slot;
	double t;		/* s since VM start at the request */
	/* ms after the request; < 0: did not happen */
	double ost_ms, online_ms, offline_ms, deleted_ms, latency_ms;
	int ost_source, ost_status;
	enum hp_outcome outcome;
	char why[512];
};

int hotplug__open(struct hotplug *h, struct vm *vm, struct qmp *q);
void hotplug__close(struct hotplug *h);
/* The guest reports online CPUs itself (the bundled guest's agent). */
int hotplug__agent(const struct hotplug *h);

/* Both return 0 with the outcome in *r, or -errno when they could not
 * tell (QMP I/O). */
int hotplug__add(struct hotplug *h, const struct cpu_slot *slot,
		 int timeout_ms, struct hp_result *r);
int hotplug__remove(struct hotplug *h, const struct cpu_slot *slot,
		    int timeout_ms, struct hp_result *r);



#endif
