/* Shared by the fuzz targets: reading a fuzz input, firmware panics
 * that end one input instead of the process, and a check that stops
 * the fuzzer with a message when an invariant breaks. */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fuzz input read front to back; past its end every read gives 0. */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline void fuzz_in_init(struct fuzz_in *in, const uint8_t *p,
				size_t n)
{
	in->p = p;
	in->left = n;
}

/* Little-endian integer of n bytes (1..8). */
static inline uint64_t fuzz_u(struct fuzz_in *in, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		if (in->left) {
			v |= (uint64_t)*in->p++ << (8 * i);
			in->left--;
		}
	return v;
}

/* Up to n bytes; returns how many were left. */
static inline size_t fuzz_take(struct fuzz_in *in, size_t n,
			       const uint8_t **out)
{
	*out = in->p;
	if (n > in->left)
		n = in->left;
	in->p += n;
	in->left -= n;
	return n;
}

/* A firmware panic() longjmps here while the target armed it: halting
 * with a debugcon message is the firmware's answer to bad input, not a
 * crash. Outside fuzz_try() a panic aborts. */
extern jmp_buf *fuzz_panic_jmp;
#define fuzz_try(jb) (fuzz_panic_jmp = &(jb), setjmp(jb) == 0)
#define fuzz_untry() (fuzz_panic_jmp = NULL)

/* DBG_ERR lines and panics since fuzz_reset(): a firmware function that
 * returns -1 must have said why. The last message is kept. */
extern unsigned fuzz_errors, fuzz_panics;
extern char fuzz_last_msg[512];

/* Frees what heap_alloc() handed out and clears the counters. */
void fuzz_reset(void);

/* Memory below 4 GiB between two inaccessible guard pages: ACPI's
 * 32-bit pointers can hold its addresses, and running off either end
 * faults. One mapping per (fixed) size, reused for every input. */
void *fuzz_arena(size_t size);

/* Reports a broken invariant and aborts, so libFuzzer saves the input. */
__attribute__((noreturn, format(printf, 1, 2))) void
fuzz_fail(const char *fmt, ...);
#define fuzz_check(cond, ...)                                                \
	do {                                                                 \
		if (!(cond))                                                 \
			fuzz_fail(__VA_ARGS__);                              \
	} while (0)

#endif
