/* Boot-test harness: starts QEMU with a guest, collects its serial
 * console and debugcon output, waits for markers, sends commands. */
#ifndef TESTS_BOOT_VM_H
#define TESTS_BOOT_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define VM_MAX_ARGS 64

struct vm_config {
	const char *qemu;	/* default: $HOTCPU_QEMU or qemu-system-x86_64 */
	const char *machine;	/* default "q35" */
	const char *firmware;	/* -bios; default build/hotcpu.fd; "" for
				 * none (pflash firmware in extra) */
	const char *kernel;	/* default build/guest/vmlinuz; "" for none */
	const char *initrd;	/* default build/guest/initrd.img; "" for none */
	const char *append;	/* default "console=ttyS0 panic=-1" */
	const char *smp;	/* default "1,maxcpus=4" */
	const char *cpu;	/* default "qemu64" */
	const char *accel;	/* default "tcg" */
	unsigned mem_mb;	/* default 512 */
	const char *extra[16];	/* more QEMU arguments */
	const char *module_dir;	/* QEMU_MODULE_DIR for a side-by-side QEMU */
	int qmp;		/* QMP socket at <dir>/qmp.sock */
};

struct vm {
	char dir[512];		/* build/test-runs/<name>: logs live here */
	pid_t pid;
	int in_fd, out_fd;	/* the guest's serial console */
	char *serial;		/* everything the console printed */
	size_t len, cap, mark;	/* searches start at mark */
	long t0_ms;		/* CLOCK_MONOTONIC when QEMU was spawned */
	char qmp_path[600];
};

/* Starts the VM; logs go to build/test-runs/<name>/ (serial.log,
 * debugcon.log, qemu.log, cmdline), kept for the post-mortem. */
int vm_start(struct vm *vm, const char *name, const struct vm_config *cfg);
/* Waits until the console prints needle after the mark; moves the mark
 * past it. Returns 0, or -1 on timeout or QEMU exit. */
int vm_wait(struct vm *vm, const char *needle, int timeout_ms);
/* Waits for a whole line starting with prefix (after the mark) and
 * copies the rest of it, without the line end, into buf. */
int vm_wait_line(struct vm *vm, const char *prefix, char *buf, size_t size,
		 int timeout_ms);
/* Rest of the line that follows needle (before the mark), or NULL. */
const char *vm_line_after(struct vm *vm, const char *needle, char *buf,
			  size_t size);
void vm_send(struct vm *vm, const char *text);
/* Waits until debugcon.log contains needle. */
int vm_wait_debugcon(struct vm *vm, const char *needle, int timeout_ms);
/* The whole debugcon log (static buffer). */
const char *vm_debugcon(struct vm *vm);
/* Milliseconds since QEMU was spawned. */
long vm_elapsed_ms(const struct vm *vm);
bool vm_running(struct vm *vm);
/* Kills QEMU and writes serial.log; safe to call twice. A console with
 * one of the guest warnings every test fails on (tests/guest-warnings.sh)
 * is counted. */
void vm_stop(struct vm *vm);
/* The first console line with such a warning, copied into buf, or NULL.
 * A list that cannot be read counts as a warning. */
const char *vm_guest_warning(const struct vm *vm, char *buf, size_t size);
/* Consoles counted by vm_stop() since the last call; for a teardown,
 * which fails its test on a nonzero count. */
int vm_take_warnings(void);

#endif
