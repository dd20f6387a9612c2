/* Placeholder register block until model/cpuhp_dev.c from the device
 * work lands: modern interface only. */
#include <errno.h>
#include <string.h>

#include "cpuhp_dev.h"

void cpuhp_dev_init(struct cpuhp_dev *d, uint32_t nr, const uint64_t *arch_ids,
		    uint32_t nr_boot, const struct cpuhp_dev_host *host)
{
	memset(d, 0, sizeof(*d));
	d->nr = nr;
	d->legacy = true;
	d->host = *host;
	for (uint32_t i = 0; i < nr; i++) {
		d->cpu[i].arch_id = arch_ids[i];
		d->cpu[i].present = i < nr_boot;
	}
}

uint32_t cpuhp_dev_read(struct cpuhp_dev *d, uint32_t off, unsigned size)
{
	struct cpuhp_dev_cpu *c;

	(void)size;
	if (d->legacy)
		return 0;
	if (d->selector >= d->nr)
		return 0;
	c = &d->cpu[d->selector];
	switch (off) {
	case 0:
		return d->command == 3 ? (uint32_t)(c->arch_id >> 32) : 0;
	case 4:
		return (c->present ? 1 : 0) | (c->is_inserting ? 2 : 0) |
		       (c->is_removing ? 4 : 0) | (c->fw_remove ? 16 : 0);
	case 8:
		if (d->command == 0)
			return d->selector;
		if (d->command == 3)
			return (uint32_t)c->arch_id;
		return 0;
	}
	return 0;
}

void cpuhp_dev_write(struct cpuhp_dev *d, uint32_t off, unsigned size,
		     uint32_t v)
{
	struct cpuhp_dev_cpu *c;

	(void)size;
	if (d->legacy) {
		if (off == 0 && v == 0)
			d->legacy = false;
		return;
	}
	if (off == 0) {
		d->selector = v;
		return;
	}
	if (d->selector >= d->nr)
		return;
	c = &d->cpu[d->selector];
	switch (off) {
	case 4:
		if (v & 2) {
			c->is_inserting = false;
		} else if (v & 4) {
			c->is_removing = false;
		} else if (v & 8) {
			if (!c->present || d->selector == d->bsp)
				break;
			c->fw_remove = false;
			c->present = false;
			d->host.eject(d->host.ctx, d->selector);
		} else if (v & 16) {
			if (!c->present || d->selector == d->bsp)
				break;
			c->fw_remove = true;
		}
		break;
	case 5:
		if (v < 4) {
			d->command = (uint8_t)v;
			if (v == 0) {
				uint32_t it = d->selector;

				do {
					struct cpuhp_dev_cpu *e = &d->cpu[it];

					if (e->is_inserting || e->is_removing ||
					    e->fw_remove) {
						d->selector = it;
						break;
					}
					it = it + 1 < d->nr ? it + 1 : 0;
				} while (it != d->selector);
			}
		}
		break;
	case 8:
		if (d->command == 1)
			c->ost_event = v;
		else if (d->command == 2) {
			c->ost_status = v;
			d->host.ost(d->host.ctx, d->selector, c->ost_event, v);
		}
		break;
	}
}

int cpuhp_dev_plug(struct cpuhp_dev *d, uint32_t idx)
{
	if (idx >= d->nr || d->cpu[idx].present)
		return -EBUSY;
	d->cpu[idx].present = true;
	d->cpu[idx].is_inserting = true;
	d->host.sci(d->host.ctx);
	return 0;
}

int cpuhp_dev_unplug_request(struct cpuhp_dev *d, uint32_t idx)
{
	if (idx >= d->nr || !d->cpu[idx].present || idx == d->bsp)
		return -EINVAL;
	d->cpu[idx].is_removing = true;
	d->host.sci(d->host.ctx);
	return 0;
}
