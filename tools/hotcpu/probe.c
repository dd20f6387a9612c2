/* What QEMU shows of a guest's progress, for any Linux guest, with no
 * agent in it: whether its ACPI handles CPU hotplug events yet, and
 * whether it runs a vCPU. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpus.h"
#include "events.h"
#include "probe.h"
#include "util.h"

#define PROBE_TIMEOUT_MS 5000
/* The machine's ACPI device (ICH9-LPC on q35, PIIX4_PM on pc): a link
 * property of the machine, which QOM paths follow. */
#define ACPI_DEVICE "/machine/acpi-device"

static int qom_uint(struct qmp *q, const char *prop, unsigned long *out)
{
	json_t *v;
	int r = qmp__execute(q, "qom-get", json_pack("{s:s, s:s}", "path",
			     ACPI_DEVICE, "property", prop), &v,
			     PROBE_TIMEOUT_MS);

	if (r == -EREMOTEIO)
		return -ENOTSUP;
	if (r)
		return r;
	*out = json_is_integer(v) ? (unsigned long)json_integer_value(v) : 0;
	json_decref(v);
	return 0;
}

static int hmp(struct qmp *q, const char *line, int cpu, char **out)
{
	json_t *args = json_pack("{s:s}", "command-line", line), *ret;
	int r;

	if (cpu >= 0)
		json_object_set_new(args, "cpu-index", json_integer(cpu));
	r = qmp__execute(q, "human-monitor-command", args, &ret,
			 PROBE_TIMEOUT_MS);
	if (r)
		return r;
	*out = strdup(json_string_value(ret) ?: "");
	json_decref(ret);
	return *out ? 0 : -ENOMEM;
}

/* The hotplug register block's base on the machine's ACPI device
 * (QEMU's ICH9_CPU_HOTPLUG_IO_BASE, PIIX4_CPU_HOTPLUG_IO_BASE), or 0. */
static unsigned long cpuhp_base(struct qmp *q)
{
	json_t *v;
	unsigned long base = 0;
	const char *type;

	if (qmp__execute(q, "qom-get", json_pack("{s:s, s:s}", "path",
			 ACPI_DEVICE, "property", "type"), &v,
			 PROBE_TIMEOUT_MS))
		return 0;
	type = json_string_value(v);
	if (type && !strcmp(type, "ICH9-LPC"))
		base = 0x0cd8;
	else if (type && !strcmp(type, "PIIX4_PM"))
		base = 0xaf00;
	json_decref(v);
	return base;
}

static int possible_cpus(struct qmp *q, unsigned int *nr)
{
	struct cpu_list l;
	int r = cpus__query_slots(q, &l);

	if (r)
		return r;
	*nr = (unsigned int)l.n;
	cpus__free(&l);
	return 0;
}

/* An HMP `i /FMT PORT` read: "portb[0x0628] = 0x06". */
static int port_read(struct qmp *q, const char *fmt, unsigned long port,
		     unsigned long *val)
{
	char cmd[64], *text, *eq;
	int r;

	snprintf(cmd, sizeof(cmd), "i /%s 0x%lx", fmt, port);
	r = hmp(q, cmd, -1, &text);
	if (r)
		return r;
	eq = strstr(text, "= ");
	if (eq)
		*val = strtoul(eq + 2, NULL, 16);
	free(text);
	return eq ? 0 : -EBADMSG;
}

/* The guest's last _OST per CPU slot (events__ospm_status()): none from
 * a QEMU without the command. */
static int ospm_status(struct qmp *q, json_t **by_slot)
{
	int r = events__ospm_status(q, PROBE_TIMEOUT_MS, by_slot);

	if (r == -EREMOTEIO)
		return 0;
	if (r) {
		json_decref(*by_slot);
		*by_slot = NULL;
	}
	return r;
}

/* The OS evaluated a CPU's _OST: its hotplug path has run. */
static int ost_seen(struct qmp *q, int *seen)
{
	json_t *ost;
	int r = ospm_status(q, &ost);

	*seen = 0;
	if (r)
		return r;
	*seen = json_object_size(ost) > 0;
	json_decref(ost);
	return 0;
}

