/* The operations of the differential test: chosen from the seed and
 * the model's state only (never from QEMU's answers, so a seed always
 * replays the same sequence), done on both sides, then compared. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diff_ops.h"
#include "hw/cpuhp.h"
#include "hw/q35.h"
#include "hw/smi_features.h"

#define BASE		CPUHP_BASE_Q35
/* Offsets tried: the block, and a bit past its end. */
#define OFF_RANGE	0x14

static uint64_t next(struct diff *d)
{
	/* xorshift64* */
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return d->rng * 0x2545f4914f6cdd1dull;
}

uint32_t diff__below(struct diff *d, uint32_t n)
{
	return (uint32_t)((next(d) >> 32) % n);
}

static uint32_t rnd32(struct diff *d)
{
	return (uint32_t)(next(d) >> 32);
}

void diff__fail(struct diff *d, const char *fmt, ...)
{
	va_list ap;

	if (d->failed)
		return;	/* the first mismatch is the one to read */
	d->failed = 1;
	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
}

void diff__report(const struct diff *d)
{
	unsigned first = d->n_ops > DIFF_HISTORY ? d->n_ops - DIFF_HISTORY : 0;

	printf("# mismatch at operation %u: %s\n", d->n_ops - 1, d->why);
	printf("# operations before it:\n");
	for (unsigned i = first; i < d->n_ops; i++)
		printf("#   %5u %s\n", i, d->history[i % DIFF_HISTORY]);
}

/* Records the operation before it runs, so a mismatch shows it. */
static void begin(struct diff *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void begin(struct diff *d, const char *fmt, ...)
{
	char *h = d->history[d->n_ops % DIFF_HISTORY];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h, sizeof(d->history[0]), fmt, ap);
	va_end(ap);
	if (d->verbose)
		printf("# %5u %s\n", d->n_ops, h);
	d->n_ops++;
	d->n_m_ost = d->n_q_ost = 0;
	d->m_sci = false;
}

/* Model side callbacks */
static void m_eject(void *ctx, uint32_t idx)
{
	struct diff *d = ctx;

	if (d->n_m_ej < DIFF_MAX_EJ)
		d->m_ej[d->n_m_ej++] = idx;
}

static void m_ost(void *ctx, uint32_t idx, uint32_t event, uint32_t status)
{
	struct diff *d = ctx;

	if (d->n_m_ost < DIFF_MAX_OST)
		d->m_ost[d->n_m_ost++] = (struct diff_ost){ idx, event, status };
}

static void m_sci(void *ctx)
{
	((struct diff *)ctx)->m_sci = true;
}

void diff__model_init(struct diff *d, uint32_t nr, const uint64_t *ids,
		      uint32_t nr_boot)
{
	const struct cpuhp_dev_host host = {
		.ctx = d, .eject = m_eject, .ost = m_ost, .sci = m_sci,
	};

	cpuhp_dev_init(&d->dev, nr, ids, nr_boot, &host);
}

/* QEMU side events */
static void q_ost(void *ctx, uint32_t idx, uint32_t event, uint32_t status)
{
	struct diff *d = ctx;

	if (d->n_q_ost < DIFF_MAX_OST)
		d->q_ost[d->n_q_ost++] = (struct diff_ost){ idx, event, status };
}

static void q_deleted(void *ctx, uint32_t idx)
{
	struct diff *d = ctx;

	if (d->n_q_del < DIFF_MAX_EJ)
		d->q_del[d->n_q_del++] = idx;
}

void diff__events(struct diff *d, int wait_ms)
{
	const struct q35q_events cb = {
		.ctx = d, .ost = q_ost, .deleted = q_deleted,
	};
	int r = q35q__events(&d->q, &cb, wait_ms);

	if (r)
		diff__fail(d, "QMP events: %s (%s)", strerror(-r),
			   d->t.qmp.error);
}

