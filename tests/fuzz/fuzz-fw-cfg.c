/* Fuzz target: firmware/boot/fw_cfg.c and fw_cfg_dir.c against a fw_cfg
 * device whose signature, feature bits, file directory and items come
 * from the input, over the IO port and the DMA interface. Checks: setup
 * succeeds or panics with a message; every file the directory names is
 * found with its own selector and size; reads at any offset return the
 * item's bytes and zeros past its end, exactly len of them; writes land
 * only in the item.
 *
 * Input: flags (u8), the DMA transfer that fails (u8), signature (u32), the
 * directory (u16 length, bytes), a second directory served from the
 * second read on (u16 length, bytes), then items (u16 key, u16 length,
 * bytes) to the end. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fw_cfg.h"
#include "lib.h"

#define F_BAD_SIG	(1u << 0)	/* signature from the input */
#define F_DMA		(1u << 1)	/* ID offers DMA */
#define F_BAD_DMA_SIG	(1u << 2)	/* DMA port reads junk */
#define F_DMA_ERROR	(1u << 3)	/* the Nth DMA transfer fails */
#define F_DIR_CHANGES	(1u << 4)	/* directory differs on re-read */
#define MAX_ITEMS	64

struct item {
	uint16_t key;
	uint32_t size;
	uint8_t *data;
};

/* The device: one input's items and the selected item's read offset. */
static struct dev {
	uint8_t flags, dma_error_at;
	uint32_t sig;
	struct item items[MAX_ITEMS];
	unsigned nr_items;
	const uint8_t *dir[2];
	uint32_t dir_len[2];
	unsigned dir_selects;
	uint16_t key;
	const uint8_t *data;	/* of the selected item, or NULL */
	uint32_t size, off;
	uint32_t dma_hi;
	unsigned dma_ops;
} dev;

/* The bytes of the signature and ID items, as the device serves them. */
static uint8_t id_le[4], sig_le[4];

static const uint8_t *item_data(uint16_t key, uint32_t *size)
{
	if (key == FW_CFG_SIGNATURE) {
		le_write(sig_le, 4, dev.flags & F_BAD_SIG ?
				    dev.sig : FW_CFG_SIGNATURE_VALUE);
		*size = 4;
		return sig_le;
	}
	if (key == FW_CFG_ID) {
		le_write(id_le, 4, FW_CFG_ID_TRADITIONAL |
				   (dev.flags & F_DMA ? FW_CFG_ID_DMA : 0));
		*size = 4;
		return id_le;
	}
	if (key == FW_CFG_FILE_DIR) {
		int second = dev.flags & F_DIR_CHANGES && dev.dir_selects > 1;

		*size = dev.dir_len[second];
		return dev.dir[second];
	}
	for (unsigned i = 0; i < dev.nr_items; i++)
		if (dev.items[i].key == key) {
			*size = dev.items[i].size;
			return dev.items[i].data;
		}
	*size = 0;
	return NULL;
}

static void select_key(uint16_t key)
{
	dev.key = key;
	dev.off = 0;
	if (key == FW_CFG_FILE_DIR)
		dev.dir_selects++;
	dev.data = item_data(key, &dev.size);
}

/* As QEMU: bytes of the item from the offset, then zeros. */
static void read_item(uint8_t *buf, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++, dev.off++)
		buf[i] = dev.data && dev.off < dev.size ? dev.data[dev.off] : 0;
}

static void dma(uint64_t addr)
{
	struct fw_cfg_dma_access *a = (void *)(uintptr_t)addr;
	uint32_t control = be32_to_cpu(a->control);
	uint32_t len = be32_to_cpu(a->length);
	uint8_t *buf = (void *)(uintptr_t)be64_to_cpu(a->address);
	int fail = 0;

	if (dev.flags & F_DMA_ERROR && ++dev.dma_ops == dev.dma_error_at)
		fail = 1;
	if (control & FW_CFG_DMA_CTL_SELECT)
		select_key((uint16_t)(control >> FW_CFG_DMA_SELECTOR_SHIFT));
	if (fail) {
	} else if (control & FW_CFG_DMA_CTL_READ) {
		read_item(buf, len);
	} else if (control & FW_CFG_DMA_CTL_WRITE) {
		/* Only the items of the input are writable, all of them. */
		if (dev.key < FW_CFG_FILE_FIRST || !dev.data ||
		    dev.off > dev.size || len > dev.size - dev.off)
			fail = 1;
		else
			memcpy((uint8_t *)dev.data + dev.off, buf, len);
		dev.off += len;
	} else if (control & FW_CFG_DMA_CTL_SKIP) {
		dev.off += len;
	}
	a->control = cpu_to_be32(fail ? FW_CFG_DMA_CTL_ERROR : 0);
}

