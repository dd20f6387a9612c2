/* fw_cfg as a table of in-memory items: files and fixed keys. */
#include <stdlib.h>
#include <string.h>

#include "fw_cfg.h"
#include "support.h"

#define MAX_ITEMS 64

struct item {
	uint16_t key;
	uint8_t *data;
	uint32_t size;
};

bool fake_fw_cfg_dma = true;
static struct item items[MAX_ITEMS];
static int nr_items;
static struct fw_cfg_file files[MAX_ITEMS];
static int nr_files;

void fake_fw_cfg_reset(void)
{
	for (int i = 0; i < nr_items; i++)
		free(items[i].data);
	nr_items = nr_files = 0;
	fake_fw_cfg_dma = true;
}

static struct item *item(uint16_t key)
{
	for (int i = 0; i < nr_items; i++)
		if (items[i].key == key)
			return &items[i];
	return NULL;
}

void fake_fw_cfg_set_item(uint16_t key, const void *data, uint32_t size)
{
	struct item *it = item(key);

	if (!it) {
		it = &items[nr_items++];
		it->key = key;
	} else {
		free(it->data);
	}
	it->data = malloc(size ? size : 1);
	memcpy(it->data, data, size);
	it->size = size;
}

uint16_t fake_fw_cfg_add_file(const char *name, const void *data,
			      uint32_t size)
{
	uint16_t key = FW_CFG_FILE_FIRST + nr_files;
	struct fw_cfg_file *f = &files[nr_files++];

	fake_fw_cfg_set_item(key, data, size);
	f->size = size;
	f->select = key;
	strncpy(f->name, name, sizeof(f->name) - 1);
	return key;
}

const uint8_t *fake_fw_cfg_file_data(const char *name)
{
	const struct fw_cfg_file *f = fw_cfg_find(name);

	return f ? item(f->select)->data : NULL;
}

bool fw_cfg_has_dma(void)
{
	return fake_fw_cfg_dma;
}

const struct fw_cfg_file *fw_cfg_find(const char *name)
{
	for (int i = 0; i < nr_files; i++)
		if (!strcmp(files[i].name, name))
			return &files[i];
	return NULL;
}

void fw_cfg_read(uint16_t select, uint32_t offset, void *buf, uint32_t len)
{
	struct item *it = item(select);

	/* The device returns zeros past the end of an item. */
	memset(buf, 0, len);
	if (it && offset < it->size)
		memcpy(buf, it->data + offset,
		       len < it->size - offset ? len : it->size - offset);
}

int fw_cfg_write(uint16_t select, uint32_t offset, const void *buf,
		 uint32_t len)
{
	struct item *it = item(select);

	if (!fake_fw_cfg_dma)
		return -1;
	if (it && offset <= it->size && len <= it->size - offset)
		memcpy(it->data + offset, buf, len);
	return 0;
}
