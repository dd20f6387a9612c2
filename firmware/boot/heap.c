/* Boot scratch heap: fw_cfg directory, table-loader script. */
#include <stdint.h>

#include "debug.h"
#include "heap.h"
#include "lib.h"

#define HEAP_SIZE (64 * 1024)

/* Scratch space; zeroed with the rest of bss by firmware/boot/entry.S. */
static uint8_t heap[HEAP_SIZE] __attribute__((aligned(16)));
static size_t heap_used;

void *heap_alloc(size_t size, size_t align)
{
	size_t start = ALIGN_UP(heap_used, align);

	if (start > HEAP_SIZE || size > HEAP_SIZE - start)
		panic("heap: %zu bytes requested, %zu of %u left\n", size,
		      HEAP_SIZE - heap_used, HEAP_SIZE);
	heap_used = start + size;
	return memset(heap + start, 0, size);
}
