/* hotcpu resize: plug or unplug vCPUs until N are present, each
 * confirmed. */
#include <stdio.h>
#include <stdlib.h>

#include "hotcpu.h"
#include "opts.h"
#include "session.h"

#define CMD "resize"

enum { OPT_NAME = 256, OPT_QMP, OPT_TIMEOUT };

static const struct option options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "qmp", required_argument, NULL, OPT_QMP },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ 0 },
};

int cmd_resize(int argc, char **argv)
{
	const char *qmp = NULL, *name = OPTS_DEFAULT_NAME;
	int timeout_ms = OPTS_DEFAULT_TIMEOUT_S * 1000, opt, r, named = 0;
	struct cpu_slot **slots;
	struct session s;
	unsigned long want;
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
		case OPT_TIMEOUT:
			if (opts__timeout(CMD, optarg, &timeout_ms))
				return HOTCPU_EXIT_USAGE;
			break;
		default:
			return opts__bad_option(CMD, opt, argv);
		}
	}
	if (optind >= argc)
		return opts__usage(CMD, "missing N, the number of vCPUs to have");
	if (opts__uint(CMD, "N", argv[optind++], 1, 255, &want))
		return HOTCPU_EXIT_USAGE;
	if (optind < argc)
		return opts__usage(CMD, "unexpected argument '%s'",
				   argv[optind]);
	r = session__open(&s, qmp && !named ? NULL : name, qmp);
	if (r)
		return r;
	name = s.vm.cfg.name;
	if (want > s.cpus.n) {
		r = opts__usage(CMD, "N %lu is more than the %zu possible "
				"vCPUs of VM %s (its --max-cpus)", want,
				s.cpus.n, name);
		goto out_close;
	}
	slots = calloc(s.cpus.n + 1, sizeof(*slots));
	if (want > s.cpus.present) {
		n = cpus__free_slots(&s.cpus, slots,
					want - s.cpus.present);
		r = session__check_budget(&s, n) ?:
		    session__apply(&s, 1, slots, n, timeout_ms);
	} else {
		n = cpus__removable(&s.cpus, slots,
				       s.cpus.present - want);
		r = session__apply(&s, 0, slots, n, timeout_ms);
	}
	free(slots);
	if (!r)
		printf("hotcpu: VM %s has %lu vCPU%s\n", name, want,
		       want == 1 ? "" : "s");
out_close:
	session__close(&s);
	return r;
}
