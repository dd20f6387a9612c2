/* Boot tests in configurations at the edges of what the firmware takes:
 * little and much RAM, a sparse CPU topology filled by hot-adds, 255
 * possible CPUs, a machine type with the legacy CPU hotplug interface,
 * an initrd that does not fit, a command line at the protocol's limit.
 * Each ends in a guest that works, checked from inside it, or in a
 * debugcon message and a halt: never in a hang or a reset. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hp.h"

#define BOOT_MS		120000
#define OP_MS		30000
#define HALT_MS		30000

/* The test's VM; the teardown stops it even after a failed assertion,
 * and fails the test on a guest warning (vm_stop()). */
static struct hp h;
static char append[4096];

static int teardown(void **state)
{
	(void)state;
	hp_shutdown(&h);
	return vm_take_warnings() ? -1 : 0;
}

/* lpj from the host clock: a hot-added CPU then skips delay calibration
 * (1-4 s under TCG); Debian's kernel runs at HZ=250. */
static const char *guest_append(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	double mhz = 2000;
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "cpu MHz : %lf", &mhz) == 1)
			break;
	if (f)
		fclose(f);
	snprintf(append, sizeof(append), "console=ttyS0 panic=-1 lpj=%lu",
		 (unsigned long)(mhz * 1e6 / 250));
	return append;
}

static void boot(const char *name, struct vm_config *cfg)
{
	if (!cfg->append)
		cfg->append = guest_append();
	if (hp_boot(&h, name, cfg)) {
		print_message("# boot failed; logs in %s\n", h.vm.dir);
		fail();
	}
}

/* Nothing the firmware says went wrong, nothing Linux refused. */
static void assert_clean(void)
{
	static const char *const fw_bad[] = { "PANIC", "refused", "missed",
					      "not relocated", "did not" };
	/* Beyond the warnings the teardown fails on (vm_stop()). */
	static const char *const os_bad[] = { "BUG:", "Call Trace" };
	const char *log = vm_debugcon(&h.vm);

	for (size_t i = 0; i < sizeof(fw_bad) / sizeof(fw_bad[0]); i++) {
		if (strstr(log, fw_bad[i]))
			print_message("# \"%s\" in debugcon:\n%s", fw_bad[i],
				      log);
		assert_null(strstr(log, fw_bad[i]));
	}
	for (size_t i = 0; i < sizeof(os_bad) / sizeof(os_bad[0]); i++) {
		if (strstr(h.vm.serial, os_bad[i]))
			print_message("# \"%s\" on the console; logs in %s\n",
				      os_bad[i], h.vm.dir);
		assert_null(strstr(h.vm.serial, os_bad[i]));
	}
}

/* Runs a shell command in the guest and returns the rest of the line its
 * output starts with marker; the typed command shows marker split by "",
 * so only the output matches. */
static const char *guest_line(const char *marker, const char *cmd)
{
	static char buf[4096];
	char line[512];

	snprintf(line, sizeof(line), "echo %.6s\"\"%s%s\n", marker, marker + 6,
		 cmd);
	vm_send(&h.vm, line);
	if (vm_wait_line(&h.vm, marker, buf, sizeof(buf), OP_MS)) {
		print_message("# no \"%s\" from the guest; logs in %s\n",
			      marker, h.vm.dir);
		fail();
	}
	return buf;
}

/* The guest's first online set is exactly the boot CPUs. */
static void assert_online(const char *set)
{
	char buf[256], want[256];

	snprintf(want, sizeof(want), "[%s] ", set);
	assert_non_null(vm_line_after(&h.vm, "GUEST-CPUS-ONLINE ", buf,
				      sizeof(buf)));
	if (strncmp(buf, want, strlen(want)))
		print_message("# online %s, expected %s\n", buf, want);
	assert_int_equal(strncmp(buf, want, strlen(want)), 0);
}

/* MemTotal as the guest counts it, in MiB. */
static unsigned long guest_mem_mib(void)
{
	const char *v = guest_line("GUEST-MEM ", "$(grep MemTotal "
				   "/proc/meminfo)");
	unsigned long kib = 0;

	assert_int_equal(sscanf(v, "MemTotal: %lu kB", &kib), 1);
	return kib / 1024;
}

/* device_add into the lowest free slot, _OST success (QEMU's legacy
 * AML has no _OST), online in the guest as the set online. */
static void plug(const char *id, const char *online, int ost)
{
	int r = hp_plug(&h, id);

	if (r)
		print_message("# device_add %s: %s\n", id, h.error);
	assert_int_equal(r, 0);
	if (ost)
		assert_int_equal(hp_wait_ost(&h, id, 1, OP_MS), 0);
	r = hp_wait_online(&h, online, OP_MS);
	if (r)
		print_message("# %s not online as [%s]; logs in %s\n", id,
			      online, h.vm.dir);
	assert_int_equal(r, 0);
}

