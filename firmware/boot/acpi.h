/* ACPI setup phase. */
#ifndef FW_ACPI_H
#define FW_ACPI_H

#include <stdint.h>

/* RSDP handed to Linux in the zero page; 0 without ACPI. */
extern uint64_t acpi_rsdp;

void acpi_setup(void);

#endif
