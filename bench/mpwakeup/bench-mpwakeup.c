/* MP wakeup benchmark: AP bring-up through the mailbox against
 * INIT-SIPI-SIPI, from the guest's own dmesg timestamps ("smp: Bringing
 * up secondary CPUs" to "smp: Brought up"), one offline/online cycle of
 * an AP (reset vector, TEST, WAKEUP against INIT-SIPI-SIPI), timed in the
 * guest, and what an idle AP costs the host: the CPU time of its QEMU
 * vCPU thread while Linux (maxcpus=1) leaves it where the firmware put
 * it. Same firmware, QEMU and guest; -smp 4; median of N boots. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm.h"

#define ROUNDS 20	/* offline/online rounds of every AP per boot */
#define MAX_RUNS 16
#define IDLE_S 10	/* idle APs watched this long */

struct mode {
	const char *name;
	const char *fw_cfg;	/* -fw_cfg argument, or NULL */
	double bringup[MAX_RUNS], cycle[MAX_RUNS];
	/* Host CPU of an idle AP's vCPU thread, % of a core: the mean and
	 * the busiest of the three. */
	double idle[MAX_RUNS], idle_max[MAX_RUNS];
	int runs, idle_runs;
};

static struct mode modes[] = {
	{ .name = "mailbox" },
	{ .name = "INIT-SIPI-SIPI",
	  .fw_cfg = "name=opt/hotcpu/mp-wakeup,string=off" },
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

/* CPU time (clock ticks) of QEMU's vCPU threads "CPU n/TCG" of pid, by
 * n; -1 for a thread not found. */
static void vcpu_ticks(pid_t pid, long *ticks, int nr)
{
	char path[300], comm[64], stat[1024];
	struct dirent *d;
	DIR *dir;

	for (int i = 0; i < nr; i++)
		ticks[i] = -1;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		unsigned long ut, st;
		const char *p;
		FILE *f;
		int n;

		snprintf(path, sizeof(path), "/proc/%d/task/%s/comm", (int)pid,
			 d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(comm, sizeof(comm), f) ||
		    sscanf(comm, "CPU %d/", &n) != 1 || n < 0 || n >= nr) {
			fclose(f);
			continue;
		}
		fclose(f);
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", (int)pid,
			 d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* utime and stime, fields 14 and 15: the 12th and 13th
		 * after the ")" that ends the thread's name. */
		if (fgets(stat, sizeof(stat), f) && (p = strrchr(stat, ')')) &&
		    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
			   "%*u %lu %lu", &ut, &st) == 2)
			ticks[n] = (long)(ut + st);
		fclose(f);
	}
	closedir(dir);
}

/* Boots with Linux's maxcpus=1: the three APs stay where the firmware
 * left them (parked on the mailbox, or in wait-for-SIPI without it), and
 * their vCPU threads' CPU time over IDLE_S is what they cost. */
static int idle_once(struct mode *m, int run)
{
	struct vm_config cfg = { 0 };
	long a[4], b[4], hz = sysconf(_SC_CLK_TCK);
	double sum = 0, max = 0;
	char name[64], line[256];
	struct vm vm;
	int r = -1;

	cfg.smp = "4";
	cfg.append = "console=ttyS0 panic=-1 lpj=9200000 maxcpus=1";
	cfg.extra[0] = "-name";
	cfg.extra[1] = "bench,debug-threads=on";
	if (m->fw_cfg) {
		cfg.extra[2] = "-fw_cfg";
		cfg.extra[3] = m->fw_cfg;
	}
	snprintf(name, sizeof(name), "bench-mpw-idle-%s-%d",
		 m->fw_cfg ? "sipi" : "mailbox", run);
	if (vm_start(&vm, name, &cfg) ||
	    vm_wait_line(&vm, "GUEST-CPUS-ONLINE ", line, sizeof(line),
			 120000))
		goto out;
	/* Let the boot's last work settle. */
	sleep(1);
	vcpu_ticks(vm.pid, a, 4);
	sleep(IDLE_S);
	vcpu_ticks(vm.pid, b, 4);
	for (int i = 1; i < 4; i++) {
		double pct;

		if (a[i] < 0 || b[i] < 0)
			goto out;
		pct = 100.0 * (b[i] - a[i]) / (hz * IDLE_S);
		sum += pct;
		if (pct > max)
			max = pct;
	}
	m->idle[m->idle_runs] = sum / 3;
	m->idle_max[m->idle_runs] = max;
	m->idle_runs++;
	r = 0;
out:
	if (r)
		fprintf(stderr, "bench-mpwakeup: %s idle run %d failed; logs in "
			"%s\n", m->name, run, vm.dir);
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
			if (run_once(&modes[i], r) || idle_once(&modes[i], r))
				return 1;
		fprintf(stderr, "bench-mpwakeup: round %d/%d done\n", r + 1,
			runs);
	}
	b0 = median(modes[0].bringup, runs);
	c0 = median(modes[0].cycle, runs);
	printf("AP start-up, hotcpu firmware, QEMU TCG, q35, -smp 4, median of "
	       "%d boots\n\n", runs);
	printf("%-16s %22s %7s %28s %7s %22s\n", "APs started by",
	       "3 APs up (dmesg, ms)", "ratio", "offline+online of 1 AP (ms)",
	       "ratio", "idle AP, % of a core");
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		double b = median(modes[i].bringup, runs),
		       c = median(modes[i].cycle, runs);
		char idle[32];

		snprintf(idle, sizeof(idle), "%.2f (max %.2f)",
			 median(modes[i].idle, runs),
			 median(modes[i].idle_max, runs));
		printf("%-16s %22.1f %6.2fx %28.1f %6.2fx %22s\n",
		       modes[i].name, b, b / b0, c, c / c0, idle);
	}
	printf("\nBring-up: from \"smp: Bringing up secondary CPUs\" to "
	       "\"smp: Brought up\" in the guest's dmesg. Cycle: %d rounds of "
	       "offline+online\nof each of the 3 APs, timed by the guest "
	       "(/proc/uptime), per AP. Through the mailbox an offline\n"
	       "returns the CPU via the reset vector and TEST, an online is a "
	       "WAKEUP; otherwise Linux\nparks it in hlt and sends "
	       "INIT-SIPI-SIPI.\n", ROUNDS);
	printf("Idle AP: Linux booted with maxcpus=1 leaves the 3 APs parked "
	       "on the mailbox (or in\nwait-for-SIPI without it); host CPU "
	       "time of each AP's vCPU thread over %d s, mean of\nthe 3 and "
	       "the busiest (target for a parked AP: <= 2%% of a core).\n",
	       IDLE_S);
	return 0;
}
