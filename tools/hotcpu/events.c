/* The VM's event log, events.jsonl: every QMP event and every hotcpu
 * action, one JSON object a line, with "t" in seconds since VM start. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "util.h"

int events__append(const struct vm *vm, json_t *ev)
{
	char path[PATH_MAX + 16], *text;
	json_t *copy = json_deep_copy(ev);
	int fd, r = 0;
	size_t len;

	if (!copy)
		return -ENOMEM;
	if (!vm->dir[0]) {
		/* Attached: no runtime directory, no log. */
		json_decref(copy);
		return 0;
	}
	json_object_del(copy, "hotcpu-rx-ms");
	json_object_set_new(copy, "t", json_real(util__wall_s() -
						 vm->started));
	text = json_dumps(copy, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(copy);
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	text[len++] = '\n';
	VM_PATH(vm, "events.jsonl", path);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		r = -errno;
	else if (write(fd, text, len) != (ssize_t)len)
		r = -EIO;
	if (fd >= 0)
		close(fd);
	free(text);
	return r;
}

int events__last_ost(const struct vm *vm, json_t **by_slot)
{
	char path[PATH_MAX + 16], *text, *line, *save;
	int r;

	*by_slot = json_object();
	if (!vm->dir[0])
		return 0;
	VM_PATH(vm, "events.jsonl", path);
	r = util__read_file(path, &text, NULL);
	if (r == -ENOENT)
		return 0;
	if (r)
		return r;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		json_t *ev = json_loads(line, 0, NULL), *info, *last;
		const char *slot;

		if (!ev || strcmp(json_string_value(json_object_get(ev,
					"event")) ?: "", "ACPI_DEVICE_OST"))
			goto next;
		info = json_object_get(json_object_get(ev, "data"), "info");
		slot = json_string_value(json_object_get(info, "slot"));
		if (!slot || strcmp(json_string_value(json_object_get(info,
					"slot-type")) ?: "", "CPU"))
			goto next;
		last = json_pack("{s:O, s:O, s:O, s:O}",
			"source", json_object_get(info, "source"),
			"status", json_object_get(info, "status"),
			"device",
			json_object_get(info, "device") ?: json_null(),
			"t", json_object_get(ev, "t") ?: json_null());
		json_object_set_new(*by_slot, slot, last);
next:
		json_decref(ev);
	}
	free(text);
	return 0;
}

int events__ospm_status(struct qmp *q, int timeout_ms, json_t **by_slot)
{
	json_t *ret, *info;
	size_t i;
	int r;

	*by_slot = json_object();
	r = qmp__execute(q, "query-acpi-ospm-status", NULL, &ret, timeout_ms);
	if (r)
		return r;
	json_array_foreach(ret, i, info) {
		const char *slot =
			json_string_value(json_object_get(info, "slot"));

		/* Slots the guest never reported on read source 0. */
		if (!slot || strcmp(json_string_value(json_object_get(info,
					"slot-type")) ?: "", "CPU") ||
		    !json_integer_value(json_object_get(info, "source")))
			continue;
		json_object_set_new(*by_slot, slot, json_pack("{s:O, s:O, "
			"s:O, s:n}", "source", json_object_get(info, "source"),
			"status", json_object_get(info, "status"), "device",
			json_object_get(info, "device") ?: json_null(), "t"));
	}
	json_decref(ret);
	return 0;
}

const char *events__ost_name(int source, int status)
{
	/* 0x80-0xff are specific to the event that was notified. */
	if (status == 0)
		return "success";
	if (status == 1)
		return "non-specific failure";
	if (status == 2)
		return "unrecognized notify code";
	if (source == 3) {
		switch (status) {
		case 0x80: return "device ejection not supported by OSPM";
		case 0x81: return "device in use by application";
		case 0x82: return "device busy";
		case 0x83: return "ejection dependency is busy";
		case 0x84: return "ejection is in progress (pending)";
		}
	}
	if (source == 0x103 && status == 0x80)
		return "insertion in progress (pending)";
	if (status >= 0x80)
		return "event-specific failure";
	return "reserved status";
}
