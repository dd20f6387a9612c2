/* fw_cfg access: the one interface the boot logic uses to read QEMU's
 * configuration. firmware/boot/fw_cfg.c implements it on the device; the unit
 * tests implement it on in-memory files (tests/fake_fw_cfg.c). */
#ifndef FW_FW_CFG_H
#define FW_FW_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/fw_cfg.h"

/* A directory entry in CPU byte order with a NUL-terminated name. */
struct fw_cfg_file {
	uint32_t size;
	uint16_t select;
	char name[FW_CFG_MAX_FILE_PATH];
};

/* Decodes FW_CFG_FILE_DIR (big-endian count, then entries) into out[].
 * Refuses a count that overruns raw or max and a name without NUL.
 * Returns the number of files, or -1 after a DBG_ERR line. */
int fw_cfg_dir_parse(const void *raw, uint32_t raw_len,
		     struct fw_cfg_file *out, uint32_t max);

/* Device interface */
void fw_cfg_setup(void);
bool fw_cfg_has_dma(void);
const struct fw_cfg_file *fw_cfg_find(const char *name);
/* Reads len bytes of an item starting at offset into buf. */
void fw_cfg_read(uint16_t select, uint32_t offset, void *buf, uint32_t len);
/* Writes into a writable file; -1 without the DMA interface. */
int fw_cfg_write(uint16_t select, uint32_t offset, const void *buf,
		 uint32_t len);

static inline uint32_t fw_cfg_read_u32(uint16_t key)
{
	uint32_t v = 0;

	fw_cfg_read(key, 0, &v, sizeof(v));
	return v;
}

#endif
