/* A QEMU driven without a guest: its qtest protocol (port and memory
 * accesses as text, QEMU docs/devel/qtest.rst) and QMP, both over
 * sockets this side listens on. */
#ifndef TESTS_MODEL_QTEST_H
#define TESTS_MODEL_QTEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "qmp.h"

struct qtest {
	pid_t pid;
	int fd;			/* qtest socket */
	char buf[65536];	/* qtest bytes read, not yet a whole line */
	size_t len;
	struct qmp qmp;
	char dir[64];		/* sockets and qemu.log */
	/* The last qtest failure, for the caller's message. */
	char error[640];
};

/* Starts QEMU (HOTCPU_QEMU or qemu-system-x86_64) with "-S -qtest ...
 * -qmp ..." and the NULL-terminated args, with its vCPUs stopped; QMP
 * is past capabilities negotiation. QEMU's stderr goes to
 * <dir>/qemu.log. 0 or -errno with t->error set. */
int qtest__start(struct qtest *t, const char *const *args);
/* Kills QEMU, removes the sockets; safe to call twice. */
void qtest__stop(struct qtest *t);

/* inb/inw/inl and outb/outw/outl: size 1, 2 or 4. */
int qtest__in(struct qtest *t, unsigned size, uint16_t port, uint32_t *val);
int qtest__out(struct qtest *t, unsigned size, uint16_t port, uint32_t val);
/* Guest-physical memory, byte for byte. */
int qtest__write_mem(struct qtest *t, uint64_t addr, const void *data,
		     size_t len);
int qtest__read_mem(struct qtest *t, uint64_t addr, void *data, size_t len);

#endif
