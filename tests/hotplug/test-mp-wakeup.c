/* ACPI MADT Multiprocessor Wakeup with real Linux under QEMU (TCG): APs
 * brought up through the mailbox, offline/online through the reset
 * vector and TEST, kexec, hot-added CPUs through SMM into the mailbox,
 * bad commands, and the off switch. The firmware's counters in the
 * mailbox's firmware half (struct park_info) show what the APs did. */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hp.h"

#define OP_MS 30000
#define LINUX_USES_MAILBOX \
	"APIC: wakeup_secondary_cpu_64() replaced with acpi_wakeup_cpu()"
/* Linux finds an AP's MTRRs different from the BSP's. */
#define MTRR_WARNING "mtrr: your CPUs had inconsistent"

/* struct park_info, in u32 words at mailbox + 2048. */
enum { INFO_MAGIC, INFO_NR, INFO_WAKEUPS, INFO_TESTS, INFO_RESETS,
       INFO_PARKED, INFO_SPINNING, INFO_WORDS };

/* The test's VM; the teardown stops it even after a failed assertion,
 * and fails the test on a guest warning (vm_stop()). */
static struct hp h;
static unsigned long mailbox;

static int teardown(void **state)
{
	(void)state;
	hp_shutdown(&h);
	return vm_take_warnings() ? -1 : 0;
}

/* iomem=relaxed: the mailbox is ACPI NVS, which Linux's /dev/mem policy
 * hides from the test's physmem tool otherwise. */
static void note_mailbox(void)
{
	const char *p;

	mailbox = 0;
	p = strstr(vm_debugcon(&h.vm), "mp-wakeup: mailbox 0x");
	if (p)
		sscanf(p, "mp-wakeup: mailbox 0x%lx", &mailbox);
}

static void config(struct vm_config *cfg, const char *machine,
		   const char *smp, const char *initrd, const char *extra_arg,
		   const char *more_append)
{
	static char append[256];

	snprintf(append, sizeof(append),
		 "console=ttyS0 panic=-1 iomem=relaxed lpj=9200000%s%s",
		 more_append ? " " : "", more_append ?: "");
	memset(cfg, 0, sizeof(*cfg));
	cfg->machine = machine;
	cfg->smp = smp;
	cfg->append = append;
	cfg->initrd = initrd;
	/* Thread names "CPU n/TCG", for vcpu_ticks(). */
	cfg->extra[0] = "-name";
	cfg->extra[1] = "mpw,debug-threads=on";
	if (extra_arg) {
		cfg->extra[2] = "-fw_cfg";
		cfg->extra[3] = extra_arg;
	}
}

static void boot_with(const char *name, const char *machine, const char *smp,
		      const char *initrd, const char *extra_arg,
		      const char *more_append)
{
	struct vm_config cfg;

	config(&cfg, machine, smp, initrd, extra_arg, more_append);
	if (hp_boot(&h, name, &cfg)) {
		print_message("# boot failed; logs in %s\n", h.vm.dir);
		fail();
	}
	note_mailbox();
}

static void boot(const char *name, const char *machine, const char *smp,
		 const char *initrd, const char *extra_arg)
{
	boot_with(name, machine, smp, initrd, extra_arg, NULL);
}

/* Host CPU time (clock ticks) of QEMU's vCPU thread "CPU n/TCG". */
static long vcpu_ticks(int n)
{
	char path[300], comm[64], stat[1024];
	unsigned long ut, st;
	struct dirent *d;
	long ticks = -1;
	const char *p;
	DIR *dir;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)h.vm.pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while (ticks < 0 && (d = readdir(dir))) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/task/%s/comm",
			 (int)h.vm.pid, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		i = -1;
		if (fgets(comm, sizeof(comm), f))
			sscanf(comm, "CPU %d/", &i);
		fclose(f);
		if (i != n)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat",
			 (int)h.vm.pid, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* utime and stime, after the ")" that ends the name. */
		if (fgets(stat, sizeof(stat), f) && (p = strrchr(stat, ')')) &&
		    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
			   "%*u %lu %lu", &ut, &st) == 2)
			ticks = (long)(ut + st);
		fclose(f);
	}
	closedir(dir);
	return ticks;
}

