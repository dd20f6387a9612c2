/* Unit tests: the AML methods make exactly QEMU's AML accesses, in
 * order, against the model's register block. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "aml.h"
#include "cpuhp_dev.h"
#include "hw/cpuhp.h"
#include "hw/q35.h"

#define NR 4
#define MAX_LOG 4096

/* One entry per access or callback: 'r'/'w' port accesses, 'n'
 * notify, 'a'/'l' acquire/release, 'e' eject. */
struct ev {
	char kind;
	uint16_t port;
	unsigned size;
	uint32_t val;
};

static struct cpuhp_dev d;
static struct platform p;
static struct aml_cpus a;
static struct ev log_[MAX_LOG];
static unsigned nlog;
static int locked;

static void add(char kind, uint16_t port, unsigned size, uint32_t val)
{
	assert_true(nlog < MAX_LOG);
	log_[nlog++] = (struct ev){ kind, port, size, val };
}

static uint32_t io_read(void *ctx, uint16_t port, unsigned size)
{
	uint32_t v = 0;

	(void)ctx;
	/* Every access is under CPLK, except _INI's. */
	if (port >= CPUHP_BASE_Q35 && port < CPUHP_BASE_Q35 + CPUHP_DEV_SPAN)
		v = cpuhp_dev_read(&d, port - CPUHP_BASE_Q35, size);
	add('r', port, size, v);
	return v;
}

static void io_write(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	(void)ctx;
	add('w', port, size, v);
	if (port >= CPUHP_BASE_Q35 && port < CPUHP_BASE_Q35 + CPUHP_DEV_SPAN)
		cpuhp_dev_write(&d, port - CPUHP_BASE_Q35, size, v);
}

static void notify(void *ctx, uint32_t idx, uint32_t event)
{
	(void)ctx;
	assert_true(locked);
	add('n', 0, 0, idx << 8 | event);
}

static void acquire(void *ctx)
{
	(void)ctx;
	assert_false(locked);
	locked = 1;
	add('a', 0, 0, 0);
}

static void release(void *ctx)
{
	(void)ctx;
	assert_true(locked);
	locked = 0;
	add('l', 0, 0, 0);
}

static void on_eject(void *ctx, uint32_t idx)
{
	(void)ctx;
	add('e', 0, 0, idx);
}

/* 4 possible CPUs, 0 and 1 present, modern block, unplug negotiated. */
static int setup(void **state)
{
	static const struct cpuhp_dev_host host = { .eject = on_eject };

	(void)state;
	cpuhp_dev_init(&d, NR, NULL, 2, &host);
	p = (struct platform){ .io_read = io_read, .io_write = io_write };
	a = (struct aml_cpus){
		.p = &p, .base = CPUHP_BASE_Q35, .smi_port = APM_CNT_PORT,
		.nr = NR, .bsp = 0, .smi_on_cpuhp = true,
		.fw_unplugs_cpu = true, .notify = notify,
		.acquire = acquire, .release = release,
	};
	aml_ini(&a);
	assert_false(d.legacy);
	nlog = 0;
	locked = 0;
	return 0;
}

#define SEL 0x0cd8
#define STS 0x0cdc
#define CMD 0x0cdd
#define DAT 0x0ce0
#define R(port, size, v) { 'r', port, size, v }
#define W(port, size, v) { 'w', port, size, v }
#define N(idx, ev) { 'n', 0, 0, (idx) << 8 | (ev) }
#define A { 'a', 0, 0, 0 }
#define L { 'l', 0, 0, 0 }
#define E(idx) { 'e', 0, 0, idx }

static void dump(void)
{
	for (unsigned i = 0; i < nlog; i++)
		print_message("  %3u %c 0x%04x/%u 0x%x\n", i, log_[i].kind,
			      log_[i].port, log_[i].size, log_[i].val);
}

static int same(const struct ev *x, const struct ev *y)
{
	return x->kind == y->kind && x->port == y->port &&
	       x->size == y->size && x->val == y->val;
}