static void plug_ok(const char *id, const char *online)
{
	plug(id, online, 1);
}

/* The firmware stops with a message and halts: no reset (QEMU runs with
 * -no-reboot), no kernel output. */
static void expect_halt(const char *name, struct vm_config *cfg,
			const char *message)
{
	const char *log;

	memset(&h, 0, sizeof(h));
	qmp__init(&h.q);
	assert_int_equal(vm_start(&h.vm, name, cfg), 0);
	if (vm_wait_debugcon(&h.vm, "hotcpu: halted", HALT_MS))
		print_message("# no halt; debugcon:\n%s", vm_debugcon(&h.vm));
	log = vm_debugcon(&h.vm);
	assert_non_null(strstr(log, "hotcpu: halted"));
	if (!strstr(log, message))
		print_message("# debugcon:\n%s", log);
	assert_non_null(strstr(log, message));
	assert_non_null(strstr(log, "PANIC "));
	usleep(300 * 1000);
	assert_true(vm_running(&h.vm));
	vm_wait(&h.vm, "Linux", 100);
	assert_int_equal(h.vm.len, 0);
}

/* 128 MiB: the kernel's 56 MiB of init_size, the initrd and the ACPI
 * zone just fit above the firmware's 64 MiB minimum. */
static void test_mem_128m(void **state)
{
	struct vm_config cfg = { 0 };
	unsigned long mib;

	(void)state;
	cfg.mem_mb = 128;
	cfg.smp = "2,maxcpus=4";
	boot("hostile-mem-128m", &cfg);
	assert_online("0 1");
	mib = guest_mem_mib();
	print_message("# guest MemTotal %lu MiB of 128\n", mib);
	assert_true(mib >= 64 && mib < 128);
	assert_clean();
}

/* 5 GiB: QEMU puts 3 GiB below the PCI hole (q35 splits at 2 GiB when
 * RAM exceeds 2.75 GiB) and the rest above 4 GiB; the guest must get
 * both. */
static void test_mem_5g(void **state)
{
	struct vm_config cfg = { 0 };
	unsigned long mib;

	(void)state;
	cfg.mem_mb = 5 * 1024;
	cfg.smp = "2,maxcpus=4";
	boot("hostile-mem-5g", &cfg);
	assert_online("0 1");
	assert_non_null(strstr(h.vm.serial,
			       "BIOS-e820: [mem 0x0000000100000000-"));
	mib = guest_mem_mib();
	print_message("# guest MemTotal %lu MiB of 5120\n", mib);
	assert_true(mib > 4608 && mib < 5120);
	assert_clean();
}

/* Two sockets of two cores of two threads, two CPUs at boot: the six
 * free slots are hot-added one by one with SMM, each online in the
 * guest. QEMU's TCG allows maxcpus - 1 = 7 hot-adds per VM. */
static void test_topology_2x2x2_fill(void **state)
{
	static const char *const sets[] = {
		"0 1 2", "0 1 2 3", "0 1 2 3 4", "0 1 2 3 4 5",
		"0 1 2 3 4 5 6", "0 1 2 3 4 5 6 7",
	};
	struct vm_config cfg = { 0 };
	char id[16];

	(void)state;
	cfg.smp = "2,sockets=2,cores=2,threads=2,maxcpus=8";
	cfg.cpu = "Skylake-Client";
	boot("hostile-2x2x2", &cfg);
	assert_online("0 1");
	assert_non_null(strstr(h.vm.serial, "Allowing 2 present CPUs plus 6 "
					    "hotplug CPUs"));
	assert_non_null(strstr(vm_debugcon(&h.vm), "smm: CPU hotplug on"));
	for (int i = 0; i < 6; i++) {
		snprintf(id, sizeof(id), "cpu%d", i + 2);
		plug_ok(id, sets[i]);
	}
	assert_int_equal(hp_present(&h), 8);
	assert_string_equal(guest_line("GUEST-PRESENT ", "$(cat "
				       "/sys/devices/system/cpu/present)"),
			    "0-7");
	assert_clean();
}

/* 255 possible CPUs, the most q35 takes without x2APIC IDs: the firmware
 * scans a 255-entry register block, the guest keeps 254 slots, and the
 * last one takes a CPU. */
