/* Boot tests: the firmware boots the bundled Linux guest under QEMU (TCG)
 * and refuses bad fw_cfg contents with a message and a halt. */
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vm.h"

#define BOOT_TIMEOUT_MS	90000
#define HALT_TIMEOUT_MS	30000

/* The VM of the running test; the teardown stops it even when an
 * assertion jumped out of the test, and fails the test on a guest
 * warning (vm_stop()). */
static struct vm vm;

static int teardown(void **state)
{
	(void)state;
	vm_stop(&vm);
	return vm_take_warnings() ? -1 : 0;
}

/* Boot phases in the order firmware/boot/main.c runs them. */
static const char *const phases[] = {
	"] hotcpu firmware\n", "] q35: ",     "] fw_cfg: ",
	"] e820: ",	       "] mtrr: ",    "] pci: ",
	"] smm: CPU hotplug on: features 0x7", "] table-loader: ",    "] acpi: ",    "] linux: 6.12",
	"] linux: entering the 64-bit entry point",
};

static void assert_phases(struct vm *vm)
{
	const char *log = vm_debugcon(vm), *at = log;
	regex_t re;

	for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		const char *hit = strstr(at, phases[i]);

		if (!hit)
			print_message("# phase \"%s\" missing or out of order "
				      "in:\n%s", phases[i], log);
		assert_non_null(hit);
		at = hit;
	}
	assert_null(strstr(log, "PANIC"));
	/* Every line carries a timestamp in milliseconds. */
	assert_int_equal(regcomp(&re, "^\\[ *[0-9]+\\.[0-9]{3} ms\\] ",
				 REG_EXTENDED | REG_NOSUB | REG_NEWLINE), 0);
	for (const char *line = log; *line;) {
		const char *nl = strchr(line, '\n');
		char buf[512];
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		snprintf(buf, sizeof(buf), "%.*s", (int)n, line);
		if (regexec(&re, buf, 0, NULL, 0))
			print_message("# line without timestamp: %s\n", buf);
		assert_int_equal(regexec(&re, buf, 0, NULL, 0), 0);
		line += n + (nl ? 1 : 0);
	}
	regfree(&re);
}

/* Boots with cpus boot CPUs out of 4 and checks what the guest saw. */
static void boot_and_check(const char *name, const char *smp,
			   const char *online, const char *present)
{
	char append[256], buf[512], token[32];
	struct vm_config cfg = { 0 };

	snprintf(token, sizeof(token), "%d-%ld", getpid(), random() % 100000);
	snprintf(append, sizeof(append),
		 "console=ttyS0 panic=-1 hotcpu.test=%s", token);
	cfg.smp = smp;
	cfg.append = append;
	assert_int_equal(vm_start(&vm, name, &cfg), 0);
	if (vm_wait(&vm, "GUEST-INIT-UP", BOOT_TIMEOUT_MS))
		print_message("# no init; logs in %s\n", vm.dir);
	assert_true(vm_running(&vm));
	assert_non_null(vm.serial);
	assert_non_null(strstr(vm.serial, present));
	/* The guest saw exactly our command line and the boot CPUs. */
	assert_int_equal(vm_wait_line(&vm, "GUEST-CMDLINE ", buf, sizeof(buf),
				      5000), 0);
	assert_string_equal(buf, append);
	assert_int_equal(vm_wait_line(&vm, "GUEST-CPUS-POSSIBLE ", buf,
				      sizeof(buf), 5000), 0);
	assert_string_equal(buf, "0-3");
	assert_int_equal(vm_wait_line(&vm, "GUEST-CPUS-ONLINE ", buf,
				      sizeof(buf), 20000), 0);
	if (strncmp(buf, online, strlen(online)))
		print_message("# online: %s, expected %s\n", buf, online);
	assert_int_equal(strncmp(buf, online, strlen(online)), 0);
	assert_phases(&vm);
	vm_stop(&vm);
}

static void test_boot_smp1(void **state)
{
	(void)state;
	boot_and_check("boot-smp1", "1,maxcpus=4", "[0] ",
		       "Allowing 1 present CPUs plus 3 hotplug CPUs");
}

static void test_boot_smp2(void **state)
{
	(void)state;
	boot_and_check("boot-smp2", "2,maxcpus=4", "[0 1] ",
		       "Allowing 2 present CPUs plus 2 hotplug CPUs");
}

static void test_boot_smp4(void **state)
{
	(void)state;
	boot_and_check("boot-smp4", "4,maxcpus=4", "[0 1 2 3] ",
		       "Allowing 4 present CPUs plus 0 hotplug CPUs");
}

/* The firmware must stop with a message and halt: no reset (QEMU runs
 * with -no-reboot, so a triple fault would end it), no guest output. */
static void expect_halt(const char *name, struct vm_config *cfg,
			const char *message)
{
	assert_int_equal(vm_start(&vm, name, cfg), 0);
	if (vm_wait_debugcon(&vm, "hotcpu: halted", HALT_TIMEOUT_MS))
		print_message("# debugcon:\n%s", vm_debugcon(&vm));
	assert_non_null(strstr(vm_debugcon(&vm), "hotcpu: halted"));
	if (!strstr(vm_debugcon(&vm), message))
		print_message("# debugcon:\n%s", vm_debugcon(&vm));
	assert_non_null(strstr(vm_debugcon(&vm), message));
	assert_non_null(strstr(vm_debugcon(&vm), "PANIC "));
	usleep(300 * 1000);
	assert_true(vm_running(&vm));
	vm_wait(&vm, "Linux", 100);
	assert_int_equal(vm.len, 0);
	vm_stop(&vm);
}

