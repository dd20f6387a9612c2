/* hotcpu run: start a q35 VM with QMP, serial and debugcon logs in its
 * runtime directory, in the foreground or detached. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hotcpu.h"
#include "launch.h"
#include "opts.h"

#define CMD "run"
#define BOOT_TIMEOUT_S 120

enum {
	OPT_NAME = 256, OPT_FIRMWARE, OPT_SMM, OPT_CPUS, OPT_MAX_CPUS,
	OPT_MEMORY, OPT_KERNEL, OPT_INITRD, OPT_APPEND, OPT_ACCEL, OPT_DETACH,
	OPT_TIMEOUT,
};

static const struct option options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "firmware", required_argument, NULL, OPT_FIRMWARE },
	{ "smm", required_argument, NULL, OPT_SMM },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "max-cpus", required_argument, NULL, OPT_MAX_CPUS },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "accel", required_argument, NULL, OPT_ACCEL },
	{ "detach", no_argument, NULL, OPT_DETACH },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ 0 },
};

/* Loops per jiffy for the guest's HZ=250, from the host's clock rate:
 * with lpj= a hot-added CPU skips delay calibration, which costs 1.3 to
 * 4.4 s under TCG (qemu64 has no invariant TSC). 0 if unknown. */
static unsigned long host_lpj(void)
{
	char *text, *mhz;
	unsigned long lpj = 0;

	if (util__read_file("/proc/cpuinfo", &text, NULL))
		return 0;
	mhz = strstr(text, "cpu MHz");
	if (mhz && (mhz = strchr(mhz, ':')))
		lpj = (unsigned long)(strtod(mhz + 1, NULL) * 1e6 / 250);
	free(text);
	return lpj;
}

static int file_exists(const char *what, const char *path)
{
	if (!access(path, R_OK))
		return 1;
	opts__fail(HOTCPU_EXIT_ERROR, "%s %s: %s%s", what, path,
		   strerror(errno), strstr(path, "/guest/") || strstr(path,
		   "hotcpu.fd") ? " (build it with 'make' and 'make guest')" :
		   "");
	return 0;
}

static int set_defaults(struct vm_config *c, int kernel_given,
			int initrd_given, int append_given)
{
	char data[PATH_MAX];
	unsigned long lpj;

	if (launch__data_dir(data, sizeof(data)))
		return opts__fail(HOTCPU_EXIT_ERROR, "cannot find the hotcpu "
				  "binary's directory (set HOTCPU_DATA_DIR)");
	if (!kernel_given) {
		snprintf(c->kernel, sizeof(c->kernel), "%.4000s/guest/vmlinuz",
			 data);
		if (!initrd_given) {
			snprintf(c->initrd, sizeof(c->initrd),
				 "%.4000s/guest/initrd.img", data);
			c->agent = 1;
		}
	}
	if (!append_given) {
		/* panic=-1 with -no-reboot: a guest panic ends QEMU, which
		 * the commands then report as a lost VM. */
		lpj = host_lpj();
		if (lpj)
			snprintf(c->append, sizeof(c->append),
				 "console=ttyS0 panic=-1 lpj=%lu", lpj);
		else
			snprintf(c->append, sizeof(c->append),
				 "console=ttyS0 panic=-1");
	}
	if (!strcmp(c->firmware, "hotcpu")) {
		char fd[PATH_MAX + 16];

		snprintf(fd, sizeof(fd), "%s/hotcpu.fd", data);
		if (!file_exists("firmware", fd))
			return HOTCPU_EXIT_ERROR;
	} else if (strcmp(c->firmware, "seabios") &&
		   strcmp(c->firmware, "ovmf") &&
		   strcmp(c->firmware, "ovmf-smm") &&
		   !file_exists("firmware", c->firmware)) {
		return HOTCPU_EXIT_ERROR;
	}
	if (c->kernel[0] && !file_exists("kernel", c->kernel))
		return HOTCPU_EXIT_ERROR;
	if (c->initrd[0] && !file_exists("initrd", c->initrd))
		return HOTCPU_EXIT_ERROR;
	return 0;
}

