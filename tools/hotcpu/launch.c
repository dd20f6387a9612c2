/* Starting QEMU for a VM: bundled files, the command line, and the
 * supervisor process that outlives `hotcpu run --detach`. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "probe.h"

#define SEABIOS_BIN	"/usr/share/seabios/bios-256k.bin"
#define OVMF_DIR	"/usr/share/OVMF"

int launch__data_dir(char *buf, size_t size)
{
	const char *env = getenv("HOTCPU_DATA_DIR");
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env && *env) {
		snprintf(buf, size, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	if ((size_t)snprintf(buf, size, "%s/hotcpu.fd", exe) >= size)
		return -ENAMETOOLONG;
	/* Built: build/hotcpu beside build/hotcpu.fd. Installed (make
	 * install): PREFIX/bin/hotcpu and PREFIX/share/hotcpu/hotcpu.fd. */
	if (access(buf, F_OK) && (slash = strrchr(exe, '/'))) {
		*slash = '\0';
		snprintf(buf, size, "%s/share/hotcpu/hotcpu.fd", exe);
		if (!access(buf, F_OK)) {
			snprintf(buf, size, "%s/share/hotcpu", exe);
			return 0;
		}
		*slash = '/';
	}
	if ((size_t)snprintf(buf, size, "%s", exe) >= size)
		return -ENAMETOOLONG;
	return 0;
}

const char *launch__qemu_binary(void)
{
	const char *env = getenv("HOTCPU_QEMU");

	return env && *env ? env : "qemu-system-x86_64";
}

static int copy_file(const char *from, const char *to)
{
	char *data;
	size_t len;
	int r = util__read_file(from, &data, &len);

	if (r)
		return r;
	r = util__write_file(to, data, len);
	free(data);
	return r;
}

/* OVMF keeps its variable store in a writable flash: each VM gets its
 * own copy, made on first use. */
static int ovmf_vars(const struct vm *vm, char *path, size_t size)
{
	vm__path(vm, "OVMF_VARS.fd", path, size);
	if (!access(path, F_OK))
		return 0;
	return copy_file(OVMF_DIR "/OVMF_VARS_4M.fd", path);
}

int launch__firmware_args(const struct vm *vm, struct strv *argv)
{
	const char *fw = vm->cfg.firmware, *code;
	char data[PATH_MAX], vars[PATH_MAX + 16];
	int r;

	if (!strcmp(fw, "hotcpu") || !strcmp(fw, "seabios")) {
		r = launch__data_dir(data, sizeof(data));
		if (r)
			return r;
		r = util__strv_add(argv, "-bios");
		return r ?: (!strcmp(fw, "hotcpu") ?
			     util__strv_add(argv, "%s/hotcpu.fd", data) :
			     util__strv_add(argv, SEABIOS_BIN));
	}
	if (strcmp(fw, "ovmf") && strcmp(fw, "ovmf-smm")) {
		r = util__strv_add(argv, "-bios");
		return r ?: util__strv_add(argv, "%s", fw);
	}
	code = !strcmp(fw, "ovmf") ? OVMF_DIR "/OVMF_CODE_4M.fd" :
				     OVMF_DIR "/OVMF_CODE_4M.secboot.fd";
	r = ovmf_vars(vm, vars, sizeof(vars));
	/* The SMM build only runs when the flash is writable from SMM
	 * alone. */
	if (!r && !strcmp(fw, "ovmf-smm")) {
		r = util__strv_add(argv, "-global");
		r = r ?: util__strv_add(argv, "driver=cfi.pflash01,"
					"property=secure,value=on");
	}
	r = r ?: util__strv_add(argv, "-drive");
	r = r ?: util__strv_add(argv, "if=pflash,format=raw,unit=0,file=%s,"
				"readonly=on", code);
	r = r ?: util__strv_add(argv, "-drive");
	r = r ?: util__strv_add(argv, "if=pflash,format=raw,unit=1,file=%s",
				vars);
	return r;
}