static char *write_file(const char *name, const void *data, size_t len)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "build/test-runs/%s", name);
	system("mkdir -p build/test-runs");
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static void test_kernel_not_bzimage(void **state)
{
	static char junk[64 * 1024];
	struct vm_config cfg = { 0 };

	(void)state;
	/* Setup sectors QEMU accepts, without the HdrS signature. */
	memset(junk, 0x90, sizeof(junk));
	junk[0x1f1] = 4;
	cfg.kernel = write_file("junk-kernel", junk, sizeof(junk));
	cfg.initrd = "";	/* QEMU refuses an initrd for such a kernel */
	expect_halt("bad-kernel-junk", &cfg,
		    "linux: not a bzImage: no \"HdrS\"");
}

static void test_kernel_truncated(void **state)
{
	struct vm_config cfg = { 0 };
	FILE *f = fopen("build/guest/vmlinuz", "rb");
	char *buf = malloc(4 << 20);
	size_t n;

	(void)state;
	assert_non_null(f);
	n = fread(buf, 1, 4 << 20, f);
	fclose(f);
	assert_int_equal(n, 4 << 20);
	cfg.kernel = write_file("truncated-kernel", buf, n);
	free(buf);
	expect_halt("bad-kernel-truncated", &cfg, "linux: truncated kernel");
}

static void test_no_kernel(void **state)
{
	struct vm_config cfg = { 0 };

	(void)state;
	cfg.kernel = "";
	expect_halt("bad-no-kernel", &cfg,
		    "no kernel in fw_cfg; start QEMU with -kernel");
}

static void test_not_q35(void **state)
{
	struct vm_config cfg = { 0 };

	(void)state;
	cfg.machine = "pc";
	expect_halt("bad-machine-pc", &cfg, "not the q35 MCH");
}

static void test_cmdline_too_long(void **state)
{
	static char append[3000];
	struct vm_config cfg = { 0 };

	(void)state;
	memset(append, 'x', sizeof(append) - 1);
	memcpy(append, "console=ttyS0 ", 14);
	cfg.append = append;
	expect_halt("bad-cmdline", &cfg,
		    "linux: command line is 2999 bytes, the kernel takes 2047");
}

/* Debian's QEMU 7.2, unpacked beside the system QEMU by
 * scripts/qemu-7.2.sh, must take the same image. */
static void test_boot_on_qemu_7_2(void **state)
{
	const char *qemu = "build/qemu-7.2/usr/bin/qemu-system-x86_64";
	struct vm_config cfg = { 0 };
	char buf[256];

	(void)state;
	if (access(qemu, X_OK)) {
		print_message("# SKIP QEMU 7.2 is not unpacked in "
			      "build/qemu-7.2 (scripts/qemu-7.2.sh could not "
			      "download it)\n");
		skip();
	}
	cfg.qemu = qemu;
	cfg.module_dir = "build/qemu-7.2/usr/lib/x86_64-linux-gnu/qemu";
	cfg.cpu = "qemu64,-cx16";	/* 6.12 panics on 7.2's cmpxchg16b */
	/* One thread for both vCPUs: 7.2's multi-threaded TCG can run a
	 * stale translation of code that Linux is patching on another CPU,
	 * and the guest then dies on an int3 its text_poke_bp() already
	 * took back ("Oops: int3" in enqueue_timer, one clean-clone CI run
	 * in three on this host). Not the firmware's to test here. */
	cfg.accel = "tcg,thread=single";
	cfg.smp = "2,maxcpus=4";
	assert_int_equal(vm_start(&vm, "boot-qemu72", &cfg), 0);
	assert_int_equal(vm_wait_line(&vm, "GUEST-CPUS-ONLINE ", buf, sizeof(buf),
				      BOOT_TIMEOUT_MS), 0);
	assert_int_equal(strncmp(buf, "[0 1] ", 6), 0);
	assert_non_null(strstr(vm.serial,
			       "Allowing 2 present CPUs plus 2 hotplug CPUs"));
	assert_non_null(vm_line_after(&vm, "GUEST-CMDLINE ", buf, sizeof(buf)));
	assert_string_equal(buf, "console=ttyS0 panic=-1");
	assert_non_null(strstr(vm_debugcon(&vm), "MADT rev 1 -> 5"));
	assert_phases(&vm);
	vm_stop(&vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_boot_smp1, teardown),
		cmocka_unit_test_teardown(test_boot_smp2, teardown),
		cmocka_unit_test_teardown(test_boot_smp4, teardown),
		cmocka_unit_test_teardown(test_kernel_not_bzimage, teardown),
		cmocka_unit_test_teardown(test_kernel_truncated, teardown),
		cmocka_unit_test_teardown(test_no_kernel, teardown),
		cmocka_unit_test_teardown(test_not_q35, teardown),
		cmocka_unit_test_teardown(test_cmdline_too_long, teardown),
		cmocka_unit_test_teardown(test_boot_on_qemu_7_2, teardown),
	};

	srandom(getpid());
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
