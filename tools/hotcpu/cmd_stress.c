/* hotcpu stress: add/remove cycles with a live progress line and a
 * latency summary; stops at the first failure and keeps every log. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hotcpu.h"
#include "launch.h"
#include "opts.h"
#include "report.h"
#include "samples.h"
#include "session.h"

#define CMD "stress"
#define SETTLE_MS 3000

enum { OPT_NAME = 256, OPT_QMP, OPT_CYCLES, OPT_CPUS, OPT_JSON, OPT_TIMEOUT,
       OPT_PAUSE };

static const struct option options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "qmp", required_argument, NULL, OPT_QMP },
	{ "cycles", required_argument, NULL, OPT_CYCLES },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "pause", required_argument, NULL, OPT_PAUSE },
	{ 0 },
};

struct stress {
	struct session s;
	const char *name, *qmp;
	int named;
	/* The name outlives the session, which a restart reopens. */
	char name_buf[VM_NAME_MAX + 1];
	unsigned long cycles, cpus, done;
	/* Between two operations: the guest settles, as between an
	 * operator's commands. */
	unsigned long pause_ms;
	int timeout_ms, json, restarts;
	/* The VM was restarted with --max-cpus sized for this run. */
	int sized;
	struct samples add, remove;
	/* What every cycle must come back to. */
	size_t present0, online0;
	/* The first failure, if any. */
	struct hp_result fail;
	int failed, exit_code;
	char fail_why[640];
};

static void progress(struct stress *st, int final)
{
	int tty = isatty(2);
	unsigned long every = st->cycles / 10 ? st->cycles / 10 : 1;

	if (!tty && (final ? !(st->done % every) : st->done % every))
		return;
	fprintf(stderr,
		"%sstress: cycle %lu/%lu  add p50 %.1f ms  remove "
		"p50 %.1f ms  failures %d%s",
		tty ? "\r\033[K" : "", st->done, st->cycles,
		samples__p50(&st->add), samples__p50(&st->remove), st->failed,
		tty && !final ? "" : "\n");
}

/* Baseline after open or restart: every cycle returns to it. */
static void baseline(struct stress *st)
{
	st->present0 = st->s.cpus.present;
	st->online0 = st->s.hp.con.n_online;
}

/* Restarts the VM with max_cpus vCPU slots; logs of the run so far go to
 * run-<n>/. */
static int restart(struct stress *st, unsigned int max_cpus,
		   unsigned long need, int left)
{
	struct vm vm = st->s.vm;
	char sub[32], why[1024];
	int r;

	fprintf(stderr, "hotcpu: stress: restarting VM %s with --max-cpus %u "
		"(was %u): the %lu cycles left need %lu vCPU creations, %d "
		"remain, and under TCG QEMU aborts once a VM has created more "
		"than --max-cpus vCPUs (it never frees an unplugged vCPU's "
		"context). Logs so far: %s/run-%d\n", st->name, max_cpus,
		vm.cfg.max_cpus, st->cycles - st->done, need, left, vm.dir,
		st->restarts + 1);
	r = launch__stop(&st->s.vm, &st->s.q, 10000);
	session__close(&st->s);
	if (r)
		return opts__fail(HOTCPU_EXIT_ERROR, "VM %s did not quit for the "
				  "restart", st->name);
	snprintf(sub, sizeof(sub), "run-%d", ++st->restarts);
	vm__archive(&vm, sub);
	vm.cfg.max_cpus = max_cpus;
	{
		struct vm fresh;

		r = vm__create(&fresh, &vm.cfg);
		if (r)
			return opts__vm_error(st->name, r);
		strcpy(fresh.accel, vm.accel);
		strcpy(fresh.cpu_model, vm.cpu_model);
		strcpy(fresh.accel_why, vm.accel_why);
		strcpy(fresh.qemu_version, vm.qemu_version);
		r = vm__save(&fresh);
		r = r ?: launch__start(&fresh, 1, 120000, why, sizeof(why));
		if (r)
			return opts__fail(HOTCPU_EXIT_LOST, "VM %s did not come "
					  "back after the restart: %s",
					  st->name, why);
	}
	r = session__open(&st->s, st->name, NULL);
	if (r)
		return r;
	baseline(st);
	return 0;
}

/* Makes sure the cycles can run without QEMU aborting: before the first
 * one, restarts the VM with --max-cpus sized for the whole run (at most
 * 255) if TCG's budget is short; in runs longer than that, restarts it
 * again whenever the next cycle would not fit. */
