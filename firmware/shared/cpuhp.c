/* CPU hotplug register block accesses; each comment says what the
 * access does on QEMU's side (hw/acpi/cpu.c). */
#include "cpuhp.h"
#include "hw/cpuhp.h"
#include "mutation.h"

static uint32_t rd(struct cpuhp *c, unsigned off, unsigned size)
{
	return c->p->io_read(c->p->ctx, c->base + off, size);
}

static void wr(struct cpuhp *c, unsigned off, unsigned size, uint32_t v)
{
	c->p->io_write(c->p->ctx, c->base + off, size, v);
}

void cpuhp_init(struct cpuhp *c, const struct platform *p, uint16_t base)
{
	c->p = p;
	c->base = base;
	c->nr = 0;
}

void cpuhp_select(struct cpuhp *c, uint32_t sel)
{
	/* Latches the selector; an invalid one makes every later read 0
	 * and every write but the selector a no-op. */
	wr(c, CPUHP_W_CPU_SEL, 4, sel);
}

uint8_t cpuhp_status(struct cpuhp *c, uint32_t sel)
{
	cpuhp_select(c, sel);
	return (uint8_t)rd(c, CPUHP_R_CPU_STAT, 1);
}

int cpuhp_apic_id(struct cpuhp *c, uint32_t sel, uint32_t *apic_id)
{
	cpuhp_select(c, sel);
	/* GET_CPU_ID loads the arch ID: low half in data, high in data2. */
	wr(c, CPUHP_W_CMD, 1, CPUHP_CMD_GET_CPU_ID);
	*apic_id = rd(c, CPUHP_RW_CMD_DATA, 4);
	return rd(c, CPUHP_R_CMD_DATA2, 4) ? -1 : 0;
}

int cpuhp_next_event(struct cpuhp *c, uint32_t from, uint32_t *sel)
{
	uint8_t st;

	if (from >= c->nr)
		return 1;
	cpuhp_select(c, from);
	/* GET_NEXT scans from the selector, wrapping around, and moves the
	 * selector to the first CPU with an insert, remove or fw-remove
	 * event; with none it leaves it. Events stay pending. */
	wr(c, CPUHP_W_CMD, 1, CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	*sel = rd(c, CPUHP_RW_CMD_DATA, 4);
	if (*sel >= c->nr)
		return -1;
	st = (uint8_t)rd(c, CPUHP_R_CPU_STAT, 1);
	if (!(st & (CPUHP_STAT_INSERT | CPUHP_STAT_REMOVE |
		    CPUHP_STAT_FW_REMOVE)))
		return 1;
	/* A selector below the start means the scan wrapped: done. */
	return *sel < from ? 1 : 0;
}

void cpuhp_handover(struct cpuhp *c)
{
	/* The command first: GET_NEXT moves the selector to a CPU with an
	 * event, which the selector write then undoes. Events stay
	 * pending. */
	wr(c, CPUHP_W_CMD, 1, CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	cpuhp_select(c, 0);
}

void cpuhp_eject(struct cpuhp *c, uint32_t sel)
{
	uint8_t st = cpuhp_status(c, sel);

	/* QEMU keeps a slot's insert and remove events past the eject, for
	 * whatever CPU is plugged into the slot next: a second device_del
	 * of this CPU would have the OS eject that one, and an insert event
	 * of this one that the AML's scan collects before that CPU is
	 * plugged would be cleared, with the OS notified, by that scan
	 * after its SMI: a CPU no SMI admitted would reach the OS. Both
	 * belong to this CPU, and the OS, which asked for its eject and
	 * holds the AML's lock, has seen neither. Cleared while the CPU is
	 * still there, no plug can come between (QEMU refuses a device_add
	 * into an occupied slot). One action per write: QEMU does only the
	 * lowest bit set. */
	if ((st & CPUHP_STAT_INSERT) && !MUTATION(EJECT_KEEPS_EVENTS))
		wr(c, CPUHP_W_CPU_CTL, 1, CPUHP_CTL_CLEAR_INSERT);
	if ((st & CPUHP_STAT_REMOVE) && !MUTATION(EJECT_KEEPS_EVENTS))
		wr(c, CPUHP_W_CPU_CTL, 1, CPUHP_CTL_CLEAR_REMOVE);
	/* QEMU unplugs the vCPU (hotplug_handler_unplug) and clears its
	 * fw-remove flag; the vCPU thread is gone when this returns. */
	wr(c, CPUHP_W_CPU_CTL, 1, CPUHP_CTL_EJECT);
}

int cpuhp_probe(struct cpuhp *c, uint32_t max)
{
	uint32_t n;

	/* A zero dword at offset 0 leaves the legacy bitmap interface
	 * (QEMU's cpu_status_write); the modern block then answers a
	 * GET_NEXT on selector 0 with data2 == 0. */
	wr(c, CPUHP_LEGACY_SWITCH, 4, 0);
	cpuhp_select(c, 0);
	wr(c, CPUHP_W_CMD, 1, CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT);
	if (rd(c, CPUHP_R_CMD_DATA2, 4))
		return -1;
	/* With GET_NEXT latched, data reads back the selector while it is
	 * valid and 0 past the last possible CPU. */
	for (n = 1; n <= max; n++) {
		cpuhp_select(c, n);
		if (rd(c, CPUHP_RW_CMD_DATA, 4) != n)
			break;
	}
	cpuhp_select(c, 0);
	if (n > max)
		return -1;
	c->nr = n;
	return 0;
}