static int scanned(struct qmp *q, struct probe_acpi *st, int *done)
{
	unsigned long sel;
	int r;

	*done = 0;
	if (!st->base) {
		st->base = cpuhp_base(q) ?: PROBE_NO_BLOCK;
		r = st->base == PROBE_NO_BLOCK ? 0 : possible_cpus(q, &st->nr);
		if (r == -EREMOTEIO)
			st->nr = 0;
		else if (r) {
			st->base = 0;
			return r;
		}
	}
	/* A machine that cannot hot-plug CPUs answers with an error:
	 * there is no scan of CPUs to wait for. */
	if (st->base != PROBE_NO_BLOCK && !st->nr) {
		*done = 1;
		return 0;
	}
	/* QEMU's CSTA selects the CPU it reads; with the command the
	 * firmware leaves (GET_NEXT_CPU_WITH_EVENT) the data register
	 * reads the selector back. */
	if (st->base != PROBE_NO_BLOCK) {
		r = port_read(q, "w", st->base + 8, &sel);
		if (r)
			return r;
		if (sel == st->nr - 1) {
			*done = 1;
			return 0;
		}
	}
	return ost_seen(q, done);
}

int probe__acpi_up(struct qmp *q, struct probe_acpi *st, int *up)
{
	unsigned long blk, len, en;
	double now;
	int r;

	*up = 0;
	r = qom_uint(q, "gpe0_blk", &blk);
	r = r ?: qom_uint(q, "gpe0_blk_len", &len);
	if (r)
		return r;
	/* The block is status then enable, half each; its base follows the
	 * PM base the firmware programs: before that it is not decoded. */
	if (blk < 0x100 || len < 2)
		return 0;
	r = port_read(q, "b", blk + len / 2, &en);
	if (r)
		return r;
	if (!((en >> PROBE_CPU_HOTPLUG_GPE) & 1)) {
		/* Disabled again: a reset, or a guest that went away. */
		st->up = 0;
		st->gpe_ms = 0;
		return 0;
	}
	now = util__now_ms();
	if (!st->gpe_ms)
		st->gpe_ms = now;
	if (!st->up) {
		r = scanned(q, st, &st->up);
		if (r)
			return r;
		/* A guest whose scan these reads cannot follow. */
		if (!st->up && now - st->gpe_ms >= PROBE_SCAN_GRACE_MS)
			st->up = 1;
	}
	*up = st->up;
	return 0;
}

int probe__prelaunch(struct qmp *q, int *prelaunch)
{
	const char *status;
	json_t *ret;
	int r;

	*prelaunch = 0;
	r = qmp__execute(q, "query-status", NULL, &ret, PROBE_TIMEOUT_MS);
	if (r)
		return r;
	status = json_string_value(json_object_get(ret, "status"));
	if (!status) {
		json_decref(ret);
		return -EBADMSG;
	}
	*prelaunch = !strcmp(status, "prelaunch");
	json_decref(ret);
	return 0;
}

static int reg(const char *text, const char *name, uint64_t *val)
{
	const char *p = strstr(text, name);

	if (!p)
		return 0;
	*val = strtoull(p + strlen(name), NULL, 16);
	return 1;
}

int probe__in_kernel(struct qmp *q, int index, int *in_kernel)
{
	uint64_t ip, cr0 = 0;
	char *text;
	int r;

	*in_kernel = 0;
	r = hmp(q, "info registers", index, &text);
	if (r)
		return r;
	reg(text, "CR0=", &cr0);
	if (cr0 & (1u << 31)) {
		/* QEMU prints RIP in long mode, EIP otherwise. */
		if (reg(text, "RIP=", &ip))
			*in_kernel = ip >= 0xffff800000000000ull;
		else if (reg(text, "EIP=", &ip))
			*in_kernel = ip >= 0xc0000000ull;
	}
	free(text);
	return 0;
}

#define EJECT_POLL_MS		20

static int count_pending(json_t *ost, const int *index, size_t n)
{
	const char *slot;
	json_t *e;
	int pending = 0;

	json_object_foreach(ost, slot, e) {
		char *end;
		long at;

		if (json_integer_value(json_object_get(e, "source")) !=
			    OST_EJECT_REQUEST ||
		    json_integer_value(json_object_get(e, "status")) !=
			    OST_EJECT_PENDING)
			continue;
		at = strtol(slot, &end, 10);
		if (end == slot || *end)
			continue;
		for (size_t k = 0; k < n; k++)
			if (index[k] == at) {
				pending++;
				break;
			}
	}
	return pending;
}

int probe__ejects_settled(struct qmp *q, const int *index, size_t n,
			  int max_ms, int *pending)
{
	double until = util__now_ms() + max_ms;

	for (;;) {
		json_t *ost;
		int r = ospm_status(q, &ost);

		*pending = 0;
		if (r)
			return r;
		*pending = count_pending(ost, index, n);
		json_decref(ost);
		if (!*pending || util__now_ms() >= until)
			return 0;
		util__sleep_ms(EJECT_POLL_MS);
	}
}