uint32_t fuzz_port_in(uint16_t port, unsigned size)
{
	uint8_t b;

	(void)size;
	switch (port) {
	case FW_CFG_PORT_DATA:
		read_item(&b, 1);
		return b;
	case FW_CFG_PORT_DMA_HI:
		return dev.flags & F_BAD_DMA_SIG ?
			       0x12345678 :
			       cpu_to_be32((uint32_t)(FW_CFG_DMA_SIGNATURE >> 32));
	case FW_CFG_PORT_DMA_LO:
		return cpu_to_be32((uint32_t)FW_CFG_DMA_SIGNATURE);
	}
	fuzz_fail("read of port 0x%x", port);
}

void fuzz_port_out(uint16_t port, unsigned size, uint32_t val)
{
	switch (port) {
	case FW_CFG_PORT_SEL:
		fuzz_check(size == 2, "selector write of %u bytes", size);
		select_key((uint16_t)val);
		return;
	case FW_CFG_PORT_DMA_HI:
		dev.dma_hi = be32_to_cpu(val);
		return;
	case FW_CFG_PORT_DMA_LO:
		fuzz_check(dev.flags & F_DMA && !(dev.flags & F_BAD_DMA_SIG),
			   "DMA on a device that does not offer it");
		dma((uint64_t)dev.dma_hi << 32 | be32_to_cpu(val));
		return;
	}
	fuzz_fail("write of port 0x%x", port);
}

static void parse_input(const uint8_t *data, size_t size)
{
	struct fuzz_in in;

	memset(&dev, 0, sizeof(dev));
	fuzz_in_init(&in, data, size);
	dev.flags = (uint8_t)fuzz_u(&in, 1);
	dev.dma_error_at = (uint8_t)fuzz_u(&in, 1);
	dev.sig = (uint32_t)fuzz_u(&in, 4);
	for (int i = 0; i < 2; i++)
		dev.dir_len[i] = fuzz_take(&in, fuzz_u(&in, 2), &dev.dir[i]);
	while (in.left && dev.nr_items < MAX_ITEMS) {
		struct item *it = &dev.items[dev.nr_items++];
		const uint8_t *p;

		it->key = (uint16_t)fuzz_u(&in, 2);
		it->size = fuzz_take(&in, fuzz_u(&in, 2), &p);
		/* A copy: writes must not touch the fuzzer's input. */
		it->data = malloc(it->size ? it->size : 1);
		memcpy(it->data, p, it->size);
	}
}

/* Static: a panic longjmps out of the checks, which must not leak. */
static uint8_t got[70000], want[70000], before[65536];

/* Reads [off, off+len) of a file and compares with the device's bytes. */
static void check_read(const struct fw_cfg_file *f, uint32_t off,
		       uint32_t len)
{
	uint32_t size;
	const uint8_t *d = item_data(f->select, &size);

	for (uint32_t i = 0; i < len; i++)
		want[i] = d && (uint64_t)off + i < size ? d[off + i] : 0;
	/* Exactly len bytes: the canary after them stays. */
	got[len] = 0xa5;
	fw_cfg_read(f->select, off, got, len);
	fuzz_check(!memcmp(got, want, len), "read of %s at %u+%u differs",
		   f->name, off, len);
	fuzz_check(got[len] == 0xa5, "read of %s at %u+%u wrote past its "
		   "buffer", f->name, off, len);
}

static int first_of_name(const uint8_t *raw, uint32_t i)
{
	const char *name = (const char *)raw + 4 + 64 * i + 8;

	for (uint32_t j = 0; j < i; j++)
		if (!strncmp((const char *)raw + 4 + 64 * j + 8, name,
			     FW_CFG_MAX_FILE_PATH))
			return 0;
	return 1;
}

