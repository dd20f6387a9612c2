/* Decoding of the fw_cfg file directory, kept apart from the device so
 * the unit tests can feed it bad directories. */
#include "debug.h"
#include "fw_cfg.h"
#include "lib.h"

int fw_cfg_dir_parse(const void *raw, uint32_t raw_len,
		     struct fw_cfg_file *out, uint32_t max)
{
	const struct fw_cfg_dir_entry *ent;
	uint32_t count;

	if (raw_len < sizeof(count)) {
		dprintf(DBG_ERR, "fw_cfg: file directory is %u bytes, "
			"shorter than its count\n", raw_len);
		return -1;
	}
	memcpy(&count, raw, sizeof(count));
	count = be32_to_cpu(count);
	if (count > max ||
	    count > (raw_len - sizeof(count)) / sizeof(*ent)) {
		dprintf(DBG_ERR, "fw_cfg: file directory claims %u files, "
			"room for %u\n", count,
			MIN(max, (uint32_t)((raw_len - sizeof(count)) /
					    sizeof(*ent))));
		return -1;
	}
	ent = (const void *)((const uint8_t *)raw + sizeof(count));
	for (uint32_t i = 0; i < count; i++, ent++) {
		if (strnlen(ent->name, sizeof(ent->name)) ==
		    sizeof(ent->name)) {
			dprintf(DBG_ERR, "fw_cfg: file %u: name is not "
				"NUL-terminated within %u bytes\n", i,
				(unsigned)sizeof(ent->name));
			return -1;
		}
		out[i].size = be32_to_cpu(ent->size);
		out[i].select = be16_to_cpu(ent->select);
		memcpy(out[i].name, ent->name, sizeof(out[i].name));
	}
	return (int)count;
}