static void expect(const struct ev *want, unsigned n)
{
	if (nlog != n)
		dump();
	assert_int_equal(nlog, n);
	for (unsigned i = 0; i < n; i++) {
		if (!same(&log_[i], &want[i])) {
			print_message("access %u differs\n", i);
			dump();
		}
		assert_true(same(&log_[i], &want[i]));
	}
}
#define EXPECT(...)                                                          \
	do {                                                                 \
		static const struct ev w_[] = { __VA_ARGS__ };               \
		expect(w_, sizeof(w_) / sizeof(w_[0]));                      \
	} while (0)

static void test_ini_leaves_legacy(void **state)
{
	(void)state;
	cpuhp_dev_init(&d, NR, NULL, 2, NULL);
	aml_ini(&a);
	EXPECT(W(SEL, 4, 0));
	assert_false(d.legacy);
}

static void test_scan_one_insert_with_smi(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	aml_cscn(&a);
	EXPECT(A,
	       /* uid 0: GET_NEXT selects 2; CDAT twice; CINS, CRMV. */
	       W(SEL, 4, 0), W(CMD, 1, 0), R(DAT, 4, 2), R(DAT, 4, 2),
	       R(STS, 1, 3), R(STS, 1, 3),
	       /* uid 3: GET_NEXT wraps to 2 < 3: done. */
	       W(SEL, 4, 3), W(CMD, 1, 0), R(DAT, 4, 2),
	       /* SMI before the OS hears of the CPU. */
	       W(APM_CNT_PORT, 1, APM_CNT_CPU_HOTPLUG),
	       N(2, AML_NOTIFY_DEVICE_CHECK), W(SEL, 4, 2),
	       W(STS, 1, CPUHP_CTL_CLEAR_INSERT),
	       L);
	assert_false(d.cpu[2].is_inserting);
}

static void test_scan_one_insert_without_smi(void **state)
{
	(void)state;
	a.smi_on_cpuhp = false;
	assert_int_equal(cpuhp_dev_plug(&d, 3), 0);
	aml_cscn(&a);
	EXPECT(A,
	       W(SEL, 4, 0), W(CMD, 1, 0), R(DAT, 4, 3), R(DAT, 4, 3),
	       R(STS, 1, 3), R(STS, 1, 3),
	       /* uid 4 == nr: the loop ends without another GET_NEXT. */
	       N(3, AML_NOTIFY_DEVICE_CHECK), W(SEL, 4, 3),
	       W(STS, 1, CPUHP_CTL_CLEAR_INSERT),
	       L);
}

static void test_scan_one_remove(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_dev_unplug_request(&d, 1), 0);
	aml_cscn(&a);
	EXPECT(A,
	       W(SEL, 4, 0), W(CMD, 1, 0), R(DAT, 4, 1), R(DAT, 4, 1),
	       R(STS, 1, 5), R(STS, 1, 5),
	       W(SEL, 4, 2), W(CMD, 1, 0), R(DAT, 4, 1),
	       /* No SMI for a remove; Notify, then clear the event. */
	       N(1, AML_NOTIFY_EJECT_REQUEST), W(SEL, 4, 1),
	       W(STS, 1, CPUHP_CTL_CLEAR_REMOVE),
	       L);
	assert_false(d.cpu[1].is_removing);
}

static void test_scan_nothing(void **state)
{
	(void)state;
	aml_cscn(&a);
	EXPECT(A, W(SEL, 4, 0), W(CMD, 1, 0), R(DAT, 4, 0), R(DAT, 4, 0),
	       R(STS, 1, 1), R(STS, 1, 1), L);
}