static void check_files(void)
{
	uint32_t count, n;
	const uint8_t *raw = dev.dir[dev.flags & F_DIR_CHANGES ? 1 : 0];
	uint32_t raw_len = dev.dir_len[dev.flags & F_DIR_CHANGES ? 1 : 0];

	if (raw_len < 4)
		return;
	count = be32_to_cpu((uint32_t)le_read(raw, 4));
	n = MIN(count, (raw_len - 4) / 64);
	for (uint32_t i = 0; i < n; i++) {
		const struct fw_cfg_dir_entry *e = (const void *)(raw + 4 +
								  64 * i);
		const struct fw_cfg_file *f;
		char name[FW_CFG_MAX_FILE_PATH];
		uint32_t off;

		if (strnlen(e->name, sizeof(e->name)) == sizeof(e->name))
			continue;
		memcpy(name, e->name, sizeof(name));
		f = fw_cfg_find(name);
		fuzz_check(f, "file %u \"%s\" not found", i, name);
		fuzz_check(!strcmp(f->name, name), "found \"%s\" for \"%s\"",
			   f->name, name);
		/* Only the first entry of a name is found. */
		if (!first_of_name(raw, i))
			continue;
		fuzz_check(f->select == be16_to_cpu(e->select),
			   "\"%s\": selector 0x%x, directory says 0x%x", name,
			   f->select, be16_to_cpu(e->select));
		fuzz_check(f->size == be32_to_cpu(e->size),
			   "\"%s\": size %u, directory says %u", name, f->size,
			   be32_to_cpu(e->size));
		/* Bounded: IO reads and skips go byte by byte. */
		off = MIN(f->size / 2, 8192u);
		check_read(f, 0, MIN(f->size, 4096u));
		check_read(f, off, MIN(f->size - off + 7, 1024u));
	}
	fuzz_check(!fw_cfg_find("hotcpu/not-there") ||
			   !strcmp(fw_cfg_find("hotcpu/not-there")->name,
				   "hotcpu/not-there"),
		   "wrong file for a missing name");
}

/* Overwrites the last 8 bytes of the first file item over DMA. */
static void check_write(void)
{
	static const uint8_t v[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	for (unsigned i = 0; i < dev.nr_items; i++) {
		struct item *it = &dev.items[i];
		struct fw_cfg_file f = { .size = it->size, .select = it->key };
		uint32_t size;

		/* item_data() finds the first item of a key. */
		if (it->key < FW_CFG_FILE_FIRST || it->size < 8 ||
		    item_data(it->key, &size) != it->data)
			continue;
		memcpy(before, it->data, it->size);
		if (fw_cfg_write(it->key, it->size - 8, v, 8)) {
			fuzz_check(!fw_cfg_has_dma(), "write failed with DMA");
		} else {
			fuzz_check(fw_cfg_has_dma(), "write without DMA");
			memcpy(before + it->size - 8, v, 8);
		}
		fuzz_check(!memcmp(before, it->data, it->size),
			   "write of 8 bytes at the end of item 0x%x", it->key);
		strcpy(f.name, "written");
		check_read(&f, it->size - 8, 8);
		return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jmp_buf jb;

	fuzz_reset();
	parse_input(data, size);
	if (fuzz_try(jb)) {
		fw_cfg_setup();
		fuzz_check(fw_cfg_has_dma() == ((dev.flags & F_DMA) &&
						!(dev.flags & F_BAD_DMA_SIG)),
			   "DMA is %d", fw_cfg_has_dma());
		fuzz_check(!(dev.flags & F_BAD_SIG) ||
				   dev.sig == FW_CFG_SIGNATURE_VALUE,
			   "setup accepted signature 0x%x", dev.sig);
		check_files();
		check_write();
	} else {
		fuzz_check(strstr(fuzz_last_msg, "PANIC") &&
				   strstr(fuzz_last_msg, "fw_cfg"),
			   "panic without a fw_cfg message");
	}
	fuzz_untry();
	for (unsigned i = 0; i < dev.nr_items; i++)
		free(dev.items[i].data);
	return 0;
}
