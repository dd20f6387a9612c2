/* Bump allocator for boot-time scratch memory inside the firmware image's
 * bss; nothing allocated here outlives the jump to Linux. */
#ifndef FW_HEAP_H
#define FW_HEAP_H

#include <stddef.h>

void *heap_alloc(size_t size, size_t align);

#endif
