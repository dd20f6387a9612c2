/* SMM-protected CPU hotplug with real Linux under QEMU (TCG): APs back in
 * wait-for-SIPI after the boot relocation, hot-add, hot-remove, re-add,
 * back-to-back adds, long add/remove loops, what the OS can see of SMRAM,
 * junk from the OS, and SMI negotiation both ways. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hp.h"

#define OP_MS 30000

/* The test's VM; the teardown stops it even after a failed assertion,
 * and fails the test on a guest warning (vm_stop()). */
static struct hp h;
static char append[256];

static int teardown(void **state)
{
	(void)state;
	hp_shutdown(&h);
	return vm_take_warnings() ? -1 : 0;
}

/* lpj from the host clock, so a new CPU is not calibrated (1-4 s each
 * under TCG); Debian's kernel runs at HZ=250. */
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

static void boot_append(const char *name, const char *machine,
			const char *smp, const char *app)
{
	struct vm_config cfg = { 0 };

	cfg.machine = machine;
	cfg.smp = smp;
	cfg.append = app;
	if (hp_boot(&h, name, &cfg)) {
		print_message("# boot failed; logs in %s\n", h.vm.dir);
		fail();
	}
}

static void boot(const char *name, const char *machine, const char *smp)
{
	boot_append(name, machine, smp, guest_append());
}

/* 1 vCPU of 4, with /dev/mem open to the guest's userspace:
 * iomem=relaxed lifts Linux's own /dev/mem policy. */
static void boot_devmem(const char *name)
{
	char app[320];

	snprintf(app, sizeof(app), "%s iomem=relaxed", guest_append());
	boot_append(name, NULL, "1,maxcpus=4", app);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void assert_firmware_clean(void)
{
	static const char *const bad[] = { "PANIC", "refused", "missed",
					   "not relocated", "did not" };
	const char *log = vm_debugcon(&h.vm);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (strstr(log, bad[i]))
			print_message("# \"%s\" in debugcon:\n%s", bad[i], log);
		assert_null(strstr(log, bad[i]));
	}
}

/* device_add, _OST success from the guest, the CPU online in it. */
static void plug_ok(const char *id, const char *online)
{
	int r = hp_plug(&h, id);

	if (r)
		print_message("# device_add %s: %s\n", id, h.error);
	assert_int_equal(r, 0);
	assert_int_equal(hp_wait_ost(&h, id, 1, OP_MS), 0);
	r = hp_wait_online(&h, online, OP_MS);
	if (r)
		print_message("# %s not online as [%s]; logs in %s\n", id,
			      online, h.vm.dir);
	assert_int_equal(r, 0);
}

/* device_del, DEVICE_DELETED, the CPU gone from the guest. */
static void unplug_ok(const char *id, const char *online)
{
	int r = hp_unplug(&h, id);

	if (r)
		print_message("# device_del %s: %s\n", id, h.error);
	assert_int_equal(r, 0);
	r = hp_wait_deleted(&h, id, OP_MS);
	if (r)
		print_message("# no DEVICE_DELETED for %s; logs in %s\n", id,
			      h.vm.dir);
	assert_int_equal(r, 0);
	assert_int_equal(hp_wait_online(&h, online, OP_MS), 0);
}

/* maxcpus=8 although four slots are used: QEMU 10.0's multi-threaded TCG
 * allows only maxcpus - 1 hot-adds per VM, and this test makes five. */
static void test_add3_remove2_readd2(void **state)
{
	const char *log;

	(void)state;
	boot("smm-add-remove", NULL, "1,maxcpus=8");
	assert_non_null(strstr(vm_debugcon(&h.vm), "smm: CPU hotplug on: "
						   "features 0x7 (with unplug)"));
	plug_ok("cpu1", "0 1");
	plug_ok("cpu2", "0 1 2");
	plug_ok("cpu3", "0 1 2 3");
	assert_int_equal(hp_present(&h), 4);
	unplug_ok("cpu2", "0 1 3");
	unplug_ok("cpu3", "0 1");
	assert_int_equal(hp_present(&h), 2);
	/* The freed slots take new CPUs with the same APIC IDs. */
	plug_ok("cpu2b", "0 1 2");
	plug_ok("cpu3b", "0 1 2 3");
	assert_int_equal(hp_present(&h), 4);

	log = vm_debugcon(&h.vm);
	assert_int_equal(count(log, "] smm: hot-add CPU "), 5);
	/* The boot CPU's and each new CPU's, once admitted. */
	assert_int_equal(count(log, " relocated to SMBASE "), 1 + 5);
	assert_int_equal(count(log, "] smm: hot-remove CPU "), 2);
	assert_non_null(strstr(log, "smm: hot-remove CPU 2 (APIC ID 2) ejected"));
	assert_non_null(strstr(log, "smm: hot-remove CPU 3 (APIC ID 3) ejected"));
	assert_firmware_clean();
}

