/* The VM's vCPU slots as QEMU and the guest see them: possible (every
 * slot), present (a vCPU is plugged) and online (the guest runs it). */
#ifndef HOTCPU_CPUS_H
#define HOTCPU_CPUS_H

#include <stddef.h>

#include "qmp.h"
#include "vm.h"

struct cpu_slot {
	/* Topology ids from query-hotpluggable-cpus; -1 when the machine
	 * has no such level. */
	int socket, die, module, core, thread;
	/* Position among possible CPUs: QEMU's cpu-index, the ACPI slot in
	 * _OST events and, with QEMU's MADT order, the guest's CPU
	 * number. */
	int index;
	unsigned int apic_id;
	int apic_from_qemu;	/* read with qom-get, not computed */
	int present;
	int boot;		/* created by -smp, not by device_add */
	char type[64];		/* device_add driver */
	char qom_path[128];
	char id[64];		/* device id of a plugged CPU, or "" */
	/* The vCPU's host thread (query-cpus-fast thread-id), 0 unknown:
	 * a CPU plugged again under the same id and QOM path has another. */
	long long vcpu_tid;
	int online;		/* -1 unknown, 0, 1 */
};

struct cpu_list {
	struct cpu_slot *slot;
	size_t n;
	size_t present, online;
	int online_known;
};

/* Queries QEMU (query-hotpluggable-cpus, query-cpus-fast, qom-get
 * apic-id); online stays unknown. */
int cpus__query(struct qmp *q, struct cpu_list *l);
/* Only query-hotpluggable-cpus: slots, presence and device ids, without
 * the per-CPU reads of cpus__query() (QEMU's APIC IDs, online state). */
int cpus__query_slots(struct qmp *q, struct cpu_list *l);
void cpus__free(struct cpu_list *l);
/* Fills online from the guest's online CPU numbers. */
void cpus__set_online(struct cpu_list *l, const unsigned char *online,
		      size_t n);
struct cpu_slot *cpus__by_index(struct cpu_list *l, int index);
/* Whether now, a slot as QEMU lists it later, holds another vCPU than
 * was (the same slot earlier): 1 yes, 0 the same or not known. */
int cpus__replugged(const struct cpu_slot *was, const struct cpu_slot *now);
/* By device id, QOM path or cpu-index number. */
struct cpu_slot *cpus__find(struct cpu_list *l, const char *what);
/* Up to n empty slots, lowest index first; returns how many. */
size_t cpus__free_slots(struct cpu_list *l, struct cpu_slot **out,
			size_t n);
/* Up to n present CPUs that may be removed (never CPU 0), highest index
 * first; returns how many. */
size_t cpus__removable(struct cpu_list *l, struct cpu_slot **out, size_t n);
/* "socket 1 core 0 thread 0" */
void cpus__describe(const struct cpu_slot *s, char *buf, size_t size);

#endif
