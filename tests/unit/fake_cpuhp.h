/* A CPU hotplug register block as QEMU implements it (hw/acpi/cpu.c:
 * cpu_hotplug_rd/wr), plus knobs that make it answer junk. */
#ifndef TESTS_UNIT_FAKE_CPUHP_H
#define TESTS_UNIT_FAKE_CPUHP_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

#define FAKE_CPUHP_MAX 64

struct fake_cpu {
	uint64_t arch_id;
	bool present, inserting, removing, fw_remove;
};

struct fake_cpuhp {
	uint32_t nr;
	struct fake_cpu cpu[FAKE_CPUHP_MAX];
	uint32_t selector;
	uint8_t command;
	bool modern;
	/* Junk: after GET_NEXT, data reads this selector when >= 0. */
	int64_t junk_next;
	/* Ignores the switch to the modern interface. */
	bool stay_legacy;
	/* Junk: GET_CPU_ID adds this to every arch ID. */
	uint64_t junk_id_delta;
	/* Observations */
	uint32_t ejected[FAKE_CPUHP_MAX];
	unsigned nr_ejected, accesses;
	uint32_t smi[FAKE_CPUHP_MAX];
	unsigned nr_smi;
	uint64_t now_us;
};

void fake_cpuhp_init(struct fake_cpuhp *f, uint32_t nr, uint32_t present);
/* A platform whose io_read/io_write reach the fake at CPUHP_BASE_Q35. */
void fake_cpuhp_platform(struct fake_cpuhp *f, struct platform *p);

#endif
