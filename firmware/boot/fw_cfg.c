/* fw_cfg on QEMU's x86 IO ports: DMA when offered, byte reads otherwise. */
#include "debug.h"
#include "fw_cfg.h"
#include "heap.h"
#include "io.h"
#include "lib.h"

#define FW_CFG_MAX_FILES	512

/* Set once at setup: DMA cuts kernel loading from seconds to
 * milliseconds under TCG. */
static bool has_dma;
/* The directory, read once; every file lookup searches it. */
static struct fw_cfg_file *files;
static int nr_files;

static void fw_cfg_dma(uint32_t control, void *buf, uint32_t len)
{
	/* The device reads this descriptor by physical address and clears
	 * control when done; QEMU completes before the port write returns. */
	static volatile struct fw_cfg_dma_access access;
	uint64_t addr = (uintptr_t)&access;

	access.control = cpu_to_be32(control);
	access.length = cpu_to_be32(len);
	access.address = cpu_to_be64((uintptr_t)buf);
	barrier();
	outl(FW_CFG_PORT_DMA_HI, cpu_to_be32((uint32_t)(addr >> 32)));
	outl(FW_CFG_PORT_DMA_LO, cpu_to_be32((uint32_t)addr));
	while (be32_to_cpu(access.control) & ~FW_CFG_DMA_CTL_ERROR)
		cpu_relax();
	if (be32_to_cpu(access.control) & FW_CFG_DMA_CTL_ERROR)
		panic("fw_cfg: DMA error (control 0x%x, %u bytes at %p)\n",
		      control, len, buf);
}

static void fw_cfg_io_read(void *buf, uint32_t len)
{
	insb(FW_CFG_PORT_DATA, buf, len);
}

void fw_cfg_read(uint16_t select, uint32_t offset, void *buf, uint32_t len)
{
	if (has_dma) {
		uint32_t sel = FW_CFG_DMA_CTL_SELECT |
			       ((uint32_t)select << FW_CFG_DMA_SELECTOR_SHIFT);

		if (offset) {
			fw_cfg_dma(sel | FW_CFG_DMA_CTL_SKIP, 0, offset);
			sel = 0;
		}
		if (len)
			fw_cfg_dma(sel | FW_CFG_DMA_CTL_READ, buf, len);
		return;
	}
	outw(FW_CFG_PORT_SEL, select);
	while (offset) {
		uint8_t scratch[64];
		uint32_t n = MIN(offset, (uint32_t)sizeof(scratch));

		fw_cfg_io_read(scratch, n);
		offset -= n;
	}
	fw_cfg_io_read(buf, len);
}

int fw_cfg_write(uint16_t select, uint32_t offset, const void *buf,
		 uint32_t len)
{
	uint32_t sel = FW_CFG_DMA_CTL_SELECT |
		       ((uint32_t)select << FW_CFG_DMA_SELECTOR_SHIFT);

	/* QEMU dropped writes through the data port in 2.4. */
	if (!has_dma)
		return -1;
	if (offset) {
		fw_cfg_dma(sel | FW_CFG_DMA_CTL_SKIP, 0, offset);
		sel = 0;
	}
	fw_cfg_dma(sel | FW_CFG_DMA_CTL_WRITE, (void *)buf, len);
	return 0;
}

bool fw_cfg_has_dma(void)
{
	return has_dma;
}

const struct fw_cfg_file *fw_cfg_find(const char *name)
{
	for (int i = 0; i < nr_files; i++)
		if (!strcmp(files[i].name, name))
			return &files[i];
	return 0;
}

void fw_cfg_setup(void)
{
	uint32_t sig = 0, id = 0, count = 0;
	uint8_t *raw;
	uint32_t raw_len;

	outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	fw_cfg_io_read(&sig, sizeof(sig));
	if (sig != FW_CFG_SIGNATURE_VALUE)
		panic("fw_cfg: no QEMU signature at port 0x%x (read 0x%x)\n",
		      FW_CFG_PORT_SEL, sig);
	outw(FW_CFG_PORT_SEL, FW_CFG_ID);
	fw_cfg_io_read(&id, sizeof(id));
	/* Decided by this device alone: host builds (tests/fuzz) run setup
	 * once per input, each with another device. */
	has_dma = false;
	if (id & FW_CFG_ID_DMA) {
		uint64_t dsig = ((uint64_t)inl(FW_CFG_PORT_DMA_HI) << 32) |
				inl(FW_CFG_PORT_DMA_LO);

		/* The port reads back "QEMU CFG" in big-endian halves. */
		has_dma = be32_to_cpu((uint32_t)(dsig >> 32)) ==
				  (uint32_t)(FW_CFG_DMA_SIGNATURE >> 32) &&
			  be32_to_cpu((uint32_t)dsig) ==
				  (uint32_t)FW_CFG_DMA_SIGNATURE;
	}

	fw_cfg_read(FW_CFG_FILE_DIR, 0, &count, sizeof(count));
	if (be32_to_cpu(count) > FW_CFG_MAX_FILES)
		panic("fw_cfg: %u files, more than the %u supported\n",
		      be32_to_cpu(count), FW_CFG_MAX_FILES);
	raw_len = sizeof(count) +
		  be32_to_cpu(count) * sizeof(struct fw_cfg_dir_entry);
	raw = heap_alloc(raw_len, 8);
	fw_cfg_read(FW_CFG_FILE_DIR, 0, raw, raw_len);
	files = heap_alloc(be32_to_cpu(count) * sizeof(*files) + 1, 8);
	nr_files = fw_cfg_dir_parse(raw, raw_len, files, FW_CFG_MAX_FILES);
	if (nr_files < 0)
		panic("fw_cfg: bad file directory\n");
	dprintf(DBG_INFO, "fw_cfg: %s interface, %d files\n",
		has_dma ? "DMA" : "IO", nr_files);
}
