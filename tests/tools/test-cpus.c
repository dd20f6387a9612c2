/* Unit tests for the CPU list (tools/hotcpu/cpus.c) that cpus__query()
 * builds from QEMU's replies, against a scripted QMP server. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpus.h"

#define GREETING "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\n"

/* What the server answers, in order, each to the next command line. */
static const char *const *script;
static int srv_fd;

static void *server(void *arg)
{
	char line[4096];

	(void)arg;
	if (send(srv_fd, GREETING, strlen(GREETING), MSG_NOSIGNAL) < 0)
		return NULL;
	for (const char *const *r = script; *r; r++) {
		size_t n = 0;
		json_t *cmd;
		char reply[4096];
		int len;

		while (n < sizeof(line) - 1 && read(srv_fd, line + n, 1) == 1)
			if (line[n++] == '\n')
				break;
		cmd = json_loadb(line, n, 0, NULL);
		len = snprintf(reply, sizeof(reply), "{\"return\": %s, "
			       "\"id\": %lld}\n", *r,
			       (long long)json_integer_value(
				       json_object_get(cmd, "id")));
		json_decref(cmd);
		if (send(srv_fd, reply, len, MSG_NOSIGNAL) != len)
			break;
	}
	return NULL;
}

static int query(const char *const *replies, struct cpu_list *l)
{
	pthread_t t;
	struct qmp q;
	int sv[2], r;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				    sv), 0);
	script = replies;
	srv_fd = sv[1];
	assert_int_equal(pthread_create(&t, NULL, server, NULL), 0);
	qmp__init(&q);
	r = qmp__attach(&q, sv[0], 5000);
	if (!r)
		r = cpus__query(&q, l);
	qmp__close(&q);
	pthread_join(t, NULL);
	close(sv[1]);
	return r;
}

static void test_query_sorts_and_computes_apic_ids(void **state)
{
	static const char *const replies[] = {
		"{}",
		"[{\"props\": {\"core-id\": 1, \"thread-id\": 1, \"socket-id\": 0}, "
		"\"type\": \"qemu64-x86_64-cpu\"}, "
		"{\"props\": {\"core-id\": 1, \"thread-id\": 0, \"socket-id\": 0}, "
		"\"type\": \"qemu64-x86_64-cpu\"}, "
		"{\"props\": {\"core-id\": 0, \"thread-id\": 0, \"socket-id\": 0}, "
		"\"qom-path\": \"/machine/unattached/device[0]\", "
		"\"type\": \"qemu64-x86_64-cpu\"}]",
		"[{\"qom-path\": \"/machine/unattached/device[0]\", "
		"\"cpu-index\": 0}]",
		"0",
		NULL,
	};
	struct cpu_list l;

	(void)state;
	assert_int_equal(query(replies, &l), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.present, 1);
	assert_true(l.slot[0].present && l.slot[0].boot);
	/* thread bit 0, core bit 1: core 1 thread 1 is APIC ID 3. */
	assert_int_equal(l.slot[1].apic_id, 2);
	assert_int_equal(l.slot[2].apic_id, 3);
	cpus__free(&l);
}

/* Topology ids as wide as an int: the computed APIC ID drops the levels
 * past 32 bits instead of shifting by 32 or more. Found by
 * tests/fuzz/fuzz-qmp.c under UBSan: "left shift of 1 by 31 places
 * cannot be represented in type 'int'" in width(). */
static void test_query_huge_topology_ids(void **state)
{
	static const char *const replies[] = {
		"{}",
		"[{\"props\": {\"core-id\": 1073741824, \"thread-id\": "
		"2147483647, \"socket-id\": 2147483647}, \"type\": \"x\"}, "
		"{\"props\": {\"core-id\": 0, \"thread-id\": 0, \"socket-id\": 0}, "
		"\"qom-path\": \"/machine/unattached/device[0]\", "
		"\"type\": \"x\"}]",
		"[]",
		"0",
		NULL,
	};
	struct cpu_list l;

	(void)state;
	assert_int_equal(query(replies, &l), 0);
	assert_int_equal(l.n, 2);
	/* thread: 31 bits, core 1 << 31 wraps out, socket past 32 bits. */
	assert_int_equal(l.slot[1].apic_id, 0x7fffffff);
	cpus__free(&l);
}

/* One slot, cpu1, as QEMU lists it with its vCPU's host thread. */
static void query_cpu1(long long tid, struct cpu_list *l)
{
	static char fast[256];
	static const char *replies[] = {
		"{}",
		"[{\"props\": {\"core-id\": 1, \"thread-id\": 0, "
		"\"socket-id\": 0}, \"qom-path\": \"/machine/peripheral/cpu1\", "
		"\"type\": \"qemu64-x86_64-cpu\"}, "
		"{\"props\": {\"core-id\": 0, \"thread-id\": 0, "
		"\"socket-id\": 0}, \"qom-path\": "
		"\"/machine/unattached/device[0]\", \"type\": "
		"\"qemu64-x86_64-cpu\"}]",
		fast, "0", "1", NULL,
	};

	snprintf(fast, sizeof(fast), "[{\"qom-path\": "
		 "\"/machine/unattached/device[0]\", \"cpu-index\": 0, "
		 "\"thread-id\": 100}, {\"qom-path\": "
		 "\"/machine/peripheral/cpu1\", \"cpu-index\": 1, "
		 "\"thread-id\": %lld}]", tid);
	assert_int_equal(query(replies, l), 0);
}

/* The chaos soak: client B unplugged cpu1, QEMU deleted it, and client A
 * plugged cpu1 again before B looked: same id, same QOM path, another
 * vCPU thread. B's CPU is gone, not "still listed". */
static void test_replugged_under_the_same_id(void **state)
{
	struct cpu_list before, same, after;
	struct cpu_slot unknown;

	(void)state;
	query_cpu1(201, &before);
	query_cpu1(201, &same);
	query_cpu1(202, &after);
	assert_int_equal(before.slot[1].vcpu_tid, 201);
	assert_string_equal(before.slot[1].qom_path,
			    after.slot[1].qom_path);
	assert_false(cpus__replugged(&before.slot[1], &same.slot[1]));
	assert_true(cpus__replugged(&before.slot[1], &after.slot[1]));
	/* Not known (a QEMU without thread-id): not a re-plug. */
	unknown = before.slot[1];
	unknown.vcpu_tid = 0;
	assert_false(cpus__replugged(&unknown, &after.slot[1]));
	cpus__free(&before);
	cpus__free(&same);
	cpus__free(&after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_sorts_and_computes_apic_ids),
		cmocka_unit_test(test_query_huge_topology_ids),
		cmocka_unit_test(test_replugged_under_the_same_id),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("cpus", tests, NULL, NULL);
}
