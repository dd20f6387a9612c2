/* Fuzz target: the hotplug plan, cpuhp_collect() in
 * firmware/shared/cpuhp_plan.c (and cpuhp_probe() in cpuhp.c), against a
 * register block that follows QEMU (tests/unit/fake_cpuhp.c) except
 * where the input makes a read answer junk. Checks: the slot table is
 * never written; a plan never admits more CPUs than max_add or than
 * absent slots, never admits a slot or an APIC ID twice or one already
 * in use, never ejects the BSP (nor, with an honest block, an absent
 * CPU), never both admits and ejects a slot; the scan ends within a bounded number
 * of accesses; with an honest block the plan is exactly what the rules
 * in cpuhp_plan.h say.
 *
 * Input: flags (u8), CPU count - 1 (u8, up to FAKE_CPUHP_MAX), BSP slot
 * (u8), max_add (u16), APIC ID key (u16), one byte per CPU (see CPU_*),
 * then one control byte per register read: bit 7 set makes that read
 * answer the u32 that follows. */
#include <string.h>

#include "cpuhp.h"
#include "cpuhp_plan.h"
#include "fake_cpuhp.h"
#include "fuzz.h"
#include "hw/cpuhp.h"

#define F_PROBE		(1u << 0)	/* count CPUs with cpuhp_probe() */
#define F_LEGACY	(1u << 1)	/* the block stays legacy */

#define CPU_PRESENT	(1u << 0)
#define CPU_INSERTING	(1u << 1)
#define CPU_REMOVING	(1u << 2)
#define CPU_FW_REMOVE	(1u << 3)
#define CPU_SLOT_SHIFT	4		/* 2 bits: SLOT_* at boot */
#define CPU_WRONG_ID	(1u << 6)	/* GET_CPU_ID answers another ID */

static struct fake_cpuhp f;
static struct platform fake, p;
static struct smm_slot slots[SMM_MAX_CPUS], before[SMM_MAX_CPUS];
static struct cpuhp_plan plan;
static struct fuzz_in junk;
static unsigned junk_reads;

static uint32_t junk_read(void *ctx, uint16_t port, unsigned size)
{
	uint32_t v = fake.io_read(ctx, port, size);

	if (junk.left && fuzz_u(&junk, 1) & 0x80) {
		junk_reads++;
		v = (uint32_t)fuzz_u(&junk, 4);
	}
	return v;
}

/* What cpuhp_plan.h promises for an honest block. */
static void expected(uint32_t nr, uint32_t bsp, uint32_t max_add,
		     struct cpuhp_plan *want)
{
	memset(want, 0, sizeof(*want));
	for (uint32_t s = 0; s < nr && s < f.nr; s++) {
		const struct fake_cpu *c = &f.cpu[s];
		int id_ok = c->arch_id == slots[s].apic_id;

		if (c->fw_remove) {
			/* The OS's eject of whatever CPU the slot holds:
			 * relocated, admitted and never started (KVM), or
			 * plugged since the remove event and never admitted. */
			if (s != bsp && c->present && id_ok)
				want->eject[want->nr_eject++] = s;
		} else if (c->inserting) {
			if (c->present && slots[s].state == SLOT_ABSENT &&
			    want->nr_add < max_add && id_ok)
				want->add[want->nr_add++] = s;
		}
	}
}

