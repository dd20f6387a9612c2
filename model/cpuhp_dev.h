/* QEMU 10.0's ACPI CPU hotplug register block as a model device
 * (hw/acpi/cpu.c, hw/acpi/cpu_hotplug.c). */
#ifndef MODEL_CPUHP_DEV_H
#define MODEL_CPUHP_DEV_H

#include <stdbool.h>
#include <stdint.h>

#define CPUHP_DEV_MAX 512

struct cpuhp_dev_host {
	void *ctx;
	void (*eject)(void *ctx, uint32_t idx);
	void (*ost)(void *ctx, uint32_t idx, uint32_t event, uint32_t status);
	void (*sci)(void *ctx);
};

struct cpuhp_dev_cpu {
	uint64_t arch_id;
	bool present;
	bool is_inserting, is_removing, fw_remove;
	uint32_t ost_event, ost_status;
};

struct cpuhp_dev {
	uint32_t nr;
	bool legacy;
	uint32_t selector;
	uint8_t command;
	uint32_t bsp;
	struct cpuhp_dev_cpu cpu[CPUHP_DEV_MAX];
	struct cpuhp_dev_host host;
};

void cpuhp_dev_init(struct cpuhp_dev *d, uint32_t nr, const uint64_t *arch_ids,
		    uint32_t nr_boot, const struct cpuhp_dev_host *host);
uint32_t cpuhp_dev_read(struct cpuhp_dev *d, uint32_t off, unsigned size);
void cpuhp_dev_write(struct cpuhp_dev *d, uint32_t off, unsigned size,
		     uint32_t val);
int cpuhp_dev_plug(struct cpuhp_dev *d, uint32_t idx);
int cpuhp_dev_unplug_request(struct cpuhp_dev *d, uint32_t idx);

#endif
