/* The CPU hotplug register block device of the platform model: QEMU
 * 10.0.2's behaviour, one function per QEMU function it mirrors. */
#include <errno.h>
#include <string.h>

#include "cpuhp_dev.h"
#include "hw/cpuhp.h"
#include "hw/smi_features.h"

static void sci(struct cpuhp_dev *d)
{
	/* acpi_send_event(): GPE0 status bit 2 (ACPI_CPU_HOTPLUG_STATUS). */
	if (d->host.sci)
		d->host.sci(d->host.ctx);
}

/* cpu_hotplug.c acpi_set_cpu_present_bit(): an APIC ID past the bitmap
 * turns the legacy interface off instead. Returns false then. */
static bool legacy_set_present(struct cpuhp_dev *d, uint64_t arch_id)
{
	if (arch_id / 8 >= CPUHP_DEV_LEGACY_LEN) {
		d->legacy = false;
		return false;
	}
	d->legacy_sts[arch_id / 8] |= (uint8_t)(1u << (arch_id % 8));
	return true;
}

void cpuhp_dev_init(struct cpuhp_dev *d, uint32_t nr, const uint64_t *arch_ids,
		    uint32_t nr_boot, const struct cpuhp_dev_host *host)
{
	memset(d, 0, sizeof(*d));
	if (nr < 1)
		nr = 1;
	if (nr > CPUHP_DEV_MAX)
		nr = CPUHP_DEV_MAX;
	if (nr_boot < 1)
		nr_boot = 1;
	if (nr_boot > nr)
		nr_boot = nr;
	d->nr = nr;
	if (host)
		d->host = *host;
	/* QEMU creates the boot CPUs in slot order: slot 0 is first_cpu. */
	d->bsp = 0;
	d->legacy = true;
	for (uint32_t i = 0; i < nr; i++) {
		d->cpu[i].arch_id = arch_ids ? arch_ids[i] : i;
		d->cpu[i].present = i < nr_boot;
	}
	/* legacy_acpi_cpu_hotplug_init(): the boot CPUs' bits. The modern
	 * state (cpu_hotplug_hw_init) is made at the switch from what is
	 * present then, with no events: d->cpu[] already is that. */
	for (uint32_t i = 0; i < nr_boot; i++)
		legacy_set_present(d, d->cpu[i].arch_id);
}

/* cpu.c cpu_hotplug_rd() for a piece at addr; the caller masks the
 * result to the piece's size. */
static uint32_t modern_rd(const struct cpuhp_dev *d, uint32_t addr)
{
	const struct cpuhp_dev_cpu *c;

	/* Before the offset is even looked at. */
	if (d->selector >= d->nr)
		return 0;
	c = &d->cpu[d->selector];
	switch (addr) {
	case CPUHP_R_CPU_STAT:
		return (c->present ? CPUHP_STAT_ENABLED : 0) |
		       (c->is_inserting ? CPUHP_STAT_INSERT : 0) |
		       (c->is_removing ? CPUHP_STAT_REMOVE : 0) |
		       (c->fw_remove ? CPUHP_STAT_FW_REMOVE : 0);
	case CPUHP_RW_CMD_DATA:
		if (d->command == CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT)
			return d->selector;
		if (d->command == CPUHP_CMD_GET_CPU_ID)
			return (uint32_t)c->arch_id;
		return 0;
	case CPUHP_R_CMD_DATA2:
		if (d->command == CPUHP_CMD_GET_CPU_ID)
			return (uint32_t)(c->arch_id >> 32);
		return 0;
	default:
		/* 1-3, 5-7, 9-11: a piece starting there reads 0, even the
		 * upper bytes of data or data2. */
		return 0;
	}
}

/* The eject branch of cpu_hotplug_wr(): hotplug_handler_unplug()
 * clears cdev->cpu (acpi_cpu_unplug_cb), the vCPU is unrealized and
 * unparented, then fw_remove is cleared. Insert and remove events
 * stay as they were. */
static void eject(struct cpuhp_dev *d, uint32_t idx)
{
	struct cpuhp_dev_cpu *c = &d->cpu[idx];

	if (!c->present || idx == d->bsp)
		return;	/* trace_cpuhp_acpi_ejecting_invalid_cpu */
	c->present = false;
	c->fw_remove = false;
	if (d->host.eject)
		d->host.eject(d->host.ctx, idx);
}

/* cpu_hotplug_wr(), ACPI_CPU_FLAGS_OFFSET_RW: an if/else chain, so the
 * lowest action bit set is the only one done. */
