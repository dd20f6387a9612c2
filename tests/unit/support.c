/* Host implementations of dprintf(), panic_at() and heap_alloc(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "debug.h"
#include "heap.h"
#include "support.h"

char support_log[65536];
static size_t log_len;
/* Blocks handed out by heap_alloc() and arena_alloc(), freed by reset. */
static void *blocks[4096];
static size_t block_sizes[4096];
static int nr_blocks;

void dprintf(int level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	if (log_len < sizeof(support_log))
		log_len += vsnprintf(support_log + log_len,
				     sizeof(support_log) - log_len, fmt, ap);
	va_end(ap);
	if (log_len > sizeof(support_log))
		log_len = sizeof(support_log);
}

void panic_at(const char *func, int line, const char *fmt, ...)
{
	va_list ap;

	dprintf(DBG_ERR, "PANIC %s:%d: ", func, line);
	va_start(ap, fmt);
	vsnprintf(support_log + log_len, sizeof(support_log) - log_len, fmt,
		  ap);
	va_end(ap);
	log_len = strlen(support_log);
	/* Inside expect_assert_failure() this jumps back to the test. */
	mock_assert(0, "panic", __FILE__, __LINE__);
	abort();
}

bool support_log_has(const char *needle)
{
	return strstr(support_log, needle) != NULL;
}

static void *track(void *p, size_t size)
{
	if (nr_blocks == (int)(sizeof(blocks) / sizeof(blocks[0])))
		abort();
	blocks[nr_blocks] = p;
	block_sizes[nr_blocks++] = size;
	return p;
}

void *heap_alloc(size_t size, size_t align)
{
	void *p = NULL;

	if (posix_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align,
			   size ? size : 1))
		abort();
	memset(p, 0, size);
	return track(p, 0);
}

void *arena_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (p == MAP_FAILED)
		abort();
	return track(p, size);
}

void support_reset(void)
{
	for (int i = 0; i < nr_blocks; i++) {
		if (block_sizes[i])
			munmap(blocks[i], block_sizes[i]);
		else
			free(blocks[i]);
	}
	nr_blocks = 0;
	log_len = 0;
	support_log[0] = '\0';
	fake_fw_cfg_reset();
}