static void read_info(unsigned *w)
{
	char cmd[96], marker[64], line[256];

	assert_true(mailbox != 0);
	snprintf(cmd, sizeof(cmd), "physmem read 0x%lx %d", mailbox + 2048,
		 INFO_WORDS);
	snprintf(marker, sizeof(marker), "\nPHYSMEM-READ 0x%lx ",
		 mailbox + 2048);
	vm_send(&h.vm, cmd);
	vm_send(&h.vm, "\n");
	assert_int_equal(vm_wait_line(&h.vm, marker, line, sizeof(line), OP_MS),
			 0);
	assert_int_equal(sscanf(line, "%x %x %x %x %x %x %x", &w[0], &w[1],
				&w[2], &w[3], &w[4], &w[5], &w[6]),
			 INFO_WORDS);
	assert_int_equal(w[INFO_MAGIC], 0x4b524150);	/* "PARK" */
}

static void mailbox_write(unsigned long off, unsigned long v, int size)
{
	char cmd[96], marker[64];

	snprintf(cmd, sizeof(cmd), "physmem write 0x%lx 0x%lx %d",
		 mailbox + off, v, size);
	snprintf(marker, sizeof(marker), "\nPHYSMEM-WRITE 0x%lx done",
		 mailbox + off);
	assert_int_equal(hp_guest(&h, cmd, marker, OP_MS), 0);
}

static unsigned mailbox_command(void)
{
	char cmd[96], marker[64], line[128];
	unsigned w;

	snprintf(cmd, sizeof(cmd), "physmem read 0x%lx 1", mailbox);
	snprintf(marker, sizeof(marker), "\nPHYSMEM-READ 0x%lx ", mailbox);
	vm_send(&h.vm, cmd);
	vm_send(&h.vm, "\n");
	assert_int_equal(vm_wait_line(&h.vm, marker, line, sizeof(line), OP_MS),
			 0);
	assert_int_equal(sscanf(line, "%x", &w), 1);
	return w & 0xffff;
}

static void assert_no_handover_failures(void)
{
	if (strstr(h.vm.serial, "Failed to hand over"))
		print_message("# guest: Failed to hand over a CPU to BIOS\n");
	assert_null(strstr(h.vm.serial, "Failed to hand over"));
	assert_null(strstr(vm_debugcon(&h.vm), "PANIC"));
}

static void test_boot_smp4_through_mailbox(void **state)
{
	unsigned w[INFO_WORDS];

	(void)state;
	boot("mpw-boot", NULL, "4", NULL, NULL);
	assert_non_null(strstr(h.vm.serial, LINUX_USES_MAILBOX));
	assert_non_null(strstr(vm_debugcon(&h.vm),
			       "3 of 3 APs parked"));
	assert_non_null(strstr(vm_debugcon(&h.vm), ", MP wakeup v1"));
	read_info(w);
	/* Each AP woke once, through a WAKEUP command. */
	assert_int_equal(w[INFO_NR], 4);
	assert_int_equal(w[INFO_WAKEUPS], 3);
	assert_int_equal(w[INFO_PARKED], 0);
	/* The APs got the BSP's MTRRs in the park module. */
	if (strstr(h.vm.serial, MTRR_WARNING))
		print_message("# guest: %s\n", strstr(h.vm.serial,
						      MTRR_WARNING));
	assert_null(strstr(h.vm.serial, MTRR_WARNING));
	assert_no_handover_failures();
}

/* 100 rounds of taking every AP offline (reset vector, then TEST) and
 * online again (WAKEUP). */
static void test_offline_online_100(void **state)
{
	unsigned w[INFO_WORDS];

	(void)state;
	boot("mpw-cycles", NULL, "4", NULL, NULL);
	assert_int_equal(hp_guest(&h,
		"i=0; while [ $i -lt 100 ]; do for c in 1 2 3; do "
		"echo 0 > /sys/devices/system/cpu/cpu$c/online || break 2; "
		"echo 1 > /sys/devices/system/cpu/cpu$c/online || break 2; "
		"done; i=$((i+1)); done; echo CYCLES=$i",
		"\nCYCLES=100", 600000), 0);
	assert_int_equal(hp_guest(&h, "echo ONLINE=$(cat "
				  "/sys/devices/system/cpu/online)",
				  "\nONLINE=0-3", OP_MS), 0);
	read_info(w);
	assert_int_equal(w[INFO_RESETS], 300);
	assert_int_equal(w[INFO_TESTS], 300);
	assert_int_equal(w[INFO_WAKEUPS], 303);
	assert_no_handover_failures();
}

