/* MP wakeup benchmark: AP bring-up through the mailbox against
 * INIT-SIPI-SIPI, from the guest's own dmesg timestamps ("smp: Bringing
 * up secondary CPUs" to "smp: Brought up"), and one offline/online cycle
 * of an AP (reset vector, TEST, WAKEUP against INIT-SIPI-SIPI), timed in
 * the guest. Same firmware, QEMU and guest; -smp 4; median of N boots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

#define ROUNDS 20	/* offline/online rounds of every AP per boot */
#define MAX_RUNS 16

struct mode {
	const char *name;
	const char *fw_cfg;	/* -fw_cfg argument, or NULL */
	double bringup[MAX_RUNS], cycle[MAX_RUNS];
	int runs;
};

static struct mode modes[] = {
	{ "mailbox", NULL, { 0 }, { 0 }, 0 },
	{ "INIT-SIPI-SIPI", "name=opt/hotcpu/mp-wakeup,string=off", { 0 },
	  { 0 }, 0 },
};

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	double t[MAX_RUNS];

	memcpy(t, v, n * sizeof(*v));
	qsort(t, n, sizeof(*t), cmp);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* Kernel timestamp of the line containing text, in seconds. */
static double stamp(const char *serial, const char *text)
{
	const char *p = strstr(serial, text);

	while (p && p > serial && p[-1] != '[')
		p--;
	return p ? atof(p) : -1;
}

static int run_once(struct mode *m, int run)
{
	struct vm_config cfg = { 0 };
	char name[64], line[256];
	double t0, t1, a, b;
	struct vm vm;
	int r = -1;

	cfg.smp = "4";
	cfg.append = "console=ttyS0 panic=-1 lpj=9200000";
	if (m->fw_cfg) {
		cfg.extra[0] = "-fw_cfg";
		cfg.extra[1] = m->fw_cfg;
	}
	snprintf(name, sizeof(name), "bench-mpw-%s-%d",
		 m->fw_cfg ? "sipi" : "mailbox", run);
	if (vm_start(&vm, name, &cfg) ||
	    vm_wait_line(&vm, "GUEST-CPUS-ONLINE ", line, sizeof(line),
			 120000))
		goto out;
	t0 = stamp(vm.serial, "] smp: Bringing up secondary CPUs");
	t1 = stamp(vm.serial, "] smp: Brought up ");
	if (t0 < 0 || t1 < 0)
		goto out;
	vm_send(&vm, "a=$(cut -d' ' -f1 /proc/uptime); i=0; "
		     "while [ $i -lt 20 ]; do for c in 1 2 3; do "
		     "echo 0 > /sys/devices/system/cpu/cpu$c/online; "
		     "echo 1 > /sys/devices/system/cpu/cpu$c/online; done; "
		     "i=$((i+1)); done; "
		     "echo OLTIME $a $(cut -d' ' -f1 /proc/uptime)\n");
	for (;;) {
		if (vm_wait_line(&vm, "OLTIME ", line, sizeof(line), 300000))
			goto out;
		if (sscanf(line, "%lf %lf", &a, &b) == 2)
			break;
	}
	m->bringup[m->runs] = (t1 - t0) * 1000;
	m->cycle[m->runs] = (b - a) * 1000 / (ROUNDS * 3);
	m->runs++;
	r = 0;
out:
	if (r)
		fprintf(stderr, "bench-mpwakeup: %s run %d failed; logs in %s\n",
			m->name, run, vm.dir);
	vm_stop(&vm);
	return r;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	double b0, c0;

	if (runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: bench-mpwakeup [RUNS 1-16]\n");
		return 2;
	}
	for (int r = 0; r < runs; r++) {
		for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			if (run_once(&modes[i], r))
				return 1;
		fprintf(stderr, "bench-mpwakeup: round %d/%d done\n", r + 1,
			runs);
	}
	b0 = median(modes[0].bringup, runs);
	c0 = median(modes[0].cycle, runs);
	printf("AP start-up, hotcpu firmware, QEMU TCG, q35, -smp 4, median of "
	       "%d boots\n\n", runs);
	printf("%-16s %22s %7s %28s %7s\n", "APs started by",
	       "3 APs up (dmesg, ms)", "ratio", "offline+online of 1 AP (ms)",
	       "ratio");
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		double b = median(modes[i].bringup, runs),
		       c = median(modes[i].cycle, runs);

		printf("%-16s %22.1f %6.2fx %28.1f %6.2fx\n", modes[i].name, b,
		       b / b0, c, c / c0);
	}
	printf("\nBring-up: from \"smp: Bringing up secondary CPUs\" to "
	       "\"smp: Brought up\" in the guest's dmesg. Cycle: %d rounds of "
	       "offline+online\nof each of the 3 APs, timed by the guest "
	       "(/proc/uptime), per AP. Through the mailbox an offline\n"
	       "returns the CPU via the reset vector and TEST, an online is a "
	       "WAKEUP; otherwise Linux\nparks it in hlt and sends "
	       "INIT-SIPI-SIPI.\n", ROUNDS);
	return 0;
}
