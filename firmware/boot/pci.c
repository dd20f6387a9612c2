/* BARs for the devices on bus 0, largest first so every BAR is aligned
 * to its size without gaps; Linux keeps what firmware assigned. */
#include "debug.h"
#include "io.h"
#include "layout.h"
#include "lib.h"
#include "pci.h"

#define PCI_VENDOR_ID		0x00
#define PCI_COMMAND		0x04
#define PCI_COMMAND_IO		(1u << 0)
#define PCI_COMMAND_MEMORY	(1u << 1)
#define PCI_COMMAND_MASTER	(1u << 2)
#define PCI_HEADER_TYPE		0x0e
#define PCI_HEADER_MULTI	0x80
#define PCI_HEADER_BRIDGE	0x01
#define PCI_BAR0		0x10
#define PCI_BAR_IO		(1u << 0)
#define PCI_BAR_MEM64		(2u << 1)
#define PCI_BAR_MEM_TYPE_MASK	(3u << 1)

#define MAX_BARS		64

struct bar {
	uint16_t bdf;
	uint8_t reg;
	uint8_t io, mem64;
	uint64_t size;
};

static unsigned probe_bars(uint16_t bdf, struct bar *out, unsigned n)
{
	unsigned nbars = (pci_config_readb(bdf, PCI_HEADER_TYPE) & 0x7f) ==
					 PCI_HEADER_BRIDGE ?
				 2 :
				 6;

	for (unsigned i = 0; i < nbars && n < MAX_BARS; i++) {
		uint16_t reg = PCI_BAR0 + 4 * i;
		uint32_t orig = pci_config_readl(bdf, reg), lo, hi = 0xffffffff;
		uint64_t mask;
		int io = orig & PCI_BAR_IO;
		int mem64 = !io && (orig & PCI_BAR_MEM_TYPE_MASK) ==
					   PCI_BAR_MEM64;

		/* Sizing: all-ones, read back the writable bits. */
		pci_config_writel(bdf, reg, 0xffffffff);
		lo = pci_config_readl(bdf, reg);
		pci_config_writel(bdf, reg, orig);
		if (mem64) {
			uint32_t orig_hi = pci_config_readl(bdf, reg + 4);

			pci_config_writel(bdf, reg + 4, 0xffffffff);
			hi = pci_config_readl(bdf, reg + 4);
			pci_config_writel(bdf, reg + 4, orig_hi);
		}
		mask = ((uint64_t)hi << 32) | (lo & (io ? ~3u : ~15u));
		if (!io && !mem64)
			mask |= 0xffffffff00000000ull;
		if (io)
			mask |= 0xffffffffffff0000ull;
		if (mask && (lo & (io ? ~3u : ~15u))) {
			out[n] = (struct bar){ bdf, (uint8_t)reg, (uint8_t)!!io,
					       (uint8_t)mem64, -mask };
			n++;
		}
		if (mem64)
			i++;
	}
	return n;
}

void pci_setup(void)
{
	struct bar bars[MAX_BARS];
	unsigned n = 0, devs = 0, nio = 0, nmem = 0;
	uint64_t io = PCI_IO_BASE, mem = PCI_MMIO_BASE;

	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8; fn++) {
			uint16_t bdf = PCI_BDF(0, dev, fn);

			if ((pci_config_readl(bdf, PCI_VENDOR_ID) & 0xffff) ==
			    0xffff) {
				if (!fn)
					break;
				continue;
			}
			devs++;
			n = probe_bars(bdf, bars, n);
			if (!fn && !(pci_config_readb(bdf, PCI_HEADER_TYPE) &
				     PCI_HEADER_MULTI))
				break;
		}
	}
	/* Largest first (insertion sort; a handful of BARs). */
	for (unsigned i = 1; i < n; i++) {
		struct bar t = bars[i];
		unsigned j = i;

		for (; j > 0 && bars[j - 1].size < t.size; j--)
			bars[j] = bars[j - 1];
		bars[j] = t;
	}
	for (unsigned i = 0; i < n; i++) {
		struct bar *b = &bars[i];
		uint64_t *next = b->io ? &io : &mem;
		uint64_t end = b->io ? PCI_IO_END : PCI_MMIO_END;
		uint64_t addr = ALIGN_UP(*next, b->size);
		uint16_t cmd;

		if (addr + b->size > end || addr + b->size < addr) {
			dprintf(DBG_INFO, "pci: %02x:%02x.%x BAR 0x%x: no room "
				"for 0x%llx bytes, left unassigned\n",
				b->bdf >> 8, (b->bdf >> 3) & 31, b->bdf & 7,
				b->reg, (unsigned long long)b->size);
			continue;
		}
		*next = addr + b->size;
		pci_config_writel(b->bdf, b->reg,
				  (uint32_t)addr |
					  (pci_config_readl(b->bdf, b->reg) &
					   (b->io ? 3u : 15u)));
		if (b->mem64)
			pci_config_writel(b->bdf, b->reg + 4,
					  (uint32_t)(addr >> 32));
		cmd = pci_config_readw(b->bdf, PCI_COMMAND);
		cmd |= (b->io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY) |
		       PCI_COMMAND_MASTER;
		pci_config_writew(b->bdf, PCI_COMMAND, cmd);
		if (b->io)
			nio++;
		else
			nmem++;
		dprintf(DBG_VERBOSE, "pci: %02x:%02x.%x BAR 0x%x: %s 0x%llx+0x%llx\n",
			b->bdf >> 8, (b->bdf >> 3) & 31, b->bdf & 7, b->reg,
			b->io ? "io" : "mem", (unsigned long long)addr,
			(unsigned long long)b->size);
	}
	dprintf(DBG_INFO, "pci: bus 0: %u functions, %u IO and %u memory "
		"BARs assigned\n", devs, nio, nmem);
}
