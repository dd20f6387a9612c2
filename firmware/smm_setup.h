/* SMM phase: SMI negotiation, SMRAM, SMBASE relocation of boot CPUs. */
#ifndef FW_SMM_SETUP_H
#define FW_SMM_SETUP_H

void smm_setup(void);

#endif
