/* ICH9 SMI feature negotiation over fw_cfg (hw/smi_features.h). */
#ifndef FW_SMI_FEATURES_H
#define FW_SMI_FEATURES_H

#include <stdint.h>

/* Requests want (reduced to what QEMU supports and to valid
 * combinations) and reads features-ok. Returns the negotiated features,
 * or -1 with *why set when QEMU offers no negotiation or refuses. */
int smi_negotiate(uint64_t want, uint64_t *supported, uint64_t *negotiated,
		  const char **why);

#endif
