/* Unit tests for probe__acpi_up() (tools/hotcpu/probe.c) against a fake
 * QMP server that answers as QEMU 10.0 does for a q35 guest: the GPE
 * enable register, the CPU hotplug block's data register (the selector
 * under GET_NEXT_CPU_WITH_EVENT), the possible CPUs and their _OST; and
 * for probe__ejects_settled(), the guest's eject _OST per CPU slot. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "probe.h"
#include "util.h"

#define GREETING "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\n"

/* The guest as the server shows it. */
static struct {
	int no_acpi;		/* qom-get fails: no /machine/acpi-device */
	int gpe;		/* the enable byte at 0x628 */
	unsigned sel;		/* what 0xce0 reads */
	int nr;			/* possible CPUs */
	const char *ospm;	/* query-acpi-ospm-status */
	const char *ospm_then;	/* its answer from call ospm_after + 1 on */
	int ospm_after, ospm_calls;
	int no_ospm;		/* query-acpi-ospm-status is unknown */
	const char *garbage;	/* an HMP answer without "= " */
	int no_hotplug;		/* query-hotpluggable-cpus fails */
} vm;

static int srv_fd;

static void answer(json_t *cmd, char *ret, size_t size)
{
	const char *ex = json_string_value(json_object_get(cmd, "execute"));
	json_t *args = json_object_get(cmd, "arguments");
	const char *prop = json_string_value(json_object_get(args,
							     "property"));
	const char *line = json_string_value(json_object_get(args,
							     "command-line"));

	if (!strcmp(ex, "qmp_capabilities")) {
		snprintf(ret, size, "\"return\": {}");
	} else if (!strcmp(ex, "qom-get") && vm.no_acpi) {
		snprintf(ret, size, "\"error\": {\"class\": \"DeviceNotFound\", "
			 "\"desc\": \"no such path\"}");
	} else if (!strcmp(ex, "qom-get") && !strcmp(prop, "gpe0_blk")) {
		snprintf(ret, size, "\"return\": %d", 0x620);
	} else if (!strcmp(ex, "qom-get") && !strcmp(prop, "gpe0_blk_len")) {
		snprintf(ret, size, "\"return\": 16");
	} else if (!strcmp(ex, "qom-get") && !strcmp(prop, "type")) {
		snprintf(ret, size, "\"return\": \"ICH9-LPC\"");
	} else if (!strcmp(ex, "human-monitor-command") && vm.garbage) {
		snprintf(ret, size, "\"return\": \"%s\"", vm.garbage);
	} else if (!strcmp(ex, "human-monitor-command") &&
		   !strcmp(line, "i /b 0x628")) {
		snprintf(ret, size, "\"return\": \"portb[0x0628] = 0x%02x\\r\\n\"",
			 vm.gpe);
	} else if (!strcmp(ex, "human-monitor-command") &&
		   !strcmp(line, "i /w 0xce0")) {
		snprintf(ret, size, "\"return\": \"portw[0x0ce0] = 0x%x\\r\\n\"",
			 vm.sel);
	} else if (!strcmp(ex, "query-hotpluggable-cpus") && vm.no_hotplug) {
		snprintf(ret, size, "\"error\": {\"class\": \"GenericError\", "
			 "\"desc\": \"machine does not support hot-plugging "
			 "CPUs\"}");
	} else if (!strcmp(ex, "query-hotpluggable-cpus")) {
		size_t n = snprintf(ret, size, "\"return\": [");

		for (int i = 0; i < vm.nr; i++)
			n += snprintf(ret + n, size - n, "%s{\"props\": {}}",
				      i ? ", " : "");
		snprintf(ret + n, size - n, "]");
	} else if (!strcmp(ex, "query-acpi-ospm-status") && !vm.no_ospm) {
		const char *o = vm.ospm_then && vm.ospm_calls >= vm.ospm_after ?
				vm.ospm_then : vm.ospm;

		vm.ospm_calls++;
		snprintf(ret, size, "\"return\": %s", o ?: "[]");
	} else {
		snprintf(ret, size, "\"error\": {\"class\": \"CommandNotFound\", "
			 "\"desc\": \"%s\"}", ex);
	}
}