static int ensure_budget(struct stress *st)
{
	unsigned long need = (st->cycles - st->done) * st->cpus, fit;
	unsigned int cpus = st->s.vm.cfg.cpus, max;
	int left;

	if (vm__tcg_vcpus_left(&st->s.vm, &left) ||
	    (unsigned long)left >= need ||
	    (st->sized && (unsigned long)left >= st->cpus))
		return 0;
	fit = need > VM_MAX_CPUS - cpus ? VM_MAX_CPUS - cpus : need;
	max = cpus + fit;
	if (max < st->s.vm.cfg.max_cpus)
		max = st->s.vm.cfg.max_cpus;
	if (max - cpus < st->cpus)
		return opts__fail(HOTCPU_EXIT_NO_CPU, "VM %s: --cpus %lu does "
				  "not fit in %d vCPU slots", st->name,
				  st->cpus, VM_MAX_CPUS);
	st->sized = 1;
	return restart(st, max, need, left);
}

static int fail(struct stress *st, const struct hp_result *res)
{
	st->fail = *res;
	st->failed = 1;
	snprintf(st->fail_why, sizeof(st->fail_why), "%s %s: %s",
		 res->add ? "plugging" : "unplugging", res->slot.id, res->why);
	st->exit_code = report__exit_code(res->outcome);
	return -EIO;
}

/* After a cycle QEMU and the guest must agree on the CPUs again. */
static int check_cycle(struct stress *st)
{
	double deadline = util__now_ms() + SETTLE_MS;
	int r = session__refresh(&st->s);

	if (r) {
		snprintf(st->fail_why, sizeof(st->fail_why), "QMP: %s",
			 st->s.q.error);
		goto out_lost;
	}
	if (st->s.cpus.present != st->present0) {
		snprintf(st->fail_why, sizeof(st->fail_why), "QEMU lists %zu "
			 "present vCPUs after the cycle, not %zu",
			 st->s.cpus.present, st->present0);
		goto out_lost;
	}
	if (!hotplug__agent(&st->s.hp))
		return 0;
	while (guest__poll(&st->s.hp.con), st->s.hp.con.n_online !=
	       st->online0) {
		if (util__now_ms() > deadline) {
			snprintf(st->fail_why, sizeof(st->fail_why), "the guest "
				 "shows %zu online CPUs after the cycle, not "
				 "%zu", st->s.hp.con.n_online, st->online0);
			goto out_lost;
		}
		util__sleep_ms(10);
	}
	return 0;
out_lost:
	st->failed = 1;
	st->exit_code = HOTCPU_EXIT_LOST;
	return -EIO;
}

static int cycle(struct stress *st)
{
	struct cpu_slot *slots[VM_MAX_CPUS + 1];
	struct hp_result *added = calloc(st->cpus, sizeof(*added));
	size_t n, i;
	int r = 0;

	n = cpus__free_slots(&st->s.cpus, slots, st->cpus);
	if (st->done)
		util__sleep_ms(st->pause_ms);
	for (i = 0; i < n && !r; i++) {
		r = hotplug__add(&st->s.hp, slots[i], st->timeout_ms,
				 &added[i]);
		if (r)
			break;
		if (added[i].outcome != HP_OK)
			r = fail(st, &added[i]);
		else
			samples__add(&st->add, added[i].latency_ms);
	}
	/* Remove what was added, also after a failed add: the next run
	 * starts clean. */
	if (i)
		util__sleep_ms(st->pause_ms);
	for (size_t k = 0; k < i; k++) {
		struct hp_result res;
		int e;

		if (added[k].outcome == HP_BUDGET ||
		    added[k].outcome == HP_REFUSED ||
		    added[k].outcome == HP_LOST ||
		    added[k].outcome == HP_REMOVED ||
		    added[k].outcome == HP_TAKEN)
			continue;
		e = hotplug__remove(&st->s.hp, &added[k].slot, st->timeout_ms,
				    &res);
		if (!e && res.outcome == HP_OK)
			samples__add(&st->remove, res.latency_ms);
		else if (!r)
			r = e ? e : fail(st, &res);
	}
	free(added);
	if (r == -EIO)
		return r;
	if (r) {
		snprintf(st->fail_why, sizeof(st->fail_why), "QMP: %s",
			 st->s.q.error);
		st->failed = 1;
		st->exit_code = HOTCPU_EXIT_LOST;
		return r;
	}
	return check_cycle(st);
}

