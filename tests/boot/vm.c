/* QEMU process control for boot tests. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vm.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *or(const char *v, const char *def)
{
	return v ? v : def;
}

int vm_start(struct vm *vm, const char *name, const struct vm_config *cfg)
{
	const char *argv[VM_MAX_ARGS];
	char machine[128], mem[16], path[600], debugcon[600], qmp[640];
	int in[2], out[2], n = 0;
	pid_t parent;
	FILE *f;

	memset(vm, 0, sizeof(*vm));
	vm->pid = -1;
	snprintf(vm->dir, sizeof(vm->dir), "build/test-runs/%s", name);
	snprintf(path, sizeof(path), "rm -rf '%.200s' && mkdir -p '%.200s'",
		 vm->dir, vm->dir);
	if (system(path))
		return -1;
	snprintf(machine, sizeof(machine), "%s", or(cfg->machine, "q35"));
	snprintf(mem, sizeof(mem), "%u", cfg->mem_mb ? cfg->mem_mb : 512);
	snprintf(debugcon, sizeof(debugcon), "file:%s/debugcon.log", vm->dir);

	argv[n++] = or(cfg->qemu, or(getenv("HOTCPU_QEMU"),
				     "qemu-system-x86_64"));
	argv[n++] = "-accel";
	argv[n++] = or(cfg->accel, "tcg");
	argv[n++] = "-M";
	argv[n++] = machine;
	argv[n++] = "-m";
	argv[n++] = mem;
	argv[n++] = "-smp";
	argv[n++] = or(cfg->smp, "1,maxcpus=4");
	argv[n++] = "-cpu";
	argv[n++] = or(cfg->cpu, "qemu64");
	if (!cfg->firmware || cfg->firmware[0]) {
		argv[n++] = "-bios";
		argv[n++] = or(cfg->firmware, "build/hotcpu.fd");
	}
	if (!cfg->kernel || cfg->kernel[0]) {
		argv[n++] = "-kernel";
		argv[n++] = or(cfg->kernel, "build/guest/vmlinuz");
		if (!cfg->initrd || cfg->initrd[0]) {
			argv[n++] = "-initrd";
			argv[n++] = or(cfg->initrd, "build/guest/initrd.img");
		}
		argv[n++] = "-append";
		argv[n++] = or(cfg->append, "console=ttyS0 panic=-1");
	}
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-vga";
	argv[n++] = "none";
	argv[n++] = "-nodefaults";
	argv[n++] = "-no-reboot";
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-debugcon";
	argv[n++] = debugcon;
	argv[n++] = "-global";
	argv[n++] = "isa-debugcon.iobase=0x402";
	if (cfg->qmp) {
		snprintf(vm->qmp_path, sizeof(vm->qmp_path), "%s/qmp.sock",
			 vm->dir);
		snprintf(qmp, sizeof(qmp), "unix:%s,server=on,wait=off",
			 vm->qmp_path);
		argv[n++] = "-qmp";
		argv[n++] = qmp;
	}
	for (int i = 0; cfg->extra[i] && n < VM_MAX_ARGS - 1; i++)
		argv[n++] = cfg->extra[i];
	argv[n] = NULL;

	snprintf(path, sizeof(path), "%s/cmdline", vm->dir);
	f = fopen(path, "w");
	if (f) {
		for (int i = 0; i < n; i++)
			fprintf(f, "%s%s", i ? " " : "", argv[i]);
		fputc('\n', f);
		fclose(f);
	}
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -1;
	vm->t0_ms = now_ms();
	parent = getpid();
	vm->pid = fork();
	if (vm->pid < 0)
		return -1;
	if (vm->pid == 0) {
		int err;

		snprintf(path, sizeof(path), "%s/qemu.log", vm->dir);
		err = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err, 2);
		setpgid(0, 0);
		/* QEMU dies with the test, even a killed one: an orphaned
		 * TCG guest would eat CPU under every later test. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(127);
		if (cfg->module_dir)
			setenv("QEMU_MODULE_DIR", cfg->module_dir, 1);
		execvp(argv[0], (char **)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	vm->in_fd = in[1];
	vm->out_fd = out[0];
	fcntl(vm->out_fd, F_SETFL, O_NONBLOCK);
	return 0;
}

/* Reads what the console has; returns -1 once QEMU closed it. */
static int pump(struct vm *vm, int timeout_ms)
{
	struct pollfd p = { vm->out_fd, POLLIN, 0 };
	char buf[4096];
	ssize_t r;

	if (vm->out_fd < 0)
		return -1;
	if (poll(&p, 1, timeout_ms) <= 0)
		return 0;
	r = read(vm->out_fd, buf, sizeof(buf));
	if (r <= 0) {
		if (r < 0 && errno == EAGAIN)
			return 0;
		return -1;
	}
	if (vm->len + r + 1 > vm->cap) {
		vm->cap = (vm->len + r + 1) * 2;
		vm->serial = realloc(vm->serial, vm->cap);
	}
	memcpy(vm->serial + vm->len, buf, r);
	vm->len += r;
	vm->serial[vm->len] = '\0';
	return 0;
}

int vm_wait(struct vm *vm, const char *needle, int timeout_ms)
{
	long end = now_ms() + timeout_ms;

	for (;;) {
		char *hit = vm->serial ? strstr(vm->serial + vm->mark, needle) :
					 NULL;

		if (hit) {
			vm->mark = hit - vm->serial + strlen(needle);
			return 0;
		}
		if (now_ms() >= end || pump(vm, 50) < 0)
			return -1;
	}
}