int launch__argv(const struct vm *vm, struct strv *argv)
{
	const struct vm_config *c = &vm->cfg;
	char path[PATH_MAX + 32];
	int r;

	r = util__strv_add(argv, "%s", launch__qemu_binary());
	r = r ?: util__strv_add(argv, "-name");
	r = r ?: util__strv_add(argv, "%s", c->name);
	r = r ?: util__strv_add(argv, "-accel");
	r = r ?: util__strv_add(argv, "%s", vm->accel);
	r = r ?: util__strv_add(argv, "-M");
	r = r ?: (strcmp(c->smm, "auto") ?
		  util__strv_add(argv, "q35,smm=%s", c->smm) :
		  util__strv_add(argv, "q35"));
	r = r ?: util__strv_add(argv, "-cpu");
	r = r ?: util__strv_add(argv, "%s", vm->cpu_model);
	r = r ?: util__strv_add(argv, "-m");
	r = r ?: util__strv_add(argv, "%lu", c->memory_mb);
	r = r ?: util__strv_add(argv, "-smp");
	r = r ?: util__strv_add(argv, "%u,maxcpus=%u", c->cpus, c->max_cpus);
	r = r ?: launch__firmware_args(vm, argv);
	if (!r && c->kernel[0]) {
		r = util__strv_add(argv, "-kernel");
		r = r ?: util__strv_add(argv, "%s", c->kernel);
		r = r ?: util__strv_add(argv, "-append");
		r = r ?: util__strv_add(argv, "%s", c->append);
	}
	if (!r && c->initrd[0]) {
		r = util__strv_add(argv, "-initrd");
		r = r ?: util__strv_add(argv, "%s", c->initrd);
	}
	r = r ?: util__strv_add(argv, "-display");
	r = r ?: util__strv_add(argv, "none");
	r = r ?: util__strv_add(argv, "-vga");
	r = r ?: util__strv_add(argv, "none");
	r = r ?: util__strv_add(argv, "-nodefaults");
	r = r ?: util__strv_add(argv, "-no-reboot");
	VM_PATH(vm, "serial.log", path);
	r = r ?: util__strv_add(argv, "-serial");
	r = r ?: util__strv_add(argv, "file:%s", path);
	VM_PATH(vm, "debugcon.log", path);
	r = r ?: util__strv_add(argv, "-debugcon");
	r = r ?: util__strv_add(argv, "file:%s", path);
	r = r ?: util__strv_add(argv, "-global");
	r = r ?: util__strv_add(argv, "isa-debugcon.iobase=0x402");
	/* Two monitors: commands on qmp.sock, and events.sock for the
	 * supervisor, which logs every event for `status` and post-mortems
	 * while commands come and go. */
	VM_PATH(vm, "qmp.sock", path);
	r = r ?: util__strv_add(argv, "-qmp");
	r = r ?: util__strv_add(argv, "unix:%s,server=on,wait=off", path);
	VM_PATH(vm, "events.sock", path);
	r = r ?: util__strv_add(argv, "-qmp");
	r = r ?: util__strv_add(argv, "unix:%s,server=on,wait=off", path);
	for (unsigned int i = 0; !r && i < c->n_extra; i++)
		r = util__strv_add(argv, "%s", c->extra[i]);
	return r;
}

static int spawn_qemu(const struct vm *vm, char *why, size_t why_size)
{
	char log[PATH_MAX + 16], cmdline[PATH_MAX + 16];
	struct strv argv = { 0 };
	FILE *f;
	int pid, r;

	r = launch__argv(vm, &argv);
	if (r) {
		snprintf(why, why_size, "cannot build the QEMU command line: %s",
			 strerror(-r));
		goto out_free;
	}
	/* The exact command line, for post-mortems and bug reports. */
	VM_PATH(vm, "qemu.cmdline", cmdline);
	f = fopen(cmdline, "w");
	if (f) {
		for (size_t i = 0; i < argv.n; i++)
			fprintf(f, "%s'%s'", i ? " " : "", argv.v[i]);
		fputc('\n', f);
		fclose(f);
	}
	VM_PATH(vm, "qemu.log", log);
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out_free;
	}
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int null = open("/dev/null", O_RDONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (null >= 0)
			dup2(null, 0);
		/* Ctrl-C on `hotcpu run` reaches the supervisor only, which
		 * quits QEMU over QMP. */
		setpgid(0, 0);
		execvp(argv.v[0], argv.v);
		fprintf(stderr, "exec %s: %s\n", argv.v[0], strerror(errno));
		_exit(127);
	}
	r = pid;
out_free:
	util__strv_free(&argv);
	return r;
}

