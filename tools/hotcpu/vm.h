/* A VM's runtime directory: its configuration, state files, sockets and
 * logs, found by name under the runtime base directory. */
#ifndef HOTCPU_VM_H
#define HOTCPU_VM_H

#include <limits.h>

#include "qmp.h"

#define VM_NAME_MAX	48
#define VM_MAX_CPUS	255	/* q35 without an IOMMU and x2APIC IDs */
#define VM_EXTRA_MAX	16

/* What `hotcpu run` was asked for. */
struct vm_config {
	char name[VM_NAME_MAX + 1];
	char firmware[PATH_MAX];	/* hotcpu|seabios|ovmf|ovmf-smm|path */
	char smm[8];			/* on|off|auto */
	char accel[8];			/* auto|kvm|tcg */
	unsigned int cpus, max_cpus;
	unsigned long memory_mb;
	char kernel[PATH_MAX], initrd[PATH_MAX];
	char append[2048];
	/* The bundled guest prints GUEST-CPUS-ONLINE on its console. */
	int agent;
	/* Arguments after `--`, appended to QEMU's command line. */
	char extra[VM_EXTRA_MAX][256];
	unsigned int n_extra;
};

struct vm {
	struct vm_config cfg;
	char dir[PATH_MAX];
	/* Resolved at start: the accelerator and CPU model in use, and
	 * why the accelerator was chosen. */
	char accel[8];
	char cpu_model[64];
	char accel_why[256];
	char qemu_version[32];
	/* From state.json, written by the supervisor. */
	int qemu_pid, supervisor_pid;
	char state[16];			/* booting|ready|exited */
	double started;			/* wall clock, s */
	double boot_ms;
	/* Attached to the QMP socket of a QEMU hotcpu did not start (--qmp):
	 * no runtime directory (dir is ""), console, event log or
	 * supervisor. */
	int attached;
	char qmp_path[108];
	/* Boot progress as QEMU shows it (probe.h), for a guest without
	 * the agent: its ACPI handles CPU hotplug, and how many of the
	 * present vCPUs it has started. */
	int acpi_up;
	unsigned int vcpus_started, vcpus_present;
	int lock_fd;
};

/* Runtime base: $HOTCPU_RUNTIME_DIR, else $XDG_RUNTIME_DIR/hotcpu, else
 * /tmp/hotcpu-<uid>. */
int vm__base_dir(char *buf, size_t size);
int vm__check_name(const char *name);
/* buf = <vm dir>/<file>. */
void vm__path(const struct vm *vm, const char *file, char *buf,
	      size_t size);
#define VM_PATH(vm, file, buf) vm__path(vm, file, buf, sizeof(buf))

/* Creates (or empties) the directory of cfg->name. */
int vm__create(struct vm *vm, const struct vm_config *cfg);
int vm__save(const struct vm *vm);
/* Moves the logs and state files into <vm dir>/<sub>/ for a restart. */
int vm__archive(const struct vm *vm, const char *sub);
/* -ENOENT: never ran. */
int vm__load(const char *name, struct vm *vm);
int vm__reload_state(struct vm *vm);
int vm__write_state(const struct vm *vm);
/* QEMU of this VM runs (its pid is alive and is this VM's QEMU). */
int vm__alive(const struct vm *vm);

/* Once QEMU is gone, waits until its supervisor has recorded how it
 * ended (state "exited", HOTCPU_QEMU_EXIT in events.jsonl) or is gone
 * itself. -ETIMEDOUT if it still runs after timeout_ms. */
int vm__wait_recorded(struct vm *vm, int timeout_ms);

/* One command at a time per VM: QEMU serves one client per socket. */
int vm__lock(struct vm *vm, int timeout_ms);
void vm__unlock(struct vm *vm);

/* Load, check it runs, lock it and connect to its QMP socket.
 * -ENOENT: no such VM, -ESRCH: not running, -EBUSY: locked. */
int vm__open(const char *name, struct vm *vm, struct qmp *q);
void vm__close(struct vm *vm, struct qmp *q);
/* Connects to the QMP socket of a QEMU hotcpu did not start. The name is
 * name, else QEMU's -name (query-name), else the socket's file name. */
int vm__attach(const char *path, const char *name, struct vm *vm,
	       struct qmp *q);

/* vCPUs QEMU created over the VM's life. */
int vm__vcpus_created(const struct vm *vm, unsigned int *n);
int vm__set_vcpus_created(const struct vm *vm, unsigned int n);

/* QEMU 10.0 under multi-threaded TCG gives every vCPU thread a TCG
 * context and an unplugged vCPU never returns it: the VM aborts
 * ("tcg_register_thread: assertion failed: (n < tcg_max_ctxs)") when a
 * vCPU is created past max_cpus contexts over its life. */
#define VM_TCG_VCPU_LIMIT(vm) ((vm)->cfg.max_cpus)
/* vCPUs that can still be created before QEMU's TCG aborts; INT_MAX
 * under KVM, and when attached: hotcpu cannot see how many vCPUs that
 * QEMU created before. */
int vm__tcg_vcpus_left(const struct vm *vm, int *left);

#endif
