/* q35 chipset setup and the chipset-wide facts later phases need. */
#ifndef FW_Q35_SETUP_H
#define FW_Q35_SETUP_H

/* Programs PM IO and ACPI decode, MMCONFIG, and F-segment shadow RAM;
 * halts if the machine is not q35. */
void q35_setup(void);

#endif
