/* Boot benchmark: wall time from QEMU start to kernel entry, to the
 * kernel's first line and to the guest's init, for hotcpu, SeaBIOS and
 * OVMF with the same QEMU and guest, interleaved, median of N. With an
 * -smp argument (bench-boot-smp): hotcpu against SeaBIOS only, the APs
 * present at boot, where hotcpu parks them on the MP wakeup mailbox and
 * SeaBIOS leaves them waiting for SIPI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vm.h"

#define TIMEOUT_MS 120000

/* -smp, or NULL for the default (1,maxcpus=4) and all three firmwares. */
static const char *smp;

struct firmware {
	const char *name;
	const char *image;		/* for the size column */
	const char *bios;		/* -bios, or "" with pflash */
	const char *entry_marker;	/* first sign of the kernel running */
	int entry_on_debugcon;
	long entry[16], first[16], init[16];
	long start[16];			/* hotcpu: its first debugcon line */
	int runs;
};

static struct firmware fws[] = {
	{ "hotcpu", "build/hotcpu.fd", "build/hotcpu.fd",
	  "linux: entering the 64-bit entry point", 1, { 0 }, { 0 }, { 0 },
	  { 0 }, 0 },
	{ "SeaBIOS", "/usr/share/seabios/bios-256k.bin",
	  "/usr/share/seabios/bios-256k.bin", "Probing EDD", 0, { 0 }, { 0 },
	  { 0 }, { 0 }, 0 },
	{ "OVMF", "/usr/share/OVMF/OVMF_CODE_4M.fd", "", "EFI stub: ", 0,
	  { 0 }, { 0 }, { 0 }, { 0 }, 0 },
};
#define NFW (sizeof(fws) / sizeof(fws[0]))

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

static long median(long *v, int n)
{
	long tmp[16];

	memcpy(tmp, v, n * sizeof(*v));
	qsort(tmp, n, sizeof(*tmp), cmp_long);
	return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static long file_kib(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)(st.st_size / 1024);
}

/* hotcpu's own view, in guest time since VM start (PM timer), from the
 * last run's debugcon: where the milliseconds before kernel entry go. */
static char breakdown[512];

static double stamp(const char *log, const char *phase)
{
	const char *p = strstr(log, phase);

	while (p && p > log && p[-1] != '\n')
		p--;
	return p ? atof(p + 1) : -1;
}

static void note_breakdown(struct vm *vm)
{
	const char *log = vm_debugcon(vm);
	double first = stamp(log, "] hotcpu firmware"),
	       acpi0 = stamp(log, "] pci: "),
	       acpi1 = stamp(log, "] table-loader: "),
	       load0 = stamp(log, "] acpi: "),
	       load1 = stamp(log, "] linux: 6"),
	       entry = stamp(log, "] linux: entering");

	snprintf(breakdown, sizeof(breakdown),
		 "hotcpu in guest time: first instruction's line at %.1f ms, "
		 "kernel entry at %.1f ms;\nQEMU building its ACPI tables on "
		 "first read %.1f ms, loading kernel+initrd over fw_cfg DMA "
		 "%.1f ms,\nthe rest of the firmware %.1f ms.\n",
		 first, entry, acpi1 - acpi0, load1 - load0,
		 entry - first - (acpi1 - acpi0) - (load1 - load0));
}

static int run_once(struct firmware *fw, int run)
{
	struct vm_config cfg = { 0 };
	char name[64], vars[128];
	struct vm vm;
	int r = -1;

	cfg.firmware = fw->bios;
	cfg.smp = smp;
	/* earlyprintk lets the real-mode setup code print on ttyS0. */
	cfg.append = "console=ttyS0 earlyprintk=ttyS0 panic=-1";
	if (!fw->bios[0]) {
		/* OVMF needs its code and a writable copy of its variables. */
		snprintf(vars, sizeof(vars),
			 "cp /usr/share/OVMF/OVMF_VARS_4M.fd build/bench-vars.fd");
		if (system(vars))
			return -1;
		cfg.extra[0] = "-drive";
		cfg.extra[1] = "if=pflash,format=raw,unit=0,readonly=on,"
			       "file=/usr/share/OVMF/OVMF_CODE_4M.fd";
		cfg.extra[2] = "-drive";
		cfg.extra[3] = "if=pflash,format=raw,unit=1,"
			       "file=build/bench-vars.fd";
	}
	snprintf(name, sizeof(name), "bench-boot-%s-%s-%d", fw->name,
		 smp ? smp : "1", run);
	if (vm_start(&vm, name, &cfg))
		return -1;
	/* QEMU's own start-up ends where the firmware's first line is. */
	if (fw->entry_on_debugcon) {
		if (vm_wait_debugcon(&vm, "] hotcpu firmware", TIMEOUT_MS))
			goto out;
		fw->start[fw->runs] = vm_elapsed_ms(&vm);
	}
	if (fw->entry_on_debugcon ?
		    vm_wait_debugcon(&vm, fw->entry_marker, TIMEOUT_MS) :
		    vm_wait(&vm, fw->entry_marker, TIMEOUT_MS))
		goto out;
	fw->entry[fw->runs] = vm_elapsed_ms(&vm);
	if (vm_wait(&vm, "] Linux version", TIMEOUT_MS))
		goto out;
	fw->first[fw->runs] = vm_elapsed_ms(&vm);
	if (vm_wait(&vm, "GUEST-INIT-UP", TIMEOUT_MS))
		goto out;
	fw->init[fw->runs] = vm_elapsed_ms(&vm);
	if (fw->entry_on_debugcon)
		note_breakdown(&vm);
	fw->runs++;
	r = 0;
out:
	if (r)
		fprintf(stderr, "bench-boot: %s run %d timed out; logs in %s\n",
			fw->name, run, vm.dir);
	vm_stop(&vm);
	return r;
}

