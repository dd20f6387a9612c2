/* The seeded scheduler: virtual time, which CPU runs at each scheduling
 * point, preemption, and one schedule from reset to its end. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "shrink.h"

struct model *M;

/* splitmix64: small, fast, and the same on every host. */
uint64_t rng_next(struct model *m)
{
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t rng_below(struct model *m, uint32_t n)
{
	return n ? (uint32_t)(rng_next(m) % n) : 0;
}

/* Whether fault f fires at this decision. Every decision of an enabled
 * fault is numbered, so the shrinker can switch single ones off. */
bool fault(enum fault f, uint32_t per_mille)
{
	struct model *m = M;
	uint32_t n;
	bool fire;

	if (!(m->o->faults & (1ull << f)))
		return false;
	fire = rng_below(m, 1000) < per_mille;
	n = m->fault_seq++;
	if (!fire)
		return false;
	if (shrink_suppressed(m, n))
		return false;
	shrink_fired(m, n);
	return true;
}

struct mcpu *self(void)
{
	return M->cur >= 0 ? &M->cpu[M->cur] : NULL;
}

void violation(enum invariant inv, const char *fmt, ...)
{
	struct model *m = M;
	va_list ap;

	if (m->failed)
		return;
	m->failed = true;
	m->violated = inv;
	m->fail_step = m->step;
	m->fail_time = m->now;
	va_start(ap, fmt);
	vsnprintf(m->fail_msg, sizeof(m->fail_msg), fmt, ap);
	va_end(ap);
	trace(m->cur, "VIOLATION %s: %s", invariant_name(inv), m->fail_msg);
}

/* Back to the scheduler; on return the CPU takes what its local APIC
 * delivers at this point (cpu_deliver). */
static void yield(struct mcpu *c, uint64_t cost)
{
	struct model *m = M;

	c->ready_at = m->now + cost;
	if (fault(F_PREEMPT, 2))
		c->ready_at += 1000 + rng_below(m, 40 * MODEL_MS);
	if (c->idx == 0 && fault(F_PREEMPT_BSP, 4))
		c->ready_at += 1000 + rng_below(m, 250 * MODEL_MS);
	coro_switch(&c->co.sp, m->sched_co.sp);
	cpu_deliver(c);
}

void point(struct mcpu *c)
{
	c->backoff = 1;
	yield(c, 1);
}

/* A spin-loop iteration: the longer a CPU spins, the more virtual time
 * each look costs, so that long waits take few steps. */
void relax_point(struct mcpu *c)
{
	uint32_t b = c->backoff;

	c->backoff = b < 2048 ? b * 2 : 2048;
	yield(c, b);
}

void block_point(struct mcpu *c)
{
	c->halted = true;
	c->backoff = 1;
	yield(c, 1);
}

void halt_point(struct mcpu *c)
{
	c->halt_if = true;
	block_point(c);
}

/* A wait of a given length; a spinning CPU's backoff is kept, so that
 * a loop of port reads and relax() backs off too. */
void wait_us(struct mcpu *c, uint64_t us)
{
	yield(c, us ? us : 1);
}

void host_wait_us(uint64_t us)
{
	struct model *m = M;

	m->host_ready_at = m->now + (us ? us : 1);
	coro_switch(&m->host_co.sp, m->sched_co.sp);
}

void cpu_restart(struct mcpu *c, enum cpu_start start, uint64_t vector)
{
	c->start = start;
	c->start_vector = vector;
	c->restart = true;
	c->halted = false;
}

/* Whether the next tick of a CPU halted in the park loop would change
 * nothing: the CPU would wake, find the mailbox empty and halt again,
 * with nothing pending that the wake-up would take. Such ticks are
 * skipped (skip_idle_ticks()): each costs a scheduling step per parked
 * CPU per virtual millisecond and can do nothing another schedule does
 * not, since a woken CPU may be preempted before it looks. */
static bool tick_is_idle(struct model *m, const struct mcpu *c)
{
	return c->halted && c->halt_if && c->park_halted && !c->restart &&
	       !c->init_pending && !c->sipi_pending && !c->smi_pending &&
	       !c->smi_req &&
	       __atomic_load_n(&m->mbox.mb.command, __ATOMIC_ACQUIRE) ==
		       MP_WAKEUP_CMD_NOOP;
}

/* Moves every idle tick (above) past now. */
static void skip_idle_ticks(struct model *m)
{
	for (uint32_t i = 0; i < m->o->max_cpus; i++) {
		struct mcpu *c = &m->cpu[i];

		if (!c->exists || !c->timer_period || c->timer_at > m->now ||
		    !tick_is_idle(m, c))
			continue;
		c->timer_at += ((m->now - c->timer_at) / c->timer_period + 1) *
			       c->timer_period;
	}
}

/* Whether an event ends a halted CPU's sleep (model/cpu.c has the rules
 * for what each event then does). */
static bool wakes(struct model *m, struct mcpu *c)
{
	if (!c->halted)
		return true;
	if (c->restart)
		return true;
	/* An NMI ends a hlt whenever NMIs are open, in SMM too. */
	if (c->nmi_n && !c->nmi_blocked &&
	    (c->in_smm || c->mode == M_OS))
		return true;
	/* The local APIC timer's tick ends a sti; hlt whatever else is
	 * pending (under TCG an INIT pending there is taken first). */
	if (c->halt_if && c->timer_period && c->timer_at <= m->now)
		return true;
	if (m->o->rules == RULES_KVM) {
		if (c->mode == M_WFS)
			return (c->sipi_pending || c->init_pending) &&
			       !c->in_smm;
		if (c->in_smm)
			return false;
		if (c->smi_req || c->smi_pending || c->init_pending)
			return true;
	} else {
		/* A SIPI wakes a halted CPU even when its APIC waits for
		 * none: the INIT pending there is taken first. */
		if (c->sipi_pending)
			return true;
		if (c->smi_pending && !c->in_smm)
			return true;
	}
	return c->mode == M_OS && !c->os_dead &&
	       (os_has_work_for(c) || c->os_dying);
}

static bool runnable(struct model *m, struct mcpu *c)
{
	return c->exists && c->ready_at <= m->now && wakes(m, c);
}

static void run_delayed(struct model *m)
{
	for (int i = 0; i < m->nr_delayed;) {
		struct delayed *d = &m->delayed[i];

		if (d->at > m->now) {
			i++;
			continue;
		}
		struct delayed e = *d;

		m->delayed[i] = m->delayed[--m->nr_delayed];
		if (!m->cpu[e.cpu].exists)
			continue;
		switch (e.what) {
		case DELAYED_SMI:
			apic_smi(&m->cpu[e.cpu]);
			break;
		case DELAYED_SIPI:
			apic_sipi(&m->cpu[e.cpu], e.vec);
			break;
		case DELAYED_INIT:
			apic_init(&m->cpu[e.cpu]);
			break;
		case DELAYED_NMI:
			trace(e.cpu, "the firmware's NMI arrives, late");
			nmi_send(&m->cpu[e.cpu], false);
			break;
		}
	}
}

static uint64_t next_time(struct model *m)
{
	uint64_t t = UINT64_MAX;

	for (uint32_t i = 0; i < m->o->max_cpus; i++) {
		struct mcpu *c = &m->cpu[i];

		if (c->exists && c->ready_at > m->now && c->ready_at < t &&
		    (!c->halted || wakes(m, c)))
			t = c->ready_at;
		if (c->exists && c->halted && c->halt_if &&
		    c->timer_period && c->timer_at > m->now &&
		    c->timer_at < t && !tick_is_idle(m, c))
			t = c->timer_at;
	}
	if (!m->host_done && m->host_ready_at > m->now &&
	    m->host_ready_at < t)
		t = m->host_ready_at;
	for (int i = 0; i < m->nr_delayed; i++)
		if (m->delayed[i].at < t)
			t = m->delayed[i].at;
	return t;
}

static bool only_idle(struct model *m, const int *cand, int n)
{
	for (int i = 0; i < n; i++)
		if (cand[i] < 0 || !m->cpu[cand[i]].idle_spin)
			return false;
	return true;
}

/* The next time anything but an idle poller may act. */
static uint64_t next_busy_time(struct model *m)
{
	uint64_t t = UINT64_MAX;

	for (uint32_t i = 0; i < m->o->max_cpus; i++) {
		struct mcpu *c = &m->cpu[i];

		if (c->exists && !c->idle_spin && c->ready_at < t &&
		    (!c->halted || wakes(m, c)))
			t = c->ready_at;
	}
	if (!m->host_done && m->host_ready_at < t)
		t = m->host_ready_at;
	for (int i = 0; i < m->nr_delayed; i++)
		if (m->delayed[i].at < t)
			t = m->delayed[i].at;
	return t;
}

static void deadlock_check(struct model *m)
{
	for (uint32_t i = 0; i < m->o->max_cpus; i++) {
		struct mcpu *c = &m->cpu[i];

		if (c->exists && c->in_smm && m->now - c->smm_since > 20 * MODEL_S)
			violation(INV_DEADLOCK, "CPU %u has been in SMM for %llu "
				  "ms%s", i,
				  (unsigned long long)(m->now - c->smm_since) /
					  1000,
				  c->smm_parked ? " (parked for an eject)" : "");
	}
	if (m->now > m->time_limit)
		violation(INV_DEADLOCK, "no end after %llu s of virtual time",
			  (unsigned long long)m->now / MODEL_S);
}

/* Runs one schedule to its end. Returns 1 if an invariant broke. */
int model_run_schedule(struct model *m, uint64_t seed)
{
	static int cand[MODEL_MAX_CPUS + 1];

	model_reset(m, seed);
	for (;;) {
		int n = 0, pick;
		bool busy;

		if (m->failed)
			break;
		run_delayed(m);
		skip_idle_ticks(m);
		busy = !m->host_done || m->nr_delayed || os_has_work();
		for (uint32_t i = 0; i < m->o->max_cpus; i++)
			if (runnable(m, &m->cpu[i])) {
				cand[n++] = (int)i;
				busy |= !m->cpu[i].idle_spin;
			}
		if (!m->host_done && m->host_ready_at <= m->now)
			cand[n++] = -1;
		if (n && only_idle(m, cand, n)) {
			/* Only CPUs polling an idle mailbox can run: nothing
			 * changes before the next other event. */
			uint64_t t = next_busy_time(m);

			if (t != UINT64_MAX && t > m->now) {
				for (int i = 0; i < n; i++)
					m->cpu[cand[i]].ready_at = t;
				m->now = t;
				deadlock_check(m);
				continue;
			}
		}
		if (!busy) {
			/* Nothing left but idle spinning: the end. */
			bool waiting = false;

			/* A halted CPU an event wakes (an NMI, say) counts,
			 * even while preempted. */
			for (uint32_t i = 0; i < m->o->max_cpus; i++)
				waiting |= m->cpu[i].exists &&
					   !m->cpu[i].idle_spin &&
					   wakes(m, &m->cpu[i]);
			if (!waiting)
				break;
		}
		if (!n) {
			uint64_t t = next_time(m);

			if (t == UINT64_MAX)
				break;	/* everything sleeps: the end */
			m->now = t;
			deadlock_check(m);
			continue;
		}
		pick = cand[rng_below(m, (uint32_t)n)];
		m->step++;
		if (fault(F_OS_NMI, 2))
			os_nmi_random();
		m->cur = pick;
		if (pick < 0) {
			coro_switch(&m->sched_co.sp, m->host_co.sp);
		} else {
			struct mcpu *c = &m->cpu[pick];

			c->halted = c->halt_if = false;
			cpu_before_run(c);
			if (c->restart) {
				c->restart = false;
				coro_start(&c->co, cpu_main, c);
			}
			coro_switch(&m->sched_co.sp, c->co.sp);
		}
		m->cur = -2;
		check_step();
	}
	if (!m->failed)
		check_end();
	return m->failed;
}
