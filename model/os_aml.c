/* QEMU 10.0's CPU hotplug AML (hw/acpi/cpu.c build_cpus_aml(), with
 * smi_path and fw_unplugs_cpu, as q35 builds it when the firmware
 * negotiated SMI on hot-add and hot-unplug), run by a model CPU. Each
 * access below is one the AML makes, in its order. */
#include "hw/cpuhp.h"
#include "hw/q35.h"
#include "model.h"
#include "os_aml.h"

#define CSEL	CPUHP_W_CPU_SEL
#define CCMD	CPUHP_W_CMD
#define CDAT	CPUHP_RW_CMD_DATA
#define CFLG	CPUHP_R_CPU_STAT	/* CPEN, CINS, CRMV, CEJ0 bits */

static void relies(struct mcpu *c, const char *what)
{
	if (M->block_changed_by_smm)
		violation(INV_AML_CLOBBERED, "CPU %d's AML reads %s after SMM "
			  "changed the selector or command under it", c->idx,
			  what);
}

static uint32_t in(struct mcpu *c, uint32_t off, unsigned size)
{
	wait_us(c, 2);
	relies(c, off == CDAT ? "CDAT" : "the CPU flags");
	return port_read(c, (uint16_t)(CPUHP_BASE_Q35 + off), size);
}

static void out(struct mcpu *c, uint32_t off, unsigned size, uint32_t v)
{
	wait_us(c, 2);
	if (off == CSEL || off == CCMD)
		M->block_changed_by_smm = false;
	else
		relies(c, "the selected CPU");
	port_write(c, (uint16_t)(CPUHP_BASE_Q35 + off), size, v);
}

static void lock(struct mcpu *c)
{
	while (M->cplk != -1 && M->cplk != c->idx)
		relax_point(c);
	M->cplk = c->idx;
	M->block_changed_by_smm = false;
}

static void unlock(struct mcpu *c)
{
	(void)c;
	M->cplk = -1;
}

uint8_t aml_sta(struct mcpu *c, uint32_t idx)
{
	uint8_t sta;

	lock(c);
	out(c, CSEL, 4, idx);
	sta = (in(c, CFLG, 1) & CPUHP_STAT_ENABLED) ? 0xf : 0;
	unlock(c);
	return sta;
}

void aml_ej0(struct mcpu *c, uint32_t idx)
{
	lock(c);
	out(c, CSEL, 4, idx);
	out(c, CPUHP_W_CPU_CTL, 1, CPUHP_CTL_FW_REMOVE);
	wait_us(c, 2);
	port_write(c, APM_CNT_PORT, 1, APM_CNT_CPU_HOTPLUG);
	/* The eject is asked with the upcall: every CPU whose SMI comes
	 * after this must not return to the OS before it is done. */
	M->eject_pending[idx] = true;
	M->eject_asked[idx] = M->step;
	unlock(c);
}

void aml_ost(struct mcpu *c, uint32_t idx, uint32_t event, uint32_t status)
{
	lock(c);
	out(c, CSEL, 4, idx);
	out(c, CCMD, 1, CPUHP_CMD_OST_EVENT);
	out(c, CDAT, 4, event);
	out(c, CCMD, 1, CPUHP_CMD_OST_STATUS);
	out(c, CDAT, 4, status);
	unlock(c);
}

/* CSCN: scan from uid with GET_NEXT, collect inserts and removes, upcall
 * the firmware if anything was added, Notify, clear the events. */
void aml_cscn(struct mcpu *c)
{
	struct model *m = M;
	uint32_t added[MODEL_MAX_CPUS], ejs[MODEL_MAX_CPUS];
	uint32_t nr_added, nr_ej, uid = 0;
	bool has_job = true;

	lock(c);
	while (has_job) {
		bool has_event = true;

		has_job = false;
		nr_added = nr_ej = 0;
		while (has_event && uid < m->o->max_cpus) {
			uint32_t next;
			uint8_t f;

			has_event = false;
			out(c, CSEL, 4, uid);
			out(c, CCMD, 1, CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
			next = in(c, CDAT, 4);
			if (next < uid)
				break;	/* wrapped */
			uid = next;
			f = (uint8_t)in(c, CFLG, 1);
			if (f & CPUHP_STAT_INSERT) {
				added[nr_added++] = uid;
				has_event = true;
			}
			if (f & CPUHP_STAT_REMOVE) {
				ejs[nr_ej++] = uid;
				has_event = true;
			}
			uid++;
		}
		if (nr_added) {
			trace(c->idx, "CSCN: %u added, SMI upcall", nr_added);
			wait_us(c, 2);
			port_write(c, APM_CNT_PORT, 1, APM_CNT_CPU_HOTPLUG);
		}
		for (uint32_t i = 0; i < nr_added; i++) {
			os_queue(W_ADD, (int)added[i]);	/* Notify(1) */
			out(c, CSEL, 4, added[i]);
			out(c, CPUHP_W_CPU_CTL, 1, CPUHP_CTL_CLEAR_INSERT);
		}
		for (uint32_t i = 0; i < nr_ej; i++) {
			os_queue(W_REMOVE, (int)ejs[i]);	/* Notify(3) */
			out(c, CSEL, 4, ejs[i]);
			out(c, CPUHP_W_CPU_CTL, 1, CPUHP_CTL_CLEAR_REMOVE);
		}
	}
	unlock(c);
}
