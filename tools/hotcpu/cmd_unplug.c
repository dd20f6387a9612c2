/* hotcpu unplug: hot-remove COUNT vCPUs, or the one named, and wait
 * until QEMU confirms each. */
#include <stdio.h>
#include <stdlib.h>

#include "hotcpu.h"
#include "opts.h"
#include "session.h"

#define CMD "unplug"

enum { OPT_NAME = 256, OPT_ID, OPT_TIMEOUT };

static const struct option options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "id", required_argument, NULL, OPT_ID },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ 0 },
};

static int pick_by_id(struct session *s, const char *id,
		      struct cpu_slot **slot)
{
	const char *name = s->vm.cfg.name;

	*slot = cpus__find(&s->cpus, id);
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
	const char *name = OPTS_DEFAULT_NAME, *id = NULL;
	int timeout_ms = OPTS_DEFAULT_TIMEOUT_S * 1000, opt, r;
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
	r = session__open(&s, name);
	if (r)
		return r;
	slots = calloc(s.cpus.n + 1, sizeof(*slots));
	if (id) {
		r = pick_by_id(&s, id, &slots[0]);
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
