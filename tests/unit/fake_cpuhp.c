/* Fake CPU hotplug register block for unit tests. */
#include <string.h>

#include "fake_cpuhp.h"
#include "hw/cpuhp.h"

void fake_cpuhp_init(struct fake_cpuhp *f, uint32_t nr, uint32_t present)
{
	memset(f, 0, sizeof(*f));
	f->nr = nr;
	f->junk_next = -1;
	for (uint32_t i = 0; i < nr; i++) {
		/* Like -smp 1,sockets=1,cores=N: APIC ID = index. */
		f->cpu[i].arch_id = i;
		f->cpu[i].present = i < present;
	}
}

static uint32_t rd(void *ctx, uint16_t port, unsigned size)
{
	struct fake_cpuhp *f = ctx;
	struct fake_cpu *c;
	unsigned off = port - CPUHP_BASE_Q35;

	(void)size;
	f->accesses++;
	if (!f->modern) {
		/* Legacy: the present-CPU bitmap. */
		return off == 0 ? f->cpu[0].present : 0;
	}
	if (f->selector >= f->nr)
		return 0;
	c = &f->cpu[f->selector];
	switch (off) {
	case CPUHP_R_CPU_STAT:
		return (c->present ? CPUHP_STAT_ENABLED : 0) |
		       (c->inserting ? CPUHP_STAT_INSERT : 0) |
		       (c->removing ? CPUHP_STAT_REMOVE : 0) |
		       (c->fw_remove ? CPUHP_STAT_FW_REMOVE : 0);
	case CPUHP_RW_CMD_DATA:
		if (f->command == CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT)
			return f->junk_next >= 0 ? (uint32_t)f->junk_next :
						   f->selector;
		if (f->command == CPUHP_CMD_GET_CPU_ID)
			return (uint32_t)(c->arch_id + f->junk_id_delta);
		return 0;
	case CPUHP_R_CMD_DATA2:
		if (f->command == CPUHP_CMD_GET_CPU_ID)
			return (uint32_t)((c->arch_id + f->junk_id_delta) >> 32);
		return 0;
	}
	return 0;
}

static void wr(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	struct fake_cpuhp *f = ctx;
	unsigned off = port - CPUHP_BASE_Q35;
	struct fake_cpu *c;

	(void)size;
	f->accesses++;
	if (off == CPUHP_W_CPU_SEL) {
		if (!f->modern && v == 0 && !f->stay_legacy)
			f->modern = true;
		f->selector = v;
		return;
	}
	if (f->selector >= f->nr)
		return;
	c = &f->cpu[f->selector];
	if (off == CPUHP_W_CPU_CTL) {
		/* One action per write, in QEMU's priority order. */
		if (v & CPUHP_CTL_CLEAR_INSERT)
			c->inserting = false;
		else if (v & CPUHP_CTL_CLEAR_REMOVE)
			c->removing = false;
		else if (v & CPUHP_CTL_EJECT) {
			if (f->selector && c->present) {
				c->present = c->fw_remove = false;
				f->ejected[f->nr_ejected++] = f->selector;
			}
		} else if (v & CPUHP_CTL_FW_REMOVE) {
			if (f->selector && c->present)
				c->fw_remove = true;
		}
		return;
	}
	if (off == CPUHP_W_CMD && v <= CPUHP_CMD_GET_CPU_ID) {
		f->command = (uint8_t)v;
		if (v != CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT)
			return;
		for (uint32_t i = 0, it = f->selector; i < f->nr; i++) {
			struct fake_cpu *e = &f->cpu[it];

			if (e->inserting || e->removing || e->fw_remove) {
				f->selector = it;
				return;
			}
			it = it + 1 < f->nr ? it + 1 : 0;
		}
	}
}

static int send_smi(void *ctx, uint32_t apic_id)
{
	struct fake_cpuhp *f = ctx;

	f->smi[f->nr_smi++ % FAKE_CPUHP_MAX] = apic_id;
	return 0;
}

static uint64_t now_us(void *ctx)
{
	return ((struct fake_cpuhp *)ctx)->now_us;
}

static void relax(void *ctx)
{
	((struct fake_cpuhp *)ctx)->now_us += 10;
}

void fake_cpuhp_platform(struct fake_cpuhp *f, struct platform *p)
{
	p->ctx = f;
	p->io_read = rd;
	p->io_write = wr;
	p->send_smi = send_smi;
	p->now_us = now_us;
	p->relax = relax;
}
