/* Hotplug test helpers over QMP. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hp.h"

static void take_events(struct hp *h)
{
	json_t *e;

	qmp__read(&h->q, 0);
	while ((e = qmp__pop_event(&h->q))) {
		if (h->nr_events < HP_MAX_EVENTS)
			h->events[h->nr_events++] = e;
		else
			json_decref(e);
	}
}

int hp_boot(struct hp *h, const char *name, struct vm_config *cfg)
{
	char line[256];

	memset(h, 0, sizeof(*h));
	qmp__init(&h->q);
	cfg->qmp = 1;
	if (vm_start(&h->vm, name, cfg))
		return -1;
	if (vm_wait_line(&h->vm, "GUEST-CPUS-ONLINE ", line, sizeof(line),
			 120000))
		return -1;
	return qmp__connect(&h->q, h->vm.qmp_path, 10000);
}

int hp_start_paused(struct hp *h, const char *name, struct vm_config *cfg)
{
	size_t i = 0;

	memset(h, 0, sizeof(*h));
	qmp__init(&h->q);
	cfg->qmp = 1;
	while (i < sizeof(cfg->extra) / sizeof(cfg->extra[0]) - 1 &&
	       cfg->extra[i])
		i++;
	cfg->extra[i] = "-S";
	if (vm_start(&h->vm, name, cfg))
		return -1;
	/* QEMU creates the socket as it starts. */
	for (int waited = 0; waited < 10000; waited += 50) {
		if (!qmp__connect(&h->q, h->vm.qmp_path, 10000))
			return 0;
		usleep(50 * 1000);
	}
	return -1;
}

int hp_cont(struct hp *h)
{
	char line[256];

	if (qmp__execute(&h->q, "cont", NULL, NULL, 10000)) {
		snprintf(h->error, sizeof(h->error), "%s", h->q.error);
		return -1;
	}
	return vm_wait_line(&h->vm, "GUEST-CPUS-ONLINE ", line, sizeof(line),
			    120000);
}

int hp_plug(struct hp *h, const char *id)
{
	json_t *ret = NULL, *slot, *args = NULL;
	size_t i;
	int r;

	r = qmp__execute(&h->q, "query-hotpluggable-cpus", NULL, &ret, 10000);
	if (r)
		return -1;
	json_array_foreach(ret, i, slot) {
		if (json_object_get(slot, "qom-path"))
			continue;
		/* Listed from the highest slot down: keep the lowest. */
		json_decref(args);
		args = json_deep_copy(json_object_get(slot, "props"));
		json_object_set(args, "driver", json_object_get(slot, "type"));
		json_object_set_new(args, "id", json_string(id));
	}
	json_decref(ret);
	if (!args) {
		snprintf(h->error, sizeof(h->error), "no empty CPU slot");
		return -1;
	}
	r = qmp__execute(&h->q, "device_add", args, NULL, 10000);
	if (r)
		snprintf(h->error, sizeof(h->error), "%s", h->q.error);
	take_events(h);
	return r ? -1 : 0;
}

int hp_unplug(struct hp *h, const char *id)
{
	int r = qmp__execute(&h->q, "device_del",
			     json_pack("{s:s}", "id", id), NULL, 10000);

	if (r)
		snprintf(h->error, sizeof(h->error), "%s", h->q.error);
	take_events(h);
	return r ? -1 : 0;
}

/* Finds (and consumes) the first stored event matching. */
static json_t *find(struct hp *h, int (*match)(json_t *, const void *),
		    const void *arg)
{
	for (int i = 0; i < h->nr_events; i++) {
		if (h->events[i] && match(h->events[i], arg)) {
			json_t *e = h->events[i];

			h->events[i] = NULL;
			return e;
		}
	}
	return NULL;
}

static json_t *wait_for(struct hp *h, int (*match)(json_t *, const void *),
			const void *arg, int timeout_ms)
{
	for (int waited = 0;; waited += 20) {
		json_t *e;

		take_events(h);
		e = find(h, match, arg);
		if (e || waited >= timeout_ms)
			return e;
		qmp__read(&h->q, 20);
	}
}

