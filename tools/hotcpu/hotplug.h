/* Plugging and unplugging vCPUs in batches and waiting until each
 * change is confirmed: for an add, the guest's _OST success and the CPU
 * online; for a remove, QEMU's DEVICE_DELETED and the slot empty. */
#ifndef HOTCPU_HOTPLUG_H
#define HOTCPU_HOTPLUG_H

#include <stdio.h>

#include "cpus.h"
#include "guest.h"
#include "probe.h"
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
	HP_REMOVED,	/* another client unplugged it before it was up */
	HP_TAKEN,	/* another client plugged the slot first */
};

struct hotplug {
	struct vm *vm;
	struct qmp *q;
	struct guest_console con;
	struct probe_acpi acpi;
};

struct hp_result {
	int add;
	struct cpu_slot slot;
	double t;		/* s since VM start at the request */
	/* ms after the request; < 0: did not happen */
	double ost_ms, online_ms, offline_ms, deleted_ms, latency_ms;
	int ost_source, ost_status;
	/* Plugged before the guest's ACPI was up: the CPU comes up with
	 * the guest, as a boot CPU (no _OST) or from the pending event. */
	int at_boot;
	/* Confirmed by the bundled guest's agent (online), else by QEMU
	 * showing the guest runs the CPU (started). */
	int agent;
	/* The unplug was already under way, requested by another client. */
	int pending;
	/* Removed, and another client has plugged the slot again since. */
	int replugged;
	/* ms the request waited for the guest's ACPI, or 0. */
	double boot_wait_ms;
	enum hp_outcome outcome;
	char why[512];
};

int hotplug__open(struct hotplug *h, struct vm *vm, struct qmp *q);
void hotplug__close(struct hotplug *h);
/* The guest reports online CPUs itself (the bundled guest's agent). */
int hotplug__agent(const struct hotplug *h);

/* Waits until the guest's ACPI handles CPU hotplug (probe.h), up to
 * deadline (host ms); 0, -ETIMEDOUT or a QMP error. A machine without an
 * ACPI device counts as up. */
int hotplug__wait_acpi(struct hotplug *h, double deadline);

/* Adds (add = 1) or removes the n slots as one batch: every device_add
 * or device_del back to back, then waits for each CPU's confirmation.
 * The guest handles what is pending together: QEMU's AML collects every
 * inserted CPU in one pass (one SMI, in which the firmware admits them
 * all) and notifies every removal at once. A request QEMU does not take
 * ends the sending; *sent says how many results in res (one per slot
 * requested, in order) hold an outcome. Returns 0, or -errno when it
 * could not tell (QMP I/O). An add before the guest's ACPI is up is
 * sent at once and confirmed once the guest started the CPU; a remove
 * first waits for the guest's ACPI. timeout_ms counts from then, and
 * again from each confirmation: the guest gets that long per CPU. */
int hotplug__batch(struct hotplug *h, int add, struct cpu_slot **slots,
		   size_t n, int timeout_ms, struct hp_result *res,
		   size_t *sent);
/* A batch of one. */
int hotplug__add(struct hotplug *h, const struct cpu_slot *slot,
		 int timeout_ms, struct hp_result *r);
int hotplug__remove(struct hotplug *h, const struct cpu_slot *slot,
		    int timeout_ms, struct hp_result *r);

#endif