/* The AML's ports: the block on both sides, APM_CNT on QEMU's only
 * (no SMI comes of it: SMI_EN.APMC is off). Reads must agree; the
 * AML goes on with the model's value. */
static uint32_t shim_read(void *ctx, uint16_t port, unsigned size)
{
	struct diff *d = ctx;
	uint32_t q = 0, m;

	if (port < BASE || port >= BASE + OFF_RANGE) {
		diff__fail(d, "the AML read port 0x%x", port);
		return 0;
	}
	m = cpuhp_dev_read(&d->dev, port - BASE, size);
	if (d->failed)
		return m;
	d->n_reads++;
	if (qtest__in(&d->t, size, port, &q))
		diff__fail(d, "qtest: %s", d->t.error);
	else if (q != m)
		diff__fail(d, "AML read of port 0x%x/%u: QEMU 0x%x, model "
			   "0x%x", port, size, q, m);
	return m;
}

static void shim_write(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	struct diff *d = ctx;

	if (port >= BASE && port < BASE + OFF_RANGE)
		cpuhp_dev_write(&d->dev, port - BASE, size, v);
	if (!d->failed && qtest__out(&d->t, size, port, v))
		diff__fail(d, "qtest: %s", d->t.error);
}

static void notify(void *ctx, uint32_t idx, uint32_t event)
{
	struct diff *d = ctx;

	if (d->verbose)
		printf("#         Notify(C%03X, %u)\n", idx, event);
}

void diff__aml_init(struct diff *d)
{
	d->plat = (struct platform){
		.ctx = d, .io_read = shim_read, .io_write = shim_write,
	};
	/* The AML QEMU builds after the firmware's negotiation; the FADT's
	 * SMI_CMD is 0 without SMM. */
	d->aml = (struct aml_cpus){
		.p = &d->plat, .base = BASE,
		.smi_port = d->smm ? APM_CNT_PORT : 0,
		.nr = d->dev.nr, .bsp = d->dev.bsp,
		.smi_on_cpuhp = d->dev.smi_negotiated & SMI_F_CPU_HOTPLUG,
		.fw_unplugs_cpu = d->dev.smi_negotiated & SMI_F_CPU_HOT_UNPLUG,
		.ctx = d, .notify = notify,
	};
}

static char width(unsigned size)
{
	return size == 1 ? 'b' : size == 2 ? 'w' : 'l';
}

static unsigned pick_size(struct diff *d)
{
	uint32_t r = diff__below(d, 10);

	return r < 4 ? 1 : r < 6 ? 2 : 4;
}

static void op_read(struct diff *d)
{
	uint32_t r = diff__below(d, 100), off, q = 0, m;
	unsigned size = pick_size(d);

	off = r < 15 ? 0 : r < 40 ? 4 : r < 65 ? 8 : diff__below(d, OFF_RANGE);
	begin(d, "in%c 0x%x", width(size), BASE + off);
	m = cpuhp_dev_read(&d->dev, off, size);
	d->n_reads++;
	if (qtest__in(&d->t, size, (uint16_t)(BASE + off), &q))
		diff__fail(d, "qtest: %s", d->t.error);
	else if (q != m)
		diff__fail(d, "in%c 0x%x: QEMU 0x%x, model 0x%x", width(size),
			   BASE + off, q, m);
}

static uint32_t pick_selector(struct diff *d)
{
	uint32_t r = diff__below(d, 100);

	if (r < 80)
		return diff__below(d, d->dev.nr);
	if (r < 90)
		return d->dev.nr + diff__below(d, 4);
	return r < 95 ? 0xffffffff : rnd32(d);
}

static uint32_t pick_control(struct diff *d)
{
	uint32_t r = diff__below(d, 100);

	if (r < 60)	/* one action: clear insert/remove, eject, fw_remove */
		return 1u << (1 + diff__below(d, 4));
	return r < 80 ? diff__below(d, 256) : diff__below(d, 16) << 1;
}