struct ost_want {
	const char *id;		/* device id, or NULL */
	const char *slot;	/* slot, or NULL */
	int source;
};

static int match_ost(json_t *e, const void *arg)
{
	const struct ost_want *w = arg;
	json_t *info = json_object_get(json_object_get(e, "data"), "info");
	const char *dev = json_string_value(json_object_get(info, "device"));
	const char *slot = json_string_value(json_object_get(info, "slot"));

	return !strcmp(json_string_value(json_object_get(e, "event")) ?: "",
		       "ACPI_DEVICE_OST") &&
	       (!w->id || (dev && !strcmp(dev, w->id))) &&
	       (!w->slot || (!dev && slot && !strcmp(slot, w->slot))) &&
	       json_integer_value(json_object_get(info, "source")) ==
		       w->source;
}

static int ost_status(json_t *e)
{
	return (int)json_integer_value(json_object_get(
		json_object_get(json_object_get(e, "data"), "info"), "status"));
}

int hp_wait_ost(struct hp *h, const char *id, int source, int timeout_ms)
{
	struct ost_want w = { id, NULL, source };
	json_t *e = wait_for(h, match_ost, &w, timeout_ms);
	int status;

	if (!e)
		return -1;
	status = ost_status(e);
	json_decref(e);
	return status;
}

static int match_deleted(json_t *e, const void *arg)
{
	const char *path = json_string_value(
		json_object_get(json_object_get(e, "data"), "path"));

	return !strcmp(json_string_value(json_object_get(e, "event")) ?: "",
		       "DEVICE_DELETED") &&
	       path && !strcmp(path, arg);
}

int hp_wait_deleted(struct hp *h, const char *id, int timeout_ms)
{
	struct ost_want w = { id, NULL, 3 };
	char path[128], slot[32];
	json_t *e;
	int status;

	e = wait_for(h, match_ost, &w, timeout_ms);
	if (!e)
		return -1;
	snprintf(slot, sizeof(slot), "%s",
		 json_string_value(json_object_get(json_object_get(
			 json_object_get(e, "data"), "info"), "slot")) ?: "");
	json_decref(e);
	snprintf(path, sizeof(path), "/machine/peripheral/%s/lapic", id);
	e = wait_for(h, match_deleted, path, timeout_ms);
	if (!e)
		return -1;
	json_decref(e);
	w.id = NULL;
	w.slot = slot;
	e = wait_for(h, match_ost, &w, timeout_ms);
	if (!e)
		return -1;
	status = ost_status(e);
	json_decref(e);
	return status ? -1 : 0;
}

int hp_wait_online(struct hp *h, const char *set, int timeout_ms)
{
	char want[256], line[256];

	snprintf(want, sizeof(want), "[%s] ", set);
	for (;;) {
		if (vm_wait_line(&h->vm, "GUEST-CPUS-ONLINE ", line,
				 sizeof(line), timeout_ms))
			return -1;
		if (!strncmp(line, want, strlen(want)))
			return 0;
	}
}

int hp_present(struct hp *h)
{
	json_t *ret = NULL, *slot;
	size_t i;
	int n = 0;

	if (qmp__execute(&h->q, "query-hotpluggable-cpus", NULL, &ret, 10000))
		return -1;
	json_array_foreach(ret, i, slot)
		n += json_object_get(slot, "qom-path") != NULL;
	json_decref(ret);
	return n;
}

int hp_guest(struct hp *h, const char *line, const char *marker,
	     int timeout_ms)
{
	vm_send(&h->vm, line);
	vm_send(&h->vm, "\n");
	return vm_wait(&h->vm, marker, timeout_ms);
}

void hp_shutdown(struct hp *h)
{
	qmp__close(&h->q);
	for (int i = 0; i < h->nr_events; i++)
		json_decref(h->events[i]);
	h->nr_events = 0;
	vm_stop(&h->vm);
}