/* Two device_adds, the second before the guest handled the first: the
 * guest may see both in one SMI or two, and both CPUs relocate through
 * the one default save state, one at a time. */
static void test_two_adds_back_to_back(void **state)
{
	int r;

	(void)state;
	boot("smm-two-adds", NULL, "1,maxcpus=4");
	assert_int_equal(hp_plug(&h, "cpuA"), 0);
	r = hp_plug(&h, "cpuB");
	if (r)
		print_message("# device_add cpuB: %s\n", h.error);
	assert_int_equal(r, 0);
	assert_int_equal(hp_wait_ost(&h, "cpuA", 1, OP_MS), 0);
	assert_int_equal(hp_wait_ost(&h, "cpuB", 1, OP_MS), 0);
	assert_int_equal(hp_wait_online(&h, "0 1 2", OP_MS), 0);
	assert_int_equal(count(vm_debugcon(&h.vm), "] smm: hot-add CPU "), 2);
	assert_int_equal(count(vm_debugcon(&h.vm), " relocated to SMBASE "),
			 1 + 2);
	assert_firmware_clean();
}

/* HOTCPU_HOTPLUG_CYCLES add/remove cycles (100 by default; make soak
 * runs 1000), in VMs of at most 125: each hot-add uses up one of QEMU
 * TCG's maxcpus - 1 vCPU contexts for the VM's life. */
static void test_add_remove_cycles(void **state)
{
	const char *env = getenv("HOTCPU_HOTPLUG_CYCLES");
	int cycles = env ? atoi(env) : 100, done = 0, vm = 0;
	char id[32], name[64];

	(void)state;
	while (done < cycles) {
		int n = cycles - done > 125 ? 125 : cycles - done;

		snprintf(name, sizeof(name), "smm-cycles-%d", vm++);
		boot(name, NULL, "1,maxcpus=128");
		for (int i = 0; i < n; i++, done++) {
			snprintf(id, sizeof(id), "c%d", done);
			plug_ok(id, "0 1");
			unplug_ok(id, "0");
		}
		assert_int_equal(count(vm_debugcon(&h.vm),
				       "] smm: hot-add CPU "), n);
		assert_int_equal(count(vm_debugcon(&h.vm),
				       " relocated to SMBASE "), 1 + n);
		assert_int_equal(count(vm_debugcon(&h.vm),
				       "] smm: hot-remove CPU "), n);
		assert_firmware_clean();
		hp_shutdown(&h);
	}
	print_message("# %d add/remove cycles in %d VMs, 0 failures\n", done,
		      vm);
}

/* Counts the distinct byte values of guest-physical memory as the CPU
 * sees it (guest/physmem.c maps /dev/mem); 1 means it shows nothing.
 * Returns -1 if the guest kernel refused the mapping. */
static int phys_distinct(unsigned long addr, unsigned long len, int *first)
{
	char cmd[128], marker[64], line[128];
	int distinct;

	snprintf(cmd, sizeof(cmd), "physmem count 0x%lx 0x%lx", addr, len);
	snprintf(marker, sizeof(marker), "\nPHYSMEM 0x%lx ", addr);
	vm_send(&h.vm, cmd);
	vm_send(&h.vm, "\n");
	if (vm_wait_line(&h.vm, marker, line, sizeof(line), OP_MS))
		return -1;
	if (sscanf(line, "distinct=%d first=%x", &distinct, first) != 2)
		return -1;
	return distinct;
}

static void phys_fill(unsigned long addr, unsigned long len)
{
	char cmd[128], marker[64];

	snprintf(cmd, sizeof(cmd), "physmem fill 0x%lx 0x%lx 99", addr, len);
	snprintf(marker, sizeof(marker), "\nPHYSMEM-FILL 0x%lx done", addr);
	assert_int_equal(hp_guest(&h, cmd, marker, OP_MS), 0);
}

static void assert_blank(unsigned long addr, unsigned long len)
{
	int first = -1, n = phys_distinct(addr, len, &first);

	if (n != 1 || first != 0xff)
		print_message("# 0x%lx+0x%lx: %d distinct bytes, first 0x%x\n",
			      addr, len, n, first);
	assert_int_equal(n, 1);
	assert_int_equal(first, 0xff);
}

