/* Starting QEMU for a VM: bundled files, the accelerator and CPU model,
 * the command line, and the supervisor that outlives `hotcpu run`. */
#ifndef HOTCPU_LAUNCH_H
#define HOTCPU_LAUNCH_H

#include "util.h"
#include "vm.h"

/* The directory of bundled files: $HOTCPU_DATA_DIR, else the directory
 * of the hotcpu binary (build/ holds hotcpu.fd and guest/), else
 * ../share/hotcpu from it (make install). */
int launch__data_dir(char *buf, size_t size);
const char *launch__qemu_binary(void);

/* Picks KVM only when a probe boots the guest kernel under it, else
 * TCG; fills vm->accel, cpu_model, accel_why, qemu_version. */
int accel__resolve(struct vm *vm);

/* QEMU's arguments for the firmware (-bios or pflash drives). */
int launch__firmware_args(const struct vm *vm, struct strv *argv);
int launch__argv(const struct vm *vm, struct strv *argv);

/* Starts QEMU and its supervisor. Detached: returns once the guest is
 * ready (its CPU agent is up, or QMP answers for other guests) or
 * failed. In the foreground: returns when QEMU exits, with its console
 * on stdout. *why explains a failure. */
int launch__start(struct vm *vm, int detach, int boot_timeout_ms,
		  char *why, size_t why_size);

/* Quits QEMU over QMP (kills it if QMP is gone) and waits for the
 * supervisor to record the exit. */
int launch__stop(struct vm *vm, struct qmp *q, int timeout_ms);

/* The supervisor loop: logs QMP events, watches the console for the
 * guest agent, echoes it if asked, records QEMU's exit. */
int supervise__run(struct vm *vm, int qemu_pid, int echo);

#endif
