/* What plug, unplug, resize and stress share: an open VM with its QMP
 * connection, console and CPU list, and running a batch of adds or
 * removes with one line per CPU. */
#ifndef HOTCPU_SESSION_H
#define HOTCPU_SESSION_H

#include "cpus.h"
#include "hotplug.h"

struct session {
	struct vm vm;
	struct qmp q;
	struct hotplug hp;
	struct cpu_list cpus;
	int libvirt_noted;
};

/* Opens VM name, or attaches to the QMP socket qmp (not NULL: a QEMU
 * hotcpu did not start; name may be NULL), and reads its CPUs; on
 * failure prints why and returns the exit code (> 0). */
int session__open(struct session *s, const char *name, const char *qmp);
void session__close(struct session *s);
int session__refresh(struct session *s);

/* Adds or removes the slots as one batch (hotplug__batch()), then
 * prints a line per CPU requested and one per failure; the sending stops
 * at the first request QEMU does not take. Returns the exit code of the
 * first failure. */
int session__apply(struct session *s, int add, struct cpu_slot **slots,
		   size_t n, int timeout_ms);
/* After an unplug of libvirt's vCPU device id under TCG on an attached
 * VM: tells the user how libvirt's view goes stale and how to fix it. */
void session__libvirt_note(struct session *s, const char *id);
/* Exit code for running out of TCG budget for n more vCPUs, or 0. */
int session__check_budget(struct session *s, size_t n);

#endif