/* kexec: the old kernel sends every AP back through the reset vector,
 * the new one wakes them through the same mailbox. */
static void test_kexec_brings_all_cpus_up(void **state)
{
	char line[256];
	unsigned w[INFO_WORDS];

	(void)state;
	boot("mpw-kexec", NULL, "4", "build/guest/initrd-kexec.img", NULL);
	/* kexec-tools and the second kernel sit in an appended cpio. */
	if (strstr(h.vm.serial, "Initramfs unpacking failed"))
		print_message("# guest: build/guest/initrd-kexec.img did not "
			      "unpack\n");
	assert_null(strstr(h.vm.serial, "Initramfs unpacking failed"));
	vm_send(&h.vm, "kexec -l /kexec/vmlinuz --initrd=/kexec/initrd.img "
		       "--command-line=\"console=ttyS0 panic=-1 iomem=relaxed "
		       "hotcpu.kexec=1\" && kexec -e\n");
	assert_int_equal(vm_wait_line(&h.vm, "GUEST-CMDLINE ", line,
				      sizeof(line), 120000), 0);
	assert_non_null(strstr(line, "hotcpu.kexec=1"));
	assert_int_equal(hp_wait_online(&h, "0 1 2 3", OP_MS), 0);
	read_info(w);
	assert_int_equal(w[INFO_RESETS], 3);
	assert_int_equal(w[INFO_WAKEUPS], 6);
	assert_no_handover_failures();
}

/* With SMM hotplug, a hot-added CPU is parked from SMM and Linux wakes
 * it through the mailbox like the boot CPUs. */
static void test_hot_add_through_mailbox(void **state)
{
	unsigned w[INFO_WORDS];
	int r;

	(void)state;
	boot("mpw-hotplug", NULL, "1,maxcpus=4", NULL, NULL);
	assert_non_null(strstr(h.vm.serial, LINUX_USES_MAILBOX));
	assert_non_null(strstr(vm_debugcon(&h.vm),
			       "hot-added CPUs park from SMM"));
	r = hp_plug(&h, "cpu1");
	if (r)
		print_message("# device_add: %s\n", h.error);
	assert_int_equal(r, 0);
	assert_int_equal(hp_wait_ost(&h, "cpu1", 1, OP_MS), 0);
	assert_int_equal(hp_wait_online(&h, "0 1", OP_MS), 0);
	read_info(w);
	assert_int_equal(w[INFO_WAKEUPS], 1);
	/* Offline and online again, then remove it. */
	assert_int_equal(hp_guest(&h, "echo 0 > /sys/devices/system/cpu/cpu1/"
				  "online; echo 1 > /sys/devices/system/cpu/"
				  "cpu1/online; echo DONE-1",
				  "\nDONE-1", OP_MS), 0);
	read_info(w);
	assert_int_equal(w[INFO_TESTS], 1);
	assert_int_equal(w[INFO_WAKEUPS], 2);
	assert_int_equal(hp_unplug(&h, "cpu1"), 0);
	assert_int_equal(hp_wait_deleted(&h, "cpu1", OP_MS), 0);
	assert_non_null(strstr(vm_debugcon(&h.vm), "ejected"));
	assert_no_handover_failures();
}

/* Commands no parked CPU should act on: an unknown command for a parked
 * CPU, a WAKEUP for an APIC ID nobody has, a WAKEUP for a CPU already
 * woken. None is acknowledged, nothing moves, and a good command works
 * afterwards. */
