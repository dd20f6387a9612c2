/* The q35 machine seen through qtest and QMP, as the differential test
 * needs it: SMI feature negotiation over fw_cfg DMA, the GPE0 status
 * bit the CPU hotplug block raises, CPU slots, device_add/device_del
 * with QEMU's refusals as -errno, and the events they cause. */
#ifndef TESTS_MODEL_Q35_QTEST_H
#define TESTS_MODEL_Q35_QTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "qtest.h"

#define Q35Q_MAX_SLOTS 64

struct q35q_slot {
	uint32_t socket, core, thread;
	/* device_del's id: the QOM path of the slot's CPU (or of none). */
	char id[64];
};

struct q35q {
	struct qtest *t;
	uint32_t nr;
	char cpu_type[64];
	unsigned adds;		/* device_add ids are cpu<slot>-<adds> */
	struct q35q_slot slot[Q35Q_MAX_SLOTS];
};

/* Reads the possible CPUs (query-hotpluggable-cpus) into slots ordered
 * as QEMU's possible_cpus (by APIC ID, given threads and cores per
 * socket), and maps PMBASE at Q35_PMBASE with ACPI decoding on so GPE0
 * can be read. */
int q35q__init(struct q35q *m, struct qtest *t, uint32_t threads,
	       uint32_t cores);
/* Writes etc/smi/requested-features by DMA, selects features-ok and
 * reads it into *ok. */
int q35q__negotiate_smi(struct q35q *m, uint64_t features, uint8_t *ok);
/* GPE0_STS bit 2 (CPU hotplug) pending in QEMU? Clears it if so. */
int q35q__take_cpu_hotplug_gpe(struct q35q *m, bool *pending);
/* device_add/device_del of a slot: 0, or QEMU's refusal as the model
 * names it (cpuhp_dev.h); -EREMOTEIO for one it has no name for, with
 * the text in m->t->qmp.error; other -errno for a broken QEMU. */
int q35q__device_add(struct q35q *m, uint32_t idx);
int q35q__device_del(struct q35q *m, uint32_t idx);
/* Events that arrived so far (no waiting, or up to wait_ms for the
 * first), one callback each: ACPI_DEVICE_OST of a CPU slot, and the
 * slot of a vCPU whose lapic QEMU deleted (under TCG the only
 * DEVICE_DELETED an unplugged vCPU gives). Slot UINT32_MAX: a path
 * that names no slot. */
struct q35q_events {
	void *ctx;
	void (*ost)(void *ctx, uint32_t idx, uint32_t event, uint32_t status);
	void (*deleted)(void *ctx, uint32_t idx);
};
int q35q__events(struct q35q *m, const struct q35q_events *cb, int wait_ms);
/* Slot presence (query-hotpluggable-cpus) and _OST values per slot
 * (query-acpi-ospm-status, empty while the legacy block is on). */
int q35q__present(struct q35q *m, bool *present);
int q35q__ospm(struct q35q *m, uint32_t *event, uint32_t *status,
	       bool *listed);

#endif
