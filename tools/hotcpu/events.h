/* The VM's event log, events.jsonl: every QMP event and every hotcpu
 * action, one JSON object a line, with "t" in seconds since VM start. */
#ifndef HOTCPU_EVENTS_H
#define HOTCPU_EVENTS_H

#include <jansson.h>

#include "qmp.h"
#include "vm.h"

/* Appends ev (borrowed) with "t" set. O_APPEND keeps lines whole when
 * the supervisor and a command write at once. */
int events__append(const struct vm *vm, json_t *ev);
/* The last ACPI_DEVICE_OST the guest reported per CPU slot:
 * { "<slot>": { "source": n, "status": n, "t": s, "device": id } }. */
int events__last_ost(const struct vm *vm, json_t **by_slot);
/* The same from QEMU (query-acpi-ospm-status, waiting at most
 * timeout_ms), without times: the last _OST QEMU holds per CPU slot,
 * also for ejected CPUs. */
int events__ospm_status(struct qmp *q, int timeout_ms, json_t **by_slot);
#define EVENTS_OSPM_TIMEOUT_MS	10000	/* status and unplug's look */
/* _OST source events and the status Linux reports first for an eject
 * (ACPI_OST_SC_EJECT_IN_PROGRESS): its final _OST follows the eject. */
#define OST_DEVICE_CHECK	1
#define OST_EJECT_REQUEST	3
#define OST_EJECT_PENDING	0x84
/* Human name of an _OST status code (ACPI 6.5 table 6.188). */
const char *events__ost_name(int source, int status);

#endif
