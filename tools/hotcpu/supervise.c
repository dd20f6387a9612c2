/* The supervisor: parent of QEMU for the VM's life. It logs every QMP
 * event (commands come and go, events would be lost between them),
 * marks the VM ready when the guest is up (the bundled guest's CPU agent
 * speaks; any other guest's ACPI handles CPU hotplug and it started its
 * vCPUs), and records how QEMU ended. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events.h"
#include "guest.h"
#include "launch.h"
#include "probe.h"

/* How often a booting guest without the agent is probed over QMP. */
#define PROBE_EVERY_MS 50

/* Set from SIGINT/SIGTERM in the foreground: quit QEMU cleanly. */
static volatile sig_atomic_t quit_requested;

static void on_signal(int sig)
{
	(void)sig;
	quit_requested = 1;
}

static void describe_exit(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d",
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "ended (status 0x%x)", status);
}

/* New console output since *off; echoes it and looks for the line the
 * guest agent prints once it watches CPUs. */
static int read_console(int fd, off_t *off, int echo,
			struct guest_marker_scan *scan, int *agent_seen)
{
	char buf[65536];
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), *off)) > 0) {
		*off += n;
		if (echo && write(1, buf, n) < 0)
			return -errno;
		/* The agent prints it once at start, then only at a
		 * change: one split between two reads must count. */
		if (guest__marker_seen(scan, buf, n))
			*agent_seen = 1;
	}
	return 0;
}

static int connect_events(struct vm *vm, struct qmp *q)
{
	char path[PATH_MAX + 16];

	VM_PATH(vm, "events.sock", path);
	qmp__init(q);
	return qmp__connect(q, path, 5000);
}

static void mark_ready(struct vm *vm)
{
	json_t *ev;

	vm->boot_ms = (util__wall_s() - vm->started) * 1e3;
	strcpy(vm->state, "ready");
	vm__write_state(vm);
	ev = json_pack("{s:s, s:f}", "event", "HOTCPU_READY", "boot-ms",
		       vm->boot_ms);
	events__append(vm, ev);
	json_decref(ev);
}

/* A guest without the agent is up once its ACPI handles CPU hotplug and
 * it has started every vCPU it booted with (-smp; a vCPU plugged during
 * boot is the plug's to confirm). seen[] remembers the vCPUs found
 * running in the kernel: an idle one may be caught anywhere later. */
static int guest_up(struct vm *vm, struct qmp *q, struct probe_acpi *st,
		    unsigned char *seen)
{
	unsigned int started = 0, present = 0;
	json_t *ret, *cpu;
	int acpi, r;
	size_t i;

	r = probe__acpi_up(q, st, &acpi);
	/* A machine without an ACPI device: nothing to wait for there. */
	if (r == -ENOTSUP)
		acpi = 1;
	else if (r)
		return 0;
	if (qmp__execute(q, "query-cpus-fast", NULL, &ret, 5000))
		return 0;
	json_array_foreach(ret, i, cpu) {
		int index = json_integer_value(json_object_get(cpu,
							       "cpu-index"));
		const char *path = json_string_value(json_object_get(cpu,
								"qom-path"));
		int k;

		if (index < 0 || index > VM_MAX_CPUS || !path ||
		    strstr(path, "/peripheral/"))
			continue;
		present++;
		if (!seen[index] && !probe__in_kernel(q, index, &k) && k)
			seen[index] = 1;
		started += seen[index];
	}
	json_decref(ret);
	if (acpi != vm->acpi_up || started != vm->vcpus_started ||
	    present != vm->vcpus_present) {
		vm->acpi_up = acpi;
		vm->vcpus_started = started;
		vm->vcpus_present = present;
		vm__write_state(vm);
	}
	return acpi && present && started == present;
}

int supervise__run(struct vm *vm, int qemu_pid, int echo)
{
	unsigned char seen[VM_MAX_CPUS + 1] = { 0 };
	struct probe_acpi acpi = { 0 };
	struct guest_marker_scan scan = { 0 };
	double next_probe = 0;
	int ready = 0;
	char serial[PATH_MAX + 16], how[128];
	struct sigaction sa = { .sa_handler = on_signal };
	struct qmp q;
	off_t off = 0;
	int console = -1, status = 0, agent_seen = 0, quitting = 0;
	int connected = 0;

	vm->qemu_pid = qemu_pid;
	vm->supervisor_pid = getpid();
	vm__write_state(vm);
	if (echo) {
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	qmp__init(&q);
	VM_PATH(vm, "serial.log", serial);
	for (;;) {
		json_t *ev;

		if (waitpid(qemu_pid, &status, WNOHANG) == qemu_pid)
			break;
		if (!connected && vm__alive(vm) && !connect_events(vm, &q))
			connected = 1;
		if (console < 0)
			console = open(serial, O_RDONLY | O_CLOEXEC);
		if (console >= 0)
			read_console(console, &off, echo, &scan, &agent_seen);
		if (!ready && !vm->cfg.agent && connected &&
		    util__now_ms() >= next_probe) {
			next_probe = util__now_ms() + PROBE_EVERY_MS;
			ready = guest_up(vm, &q, &acpi, seen);
			if (ready)
				mark_ready(vm);
		} else if (!ready && vm->cfg.agent && agent_seen) {
			ready = 1;
			mark_ready(vm);
		}
		if (quit_requested && !quitting) {
			quitting = 1;
			if (!connected ||
			    qmp__execute(&q, "quit", NULL, NULL, 2000))
				kill(qemu_pid, SIGTERM);
		}
		if (!connected) {
			util__sleep_ms(20);
			continue;
		}
		/* A broken connection means QEMU is going away: keep
		 * polling for its exit. */
		if (qmp__read(&q, 20) && q.broken)
			util__sleep_ms(20);
		while ((ev = qmp__pop_event(&q))) {
			events__append(vm, ev);
			json_decref(ev);
		}
	}
	if (console >= 0) {
		read_console(console, &off, echo, &scan, &agent_seen);
		close(console);
	}
	qmp__close(&q);
	describe_exit(status, how, sizeof(how));
	{
		json_t *ev = json_pack("{s:s, s:s}", "event",
				       "HOTCPU_QEMU_EXIT", "how", how);

		events__append(vm, ev);
		json_decref(ev);
	}
	strcpy(vm->state, "exited");
	vm__write_state(vm);
	if (echo)
		fprintf(stderr, "hotcpu: QEMU of VM %s %s\n", vm->cfg.name,
			how);
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ECHILD;
}
