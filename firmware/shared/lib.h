/* Small helpers shared by the firmware and its host-side unit tests. */
#ifndef FW_LIB_H
#define FW_LIB_H

#include <stddef.h>
#include <stdint.h>

#ifdef HOTCPU_HOST
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
#endif

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_POWER_OF_2(x)	((x) && !((x) & ((x) - 1)))
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#define KiB			1024ull
#define MiB			(1024ull * KiB)
#define GiB			(1024ull * MiB)

static inline uint32_t be32_to_cpu(uint32_t v)
{
	return __builtin_bswap32(v);
}

static inline uint16_t be16_to_cpu(uint16_t v)
{
	return __builtin_bswap16(v);
}

static inline uint64_t be64_to_cpu(uint64_t v)
{
	return __builtin_bswap64(v);
}

#define cpu_to_be32 be32_to_cpu
#define cpu_to_be64 be64_to_cpu

/* The firmware runs identity-mapped: a physical address is a pointer. */
static inline void *phys_ptr(uint64_t addr)
{
	return (void *)(uintptr_t)addr;
}

/* Unaligned little-endian access of 1, 2, 4 or 8 bytes. */
static inline uint64_t le_read(const void *p, unsigned size)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	while (size--)
		v = (v << 8) | b[size];
	return v;
}

static inline void le_write(void *p, unsigned size, uint64_t v)
{
	uint8_t *b = p;

	for (unsigned i = 0; i < size; i++, v >>= 8)
		b[i] = (uint8_t)v;
}

/* 8-bit sum of a byte range: ACPI tables sum to 0. */
static inline uint8_t byte_sum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (n--)
		s += *b++;
	return s;
}

#endif