static void report(struct stress *st)
{
	if (st->json) {
		json_t *j = json_pack("{s:s, s:I, s:I, s:I, s:I, s:i, s:i, "
				      "s:s, s:s, s:o, s:o, s:s}",
			"name", st->name,
			"cycles-requested", (json_int_t)st->cycles,
			"cycles", (json_int_t)st->done,
			"cpus-per-cycle", (json_int_t)st->cpus,
			"pause-ms", (json_int_t)st->pause_ms,
			"failures", st->failed, "restarts", st->restarts,
			"accel", st->s.vm.accel,
			"firmware", st->s.vm.cfg.firmware,
			"add-ms", samples__json(&st->add),
			"remove-ms", samples__json(&st->remove),
			"logs", st->s.vm.dir);

		json_object_set_new(j, "failure", st->failed ?
				    json_string(st->fail_why) : json_null());
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(j);
		return;
	}
	printf("stress: VM %s, %lu of %lu cycles x %lu vCPU%s, %d failure%s, "
	       "%d restart%s\n", st->name, st->done, st->cycles, st->cpus,
	       st->cpus == 1 ? "" : "s", st->failed, st->failed == 1 ? "" : "s",
	       st->restarts, st->restarts == 1 ? "" : "s");
	samples__print("add", &st->add);
	samples__print("remove", &st->remove);
}

static int parse(struct stress *st, int argc, char **argv)
{
	unsigned long v;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (opt) {
		case OPT_NAME:
			if (opts__name(CMD, optarg, &st->name))
				return HOTCPU_EXIT_USAGE;
			st->named = 1;
			break;
		case OPT_QMP:
			if (opts__qmp(CMD, optarg, &st->qmp))
				return HOTCPU_EXIT_USAGE;
			break;
		case OPT_CYCLES:
			if (opts__uint(CMD, "--cycles", optarg, 1, 1000000, &v))
				return HOTCPU_EXIT_USAGE;
			st->cycles = v;
			break;
		case OPT_CPUS:
			if (opts__uint(CMD, "--cpus", optarg, 1, 254, &v))
				return HOTCPU_EXIT_USAGE;
			st->cpus = v;
			break;
		case OPT_JSON:
			st->json = 1;
			break;
		case OPT_TIMEOUT:
			if (opts__timeout(CMD, optarg, &st->timeout_ms))
				return HOTCPU_EXIT_USAGE;
			break;
		case OPT_PAUSE:
			if (opts__uint(CMD, "--pause", optarg, 0, 600000,
				       &st->pause_ms))
				return HOTCPU_EXIT_USAGE;
			break;
		default:
			return opts__bad_option(CMD, opt, argv);
		}
	}
	if (optind < argc)
		return opts__usage(CMD, "unexpected argument '%s'",
				   argv[optind]);
	if (!st->cycles)
		return opts__usage(CMD, "missing --cycles N");
	return 0;
}

int cmd_stress(int argc, char **argv)
{
	struct stress st = { .name = OPTS_DEFAULT_NAME, .cpus = 1,
			     .timeout_ms = OPTS_DEFAULT_TIMEOUT_S * 1000 };
	size_t free_slots;
	int r;

	r = parse(&st, argc, argv);
	if (r)
		return r;
	r = session__open(&st.s, st.qmp && !st.named ? NULL : st.name,
			  st.qmp);
	if (r)
		return r;
	snprintf(st.name_buf, sizeof(st.name_buf), "%s", st.s.vm.cfg.name);
	st.name = st.name_buf;
	free_slots = st.s.cpus.n - st.s.cpus.present;
	if (free_slots < st.cpus) {
		r = opts__fail(HOTCPU_EXIT_NO_CPU, "VM %s has %zu free CPU "
			       "slots, --cpus %lu needs more (run it with a "
			       "larger --max-cpus)", st.name, free_slots,
			       st.cpus);
		goto out_close;
	}
	st.add.v = calloc(st.cycles * st.cpus, sizeof(double));
	st.remove.v = calloc(st.cycles * st.cpus, sizeof(double));
	if (!st.add.v || !st.remove.v) {
		r = opts__fail(HOTCPU_EXIT_ERROR, "out of memory");
		goto out_free;
	}
	baseline(&st);
	while (st.done < st.cycles) {
		r = ensure_budget(&st);
		if (r)
			goto out_free;
		if (cycle(&st))
			break;
		st.done++;
		progress(&st, 0);
	}
	progress(&st, 1);
	report(&st);
	r = HOTCPU_EXIT_OK;
	if (st.failed) {
		fprintf(stderr, "hotcpu: stress stopped at cycle %lu: %s\n"
			"hotcpu: logs kept in %s (serial.log, qemu.log, "
			"events.jsonl, debugcon.log)\n", st.done + 1,
			st.fail_why, st.s.vm.dir);
		r = st.exit_code;
	}
out_free:
	free(st.add.v);
	free(st.remove.v);
out_close:
	session__close(&st.s);
	return r;
}
