/* Execution of QEMU's ACPI table-loader script (etc/table-loader). */
#ifndef FW_TABLE_LOADER_H
#define FW_TABLE_LOADER_H

#include <stdint.h>

#include "zone.h"

#define TABLE_LOADER_MAX_BLOBS	32

/* Runs every command: ALLOCATE copies a fw_cfg file into the HIGH or
 * FSEG zone, ADD_POINTER relocates, ADD_CHECKSUM fixes a sum,
 * WRITE_POINTER tells QEMU where a blob landed. Every command is checked
 * against the blobs and files it names before it writes anything.
 * Sets *rsdp to the RSDP (0 if QEMU offers no ACPI). Returns 0, or -1
 * after a DBG_ERR line that names the failing entry. */
int table_loader_run(struct zone *high, struct zone *fseg, uint64_t *rsdp);

#endif