static void control(struct cpuhp_dev *d, uint32_t data)
{
	struct cpuhp_dev_cpu *c = &d->cpu[d->selector];

	if (data & CPUHP_CTL_CLEAR_INSERT) {
		c->is_inserting = false;
	} else if (data & CPUHP_CTL_CLEAR_REMOVE) {
		c->is_removing = false;
	} else if (data & CPUHP_CTL_EJECT) {
		eject(d, d->selector);
	} else if (data & CPUHP_CTL_FW_REMOVE) {
		/* Refused like an eject: absent CPU or the BSP. */
		if (c->present && d->selector != d->bsp)
			c->fw_remove = true;
	}
}

/* ACPI_CPU_CMD_OFFSET_WR: GET_NEXT moves the selector to the first CPU
 * at or after it (wrapping) with any event; with none it stays. */
static void command(struct cpuhp_dev *d, uint32_t data)
{
	uint32_t iter = d->selector;

	if (data >= CPUHP_DEV_CMD_MAX)
		return;
	d->command = (uint8_t)data;
	if (d->command != CPUHP_CMD_GET_NEXT_CPU_WITH_EVENT)
		return;
	do {
		const struct cpuhp_dev_cpu *c = &d->cpu[iter];

		if (c->is_inserting || c->is_removing || c->fw_remove) {
			d->selector = iter;
			return;
		}
		iter = iter + 1 < d->nr ? iter + 1 : 0;
	} while (iter != d->selector);
}

/* ACPI_CPU_CMD_DATA_OFFSET_RW: only OST_EVENT and OST_STATUS take
 * data; the status write sends ACPI_DEVICE_OST with both values. */
static void command_data(struct cpuhp_dev *d, uint32_t data)
{
	struct cpuhp_dev_cpu *c = &d->cpu[d->selector];

	if (d->command == CPUHP_CMD_OST_EVENT) {
		c->ost_event = data;
	} else if (d->command == CPUHP_CMD_OST_STATUS) {
		c->ost_status = data;
		if (d->host.ost)
			d->host.ost(d->host.ctx, d->selector, c->ost_event,
				    c->ost_status);
	}
}

/* cpu.c cpu_hotplug_wr() */
static void modern_wr(struct cpuhp_dev *d, uint32_t addr, uint32_t data)
{
	/* Every register but the selector ignores writes while the
	 * selector is invalid; the selector takes any value. */
	if (addr != CPUHP_W_CPU_SEL && d->selector >= d->nr)
		return;
	switch (addr) {
	case CPUHP_W_CPU_SEL:
		d->selector = data;
		break;
	case CPUHP_W_CPU_CTL:
		control(d, data);
		break;
	case CPUHP_W_CMD:
		command(d, data);
		break;
	case CPUHP_RW_CMD_DATA:
		command_data(d, data);
		break;
	default:
		break;
	}
}

/* cpu_hotplug.c cpu_status_write(), called per byte (.impl max 1): a
 * zero byte at offset 0 switches to the modern block, for good
 * (ich9_pm_set_cpu_hotplug_legacy asserts it is never set back). */
static void legacy_wr_byte(struct cpuhp_dev *d, uint32_t addr, uint8_t b)
{
	if (addr == 0 && b == 0)
		d->legacy = false;
}

static uint32_t mask(unsigned l)
{
	return l >= 4 ? 0xffffffffu : (1u << (8 * l)) - 1;
}

/* physmem.c memory_access_size() for this block (.valid max 4, not
 * .impl.unaligned): the largest power of two not above l, 4 or the
 * natural alignment of addr. */
static unsigned piece_size(unsigned l, uint32_t addr)
{
	unsigned max = 4;
	uint32_t align = addr & -addr;

	if (align && align < max)
		max = align;
	if (l > max)
		l = max;
	return l >= 4 ? 4 : l >= 2 ? 2 : 1;
}

static uint32_t span(const struct cpuhp_dev *d)
{
	return d->legacy ? CPUHP_DEV_LEGACY_LEN : CPUHP_LEN;
}

/* One device call of l bytes at addr inside the block. The legacy
 * block is byte-wide (.impl max 1): access_with_adjusted_size() makes
 * bytes of any piece. */