/* The OS sees no SMRAM content, in TSEG or at the default SMBASE, and
 * writing there changes nothing SMM uses: hot-add and hot-remove still
 * work afterwards. iomem=relaxed lifts Linux's own /dev/mem policy, so
 * what is checked is what the chipset lets a non-SMM CPU see. */
static void test_devmem_sees_no_smram(void **state)
{
	unsigned long tseg, mib;
	const char *p;
	int first;

	(void)state;
	boot_devmem("smm-devmem");
	p = strstr(vm_debugcon(&h.vm), "TSEG 0x");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "TSEG 0x%lx (%lu MiB)", &tseg, &mib), 2);

	/* The control: the F segment shows the RSDP. */
	assert_true(phys_distinct(0xe0000, 4096, &first) > 1);
	assert_blank(tseg, mib << 20);
	assert_blank(0x30000, 0x20000);

	phys_fill(tseg, mib << 20);
	phys_fill(0x30000, 0x20000);
	assert_blank(tseg, mib << 20);
	assert_blank(0x30000, 0x20000);
	plug_ok("cpu1", "0 1");
	unplug_ok("cpu1", "0");
	assert_firmware_clean();
}

/* Junk from the OS to the APM port (each write an SMI) and to the CPU
 * hotplug registers neither hangs nor crashes guest or firmware. Junk may
 * include 3 (ACPI disable): the guest re-enables ACPI, its own business,
 * before the hot-add that shows everything still works. */
static void test_junk_from_the_os(void **state)
{
	(void)state;
	boot("smm-junk", NULL, "1,maxcpus=4");
	assert_int_equal(hp_guest(&h, "ioport junk 0xb2 1 300 7",
				  "\nIOPORT-JUNK 0xb2 300 done", 120000), 0);
	assert_int_equal(hp_guest(&h, "ioport junk 0xcd8 12 3000 8",
				  "\nIOPORT-JUNK 0xcd8 3000 done", 120000), 0);
	assert_int_equal(hp_guest(&h, "ioport w 0xb2 2; echo ALIVE-$((6*7))",
				  "\nALIVE-42", OP_MS), 0);
	assert_true(vm_running(&h.vm));
	plug_ok("cpu1", "0 1");
	unplug_ok("cpu1", "0");
	assert_null(strstr(vm_debugcon(&h.vm), "PANIC"));
	/* 300 APM writes: one SMI session each, minus ACPI enable/disable
	 * values, which QEMU handles without an SMI. */
	assert_true(vm_running(&h.vm));
}

/* The AML's 4 on APM_CNT overwritten before the monarch reads it, the
 * guest's userspace writing 0x55 there in a tight loop on CPU 2. First
 * CPU 1 writes 4 300 times the way the AML's upcall does ("out %al,
 * (%dx)"): the firmware finds AL = 4 and DX = 0xb2 in its save state and
 * scans for it (docs/smm-cpu-hotplug.md, "Sessions"); this part breaks
 * if the save-state offsets are wrong. Then CPUs are plugged and
 * unplugged under the same storm: the AML's own 4s meet the junk, and
 * every _EJ0 must still find its CPU gone. */
static void test_overwritten_command_is_asked(void **state)
{
	char id[16];
	int n;

	(void)state;
	boot("smm-ask", NULL, "3,maxcpus=8");
	/* 10 s of junk: the 300 writes and the plugs take 2-4 s. */
	assert_int_equal(hp_guest(&h, "taskset -c 2 ioport rep 0xb2 0x55 0 10 "
				  "& taskset -c 1 ioport rep 0xb2 4 300; "
				  "echo W4-DONE", "\nW4-DONE", 300000), 0);
	n = count(vm_debugcon(&h.vm), "CPUs that wrote 4 to APM_CNT (it ");
	print_message("# 300 writes of 4 under junk: %d sessions scanned for "
		      "an overwritten 4\n", n);
	assert_true(n >= 1);
	for (int i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "cpu3-%d", i);
		plug_ok(id, "0 1 2 3");
		unplug_ok(id, "0 1 2");
	}
	print_message("# 4 plugs and unplugs under junk: %d more\n",
		      count(vm_debugcon(&h.vm),
			    "CPUs that wrote 4 to APM_CNT (it ") - n);
	assert_int_equal(hp_guest(&h, "wait; echo ASK-DONE", "\nASK-DONE",
				  60000), 0);
	assert_firmware_clean();
	/* The guest's warnings: the teardown. */
}

