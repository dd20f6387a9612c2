/* hotcpu plug: hot-add COUNT vCPUs, or the one in a given slot, and wait
 * until the guest confirms each. */
#include <stdio.h>
#include <stdlib.h>

#include "hotcpu.h"
#include "opts.h"
#include "session.h"

#define CMD "plug"

enum { OPT_NAME = 256, OPT_QMP, OPT_SOCKET, OPT_CORE, OPT_THREAD, OPT_TIMEOUT };

static const struct option options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "qmp", required_argument, NULL, OPT_QMP },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "core", required_argument, NULL, OPT_CORE },
	{ "thread", required_argument, NULL, OPT_THREAD },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ 0 },
};

static const char *const topo_opt[] = { "--socket", "--core", "--thread" };

static struct cpu_slot *find_slot(struct cpu_list *l, long socket,
				  long core, long thread)
{
	for (size_t i = 0; i < l->n; i++) {
		struct cpu_slot *s = &l->slot[i];

		if (s->socket == socket && s->core == core &&
		    s->thread == thread)
			return s;
	}
	return NULL;
}

int cmd_plug(int argc, char **argv)
{
	const char *qmp = NULL, *name = OPTS_DEFAULT_NAME;
	long topo[3] = { -1, -1, -1 };
	unsigned long count = 1, v;
	int timeout_ms = OPTS_DEFAULT_TIMEOUT_S * 1000, opt, r, named = 0;
	struct cpu_slot **slots;
	struct session s;
	size_t n;

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
		case OPT_SOCKET:
		case OPT_CORE:
		case OPT_THREAD:
			if (opts__uint(CMD, topo_opt[opt - OPT_SOCKET], optarg,
				       0, 1023, &v))
				return HOTCPU_EXIT_USAGE;
			topo[opt - OPT_SOCKET] = (long)v;
			break;
		case OPT_TIMEOUT:
			if (opts__timeout(CMD, optarg, &timeout_ms))
				return HOTCPU_EXIT_USAGE;
			break;
		default:
			return opts__bad_option(CMD, opt, argv);
		}
	}
	if (topo[0] >= 0 || topo[1] >= 0 || topo[2] >= 0) {
		if (topo[0] < 0 || topo[1] < 0 || topo[2] < 0)
			return opts__usage(CMD, "a slot needs all of --socket, "
					   "--core and --thread");
		if (optind < argc)
			return opts__usage(CMD, "COUNT '%s' and a slot "
					   "(--socket/--core/--thread) exclude "
					   "each other", argv[optind]);
	} else if (optind < argc &&
		   opts__uint(CMD, "COUNT", argv[optind++], 1, 255, &count)) {
		return HOTCPU_EXIT_USAGE;
	}
	if (optind < argc)
		return opts__usage(CMD, "unexpected argument '%s'",
				   argv[optind]);
	r = session__open(&s, qmp && !named ? NULL : name, qmp);
	if (r)
		return r;
	name = s.vm.cfg.name;
	slots = calloc(s.cpus.n + 1, sizeof(*slots));
	if (topo[0] >= 0) {
		slots[0] = find_slot(&s.cpus, topo[0], topo[1], topo[2]);
		n = 1;
		if (!slots[0])
			r = opts__fail(HOTCPU_EXIT_NO_CPU, "VM %s has no CPU "
				       "slot socket %ld core %ld thread %ld "
				       "(see 'hotcpu status --name %s')", name,
				       topo[0], topo[1], topo[2], name);
		else if (slots[0]->present)
			r = opts__fail(HOTCPU_EXIT_NO_CPU, "VM %s: slot socket "
				       "%ld core %ld thread %ld already holds "
				       "CPU %d", name, topo[0], topo[1],
				       topo[2], slots[0]->index);
	} else {
		n = cpus__free_slots(&s.cpus, slots, count);
		if (n < count)
			r = opts__fail(HOTCPU_EXIT_NO_CPU, "VM %s has %zu free "
				       "CPU slot%s, not %lu (%zu of --max-cpus "
				       "%zu present)", name, n, n == 1 ? "" :
				       "s", count, s.cpus.present, s.cpus.n);
	}
	r = r ?: session__check_budget(&s, n);
	r = r ?: session__apply(&s, 1, slots, n, timeout_ms);
	free(slots);
	session__close(&s);
	return r;
}