static void test_bad_commands_are_ignored(void **state)
{
	unsigned before[INFO_WORDS], after[INFO_WORDS];

	(void)state;
	boot("mpw-bad", NULL, "4", NULL, NULL);
	assert_int_equal(hp_guest(&h, "echo 0 > /sys/devices/system/cpu/cpu3/"
				  "online; echo OFF-3", "\nOFF-3", OP_MS), 0);
	read_info(before);
	assert_int_equal(before[INFO_PARKED], 1);
	/* Parked through the reset vector, with the OS's local APIC: it
	 * halts on its timer tick all the same. */
	assert_int_equal(before[INFO_SPINNING], 0);

	mailbox_write(4, 3, 4);			/* CPU 3, parked */
	mailbox_write(0, 7, 2);			/* unknown command */
	assert_int_equal(hp_guest(&h, "sleep 0.3; echo SLEPT-1",
				  "\nSLEPT-1", OP_MS), 0);
	assert_int_equal(mailbox_command(), 7);

	mailbox_write(8, 0x9a000, 8);
	mailbox_write(4, 0x55, 4);		/* nobody's APIC ID */
	mailbox_write(0, 1, 2);			/* WAKEUP */
	assert_int_equal(hp_guest(&h, "sleep 0.3; echo SLEPT-2",
				  "\nSLEPT-2", OP_MS), 0);
	assert_int_equal(mailbox_command(), 1);

	mailbox_write(4, 1, 4);			/* CPU 1, woken at boot */
	assert_int_equal(hp_guest(&h, "sleep 0.3; echo SLEPT-3",
				  "\nSLEPT-3", OP_MS), 0);
	assert_int_equal(mailbox_command(), 1);

	read_info(after);
	assert_memory_equal(after, before, sizeof(before));
	/* The OS takes its mailbox back: the parked CPU still answers. */
	mailbox_write(0, 0, 2);
	/* The agent's line for the new set may come before the shell's
	 * echo: ask the shell for the set instead. */
	assert_int_equal(hp_guest(&h, "echo 1 > /sys/devices/system/cpu/cpu3/"
				  "online; echo ONLINE=$(cat "
				  "/sys/devices/system/cpu/online)",
				  "\nONLINE=0-3", OP_MS), 0);
	read_info(after);
	assert_int_equal(after[INFO_WAKEUPS], before[INFO_WAKEUPS] + 1);
	assert_no_handover_failures();
}

/* The off switch gives Linux INIT-SIPI-SIPI again. */
static void test_off_switch(void **state)
{
	(void)state;
	boot("mpw-off", NULL, "4", NULL, "name=opt/hotcpu/mp-wakeup,string=off");
	assert_null(strstr(h.vm.serial, LINUX_USES_MAILBOX));
	assert_non_null(strstr(vm_debugcon(&h.vm), "mp-wakeup: off "
						   "(opt/hotcpu/mp-wakeup=off)"));
	assert_null(strstr(vm_debugcon(&h.vm), "MP wakeup v1"));
	assert_int_equal(hp_guest(&h, "echo ONLINE=$(cat "
				  "/sys/devices/system/cpu/online)",
				  "\nONLINE=0-3", OP_MS), 0);
}

/* Without SMM nothing runs when a CPU is plugged, so it could never
 * reach the mailbox: the firmware keeps INIT-SIPI-SIPI and hot-add works
 * as before. */
static void test_no_mailbox_for_hotplug_without_smm(void **state)
{
	(void)state;
	boot("mpw-nosmm", "q35,smm=off", "1,maxcpus=4", NULL, NULL);
	assert_non_null(strstr(vm_debugcon(&h.vm), "mp-wakeup: off: 3 of 4 "
						   "CPUs can be hot-added "
						   "without SMM"));
	assert_null(strstr(h.vm.serial, LINUX_USES_MAILBOX));
	assert_int_equal(hp_plug(&h, "cpu1"), 0);
	assert_int_equal(hp_wait_ost(&h, "cpu1", 1, OP_MS), 0);
	assert_int_equal(hp_wait_online(&h, "0 1", OP_MS), 0);
}

/* Linux (maxcpus=1) leaves three APs in the park loop: they halt
 * between looks at the mailbox, so their vCPU threads take next to no
 * host CPU (a spinning one takes what the host gives it, tens of percent
 * of a core here), and a WAKEUP still reaches them: Linux onlines one
 * later, and takes it back and forth, without an "APIC: Stale IRR" or
 * spurious interrupt from the park tick. The speed of the tick is
 * bench-mpwakeup's business; this checks that parked CPUs halt. */