/* A relocated CPU that INIT put back in wait-for-SIPI saves the reset
 * state at its next SMI (TCG takes SMIs there). With the MP wakeup
 * mailbox it must then resume in the park loop, where the OS's next
 * WAKEUP finds it: the ROM's hlt loop answers only a SIPI, which such
 * an OS never sends, and Linux waits for the mailbox forever (the chaos
 * soak's lost CPU, a hot-added CPU found there after its relocation).
 * The INIT comes from the guest's userspace through the local APIC at
 * its architectural address (/dev/mem), to CPU 1 while it is offline
 * and parked; the SMI is a junk write to APM_CNT. */
static void test_init_then_smi_parks(void **state)
{
	int n;

	(void)state;
	boot_devmem("smm-init");
	assert_non_null(strstr(vm_debugcon(&h.vm), "hot-added CPUs park"));
	plug_ok("cpu1", "0 1");
	for (int round = 0; round < 3; round++) {
		assert_int_equal(hp_guest(&h, "echo 0 > /sys/devices/system/"
					  "cpu/cpu1/online; echo OFF-DONE",
					  "\nOFF-DONE", OP_MS), 0);
		/* ICR high: destination APIC ID 1; ICR low: INIT, level
		 * assert. Then an SMI on every CPU. */
		assert_int_equal(hp_guest(&h, "taskset -c 0 physmem write "
					  "0xfee00310 0x01000000 4 && "
					  "taskset -c 0 physmem write 0xfee00300 "
					  "0x4500 4 && sleep 0.2 && "
					  "ioport w 0xb2 0x55 && sleep 0.2 && "
					  "echo INIT-DONE", "\nINIT-DONE",
					  OP_MS), 0);
		/* Linux waits for the mailbox without a timeout: a CPU
		 * not in the park loop hangs this write. */
		assert_int_equal(hp_guest(&h, "echo 1 > /sys/devices/system/"
					  "cpu/cpu1/online && echo ON-OK",
					  "\nON-OK", 60000), 0);
	}
	n = count(vm_debugcon(&h.vm), "in the reset state");
	print_message("# 3 INITs to parked CPU 1, each then an SMI: %d "
		      "resumes from the reset state\n", n);
	assert_int_equal(n, 3);
	assert_firmware_clean();
	/* Beyond the warnings the teardown fails on: */
	assert_null(strstr(h.vm.serial, "Call Trace"));
	unplug_ok("cpu1", "0");
}

/* pc-q35-5.2 offers CPU hotplug with SMI but not hot-unplug: the
 * firmware negotiates hot-add only, and QEMU refuses device_del. */
static void test_machine_without_unplug(void **state)
{
	(void)state;
	boot("smm-q35-5.2", "pc-q35-5.2", "1,maxcpus=4");
	assert_non_null(strstr(vm_debugcon(&h.vm), "smm: CPU hotplug on: "
						   "features 0x3 (hot-add only)"));
	plug_ok("cpu1", "0 1");
	assert_int_equal(hp_unplug(&h, "cpu1"), -1);
	print_message("# device_del refused: %s\n", h.error);
	assert_non_null(strstr(h.error, "wasn't enabled by firmware"));
	assert_int_equal(hp_present(&h), 2);
	assert_int_equal(hp_guest(&h, "cat /sys/devices/system/cpu/online",
				  "\n0-1", OP_MS), 0);
}

/* pc-q35-5.1 has no CPU hotplug with SMI: the firmware negotiates
 * broadcast only, so QEMU refuses device_add instead of letting a CPU in
 * that SMM never saw. */
static void test_machine_without_hotplug(void **state)
{
	(void)state;
	boot("smm-q35-5.1", "pc-q35-5.1", "1,maxcpus=4");
	assert_non_null(strstr(vm_debugcon(&h.vm), "smm: CPU hotplug off: "));
	assert_int_equal(hp_plug(&h, "cpu1"), -1);
	print_message("# device_add refused: %s\n", h.error);
	assert_non_null(strstr(h.error, "wasn't enabled by firmware"));
	assert_int_equal(hp_present(&h), 1);
}

/* After the boot-time SMBASE relocation every AP is back where the OS
 * expects it: in wait-for-SIPI (QEMU shows the reset state, CS f000,
 * EIP fff0, halted), not in the trampoline or the ROM. The mailbox is off
 * so that nothing else moves the APs, and there is no kernel, so the
 * firmware halts right after. */