static void check_plan(uint32_t nr, uint32_t bsp, uint32_t max_add)
{
	static uint8_t seen[SMM_MAX_CPUS];
	uint32_t absent = 0;

	fuzz_check(!memcmp(slots, before, sizeof(slots)),
		   "collect wrote the slot table");
	for (uint32_t s = 0; s < nr; s++)
		absent += slots[s].state == SLOT_ABSENT;
	fuzz_check(plan.nr_add <= max_add && plan.nr_add <= absent,
		   "%u CPUs admitted, max_add %u, %u absent slots",
		   plan.nr_add, max_add, absent);
	memset(seen, 0, sizeof(seen));
	for (uint32_t i = 0; i < plan.nr_add; i++) {
		uint32_t s = plan.add[i];

		fuzz_check(s < nr && slots[s].state == SLOT_ABSENT && !seen[s],
			   "admits slot %u (state %u) twice or wrongly", s,
			   s < nr ? slots[s].state : 0);
		seen[s] = 1;
	}
	/* After the plan, no two slots in use share an APIC ID. */
	for (uint32_t i = 0; i < nr; i++)
		for (uint32_t j = i + 1; j < nr; j++)
			fuzz_check(slots[i].apic_id != slots[j].apic_id ||
					   (slots[i].state == SLOT_ABSENT &&
					    !seen[i]) ||
					   (slots[j].state == SLOT_ABSENT &&
					    !seen[j]),
				   "APIC ID 0x%x in slots %u and %u",
				   slots[i].apic_id, i, j);
	fuzz_check(plan.nr_eject <= nr, "%u ejects", plan.nr_eject);
	for (uint32_t i = 0; i < plan.nr_eject; i++) {
		uint32_t s = plan.eject[i];

		/* Junk reads may claim an absent CPU present. */
		fuzz_check(s < nr && s != bsp &&
				   (junk_reads || f.cpu[s].present) &&
				   seen[s] != 1 && seen[s] != 2,
			   "ejects slot %u (BSP %u, state %u) wrongly", s, bsp,
			   s < nr ? slots[s].state : 0);
		seen[s] = 2;
	}
	/* Per event: select, GET_NEXT, data, status, then status and up to
	 * three accesses for the ID. */
	fuzz_check(f.accesses <= 16 * (nr + 1), "%u accesses for %u CPUs",
		   f.accesses, nr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t nr, bsp, max_add, key;
	struct cpuhp_plan want;
	struct fuzz_in in;
	struct cpuhp c;
	uint8_t flags;
	int r;

	fuzz_reset();
	fuzz_in_init(&in, data, size);
	flags = (uint8_t)fuzz_u(&in, 1);
	nr = (uint32_t)fuzz_u(&in, 1) % FAKE_CPUHP_MAX + 1;
	bsp = (uint32_t)fuzz_u(&in, 1) % nr;
	max_add = (uint32_t)fuzz_u(&in, 2);
	key = (uint32_t)fuzz_u(&in, 2);
	fake_cpuhp_init(&f, nr, 0);
	f.stay_legacy = flags & F_LEGACY;
	memset(slots, 0, sizeof(slots));
	for (uint32_t s = 0; s < SMM_MAX_CPUS; s++) {
		/* Boot refuses duplicate APIC IDs: these are distinct. */
		slots[s].apic_id = s ^ key;
		slots[s].state = SLOT_ABSENT;
	}
	for (uint32_t s = 0; s < nr; s++) {
		uint8_t b = (uint8_t)fuzz_u(&in, 1);
		uint32_t st = (b >> CPU_SLOT_SHIFT) & 3;
		struct fake_cpu *cpu = &f.cpu[s];

		cpu->present = b & CPU_PRESENT;
		cpu->inserting = b & CPU_INSERTING;
		cpu->removing = b & CPU_REMOVING;
		cpu->fw_remove = b & CPU_FW_REMOVE;
		cpu->arch_id = slots[s].apic_id ^ (b & CPU_WRONG_ID ? 1 : 0);
		slots[s].state = st > SLOT_RELOCATED ? SLOT_RELOCATED : st;
	}
	/* The legacy bitmap has the BSP's bit set; the fake reads CPU 0. */
	if (f.stay_legacy)
		f.cpu[0].present = true;
	memcpy(before, slots, sizeof(slots));
	junk = in;
	junk_reads = 0;
	fake_cpuhp_platform(&f, &fake);
	p = fake;
	p.io_read = junk_read;
	cpuhp_init(&c, &p, CPUHP_BASE_Q35);
	if (flags & F_PROBE) {
		f.modern = false;
		r = cpuhp_probe(&c, SMM_MAX_CPUS);
		if (!junk_reads)
			fuzz_check(r == (f.stay_legacy ? -1 : 0) &&
					   (r || c.nr == nr),
				   "probe of %u CPUs: %d, %u", nr, r, c.nr);
		if (r) {
			fuzz_check(c.nr == 0, "failed probe set %u CPUs", c.nr);
			return 0;
		}
		fuzz_check(c.nr >= 1 && c.nr <= SMM_MAX_CPUS, "probe: %u CPUs",
			   c.nr);
	} else {
		f.modern = true;
		c.nr = nr;
	}
	f.accesses = 0;
	fuzz_errors = 0;
	r = cpuhp_collect(&c, slots, bsp, max_add, &plan);
	fuzz_check(!r || fuzz_errors, "collect failed silently");
	fuzz_check(plan.nr_refused <= fuzz_errors, "%u refusals, %u messages",
		   plan.nr_refused, fuzz_errors);
	check_plan(c.nr, bsp, max_add > SMM_MAX_CPUS ? SMM_MAX_CPUS : max_add);
	if (!junk_reads) {
		fuzz_check(r == 0, "honest block: collect failed");
		expected(c.nr, bsp, max_add, &want);
		fuzz_check(want.nr_add == plan.nr_add &&
				   want.nr_eject == plan.nr_eject &&
				   !memcmp(want.add, plan.add,
					   plan.nr_add * sizeof(plan.add[0])) &&
				   !memcmp(want.eject, plan.eject,
					   plan.nr_eject *
						   sizeof(plan.eject[0])),
			   "honest block: plan %u+%u, rules say %u+%u",
			   plan.nr_add, plan.nr_eject, want.nr_add,
			   want.nr_eject);
	}
	return 0;
}
