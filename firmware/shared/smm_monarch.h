/* The monarch's side of an SMI session (smm_monarch.c). */
#ifndef FW_SMM_MONARCH_H
#define FW_SMM_MONARCH_H

#include "smm_session.h"

/* Opens a session on the BSP's SMI and does the hotplug work the OS
 * asked for, if any; returns when the session is closed. */
void smm_monarch(const struct smm_ctx *c);

#endif
