/* QEMU 10.0's ACPI CPU hotplug register block on q35 (ICH9 LPC, I/O
 * 0xcd8) as a model device, from QEMU's source, not from the spec:
 * hw/acpi/cpu.c (modern block), hw/acpi/cpu_hotplug.c (legacy bitmap),
 * hw/acpi/ich9.c and hw/isa/lpc_ich9.c (the switch, SMI refusals),
 * hw/i386/x86-common.c (device_add/device_del checks), and the way
 * system/physmem.c and system/memory.c cut a port access into device
 * calls. Register names: include/hw/cpuhp.h. */
#ifndef MODEL_CPUHP_DEV_H
#define MODEL_CPUHP_DEV_H

#include <stdbool.h>
#include <stdint.h>

#define CPUHP_DEV_MAX 512

/* The legacy interface is a 32-byte present bitmap indexed by APIC ID
 * (ACPI_GPE_PROC_LEN); the modern block that replaces it is
 * CPUHP_LEN (12) bytes, and 0xce4-0xcf7 then decode to nothing. */
#define CPUHP_DEV_LEGACY_LEN	32
/* Offsets from here on (port 0xcf8, PCI config) are not this device. */
#define CPUHP_DEV_SPAN		CPUHP_DEV_LEGACY_LEN
/* What an I/O port nothing decodes reads (QEMU's unassigned_io_ops). */
#define CPUHP_DEV_UNASSIGNED	0xffffffffu

/* Commands 0..3 are accepted; a write of 4 or more leaves the command. */
#define CPUHP_DEV_CMD_MAX	4

/* What the device calls on the rest of the model. */
struct cpuhp_dev_host {
	void *ctx;
	/* QEMU unplugs the vCPU: the model destroys it. Called after the
	 * device's own state says the CPU is gone. */
	void (*eject)(void *ctx, uint32_t idx);
	/* QMP ACPI_DEVICE_OST: slot idx, source event, status. */
	void (*ost)(void *ctx, uint32_t idx, uint32_t event, uint32_t status);
	/* GPE0 status bit 2 set and SCI raised: the OS runs \_GPE._E02. */
	void (*sci)(void *ctx);
};

struct cpuhp_dev_cpu {
	uint64_t arch_id;
	bool present;		/* QEMU's cdev->cpu != NULL */
	bool is_inserting, is_removing, fw_remove;
	uint32_t ost_event, ost_status;
};

struct cpuhp_dev {
	uint32_t nr;		/* possible CPUs */
	bool legacy;		/* as QEMU starts a q35 machine */
	uint32_t selector;
	uint8_t command;
	uint32_t bsp;		/* QEMU's first_cpu index: never ejected */
	struct cpuhp_dev_cpu cpu[CPUHP_DEV_MAX];
	struct cpuhp_dev_host host;
	/* Legacy present bitmap, bit = APIC ID (cpu_hotplug.c sts[]). */
	uint8_t legacy_sts[CPUHP_DEV_LEGACY_LEN];
	/* ICH9 negotiated SMI features (SMI_F_*, hw/smi_features.h): with
	 * broadcast but without CPU hotplug QEMU refuses device_add, and
	 * without hot-unplug device_del. Set it when the firmware's
	 * features-ok succeeds; 0 until then, as after reset. */
	uint64_t smi_negotiated;
};

/* CPUs 0..nr_boot-1 present at boot (cold-plugged: no insert event).
 * nr is clamped to 1..CPUHP_DEV_MAX, nr_boot to 1..nr. host may be
 * NULL or have NULL members. There is no reset: a system reset in QEMU
 * leaves the block as it is (modern stays modern, selector, command
 * and events kept) and clears the SMI negotiation (ich9_lpc_reset), so
 * a platform reset sets smi_negotiated to 0 and nothing else. */
void cpuhp_dev_init(struct cpuhp_dev *d, uint32_t nr, const uint64_t *arch_ids,
		    uint32_t nr_boot, const struct cpuhp_dev_host *host);

/* A port access of size 1, 2 or 4 at off from the block base (0xcd8),
 * as QEMU delivers a KVM or qtest port access (address_space_rw): cut
 * at the block's end and at each piece's natural alignment, each piece
 * one device call. Bytes past the block read 0xff and take no writes:
 * true up to CPUHP_DEV_SPAN (after the switch nothing decodes 0xce4-
 * 0xcf7); from there on QEMU has other devices. Another size reads
 * CPUHP_DEV_UNASSIGNED and writes nothing. */
uint32_t cpuhp_dev_read(struct cpuhp_dev *d, uint32_t off, unsigned size);
void cpuhp_dev_write(struct cpuhp_dev *d, uint32_t off, unsigned size,
		     uint32_t val);

/* device_add of slot idx: 0, or -errno as QEMU refuses it, in QEMU's
 * order: -EPERM (SMI broadcast negotiated without CPU hotplug),
 * -EINVAL (no such slot), -EEXIST (the slot holds a CPU). */
int cpuhp_dev_plug(struct cpuhp_dev *d, uint32_t idx);
/* device_del of slot idx: 0 (remove event and SCI, again on a repeat),
 * or -ENODEV (no CPU there), -EINVAL (slot 0: "Boot CPU is
 * unpluggable"), -EOPNOTSUPP (legacy interface still on), -EPERM (SMI
 * broadcast negotiated without hot-unplug). */
int cpuhp_dev_unplug_request(struct cpuhp_dev *d, uint32_t idx);

#endif