static void *server(void *arg)
{
	char line[4096];

	(void)arg;
	if (send(srv_fd, GREETING, strlen(GREETING), MSG_NOSIGNAL) < 0)
		return NULL;
	for (;;) {
		size_t n = 0;
		json_t *cmd;
		char ret[2048], reply[4096];
		int len;

		while (n < sizeof(line) - 1 && read(srv_fd, line + n, 1) == 1)
			if (line[n++] == '\n')
				break;
		if (!n)
			return NULL;
		cmd = json_loadb(line, n, 0, NULL);
		if (!cmd)
			return NULL;
		answer(cmd, ret, sizeof(ret));
		len = snprintf(reply, sizeof(reply), "{%s, \"id\": %lld}\n", ret,
			       (long long)json_integer_value(
				       json_object_get(cmd, "id")));
		json_decref(cmd);
		if (send(srv_fd, reply, len, MSG_NOSIGNAL) != len)
			return NULL;
	}
}

struct conn {
	pthread_t t;
	struct qmp q;
	int sv[2];
};

static void conn_open(struct conn *c)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				    c->sv), 0);
	srv_fd = c->sv[1];
	assert_int_equal(pthread_create(&c->t, NULL, server, NULL), 0);
	qmp__init(&c->q);
	assert_int_equal(qmp__attach(&c->q, c->sv[0], 5000), 0);
}

static void conn_close(struct conn *c)
{
	qmp__close(&c->q);
	pthread_join(c->t, NULL);
	close(c->sv[1]);
}

static int setup(void **state)
{
	(void)state;
	memset(&vm, 0, sizeof(vm));
	vm.nr = 4;
	return 0;
}

/* Linux enables the GPE, then its walk selects CPU 0, 1, ... 3: up only
 * once the last CPU's _STA was read, and it stays up when a later
 * CSCN moves the selector. */
static void test_up_once_the_scan_reached_the_last_cpu(void **state)
{
	struct probe_acpi st = { 0 };
	struct conn c;
	int up = 1;

	(void)state;
	conn_open(&c);
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 0);
	vm.gpe = 0x06;
	vm.sel = 1;
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 0);
	assert_true(st.gpe_ms > 0);
	vm.sel = 3;
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 1);
	vm.sel = 1;
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 1);
	/* A reset disables the GPE: the next boot is watched again. */
	vm.gpe = 0;
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 0);
	vm.gpe = 0x04;
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 0);
	conn_close(&c);
}

/* Attached to a guest that hot-plugged before: the selector is
 * anywhere, but QEMU keeps the guest's last _OST. */
static void test_up_after_an_ost(void **state)
{
	struct probe_acpi st = { 0 };
	struct conn c;
	int up = 0;

	(void)state;
	vm.gpe = 0x04;
	vm.sel = 2;
	vm.ospm = "[{\"slot-type\": \"CPU\", \"slot\": \"0\", \"source\": 0, "
		  "\"status\": 0}, {\"slot-type\": \"DIMM\", \"slot\": \"0\", "
		  "\"source\": 1, \"status\": 0}]";
	conn_open(&c);
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 0);
	vm.ospm = "[{\"slot-type\": \"CPU\", \"slot\": \"2\", \"source\": 1, "
		  "\"status\": 0}]";
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 1);
	conn_close(&c);
}

/* A guest whose scan the probe cannot see is taken at its word after
 * PROBE_SCAN_GRACE_MS with the GPE on, not before. */
static void test_up_after_the_grace(void **state)
{
	struct probe_acpi st = { 0 };
	struct conn c;
	int up = 0;

	(void)state;
	vm.gpe = 0x04;
	vm.sel = 0;
	conn_open(&c);
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 0);
	st.gpe_ms = util__now_ms() - PROBE_SCAN_GRACE_MS + 500;
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 0);
	st.gpe_ms = util__now_ms() - PROBE_SCAN_GRACE_MS - 1;
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 1);
	conn_close(&c);
}

/* A machine without CPU hotplug: the GPE is all there is to wait for. */
static void test_up_without_cpu_hotplug(void **state)
{
	struct probe_acpi st = { 0 };
	struct conn c;
	int up = 0;

	(void)state;
	vm.gpe = 0x04;
	vm.no_hotplug = 1;
	conn_open(&c);
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), 0);
	assert_int_equal(up, 1);
	conn_close(&c);
}