static void test_maxcpus_255(void **state)
{
	struct vm_config cfg = { 0 };
	char buf[64];

	(void)state;
	cfg.smp = "1,maxcpus=255";
	boot("hostile-maxcpus-255", &cfg);
	assert_online("0");
	assert_non_null(strstr(h.vm.serial, "Allowing 1 present CPUs plus 254 "
					    "hotplug CPUs"));
	assert_non_null(vm_line_after(&h.vm, "GUEST-CPUS-POSSIBLE ", buf,
				      sizeof(buf)));
	assert_string_equal(buf, "0-254");
	plug_ok("cpu1", "0 1");
	assert_int_equal(hp_present(&h), 2);
	assert_clean();
}

/* pc-q35-2.6 and older (QEMU 10.0 still has 2.4 to 2.6) describe CPU
 * hotplug with QEMU's legacy AML, which reads the register block's
 * legacy present-CPU bitmap, and offer no SMI negotiation. The firmware
 * says so and must leave the block in its legacy mode: the guest then
 * takes a CPU, without _OST. Before the firmware counted CPUs from
 * fw_cfg, its probe switched the block to the modern interface and the
 * guest never saw the CPU. */
static void test_legacy_cpu_hotplug_machine(void **state)
{
	struct vm_config cfg = { 0 };

	(void)state;
	cfg.machine = "pc-q35-2.6";
	boot("hostile-q35-2.6", &cfg);
	assert_non_null(strstr(vm_debugcon(&h.vm), "] smm: none"));
	assert_non_null(strstr(vm_debugcon(&h.vm), "mp-wakeup: off: 3 of 4 "
						   "CPUs can be hot-added"));
	assert_non_null(strstr(h.vm.serial, "Allowing 1 present CPUs plus 3 "
					    "hotplug CPUs"));
	plug("cpu1", "0 1", 0);
	assert_int_equal(hp_present(&h), 2);
	assert_clean();
}

/* Writes a copy of the bundled kernel with a header field changed. */
static const char *patched_kernel(const char *name, unsigned off,
				  uint32_t val)
{
	static char path[256];
	FILE *in = fopen("build/guest/vmlinuz", "rb"), *out;
	char buf[65536];
	size_t n, at = 0;

	snprintf(path, sizeof(path), "build/test-runs/%s", name);
	assert_int_equal(system("mkdir -p build/test-runs"), 0);
	out = fopen(path, "wb");
	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (at <= off && off + 4 <= at + n)
			memcpy(buf + off - at, &val, 4);
		assert_int_equal(fwrite(buf, 1, n, out), n);
		at += n;
	}
	fclose(in);
	fclose(out);
	return path;
}

/* initrd_addr_max below the end of the kernel's decompression area: the
 * initrd fits nowhere the kernel accepts it. QEMU checks only the size
 * against the limit; the firmware must stop with a message. */
static void test_initrd_above_addr_max(void **state)
{
	struct vm_config cfg = { 0 };

	(void)state;
	/* 0x22c: initrd_addr_max; 64 MiB - 1, under 16 + 56 MiB. */
	cfg.kernel = patched_kernel("vmlinuz-initrd-max-64m", 0x22c,
				    0x3ffffff);
	expect_halt("hostile-initrd-max", &cfg,
		    "linux: no RAM for a ");
	assert_non_null(strstr(vm_debugcon(&h.vm), "and 0x4000000"));
}

/* Debian's kernel takes 2047 bytes of command line (cmdline_size): that
 * many reach the guest whole, one more stops the firmware. */
static void test_cmdline_at_limit(void **state)
{
	struct vm_config cfg = { 0 };
	const char *got;
	size_t n;

	(void)state;
	snprintf(append, sizeof(append), "console=ttyS0 panic=-1 hotcpu.pad=");
	n = strlen(append);
	memset(append + n, 'x', 2047 - n);
	append[2047] = '\0';
	cfg.append = append;
	boot("hostile-cmdline-2047", &cfg);
	got = guest_line("GUEST-CMDLINE-LEN ", "$(wc -c </proc/cmdline)");
	/* /proc/cmdline ends in a newline. */
	assert_string_equal(got, "2048");
	assert_clean();
	hp_shutdown(&h);

	memset(&cfg, 0, sizeof(cfg));
	append[2047] = 'x';
	append[2048] = '\0';
	cfg.append = append;
	expect_halt("hostile-cmdline-2048", &cfg,
		    "linux: command line is 2048 bytes, the kernel takes 2047");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
		T(test_mem_128m),
		T(test_mem_5g),
		T(test_topology_2x2x2_fill),
		T(test_maxcpus_255),
		T(test_legacy_cpu_hotplug_machine),
		T(test_initrd_above_addr_max),
		T(test_cmdline_at_limit),
	};

	/* HOTCPU_TEST=test_mem_5g runs one test (a glob). */
	if (getenv("HOTCPU_TEST"))
		cmocka_set_test_filter(getenv("HOTCPU_TEST"));
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("hostile", tests, NULL, NULL);
}
