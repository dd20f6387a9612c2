/* What QEMU shows of a guest's progress, for any Linux guest, with no
 * agent in it: whether its ACPI handles CPU hotplug events yet, and
 * whether it runs a vCPU. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

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

int probe__acpi_up(struct qmp *q, int *up)
{
	unsigned long blk, len;
	char cmd[64], *text, *eq;
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
	snprintf(cmd, sizeof(cmd), "i /b 0x%lx", blk + len / 2);
	r = hmp(q, cmd, -1, &text);
	if (r)
		return r;
	/* "portb[0x0628] = 0x06" */
	eq = strstr(text, "= ");
	if (eq)
		*up = (strtoul(eq + 2, NULL, 16) >> PROBE_CPU_HOTPLUG_GPE) & 1;
	free(text);
	return eq ? 0 : -EBADMSG;
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
