/* The guest's calls of QEMU's CPU hotplug AML methods, on a model CPU:
 * every register access is a scheduling point, the AML mutex CPLK is
 * held across each method, and an access that relies on a selector or
 * command SMM changed since the method wrote it is reported
 * (aml-clobbered). */
#ifndef MODEL_OS_AML_H
#define MODEL_OS_AML_H

#include <stdint.h>

struct mcpu;

/* \_GPE._E02 -> CSCN: collect, SMI if CPUs were added, Notify. */
void aml_cscn(struct mcpu *c);
/* CSTA: 0xf if present, else 0. */
uint8_t aml_sta(struct mcpu *c, uint32_t idx);
/* CEJ0 (from _EJ0) with fw_unplugs_cpu: fw-remove, then SMI. */
void aml_ej0(struct mcpu *c, uint32_t idx);
/* COST (from _OST). */
void aml_ost(struct mcpu *c, uint32_t idx, uint32_t event, uint32_t status);

#endif
