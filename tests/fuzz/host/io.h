/* Port accessors for host builds of firmware device code: every access
 * goes to a device model in the fuzz target (fuzz_port_in/out). Put
 * this directory before firmware/shared on the include path; it stands
 * in for firmware/shared/io.h. */
#ifndef FW_IO_H
#define FW_IO_H

#include <stdint.h>

uint32_t fuzz_port_in(uint16_t port, unsigned size);
void fuzz_port_out(uint16_t port, unsigned size, uint32_t val);

static inline void outb(uint16_t port, uint8_t val)
{
	fuzz_port_out(port, 1, val);
}

static inline void outw(uint16_t port, uint16_t val)
{
	fuzz_port_out(port, 2, val);
}

static inline void outl(uint16_t port, uint32_t val)
{
	fuzz_port_out(port, 4, val);
}

static inline uint8_t inb(uint16_t port)
{
	return (uint8_t)fuzz_port_in(port, 1);
}

static inline uint16_t inw(uint16_t port)
{
	return (uint16_t)fuzz_port_in(port, 2);
}

static inline uint32_t inl(uint16_t port)
{
	return fuzz_port_in(port, 4);
}

static inline void insb(uint16_t port, void *buf, uint32_t n)
{
	uint8_t *b = buf;

	while (n--)
		*b++ = (uint8_t)fuzz_port_in(port, 1);
}

static inline void cpu_relax(void)
{
}

static inline void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

#endif