static void test_no_acpi_device(void **state)
{
	struct probe_acpi st = { 0 };
	struct conn c;
	int up = 1;

	(void)state;
	vm.no_acpi = 1;
	conn_open(&c);
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), -ENOTSUP);
	assert_int_equal(up, 0);
	conn_close(&c);
}

static void test_hmp_garbage(void **state)
{
	struct probe_acpi st = { 0 };
	struct conn c;
	int up = 1;

	(void)state;
	vm.garbage = "unknown command";
	conn_open(&c);
	assert_int_equal(probe__acpi_up(&c.q, &st, &up), -EBADMSG);
	assert_int_equal(up, 0);
	conn_close(&c);
}

#define EJECT_PENDING(slot) "{\"slot-type\": \"CPU\", \"slot\": \"" slot \
	"\", \"source\": 3, \"status\": 132, \"device\": \"cpu9\"}"
#define EJECT_DONE(slot) "{\"slot-type\": \"CPU\", \"slot\": \"" slot \
	"\", \"source\": 3, \"status\": 0, \"device\": \"cpu9\"}"

/* Another client's unplug of slot 3: the guest's eject is pending for
 * three looks, then done. A plug into slot 3 (with slot 1) waits for it. */
static void test_eject_settles(void **state)
{
	static const int index[] = { 1, 3 };
	struct conn c;
	int pending = -1;

	(void)state;
	vm.ospm = "[" EJECT_DONE("1") ", " EJECT_PENDING("3") "]";
	vm.ospm_then = "[" EJECT_DONE("1") ", " EJECT_DONE("3") "]";
	vm.ospm_after = 3;
	conn_open(&c);
	assert_int_equal(probe__ejects_settled(&c.q, index, 2, 5000,
					       &pending), 0);
	assert_int_equal(pending, 0);
	assert_int_equal(vm.ospm_calls, 4);
	conn_close(&c);
}

/* A guest that never ends its eject holds a plug max_ms, no longer. */
static void test_eject_never_settles(void **state)
{
	static const int index[] = { 3 };
	struct conn c;
	int pending = -1;
	double t0;

	(void)state;
	vm.ospm = "[" EJECT_PENDING("3") "]";
	conn_open(&c);
	t0 = util__now_ms();
	assert_int_equal(probe__ejects_settled(&c.q, index, 1, 200,
					       &pending), 0);
	assert_int_equal(pending, 1);
	assert_true(util__now_ms() - t0 >= 200);
	assert_true(util__now_ms() - t0 < 2000);
	conn_close(&c);
}

/* Only a pending eject of one of the slots holds a plug: not another
 * slot's, not an insert's status, not a memory slot's, not a QEMU
 * without the command. */
static void test_eject_other_slots(void **state)
{
	static const int index[] = { 3 };
	struct conn c;
	int pending = -1;

	(void)state;
	vm.ospm = "[" EJECT_PENDING("13") ", " EJECT_PENDING("") ", "
		  "{\"slot-type\": \"CPU\", \"slot\": \"3\", \"source\": 1, "
		  "\"status\": 132}, {\"slot-type\": \"DIMM\", \"slot\": "
		  "\"3\", \"source\": 3, \"status\": 132}]";
	conn_open(&c);
	assert_int_equal(probe__ejects_settled(&c.q, index, 1, 5000,
					       &pending), 0);
	assert_int_equal(pending, 0);
	assert_int_equal(vm.ospm_calls, 1);
	vm.no_ospm = 1;
	pending = -1;
	assert_int_equal(probe__ejects_settled(&c.q, index, 1, 5000,
					       &pending), 0);
	assert_int_equal(pending, 0);
	conn_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_up_once_the_scan_reached_the_last_cpu,
				       setup),
		cmocka_unit_test_setup(test_up_after_an_ost, setup),
		cmocka_unit_test_setup(test_up_after_the_grace, setup),
		cmocka_unit_test_setup(test_up_without_cpu_hotplug, setup),
		cmocka_unit_test_setup(test_no_acpi_device, setup),
		cmocka_unit_test_setup(test_hmp_garbage, setup),
		cmocka_unit_test_setup(test_eject_settles, setup),
		cmocka_unit_test_setup(test_eject_never_settles, setup),
		cmocka_unit_test_setup(test_eject_other_slots, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