static uint32_t piece_rd(const struct cpuhp_dev *d, uint32_t addr, unsigned l)
{
	uint32_t v = 0;

	if (!d->legacy)
		return modern_rd(d, addr) & mask(l);
	for (unsigned i = 0; i < l; i++)
		v |= (uint32_t)d->legacy_sts[addr + i] << (8 * i);
	return v;
}

/* legacy says which region the memory core dispatched the piece to:
 * after a switch the rest of the piece still goes to the legacy one. */
static void piece_wr(struct cpuhp_dev *d, bool legacy, uint32_t addr,
		     unsigned l, uint32_t v)
{
	if (!legacy) {
		modern_wr(d, addr, v & mask(l));
		return;
	}
	for (unsigned i = 0; i < l; i++)
		legacy_wr_byte(d, addr + i, (uint8_t)(v >> (8 * i)));
}

/* flatview_read_continue(): piece by piece. A piece past the block is
 * the I/O space's unassigned region, all ones. */
uint32_t cpuhp_dev_read(struct cpuhp_dev *d, uint32_t off, unsigned size)
{
	uint32_t v = 0;
	unsigned done = 0;

	if (size != 1 && size != 2 && size != 4)
		return CPUHP_DEV_UNASSIGNED;
	while (done < size) {
		uint32_t addr = off + done;
		unsigned l = size - done;
		uint32_t part;

		if (addr >= span(d)) {
			part = mask(l);
		} else {
			if (l > span(d) - addr)
				l = span(d) - addr;
			l = piece_size(l, addr);
			part = piece_rd(d, addr, l);
		}
		v |= part << (8 * done);
		done += l;
	}
	return v;
}

/* flatview_write_continue(). The split is fixed before the first
 * piece: QEMU works on one flat view for the whole access. */
void cpuhp_dev_write(struct cpuhp_dev *d, uint32_t off, unsigned size,
		     uint32_t val)
{
	bool legacy = d->legacy;
	uint32_t end = span(d);
	unsigned done = 0;

	if (size != 1 && size != 2 && size != 4)
		return;
	while (done < size) {
		uint32_t addr = off + done;
		unsigned l = size - done;

		if (addr >= end)
			break;	/* unassigned: writes go nowhere */
		if (l > end - addr)
			l = end - addr;
		l = piece_size(l, addr);
		piece_wr(d, legacy, addr, l, val >> (8 * done));
		done += l;
	}
}

/* x86_cpu_pre_plug() (with ich9_pm_device_pre_plug_cb first), then
 * x86_cpu_plug() -> ich9_pm_device_plug_cb(). */
int cpuhp_dev_plug(struct cpuhp_dev *d, uint32_t idx)
{
	struct cpuhp_dev_cpu *c;

	if ((d->smi_negotiated & SMI_F_BROADCAST) &&
	    !(d->smi_negotiated & SMI_F_CPU_HOTPLUG))
		return -EPERM;	/* "cpu hotplug with SMI wasn't enabled" */
	if (idx >= d->nr)
		return -EINVAL;
	c = &d->cpu[idx];
	if (c->present)
		return -EEXIST;	/* "CPU[n] with APIC ID m exists" */
	c->present = true;
	if (d->legacy && legacy_set_present(d, c->arch_id)) {
		/* legacy_acpi_cpu_plug_cb() */
		sci(d);
		return 0;
	}
	/* acpi_cpu_plug_cb(), also when the legacy block just switched
	 * itself off for this CPU's APIC ID. fw_remove and is_removing
	 * are left as they were. */
	c->is_inserting = true;
	sci(d);
	return 0;
}

/* qmp_device_del() -> x86_cpu_unplug_request_cb() ->
 * ich9_pm_device_unplug_request_cb() -> acpi_cpu_unplug_request_cb().
 * A CPU has no pending_deleted_event, so a repeat is not refused. */
int cpuhp_dev_unplug_request(struct cpuhp_dev *d, uint32_t idx)
{
	if (idx >= d->nr || !d->cpu[idx].present)
		return -ENODEV;	/* "Device 'x' not found" */
	if (idx == 0)
		return -EINVAL;	/* "Boot CPU is unpluggable" (slot 0) */
	if (d->legacy)
		return -EOPNOTSUPP; /* "device unplug request for not
				     * supported device type" */
	if ((d->smi_negotiated & SMI_F_BROADCAST) &&
	    !(d->smi_negotiated & SMI_F_CPU_HOT_UNPLUG))
		return -EPERM;	/* "cpu hot-unplug with SMI wasn't enabled" */
	d->cpu[idx].is_removing = true;
	sci(d);
	return 0;
}
