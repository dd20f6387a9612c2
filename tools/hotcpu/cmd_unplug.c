/* hotcpu unplug: hot-remove COUNT vCPUs, or the one named, and wait
 * until QEMU confirms each. */
#include <stdio.h>
#include <stdlib.h>

#include "events.h"
#include "hotcpu.h"
#include "opts.h"
#include "session.h"

#define CMD "unplug"

enum { OPT_NAME = 256, OPT_QMP, OPT_ID, OPT_TIMEOUT };

static const struct option options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "qmp", required_argument, NULL, OPT_QMP },
	{ "id", required_argument, NULL, OPT_ID },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ 0 },
};

/* libvirt's vCPU device vcpuN sits in slot N. After libvirt's unplug
 * timed out (no DEVICE_DELETED under TCG) the guest may have ejected it
 * all the same: QEMU then lists the slot empty and holds the guest's
 * eject _OST for it. That is the unplug done: confirm and report it.
 * Returns 1 when it was. */
static int ejected_before(struct session *s, const char *id)
{
	struct cpu_slot *slot;
	unsigned int n;
	json_t *ost, *last;
	char end, index[16];
	int done = 0;

	if (!s->vm.attached || sscanf(id, "vcpu%u%c", &n, &end) != 1)
		return 0;
	slot = cpus__by_index(&s->cpus, (int)n);
	if (!slot || slot->present || events__ospm_status(&s->q, EVENTS_OSPM_TIMEOUT_MS,
						     &ost))
		return 0;
	snprintf(index, sizeof(index), "%u", n);
	last = json_object_get(ost, index);
	done = json_integer_value(json_object_get(last, "source")) == 3 &&
	       json_integer_value(json_object_get(last, "status")) == 0;
	json_decref(ost);
	if (!done)
		return 0;
	printf("unplug %s (slot %u): already removed: QEMU lists the slot "
	       "empty and the guest's last _OST for it is eject success; "
	       "another client (libvirt?) requested it\n", id, n);
	session__libvirt_note(s, id);
	return 1;
}

static int pick_by_id(struct session *s, const char *id,
		      struct cpu_slot **slot)
{
	const char *name = s->vm.cfg.name;

	*slot = cpus__find(&s->cpus, id);
	if ((!*slot || !(*slot)->present) && ejected_before(s, id))
		return -1;
	if (!*slot || !(*slot)->present)
		return opts__fail(HOTCPU_EXIT_NO_CPU, "VM %s has no present "
				  "CPU '%s' (give a device id, QOM path or "
				  "CPU index from 'hotcpu status --name %s')",
				  name, id, name);
	if ((*slot)->index == 0)
		return opts__fail(HOTCPU_EXIT_NO_CPU, "VM %s: CPU 0 is the boot "
				  "CPU, which neither QEMU nor ACPI ever "
				  "ejects; the VM keeps running", name);
	return 0;
}

int cmd_unplug(int argc, char **argv)
{
	const char *qmp = NULL, *name = OPTS_DEFAULT_NAME, *id = NULL;
	int timeout_ms = OPTS_DEFAULT_TIMEOUT_S * 1000, opt, r, named = 0;
	unsigned long count = 1;
	struct cpu_slot **slots;
	struct session s;
	size_t n = 1;

	optind = 1;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (opt) {
		case OPT_NAME:
			if (opts__name(CMD, optarg, &name))
				return HOTCPU_EXIT_USAGE;
			named = 1;
			break;
		case OPT_QMP:
			if (opts__qmp(CMD, optarg, &qmp))
				return HOTCPU_EXIT_USAGE;
			break;
		case OPT_ID:
			if (!*optarg)
				return opts__usage(CMD, "--id is empty");
			id = optarg;
			break;
		case OPT_TIMEOUT:
			if (opts__timeout(CMD, optarg, &timeout_ms))
				return HOTCPU_EXIT_USAGE;
			break;
		default:
			return opts__bad_option(CMD, opt, argv);
		}
	}
	if (id && optind < argc)
		return opts__usage(CMD, "COUNT '%s' and --id exclude each other",
				   argv[optind]);
	if (optind < argc &&
	    opts__uint(CMD, "COUNT", argv[optind++], 1, 254, &count))
		return HOTCPU_EXIT_USAGE;
	if (optind < argc)
		return opts__usage(CMD, "unexpected argument '%s'",
				   argv[optind]);
	r = session__open(&s, qmp && !named ? NULL : name, qmp);
	if (r)
		return r;
	name = s.vm.cfg.name;
	slots = calloc(s.cpus.n + 1, sizeof(*slots));
	if (id) {
		r = pick_by_id(&s, id, &slots[0]);
		if (r < 0) {
			/* Found removed already: nothing left to do. */
			n = 0;
			r = HOTCPU_EXIT_OK;
		}
	} else {
		n = cpus__removable(&s.cpus, slots, count);
		if (n < count)
			r = opts__fail(HOTCPU_EXIT_NO_CPU, "VM %s has %zu "
				       "removable CPU%s, not %lu (CPU 0 stays)",
				       name, n, n == 1 ? "" : "s", count);
	}
	r = r ?: session__apply(&s, 0, slots, n, timeout_ms);
	free(slots);
	session__close(&s);
	return r;
}
