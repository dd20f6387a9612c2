/* Differential test: the model's CPU hotplug block (model/cpuhp_dev.c)
 * and the AML methods (model/aml.c) against QEMU 10.0 itself, driven
 * through the same seeded random sequences of port accesses, AML
 * methods, device_add and device_del. Every value read, every refusal,
 * every ACPI_DEVICE_OST, every GPE and every vCPU QEMU deletes must be
 * the model's. TAP, one line per episode (one QEMU each).
 *
 * QEMU runs "-S -qtest": no guest. Debian's QEMU 10.0 has no qtest
 * accelerator ("invalid accelerator qtest"), so the vCPUs are TCG's,
 * stopped, and TCG's limit holds: maxcpus vCPU threads per QEMU, so at
 * most maxcpus - boot successful device_adds per episode. qtest's port
 * accesses take address_space_rw() like KVM's, not TCG's own path.
 *
 *   HOTCPU_DIFF_OPS     operations in all (default 12000)
 *   HOTCPU_DIFF_SEED    master seed (default 1)
 *   HOTCPU_DIFF_REPLAY  run only the episode with this seed
 *   HOTCPU_DIFF_ACCEL   tcg (default) or kvm (needs KVM with SMM)
 *   HOTCPU_DIFF_VERBOSE print every operation */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aml.h"
#include "cpuhp_dev.h"
#include "diff_ops.h"
#include "hw/cpuhp.h"
#include "hw/q35.h"
#include "hw/smi_features.h"
#include "util.h"

/* -smp lines: boot CPUs, then sockets/cores/threads; slot order and
 * APIC IDs follow from them as in QEMU's x86 topology code. */
static const struct topo {
	uint32_t boot, sockets, cores, threads;
} topos[] = {
	{ 1, 1, 8, 1 },
	{ 1, 1, 16, 1 },
	{ 1, 1, 3, 1 },
	{ 2, 2, 3, 1 },		/* APIC IDs 0 1 2 4 5 6 */
	{ 2, 3, 1, 3 },		/* APIC IDs 0 1 2 4 5 6 8 9 10 */
	{ 1, 2, 2, 2 },
};

/* Requested SMI features; QEMU refuses the last (hotplug needs
 * broadcast), so nothing is negotiated then. */
static const uint64_t smi_choices[] = {
	SMI_F_BROADCAST | SMI_F_CPU_HOTPLUG | SMI_F_CPU_HOT_UNPLUG,
	SMI_F_BROADCAST | SMI_F_CPU_HOTPLUG | SMI_F_CPU_HOT_UNPLUG,
	SMI_F_BROADCAST | SMI_F_CPU_HOTPLUG | SMI_F_CPU_HOT_UNPLUG,
	0,
	SMI_F_BROADCAST,
	SMI_F_BROADCAST | SMI_F_CPU_HOTPLUG,
	SMI_F_CPU_HOTPLUG,
};

