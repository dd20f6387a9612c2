/* Hotplug test helpers: a VM from tests/boot/vm.c plus a QMP connection
 * (tools/hotcpu/qmp.c), with every QMP event kept so that waits can match
 * events in any order. */
#ifndef TESTS_HOTPLUG_HP_H
#define TESTS_HOTPLUG_HP_H

#include <jansson.h>

#include "qmp.h"
#include "vm.h"

#define HP_MAX_EVENTS 4096

struct hp {
	struct vm vm;
	struct qmp q;
	json_t *events[HP_MAX_EVENTS];	/* all received, oldest first */
	int nr_events;
	char error[512];		/* last QMP error reply */
};

/* Boots the guest with QMP and waits for its first online-CPU line. */
int hp_boot(struct hp *h, const char *name, struct vm_config *cfg);
/* Starts QEMU paused (-S), before the firmware's first instruction, and
 * connects QMP: a CPU hp_plug() adds now is there when the firmware
 * starts. hp_cont() runs the VM and waits as hp_boot() does. */
int hp_start_paused(struct hp *h, const char *name, struct vm_config *cfg);
int hp_cont(struct hp *h);
/* device_add of the first empty CPU slot (query-hotpluggable-cpus) as
 * id; -1 with h->error set if QEMU refuses. */
int hp_plug(struct hp *h, const char *id);
int hp_unplug(struct hp *h, const char *id);
/* Waits for ACPI_DEVICE_OST of device id from source (1 insert, 3
 * eject) and returns its status, or -1 on timeout. */
int hp_wait_ost(struct hp *h, const char *id, int source, int timeout_ms);
/* Waits until a hot-remove is over: _OST "eject in progress" (0x84) for
 * id, which names its slot; DEVICE_DELETED of /machine/peripheral/<id>/
 * lapic (QEMU never reports the CPU device itself); and the guest's
 * final _OST for that slot. Plugging the slot again before that final
 * _OST races the guest's own _STA check ("Eject incomplete"). */
int hp_wait_deleted(struct hp *h, const char *id, int timeout_ms);
/* Waits until the guest reports exactly this online set, e.g. "0 1", in
 * a line after the console mark: a line that came before an earlier
 * vm_wait's match is not seen. */
int hp_wait_online(struct hp *h, const char *set, int timeout_ms);
/* Present CPUs according to query-hotpluggable-cpus. */
int hp_present(struct hp *h);
/* Runs a shell line in the guest and waits for marker in its output. */
int hp_guest(struct hp *h, const char *line, const char *marker,
	     int timeout_ms);
void hp_shutdown(struct hp *h);

#endif