static void test_scan_stops_at_fw_remove_only_cpu(void **state)
{
	(void)state;
	/* CPU 1 handed to firmware, not ejected yet; CPU 3 hot-added. */
	cpuhp_dev_write(&d, 0, 4, 1);
	cpuhp_dev_write(&d, CPUHP_W_CPU_CTL, 1, CPUHP_CTL_FW_REMOVE);
	assert_int_equal(cpuhp_dev_plug(&d, 3), 0);
	aml_cscn(&a);
	/* GET_NEXT stops at 1, which has neither insert nor remove: the
	 * scan ends and CPU 3 is not notified. */
	EXPECT(A, W(SEL, 4, 0), W(CMD, 1, 0), R(DAT, 4, 1), R(DAT, 4, 1),
	       R(STS, 1, 0x11), R(STS, 1, 0x11), L);
	assert_true(d.cpu[3].is_inserting);
}

static void test_eject_with_fw_unplug(void **state)
{
	uint32_t sta;

	(void)state;
	assert_int_equal(aml_ej0(&a, 1), 0);
	EXPECT(A, W(SEL, 4, 1), W(STS, 1, CPUHP_CTL_FW_REMOVE),
	       W(APM_CNT_PORT, 1, APM_CNT_CPU_HOTPLUG), L);
	/* No firmware ran: the CPU is still there, handed over. */
	assert_true(d.cpu[1].fw_remove);
	nlog = 0;
	assert_int_equal(aml_sta(&a, 1, &sta), 0);
	assert_int_equal(sta, AML_STA_PRESENT);
	EXPECT(A, W(SEL, 4, 1), R(STS, 1, 0x11), L);
}

static void test_eject_without_fw_unplug(void **state)
{
	uint32_t sta;

	(void)state;
	a.fw_unplugs_cpu = false;
	assert_int_equal(aml_ej0(&a, 1), 0);
	EXPECT(A, W(SEL, 4, 1), W(STS, 1, CPUHP_CTL_EJECT), E(1), L);
	nlog = 0;
	assert_int_equal(aml_sta(&a, 1, &sta), 0);
	assert_int_equal(sta, 0);
	EXPECT(A, W(SEL, 4, 1), R(STS, 1, 0), L);
}

/* device_del to _STA as Linux runs it: CSCN's eject request, _EJ0,
 * then _STA. With the firmware ejecting, _STA still reads 0xf until an
 * SMI handler has written EJECT: the "Eject incomplete" window. */
static void test_remove_flow(bool fw_unplug)
{
	uint32_t sta;

	a.fw_unplugs_cpu = fw_unplug;
	assert_int_equal(cpuhp_dev_unplug_request(&d, 1), 0);
	aml_cscn(&a);
	nlog = 0;
	assert_int_equal(aml_ej0(&a, 1), 0);
	assert_int_equal(aml_sta(&a, 1, &sta), 0);
	if (!fw_unplug) {
		EXPECT(A, W(SEL, 4, 1), W(STS, 1, CPUHP_CTL_EJECT), E(1), L,
		       A, W(SEL, 4, 1), R(STS, 1, 0), L);
		assert_int_equal(sta, 0);
		return;
	}
	EXPECT(A, W(SEL, 4, 1), W(STS, 1, CPUHP_CTL_FW_REMOVE),
	       W(APM_CNT_PORT, 1, APM_CNT_CPU_HOTPLUG), L,
	       A, W(SEL, 4, 1), R(STS, 1, 0x11), L);
	assert_int_equal(sta, AML_STA_PRESENT);
	/* What the firmware's SMI handler does (cpuhp_eject). */
	cpuhp_dev_write(&d, CPUHP_W_CPU_SEL, 4, 1);
	cpuhp_dev_write(&d, CPUHP_W_CPU_CTL, 1, CPUHP_CTL_EJECT);
	assert_int_equal(aml_sta(&a, 1, &sta), 0);
	assert_int_equal(sta, 0);
}

static void test_remove_flow_os_ejects(void **state)
{
	(void)state;
	test_remove_flow(false);
}

static void test_remove_flow_firmware_ejects(void **state)
{
	(void)state;
	test_remove_flow(true);
}

