/* The guest's calls of QEMU's CPU hotplug AML methods (model/aml.c) on
 * a model CPU: every register access is a scheduling point, the AML
 * mutex CPLK is a model lock, Notify queues the guest's hotplug work,
 * and an access that relies on a selector or command SMM changed since
 * the method wrote it is reported (aml-clobbered). */
#ifndef MODEL_OS_AML_H
#define MODEL_OS_AML_H

#include <stdint.h>

struct mcpu;

/* \_GPE._E02 -> CSCN */
void os_cscn(struct mcpu *c);
/* _STA: 0xf if present, else 0 */
uint32_t os_sta(struct mcpu *c, uint32_t idx);
/* _EJ0 (fw_unplugs_cpu: fw-remove, then the SMI upcall) */
void os_ej0(struct mcpu *c, uint32_t idx);
/* _OST */
void os_ost(struct mcpu *c, uint32_t idx, uint32_t event, uint32_t status);

#endif
