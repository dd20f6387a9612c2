/* q35 through qtest and QMP: what the differential test asks of QEMU
 * besides the hotplug block's own ports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/fw_cfg.h"
#include "hw/q35.h"
#include "hw/smi_features.h"
#include "q35_qtest.h"

/* Guest RAM the DMA descriptors and buffers use: no guest runs. */
#define DMA_DESC	0x10000u
#define DMA_BUF		0x11000u
#define DIR_MAX		8192u
#define QMP_MS		10000

static uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static int pci_cfg_write(struct qtest *t, uint32_t bdf, uint32_t reg,
			 unsigned size, uint32_t v)
{
	int r = qtest__out(t, 4, PCI_CONFIG_ADDR,
			   0x80000000u | bdf << 8 | (reg & ~3u));

	return r ? r : qtest__out(t, size, PCI_CONFIG_DATA + (reg & 3), v);
}

static int slot_of_props(json_t *props, uint32_t *s, uint32_t *c,
			 uint32_t *th)
{
	json_t *js = json_object_get(props, "socket-id");
	json_t *jc = json_object_get(props, "core-id");
	json_t *jt = json_object_get(props, "thread-id");

	if (!json_is_integer(js) || !json_is_integer(jc) || !json_is_integer(jt))
		return -EPROTO;
	*s = (uint32_t)json_integer_value(js);
	*c = (uint32_t)json_integer_value(jc);
	*th = (uint32_t)json_integer_value(jt);
	return 0;
}

int q35q__init(struct q35q *m, struct qtest *t, uint32_t threads,
	       uint32_t cores)
{
	json_t *list, *e;
	size_t i;
	int r;

	memset(m, 0, sizeof(*m));
	m->t = t;
	r = qmp__execute(&t->qmp, "query-hotpluggable-cpus", NULL, &list,
			 QMP_MS);
	if (r)
		return r;
	json_array_foreach(list, i, e) {
		json_t *path = json_object_get(e, "qom-path");
		const char *type = json_string_value(json_object_get(e, "type"));
		uint32_t s, c, th, idx;

		if (slot_of_props(json_object_get(e, "props"), &s, &c, &th) ||
		    !type) {
			r = -EPROTO;
			break;
		}
		/* possible_cpus order: x86_topo_ids_from_idx(). */
		idx = (s * cores + c) * threads + th;
		if (idx >= Q35Q_MAX_SLOTS) {
			r = -E2BIG;
			break;
		}
		m->slot[idx] = (struct q35q_slot){ s, c, th, "" };
		if (json_is_string(path))
			snprintf(m->slot[idx].id, sizeof(m->slot[idx].id), "%s",
				 json_string_value(path));
		else
			snprintf(m->slot[idx].id, sizeof(m->slot[idx].id),
				 "/machine/peripheral/cpu%u", idx);
		snprintf(m->cpu_type, sizeof(m->cpu_type), "%s", type);
		m->nr++;
	}
	json_decref(list);
	if (r)
		return r;
	/* PMBASE and ACPI decode: nothing else maps GPE0 without a
	 * firmware. */
	r = pci_cfg_write(t, Q35_LPC_BDF, ICH9_LPC_PMBASE, 4, Q35_PMBASE);
	if (!r)
		r = pci_cfg_write(t, Q35_LPC_BDF, ICH9_LPC_ACPI_CTRL, 1,
				  ICH9_LPC_ACPI_CTRL_EN);
	return r;
}

/* One fw_cfg DMA transfer of len bytes between DMA_BUF and the item. */
static int fw_cfg_dma(struct qtest *t, uint16_t select, uint32_t control,
		      uint32_t len)
{
	struct fw_cfg_dma_access d = {
		.control = be32((uint32_t)select << FW_CFG_DMA_SELECTOR_SHIFT |
				FW_CFG_DMA_CTL_SELECT | control),
		.length = be32(len),
		.address = __builtin_bswap64(DMA_BUF),
	};
	uint32_t done;
	int r;

	r = qtest__write_mem(t, DMA_DESC, &d, sizeof(d));
	/* Big-endian registers: the guest's outl carries swapped halves;
	 * the low half starts the transfer. */
	if (!r)
		r = qtest__out(t, 4, FW_CFG_PORT_DMA_HI, be32(0));
	if (!r)
		r = qtest__out(t, 4, FW_CFG_PORT_DMA_LO, be32(DMA_DESC));
	if (!r)
		r = qtest__read_mem(t, DMA_DESC, &done, 4);
	if (!r && done)
		r = -EIO;	/* error bit, or not finished */
	return r;
}

