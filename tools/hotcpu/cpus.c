/* The VM's vCPU slots as QEMU and the guest see them: possible (every
 * slot), present (a vCPU is plugged) and online (the guest runs it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpus.h"

#define QMP_TIMEOUT_MS 10000
#define PERIPHERAL "/machine/peripheral/"

static int prop(json_t *props, const char *name)
{
	json_t *v = json_object_get(props, name);

	return json_is_integer(v) ? (int)json_integer_value(v) : -1;
}

static int slot_cmp(const void *a, const void *b)
{
	const struct cpu_slot *x = a, *y = b;
	const int kx[] = { x->socket, x->die, x->module, x->core, x->thread };
	const int ky[] = { y->socket, y->die, y->module, y->core, y->thread };

	for (int i = 0; i < 5; i++)
		if (kx[i] != ky[i])
			return kx[i] < ky[i] ? -1 : 1;
	return 0;
}

static unsigned int width(int max_id)
{
	unsigned int w = 0;

	while (max_id > 0 && w < 31 && (1u << w) <= (unsigned int)max_id)
		w++;
	return w;
}

/* QEMU's x86 APIC ID layout (x86_apicid_from_topo_ids): each level gets
 * the bits its count needs, thread lowest. Used for absent slots. */
static void compute_apic_ids(struct cpu_list *l)
{
	int max[5] = { 0 };
	unsigned int w[5], shift;

	for (size_t i = 0; i < l->n; i++) {
		const struct cpu_slot *s = &l->slot[i];
		const int id[] = { s->thread, s->core, s->module, s->die,
				   s->socket };

		for (int k = 0; k < 5; k++)
			if (id[k] > max[k])
				max[k] = id[k];
	}
	for (int k = 0; k < 5; k++)
		w[k] = width(max[k]);
	for (size_t i = 0; i < l->n; i++) {
		struct cpu_slot *s = &l->slot[i];
		const int id[] = { s->thread, s->core, s->module, s->die,
				   s->socket };

		s->apic_id = 0;
		shift = 0;
		/* Ids from QEMU's reply: levels past 32 bits are dropped. */
		for (int k = 0; k < 5 && shift < 32; k++) {
			s->apic_id |= (unsigned int)(id[k] > 0 ? id[k] : 0)
				      << shift;
			shift += w[k];
		}
	}
}

static int read_present(struct qmp *q, struct cpu_list *l)
{
	json_t *ret, *cpu;
	size_t i;
	int r;

	r = qmp__execute(q, "query-cpus-fast", NULL, &ret, QMP_TIMEOUT_MS);
	if (r)
		return r;
	json_array_foreach(ret, i, cpu) {
		const char *path =
			json_string_value(json_object_get(cpu, "qom-path"));

		for (size_t k = 0; path && k < l->n; k++)
			if (!strcmp(l->slot[k].qom_path, path)) {
				l->slot[k].index = json_integer_value(
					json_object_get(cpu, "cpu-index"));
				l->slot[k].vcpu_tid = json_integer_value(
					json_object_get(cpu, "thread-id"));
			}
	}
	json_decref(ret);
	for (i = 0; i < l->n; i++) {
		struct cpu_slot *s = &l->slot[i];
		json_t *v;

		if (!s->present)
			continue;
		r = qmp__execute(q, "qom-get", json_pack("{s:s, s:s}",
				 "path", s->qom_path, "property", "apic-id"),
				 &v, QMP_TIMEOUT_MS);
		if (r == -EREMOTEIO)
			continue;	/* keep the computed one */
		if (r)
			return r;
		s->apic_id = json_integer_value(v);
		s->apic_from_qemu = 1;
		json_decref(v);
	}
	return 0;
}