static int wait_ready(struct vm *vm, int timeout_ms, char *why,
		      size_t why_size)
{
	double deadline = util__now_ms() + timeout_ms;
	char log[PATH_MAX + 16], *text = NULL;

	while (util__now_ms() < deadline) {
		vm__reload_state(vm);
		if (!strcmp(vm->state, "ready"))
			return 0;
		if (!strcmp(vm->state, "exited"))
			goto out_exited;
		util__sleep_ms(20);
	}
	if (vm->cfg.agent)
		snprintf(why, why_size, "the guest did not come up within %d s: "
			 "its CPU agent never printed GUEST-CPUS-ONLINE (see "
			 "%s/serial.log)", timeout_ms / 1000, vm->dir);
	else if (!vm->acpi_up)
		snprintf(why, why_size, "the guest did not come up within %d s: "
			 "its ACPI never enabled CPU hotplug events (GPE0 bit "
			 "%d): it is still booting, stuck, or runs without "
			 "ACPI (acpi=off); it started %u of its %u vCPUs (see "
			 "%s/serial.log and debugcon.log)", timeout_ms / 1000,
			 PROBE_CPU_HOTPLUG_GPE, vm->vcpus_started,
			 vm->vcpus_present, vm->dir);
	else
		snprintf(why, why_size, "the guest did not come up within %d s: "
			 "its ACPI is up but it started only %u of its %u "
			 "vCPUs (booted with nosmp or maxcpus=? see "
			 "%s/serial.log)", timeout_ms / 1000,
			 vm->vcpus_started, vm->vcpus_present, vm->dir);
	return -ETIMEDOUT;
out_exited:
	VM_PATH(vm, "qemu.log", log);
	util__read_file(log, &text, NULL);
	snprintf(why, why_size, "QEMU exited during boot: %.300s",
		 text && *text ? text : "(no output; see qemu.cmdline)");
	free(text);
	return -ECHILD;
}

int launch__start(struct vm *vm, int detach, int boot_timeout_ms,
		  char *why, size_t why_size)
{
	int pid, status, qemu;

	snprintf(why, why_size, "%s", "");
	strcpy(vm->state, "booting");
	vm->qemu_pid = 0;
	vm->started = util__wall_s();
	if (vm__write_state(vm))
		return -EIO;
	if (!detach) {
		qemu = spawn_qemu(vm, why, why_size);
		if (qemu < 0)
			return qemu;
		return supervise__run(vm, qemu, 1);
	}
	/* Double fork: the supervisor is nobody's child, so it never lingers
	 * as a zombie of a long-running caller such as `hotcpu stress`. */
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		char log[PATH_MAX + 16];
		int fd, null;

		setsid();
		if (fork())
			_exit(0);
		/* The supervisor outlives the command that started it: a
		 * lock that command's caller holds (flock(1) around a test)
		 * must not stay held as long as the VM runs. */
		util__close_inherited();
		VM_PATH(vm, "supervisor.log", log);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		null = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (null >= 0)
			dup2(null, 0);
		qemu = spawn_qemu(vm, why, why_size);
		if (qemu < 0) {
			fprintf(stderr, "%s\n", why);
			strcpy(vm->state, "exited");
			vm__write_state(vm);
			_exit(1);
		}
		_exit(supervise__run(vm, qemu, 0) ? 1 : 0);
	}
	waitpid(pid, &status, 0);
	return wait_ready(vm, boot_timeout_ms, why, why_size);
}

int launch__stop(struct vm *vm, struct qmp *q, int timeout_ms)
{
	double deadline = util__now_ms() + timeout_ms;
	int r = 0;

	if (q && q->fd >= 0)
		qmp__execute(q, "quit", NULL, NULL, 2000);
	while (vm__alive(vm) && util__now_ms() < deadline)
		util__sleep_ms(20);
	if (vm__alive(vm)) {
		kill(vm->qemu_pid, SIGKILL);
		r = -ETIMEDOUT;
	}
	/* The supervisor reaps QEMU and records how it ended. */
	deadline = util__now_ms() + 5000;
	while (util__now_ms() < deadline) {
		vm__reload_state(vm);
		if (!strcmp(vm->state, "exited"))
			break;
		util__sleep_ms(20);
	}
	return r;
}