static unsigned bits(uint32_t n)
{
	unsigned b = 0;

	while ((1u << b) < n)
		b++;
	return b;
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

/* QEMU and the model side by side for one episode. */
static int episode_start(struct diff *d, uint64_t seed, const char *accel)
{
	const struct topo *tp;
	char smp[96], qemu_accel[32], machine[32];
	const char *args[] = { "-M", machine, "-accel", qemu_accel, "-smp",
			       smp, "-m", "128", NULL };
	uint64_t ids[CPUHP_DEV_MAX];
	uint32_t nr, t_bits, c_bits;
	int r;

	memset(d, 0, sizeof(*d));
	d->seed = seed;
	d->rng = splitmix(seed) | 1;
	tp = &topos[diff__below(d, sizeof(topos) / sizeof(topos[0]))];
	d->smi_req = smi_choices[diff__below(d, sizeof(smi_choices) /
						       sizeof(smi_choices[0]))];
	nr = tp->sockets * tp->cores * tp->threads;
	snprintf(smp, sizeof(smp), "%u,sockets=%u,cores=%u,threads=%u,"
		 "maxcpus=%u", tp->boot, tp->sockets, tp->cores, tp->threads,
		 nr);
	/* SMM on, as our firmware needs it; sometimes off, which changes
	 * nothing in the block (the AML's SMIC moves to port 0). */
	d->smm = diff__below(d, 8) != 0;
	snprintf(machine, sizeof(machine), "q35,smm=%s", d->smm ? "on" : "off");
	snprintf(d->desc, sizeof(d->desc), "-M %s -smp %s, SMI features "
		 "0x%" PRIx64, machine, smp, d->smi_req);
	snprintf(qemu_accel, sizeof(qemu_accel), "%s", accel);
	/* Multi-threaded TCG gives each vCPU thread ever created a context
	 * and never takes one back: maxcpus threads per QEMU. */
	d->add_budget = strcmp(accel, "tcg") ? UINT32_MAX : nr - tp->boot;

	r = qtest__start(&d->t, args);
	if (!r)
		r = q35q__init(&d->q, &d->t, tp->threads, tp->cores);
	if (r) {
		snprintf(d->why, sizeof(d->why), "cannot start QEMU (%s): %s",
			 d->desc, d->t.error[0] ? d->t.error : strerror(-r));
		return r;
	}
	if (d->q.nr != nr) {
		snprintf(d->why, sizeof(d->why), "QEMU has %u CPU slots, "
			 "-smp %s means %u", d->q.nr, smp, nr);
		return -EPROTO;
	}
	t_bits = bits(tp->threads);
	c_bits = bits(tp->cores);
	for (uint32_t i = 0; i < nr; i++) {
		uint32_t th = i % tp->threads, c = i / tp->threads % tp->cores;
		uint32_t s = i / (tp->threads * tp->cores);

		ids[i] = (uint64_t)s << (c_bits + t_bits) | c << t_bits | th;
	}
	diff__model_init(d, nr, ids, tp->boot);
	if (d->smi_req) {
		uint8_t ok;

		r = q35q__negotiate_smi(&d->q, d->smi_req, &ok);
		if (r) {
			snprintf(d->why, sizeof(d->why), "SMI negotiation over "
				 "fw_cfg failed: %s", strerror(-r));
			return r;
		}
		if (ok == 1)
			d->dev.smi_negotiated = d->smi_req;
	}
	diff__aml_init(d);
	d->legacy_ops = diff__below(d, 60);
	return 0;
}

/* Waits for the DEVICE_DELETED events of the model's ejects, then
 * compares what QEMU holds with the model: slots, _OST values. */
static void episode_end(struct diff *d)
{
	bool present[Q35Q_MAX_SLOTS], listed[Q35Q_MAX_SLOTS];
	uint32_t ev[Q35Q_MAX_SLOTS], st[Q35Q_MAX_SLOTS];

	for (int waited = 0; !d->failed && d->n_q_del < d->n_m_ej &&
	     waited < 3000; waited += 100)
		diff__events(d, 100);
	if (d->failed)
		return;
	if (d->n_q_del != d->n_m_ej) {
		diff__fail(d, "end of episode: QEMU deleted %u vCPUs, the "
			   "model ejected %u", d->n_q_del, d->n_m_ej);
		return;
	}
	if (q35q__present(&d->q, present)) {
		diff__fail(d, "query-hotpluggable-cpus: %s", d->t.qmp.error);
		return;
	}
	for (uint32_t i = 0; i < d->dev.nr; i++)
		if (present[i] != d->dev.cpu[i].present)
			diff__fail(d, "end of episode: slot %u: QEMU %s, model "
				   "%s", i, present[i] ? "present" : "absent",
				   d->dev.cpu[i].present ? "present" :
				   "absent");
	if (q35q__ospm(&d->q, ev, st, listed)) {
		diff__fail(d, "query-acpi-ospm-status: %s", d->t.qmp.error);
		return;
	}
	for (uint32_t i = 0; !d->failed && i < d->dev.nr; i++) {
		const struct cpuhp_dev_cpu *c = &d->dev.cpu[i];

		/* acpi_cpu_ospm_status() lists CPUs only in modern mode. */
		if (listed[i] == d->dev.legacy ||
		    (listed[i] && (ev[i] != c->ost_event ||
				   st[i] != c->ost_status)))
			diff__fail(d, "end of episode: slot %u _OST: QEMU %s "
				   "0x%x/0x%x, model %s 0x%x/0x%x", i,
				   listed[i] ? "lists" : "omits", ev[i], st[i],
				   d->dev.legacy ? "legacy" : "modern",
				   c->ost_event, c->ost_status);
	}
}

int main(void)
{
	uint64_t total = env_u64("HOTCPU_DIFF_OPS", 12000);
	uint64_t seed = env_u64("HOTCPU_DIFF_SEED", 1);
	uint64_t replay = env_u64("HOTCPU_DIFF_REPLAY", 0);
	const char *accel = getenv("HOTCPU_DIFF_ACCEL");
	static struct diff d;
	uint64_t done = 0;
	unsigned ep = 0;
	double t0 = util__now_ms();
	int failed = 0;

	if (!accel || !*accel)
		accel = "tcg";
	setvbuf(stdout, NULL, _IOLBF, 0);
	d.verbose = getenv("HOTCPU_DIFF_VERBOSE") != NULL;
	printf("# model CPU hotplug block vs %s, accel %s, seed %" PRIu64
	       "\n", getenv("HOTCPU_QEMU") ? getenv("HOTCPU_QEMU") :
	       "qemu-system-x86_64", accel, seed);
	while (!failed && (replay ? ep < 1 : done < total)) {
		uint64_t es = replay ? replay : splitmix(seed + ep);
		bool verbose = d.verbose;
		unsigned ops;

		ep++;
		if (episode_start(&d, es, accel)) {
			printf("not ok %u - seed 0x%016" PRIx64 ": %s\n", ep, es,
			       d.why);
			qtest__stop(&d.t);
			failed = 1;
			break;
		}
		d.verbose = verbose;
		ops = 300 + diff__below(&d, 400);
		for (unsigned i = 0; i < ops && !d.failed; i++)
			diff__step(&d);
		episode_end(&d);
		done += d.n_ops;
		if (d.failed) {
			printf("not ok %u - seed 0x%016" PRIx64 " (%s)\n", ep, es,
			       d.desc);
			diff__report(&d);
			printf("# replay: HOTCPU_DIFF_REPLAY=0x%016" PRIx64
			       " HOTCPU_DIFF_VERBOSE=1 %s\n", es,
			       "build/tests/model/diff-qtest");
			failed = 1;
		} else {
			printf("ok %u - seed 0x%016" PRIx64 " (%s): %u ops, %u "
			       "reads, %u plugs, %u ejects, %u refusals, %u "
			       "_OST, %u GPE\n", ep, es, d.desc, d.n_ops,
			       d.n_reads, d.n_plugs, d.n_m_ej, d.n_refusals,
			       d.n_ost, d.n_gpe);
		}
		qtest__stop(&d.t);
	}
	printf("1..%u\n# %" PRIu64 " operations in %u episodes, %.1f s\n",
	       ep, done, ep, (util__now_ms() - t0) / 1000);
	return failed;
}