static void test_boot_aps_wait_for_sipi(void **state)
{
	struct vm_config cfg = { 0 };
	json_t *args, *ret = NULL;
	const char *regs, *p;
	int aps = 0;

	(void)state;
	memset(&h, 0, sizeof(h));
	qmp__init(&h.q);
	cfg.smp = "4";
	cfg.kernel = "";
	cfg.qmp = 1;
	cfg.extra[0] = "-fw_cfg";
	cfg.extra[1] = "name=opt/hotcpu/mp-wakeup,string=off";
	assert_int_equal(vm_start(&h.vm, "smm-boot-aps", &cfg), 0);
	assert_int_equal(vm_wait_debugcon(&h.vm, "hotcpu: halted", OP_MS), 0);
	assert_non_null(strstr(vm_debugcon(&h.vm),
			       "4 relocated, SMI in wait-for-SIPI taken"));
	assert_null(strstr(vm_debugcon(&h.vm), "did not leave SMM"));
	assert_int_equal(qmp__connect(&h.q, h.vm.qmp_path, 10000), 0);
	args = json_pack("{s:s}", "command-line", "info registers -a");
	assert_int_equal(qmp__execute(&h.q, "human-monitor-command", args,
				      &ret, 10000), 0);
	regs = json_string_value(ret);
	assert_non_null(regs);
	/* One block per CPU, "CPU#n" first; the BSP is CPU#0. */
	for (p = strstr(regs, "CPU#1"); p; p = strstr(p + 1, "CPU#")) {
		const char *end = strstr(p + 1, "CPU#");
		char block[4096];
		size_t n = end ? (size_t)(end - p) : strlen(p);

		snprintf(block, sizeof(block), "%.*s", (int)n, p);
		if (!strstr(block, "EIP=0000fff0") ||
		    !strstr(block, "HLT=1") || !strstr(block, "CS =f000"))
			print_message("# not in wait-for-SIPI:\n%.300s\n",
				      block);
		assert_non_null(strstr(block, "EIP=0000fff0"));
		assert_non_null(strstr(block, "HLT=1"));
		assert_non_null(strstr(block, "CS =f000"));
		aps++;
	}
	json_decref(ret);
	assert_int_equal(aps, 3);
}

/* A debug port that does not read back 0xe9 is not QEMU's debugcon:
 * the firmware writes not one byte to it, at boot or in SMM, and hot-add
 * and hot-remove work as with it. */
static void test_quiet_without_debugcon(void **state)
{
	struct vm_config cfg = { 0 };

	(void)state;
	cfg.smp = "1,maxcpus=4";
	cfg.append = guest_append();
	cfg.extra[0] = "-global";
	cfg.extra[1] = "isa-debugcon.readback=0";
	if (hp_boot(&h, "smm-quiet", &cfg)) {
		print_message("# boot failed; logs in %s\n", h.vm.dir);
		fail();
	}
	plug_ok("cpu1", "0 1");
	plug_ok("cpu2", "0 1 2");
	unplug_ok("cpu1", "0 2");
	if (*vm_debugcon(&h.vm))
		print_message("# debugcon: %.200s\n", vm_debugcon(&h.vm));
	assert_string_equal(vm_debugcon(&h.vm), "");
}

/* Without SMM there is nothing to negotiate: QEMU plugs CPUs, the ACPI
 * tables the firmware installed let the guest take them. */
static void test_without_smm(void **state)
{
	(void)state;
	boot("smm-off", "q35,smm=off", "1,maxcpus=4");
	assert_non_null(strstr(vm_debugcon(&h.vm), "] smm: none"));
	plug_ok("cpu1", "0 1");
	unplug_ok("cpu1", "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
		T(test_boot_aps_wait_for_sipi),
		T(test_add3_remove2_readd2),
		T(test_two_adds_back_to_back),
		T(test_add_remove_cycles),
		T(test_devmem_sees_no_smram),
		T(test_junk_from_the_os),
		T(test_overwritten_command_is_asked),
		T(test_init_then_smi_parks),
		T(test_machine_without_unplug),
		T(test_machine_without_hotplug),
		T(test_without_smm),
		T(test_quiet_without_debugcon),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	/* HOTCPU_TEST=PATTERN runs only the tests it matches. */
	if (getenv("HOTCPU_TEST"))
		cmocka_set_test_filter(getenv("HOTCPU_TEST"));
	return cmocka_run_group_tests_name("smm-hotplug", tests, NULL, NULL);
}