static void test_no_ej0_for_bsp(void **state)
{
	uint32_t sta;

	(void)state;
	assert_int_equal(aml_ej0(&a, 0), -ENOENT);
	assert_int_equal(aml_ej0(&a, NR), -ENOENT);
	assert_int_equal(aml_sta(&a, NR, &sta), -ENOENT);
	assert_int_equal(aml_ost(&a, NR, 1, 0), -ENOENT);
	assert_int_equal(nlog, 0);
}

static void test_ost(void **state)
{
	(void)state;
	assert_int_equal(aml_ost(&a, 2, 3, 0x84), 0);
	EXPECT(A, W(SEL, 4, 2), W(CMD, 1, CPUHP_CMD_OST_EVENT), W(DAT, 4, 3),
	       W(CMD, 1, CPUHP_CMD_OST_STATUS), W(DAT, 4, 0x84), L);
	assert_int_equal(d.cpu[2].ost_event, 3);
	assert_int_equal(d.cpu[2].ost_status, 0x84);
}

static unsigned count(char kind, uint32_t val_mask, uint32_t val)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nlog; i++)
		if (log_[i].kind == kind && (log_[i].val & val_mask) == val)
			n++;
	return n;
}

static unsigned count_smi(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nlog; i++)
		if (log_[i].kind == 'w' && log_[i].port == APM_CNT_PORT)
			n += log_[i].val == APM_CNT_CPU_HOTPLUG;
	return n;
}

/* 300 new CPUs: two passes, an SMI in each, every CPU notified once. */
static void test_scan_passes_of_255(void **state)
{
	const uint32_t nr = 302;

	(void)state;
	cpuhp_dev_init(&d, nr, NULL, 2, NULL);
	cpuhp_dev_write(&d, 0, 4, 0);
	a.nr = nr;
	for (uint32_t i = 2; i < nr; i++)
		assert_int_equal(cpuhp_dev_plug(&d, i), 0);
	aml_cscn(&a);
	assert_int_equal(count_smi(), 2);
	assert_int_equal(count('n', 0xff, AML_NOTIFY_DEVICE_CHECK), 300);
	for (uint32_t i = 2; i < nr; i++) {
		assert_false(d.cpu[i].is_inserting);
		assert_int_equal(count('n', 0xffffffff,
				       i << 8 | AML_NOTIFY_DEVICE_CHECK), 1);
	}
	/* The SMI of the second pass comes after the first 255 Notify. */
	for (unsigned i = 0, smi = 0, n = 0; i < nlog; i++) {
		if (log_[i].kind == 'n')
			n++;
		if (log_[i].kind == 'w' && log_[i].port == APM_CNT_PORT &&
		    smi++ == 1)
			assert_int_equal(n, AML_CSCN_PER_PASS);
	}
}

static void test_scan_without_lock_callbacks(void **state)
{
	(void)state;
	a.acquire = NULL;
	a.release = NULL;
	locked = 1;	/* notify() asserts it */
	assert_int_equal(cpuhp_dev_plug(&d, 2), 0);
	aml_cscn(&a);
	assert_int_equal(count('a', 0, 0), 0);
	assert_int_equal(count('n', 0xffffffff,
			       2u << 8 | AML_NOTIFY_DEVICE_CHECK), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup(fn, setup)
		T(test_ini_leaves_legacy),
		T(test_scan_one_insert_with_smi),
		T(test_scan_one_insert_without_smi),
		T(test_scan_one_remove),
		T(test_scan_nothing),
		T(test_scan_stops_at_fw_remove_only_cpu),
		T(test_eject_with_fw_unplug),
		T(test_eject_without_fw_unplug),
		T(test_remove_flow_os_ejects),
		T(test_remove_flow_firmware_ejects),
		T(test_no_ej0_for_bsp),
		T(test_ost),
		T(test_scan_passes_of_255),
		T(test_scan_without_lock_callbacks),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("aml", tests, NULL, NULL);
}