static void op_write(struct diff *d)
{
	uint32_t r = diff__below(d, 100), off, val;
	unsigned size = diff__below(d, 10) < 8 ? 1 : pick_size(d);

	if (r < 35) {
		off = CPUHP_W_CPU_SEL;
		size = diff__below(d, 10) < 8 ? 4 : pick_size(d);
		val = pick_selector(d);
	} else if (r < 60) {
		off = CPUHP_W_CPU_CTL;
		val = pick_control(d) | (size > 1 ? rnd32(d) & ~0xffu : 0);
	} else if (r < 75) {
		off = CPUHP_W_CMD;
		val = diff__below(d, 10) < 7 ? diff__below(d, 4) : rnd32(d);
	} else if (r < 85) {
		off = CPUHP_RW_CMD_DATA;
		size = pick_size(d);
		val = diff__below(d, 2) ? diff__below(d, 0x200) : rnd32(d);
	} else {
		off = diff__below(d, OFF_RANGE);
		size = pick_size(d);
		val = rnd32(d);
	}
	if (size < 4)
		val &= (1u << (8 * size)) - 1;
	/* Stay in legacy mode until the episode's switch. */
	if (off == 0 && d->dev.legacy && !(val & 0xff))
		val |= 1;
	begin(d, "out%c 0x%x, 0x%x", width(size), BASE + off, val);
	cpuhp_dev_write(&d->dev, off, size, val);
	if (qtest__out(&d->t, size, (uint16_t)(BASE + off), val))
		diff__fail(d, "qtest: %s", d->t.error);
}

/* The firmware's (or _INI's) switch, at some width. */
static void op_switch(struct diff *d)
{
	unsigned size = pick_size(d);
	uint32_t val = size > 1 ? rnd32(d) & ((1u << (8 * size)) - 1) & ~0xffu
				: 0;

	begin(d, "out%c 0x%x, 0x%x (switch)", width(size), BASE, val);
	cpuhp_dev_write(&d->dev, 0, size, val);
	if (qtest__out(&d->t, size, BASE, val))
		diff__fail(d, "qtest: %s", d->t.error);
}

static void compare_rc(struct diff *d, const char *what, uint32_t idx,
		       int q, int m)
{
	d->n_refusals += q != 0;
	if (q == m)
		return;
	diff__fail(d, "%s of slot %u: QEMU %d (%s), model %d (%s)", what, idx,
		   q, q == -EREMOTEIO ? d->t.qmp.error : strerror(-q), m,
		   strerror(-m));
}

static void op_device_add(struct diff *d)
{
	uint32_t idx = diff__below(d, d->dev.nr);
	struct cpuhp_dev probe = d->dev;
	int q, m, would;

	/* No vCPU thread left for a plug QEMU would take: refusals only.
	 * A refused device_add costs QEMU ~55 ms too (drain_call_rcu()),
	 * so only some of them are tried. */
	probe.host = (struct cpuhp_dev_host){ 0 };
	would = cpuhp_dev_plug(&probe, idx);
	if ((!would && !d->add_budget) || (would && diff__below(d, 10) >= 3)) {
		op_read(d);
		return;
	}
	begin(d, "device_add slot %u", idx);
	q = q35q__device_add(&d->q, idx);
	m = cpuhp_dev_plug(&d->dev, idx);
	if (!q) {
		d->add_budget--;
		d->n_plugs++;
	}
	compare_rc(d, "device_add", idx, q, m);
}

static void op_device_del(struct diff *d)
{
	uint32_t r = diff__below(d, 100), idx = 0;

	if (r >= 15) {
		idx = diff__below(d, d->dev.nr);
		/* Mostly a CPU that is there. */
		for (int i = 0; r < 85 && i < 8 && !d->dev.cpu[idx].present;
		     i++)
			idx = diff__below(d, d->dev.nr);
	}
	begin(d, "device_del slot %u", idx);
	compare_rc(d, "device_del", idx, q35q__device_del(&d->q, idx),
		   cpuhp_dev_unplug_request(&d->dev, idx));
}

