/* hotcpu list: the VMs under the runtime directory, running ones first
 * (--all adds stopped ones whose logs remain). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "hotcpu.h"
#include "opts.h"
#include "util.h"
#include "vm.h"

#define CMD "list"

static const struct option options[] = {
	{ "all", no_argument, NULL, 'a' },
	{ 0 },
};

int cmd_list(int argc, char **argv)
{
	char base[PATH_MAX];
	struct dirent *e;
	int all = 0, opt, shown = 0;
	DIR *d;

	optind = 1;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		if (opt != 'a')
			return opts__bad_option(CMD, opt, argv);
		all = 1;
	}
	if (optind < argc)
		return opts__usage(CMD, "unexpected argument '%s'",
				   argv[optind]);
	if (vm__base_dir(base, sizeof(base)))
		return opts__fail(HOTCPU_EXIT_ERROR, "cannot create the runtime "
				  "directory %s (set HOTCPU_RUNTIME_DIR)", base);
	d = opendir(base);
	if (!d)
		return opts__fail(HOTCPU_EXIT_ERROR, "cannot read %s", base);
	while ((e = readdir(d))) {
		struct vm vm;
		int alive;

		if (e->d_name[0] == '.' || vm__load(e->d_name, &vm))
			continue;
		alive = vm__alive(&vm);
		if (!alive && !all)
			continue;
		if (!shown++)
			printf("%-16s %-8s %-8s %-5s %-10s %-6s %s\n", "NAME",
			       "STATE", "PID", "ACCEL", "FIRMWARE", "UP",
			       "DIRECTORY");
		printf("%-16s %-8s %-8d %-5s %-10.10s %-6.0f %s\n", e->d_name,
		       alive ? vm.state : "stopped", alive ? vm.qemu_pid : 0,
		       vm.accel, vm.cfg.firmware,
		       alive ? util__wall_s() - vm.started : 0, vm.dir);
	}
	closedir(d);
	if (!shown)
		printf("hotcpu: no %sVMs in %s\n", all ? "" : "running ", base);
	return HOTCPU_EXIT_OK;
}
