/* Port, MMIO, MSR, CPUID and PCI config accessors: the only place the
 * firmware touches hardware with inline assembly. */
#ifndef FW_IO_H
#define FW_IO_H

#include <stdint.h>
#include "hw/q35.h"

static inline void outb(uint16_t port, uint8_t val)
{
	__asm__ volatile("outb %0, %1" : : "a"(val), "Nd"(port) : "memory");
}

static inline void outw(uint16_t port, uint16_t val)
{
	__asm__ volatile("outw %0, %1" : : "a"(val), "Nd"(port) : "memory");
}

static inline void outl(uint16_t port, uint32_t val)
{
	__asm__ volatile("outl %0, %1" : : "a"(val), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t val;

	__asm__ volatile("inb %1, %0" : "=a"(val) : "Nd"(port) : "memory");
	return val;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t val;

	__asm__ volatile("inw %1, %0" : "=a"(val) : "Nd"(port) : "memory");
	return val;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t val;

	__asm__ volatile("inl %1, %0" : "=a"(val) : "Nd"(port) : "memory");
	return val;
}

/* Reads n bytes from one port; the IO fw_cfg fallback uses it. */
static inline void insb(uint16_t port, void *buf, uint32_t n)
{
	__asm__ volatile("rep insb"
			 : "+D"(buf), "+c"(n)
			 : "d"(port)
			 : "memory");
}

static inline uint32_t mmio_readl(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void mmio_writel(uint64_t addr, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)addr = val;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)val),
			   "d"((uint32_t)(val >> 32))
			 : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

static inline __attribute__((noreturn)) void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

/* PCI configuration space through mechanism #1 (0xcf8/0xcfc): works
 * before MMCONFIG is set up and needs no mapping. */
static inline void pci_config_select(uint16_t bdf, uint16_t off)
{
	outl(PCI_CONFIG_ADDR,
	     0x80000000u | ((uint32_t)bdf << 8) | (off & 0xfc));
}

static inline uint32_t pci_config_readl(uint16_t bdf, uint16_t off)
{
	pci_config_select(bdf, off);
	return inl(PCI_CONFIG_DATA);
}

static inline uint16_t pci_config_readw(uint16_t bdf, uint16_t off)
{
	pci_config_select(bdf, off);
	return inw(PCI_CONFIG_DATA + (off & 2));
}

static inline uint8_t pci_config_readb(uint16_t bdf, uint16_t off)
{
	pci_config_select(bdf, off);
	return inb(PCI_CONFIG_DATA + (off & 3));
}

static inline void pci_config_writel(uint16_t bdf, uint16_t off, uint32_t v)
{
	pci_config_select(bdf, off);
	outl(PCI_CONFIG_DATA, v);
}

static inline void pci_config_writew(uint16_t bdf, uint16_t off, uint16_t v)
{
	pci_config_select(bdf, off);
	outw(PCI_CONFIG_DATA + (off & 2), v);
}

static inline void pci_config_writeb(uint16_t bdf, uint16_t off, uint8_t v)
{
	pci_config_select(bdf, off);
	outb(PCI_CONFIG_DATA + (off & 3), v);
}

/* Port I/O in the shape of struct platform's io_read and io_write
 * (platform.h); ctx is unused. */
static inline uint32_t port_io_read(void *ctx, uint16_t port, unsigned size)
{
	(void)ctx;
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static inline void port_io_write(void *ctx, uint16_t port, unsigned size,
				 uint32_t v)
{
	(void)ctx;
	if (size == 1)
		outb(port, (uint8_t)v);
	else if (size == 2)
		outw(port, (uint16_t)v);
	else
		outl(port, v);
}

#endif