int cpus__query_slots(struct qmp *q, struct cpu_list *l)
{
	json_t *ret, *e;
	size_t i;
	int r;

	memset(l, 0, sizeof(*l));
	r = qmp__execute(q, "query-hotpluggable-cpus", NULL, &ret,
			 QMP_TIMEOUT_MS);
	if (r)
		return r;
	l->slot = calloc(json_array_size(ret) + 1, sizeof(*l->slot));
	if (!l->slot) {
		json_decref(ret);
		return -ENOMEM;
	}
	json_array_foreach(ret, i, e) {
		struct cpu_slot *s = &l->slot[l->n++];
		json_t *props = json_object_get(e, "props");
		const char *path =
			json_string_value(json_object_get(e, "qom-path"));

		s->socket = prop(props, "socket-id");
		s->die = prop(props, "die-id");
		s->module = prop(props, "module-id");
		s->core = prop(props, "core-id");
		s->thread = prop(props, "thread-id");
		s->online = -1;
		snprintf(s->type, sizeof(s->type), "%s",
			 json_string_value(json_object_get(e, "type")) ?: "");
		if (path) {
			s->present = 1;
			snprintf(s->qom_path, sizeof(s->qom_path), "%s", path);
			if (!strncmp(path, PERIPHERAL, strlen(PERIPHERAL)))
				snprintf(s->id, sizeof(s->id), "%s",
					 path + strlen(PERIPHERAL));
			else
				s->boot = 1;
			l->present++;
		}
	}
	json_decref(ret);
	/* QEMU lists slots newest first; possible-CPU order is topology
	 * order, which is also cpu-index order. */
	qsort(l->slot, l->n, sizeof(*l->slot), slot_cmp);
	for (i = 0; i < l->n; i++)
		l->slot[i].index = i;
	compute_apic_ids(l);
	return 0;
}

int cpus__query(struct qmp *q, struct cpu_list *l)
{
	int r = cpus__query_slots(q, l);

	if (!r && (r = read_present(q, l)))
		cpus__free(l);
	return r;
}

void cpus__free(struct cpu_list *l)
{
	free(l->slot);
	memset(l, 0, sizeof(*l));
}

void cpus__set_online(struct cpu_list *l, const unsigned char *online,
		      size_t n)
{
	l->online = 0;
	l->online_known = 1;
	for (size_t i = 0; i < l->n; i++) {
		struct cpu_slot *s = &l->slot[i];

		s->online = s->index >= 0 && (size_t)s->index < n &&
			    online[s->index];
		l->online += s->online;
	}
}

int cpus__replugged(const struct cpu_slot *was, const struct cpu_slot *now)
{
	return was->present && now->present && was->vcpu_tid > 0 &&
	       now->vcpu_tid > 0 && was->vcpu_tid != now->vcpu_tid;
}

struct cpu_slot *cpus__by_index(struct cpu_list *l, int index)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->slot[i].index == index)
			return &l->slot[i];
	return NULL;
}

struct cpu_slot *cpus__find(struct cpu_list *l, const char *what)
{
	char *end;
	long index = strtol(what, &end, 10);

	if (*what && !*end)
		return cpus__by_index(l, (int)index);
	for (size_t i = 0; i < l->n; i++) {
		struct cpu_slot *s = &l->slot[i];

		if (s->present && (!strcmp(s->id, what) ||
				   !strcmp(s->qom_path, what)))
			return s;
	}
	return NULL;
}

void cpus__describe(const struct cpu_slot *s, char *buf, size_t size)
{
	int n = snprintf(buf, size, "socket %d", s->socket);

	if (s->die > 0)
		n += snprintf(buf + n, size - n, " die %d", s->die);
	if (s->module > 0)
		n += snprintf(buf + n, size - n, " module %d", s->module);
	snprintf(buf + n, size - n, " core %d thread %d", s->core, s->thread);
}

size_t cpus__free_slots(struct cpu_list *l, struct cpu_slot **out,
			size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < l->n && k < n; i++)
		if (!l->slot[i].present)
			out[k++] = &l->slot[i];
	return k;
}

size_t cpus__removable(struct cpu_list *l, struct cpu_slot **out, size_t n)
{
	size_t k = 0;

	for (size_t i = l->n; i-- > 0 && k < n;)
		if (l->slot[i].present && l->slot[i].index != 0)
			out[k++] = &l->slot[i];
	return k;
}