static int fw_cfg_find(struct qtest *t, const char *name, uint16_t *select)
{
	static uint8_t dir[DIR_MAX];
	uint32_t n;
	int r;

	r = fw_cfg_dma(t, FW_CFG_FILE_DIR, FW_CFG_DMA_CTL_READ, DIR_MAX);
	if (!r)
		r = qtest__read_mem(t, DMA_BUF, dir, DIR_MAX);
	if (r)
		return r;
	memcpy(&n, dir, 4);
	n = be32(n);
	for (uint32_t i = 0; i < n && 4 + (i + 1) * 64 <= DIR_MAX; i++) {
		struct fw_cfg_dir_entry e;

		memcpy(&e, dir + 4 + i * 64, sizeof(e));
		if (!strncmp(e.name, name, sizeof(e.name))) {
			*select = __builtin_bswap16(e.select);
			return 0;
		}
	}
	return -ENOENT;
}

int q35q__negotiate_smi(struct q35q *m, uint64_t features, uint8_t *ok)
{
	uint16_t req, fok;
	uint32_t v;
	int r;

	r = fw_cfg_find(m->t, SMI_FEATURES_REQUESTED, &req);
	if (!r)
		r = fw_cfg_find(m->t, SMI_FEATURES_OK, &fok);
	/* Little-endian u64 on a little-endian host. */
	if (!r)
		r = qtest__write_mem(m->t, DMA_BUF, &features, 8);
	if (!r)
		r = fw_cfg_dma(m->t, req, FW_CFG_DMA_CTL_WRITE, 8);
	/* Selecting features-ok runs QEMU's validation. */
	if (!r)
		r = qtest__out(m->t, 2, FW_CFG_PORT_SEL, fok);
	if (!r)
		r = qtest__in(m->t, 1, FW_CFG_PORT_DATA, &v);
	*ok = (uint8_t)v;
	return r;
}

int q35q__take_cpu_hotplug_gpe(struct q35q *m, bool *pending)
{
	const uint16_t sts = Q35_PMBASE + ICH9_GPE0_STS;
	uint32_t v;
	int r;

	r = qtest__in(m->t, 1, sts, &v);
	*pending = !r && (v & 4);
	/* Write 1 to clear. */
	if (*pending)
		r = qtest__out(m->t, 1, sts, 4);
	return r;
}

/* QEMU's messages (hw/i386/x86-common.c, hw/acpi/ich9.c,
 * system/qdev-monitor.c), named as cpuhp_dev.h names them. */
static int refusal(const char *msg)
{
	static const struct {
		const char *text;
		int err;
	} map[] = {
		{ "wasn't enabled by firmware", -EPERM },
		{ "exists", -EEXIST },
		{ "Invalid CPU", -EINVAL },
		{ "not found", -ENODEV },
		{ "Boot CPU is unpluggable", -EINVAL },
		{ "not supported device type", -EOPNOTSUPP },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strstr(msg, map[i].text))
			return map[i].err;
	return -EREMOTEIO;
}

int q35q__device_add(struct q35q *m, uint32_t idx)
{
	struct q35q_slot *s = &m->slot[idx];
	char id[32];
	int r;

	/* A fresh id each time: a taken one is refused before QEMU looks
	 * at the slot ("Duplicate device ID"). */
	snprintf(id, sizeof(id), "cpu%u-%u", idx, m->adds++);
	r = qmp__execute(&m->t->qmp, "device_add",
			 json_pack("{ss ss si si si}", "driver", m->cpu_type,
				   "id", id, "socket-id", s->socket,
				   "core-id", s->core, "thread-id", s->thread),
			 NULL, QMP_MS);
	if (r == -EREMOTEIO)
		return refusal(m->t->qmp.error);
	if (!r)
		snprintf(s->id, sizeof(s->id), "/machine/peripheral/%s", id);
	return r;
}

