/* One simulated VM, reset for each schedule: CPUs and their stacks, the
 * register block wired to the rest of the model, the QMP client. */
#include <stdlib.h>
#include <string.h>

#include "model.h"

static void cpuhp_eject_cb(void *ctx, uint32_t idx)
{
	(void)ctx;
	cpu_destroy(&M->cpu[idx]);
}

static void cpuhp_ost_cb(void *ctx, uint32_t idx, uint32_t ev, uint32_t st)
{
	(void)ctx;
	trace(-1, "QMP: ACPI_DEVICE_OST CPU %u source %u status 0x%x", idx, ev,
	      st);
	/* hotcpu unplug ends with the final _OST of the eject; only then
	 * may the slot be plugged again (docs/smm-cpu-hotplug.md). */
	if (ev == 3 && st == 0)
		M->host_unplugging[idx] = false;
}

static void cpuhp_sci_cb(void *ctx)
{
	(void)ctx;
	os_sci();
}

void model_reset(struct model *m, uint64_t seed)
{
	static const struct cpuhp_dev_host host = {
		.eject = cpuhp_eject_cb,
		.ost = cpuhp_ost_cb,
		.sci = cpuhp_sci_cb,
	};
	uint64_t arch_ids[MODEL_MAX_CPUS];
	struct shrink *sh = m->shrink;
	const struct model_opts *o = m->o;
	struct trace_ev *tr = m->tr;
	uint32_t cap = m->cap_tr;
	void *stacks[MODEL_MAX_CPUS + 1];

	for (uint32_t i = 0; i < MODEL_MAX_CPUS; i++)
		stacks[i] = m->cpu[i].co.stack;
	stacks[MODEL_MAX_CPUS] = m->host_co.stack;
	memset(m, 0, sizeof(*m));
	m->o = o;
	m->shrink = sh;
	m->tr = tr;
	m->cap_tr = cap;
	m->seed = seed;
	m->rng = seed * 0x2545f4914f6cdd1dull + 1;
	m->cur = -2;
	m->cplk = m->hotplug_lock = -1;
	m->time_limit = 60 * MODEL_S + o->cycles * 120 * MODEL_S;
	for (uint32_t i = 0; i < o->max_cpus; i++) {
		struct mcpu *c = &m->cpu[i];

		c->idx = (int)i;
		c->apic_id = i;
		c->co.stack = stacks[i];
		c->co.size = MODEL_STACK;
		arch_ids[i] = i;
	}
	m->host_co.stack = stacks[MODEL_MAX_CPUS];
	m->host_co.size = MODEL_STACK;
	cpuhp_dev_init(&m->dev, o->max_cpus, arch_ids, o->cpus, &host);
	for (uint32_t i = 0; i < o->cpus; i++)
		cpu_create(&m->cpu[i], i ? START_WFS : START_OS_BSP);
	coro_start(&m->host_co, host_main, NULL);
}

void model_alloc(struct model *m)
{
	for (uint32_t i = 0; i <= MODEL_MAX_CPUS; i++) {
		void *s = malloc(MODEL_STACK);

		if (!s) {
			fprintf(stderr, "hotcpu-model: out of memory\n");
			exit(1);
		}
		if (i < MODEL_MAX_CPUS)
			m->cpu[i].co.stack = s;
		else
			m->host_co.stack = s;
	}
}