static void op_aml(struct diff *d)
{
	static const uint32_t events[] = { 1, 3, 0x103, 0x200 };
	static const uint32_t stati[] = { 0, 0x80, 0x81, 0x84, 0x8f };
	uint32_t r = diff__below(d, 12), idx = diff__below(d, d->dev.nr);
	uint32_t sta;

	if (r < 4) {
		begin(d, "CSCN");
		aml_cscn(&d->aml);
	} else if (r < 7) {
		begin(d, "C%03X._STA", idx);
		aml_sta(&d->aml, idx, &sta);
	} else if (r < 9) {
		begin(d, "C%03X._EJ0%s", idx,
		      d->aml.fw_unplugs_cpu ? " (firmware ejects)" : "");
		aml_ej0(&d->aml, idx);
	} else {
		uint32_t ev = events[diff__below(d, 4)];
		uint32_t st = diff__below(d, 6) < 5 ? stati[diff__below(d, 5)]
						    : rnd32(d);

		begin(d, "C%03X._OST(0x%x, 0x%x)", idx, ev, st);
		aml_ost(&d->aml, idx, ev, st);
	}
}

static void fmt_ost(char *buf, size_t n, const struct diff_ost *o,
		    unsigned count)
{
	int k = snprintf(buf, n, "[");

	for (unsigned i = 0; i < count && k > 0 && (size_t)k < n; i++)
		k += snprintf(buf + k, n - (size_t)k, "%s%u:0x%x/0x%x",
			      i ? " " : "", o[i].idx, o[i].event, o[i].status);
	if (k > 0 && (size_t)k < n)
		snprintf(buf + k, n - (size_t)k, "]");
}

/* After each operation: the same ACPI_DEVICE_OST events, the same
 * GPE, and no vCPU deleted that the model did not eject. */
static void compare_after(struct diff *d)
{
	char qs[160], ms[160];
	bool gpe = false;

	if (d->failed)
		return;
	diff__events(d, 0);
	if (d->n_q_ost != d->n_m_ost ||
	    memcmp(d->q_ost, d->m_ost, d->n_m_ost * sizeof(d->m_ost[0]))) {
		fmt_ost(qs, sizeof(qs), d->q_ost, d->n_q_ost);
		fmt_ost(ms, sizeof(ms), d->m_ost, d->n_m_ost);
		diff__fail(d, "ACPI_DEVICE_OST (slot:event/status): QEMU %s, "
			   "model %s", qs, ms);
		return;
	}
	d->n_ost += d->n_q_ost;
	if (q35q__take_cpu_hotplug_gpe(&d->q, &gpe))
		diff__fail(d, "qtest: %s", d->t.error);
	d->n_gpe += gpe;
	if (gpe != d->m_sci)
		diff__fail(d, "GPE0 CPU hotplug status: QEMU %d, model %d", gpe,
			   d->m_sci);
	for (unsigned i = 0; !d->failed && i < d->n_q_del; i++)
		if (i >= d->n_m_ej || d->q_del[i] != d->m_ej[i])
			diff__fail(d, "QEMU deleted the vCPU of slot %u, the "
				   "model's eject #%u was %s", d->q_del[i], i,
				   i < d->n_m_ej ? "another slot" : "none");
}

void diff__step(struct diff *d)
{
	uint32_t r = diff__below(d, 100);

	if (d->dev.legacy && d->n_ops >= d->legacy_ops)
		op_switch(d);
	else if (r < 36 - (d->dev.legacy ? 12 : 0))
		op_read(d);
	else if (r < 76)
		op_write(d);
	else if (r < 82)
		op_device_add(d);
	else if (r < 88)
		op_device_del(d);
	else if (!d->dev.legacy)
		op_aml(d);
	else
		op_read(d);
	compare_after(d);
}