int q35q__device_del(struct q35q *m, uint32_t idx)
{
	int r;

	r = qmp__execute(&m->t->qmp, "device_del",
			 json_pack("{ss}", "id", m->slot[idx].id), NULL,
			 QMP_MS);
	return r == -EREMOTEIO ? refusal(m->t->qmp.error) : r;
}

static uint32_t slot_of_path(const struct q35q *m, const char *path)
{
	size_t n = strlen(path), suffix = strlen("/lapic");

	if (n <= suffix || strcmp(path + n - suffix, "/lapic"))
		return UINT32_MAX;
	for (uint32_t i = 0; i < m->nr; i++)
		if (strlen(m->slot[i].id) == n - suffix &&
		    !strncmp(m->slot[i].id, path, n - suffix))
			return i;
	return UINT32_MAX;
}

static void dispatch(struct q35q *m, json_t *ev, const struct q35q_events *cb)
{
	const char *name = json_string_value(json_object_get(ev, "event"));
	json_t *data = json_object_get(ev, "data");

	if (name && !strcmp(name, "ACPI_DEVICE_OST")) {
		json_t *info = json_object_get(data, "info");
		const char *type = json_string_value(
			json_object_get(info, "slot-type"));
		const char *slot = json_string_value(
			json_object_get(info, "slot"));

		if (type && slot && !strcmp(type, "CPU"))
			cb->ost(cb->ctx, (uint32_t)strtoul(slot, NULL, 10),
				(uint32_t)json_integer_value(
					json_object_get(info, "source")),
				(uint32_t)json_integer_value(
					json_object_get(info, "status")));
	} else if (name && !strcmp(name, "DEVICE_DELETED")) {
		const char *path = json_string_value(
			json_object_get(data, "path"));

		/* The vCPU's own event (KVM only) is not counted. */
		if (path && strstr(path, "/lapic"))
			cb->deleted(cb->ctx, slot_of_path(m, path));
	}
}

int q35q__events(struct q35q *m, const struct q35q_events *cb, int wait_ms)
{
	json_t *ev;
	int r;

	/* Whatever is in the socket, then nothing more to wait for. */
	while (!(r = qmp__read(&m->t->qmp, wait_ms)))
		wait_ms = 0;
	if (r != -ETIMEDOUT)
		return r;
	while ((ev = qmp__pop_event(&m->t->qmp))) {
		dispatch(m, ev, cb);
		json_decref(ev);
	}
	return 0;
}

int q35q__present(struct q35q *m, bool *present)
{
	json_t *list, *e;
	size_t i;
	int r;

	r = qmp__execute(&m->t->qmp, "query-hotpluggable-cpus", NULL, &list,
			 QMP_MS);
	if (r)
		return r;
	for (uint32_t k = 0; k < m->nr; k++)
		present[k] = false;
	json_array_foreach(list, i, e) {
		for (uint32_t k = 0; k < m->nr; k++) {
			uint32_t s, c, th;

			if (!slot_of_props(json_object_get(e, "props"), &s, &c,
					   &th) &&
			    s == m->slot[k].socket && c == m->slot[k].core &&
			    th == m->slot[k].thread)
				present[k] = json_object_get(e, "qom-path") != NULL;
		}
	}
	json_decref(list);
	return 0;
}

int q35q__ospm(struct q35q *m, uint32_t *event, uint32_t *status,
	       bool *listed)
{
	json_t *list, *e;
	size_t i;
	int r;

	r = qmp__execute(&m->t->qmp, "query-acpi-ospm-status", NULL, &list,
			 QMP_MS);
	if (r)
		return r;
	for (uint32_t k = 0; k < m->nr; k++)
		listed[k] = false;
	json_array_foreach(list, i, e) {
		const char *type = json_string_value(
			json_object_get(e, "slot-type"));
		const char *slot = json_string_value(json_object_get(e, "slot"));
		unsigned long k;

		if (!type || !slot || strcmp(type, "CPU"))
			continue;
		k = strtoul(slot, NULL, 10);
		if (k >= m->nr)
			continue;
		listed[k] = true;
		event[k] = (uint32_t)json_integer_value(
			json_object_get(e, "source"));
		status[k] = (uint32_t)json_integer_value(
			json_object_get(e, "status"));
	}
	json_decref(list);
	return 0;
}
