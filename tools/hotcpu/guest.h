/* The guest's side, read from its serial console: the bundled guest's
 * CPU agent prints "GUEST-CPUS-ONLINE [0 1 2] t=<uptime>" whenever the
 * online CPU set changes. Other guests print nothing of the kind. */
#ifndef HOTCPU_GUEST_H
#define HOTCPU_GUEST_H

#include <stddef.h>
#include <sys/types.h>

#include "vm.h"

struct guest_console {
	int fd;
	off_t off;
	/* A line not yet ended by '\n'. */
	char line[8192];
	size_t len;
	/* inotify on the log file, to wake up as soon as QEMU writes. */
	int notify_fd;
	/* The agent spoke at least once. */
	int agent;
	unsigned char online[VM_MAX_CPUS + 1];
	size_t n_online;
	/* Host monotonic ms when the current online set was read. */
	double online_ms;
	/* Console lines in which the guest refused or failed a CPU. Linux
	 * reports _OST success for a device check even when it cannot map
	 * the new CPU's APIC: the console is where the refusal shows. */
	unsigned int refusals;
	char refusal[256];
	/* The agent's "GUEST-CPUS-POSSIBLE 0-3" at boot, or "". */
	char possible[64];
};

/* Opens the console log and reads it to its end. */
int guest__open(const struct vm *vm, struct guest_console *c);
/* Reads what arrived since; returns 1 if the online set changed. */
int guest__poll(struct guest_console *c);

/* Whether the agent's online marker has appeared in a console read in
 * chunks: the end of each chunk is kept, so that a marker split between
 * two reads is found (QEMU writes the console a byte at a time). */
struct guest_marker_scan {
	char tail[32];
	size_t keep;
};
int guest__marker_seen(struct guest_marker_scan *m, const char *buf,
		       size_t n);
void guest__close(struct guest_console *c);
/* "0 1 2" */
void guest__format_online(const struct guest_console *c, char *buf,
			  size_t size);

#endif
