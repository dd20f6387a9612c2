/* SMI feature negotiation. It must happen before the ACPI tables are
 * read: QEMU emits the SMI write in the CPU hotplug AML only when CPU
 * hotplug with SMI was negotiated (hw/acpi/cpu.c, smi_path). */
#include "fw_cfg.h"
#include "hw/smi_features.h"
#include "smi_features.h"

int smi_negotiate(uint64_t want, uint64_t *supported, uint64_t *negotiated,
		  const char **why)
{
	const struct fw_cfg_file *sup = fw_cfg_find(SMI_FEATURES_SUPPORTED);
	const struct fw_cfg_file *req = fw_cfg_find(SMI_FEATURES_REQUESTED);
	const struct fw_cfg_file *ok = fw_cfg_find(SMI_FEATURES_OK);
	uint64_t r;
	uint8_t accepted = 0;

	*supported = *negotiated = 0;
	if (!sup || !req || !ok || sup->size != 8 || req->size != 8 ||
	    ok->size != 1) {
		*why = "QEMU offers no SMI feature negotiation";
		return -1;
	}
	fw_cfg_read(sup->select, 0, supported, 8);
	r = want & *supported;
	/* QEMU refuses hotplug without broadcast, unplug without hotplug. */
	if (!(r & SMI_F_BROADCAST))
		r &= ~(SMI_F_CPU_HOTPLUG | SMI_F_CPU_HOT_UNPLUG);
	if (!(r & SMI_F_CPU_HOTPLUG))
		r &= ~SMI_F_CPU_HOT_UNPLUG;
	if (fw_cfg_write(req->select, 0, &r, 8)) {
		*why = "fw_cfg has no DMA interface to request SMI features";
		return -1;
	}
	/* Selecting features-ok makes QEMU validate and lock the request. */
	fw_cfg_read(ok->select, 0, &accepted, 1);
	if (accepted != 1) {
		*why = "QEMU refused the requested SMI features";
		return -1;
	}
	*negotiated = r;
	return 0;
}