static int parse(int argc, char **argv, struct vm_config *c, int *detach,
		 int *timeout_ms)
{
	int kernel = 0, initrd = 0, append = 0, opt;
	const char *name = OPTS_DEFAULT_NAME;
	unsigned long v;

	memset(c, 0, sizeof(*c));
	strcpy(c->firmware, "hotcpu");
	strcpy(c->smm, "auto");
	strcpy(c->accel, "auto");
	c->cpus = 1;
	c->max_cpus = 4;
	c->memory_mb = 512;
	*timeout_ms = BOOT_TIMEOUT_S * 1000;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (opt) {
		case OPT_NAME:
			if (opts__name(CMD, optarg, &name))
				return HOTCPU_EXIT_USAGE;
			break;
		case OPT_FIRMWARE:
			snprintf(c->firmware, sizeof(c->firmware), "%s", optarg);
			if (!*optarg)
				return opts__usage(CMD, "--firmware is empty");
			break;
		case OPT_SMM:
			if (strcmp(optarg, "on") && strcmp(optarg, "off") &&
			    strcmp(optarg, "auto"))
				return opts__usage(CMD, "--smm '%s' is not on, "
						   "off or auto", optarg);
			snprintf(c->smm, sizeof(c->smm), "%s", optarg);
			break;
		case OPT_CPUS:
			if (opts__uint(CMD, "--cpus", optarg, 1, VM_MAX_CPUS,
				       &v))
				return HOTCPU_EXIT_USAGE;
			c->cpus = v;
			break;
		case OPT_MAX_CPUS:
			if (opts__uint(CMD, "--max-cpus", optarg, 1,
				       VM_MAX_CPUS, &v))
				return HOTCPU_EXIT_USAGE;
			c->max_cpus = v;
			break;
		case OPT_MEMORY:
			if (util__parse_size_mb(optarg, &c->memory_mb) ||
			    c->memory_mb < 64)
				return opts__usage(CMD, "--memory '%s' is not a "
						   "size of at least 64M (512, "
						   "512M, 2G)", optarg);
			break;
		case OPT_KERNEL:
			snprintf(c->kernel, sizeof(c->kernel), "%s", optarg);
			kernel = 1;
			break;
		case OPT_INITRD:
			snprintf(c->initrd, sizeof(c->initrd), "%s", optarg);
			initrd = 1;
			break;
		case OPT_APPEND:
			snprintf(c->append, sizeof(c->append), "%s", optarg);
			append = 1;
			break;
		case OPT_ACCEL:
			if (strcmp(optarg, "auto") && strcmp(optarg, "kvm") &&
			    strcmp(optarg, "tcg"))
				return opts__usage(CMD, "--accel '%s' is not "
						   "auto, kvm or tcg", optarg);
			snprintf(c->accel, sizeof(c->accel), "%s", optarg);
			break;
		case OPT_DETACH:
			*detach = 1;
			break;
		case OPT_TIMEOUT:
			if (opts__timeout(CMD, optarg, timeout_ms))
				return HOTCPU_EXIT_USAGE;
			break;
		default:
			return opts__bad_option(CMD, opt, argv);
		}
	}
	/* getopt stops at "--": the rest goes to QEMU. */
	if (optind < argc && strcmp(argv[optind - 1], "--"))
		return opts__usage(CMD, "unexpected argument '%s' (QEMU "
				   "arguments go after --)", argv[optind]);
	for (; optind < argc; optind++) {
		if (c->n_extra == VM_EXTRA_MAX ||
		    strlen(argv[optind]) >= sizeof(c->extra[0]))
			return opts__usage(CMD, "too many or too long QEMU "
					   "arguments after -- (at most %d of "
					   "%zu bytes)", VM_EXTRA_MAX,
					   sizeof(c->extra[0]) - 1);
		strcpy(c->extra[c->n_extra++], argv[optind]);
	}
	if (c->cpus > c->max_cpus)
		return opts__usage(CMD, "--cpus %u is more than --max-cpus %u",
				   c->cpus, c->max_cpus);
	if (!strcmp(c->firmware, "ovmf-smm")) {
		if (!strcmp(c->smm, "off"))
			return opts__usage(CMD, "--smm off: --firmware "
					   "ovmf-smm needs SMM");
		strcpy(c->smm, "on");
	}
	if (initrd && !kernel)
		return opts__usage(CMD, "--initrd needs --kernel (the bundled "
				   "guest has its own initrd)");
	snprintf(c->name, sizeof(c->name), "%s", name);
	return set_defaults(c, kernel, initrd, append);
}

