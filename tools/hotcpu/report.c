/* How a hot-plug step reads: one line per CPU, and its exit code. */
#include <stdio.h>

#include "hotcpu.h"
#include "report.h"

void report__step(FILE *f, const struct hp_result *r)
{
	const struct cpu_slot *s = &r->slot;
	char where[96];

	cpus__describe(s, where, sizeof(where));
	fprintf(f, "[+%8.3f s] %-6s %-6s (%s, APIC %u): ", r->t,
		r->add ? "plug" : "unplug", s->id[0] ? s->id : s->qom_path,
		where, s->apic_id);
	if (r->boot_wait_ms > 0)
		fprintf(f, "after %.2f s waiting for the guest's ACPI, ",
			r->boot_wait_ms / 1e3);
	if (r->outcome != HP_OK) {
		fprintf(f, "%s\n", r->why);
	} else if (r->add && r->at_boot && r->ost_ms < 0) {
		fprintf(f, "present at boot: plugged before the guest's ACPI "
			"was up, %s in %.1f ms\n", r->agent ? "online" :
			"started by the guest", r->latency_ms);
	} else if (r->add) {
		fprintf(f, "online in %.1f ms (_OST success %.1f ms, online "
			"%.1f ms)\n", r->latency_ms, r->ost_ms, r->online_ms);
	} else {
		fprintf(f, "removed in %.1f ms (%s", r->latency_ms, r->pending ?
			"an unplug another client requested, " : "");
		if (r->offline_ms >= 0)
			fprintf(f, "guest offline %.1f ms, ", r->offline_ms);
		fprintf(f, "DEVICE_DELETED %.1f ms)%s\n", r->deleted_ms,
			r->replugged ? "; another QMP client has plugged the "
				       "slot again since" : "");
	}
}

int report__exit_code(enum hp_outcome outcome)
{
	switch (outcome) {
	case HP_OK:
		return HOTCPU_EXIT_OK;
	case HP_REFUSED:
		return HOTCPU_EXIT_REFUSED;
	case HP_OST_FAILED:
	case HP_GUEST_REFUSED:
		return HOTCPU_EXIT_OST;
	case HP_TIMEOUT:
		return HOTCPU_EXIT_TIMEOUT;
	case HP_BUDGET:
	case HP_REMOVED:
	case HP_TAKEN:
		return HOTCPU_EXIT_NO_CPU;
	case HP_LOST:
		return HOTCPU_EXIT_LOST;
	}
	return HOTCPU_EXIT_ERROR;
}
