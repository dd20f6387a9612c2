/* Host stand-ins for the firmware's dprintf(), panic_at() and
 * heap_alloc() in the fuzz targets: messages go through the firmware's
 * own formatter, panics end the input. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "debug.h"
#include "fuzz.h"
#include "heap.h"

jmp_buf *fuzz_panic_jmp;
unsigned fuzz_errors, fuzz_panics;
/* heap_alloc() blocks of the current input, freed by fuzz_reset(). */
static void **blocks;
static size_t nr_blocks, cap_blocks;

/* FUZZ_VERBOSE=1 prints every firmware message, for reproducers. */
static int verbose(void)
{
	static int v = -1;

	if (v < 0)
		v = getenv("FUZZ_VERBOSE") != NULL;
	return v;
}

void dprintf(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(fuzz_last_msg, sizeof(fuzz_last_msg), fmt, ap);
	va_end(ap);
	if (level == DBG_ERR)
		fuzz_errors++;
	if (verbose())
		fputs(fuzz_last_msg, stderr);
}

void panic_at(const char *func, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = fmt_snprintf(fuzz_last_msg, sizeof(fuzz_last_msg), "PANIC %s:%d: ",
			 func, line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof(fuzz_last_msg))
		fmt_vsnprintf(fuzz_last_msg + n, sizeof(fuzz_last_msg) - n,
			      fmt, ap);
	va_end(ap);
	fuzz_panics++;
	if (verbose())
		fputs(fuzz_last_msg, stderr);
	if (!fuzz_panic_jmp) {
		fprintf(stderr, "fuzz: panic outside fuzz_try(): %s\n",
			fuzz_last_msg);
		abort();
	}
	longjmp(*fuzz_panic_jmp, 1);
}

void *heap_alloc(size_t size, size_t align)
{
	void *p = NULL;

	if (nr_blocks == cap_blocks) {
		cap_blocks = cap_blocks ? 2 * cap_blocks : 64;
		blocks = realloc(blocks, cap_blocks * sizeof(*blocks));
		if (!blocks)
			abort();
	}
	/* The firmware's heap is its bss; a huge request is a bug there
	 * too, and here it would only hide in an allocation failure. */
	if (size > (64u << 20))
		fuzz_fail("heap_alloc(%zu): more than the firmware has", size);
	if (posix_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align,
			   size ? size : 1))
		abort();
	memset(p, 0, size);
	blocks[nr_blocks++] = p;
	return p;
}

void fuzz_reset(void)
{
	for (size_t i = 0; i < nr_blocks; i++)
		free(blocks[i]);
	nr_blocks = 0;
	fuzz_errors = fuzz_panics = 0;
	fuzz_last_msg[0] = '\0';
	fuzz_panic_jmp = NULL;
}

void *fuzz_arena(size_t size)
{
	static struct {
		size_t size;
		uint8_t *p;
	} arenas[4];
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *p;

	size = (size + page - 1) & ~(page - 1);
	for (int i = 0; i < 4; i++)
		if (arenas[i].size == size)
			return arenas[i].p;
	p = mmap(NULL, size + 2 * page, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (p == MAP_FAILED || mprotect(p + page, size, PROT_READ | PROT_WRITE))
		abort();
	for (int i = 0; i < 4; i++)
		if (!arenas[i].size) {
			arenas[i].size = size;
			arenas[i].p = p + page;
			return p + page;
		}
	abort();
}