int vm_wait_line(struct vm *vm, const char *prefix, char *buf, size_t size,
		 int timeout_ms)
{
	long end = now_ms() + timeout_ms;
	size_t start;

	if (vm_wait(vm, prefix, timeout_ms))
		return -1;
	start = vm->mark;
	while (!memchr(vm->serial + start, '\n', vm->len - start)) {
		if (now_ms() >= end || pump(vm, 50) < 0)
			return -1;
	}
	vm->mark = (char *)memchr(vm->serial + start, '\n', vm->len - start) -
		   vm->serial;
	snprintf(buf, size, "%.*s", (int)(vm->mark - start), vm->serial + start);
	buf[strcspn(buf, "\r")] = '\0';
	return 0;
}

const char *vm_line_after(struct vm *vm, const char *needle, char *buf,
			  size_t size)
{
	char *hit = NULL, *p = vm->serial;
	size_t n = 0;

	/* The last occurrence before the mark. */
	while (p && (p = strstr(p, needle)) && p < vm->serial + vm->mark)
		hit = p++;
	if (!hit)
		return NULL;
	hit += strlen(needle);
	while (hit[n] && hit[n] != '\r' && hit[n] != '\n' && n + 1 < size) {
		buf[n] = hit[n];
		n++;
	}
	buf[n] = '\0';
	return buf;
}

void vm_send(struct vm *vm, const char *text)
{
	if (write(vm->in_fd, text, strlen(text)) < 0)
		perror("vm_send");
}

const char *vm_debugcon(struct vm *vm)
{
	static char buf[1 << 20];
	char path[600];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/debugcon.log", vm->dir);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return buf;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

int vm_wait_debugcon(struct vm *vm, const char *needle, int timeout_ms)
{
	long end = now_ms() + timeout_ms;

	while (!strstr(vm_debugcon(vm), needle)) {
		if (now_ms() >= end || !vm_running(vm))
			return -1;
		pump(vm, 2);
	}
	return 0;
}

long vm_elapsed_ms(const struct vm *vm)
{
	return now_ms() - vm->t0_ms;
}

bool vm_running(struct vm *vm)
{
	int status;

	if (vm->pid <= 0)
		return false;
	if (waitpid(vm->pid, &status, WNOHANG) == vm->pid) {
		vm->pid = -1;
		return false;
	}
	return true;
}

/* The list the shell tests source: one line, guest_warnings='A|B|...',
 * of plain strings. The tests run from the top of the tree. */
#define GUEST_WARNINGS "tests/guest-warnings.sh"

static int warnings_seen;

const char *vm_guest_warning(const struct vm *vm, char *buf, size_t size)
{
	static const char key[] = "\nguest_warnings='";
	char list[4096], *p, *end, *alt, *hit;
	size_t n;
	FILE *f = fopen(GUEST_WARNINGS, "r");

	list[0] = '\n';
	n = f ? fread(list + 1, 1, sizeof(list) - 2, f) : 0;
	if (f)
		fclose(f);
	list[n + 1] = '\0';
	p = strstr(list, key);
	end = p ? strchr(p + strlen(key), '\'') : NULL;
	if (!end) {
		snprintf(buf, size, "no guest_warnings line in %s",
			 GUEST_WARNINGS);
		return buf;
	}
	*end = '\0';
	for (alt = strtok(p + strlen(key), "|"); alt; alt = strtok(NULL, "|")) {
		const char *line, *eol;

		hit = vm->serial ? strstr(vm->serial, alt) : NULL;
		if (!hit)
			continue;
		for (line = hit; line > vm->serial && line[-1] != '\n'; line--)
			;
		eol = strchr(hit, '\n');
		if (!eol)
			eol = hit + strlen(hit);
		while (eol > hit && eol[-1] == '\r')
			eol--;
		snprintf(buf, size, "%.*s", (int)(eol - line), line);
		return buf;
	}
	return NULL;
}

int vm_take_warnings(void)
{
	int n = warnings_seen;

	warnings_seen = 0;
	return n;
}

void vm_stop(struct vm *vm)
{
	char path[600], warning[256];
	FILE *f;

	if (vm->dir[0] == '\0')
		return;
	if (vm->pid > 0) {
		kill(vm->pid, SIGKILL);
		waitpid(vm->pid, NULL, 0);
		vm->pid = -1;
	}
	/* Drain and keep the console for the post-mortem. */
	while (pump(vm, 0) == 0 && vm->out_fd >= 0) {
		struct pollfd p = { vm->out_fd, POLLIN, 0 };

		if (poll(&p, 1, 0) <= 0)
			break;
	}
	if (vm_guest_warning(vm, warning, sizeof(warning))) {
		printf("# guest warning in %s/serial.log: %s\n", vm->dir,
		       warning);
		warnings_seen++;
	}
	snprintf(path, sizeof(path), "%s/serial.log", vm->dir);
	f = fopen(path, "w");
	if (f) {
		if (vm->serial)
			fwrite(vm->serial, 1, vm->len, f);
		fclose(f);
	}
	if (vm->in_fd > 0)
		close(vm->in_fd);
	if (vm->out_fd > 0)
		close(vm->out_fd);
	vm->in_fd = vm->out_fd = -1;
	free(vm->serial);
	vm->serial = NULL;
	vm->len = vm->cap = vm->mark = 0;
	vm->dir[0] = '\0';
}
