/* hotcpu stop: quit a VM's QEMU; its logs stay for a post-mortem. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hotcpu.h"
#include "launch.h"
#include "opts.h"

#define CMD "stop"

static const struct option options[] = {
	{ "name", required_argument, NULL, 'n' },
	{ 0 },
};

int cmd_stop(int argc, char **argv)
{
	const char *name = OPTS_DEFAULT_NAME;
	struct qmp q;
	struct vm vm;
	int opt, r;

	optind = 1;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		if (opt != 'n')
			return opts__bad_option(CMD, opt, argv);
		if (opts__name(CMD, optarg, &name))
			return HOTCPU_EXIT_USAGE;
	}
	if (optind < argc)
		return opts__usage(CMD, "unexpected argument '%s'",
				   argv[optind]);
	r = vm__open(name, &vm, &q);
	if (r && r != -ENOENT && r != -ESRCH && r != -EBUSY &&
	    vm__alive(&vm)) {
		/* No QMP: stop it the hard way rather than leave it. */
		r = launch__stop(&vm, NULL, 0);
		return r ? opts__fail(HOTCPU_EXIT_ERROR, "VM %s: QMP did not "
				      "answer; killed QEMU", name) :
			   HOTCPU_EXIT_OK;
	}
	if (r)
		return opts__vm_error(name, r);
	r = launch__stop(&vm, &q, 10000);
	vm__close(&vm, &q);
	if (r)
		return opts__fail(HOTCPU_EXIT_ERROR, "VM %s did not quit within "
				  "10 s; killed QEMU", name);
	printf("hotcpu: VM %s stopped; logs in %s\n", name, vm.dir);
	return HOTCPU_EXIT_OK;
}
