/* PCI resource assignment for the devices on bus 0. */
#ifndef FW_PCI_H
#define FW_PCI_H

void pci_setup(void);

#endif