int cmd_run(int argc, char **argv)
{
	struct vm_config cfg;
	struct vm vm;
	char why[1024];
	int detach = 0, timeout_ms, r;

	r = parse(argc, argv, &cfg, &detach, &timeout_ms);
	if (r)
		return r;
	if (!vm__load(cfg.name, &vm)) {
		if (vm__alive(&vm))
			return opts__fail(HOTCPU_EXIT_ERROR, "VM %s is already "
					  "running (stop it with 'hotcpu stop "
					  "--name %s', or pick another --name)",
					  cfg.name, cfg.name);
		/* A QEMU killed a moment ago: its supervisor is still
		 * recording the end, into the files vm__create() is about
		 * to empty for this run. It reaps QEMU within ~40 ms: a pid
		 * still alive after 5 s is another process's by now. */
		vm__wait_recorded(&vm, 5000);
	}
	r = vm__create(&vm, &cfg);
	if (r)
		return opts__vm_error(cfg.name, r);
	r = accel__resolve(&vm);
	if (r)
		return opts__fail(HOTCPU_EXIT_ERROR, "cannot run %s --version: "
				  "%s (install qemu-system-x86 >= 10.0 or set "
				  "HOTCPU_QEMU)", launch__qemu_binary(),
				  strerror(-r));
	r = vm__save(&vm);
	if (r)
		return opts__fail(HOTCPU_EXIT_ERROR, "cannot write %s/vm.json: "
				  "%s", vm.dir, strerror(-r));
	fprintf(stderr, "hotcpu: VM %s: %s (%s), -cpu %s, %u of %u vCPUs, "
		"firmware %s, QEMU %s\n", cfg.name, vm.accel, vm.accel_why,
		vm.cpu_model, cfg.cpus, cfg.max_cpus, cfg.firmware,
		vm.qemu_version);
	r = launch__start(&vm, detach, timeout_ms, why, sizeof(why));
	if (r == -ETIMEDOUT)
		return opts__fail(HOTCPU_EXIT_TIMEOUT, "VM %s: %s; QEMU keeps "
				  "running (pid %d): 'hotcpu stop --name %s' "
				  "ends it", cfg.name, why, vm.qemu_pid,
				  cfg.name);
	if (r && why[0])
		return opts__fail(HOTCPU_EXIT_ERROR, "VM %s: %s", cfg.name,
				  why);
	if (!detach)
		return r ? HOTCPU_EXIT_ERROR : HOTCPU_EXIT_OK;
	if (r)
		return opts__fail(HOTCPU_EXIT_ERROR, "VM %s did not start: %s",
				  cfg.name, strerror(-r));
	printf("hotcpu: VM %s ready in %.2f s%s; QEMU pid %d; runtime "
	       "directory %s\n", cfg.name, vm.boot_ms / 1e3,
	       cfg.agent ? " (guest CPU agent up)" :
	       " (guest ACPI handles CPU hotplug, every vCPU started)",
	       vm.qemu_pid, vm.dir);
	return HOTCPU_EXIT_OK;
}
