/* build/hotcpu-model: runs seeded schedules of the platform model and
 * reports the invariants they break (docs/model.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "shrink.h"

static struct model_opts opts = {
	.rules = RULES_KVM,
	.bringup = BRINGUP_MAILBOX,
	.cpus = 2,
	.max_cpus = 6,
	.cycles = 4,
};
static struct model model;

static const struct {
	const char *name, *inv, *what;
} mutations[] = {
#define MUT_ROW(e, name, inv, what) { name, inv, what },
	MUTATIONS(MUT_ROW)
#undef MUT_ROW
};

static const struct {
	const char *name, *what;
} faults[] = {
#define FAULT_ROW(e, name, what) { name, what },
	FAULTS(FAULT_ROW)
#undef FAULT_ROW
};

bool model_mutation(enum mutation m)
{
	return opts.mutation[m];
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: hotcpu-model [--rules kvm|tcg] [--bringup mailbox|sipi]\n"
"                    [--cpus N] [--max-cpus M] [--cycles C]\n"
"                    [--schedules K] [--seed S] [--faults all|none|LIST]\n"
"                    [--mutation NAME] [--replay SEED] [--trace FILE]\n"
"                    [--max-violations N] [--find INVARIANT] [--full]\n"
"                    [--json]\n"
"       hotcpu-model --list-mutations | --list-faults\n"
"Runs K seeded schedules of C hot-add/hot-remove cycles each (seeds S,\n"
"S+1, ...) and checks every invariant; --replay prints one schedule's\n"
"trace. Exit 0: no violation; 1: a violation; 2: bad arguments.\n");
}

static void bad(const char *arg, const char *why)
{
	fprintf(stderr, "hotcpu-model: %s: %s\n", arg, why);
	usage(stderr);
	exit(2);
}

static uint64_t number(const char *opt, const char *v, uint64_t lo,
		       uint64_t hi)
{
	char *end;
	unsigned long long n;

	if (!v)
		bad(opt, "needs a value");
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno || *end || !*v || n < lo || n > hi) {
		char why[96];

		snprintf(why, sizeof(why), "\"%s\" is not a number from %llu "
			 "to %llu", v, (unsigned long long)lo,
			 (unsigned long long)hi);
		bad(opt, why);
	}
	return n;
}

static uint64_t parse_faults(const char *v)
{
	uint64_t set = 0;
	char buf[512], *tok, *save;

	if (!v)
		bad("--faults", "needs a value");
	if (!strcmp(v, "all"))
		return (1ull << F_COUNT) - 1;
	if (!strcmp(v, "none"))
		return 0;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int f;

		for (f = 0; f < F_COUNT; f++)
			if (!strcmp(tok, faults[f].name))
				break;
		if (f == F_COUNT) {
			char why[96];

			snprintf(why, sizeof(why), "no fault named \"%s\" "
				 "(--list-faults)", tok);
			bad("--faults", why);
		}
		set |= 1ull << f;
	}
	return set;
}

static void print_violation(struct model *m, uint64_t seed, bool json,
			    unsigned runs)
{
	FILE *f = json ? stderr : stdout;

	fprintf(f, "hotcpu-model: seed %llu breaks %s at step %llu (%.3f ms "
		"virtual): %s\n", (unsigned long long)seed,
		invariant_name(m->violated), (unsigned long long)m->fail_step,
		m->fail_time / 1000.0, m->fail_msg);
	fprintf(f, "  shrunk in %u runs: %u of the faults and preemptions "
		"that fired are off; replay: --replay %llu with the same "
		"options\n", runs, m->shrink ? m->shrink->nr_suppress : 0,
		(unsigned long long)seed);
	trace_print(m, f, true);
}

/* Runs seed once more with the trace on, after shrinking. */
static unsigned traced_rerun(struct model *m, uint64_t seed)
{
	static struct model_opts o;
	unsigned runs;

	o = *m->o;
	o.trace = false;
	m->o = &o;
	runs = shrink_run(m, seed);
	o.trace = true;
	m->shrink->nr_fired = 0;
	model_run_schedule(m, seed);
	return runs;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, schedules = 1000, max_viol = UINT64_MAX;
	uint64_t by_inv[INV_COUNT] = { 0 }, violations = 0, cycles = 0, blocked = 0;
	uint64_t asks = 0, merged = 0, torn = 0;
	uint64_t replay = 0, first_seed = 0, first_step = 0;
	bool json = false, do_replay = false, have_first = false, full = false;
	enum invariant first_inv = INV_COUNT;
	int find = -1;
	double t0, first_t = 0, el;

	opts.faults = (1ull << F_COUNT) - 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--rules")) {
			if (v && !strcmp(v, "kvm"))
				opts.rules = RULES_KVM;
			else if (v && !strcmp(v, "tcg"))
				opts.rules = RULES_TCG;
			else
				bad(a, "is kvm or tcg");
			i++;
		} else if (!strcmp(a, "--bringup")) {
			if (v && !strcmp(v, "mailbox"))
				opts.bringup = BRINGUP_MAILBOX;
			else if (v && !strcmp(v, "sipi"))
				opts.bringup = BRINGUP_SIPI;
			else
				bad(a, "is mailbox or sipi");
			i++;
		} else if (!strcmp(a, "--cpus")) {
			opts.cpus = (uint32_t)number(a, v, 1, MODEL_MAX_CPUS);
			i++;
		} else if (!strcmp(a, "--max-cpus")) {
			opts.max_cpus = (uint32_t)number(a, v, 2,
							 MODEL_MAX_CPUS);
			i++;
		} else if (!strcmp(a, "--cycles")) {
			opts.cycles = (uint32_t)number(a, v, 0, 100000);
			i++;
		} else if (!strcmp(a, "--schedules")) {
			schedules = number(a, v, 1, UINT64_MAX);
			i++;
		} else if (!strcmp(a, "--seed")) {
			seed = number(a, v, 0, UINT64_MAX);
			i++;
		} else if (!strcmp(a, "--faults")) {
			opts.faults = parse_faults(v);
			i++;
		} else if (!strcmp(a, "--mutation")) {
			int k;

			for (k = 0; k < MUT_COUNT; k++)
				if (v && !strcmp(v, mutations[k].name))
					break;
			if (k == MUT_COUNT)
				bad(a, "names no mutation (--list-mutations)");
			opts.mutation[k] = true;
			i++;
		} else if (!strcmp(a, "--replay")) {
			replay = number(a, v, 0, UINT64_MAX);
			do_replay = true;
			i++;
		} else if (!strcmp(a, "--trace")) {
			if (!v)
				bad(a, "needs a file name");
			opts.trace_json = v;
			i++;
		} else if (!strcmp(a, "--max-violations")) {
			max_viol = number(a, v, 1, UINT64_MAX);
			i++;
		} else if (!strcmp(a, "--find")) {
			int k;

			for (k = 0; k < INV_COUNT; k++)
				if (v && !strcmp(v, invariant_name(k)))
					break;
			if (k == INV_COUNT)
				bad(a, "names no invariant");
			find = k;
			i++;
		} else if (!strcmp(a, "--full")) {
			full = true;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--list-mutations")) {
			for (int k = 0; k < MUT_COUNT; k++)
				printf("%s\tbreaks %s: %s\n", mutations[k].name,
				       mutations[k].inv, mutations[k].what);
			return 0;
		} else if (!strcmp(a, "--list-faults")) {
			for (int k = 0; k < F_COUNT; k++)
				printf("%s\t%s\n", faults[k].name,
				       faults[k].what);
			return 0;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else {
			bad(a, "unknown option");
		}
	}
	if (opts.cpus >= opts.max_cpus)
		bad("--cpus", "must be below --max-cpus (room to hot-add)");

	M = &model;
	model.o = &opts;
	model_alloc(&model);
	if (do_replay) {
		unsigned runs;

		opts.trace = true;
		runs = traced_rerun(&model, replay);
		if (full)
			trace_print(&model, stdout, false);
		if (model.failed) {
			print_violation(&model, replay, false, runs);
		} else {
			if (!full)
				trace_print(&model, stdout, false);
			printf("hotcpu-model: seed %llu: no violation\n",
			       (unsigned long long)replay);
		}
		if (opts.trace_json)
			trace_chrome(&model, opts.trace_json);
		return model.failed ? 1 : 0;
	}

	t0 = wall();
	for (uint64_t k = 0; k < schedules && violations < max_viol; k++) {
		uint64_t s = seed + k;

		if (model_run_schedule(&model, s) &&
		    (find < 0 || (int)model.violated == find)) {
			violations++;
			by_inv[model.violated]++;
			if (!have_first) {
				have_first = true;
				first_seed = s;
				first_inv = model.violated;
				first_step = model.fail_step;
				first_t = wall() - t0;
			}
		}
		cycles += model.cycles_done;
		blocked += model.lpc_blocked;
		asks += model.st.stats.asks;
		merged += model.nmi_merged;
		torn += model.nmi_torn;
	}
	el = wall() - t0;

	if (json) {
		printf("{\"rules\":\"%s\",\"bringup\":\"%s\",\"schedules\":%llu,"
		       "\"cycles\":%llu,\"refused_in_eject\":%llu,"
		       "\"ask_scans\":%llu,\"nmi_merged\":%llu,\"nmi_after_tcg_reset\":%llu,"
		       "\"violations\":%llu,\"by_invariant\":{",
		       opts.rules == RULES_KVM ? "kvm" : "tcg",
		       opts.bringup == BRINGUP_MAILBOX ? "mailbox" : "sipi",
		       (unsigned long long)schedules, (unsigned long long)cycles,
		       (unsigned long long)blocked, (unsigned long long)asks,
		       (unsigned long long)merged, (unsigned long long)torn,
		       (unsigned long long)violations);
		for (int i = 0, n = 0; i < INV_COUNT; i++)
			if (by_inv[i])
				printf("%s\"%s\":%llu", n++ ? "," : "",
				       invariant_name(i),
				       (unsigned long long)by_inv[i]);
		printf("},\"cycles_per_s\":%.0f,\"schedules_per_s\":%.0f,"
		       "\"elapsed_s\":%.3f,\"first_violation\":",
		       el > 0 ? cycles / el : 0, el > 0 ? schedules / el : 0, el);
		if (have_first)
			printf("{\"seed\":%llu,\"invariant\":\"%s\",\"step\":%llu,"
			       "\"elapsed_s\":%.3f}}\n",
			       (unsigned long long)first_seed,
			       invariant_name(first_inv),
			       (unsigned long long)first_step, first_t);
		else
			printf("null}\n");
	} else {
		printf("hotcpu-model: %s rules, %s bring-up, %u of %u CPUs, "
		       "%u cycles x %llu schedules: %llu violations",
		       opts.rules == RULES_KVM ? "KVM" : "TCG",
		       opts.bringup == BRINGUP_MAILBOX ? "mailbox" :
							 "INIT-SIPI-SIPI",
		       opts.cpus, opts.max_cpus, opts.cycles,
		       (unsigned long long)schedules,
		       (unsigned long long)violations);
		for (int i = 0; i < INV_COUNT; i++)
			if (by_inv[i])
				printf(" (%s: %llu)", invariant_name(i),
				       (unsigned long long)by_inv[i]);
		printf("; %llu port accesses refused during ejects; %llu "
		       "scans for a CPU whose 4 APM_CNT no longer held; %llu "
		       "OS NMIs merged with the firmware's; %llu firmware NMIs "
		       "the OS took after TCG's INIT or SIPI in SMM; %.0f "
		       "cycles/s, %.2f s\n", (unsigned long long)blocked,
		       (unsigned long long)asks, (unsigned long long)merged,
		       (unsigned long long)torn, el > 0 ? cycles / el : 0, el);
	}
	if (have_first) {
		unsigned runs = traced_rerun(&model, first_seed);

		if (model.failed)
			print_violation(&model, first_seed, json, runs);
		if (opts.trace_json)
			trace_chrome(&model, opts.trace_json);
	}
	return violations ? 1 : 0;
}
