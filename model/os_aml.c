/* The guest running QEMU's CPU AML (model/aml.c) on a model CPU. */
#include "aml.h"
#include "hw/cpuhp.h"
#include "hw/q35.h"
#include "model.h"
#include "os.h"
#include "os_aml.h"

/* Which AML access relies on state an earlier access set up: a flags or
 * data access relies on the selector, a data access on the command. */
static void relies(struct mcpu *c, uint16_t port)
{
	uint32_t off = port - CPUHP_BASE_Q35;

	if (off == CPUHP_W_CPU_SEL || port == APM_CNT_PORT)
		return;
	if (M->block_changed_by_smm)
		violation(INV_AML_CLOBBERED, "CPU %d's AML accesses offset %u "
			  "after SMM changed the selector or command under it",
			  c->idx, off);
}

static uint32_t aml_io_read(void *ctx, uint16_t port, unsigned size)
{
	struct mcpu *c = ctx;

	wait_us(c, 2);
	relies(c, port);
	return port_read(c, port, size);
}

static void aml_io_write(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	struct mcpu *c = ctx;
	struct model *m = M;

	wait_us(c, 2);
	if (port == CPUHP_BASE_Q35 + CPUHP_W_CPU_SEL ||
	    port == CPUHP_BASE_Q35 + CPUHP_W_CMD)
		m->block_changed_by_smm = false;
	else
		relies(c, port);
	port_write(c, port, size, v);
	/* _EJ0's upcall asks for the eject: every CPU whose SMI comes
	 * after this write must not return to the OS before it is done.
	 * QEMU refused the fw_remove of an absent CPU (the eject of a CPU
	 * ejected before, a second client's request): nothing is asked. */
	if (port == APM_CNT_PORT && c->ej0_target >= 0 &&
	    m->dev.cpu[c->ej0_target].fw_remove) {
		m->eject_pending[c->ej0_target] = true;
		m->eject_asked[c->ej0_target] = m->step;
		m->eject_junked[c->ej0_target] = false;
		m->eject_asker[c->ej0_target] = c->idx;
	}
	/* The writer's own SMI is taken at the next instruction boundary,
	 * with AL = 4 and DX = 0xb2 still in its registers; again after
	 * RSM if another SMI came meanwhile. */
	if (port == APM_CNT_PORT && v == APM_CNT_CPU_HOTPLUG) {
		if (fault(F_JUNK, 100))
			junk_over_apm(c);
		c->out_apm4 = true;
		point(c);
		c->out_apm4 = false;
	}
}

static void notify(void *ctx, uint32_t idx, uint32_t event)
{
	(void)ctx;
	os_queue(event == AML_NOTIFY_DEVICE_CHECK ? W_ADD : W_REMOVE,
		 (int)idx);
}

/* CPLK: Acquire(CPLK, 0xFFFF) waits for ever. */
static void acquire(void *ctx)
{
	struct mcpu *c = ctx;

	while (M->cplk != -1 && M->cplk != c->idx)
		relax_point(c);
	M->cplk = c->idx;
	M->block_changed_by_smm = false;
}

static void release(void *ctx)
{
	(void)ctx;
	M->cplk = -1;
}

static void aml_on(struct mcpu *c, struct platform *p, struct aml_cpus *a)
{
	*p = (struct platform){ .ctx = c, .io_read = aml_io_read,
				.io_write = aml_io_write };
	*a = (struct aml_cpus){
		.p = p,
		.base = CPUHP_BASE_Q35,
		.smi_port = APM_CNT_PORT,
		.nr = M->o->max_cpus,
		.bsp = 0,
		.smi_on_cpuhp = true,
		.fw_unplugs_cpu = true,
		.ctx = c,
		.notify = notify,
		.acquire = acquire,
		.release = release,
	};
}

void os_cscn(struct mcpu *c)
{
	struct platform p;
	struct aml_cpus a;

	aml_on(c, &p, &a);
	aml_cscn(&a);
}

uint32_t os_sta(struct mcpu *c, uint32_t idx)
{
	struct platform p;
	struct aml_cpus a;
	uint32_t sta = 0;

	aml_on(c, &p, &a);
	aml_sta(&a, idx, &sta);
	return sta;
}

void os_ej0(struct mcpu *c, uint32_t idx)
{
	struct platform p;
	struct aml_cpus a;

	aml_on(c, &p, &a);
	c->ej0_target = (int)idx;
	aml_ej0(&a, idx);
	c->ej0_target = -1;
}

void os_ost(struct mcpu *c, uint32_t idx, uint32_t event, uint32_t status)
{
	struct platform p;
	struct aml_cpus a;

	aml_on(c, &p, &a);
	aml_ost(&a, idx, event, status);
}
