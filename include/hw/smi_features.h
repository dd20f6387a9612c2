/* ICH9 SMI feature negotiation over fw_cfg (QEMU hw/isa/lpc_ich9.c,
 * include/hw/southbridge/ich9.h). Feature words are u64 little-endian. */
#ifndef HW_SMI_FEATURES_H
#define HW_SMI_FEATURES_H

#define SMI_FEATURES_SUPPORTED	"etc/smi/supported-features"
#define SMI_FEATURES_REQUESTED	"etc/smi/requested-features"
#define SMI_FEATURES_OK		"etc/smi/features-ok"	/* u8; 1 = accepted */

/* Broadcast: an APM_CNT write raises the SMI on every CPU. */
#define SMI_F_BROADCAST		(1ull << 0)
/* CPU hotplug with SMI: QEMU's AML writes 4 to APM_CNT on hot-add. */
#define SMI_F_CPU_HOTPLUG	(1ull << 1)
/* Hot-unplug: _EJ0 sets FW_REMOVE and writes 4 to APM_CNT. */
#define SMI_F_CPU_HOT_UNPLUG	(1ull << 2)

#endif