/* hotcpu against SeaBIOS at -smp N: the targets of issue 9. */
static int print_smp(int runs)
{
	long f0 = median(fws[0].first, runs), i0 = median(fws[0].init, runs),
	     f1 = median(fws[1].first, runs), i1 = median(fws[1].init, runs);

	printf("Boot time, QEMU TCG, q35, -smp %s, -m 512, median of %d (ms "
	       "from QEMU start)\n\n", smp, runs);
	printf("%-8s  %16s  %10s\n", "firmware", "first kernel line", "init");
	for (size_t i = 0; i < 2; i++)
		printf("%-8s  %16ld  %10ld\n", fws[i].name,
		       median(fws[i].first, runs), median(fws[i].init, runs));
	printf("\nhotcpu / SeaBIOS: first kernel line %.2fx, init %.2fx "
	       "(targets <= 1.05x): %s\n", (double)f0 / f1, (double)i0 / i1,
	       f0 <= 1.05 * f1 && i0 <= 1.05 * i1 ? "met" : "NOT met");
	printf("hotcpu parks the %s APs on the MP wakeup mailbox (they halt "
	       "between looks); SeaBIOS\nleaves them in wait-for-SIPI. Linux "
	       "starts them after its first line.\n", smp);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	size_t nfw = NFW;
	long e0, f0, i0, s0, es;

	if (runs < 1 || runs > 16 || argc > 3) {
		fprintf(stderr, "usage: bench-boot [RUNS 1-16 [SMP]]\n");
		return 2;
	}
	if (argc > 2) {
		smp = argv[2];
		nfw = 2;
	}
	for (int r = 0; r < runs; r++) {
		for (size_t i = 0; i < nfw; i++)
			if (run_once(&fws[i], r))
				return 1;
		fprintf(stderr, "bench-boot: round %d/%d done\n", r + 1, runs);
	}
	if (smp)
		return print_smp(runs);
	e0 = median(fws[0].entry, runs);
	f0 = median(fws[0].first, runs);
	i0 = median(fws[0].init, runs);
	printf("Boot time, QEMU TCG, q35, -smp 1,maxcpus=4, -m 512, median of "
	       "%d (ms from QEMU start)\n\n", runs);
	printf("%-8s %9s  %14s %7s  %16s %7s  %10s %7s\n", "firmware",
	       "image KiB", "kernel entry", "ratio", "first kernel line",
	       "ratio", "init", "ratio");
	for (size_t i = 0; i < NFW; i++) {
		long e = median(fws[i].entry, runs), f = median(fws[i].first,
							       runs),
		     in = median(fws[i].init, runs);

		printf("%-8s %9ld  %14ld %6.2fx  %16ld %6.2fx  %10ld %6.2fx\n",
		       fws[i].name, file_kib(fws[i].image), e, (double)e / e0,
		       f, (double)f / f0, in, (double)in / i0);
	}
	printf("\nKernel entry: hotcpu's debugcon line before its jump; the "
	       "kernel's setup code\nprinting \"Probing EDD\" (SeaBIOS); the "
	       "EFI stub's first line (OVMF).\n");
	printf("%s", breakdown);
	printf("hotcpu's share to kernel entry is %.0f%% of SeaBIOS's (target "
	       "<= 25%%) and %.1f%% of OVMF's (target <= 5%%).\n",
	       100.0 * e0 / median(fws[1].entry, runs),
	       100.0 * e0 / median(fws[2].entry, runs));
	/* Every firmware pays QEMU's start-up (reading the kernel and
	 * initrd, building the machine) before its first instruction. */
	s0 = median(fws[0].start, runs);
	es = median(fws[1].entry, runs);
	printf("QEMU start to hotcpu's first debugcon line: %ld ms, QEMU's own "
	       "start-up, before any\nfirmware code runs (a quarter of "
	       "SeaBIOS's kernel entry is %ld ms). Without it,\nhotcpu takes "
	       "%ld ms to kernel entry and SeaBIOS about %ld ms: %.0f%%.\n",
	       s0, es / 4, e0 - s0, es - s0,
	       es > s0 ? 100.0 * (e0 - s0) / (es - s0) : 0.0);
	return 0;
}