static void test_parked_cpus_halt(void **state)
{
	long a[4], b[4], hz = sysconf(_SC_CLK_TCK);
	unsigned w[INFO_WORDS];

	(void)state;
	boot_with("mpw-parked", NULL, "4", NULL, NULL, "maxcpus=1");
	assert_non_null(strstr(vm_debugcon(&h.vm), "halting between looks"));
	read_info(w);
	assert_int_equal(w[INFO_PARKED], 3);
	assert_int_equal(w[INFO_SPINNING], 0);
	for (int i = 1; i < 4; i++)
		a[i] = vcpu_ticks(i);
	sleep(2);
	for (int i = 1; i < 4; i++) {
		b[i] = vcpu_ticks(i);
		assert_true(a[i] >= 0 && b[i] >= 0);
		print_message("# parked CPU %d: %.1f%% of a host core\n", i,
			      100.0 * (b[i] - a[i]) / (2.0 * hz));
		/* 20% of a core in 2 s: a spinning vCPU takes several
		 * times that even on a loaded 2-core host. */
		assert_true(b[i] - a[i] < hz * 2 / 5);
	}
	assert_int_equal(hp_guest(&h, "echo 1 > /sys/devices/system/cpu/cpu2/"
				  "online; for i in 1 2 3 4 5; do echo 0 > "
				  "/sys/devices/system/cpu/cpu2/online; echo 1 > "
				  "/sys/devices/system/cpu/cpu2/online; done; "
				  "echo ONLINE=$(cat /sys/devices/system/cpu/"
				  "online)", "\nONLINE=0,2", OP_MS), 0);
	read_info(w);
	assert_int_equal(w[INFO_WAKEUPS], 6);
	assert_int_equal(w[INFO_TESTS], 5);
	assert_int_equal(w[INFO_PARKED], 2);
	assert_null(strstr(h.vm.serial, "Stale IRR"));
	assert_null(strstr(h.vm.serial, "purious"));
	assert_no_handover_failures();
}

/* A CPU plugged while QEMU is paused before the firmware's first
 * instruction: the firmware boots with it, but QEMU created it with its
 * MTRRs reset. Linux must find the BSP's MTRRs in it when the mailbox
 * wakes it ("mtrr: your CPUs had inconsistent fixed MTRR settings ...
 * probably your BIOS does not setup all CPUs" otherwise). */
static void test_mtrrs_of_a_cpu_plugged_before_boot(void **state)
{
	struct vm_config cfg;

	(void)state;
	config(&cfg, NULL, "1,maxcpus=4", NULL, NULL, NULL);
	if (hp_start_paused(&h, "mpw-mtrr", &cfg)) {
		print_message("# QEMU did not start; logs in %s\n", h.vm.dir);
		fail();
	}
	assert_int_equal(hp_plug(&h, "cpu1"), 0);
	if (hp_cont(&h)) {
		print_message("# boot failed (%s); logs in %s\n", h.error,
			      h.vm.dir);
		fail();
	}
	note_mailbox();
	assert_non_null(strstr(vm_debugcon(&h.vm), "1 of 1 APs parked"));
	assert_non_null(strstr(h.vm.serial, LINUX_USES_MAILBOX));
	assert_int_equal(hp_guest(&h, "echo ONLINE=$(cat "
				  "/sys/devices/system/cpu/online)",
				  "\nONLINE=0-1", OP_MS), 0);
	if (strstr(h.vm.serial, MTRR_WARNING))
		print_message("# guest: %.120s\n", strstr(h.vm.serial,
							  MTRR_WARNING));
	assert_null(strstr(h.vm.serial, MTRR_WARNING));
	assert_no_handover_failures();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
		T(test_boot_smp4_through_mailbox),
		T(test_offline_online_100),
		T(test_kexec_brings_all_cpus_up),
		T(test_hot_add_through_mailbox),
		T(test_bad_commands_are_ignored),
		T(test_off_switch),
		T(test_no_mailbox_for_hotplug_without_smm),
		T(test_parked_cpus_halt),
		T(test_mtrrs_of_a_cpu_plugged_before_boot),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("mp-wakeup", tests, NULL, NULL);
}
